"""Deadline rules per node, kind and stage: the most specific wins, and the services use them."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from lawdesk.matters import deadlines, services
from lawdesk.matters.models import MatterKind, ServiceType
from lawdesk.orgs.models import OrgNode
from lawdesk.workcal import workdays
from lawdesk.workcal.models import DeadlineRule
from tests.conftest import Personas, Tree, client_for

D = datetime.date
LEGAL_AID = MatterKind.LEGAL_AID
DISPUTE = MatterKind.DISPUTE
pytestmark = pytest.mark.django_db


def rule(stage: str, days: int, *, node: OrgNode | None = None, kind: str = "") -> DeadlineRule:
    return DeadlineRule.objects.create(stage=stage, working_days=days, node=node, kind=kind)


def days(tree: Tree, kind: str = LEGAL_AID, stage: str = "accept", node: OrgNode | None = None) -> int:
    return deadlines.stage_days(node=node or tree.station_a, kind=kind, stage=stage)


def test_without_rules_the_defaults_apply(tree: Tree) -> None:
    assert [days(tree, stage=s) for s in deadlines.STAGES] == [3, 15, 2]
    with pytest.raises(ValueError):
        days(tree, stage="lunch")


def test_the_most_specific_rule_wins(tree: Tree) -> None:
    rule("accept", 5)  # city-wide default
    assert days(tree) == 5
    rule("accept", 4, kind=LEGAL_AID)  # kind only beats the default
    assert (days(tree), days(tree, DISPUTE)) == (4, 5)
    rule("accept", 6, node=tree.district)  # node only beats kind only
    assert (days(tree), days(tree, DISPUTE)) == (6, 6)
    rule("accept", 7, node=tree.city, kind=LEGAL_AID)  # node and kind beats node only, even higher up
    assert (days(tree), days(tree, DISPUTE)) == (7, 6)
    rule("accept", 8, node=tree.office, kind=LEGAL_AID)  # the nearer node wins within its tier
    rule("accept", 2, node=tree.station_a)
    assert (days(tree), days(tree, DISPUTE)) == (8, 2)
    assert days(tree, stage="outcome") == 15  # other stages untouched


def test_a_siblings_or_cousins_rule_does_not_apply(tree: Tree) -> None:
    rule("accept", 9, node=tree.station_b)
    rule("accept", 10, node=tree.other_district, kind=LEGAL_AID)
    assert days(tree) == 3
    assert days(tree, node=tree.station_b) == 9
    assert days(tree, node=tree.station_d) == 10


def test_a_rule_is_unique_per_node_kind_and_stage(tree: Tree) -> None:
    rule("outcome", 10)
    with pytest.raises(ValidationError) as exc:
        DeadlineRule(stage="outcome", working_days=12).full_clean()
    assert "全市期限规则" in str(exc.value)
    rule("outcome", 10, node=tree.district)
    with pytest.raises(ValidationError):
        DeadlineRule(stage="outcome", working_days=12, node=tree.district).full_clean()
    with transaction.atomic(), pytest.raises(IntegrityError):
        rule("outcome", 12, node=tree.district)
    with pytest.raises(ValidationError):
        DeadlineRule(stage="outcome", working_days=0, node=tree.office).full_clean()


def test_stage_due_counts_working_days_of_the_rule(tree: Tree) -> None:
    rule("accept", 3, node=tree.district, kind=LEGAL_AID)
    due = deadlines.stage_due(node=tree.station_a, kind=LEGAL_AID, stage="accept", start=D(2026, 9, 29))
    assert due == D(2026, 10, 9)  # 30 September, then the National Day week, then 8 and 9 October


def test_the_services_set_the_deadline_from_the_rules(personas: Personas, tree: Tree) -> None:
    rule("accept", 4, node=tree.office, kind=MatterKind.SERVICE_TRANSFER)
    rule("outcome", 20, kind=MatterKind.SERVICE_TRANSFER)
    visit = services.visit_register(
        actor=personas.clerk_a,
        node=tree.station_a,
        person_data=services.PersonInput(name="王五"),
        matters=[
            services.MatterInput(
                kind=MatterKind.SERVICE_TRANSFER,
                summary="需要律师代写起诉状",
                service_type=ServiceType.LAWYER,
            )
        ],
    )
    matter = visit.matters.get()
    today = timezone.localdate()
    matter = services.matter_transfer(actor=personas.clerk_a, matter=matter, institution=tree.law_firm)
    assert matter.accept_due == workdays.add_working_days(today, 4)
    matter = services.matter_accept(actor=personas.handler, matter=matter)
    assert matter.outcome_due == workdays.add_working_days(today, 20)


def test_rules_are_kept_in_the_admin_and_audited(personas: Personas, tree: Tree) -> None:
    client = client_for(personas.system_admin)
    response = client.post(
        "/admin/workcal/deadlinerule/add/",
        {"node": tree.district.pk, "kind": LEGAL_AID, "stage": "accept", "working_days": "5"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert days(tree) == 5
    from lawdesk.core.models import AuditLog

    assert AuditLog.objects.filter(action="deadlinerule.create").exists()
    assert (
        "雁塔区司法局·法律援助申请·承接：5个工作日"
        in client.get("/admin/workcal/deadlinerule/").content.decode()
    )
