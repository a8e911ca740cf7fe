"""State changes of the star rating: standards and their versions, rounds (collect → score on site → publish),
rectification tasks and their escalation. Each is one transaction with an audit row."""

from __future__ import annotations

import datetime
import hashlib
import itertools
import uuid
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction

from lawdesk.accounts import scoping
from lawdesk.accounts.models import Role
from lawdesk.assessment import metrics
from lawdesk.assessment.models import (
    AssessmentFile,
    Grade,
    Indicator,
    Measure,
    Method,
    Notice,
    PlatformPopulation,
    Rectification,
    RectificationStatus,
    RewardRule,
    Round,
    RoundEntry,
    RoundIndicator,
    RoundKind,
    RoundStatus,
    Score,
    Standard,
    StandardStatus,
    StarBand,
    UnitKind,
)
from lawdesk.core import clock
from lawdesk.core.audit import audit
from lawdesk.core.audit_actions import AuditAction
from lawdesk.core.service import service
from lawdesk.orgs.models import OrgNode, subtree_q
from lawdesk.orgs.rules import PLATFORM_KINDS, NodeKind
from lawdesk.workcal import workdays

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
STANDARD_ROLES = (Role.CITY_ADMIN, Role.SYSTEM_ADMIN)


# --- permissions ---------------------------------------------------------------------------------------------


def can_manage_standards(actor: Any) -> bool:
    return scoping.has_role(actor, *STANDARD_ROLES)


def can_organise(actor: Any, node: OrgNode) -> bool:
    """A district admin organises rounds of their district; the city all (city rounds included)."""
    return node.kind in (NodeKind.DISTRICT_BUREAU, NodeKind.CITY_BUREAU) and scoping.can_manage_node(
        actor, node
    )


def can_inspect(actor: Any, round_: Round) -> bool:
    """Inspectors are the organiser's staff (district or city admins over the organiser)."""
    return scoping.can_manage_node(actor, round_.organiser)


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise PermissionDenied(message)


# --- standards -----------------------------------------------------------------------------------------------


def leaf_weight_total(standard: Standard) -> Decimal:
    return sum((i.weight for i in standard.indicators.filter(parent__isnull=False)), Decimal(0))


@service(AuditAction.ASSESSMENT_STANDARD_VERSION)
def standard_new_version(*, actor: Any, standard: Standard) -> Standard:
    """Editing a standard in use means a new draft version: a copy of its tree and bands."""
    _require(can_manage_standards(actor), "只有市局管理员可以修改评定标准。")
    with transaction.atomic():
        latest = Standard.objects.filter(name=standard.name).order_by("-version").first()
        version = (latest.version if latest else standard.version) + 1
        copy = Standard.objects.create(
            name=standard.name, version=version, status=StandardStatus.DRAFT, note=standard.note,
            unit_kind=standard.unit_kind, excellent_score=standard.excellent_score, pass_score=standard.pass_score,
            created_by=actor,
        )  # fmt: skip
        parents: dict[int, Indicator] = {}
        groups_first = sorted(standard.indicators.all(), key=lambda i: (i.parent_id is not None, i.position))
        for indicator in groups_first:
            new = Indicator.objects.create(
                standard=copy,
                parent=parents.get(indicator.parent_id) if indicator.parent_id else None,
                code=indicator.code, name=indicator.name, weight=indicator.weight, method=indicator.method,
                metric=indicator.metric, target=indicator.target, guidance=indicator.guidance,
                position=indicator.position,
            )  # fmt: skip
            parents[indicator.pk] = new
        for band in standard.bands.all():
            StarBand.objects.create(standard=copy, min_score=band.min_score, stars=band.stars)
        audit(actor=actor, action="assessment.standard_version", obj=copy, data={"from": standard.pk})
    return copy


@service(AuditAction.ASSESSMENT_STANDARD_UPDATE)
def standard_update(
    *, actor: Any, standard: Standard, weights: dict[int, Decimal], bands: dict[int, Decimal],
    excellent_score: Decimal | None = None, pass_score: Decimal | None = None,
) -> Standard:  # fmt: skip
    """Change a draft's item weights, star bands (``bands``: stars → min score) and the grade thresholds of
    offices and districts (优秀 / 合格 minimum scores)."""
    _require(can_manage_standards(actor), "只有市局管理员可以修改评定标准。")
    if standard.status != StandardStatus.DRAFT:
        raise ValidationError("只能修改草稿版本；启用中的标准请先“另存为新版本”。")
    errors = []
    for pk, weight in weights.items():
        if weight < 0 or weight > HUNDRED:
            errors.append(f"指标分值应在0到100之间（第{pk}项为{weight}）。")
    for stars, minimum in bands.items():
        if minimum < 0 or minimum > HUNDRED:
            errors.append(f"{stars}星的最低得分应在0到100之间。")
    excellent = standard.excellent_score if excellent_score is None else excellent_score
    passing = standard.pass_score if pass_score is None else pass_score
    if not Decimal(0) <= passing < excellent <= HUNDRED:
        errors.append("应满足：0 ≤ 合格最低得分 < 优秀最低得分 ≤ 100。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        items = {i.pk: i for i in standard.indicators.filter(parent__isnull=False)}
        for pk, weight in weights.items():
            if pk in items:
                items[pk].weight = weight
                items[pk].save(update_fields=["weight"])
        for group in standard.indicators.filter(parent__isnull=True):
            group.weight = sum((c.weight for c in group.children.all()), Decimal(0))
            group.save(update_fields=["weight"])
        for band in standard.bands.all():
            if band.stars in bands:
                band.min_score = bands[band.stars]
                band.save(update_fields=["min_score"])
        standard.excellent_score, standard.pass_score = excellent, passing
        standard.save(update_fields=["excellent_score", "pass_score"])
        audit(
            actor=actor, action="assessment.standard_update", obj=standard,
            data={"weights": {str(k): str(v) for k, v in weights.items()}, "bands": {str(k): str(v) for k, v in bands.items()}},
        )  # fmt: skip
    return standard


@service(AuditAction.ASSESSMENT_STANDARD_ACTIVATE)
def standard_activate(*, actor: Any, standard: Standard) -> Standard:
    """Put a draft in force (its items must weigh 100 in all, bands rise with the stars); the previous active
    version of the same standard is retired. Rounds already started keep their own copy."""
    _require(can_manage_standards(actor), "只有市局管理员可以启用评定标准。")
    if standard.status != StandardStatus.DRAFT:
        raise ValidationError("只有草稿版本可以启用。")
    total = leaf_weight_total(standard)
    if total != HUNDRED:
        raise ValidationError(f"各指标分值合计应为100分，现为{total.normalize():f}分。")
    bands = list(standard.bands.order_by("stars"))
    if not bands and standard.unit_kind == UnitKind.PLATFORM:
        raise ValidationError("须至少有一个星级分档（最低一档的最低得分即及格线）。")
    if any(a.min_score >= b.min_score for a, b in itertools.pairwise(bands)):
        raise ValidationError("星级越高，最低得分应越高。")
    allowed = metrics.UNIT_METRICS.get(standard.unit_kind, set())
    wrong = [i.name for i in standard.indicators.filter(method=Method.AUTO) if i.metric not in allowed]
    if wrong:
        raise ValidationError(
            f"以下自动指标不适用于{standard.get_unit_kind_display()}：" + "、".join(wrong) + "。"
        )
    with transaction.atomic():
        for old in Standard.objects.filter(name=standard.name, status=StandardStatus.ACTIVE):
            old.status = StandardStatus.RETIRED
            old.save(update_fields=["status"])
            audit(actor=actor, action="assessment.standard_retire", obj=old)
        standard.status = StandardStatus.ACTIVE
        standard.save(update_fields=["status"])
        audit(actor=actor, action="assessment.standard_activate", obj=standard)
    return standard


@service(AuditAction.ASSESSMENT_STANDARD_RETIRE)
def standard_retire(*, actor: Any, standard: Standard) -> Standard:
    _require(can_manage_standards(actor), "只有市局管理员可以停用评定标准。")
    with transaction.atomic():
        standard.status = StandardStatus.RETIRED
        standard.save(update_fields=["status"])
        audit(actor=actor, action="assessment.standard_retire", obj=standard)
    return standard


# --- population ----------------------------------------------------------------------------------------------


@service(AuditAction.ASSESSMENT_POPULATION_SET)
def population_set(*, actor: Any, node: OrgNode, population: int, as_of: datetime.date) -> PlatformPopulation:
    _require(
        node.is_platform and scoping.can_manage_node(actor, node), "只有区(县)司法局可以登记平台服务人口。"
    )
    if population <= 0:
        raise ValidationError({"population": "常住人口应为正整数。"})
    with transaction.atomic():
        row, _ = PlatformPopulation.objects.update_or_create(
            node=node, defaults={"population": population, "as_of": as_of, "entered_by": actor}
        )
        audit(
            actor=actor,
            action="assessment.population_set",
            obj=row,
            node=node,
            data={"population": population},
        )
    return row


# --- rounds --------------------------------------------------------------------------------------------------


@service(AuditAction.ASSESSMENT_ROUND_CREATE)
def round_create(
    *, actor: Any, organiser: OrgNode, title: str, kind: str, period_start: datetime.date,
    cut_off: datetime.date, standard: Standard,
) -> Round:  # fmt: skip
    _require(can_organise(actor, organiser), "只有区(县)司法局或市局管理员可以组织本级考核。")
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = "请填写考核名称。"
    if period_start > cut_off:
        errors["cut_off"] = "截止日期不能早于考核期起始日期。"
    if standard.status != StandardStatus.ACTIVE:
        errors["standard"] = "只能选用启用中的评定标准。"
    if kind == RoundKind.QUARTER and organiser.kind != NodeKind.DISTRICT_BUREAU:
        errors["kind"] = "季度考核由区(县)司法局组织。"
    if kind == RoundKind.HALF_YEAR and organiser.kind != NodeKind.CITY_BUREAU:
        errors["kind"] = "半年考核由市局组织。"
    if kind == RoundKind.ANNUAL and organiser.kind != NodeKind.CITY_BUREAU:
        errors["kind"] = "年度责任考核由市局组织。"
    if (kind == RoundKind.ANNUAL) != (standard.unit_kind == UnitKind.DISTRICT):
        errors["standard"] = "年度责任考核选用区(县)年度责任考核标准；区(县)只参加年度责任考核。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        round_ = Round.objects.create(
            organiser=organiser, title=title.strip(), kind=kind, period_start=period_start, cut_off=cut_off,
            standard=standard, unit_kind=standard.unit_kind, created_by=actor,
        )  # fmt: skip
        audit(actor=actor, action="assessment.round_create", obj=round_, node=organiser)
    return round_


def _snapshot(round_: Round) -> None:
    """Copy the standard's items and bands into the round: later edits of the standard never reach it."""
    groups = {g.pk: g for g in round_.standard.indicators.filter(parent__isnull=True)}
    position = 0
    for group in sorted(groups.values(), key=lambda g: (g.position, g.code)):
        for item in group.children.order_by("position", "code"):
            position += 1
            RoundIndicator.objects.create(
                round=round_, code=item.code, name=item.name, group_code=group.code, group_name=group.name,
                weight=item.weight, method=item.method, metric=item.metric, target=item.target,
                guidance=item.guidance, position=position,
            )  # fmt: skip
    round_.bands = [[str(b.min_score), b.stars] for b in round_.standard.bands.order_by("-min_score")]
    round_.excellent_score = round_.standard.excellent_score
    round_.pass_score = round_.standard.pass_score


UNIT_NODE_KINDS = {
    UnitKind.PLATFORM: tuple(PLATFORM_KINDS),
    UnitKind.OFFICE: (NodeKind.JUDICIAL_OFFICE,),
    UnitKind.DISTRICT: (NodeKind.DISTRICT_BUREAU,),
}


def round_units(round_: Round) -> list[OrgNode]:
    """The units the round assesses: the active nodes of its unit kind in the organiser's subtree."""
    return list(
        OrgNode.objects.filter(
            subtree_q(round_.organiser.path),
            kind__in=UNIT_NODE_KINDS[UnitKind(round_.unit_kind)],
            is_active=True,
        ).order_by("path")
    )


def round_platforms(round_: Round) -> list[OrgNode]:
    return round_units(round_)


def _points(weight: Decimal, fraction: Decimal) -> Decimal:
    return (weight * fraction).quantize(CENT, rounding=ROUND_HALF_UP)


@service(AuditAction.ASSESSMENT_ROUND_COLLECT)
def round_collect(*, actor: Any, round_: Round) -> Round:
    """Start collecting (or recompute while collecting): freeze the standard into the round on the first call,
    add every active platform of the organiser's subtree, and fill the automatic scores from the records as
    they stand at the cut-off. Manual scores already entered are kept."""
    _require(can_inspect(actor, round_), "只有组织考核的单位可以进行自动评分。")
    with transaction.atomic():
        round_ = Round.objects.select_for_update().get(pk=round_.pk)
        if round_.status == RoundStatus.PUBLISHED:
            raise ValidationError("考核结果已发布，不能重新评分。")
        if round_.status == RoundStatus.DRAFT:
            _snapshot(round_)
            round_.status = RoundStatus.COLLECTING
        indicators = list(round_.indicators.all())
        now = clock.now()
        for platform in round_platforms(round_):
            entry, _ = RoundEntry.objects.get_or_create(round=round_, platform=platform)
            for indicator in indicators:
                score, _ = Score.objects.get_or_create(entry=entry, indicator=indicator)
                if indicator.method != Method.AUTO:
                    continue
                ctx = metrics.Context(round_.period_start, round_.cut_off, indicator.target)
                result = metrics.compute(indicator.metric, platform, ctx)
                score.fraction = result.fraction
                score.points = _points(indicator.weight, result.fraction)
                score.summary = result.summary[:300]
                score.evidence = result.evidence
                score.drill_url = result.url[:300]
                score.scored_at = now
                score.save()
        round_.collected_at = now
        round_.save(update_fields=["status", "bands", "excellent_score", "pass_score", "collected_at"])
        audit(actor=actor, action="assessment.round_collect", obj=round_, node=round_.organiser,
              data={"platforms": round_.entries.count()})  # fmt: skip
    return round_


def check_photo(file: Any) -> Any:
    from lawdesk.matters.attachments import check_upload

    kind = check_upload(file)
    if not kind.content_type.startswith("image/"):
        raise ValidationError(f"“{file.name}”不是照片，现场照片只能上传JPG或PNG。")
    return kind


def check_evidence(file: Any) -> Any:
    from lawdesk.matters.attachments import check_upload

    return check_upload(file)


def _store(actor: Any, files: list[Any], kinds: list[Any], **owner: Any) -> list[str]:
    stored = []
    for file, kind in zip(files, kinds, strict=True):
        digest = hashlib.sha256()
        for chunk in file.chunks():
            digest.update(chunk)
        file.seek(0)
        now = clock.localnow()
        name = default_storage.save(f"assessment/{now:%Y}/{now:%m}/{uuid.uuid4().hex}.{kind.ext}", file)
        stored.append(name)
        AssessmentFile.objects.create(
            file=name, original_name=str(file.name).replace("\\", "/").rsplit("/", 1)[-1][:255],
            size=int(file.size), content_type=kind.content_type, sha256=digest.hexdigest(), uploaded_by=actor,
            **owner,
        )  # fmt: skip
    return stored


def _with_files(files: list[Any], kinds: list[Any], work: Any) -> Any:
    stored: list[str] = []
    try:
        with transaction.atomic():
            return work(stored)
    except Exception:
        for name in stored:
            default_storage.delete(name)
        raise


@service(AuditAction.ASSESSMENT_SCORE_MANUAL)
def score_manual(
    *, actor: Any, score: Score, points: Decimal, notes: str, photos: Iterable[Any] = ()
) -> Score:
    """The inspector's on-site score of one manual indicator (0 to the indicator's weight), notes, photos."""
    round_ = Round.objects.get(pk=score.entry.round_id)
    _require(can_inspect(actor, round_), "只有组织考核单位的检查人员可以现场评分。")
    if round_.status != RoundStatus.COLLECTING:
        raise ValidationError("只有评分中的考核可以现场评分。")
    indicator = score.indicator
    if indicator.method != Method.MANUAL:
        raise ValidationError("自动评分指标不能手工修改。")
    if points < 0 or points > indicator.weight:
        raise ValidationError({"points": f"得分应在0到{indicator.weight.normalize():f}分之间。"})
    if points < indicator.weight and not notes.strip():
        raise ValidationError({"notes": "未得满分时须填写检查记录（发现的问题）。"})
    photo_list = list(photos)
    kinds = [check_photo(p) for p in photo_list]

    def work(stored: list[str]) -> Score:
        locked = Score.objects.select_for_update().get(pk=score.pk)
        locked.points = points.quantize(CENT)
        locked.fraction = (
            (points / indicator.weight).quantize(Decimal("0.0001")) if indicator.weight else Decimal(1)
        )
        locked.notes = notes.strip()
        locked.summary = f"现场检查：{locked.points.normalize():f}/{indicator.weight.normalize():f}分"
        locked.scored_by = actor
        locked.scored_at = clock.now()
        locked.save()
        stored += _store(actor, photo_list, kinds, score=locked)
        audit(actor=actor, action="assessment.score_manual", obj=locked, node=locked.entry.platform,
              data={"points": str(locked.points), "photos": len(photo_list)})  # fmt: skip
        return locked

    return _with_files(photo_list, kinds, work)


def pass_mark(bands: list[list[Any]]) -> Decimal | None:
    """The lowest band's minimum is the pass mark (及格线)."""
    return min((Decimal(str(b[0])) for b in bands), default=None)


def stars_for(bands: list[list[Any]], total: Decimal) -> int | None:
    """The stars of the highest band reached; ``None`` (no star) under the pass mark."""
    for minimum, stars in sorted(bands, key=lambda b: Decimal(str(b[0])), reverse=True):
        if total >= Decimal(str(minimum)):
            return int(stars)
    return None


def grade_for(round_: Round, total: Decimal) -> str:
    """优秀 / 合格 / 不合格 by the thresholds the round copied from its standard (offices and districts)."""
    if round_.excellent_score is not None and total >= round_.excellent_score:
        return Grade.EXCELLENT
    if round_.pass_score is None or total >= round_.pass_score:
        return Grade.PASS
    return Grade.FAIL


def previous_round(round_: Round) -> Round | None:
    return (
        Round.objects.filter(
            organiser=round_.organiser,
            unit_kind=round_.unit_kind,
            status=RoundStatus.PUBLISHED,
            cut_off__lt=round_.cut_off,
        )
        .exclude(pk=round_.pk)
        .order_by("-cut_off", "-id")
        .first()
    )


@service(AuditAction.ASSESSMENT_ROUND_PUBLISH)
def round_publish(*, actor: Any, round_: Round) -> Round:
    """Totals, stars by the round's own bands, ranking (ties share a rank), the change since the organiser's
    previous published round. Refused while a manual indicator is not scored."""
    _require(can_inspect(actor, round_), "只有组织考核的单位可以发布结果。")
    round_.refresh_from_db()
    if round_.status != RoundStatus.COLLECTING:
        raise ValidationError("只有评分中的考核可以发布。")
    missing = Score.objects.filter(entry__round=round_, points__isnull=True).select_related(
        "entry__platform", "indicator"
    )
    if missing.exists():
        names = sorted({f"{s.entry.platform.name}“{s.indicator.name}”" for s in missing[:5]})
        raise ValidationError(f"尚有{missing.count()}项未评分，如：" + "、".join(names) + "。")
    with transaction.atomic():
        round_ = Round.objects.select_for_update().get(pk=round_.pk)
        if round_.status != RoundStatus.COLLECTING:
            raise ValidationError("只有评分中的考核可以发布。")
        entries = list(round_.entries.select_related("platform").prefetch_related("scores"))
        before = previous_round(round_)
        earlier = {e.platform_id: e for e in before.entries.all()} if before else {}
        for entry in entries:
            entry.total = sum((s.points or Decimal(0) for s in entry.scores.all()), Decimal(0))
            if round_.for_platforms:
                entry.stars = stars_for(round_.bands, entry.total)
            else:
                entry.grade = grade_for(round_, entry.total)
        ordered = sorted(entries, key=lambda e: (-(e.total or 0), e.platform.path))
        for position, entry in enumerate(ordered, start=1):
            previous = ordered[position - 2] if position > 1 else None
            entry.rank = previous.rank if previous is not None and previous.total == entry.total else position
            old = earlier.get(entry.platform_id)
            entry.previous_total = old.total if old else None
            entry.previous_stars = old.stars if old else None
            entry.previous_rank = old.rank if old else None
            entry.save()
        round_.status = RoundStatus.PUBLISHED
        round_.published_at = clock.now()
        round_.save(update_fields=["status", "published_at"])
        audit(actor=actor, action="assessment.round_publish", obj=round_, node=round_.organiser,
              data={"platforms": len(entries), "previous": before.pk if before else None})  # fmt: skip
    return round_


# --- rectification -------------------------------------------------------------------------------------------


def owner_candidates(platform: OrgNode) -> list[Any]:
    """People working at the platform or at the judicial office above it."""
    nodes = [platform.pk] + ([platform.parent_id] if platform.parent_id else [])
    return list(scoping.users_holding(Role.WINDOW_CLERK, Role.OFFICE_STAFF, at=nodes).order_by("username"))


@service(AuditAction.ASSESSMENT_RECTIFICATION_CREATE)
def rectification_create(
    *, actor: Any, score: Score, owner: Any, deadline: datetime.date, description: str,
    today: datetime.date | None = None,
) -> Rectification:  # fmt: skip
    round_ = score.entry.round
    _require(can_inspect(actor, round_), "只有组织考核单位的检查人员可以下达整改任务。")
    today = today or clock.today()
    errors: dict[str, str] = {}
    if score.is_full:
        errors["score"] = "该指标已得满分，无需整改。"
    if score.points is None:
        errors["score"] = "该指标尚未评分。"
    if owner is None or owner.pk not in {u.pk for u in owner_candidates(score.entry.platform)}:
        errors["owner"] = "整改责任人应为该平台或其司法所的工作人员。"
    if deadline < today:
        errors["deadline"] = "整改期限不能早于今天。"
    if not description.strip():
        errors["description"] = "请填写整改要求。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        task = Rectification.objects.create(
            score=score, platform=score.entry.platform, owner=owner, deadline=deadline,
            description=description.strip(), created_by=actor,
        )  # fmt: skip
        audit(actor=actor, action="assessment.rectification_create", obj=task, node=task.platform,
              data={"owner": owner.pk, "deadline": deadline.isoformat()})  # fmt: skip
        from lawdesk.notifications.services import notify

        notify(
            user=owner,
            text=f"整改任务：{task.platform.name}“{score.indicator.name}”，请于{deadline:%Y-%m-%d}前整改并上传佐证。",
            sms=False,
        )
    return task


def can_submit(actor: Any, task: Rectification) -> bool:
    return task.owner_id == getattr(actor, "pk", None) or scoping.can_edit_facilities(actor, task.platform)


def can_verify(actor: Any, task: Rectification) -> bool:
    return can_inspect(actor, task.score.entry.round)


@service(AuditAction.ASSESSMENT_RECTIFICATION_SUBMIT)
def rectification_submit(
    *, actor: Any, task: Rectification, note: str, files: Iterable[Any] = ()
) -> Rectification:
    """The owner reports what was done, with evidence (photos or PDF); at least one file or one already there."""
    _require(can_submit(actor, task), "只有整改责任人或其司法所可以提交整改情况。")
    if task.status != RectificationStatus.OPEN:
        raise ValidationError("该整改任务不在整改中，不能提交。")
    file_list = list(files)
    kinds = [check_evidence(f) for f in file_list]
    if not note.strip():
        raise ValidationError({"evidence_note": "请填写整改情况。"})
    if not file_list and not task.files.exists():
        raise ValidationError({"files": "请上传至少一份整改佐证（照片或PDF）。"})

    def work(stored: list[str]) -> Rectification:
        locked = Rectification.objects.select_for_update().get(pk=task.pk)
        locked.evidence_note = note.strip()
        locked.status = RectificationStatus.SUBMITTED
        locked.submitted_at = clock.now()
        locked.save()
        stored += _store(actor, file_list, kinds, rectification=locked)
        audit(actor=actor, action="assessment.rectification_submit", obj=locked, node=locked.platform,
              data={"files": len(file_list)})  # fmt: skip
        from lawdesk.notifications.services import notify

        notify(
            user=locked.created_by,
            text=f"整改已提交待验收：{locked.platform.name}“{locked.score.indicator.name}”。",
            sms=False,
        )
        return locked

    return _with_files(file_list, kinds, work)


@service(AuditAction.ASSESSMENT_RECTIFICATION_VERIFY)
def rectification_verify(*, actor: Any, task: Rectification) -> Rectification:
    _require(can_verify(actor, task), "只有组织考核单位的检查人员可以验收整改。")
    if task.status != RectificationStatus.SUBMITTED:
        raise ValidationError("只有待验收的整改可以验收。")
    with transaction.atomic():
        task.status = RectificationStatus.CLOSED
        task.closed_at = clock.now()
        task.save(update_fields=["status", "closed_at"])
        audit(actor=actor, action="assessment.rectification_verify", obj=task, node=task.platform)
    return task


@service(AuditAction.ASSESSMENT_RECTIFICATION_REOPEN)
def rectification_reopen(*, actor: Any, task: Rectification, reason: str) -> Rectification:
    _require(can_verify(actor, task), "只有组织考核单位的检查人员可以退回整改。")
    if task.status != RectificationStatus.SUBMITTED:
        raise ValidationError("只有待验收的整改可以退回。")
    if not reason.strip():
        raise ValidationError({"reason": "请填写退回原因。"})
    with transaction.atomic():
        task.status = RectificationStatus.OPEN
        task.reopen_reason = reason.strip()[:300]
        task.save(update_fields=["status", "reopen_reason"])
        audit(actor=actor, action="assessment.rectification_reopen", obj=task, node=task.platform,
              data={"reason": task.reopen_reason})  # fmt: skip
        from lawdesk.notifications.services import notify

        notify(
            user=task.owner,
            text=f"整改被退回：{task.platform.name}“{task.score.indicator.name}”，原因：{task.reopen_reason}",
            sms=False,
        )
    return task


def escalate_overdue(*, today: datetime.date | None = None) -> int:
    """Rectifications past their deadline and not closed (still open, or reopened): notify the owner, the judicial
    office above the platform and the district bureau's admins — once per task. Like the matters' escalation it
    runs on working days only: a task due on a Friday is escalated on the Monday. Returns how many escalated."""
    from lawdesk.notifications.services import notify

    today = today or clock.today()
    if not workdays.is_working_day(today):
        return 0
    count = 0
    overdue = Rectification.objects.filter(
        status=RectificationStatus.OPEN, deadline__lt=today, escalated_at__isnull=True
    ).select_related("platform", "owner", "score__indicator")
    for task in overdue:
        with transaction.atomic():
            locked = Rectification.objects.select_for_update().get(pk=task.pk)
            if locked.escalated_at is not None:
                continue
            district = metrics.district_of(task.platform)
            above = [n for n in (task.platform.parent_id, district.pk if district else None) if n]
            recipients = {task.owner}
            recipients.update(scoping.users_holding(Role.OFFICE_STAFF, Role.DISTRICT_ADMIN, at=above))
            days = (today - task.deadline).days
            text = (
                f"整改逾期督办：{task.platform.name}“{task.score.indicator.name}”整改期限{task.deadline:%Y-%m-%d}，"
                f"已逾期{days}天，责任人{task.owner}。"
            )
            for user in sorted(recipients, key=lambda u: u.pk):
                notify(user=user, text=text)
            locked.escalated_at = clock.now()
            locked.save(update_fields=["escalated_at"])
            audit(actor=None, action="assessment.rectification_escalate", obj=locked, node=task.platform,
                  data={"days_overdue": days, "notified": len(recipients)})  # fmt: skip
            count += 1
    return count


# --- reward and penalty standards (奖惩标准, 七(九), 九(三)) ------------------------------------------------------------


@service(AuditAction.ASSESSMENT_RULE_SAVE)
def rule_save(
    *, actor: Any, rule: RewardRule | None = None, name: str, unit_kind: str, measure: str, grade: str = "",
    min_total: Decimal | None = None, max_total: Decimal | None = None, points: Decimal = Decimal(0),
    wording: str, is_active: bool = True,
) -> RewardRule:  # fmt: skip
    """The city sets a quantified reward/penalty standard (new, or a change of one)."""
    _require(can_manage_standards(actor), "只有市局管理员可以制定奖惩标准。")
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "请填写标准名称。"
    if unit_kind not in UnitKind.values:
        errors["unit_kind"] = "请选择适用对象。"
    if measure not in Measure.values:
        errors["measure"] = "请选择奖惩措施。"
    if grade and grade not in Grade.values:
        errors["grade"] = "等次条件无效。"
    if grade and unit_kind == UnitKind.PLATFORM:
        errors["grade"] = "平台按星级评定，不评等次：请用得分条件。"
    if not grade and min_total is None and max_total is None:
        errors["grade"] = "请设定等次条件或得分条件。"
    for key, value in (("min_total", min_total), ("max_total", max_total)):
        if value is not None and not Decimal(0) <= value <= HUNDRED:
            errors[key] = "得分条件应在0到100之间。"
    if min_total is not None and max_total is not None and min_total >= max_total:
        errors["max_total"] = "“得分低于”应大于“得分不低于”。"
    if not Decimal(-100) <= points <= HUNDRED:
        errors["points"] = "加减分应在-100到100之间。"
    if not wording.strip():
        errors["wording"] = "请填写通报事由。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row = rule or RewardRule(created_by=actor)
        row.name, row.unit_kind, row.measure, row.grade = name.strip(), unit_kind, measure, grade
        row.min_total, row.max_total, row.points = min_total, max_total, points
        row.wording, row.is_active = wording.strip(), is_active
        row.save()
        audit(actor=actor, action="assessment.rule_save", obj=row,
              data={"measure": measure, "grade": grade, "points": str(points), "new": rule is None})  # fmt: skip
    return row


def can_apply_rewards(actor: Any, round_: Round) -> bool:
    """The organiser's admins (the city over all) apply the city's standards to their published round."""
    return can_inspect(actor, round_)


def _notice_number(round_: Round, now: Any) -> str:
    year = clock.localnow().year
    count = Notice.objects.filter(published_at__year=now.year).count()
    return f"{round_.organiser.name}〔{year}〕考核通报第{count + 1}号"


@service(AuditAction.ASSESSMENT_NOTICES_PUBLISH)
def round_apply_rewards(*, actor: Any, round_: Round) -> list[Notice]:
    """Apply the active reward/penalty standards of the round's unit kind to its published results: each unit
    meeting a rule gets a 通报 (表扬 or 批评), published at once. Applying again adds only what is new (a rule
    added since); nothing is issued twice."""
    _require(can_apply_rewards(actor, round_), "只有组织考核的单位可以按奖惩标准发布通报。")
    with transaction.atomic():
        round_ = Round.objects.select_for_update().get(pk=round_.pk)
        if round_.status != RoundStatus.PUBLISHED:
            raise ValidationError("考核结果发布后才能按奖惩标准通报。")
        rules = list(RewardRule.objects.filter(unit_kind=round_.unit_kind, is_active=True).order_by("id"))
        if not rules:
            raise ValidationError(f"市局尚未制定适用于{round_.get_unit_kind_display()}的奖惩标准。")
        done = set(Notice.objects.filter(round=round_).values_list("entry_id", "rule_id"))
        now = clock.now()
        notices = []
        for entry in round_.entries.select_related("platform").order_by("rank", "platform__path"):
            for rule in rules:
                if (entry.pk, rule.pk) in done or not rule.matches(entry.total, entry.grade):
                    continue
                result = (
                    f"得分{entry.total:.2f}分，" + (f"等次{entry.get_grade_display()}" if entry.grade
                    else (f"{entry.stars}星" if entry.stars else "无星级"))
                )  # fmt: skip
                points = (
                    f"，年度考核{'加' if rule.points > 0 else '扣'}{abs(rule.points).normalize():f}分"
                    if rule.points
                    else ""
                )
                text = f"{entry.platform.name}在“{round_.title}”中{result}（第{entry.rank}名）。{rule.wording.rstrip('。')}{points}。"
                notice = Notice.objects.create(
                    round=round_, entry=entry, unit=entry.platform, rule=rule, measure=rule.measure,
                    number=_notice_number(round_, now), text=text, points=rule.points, published_by=actor,
                    published_at=now,
                )  # fmt: skip
                notices.append(notice)
        audit(actor=actor, action="assessment.notices_publish", obj=round_, node=round_.organiser,
              data={"notices": [n.pk for n in notices],
                    "commend": sum(1 for n in notices if n.measure == Measure.COMMEND),
                    "criticise": sum(1 for n in notices if n.measure == Measure.CRITICISE)})  # fmt: skip
    return notices
