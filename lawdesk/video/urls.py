from django.urls import path

from lawdesk.video import views

app_name = "video_desk"

urlpatterns = [
    path("matter/<int:matter_pk>/start/", views.start, name="start"),
    path("<int:pk>/", views.room, name="room"),
    path("<int:pk>/consent/", views.staff_consent, name="consent"),
    path("<int:pk>/end/", views.end, name="end"),
]
