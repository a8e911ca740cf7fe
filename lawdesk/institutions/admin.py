from django.contrib import admin

from lawdesk.institutions.models import Institution


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "home_node", "phone", "is_active"]
    list_filter = ["kind", "mediation_scope", "department_kind", "is_active"]
    search_fields = ["name", "business_scope"]
    autocomplete_fields = ["home_node", "served_nodes"]
