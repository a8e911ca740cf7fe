"""The benchmark's city generator (bench/city.py) makes a consistent city: the real tree grown to 3,500
platforms, every matter with its visit, citizen, gapless number and events that replay to its state.

Runs on SQLite (rows by executemany) and PostgreSQL (rows by COPY) alike, with a small city (2,000 matters).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from typing import Any

import pytest
from django.utils import timezone

from bench import city
from lawdesk.accounts.models import RoleAssignment
from lawdesk.matters.events import EVENTS, check_move
from lawdesk.matters.models import LedgerCounter, Matter, MatterEvent, Visit
from lawdesk.matters.numbering import KIND_LEDGERS, VISIT_LEDGER
from lawdesk.orgs.models import OrgNode
from lawdesk.orgs.rules import PLATFORM_KINDS, check_name, check_parent
from lawdesk.people.models import Person, VulnerableGroup

pytestmark = pytest.mark.django_db

MATTERS = 2000
END = datetime.date(2026, 10, 31)


@pytest.fixture
def generated() -> city.CityResult:
    return city.generate_with_django(matters=MATTERS, seed=7, end=END, years=1.0)


def test_the_tree_is_the_real_city_grown_to_3500_platforms(generated: city.CityResult) -> None:
    nodes = {n.pk: n for n in OrgNode.objects.all()}
    platforms = [n for n in nodes.values() if n.kind in PLATFORM_KINDS]
    assert len(platforms) == city.TARGET_PLATFORMS
    assert len(nodes) == generated.counts["orgs_orgnode"]
    assert OrgNode.objects.filter(kind="district_bureau").count() == 13
    assert OrgNode.objects.filter(kind="service_centre").count() == 13
    # Real names kept: the demo's streets and villages are there, under their districts.
    yanta = OrgNode.objects.get(kind="district_bureau", region_code="610113")
    assert OrgNode.objects.filter(name="小寨路街道公共法律服务站", path__startswith=yanta.path).exists()
    for node in nodes.values():
        parent = nodes.get(node.parent_id) if node.parent_id else None
        assert node.path == (parent.path if parent else "") + f"{node.pk:09d}/"
        assert node.depth == (parent.depth + 1 if parent else 0)
        assert check_name(node.kind, node.name) is None, node.name
        assert check_parent(node.kind, parent.kind if parent else None) is None
    # One window clerk per platform.
    assert RoleAssignment.objects.filter(role="window_clerk", node__kind__in=PLATFORM_KINDS).count() == len(
        platforms
    )


def test_every_matter_has_its_visit_citizen_and_gapless_numbers_matching_the_counters(
    generated: city.CityResult,
) -> None:
    assert Matter.objects.count() == MATTERS == generated.counts["matters_matter"]
    assert Visit.objects.count() == generated.counts["matters_visit"]
    assert Person.objects.count() == generated.counts["people_person"]
    assert Visit.objects.count() < MATTERS  # some visits bring two or three matters
    first = timezone.make_aware(datetime.datetime.combine(generated.start, datetime.time.min))
    after = timezone.make_aware(
        datetime.datetime.combine(END + datetime.timedelta(days=1), datetime.time.min)
    )
    assert not Visit.objects.exclude(received_at__gte=first, received_at__lt=after).exists()
    for matter in Matter.objects.select_related("visit")[:200]:
        assert matter.node_id == matter.visit.node_id
        assert matter.created_at == matter.visit.received_at
    # Phones and ID numbers go through the model's fields (encrypted at rest where the model says so).
    person = Person.objects.exclude(phone_bidx="").first()
    assert person is not None and person.phone.startswith("1") and len(person.phone) == 11
    # some citizens are in vulnerable groups, valid ones, and each visit records its citizen's groups
    grouped = Visit.objects.exclude(vulnerable_groups="")
    assert 0.1 < grouped.count() / Visit.objects.count() < 0.3
    assert len({g for v in grouped for g in v.vulnerable_groups.split(",") if g}) >= 5  # spread over groups
    for visit in grouped.select_related("person")[:200]:
        assert visit.vulnerable_groups == visit.person.vulnerable_groups
        assert visit.person.groups and set(visit.person.groups) <= set(VulnerableGroup.values)

    # Visit and ledger numbers: gapless per platform and year, in the order received, matching the counters.
    visits: dict[tuple[int, int], list[tuple[Any, int]]] = defaultdict(list)
    for node_id, year, seq, received in Visit.objects.values_list("node_id", "year", "seq", "received_at"):
        assert timezone.localtime(received).year == year
        visits[(node_id, year)].append((received, seq))
    counters = {
        (c.node_id, c.ledger, c.year): c.last for c in LedgerCounter.objects.all()
    }  # fmt: skip
    for (node_id, year), rows in visits.items():
        rows.sort()
        assert [seq for _, seq in rows] == list(range(1, len(rows) + 1))  # in the order received
        assert counters[(node_id, VISIT_LEDGER, year)] == len(rows)
    numbered: dict[tuple[int, str, int], list[int]] = defaultdict(list)
    for matter_node, kind, ledger_year, ledger_seq in Matter.objects.values_list(
        "node_id", "kind", "ledger_year", "ledger_seq"
    ):
        if kind in KIND_LEDGERS:
            assert ledger_year is not None and ledger_seq is not None
            numbered[(matter_node, KIND_LEDGERS[kind], ledger_year)].append(ledger_seq)
        else:
            assert ledger_seq is None
    for key, seqs in numbered.items():
        assert sorted(seqs) == list(range(1, len(seqs) + 1))
        assert counters[key] == len(seqs)
    assert len(counters) == len(visits) + len(numbered)


def test_events_replay_through_the_registry_to_each_matters_state_and_the_sequences_move_on(
    generated: city.CityResult,
) -> None:
    assert {code: state for code, state in city.TO_STATE.items()} == {
        code: EVENTS[code].to_state for code in city.TO_STATE
    }
    assert MatterEvent.objects.count() == generated.counts["matters_matterevent"] > 3 * MATTERS
    events: dict[int, list[MatterEvent]] = defaultdict(list)
    for event in MatterEvent.objects.order_by("created_at", "id"):
        events[event.matter_id].append(event)
    reports: Counter[str] = Counter()
    for matter in Matter.objects.all():
        timeline = events[matter.pk]
        assert timeline[0].code == "received"
        assert timeline[0].created_at == matter.created_at
        state = "received"
        for event in timeline[1:]:
            assert check_move(event.code, state) is None, (matter.pk, event.code, state)
            spec = EVENTS[event.code]
            if spec.to_state:
                assert event.from_state == state
                state = spec.to_state
            reports[spec.report] += 1
            # Institutions act without a node; the platform's clerk acts at the platform.
            assert (event.node_id is None) == (event.institution_id is not None)
            if event.institution_id is not None:
                assert event.institution_id == matter.institution_id
        assert state == matter.state
        for codes, stamp in (
            ({"transferred"}, "transferred_at"),
            ({"accepted"}, "accepted_at"),
            ({"closed", "appointment_closed"}, "closed_at"),
        ):
            moments = [e.created_at for e in timeline if e.code in codes]
            assert getattr(matter, stamp) == (moments[0] if moments else None), (matter.pk, stamp)
    # Every report counter of the main loop gets events; matters still open at the end exist too.
    for report in ("answered_on_spot", "transferred", "accepted", "outcome", "told", "closed"):
        assert reports[report] > 0
    assert Matter.objects.exclude(state="closed").exists()


def test_sequences_move_past_the_generated_rows_and_a_second_city_is_refused(
    generated: city.CityResult,
) -> None:
    last = Matter.objects.order_by("-pk").values_list("pk", flat=True).first()
    assert last is not None
    visit = Visit.objects.first()
    assert visit is not None
    extra = Matter.objects.create(
        visit=visit, node=visit.node, kind="consultation", summary="测试", owner=visit.received_by
    )
    assert extra.pk > last
    with pytest.raises(RuntimeError):
        city.generate_with_django(matters=10)
