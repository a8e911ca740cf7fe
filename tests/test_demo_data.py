"""The Xi'an demo data and its loader: real division names, valid nodes, every institution kind, one user per
role, idempotent, and demo users shut out when demo mode is off."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings

from lawdesk.accounts.models import Role, RoleAssignment, User
from lawdesk.core.models import AuditLog
from lawdesk.demo.content import DEMO_PASSWORD, demo_users
from lawdesk.demo.loader import load_demo
from lawdesk.institutions.models import Institution, InstitutionKind, MediationScope
from lawdesk.orgs.models import Facility, FacilityItem, OrgNode
from lawdesk.orgs.rules import PLATFORM_KINDS, NodeKind

XIAN_DISTRICTS = {
    "610102": "新城区",
    "610103": "碑林区",
    "610104": "莲湖区",
    "610111": "灞桥区",
    "610112": "未央区",
    "610113": "雁塔区",
    "610114": "阎良区",
    "610115": "临潼区",
    "610116": "长安区",
    "610117": "高陵区",
    "610118": "鄠邑区",
    "610122": "蓝田县",
    "610124": "周至县",
}
BACKEND = "lawdesk.demo.backends.DemoAwareModelBackend"
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo_mode(settings: Any) -> Any:
    settings.DEMO_MODE = True
    settings.PASSWORD_HASHERS = FAST_HASHER
    return settings


@pytest.fixture(scope="class")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """Load once for the whole class, inside a transaction rolled back at its end; each test runs in a
    savepoint of its own (the ``django_db`` mark), so what a test changes is undone after it."""
    with (
        django_db_blocker.unblock(),
        override_settings(DEMO_MODE=True, PASSWORD_HASHERS=FAST_HASHER),
        transaction.atomic(),
    ):
        load_demo()
        yield
        transaction.set_rollback(True)


def test_loader_refuses_without_demo_mode(db: Any, settings: Any) -> None:
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="演示模式"):
        load_demo()
    assert not OrgNode.objects.exists()
    assert not User.objects.exists()


def test_command_refuses_without_demo_mode(db: Any, settings: Any) -> None:
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="LAWDESK_DEMO=1"):
        call_command("load_demo", skip_checks=True)


def test_command_prints_the_logins_on_every_run(demo_mode: Any, db: Any, capsys: Any) -> None:
    call_command("load_demo", skip_checks=True)
    first = capsys.readouterr().out
    call_command("load_demo", skip_checks=True)
    second = capsys.readouterr().out
    assert "本次新建" in first and "没有做任何改动" in second
    for out in (first, second):
        assert "clerk" in out and DEMO_PASSWORD in out and "小寨路街道公共法律服务站" in out


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
class TestLoadedDemo:
    def test_thirteen_districts_and_counties_load_with_their_gbt2260_codes(self) -> None:
        bureaus = OrgNode.objects.filter(kind=NodeKind.DISTRICT_BUREAU)
        assert {b.region_code: b.name for b in bureaus} == {
            c: f"{n}司法局" for c, n in XIAN_DISTRICTS.items()
        }
        centres = OrgNode.objects.filter(kind=NodeKind.SERVICE_CENTRE)
        assert {c.region_code: c.name for c in centres} == {
            c: f"{n}公共法律服务中心" for c, n in XIAN_DISTRICTS.items()
        }
        city = OrgNode.objects.get(kind=NodeKind.CITY_BUREAU)
        assert (city.name, city.region_code) == ("西安市司法局", "610100")
        assert all(b.parent == city for b in bureaus)

    def test_real_streets_and_villages_hang_under_their_offices(self) -> None:
        office = OrgNode.objects.get(kind=NodeKind.JUDICIAL_OFFICE, region_code="610113001000")
        assert office.name == "小寨路街道司法所"
        assert office.parent is not None and office.parent.region_code == "610113"
        stations = {n.name: n.region_code for n in office.children.all()}
        assert stations["小寨路街道公共法律服务站"] == "610113001000"
        # The registry's "长安大学社区居委会" and "吉祥村委会" become a community and a village station.
        assert stations["长安大学社区公共法律服务站"] == "610113001001"
        assert stations["吉祥村公共法律服务站"] == "610113001201"
        # A county with towns (镇), not only streets.
        town = OrgNode.objects.get(kind=NodeKind.TOWN_STATION, region_code="610122104000")
        assert town.name == "汤峪镇公共法律服务站"
        assert OrgNode.objects.filter(kind=NodeKind.JUDICIAL_OFFICE).count() >= 3 * 7
        assert OrgNode.objects.filter(kind=NodeKind.VILLAGE_STATION).count() >= 10

    def test_every_loaded_node_passes_full_clean(self) -> None:
        for node in OrgNode.objects.select_related("parent"):
            try:
                node.full_clean()
            except ValidationError as exc:  # pragma: no cover - the message says which node
                pytest.fail(f"{node.name}: {exc}")

    def test_platforms_have_details_and_mostly_present_facilities(self) -> None:
        platforms = list(OrgNode.objects.platforms())
        assert {p.kind for p in platforms} == set(PLATFORM_KINDS)
        special = OrgNode.objects.get(kind=NodeKind.SPECIAL_CENTRE)
        assert special.name == "中国（陕西）自由贸易试验区西安区域公共法律服务中心"
        assert special.parent is not None and special.parent.kind == NodeKind.CITY_BUREAU
        for platform in platforms:
            assert platform.address and platform.location_kind and platform.office_phone, platform.name
            assert platform.hours_text, platform.name
            assert platform.longitude is not None and 107.6 <= platform.longitude <= 109.8, platform.name
            assert platform.latitude is not None and 33.7 <= platform.latitude <= 34.8, platform.name
            assert platform.floor_area is not None and platform.floor_area > 0
        facilities = Facility.objects.all()
        assert facilities.count() == len(platforms) * len(FacilityItem.values)
        absent = facilities.filter(present=False).exclude(item=FacilityItem.SERVICE_ROBOT).count()
        assert 0 < absent < facilities.count() / 4

    def test_every_institution_kind_appears_and_passes_full_clean(self) -> None:
        institutions = list(Institution.objects.prefetch_related("served_nodes"))
        assert {i.kind for i in institutions} == set(InstitutionKind.values)
        for institution in institutions:
            institution.full_clean()
            assert institution.served_nodes.exists(), institution.name
            assert institution.business_scope and institution.address and institution.phone, institution.name
            assert institution.materials_list, institution.name
        committees = Institution.objects.filter(kind=InstitutionKind.MEDIATION_COMMITTEE)
        assert committees.filter(
            mediation_scope=MediationScope.PLACE, name="小寨路街道人民调解委员会"
        ).exists()
        assert {c.mediation_trade for c in committees.filter(mediation_scope=MediationScope.TRADE)} >= {
            "medical", "traffic", "labour", "property",
        }  # fmt: skip
        departments = Institution.objects.filter(kind=InstitutionKind.OTHER_DEPARTMENT)
        assert {d.department_kind for d in departments} >= {
            "comprehensive_governance", "civil_affairs", "human_resources", "petitions",
            "police_station", "peoples_tribunal",
        }  # fmt: skip

    def test_invented_institution_names_are_marked_as_demo(self) -> None:
        for firm in Institution.objects.filter(
            kind__in=[InstitutionKind.LAW_FIRM, InstitutionKind.FORENSIC_OFFICE]
        ):
            assert "演示数据" in firm.business_scope, firm.name

    def test_one_demo_user_per_role_with_the_known_password(self) -> None:
        # people, not the system accounts (a platform's online intake, the API's service accounts)
        assignments = RoleAssignment.objects.select_related("user").filter(
            user__online_intake__isnull=True, user__api_clients__isnull=True
        )
        assert {a.role for a in assignments} == set(Role.values)
        for assignment in assignments:
            assignment.full_clean()
            user = assignment.user
            assert user.is_demo and user.full_name
            assert user.check_password(DEMO_PASSWORD)
        admin = User.objects.get(username="admin")
        assert admin.is_staff and admin.is_superuser
        clerk = RoleAssignment.objects.get(user__username="clerk")
        clerk2 = RoleAssignment.objects.get(user__username="clerk2")
        assert clerk.node is not None and clerk2.node is not None
        assert clerk.node.name == "小寨路街道公共法律服务站"
        assert clerk.node.parent_id == clerk2.node.parent_id and clerk.node != clerk2.node

    def test_second_load_changes_nothing(self) -> None:
        models = (OrgNode, Facility, Institution, User, RoleAssignment, AuditLog)
        before = {m: m.objects.count() for m in models}
        latest_update = OrgNode.objects.order_by("-updated_at").values_list("updated_at", flat=True).first()
        report = load_demo()
        assert {m: m.objects.count() for m in models} == before
        assert (
            OrgNode.objects.order_by("-updated_at").values_list("updated_at", flat=True).first()
            == latest_update
        )
        assert not report.created_anything
        assert [x.username for x in report.logins] == [u.username for u in demo_users("610100")]

    def test_demo_users_cannot_log_in_when_demo_mode_is_off(self, settings: Any) -> None:
        settings.AUTHENTICATION_BACKENDS = [BACKEND]
        settings.DEMO_MODE = False
        assert authenticate(username="clerk", password=DEMO_PASSWORD) is None
        assert authenticate(username="admin", password=DEMO_PASSWORD) is None
        # Ordinary users are not affected.
        User.objects.create_user(username="real", password="Real-pass-2026")
        assert authenticate(username="real", password="Real-pass-2026") is not None

    def test_demo_users_can_log_in_when_demo_mode_is_on(self, settings: Any) -> None:
        settings.AUTHENTICATION_BACKENDS = [BACKEND]
        settings.DEMO_MODE = True
        user = authenticate(username="clerk", password=DEMO_PASSWORD)
        assert user is not None and user.username == "clerk"


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
class TestDemoDesk:
    def test_demo_visits_cover_the_states_of_the_core_loop(self) -> None:
        from lawdesk.matters.models import Matter, MatterEvent

        station = OrgNode.objects.get(kind=NodeKind.TOWN_STATION, region_code="610113001000")
        states = set(Matter.objects.filter(node=station).values_list("state", flat=True))
        assert {"closed", "outcome_recorded", "transferred", "redirected", "received"} <= states
        # Each matter's history was written by the services: it starts with "received".
        for matter in Matter.objects.filter(node=station):
            assert MatterEvent.objects.filter(matter=matter).order_by("id").first().code == "received"  # type: ignore[union-attr]
        # The demo obeys the kinds' rules: 王芳's application was reviewed before it went to the centre (on the
        # poverty fast track), and the wage dispute went to the committee with its details and its result.
        from lawdesk.legalaid.models import LegalAidApplication
        from lawdesk.mediation.models import DisputeDetail, MediationResult

        application = LegalAidApplication.objects.get(matter__node=station)
        assert application.review_opinion == "eligible" and application.fast_track
        assert application.matter.institution.kind == "legal_aid_centre"  # type: ignore[union-attr]
        codes = list(application.matter.events.order_by("id").values_list("code", flat=True))
        assert codes.index("legal_aid_reviewed") < codes.index("transferred")
        assert DisputeDetail.objects.filter(matter__node=station).exists()
        assert MediationResult.objects.filter(matter__node=station, result="success").exists()

    def test_demo_visits_are_numbered_without_gaps(self) -> None:
        from lawdesk.matters.models import Visit

        station = OrgNode.objects.get(kind=NodeKind.TOWN_STATION, region_code="610113001000")
        seqs = sorted(Visit.objects.filter(node=station).values_list("seq", flat=True))
        assert seqs == list(range(1, len(seqs) + 1)) and len(seqs) >= 6


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
class TestDemoAdvisers:
    def test_the_adviser_lands_on_their_villages_and_the_board_shows_every_state(self, settings: Any) -> None:
        from lawdesk.advisers import selectors
        from lawdesk.advisers.models import ContractState, RecordStatus, ServiceRecord, TownGroup
        from lawdesk.core import clock
        from tests.conftest import client_for

        settings.DEMO_MODE = True
        adviser = User.objects.get(username="adviser")
        client = client_for(adviser)
        home = client.get("/", follow=True).content.decode()
        assert "吉祥村" in home and "登记服务" in home and "待审核" in home
        records = ServiceRecord.objects.filter(adviser=adviser)
        assert {r.status for r in records} == set(RecordStatus.values) and records.filter(
            photos__isnull=False
        )
        office = OrgNode.objects.get(kind=NodeKind.JUDICIAL_OFFICE, region_code="610113001000")
        assert TownGroup.objects.get(office=office).members.count() >= 5
        staff = User.objects.get(username="office")
        states = {
            r.village.name: r.state
            for r in selectors.board(selectors.villages_for(staff), clock.today()).rows
        }
        assert set(states.values()) == set(ContractState.values)
        assert states["翠华新村"] == ContractState.NONE

    def test_yanta_is_registered_in_full_with_every_way_a_village_is_served(self) -> None:
        from lawdesk.core import clock
        from lawdesk.coverage import selectors
        from lawdesk.orgs.models import Village

        district = OrgNode.objects.get(kind=NodeKind.DISTRICT_BUREAU, region_code="610113")
        offices = OrgNode.objects.filter(parent=district, kind=NodeKind.JUDICIAL_OFFICE)
        villages = Village.objects.filter(office__parent=district)
        assert set(villages.values_list("office", flat=True)) == set(offices.values_list("pk", flat=True))
        counts = selectors.coverage_counts(villages, clock.today(), "office__parent_id")[district.pk]
        assert all(counts[key] > 0 for key in ("station", "lightbox", "adviser", "none")), counts
        assert counts["none"] < counts["all"] // 4  # a few served by nothing


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
class TestDemoStaff:
    def test_the_district_board_shows_the_one_worker_below_the_years_hours(self) -> None:
        from lawdesk.core import clock
        from lawdesk.staff.models import Course
        from lawdesk.staff.selectors import hours_board

        district = User.objects.get(username="district")
        assert Course.objects.filter(organiser__name="雁塔区司法局").count() == 2
        below = hours_board(district, clock.today().year)
        assert [(r.user.username, r.hours, r.missing) for r in below] == [("demo_sunli", 24, 16)]
        assert below[0].unit == "小寨路街道公共法律服务站"
