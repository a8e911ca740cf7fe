"""Visit registration at the window (namespace ``desk``)."""

from django.urls import URLPattern, path

from lawdesk.matters import views_intake

urlpatterns: list[URLPattern] = [
    path("intake/", views_intake.intake, name="intake"),
    path("intake/people/", views_intake.person_search, name="person_search"),
    path("visits/<int:pk>/", views_intake.visit_detail, name="visit"),
]
