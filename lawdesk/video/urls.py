from django.urls import path

from lawdesk.video import views

app_name = "video_desk"

urlpatterns = [
    path("matter/<int:matter_pk>/start/", views.start, name="start"),
    path("<int:pk>/", views.room, name="room"),
    path("<int:pk>/consent/", views.staff_consent, name="consent"),
    path("<int:pk>/end/", views.end, name="end"),
    path("terminals/", views.waiting, name="waiting"),
    path("terminals/new/", views.terminal_new, name="terminal_new"),
    path("terminals/<int:pk>/revoke/", views.terminal_revoke, name="terminal_revoke"),
]
