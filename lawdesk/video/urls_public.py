from django.urls import path

from lawdesk.video import views

app_name = "video"

urlpatterns = [
    path("j/<str:token>/", views.join, name="join"),
    path("consent/", views.citizen_consent, name="consent"),
]
