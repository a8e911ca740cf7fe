from django.urls import path

from lawdesk.institutions import views

app_name = "institutions"
urlpatterns = [
    path("", views.institution_list, name="list"),
    path("export.xlsx", views.institution_export, name="export"),
    path("import/", views.institution_import, name="import"),
    path("<int:pk>/", views.institution_detail, name="detail"),
    path("<int:pk>/terminals/", views.institution_terminals, name="terminals"),
]
