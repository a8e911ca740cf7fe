"""The pages near 10× of /healthz (issue 21, bench/page_cost.py, docs/benchmarks.md "pages near 10×"): their
rows are written in Python, not a dozen template nodes per row, and the HTML is the one the per-row templates
wrote (kept here as the reference)."""

from __future__ import annotations

from django.template import Context, Template
from django.urls import reverse

from lawdesk.assessment import selectors as assessment
from lawdesk.assessment.views import _board_rows
from lawdesk.core import clock
from tests.conftest import Personas, Tree, client_for
from tests.test_page_cost_board import _page, _tbody
from tests.test_page_cost_boards import _stations

# assessment/board.html's rows as they were
OLD_BOARD_ROWS = """<tbody>
  {% for row in rows %}
    <tr data-testid="board-{{ row.platform.pk }}"><td>{{ row.platform.name }}</td>
    {% for c in row.checks %}<td class="{% if c.ok %}ok{% else %}lack{% endif %}"><a href="{{ c.url }}" title="{{ c.detail }}">{% if c.ok %}✓{% else %}✗{% endif %}</a> <small>{{ c.detail|truncatechars:24 }}</small></td>{% endfor %}
    <td><progress value="{{ row.percent }}" max="100"></progress> {{ row.percent }}%</td></tr>
  {% empty %}<tr><td colspan="7" class="muted">该区(县)没有平台。</td></tr>{% endfor %}
  </tbody>"""  # fmt: skip


def test_the_construction_boards_rows_are_the_old_templates_html_and_render_no_node_per_platform(
    tree: Tree, personas: Personas
) -> None:
    client = client_for(personas.district_admin)
    address = reverse("assessment:board") + f"?district={tree.district.pk}"
    page, few, _ = _page(client, address)
    rows = assessment.construction_board(tree.district, clock.today())
    assert _tbody(page, "board") == Template(OLD_BOARD_ROWS).render(Context({"rows": rows}))
    added = _stations(tree.office2, 6)
    for station in added[:2]:  # a name to escape and a detail to cut
        station.name = f"<b>{station.name}</b>&测试"
        station.save()
    page, many, _ = _page(client, address)
    rows = assessment.construction_board(tree.district, clock.today())
    assert len(rows) >= 9 and "&lt;b&gt;" in page
    assert _tbody(page, "board") == Template(OLD_BOARD_ROWS).render(Context({"rows": rows}))
    assert many == few, (few, many)  # the {{ }} nodes rendered: none per platform


def test_the_construction_boards_rows_for_no_platform_are_the_old_empty_row() -> None:
    assert _board_rows([]) == ""
    empty = Template(OLD_BOARD_ROWS).render(Context({"rows": []}))
    assert empty == '<tbody>\n  <tr><td colspan="7" class="muted">该区(县)没有平台。</td></tr>\n  </tbody>'


def test_the_construction_boards_cells_cut_and_escape_as_the_old_template() -> None:
    from lawdesk.orgs.models import OrgNode

    detail = "缺：" + "、".join(["自助服务一体机<终端>"] * 4)
    rows = [
        assessment.BoardRow(
            OrgNode(pk=7, name='甲"站"&<乙>'),
            [
                assessment.BoardCheck("设备与系统", False, detail, "/a/?b=1&c=2"),
                assessment.BoardCheck("台帐", True, "已有登记", "/desk/ledgers/1/?node=7"),
            ],
        )
    ]
    old = Template(OLD_BOARD_ROWS).render(Context({"rows": rows}))
    assert detail not in old and "&lt;终端&gt;" in old and "&amp;c=2" in old  # cut, escaped
    assert old == f"<tbody>\n  {_board_rows(rows)}\n  </tbody>"
