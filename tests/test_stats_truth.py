"""The truth test: random records across several platforms and months, made with the real intake and closing
services (the domains' detail rows directly), then the counts filled; for randomly chosen node-months every
figure recomputed straight from the records equals the monthly report, the roll-up at the office, district and
city, and the dashboard. Seeded, so a failure is reproducible."""

from __future__ import annotations

import datetime
import random
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from lawdesk.accounts.models import Role
from lawdesk.legalaid.models import Decision, LegalAidApplication, ReviewOpinion
from lawdesk.matters import services as loop
from lawdesk.matters.models import Channel, LegalField, Matter, MatterEvent, MatterKind, ServiceType, Visit
from lawdesk.mediation.models import DisputeDetail, DisputeType, MediationOutcome, MediationResult
from lawdesk.orgs.models import OrgNode
from lawdesk.outreach.models import PublicityEvent
from lawdesk.people.models import VulnerableGroup
from lawdesk.stats import indicators as registry
from lawdesk.stats.fill import fill_counts, rebuild_counts
from lawdesk.stats.selectors import Month, dashboard_data, monthly_report, rollup
from tests.conftest import make_user

SEED = 20261126
MONTHS = [Month(2026, 8), Month(2026, 9), Month(2026, 10)]
UNTIL = datetime.date(2026, 11, 25)
TZ = datetime.timezone(datetime.timedelta(hours=8))


def _moment(rng: random.Random, month: Month) -> datetime.datetime:
    # Include the hours around midnight, where a UTC day and a Beijing day differ.
    day = rng.randint(1, (month.end - month.start).days)
    hour = rng.choice([0, 1, 7, 9, 15, 23])
    return datetime.datetime(month.year, month.month, day, hour, rng.randint(0, 59), tzinfo=TZ)


def _backdate(matter: Matter, when: datetime.datetime) -> None:
    Matter.objects.filter(pk=matter.pk).update(created_at=when)
    MatterEvent.objects.filter(matter=matter).update(created_at=when)


def build_records(tree: Any, rng: random.Random, visits_per_platform: int = 14) -> None:
    platforms = [tree.station_a, tree.station_b, tree.station_c, tree.centre, tree.station_d]
    clerks = {p.pk: make_user(f"truth_clerk_{p.pk}", Role.WINDOW_CLERK, p) for p in platforms}
    kinds = [MatterKind.CONSULTATION, MatterKind.CONSULTATION, MatterKind.DISPUTE, MatterKind.LEGAL_AID,
             MatterKind.COMPLAINT, MatterKind.SERVICE_TRANSFER]  # fmt: skip
    for platform in platforms:
        clerk = clerks[platform.pk]
        for i in range(visits_per_platform):
            month = rng.choice(MONTHS)
            when = _moment(rng, month)
            groups = rng.sample(list(VulnerableGroup.values), rng.choice([0, 0, 1, 2]))
            items = []
            for _ in range(rng.choice([1, 1, 2])):
                kind = rng.choice(kinds)
                items.append(
                    loop.MatterInput(
                        kind=kind,
                        summary=f"事项{i}",
                        legal_field=rng.choice(["", *LegalField.values])
                        if kind == MatterKind.CONSULTATION
                        else "",
                        service_type=rng.choice(ServiceType.values)
                        if kind == MatterKind.SERVICE_TRANSFER
                        else "",
                        answer="当场解答" if kind == MatterKind.CONSULTATION and rng.random() < 0.6 else "",
                    )
                )
            visit = loop.visit_register(
                actor=clerk,
                node=platform,
                person_data=loop.PersonInput(name=f"群众{platform.pk}_{i}", groups=groups),
                matters=items,
                channel=rng.choice(Channel.values),
                received_at=when,
            )
            for matter in visit.matters.all():
                _backdate(matter, when)
                if matter.state == "answered" and rng.random() < 0.7:
                    loop.matter_close(actor=clerk, matter=matter, rating=rng.choice([None, 1, 3, 4, 5, 5]))
                    closed = when + datetime.timedelta(days=rng.choice([0, 3, 20, 40]))
                    Matter.objects.filter(pk=matter.pk).update(closed_at=closed)
                    MatterEvent.objects.filter(matter=matter, code="closed").update(created_at=closed)
                    matter.refresh_from_db()
                if matter.state != "closed" and rng.random() < 0.2:
                    event = loop.record_step(matter=matter, code="escalated", actor=None)
                    MatterEvent.objects.filter(pk=event.pk).update(
                        created_at=when + datetime.timedelta(days=5)
                    )
                    if rng.random() < 0.5:  # escalated again: still one overdue matter
                        event = loop.record_step(matter=matter, code="escalated", actor=None)
                        MatterEvent.objects.filter(pk=event.pk).update(
                            created_at=when + datetime.timedelta(days=9)
                        )
                day = timezone.localtime(when).date()
                if matter.kind == MatterKind.LEGAL_AID:
                    reviewed = rng.random() < 0.7
                    decided = reviewed and rng.random() < 0.6
                    LegalAidApplication.objects.create(
                        matter=matter,
                        applied_on=day,
                        case_facts="案情",
                        recorded_by=clerk,
                        review_opinion=rng.choice(ReviewOpinion.values) if reviewed else "",
                        reviewed_on=day + datetime.timedelta(days=2) if reviewed else None,
                        decision=rng.choice(Decision.values) if decided else "",
                        decided_on=day + datetime.timedelta(days=rng.choice([3, 30])) if decided else None,
                    )
                if matter.kind == MatterKind.DISPUTE:
                    DisputeDetail.objects.create(
                        matter=matter,
                        dispute_type=rng.choice(DisputeType.values),
                        amount=Decimal(rng.randint(0, 500000)) / 100,
                        place=platform,
                        recorded_by=clerk,
                    )
                    if rng.random() < 0.6:
                        result = rng.choice(MediationOutcome.values)
                        MediationResult.objects.create(
                            matter=matter,
                            result=result,
                            agreed_amount=Decimal(rng.randint(1, 9999))
                            if result == MediationOutcome.SUCCESS
                            else None,
                            recorded_by=clerk,
                            recorded_at=when + datetime.timedelta(days=rng.choice([1, 12, 35])),
                        )
    for district in (tree.district, tree.other_district):
        for _ in range(3):
            PublicityEvent.objects.create(
                node=district,
                district=district,
                date=timezone.localtime(_moment(rng, rng.choice(MONTHS))).date(),
                place="广场",
                theme="宪法宣传",
                organiser="司法局",
                audience_count=rng.randint(10, 300),
                materials_count=rng.randint(0, 500),
                recorded_by=clerks[tree.centre.pk],
            )
    _adviser_records(tree, rng)


def _adviser_records(tree: Any, rng: random.Random) -> None:
    """Legal advisers' service records in villages of three offices, some returned (those are not counted)."""
    from lawdesk.advisers.models import AdviserContract, RecordStatus, ServiceKind, ServiceRecord
    from lawdesk.orgs.models import Village

    for index, office in enumerate((tree.office, tree.office2, tree.other_office)):
        adviser = make_user(f"truth_adviser_{index}", Role.LEGAL_ADVISER, office)
        village = Village.objects.create(
            office=office, name=f"真值村{index}", region_code=f"{office.region_code[:9]}201"
        )
        contract = AdviserContract.objects.create(
            village=village, adviser=adviser, institution=tree.law_firm, created_by=adviser,
            start=MONTHS[0].start, end=UNTIL, signed=MONTHS[0].start,
        )  # fmt: skip
        for _ in range(6):
            ServiceRecord.objects.create(
                contract=contract, village=village, adviser=adviser,
                date=timezone.localtime(_moment(rng, rng.choice(MONTHS))).date(),
                kind=rng.choice(ServiceKind.values), hours=Decimal(rng.randint(1, 16)) / 2,
                people_served=rng.randint(0, 40), description="服务",
                status=rng.choice([RecordStatus.PENDING, RecordStatus.APPROVED, RecordStatus.RETURNED]),
            )  # fmt: skip


def raw_figure(item: Any, node: OrgNode, month: Month) -> int:
    """A figure straight from the records: the indicator's rows in the subtree and month, aggregated once."""
    return item.total(node.path, month.start, month.end)


def python_counts(node: OrgNode, month: Month) -> Counter[str]:
    """An independent recount of the core figures in Python, from the rows themselves."""
    counts: Counter[str] = Counter()
    inside = [n.pk for n in OrgNode.objects.filter(path__startswith=node.path)]
    for visit in Visit.objects.filter(node__in=inside):
        if Month.of(timezone.localtime(visit.received_at).date()) != month:
            continue
        counts["visits"] += 1
        counts[f"visits_{visit.channel}"] += 1
        groups = [g for g in visit.vulnerable_groups.split(",") if g]  # as recorded at the visit
        if groups:
            counts["vulnerable_visits"] += 1
        for group in groups:
            counts[f"vulnerable_{group}"] += 1
    for matter in Matter.objects.filter(node__in=inside):
        if Month.of(timezone.localtime(matter.created_at).date()) == month:
            counts["matters"] += 1
            counts[f"matters_{matter.kind}"] += 1
        if (
            matter.closed_at
            and matter.rating
            and Month.of(timezone.localtime(matter.closed_at).date()) == month
        ):
            counts["rated"] += 1
            counts["satisfied"] += matter.rating >= 4
        first = matter.events.filter(code="escalated").order_by("created_at", "pk").first()
        if first and Month.of(timezone.localtime(first.created_at).date()) == month:
            counts["overdue_matters"] += 1
    return counts


@pytest.mark.django_db
def test_every_figure_of_random_node_months_equals_the_records(tree: Any, personas: Any) -> None:
    rng = random.Random(SEED)
    build_records(tree, rng)
    fill_counts(until=UNTIL)
    city_admin = personas.city_admin
    stored = registry.stored()
    candidates = [tree.station_a, tree.station_b, tree.station_c, tree.centre, tree.station_d,
                  tree.office, tree.office2, tree.district, tree.other_district, tree.city]  # fmt: skip
    nonzero = 0
    for node, month in rng.sample([(n, m) for n in candidates for m in MONTHS], 12):
        report = monthly_report(actor=city_admin, node=node, year=month.year, month=month.month)
        truth = {item.code: raw_figure(item, node, month) for item in stored}
        assert report.figures == truth, f"{node.name} {month.label}"
        nonzero += sum(1 for v in truth.values() if v)
        # an independent recount in Python agrees on the core figures
        for code, value in python_counts(node, month).items():
            assert truth[code] == value, f"{node.name} {month.label} {code}"
        # the roll-up: each ancestor's figure is the sum over its children plus its own records, and the truth
        for ancestor in OrgNode.objects.filter(path__in=node.ancestor_paths()).exclude(pk=node.pk):
            up = monthly_report(actor=city_admin, node=ancestor, year=month.year, month=month.month)
            for item in stored:
                assert up.figures[item.code] == raw_figure(item, ancestor, month), (
                    f"{ancestor.name} {item.code}"
                )
            children = rollup(actor=city_admin, node=ancestor, year=month.year, month=month.month)
            for item in stored:
                below = sum(c.figures[item.code] for c in children)
                own = (
                    item.records(month.start, month.end)
                    .filter(**{f"{item.source.node_field}": ancestor})
                    .count()
                )
                if item.sum_field is None:
                    assert up.figures[item.code] == below + own, f"{ancestor.name} {item.code}"
        # the dashboard: this month's totals and the month in the trend
        dash = dashboard_data(actor=city_admin, node=node, year=month.year, month=month.month, months=3)
        for code, value in dash["totals"].items():
            assert value == truth[code]
        for line in dash["trend"]:
            assert line["data"][-1] == truth[line["code"]]
        assert sum(p["value"] for p in dash["by_channel"]) == truth["visits"]
        assert sum(p["value"] for p in dash["by_kind"]) == truth["matters"]
    assert nonzero > 50, "the random records should give many non-zero figures"


@pytest.mark.django_db
def test_breakdowns_add_up_to_their_totals(tree: Any, personas: Any) -> None:
    rng = random.Random(SEED + 1)
    build_records(tree, rng, visits_per_platform=8)
    fill_counts(until=UNTIL)
    for month in MONTHS:
        figs = monthly_report(
            actor=personas.city_admin, node=tree.city, year=month.year, month=month.month
        ).figures
        for total in ("visits", "matters", "consultations", "service_transfers", "mediation_results"):
            parts = [i.code for i in registry.stored() if i.part_of == total]
            assert parts and sum(figs[p] for p in parts) == figs[total], total


@pytest.mark.django_db
def test_incremental_fill_and_rebuild_give_the_same_counts(tree: Any, personas: Any) -> None:
    rng = random.Random(SEED + 2)
    build_records(tree, rng, visits_per_platform=6)
    fill_counts(until=UNTIL)
    # a record entered later for an earlier month (backdated) is picked up by the next incremental fill
    clerk = make_user("late_clerk", Role.WINDOW_CLERK, tree.station_a)
    late = datetime.datetime(2026, 8, 3, 10, 0, tzinfo=TZ)
    before = monthly_report(actor=personas.city_admin, node=tree.city, year=2026, month=8).figures["visits"]
    loop.visit_register(
        actor=clerk,
        node=tree.station_a,
        person_data=loop.PersonInput(name="补录"),
        matters=[loop.MatterInput(kind=MatterKind.CONSULTATION, summary="补录")],
        received_at=late,
    )
    fill_counts(until=UNTIL)
    incremental = {
        m: monthly_report(actor=personas.city_admin, node=tree.city, year=m.year, month=m.month).figures
        for m in MONTHS
    }
    assert incremental[MONTHS[0]]["visits"] == before + 1
    rebuild_counts(until=UNTIL)
    for m in MONTHS:
        assert (
            monthly_report(actor=personas.city_admin, node=tree.city, year=m.year, month=m.month).figures
            == (incremental[m])
        )
