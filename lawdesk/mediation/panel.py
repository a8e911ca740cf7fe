"""What the matter page shows of a dispute's mediation, and the links to its pages."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from lawdesk.matters import personal_data
from lawdesk.matters import services as matter_services
from lawdesk.matters.models import Matter, MatterKind
from lawdesk.mediation import services
from lawdesk.mediation.models import DisputeDetail, MediationResult
from lawdesk.people.identity import mask_phone


def panel_context(*, actor: Any, matter: Matter) -> dict[str, Any] | None:
    """None for a matter that is not a dispute; otherwise the details, the result and what the actor may do."""
    if matter.kind != MatterKind.DISPUTE:
        return None
    detail = (
        DisputeDetail.objects.filter(matter=matter)
        .select_related("place", "proposed_committee", "routed_committee")
        .prefetch_related("parties")
        .first()
    )
    result = MediationResult.objects.filter(matter=matter).select_related("recorded_by").first()
    can_edit = services.can_edit_dispute(actor, matter)
    return {
        "matter": matter,
        "detail": detail,
        "parties": [
            {
                "party": p,
                "phone": mask_phone(p.phone) if p.phone else "",
                "which": f"party-{p.pk}",
                "can_reveal": bool(p.phone)
                and personal_data.may_reveal_contact(actor, matter, f"party-{p.pk}"),
            }
            for p in (detail.parties.all() if detail else [])
        ],
        "result": result,
        # a committee that declined the dispute is no longer shown as its committee
        "routed": detail.routed_committee
        if detail is not None and detail.routed_committee_id == matter.institution_id
        else None,
        "can_edit": can_edit,
        "can_route": can_edit and detail is not None,
        "can_record_result": services.can_record_result(actor, matter),
        "is_front": matter_services.can_act_for_front(actor, matter),
        "detail_url": reverse("mediation:detail", args=[matter.pk]),
        "route_url": reverse("mediation:route", args=[matter.pk]),
        "result_url": reverse("mediation:result", args=[matter.pk]),
    }
