"""What the coverage board and the lightbox list cost per request (issue 21, bench/page_cost.py): the same
queries whatever the number of districts, offices, villages and points; the rows still shown as before (the
lightbox rows, now written in Python, compared with the template loop they replace)."""

from __future__ import annotations

import datetime
from typing import Any

from django.template import Context, Template
from django.urls import reverse

from lawdesk.coverage import services as coverage
from lawdesk.coverage.models import LightboxPoint, LightboxState
from lawdesk.coverage.views import _lightbox_rows
from lawdesk.orgs.models import Village
from tests.conftest import Personas, Tree, client_for
from tests.test_page_cost_boards import _get
from tests.test_page_cost_rows import _villages

INSTALLED = datetime.date(2026, 1, 5)

# the loop of coverage/lightboxes.html before issue 21 (points as .values() rows with "url" and "state_label")
OLD_ROWS = """{% for p in points %}
    <tr data-testid="lightbox-{{ p.pk }}"><td>{{ p.village__office__name }}</td><td>{{ p.village__name }}</td><td><a href="{{ p.url }}">{{ p.place }}</a></td><td>{{ p.platform__name|default:"" }}</td>
      <td>{{ p.installed|date:"Y-m-d" }}</td><td>{% if p.state == 'in_use' %}{{ p.state_label }}{% else %}<strong>{{ p.state_label }}</strong>{% endif %}</td><td>{{ p.last_inspected|date:"Y-m-d"|default:"—" }}</td></tr>
  {% endfor %}"""


def _old_rows() -> str:
    states = dict(LightboxState.choices)
    points: list[Any] = list(
        LightboxPoint.objects.order_by("pk").values(
            "pk", "village__office__name", "village__name", "place", "platform__name", "installed", "state",
            "last_inspected",
        )
    )  # fmt: skip
    for p in points:
        p["url"] = reverse("coverage:lightbox", args=[p["pk"]])
        p["state_label"] = states[p["state"]]
    return Template(OLD_ROWS).render(Context({"points": points}))


def test_the_lightbox_rows_are_the_html_the_template_wrote(tree: Tree) -> None:
    villages = _villages(tree.office, 3, 0)
    for i, v in enumerate(villages):
        coverage.lightbox_create(
            actor=None, village=v, place=f'{v.name} <东门> & "广场" {i}', installed=INSTALLED
        )
    first, second, _third = LightboxPoint.objects.order_by("pk")
    LightboxPoint.objects.filter(pk=first.pk).update(last_inspected=datetime.date(2026, 3, 9))
    LightboxPoint.objects.filter(pk=second.pk).update(state=LightboxState.DAMAGED)
    new = _lightbox_rows(LightboxPoint.objects.order_by("pk"))
    assert new == _old_rows()
    assert "&lt;东门&gt; &amp; &quot;广场&quot;" in new
    assert "<strong>" in new and "2026-03-09" in new and "—" in new


def test_the_lightbox_list_costs_the_same_queries_for_the_office_and_the_district(
    tree: Tree, personas: Personas
) -> None:
    coverage.lightbox_create(
        actor=None, village=_villages(tree.office, 1, 50)[0], place="村口", installed=INSTALLED
    )
    clients = [client_for(personas.office_staff), client_for(personas.district_admin)]
    few = [_get(c, reverse("coverage:lightboxes"))[1] for c in clients]
    for v in _villages(tree.office, 5, 0) + _villages(tree.office2, 5, 10):
        coverage.lightbox_create(actor=None, village=v, place=f"{v.name}村委会", installed=INSTALLED)
    pages = [_get(c, reverse("coverage:lightboxes")) for c in clients]
    assert [n for _page, n, _r in pages] == few
    district_page = pages[1][0]
    for point in LightboxPoint.objects.select_related("village"):
        assert f'<a href="{reverse("coverage:lightbox", args=[point.pk])}">{point.place}</a>' in district_page


def _nothing_row(village: Village) -> str:
    office = village.office
    assert office.parent is not None
    return (
        f"<tr><td>{office.parent.name}</td><td>{office.name}</td><td>{village.name}</td>"
        f"<td>{village.region_code}</td>\n"
        f'    <td><a href="{reverse("coverage:lightboxes")}?village={village.pk}">登记灯箱点</a> · '
        f'<a href="{reverse("advisers:contracts")}?village={village.pk}">登记顾问合同</a></td></tr>'
    )


def test_the_board_costs_the_same_queries_whatever_the_villages_served_by_nothing(
    tree: Tree, personas: Personas
) -> None:
    _villages(tree.office, 1, 50)
    office = client_for(personas.office_staff)
    district = client_for(personas.district_admin)
    board = reverse("coverage:board")
    chosen = {"district": str(tree.district.pk)}
    few = (_get(office, board)[1], _get(district, board)[1], _get(district, board, **chosen)[1])
    added = _villages(tree.office, 4, 0) + _villages(tree.office2, 4, 10)
    (page, n_office, _), (_p, n_district, _), (chosen_page, n_chosen, _) = (
        _get(office, board),
        _get(district, board),
        _get(district, board, **chosen),
    )
    assert (n_office, n_district, n_chosen) == few
    for v in added:
        assert _nothing_row(v) in chosen_page
        if v.office_id == tree.office.pk:
            assert _nothing_row(v) in page
    villages = reverse("coverage:villages")
    assert f'href="{villages}?served=none&district={tree.district.pk}"' in chosen_page
    assert (
        f'href="{villages}?served=none&district={tree.district.pk}&office={tree.office2.pk}"' in chosen_page
    )
    assert f'<a href="{reverse("coverage:export")}?district={tree.district.pk}"' in chosen_page
