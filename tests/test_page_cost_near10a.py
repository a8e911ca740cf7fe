"""The pages near 10× of /healthz (issue 21, bench/page_cost.py, docs/benchmarks.md "pages near 10×"): their
rows are written in Python, not a dozen template nodes per row, and the HTML is the one the per-row templates
wrote (kept here as the reference)."""

from __future__ import annotations

import datetime

from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lawdesk.assessment import selectors as assessment
from lawdesk.assessment.models import Round
from lawdesk.assessment.views import _board_rows
from lawdesk.core import clock
from tests.conftest import Personas, Tree, client_for
from tests.test_assessment import media, published, records  # noqa: F401 - fixtures
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


def test_an_entrys_page_lists_each_scores_rectifications_as_the_orm_and_reads_scores_in_two_queries(
    tree: Tree,
    personas: Personas,
    published: Round,  # noqa: F811 - the fixture
) -> None:
    from lawdesk.assessment import services

    inspector = personas.district_admin
    entry = published.entries.get(platform=tree.station_a)
    client = client_for(inspector)
    address = reverse("assessment:entry", args=[published.pk, entry.pk])
    short = [s for s in entry.scores.select_related("indicator") if not s.is_full and s.points is not None]
    assert len(short) >= 2
    for score, deadline in ((short[0], 20), (short[0], 10), (short[1], 30)):
        services.rectification_create(actor=inspector, score=score, owner=personas.clerk_a,
                                      deadline=datetime.date(2099, 1, deadline), description="补齐")  # fmt: skip
    page, _, _ = _page(client, address)
    for score in entry.scores.all():
        links = "".join(
            f' · <a href="{reverse("assessment:rectification", args=[r.pk])}">整改：{r.get_status_display()}</a>'
            for r in score.rectifications.all()
        )
        assert f'data-testid="drill-{score.indicator.code}">' in page
        card = page[page.index(f'id="score-{score.pk}"') :]
        assert card[card.index("</a>\n") + 5 :].startswith(f"      {links}</p>"), score.indicator.code
    with CaptureQueriesContext(connection) as queries:
        groups = assessment.grouped_scores(entry)
    assert len(queries) == 2  # the scores with their indicators, the rectifications
    scores = [s for g in groups for s in g.scores]
    assert [s for g in groups for s, _ in g.rows] == scores and all(
        "evidence" in s.get_deferred_fields() for s in scores
    )
    assert [[r.pk for r in rs] for g in groups for _, rs in g.rows] == [
        [r.pk for r in s.rectifications.all()] for s in scores
    ]


def test_the_monthly_report_reads_the_schedule_and_the_units_below_once_and_names_the_same_missing_units(
    tree: Tree, personas: Personas
) -> None:
    from lawdesk.stats import selectors as stats
    from tests.test_stats import OCT, _submit

    _submit(personas.clerk_a, tree.station_a, 5)  # station B has not reported
    client = client_for(personas.office_staff)
    address = reverse("stats:report", args=[tree.office.pk, OCT.slug])
    client.get(address)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(address).content.decode()
    missing = stats.unsubmitted_below(tree.office, OCT)  # read on its own
    assert [n.pk for n in missing] == [tree.station_b.pk]
    names = "、".join(n.name for n in missing)
    assert f'data-testid="missing-below">下级单位尚有1个未报送本月月报：{names}。' in page
    sql = [q["sql"] for q in queries.captured_queries]
    assert sum('FROM "stats_reportschedule"' in q for q in sql) == 1, sql
    assert sum('FROM "stats_districtreportsetting"' in q for q in sql) == 1, sql
    below = f'"orgs_orgnode"."parent_id" = {tree.office.pk}'
    assert sum(below in q for q in sql) == 1, sql  # the units below: read for the roll-up only


def test_the_failed_indicators_come_from_each_organisers_latest_rounds_in_two_plain_queries(
    tree: Tree, personas: Personas
) -> None:
    from decimal import Decimal

    from lawdesk.assessment.models import RoundEntry, RoundIndicator, Score
    from lawdesk.bureau import selectors as bureau
    from tests.test_bureau import failing_score

    def a_round(organiser: object, cut_off: datetime.date, title: str) -> Score:
        score = failing_score(tree, personas)
        round_ = score.entry.round
        start = cut_off - datetime.timedelta(days=60)
        Round.objects.filter(pk=round_.pk).update(
            organiser=organiser, period_start=start, cut_off=cut_off, title=title
        )
        return score

    older = a_round(tree.district, datetime.date(2026, 6, 30), "旧")
    latest = a_round(tree.district, datetime.date(2026, 9, 30), "甲")
    tied = a_round(tree.district, datetime.date(2026, 9, 30), "乙")  # the same latest cut-off: both count
    city = a_round(tree.city, datetime.date(2025, 12, 31), "市")
    future = a_round(tree.city, datetime.date(2099, 12, 31), "未到")  # after today: not yet
    passed = RoundIndicator.objects.create(
        round=latest.entry.round, code="X2", name="公证质量", weight=Decimal(10), method="manual"
    )
    Score.objects.create(entry=latest.entry, indicator=passed, fraction=Decimal("0.6"), points=Decimal(6))
    other = RoundEntry.objects.create(round=tied.entry.round, platform=tree.station_b)
    low = Score.objects.create(
        entry=other, indicator=tied.indicator, fraction=Decimal("0.1"), points=Decimal(1)
    )
    nodes = bureau._all_nodes()
    with CaptureQueriesContext(connection) as queries:
        found = bureau.failed_indicators(datetime.date(2026, 12, 1), nodes_by_pk=nodes)
    assert len(queries) == 2 and not any("MAX(" in q["sql"] for q in queries.captured_queries)
    assert sorted(p.key for p in found) == sorted(f"score:{s.pk}" for s in (latest, tied, low, city))
    assert older.pk and future.pk
    by_key = {p.key: p for p in found}
    assert by_key[f"score:{tied.pk}"].detail == "乙：得分5.00/10.00（50%）"
    assert by_key[f"score:{low.pk}"].node == tree.station_b and by_key[
        f"score:{city.pk}"
    ].since == datetime.date(2025, 12, 31)


# bureau/division.html's rows of problems as they were
OLD_PROBLEM_ROWS = """<tbody>
  {% for p, last in problems %}
    <tr data-testid="problem-{{ p.key }}">
      <td>{{ p.kind_label }}</td><td>{{ p.area_label }}</td>
      <td><a href="{{ p.url }}">{{ p.title }}</a></td><td>{{ p.detail }}</td>
      <td>{% if last %}<small data-testid="supervised">{{ last.at|date:"Y-m-d" }} 已督办：{{ last.note }}</small>{% endif %}
      {% if can_supervise %}<form method="post" action="{{ supervise_url }}" class="inline"><input type="hidden" name="csrfmiddlewaretoken" value="{{ csrf_token }}">
        <input type="hidden" name="problem_key" value="{{ p.key }}">
        <input type="text" name="note" maxlength="300" placeholder="督办意见" aria-label="督办意见" required>
        <button type="submit" class="small">督办</button></form>{% endif %}</td>
    </tr>
  {% empty %}<tr><td colspan="5" class="muted">当前没有倒查到本处(室)的问题。</td></tr>{% endfor %}
  </tbody>"""  # fmt: skip


def test_a_divisions_problems_are_the_old_templates_html_with_and_without_the_forms_and_no_node_per_row(
    tree: Tree, personas: Personas
) -> None:
    import re

    from lawdesk.bureau import services as bureau_services
    from tests.test_bureau import divisions, failing_score

    made = divisions(personas)
    legal_aid = made["legal_aid"]
    address = reverse("bureau:division", args=[legal_aid.pk])
    client = client_for(personas.city_admin)
    empty, _, _ = _page(client, address)
    assert _tbody(empty, "problems") == Template(OLD_PROBLEM_ROWS).render(Context({"problems": []}))
    scores = [failing_score(tree, personas, name=f"法律援助<案件>质量{i}") for i in range(3)]
    bureau_services.supervise(
        actor=personas.city_admin,
        division=legal_aid,
        problem_key=f"score:{scores[0].pk}",
        note="请于“本周”内整改&报告",
    )
    _, few, _ = _page(client, address)
    scores += [failing_score(tree, personas, name=f"法律援助质量{i}") for i in range(3, 9)]
    _, many, _ = _page(client, address)
    response = client.get(address)
    context = response.context
    masked = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    old = Template(OLD_PROBLEM_ROWS).render(
        Context({k: context[k] for k in ("problems", "can_supervise", "supervise_url")} | {"csrf_token": "x"})
    )
    new = _tbody(response.content.decode(), "problems")
    assert masked.sub("", new) == masked.sub("", old)
    assert (
        new.count('data-testid="problem-score:') == 9
        and 'data-testid="supervised"' in new
        and "&lt;案件&gt;" in new
    )
    assert many == few, (few, many)  # no {{ }} node per problem
    # without the forms: a reader who may not 督办 (the division's page as the city's managers' template gives it)
    from lawdesk.bureau.views import _problem_rows

    rows = _problem_rows(context["problems"], context["supervise_url"], None)
    old = Template(OLD_PROBLEM_ROWS).render(
        Context({"problems": context["problems"], "can_supervise": False})
    )
    assert old == f"<tbody>\n  {rows}\n  </tbody>" and "<form" not in old
