from django.urls import URLPattern, path

from lawdesk.appointments import views

app_name = "appointments"

urlpatterns: list[URLPattern] = [
    path("", views.appointment_list, name="list"),
    path("slots/", views.slot_calendar, name="slots"),
    path("slots/new/", views.slot_new, name="slot_new"),
    path("slots/<int:pk>/book/", views.book, name="book"),
    path("<int:pk>/", views.appointment_detail, name="detail"),
    path("<int:pk>/<str:action>/", views.appointment_action, name="action"),
]
