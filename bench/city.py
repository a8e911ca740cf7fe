"""Generate a whole city of platforms and years of matters straight into the database, for the benchmark.

The tree is the real one of ``lawdesk/demo/data/xian.json`` (13 districts and counties, the real streets and
villages it has), completed with generated streets and villages up to about 3,500 platforms. Then N matters
with their visits, citizens, events and ledger numbers, spread over the years before ``end``, in the app's own
tables, so the app's selectors and pages run on them unchanged.

On PostgreSQL the rows go in with COPY (``cursor.copy``); elsewhere (SQLite, for the small test) with
``executemany``. Ids are given here, so the rows of one table can point at another's before they are written;
the sequences are moved past them at the end. Numbering follows the app's rules: visits per platform and year
(ledger 1), numbered matters per platform, ledger and year (ledgers 2–6), both in the order received, gapless,
with the ``LedgerCounter`` rows holding the last number given.

Run the whole benchmark with ``bench/run.sh`` (see ``docs/benchmarks.md``); this module only generates.
"""

from __future__ import annotations

import abc
import bisect
import datetime
import json
import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA_FILE = ROOT / "lawdesk" / "demo" / "data" / "xian.json"

TARGET_PLATFORMS = 3500
UTC = datetime.UTC
CST = datetime.timezone(datetime.timedelta(hours=8))
# The tree is written with this timestamp, so a second generation of the same city is the same city.
TREE_TIME = datetime.datetime(2021, 1, 1, tzinfo=UTC)

# Streets and towns per district and county (2023 statistical codes); the data file lists them for three.
STREET_COUNTS = {
    "610102": 9, "610103": 8, "610104": 9, "610111": 9, "610112": 12, "610113": 10, "610114": 7,
    "610115": 23, "610116": 25, "610117": 7, "610118": 14, "610122": 19, "610124": 20,
}  # fmt: skip
COUNTIES = {"610122", "610124"}
RURAL = {"610115", "610116", "610117", "610118", "610122", "610124", "610111", "610114"}

PLACE_CHARS = (
    "东西南北中新华安宁康乐和平兴盛泰丰庆福寿永昌明光文化建设长青红旗胜利团结幸福友谊花园桥湖山河塬坡台"
)
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂兰华红玉梅建国志文斌鹏飞辉晓燕雪琳婷浩宇欣怡子轩梓涵"

# What comes in (kind, weight), and how each kind of matter moves: (event code, hours after the previous
# event, done by the institution). ``None`` in place of a flow picks one of the kind's variants.
KIND_WEIGHTS = [
    ("consultation", 62),
    ("dispute", 14),
    ("service_transfer", 10),
    ("legal_aid", 7),
    ("appointment", 4),
    ("complaint", 3),
]
Step = tuple[str, float, bool]
FLOWS: dict[str, list[tuple[float, list[Step]]]] = {
    "consultation": [
        (0.85, [("received", 0, False), ("answered", 0.2, False), ("closed", 0.05, False)]),
        (0.15, [("received", 0, False), ("redirected", 0.2, False), ("closed", 0.05, False)]),
    ],
    "dispute": [
        (
            0.9,
            [
                ("received", 0, False),
                ("dispute_recorded", 0.1, False),
                ("transferred", 0.2, False),
                ("accepted", 20, True),
                ("outcome_recorded", 240, True),
                ("citizen_told", 30, False),
                ("closed", 1, False),
            ],
        ),
        (
            0.1,
            [
                ("received", 0, False),
                ("dispute_recorded", 0.1, False),
                ("escalation_risk_alerted", 0.05, False),
                ("transferred", 0.2, False),
                ("accepted", 4, True),
                ("escalated", 60, False),
                ("outcome_recorded", 200, True),
                ("citizen_told", 30, False),
                ("closed", 1, False),
            ],
        ),
    ],
    "service_transfer": [
        (
            0.8,
            [
                ("received", 0, False),
                ("transferred", 0.3, False),
                ("accepted", 24, True),
                ("outcome_recorded", 300, True),
                ("citizen_told", 24, False),
                ("closed", 1, False),
            ],
        ),
        (
            0.2,
            [
                ("received", 0, False),
                ("one_trip_marked", 0.1, False),
                ("transferred", 0.3, False),
                ("accepted", 24, True),
                ("outcome_recorded", 150, True),
                ("citizen_told", 24, False),
                ("closed", 1, False),
            ],
        ),
    ],
    "legal_aid": [
        (
            1.0,
            [
                ("received", 0, False),
                ("legal_aid_applied", 0.3, False),
                ("legal_aid_reviewed", 20, False),
                ("transferred", 1, False),
                ("accepted", 24, True),
                ("legal_aid_decided", 72, True),
                ("outcome_recorded", 600, True),
                ("citizen_told", 48, False),
                ("closed", 1, False),
            ],
        )
    ],
    "appointment": [
        (
            0.8,
            [
                ("received", 0, False),
                ("appointment_booked", 0.1, False),
                ("appointment_served", 70, False),
                ("answered", 1, False),
                ("closed", 0.1, False),
            ],
        ),
        (
            0.2,
            [
                ("received", 0, False),
                ("appointment_booked", 0.1, False),
                ("appointment_no_show", 70, False),
                ("appointment_closed", 1, False),
            ],
        ),
    ],
    "complaint": [
        (
            1.0,
            [
                ("received", 0, False),
                ("transferred", 0.5, False),
                ("accepted", 20, True),
                ("outcome_recorded", 200, True),
                ("citizen_told", 24, False),
                ("closed", 1, False),
            ],
        )
    ],
}
# The institution kind each matter kind is transferred to.
TRANSFER_TO = {
    "dispute": "mediation_committee",
    "service_transfer": "law_firm",
    "legal_aid": "legal_aid_centre",
    "complaint": "legal_aid_centre",
}
# What each event leaves the matter in (from lawdesk.matters.events, repeated here to stay importable
# without Django; test_bench_generator checks they agree).
TO_STATE = {
    "received": "received",
    "answered": "answered",
    "redirected": "redirected",
    "transferred": "transferred",
    "accepted": "accepted",
    "outcome_recorded": "outcome_recorded",
    "citizen_told": "citizen_told",
    "closed": "closed",
    "appointment_closed": "closed",
}
STAMP_FIELD = {
    "transferred": "transferred_at",
    "accepted": "accepted_at",
    "outcome_recorded": "outcome_at",
    "citizen_told": "told_at",
    "closed": "closed_at",
    "appointment_closed": "closed_at",
}
LEDGER_OF_KIND = {
    "dispute": "dispute",
    "legal_aid": "legal_aid",
    "appointment": "appointment",
    "service_transfer": "service_transfer",
    "complaint": "complaint",
}
LEGAL_FIELDS = ["marriage_family", "labour", "land_property", "loan_contract", "tort", "consumer", "other"]
SERVICE_TYPES = ["lawyer", "notary", "forensic", "grassroots_legal", "judicial_office", "other"]
CHANNELS = [
    ("on_site", 70),
    ("phone", 15),
    ("online", 6),
    ("appointment", 5),
    ("home_visit", 3),
    ("video", 1),
]
SUMMARIES = {
    "consultation": "咨询{}问题",
    "dispute": "{}纠纷调解",
    "service_transfer": "申请办理{}业务",
    "legal_aid": "申请{}法律援助",
    "appointment": "预约{}咨询",
    "complaint": "投诉{}服务",
}
FIELD_WORDS = ["婚姻家庭", "劳动报酬", "土地房产", "借贷合同", "侵权赔偿", "消费", "邻里"]


# --- the tree ----------------------------------------------------------------------------------------------


@dataclass
class Node:
    id: int
    parent_id: int | None
    kind: str
    name: str
    code: str
    path: str
    depth: int
    district: str = ""  # the district code it lies in ("" for the city)
    weight: float = 0.0  # how busy a platform is, relative to the others

    @property
    def is_platform(self) -> bool:
        return self.kind in {"service_centre", "town_station", "village_station", "special_centre"}


@dataclass
class Tree:
    nodes: list[Node] = field(default_factory=list)

    @property
    def platforms(self) -> list[Node]:
        return [n for n in self.nodes if n.is_platform]

    def of_kind(self, kind: str) -> list[Node]:
        return [n for n in self.nodes if n.kind == kind]


def _segment(pk: int) -> str:
    return f"{pk:09d}/"  # lawdesk.orgs.services._segment


def _place_names(rng: random.Random, count: int, suffix: str, taken: set[str]) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        name = rng.choice(PLACE_CHARS) + rng.choice(PLACE_CHARS) + suffix
        if name not in taken and name[0] != name[1]:
            taken.add(name)
            names.append(name)
    return names


def build_tree(*, first_id: int = 1, seed: int = 2026, platforms: int = TARGET_PLATFORMS) -> Tree:
    """The city: real districts, streets and villages from the data file, generated ones where it has none,
    so that centres and stations add up to ``platforms``."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    rng = random.Random(seed)
    tree = Tree()
    next_id = first_id

    def add(
        parent: Node | None, kind: str, name: str, code: str, district: str = "", weight: float = 0
    ) -> Node:
        nonlocal next_id
        path = (parent.path if parent else "") + _segment(next_id)
        node = Node(
            next_id, parent.id if parent else None, kind, name, code, path,
            parent.depth + 1 if parent else 0, district, weight,
        )  # fmt: skip
        tree.nodes.append(node)
        next_id += 1
        return node

    city = add(None, "city_bureau", f"{data['city']['name']}司法局", data["city"]["code"])
    add(city, "special_centre", "西安自贸区公共法律服务中心", "", "", 6)
    districts = data["districts"]
    streets_total = sum(max(len(d.get("streets", [])), STREET_COUNTS.get(d["code"], 8)) for d in districts)
    villages_needed = platforms - 1 - len(districts) - streets_total
    per_street = villages_needed / streets_total
    made_villages = 0
    streets_done = 0
    for district in districts:
        code, name = district["code"], district["name"]
        bureau = add(city, "district_bureau", f"{name}司法局", code, code)
        add(bureau, "service_centre", f"{name}公共法律服务中心", code, code, 30)
        streets = list(district.get("streets", []))
        taken = {s["name"] for s in streets}
        suffix = "镇" if code in COUNTIES or code in RURAL else "街道"
        missing = STREET_COUNTS.get(code, 8) - len(streets)
        for i, street_name in enumerate(_place_names(rng, max(missing, 0), suffix, taken)):
            streets.append({"code": f"{code}{200 + i:03d}000", "name": street_name})
        village_suffix = "村" if code in RURAL else "社区"
        for street in streets:
            office = add(bureau, "judicial_office", f"{street['name']}司法所", street["code"], code)
            add(office, "town_station", f"{street['name']}公共法律服务站", street["code"], code, 8)
            villages = list(street.get("villages", []))
            streets_done += 1
            # Spread the generated villages evenly, the last street taking what rounding left.
            quota = round(per_street * streets_done) - made_villages
            taken_v = {v["name"] for v in villages}
            for j, v_name in enumerate(
                _place_names(rng, max(quota - len(villages), 0), village_suffix, taken_v)
            ):
                villages.append({"code": f"{street['code'][:9]}{500 + j:03d}", "name": v_name})
            for village in villages:
                add(office, "village_station", f"{village['name']}公共法律服务站", village["code"], code, 1)
            made_villages += len(villages)
    return tree


# --- the rows ----------------------------------------------------------------------------------------------


class Sink(abc.ABC):
    """Where the rows of the big tables go. ``writer(plan)`` gives a function that buffers one row of that
    table; ``flush()`` writes what is buffered, table by table in the order the writers were asked for (one
    connection runs one COPY at a time, so the tables take turns)."""

    vendor = ""
    flush_at = 200_000  # buffered rows

    def __init__(self) -> None:
        self.buffers: dict[str, tuple[TablePlan, list[tuple[Any, ...]]]] = {}
        self.pending = 0

    def writer(self, plan: TablePlan) -> Callable[[tuple[Any, ...]], None]:
        rows: list[tuple[Any, ...]] = []
        self.buffers[plan.table] = (plan, rows)

        def write(row: tuple[Any, ...]) -> None:
            rows.append(row)
            self.pending += 1

        return write

    def flush(self) -> None:
        for plan, rows in self.buffers.values():
            if rows:
                self.write_rows(plan, rows)
                rows.clear()
        self.pending = 0

    def maybe_flush(self) -> None:
        if self.pending >= self.flush_at:
            self.flush()

    @abc.abstractmethod
    def write_rows(self, plan: TablePlan, rows: list[tuple[Any, ...]]) -> None:
        """Write one batch of rows of ``plan``'s table (COPY on PostgreSQL, executemany elsewhere)."""

    def uuid(self, number: int) -> str:
        return f"00000000-0000-4000-8000-{number:012x}"


class CopySink(Sink):
    """PostgreSQL COPY through psycopg 3 (``cursor.copy``) on Django's own psycopg connection."""

    vendor = "postgresql"

    def __init__(self, pg_connection: Any) -> None:
        super().__init__()
        self.pg = pg_connection

    def write_rows(self, plan: TablePlan, rows: list[tuple[Any, ...]]) -> None:
        sql = f"COPY {plan.table} ({', '.join(plan.columns)}) FROM STDIN"
        defaults = plan.defaults
        with self.pg.cursor() as cursor, cursor.copy(sql) as copy:
            write_row = copy.write_row
            if defaults:
                for row in rows:
                    write_row(row + defaults)
            else:
                for row in rows:
                    write_row(row)


class InsertSink(Sink):
    """``executemany``, with values shaped the way Django's SQLite backend stores them."""

    vendor = "sqlite"

    def __init__(self, dbapi_cursor: Any) -> None:
        super().__init__()
        self.cursor = dbapi_cursor

    def uuid(self, number: int) -> str:
        return f"000000000000400080000{number:011x}"

    @staticmethod
    def _value(value: Any) -> Any:
        if isinstance(value, datetime.datetime):
            return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
        if isinstance(value, datetime.date | datetime.time):
            return value.isoformat()
        return value

    def write_rows(self, plan: TablePlan, rows: list[tuple[Any, ...]]) -> None:
        marks = ", ".join("?" for _ in plan.columns)
        sql = f"INSERT INTO {plan.table} ({', '.join(plan.columns)}) VALUES ({marks})"
        value = self._value
        self.cursor.executemany(sql, [tuple(value(v) for v in row + plan.defaults) for row in rows])


# The columns written for each big table, in row order. A required column of the model that is not here is
# written with the field's default (``_table_plan``), so a new field with a default needs no change here.
VISIT_COLUMNS = (
    "id", "node_id", "person_id", "channel", "received_by_id", "received_at", "summary", "vulnerable_groups",
    "year", "seq", "client_token", "created_at",
)  # fmt: skip
MATTER_COLUMNS = (
    "id", "visit_id", "node_id", "kind", "legal_field", "service_type", "summary", "state", "owner_id",
    "institution_id", "answer", "redirect_reason", "redirect_to", "redirect_address", "redirect_phone",
    "outcome", "outcome_by_proxy", "told_via", "rating", "rating_comment", "one_trip_mode",
    "transferred_at", "accepted_at", "outcome_at", "told_at", "closed_at", "ledger_year", "ledger_seq",
    "created_at", "updated_at",
)  # fmt: skip
EVENT_COLUMNS = (
    "id", "matter_id", "code", "actor_id", "node_id", "institution_id", "from_state", "to_state", "note", "data",
    "created_at",
)  # fmt: skip
COUNTER_COLUMNS = ("id", "node_id", "ledger", "year", "last")
BIG_TABLES = ("people_person", "matters_visit", "matters_matter", "matters_matterevent")


@dataclass(frozen=True)
class TablePlan:
    table: str
    columns: tuple[str, ...]  # ours, then the defaulted ones
    defaults: tuple[Any, ...]  # the values of the defaulted columns, ready for the database


def _table_plan(model: Any, ours: Sequence[str]) -> TablePlan:
    from django.db import connection

    extra_columns: list[str] = []
    defaults: list[Any] = []
    for f in model._meta.concrete_fields:
        if f.column in ours or f.null:
            continue
        if not f.has_default() and not f.blank:
            raise RuntimeError(f"the benchmark generator does not fill {model._meta.db_table}.{f.column}")
        extra_columns.append(f.column)
        defaults.append(f.get_db_prep_save(f.get_default(), connection))
    return TablePlan(model._meta.db_table, (*ours, *extra_columns), tuple(defaults))


class PersonRows:
    """Person rows the way ``Person.save`` stores them: fields with their own database conversion (encrypted
    ones) through it, the blind indexes (where the model has them) computed by the people app's function,
    plain fields as they are, fields not given at their default."""

    PLAIN = frozenset(
        {"AutoField", "BigAutoField", "CharField", "TextField", "DateField", "DateTimeField", "BooleanField",
         "ForeignKey", "PositiveIntegerField", "PositiveSmallIntegerField", "IntegerField"}
    )  # fmt: skip

    def __init__(self) -> None:
        from django.db import connection

        from lawdesk.people import models as people_models

        self.connection = connection
        fields = list(people_models.Person._meta.concrete_fields)
        self.columns = tuple(f.column for f in fields)
        self.attnames = [f.attname for f in fields]
        self.defaults = [f.get_default() if f.has_default() else (None if f.null else "") for f in fields]
        self.converters: list[Any] = [None if type(f).__name__ in self.PLAIN else f for f in fields]
        self.indexes = getattr(people_models, "person_blind_indexes", None)

    def row(self, values: dict[str, Any]) -> tuple[Any, ...]:
        if self.indexes is not None:
            values.update(self.indexes(id_number=values["id_number"], phone=values["phone"]))
        out = []
        for attname, default, converter in zip(self.attnames, self.defaults, self.converters, strict=True):
            value = values.get(attname, default)
            if converter is not None:
                value = converter.get_db_prep_save(value, self.connection)
            out.append(value)
        return tuple(out)


class Stamps:
    """Timestamps as the COPY text (``2026-10-01 01:02:03+00``) or SQLite's stored form, from UTC epoch
    seconds, with the date part cached: formatting datetimes is a large part of generating otherwise."""

    def __init__(self, suffix: str) -> None:
        self.suffix = suffix
        self.days: dict[int, str] = {}

    def __call__(self, epoch: int) -> str:
        day, second = divmod(epoch, 86400)
        text = self.days.get(day)
        if text is None:
            text = self.days[day] = (datetime.date(1970, 1, 1) + datetime.timedelta(days=day)).isoformat()
        hour, rest = divmod(second, 3600)
        return f"{text} {hour:02d}:{rest // 60:02d}:{rest % 60:02d}{self.suffix}"


# How a matter's events are laid out: every matter picks its flow variant and its pace from its id, so the
# generator (which writes the matter's state and stage times) and the SQL that writes its events agree.
def variant_pick(matter_id: int) -> int:
    return (matter_id * 40503 + 7) % 100


def pace(matter_id: int) -> int:
    """Per mille of the flow's nominal hours this matter takes (500–1499)."""
    return 500 + (matter_id * 2654435761) % 1000


@dataclass(frozen=True)
class FlowStep:
    kind: str
    pick_from: int
    pick_to: int
    step: int
    code: str
    seconds: int  # after reception, at the nominal pace
    by_institution: bool
    from_state: str
    to_state: str


def flow_steps() -> dict[str, list[tuple[int, int, list[FlowStep]]]]:
    """Per kind: (pick_from, pick_to, steps) of each variant."""
    out: dict[str, list[tuple[int, int, list[FlowStep]]]] = {}
    for kind, variants in FLOWS.items():
        pick = 0
        out[kind] = []
        for index, (share, steps) in enumerate(variants):
            upto = 100 if index == len(variants) - 1 else pick + round(share * 100)
            state = ""
            hours = 0.0
            laid: list[FlowStep] = []
            for i, (code, after, by_institution) in enumerate(steps):
                hours += after
                to_state = TO_STATE.get(code, "")
                from_state = state if to_state and code != "received" else ""
                if to_state:
                    state = to_state
                laid.append(
                    FlowStep(
                        kind, pick, upto, i, code, round(hours * 3600), by_institution, from_state, to_state
                    )
                )
            out[kind].append((pick, upto, laid))
            pick = upto
    return out


@dataclass
class CityResult:
    tree: Tree
    counts: Counter[str] = field(default_factory=Counter)
    clerk_of: dict[int, int] = field(default_factory=dict)  # platform id → its clerk's user id
    seconds: float = 0.0
    event_seconds: float = 0.0
    index_seconds: float = 0.0
    commit_seconds: float = 0.0
    start: datetime.date = datetime.date(2022, 11, 1)
    end: datetime.date = datetime.date(2026, 10, 31)

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class FirstIds:
    """Where each table's new ids start (one past the largest id there)."""

    node: int = 1
    user: int = 1
    role: int = 1
    institution: int = 1
    person: int = 1
    visit: int = 1
    matter: int = 1
    event: int = 1
    counter: int = 1


def _day_weights(start: datetime.date, end: datetime.date) -> list[tuple[datetime.date, float]]:
    """Weekdays busy, weekends a quarter of that, and a steady growth of a fifth a year."""
    days = []
    day = start
    while day <= end:
        growth = 1.0 + 0.2 * (day - start).days / 365.0
        weekday = 1.0 if day.weekday() < 5 else 0.25
        days.append((day, growth * weekday))
        day += datetime.timedelta(days=1)
    return days


def write_small_tables(result: CityResult, first: FirstIds) -> dict[tuple[str, str], int]:
    """The tree, one window clerk per platform and three institutions per district, through the ORM.
    Returns the institution id per (district code, institution kind)."""
    from lawdesk.accounts.models import RoleAssignment, User
    from lawdesk.institutions.models import Institution
    from lawdesk.orgs.models import OrgNode

    tree = result.tree
    hours: dict[str, Any] = {
        "morning_open": datetime.time(8, 30),
        "morning_close": datetime.time(12),
        "afternoon_open": datetime.time(14),
        "afternoon_close": datetime.time(17, 30),
    }
    OrgNode.objects.bulk_create(
        [
            OrgNode(
                id=n.id, parent_id=n.parent_id, kind=n.kind, name=n.name, region_code=n.code, path=n.path,
                depth=n.depth, **(hours if n.is_platform else {}),
            )
            for n in tree.nodes
        ],
        batch_size=1000,
    )  # fmt: skip
    result.counts["orgs_orgnode"] = len(tree.nodes)
    users, roles = [], []
    for i, n in enumerate(tree.platforms):
        user_id = first.user + i
        result.clerk_of[n.id] = user_id
        users.append(
            User(id=user_id, username=f"bench_clerk_{n.id}", password="!", full_name=f"{n.name[:20]}接待员")
        )
        roles.append(RoleAssignment(id=first.role + i, user_id=user_id, role="window_clerk", node_id=n.id))
    User.objects.bulk_create(users, batch_size=1000)
    RoleAssignment.objects.bulk_create(roles, batch_size=1000)
    result.counts["accounts_user"] = len(users)
    result.counts["accounts_roleassignment"] = len(roles)
    institution_of: dict[tuple[str, str], int] = {}
    institutions = []
    inst_id = first.institution
    for bureau in tree.of_kind("district_bureau"):
        short = bureau.name.removesuffix("司法局")
        for kind, name in (
            ("legal_aid_centre", f"{short}法律援助中心（基准测试）"),
            ("mediation_committee", f"{short}人民调解委员会（基准测试）"),
            ("law_firm", f"陕西{short}律师事务所（基准测试）"),
        ):
            institutions.append(
                Institution(
                    id=inst_id, kind=kind, name=name, home_node_id=bureau.id,
                    mediation_scope="place" if kind == "mediation_committee" else "",
                )
            )  # fmt: skip
            institution_of[(bureau.district, kind)] = inst_id
            inst_id += 1
    Institution.objects.bulk_create(institutions)
    result.counts["institutions_institution"] = len(institutions)
    return institution_of


def plan_days(matters: int, start: datetime.date, end: datetime.date) -> list[tuple[datetime.date, int]]:
    """How many matters each day receives: ``matters`` in all, by the day weights, rounded with carry."""
    days = _day_weights(start, end)
    total_weight = sum(w for _, w in days)
    out = []
    made = 0
    expected = 0.0
    for day, weight in days:
        expected += matters * weight / total_weight
        quota = matters - made if day == end else min(int(expected + 0.5), matters) - made
        out.append((day, max(quota, 0)))
        made += max(quota, 0)
    return out


def split_days(days: list[tuple[datetime.date, int]], parts: int) -> list[list[tuple[datetime.date, int]]]:
    """Whole calendar years (numbers restart each year, so a year is never split) in ``parts`` contiguous
    groups of about equal matters."""
    years: dict[int, list[tuple[datetime.date, int]]] = {}
    for day, quota in days:
        years.setdefault(day.year, []).append((day, quota))
    groups: list[list[tuple[datetime.date, int]]] = [[]]
    total = sum(q for _, q in days)
    done = 0
    for year_days in years.values():
        size = sum(q for _, q in year_days)
        target = total * len(groups) / parts
        if groups[-1] and len(groups) < parts and done + size / 2 > target:
            groups.append([])
        groups[-1].extend(year_days)
        done += size
    return groups


@dataclass
class City:
    """What the streams share: the tree, its clerks and institutions, written before the matters."""

    result: CityResult
    institution_of: dict[tuple[str, str], int]
    first: FirstIds
    seed: int


def prepare(
    *, matters: int, seed: int, end: datetime.date, years: float, first: FirstIds, platforms: int
) -> City:
    tree = build_tree(first_id=first.node, seed=seed, platforms=platforms)
    start = end - datetime.timedelta(days=round(365.25 * years) - 1)
    result = CityResult(tree=tree, start=start, end=end)
    institution_of = write_small_tables(result, first)
    return City(result, institution_of, first, seed)


def stream(
    sink: Sink,
    city: City,
    days: list[tuple[datetime.date, int]],
    *,
    part: int,
    base: int,
    progress: Callable[[str], None] | None = None,
) -> Counter[str]:
    """Persons, visits and matters of ``days`` (whole years), ids from ``base`` on (a visit or a person never
    outnumbers the matters, so parts given disjoint matter ranges never collide), then their ledger counters."""
    from lawdesk.matters.models import LedgerCounter, Matter, Visit
    from lawdesk.people.models import VulnerableGroup

    result, first = city.result, city.first
    tree, end = result.tree, result.end
    counts: Counter[str] = Counter()
    say = progress or (lambda _message: None)
    rng = random.Random(city.seed * 1000 + part)
    platforms_list = tree.platforms
    cum = _cumulate([n.weight for n in platforms_list])  # how busy each platform is
    kinds = [k for k, _ in KIND_WEIGHTS]
    kind_cum = _cumulate([w for _, w in KIND_WEIGHTS])
    channels = [c for c, _ in CHANNELS]
    channel_cum = _cumulate([w for _, w in CHANNELS])
    # Per kind, per pick 0–99: the variant's steps as (seconds, stamp field or "", to_state).
    steps_of: dict[str, list[list[tuple[int, str, str]]]] = {}
    for kind, variants in flow_steps().items():
        table: list[list[tuple[int, str, str]]] = [[] for _ in range(100)]
        for pick_from, pick_to, laid in variants:
            compact = [(s.seconds, STAMP_FIELD.get(s.code, ""), s.to_state) for s in laid]
            for pick in range(pick_from, pick_to):
                table[pick] = compact
        steps_of[kind] = table
    names = _name_pool(random.Random(city.seed))
    fallback_district = tree.of_kind("district_bureau")[0].district
    institution_of = city.institution_of
    end_epoch = end_epoch_of(end)
    stamp = Stamps("+00" if sink.vendor == "postgresql" else "")
    group_values = tuple(VulnerableGroup.values)
    person_rows = PersonRows()

    visit_id, matter_id, person_id = first.visit + base, first.matter + base, first.person + base
    first_person = person_id
    visit_seq: Counter[tuple[int, int]] = Counter()
    ledger_seq: Counter[tuple[int, str, int]] = Counter()
    people_known = 0
    made = 0
    began = last_report = time.perf_counter()
    write_person = sink.writer(TablePlan("people_person", person_rows.columns, ()))
    write_visit = sink.writer(_table_plan(Visit, VISIT_COLUMNS))
    write_matter = sink.writer(_table_plan(Matter, MATTER_COLUMNS))
    random_ = rng.random
    randrange = rng.randrange
    for day, quota in days:
        if quota <= 0:
            continue
        # The day's visits (one to three matters each) at their platforms, in the order received.
        sizes: list[int] = []
        left = quota
        while left > 0:
            r = random_()
            size = min(1 if r < 0.85 else (2 if r < 0.97 else 3), left)
            sizes.append(size)
            left -= size
        opened = int(datetime.datetime(day.year, day.month, day.day, 8, 30, tzinfo=CST).timestamp())
        seconds = sorted(randrange(0, 9 * 3600) for _ in sizes)
        chosen = rng.choices(platforms_list, cum_weights=cum, k=len(sizes))
        year = day.year
        for size, second, node in zip(sizes, seconds, chosen, strict=True):
            at = opened + second
            at_text = stamp(at)
            clerk = result.clerk_of[node.id]
            # Half the visits are someone new; the others someone who came before.
            if people_known == 0 or random_() < 0.5:
                pid = person_id
                person_id += 1
                people_known += 1
                groups = _groups(pid, group_values)
                name, initials = names[randrange(len(names))]
                born = datetime.date(1940 + randrange(65), 1 + randrange(12), 1 + randrange(28))
                write_person(
                    person_rows.row({
                        "id": pid, "name": name, "name_initials": initials,
                        "id_number": _id_number(pid, born) if random_() < 0.3 else "",
                        "phone": f"1{3 + pid % 6}{(pid * 7919) % 10**9:09d}" if random_() < 0.7 else "",
                        "gender": "male" if pid % 2 else "female", "birth_date": born, "first_node_id": node.id,
                        "vulnerable_groups": groups,
                        "created_at": at_text, "updated_at": at_text,
                    })
                )  # fmt: skip
                counts["people_person"] += 1
            else:
                pid = first_person + randrange(people_known)
                groups = _groups(pid, group_values)
            visit_seq[(node.id, year)] += 1
            vid = visit_id
            visit_id += 1
            channel = channels[bisect.bisect(channel_cum, random_() * channel_cum[-1])]
            write_visit((
                vid, node.id, pid, channel, clerk, at_text, "", groups, year, visit_seq[(node.id, year)],
                sink.uuid(vid), at_text,
            ))  # fmt: skip
            counts["matters_visit"] += 1
            for _ in range(size):
                kind = kinds[bisect.bisect(kind_cum, random_() * kind_cum[-1])]
                mid = matter_id
                matter_id += 1
                target = TRANSFER_TO.get(kind)
                institution = (
                    institution_of.get((node.district or fallback_district, target)) if target else None
                )
                state = "received"
                stamps: dict[str, str] = {}
                last = at
                mpace = pace(mid)
                for offset, stamp_field, to_state in steps_of[kind][variant_pick(mid)]:
                    moment = at + offset * mpace // 1000
                    if moment >= end_epoch:
                        break
                    last = moment
                    if to_state:
                        state = to_state
                    if stamp_field:
                        stamps[stamp_field] = stamp(moment)
                ledger = LEDGER_OF_KIND.get(kind)
                number: tuple[int | None, int | None] = (None, None)
                if ledger:
                    ledger_seq[(node.id, ledger, year)] += 1
                    number = (year, ledger_seq[(node.id, ledger, year)])
                word = FIELD_WORDS[mid % len(FIELD_WORDS)]
                write_matter((
                    mid, vid, node.id, kind,
                    LEGAL_FIELDS[mid % len(LEGAL_FIELDS)] if kind == "consultation" else "",
                    SERVICE_TYPES[mid % len(SERVICE_TYPES)] if kind == "service_transfer" else "",
                    SUMMARIES[kind].format(word), state, clerk,
                    institution if "transferred_at" in stamps else None,
                    "已当场解答。" if kind == "consultation" and state in ("answered", "closed") else "",
                    "", "", "", "", "", False, "phone" if "told_at" in stamps else "",
                    4 + (mid % 2) if state == "closed" and kind != "appointment" else None, "", "",
                    stamps.get("transferred_at"), stamps.get("accepted_at"), stamps.get("outcome_at"),
                    stamps.get("told_at"), stamps.get("closed_at"), number[0], number[1], at_text, stamp(last),
                ))  # fmt: skip
                counts["matters_matter"] += 1
            made += size
        sink.maybe_flush()
        if progress and time.perf_counter() - last_report > 30:
            last_report = time.perf_counter()
            rate = made / (last_report - began)
            say(f"  part {part}: {day}: {made:,} matters ({rate:,.0f} matters/s)")
    sink.flush()

    counter_id = first.counter + part * 1_000_000
    write = sink.writer(_table_plan(LedgerCounter, COUNTER_COLUMNS))
    for (node_id, year), last_seq in sorted(visit_seq.items()):
        write((counter_id, node_id, "visit", year, last_seq))
        counter_id += 1
    for (node_id, ledger, year), last_seq in sorted(ledger_seq.items()):
        write((counter_id, node_id, ledger, year, last_seq))
        counter_id += 1
    sink.flush()
    counts["matters_ledgercounter"] = counter_id - first.counter - part * 1_000_000
    return counts


def end_epoch_of(end: datetime.date) -> int:
    """The first moment after ``end`` (Beijing time), as epoch seconds: nothing happens from then on."""
    return int(
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, CST).timestamp()
    )


def generate(
    sink: Sink,
    *,
    matters: int,
    seed: int = 2026,
    end: datetime.date = datetime.date(2026, 10, 31),
    years: float = 4.0,
    first: FirstIds | None = None,
    progress: Callable[[str], None] | None = None,
    platforms: int = TARGET_PLATFORMS,
) -> CityResult:
    """Write the city and ``matters`` matters received from ``years`` before ``end`` up to ``end`` (local
    days), every one with its visit, citizen, number and events, in this process and transaction; return what
    was written. Needs Django.

    Persons, visits and matters are made here and streamed to the sink; the events are then written by one
    INSERT … SELECT from the matters (``write_events``), laid out by the same flow and pace the matter's
    state and stage times were computed with."""
    first = first or FirstIds()
    began = time.perf_counter()
    say = progress or (lambda _message: None)
    city = prepare(matters=matters, seed=seed, end=end, years=years, first=first, platforms=platforms)
    result = city.result
    say(
        f"tree: {result.counts['orgs_orgnode']} nodes, {len(result.tree.platforms)} platforms, one clerk each"
    )
    days = plan_days(matters, result.start, end)
    result.counts.update(stream(sink, city, days, part=0, base=0, progress=progress))
    result.seconds = time.perf_counter() - began
    say(
        f"persons, visits and matters: {result.seconds:.1f} s ({matters / max(result.seconds, 1e-9):,.0f} matters/s)"
    )
    started = time.perf_counter()
    result.counts["matters_matterevent"] = write_events(
        first_matter=first.matter, end_epoch=end_epoch_of(end)
    )
    result.event_seconds = time.perf_counter() - started
    say(f"events: {result.counts['matters_matterevent']:,} in {result.event_seconds:.1f} s")
    result.seconds = time.perf_counter() - began
    return result


def write_events(*, first_matter: int, end_epoch: int, last_matter: int | None = None) -> int:
    """The events of matters [first_matter, last_matter] by one INSERT … SELECT joining the matters to their
    flow's steps: the same steps, pace and cut-off at ``end_epoch`` the generator used for the matter."""
    from django.db import connection

    from lawdesk.matters.models import MatterEvent

    plan = _table_plan(MatterEvent, EVENT_COLUMNS)
    extra = plan.columns[len(EVENT_COLUMNS) :]
    steps = [s for variants in flow_steps().values() for _, _, laid in variants for s in laid]
    values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s)"] * len(steps))
    params: list[Any] = []
    for s in steps:
        params += [
            s.kind,
            s.pick_from,
            s.pick_to,
            s.step,
            s.code,
            s.seconds,
            s.by_institution,
            s.from_state,
            s.to_state,
        ]
    flow = f"f(kind, pick_from, pick_to, step, code, seconds, by_inst, from_state, to_state) AS (VALUES {values})"
    # "%%" is "%" once the parameters are in.
    pick = "(m.id * 40503 + 7) %% 100"
    offset = "f.seconds * (500 + (m.id * 2654435761) %% 1000) / 1000"
    if connection.vendor == "postgresql":
        moment = f"m.created_at + ({offset}) * interval '1 second'"
        cutoff = f"m.created_at + ({offset}) * interval '1 second' < to_timestamp({int(end_epoch)})"
        data = "'{}'::jsonb"
    else:
        moment = f"datetime(m.created_at, '+' || ({offset}) || ' seconds')"
        cutoff = f"strftime('%%s', m.created_at) + ({offset}) < {int(end_epoch)}"
        data = "'{}'"
    columns = ", ".join(EVENT_COLUMNS[1:] + extra)
    extra_values = "".join(", %s" for _ in extra)
    sql = f"""
        WITH {flow}
        INSERT INTO {plan.table} ({columns})
        SELECT m.id, f.code,
               CASE WHEN f.by_inst THEN NULL ELSE m.owner_id END,
               CASE WHEN f.by_inst THEN NULL ELSE m.node_id END,
               CASE WHEN f.by_inst THEN m.institution_id END,
               f.from_state, f.to_state, '', {data}, {moment}{extra_values}
        FROM matters_matter m
        JOIN f ON f.kind = m.kind AND {pick} >= f.pick_from AND {pick} < f.pick_to
        WHERE m.id >= %s AND m.id <= %s AND {cutoff}
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *plan.defaults, first_matter, last_matter or 2**62])
        if cursor.rowcount >= 0:
            return int(cursor.rowcount)
        # SQLite does not count the rows of an INSERT that starts with WITH.
        cursor.execute(
            f"SELECT COUNT(*) FROM {plan.table} WHERE matter_id >= %s AND matter_id <= %s",
            [first_matter, last_matter or 2**62],
        )
        return int(cursor.fetchone()[0])


def _groups(pid: int, values: Sequence[str]) -> str:
    """About one citizen in five in a vulnerable group (``values``: the people app's, in order), one in fifty in
    two, fixed by the person id (so that a returning citizen's visit records the same groups without a
    lookup)."""
    mixed = (pid * 2654435761) % 2**32
    if mixed % 100 >= 20:
        return ""
    picked = {values[(mixed >> 8) % len(values)]}
    if mixed % 100 < 2:
        picked.add(values[(mixed >> 16) % len(values)])
    return "," + ",".join(v for v in values if v in picked) + ","


def _id_number(pid: int, born: datetime.date) -> str:
    """A well-formed resident ID number, unique per person id (the region and sequence digits carry it)."""
    from lawdesk.people.identity import check_digit

    first17 = f"61{pid // 1000 % 10000:04d}{born:%Y%m%d}{pid % 1000:03d}"
    return first17 + check_digit(first17)


def _cumulate(weights: Sequence[float]) -> list[float]:
    out: list[float] = []
    acc = 0.0
    for w in weights:
        acc += w
        out.append(acc)
    return out


def _name_pool(rng: random.Random) -> list[tuple[str, str]]:
    """Some thousands of names with their pinyin initials (as the people app computes them)."""
    from lawdesk.people.identity import name_initials

    pool: set[str] = set()
    while len(pool) < 3000:
        given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
        pool.add(rng.choice(SURNAMES) + given)
    return [(name, name_initials(name)) for name in sorted(pool)]


# --- with Django ---------------------------------------------------------------------------------------------


def first_ids() -> FirstIds:
    """One past the largest id of each table (the tables may hold rows already, e.g. a test's)."""
    from django.db import connection

    def next_id(table: str) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
            row = cursor.fetchone()
            return int(row[0])

    return FirstIds(
        node=next_id("orgs_orgnode"),
        user=next_id("accounts_user"),
        role=next_id("accounts_roleassignment"),
        institution=next_id("institutions_institution"),
        person=next_id("people_person"),
        visit=next_id("matters_visit"),
        matter=next_id("matters_matter"),
        event=next_id("matters_matterevent"),
        counter=next_id("matters_ledgercounter"),
    )


MODELS = (
    "orgs.OrgNode", "accounts.User", "accounts.RoleAssignment", "institutions.Institution", "people.Person",
    "matters.Visit", "matters.Matter", "matters.MatterEvent", "matters.LedgerCounter",
)  # fmt: skip


def reset_sequences() -> None:
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    statements = connection.ops.sequence_reset_sql(no_style(), [apps.get_model(label) for label in MODELS])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def sink_for_django() -> Sink:
    """A sink on Django's default connection (inside the caller's transaction)."""
    from django.db import connection

    connection.ensure_connection()
    if connection.vendor == "postgresql":
        return CopySink(connection.connection)
    return InsertSink(connection.connection.cursor())


@dataclass
class Dropped:
    constraints: list[tuple[str, str, str]] = field(default_factory=list)  # table, name, definition
    indexes: list[str] = field(default_factory=list)  # CREATE INDEX statements


LOAD_TABLES = (*BIG_TABLES, "matters_ledgercounter")


def drop_indexes(tables: Sequence[str] = LOAD_TABLES) -> Dropped:
    """PostgreSQL: drop the secondary indexes, unique and foreign-key constraints of ``tables`` (kept: primary
    keys), so COPY writes only the heap and no deferred foreign-key check is queued per row."""
    from django.db import connection

    dropped = Dropped()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('f', 'u') ORDER BY contype DESC, conname",
            [list(tables)],
        )
        dropped.constraints = list(cursor.fetchall())
        for table, name, _definition in dropped.constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index"
            " WHERE indrelid = ANY(%s::regclass[]) AND NOT indisprimary",
            [list(tables)],
        )
        rows = cursor.fetchall()
        dropped.indexes = [definition for _name, definition in rows]
        for name, _definition in rows:
            cursor.execute(f"DROP INDEX {name}")
    return dropped


def restore_indexes(dropped: Dropped, progress: Callable[[str], None] | None = None) -> None:
    """Build again what ``drop_indexes`` dropped (indexes first, then unique and foreign-key constraints,
    which check every row as they are added)."""
    from django.db import connection

    say = progress or (lambda _message: None)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        for definition in dropped.indexes:
            began = time.perf_counter()
            cursor.execute(definition)
            say(
                f"  {definition.split(' USING ')[0].removeprefix('CREATE ')}: {time.perf_counter() - began:.1f} s"
            )
        for table, name, definition in reversed(dropped.constraints):
            began = time.perf_counter()
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            say(f"  constraint {name}: {time.perf_counter() - began:.1f} s")


def _say(message: str) -> None:
    print(f"[{datetime.datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


def _part(
    city: City, days: list[tuple[datetime.date, int]], part: int, base: int
) -> tuple[dict[str, int], float]:
    """One process's share of a parallel generation: its years, in its own connection and transaction."""
    from django.db import connection, transaction

    began = time.perf_counter()
    first_matter = city.first.matter + base
    last_matter = first_matter + sum(q for _, q in days) - 1
    with transaction.atomic():
        counts = stream(sink_for_django(), city, days, part=part, base=base, progress=_say)
        seconds = time.perf_counter() - began
        _say(f"  part {part}: {counts['matters_matter']:,} matters in {seconds:.0f} s; writing their events")
        counts["matters_matterevent"] = write_events(
            first_matter=first_matter, last_matter=last_matter, end_epoch=end_epoch_of(city.result.end)
        )
    _say(
        f"  part {part}: {counts['matters_matterevent']:,} events, done in {time.perf_counter() - began:.0f} s"
    )
    connection.close()
    return dict(counts), seconds


def generate_parallel(
    *,
    matters: int,
    workers: int = 4,
    seed: int = 2026,
    end: datetime.date = datetime.date(2026, 10, 31),
    years: float = 4.0,
    platforms: int = TARGET_PLATFORMS,
    progress: Callable[[str], None] | None = None,
) -> CityResult:
    """PostgreSQL, for the big runs: the tree first (committed), the big tables' indexes and constraints
    dropped, then ``workers`` processes each generating whole years (numbers restart every year) with their
    events, each in its own transaction, then the indexes and constraints built again (which checks every
    foreign key and every unique number) and the sequences moved on."""
    import multiprocessing

    from django.db import connections, transaction

    from lawdesk.orgs.models import OrgNode

    say = progress or _say
    if OrgNode.objects.filter(parent__isnull=True).exists():
        raise RuntimeError(
            "this database has an organisation tree already: generate the city into an empty one"
        )
    began = time.perf_counter()
    first = first_ids()
    with transaction.atomic():
        city = prepare(matters=matters, seed=seed, end=end, years=years, first=first, platforms=platforms)
    with transaction.atomic():
        dropped = drop_indexes()
    result = city.result
    say(
        f"tree: {result.counts['orgs_orgnode']} nodes, {len(result.tree.platforms)} platforms, one clerk each"
    )
    groups = split_days(plan_days(matters, result.start, end), workers)
    bases = [0]
    for group in groups[:-1]:
        bases.append(bases[-1] + sum(q for _, q in group))
    for part, group in enumerate(groups):
        say(f"  part {part}: {group[0][0]} to {group[-1][0]}, {sum(q for _, q in group):,} matters")
    connections.close_all()
    context = multiprocessing.get_context("fork")
    with context.Pool(len(groups)) as pool:
        outcomes = pool.starmap(
            _part, [(city, group, part, bases[part]) for part, group in enumerate(groups)]
        )
    for counts, _seconds in outcomes:
        result.counts.update(counts)
    result.seconds = time.perf_counter() - began
    result.event_seconds = 0.0
    say(
        f"persons, visits, matters and events: {result.seconds:.0f} s ({matters / result.seconds:,.0f} matters/s)"
    )
    began = time.perf_counter()
    with transaction.atomic():
        say("indexes and constraints:")
        restore_indexes(dropped, say)
        reset_sequences()
    result.index_seconds = time.perf_counter() - began
    return result


def generate_with_django(
    *, matters: int, progress: Callable[[str], None] | None = None, bulk: bool = False, **options: Any
) -> CityResult:
    """Generate into Django's default database in one transaction, ids after the existing ones, sequences
    moved past the new rows. The tree must not be there yet (one city per database). ``bulk`` (PostgreSQL):
    drop the big tables' indexes and constraints while loading and build them again after."""
    from django.db import connection, transaction

    from lawdesk.orgs.models import OrgNode

    if OrgNode.objects.filter(parent__isnull=True).exists():
        raise RuntimeError(
            "this database has an organisation tree already: generate the city into an empty one"
        )
    say = progress or (lambda _message: None)
    bulk = bulk and connection.vendor == "postgresql"
    with transaction.atomic():
        dropped = drop_indexes() if bulk else None
        result = generate(sink_for_django(), matters=matters, first=first_ids(), progress=progress, **options)
        if dropped is not None:
            began = time.perf_counter()
            say("indexes and constraints:")
            restore_indexes(dropped, progress)
            result.index_seconds = time.perf_counter() - began
        reset_sequences()
        began = time.perf_counter()
    result.commit_seconds = time.perf_counter() - began
    return result
