from django.contrib import admin

from lawdesk.advisers.models import AdviserContract, TownGroup


@admin.register(AdviserContract)
class AdviserContractAdmin(admin.ModelAdmin):
    list_display = ["village", "adviser", "institution", "start", "end", "signed"]
    list_filter = ["end"]
    search_fields = ["village__name", "village__region_code"]
    raw_id_fields = ["village", "adviser", "institution", "created_by"]


@admin.register(TownGroup)
class TownGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "office", "created"]
    raw_id_fields = ["office", "created_by"]
