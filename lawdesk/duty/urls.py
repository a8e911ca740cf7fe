from django.urls import URLPattern, path

from lawdesk.duty import views

app_name = "duty"

urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.roster, name="roster"),
    path("<int:pk>/copy/", views.copy_week, name="copy"),
    path("<int:pk>/roster.xlsx", views.roster_xlsx, name="roster_xlsx"),
    path("<int:pk>/roster.pdf", views.roster_pdf, name="roster_pdf"),
    path("shift/<int:pk>/remove/", views.shift_remove, name="remove"),
    path("subsidy/<int:pk>/", views.subsidy, name="subsidy"),
    path("subsidy/<int:pk>/export.xlsx", views.subsidy_xlsx, name="subsidy_xlsx"),
]
