"""The matter page, its actions, the redirect slip, the handler inbox, the one-trip tasks, attachments."""

from django.urls import URLPattern, path

from lawdesk.matters import commands
from lawdesk.matters import views_matter as views

urlpatterns: list[URLPattern] = [
    path("matters/", views.matter_list, name="matters"),
    path("matters/<int:pk>/", views.matter_detail, name="matter"),
    path("matters/<int:pk>/slip/", views.redirect_slip, name="redirect_slip"),
    path("matters/<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("inbox/", views.inbox, name="inbox"),
    path("tasks/", views.tasks, name="tasks"),
    # One route per command of any kind's table (lawdesk.matters.commands, filled by the apps' ready()).
    *[
        path(
            f"matters/<int:pk>/{views.command_slug(key)}/",
            views.matter_action,
            {"action": key},
            name=f"matter_{key}",
        )
        for key in commands.all_keys()
    ],
]
