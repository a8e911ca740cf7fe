"""Demo data of the city divisions and the construction timetable (idempotent), through the services: the
city bureau's divisions with the areas they answer for, and each district's timetable — planned by the city,
reported by the districts — with 雁塔区 lagging on its opening (planned ten days ago, not yet done)."""

from __future__ import annotations

import datetime

from lawdesk.accounts import scoping
from lawdesk.accounts.models import Role
from lawdesk.bureau import services
from lawdesk.bureau.models import Area, Division, Milestone, Stage
from lawdesk.core import clock
from lawdesk.core.tree import NodeKind
from lawdesk.orgs.models import OrgNode

LAGGING_DISTRICT = "610113"  # 雁塔区: the demo district admin sees and can fix its lagging stage

DIVISIONS = [
    ("公共法律服务管理处", [Area.PLATFORM, Area.COMPLAINTS], "刘建华", "029-86781001"),
    ("律师工作管理处", [Area.LAWYERS], "陈志明", "029-86781002"),
    ("法律援助处", [Area.LEGAL_AID], "马晓燕", "029-86781003"),
    ("人民参与和促进法治处", [Area.MEDIATION, Area.OUTREACH], "杨国强", "029-86781004"),
    ("公证工作管理处", [Area.NOTARY, Area.FORENSIC], "周丽", "029-86781005"),
    ("社区矫正管理处", [Area.CORRECTION], "孙立平", "029-86781006"),
    ("办公室", [Area.STATISTICS], "赵敏", "029-86781007"),
    ("政治部", [Area.STAFF], "吴军", "029-86781008"),
]


def load_bureau_demo(*, today: datetime.date | None = None) -> int:
    """Returns how many divisions and milestones it created (0 on a second run)."""
    today = today or clock.today()
    city = OrgNode.objects.filter(kind=NodeKind.CITY_BUREAU).order_by("path").first()
    admin = scoping.users_holding(Role.CITY_ADMIN, at=city).order_by("pk").first() if city else None
    if admin is None:
        return 0
    created = 0
    for name, areas, head, contact in DIVISIONS:
        if not Division.objects.filter(name=name).exists():
            services.division_create(actor=admin, name=name, areas=areas, head=head, contact=contact)
            created += 1
    day = datetime.timedelta(days=1)
    districts = OrgNode.objects.filter(kind=NodeKind.DISTRICT_BUREAU, is_active=True).order_by("path")
    for district in districts:
        if Milestone.objects.filter(district=district).exists():
            continue
        plan: dict[str, datetime.date] = {
            Stage.SURVEY: today - 60 * day,
            Stage.OPENING: today - 10 * day,
            Stage.INSPECTION: today + 60 * day,
        }
        milestones = {
            m.stage: m for m in services.milestone_plan(actor=admin, district=district, planned=plan)
        }
        created += len(milestones)
        reporter = scoping.users_holding(Role.DISTRICT_ADMIN, at=district).order_by("pk").first() or admin
        services.milestone_report(actor=reporter, milestone=milestones[Stage.SURVEY], progress=100,
                                  actual_on=plan[Stage.SURVEY] - 2 * day, note="现有资源和工作情况已调查摸底")  # fmt: skip
        if district.region_code == LAGGING_DISTRICT:
            services.milestone_report(actor=reporter, milestone=milestones[Stage.OPENING], progress=70,
                                      note="场所已协调，设备尚未配齐")  # fmt: skip
        else:
            services.milestone_report(actor=reporter, milestone=milestones[Stage.OPENING], progress=100,
                                      actual_on=plan[Stage.OPENING] - day, note="平台已建成并向社会开放")  # fmt: skip
    return created
