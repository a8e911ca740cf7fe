"""Demo history for the statistics: six months of visits and matters at the demo platforms (every district's
service centre and the stations of 雁塔区, 新城区 and 蓝田县), so that the monthly reports, the roll-up and the
map show real figures; then the counts are filled. Records are written directly (the windows' services stamp
the current time), numbered like the windows number them, each marked 【统计演示】 in its summary.

Idempotent: every demo visit has a fixed token, and a visit already there is not made again. Nothing is
submitted: the report workflow is left to the user.
"""

from __future__ import annotations

import datetime
import random
import uuid

from django.db import transaction
from django.utils import timezone

from lawdesk.accounts.models import User
from lawdesk.core import clock
from lawdesk.matters.models import (
    Channel,
    LegalField,
    Matter,
    MatterEvent,
    MatterKind,
    MatterState,
    ServiceType,
    Visit,
)
from lawdesk.matters.numbering import KIND_LEDGERS, VISIT_LEDGER, next_number
from lawdesk.orgs.models import OrgNode
from lawdesk.orgs.rules import PLATFORM_KINDS, NodeKind
from lawdesk.people.identity import name_initials
from lawdesk.people.models import Person, VulnerableGroup

NAMESPACE = uuid.UUID("6f1c1d3e-2b51-4c55-9f0e-7a3c5b8e4d21")
MARK = "【统计演示】"
MONTHS = 6
DETAILED_DISTRICTS = ("610113", "610102", "610122")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
SUMMARIES: dict[str, str] = {
    MatterKind.CONSULTATION: "咨询劳动合同解除后的经济补偿",
    MatterKind.DISPUTE: "邻里之间因漏水产生纠纷",
    MatterKind.LEGAL_AID: "追索劳动报酬，申请法律援助",
    MatterKind.COMPLAINT: "反映窗口接待等候时间过长",
    MatterKind.SERVICE_TRANSFER: "办理继承公证",
    MatterKind.APPOINTMENT: "预约律师面谈",
}
KIND_WEIGHTS: list[tuple[str, int]] = [
    (MatterKind.CONSULTATION, 60),
    (MatterKind.DISPUTE, 15),
    (MatterKind.LEGAL_AID, 8),
    (MatterKind.SERVICE_TRANSFER, 10),
    (MatterKind.COMPLAINT, 3),
    (MatterKind.APPOINTMENT, 4),
]
CHANNEL_WEIGHTS: list[tuple[str, int]] = [(Channel.ON_SITE, 60), (Channel.PHONE, 20), (Channel.ONLINE, 8), (Channel.APPOINTMENT, 6),
                   (Channel.HOME_VISIT, 4), (Channel.VIDEO, 2)]  # fmt: skip


def _platforms() -> list[OrgNode]:
    detailed = OrgNode.objects.filter(kind__in=PLATFORM_KINDS, is_active=True)
    paths = list(
        OrgNode.objects.filter(kind=NodeKind.DISTRICT_BUREAU, region_code__in=DETAILED_DISTRICTS).values_list(
            "path", flat=True
        )
    )
    chosen = [n for n in detailed if any(n.path.startswith(p) for p in paths)]
    centres = list(OrgNode.objects.filter(kind=NodeKind.SERVICE_CENTRE, is_active=True))
    return sorted({n.pk: n for n in [*chosen, *centres]}.values(), key=lambda n: n.path)


def _pick(rng: random.Random, weights: list[tuple[str, int]]) -> str:
    return rng.choices([w[0] for w in weights], [w[1] for w in weights])[0]


def _month_starts(today: datetime.date) -> list[datetime.date]:
    out = []
    year, month = today.year, today.month
    for _ in range(MONTHS):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        out.append(datetime.date(year, month, 1))
    return sorted(out)


def load_stats_demo() -> int:
    """Make the demo history (once) and fill the counts. Returns how many visits were made."""
    from lawdesk.stats.fill import fill_counts

    clerk = User.objects.filter(username="clerk").first() or User.objects.filter(is_superuser=True).first()
    if clerk is None:
        return 0
    made = 0
    today = clock.today()
    tz = timezone.get_default_timezone()
    with transaction.atomic():
        for platform in _platforms():
            rng = random.Random(f"{platform.region_code}-{platform.kind}-{platform.name}")
            size = 2 + rng.randint(0, 5) + (8 if platform.kind == NodeKind.SERVICE_CENTRE else 0)
            for month in _month_starts(today):
                days = ((month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - month).days
                for i in range(size + rng.randint(-3, 3)):
                    token = uuid.uuid5(NAMESPACE, f"{platform.pk}-{month:%Y%m}-{i}")
                    if Visit.objects.filter(client_token=token).exists():
                        continue
                    # each visit draws from its own generator, so a second run makes exactly the same ones
                    one = random.Random(str(token))
                    when = datetime.datetime.combine(
                        month.replace(day=one.randint(1, days)),
                        datetime.time(one.randint(8, 17), one.randint(0, 59)),
                        tzinfo=tz,
                    )
                    _visit(one, platform, clerk, when, token)
                    made += 1
    fill_counts()
    return made


def _visit(rng: random.Random, node: OrgNode, clerk: User, when: datetime.datetime, token: uuid.UUID) -> None:
    person = Person(
        name=rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.5 else ""),
        first_node=node,
    )
    person.name_initials = name_initials(person.name)
    if rng.random() < 0.25:
        person.groups = rng.sample(list(VulnerableGroup.values), 1)
    person.save()
    year = when.year
    kind = _pick(rng, KIND_WEIGHTS)
    visit = Visit.objects.create(
        node=node,
        person=person,
        channel=_pick(rng, CHANNEL_WEIGHTS),
        received_by=clerk,
        received_at=when,
        summary=MARK + SUMMARIES[kind],
        vulnerable_groups=person.vulnerable_groups,
        year=year,
        seq=next_number(node=node, ledger=VISIT_LEDGER, year=year),
        client_token=token,
    )
    matter = Matter(
        visit=visit,
        node=node,
        kind=kind,
        legal_field=rng.choice(LegalField.values) if kind == MatterKind.CONSULTATION else "",
        service_type=rng.choice(ServiceType.values) if kind == MatterKind.SERVICE_TRANSFER else "",
        summary=MARK + SUMMARIES[kind],
        owner=clerk,
    )
    ledger = KIND_LEDGERS.get(kind)
    if ledger:
        matter.ledger_year = year
        matter.ledger_seq = next_number(node=node, ledger=ledger, year=year)
    events: list[tuple[str, datetime.datetime, str, str]] = [("received", when, "", MatterState.RECEIVED)]
    if kind == MatterKind.CONSULTATION:
        matter.answer = "已当场解答"
        events.append(("answered", when, MatterState.RECEIVED, MatterState.ANSWERED))
        matter.state = MatterState.ANSWERED
        if rng.random() < 0.8:
            closed = when + datetime.timedelta(minutes=20)
            matter.state = MatterState.CLOSED
            matter.closed_at = closed
            matter.rating = rng.choices([5, 4, 3, 2], [60, 25, 10, 5])[0]
            events.append(("closed", closed, MatterState.ANSWERED, MatterState.CLOSED))
    matter.save()
    Matter.objects.filter(pk=matter.pk).update(created_at=when)
    for code, at, before, after in events:
        event = MatterEvent.objects.create(
            matter=matter, code=code, actor=clerk, node=node, from_state=before, to_state=after
        )
        MatterEvent.objects.filter(pk=event.pk).update(created_at=at)
    if kind != MatterKind.CONSULTATION and rng.random() < 0.15:
        event = MatterEvent.objects.create(matter=matter, code="escalated", node=node, note="演示：超期督办")
        MatterEvent.objects.filter(pk=event.pk).update(created_at=when + datetime.timedelta(days=6))
