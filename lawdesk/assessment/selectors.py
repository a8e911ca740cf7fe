"""Scoped reads: rounds are seen by the organiser's subtree (district or city staff), rectifications by whoever
sees the platform (and their owner); anything else answers 404 like a missing record."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from lawdesk.accounts import scoping
from lawdesk.assessment import metrics
from lawdesk.assessment.models import (
    AssessmentFile,
    Notice,
    Rectification,
    Round,
    RoundEntry,
    Score,
    Standard,
)
from lawdesk.orgs import access as node_access
from lawdesk.orgs.models import Facility, FacilityItem, OrgNode, subtree_q
from lawdesk.orgs.rules import PLATFORM_KINDS, NodeKind


def _get(queryset: QuerySet[Any], pk: Any, message: str) -> Any:
    try:
        return queryset.get(pk=int(pk))
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(message) from exc


def rounds_for(actor: Any) -> QuerySet[Round]:
    return Round.objects.filter(scoping.nodes_q(actor, "organiser__")).select_related("organiser", "standard")


def get_round_for(actor: Any, pk: Any) -> Round:
    return _get(rounds_for(actor), pk, "没有找到该考核，或您无权查看。")


def get_entry_for(actor: Any, round_: Round, pk: Any) -> RoundEntry:
    entries = round_.entries.filter(scoping.nodes_q(actor, "platform__")).select_related("platform", "round")
    return _get(entries, pk, "没有找到该参评平台，或您无权查看。")


def get_score_for(actor: Any, pk: Any) -> Score:
    scores = Score.objects.filter(
        scoping.nodes_q(actor, "entry__round__organiser__"), scoping.nodes_q(actor, "entry__platform__")
    ).select_related("entry__round", "entry__platform", "indicator", "scored_by")
    return _get(scores, pk, "没有找到该得分，或您无权查看。")


def can_see_standards(actor: Any) -> bool:
    return bool(scoping.scope_for(actor).view_paths)


def get_standard_for(actor: Any, pk: Any) -> Standard:
    if not can_see_standards(actor):
        raise Http404("没有找到该标准。")
    return _get(Standard.objects.all(), pk, "没有找到该标准。")


def rectifications_for(actor: Any) -> QuerySet[Rectification]:
    q = scoping.nodes_q(actor, "platform__")
    if getattr(actor, "pk", None):
        q |= Q(owner_id=actor.pk)
    return Rectification.objects.filter(q).select_related(
        "platform", "owner", "score__indicator", "score__entry__round", "created_by"
    )


def get_rectification_for(actor: Any, pk: Any) -> Rectification:
    return _get(rectifications_for(actor), pk, "没有找到该整改任务，或您无权查看。")


def get_file_for(actor: Any, pk: Any) -> AssessmentFile:
    f = _get(
        AssessmentFile.objects.select_related("score", "rectification"), pk, "没有找到该文件，或您无权查看。"
    )
    if f.score_id is not None:
        get_score_for(actor, f.score_id)
    else:
        get_rectification_for(actor, f.rectification_id)
    return f


def organisable_nodes(actor: Any) -> list[OrgNode]:
    return [
        n
        for n in node_access.managed_nodes(actor).filter(
            kind__in=[NodeKind.DISTRICT_BUREAU, NodeKind.CITY_BUREAU]
        )
        if scoping.can_manage_node(actor, n)
    ]


def visible_districts(actor: Any) -> list[OrgNode]:
    return list(
        node_access.visible_nodes(actor)
        .filter(kind=NodeKind.DISTRICT_BUREAU, is_active=True)
        .order_by("path")
    )


def get_district_for(actor: Any, pk: Any) -> OrgNode:
    node = node_access.get_node_for(actor, pk)
    if node.kind != NodeKind.DISTRICT_BUREAU:
        raise Http404("没有找到该区(县)。")
    return node


# --- results ---------------------------------------------------------------------------------------------------


@dataclass
class GroupScore:
    code: str
    name: str
    weight: Decimal
    points: Decimal
    scores: list[Score]
    # each score with its rectifications (the entry's page lists them)
    rows: list[tuple[Score, list[Rectification]]] = field(default_factory=list)


def grouped_scores(entry: RoundEntry) -> list[GroupScore]:
    """The entry's scores by indicator group, each with its rectifications: what the entry's page and the
    printed report show of them. Not the evidence (the records behind an auto score, kilobytes of JSON each: the
    score's own page shows them), the photos or the scorer; the rectifications in one query grouped here, not a
    prefetch building a queryset per score (issue 21)."""
    scores = list(entry.scores.select_related("indicator").defer("evidence"))
    rectifications: dict[int, list[Rectification]] = {}
    for rectification in Rectification.objects.filter(score__in=[s.pk for s in scores]):
        rectifications.setdefault(rectification.score_id, []).append(rectification)
    groups: dict[str, GroupScore] = {}
    for score in scores:
        ind = score.indicator
        group = groups.setdefault(
            ind.group_code, GroupScore(ind.group_code, ind.group_name, Decimal(0), Decimal(0), [])
        )
        group.weight += ind.weight
        group.points += score.points or Decimal(0)
        group.scores.append(score)
        group.rows.append((score, rectifications.get(score.pk, [])))
    return list(groups.values())


def district_of_entry(entry: RoundEntry) -> OrgNode | None:
    return metrics.district_of(entry.platform)


def entries_by_district(round_: Round, actor: Any) -> list[tuple[OrgNode | None, list[RoundEntry]]]:
    entries = list(
        round_.entries.filter(scoping.nodes_q(actor, "platform__"))
        .select_related("platform")
        .order_by("rank", "platform__path")
    )
    # The district of every entry from one query over all their ancestors, not one query per entry (issue 21);
    # as metrics.district_of: the first district bureau by path among the platform's ancestors.
    paths = {p for entry in entries for p in entry.platform.ancestor_paths()}
    districts = (
        {
            d.path: d
            for d in OrgNode.objects.filter(path__in=paths, kind=NodeKind.DISTRICT_BUREAU).order_by("path")
        }
        if paths
        else {}
    )
    by: dict[int | None, tuple[OrgNode | None, list[RoundEntry]]] = {}
    for entry in entries:
        district = next(
            (districts[p] for p in sorted(entry.platform.ancestor_paths()) if p in districts), None
        )
        key = district.pk if district else None
        by.setdefault(key, (district, []))[1].append(entry)
    return sorted(by.values(), key=lambda g: g[0].path if g[0] else "")


# --- construction board (八: every platform against the checklist of 四) --------------------------------------


@dataclass
class BoardCheck:
    label: str
    ok: bool
    detail: str
    url: str


@dataclass
class BoardRow:
    platform: OrgNode
    checks: list[BoardCheck]

    @property
    def done(self) -> int:
        return sum(1 for c in self.checks if c.ok)

    @property
    def percent(self) -> int:
        return round(100 * self.done / len(self.checks)) if self.checks else 0


BOARD_LABELS = ["名称与场所", "标识", "设备与系统", "值班安排", "台帐"]


def construction_board(district: OrgNode, today: Any) -> list[BoardRow]:
    """Each active platform of the district against the checklist of 四, from the records as they are today."""
    from django.urls import reverse

    from lawdesk.duty.models import DutyShift
    from lawdesk.matters.models import Visit

    platforms = list(
        OrgNode.objects.filter(subtree_q(district.path), kind__in=PLATFORM_KINDS, is_active=True).order_by(
            "path"
        )
    )
    present: dict[int, set[str]] = {}
    for node_id, item in Facility.objects.filter(node__in=platforms, present=True).values_list(
        "node_id", "item"
    ):
        present.setdefault(node_id, set()).add(item)
    rostered = set(DutyShift.objects.filter(node__in=platforms).values_list("node_id", flat=True).distinct())
    with_visits = set(Visit.objects.filter(node__in=platforms).values_list("node_id", flat=True).distinct())
    ctx = metrics.Context(today, today)
    groups = metrics.town_groups_present(platforms, today)
    marker = 987654321  # each link reversed once, not once per platform (issue 21)
    node_url, facilities_url, roster_url = (
        reverse(name, args=[marker]).replace(str(marker), "{}")
        for name in ("orgs:node", "orgs:facilities", "duty:roster")
    )
    ledger_url = reverse("desk:ledger", args=[1]) + "?node={}"
    rows = []
    for platform in platforms:
        have = present.get(platform.pk, set())
        place = metrics.name_place(platform, ctx)
        signs = [i for i in metrics.SIGNAGE_ITEMS if i in have]
        equip = [i for i in metrics.EQUIPMENT_ITEMS if i in have]
        missing_equip = [FacilityItem(i).label for i in metrics.EQUIPMENT_ITEMS if i not in have]
        group = groups[platform.pk]  # 四(四)3: the town's group, led by its office
        if group is False:
            missing_equip.append(metrics.WECHAT_GROUP_LABEL)
        elif group is not None:
            equip.append(metrics.WECHAT_GROUP_LABEL)
        facilities = facilities_url.format(platform.pk)
        checks = [
            BoardCheck("名称与场所", place.fraction >= 1, place.summary, node_url.format(platform.pk)),
            BoardCheck("标识", len(signs) == len(metrics.SIGNAGE_ITEMS), f"{len(signs)}/{len(metrics.SIGNAGE_ITEMS)}", facilities),
            BoardCheck(
                "设备与系统", not missing_equip, "缺：" + "、".join(missing_equip) if missing_equip else f"{len(equip)}项齐全",
                facilities,
            ),
            BoardCheck("值班安排", platform.pk in rostered, "已排班" if platform.pk in rostered else "无值班安排",
                       roster_url.format(platform.pk)),
            BoardCheck("台帐", platform.pk in with_visits, "已有登记" if platform.pk in with_visits else "无来访登记",
                       ledger_url.format(platform.pk)),
        ]  # fmt: skip
        rows.append(BoardRow(platform, checks))
    return rows


def notices_for(actor: Any, round_id: Any = None) -> QuerySet[Notice]:
    """The 通报 of units the actor sees: the unit concerned and the levels above it."""
    notices = Notice.objects.filter(scoping.nodes_q(actor, "unit__")).select_related(
        "round__organiser", "unit", "rule", "entry", "published_by"
    )
    if round_id:
        try:
            notices = notices.filter(round_id=int(round_id))
        except (TypeError, ValueError):
            notices = notices.none()
    return notices.order_by("-published_at", "measure", "unit__path")
