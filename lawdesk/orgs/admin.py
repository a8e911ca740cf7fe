from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from lawdesk.orgs import services
from lawdesk.orgs.models import Facility, OrgNode, Village


class FacilityInline(admin.TabularInline):
    model = Facility
    extra = 0


@admin.register(OrgNode)
class OrgNodeAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region_code", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "region_code"]
    readonly_fields = ["path", "depth", "created_at", "updated_at"]
    autocomplete_fields = ["parent"]
    inlines = [FacilityInline]

    def has_delete_permission(self, request: HttpRequest, obj: OrgNode | None = None) -> bool:
        # Records hang on nodes; a node that closes is deactivated (启用 off), never deleted.
        return False

    def save_model(self, request: HttpRequest, obj: OrgNode, form: Any, change: bool) -> None:
        """Go through the services so paths, rules and audit rows stay right."""
        if not change:
            attrs = {k: getattr(obj, k) for k in services.NODE_ATTRS}
            created = services.org_node_create(
                actor=request.user,
                parent=obj.parent,
                kind=obj.kind,
                name=obj.name,
                region_code=obj.region_code,
                **attrs,
            )
            obj.pk, obj.path, obj.depth = created.pk, created.path, created.depth
            return
        stored = OrgNode.objects.get(pk=obj.pk)
        if "parent" in form.changed_data and obj.parent is not None:
            services.org_node_move(actor=request.user, node=stored, new_parent=obj.parent)
            stored.refresh_from_db()
        changes = {k: form.cleaned_data[k] for k in form.changed_data if k not in ("parent", "kind")}
        if changes:
            services.org_node_update(actor=request.user, node=stored, **changes)


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region_code", "office", "station", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "region_code"]
    autocomplete_fields = ["office", "station"]

    def has_delete_permission(self, request: HttpRequest, obj: Village | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Village, form: Any, change: bool) -> None:
        if not change:
            created = services.village_create(
                actor=request.user, office=obj.office, name=obj.name, region_code=obj.region_code,
                kind=obj.kind, station=obj.station,
            )  # fmt: skip
            obj.pk = created.pk
            return
        services.village_update(
            actor=request.user, village=obj, **{k: getattr(obj, k) for k in services.VILLAGE_ATTRS}
        )
