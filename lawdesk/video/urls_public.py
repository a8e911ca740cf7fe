from django.urls import path

from lawdesk.video import views

app_name = "video"

urlpatterns = [
    path("j/<str:token>/", views.join, name="join"),
    path("consent/", views.citizen_consent, name="consent"),
    path("t/", views.terminal, name="terminal"),
    path("t/pair/<str:key>/", views.terminal_pair, name="terminal_pair"),
]
