from django.urls import path

from lawdesk.complaints import views

app_name = "complaints"
urlpatterns = [
    path("", views.complaint_list, name="list"),
    path("new/", views.complaint_new, name="new"),
    path("<int:pk>/", views.complaint_detail, name="detail"),
    *[
        path(f"<int:pk>/{key.replace('_', '-')}/", views.complaint_action, {"action": key}, name=key)
        for key in views.STEPS
    ],
]
