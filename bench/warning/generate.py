"""Synthetic visits and disputes with planted early-warning signals (the known answer) and noise, for the detector
of ``lawdesk.screening.detect``.

Planted (each must be found):
- repeat: one person, 3+ visits in the window across 2+ platforms or channels;
- pair: one applicant against one counterpart (written differently each time) in 3+ disputes at one platform;
- risk: a dispute marked 易激化 days ago and not resolved;
- cluster (counterpart): 3+ applicants of one district with disputes of one kind against one company, its name
  written in several ways (有限公司/公司/工地/项目部, full-width brackets, spaces);
- cluster (place): 4+ applicants with disputes of one kind at one platform, against different people.

Noise (must not be found): one-off visitors and disputes; near misses — a person with 2 visits only, 3 visits at
one platform by one channel, 3 visits of which some fall before the window; a 易激化 dispute resolved or marked
yesterday; 3 applicants against three different companies with similar names; 2 applicants against one company;
3 against one company spread over two districts; 3 applicants at one place with one kind; a company's earlier
disputes before the window.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from lawdesk.screening.detect import CLUSTER, REPEAT, RISK, DisputeRecord, VisitRecord

TYPES = [
    "marriage_family", "neighbourhood", "housing_homestead", "contract", "damages", "labour", "forest_land",
    "expropriation", "medical", "traffic", "property_management", "consumer", "other",
]  # fmt: skip
CHANNELS = ["on_site", "phone", "online", "appointment", "home_visit", "video"]
COMPANY_STEMS = ["宏达建筑", "宏远建筑", "鸿达建筑", "华盛置业", "华晟置业", "长安物业", "长安物流", "秦川机械",
                 "秦创机械", "汉唐装饰", "汉堂装饰", "曲江建工", "曲江建设", "雁塔劳务", "雁南劳务", "锦业电子",
                 "锦叶电子", "大兴商贸", "大星商贸", "丰禾农业"]  # fmt: skip
WRITINGS = [
    "{s}有限公司",
    "{s}公司",
    "{s}工地",
    "{s}项目部",
    "（西安）{s}有限公司",
    "{s} 有限公司",
    "{s}有限责任公司",
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文"


@dataclass(frozen=True)
class GenParams:
    seed: int = 1
    districts: int = 3
    offices_per_district: int = 4
    stations_per_office: int = 4
    history_days: int = 120
    window_days: int = 30  # the window the signals are defined over (the detector's)
    background_visits: int = 2500
    background_disputes: int = 700
    repeats: int = 15
    pairs: int = 8
    risks: int = 15
    clusters: int = 10
    place_clusters: int = 8
    near_misses: int = 12  # of each near-miss kind
    cluster_size: tuple[int, int] = (3, 6)
    repeat_size: tuple[int, int] = (3, 5)


@dataclass
class Truth:
    kind: str
    label: str
    matters: set[int] = field(default_factory=set)
    visits: set[int] = field(default_factory=set)


@dataclass
class Generated:
    now: datetime.datetime
    visits: list[VisitRecord]
    disputes: list[DisputeRecord]
    truths: list[Truth]


class _World:
    def __init__(self, params: GenParams) -> None:
        self.p = params
        self.rng = random.Random(params.seed)
        self.now = datetime.datetime(2026, 12, 8, 10, 0, tzinfo=datetime.UTC)
        self.visits: list[VisitRecord] = []
        self.disputes: list[DisputeRecord] = []
        self.truths: list[Truth] = []
        self._ids = 0
        self._people = 0
        # stations: (station id, office id, district id)
        self.stations: list[tuple[int, int, int]] = []
        node = 1000
        for d in range(params.districts):
            district = 10 + d
            for _o in range(params.offices_per_district):
                node += 1
                office = node
                for _s in range(params.stations_per_office):
                    node += 1
                    self.stations.append((node, office, district))
        self._companies = 0

    def next_id(self) -> int:
        self._ids += 1
        return self._ids

    def person(self) -> str:
        self._people += 1
        return f"person:{self._people}"

    def name(self) -> str:
        return self.rng.choice(SURNAMES) + self.rng.choice(GIVEN) + self.rng.choice(GIVEN)

    def unique_company(self) -> str:
        self._companies += 1
        return f"{self.rng.choice(SURNAMES)}氏{self._companies}号商行"

    def when(self, *, within: int | None = None, before_window: bool = False) -> datetime.datetime:
        """A moment in the window (or the last ``within`` days of it), or before the window."""
        if before_window:
            days = self.rng.uniform(self.p.window_days + 3, self.p.history_days)
        else:
            days = self.rng.uniform(0.05, (within or self.p.window_days) - 0.5)
        return self.now - datetime.timedelta(days=days)

    def visit(self, person: str, station: tuple[int, int, int], channel: str, at: datetime.datetime) -> int:
        vid = self.next_id()
        self.visits.append(VisitRecord(vid, person, station[0], channel, at, station[1], station[2]))
        return vid

    def dispute(
        self,
        person: str,
        station: tuple[int, int, int],
        dtype: str,
        counterparts: tuple[str, ...],
        at: datetime.datetime,
        *,
        channel: str = "on_site",
        risky: bool = False,
        risk_since: datetime.datetime | None = None,
        resolved: bool = False,
    ) -> int:
        vid = self.visit(person, station, channel, at)
        mid = self.next_id()
        self.disputes.append(
            DisputeRecord(mid, vid, person, station[0], station[0], dtype, counterparts, at, station[1],
                          station[2], risky, risk_since, resolved)
        )  # fmt: skip
        return mid

    def writing(self, stem: str) -> str:
        return self.rng.choice(WRITINGS).format(s=stem)


def generate(params: GenParams) -> Generated:
    w = _World(params)
    rng = w.rng
    p = params
    # --- background: one-off visitors and disputes over the whole history
    for _ in range(p.background_visits):
        at = w.now - datetime.timedelta(days=rng.uniform(0, p.history_days))
        w.visit(w.person(), rng.choice(w.stations), rng.choice(CHANNELS), at)
    for _ in range(p.background_disputes):
        at = w.now - datetime.timedelta(days=rng.uniform(0, p.history_days))
        w.dispute(w.person(), rng.choice(w.stations), rng.choice(TYPES), (w.unique_company(),), at)
    # --- planted: repeat visitors
    for i in range(p.repeats):
        person = w.person()
        truth = Truth(REPEAT, f"repeat-{i}")
        count = rng.randint(*p.repeat_size)
        home = rng.choice(w.stations)
        same_office = [s for s in w.stations if s[1] == home[1] and s != home]
        for k in range(count):
            station = home if k % 2 == 0 or not same_office else rng.choice(same_office)
            channel = rng.choice(CHANNELS) if station == home else "on_site"
            truth.visits.add(w.visit(person, station, channel, w.when()))
        if (
            len({v.node for v in w.visits if v.id in truth.visits}) == 1
            and len({v.channel for v in w.visits if v.id in truth.visits}) == 1
        ):
            truth.visits.add(w.visit(person, home, "phone" if home else "online", w.when()))
        w.truths.append(truth)
    # --- planted: the same pair of parties
    for i in range(p.pairs):
        person, station = w.person(), rng.choice(w.stations)
        other = w.name()
        truth = Truth(REPEAT, f"pair-{i}")
        dtype = rng.choice(["neighbourhood", "marriage_family", "housing_homestead"])
        for _ in range(rng.randint(3, 4)):
            writing = rng.choice([other, f" {other}", other.replace(other[0], other[0] + " ", 1)])
            truth.matters.add(w.dispute(person, station, dtype, (writing,), w.when()))
        w.truths.append(truth)
    # --- planted: 易激化 disputes not resolved
    for i in range(p.risks):
        since = w.now - datetime.timedelta(days=rng.uniform(4, 90))
        truth = Truth(RISK, f"risk-{i}")
        truth.matters.add(
            w.dispute(w.person(), rng.choice(w.stations), rng.choice(TYPES), (w.unique_company(),), since,
                      risky=True, risk_since=since)
        )  # fmt: skip
        w.truths.append(truth)
    # --- planted: clusters against one counterpart in one district
    stems = list(COMPANY_STEMS)
    rng.shuffle(stems)
    used_stems: list[str] = []
    for i in range(p.clusters):
        stem = stems[i % len(stems)] + ("" if i < len(stems) else f"{i}")
        used_stems.append(stem)
        district = rng.choice(sorted({s[2] for s in w.stations}))
        mine = [s for s in w.stations if s[2] == district]
        dtype = rng.choice(["labour", "contract", "property_management", "consumer"])
        truth = Truth(CLUSTER, f"cluster-{i}")
        for _ in range(rng.randint(*p.cluster_size)):
            truth.matters.add(
                w.dispute(
                    w.person(),
                    rng.choice(mine),
                    dtype,
                    (w.writing(stem),),
                    w.when(),
                    channel=rng.choice(CHANNELS),
                )
            )
        w.truths.append(truth)
    # --- planted: clusters at one place
    for i in range(p.place_clusters):
        station = rng.choice(w.stations)
        dtype = rng.choice(["neighbourhood", "housing_homestead", "expropriation", "forest_land"])
        truth = Truth(CLUSTER, f"place-{i}")
        for _ in range(rng.randint(max(4, p.cluster_size[0]), max(5, p.cluster_size[1]))):
            truth.matters.add(w.dispute(w.person(), station, dtype, (w.name(),), w.when()))
        w.truths.append(truth)
    # --- near misses (never a signal): each group its own kind of dispute and its own names, so that the
    # noise does not add up to a real signal by accident
    for n in range(p.near_misses):
        # two visits only, at two platforms
        person = w.person()
        w.visit(person, rng.choice(w.stations), "on_site", w.when())
        w.visit(person, rng.choice(w.stations), "phone", w.when())
        # three visits at one platform by one channel
        person, station = w.person(), rng.choice(w.stations)
        for _ in range(3):
            w.visit(person, station, "on_site", w.when())
        # three visits, two of them before the window
        person = w.person()
        w.visit(person, rng.choice(w.stations), "on_site", w.when())
        for _ in range(2):
            w.visit(person, rng.choice(w.stations), "phone", w.when(before_window=True))
        # 易激化 but resolved; 易激化 marked yesterday
        since = w.now - datetime.timedelta(days=rng.uniform(5, 60))
        w.dispute(w.person(), rng.choice(w.stations), rng.choice(TYPES), (w.unique_company(),), since,
                  risky=True, risk_since=since, resolved=True)  # fmt: skip
        since = w.now - datetime.timedelta(hours=rng.uniform(2, 40))
        w.dispute(w.person(), rng.choice(w.stations), rng.choice(TYPES), (w.unique_company(),), since,
                  risky=True, risk_since=since)  # fmt: skip
        district = rng.choice(sorted({s[2] for s in w.stations}))
        mine = [s for s in w.stations if s[2] == district]
        # three applicants against three different companies with similar names (宏达/宏远/鸿达建筑)
        dtype = rng.choice(TYPES)
        for stem in rng.sample(COMPANY_STEMS, 3):
            w.dispute(w.person(), rng.choice(mine), dtype, (w.writing(f"{stem}{n}号"),), w.when())
        # two applicants against one company
        dtype, stem = rng.choice(TYPES), w.unique_company()
        for _ in range(2):
            w.dispute(w.person(), rng.choice(mine), dtype, (stem,), w.when())
        # three against one company, in two districts (2 + 1)
        dtype, stem = rng.choice(TYPES), w.unique_company()
        districts = sorted({s[2] for s in w.stations})
        if len(districts) > 1:
            a, b = rng.sample(districts, 2)
            for district_id, count in ((a, 2), (b, 1)):
                for _ in range(count):
                    w.dispute(w.person(), rng.choice([s for s in w.stations if s[2] == district_id]), dtype,
                              (stem,), w.when())  # fmt: skip
        # one company: one dispute now, three before the window
        dtype, stem = rng.choice(TYPES), w.unique_company()
        w.dispute(w.person(), rng.choice(mine), dtype, (stem,), w.when())
        for _ in range(3):
            w.dispute(w.person(), rng.choice(mine), dtype, (stem,), w.when(before_window=True))
        # three applicants at one place with one kind (below the place threshold)
        station, dtype = rng.choice(w.stations), rng.choice(TYPES)
        for _ in range(3):
            w.dispute(w.person(), station, dtype, (w.name(),), w.when())
    visit_of = {d.matter: d.visit for d in w.disputes}
    for truth in w.truths:
        truth.visits |= {visit_of[m] for m in truth.matters}
    return Generated(now=w.now, visits=w.visits, disputes=w.disputes, truths=w.truths)
