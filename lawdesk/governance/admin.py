from django.contrib import admin

from lawdesk.governance.models import LegalOpinion, ModelVillageCase, SafetyActivity


@admin.register(ModelVillageCase)
class ModelVillageCaseAdmin(admin.ModelAdmin):
    list_display = ["village", "office", "level", "state", "applied_on", "decided_on"]
    list_filter = ["level", "state"]


@admin.register(LegalOpinion)
class LegalOpinionAdmin(admin.ModelAdmin):
    list_display = ["subject", "office", "requester", "opinion_on", "adoption"]


@admin.register(SafetyActivity)
class SafetyActivityAdmin(admin.ModelAdmin):
    list_display = ["office", "date", "kind", "participants"]
