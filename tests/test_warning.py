"""The early warning computed from records: repeat visitors (by blind index), 易激化 disputes not resolved, clusters
against one counterpart or at one place — raised once under a stable key, notified once to the office (and the
district for clusters), shown with the records behind each as far as the viewer may see them, marked handled.

The detector is proven on generated data whose answer is known (``bench/warning``): every planted signal is found
and precision stays above a floor; the bench prints both figures for a tuning and a held-out set."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bench.warning.generate import GenParams, generate
from bench.warning.score import KINDS, score
from lawdesk.accounts.models import User
from lawdesk.core import clock
from lawdesk.core.models import AuditLog
from lawdesk.matters import services as matter_services
from lawdesk.matters.models import Matter
from lawdesk.mediation import services as mediation
from lawdesk.notifications.models import Notification
from lawdesk.orgs.models import OrgNode
from lawdesk.screening import detect, services
from lawdesk.screening.models import Signal, SignalKind, SignalState
from lawdesk.screening.warning import compute_signals
from tests.conftest import Personas, Tree, client_for, make_user

# --- the detector on generated data ------------------------------------------------------------------------

SMALL = GenParams(
    seed=11, districts=2, offices_per_district=3, stations_per_office=3, background_visits=600,
    background_disputes=200, repeats=6, pairs=4, risks=6, clusters=5, place_clusters=4, near_misses=6,
)  # fmt: skip
PRECISION_FLOOR = {"repeat": 0.9, "risk": 0.9, "cluster": 0.5}


def test_every_planted_signal_is_found_and_precision_stays_above_the_floor() -> None:
    data = generate(SMALL)
    scores, _ = score(data, detect.DEFAULT_PARAMS)
    for kind in KINDS:
        assert scores[kind].planted > 0
        assert scores[kind].recall == 1.0, (kind, scores[kind])
        assert scores[kind].precision >= PRECISION_FLOOR[kind], (kind, scores[kind])


def test_a_detector_that_ignores_the_window_or_the_spread_fails_the_bench() -> None:
    data = generate(SMALL)
    loose = detect.Params(window_days=120, repeat_min_spread=1)
    scores, _ = score(data, loose)
    assert scores["repeat"].precision < PRECISION_FLOOR["repeat"]


def test_counterpart_names_are_normalised_but_similar_companies_stay_apart() -> None:
    same = [
        "西安宏达建筑有限公司",
        "宏达建筑（西安）有限公司",
        "宏达建筑 工地",
        "宏达建筑项目部",
        "ＨＤ建筑公司",
    ]
    assert {detect.normalise_counterpart(n) for n in same[:4]} == {"西安宏达建筑", "宏达建筑"}
    assert detect.normalise_counterpart("宏达建筑（西安）有限公司") == "宏达建筑"
    assert detect.normalise_counterpart("ＨＤ建筑公司") == "hd建筑"
    assert detect.normalise_counterpart("宏远建筑有限公司") != detect.normalise_counterpart(
        "宏达建筑有限公司"
    )
    assert detect.normalise_counterpart("工地") == "工地"


# --- on the database ---------------------------------------------------------------------------------------


def _visit(clerk: User, station: OrgNode, name: str, phone: str, channel: str = "on_site") -> Matter:
    visit = matter_services.visit_register(
        actor=clerk,
        node=station,
        person_data=matter_services.PersonInput(name=name, phone=phone),
        matters=[matter_services.MatterInput(kind="consultation", summary="咨询", answer="已解答")],
        channel=channel,
    )
    return visit.matters.get()


def _dispute(clerk: User, station: OrgNode, name: str, phone: str, counterpart: str, *, risky: bool = False,
             dispute_type: str = "labour") -> Matter:  # fmt: skip
    visit = matter_services.visit_register(
        actor=clerk,
        node=station,
        person_data=matter_services.PersonInput(name=name, phone=phone),
        matters=[matter_services.MatterInput(kind="dispute", summary="讨要工资")],
    )
    matter = visit.matters.get()
    mediation.dispute_record(
        actor=clerk, matter=matter, dispute_type=dispute_type, people_involved=1, escalation_risk=risky,
        parties=[mediation.PartyInput(name=counterpart, role="respondent", party_type="unit")],
    )  # fmt: skip
    return matter


@pytest.fixture
def planted(tree: Tree, personas: Personas) -> dict[str, list[Matter]]:
    a, b = personas.clerk_a, personas.clerk_b
    repeat = [
        _visit(a, tree.station_a, "赵重复", "13900000001"),
        _visit(a, tree.station_a, "赵重复", "13900000001", channel="phone"),
        _visit(b, tree.station_b, "赵重复", "13900000001"),
    ]
    cluster = [
        _dispute(a, tree.station_a, "钱一", "13900000011", "宏达建筑有限公司"),
        _dispute(a, tree.station_a, "孙二", "13900000012", "宏达建筑公司"),
        _dispute(b, tree.station_b, "李三", "13900000013", "宏达建筑（西安）工地"),
        _dispute(b, tree.station_b, "周四", "13900000014", "宏远建筑有限公司"),  # another company
    ]
    risky = [_dispute(a, tree.station_a, "吴五", "13900000015", "某物业", risky=True, dispute_type="other")]
    # near miss: two visits only
    _visit(a, tree.station_a, "郑两次", "13900000002")
    _visit(b, tree.station_b, "郑两次", "13900000002")
    return {"repeat": repeat, "cluster": cluster, "risky": risky}


@pytest.mark.django_db
def test_signals_are_raised_once_and_notified_once(
    tree: Tree, personas: Personas, planted: dict[str, list[Matter]]
) -> None:
    later = clock.now() + datetime.timedelta(days=4)
    counts = compute_signals(now=later)
    kinds = sorted(Signal.objects.values_list("kind", flat=True))
    assert kinds == ["cluster", "repeat", "risk"], kinds
    assert counts["created"] == 3
    repeat = Signal.objects.get(kind=SignalKind.REPEAT)
    assert sorted(repeat.visit_ids) == sorted(m.visit_id for m in planted["repeat"])
    assert repeat.node == tree.office
    cluster = Signal.objects.get(kind=SignalKind.CLUSTER)
    assert sorted(cluster.matter_ids) == sorted(m.pk for m in planted["cluster"][:3])
    assert Signal.objects.get(kind=SignalKind.RISK).matter_ids == [planted["risky"][0].pk]
    office_notes = Notification.objects.filter(user=personas.office_staff, text__contains="请在“预警”页面")
    district_notes = Notification.objects.filter(
        user=personas.district_admin, text__contains="请在“预警”页面"
    )
    assert office_notes.count() == 3 and district_notes.count() == 1  # the district hears of the cluster
    assert AuditLog.objects.filter(action="screening.signal_raised").count() == 3
    # a fourth party joins the cluster: the signal is updated, nobody is notified again
    extra = _dispute(personas.clerk_a, tree.station_a, "王六", "13900000016", "宏达建筑 项目部")
    counts = compute_signals(now=later)
    assert counts == {"created": 0, "updated": 1, "notified": 0}
    cluster.refresh_from_db()
    assert extra.pk in cluster.matter_ids
    assert office_notes.count() == 3 and district_notes.count() == 1


@pytest.mark.django_db
def test_a_resolved_or_fresh_risk_raises_nothing(tree: Tree, personas: Personas) -> None:
    _dispute(
        personas.clerk_a, tree.station_a, "吴五", "13900000015", "某物业", risky=True, dispute_type="other"
    )
    compute_signals(now=clock.now() + datetime.timedelta(days=1))
    assert not Signal.objects.filter(kind=SignalKind.RISK).exists()


@pytest.mark.django_db
def test_the_office_and_district_see_warnings_with_the_records_others_get_404(
    tree: Tree, personas: Personas, planted: dict[str, list[Matter]]
) -> None:
    compute_signals(now=clock.now() + datetime.timedelta(days=4))
    cluster = Signal.objects.get(kind=SignalKind.CLUSTER)
    for user in (personas.office_staff, personas.district_admin, personas.city_admin):
        client = client_for(user)
        assert cluster.title in client.get("/desk/warnings/").content.decode()
        page = client.get(f"/desk/warnings/{cluster.pk}/").content.decode()
        for matter in planted["cluster"][:3]:
            assert f"record-matter-{matter.pk}" in page
        assert "13900000011" not in page  # no phone on the records list
    office2_staff = make_user("office2_staff", "office_staff", tree.office2)
    for user in (office2_staff, personas.other_district_admin, personas.clerk_a, personas.mediator,
                 personas.leader, personas.adviser, personas.correction_officer):  # fmt: skip
        client = client_for(user)
        assert client.get(f"/desk/warnings/{cluster.pk}/").status_code == 404, user
        assert client.post(f"/desk/warnings/{cluster.pk}/handle/", {"note": "x"}).status_code == 404, user
        listing = client.get("/desk/warnings/")
        assert listing.status_code == 404 or cluster.title not in listing.content.decode(), user
    cluster.refresh_from_db()
    assert cluster.state == SignalState.NEW


@pytest.mark.django_db
def test_a_warning_is_marked_handled_with_a_note(
    tree: Tree, personas: Personas, planted: dict[str, list[Matter]]
) -> None:
    compute_signals(now=clock.now() + datetime.timedelta(days=4))
    signal = Signal.objects.get(kind=SignalKind.REPEAT)
    with pytest.raises(ValidationError):
        services.signal_handle(actor=personas.office_staff, signal=signal, note=" ")
    with pytest.raises(PermissionDenied):
        services.signal_handle(actor=personas.clerk_a, signal=signal, note="已约谈")
    client = client_for(personas.office_staff)
    response = client.post(f"/desk/warnings/{signal.pk}/handle/", {"note": "已约谈来访人并联系街道"})
    assert response.status_code == 302
    signal.refresh_from_db()
    assert signal.state == SignalState.HANDLED and signal.handled_by == personas.office_staff
    # handled stays handled when the job runs again
    compute_signals(now=clock.now() + datetime.timedelta(days=4))
    signal.refresh_from_db()
    assert signal.state == SignalState.HANDLED


@pytest.mark.django_db
def test_the_command_and_the_task_run_the_same_computation(
    tree: Tree, personas: Personas, planted: dict[str, list[Matter]]
) -> None:
    from django.core.management import call_command

    from lawdesk.screening.tasks import compute_warning_signals

    call_command("compute_warnings")
    assert Signal.objects.filter(kind=SignalKind.REPEAT).exists()  # the risk is too fresh today
    assert compute_warning_signals()["created"] == 0
