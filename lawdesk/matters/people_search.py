"""Finding a returning person at the window, within what the actor may see.

A person is in the actor's reach when they have a visit the actor sees (``matter_access.visible_visits``) that was
not itself registered by reference (below). Beyond that, an exact full phone number or 18-digit ID number finds
the person city-wide, but only as a *reference*: the person's id and the matched number masked — never their
name, groups or other numbers (issue 16). A visit registered against such a reference
(``services.visit_register``) changes none of the person's stored fields, only adds the groups said, keeps what
was said on the visit, and does not bring the person into the reach of those who see that visit. Name and pinyin
searches and partial numbers stay inside the reach.

Phones and ID numbers are encrypted at rest (issue 9), so numbers are matched only through keyed blind indexes
(``lawdesk.core.crypto.blind_index``): the whole number, or its last four characters. A phone's first digits
(a prefix) can no longer be searched.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery

from lawdesk.core import clock, normalise
from lawdesk.core.crypto import blind_index, normalise_phone
from lawdesk.core.validators import is_valid_phone
from lawdesk.matters import access as matter_access
from lawdesk.matters.models import Visit
from lawdesk.orgs.models import OrgNode
from lawdesk.people.models import Person
from lawdesk.people.policy import Disclosure, Door, Policy

ELDERLY_AGE = 60  # 老年人权益保障法第二条
SEARCH_LIMIT = 9  # number keys 1–9 pick a result
MIN_DIGITS = 4

_DIGITS = re.compile(r"^\d+[Xx]?$")
_LETTERS = re.compile(r"^[A-Za-z]+$")
_PHONE_TYPED = re.compile(r"^\d[\d-]{6,}\d$")


def normalise_query(query: str) -> str:
    """The query without spaces, full-width digits and letters read as ASCII (``lawdesk.core.normalise``)."""
    return re.sub(r"\s+", "", normalise.text(query))


def query_hint(query: str) -> str:
    """Why a query finds nothing before it is searched ('' when it is searchable)."""
    q = normalise_query(query)
    if not q:
        return ""
    if _DIGITS.match(q) and len(q) < MIN_DIGITS:
        return f"请至少输入{MIN_DIGITS}位号码。"
    if _DIGITS.match(q) and _number_q(q) is None:
        return "号码请输入后4位或完整号码（手机号、固定电话或18位身份证号）。"
    return ""


def _exact_q(*, phone: str = "", id_number: str = "") -> Q:
    """Rows matched city-wide by a full phone number or a full 18-digit ID number."""
    q = Q(pk__in=[])
    phone = normalise_query(phone)
    if len(phone) >= 7 and is_valid_phone(phone):
        q |= Q(phone_bidx=blind_index("phone", normalise_phone(phone)))
    id_number = normalise_query(id_number).upper()
    if len(id_number) == 18:
        q |= Q(id_number_bidx=blind_index("id_number", id_number))
    return q


def reach_visits(actor: Any) -> QuerySet[Visit]:
    """The visits that bring their person into the actor's reach: those the actor sees, less those registered
    against a person by reference (which show only what was said at them)."""
    return matter_access.visible_visits(actor).filter(by_reference=False)


def in_reach(actor: Any, person: Person) -> bool:
    return person.pk is not None and reach_visits(actor).filter(person_id=person.pk).exists()


def holds_number(person: Person, *, phone: str = "", id_number: str = "") -> bool:
    """Whether ``phone`` or ``id_number`` is the person's full number (compared through the blind indexes)."""
    return (
        person.pk is not None
        and Person.objects.filter(_exact_q(phone=phone, id_number=id_number), pk=person.pk).exists()
    )


def _candidates(actor: Any, *, phone: str = "", id_number: str = "") -> QuerySet[Person]:
    """People the actor may pick: those with a visit in reach, and those whose full phone or ID number the
    actor holds. Annotated with ``in_reach``, ``last_visit_at`` and ``last_visit_node_id`` (visits in reach)."""
    visits = reach_visits(actor)
    latest = visits.filter(person=OuterRef("pk")).order_by("-received_at", "-id")
    return (
        Person.objects.annotate(
            in_reach=Exists(visits.filter(person=OuterRef("pk"))),
            last_visit_at=Subquery(latest.values("received_at")[:1]),
            last_visit_node_id=Subquery(latest.values("node_id")[:1]),
        )
        .filter(Q(in_reach=True) | _exact_q(phone=phone, id_number=id_number))
        .order_by(F("last_visit_at").desc(nulls_last=True), "-updated_at", "-id")
    )


def _number_q(q: str) -> Q | None:
    """A typed number: its last four characters (phone or ID number) or a whole number; None otherwise."""
    number = q.upper()
    if len(number) == MIN_DIGITS:
        match = Q(id_tail_bidx=blind_index("id_tail", number))
        if number.isdigit():
            match |= Q(phone_tail_bidx=blind_index("phone_tail", number))
        return match
    if len(number) == 18 or (len(number) >= 7 and is_valid_phone(number)):
        return _exact_q(phone=number, id_number=number)
    return None


def _match_q(q: str) -> Q | None:
    if _DIGITS.match(q):
        if len(q) < MIN_DIGITS:
            return None
        return _number_q(q)
    if _PHONE_TYPED.match(q):  # 029-85551234
        return _number_q(normalise_phone(q))
    if _LETTERS.match(q):
        return Q(name_initials__startswith=q.lower()) | Q(name__icontains=q)
    return Q(name__icontains=q)


def person_search(*, actor: Any, query: str) -> QuerySet[Person]:
    """Returning people matching ``query``: the last four characters of a phone or ID number, or the whole
    number (through the blind indexes), name (contains) or pinyin initials (张三 → zs, prefix). Most recent
    visit first."""
    q = normalise_query(query)
    match = _match_q(q) if q else None
    if match is None:
        return Person.objects.none()
    return _candidates(actor, phone=q, id_number=q).filter(match)[:SEARCH_LIMIT]


def person_for_intake(*, actor: Any, pk: Any, phone: str = "", id_number: str = "") -> Person | None:
    """The person picked on the intake form, resolved through the same rule as the search: in reach, or
    matched by the full phone or ID number typed on the form. None when the actor may not pick them."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return _candidates(actor, phone=phone, id_number=id_number).filter(pk=pk).first()


@dataclass
class PersonHit:
    """One search result as the window sees it: at the search door numbers are masked for everyone, whatever was
    typed (``lawdesk.people.policy``). Picking a hit carries the person's id; the form's number fields stay empty
    (an empty field keeps the registered number), except that a number the actor typed in full into the search
    box is carried from the box itself (``phone_known``/``id_known``), never from the page."""

    person: Person
    in_reach: bool
    last_visit_at: datetime.datetime | None
    shown: Disclosure
    phone_known: bool  # the actor typed this full phone number
    id_known: bool  # the actor typed this full ID number

    @property
    def full(self) -> bool:
        return self.shown.full

    @property
    def phone_display(self) -> str:
        return self.shown.phone(self.person.phone)

    @property
    def id_display(self) -> str:
        return self.shown.id_number(self.person.id_number)

    @property
    def suggest_elderly(self) -> bool:
        """Whether to suggest 老年人 on picking: the birth date on record says 60 or more and the group is not
        recorded (only for a person in reach: a reference carries nothing of the record)."""
        birth = self.person.birth_date if self.in_reach else None
        if birth is None or "elderly" in (self.person.groups or []):
            return False
        today = clock.today()
        return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day)) >= ELDERLY_AGE

    @property
    def address_fill(self) -> str:
        """The address prefills the form for roles that may see personal data where the person last came."""
        return (self.shown.address(self.person.address) or "") if self.in_reach else ""


def person_hits(
    *, actor: Any, query: str = "", people: list[Person] | None = None, typed: tuple[str, ...] = ()
) -> list[PersonHit]:
    """``person_search`` results (or ``people`` already resolved through this module) ready to show. ``typed``:
    further full numbers the actor typed (the phone and ID fields of the form)."""
    q = normalise_query(query)
    found = list(person_search(actor=actor, query=q)) if people is None else people
    known = {v for v in (normalise_query(t).upper() for t in (q, *typed)) if v}
    node_ids = {getattr(p, "last_visit_node_id", None) for p in found} - {None}
    nodes = OrgNode.objects.in_bulk(node_ids)
    policy = Policy(actor, Door.SEARCH)
    hits = []
    for person in found:
        node_id: int | None = getattr(person, "last_visit_node_id", None)
        in_reach = bool(getattr(person, "in_reach", False))
        if not in_reach:
            person = _reference(person, known)
        node = nodes.get(node_id) if in_reach and node_id is not None else None
        hits.append(
            PersonHit(
                person=person,
                in_reach=in_reach,
                last_visit_at=getattr(person, "last_visit_at", None),
                shown=policy.at(node),
                phone_known=bool(person.phone)
                and bool({person.phone.upper(), normalise_phone(person.phone)} & known),
                id_known=bool(person.id_number) and person.id_number in known,
            )
        )
    return hits


def _reference(person: Person, known: set[str]) -> Person:
    """A person outside the actor's reach as a search shows them: a reference (the id and the full number the
    actor typed, which the hit shows masked), never their name, groups, gender or other numbers."""
    phone = person.phone if person.phone and person.phone.upper() in known else ""
    id_number = person.id_number if person.id_number and person.id_number in known else ""
    return Person(pk=person.pk, name="", phone=phone, id_number=id_number, first_node_id=person.first_node_id)
