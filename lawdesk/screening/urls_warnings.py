from django.urls import URLPattern, path

from lawdesk.screening import views

app_name = "warnings"

urlpatterns: list[URLPattern] = [
    path("", views.warnings, name="list"),
    path("<int:pk>/", views.warning_detail, name="detail"),
    path("<int:pk>/handle/", views.warning_handle, name="handle"),
]
