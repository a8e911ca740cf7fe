"""Issue 16, case 6: a complaint's subject must not learn of it from a figure or a ledger number.

The clerk a complaint was about saw 投诉受理 3 on the station's monthly report (page and API) while the drill-down
listed 2, and ledger 6's numbers showed a gap. Now a complaint about a worker who can see the receiving platform
is registered at the nearest node above out of the worker's reach (``complaints.rules.register_node``): a
station clerk's at the judicial office, the office staff's at the district bureau. There it is counted, drilled
down to and numbered in ledger 6, so the subject's figures equal their drill-downs and their ledger numbers run
without a gap, while the office above counts and lists it.
"""

from __future__ import annotations

import io
import re
from typing import Any

import openpyxl
import pytest
from django.urls import reverse

from lawdesk.accounts.models import Role, User
from lawdesk.complaints import services
from lawdesk.matters.models import Matter, MatterKind
from lawdesk.orgs.models import OrgNode
from lawdesk.stats.fill import fill_counts
from lawdesk.stats.selectors import drill_down, monthly_report
from tests.conftest import Personas, Tree, client_for, make_user

YEAR, MONTH = 2026, 12  # the pinned clock's month


@pytest.fixture
def colleague(tree: Tree) -> User:
    """A second window clerk of station A, who records the complaints about clerk A."""
    return make_user("clerk_a2", Role.WINDOW_CLERK, tree.station_a)


@pytest.fixture
def complaints(tree: Tree, personas: Personas, colleague: User) -> dict[str, list[Matter]]:
    """Received at station A: two about others, two about clerk A, one about the judicial office's staff."""

    def record(actor: User, **subject: Any) -> Matter:
        detail = services.complaint_record(
            actor=actor, node=tree.station_a, statement="态度恶劣", contact_name="陈磊", **subject
        )
        return Matter.objects.select_related("node").get(pk=detail.matter_id)

    out = {
        "others": [
            record(personas.clerk_a, subject_user=personas.handler, subject_unit=tree.law_firm.name),
            record(personas.clerk_a, subject_name="某律师"),
        ],
        "clerk_a": [
            record(colleague, subject_user=personas.clerk_a),
            record(colleague, subject_user=personas.clerk_a),
        ],
        "office_staff": [record(personas.clerk_a, subject_user=personas.office_staff)],
    }
    fill_counts()
    return out


def _figure(actor: User, node: OrgNode, code: str) -> int:
    return monthly_report(actor=actor, node=node, year=YEAR, month=MONTH).figures[code]


def _drilled(actor: User, node: OrgNode, code: str) -> set[int]:
    _item, qs = drill_down(actor=actor, node=node, indicator=code, year=YEAR, month=MONTH)
    return set(qs.values_list("pk", flat=True))


def _api_figure(actor: User, node: OrgNode, code: str) -> Any:
    params: dict[str, str | int] = {"node": node.pk, "month": f"{YEAR}-{MONTH}"}
    response = client_for(actor).get("/api/v1/reports/monthly/", params)
    assert response.status_code == 200, response.content.decode()
    rows = [row for group in response.json()["groups"] for row in group["rows"]]
    return next(row["value"] for row in rows if row["code"] == code)


def _page_figure(actor: User, node: OrgNode, code: str) -> int:
    response = client_for(actor).get(reverse("stats:report", args=[node.pk, f"{YEAR}-{MONTH}"]))
    assert response.status_code == 200
    return int(response.context["r"].figures[code])


def _page_drill_count(actor: User, node: OrgNode, code: str) -> int:
    response = client_for(actor).get(reverse("stats:drill", args=[node.pk, f"{YEAR}-{MONTH}", code]))
    assert response.status_code == 200
    return int(response.context["count"])


def _ledger6_seqs(actor: User, node: OrgNode, of: OrgNode) -> list[int]:
    """The ledger-6 numbers of ``of``'s own series, as ``actor`` reads node's ledger 6 (the Excel export)."""
    response = client_for(actor).get(f"/desk/ledgers/6.xlsx?node={node.pk}")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    numbers = [str(row[0]) for row in sheet.iter_rows(values_only=True) if row and row[0]]
    pattern = re.compile(rf"^{re.escape(of.name)}〔{YEAR}〕.*第(\d{{4}})号$")
    return sorted(int(m.group(1)) for n in numbers if (m := pattern.match(n)))


def test_the_subjects_figures_equal_their_drill_downs_on_the_page_and_the_api(
    tree: Tree, personas: Personas, colleague: User, complaints: dict[str, list[Matter]]
) -> None:
    others = {m.pk for m in complaints["others"]}
    for subject in (personas.clerk_a, colleague):
        for code in ("complaints", "matters", "visits"):
            figure = _figure(subject, tree.station_a, code)
            assert figure == len(_drilled(subject, tree.station_a, code)), (subject, code)
            assert (
                figure
                == _api_figure(subject, tree.station_a, code)
                == _page_figure(subject, tree.station_a, code)
            )
            assert figure == _page_drill_count(subject, tree.station_a, code)
        assert _figure(subject, tree.station_a, "complaints") == 2
        assert _drilled(subject, tree.station_a, "complaints") == others


def test_the_office_above_counts_and_lists_them(
    tree: Tree, personas: Personas, complaints: dict[str, list[Matter]]
) -> None:
    about_clerk = complaints["clerk_a"]
    assert all(m.node == tree.office for m in about_clerk)
    assert all(m.complaint.received_node == tree.station_a for m in about_clerk)
    staff = personas.office_staff
    office = _drilled(staff, tree.office, "complaints")
    assert {m.pk for m in about_clerk} <= office
    assert len(office) == _figure(staff, tree.office, "complaints") == 4
    assert (
        _api_figure(staff, tree.office, "complaints") == _page_figure(staff, tree.office, "complaints") == 4
    )
    # The complaint about the office's staff is the district's, out of the office's sight.
    (about_staff,) = complaints["office_staff"]
    assert about_staff.node == tree.district and about_staff.pk not in office
    district = personas.district_admin
    assert (
        _figure(district, tree.district, "complaints")
        == len(_drilled(district, tree.district, "complaints"))
        == 5
    )


def test_ledger_6_numbers_run_without_a_gap_for_the_station_and_the_office(
    tree: Tree, personas: Personas, colleague: User, complaints: dict[str, list[Matter]]
) -> None:
    for subject in (personas.clerk_a, colleague):
        assert _ledger6_seqs(subject, tree.station_a, tree.station_a) == [1, 2]
    assert _ledger6_seqs(personas.office_staff, tree.office, tree.station_a) == [1, 2]
    assert _ledger6_seqs(personas.office_staff, tree.office, tree.office) == [1, 2]
    assert _ledger6_seqs(personas.district_admin, tree.district, tree.district) == [1]
    # The visit ledger (1) follows: the complaint visits about clerk A are the office's.
    assert {m.visit.node_id for m in complaints["clerk_a"]} == {tree.office.pk}


def test_where_a_complaint_is_registered(tree: Tree, personas: Personas) -> None:
    from lawdesk.complaints.rules import register_node

    assert register_node(tree.station_a, None) == tree.station_a
    assert register_node(tree.station_a, personas.handler) == tree.station_a  # an institution's handler
    assert register_node(tree.station_a, personas.clerk_b) == tree.station_a  # a sibling station's clerk
    assert register_node(tree.station_a, personas.clerk_a) == tree.office
    assert register_node(tree.station_a, personas.office_staff) == tree.district
    assert register_node(tree.station_a, personas.city_admin) == tree.city  # nowhere above: the top
    assert Matter.objects.filter(kind=MatterKind.COMPLAINT).count() == 0


def test_the_recording_clerk_is_told_where_it_went(tree: Tree, personas: Personas, colleague: User) -> None:
    """The page records it (through the same service) and, the complaint being out of the clerk's reach now,
    returns to the register with a message naming the office that registers it."""
    client = client_for(colleague)
    response = client.post(
        reverse("complaints:new"),
        {
            "node": tree.station_a.pk,
            "channel": "on_site",
            "contact_name": "陈磊",
            "subject_user": personas.clerk_a.pk,
            "statement": "态度恶劣",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "由“小寨路街道司法所”登记办理" in response.content.decode()
    matter = Matter.objects.get(kind=MatterKind.COMPLAINT)
    assert matter.node == tree.office and (matter.ledger_seq, matter.visit.seq) == (1, 1)
