"""Pages that sat near 10× /healthz (issue 21, bench/page_cost.py, branch near10b): each reads what it shows
once. The mediation pages read a dispute's details once for the page and its panel, and the route page reads the
committees serving the place in one query and the other committees only when it shows the form."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import connection
from django.forms.models import ModelChoiceIterator
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lawdesk.complaints.forms import ComplaintForm, intake_nodes
from lawdesk.institutions.models import Institution, InstitutionKind
from lawdesk.leaderwindow import selectors
from lawdesk.leaderwindow import services as leader_window
from lawdesk.leaderwindow.views import _cells_html
from lawdesk.mediation import routing
from lawdesk.outreach import selectors as outreach_selectors
from lawdesk.staff import selectors as staff_selectors
from lawdesk.staff.forms import RoleGrantForm, StaffUpdateForm, UnitChoice
from lawdesk.workcal import workdays
from tests.conftest import Personas, Tree, client_for
from tests.test_leaderwindow import NATIONAL_DAY_WEEK, TODAY, D, _local, _past_draw
from tests.test_mediation import accepted, new_dispute, record
from tests.test_outreach import team as outreach_team
from tests.test_outreach import village as outreach_village

pytestmark = pytest.mark.django_db


def _queries(client: object, address: str) -> list[str]:
    client.get(address)  # type: ignore[attr-defined]
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)  # type: ignore[attr-defined]
    assert response.status_code == 200, (address, response.status_code)
    return [q["sql"] for q in captured.captured_queries]


def _reading(sqls: list[str], table: str) -> int:
    return sum(sql.lstrip().startswith("SELECT") and f'FROM "{table}"' in sql for sql in sqls)


def test_mediation_route_page_reads_the_dispute_details_once_and_no_committee_list_without_the_form(
    personas: Personas, tree: Tree
) -> None:
    matter = accepted(personas, tree)  # routed and accepted: the panel, no form
    sqls = _queries(client_for(personas.clerk_a), reverse("mediation:route", args=[matter.pk]))
    assert _reading(sqls, "mediation_disputedetail") == 1
    # the committees serving the place, in one query; not the other committees, listed in the form only
    assert _reading(sqls, "institutions_institution") == 1


def test_mediation_route_form_lists_the_other_committees(personas: Personas, tree: Tree) -> None:
    other = Institution.objects.create(
        kind=InstitutionKind.MEDIATION_COMMITTEE, name="另一个人民调解委员会", home_node=tree.station_a,
        mediation_scope="place",
    )  # fmt: skip
    matter = new_dispute(personas, tree)
    record(personas, matter)
    client = client_for(personas.clerk_a)
    address = reverse("mediation:route", args=[matter.pk])
    sqls = _queries(client, address)
    assert _reading(sqls, "mediation_disputedetail") == 1
    page = client.get(address).content.decode()
    assert 'data-testid="route-form"' in page
    assert f'data-testid="committee-{other.pk}"' in page


def test_mediation_detail_page_reads_the_dispute_details_once(personas: Personas, tree: Tree) -> None:
    matter = new_dispute(personas, tree)
    record(personas, matter)
    sqls = _queries(client_for(personas.clerk_a), reverse("mediation:detail", args=[matter.pk]))
    assert _reading(sqls, "mediation_disputedetail") == 1
    assert _reading(sqls, "mediation_disputeparty") == 1


def test_committees_serving_gives_each_committee_the_depth_of_the_nearest_node_it_serves(tree: Tree) -> None:
    both = Institution.objects.create(
        kind=InstitutionKind.MEDIATION_COMMITTEE, name="两级人民调解委员会", home_node=tree.office,
        mediation_scope="place",
    )  # fmt: skip
    both.served_nodes.add(tree.office, tree.station_a)
    far = Institution.objects.create(
        kind=InstitutionKind.MEDIATION_COMMITTEE, name="区级人民调解委员会", home_node=tree.office,
        mediation_scope="place",
    )  # fmt: skip
    far.served_nodes.add(tree.office)
    serving = routing.committees_serving(tree.station_a)
    depths = {committee.pk: depth for depth, committee in serving}
    assert depths[both.pk] == tree.station_a.depth and depths[far.pk] == tree.office.depth
    assert [c.pk for _d, c in serving].count(both.pk) == 1
    assert [d for d, _c in serving] == sorted((d for d, _c in serving), reverse=True)


# --- the leader-at-window board ---------------------------------------------------------------------------

# The board's cells as its template wrote them per cell before (the reference for ``_cells_html``).
OLD_CELLS = (
    "{% for c in row %}<td data-testid=\"lw-cell-{{ c.district.pk }}-{{ c.week_start|date:'Ymd' }}\">"
    "<span class=\"chip {% if c.status == 'met' %}have{% elif c.status == 'pending' or c.status == 'exempt' %}"
    'optional{% else %}missing{% endif %}">{{ c.label }}</span>\n'
    '      {% if c.draw %}<br><small class="muted">{{ c.draw.leader }}{% if c.minutes is not None %} · '
    "{{ c.minutes }}分钟{% endif %}</small>{% endif %}</td>{% endfor %}"
)


def _board_rows(tree: Tree, personas: Personas) -> list[list[selectors.Cell]]:
    weeks = [D(2026, 11, 2), D(2026, 11, 9), D(2026, 11, 16)]
    met, short, _missed = (_past_draw(tree, personas, w) for w in weeks)
    admin = personas.district_admin
    leader_window.window_check_in(actor=admin, draw=met, at=_local(met.date, 9))
    leader_window.window_check_out(actor=admin, draw=met, at=_local(met.date, 11))
    leader_window.window_check_in(actor=admin, draw=short, at=_local(short.date, 14))
    leader_window.window_check_out(actor=admin, draw=short, at=_local(short.date, 15, 30))
    future = D(2026, 11, 30)
    leader_window.window_draw(actor=admin, district=tree.district, week_start=future, today=TODAY)
    return selectors.compliance_board(
        districts=[tree.district, tree.other_district],
        weeks=[*weeks, D(2026, 11, 23), future, NATIONAL_DAY_WEEK, D(2026, 10, 5)],
        now=_local(TODAY, 10),
    )


def test_leader_window_board_cells_are_the_html_the_template_wrote(tree: Tree, personas: Personas) -> None:
    rows = _board_rows(tree, personas)
    statuses = {c.status for row in rows for c in row}
    assert {"met", "short", "missed", "pending"} <= statuses
    assert any(c.draw is not None and c.minutes is None for row in rows for c in row)
    for row in rows:
        assert str(_cells_html(row)) == Template(OLD_CELLS).render(Context({"row": row}))


def test_leader_window_board_asks_the_holiday_package_about_a_day_once(tree: Tree) -> None:
    weeks = selectors.weeks_ending(D(2026, 11, 30), 8)  # no holiday in these weeks: a Monday answers each
    districts = [tree.district, tree.other_district]
    with mock.patch.object(
        workdays.chinese_calendar, "is_workday", wraps=workdays.chinese_calendar.is_workday
    ) as asked:
        workdays.package_workday.cache_clear()
        selectors.compliance_board(districts=districts, weeks=weeks, now=_local(TODAY, 10))
        selectors.compliance_board(districts=districts, weeks=weeks, now=_local(TODAY, 10))
    assert asked.call_count <= len(weeks)


def test_leader_window_board_page_shows_the_districts_and_cells(tree: Tree, personas: Personas) -> None:
    _board_rows(tree, personas)
    page = client_for(personas.city_admin).get("/desk/leader-window/board/?week=2026-W49").content.decode()
    assert f'data-testid="lw-row-{tree.district.pk}"' in page and "雁塔区司法局" in page
    assert f'data-testid="lw-cell-{tree.district.pk}-20261102"><span class="chip have">达标</span>' in page


# --- the poverty-area service form ------------------------------------------------------------------------


def test_service_form_reads_the_districts_once_and_lists_villages_and_teams(
    personas: Personas, tree: Tree
) -> None:
    v, t = outreach_village(personas, tree), outreach_team(personas, tree)
    client = client_for(personas.office_staff)
    sqls = _queries(client, "/desk/outreach/services/new/")
    assert _reading(sqls, "orgs_orgnode") == 1  # was an exists() and then the rows
    page = client.get("/desk/outreach/services/new/").content.decode()
    assert f'<option value="{v.pk}">{v.name}</option>' in page
    assert f'<option value="{t.pk}">{t.name}</option>' in page


def test_require_districts_keeps_its_rows(personas: Personas, tree: Tree) -> None:
    districts = outreach_selectors.require_districts(personas.office_staff)
    with CaptureQueriesContext(connection) as captured:
        assert districts.exists() and districts.count() == 1 and districts.first() == tree.district
        assert list(districts) == [tree.district]
    assert len(captured) == 0
    villages = outreach_selectors.villages_for(personas.office_staff, districts=districts)
    assert list(villages) == list(outreach_selectors.villages_for(personas.office_staff))


# --- the complaint form -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["clerk_a", "office_staff"])
def test_complaint_form_lists_its_platforms_from_the_nodes_read_once(personas: Personas, who: str) -> None:
    actor = getattr(personas, who)
    nodes = intake_nodes(actor)
    assert len(nodes) >= (2 if who == "office_staff" else 1), who
    form = ComplaintForm(actor=actor, nodes=nodes)
    with CaptureQueriesContext(connection) as captured:
        html = str(form["node"])
    assert len(captured) == 0
    django_form = ComplaintForm(actor=actor, nodes=nodes)
    field = django_form.fields["node"]
    field.iterator = ModelChoiceIterator  # type: ignore[attr-defined]
    field.widget.choices = field.choices  # type: ignore[attr-defined]
    assert html == str(django_form["node"])
    bound = ComplaintForm({"node": str(nodes[-1].pk), "statement": "态度差"}, actor=actor, nodes=nodes)
    bound.is_valid()
    assert "node" not in bound.errors and bound.cleaned_data["node"] == nodes[-1]
    assert str(bound["node"]).count(" selected") == 1


def test_complaint_form_page_reads_the_platforms_once(personas: Personas) -> None:
    sqls = _queries(client_for(personas.clerk_a), "/desk/complaints/new/")
    assert _reading(sqls, "orgs_orgnode") == 2  # the platforms the clerk may receive at, the subjects' roots


# --- a staff member's page ---------------------------------------------------------------------------------


def test_staff_page_reads_the_units_once_for_its_two_forms(personas: Personas) -> None:
    client = client_for(personas.district_admin)
    address = f"/desk/staff/{personas.clerk_a.pk}/"
    sqls = _queries(client, address)
    page = client.get(address).content.decode()
    assert 'data-testid="grant-form"' in page and 'data-testid="profile-form"' in page
    assert _reading(sqls, "orgs_orgnode") == 1  # was once per form


def test_unit_rows_give_the_options_the_units_give(personas: Personas) -> None:
    units = staff_selectors.units_for(personas.district_admin)
    rows = UnitChoice.unit_rows(units)
    assert len(rows) > 1
    for form_class in (RoleGrantForm, StaffUpdateForm):
        given = form_class(units=units, unit_rows=rows)
        with CaptureQueriesContext(connection) as captured:
            html = str(given["node"])
        assert len(captured) == 0
        assert html == str(form_class(units=units)["node"])
