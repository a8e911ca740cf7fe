from django.contrib import admin

from lawdesk.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "text", "read_at"]
    list_filter = ["read_at"]
    search_fields = ["text", "user__username", "user__full_name"]
    raw_id_fields = ["user", "matter"]
    readonly_fields = ["created_at"]
