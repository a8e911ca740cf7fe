"""What a bureau admin sees of the staff and their training: the accounts whose unit or roles lie in the subtree
where they are a district or city admin (``accounts.services.bureau_paths``), the courses organised there or
above, the attendance of their own staff. Anything out of reach answers 404, like a record that does not exist."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.http import Http404

from lawdesk.accounts import scoping
from lawdesk.accounts.models import User
from lawdesk.accounts.services import BUREAU_ADMIN_ROLES, bureau_paths
from lawdesk.core.tree import ancestor_paths
from lawdesk.orgs.models import OrgNode
from lawdesk.staff.models import DEFAULT_ANNUAL_HOURS, Attendance, Course, StaffProfile, TrainingRequirement

NOT_FOUND = "没有找到该记录，或您无权查看。"


def admin_paths(actor: Any) -> tuple[str, ...]:
    return bureau_paths(actor)


def is_staff_admin(actor: Any) -> bool:
    return bool(admin_paths(actor))


def require_admin(actor: Any) -> tuple[str, ...]:
    paths = admin_paths(actor)
    if not paths:
        raise Http404(NOT_FOUND)
    return paths


def is_city_admin(actor: Any) -> bool:
    from lawdesk.accounts.models import Role

    return scoping.has_role(actor, Role.CITY_ADMIN)


def units_for(actor: Any) -> QuerySet[OrgNode]:
    """The nodes a staff member of the actor may work at (and a course may be organised by)."""
    return OrgNode.objects.filter(scoping.paths_q(admin_paths(actor)), is_active=True).order_by("path")


def staff_q(paths: tuple[str, ...]) -> Q:
    """Accounts whose unit, or one of whose roles (a handler's: its institution's home node), lies in ``paths``."""
    return scoping.paths_q(paths, "staff_profile__node__") | scoping.roles_within_q(paths)


def staff_for(actor: Any) -> QuerySet[User]:
    """The staff accounts in the actor's subtree (not the Django admin's accounts, nor the service accounts: the
    platforms' online intake, the API's clients)."""
    paths = require_admin(actor)
    ids = User.objects.filter(staff_q(paths)).values("pk")
    return (
        User.objects.filter(
            pk__in=ids,
            is_staff=False,
            is_superuser=False,
            online_intake__isnull=True,
            api_clients__isnull=True,
        )
        .select_related("staff_profile", "staff_profile__node")
        .order_by("username")
    )


def get_staff_for(actor: Any, pk: int) -> User:
    try:
        return staff_for(actor).get(pk=pk)
    except User.DoesNotExist as exc:
        raise Http404(NOT_FOUND) from exc


def profile_of(user: User) -> StaffProfile | None:
    return StaffProfile.objects.filter(user_id=user.pk).select_related("node").first()


def unit_of(user: User) -> OrgNode | None:
    """Where the worker works: their profile's unit, else the node of their first node role, else the home node of
    the institution where they are a handler."""
    profile = profile_of(user)
    if profile is not None:
        return profile.node
    for assignment in scoping.assignments_of(user):  # a node role's node, else a handler's institution's home
        if assignment.node is not None:
            return assignment.node
    for assignment in scoping.assignments_of(user):
        if assignment.institution is not None and assignment.institution.home_node is not None:
            home: OrgNode = assignment.institution.home_node
            return home
    return None


def units_of(users: list[User]) -> dict[int, OrgNode | None]:
    """``unit_of`` for many workers in at most three queries, whatever their number (a board of a city's staff);
    ``users`` fetched with ``select_related("staff_profile__node")`` (as ``staff_for``)."""
    out: dict[int, OrgNode | None] = {}
    rest: list[int] = []
    for user in users:
        try:
            profile = user.staff_profile
        except StaffProfile.DoesNotExist:
            profile = None
        if profile is not None:
            out[user.pk] = profile.node
        else:
            rest.append(user.pk)
    if not rest:
        return out
    roles = scoping.assignments_by_user(rest)
    homes: dict[int, list[int]] = {}  # home node id -> the users whose unit it is
    for pk in rest:
        assignments = roles.get(pk, [])
        node = next((a.node for a in assignments if a.node is not None), None)
        out[pk] = node
        if node is None:
            home_id = next(
                (
                    a.institution.home_node_id
                    for a in assignments
                    if a.institution and a.institution.home_node_id
                ),
                None,
            )
            if home_id is not None:
                homes.setdefault(home_id, []).append(pk)
    if homes:
        for home in OrgNode.objects.filter(pk__in=homes):
            for pk in homes[home.pk]:
                out[pk] = home
    return out


def manages_worker(actor: Any, user: User) -> bool:
    """Whether ``actor`` is a bureau admin over the worker's unit."""
    unit = unit_of(user)
    return unit is not None and scoping.holds_at(actor, unit, *BUREAU_ADMIN_ROLES)


# --- training ---------------------------------------------------------------------------------------------


def courses_for(actor: Any) -> QuerySet[Course]:
    """Courses organised in the actor's subtree, or above it (the city's courses, which their staff attend)."""
    paths = require_admin(actor)
    above = {a for p in paths for a in ancestor_paths(p)}
    return (
        Course.objects.filter(scoping.paths_q(paths, "organiser__") | Q(organiser__path__in=above))
        .select_related("organiser")
        .order_by("-start", "-pk")
    )


def get_course_for(actor: Any, pk: int) -> Course:
    try:
        return courses_for(actor).get(pk=pk)
    except Course.DoesNotExist as exc:
        raise Http404(NOT_FOUND) from exc


def can_organise_at(actor: Any, node: OrgNode) -> bool:
    return scoping.holds_at(actor, node, *BUREAU_ADMIN_ROLES)


def attendances_for(actor: Any) -> QuerySet[Attendance]:
    """The attendance of the actor's own staff (counted at a unit in their subtree)."""
    paths = require_admin(actor)
    return Attendance.objects.filter(scoping.paths_q(paths, "node__")).select_related(
        "user", "node", "course"
    )


def required_hours() -> Decimal:
    row = TrainingRequirement.objects.order_by("pk").first()
    return row.annual_hours if row is not None else DEFAULT_ANNUAL_HOURS


@dataclass
class BoardRow:
    user: User
    unit: str
    hours: Decimal
    required: Decimal

    @property
    def missing(self) -> Decimal:
        return max(self.required - self.hours, Decimal(0))


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def hours_board(
    actor: Any, year: int, *, below_only: bool = True, unit: OrgNode | None = None
) -> list[BoardRow]:
    """Every active worker of the actor's subtree with the training hours earned in ``year``; ``below_only``: those
    below the required hours, the furthest behind first."""
    required = required_hours()
    start, end = year_bounds(year)
    users = staff_for(actor).filter(is_active=True)
    if unit is not None:
        users = users.filter(staff_q((unit.path,)))
    earned = {
        row["user"]: row["total"] or Decimal(0)
        for row in Attendance.objects.filter(user__in=users, date__gte=start, date__lte=end)
        .values("user")
        .annotate(total=Sum("hours"))
        .order_by()
    }
    rows = []
    below = [user for user in users if not (below_only and earned.get(user.pk, Decimal(0)) >= required)]
    places = units_of(below)
    for user in below:
        hours = earned.get(user.pk, Decimal(0))
        place = places[user.pk]
        rows.append(BoardRow(user=user, unit=place.name if place else "", hours=hours, required=required))
    rows.sort(key=lambda r: (r.hours, r.unit, r.user.username))
    return rows
