"""What the bureau's board, the monthly report and the screening page cost per row (issue 21, bench/page_cost.py):
their rows are written in Python, not a dozen template nodes or a ``{% url %}`` per row, and the HTML is the
one the per-row templates wrote (kept here as the reference)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import pytest
from django.template import Context, Template
from django.template.base import VariableNode
from django.test import Client
from django.urls import reverse
from django.urls.resolvers import URLResolver

from lawdesk.bureau import services as bureau_services
from lawdesk.bureau.models import Area
from lawdesk.core import clock
from lawdesk.institutions.models import Institution, InstitutionKind
from lawdesk.screening import selectors as screening
from lawdesk.stats import selectors as stats
from lawdesk.stats.fill import fill_counts
from tests.conftest import Personas, Tree, client_for
from tests.test_bureau import divisions, failing_score
from tests.test_screening import a_round
from tests.test_stats import OCT, _at, _submit, _visit

pytestmark = pytest.mark.django_db


@contextmanager
def counting(owner: Any, name: str) -> Iterator[list[int]]:
    """Counts the calls of ``owner.name`` in the block (``[n]`` when it ends)."""
    calls = [0]
    original: Callable[..., Any] = getattr(owner, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return original(*args, **kwargs)

    with mock.patch.object(owner, name, counted):
        yield calls


def _page(client: Client, address: str) -> tuple[str, int, int]:
    """The page's HTML, the ``{{ … }}`` nodes rendered and the URLs reversed for it (warm)."""
    client.get(address)
    with counting(VariableNode, "render") as variables, counting(URLResolver, "_reverse_with_prefix") as urls:
        response = client.get(address)
    assert response.status_code == 200, (address, response.status_code)
    return response.content.decode(), variables[0], urls[0]


def _tbody(page: str, testid: str) -> str:
    table = page[page.index(f'data-testid="{testid}"') :]
    return table[table.index("<tbody>") : table.index("</tbody>") + len("</tbody>")]


# --- the monthly report's indicator table ----------------------------------------------------------------

# stats/report.html's indicator rows as they were, with the table the view gave them
OLD_REPORT_ROWS = """<tbody>
  {% with frozen=r.is_frozen %}{% for group in table %}
    <tr class="group"><th colspan="{% if frozen %}5{% else %}3{% endif %}">{{ group.name }}</th></tr>
    {% for row in group.rows %}
    <tr class="{% if row.is_part %}part{% endif %}" data-testid="ind-{{ row.code }}">
      <td>{{ row.label }}{% if row.note %} <small class="muted">{{ row.note }}</small>{% endif %}</td>
      <td>{{ row.unit }}</td>
      <td class="num">{% if row.is_ratio %}{{ row.display }}{% elif row.locked %}<span data-testid="fig-{{ row.code }}" title="记录仅限有关工作人员查看">{{ row.display }}</span>{% else %}<a href="{{ row.url }}" data-testid="fig-{{ row.code }}"{% if not row.value %} class="zero"{% endif %}>{{ row.display }}</a>{% endif %}</td>
      {% if frozen %}<td class="num">{{ row.snapshot_display }}</td><td class="num diff" data-testid="diff-{{ row.code }}">{{ row.diff_display }}</td>{% endif %}
    </tr>
    {% endfor %}
  {% endfor %}{% endwith %}
  </tbody>"""  # fmt: skip


def _old_report_rows(actor: Any, node: Any) -> str:
    result = stats.monthly_report(actor=actor, node=node, year=OCT.year, month=OCT.month, with_children=True)
    undrillable = stats.undrillable(actor, node)
    table = [
        {
            "name": group.name,
            "rows": [
                {
                    "code": row.item.code,
                    "label": row.item.label,
                    "note": row.item.note,
                    "is_part": row.is_part,
                    "unit": "%" if row.item.is_ratio else row.item.unit,
                    "is_ratio": row.item.is_ratio,
                    "locked": row.item.code in undrillable,
                    "url": reverse("stats:drill", args=[node.pk, OCT.slug, row.item.code]),
                    "value": row.value,
                    "display": row.display,
                    "snapshot_display": row.snapshot_display,
                    "diff_display": row.diff_display,
                }
                for row in group.rows
            ],
        }
        for group in result.groups
    ]
    return Template(OLD_REPORT_ROWS).render(Context({"r": result, "table": table}))


def test_the_reports_indicator_rows_are_the_old_templates_html_draft_and_frozen_with_no_node_per_row(
    tree: Tree, personas: Personas
) -> None:
    _visit(personas.clerk_a, tree.station_a, _at(3))
    _visit(personas.clerk_a, tree.station_a, _at(4))
    fill_counts(until=_at(10, month=11).date())
    address = reverse("stats:report", args=[tree.station_a.pk, OCT.slug])
    for user in (personas.clerk_a, personas.city_admin):
        page, variables, _ = _page(client_for(user), address)
        assert _tbody(page, "report-table") == _old_report_rows(user, tree.station_a)
        rows = page.count('data-testid="ind-')
        assert rows > 100 and 'class="zero"' in page
        assert variables < rows, (variables, rows)  # not a {{ … }} per indicator row
    _submit(personas.clerk_a, tree.station_a, 5)
    _visit(personas.clerk_a, tree.station_a, _at(20))
    fill_counts(until=_at(10, month=11).date())
    page, variables, _ = _page(client_for(personas.clerk_a), address)
    assert 'data-testid="diff-visits">+1<' in page
    assert _tbody(page, "report-table") == _old_report_rows(personas.clerk_a, tree.station_a)
    assert variables < page.count('data-testid="ind-')


# --- the screening page's two tables of committees -------------------------------------------------------

OLD_SCREENING_ROWS = """<tbody>
  {% for row in unscreened %}
    <tr data-testid="unscreened-{{ row.committee.pk }}"><td>{{ row.committee.name }}</td><td>{{ row.committee.home_node.name }}</td></tr>
  {% empty %}
    <tr><td colspan="2" class="empty" data-testid="all-screened">本月所有调解委员会均已开展排查。</td></tr>
  {% endfor %}
  </tbody>|<tbody>
  {% for row in board %}
    <tr data-testid="board-{{ row.committee.pk }}"><td>{{ row.committee.name }}</td><td>{{ row.rounds }}</td><td>{{ row.findings }}</td><td>{{ row.last|date:"Y-m-d"|default:"—" }}</td></tr>
  {% empty %}
    <tr><td colspan="4" class="empty">没有可查看的属地人民调解委员会。</td></tr>
  {% endfor %}
  </tbody>"""  # fmt: skip


def _committees(tree: Tree, count: int, start: int) -> None:
    for i in range(start, start + count):
        Institution.objects.create(
            kind=InstitutionKind.MEDIATION_COMMITTEE, name=f"测试<{i}>人民调解委员会", home_node=tree.office,
            mediation_scope="place",
        )  # fmt: skip


def test_the_screening_boards_rows_are_the_old_templates_html_and_cost_the_same_for_3_committees_and_13(
    tree: Tree, personas: Personas
) -> None:
    client = client_for(personas.office_staff)
    address = reverse("screening:index")
    page, _, _ = _page(client, address)
    assert 'data-testid="all-screened"' not in page
    a_round(personas, tree)
    _committees(tree, 2, 0)
    _, few, few_urls = _page(client, address)
    _committees(tree, 10, 2)
    page, many, many_urls = _page(client, address)
    assert (many, many_urls) == (few, few_urls)
    board = screening.board(personas.office_staff, clock.today())
    old = Template(OLD_SCREENING_ROWS).render(
        Context({"board": board, "unscreened": [row for row in board if not row.screened]})
    )
    assert f"{_tbody(page, 'unscreened-table')}|{_tbody(page, 'board-table')}" == old
    unscreened = sum(not row.screened for row in board)
    assert unscreened >= 12 and page.count('data-testid="unscreened-') == unscreened + 1  # + the table's
    assert "测试&lt;11&gt;人民调解委员会" in page
    assert (
        f'data-testid="board-{tree.mediation.pk}"><td>{tree.mediation.name}</td><td>1</td><td>2</td>' in page
    )


# --- the bureau's board -----------------------------------------------------------------------------------


def test_the_bureaus_board_reverses_no_url_per_division_or_count(tree: Tree, personas: Personas) -> None:
    made = divisions(personas)
    failing_score(tree, personas)
    client = client_for(personas.city_admin)
    page, _, few = _page(client, reverse("bureau:board"))
    for i, area in enumerate((Area.MEDIATION, Area.NOTARY, Area.LAWYERS, Area.FORENSIC)):
        bureau_services.division_create(
            actor=personas.city_admin, name=f"测试处{i}", areas=[area], head="张处长"
        )
    for name in ("人民调解组织建设", "公证质量", "律师服务", "司法鉴定"):
        failing_score(tree, personas, name=name)
    page, _, many = _page(client, reverse("bureau:board"))
    assert many == few, (few, many)
    rows = page.count('data-testid="division-row-')
    assert rows == 7 and page.count('data-testid="count-') >= 5
    for division in made.values():
        assert f'<a href="{reverse("bureau:division", args=[division.pk])}">{division.name}</a>' in page
    legal_aid = made["legal_aid"].pk
    assert (
        f'<a href="{reverse("bureau:division", args=[legal_aid])}?kind=score" data-testid="count-{legal_aid}-score">1</a>'
        in page
    )
