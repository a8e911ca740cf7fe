"""Schemathesis against the API's own OpenAPI schema, in-process over WSGI: every operation gets a bounded,
deterministic set of generated requests (with a window clerk's system-client token and seeded data), and no
response may be a server error, break the schema, use an undeclared status or content type — and no request may be
accepted without valid credentials (``ignored_auth`` re-sends each accepted request without and with a bad token).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_schema_conformance,
    status_code_conformance,
)

from lawdesk.accounts.models import Role
from lawdesk.appointments import services as appointment_services
from lawdesk.appointments.models import Slot
from lawdesk.matters import services
from lawdesk.matters.services import PersonInput
from tests.conftest import Personas, Tree
from tests.test_api import open_slot, register, service_client

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 20
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
    ignored_auth,
]
AUTH_PROBES = 3
AUTH_CONFIRMED: dict[str, int] = {}
CONFIG = {
    "seed": 2026,
    "generation": {"mode": "all", "max-examples": MAX_EXAMPLES, "deterministic": True},
    "phases": {
        "examples": {"enabled": False},
        "coverage": {"enabled": False},
        "fuzzing": {"enabled": True},
        "stateful": {"enabled": False},
    },
}


@dataclass
class Seeded:
    token: str
    # Ids in the clerk's reach, per path segment (for {id}) and per body field naming an object.
    ids: dict[str, list[int]]


@pytest.fixture
def seeded(tree: Tree, personas: Personas, settings: Any) -> Seeded:
    """Seeded data in the clerk's reach (and beyond it), and the token of a clerk-scoped system client."""
    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            "api_client": "100000/min",
            "api_user": "100000/min",
            "api_anon": "100000/min",
        },
    }
    client, token = service_client("hotline", Role.WINDOW_CLERK, tree.station_a)
    own = [
        register(client.user, tree.station_a, kind=kind, id_number="") for kind in ("dispute", "consultation")
    ]
    clerks = [register(personas.clerk_a, tree.station_a, kind="legal_aid", id_number="")]
    transferred = register(personas.clerk_a, tree.station_a, id_number="").matters.get()
    services.matter_transfer(actor=personas.clerk_a, matter=transferred, institution=tree.mediation)
    register(personas.clerk_b, tree.station_b, id_number="")  # out of reach
    slot = open_slot(personas.clerk_a, tree.station_a)
    appointment = appointment_services.appointment_book(
        actor=client.user, slot=slot, summary="遗嘱咨询", person_data=PersonInput(name="王秀英")
    )
    visits = [v.pk for v in own + clerks]
    matters = [m.pk for v in own + clerks for m in v.matters.all()] + [transferred.pk, appointment.matter_id]
    institutions = [tree.mediation.pk, tree.law_firm.pk]
    return Seeded(
        token=token,
        ids={
            "visits": visits,
            "matters": matters,
            "matter": matters,
            "institutions": institutions,
            "institution": institutions,
            "slots": [slot.pk],
            "slot": [slot.pk],
            "appointments": [appointment.pk],
            "node": [tree.station_a.pk],
        },
    )


def _resource(path: str) -> str:
    """The collection an {id} belongs to: /api/v1/appointments/slots/{id}/ → slots."""
    return path.split("/{id}")[0].rstrip("/").rsplit("/", 1)[-1]


def point_at_seeded_objects(case: Any, seeded: Seeded) -> None:
    """Three requests in four name objects that exist in the clerk's reach (ids and body references), so the
    generated requests reach the views' real work, not only their 404s; the rest keep the generated ids."""
    key = repr((case.path_parameters, case.query, case.body))
    if sum(key.encode()) % 4 == 0:
        return
    if case.path_parameters and "id" in case.path_parameters:
        ids = seeded.ids.get(_resource(case.path), [])
        if ids:
            case.path_parameters["id"] = ids[len(key) % len(ids)]
    if isinstance(case.body, dict):
        for field, ids in seeded.ids.items():
            if isinstance(case.body.get(field), int):
                case.body[field] = ids[len(key) % len(ids)]


class InProcessApp:
    """Django's WSGI handler as the test client runs it: the request signals do not close the database
    connection, which holds the test's transaction (and its seeded data)."""

    def __init__(self) -> None:
        self.handler = WSGIHandler()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = self.handler(environ, start_response)
            body = b"".join(response)
            response.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        return [body]


# Loaded once at collection, in-process: the schema is generated from the code, no database involved.
schema = schemathesis.openapi.from_wsgi(
    "/api/schema/?format=json", InProcessApp(), config=schemathesis.Config.from_dict(CONFIG)
)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_keeps_to_its_schema(case: Any, seeded: Seeded) -> None:
    point_at_seeded_objects(case, seeded)
    # Enforcing authentication is a property of the operation: once an operation has refused the probes (no
    # token, a bad token) after AUTH_PROBES accepted requests, the rest of its cases skip the probes.
    label = case.operation.label
    probed = AUTH_CONFIRMED.get(label, 0) < AUTH_PROBES
    checks = CHECKS if probed else [c for c in CHECKS if c is not ignored_auth]
    response = case.call_and_validate(headers={"Authorization": f"Bearer {seeded.token}"}, checks=checks)
    if probed and 200 <= response.status_code < 300:
        AUTH_CONFIRMED[label] = AUTH_CONFIRMED.get(label, 0) + 1


def test_every_operation_refuses_a_request_without_credentials(client: Any, tree: Tree) -> None:
    """Independently of generation: each path of the schema, with ids that exist, answers 401 without a token."""
    slot_id = Slot.objects.values_list("pk", flat=True).first() or 1
    paths = client.get("/api/schema/", {"format": "json"}).json()["paths"]
    assert len(paths) >= 15
    for path, operations in paths.items():
        url = path.replace("{id}", str(slot_id)).replace("{code}", "1").replace("{key}", "answer")
        for method in operations:
            response = getattr(client, method)(url, content_type="application/json")
            assert response.status_code == 401, (method, path, response.status_code)
