from django.contrib import admin

from lawdesk.outreach.models import PoorVillage, PovertyService, PublicityEvent, ServiceTeam, TeamMember


@admin.register(PoorVillage)
class PoorVillageAdmin(admin.ModelAdmin):
    list_display = ["name", "region_code", "district", "office", "station", "active"]
    list_filter = ["active", "district"]
    search_fields = ["name", "region_code"]


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    extra = 0


@admin.register(ServiceTeam)
class ServiceTeamAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "district", "lead", "active"]
    list_filter = ["kind", "district"]
    inlines = [TeamMemberInline]


@admin.register(PovertyService)
class PovertyServiceAdmin(admin.ModelAdmin):
    list_display = ["village", "team", "date", "people_served"]
    list_filter = ["date"]
    raw_id_fields = ["matters"]


@admin.register(PublicityEvent)
class PublicityEventAdmin(admin.ModelAdmin):
    list_display = ["theme", "district", "date", "place", "audience_count", "materials_count"]
    list_filter = ["date", "district"]
