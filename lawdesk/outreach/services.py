"""Every change of the poverty-area and publicity records goes through here; Chinese ValidationErrors say why a
change is refused. Callers pass what the actor may reach; these functions check it again."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from lawdesk.core import clock
from lawdesk.core.audit import audit
from lawdesk.core.audit_actions import AuditAction
from lawdesk.core.service import service
from lawdesk.core.tree import ancestor_paths, covers
from lawdesk.matters import access as matter_access
from lawdesk.matters.attachments import check_upload
from lawdesk.matters.models import Matter
from lawdesk.notifications.services import notify
from lawdesk.orgs.models import OrgNode, subtree_q
from lawdesk.orgs.rules import NodeKind
from lawdesk.outreach import selectors
from lawdesk.outreach.models import (
    Activity,
    Channel,
    OutreachPhoto,
    OutreachReminder,
    PoorVillage,
    PovertyService,
    PublicityDuty,
    PublicityEvent,
    PublicityKind,
    ServiceTeam,
    TeamMember,
)
from lawdesk.outreach.selectors import Quarter

PHOTO_KINDS = frozenset({"jpg", "png"})


def _require_district(actor: Any, district: OrgNode) -> None:
    if not selectors.districts_for(actor).filter(pk=district.pk).exists():
        raise PermissionDenied("您无权登记该区(县)的记录。")


def _require_manage(actor: Any, district: OrgNode) -> None:
    if not selectors.can_manage_district(actor, district):
        raise PermissionDenied("只有区(县)司法局管理员可以维护贫困村和服务团(队)。")


@service(AuditAction.OUTREACH_VILLAGE_CREATE)
def village_create(
    *, actor: Any, district: OrgNode, name: str, region_code: str, office: OrgNode | None = None,
    station: OrgNode | None = None,
) -> PoorVillage:  # fmt: skip
    _require_manage(actor, district)
    village = PoorVillage(
        district=district, office=office, station=station, name=name.strip(), region_code=region_code.strip()
    )
    village.full_clean()
    village.save()
    return village


@service(AuditAction.OUTREACH_TEAM_CREATE)
def team_create(*, actor: Any, district: OrgNode, name: str, kind: str, lead: Any) -> ServiceTeam:
    _require_manage(actor, district)
    team = ServiceTeam(district=district, name=name.strip(), kind=kind, lead=lead)
    team.full_clean()
    team.save()
    return team


@service(AuditAction.OUTREACH_MEMBER_ADD)
def member_add(*, actor: Any, team: ServiceTeam, name: str, category: str, user: Any = None) -> TeamMember:
    _require_manage(actor, team.district)
    member = TeamMember(
        team=team, name=name.strip() or (str(user) if user else ""), category=category, user=user
    )
    member.full_clean()
    member.save()
    return member


def check_photo(file: Any) -> str:
    """The stored extension of an acceptable photo (JPG or PNG, checked by content), or a ValidationError."""
    kind = check_upload(file)
    if kind.ext not in PHOTO_KINDS:
        name = str(getattr(file, "name", "") or "未命名文件")
        raise ValidationError(f"“{name}”不是照片，照片只能上传JPG、PNG文件。", code="type")
    return kind.ext


def _store_photos(
    actor: Any,
    files: Iterable[Any],
    *,
    service: PovertyService | None = None,
    event: PublicityEvent | None = None,
) -> list[str]:
    """Store the photos (already checked); returns the stored names so a failure can delete them."""
    stored: list[str] = []
    now = clock.localnow()
    for file in files:
        ext = check_photo(file)
        name = default_storage.save(f"outreach/{now:%Y}/{now:%m}/{uuid.uuid4().hex}.{ext}", file)
        stored.append(name)
        OutreachPhoto.objects.create(
            service=service,
            event=event,
            file=name,
            original_name=str(file.name).replace("\\", "/").rsplit("/", 1)[-1][:255],
            content_type="image/png" if ext == "png" else "image/jpeg",
            size=int(file.size),
            uploaded_by=actor,
        )
    return stored


def _with_photos(actor: Any, photos: list[Any], create: Any) -> Any:
    for photo in photos:
        check_photo(photo)  # every photo is checked before anything is stored
    stored: list[str] = []
    try:
        with transaction.atomic():
            record, stored = create(stored)
    except Exception:
        for name in stored:
            default_storage.delete(name)
        raise
    return record


def _check_date(day: datetime.date, today: datetime.date) -> None:
    if day > today:
        raise ValidationError({"date": "日期不能晚于今天。"})


@service(AuditAction.OUTREACH_SERVICE_RECORD)
def service_record(
    *, actor: Any, village: PoorVillage, team: ServiceTeam, date: datetime.date, activities: list[str],
    description: str, people_served: int, matters: Iterable[Matter] = (), photos: Iterable[Any] = (),
    today: datetime.date | None = None,
) -> PovertyService:  # fmt: skip
    """Record one special service in a poor village; the matters taken in during it are linked."""
    _require_district(actor, village.district)
    today = today or clock.today()
    errors: dict[str, list[str]] = {}
    if team.district_id != village.district_id:
        errors.setdefault("team", []).append("服务团(队)须是本区(县)的服务团(队)。")
    if date > today:
        errors.setdefault("date", []).append("服务日期不能晚于今天。")
    if not activities:
        errors.setdefault("activities", []).append("请至少选择一项服务内容。")
    elif any(a not in Activity.values for a in activities):
        errors.setdefault("activities", []).append("服务内容无效。")
    if not description.strip():
        errors.setdefault("description", []).append("请填写服务情况。")
    if people_served < 1:
        errors.setdefault("people_served", []).append("服务人数至少为1人。")
    matter_list = list(matters)
    if matter_list:
        reachable = set(
            matter_access.visible_matters(actor)
            .filter(subtree_q(village.district.path, "node__"), pk__in=[m.pk for m in matter_list])
            .values_list("pk", flat=True)
        )
        outside = [m for m in matter_list if m.pk not in reachable]
        if outside:
            errors.setdefault("matters", []).append("所选事项不在本区(县)或不在您的权限范围内，不能关联。")
    if errors:
        raise ValidationError(errors)
    photo_list = list(photos)

    def create(stored: list[str]) -> tuple[PovertyService, list[str]]:
        service = PovertyService.objects.create(
            village=village,
            team=team,
            date=date,
            activities=[a for a in Activity.values if a in activities],
            description=description.strip(),
            people_served=people_served,
            recorded_by=actor,
        )
        service.matters.set(matter_list)
        stored += _store_photos(actor, photo_list, service=service)
        return service, stored

    return _with_photos(actor, photo_list, create)


def _district_of(node: OrgNode) -> OrgNode | None:
    """The district bureau at or above ``node`` (None for the city bureau)."""
    return (
        OrgNode.objects.filter(path__in=ancestor_paths(node.path), kind=NodeKind.DISTRICT_BUREAU)
        .order_by("-path")
        .first()
    )


@service(AuditAction.OUTREACH_EVENT_RECORD)
def event_record(
    *, actor: Any, node: OrgNode, date: datetime.date, place: str, theme: str, organiser: str,
    audience_count: int, materials_count: int = 0, kind: str = PublicityKind.PUBLICITY,
    channels: Iterable[str] = (), department: str = "", duty: PublicityDuty | None = None,
    photos: Iterable[Any] = (), today: datetime.date | None = None,
) -> PublicityEvent:  # fmt: skip
    """Record a publicity event at the recorder's node (a platform, a judicial office, a district or the city
    bureau); it may name the department of the responsibility list whose duty it fulfils."""
    if not selectors.event_nodes_for(actor).filter(pk=node.pk).exists():
        raise PermissionDenied("您无权以该单位登记法治宣传活动。")
    today = today or clock.today()
    _check_date(date, today)
    channel_list = list(channels)
    errors: dict[str, list[str]] = {}
    if any(c not in Channel.values for c in channel_list):
        errors.setdefault("channels", []).append("宣传媒介和渠道无效。")
    if duty is not None:
        if not duty.active:
            errors.setdefault("duty", []).append("该普法责任已不在册。")
        elif not covers(duty.node.path, node.path) and not covers(node.path, duty.node.path):
            errors.setdefault("duty", []).append("所选普法责任不属于本单位所在的市或区(县)。")
    if errors:
        raise ValidationError(errors)
    event = PublicityEvent(
        node=node,
        district=_district_of(node),
        kind=kind,
        channels=[c for c in Channel.values if c in channel_list],
        date=date,
        place=place.strip(),
        theme=theme.strip(),
        organiser=organiser.strip(),
        department=(department.strip() or (duty.department if duty else "")),
        duty=duty,
        audience_count=audience_count,
        materials_count=materials_count,
        recorded_by=actor,
    )
    event.full_clean()
    photo_list = list(photos)

    def create(stored: list[str]) -> tuple[PublicityEvent, list[str]]:
        event.save()
        stored += _store_photos(actor, photo_list, event=event)
        return event, stored

    return _with_photos(actor, photo_list, create)


def _require_duty_node(actor: Any, node: OrgNode) -> None:
    if not selectors.duty_nodes_for(actor).filter(pk=node.pk).exists():
        raise PermissionDenied("只有市、区(县)司法局管理员可以维护普法责任清单。")


@service(AuditAction.OUTREACH_DUTY_CREATE)
def duty_create(
    *, actor: Any, node: OrgNode, year: int, department: str, laws: str, contact: str = ""
) -> PublicityDuty:
    """Add a department to the 谁执法谁普法、谁服务谁普法 responsibility list of a city or district."""
    _require_duty_node(actor, node)
    duty = PublicityDuty(
        node=node, year=year, department=department.strip(), laws=laws.strip(), contact=contact.strip()
    )
    duty.full_clean()
    duty.save()
    return duty


@service(AuditAction.OUTREACH_DUTY_UPDATE)
def duty_update(
    *, actor: Any, duty: PublicityDuty, year: int, department: str, laws: str, contact: str, active: bool
) -> PublicityDuty:
    _require_duty_node(actor, duty.node)
    duty.year, duty.department, duty.laws = year, department.strip(), laws.strip()
    duty.contact, duty.active = contact.strip(), active
    duty.full_clean()
    duty.save()
    return duty


@service(AuditAction.OUTREACH_PHOTOS_ADD)
def photos_add(*, actor: Any, service: PovertyService, photos: list[Any]) -> None:
    _require_district(actor, service.village.district)

    def create(stored: list[str]) -> tuple[PovertyService, list[str]]:
        stored += _store_photos(actor, photos, service=service)
        # Nothing is returned: the row names the service the photos were added to.
        audit(
            actor=actor,
            action="outreach.photos_add",
            obj=service,
            node=service.village.district,
            data={"photos": len(photos)},
        )
        return service, stored

    _with_photos(actor, photos, create)


# --- reminders --------------------------------------------------------------------------------------------


def send_reminders(*, today: datetime.date | None = None, force: bool = False) -> int:
    """In the last month of a quarter (any day with ``force``), remind each lead of an active team whose district
    has active poor villages not yet served this quarter: in app and by SMS, at most once per ISO week.
    Returns how many leads were reminded."""
    today = today or clock.today()
    quarter = Quarter.of(today)
    if not force and not quarter.in_last_month(today):
        return 0
    iso_year, iso_week, _ = today.isocalendar()
    served = PovertyService.objects.filter(date__gte=quarter.start, date__lte=quarter.end).values(
        "village_id"
    )
    unserved = PoorVillage.objects.filter(active=True).exclude(pk__in=served).select_related("district")
    by_district: dict[int, list[PoorVillage]] = {}
    for village in unserved.order_by("region_code"):
        by_district.setdefault(village.district_id, []).append(village)
    by_lead: dict[int, tuple[Any, list[PoorVillage]]] = {}
    for team in ServiceTeam.objects.filter(active=True, district_id__in=by_district).select_related("lead"):
        lead, villages = by_lead.setdefault(team.lead_id, (team.lead, []))
        villages += [v for v in by_district[team.district_id] if v not in villages]
    calendar_days = (quarter.end - today).days + 1
    count = 0
    for lead, villages in by_lead.values():
        if not lead.is_active:
            continue
        try:
            with transaction.atomic():
                OutreachReminder.objects.create(user=lead, iso_year=iso_year, iso_week=iso_week)
                names = "、".join(v.name for v in villages[:10]) + ("等" if len(villages) > 10 else "")
                notify(
                    user=lead,
                    text=(
                        f"脱贫攻坚专项法律服务提醒：{quarter.label}还剩{calendar_days}天，"
                        f"{len(villages)}个贫困村本季度尚未开展专项服务：{names}。"
                    ),
                )
        except IntegrityError:
            continue  # already reminded this week
        count += 1
    return count
