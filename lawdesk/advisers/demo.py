"""Demo data of the village legal advisers (idempotent: a second run creates nothing), all through the services.

At 小寨路街道司法所: the adviser 田律 (demo login ``adviser``) holds contracts for three of its villages (one ending
within 30 days), an expired one for a fourth, and two more villages are added to the register with no adviser;
this month's and last month's service records (approved, pending, one returned); the town's WeChat group with
its members.

Hook: ``load_advisers_demo(office=...)`` in ``lawdesk/demo/loader.py``.
"""

from __future__ import annotations

import datetime
import struct
import zlib
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from lawdesk.accounts import scoping
from lawdesk.accounts.models import Role
from lawdesk.advisers import services
from lawdesk.advisers.models import AdviserContract, ServiceRecord, TownGroup
from lawdesk.core import clock
from lawdesk.institutions.models import Institution, InstitutionKind
from lawdesk.orgs.models import OrgNode, Village, VillageKind
from lawdesk.orgs.services import village_create

# Invented names (demo data): villages added to the office's register so the board shows "no adviser".
EXTRA_VILLAGES = (
    ("610113001205", "翠华新村", VillageKind.VILLAGE),
    ("610113001206", "雁南社区", VillageKind.COMMUNITY),
)
# village code -> (start, end) in days from today
CONTRACTS = {
    "610113001201": (-200, 165),  # 吉祥村
    "610113001002": (-340, 20),  # 永松社区: ends within 30 days
    "610113001001": (-100, 265),  # 长安大学社区
    "610113001203": (-400, -40),  # 罗家寨村: expired
}
# (village code, days ago, kind, hours, people, description, decision) — decision: "approve", "return" or ""
RECORDS = (
    ("610113001201", 1, "duty", "3", 6, "在村委会坐班，接待村民咨询宅基地和土地流转问题。", ""),
    ("610113001201", 3, "lecture", "1.5", 45, "开展民法典婚姻家庭编专题讲座，发放宣传资料60份。", "approve"),
    ("610113001002", 4, "consultation", "2", 5, "解答物业纠纷、劳动报酬等法律咨询。", "approve"),
    ("610113001201", 6, "village_rules", "2", 0, "审查吉祥村村规民约修订稿，提出修改意见三条。", "approve"),
    ("610113001001", 8, "mediation", "2.5", 2, "参与调解邻里漏水纠纷，双方达成协议。", "return"),
    ("610113001002", 33, "contract_review", "1", 0, "审查社区停车场委托管理合同。", "approve"),
    ("610113001201", 36, "legal_opinion", "2", 0, "就村集体土地租赁事项出具法律意见书。", "approve"),
)
# Invented members (demo data): (name, category, village code or "", phone)
MEMBERS = (
    ("刘红梅", "town_staff", "", "13700290101"),
    ("王建军", "secretary", "610113001201", "13700290102"),
    ("李秀兰", "director", "610113001002", "13700290103"),
    ("赵永强", "secretary", "610113001001", "13700290104"),
)


def sample_png() -> bytes:
    """A small green square, a real PNG (the upload check reads the content)."""
    width = height = 16
    raw = b"".join(b"\x00" + b"\x2e\x8b\x57" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def load_advisers_demo(*, office: OrgNode, today: datetime.date | None = None) -> int:
    """Returns how many records it created (0 on a second run)."""
    today = today or clock.today()
    adviser = scoping.users_holding(Role.LEGAL_ADVISER, at=office).order_by("pk").first()
    staff = scoping.users_holding(Role.OFFICE_STAFF, at=office, people_only=True).order_by("pk").first()
    firm = (
        Institution.objects.filter(kind=InstitutionKind.LAW_FIRM, name="陕西雁塔明理律师事务所").first()
        or Institution.objects.filter(kind=InstitutionKind.LAW_FIRM).order_by("pk").first()
    )
    if adviser is None or staff is None or firm is None:
        return 0
    created = 0
    for code, name, kind in EXTRA_VILLAGES:
        if not Village.objects.filter(region_code=code).exists():
            village_create(actor=None, office=office, name=name, region_code=code, kind=kind)
            created += 1
    villages = {v.region_code: v for v in Village.objects.filter(office=office)}
    contracts: dict[str, AdviserContract] = {}
    for code, (start, end) in CONTRACTS.items():
        village = villages.get(code)
        if village is None:
            continue
        existing = AdviserContract.objects.filter(village=village).order_by("-end").first()
        if existing is None:
            existing = services.contract_create(
                actor=None, village=village, adviser=adviser, institution=firm,
                start=today + datetime.timedelta(days=start), end=today + datetime.timedelta(days=end),
                signed=today + datetime.timedelta(days=start - 7),
            )  # fmt: skip
            created += 1
        contracts[code] = existing
    if not ServiceRecord.objects.filter(adviser=adviser).exists():
        for code, ago, service_kind, hours, people, text, decision in RECORDS:
            contract = contracts.get(code)
            day = today - datetime.timedelta(days=ago)
            if contract is None or not contract.active_on(day):
                continue
            photos: list[Any] = [SimpleUploadedFile("现场照片.png", sample_png(), content_type="image/png")]
            record = services.record_create(
                actor=adviser, contract=contract, date=day, kind=service_kind, hours=Decimal(hours), people_served=people,
                description=text, photos=photos if service_kind in ("duty", "lecture", "mediation") else [], today=today,
            )  # fmt: skip
            if decision:
                services.record_check(
                    actor=staff, record=record, approve=decision == "approve",
                    comment="" if decision == "approve" else "请补充调解协议书照片。",
                )  # fmt: skip
            created += 1
    if not TownGroup.objects.filter(office=office).exists():
        group = services.town_group_set(
            actor=staff, office=office, name=f"{office.name.removesuffix('司法所')}公共法律服务群",
            created=today - datetime.timedelta(days=300),
        )  # fmt: skip
        services.town_group_member_add(actor=staff, group=group, name=str(staff), category="office_staff")
        services.town_group_member_add(actor=staff, group=group, name=str(adviser), category="adviser")
        for name, category, code, phone in MEMBERS:
            services.town_group_member_add(
                actor=staff,
                group=group,
                name=name,
                category=category,
                village=villages.get(code),
                phone=phone,
            )
        created += 1
    return created
