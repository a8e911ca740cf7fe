"""Who reaches which governance records: judicial office staff their office's, district and city admins those of
the offices below them; every other role gets 404, as for a record out of reach."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from lawdesk.accounts import scoping
from lawdesk.accounts.models import Role
from lawdesk.governance.models import LegalOpinion, ModelVillageCase, SafetyActivity
from lawdesk.orgs.models import OrgNode, Village
from lawdesk.orgs.rules import NodeKind

MANAGE_ROLES = frozenset({Role.DISTRICT_ADMIN, Role.CITY_ADMIN, Role.SYSTEM_ADMIN})
RECORD_ROLES = MANAGE_ROLES | {Role.OFFICE_STAFF}
# Naming above the district (市级 and up, named by the province and the state) is recorded by the city bureau.
CITY_ROLES = frozenset({Role.CITY_ADMIN, Role.SYSTEM_ADMIN})
NOT_FOUND = "没有找到该记录，或您无权查看。"


def paths_for(actor: Any) -> tuple[str, ...]:
    return scoping.scope_for(actor).paths_of(*RECORD_ROLES)


def can_open(actor: Any) -> bool:
    return bool(paths_for(actor))


def require(actor: Any) -> None:
    if not paths_for(actor):
        raise Http404(NOT_FOUND)


def offices_for(actor: Any) -> QuerySet[OrgNode]:
    """The judicial offices whose governance work the actor records."""
    return OrgNode.objects.filter(
        scoping.paths_q(paths_for(actor)), kind=NodeKind.JUDICIAL_OFFICE, is_active=True
    ).order_by("path")


def villages_for(actor: Any) -> QuerySet[Village]:
    return Village.objects.filter(office__in=offices_for(actor), is_active=True).select_related("office")


def cases_for(actor: Any) -> QuerySet[ModelVillageCase]:
    return ModelVillageCase.objects.filter(scoping.paths_q(paths_for(actor), "office__")).select_related(
        "village", "office"
    )


def opinions_for(actor: Any) -> QuerySet[LegalOpinion]:
    return LegalOpinion.objects.filter(scoping.paths_q(paths_for(actor), "office__")).select_related(
        "office", "given_by"
    )


def safety_for(actor: Any) -> QuerySet[SafetyActivity]:
    return SafetyActivity.objects.filter(scoping.paths_q(paths_for(actor), "office__")).select_related(
        "office"
    )


def _get(queryset: QuerySet[Any], pk: Any) -> Any:
    try:
        return queryset.get(pk=int(pk))
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(NOT_FOUND) from exc


def get_case_for(actor: Any, pk: Any) -> ModelVillageCase:
    return _get(cases_for(actor), pk)


def get_opinion_for(actor: Any, pk: Any) -> LegalOpinion:
    return _get(opinions_for(actor), pk)


def can_record_at(actor: Any, office: OrgNode) -> bool:
    return office.kind == NodeKind.JUDICIAL_OFFICE and scoping.holds_at(actor, office, *RECORD_ROLES)


def can_decide(actor: Any, case: ModelVillageCase) -> bool:
    """Who names (and reviews) a village: a district admin above it for 区级, the city bureau above that."""
    roles = MANAGE_ROLES if case.level == "district" else CITY_ROLES
    return scoping.holds_at(actor, case.office, *roles)
