"""What the ledgers' pages and the matters list cost per request (issue 21, bench/page_cost.py): ledger 1's page
decrypts one number a row (the person's phone; the numbers said at a visit only for a visit registered by
reference), reads its rows in the same queries whatever their number and shows exactly the rows the ORM read of
``ledger_records`` gives, masked; the index counts the five matter ledgers in one query, with the same counts as
each ledger's own; the matters list builds no model per row and shows each row's cells as the ORM read gives.
Ledger 1's page reads a platform's visits from the (node, received_at) index, not every visit of the period;
the shortcuts of the rows (a bare number masked, a date written) give what the general code gives."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from lawdesk.accounts.models import Role, User
from lawdesk.core import clock, crypto
from lawdesk.ledgers import selectors
from lawdesk.ledgers.definitions import LEDGERS
from lawdesk.matters import selectors as matter_selectors
from lawdesk.matters import services
from lawdesk.matters.models import Matter, MatterKind, Visit
from lawdesk.orgs.models import OrgNode
from lawdesk.people.identity import mask_id_number
from lawdesk.people.models import Person
from lawdesk.people.policy import Door
from tests.conftest import Personas, Tree, client_for, make_user
from tests.test_ledgers import ZHANG_PHONE, Intake, get_ok, intake, register, url  # noqa: F401  (fixture)
from tests.test_matter_views import new_matter, transferred
from tests.test_people_reach import ADDRESS, ELDER_ID, PHONE, citizen, clerk_d  # noqa: F401  (fixtures)


def _page(client: Client, address: str) -> tuple[str, int]:
    get_ok(client, address)  # warm the session and the caches
    with CaptureQueriesContext(connection) as queries:
        page = get_ok(client, address).content.decode()
    return page, len(queries)


def _orm_rows(actor: User, code: int, node: OrgNode) -> list[str]:
    """Each row of the ledger's page as the ORM read of its records (whole models, every column decrypted)
    writes it: what the page showed before it read ledger 1 as plain rows."""
    ledger = LEDGERS[code]
    records = selectors.ledger_records(ledger, actor=actor, node=node, period=selectors.this_month())
    rows = selectors.ledger_rows(ledger, actor=actor, records=records, door=Door.PAGE)
    return [str(selectors.row_html(row.cells)) for row in rows]


def _decrypts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    decrypt = crypto.decrypt

    def counted(stored: str) -> str:
        calls.append(stored)
        return decrypt(stored)

    monkeypatch.setattr(crypto, "decrypt", counted)
    return calls


def _more_visits(personas: Personas, tree: Tree, count: int) -> None:
    for index in range(count):
        register(
            personas.clerk_b, tree.station_b, f"群众{index}", f"135{index:08d}",
            services.MatterInput(kind=MatterKind.DISPUTE, summary="纠纷"),
            services.MatterInput(kind=MatterKind.CONSULTATION, summary="咨询", answer="当场解答"),
        )  # fmt: skip


def test_ledger_1_shows_the_orm_rows_masked_in_the_same_queries_decrypting_one_number_a_row(
    tree: Tree,
    personas: Personas,
    intake: Intake,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    actor = personas.district_admin
    client = client_for(actor)
    page, few = _page(client, url("ledger", 1))
    _more_visits(personas, tree, 10)
    calls = _decrypts(monkeypatch)
    page, many = _page(client, url("ledger", 1))
    decrypted = len(calls)
    assert many == few, (few, many)
    rows = _orm_rows(actor, 1, tree.district)
    assert len(rows) == 15
    for row in rows:
        assert row in page
    assert "本期共 4 条" in page and "本期共 11 条" in page and "共 15 条" in page
    assert ZHANG_PHONE not in page and "139****5678" in page and "135****0009" in page
    # Two requests of 15 rows: the person's phone of each row, not the two numbers said at each visit too.
    assert decrypted <= 2 * (len(rows) + 2), decrypted


def test_ledger_1_shows_a_visit_registered_by_reference_as_said(
    tree: Tree,
    clerk_d: User,  # noqa: F811
    citizen: Person,  # noqa: F811
) -> None:
    body = {
        "node": tree.station_d.pk,
        "person_id": citizen.pk,
        "person": {"name": "王英", "phone": PHONE},
        "matters": [{"kind": "consultation", "summary": "咨询房屋租赁"}],
    }
    client = client_for(clerk_d)
    response = client.post("/api/v1/visits/", json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content.decode()
    page, _ = _page(client, url("ledger", 1))
    rows = _orm_rows(clerk_d, 1, tree.station_d)
    assert len(rows) == 1 and rows[0] in page
    assert "<td>王英</td>" in rows[0] and "139****5678" in rows[0]
    assert PHONE not in page and ELDER_ID not in page and ADDRESS not in page and "王秀英" not in page


def test_the_other_ledgers_show_the_orm_rows_in_the_same_queries(
    tree: Tree,
    personas: Personas,
    intake: Intake,  # noqa: F811
) -> None:
    actor = personas.district_admin
    client = client_for(actor)
    before = {code: _page(client, url("ledger", code))[1] for code in (2, 3, 6)}
    _more_visits(personas, tree, 6)
    for code in (2, 3, 6):
        page, queries = _page(client, url("ledger", code))
        assert queries == before[code], (code, before[code], queries)
        rows = _orm_rows(actor, code, tree.district)
        assert rows and all(row in page for row in rows)
        assert f"共 {len(rows)} 条" in page


@pytest.mark.parametrize("who", ["clerk_a", "district_admin", "city_admin", "auditor", "leader"])
def test_the_index_counts_agree_with_each_ledgers_records(
    tree: Tree,
    personas: Personas,
    intake: Intake,  # noqa: F811
    who: str,
) -> None:
    actor = getattr(personas, who)
    node = selectors.default_node(actor)
    assert node is not None
    for period in (selectors.this_month(), selectors.Period(selectors.this_month().start.replace(year=2000),
                                                               selectors.this_month().end)):  # fmt: skip
        counts = selectors.ledger_counts(LEDGERS.values(), actor=actor, node=node, period=period)
        assert counts == {
            code: selectors.ledger_records(ledger, actor=actor, node=node, period=period).count()
            for code, ledger in LEDGERS.items()
        }
    page, _ = _page(client_for(actor), url("ledgers"))
    for code, count in counts.items():
        assert f'data-testid="ledger-count-{code}">{count}<' in page
        assert f'href="{url("ledger", code)}?' in page


def test_the_index_counts_the_matter_ledgers_in_one_query(
    tree: Tree,
    personas: Personas,
    intake: Intake,  # noqa: F811
) -> None:
    client = client_for(personas.district_admin)
    _, few = _page(client, url("ledgers"))
    _more_visits(personas, tree, 4)
    with CaptureQueriesContext(connection) as queries:
        page = get_ok(client, url("ledgers")).content.decode()
    assert len(queries) == few
    counting = [
        q["sql"] for q in queries if "COUNT(" in q["sql"] and "matters_" in q["sql"].split(" WHERE ")[0]
    ]
    assert len(counting) == 2, counting  # ledger 1's visits, and the five matter ledgers grouped by kind
    assert 'data-testid="ledger-count-2">6<' in page and 'data-testid="ledger-count-1">9<' in page


# --- the matters list ------------------------------------------------------------------------------------------


def _expected_row(m: Matter, today: datetime.date) -> list[str]:
    """What a row of the matters list shows of ``m``, read through the ORM as the template once wrote it."""
    due = matter_selectors.current_due(m)
    overdue = matter_selectors.is_overdue(m, today)
    created = timezone.localtime(m.created_at)
    cells = [
        f'<tr class="{"overdue-row" if overdue else ""}">',
        f'<td><a href="{reverse("desk:matter", args=[m.pk])}">{m.get_kind_display()}</a>',
        f"<td>{m.visit.name_as_told}</td>",
        f'<td class="summary">{Truncator(m.summary).chars(40)}</td>',
        f'<td><span class="state state-{m.state}">{m.get_state_display()}</span></td>',
        f"<td>{m.owner}"
        + (f'<br><small class="muted">待{m.handover_to}确认交接</small>' if m.handover_to else ""),
        f"<td>{m.institution.name if m.institution else '—'}</td>",
        f"<td><small>{created:%Y-%m-%d %H:%M} · {m.visit.get_channel_display()}<br>{m.node.name}</small></td>",
    ]
    if due:
        cells.append(
            f'<td><span class="{"overdue" if overdue else ""}">{due:%Y-%m-%d}{" 逾期" if overdue else ""}</span></td>'
        )
    if m.one_trip_mode:
        cells.append(f' <span class="tag one-trip">{m.get_one_trip_mode_display()}</span></td>')
    return cells


def test_the_matters_list_shows_each_rows_cells_without_building_a_model_a_row(
    tree: Tree, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    colleague = make_user("colleague", Role.WINDOW_CLERK, tree.station_a)
    offered = new_matter(personas, tree, summary="这是一段很长的事项摘要，" * 5)
    services.matter_handover_offer(actor=personas.clerk_a, matter=offered, to_user=colleague)
    late = transferred(personas, tree)
    Matter.objects.filter(pk=late.pk).update(accept_due=clock.today() - datetime.timedelta(days=2))
    on_time = transferred(personas, tree)
    Matter.objects.filter(pk=on_time.pk).update(accept_due=clock.today() + datetime.timedelta(days=3))
    new_matter(personas, tree, kind="legal_aid")
    built: list[int] = []
    from_db = Matter.from_db

    def counted(*args: object, **kwargs: object) -> Matter:
        built.append(1)
        return from_db(*args, **kwargs)  # type: ignore[arg-type]

    for actor in (personas.clerk_a, personas.district_admin, colleague):
        client = client_for(actor)
        page, _ = _page(client, reverse("desk:matters"))
        monkeypatch.setattr(Matter, "from_db", classmethod(lambda cls, *a, **k: counted(*a, **k)))
        built.clear()
        get_ok(client, reverse("desk:matters"))
        monkeypatch.undo()
        # No matter built for the rows; the colleague's list shows the offered one in its hand-over box too.
        assert len(built) == (1 if actor == colleague else 0), len(built)
        shown = matter_selectors.matter_list(actor=actor)
        assert shown.count() == 4
        for m in shown:
            for cell in _expected_row(m, clock.today()):
                assert cell in page, (actor, cell)
    assert "逾期" in page
    assert f"待{colleague}确认交接" in page
    assert offered.summary not in page.split('data-testid="matters"')[1]  # cut to 40 characters


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the query plan read here is SQLite's")
def test_ledger_1s_page_reads_the_platforms_visits_by_its_index_not_every_visit_of_the_period(
    tree: Tree,
    personas: Personas,
    intake: Intake,  # noqa: F811
) -> None:
    """A platform's ledger 1 over years (the bench's 100-row page: since 2000) reads that platform's visits from
    the (node, received_at) index; before, SQLite read every visit of the city received in the period from the
    received_at index and sorted them, a cost growing with the city's visits rather than the page's rows."""
    _more_visits(personas, tree, 3)
    period = selectors.Period(datetime.date(2000, 1, 1), datetime.date(2030, 12, 31))
    records = selectors.ledger_records(LEDGERS[1], actor=personas.clerk_b, node=tree.station_b, period=period)
    with CaptureQueriesContext(connection) as queries:
        visits = selectors.visit_ledger_page(records[: selectors.PAGE_SIZE])
    assert {visit.node_id for visit in visits} == {tree.station_b.pk}
    assert len(visits) == Visit.objects.filter(node=tree.station_b).count() >= 3
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {queries.captured_queries[0]['sql']}")
        plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
    assert "matters_visit USING INDEX visit_node_received" in plan, plan
    assert "received_at_" not in plan, plan


def _masked_by_the_patterns(text: str) -> str:
    text = selectors._ID_NUMBER.sub(lambda m: mask_id_number(m.group(0)), text)
    return selectors._PHONE.sub(selectors._mask_phone_token, text)


@pytest.mark.parametrize(
    "text",
    [
        "", "1", "12", "12348", "123456", "1234567", "13912345678", "02985551234", "610113900101123",
        "610113199001011234", "61011319900101123X", "1234567890123456", "12345678901234567",
        "1234567890123456789", "029-85551234", "１３９１２３４５６７８", "139 1234 5678", "电话13912345678",
    ],
)  # fmt: skip
def test_a_bare_number_is_masked_as_the_patterns_mask_it(text: str) -> None:
    assert selectors.mask_personal_text(text) == _masked_by_the_patterns(text)


@pytest.mark.parametrize(
    "value",
    [
        datetime.datetime(2026, 5, 1, 16, 30, tzinfo=datetime.UTC),
        datetime.datetime(2026, 12, 31, 23, 59, 59, tzinfo=datetime.UTC),
        datetime.datetime(2026, 5, 1, 8, 5),
        datetime.datetime(999, 1, 2, 3, 4, tzinfo=datetime.UTC),
        datetime.datetime(999, 1, 2, 3, 4),
        datetime.date(2026, 5, 1),
        datetime.date(999, 5, 1),
    ],
)
def test_a_date_cell_is_written_as_strftime_writes_it_in_local_time(value: datetime.date) -> None:
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        expected = f"{local:%Y-%m-%d %H:%M}"
    else:
        expected = f"{value:%Y-%m-%d}"
    assert selectors.display(value) == expected
    assert selectors.display(value, timezone.get_current_timezone()) == expected
    assert str(selectors.row_html(["1", value])) == f'<tr><td class="number">1</td><td>{expected}</td></tr>'


def test_the_matter_ledgers_read_only_their_columns_and_show_what_whole_records_show(
    tree: Tree,
    personas: Personas,
    intake: Intake,  # noqa: F811
) -> None:
    """Ledgers 2–6 read only the columns they show of a matter and its related rows (issue 21: each row was
    six whole models); the cells are those the whole records give, without a query per row."""
    actor = personas.district_admin
    period = selectors.Period(datetime.date(2000, 1, 1), datetime.date(2100, 12, 31))
    shown = 0
    for code in (2, 3, 4, 5, 6):
        ledger = LEDGERS[code]
        records = list(selectors.ledger_records(ledger, actor=actor, node=tree.district, period=period))
        whole = list(
            selectors.ledger_records(ledger, actor=actor, node=tree.district, period=period).defer(None)
        )
        with CaptureQueriesContext(connection) as lean_queries:
            lean = [row.cells for row in selectors.ledger_rows(ledger, actor=actor, records=records)]
        with CaptureQueriesContext(connection) as whole_queries:
            full = [row.cells for row in selectors.ledger_rows(ledger, actor=actor, records=whole)]
        assert lean == full, code
        assert len(lean_queries) == len(whole_queries), code
        for record in records:
            assert {"created_at", "updated_at"} <= record.get_deferred_fields(), code
            assert "created_at" in record.visit.get_deferred_fields(), code
        shown += len(records)
    assert shown >= 5
