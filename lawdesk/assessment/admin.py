from django.contrib import admin

from lawdesk.assessment.models import PlatformPopulation, Standard


@admin.register(Standard)
class StandardAdmin(admin.ModelAdmin):
    list_display = ["name", "version", "status", "created_at"]
    readonly_fields = ["name", "version", "status", "created_by"]


@admin.register(PlatformPopulation)
class PlatformPopulationAdmin(admin.ModelAdmin):
    list_display = ["node", "population", "as_of"]
