"""The early warning from the records: ``compute_signals`` reads the window's visits and disputes into plain records
(``lawdesk.screening.detect``), runs the rules, and creates or updates one ``Signal`` per stable key. A new
signal is notified once — to the judicial office staff it belongs to, and for a cluster (or a signal across
offices) to the district bureau too; updating it later notifies nobody.

The same person is recognised by the blind index of their ID number (else of their phone) on the person record:
no number is decrypted here. Not a public service: a periodic job (``lawdesk.screening.tasks``) writing one audit
row per signal it raises.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef

from lawdesk.accounts import scoping
from lawdesk.accounts.models import Role, User
from lawdesk.core import clock
from lawdesk.core.audit import audit
from lawdesk.core.audit_actions import AuditAction
from lawdesk.matters.models import Matter, MatterKind, MatterState, Visit
from lawdesk.mediation.models import DisputeParty, MediationOutcome, MediationResult, PartyRole
from lawdesk.notifications.services import notify
from lawdesk.orgs.models import OrgNode
from lawdesk.orgs.rules import NodeKind
from lawdesk.screening import detect
from lawdesk.screening.models import Signal, SignalKind

# How far back an unresolved 易激化 dispute is still looked at.
RISK_LOOKBACK_DAYS = 365


def _places() -> dict[int, tuple[int | None, int | None]]:
    """node id → (its judicial office, its district bureau), from one read of the tree."""
    rows = {n["pk"]: n for n in OrgNode.objects.values("pk", "parent_id", "kind")}
    out: dict[int, tuple[int | None, int | None]] = {}
    for pk in rows:
        office = district = None
        cursor: int | None = pk
        while cursor is not None:
            row = rows[cursor]
            if row["kind"] == NodeKind.JUDICIAL_OFFICE and office is None:
                office = cursor
            if row["kind"] == NodeKind.DISTRICT_BUREAU:
                district = cursor
                break
            cursor = row["parent_id"]
        out[pk] = (office, district)
    return out


def _person_key(id_bidx: str, phone_bidx: str, person_id: int) -> str:
    if id_bidx:
        return f"id:{id_bidx}"
    if phone_bidx:
        return f"phone:{phone_bidx}"
    return f"person:{person_id}"


def load_records(
    now: datetime.datetime, window_days: int
) -> tuple[list[detect.VisitRecord], list[detect.DisputeRecord]]:
    places = _places()
    since = now - datetime.timedelta(days=window_days)
    visits = [
        detect.VisitRecord(
            id=row["pk"],
            person=_person_key(row["person__id_number_bidx"], row["person__phone_bidx"], row["person_id"]),
            node=row["node_id"],
            channel=row["channel"],
            at=row["received_at"],
            office=places.get(row["node_id"], (None, None))[0],
            district=places.get(row["node_id"], (None, None))[1],
        )
        for row in Visit.objects.filter(received_at__gte=since, received_at__lte=now).values(
            "pk",
            "node_id",
            "channel",
            "received_at",
            "person_id",
            "person__id_number_bidx",
            "person__phone_bidx",
        )
    ]
    resolved = MediationResult.objects.filter(matter=OuterRef("pk"), result=MediationOutcome.SUCCESS)
    lookback = now - datetime.timedelta(days=max(window_days, RISK_LOOKBACK_DAYS))
    matters = (
        Matter.objects.filter(kind=MatterKind.DISPUTE, created_at__gte=lookback, created_at__lte=now)
        .annotate(mediated=Exists(resolved))
        .values(
            "pk",
            "visit_id",
            "node_id",
            "state",
            "created_at",
            "mediated",
            "visit__person_id",
            "visit__person__id_number_bidx",
            "visit__person__phone_bidx",
            "dispute_detail__place_id",
            "dispute_detail__dispute_type",
            "dispute_detail__escalation_risk",
            "dispute_detail__escalation_alerted_at",
            "dispute_detail__pk",
        )
    )
    rows = [r for r in matters if r["created_at"] >= since or r["dispute_detail__escalation_risk"]]
    counterparts: dict[int, list[str]] = defaultdict(list)
    details = [r["dispute_detail__pk"] for r in rows if r["dispute_detail__pk"]]
    for detail_id, name in DisputeParty.objects.filter(
        detail_id__in=details, role=PartyRole.RESPONDENT
    ).values_list("detail_id", "name"):
        counterparts[detail_id].append(name)
    disputes = []
    for row in rows:
        place = row["dispute_detail__place_id"] or row["node_id"]
        office, district = places.get(row["node_id"], (None, None))
        disputes.append(
            detect.DisputeRecord(
                matter=row["pk"],
                visit=row["visit_id"],
                person=_person_key(
                    row["visit__person__id_number_bidx"],
                    row["visit__person__phone_bidx"],
                    row["visit__person_id"],
                ),
                node=row["node_id"],
                place=place,
                dispute_type=row["dispute_detail__dispute_type"] or "",
                counterparts=tuple(counterparts.get(row["dispute_detail__pk"], ())),
                at=row["created_at"],
                office=office,
                district=district,
                risky=bool(row["dispute_detail__escalation_risk"]),
                risk_since=row["dispute_detail__escalation_alerted_at"],
                resolved=bool(row["mediated"]) or row["state"] == MatterState.ANSWERED,
            )
        )
    return visits, disputes


def _recipients(signal: Signal, district_id: int | None) -> list[User]:
    users: list[User] = []
    node = signal.node
    if node.kind == NodeKind.JUDICIAL_OFFICE:
        users += list(scoping.users_holding(Role.OFFICE_STAFF, at=node, people_only=True))
    if (signal.kind == SignalKind.CLUSTER or node.kind != NodeKind.JUDICIAL_OFFICE) and district_id:
        users += list(scoping.users_holding(Role.DISTRICT_ADMIN, at=district_id, people_only=True))
    seen: set[int] = set()
    return [u for u in users if not (u.pk in seen or seen.add(u.pk))]  # type: ignore[func-returns-value]


def compute_signals(
    *,
    window_days: int | None = None,
    now: datetime.datetime | None = None,
    params: detect.Params | None = None,
) -> dict[str, int]:
    """Raise or update the signals of the window ending ``now``; returns counts (created, updated, notified)."""
    params = params or detect.DEFAULT_PARAMS
    if window_days is not None:
        params = detect.Params(**{**params.__dict__, "window_days": window_days})
    now = now or clock.now()
    visits, disputes = load_records(now, params.window_days)
    found = detect.detect(visits, disputes, now=now, params=params)
    counts = {"created": 0, "updated": 0, "notified": 0}
    nodes = OrgNode.objects.in_bulk({f.office or f.district for f in found if f.office or f.district})
    for item in found:
        node = nodes.get(item.office or item.district or 0)
        if node is None:
            continue
        with transaction.atomic():
            signal = Signal.objects.select_for_update().filter(key=item.key).first()
            if signal is None:
                signal = Signal.objects.create(
                    kind=item.kind,
                    key=item.key,
                    node=node,
                    title=item.title[:300],
                    first_seen=item.first or now,
                    last_seen=item.last or now,
                    matter_ids=sorted(item.matters),
                    visit_ids=sorted(item.visits),
                )
                counts["created"] += 1
                recipients = _recipients(signal, item.district)
                text = f"【{signal.get_kind_display()}预警】{node.name}：{signal.title}。请在“预警”页面查看相关记录并及时处置。"
                for user in recipients:
                    notify(user=user, text=text, sms=signal.kind != SignalKind.REPEAT)
                signal.notified_at = clock.now()
                signal.save(update_fields=["notified_at"])
                counts["notified"] += len(recipients)
                audit(
                    actor=None,
                    action=AuditAction.SCREENING_SIGNAL_RAISED,
                    obj=signal,
                    node=node,
                    data={
                        "kind": signal.kind,
                        "records": signal.record_count,
                        "notified": [u.pk for u in recipients],
                    },
                )
                continue
            matters = sorted(set(signal.matter_ids) | set(item.matters))
            visits_seen = sorted(set(signal.visit_ids) | set(item.visits))
            if (
                matters != signal.matter_ids
                or visits_seen != signal.visit_ids
                or signal.title != item.title[:300]
            ):
                signal.matter_ids, signal.visit_ids = matters, visits_seen
                signal.title = item.title[:300]
                signal.last_seen = max(signal.last_seen, item.last or now)
                signal.save(update_fields=["matter_ids", "visit_ids", "title", "last_seen"])
                counts["updated"] += 1
    return counts


def describe_params(params: Any = None) -> str:
    params = params or detect.DEFAULT_PARAMS
    return (
        f"统计窗口{params.window_days}日；同一来访人{params.repeat_min_visits}次以上且跨{params.repeat_min_spread}个平台或来访方式；"
        f"同一双方当事人{params.pair_min_disputes}次以上；易激化纠纷标记{params.risk_min_age_days}日后未化解；"
        f"同一对方当事人{params.cluster_min_parties}名以上当事人，或同一地点同类纠纷{params.place_min_parties}名以上当事人。"
    )
