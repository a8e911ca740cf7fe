"""Every door gives the same answer: for every kind × state × persona × command, the matter page's endpoint
(``/desk/matters/<id>/<command>/``) and the API's (``/api/v1/matters/<id>/commands/<command>/``) give the same
verdict — done, refused with the same Chinese message(s), forbidden, or not found — and leave the matter in the
same state with the same new events.

Each door is tried on the same matter inside a savepoint that is rolled back, so both start from the same
state. The matters are built through the services by ``tests.builders`` (one shared way for every kind).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from lawdesk.matters import commands
from lawdesk.matters.models import Matter, MatterEvent
from tests.builders import STATES, World, build, build_world, command_data
from tests.conftest import Personas, Tree, client_for

PERSONAS = [
    "clerk_a", "colleague", "clerk_b", "office_staff", "district_admin", "other_district_admin", "city_admin",
    "leader", "auditor", "handler", "mediator", "centre_handler", "department_handler",
]  # fmt: skip


@dataclass(frozen=True)
class Verdict:
    status: str  # "done" | "refused" | "forbidden" | "not_found"
    messages: frozenset[str]
    state: tuple[Any, ...]  # what the matter looks like afterwards
    events: tuple[str, ...]  # the events the command added


class Rollback(Exception):
    pass


@contextmanager
def savepoint() -> Iterator[None]:
    try:
        with transaction.atomic():
            yield
            raise Rollback
    except Rollback:
        pass


def _state(matter_id: int) -> tuple[Any, ...]:
    m = Matter.objects.get(pk=matter_id)
    return (m.state, m.institution_id, m.owner_id, m.handover_to_id, m.outcome, m.told_via, m.one_trip_mode)


def _events(matter_id: int, before: int) -> tuple[str, ...]:
    return tuple(
        MatterEvent.objects.filter(matter_id=matter_id, pk__gt=before)
        .order_by("pk")
        .values_list("code", flat=True)
    )


PAGE_MESSAGES = re.compile(
    r'<(?:small|p) class="error" role="alert">(.*?)</(?:small|p)>'
    r'|<p class="flash flash-error" role="status">(.*?)</p>'
    r'|data-testid="error-403">.*?<p>(.*?)</p>',
    re.S,
)


def _page_messages(body: str) -> frozenset[str]:
    found = set()
    for match in PAGE_MESSAGES.finditer(body):
        text = next(g for g in match.groups() if g is not None)
        found.add(html.unescape(re.sub(r"<[^>]+>", "", text)).strip())
    return frozenset(found)


def _api_messages(payload: Any) -> frozenset[str]:
    if not isinstance(payload, dict):
        return frozenset()
    if "errors" in payload:
        return frozenset(str(m) for messages in payload["errors"].values() for m in messages)
    return frozenset({str(payload.get("detail", ""))})


def _page(client: Client, matter_id: int, key: str, data: dict[str, Any]) -> Verdict:
    before = (
        MatterEvent.objects.filter(matter_id=matter_id).order_by("-pk").values_list("pk", flat=True).first()
    )
    response = client.post(f"/desk/matters/{matter_id}/{key.replace('_', '-')}/", data)
    body = response.content.decode()
    status = {302: "done", 400: "refused", 403: "forbidden", 404: "not_found"}[response.status_code]
    messages = _page_messages(body) if status in ("refused", "forbidden") else frozenset()
    return Verdict(status, messages, _state(matter_id), _events(matter_id, before or 0))


def _api(client: Client, matter_id: int, key: str, data: dict[str, Any]) -> Verdict:
    before = (
        MatterEvent.objects.filter(matter_id=matter_id).order_by("-pk").values_list("pk", flat=True).first()
    )
    response = client.post(
        f"/api/v1/matters/{matter_id}/commands/{key}/", data, content_type="application/json"
    )
    status = {200: "done", 400: "refused", 403: "forbidden", 404: "not_found"}[response.status_code]
    messages = _api_messages(response.json()) if status in ("refused", "forbidden") else frozenset()
    return Verdict(status, messages, _state(matter_id), _events(matter_id, before or 0))


def _api_data(matter: Matter, key: str, data: dict[str, Any]) -> dict[str, Any]:
    """The same input under the API's field names (the command's ``api_names``)."""
    try:
        names = {form: api for api, form in commands.command_for(matter, key).api_names.items()}
    except Exception:
        names = {}
    return {names.get(k, k): v for k, v in data.items()}


CASES = [(kind, state) for kind, states in STATES.items() for state in states]


@pytest.mark.parametrize(("kind", "state"), CASES, ids=[f"{k}-{s}" for k, s in CASES])
def test_the_page_and_the_api_give_the_same_verdict_on_every_command(
    kind: str, state: str, tree: Tree, personas: Personas
) -> None:
    world: World = build_world(tree, personas)
    matter = build(world, kind, state)
    clients = {name: client_for(world.user(name)) for name in PERSONAS}
    seen: dict[str, int] = {}
    for key in commands.all_keys():
        data = command_data(world, matter, key)
        for name in PERSONAS:
            with savepoint():
                page = _page(clients[name], matter.pk, key, data)
            with savepoint():
                api = _api(clients[name], matter.pk, key, _api_data(matter, key, data))
            where = f"{kind}/{state}: {name} → {key}"
            assert page.status == api.status, f"{where}: page {page}, API {api}"
            assert page.messages == api.messages, f"{where}: page {page.messages}, API {api.messages}"
            assert page.state == api.state and page.events == api.events, f"{where}: {page} / {api}"
            if page.status in ("refused", "forbidden"):  # a refusal always says why, in Chinese
                assert page.messages and all(m for m in page.messages), f"{where}: {page}"
            seen[page.status] = seen.get(page.status, 0) + 1
    # Each open state is tried with at least one command someone may issue; every state with refusals.
    assert seen.get("done", 0) >= 1 or Matter.objects.get(pk=matter.pk).state == "closed", seen
    assert seen.get("forbidden", 0) + seen.get("refused", 0) >= 1, seen


def test_a_command_done_through_the_page_leaves_what_the_api_leaves(tree: Tree, personas: Personas) -> None:
    """The parity above compares refusals and states; here the one successful command of each kind is
    checked to have moved the matter at all (a door that silently did nothing would pass a bare comparison)."""
    world = build_world(tree, personas)
    for kind, key, who in (
        ("consultation", "answer", "clerk_a"),
        ("legal_aid", "legal_aid_apply", "clerk_a"),
        ("dispute", "dispute_record", "clerk_a"),
        ("complaint", "transfer", "clerk_a"),
    ):
        matter = build(world, kind, "received")
        data = command_data(world, matter, key)
        with savepoint():
            page = _page(client_for(world.user(who)), matter.pk, key, data)
        with savepoint():
            api = _api(client_for(world.user(who)), matter.pk, key, _api_data(matter, key, data))
        assert page.status == api.status == "done", (kind, page, api)
        assert page.events and page.events == api.events, (kind, page, api)
