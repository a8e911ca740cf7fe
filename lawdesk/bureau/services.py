"""Changes to the divisions, the 督办 records and the construction timetable. Keyword-only, one transaction
each, audited once (``@service``); the rules live here, every message is Chinese.

Rules: only the city's admins (city admin, system admin at the city bureau) manage the divisions, notify a
division (督办) and set the timetable's planned dates; a district's admin reports its own progress (actual date,
%, notes), the city's admins any district's; a milestone out of reach answers 404 in the selectors before it
gets here, a forbidden change is ``PermissionDenied``."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from lawdesk.accounts.models import User
from lawdesk.bureau import rules
from lawdesk.bureau.models import Area, Division, Milestone, Stage, Supervision
from lawdesk.core import clock
from lawdesk.core.audit import audit
from lawdesk.core.audit_actions import AuditAction
from lawdesk.core.service import service
from lawdesk.core.tree import NodeKind
from lawdesk.orgs.models import OrgNode


def _require_city(actor: Any, what: str) -> None:
    if not rules.manages_city(actor):
        raise PermissionDenied(f"只有市局管理员可以{what}。")


def _clean_division(
    *, name: str, areas: Iterable[str], head: str, contact: str, exclude: int | None = None
) -> tuple[str, list[str], str, str]:
    errors: dict[str, list[str]] = {}
    name, head, contact = name.strip(), head.strip(), contact.strip()
    chosen = [a for a in Area.values if a in set(areas)]
    unknown = [a for a in areas if a not in Area.values]
    if not name:
        errors.setdefault("name", []).append("请填写处(室)名称。")
    elif Division.objects.filter(name=name).exclude(pk=exclude or 0).exists():
        errors.setdefault("name", []).append(f"已有名为“{name}”的处(室)。")
    if not head:
        errors.setdefault("head", []).append("请填写负责人。")
    if unknown:
        errors.setdefault("areas", []).append("对口负责领域无效：" + "、".join(unknown) + "。")
    elif not chosen:
        errors.setdefault("areas", []).append("请至少选择一个对口负责领域。")
    # One division answers for an area: the 倒查 has exactly one place to lead to.
    taken = Division.objects.filter(is_active=True).exclude(pk=exclude or 0)
    for other in taken:
        clash = [Area(a).label for a in chosen if a in other.areas]
        if clash:
            errors.setdefault("areas", []).append(f"{'、'.join(clash)}已由{other.name}对口负责。")
    if errors:
        raise ValidationError(errors)
    return name, chosen, head, contact


@service(AuditAction.BUREAU_DIVISION_CREATE)
def division_create(
    *, actor: Any, name: str, areas: Iterable[str], head: str, contact: str = "", staff: Iterable[User] = ()
) -> Division:
    _require_city(actor, "登记市局处(室)")
    name, chosen, head, contact = _clean_division(name=name, areas=list(areas), head=head, contact=contact)
    division = Division.objects.create(
        name=name, areas=chosen, head=head, contact=contact, position=Division.objects.count() + 1
    )
    division.staff.set(list(staff))
    audit(actor=actor, action=AuditAction.BUREAU_DIVISION_CREATE, obj=division,
          data={"areas": chosen, "staff": sorted(u.pk for u in division.staff.all())})  # fmt: skip
    return division


@service(AuditAction.BUREAU_DIVISION_UPDATE)
def division_update(
    *,
    actor: Any,
    division: Division,
    name: str,
    areas: Iterable[str],
    head: str,
    contact: str = "",
    staff: Iterable[User] = (),
    is_active: bool = True,
) -> Division:
    _require_city(actor, "修改市局处(室)")
    division = Division.objects.select_for_update().get(pk=division.pk)
    name, chosen, head, contact = _clean_division(
        name=name, areas=list(areas), head=head, contact=contact, exclude=division.pk
    )
    before = {"name": division.name, "areas": division.areas, "head": division.head,
              "is_active": division.is_active}  # fmt: skip
    division.name, division.areas, division.head, division.contact = name, chosen, head, contact
    division.is_active = is_active
    division.save()
    division.staff.set(list(staff))
    audit(actor=actor, action=AuditAction.BUREAU_DIVISION_UPDATE, obj=division,
          data={"before": before, "areas": chosen, "is_active": is_active,
                "staff": sorted(u.pk for u in division.staff.all())})  # fmt: skip
    return division


@service(AuditAction.BUREAU_SUPERVISE)
def supervise(*, actor: Any, division: Division, problem_key: str, note: str) -> Supervision:
    """Record that ``division`` was notified (督办) about one of the problems traced to it today."""
    from lawdesk.bureau import selectors

    _require_city(actor, "督办对口处(室)")
    note = note.strip()
    if not note:
        raise ValidationError({"note": "请填写督办意见。"})
    problem = next((p for p in selectors.problems_of(division, clock.today()) if p.key == problem_key), None)
    if problem is None:
        raise ValidationError({"problem_key": "该问题不属于本处(室)对口负责，或已不再存在。"})
    record = Supervision.objects.create(
        division=division, problem_key=problem.key, problem_text=problem.title[:200], note=note[:300],
        by=actor, at=clock.now(),
    )  # fmt: skip
    audit(actor=actor, action=AuditAction.BUREAU_SUPERVISE, obj=record, node=problem.node,
          data={"division": division.pk, "problem": problem.key})  # fmt: skip
    return record


def _require_district(node: OrgNode) -> None:
    if node.kind != NodeKind.DISTRICT_BUREAU:
        raise ValidationError({"district": "建设时间节点只下达给区(县)司法局。"})


@service(AuditAction.BUREAU_MILESTONE_PLAN)
def milestone_plan(
    *, actor: Any, district: OrgNode, planned: Mapping[str, datetime.date | None]
) -> list[Milestone]:
    """Set the planned dates of a district's stages (a stage left empty keeps its date, or stays unplanned)."""
    _require_city(actor, "下达建设时间节点")
    _require_district(district)
    unknown = [s for s in planned if s not in Stage.values]
    if unknown:
        raise ValidationError({"stage": "阶段无效：" + "、".join(unknown) + "。"})
    dates = [(s, planned.get(s)) for s in Stage.values]
    given = [(s, d) for s, d in dates if d is not None]
    if not given:
        raise ValidationError({"planned": "请至少填写一个阶段的计划完成日期。"})
    for (first, a), (second, b) in itertools.pairwise(given):
        if a is not None and b is not None and b < a:
            raise ValidationError(
                {second: f"{Stage(second).label}的计划日期不能早于{Stage(first).label}（{a:%Y年%m月%d日}）。"}
            )
    changed: list[Milestone] = []
    for stage, day in given:
        assert day is not None
        milestone, created = Milestone.objects.get_or_create(
            district=district, stage=stage, defaults={"planned_on": day, "updated_by": actor}
        )
        if not created and milestone.planned_on != day:
            milestone.planned_on, milestone.updated_by = day, actor
            milestone.save(update_fields=["planned_on", "updated_by", "updated_at"])
        changed.append(milestone)
    audit(actor=actor, action=AuditAction.BUREAU_MILESTONE_PLAN, obj=changed[0], node=district,
          data={"planned": {s: d.isoformat() for s, d in given if d is not None}})  # fmt: skip
    return changed


@service(AuditAction.BUREAU_MILESTONE_REPORT)
def milestone_report(
    *, actor: Any, milestone: Milestone, progress: int, actual_on: datetime.date | None = None, note: str = ""
) -> Milestone:
    """The district reports a stage's progress; a completion date means 100%."""
    milestone = (
        Milestone.objects.select_for_update(of=("self",)).select_related("district").get(pk=milestone.pk)
    )
    if not rules.may_report_progress(actor, milestone.district):
        raise PermissionDenied("只有本区(县)司法局管理员或市局管理员可以报告建设进度。")
    errors: dict[str, str] = {}
    if not 0 <= progress <= 100:
        errors["progress"] = "进度应在0到100之间。"
    if actual_on is not None:
        if actual_on > clock.today():
            errors["actual_on"] = "实际完成日期不能晚于今天。"
        elif progress != 100:
            errors["progress"] = "已填写实际完成日期的，进度应为100%。"
    if errors:
        raise ValidationError(errors)
    before = {"progress": milestone.progress,
              "actual_on": milestone.actual_on.isoformat() if milestone.actual_on else None}  # fmt: skip
    milestone.progress, milestone.actual_on, milestone.note = progress, actual_on, note.strip()[:300]
    milestone.updated_by = actor
    milestone.save()
    audit(actor=actor, action=AuditAction.BUREAU_MILESTONE_REPORT, obj=milestone, node=milestone.district,
          data={"before": before, "progress": progress,
                "actual_on": actual_on.isoformat() if actual_on else None})  # fmt: skip
    return milestone
