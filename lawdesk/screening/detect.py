"""The early-warning rules over plain records: no database here, so that the bench (``bench/warning/run.py``)
proves the very function the periodic job runs, on generated data whose answer is known.

Three kinds of signal:

- 重复来访 (repeat): the same person (their blind index — never a decrypted number) with ``repeat_min_visits``
  visits or more in the window across at least two platforms or two channels; or the same pair of parties (one
  applicant, one normalised counterpart) in ``pair_min_disputes`` disputes or more in the window.
- 易激化未化解 (risk): a dispute marked 易激化 (already alerted at once by the mediation app) still not resolved
  ``risk_min_age_days`` days after it was marked.
- 群体性聚集 (cluster): in the window, ``cluster_min_parties`` distinct applicants or more with disputes of one kind
  against one counterpart in one district (after normalising the counterpart's name), or ``place_min_parties``
  distinct applicants with disputes of one kind at one place (village station or platform) — unless those
  disputes are all already in a counterpart cluster.

Each signal has a stable key (a SHA-256 of what defines it, not of the window), so the job raises it once and
updates it afterwards.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

REPEAT = "repeat"
RISK = "risk"
CLUSTER = "cluster"

# Longest first: "分公司" before "公司".
_SUFFIXES = (
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "分公司",
    "项目经理部",
    "项目部",
    "施工队",
    "工程队",
    "集团",
    "公司",
    "工地",
    "项目",
)
_BRACKETS = re.compile(r"[(\[【（][^)\]】）]*[)\]】）]")
_NOISE = re.compile(r"[\s·.,，。、\-_—\"'“”‘’]+")


def normalise_counterpart(name: str) -> str:
    """A counterpart's name reduced to what identifies it: full-width to half-width, no spaces, punctuation or
    bracketed parts, and no trailing company or site words (有限公司, 公司, 工地, 项目部 …), repeatedly."""
    text = unicodedata.normalize("NFKC", name or "")
    text = _BRACKETS.sub("", text)
    text = _NOISE.sub("", text)
    changed = True
    while changed and text:
        changed = False
        for suffix in _SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text = text[: -len(suffix)]
                changed = True
                break
    return text.lower()


@dataclass(frozen=True)
class Params:
    window_days: int = 30
    repeat_min_visits: int = 3
    repeat_min_spread: int = 2  # distinct platforms or distinct channels
    pair_min_disputes: int = 3
    risk_min_age_days: int = 3
    cluster_min_parties: int = 3
    place_min_parties: int = 4


DEFAULT_PARAMS = Params()


@dataclass(frozen=True)
class VisitRecord:
    id: int
    person: str  # the person's key: blind index of the ID number, else of the phone, else the person's row
    node: int
    channel: str
    at: datetime.datetime
    office: int | None
    district: int | None


@dataclass(frozen=True)
class DisputeRecord:
    matter: int
    visit: int
    person: str
    node: int
    place: int
    dispute_type: str
    counterparts: tuple[str, ...]
    at: datetime.datetime
    office: int | None
    district: int | None
    risky: bool = False
    risk_since: datetime.datetime | None = None
    resolved: bool = False


@dataclass
class Found:
    kind: str
    key: str
    office: int | None
    district: int | None
    title: str
    matters: tuple[int, ...] = ()
    visits: tuple[int, ...] = ()
    first: datetime.datetime | None = None
    last: datetime.datetime | None = None
    basis: dict[str, str] = field(default_factory=dict)


def make_key(*parts: object) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()


def _one(values: Iterable[int | None]) -> int | None:
    """The single value shared by all, or None when they differ."""
    found = set(values)
    return found.pop() if len(found) == 1 else None


def _where(records: Sequence[VisitRecord | DisputeRecord]) -> tuple[int | None, int | None]:
    """The office the signal belongs to (when all its records are under one office; else None) and the district
    (the latest record's)."""
    latest: VisitRecord | DisputeRecord = max(records, key=lambda r: r.at)
    return _one(r.office for r in records), latest.district


def detect(
    visits: list[VisitRecord],
    disputes: list[DisputeRecord],
    *,
    now: datetime.datetime,
    params: Params = DEFAULT_PARAMS,
) -> list[Found]:
    since = now - datetime.timedelta(days=params.window_days)
    recent_visits = [v for v in visits if since <= v.at <= now]
    recent_disputes = [d for d in disputes if since <= d.at <= now]
    found: list[Found] = []
    found += _repeats(recent_visits, recent_disputes, params)
    found += _risks(disputes, now, params)
    found += _clusters(recent_disputes, params)
    return found


def _repeats(visits: list[VisitRecord], disputes: list[DisputeRecord], params: Params) -> list[Found]:
    by_person: dict[str, list[VisitRecord]] = defaultdict(list)
    for visit in visits:
        by_person[visit.person].append(visit)
    found: list[Found] = []
    flagged: set[str] = set()
    for person, rows in by_person.items():
        if len(rows) < params.repeat_min_visits:
            continue
        places, channels = len({r.node for r in rows}), len({r.channel for r in rows})
        if max(places, channels) < params.repeat_min_spread:
            continue
        flagged.add(person)
        office, district = _where(rows)
        rows.sort(key=lambda r: r.at)
        found.append(
            Found(
                kind=REPEAT,
                key=make_key(REPEAT, "person", person),
                office=office,
                district=district,
                title=(
                    f"同一来访人{params.window_days}日内来访{len(rows)}次"
                    f"（{places}个平台、{channels}种来访方式）"
                ),
                visits=tuple(r.id for r in rows),
                first=rows[0].at,
                last=rows[-1].at,
            )
        )
    by_pair: dict[tuple[str, str], list[DisputeRecord]] = defaultdict(list)
    for dispute in disputes:
        for name in {normalise_counterpart(c) for c in dispute.counterparts if c.strip()}:
            by_pair[(dispute.person, name)].append(dispute)
    for (person, name), records in by_pair.items():
        if person in flagged or len(records) < params.pair_min_disputes:
            continue
        office, district = _where(records)
        records.sort(key=lambda r: r.at)
        found.append(
            Found(
                kind=REPEAT,
                key=make_key(REPEAT, "pair", person, name),
                office=office,
                district=district,
                title=f"同一双方当事人{params.window_days}日内反复发生纠纷{len(records)}次",
                matters=tuple(r.matter for r in records),
                first=records[0].at,
                last=records[-1].at,
            )
        )
    return found


def _risks(disputes: list[DisputeRecord], now: datetime.datetime, params: Params) -> list[Found]:
    found = []
    for dispute in disputes:
        if not dispute.risky or dispute.resolved:
            continue
        since = dispute.risk_since or dispute.at
        days = (now - since).days
        if days < params.risk_min_age_days:
            continue
        found.append(
            Found(
                kind=RISK,
                key=make_key(RISK, dispute.matter),
                office=dispute.office,
                district=dispute.district,
                title=f"易激化纠纷标记{days}日后仍未化解",
                matters=(dispute.matter,),
                first=since,
                last=now,
            )
        )
    return found


def _cluster(kind_key: tuple[object, ...], records: list[DisputeRecord], title: str) -> Found:
    office, district = _where(records)
    records.sort(key=lambda r: r.at)
    return Found(
        kind=CLUSTER,
        key=make_key(CLUSTER, *kind_key),
        office=office,
        district=district,
        title=title,
        matters=tuple(r.matter for r in records),
        first=records[0].at,
        last=records[-1].at,
    )


def _clusters(disputes: list[DisputeRecord], params: Params) -> list[Found]:
    from_label = _type_labels()
    by_counterpart: dict[tuple[int | None, str, str], list[DisputeRecord]] = defaultdict(list)
    shown: dict[tuple[int | None, str, str], str] = {}
    for dispute in sorted(disputes, key=lambda d: d.at):  # the name as first written is the one shown
        for raw in dispute.counterparts:
            name = normalise_counterpart(raw)
            if not name:
                continue
            group = (dispute.district, dispute.dispute_type, name)
            if dispute not in by_counterpart[group]:
                by_counterpart[group].append(dispute)
            shown.setdefault(group, raw.strip())
    found: list[Found] = []
    covered: set[int] = set()
    for group, records in by_counterpart.items():
        parties = len({r.person for r in records})
        if parties < params.cluster_min_parties:
            continue
        covered.update(r.matter for r in records)
        kind = from_label.get(group[1], "纠纷")
        found.append(
            _cluster(
                ("counterpart", *group),
                records,
                f"{params.window_days}日内{parties}名当事人与“{shown[group]}”发生{kind}",
            )
        )
    by_place: dict[tuple[int, str], list[DisputeRecord]] = defaultdict(list)
    for dispute in disputes:
        by_place[(dispute.place, dispute.dispute_type)].append(dispute)
    for place_group, records in by_place.items():
        parties = len({r.person for r in records})
        if parties < params.place_min_parties or all(r.matter in covered for r in records):
            continue
        kind = from_label.get(place_group[1], "纠纷")
        found.append(
            _cluster(
                ("place", *place_group),
                records,
                f"{params.window_days}日内同一地点{parties}名当事人发生{kind}",
            )
        )
    return found


def _type_labels() -> dict[str, str]:
    """Chinese words for the dispute types, e.g. 劳动争议纠纷 (kept here so the detector imports no Django)."""
    return {
        "marriage_family": "婚姻家庭纠纷",
        "neighbourhood": "邻里纠纷",
        "housing_homestead": "房屋宅基地纠纷",
        "contract": "合同纠纷",
        "damages": "损害赔偿纠纷",
        "labour": "劳动争议",
        "forest_land": "山林土地纠纷",
        "expropriation": "征地拆迁纠纷",
        "medical": "医疗纠纷",
        "traffic": "道路交通纠纷",
        "property_management": "物业纠纷",
        "consumer": "消费纠纷",
        "other": "纠纷",
    }
