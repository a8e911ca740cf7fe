"""What the matter page shows of a dispute's mediation, and the links to its pages."""

from __future__ import annotations

from typing import Any, Literal

from django.urls import reverse

from lawdesk.matters import personal_data
from lawdesk.matters import services as matter_services
from lawdesk.matters.models import Matter, MatterKind
from lawdesk.mediation import services
from lawdesk.mediation.models import DisputeDetail, MediationResult
from lawdesk.people.identity import mask_phone


def read_detail(matter: Matter) -> DisputeDetail | None:
    """The dispute's details as the panel shows them: the place, both committees and the parties."""
    return (
        DisputeDetail.objects.filter(matter=matter)
        .select_related("place", "proposed_committee", "routed_committee")
        .prefetch_related("parties")
        .first()
    )


def panel_context(
    *, actor: Any, matter: Matter, detail: DisputeDetail | Literal[False] | None = False
) -> dict[str, Any] | None:
    """None for a matter that is not a dispute; otherwise the details, the result and what the actor may do.
    ``detail``: the page's own read of ``read_detail(matter)`` (None: there is none), not read again."""
    if matter.kind != MatterKind.DISPUTE:
        return None
    if detail is False:
        detail = read_detail(matter)
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
