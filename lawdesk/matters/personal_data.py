"""The audited full read of a personal number: a person's phone or ID number, or a contact phone an extension
keeps on a matter (a complainant's, an appointment's reminder phone). The page's reveal button and the API's
reveal endpoints both call these services: who may reveal is ``lawdesk.people.policy.disclose``'s ``may_reveal``
(the same at every door)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from lawdesk.accounts import scoping
from lawdesk.core.audit import audit_event
from lawdesk.core.audit_actions import AuditAction
from lawdesk.core.service import service
from lawdesk.matters import access as matter_access
from lawdesk.matters import people_search
from lawdesk.people.policy import Door, disclose

REVEALABLE = ("phone", "id_number")


@service(AuditAction.PERSONAL_DATA_READ)
def person_reveal(*, actor: Any, person_pk: int, field: str) -> str:
    """The full phone or ID number of a person, for an actor who may see it in full at a platform where the
    person has a visit the actor sees (not one registered by reference: ``people_search.reach_visits``); writes
    a ``personal_data.read`` audit row. 404 when the person is out of reach, 403 when in reach but the actor's
    role sees personal data masked only."""
    if field not in REVEALABLE:
        raise Http404
    visits = list(
        people_search.reach_visits(actor)
        .filter(person_id=person_pk)
        .select_related("node", "person")
        .order_by("-id")
    )
    if not visits:
        raise Http404
    allowed = next((v for v in visits if disclose(actor, v.node, Door.PAGE).may_reveal), None)
    if allowed is None:
        raise PermissionDenied("您的角色只能查看隐去部分的个人信息。")
    person = allowed.person
    _audit_read(actor=actor, obj=person, node=allowed.node, field=field)
    return str(getattr(person, field) or "")


def _audit_read(*, actor: Any, obj: Any, node: Any, field: str) -> None:
    """The ``personal_data.read`` row of one full read."""
    with transaction.atomic():
        audit_event(
            actor=actor,
            action="personal_data.read",
            object_type=obj._meta.label,
            object_id=str(obj.pk),
            object_repr=str(obj),
            node=node,
            data={"field": field},
        )


# which → (actor, matter) → the phone, or None when the matter has no such contact or the actor may not see it.
# A keyed contact ("party-12": one of several on the matter) is read with its key: (actor, matter, key).
ContactReader = Callable[..., str | None]


@dataclass(frozen=True)
class Contact:
    reader: ContactReader
    keyed: bool = False  # ``which`` is "<name>-<key>", e.g. one dispute party among several
    # The handlers of the institution the matter is with may reveal it too: the people they must call to do the
    # work (a mediator and the dispute's parties), whatever their role at the platform.
    for_handlers: bool = False


_CONTACTS: dict[str, Contact] = {}


def contact_kinds() -> list[str]:
    """The contact phones the installed extensions keep on matters (``complainant``, ``appointment``;
    ``party-<id>`` for a dispute party)."""
    return sorted(f"{k}-<id>" if c.keyed else k for k, c in _CONTACTS.items())


def register_contact(
    which: str, reader: ContactReader, *, keyed: bool = False, for_handlers: bool = False
) -> None:
    """An extension's contact phone kept on a matter (call from an ``AppConfig.ready``)."""
    _CONTACTS[which] = Contact(reader, keyed=keyed, for_handlers=for_handlers)


def _contact(which: str) -> tuple[Contact, str] | None:
    name, _, key = which.partition("-")
    contact = _CONTACTS.get(name)
    if contact is None or contact.keyed != bool(key):
        return None
    return contact, key


def is_contact(which: str) -> bool:
    """Whether ``which`` names a contact an installed extension keeps (``complainant``, ``party-12``)."""
    return _contact(which) is not None


def may_reveal_contact(actor: Any, matter: Any, which: str) -> bool:
    """The rule for a contact phone kept on a matter: the roles that may see personal data at its platform, and,
    for the contacts a handling institution needs, that institution's handlers. The page's "显示完整" button and
    the service below both ask this."""
    found = _contact(which)
    if found is None:
        return False
    contact, _key = found
    if disclose(actor, matter.node, Door.PAGE).may_reveal:
        return True
    return bool(
        contact.for_handlers and matter.institution_id and scoping.is_handler_of(actor, matter.institution_id)
    )


@service(AuditAction.PERSONAL_DATA_READ)
def contact_reveal(*, actor: Any, matter_pk: int, which: str) -> str:
    """The full contact phone kept on a matter — a complainant's, the one an appointment reminds, a dispute
    party's — for an actor who sees the matter and may reveal it (``may_reveal_contact``); audited like
    ``person_reveal``."""
    found = _contact(which)
    if found is None:
        raise Http404
    contact, key = found
    matter = matter_access.get_matter_for(actor, matter_pk)
    value = contact.reader(actor, matter, key) if contact.keyed else contact.reader(actor, matter)
    if value is None:
        raise Http404
    if not may_reveal_contact(actor, matter, which):
        raise PermissionDenied("您的角色只能查看隐去部分的个人信息。")
    _audit_read(actor=actor, obj=matter, node=matter.node, field=f"{which}_phone")
    return str(value or "")
