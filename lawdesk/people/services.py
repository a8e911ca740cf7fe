"""State-free services around a person's personal data: the audited full read."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from lawdesk.accounts import scoping
from lawdesk.core.audit import audit_event

REVEALABLE = ("phone", "id_number")


def person_reveal(*, actor: Any, person_pk: int, field: str) -> str:
    """The full phone or ID number of a person, for an actor who may see it in full at a platform where the
    person has a visit the actor sees; writes a ``personal_data.read`` audit row. 404 when the person is out of
    reach, 403 when in reach but the actor's role sees personal data masked only."""
    if field not in REVEALABLE:
        raise Http404
    visits = list(
        scoping.visible_visits(actor)
        .filter(person_id=person_pk)
        .select_related("node", "person")
        .order_by("-id")
    )
    if not visits:
        raise Http404
    allowed = next((v for v in visits if scoping.can_see_personal_data(actor, v.node)), None)
    if allowed is None:
        raise PermissionDenied("您的角色只能查看隐去部分的个人信息。")
    person = allowed.person
    with transaction.atomic():
        audit_event(
            actor=actor,
            action="personal_data.read",
            object_type="people.Person",
            object_id=str(person.pk),
            object_repr=person.name,
            node=allowed.node,
            data={"field": field},
        )
    return str(getattr(person, field) or "")
