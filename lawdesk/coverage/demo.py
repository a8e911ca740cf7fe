"""Demo data of the coverage register (idempotent: a second run creates nothing), all through the services.

雁塔区 is registered in full: besides the villages with a station (from the division data) and those the advisers'
demo adds at 小寨路街道, each of its judicial offices gets three more villages (invented names and codes, in the
3xx range of each town's statistical codes), most with a lightbox point pointing to the town station, one with a
damaged lightbox and a few served by nothing, so the board shows every kind of figure.
"""

from __future__ import annotations

import datetime

from lawdesk.core import clock
from lawdesk.coverage.models import LightboxPoint, LightboxState
from lawdesk.coverage.services import lightbox_create, lightbox_inspect
from lawdesk.orgs.models import OrgNode, Village, VillageKind
from lawdesk.orgs.rules import NodeKind
from lawdesk.orgs.services import village_create

# Invented names (demo data): the town's name is prefixed, e.g. 小寨东村.
SUFFIXES = (("东村", VillageKind.VILLAGE), ("西社区", VillageKind.COMMUNITY), ("新村", VillageKind.VILLAGE))
# (office index, village index) served by nothing; the one whose lightbox was found damaged
NOTHING = {(3, 1), (5, 2), (7, 2)}
DAMAGED = (6, 2)
PLACES = ("村委会门口", "村文化广场", "村便民服务点外墙")


def load_coverage_demo(*, district: OrgNode) -> int:
    """Register the district's remaining villages and their lightbox points; returns the rows created."""
    created = 0
    today = clock.today()
    offices = OrgNode.objects.filter(parent=district, kind=NodeKind.JUDICIAL_OFFICE).order_by("path")
    for i, office in enumerate(offices):
        town = office.name.removesuffix("司法所").removesuffix("街道").removesuffix("镇")[:2]
        for j, (suffix, kind) in enumerate(SUFFIXES):
            code = f"{office.region_code[:9]}3{j + 1:02d}"
            village = Village.objects.filter(region_code=code).first()
            if village is None:
                village = village_create(
                    actor=None, office=office, name=f"{town}{suffix}", region_code=code, kind=kind
                )
                created += 1
            if (i, j) in NOTHING or LightboxPoint.objects.filter(village=village).exists():
                continue
            point = lightbox_create(
                actor=None, village=village, place=f"{village.name}{PLACES[j]}",
                installed=today - datetime.timedelta(days=400 - 30 * i - 7 * j),
            )  # fmt: skip
            created += 1
            state = LightboxState.DAMAGED if (i, j) == DAMAGED else LightboxState.IN_USE
            note = "灯箱面板破损，待更换。" if state == LightboxState.DAMAGED else "灯箱完好，信息清晰。"
            lightbox_inspect(
                actor=None, point=point, day=today - datetime.timedelta(days=10 + i), state=state, note=note
            )
    return created
