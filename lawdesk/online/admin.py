from django.contrib import admin

from lawdesk.online.models import Faq, IntakeAccount, OnlineRequest, RatingLink


@admin.register(Faq)
class FaqAdmin(admin.ModelAdmin):
    list_display = ["question", "category", "active", "order", "updated_at"]
    list_filter = ["category", "active"]
    list_editable = ["active", "order"]
    search_fields = ["question", "keywords", "answer"]


@admin.register(IntakeAccount)
class IntakeAccountAdmin(admin.ModelAdmin):
    list_display = ["node", "user", "created_at"]
    readonly_fields = ["node", "user", "created_at"]

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(OnlineRequest)
class OnlineRequestAdmin(admin.ModelAdmin):
    """Read only: the requests are made by the citizens through the services."""

    list_display = ["code", "kind", "matter", "created_at"]
    list_filter = ["kind"]
    search_fields = ["code"]
    readonly_fields = ["code", "kind", "matter", "phone_digest", "address_digest", "created_at"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(RatingLink)
class RatingLinkAdmin(admin.ModelAdmin):
    list_display = ["matter", "sent_at", "expires_at", "used_at"]
    readonly_fields = ["matter", "token_digest", "phone_digest", "expires_at", "sent_at", "used_at"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
