from django.urls import URLPattern, path

from lawdesk.matters import views_overdue

urlpatterns: list[URLPattern] = [
    path("overdue/", views_overdue.overdue, name="overdue"),
    path("notifications/", views_overdue.notification_list, name="notifications"),
    path("notifications/read/", views_overdue.notification_read, name="notifications_read"),
]
