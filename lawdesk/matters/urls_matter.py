"""The matter page, its actions, the redirect slip, the handler inbox, the one-trip tasks, attachments."""

from django.urls import URLPattern, path

from lawdesk.matters import views_matter as views

urlpatterns: list[URLPattern] = [
    path("matters/", views.matter_list, name="matters"),
    path("matters/<int:pk>/", views.matter_detail, name="matter"),
    path("matters/<int:pk>/slip/", views.redirect_slip, name="redirect_slip"),
    path("matters/<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("inbox/", views.inbox, name="inbox"),
    path("tasks/", views.tasks, name="tasks"),
    *[
        path(
            f"matters/<int:pk>/{key.replace('_', '-')}/",
            views.matter_action,
            {"action": key},
            name=f"matter_{key}",
        )
        for key in views.ACTIONS
    ],
]
