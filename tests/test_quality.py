"""Quality of service (七(七)): the citizen rates at the window tablet, at the kiosk or by the SMS link — once, and
never by staff; adoption is recorded at feedback; every scorecard figure equals a count recomputed here from the
records, and its drill-down lists exactly those records; other organisations get 404; the export's columns."""

from __future__ import annotations

import datetime
import io
from typing import Any

import openpyxl
import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lawdesk.complaints import services as complaint_services
from lawdesk.matters import services as ms
from lawdesk.matters.models import Adoption, Matter, MatterKind, MatterState, ToldVia
from lawdesk.matters.services import MatterInput, PersonInput
from lawdesk.quality import services
from lawdesk.quality.exports import HEADERS
from lawdesk.quality.models import ComplaintFinding
from lawdesk.quality.scorecard import parse_period, timely
from tests.conftest import Personas, Tree, client_for

PHONE = "13800138000"


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


def answered(
    personas: Personas, tree: Tree, *, clerk: Any = None, node: Any = None, phone: str = PHONE
) -> Matter:
    visit = ms.visit_register(
        actor=clerk or personas.clerk_a,
        node=node or tree.station_a,
        person_data=PersonInput(name="王建国", phone=phone),
        matters=[MatterInput(kind=MatterKind.CONSULTATION, summary="工资被拖欠", answer="可申请劳动仲裁。")],
    )
    return visit.matters.get()


def transferred_and_told(personas: Personas, tree: Tree, *, adoption: str = "", clerk: Any = None) -> Matter:
    clerk = clerk or personas.clerk_a
    node = tree.station_a if clerk == personas.clerk_a else tree.station_b
    visit = ms.visit_register(
        actor=clerk,
        node=node,
        person_data=PersonInput(name="李秀英", phone="13900139000"),
        matters=[MatterInput(kind=MatterKind.DISPUTE, summary="邻里纠纷")],
    )
    matter = visit.matters.get()
    from lawdesk.mediation import services as mediation

    mediation.dispute_record(
        actor=clerk, matter=matter, dispute_type="neighbourhood", people_involved=2,
        parties=[mediation.PartyInput(name="张三")],
    )  # fmt: skip
    ms.matter_transfer(actor=clerk, matter=matter, institution=tree.mediation)
    ms.matter_accept(actor=personas.mediator, matter=matter)
    mediation.mediation_result_record(
        actor=personas.mediator, matter=matter, result="success", agreement_form="oral"
    )
    return ms.matter_tell_citizen(actor=clerk, matter=matter, via=ToldVia.PHONE, adoption=adoption)


# --- the window tablet ----------------------------------------------------------------------------------


def test_the_tablet_rating_closes_the_matter_as_the_citizens_rating_once(
    tree: Tree, personas: Personas
) -> None:
    matter = answered(personas, tree)
    client = client_for(personas.clerk_a)
    url = reverse("quality:tablet", args=[matter.pk])
    page = client.get(url)
    assert page.status_code == 200 and "提交" in page.content.decode()
    assert 'data-testid="quality-link"' not in page.content.decode()  # full screen: no staff navigation
    done = client.post(url, {"rating": "5", "comment": "很耐心"})
    assert done.status_code == 200 and "感谢您的评价" in done.content.decode()
    matter.refresh_from_db()
    assert matter.state == MatterState.CLOSED and matter.rating == 5 and matter.rating_comment == "很耐心"
    event = matter.events.get(code="citizen_rated")
    assert (
        event.actor is None
        and event.data["via"] == "tablet"
        and event.data["handed_by"] == personas.clerk_a.pk
    )
    timeline = client.get(reverse("desk:matter", args=[matter.pk])).content.decode()
    assert "群众本人评分：5分（窗口平板）" in timeline
    again = client.post(url, {"rating": "1"})
    assert again.status_code == 410
    matter.refresh_from_db()
    assert matter.rating == 5 and matter.events.filter(code="citizen_rated").count() == 1


def test_the_tablet_refuses_a_missing_face_in_chinese_and_an_unfinished_matter(
    tree: Tree, personas: Personas
) -> None:
    matter = answered(personas, tree)
    client = client_for(personas.clerk_a)
    response = client.post(reverse("quality:tablet", args=[matter.pk]), {"rating": ""})
    assert response.status_code == 400 and "请点一下表情选择评分" in response.content.decode()
    visit = ms.visit_register(
        actor=personas.clerk_a, node=tree.station_a, person_data=PersonInput(name="赵六", phone=PHONE),
        matters=[MatterInput(kind=MatterKind.CONSULTATION, summary="纠纷怎么处理")],
    )  # fmt: skip
    open_matter = visit.matters.get()
    response = client.post(reverse("quality:tablet", args=[open_matter.pk]), {"rating": "5"})
    assert response.status_code == 409 and "尚未办结" in response.content.decode()
    with pytest.raises(ValidationError):
        services.tablet_rate(handed_by=personas.clerk_a, matter=open_matter, rating=5)


def test_the_tablet_is_refused_to_staff_of_other_platforms(tree: Tree, personas: Personas) -> None:
    matter = answered(personas, tree)
    url = reverse("quality:tablet", args=[matter.pk])
    assert client_for(personas.clerk_b).get(url).status_code == 404
    assert client_for(personas.other_district_admin).post(url, {"rating": "5"}).status_code == 404
    assert (
        client_for(personas.leader).post(url, {"rating": "5"}).status_code == 403
    )  # sees it, may not hand over
    with pytest.raises(PermissionDenied):
        services.tablet_rate(handed_by=personas.clerk_b, matter=matter, rating=5)
    assert not Matter.objects.get(pk=matter.pk).events.filter(code="citizen_rated").exists()


def test_a_rating_staff_type_into_the_close_form_is_not_a_citizen_rating(
    tree: Tree, personas: Personas
) -> None:
    """Staff never rate their own work: the close form's rating is kept on the matter but not counted."""
    matter = answered(personas, tree)
    ms.matter_close(actor=personas.clerk_a, matter=matter, rating=5, comment="")
    response = client_for(personas.clerk_a).get(reverse("quality:index"))
    mine = response.context["mine"]
    assert mine.service == 1 and mine.rated == 0 and mine.satisfaction is None
    # …and the citizen may still rate it themselves once, on the tablet.
    services.tablet_rate(handed_by=personas.clerk_a, matter=matter, rating=2)
    assert client_for(personas.clerk_a).get(reverse("quality:index")).context["mine"].rated == 1


def test_staff_cannot_use_the_sms_link_of_their_own_matter(
    tree: Tree, personas: Personas, settings: Any
) -> None:
    from lawdesk.online import rating
    from lawdesk.online.models import RatingLink

    matter = answered(personas, tree)
    Matter.objects.filter(
        pk=matter.pk
    ).update()  # on-site: no link by itself; make one through online's sender
    matter.visit.channel = "phone"
    matter.visit.save(update_fields=["channel"])
    settings.LAWDESK_SMS_BACKEND = "lawdesk.notifications.backends.ConsoleSmsBackend"
    token = rating.rating_link_send(matter_id=matter.pk)
    assert token and RatingLink.objects.filter(matter=matter).exists()
    url = reverse("online:rate", args=[token])
    assert client_for(personas.clerk_a).post(url, {"rating": "5"}).status_code == 403
    assert Matter.objects.get(pk=matter.pk).rating is None
    # Rated by the citizen on the tablet meanwhile: the unused link is spent, the kiosk refuses too.
    services.tablet_rate(handed_by=personas.clerk_a, matter=matter, rating=4)
    assert RatingLink.objects.get(matter=matter).used_at is not None
    assert Client().post(url, {"rating": "1"}).status_code == 410
    assert Matter.objects.get(pk=matter.pk).rating == 4


# --- the kiosk ------------------------------------------------------------------------------------------


def test_the_kiosk_refuses_a_wrong_code_then_rates_once(tree: Tree, personas: Personas) -> None:
    matter = answered(personas, tree)
    _record, code = services.kiosk_code_issue(actor=personas.clerk_a, visit=matter.visit)
    url = reverse("quality:kiosk", args=[tree.station_a.pk])
    client = Client()  # no login
    assert client.get(url).status_code == 200
    seq = str(matter.visit.seq)
    wrong = client.post(
        url, {"visit_seq": seq, "code": "000000" if code != "000000" else "111111", "rating": "5"}
    )
    assert wrong.status_code == 400 and "请核对来访编号和回执上的6位评价码" in wrong.content.decode()
    assert not Matter.objects.get(pk=matter.pk).events.filter(code="citizen_rated").exists()
    # Another platform's kiosk does not find this visit.
    other = client.post(
        reverse("quality:kiosk", args=[tree.station_b.pk]), {"visit_seq": seq, "code": code, "rating": "5"}
    )
    assert other.status_code == 400
    ok = client.post(url, {"visit_seq": seq.zfill(4), "code": code, "rating": "3", "comment": "一般"})
    assert ok.status_code == 200 and "感谢您的评价" in ok.content.decode()
    matter.refresh_from_db()
    assert matter.rating == 3 and matter.state == MatterState.ANSWERED  # rated, left for the clerk to close
    assert matter.events.get(code="citizen_rated").data["via"] == "kiosk"
    again = client.post(url, {"visit_seq": seq, "code": code, "rating": "5"})
    assert again.status_code == 400 and Matter.objects.get(pk=matter.pk).rating == 3


@pytest.mark.django_db(transaction=True)
def test_the_kiosk_rates_and_refuses_outside_a_test_transaction(tree: Tree, personas: Personas) -> None:
    """As a served request runs (autocommit, no test transaction around it): on PostgreSQL a row lock taken
    outside a transaction is an error, so the kiosk's read of the codes must not take one."""
    matter = answered(personas, tree)
    _record, code = services.kiosk_code_issue(actor=personas.clerk_a, visit=matter.visit)
    url = reverse("quality:kiosk", args=[tree.station_a.pk])
    seq = str(matter.visit.seq)
    wrong = Client().post(
        url, {"visit_seq": seq, "code": "000000" if code != "000000" else "111111", "rating": "5"}
    )
    assert wrong.status_code == 400 and "请核对来访编号和回执上的6位评价码" in wrong.content.decode()
    ok = Client().post(url, {"visit_seq": seq, "code": code, "rating": "4"})
    assert ok.status_code == 200 and Matter.objects.get(pk=matter.pk).rating == 4


def test_the_kiosk_locks_a_visit_number_after_five_wrong_tries(tree: Tree, personas: Personas) -> None:
    matter = answered(personas, tree)
    _record, code = services.kiosk_code_issue(actor=personas.clerk_a, visit=matter.visit)
    url = reverse("quality:kiosk", args=[tree.station_a.pk])
    seq = str(matter.visit.seq)
    wrong = "111111" if code != "111111" else "222222"
    for _ in range(5):
        Client().post(url, {"visit_seq": seq, "code": wrong, "rating": "5"})
    locked = Client().post(url, {"visit_seq": seq, "code": code, "rating": "5"})
    assert locked.status_code == 400 and "尝试次数过多" in locked.content.decode()
    assert Matter.objects.get(pk=matter.pk).rating is None


def test_the_kiosk_of_a_missing_or_non_platform_node_is_404(tree: Tree) -> None:
    assert Client().get(reverse("quality:kiosk", args=[tree.office.pk])).status_code == 404
    assert Client().get(reverse("quality:kiosk", args=[999999])).status_code == 404


# --- adoption -------------------------------------------------------------------------------------------


def test_adoption_is_recorded_at_feedback_and_shown_on_the_matter(tree: Tree, personas: Personas) -> None:
    visit = ms.visit_register(
        actor=personas.clerk_a, node=tree.station_a, person_data=PersonInput(name="李秀英", phone=PHONE),
        matters=[MatterInput(kind=MatterKind.CONSULTATION, summary="邻里纠纷怎么处理")],
    )  # fmt: skip
    matter = visit.matters.get()
    ms.matter_transfer(actor=personas.clerk_a, matter=matter, institution=tree.mediation)
    ms.matter_accept(actor=personas.mediator, matter=matter)
    ms.matter_record_outcome(actor=personas.mediator, matter=matter, outcome="调解成功")
    with pytest.raises(ValidationError) as bad:
        ms.matter_tell_citizen(actor=personas.clerk_a, matter=matter, via=ToldVia.PHONE, adoption="maybe")
    assert "adoption" in bad.value.message_dict
    client = client_for(personas.clerk_a)
    response = client.post(
        reverse("desk:matter_tell", args=[matter.pk]), {"told_via": "phone", "adoption": "partly", "note": ""}
    )
    assert response.status_code in (200, 302)
    matter.refresh_from_db()
    assert matter.adoption == Adoption.PARTLY and matter.state == MatterState.CITIZEN_TOLD
    assert matter.events.get(code="citizen_told").data["adoption"] == "partly"
    page = client.get(reverse("desk:matter", args=[matter.pk])).content.decode()
    assert 'data-testid="adoption">部分采纳' in page


# --- scorecards -----------------------------------------------------------------------------------------


def test_timeliness_of_one_matter() -> None:
    today = datetime.date(2026, 11, 20)
    at = timezone.make_aware(datetime.datetime(2026, 11, 10, 10))
    assert timely(Matter(), today) is None
    assert timely(Matter(accept_due=datetime.date(2026, 11, 10), accepted_at=at), today) is True
    assert timely(Matter(accept_due=datetime.date(2026, 11, 9), accepted_at=at), today) is False
    assert timely(Matter(accept_due=datetime.date(2026, 11, 19)), today) is False  # past due, not done
    assert timely(Matter(accept_due=datetime.date(2026, 11, 25)), today) is None  # still within
    assert (
        timely(
            Matter(
                accept_due=datetime.date(2026, 11, 10), accepted_at=at, outcome_due=datetime.date(2026, 12, 1)
            ),
            today,
        )
        is None
    )


def test_periods_parse_month_quarter_and_year() -> None:
    assert parse_period("2026-11").start == datetime.date(2026, 11, 1)
    assert parse_period("2026-12").end == datetime.date(2027, 1, 1)
    q = parse_period("2026-Q4")
    assert (q.start, q.end, q.label) == (
        datetime.date(2026, 10, 1),
        datetime.date(2027, 1, 1),
        "2026年第4季度",
    )
    assert parse_period("2026").end == datetime.date(2027, 1, 1)
    for bad in ("2026-13", "26-1", "2026-Q5", "abc"):
        with pytest.raises(ValueError):
            parse_period(bad)


@pytest.fixture
def records(tree: Tree, personas: Personas) -> dict[str, Any]:
    """A spread of matters for clerk_a, clerk_b and the mediator, with citizen ratings, adoption, deadlines met
    and missed, an upheld complaint against clerk_a, and one matter outside the period."""
    a1 = answered(personas, tree)
    services.tablet_rate(handed_by=personas.clerk_a, matter=a1, rating=5)
    a2 = answered(personas, tree)
    services.tablet_rate(handed_by=personas.clerk_a, matter=a2, rating=3)
    a3 = answered(personas, tree)
    ms.matter_close(actor=personas.clerk_a, matter=a3, rating=5)  # staff-typed: not counted
    t1 = transferred_and_told(personas, tree, adoption=Adoption.ADOPTED)
    t2 = transferred_and_told(personas, tree, adoption=Adoption.NOT_ADOPTED)
    Matter.objects.filter(pk=t2.pk).update(
        outcome_due=timezone.localdate() - datetime.timedelta(days=30)
    )  # late
    services.tablet_rate(handed_by=personas.clerk_a, matter=t2, rating=4)
    b1 = transferred_and_told(personas, tree, adoption=Adoption.PARTLY, clerk=personas.clerk_b)
    b2 = answered(personas, tree, clerk=personas.clerk_b, node=tree.station_b)
    services.tablet_rate(handed_by=personas.clerk_b, matter=b2, rating=1)
    old = answered(personas, tree)
    Matter.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=400))
    complaint = complaint_services.complaint_record(
        actor=personas.clerk_b, node=tree.station_b, statement="窗口人员态度差", subject_user=personas.clerk_a,
        contact_name="张三", contact_phone="13700137000",
    ).matter  # fmt: skip
    Matter.objects.filter(pk=complaint.pk).update(state=MatterState.CLOSED)
    d1 = answered(personas, tree, clerk=make_other_clerk(tree), node=tree.station_d)
    return {
        "a1": a1,
        "a2": a2,
        "a3": a3,
        "t1": t1,
        "t2": t2,
        "b1": b1,
        "b2": b2,
        "old": old,
        "complaint": complaint,
        "d1": d1,
    }


def make_other_clerk(tree: Tree) -> Any:
    from lawdesk.accounts.models import Role
    from tests.conftest import make_user

    return make_user("clerk_d", Role.WINDOW_CLERK, tree.station_d)


def expected(matters: list[Matter]) -> dict[str, set[int]]:
    """The figures recomputed straight from the records, independently of the scorecard code."""
    today = timezone.localdate()
    out: dict[str, set[int]] = {k: set() for k in ("service", "rated", "satisfied", "adoption_recorded", "adopted", "timely_decided", "timely", "late")}  # fmt: skip
    for m in matters:
        m.refresh_from_db()
        out["service"].add(m.pk)
        rated = [e.data["rating"] for e in m.events.filter(code="citizen_rated")]
        if rated:
            out["rated"].add(m.pk)
            if rated[-1] >= 4:
                out["satisfied"].add(m.pk)
        if m.adoption:
            out["adoption_recorded"].add(m.pk)
            if m.adoption != "not_adopted":
                out["adopted"].add(m.pk)
        stages = [(m.accept_due, m.accepted_at), (m.outcome_due, m.outcome_at), (m.feedback_due, m.told_at)]
        pairs = [(d, a) for d, a in stages if d is not None]
        late = any(
            (a is not None and timezone.localtime(a).date() > d) or (a is None and d < today)
            for d, a in pairs
        )
        pending = any(a is None and d >= today for d, a in pairs)
        if pairs and late:
            out["timely_decided"].add(m.pk)
            out["late"].add(m.pk)
        elif pairs and not pending:
            out["timely_decided"].add(m.pk)
            out["timely"].add(m.pk)
    return out


def drill_ids(client: Client, kind: str, pk: int, figure: str) -> set[int]:
    response = client.get(
        reverse("quality:drill", args=[kind, pk, figure]), {"period": timezone.localdate().strftime("%Y-%m")}
    )
    assert response.status_code == 200
    return {row["pk"] for row in response.context["rows"]}


def test_every_worker_figure_equals_the_records_and_drills_down_to_them(
    tree: Tree, personas: Personas, records: dict[str, Any]
) -> None:
    r = records
    client = client_for(personas.district_admin)
    response = client.get(reverse("quality:index"))
    workers = {row["user"].pk: row["card"] for row in response.context["workers"]}
    mine = [r[k] for k in ("a1", "a2", "a3", "t1", "t2")]
    want = expected(mine)
    card = workers[personas.clerk_a.pk]
    assert card.service == len(want["service"]) == 5
    assert card.rated == len(want["rated"]) == 3  # a3's staff-typed rating does not count
    assert card.satisfied == len(want["satisfied"]) == 2
    assert card.satisfaction == round(100 * 2 / 3, 1)
    assert card.average == round((5 + 3 + 4) / 3, 2)
    assert (card.adoption_recorded, card.adopted, card.adoption) == (2, 1, 50.0)
    assert card.timely_decided == len(want["timely_decided"]) == 2
    assert card.timely == len(want["timely"]) == 1 and card.count_late == len(want["late"]) == 1
    assert card.upheld == 0  # no finding yet
    for figure, ids in want.items():
        assert set(card.ids[figure]) == ids, figure
        assert drill_ids(client, "worker", personas.clerk_a.pk, figure) == ids, figure
    # The mediator handled the three transferred matters.
    mediator = workers[personas.mediator.pk]
    assert set(mediator.ids["service"]) == {r["t1"].pk, r["t2"].pk, r["b1"].pk}
    # The matter outside the period and the other district's matter are in no card.
    everything = {pk for c in workers.values() for pk in c.ids["service"]}
    assert r["old"].pk not in everything and r["d1"].pk not in everything


def test_every_platform_figure_equals_the_records_and_the_ranking_orders_them(
    tree: Tree, personas: Personas, records: dict[str, Any]
) -> None:
    r = records
    client = client_for(personas.district_admin)
    response = client.get(reverse("quality:ranking"), {"by": "satisfaction"})
    assert response.status_code == 200
    platforms = {row["node"].pk: row["card"] for row in response.context["platforms"]}
    station_a = [r[k] for k in ("a1", "a2", "a3", "t1", "t2")]
    station_b = [r[k] for k in ("b1", "b2", "complaint")]
    for node, matters in ((tree.station_a, station_a), (tree.station_b, station_b)):
        want = expected(matters)
        for figure, ids in want.items():
            assert set(platforms[node.pk].ids[figure]) == ids, (node.name, figure)
            assert drill_ids(client, "node", node.pk, figure) == ids, (node.name, figure)
    order = [row["node"].pk for row in response.context["platforms"]]
    assert order.index(tree.station_a.pk) < order.index(tree.station_b.pk)  # 66.7% before 0%
    by_worker = [row["user"].pk for row in response.context["workers"]]
    assert by_worker.index(personas.clerk_a.pk) < by_worker.index(personas.clerk_b.pk)
    # The district's own card covers both stations.
    district = client.get(reverse("quality:index"), {"node": tree.district.pk}).context["node_card"]
    assert set(district.ids["service"]) == expected(station_a + station_b)["service"]


def test_an_upheld_complaint_counts_against_the_worker_and_stays_hidden_from_them(
    tree: Tree, personas: Personas, records: dict[str, Any]
) -> None:
    complaint = records["complaint"]
    with pytest.raises(PermissionDenied):
        services.complaint_finding_record(actor=personas.clerk_b, matter=complaint, upheld=True)
    office = client_for(personas.office_staff)
    listing = office.get(reverse("quality:findings"))
    assert listing.status_code == 200 and complaint in listing.context["rows"]
    office.post(reverse("quality:finding", args=[complaint.pk]), {"upheld": "1", "note": "经核实属实"})
    finding = ComplaintFinding.objects.get(matter=complaint)
    assert (
        finding.upheld and finding.against_user == personas.clerk_a and finding.against_node == tree.station_a
    )
    with pytest.raises(ValidationError):
        services.complaint_finding_record(actor=personas.office_staff, matter=complaint, upheld=False)
    admin = client_for(personas.district_admin)
    workers = {row["user"].pk: row["card"] for row in admin.get(reverse("quality:index")).context["workers"]}
    assert (
        workers[personas.clerk_a.pk].upheld
        == ComplaintFinding.objects.filter(upheld=True, against_user=personas.clerk_a).count()
        == 1
    )
    assert drill_ids(admin, "worker", personas.clerk_a.pk, "upheld") == {complaint.pk}
    assert drill_ids(admin, "node", tree.station_a.pk, "upheld") == {complaint.pk}
    # clerk_a sees the count on their own card, but never the complaint.
    own = client_for(personas.clerk_a)
    assert own.get(reverse("quality:index")).context["mine"].upheld == 1
    hidden = own.get(reverse("quality:drill", args=["worker", personas.clerk_a.pk, "upheld"]))
    assert (
        hidden.context["hidden"]
        and hidden.context["rows"] == []
        and "窗口人员态度差" not in hidden.content.decode()
    )


# --- scoping --------------------------------------------------------------------------------------------


def test_other_organisations_get_404_and_clerks_no_ranking_or_export(
    tree: Tree, personas: Personas, records: dict[str, Any]
) -> None:
    other = client_for(personas.other_district_admin)
    assert other.get(reverse("quality:drill", args=["node", tree.station_a.pk, "service"])).status_code == 404
    assert (
        other.get(reverse("quality:drill", args=["worker", personas.clerk_a.pk, "service"])).status_code
        == 404
    )
    assert other.get(reverse("quality:index"), {"node": tree.station_a.pk}).status_code == 404
    assert other.get(reverse("quality:export"), {"node": tree.district.pk}).status_code == 404
    assert other.get(reverse("quality:ranking"), {"node": tree.station_a.pk}).status_code == 404
    ranked = other.get(reverse("quality:ranking")).context
    assert [row["node"] for row in ranked["platforms"]] == [tree.station_d]  # only their own district
    assert [row["user"].username for row in ranked["workers"]] == ["clerk_d"]
    sibling = client_for(personas.clerk_b)
    assert (
        sibling.get(reverse("quality:drill", args=["worker", personas.clerk_a.pk, "service"])).status_code
        == 404
    )
    assert sibling.get(reverse("quality:drill", args=["node", tree.station_a.pk, "rated"])).status_code == 404
    assert sibling.get(reverse("quality:ranking")).status_code == 403
    assert sibling.get(reverse("quality:export")).status_code == 403
    assert (
        sibling.get(reverse("quality:drill", args=["node", tree.station_b.pk, "nonsense"])).status_code == 404
    )
    assert sibling.get(reverse("quality:index"), {"period": "2026-13"}).status_code == 404
    assert Client().get(reverse("quality:index")).status_code == 302  # login first
    # The clerk's own station: their colleagues' figures only over that station.
    own = client_for(personas.clerk_a).get(reverse("quality:index")).context
    assert {row["user"].pk for row in own["workers"]} == {personas.clerk_a.pk, personas.mediator.pk}


def test_the_export_has_one_row_per_worker_with_the_figures(
    tree: Tree, personas: Personas, records: dict[str, Any]
) -> None:
    client = client_for(personas.district_admin)
    response = client.get(reverse("quality:export"), {"period": timezone.localdate().strftime("%Y-%m")})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    by_user = {row[1]: dict(zip(HEADERS, row, strict=True)) for row in rows[1:]}
    assert set(by_user) == {"clerk_a", "clerk_b", "mediator"}
    a = by_user["clerk_a"]
    assert a["所在单位"] == tree.station_a.name and a["统计范围"] == tree.district.name
    assert (
        a["服务事项数"],
        a["群众评价数"],
        a["满意数（4–5分）"],
        a["采纳登记数"],
        a["采纳数（含部分采纳）"],
    ) == (5, 3, 2, 2, 1)
    assert a["考核期间"] == f"{timezone.localdate().year}年{timezone.localdate().month}月"
    from lawdesk.core.models import AuditLog

    assert AuditLog.objects.filter(action="quality.export", actor=personas.district_admin).exists()


def test_an_on_site_citizen_told_by_phone_gets_the_sms_link_one_told_at_the_window_does_not(
    tree: Tree, personas: Personas, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from lawdesk.notifications.backends import ConsoleSmsBackend
    from lawdesk.online.models import RatingLink

    settings.LAWDESK_SMS_BACKEND = "lawdesk.notifications.backends.ConsoleSmsBackend"
    ConsoleSmsBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        by_phone = transferred_and_told(personas, tree)  # on site, told by phone
    assert RatingLink.objects.filter(matter=by_phone).count() == 1
    assert [m.phone for m in ConsoleSmsBackend.outbox] == ["13900139000"]
    visit = ms.visit_register(
        actor=personas.clerk_a, node=tree.station_a, person_data=PersonInput(name="李四", phone="13700137001"),
        matters=[MatterInput(kind=MatterKind.CONSULTATION, summary="纠纷怎么处理")],
    )  # fmt: skip
    matter = visit.matters.get()
    with django_capture_on_commit_callbacks(execute=True):
        ms.matter_transfer(actor=personas.clerk_a, matter=matter, institution=tree.mediation)
        ms.matter_accept(actor=personas.mediator, matter=matter)
        ms.matter_record_outcome(actor=personas.mediator, matter=matter, outcome="调解成功")
        ms.matter_tell_citizen(actor=personas.clerk_a, matter=matter, via=ToldVia.ON_SITE)
        services.tablet_rate(handed_by=personas.clerk_a, matter=matter, rating=5)
    assert not RatingLink.objects.filter(matter=matter).exists()  # rated at the window, closed: no SMS
    assert len(ConsoleSmsBackend.outbox) == 1


def test_the_kiosk_rates_an_online_request_only_with_a_slip_code_not_its_tracking_code_and_phone(
    tree: Tree, personas: Personas
) -> None:
    from lawdesk.online import services as online_services
    from lawdesk.online.services import Citizen

    tracked = online_services.consultation_submit(
        node=tree.station_a, citizen=Citizen(name="王建国", phone=PHONE, groups=[]),
        question="邻居家漏水到我家，怎么办？", address="test",
    )  # fmt: skip
    online_services.online_claim(actor=personas.clerk_a, matter=tracked.matter)
    ms.matter_answer(actor=personas.clerk_a, matter=tracked.matter, answer="可以先申请人民调解。")
    url = reverse("quality:kiosk", args=[tree.station_a.pk])
    # The tracking code and the phone's last digits (which staff see) rate nothing any more.
    refused = Client().post(url, {"visit_seq": tracked.code, "phone_last4": PHONE[-4:], "rating": "5"})
    assert refused.status_code == 400
    assert not Matter.objects.get(pk=tracked.matter_id).events.filter(code="citizen_rated").exists()
    _record, code = services.kiosk_code_issue(actor=personas.clerk_a, visit=tracked.matter.visit)
    ok = Client().post(url, {"visit_seq": str(tracked.matter.visit.seq), "code": code, "rating": "5"})
    assert ok.status_code == 200
    assert Matter.objects.get(pk=tracked.matter_id).events.get(code="citizen_rated").data["via"] == "kiosk"


def test_a_long_drill_down_is_paged_and_the_pages_hold_exactly_the_records(
    tree: Tree, personas: Personas, records: dict[str, Any], monkeypatch: Any
) -> None:
    from lawdesk.quality import views

    monkeypatch.setattr(views, "DRILL_PAGE", 2)
    client = client_for(personas.district_admin)
    url = reverse("quality:drill", args=["worker", personas.clerk_a.pk, "service"])
    seen: list[int] = []
    for number in (1, 2, 3):
        response = client.get(url, {"page": str(number)})
        assert response.context["total"] == 5 and response.context["pages"] == 3
        seen += [row["pk"] for row in response.context["rows"]]
    assert sorted(seen) == sorted(records[k].pk for k in ("a1", "a2", "a3", "t1", "t2"))
    assert client.get(url, {"page": "99"}).context["page_number"] == 3


def test_the_demo_ratings_are_citizen_ratings_and_idempotent(tree: Tree, personas: Personas) -> None:
    from lawdesk.quality.demo import load_quality_demo

    first, second = answered(personas, tree), answered(personas, tree)
    services.tablet_rate(handed_by=personas.clerk_a, matter=second, rating=2)
    assert load_quality_demo(station=tree.station_a) == 1
    assert load_quality_demo(station=tree.station_a) == 0
    assert Matter.objects.get(pk=first.pk).events.get(code="citizen_rated").data["rating"] == 5
    assert Matter.objects.get(pk=second.pk).events.filter(code="citizen_rated").count() == 1
