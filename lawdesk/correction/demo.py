"""Demo community correction and resettlement records at the demo judicial office (小寨路街道司法所), made
through the services by the demo correction officer (login ``correction``, 高峰). Idempotent: a person already
registered (by ID number) is left alone. The hook for ``lawdesk.demo.loader``:
``loader.report.created["correction"] += load_correction_demo(office=office)``. All names and numbers are
invented; the ID numbers are well-formed but belong to no one on purpose (region 610113, check digit right)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from lawdesk.accounts import scoping
from lawdesk.accounts.models import Role
from lawdesk.core import clock
from lawdesk.correction import services
from lawdesk.correction.models import RecordKind, ReleasedPerson, Supervisee
from lawdesk.orgs.models import OrgNode
from lawdesk.people.identity import check_digit


def _id(birth: str, seq: int) -> str:
    first17 = f"610113{birth}{seq:03d}"
    return first17 + check_digit(first17)


def _days(n: int) -> datetime.date:
    return clock.today() - datetime.timedelta(days=n)


SUPERVISEES: list[dict[str, Any]] = [
    {
        "name": "刘建军", "id": ("19850312", 111), "type": "probation", "crime": "危险驾驶罪", "decided": 120,
        "term": 365, "received": 115, "address": "雁塔区小寨东路12号院3号楼", "phone": "13991110001",
        "team": [("张秀英", "committee", True), ("刘建国", "family", False)],
        "records": [
            (RecordKind.REPORT, 90, {}), (RecordKind.PHONE, 60, {}), (RecordKind.HOME_VISIT, 40, {}),
            (RecordKind.EDUCATION, 30, {"hours": Decimal(2), "note": "道路交通安全法专题学习"}),
            (RecordKind.PUBLIC_BENEFIT, 20, {"hours": Decimal(4), "note": "社区清扫"}),
            (RecordKind.HELP, 15, {"help_kind": "employment", "note": "推荐到物业公司做保安"}),
            (RecordKind.PUBLIC_BENEFIT, 3, {"hours": Decimal("3.5"), "note": "敬老院服务"}),
        ],
    },
    {
        "name": "陈小燕", "id": ("19921108", 222), "type": "parole", "crime": "诈骗罪", "decided": 200,
        "term": 400, "received": 195, "address": "雁塔区长延堡街道某小区5号楼", "phone": "13991110002",
        "level": "strict", "team": [("王丽", "office", True), ("陈父", "family", False)],
        "records": [
            (RecordKind.REPORT, 150, {}), (RecordKind.WORK_VISIT, 100, {}),
            (RecordKind.EDUCATION, 45, {"hours": Decimal(3), "note": "法治教育"}),
            (RecordKind.WARNING, 35, {"note": "未按时电话报告，给予警告"}),
            (RecordKind.HELP, 25, {"help_kind": "subsistence", "note": "协助申请最低生活保障"}),
            (RecordKind.LEAVE, 6, {"leave_from": 6, "leave_to": 2, "destination": "咸阳市", "note": "探望生病的母亲"}),
        ],
    },
    {
        "name": "赵强", "id": ("19780725", 331), "type": "control", "crime": "寻衅滋事罪", "decided": 300,
        "term": 330, "received": 296, "address": "雁塔区小寨西路8号", "phone": "",
        "level": "lenient", "team": [("李红", "committee", True)],
        "records": [
            (RecordKind.REPORT, 250, {}), (RecordKind.HOME_VISIT, 200, {}),
            (RecordKind.PUBLIC_BENEFIT, 10, {"hours": Decimal(6), "note": "植树"}),
        ],
    },
    {
        "name": "孙磊", "id": ("20010204", 443), "type": "outside", "crime": "故意伤害罪", "decided": 4,
        "term": 180, "received": None, "address": "雁塔区电子正街3号", "phone": "13991110004", "team": [],
        "records": [],
    },
]  # fmt: skip

RELEASED: list[dict[str, Any]] = [
    {
        "name": "周海", "id": ("19800101", 551), "prison": "陕西省某监狱", "notice": 60, "release": 55,
        "crime": "盗窃罪", "handover": 52, "key": True,
        "records": [("visit", "", 40, "入户走访，了解家庭情况"), ("help", "employment", 20, "推荐参加职业技能培训")],
    },
    {
        "name": "吴敏", "id": ("19950615", 662), "prison": "陕西省女子监狱", "notice": 3, "release": 1,
        "crime": "非法吸收公众存款罪", "handover": None, "key": False, "records": [],
    },
]  # fmt: skip


def load_correction_demo(*, office: OrgNode) -> int:
    """Register the demo supervisees and released persons not yet there; returns how many were registered."""
    officer = scoping.users_holding(Role.CORRECTION_OFFICER, at=office).order_by("pk").first()
    if officer is None:
        return 0
    made = 0
    today = clock.today()
    for spec in SUPERVISEES:
        number = _id(*spec["id"])
        if Supervisee.objects.filter(office=office).by_id_number(number).exists():
            continue
        decided = _days(spec["decided"])
        person = services.supervisee_create(
            actor=officer, office=office, name=spec["name"], id_number=number, correction_type=spec["type"],
            court="西安市雁塔区人民法院", crime=spec["crime"], decision_date=decided, term_start=decided,
            term_end=decided + datetime.timedelta(days=spec["term"]), phone=spec["phone"],
            address=spec["address"], level=spec.get("level", "ordinary"),
            received_on=_days(spec["received"]) if spec["received"] is not None else None,
        )  # fmt: skip
        for name, role, female in spec["team"]:
            services.team_add(actor=officer, supervisee=person, name=name, role=role, is_female=female)
        for kind, ago, extra in spec["records"]:
            extra = dict(extra)
            for key in ("leave_from", "leave_to"):
                if key in extra:
                    extra[key] = today - datetime.timedelta(days=extra[key])
            services.record_add(actor=officer, supervisee=person, kind=kind, date=_days(ago), **extra)
        made += 1
    for spec in RELEASED:
        number = _id(*spec["id"])
        if ReleasedPerson.objects.filter(office=office).by_id_number(number).exists():
            continue
        released = services.released_create(
            actor=officer, office=office, name=spec["name"], id_number=number, prison=spec["prison"],
            notice_date=_days(spec["notice"]), release_date=_days(spec["release"]), crime=spec["crime"],
            help_until=_days(spec["release"]) + datetime.timedelta(days=365 * 3),
        )  # fmt: skip
        if spec["handover"] is not None:
            services.released_handover(
                actor=officer, person=released, date=_days(spec["handover"]), assessment="家庭关系和睦，有就业意愿",
                help_plan="每月走访一次，协助职业技能培训和就业", key_person=spec["key"],
            )  # fmt: skip
        for kind, help_kind, ago, note in spec["records"]:
            services.released_record_add(
                actor=officer, person=released, kind=kind, help_kind=help_kind, date=_days(ago), note=note
            )
        made += 1
    return made
