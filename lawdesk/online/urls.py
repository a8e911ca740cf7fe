from django.urls import URLPattern, URLResolver, path

from lawdesk.online import views

app_name = "online"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("ask/", views.ask, name="ask"),
    path("legal-aid/", views.legal_aid, name="legal_aid"),
    path("appointments/", views.appointments, name="appointments"),
    path("appointments/<int:node_id>/", views.appointment_slots, name="appointment_slots"),
    path("appointments/slot/<int:slot_id>/", views.appointment_book, name="appointment_book"),
    path("complaint/", views.complaint, name="complaint"),
    path("done/", views.done, name="done"),
    path("track/", views.track, name="track"),
    path("rate/<str:token>/", views.rate, name="rate"),
    path("assistant/", views.assistant_page, name="assistant"),
    path("assistant/faq/", views.assistant_faq, name="assistant_faq"),
    path("desk/", views.desk, name="desk"),
    path("desk/<int:matter_id>/claim/", views.desk_claim, name="desk_claim"),
]
