"""Every change of the advisers' records goes through here; Chinese ValidationErrors name the field that is wrong.
Callers pass what the actor may reach; these functions check it again."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction

from lawdesk.accounts import scoping
from lawdesk.accounts.models import Role
from lawdesk.advisers import selectors
from lawdesk.advisers.models import (
    EXPIRY_WARNING_DAYS,
    AdviserContract,
    MemberCategory,
    RecordStatus,
    ServiceKind,
    ServicePhoto,
    ServiceRecord,
    TownGroup,
    TownGroupMember,
)
from lawdesk.core import clock
from lawdesk.core.audit import audit
from lawdesk.core.audit_actions import AuditAction
from lawdesk.core.service import service
from lawdesk.core.validators import validate_personal_phone
from lawdesk.institutions.models import Institution, InstitutionKind
from lawdesk.matters.attachments import check_upload
from lawdesk.notifications.services import notify
from lawdesk.orgs.models import OrgNode, Village
from lawdesk.orgs.rules import NodeKind

PHOTO_KINDS = frozenset({"jpg", "png"})
ADVISER_INSTITUTIONS = (InstitutionKind.LAW_FIRM, InstitutionKind.GRASSROOTS_LEGAL_OFFICE)
MAX_HOURS = Decimal("24")


def _require_check(actor: Any, office: OrgNode) -> None:
    if actor is not None and not selectors.can_check_at(actor, office):
        raise PermissionDenied("只有本司法所工作人员或上级管理员可以办理。")


# --- contracts ----------------------------------------------------------------------------------------------


@service(AuditAction.ADVISER_CONTRACT_CREATE)
def contract_create(
    *, actor: Any, village: Village, adviser: Any, institution: Institution, start: datetime.date,
    end: datetime.date, signed: datetime.date,
) -> AdviserContract:  # fmt: skip
    """Register an adviser's contract for a village (``actor=None``: the demo loader)."""
    _require_check(actor, village.office)
    errors: dict[str, list[str]] = {}
    if not village.is_active:
        errors.setdefault("village", []).append("该村(社区)已停用，不能登记顾问合同。")
    scoping.forget_scope(adviser)
    if not scoping.holds_at(adviser, village.office, Role.LEGAL_ADVISER):
        errors.setdefault("adviser", []).append(
            f"{adviser}不是{village.office.name}指导的村(社区)法律顾问，请先为其开设法律顾问账号。"
        )
    if institution.kind not in ADVISER_INSTITUTIONS:
        errors.setdefault("institution", []).append("所在机构须为律师事务所或基层法律服务所。")
    if end < start:
        errors.setdefault("end", []).append("合同截止日期不能早于起始日期。")
    if signed > start:
        errors.setdefault("signed", []).append("签订日期不能晚于合同起始日期。")
    overlapping = AdviserContract.objects.filter(village=village, start__lte=end, end__gte=start)
    if not errors and overlapping.exists():
        errors.setdefault("start", []).append("该村(社区)在此期间已有顾问合同，合同期不能重叠。")
    if errors:
        raise ValidationError(errors)
    contract = AdviserContract.objects.create(
        village=village, adviser=adviser, institution=institution, start=start, end=end, signed=signed,
        created_by=actor or adviser,
    )  # fmt: skip
    audit(
        actor=actor, action=AuditAction.ADVISER_CONTRACT_CREATE, obj=contract, node=village.office,
        data={"village": village.region_code, "start": start.isoformat(), "end": end.isoformat()},
    )  # fmt: skip
    return contract


# --- service records ----------------------------------------------------------------------------------------


def check_photo(file: Any) -> str:
    """The stored extension of an acceptable photo (JPG or PNG, checked by content), or a ValidationError."""
    kind = check_upload(file)
    if kind.ext not in PHOTO_KINDS:
        name = str(getattr(file, "name", "") or "未命名文件")
        raise ValidationError(f"“{name}”不是照片，照片只能上传JPG、PNG文件。", code="type")
    return kind.ext


def _require_own(actor: Any, contract: AdviserContract) -> None:
    if (
        contract.adviser_id != getattr(actor, "pk", None)
        or not selectors.own_contracts(actor).filter(pk=contract.pk).exists()
    ):
        raise PermissionDenied("只能登记本人担任法律顾问的村(社区)的服务。")


def _check_record(
    contract: AdviserContract, date: datetime.date, kind: str, hours: Decimal, people_served: int,
    description: str, photos: list[Any], today: datetime.date,
) -> None:  # fmt: skip
    errors: dict[str, list[str]] = {}
    if date > today:
        errors.setdefault("date", []).append("服务日期不能晚于今天。")
    elif not contract.active_on(date):
        errors.setdefault("date", []).append(
            f"服务日期须在顾问合同期内（{contract.start:%Y-%m-%d}至{contract.end:%Y-%m-%d}）。"
        )
    if kind not in ServiceKind.values:
        errors.setdefault("kind", []).append("请选择服务类型。")
    if hours is None or hours <= 0 or hours > MAX_HOURS:
        errors.setdefault("hours", []).append("服务时长应大于0且不超过24小时。")
    if people_served < 0:
        errors.setdefault("people_served", []).append("服务人次不能为负数。")
    if not description.strip():
        errors.setdefault("description", []).append("请填写服务情况。")
    for photo in photos:
        try:
            check_photo(photo)
        except ValidationError as exc:
            errors.setdefault("photos", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)


@service(AuditAction.ADVISER_RECORD_CREATE)
def record_create(
    *, actor: Any, contract: AdviserContract, date: datetime.date, kind: str, hours: Decimal,
    people_served: int, description: str, photos: Iterable[Any] = (), today: datetime.date | None = None,
) -> ServiceRecord:  # fmt: skip
    """The adviser records one service given in a village under their contract; it waits for the office's check."""
    today = today or clock.today()
    _require_own(actor, contract)
    photo_list = list(photos)
    _check_record(contract, date, kind, hours, people_served, description, photo_list, today)
    stored: list[str] = []
    try:
        with transaction.atomic():
            record = ServiceRecord.objects.create(
                contract=contract, village=contract.village, adviser=actor, date=date, kind=kind,
                hours=hours, people_served=people_served, description=description.strip(),
            )  # fmt: skip
            stored = _store_photos(actor, record, photo_list)
            audit(
                actor=actor, action=AuditAction.ADVISER_RECORD_CREATE, obj=record, node=contract.village.office,
                data={"kind": kind, "photos": len(photo_list)},
            )  # fmt: skip
    except Exception:
        for name in stored:
            default_storage.delete(name)
        raise
    return record


def _store_photos(actor: Any, record: ServiceRecord, files: list[Any]) -> list[str]:
    stored: list[str] = []
    now = clock.localnow()
    for file in files:
        ext = check_photo(file)
        name = default_storage.save(f"advisers/{now:%Y}/{now:%m}/{uuid.uuid4().hex}.{ext}", file)
        stored.append(name)
        ServicePhoto.objects.create(
            record=record,
            file=name,
            original_name=str(file.name).replace("\\", "/").rsplit("/", 1)[-1][:255],
            content_type="image/png" if ext == "png" else "image/jpeg",
            size=int(file.size),
            uploaded_by=actor,
        )
    return stored


@service(AuditAction.ADVISER_RECORD_RESUBMIT)
def record_resubmit(
    *, actor: Any, record: ServiceRecord, date: datetime.date, kind: str, hours: Decimal, people_served: int,
    description: str, photos: Iterable[Any] = (), today: datetime.date | None = None,
) -> ServiceRecord:  # fmt: skip
    """The adviser corrects a record the office returned and submits it again (it waits for a new check)."""
    today = today or clock.today()
    _require_own(actor, record.contract)
    if record.adviser_id != actor.pk:
        raise PermissionDenied("只能更正本人登记的服务。")
    if record.status != RecordStatus.RETURNED:
        raise ValidationError({"status": "只有被退回的记录可以更正后重新提交。"})
    photo_list = list(photos)
    _check_record(record.contract, date, kind, hours, people_served, description, photo_list, today)
    stored: list[str] = []
    try:
        with transaction.atomic():
            record.date, record.kind, record.hours = date, kind, hours
            record.people_served, record.description = people_served, description.strip()
            record.status = RecordStatus.PENDING
            record.save()
            stored = _store_photos(actor, record, photo_list)
            audit(
                actor=actor, action=AuditAction.ADVISER_RECORD_RESUBMIT, obj=record, node=record.village.office,
                data={"kind": kind, "photos": len(photo_list), "returned_by": record.checked_by_id},
            )  # fmt: skip
    except Exception:
        for name in stored:
            default_storage.delete(name)
        raise
    return record


@service(AuditAction.ADVISER_RECORD_CHECK)
def record_check(*, actor: Any, record: ServiceRecord, approve: bool, comment: str = "") -> ServiceRecord:
    """The office approves a record, or returns it with a comment saying what to correct."""
    _require_check(actor, record.village.office)
    if record.status != RecordStatus.PENDING:
        raise ValidationError({"status": f"该记录已{record.get_status_display()}，不能再审核。"})
    comment = comment.strip()
    if not approve and not comment:
        raise ValidationError({"comment": "退回时请填写审核意见，说明需要更正的内容。"})
    record.status = RecordStatus.APPROVED if approve else RecordStatus.RETURNED
    record.checked_by = actor
    record.checked_at = clock.now()
    record.comment = comment
    record.save(update_fields=["status", "checked_by", "checked_at", "comment", "updated_at"])
    audit(
        actor=actor, action=AuditAction.ADVISER_RECORD_CHECK, obj=record, node=record.village.office,
        data={"status": record.status},
    )  # fmt: skip
    if not approve:
        notify(
            user=record.adviser,
            text=f"您{record.date:%m月%d日}在{record.village.name}的服务记录被退回：{comment}",
        )
    return record


# --- the town's WeChat group --------------------------------------------------------------------------------


@service(AuditAction.TOWN_GROUP_SET)
def town_group_set(*, actor: Any, office: OrgNode, name: str, created: datetime.date) -> TownGroup:
    """Register (or rename) the town's WeChat group led by ``office``."""
    if office.kind != NodeKind.JUDICIAL_OFFICE:
        raise ValidationError({"office": "微信群须由司法所牵头建立。"})
    _require_check(actor, office)
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "请填写群名称。"
    if created > clock.today():
        errors["created"] = "建群日期不能晚于今天。"
    if errors:
        raise ValidationError(errors)
    group = TownGroup.objects.filter(office=office).first()
    if group is None:
        group = TownGroup.objects.create(office=office, name=name.strip(), created=created, created_by=actor)
    else:
        group.name, group.created = name.strip(), created
        group.save(update_fields=["name", "created"])
    audit(actor=actor, action=AuditAction.TOWN_GROUP_SET, obj=group, node=office, data={})
    return group


@service(AuditAction.TOWN_GROUP_MEMBER_ADD)
def town_group_member_add(
    *, actor: Any, group: TownGroup, name: str, category: str, village: Village | None = None, phone: str = ""
) -> TownGroupMember:
    _require_check(actor, group.office)
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "请填写姓名。"
    if category not in MemberCategory.values:
        errors["category"] = "请选择人员类别。"
    if village is not None and village.office_id != group.office_id:
        errors["village"] = "村(社区)须是本镇(街道)的村(社区)。"
    if phone.strip():
        try:
            validate_personal_phone(phone.strip())
        except ValidationError as exc:
            errors["phone"] = " ".join(exc.messages)
    if errors:
        raise ValidationError(errors)
    member = TownGroupMember.objects.create(
        group=group, name=name.strip(), category=category, village=village, phone=phone.strip()
    )
    audit(
        actor=actor, action=AuditAction.TOWN_GROUP_MEMBER_ADD, obj=member, node=group.office,
        data={"category": category},
    )  # fmt: skip
    return member


@service(AuditAction.TOWN_GROUP_MEMBER_REMOVE)
def town_group_member_remove(*, actor: Any, member: TownGroupMember) -> TownGroup:
    group = member.group
    _require_check(actor, group.office)
    audit(
        actor=actor, action=AuditAction.TOWN_GROUP_MEMBER_REMOVE, obj=group, node=group.office,
        data={"category": member.category},
    )  # fmt: skip
    member.delete()
    return group


# --- reminders ----------------------------------------------------------------------------------------------


def send_contract_reminders(*, today: datetime.date | None = None) -> int:
    """Tell the office's staff of each contract ending within 30 days, once per contract end (a new end date is
    told again). Returns how many contracts were told of."""
    today = today or clock.today()
    horizon = today + datetime.timedelta(days=EXPIRY_WARNING_DAYS)
    due = AdviserContract.objects.filter(end__gte=today, end__lte=horizon).select_related(
        "village", "village__office", "adviser"
    )
    count = 0
    for contract in due:
        if contract.reminded_end == contract.end:
            continue
        # a later contract for the village already signed: nothing to remind
        if AdviserContract.objects.filter(village=contract.village, start__gt=contract.end).exists():
            continue
        with transaction.atomic():
            told = (
                AdviserContract.objects.filter(pk=contract.pk)
                .exclude(reminded_end=contract.end)
                .update(reminded_end=contract.end)
            )
            if not told:
                continue
            days = (contract.end - today).days
            for user in scoping.users_holding(
                Role.OFFICE_STAFF, at=contract.village.office, people_only=True
            ):
                notify(
                    user=user,
                    text=(
                        f"法律顾问合同到期提醒：{contract.village.name}的法律顾问{contract.adviser}的合同"
                        f"将于{contract.end:%Y年%m月%d日}到期（还有{days}天），请及时续签或另行选聘。"
                    ),
                )
        count += 1
    return count
