"""The monthly report: figures from the records, the submit/review/return/re-open workflow with deadlines and
late flags, the frozen snapshot and the later difference, reminders, drill-down and scoping, exports, the
dashboard, the fill state and the rebuild command."""

from __future__ import annotations

import datetime
import io
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.http import Http404
from django.urls import reverse
from openpyxl.worksheet.worksheet import Worksheet

from lawdesk.accounts.models import Role
from lawdesk.core.models import AuditLog
from lawdesk.matters import services as loop
from lawdesk.matters.models import Channel, Matter, MatterEvent, MatterKind
from lawdesk.notifications.models import Notification
from lawdesk.orgs.models import OrgNode
from lawdesk.stats import exports as pdf_exports
from lawdesk.stats import indicators as registry
from lawdesk.stats import services
from lawdesk.stats.fill import fill_counts, rebuild_counts
from lawdesk.stats.models import FillState, MonthlyReport, ReportSchedule, ReportStatus, StatCount, StatMonth
from lawdesk.stats.selectors import Month, dashboard_data, drill_down, monthly_report
from tests.conftest import client_for, make_user

TZ = datetime.timezone(datetime.timedelta(hours=8))
OCT = Month(2026, 10)


def _at(day: int, hour: int = 10, month: int = 10) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, 0, tzinfo=TZ)


def _visit(clerk: Any, node: Any, when: datetime.datetime, *, kind: str = MatterKind.CONSULTATION,
           channel: str = Channel.ON_SITE, groups: list[str] | None = None) -> Any:  # fmt: skip
    visit = loop.visit_register(
        actor=clerk,
        node=node,
        person_data=loop.PersonInput(name="张三", groups=groups or []),
        matters=[loop.MatterInput(kind=kind, summary="咨询劳动报酬")],
        channel=channel,
        received_at=when,
    )
    for matter in visit.matters.all():
        Matter.objects.filter(pk=matter.pk).update(created_at=when)
        MatterEvent.objects.filter(matter=matter).update(created_at=when)
    return visit


@pytest.fixture
def october(tree: Any, personas: Any) -> Any:
    """Three visits at station_a, one at station_b, one in the other district, all in October 2026."""
    _visit(personas.clerk_a, tree.station_a, _at(3), channel=Channel.PHONE, groups=["elderly"])
    _visit(personas.clerk_a, tree.station_a, _at(4), kind=MatterKind.DISPUTE)
    _visit(personas.clerk_a, tree.station_a, _at(31, 23))  # 23:00 Beijing on the 31st is still October
    _visit(personas.clerk_b, tree.station_b, _at(5))
    clerk_d = make_user("clerk_d", Role.WINDOW_CLERK, tree.station_d)
    _visit(clerk_d, tree.station_d, _at(6))
    fill_counts(until=datetime.date(2026, 11, 10))
    return personas


def _submit(actor: Any, node: Any, day: int, month: int = 11, confirm_missing: bool = False) -> MonthlyReport:
    return services.report_submit(
        actor=actor,
        node=node,
        year=2026,
        month=10,
        now=_at(day, month=month),
        refresh=False,
        confirm_missing=confirm_missing,
    )


# --- figures ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_report_figures_come_from_the_records_and_roll_up(tree: Any, october: Any) -> None:
    station = monthly_report(actor=october.clerk_a, node=tree.station_a, year=2026, month=10).figures
    assert station["visits"] == 3
    assert station["visits_phone"] == 1
    assert station["matters_dispute"] == 1
    assert station["vulnerable_elderly"] == 1
    office = monthly_report(actor=october.office_staff, node=tree.office, year=2026, month=10).figures
    assert office["visits"] == 4
    city = monthly_report(actor=october.city_admin, node=tree.city, year=2026, month=10).figures
    assert city["visits"] == 5
    assert (
        monthly_report(actor=october.city_admin, node=tree.city, year=2026, month=11).figures["visits"] == 0
    )


@pytest.mark.django_db
def test_every_matter_event_report_counter_is_an_indicator() -> None:
    from lawdesk.matters.events import EVENTS

    codes = {i.code for i in registry.stored()}
    for spec in EVENTS.values():
        if spec.report:
            assert f"event_{spec.report}" in codes
    for item in registry.registry():
        assert item.group in registry.GROUPS and item.label


@pytest.mark.django_db
def test_the_city_report_reads_only_month_totals(
    tree: Any, october: Any, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(4):
        monthly_report(actor=october.city_admin, node=tree.city, year=2026, month=10)
    assert StatMonth.objects.filter(node=tree.city, month=OCT.start, indicator="visits").get().value == 5


@pytest.mark.django_db
def test_fill_state_records_how_far_counts_are_filled_and_late_entries_appear(
    tree: Any, october: Any
) -> None:
    state = FillState.objects.get(indicator="visits")
    assert state.filled_until == datetime.date(2026, 11, 10)
    # entered later, dated in October: the next incremental fill counts it
    _visit(october.clerk_a, tree.station_a, _at(15))
    fill_counts(until=datetime.date(2026, 11, 10))
    assert (
        monthly_report(actor=october.city_admin, node=tree.city, year=2026, month=10).figures["visits"] == 6
    )


@pytest.mark.django_db
def test_rebuild_stats_command_recomputes_from_the_records(tree: Any, october: Any) -> None:
    StatCount.objects.all().delete()
    StatMonth.objects.all().delete()
    out = io.StringIO()
    call_command("rebuild_stats", stdout=out)
    assert "已重建" in out.getvalue()
    assert "2026年10月已完成" in out.getvalue()
    assert (
        monthly_report(actor=october.city_admin, node=tree.city, year=2026, month=10).figures["visits"] == 5
    )
    call_command("rebuild_stats", "--from", "2026-10-04", stdout=io.StringIO())
    assert (
        monthly_report(actor=october.city_admin, node=tree.city, year=2026, month=10).figures["visits"] == 5
    )


def _city_visits(actor: Any, city: Any, month: int) -> int:
    return int(monthly_report(actor=actor, node=city, year=2026, month=month).figures["visits"])


@pytest.mark.django_db
def test_rebuild_goes_month_by_month_and_counts_what_is_entered_while_it_runs(
    tree: Any, october: Any
) -> None:
    _visit(october.clerk_a, tree.station_a, _at(20, month=9))
    done: list[datetime.date] = []

    def progress(month: datetime.date, so_far: Any) -> None:
        done.append(month)
        if month == datetime.date(2026, 9, 1):
            # entered while the rebuild is on a later month, dated in the month already done
            _visit(october.clerk_b, tree.station_b, _at(21, month=9))

    result = rebuild_counts(until=datetime.date(2026, 11, 10), progress=progress)
    assert done == [datetime.date(2026, 9, 1), datetime.date(2026, 10, 1), datetime.date(2026, 11, 1)]
    assert result.months == done
    assert _city_visits(october.city_admin, tree.city, 9) == 1  # the late one is not in yet
    fill_counts(until=datetime.date(2026, 11, 10))
    assert _city_visits(october.city_admin, tree.city, 9) == 2  # the next fill finds it
    assert _city_visits(october.city_admin, tree.city, 10) == 5


@pytest.mark.django_db
def test_an_interrupted_rebuild_keeps_the_months_done_and_the_next_fill_completes_it(
    tree: Any, october: Any
) -> None:
    _visit(october.clerk_a, tree.station_a, _at(20, month=9))

    def stop_after_september(month: datetime.date, so_far: Any) -> None:
        if month == datetime.date(2026, 9, 1):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        rebuild_counts(until=datetime.date(2026, 11, 10), progress=stop_after_september)
    assert _city_visits(october.city_admin, tree.city, 9) == 1
    assert _city_visits(october.city_admin, tree.city, 10) == 0
    assert FillState.objects.get(indicator="visits").filled_until == datetime.date(2026, 9, 30)
    fill_counts(until=datetime.date(2026, 11, 10))
    assert _city_visits(october.city_admin, tree.city, 10) == 5


@pytest.mark.django_db
def test_vulnerable_groups_count_as_recorded_at_the_visit_when_the_person_changes_later(
    tree: Any, october: Any
) -> None:
    first = _visit(october.clerk_a, tree.station_a, _at(12), groups=["elderly"])
    # the same citizen comes back in November and is now recorded as disabled (and no longer elderly: an
    # explicit edit, as the intake page makes it — groups left out are otherwise kept, issue 16)
    loop.visit_register(
        actor=october.clerk_a,
        node=tree.station_a,
        person=first.person,
        person_data=loop.PersonInput(name=first.person.name, groups=["disabled"], replace_groups=True),
        matters=[loop.MatterInput(kind=MatterKind.CONSULTATION, summary="再次咨询")],
        received_at=_at(3, month=11),
    )
    first.person.refresh_from_db()
    assert first.person.groups == ["disabled"]
    for fill in (
        lambda: fill_counts(until=datetime.date(2026, 11, 10)),
        lambda: rebuild_counts(until=datetime.date(2026, 11, 10)),
    ):
        fill()
        oct_figures = monthly_report(actor=october.clerk_a, node=tree.station_a, year=2026, month=10).figures
        nov_figures = monthly_report(actor=october.clerk_a, node=tree.station_a, year=2026, month=11).figures
        assert (oct_figures["vulnerable_elderly"], oct_figures["vulnerable_disabled"]) == (2, 0)
        assert (nov_figures["vulnerable_elderly"], nov_figures["vulnerable_disabled"]) == (0, 1)
    page = client_for(october.clerk_a).get(
        reverse("desk:ledger", args=[1]),
        {"node": tree.station_a.pk, "from": "2026-10-12", "to": "2026-10-12"},
    )
    assert "老年人" in page.content.decode() and "残疾人" not in page.content.decode()


# --- workflow --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_station_office_district_submit_with_deadlines_and_late_flags(tree: Any, october: Any) -> None:
    p = october
    # the plan sets stations no deadline; the district sets the 20th (none by default: test_assessment_units)
    services.station_deadline_set(actor=p.district_admin, district=tree.district, station_day=20)
    station = _submit(p.clerk_a, tree.station_a, 18)
    assert station.status == ReportStatus.SUBMITTED and not station.late
    assert station.due_on == datetime.date(2026, 11, 20)
    assert station.snapshot["figures"]["visits"] == 3
    assert Notification.objects.filter(user=p.office_staff, text__contains="请审核").exists()
    late_station = _submit(p.clerk_b, tree.station_b, 21)
    assert late_station.late
    services.report_accept(actor=p.office_staff, node=tree.station_a, year=2026, month=10)
    office = _submit(p.office_staff, tree.office, 25, confirm_missing=True)
    assert office.due_on == datetime.date(2026, 11, 25) and not office.late
    district = _submit(p.district_admin, tree.district, 30, confirm_missing=True)
    assert district.due_on == datetime.date(2026, 11, 29) and district.late
    services.report_accept(actor=p.city_admin, node=tree.district, year=2026, month=10)
    assert MonthlyReport.objects.get(node=tree.district).status == ReportStatus.REVIEWED
    assert AuditLog.objects.filter(action="stats.report_submitted").count() == 4
    assert AuditLog.objects.filter(action="stats.report_reviewed").count() == 2


@pytest.mark.django_db
def test_deadlines_are_configurable(tree: Any, october: Any) -> None:
    ReportSchedule.objects.create(station_day=10, office_day=15, district_day=20)
    report = _submit(october.office_staff, tree.office, 16, confirm_missing=True)
    assert report.due_on == datetime.date(2026, 11, 15) and report.late


@pytest.mark.django_db
def test_a_report_is_refused_while_units_below_have_not_submitted_unless_confirmed(
    tree: Any, october: Any
) -> None:
    p = october
    below = [n for n in OrgNode.objects.filter(parent=tree.office, is_active=True) if n.is_platform]
    assert tree.station_a in below and len(below) >= 2
    with pytest.raises(ValidationError) as refused:
        _submit(p.office_staff, tree.office, 19)
    message = refused.value.message_dict["confirm_missing"][0]
    assert all(n.name in message for n in below) and "仍要报送" in message
    assert not MonthlyReport.objects.filter(node=tree.office, status=ReportStatus.SUBMITTED).exists()
    assert not AuditLog.objects.filter(action="stats.report_submitted").exists()
    # A station that submits is no longer named; the rest still are.
    _submit(p.clerk_a, tree.station_a, 18)
    with pytest.raises(ValidationError) as still:
        _submit(p.office_staff, tree.office, 19)
    assert tree.station_a.name not in still.value.message_dict["confirm_missing"][0]
    # Confirmed, it is submitted, and the units missing are kept with it.
    office = _submit(p.office_staff, tree.office, 19, confirm_missing=True)
    missing = {m["id"] for m in office.snapshot["missing_below"]}
    assert missing == {n.pk for n in below if n != tree.station_a}
    row = AuditLog.objects.get(action="stats.report_submitted", object_id=str(office.pk))
    assert set(row.data["missing_below"]) == missing


@pytest.mark.django_db
def test_the_report_page_names_the_units_not_submitted_and_asks_to_confirm(tree: Any, october: Any) -> None:
    client = client_for(october.office_staff)
    url = reverse("stats:report", args=[tree.office.pk, "2026-10"])
    page = client.get(url).content.decode()
    assert 'data-testid="missing-below"' in page and tree.station_a.name in page
    refused = client.post(reverse("stats:submit", args=[tree.office.pk, "2026-10"]), follow=True)
    assert "仍要报送" in refused.content.decode()
    assert not MonthlyReport.objects.filter(node=tree.office, status=ReportStatus.SUBMITTED).exists()
    client.post(reverse("stats:submit", args=[tree.office.pk, "2026-10"]), {"confirm_missing": "1"})
    assert MonthlyReport.objects.get(node=tree.office).status == ReportStatus.SUBMITTED


@pytest.mark.django_db
def test_only_the_right_roles_submit_and_review(tree: Any, october: Any) -> None:
    p = october
    with pytest.raises(PermissionDenied):
        _submit(p.auditor, tree.station_a, 18)
    with pytest.raises(Http404):
        _submit(p.other_district_admin, tree.station_a, 18)
    with pytest.raises(PermissionDenied):
        _submit(p.leader, tree.district, 18)
    _submit(p.clerk_a, tree.station_a, 18)
    with pytest.raises(PermissionDenied):
        services.report_accept(actor=p.clerk_a, node=tree.station_a, year=2026, month=10)
    with pytest.raises(PermissionDenied):  # the district reviews offices, not stations
        services.report_accept(actor=p.district_admin, node=tree.station_a, year=2026, month=10)


@pytest.mark.django_db
def test_a_month_not_yet_over_cannot_be_submitted(tree: Any, october: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        services.report_submit(actor=october.clerk_a, node=tree.station_a, year=2026, month=10,
                               now=_at(31, 12), refresh=False)  # fmt: skip
    assert "尚未结束" in str(exc.value)


@pytest.mark.django_db
def test_a_submitted_report_is_frozen_and_shows_later_records_as_a_difference(
    tree: Any, october: Any
) -> None:
    p = october
    _submit(p.clerk_a, tree.station_a, 18)
    with pytest.raises(ValidationError):
        _submit(p.clerk_a, tree.station_a, 19)
    _visit(p.clerk_a, tree.station_a, _at(20))
    fill_counts(until=datetime.date(2026, 11, 10))
    report = monthly_report(actor=p.clerk_a, node=tree.station_a, year=2026, month=10)
    assert report.figures["visits"] == 4
    row = next(r for g in report.groups for r in g.rows if r.item.code == "visits")
    assert row.snapshot == 3 and row.diff == 1 and row.diff_display == "+1"
    assert report.changed_since_snapshot


@pytest.mark.django_db
def test_return_and_reopen_need_a_reason_and_are_audited(tree: Any, october: Any) -> None:
    p = october
    _submit(p.clerk_a, tree.station_a, 18)
    with pytest.raises(ValidationError):
        services.report_return(actor=p.office_staff, node=tree.station_a, year=2026, month=10, reason=" ")
    services.report_return(
        actor=p.office_staff, node=tree.station_a, year=2026, month=10, reason="来访数偏少，请核实"
    )
    assert Notification.objects.filter(user=p.clerk_a, text__contains="请核实").exists()
    report = _submit(p.clerk_a, tree.station_a, 19)
    assert report.status == ReportStatus.SUBMITTED
    with pytest.raises(ValidationError):
        services.report_reopen(actor=p.clerk_a, node=tree.station_a, year=2026, month=10, reason="")
    services.report_reopen(actor=p.clerk_a, node=tree.station_a, year=2026, month=10, reason="补录漏登的来访")
    log = AuditLog.objects.get(action="stats.report_reopened")
    assert log.data["reason"] == "补录漏登的来访" and log.data["snapshot"]["figures"]["visits"] == 3
    assert MonthlyReport.objects.get(node=tree.station_a).status == ReportStatus.REOPENED


@pytest.mark.django_db
def test_reminders_go_to_those_who_have_not_submitted_once_a_day(tree: Any, october: Any) -> None:
    p = october
    # the plan sets stations no deadline; the district sets the 20th (none by default: test_assessment_units)
    services.station_deadline_set(actor=p.district_admin, district=tree.district, station_day=20)
    _submit(p.clerk_a, tree.station_a, 16)
    sent = services.send_report_reminders(today=datetime.date(2026, 11, 18))
    assert sent >= 1
    assert Notification.objects.filter(user=p.clerk_b, text__contains="2026年10月统计月报").exists()
    assert not Notification.objects.filter(user=p.clerk_a, text__contains="尚未报送").exists()
    assert not Notification.objects.filter(
        user=p.office_staff, text__contains="小寨路街道司法所2026年10月"
    ).exists()
    assert services.send_report_reminders(today=datetime.date(2026, 11, 18)) == 0
    services.send_report_reminders(today=datetime.date(2026, 11, 26))
    assert Notification.objects.filter(user=p.office_staff, text__contains="已超过报送期限").exists()
    out = io.StringIO()
    call_command("send_report_reminders", "--date", "2026-11-27", stdout=out)
    assert "条统计月报提醒" in out.getvalue()


# --- drill-down and scoping -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_drill_down_lists_the_records_behind_the_figure(tree: Any, october: Any) -> None:
    _item, qs = drill_down(
        actor=october.office_staff, node=tree.office, indicator="visits", year=2026, month=10
    )
    assert (
        qs.count()
        == monthly_report(actor=october.office_staff, node=tree.office, year=2026, month=10).figures["visits"]
    )
    with pytest.raises(Http404):
        drill_down(
            actor=october.other_district_admin, node=tree.office, indicator="visits", year=2026, month=10
        )
    client = client_for(october.office_staff)
    response = client.get(reverse("stats:drill", args=[tree.office.pk, "2026-10", "visits"]))
    assert response.status_code == 200
    assert response.context["count"] == 4
    assert "来访第" in response.content.decode()


@pytest.mark.django_db
def test_pages_of_another_district_answer_404(tree: Any, october: Any) -> None:
    client = client_for(october.other_district_admin)
    for name, args in [
        ("stats:report", [tree.office.pk, "2026-10"]),
        ("stats:report_xlsx", [tree.office.pk, "2026-10"]),
        ("stats:report_pdf", [tree.office.pk, "2026-10"]),
        ("stats:drill", [tree.office.pk, "2026-10", "visits"]),
        ("stats:dashboard", [tree.district.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404, name
    for name in ("stats:submit", "stats:review", "stats:reopen"):
        assert (
            client.post(reverse(name, args=[tree.station_a.pk, "2026-10"]), {"reason": "x"}).status_code
            == 404
        )
    # a clerk does not see the office above her
    assert (
        client_for(october.clerk_a).get(reverse("stats:report", args=[tree.office.pk, "2026-10"])).status_code
        == 404
    )


@pytest.mark.django_db
def test_report_page_shows_figures_rollup_and_actions(tree: Any, october: Any) -> None:
    client = client_for(october.office_staff)
    assert client.get(reverse("stats:index")).status_code == 302
    page = client.get(reverse("stats:report", args=[tree.office.pk, "2026-10"])).content.decode()
    assert "公共法律服务统计月报表" in page and "来访总人次" in page
    assert f'data-testid="child-{tree.station_a.pk}"' in page
    assert 'data-testid="submit-report"' in page
    response = client.post(
        reverse("stats:submit", args=[tree.office.pk, "2026-10"]), {"confirm_missing": "1"}
    )
    assert response.status_code == 302
    assert MonthlyReport.objects.get(node=tree.office).status == ReportStatus.SUBMITTED
    response = client_for(october.clerk_a).post(reverse("stats:submit", args=[tree.office.pk, "2026-10"]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_xlsx_export_has_the_fixed_layout(tree: Any, october: Any) -> None:
    response = client_for(october.office_staff).get(
        reverse("stats:report_xlsx", args=[tree.office.pk, "2026-10"])
    )
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert isinstance(sheet, Worksheet)
    assert sheet["A1"].value == "公共法律服务统计月报表"
    assert "小寨路街道司法所" in sheet["A2"].value and "2026年10月" in sheet["A2"].value
    headers = [c.value for c in sheet[3]]
    assert headers[:4] == ["序号", "指标", "单位", "小寨路街道司法所合计"]
    assert "小寨路街道公共法律服务站" in headers
    rows = {r[1]: r for r in sheet.iter_rows(min_row=4, values_only=True) if r[1]}
    assert rows["来访总人次（小计）"][3] == 4
    assert rows["来访总人次（小计）"][headers.index("小寨路街道公共法律服务站")] == 3
    assert any(
        str(r[0]).startswith("一、接待来访") for r in sheet.iter_rows(min_row=4, values_only=True) if r[0]
    )


@pytest.mark.django_db
def test_pdf_export(tree: Any, october: Any) -> None:
    response = client_for(october.district_admin).get(
        reverse("stats:report_pdf", args=[tree.district.pk, "2026-10"])
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_dashboard_reads_pre_aggregates_and_passes_data_by_json_script(tree: Any, october: Any) -> None:
    data = dashboard_data(actor=october.city_admin, node=tree.city, year=2026, month=10)
    assert data["trend"][0]["data"][-1] == 5
    names = {d["name"]: d["value"] for d in data["map"]["data"]}
    assert names["雁塔区"] == 4 and names["新城区"] == 1
    # a district sees only itself on the map
    mine = dashboard_data(actor=october.district_admin, node=tree.district, year=2026, month=10)
    assert [d["name"] for d in mine["map"]["data"]] == ["雁塔区"]
    page = client_for(october.city_admin).get(
        reverse("stats:dashboard", args=[tree.city.pk]) + "?month=2026-10"
    )
    html = page.content.decode()
    assert 'id="stats-data"' in html and "stats/dashboard.js" in html
    assert "<script>" not in html.replace('<script id="stats-data" type="application/json">', "")


@pytest.mark.django_db
def test_the_report_exports_are_audited_as_holding_no_personal_data_at_the_unit_reported(
    tree: Any, october: Any
) -> None:
    client = client_for(october.office_staff)
    for name in ("stats:report_xlsx", "stats:report_pdf"):
        assert client.get(reverse(name, args=[tree.office.pk, "2026-10"])).status_code == 200
    rows = list(AuditLog.objects.filter(action="export").order_by("pk"))
    assert [r.data["format"] for r in rows] == ["xlsx", "pdf"]
    assert all(r.data["personal_data"] == "none" and r.node == tree.office for r in rows)


# --- the printed report: laid out once per content, the bureaus' printed ahead ------------------------------------


@pytest.fixture
def layouts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every PDF actually laid out (the HTML it was made from)."""
    made: list[str] = []
    real = pdf_exports._render_pdf

    def counting(html: str) -> bytes:
        made.append(html)
        return real(html)

    monkeypatch.setattr(pdf_exports, "_render_pdf", counting)
    return made


def _download_pdf(user: Any, node: Any) -> bytes:
    response = client_for(user).get(reverse("stats:report_pdf", args=[node.pk, "2026-10"]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    return bytes(response.content)


@pytest.mark.django_db
def test_the_same_report_is_laid_out_once_whoever_downloads_it(
    tree: Any, october: Any, layouts: list[str]
) -> None:
    first = _download_pdf(october.district_admin, tree.district)
    again = _download_pdf(october.city_admin, tree.district)
    assert again == first
    assert len(layouts) == 1
    assert "雁塔区司法局" in layouts[0] and "生成时间" in layouts[0]


@pytest.mark.django_db
def test_a_changed_report_is_laid_out_again(tree: Any, october: Any, layouts: list[str]) -> None:
    before = _download_pdf(october.district_admin, tree.district)
    _visit(october.clerk_a, tree.station_a, _at(20))
    fill_counts(until=_at(1, month=11).date())
    after = _download_pdf(october.district_admin, tree.district)
    assert after != before
    assert len(layouts) == 2


@pytest.mark.django_db
def test_the_bureaus_reports_are_printed_ahead_and_not_again_while_unchanged(
    tree: Any, october: Any, layouts: list[str]
) -> None:
    # the city and both districts, for this month (December, on the pinned clock) and November
    assert pdf_exports.print_bureau_reports(months=2) == 6
    assert pdf_exports.print_bureau_reports(months=2) == 0
    out = io.StringIO()
    call_command("fill_stats", "--print-reports", stdout=out)
    assert "已预先生成0份统计月报PDF" in out.getvalue()
    assert len(layouts) == 6
    # October was not printed ahead: its first download lays it out, the next one does not
    _download_pdf(october.city_admin, tree.city)
    _download_pdf(october.city_admin, tree.city)
    assert len(layouts) == 7


@pytest.mark.django_db
def test_a_report_printed_ahead_is_served_without_laying_it_out(
    tree: Any, october: Any, layouts: list[str]
) -> None:
    pdf_exports.print_bureau_reports(months=3)  # December, November, October
    count = len(layouts)
    _download_pdf(october.district_admin, tree.district)
    assert len(layouts) == count
