"""Demo data of the staff and their training (idempotent: a second run creates nothing), all through the services.

In 雁塔区: a new window worker 孙丽 (``demo_sunli``, a 政府购买服务人员 at 小寨路街道公共法律服务站) with her profile and
window clerk role; two courses of the district bureau this year (业务培训 24 学时, 职业道德 16 学时). Every other
active worker of the district attended both (40 学时, the default requirement); 孙丽 only the first, so the board
of staff below the year's hours shows her.

Hook: ``load_staff_demo(district=..., station=..., password=...)`` in ``lawdesk/demo/loader.py``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from lawdesk.accounts.models import Role, User
from lawdesk.accounts.services import role_ensure
from lawdesk.core import clock
from lawdesk.orgs.models import OrgNode
from lawdesk.staff import services
from lawdesk.staff.models import Attendance, Course
from lawdesk.staff.selectors import staff_q

BEHIND = "demo_sunli"
COURSES = (
    ("窗口服务规范与民法典实务培训", "business", 60, 58, "24", "雁塔区司法局三楼会议室"),
    ("司法行政队伍职业道德教育", "ethics", 30, 30, "16", "雁塔区司法局三楼会议室"),
)


def load_staff_demo(*, district: OrgNode, station: OrgNode, password: str) -> int:
    """Returns how many records were made (0 on a second run)."""
    made = 0
    worker = User.objects.filter(username=BEHIND).first()
    if worker is None:
        worker = services.staff_create(
            actor=None, username=BEHIND, full_name="孙丽", phone="13709112345", staff_category="contracted",
            node=station, post="窗口接待", duty="来访登记、咨询解答、台帐填报", password=password, is_demo=True,
        )  # fmt: skip
        made += 1
    _assignment, created = role_ensure(actor=None, user=worker, role=Role.WINDOW_CLERK, node=station)
    made += int(created)
    today = clock.today()
    year_start = datetime.date(today.year, 1, 1)
    staff = list(
        User.objects.filter(
            pk__in=User.objects.filter(staff_q((district.path,))).values("pk"),
            is_active=True, is_staff=False, is_superuser=False, online_intake__isnull=True,
            api_clients__isnull=True,
        ).order_by("username")
    )  # fmt: skip
    for index, (title, kind, start_ago, end_ago, hours, place) in enumerate(COURSES):
        course = Course.objects.filter(title=title, organiser=district).first()
        if course is None:
            start = max(today - datetime.timedelta(days=start_ago), year_start)
            end = max(today - datetime.timedelta(days=end_ago), start)
            course = services.course_create(
                actor=None, title=title, organiser=district, kind=kind, start=start, end=end,
                hours=Decimal(hours), place=place,
            )  # fmt: skip
            made += 1
        for number, user in enumerate(staff, start=1):
            if (user == worker and index > 0) or Attendance.objects.filter(course=course, user=user).exists():
                continue
            services.attendance_record(
                actor=None, course=course, user=user, hours=course.hours,
                certificate_number=f"YT{course.end:%Y}-{index + 1}-{number:03d}",
            )  # fmt: skip
            made += 1
    return made
