from django.urls import URLPattern, path

from lawdesk.screening import views

app_name = "screening"

urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("new/", views.round_new, name="round_new"),
    path("<int:pk>/", views.round_detail, name="round"),
    path("findings/<int:pk>/register/", views.finding_register, name="finding_register"),
]
