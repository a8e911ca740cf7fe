"""The complaints in the Django admin: read-only (every change goes through the services, and the statement is
never edited)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from lawdesk.complaints.models import ComplaintDetail, ComplaintNote


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ComplaintDetail)
class ComplaintDetailAdmin(ReadOnlyAdmin):
    list_display = ["matter", "subject_label", "anonymous", "recorded_by", "created_at"]
    list_filter = ["anonymous"]


@admin.register(ComplaintNote)
class ComplaintNoteAdmin(ReadOnlyAdmin):
    list_display = ["complaint", "author", "created_at"]
