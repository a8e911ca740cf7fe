from django.contrib import admin
from django.http import HttpRequest

from lawdesk.attachments.models import Attachment


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    """Read only: scans are added and downloaded on the matter page, where scoping applies."""

    list_display = ["original_name", "matter", "size", "content_type", "uploaded_by", "uploaded_at"]
    search_fields = ["original_name", "sha256"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
