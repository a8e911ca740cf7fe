from django.contrib import admin

from lawdesk.mediation.models import DisputeDetail, DisputeParty, MediationResult


class DisputePartyInline(admin.TabularInline):
    model = DisputeParty
    extra = 0


@admin.register(DisputeDetail)
class DisputeDetailAdmin(admin.ModelAdmin):
    list_display = [
        "matter",
        "dispute_type",
        "amount",
        "people_involved",
        "escalation_risk",
        "routed_committee",
    ]
    list_filter = ["dispute_type", "escalation_risk"]
    readonly_fields = ["matter", "recorded_by", "escalation_alerted_at"]
    inlines = [DisputePartyInline]


@admin.register(MediationResult)
class MediationResultAdmin(admin.ModelAdmin):
    list_display = ["matter", "result", "agreement_form", "agreed_amount", "recorded_at"]
    list_filter = ["result", "agreement_form", "judicial_confirmation_advised"]
    readonly_fields = [
        "matter",
        "recorded_by",
        "recorded_at",
        "returned_to_station_at",
        "returned_to_office_at",
    ]
