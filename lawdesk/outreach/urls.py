from django.urls import URLPattern, path

from lawdesk.outreach import views

app_name = "outreach"

urlpatterns: list[URLPattern] = [
    path("", views.board, name="board"),
    path("export.xlsx", views.board_export, name="export"),
    path("villages/", views.villages, name="villages"),
    path("teams/", views.teams, name="teams"),
    path("services/new/", views.service_new, name="service_new"),
    path("services/<int:pk>/", views.service_detail, name="service"),
    path("events/", views.events, name="events"),
    path("events/export.xlsx", views.events_export, name="events_export"),
    path("duties/", views.duties, name="duties"),
    path("duties/export.xlsx", views.duties_export, name="duties_export"),
    path("duties/<int:pk>/", views.duty_edit, name="duty"),
    path("photos/<int:pk>/", views.photo, name="photo"),
]
