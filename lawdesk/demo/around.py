"""Demo configuration around the core loop in 雁塔区: the legal-aid hardship standard, the duty subsidy
standard and a fortnight of bookable slots at 小寨路街道公共法律服务站. Each is created once."""

from __future__ import annotations

import datetime
from decimal import Decimal

from lawdesk.accounts.models import User
from lawdesk.appointments.models import Slot
from lawdesk.appointments.services import slots_generate
from lawdesk.core import clock
from lawdesk.duty.models import SubsidyStandard
from lawdesk.legalaid.models import HardshipStandard
from lawdesk.orgs.models import OrgNode


def load_around(*, district: OrgNode, station: OrgNode) -> int:
    """Returns how many rows were created (0 on a second run)."""
    created = 0
    start = datetime.date(clock.today().year, 1, 1)
    if not HardshipStandard.objects.filter(node=district).exists():
        standard = HardshipStandard(
            node=district,
            monthly_income_per_head=Decimal("1500.00"),
            lowered_for_vulnerable=Decimal("2000.00"),
            effective_from=start,
            basis="演示数据：按当地最低生活保障标准的2倍计",
        )
        standard.full_clean()
        standard.save()
        created += 1
    if not SubsidyStandard.objects.filter(node=district).exists():
        subsidy = SubsidyStandard(
            node=district, per_session=Decimal("50.00"), effective_from=start, note="演示数据：每半天50元"
        )
        subsidy.full_clean()
        subsidy.save()
        created += 1
    if not Slot.objects.filter(node=station).exists():
        today = clock.today()
        created += len(
            slots_generate(
                actor=User.objects.get(username="clerk"),
                first_day=today + datetime.timedelta(days=1),
                last_day=today + datetime.timedelta(days=14),
                weekdays=[1, 3],  # Tuesday and Thursday mornings
                start_time=datetime.time(9, 30),
                end_time=datetime.time(11, 30),
                kind="station",
                capacity=4,
                node=station,
            )
        )
    return created
