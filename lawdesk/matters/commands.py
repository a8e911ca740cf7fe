"""The commands of each kind of matter: one declared table per kind, read by every door.

A command is one move a person may make on a matter: its key, the registry event whose states allow it
(``lawdesk.matters.events``), who may issue it (its ``Party``, judged per role at the matter's node), the
kind's precondition in that state, the form that validates its input and the service that carries it out.

The matters core declares the common loop (``lawdesk.matters.loop``: answer, redirect, transfer, accept, decline,
outcome, tell, close, hand-over, at-most-one-trip) for the kinds that need nothing more (consultation, service
transfer, appointment). Each app that owns a kind registers that kind's table from its ``AppConfig.ready``
(``register_kind``): legal aid transfers only to a legal aid centre serving the platform after a passed 初审, and
its centre decides instead of accepting; a complaint is passed on, acknowledged and answered under the complaint
rules, never by or to its subject; a dispute goes to a mediation committee (or elsewhere with the reason
recorded) and the committee records the mediation result. The core imports no domain app.

The services check every rule themselves (``authorize``, under the matter's row lock), so a door that calls a
service directly can do no more than the table allows. The doors — the matter page, the API, the domain pages,
the admin, the management commands — go through ``issue`` (form → service) and ``available`` (what the actor may
issue now), so no door can do less either.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError

from lawdesk.accounts import scoping
from lawdesk.matters.events import check_move
from lawdesk.matters.models import Matter, MatterKind


class Party(StrEnum):
    """Who may issue a command, judged per role at the matter's node (never by the union of roles)."""

    FRONT = (
        "front"  # the first responder, or an oversight role (office, district, city) held above the platform
    )
    HANDLER = "handler"  # a handler of the institution the matter is with
    HANDLER_OR_OFFICE = "handler_or_office"  # the handler, or the oversight above on the handler's behalf
    HANDOVER_TARGET = "handover_target"  # the colleague a hand-over was offered to
    FRONT_OR_HANDLER = "front_or_handler"  # either side: the first responder's or the institution's


PARTY_LABELS = {
    Party.FRONT: "首问负责人或其上级（司法所、区县司法局、市局）",
    Party.HANDLER: "承接机构的承办人",
    Party.HANDLER_OR_OFFICE: "承办人，或其上级司法所代为登记",
    Party.HANDOVER_TARGET: "被交接的同事",
    Party.FRONT_OR_HANDLER: "首问负责人或其上级，或承接机构的承办人",
}

FormFactory = Callable[[Any, Any, Matter], forms.Form]  # (data or None, actor, matter) → a form
Check = Callable[..., Any]  # (actor, matter, **params) → None, or a refusal (message or {field: message})


@dataclass(frozen=True)
class Command:
    key: str
    label: str  # the section title on the matter page, e.g. 移交后台机构
    verb: str  # for messages: 只有……可以{verb}
    event: str  # its from_states are the states the command may be issued in
    party: Party
    form: FormFactory
    run: Callable[..., Any]  # the service: run(actor=..., matter=..., **form.cleaned_data)
    check: Check | None = None  # the kind's precondition beyond party and state
    done: Callable[[Matter, dict[str, Any]], str] = lambda matter, data: "已办理。"
    rule: str = ""  # the rule in one sentence (shown in the docs and the closing note)
    template: str = "matters/commands/_form.html"  # how the matter page shows it
    page: Callable[[Matter], str] | None = None  # a page of its own (the matter page links to it)
    submit: str = ""  # the button's text ("" = the label)
    state_refusal: str = ""  # said instead of the registry's message when the state does not allow it
    api_names: Mapping[str, str] = field(default_factory=dict)  # API field name → form field name


@dataclass(frozen=True)
class KindExtension:
    """What an app registers for a kind of matter it owns."""

    kind: str
    commands: tuple[Command, ...]
    # Shown when a command is asked of this kind that its table does not have, e.g. where the move is made.
    hint: str = ""
    # Runs before every command of the kind; raises PermissionDenied to refuse (the complaint's subject).
    guard: Callable[[Any, Matter], None] | None = None
    # The matter page's panel for the kind: (actor, matter) → context for ``panel_template``, or None.
    panel: Callable[[Any, Matter], dict[str, Any] | None] | None = None
    panel_template: str = ""
    # Users who must never be notified about the matter (the complaint's subject), whatever their role.
    never_notify: Callable[[Matter], set[int]] | None = None
    # Where the page's transfer picker looks: (actor, matter, institution kind or "") → institutions.
    transfer_targets: Callable[[Any, Matter, str], Any] | None = None


_KINDS: dict[str, KindExtension] = {}
# Panels of extensions that apply to matters of any kind (an appointment booked from any matter).
_PANELS: list[tuple[Callable[[Any, Matter], dict[str, Any] | None], str]] = []


def register_kind(extension: KindExtension) -> None:
    """Register (or replace) the table of one kind of matter (call from an ``AppConfig.ready``)."""
    keys = [c.key for c in extension.commands]
    if len(keys) != len(set(keys)):
        raise ValueError(f"duplicate command keys for {extension.kind}: {keys}")
    _KINDS[extension.kind] = extension


def register_panel(panel: Callable[[Any, Matter], dict[str, Any] | None], template: str) -> None:
    """A panel shown on the page of any matter it has something for (``panel`` returns None otherwise)."""
    if (panel, template) not in _PANELS:
        _PANELS.append((panel, template))


def kind_extension(kind: str) -> KindExtension:
    try:
        return _KINDS[kind]
    except KeyError as exc:
        raise LookupError(f"no commands registered for matter kind {kind!r}") from exc


def kinds() -> dict[str, KindExtension]:
    return dict(_KINDS)


def table(kind: str) -> dict[str, Command]:
    return {c.key: c for c in kind_extension(kind).commands}


def all_keys() -> list[str]:
    """Every command key of every kind, in first-seen order (the doors route on these)."""
    seen: dict[str, None] = {}
    for extension in _KINDS.values():
        for command in extension.commands:
            seen.setdefault(command.key, None)
    return list(seen)


def panels(actor: Any, matter: Matter) -> list[tuple[str, dict[str, Any]]]:
    """(template, context) of the panels for this matter: its kind's, then those of any kind."""
    shown: list[tuple[str, dict[str, Any]]] = []
    extension = _KINDS.get(matter.kind)
    sources = [(extension.panel, extension.panel_template)] if extension and extension.panel else []
    for panel, template in [*sources, *_PANELS]:
        if panel is None:
            continue
        context = panel(actor, matter)
        if context is not None:
            shown.append((template, context))
    return shown


def never_notify(matter: Matter) -> set[int]:
    extension = _KINDS.get(matter.kind)
    return extension.never_notify(matter) if extension and extension.never_notify else set()


# --- who may issue a command -----------------------------------------------------------------------------

WORK_ROLES = frozenset(
    {
        scoping.Role.WINDOW_CLERK,
        scoping.Role.OFFICE_STAFF,
        scoping.Role.DISTRICT_ADMIN,
        scoping.Role.CITY_ADMIN,
        scoping.Role.SYSTEM_ADMIN,
    }
)


def is_first_responder(actor: Any, matter: Matter) -> bool:
    """The matter's owner, while they still work where it was received."""
    return matter.owner_id == getattr(actor, "pk", None) and scoping.holds_at(actor, matter.node, *WORK_ROLES)


def acts_for_front(actor: Any, matter: Matter) -> bool:
    return is_first_responder(actor, matter) or scoping.oversight_grant(actor, matter.node) is not None


def acts_for_institution(actor: Any, matter: Matter) -> bool:
    return scoping.is_handler_of(actor, matter.institution_id)


def party_allows(party: Party, actor: Any, matter: Matter) -> bool:
    if party == Party.FRONT:
        return acts_for_front(actor, matter)
    if party == Party.HANDLER:
        return acts_for_institution(actor, matter)
    if party == Party.HANDLER_OR_OFFICE:
        return acts_for_institution(actor, matter) or scoping.oversight_grant(actor, matter.node) is not None
    if party == Party.FRONT_OR_HANDLER:
        return acts_for_front(actor, matter) or acts_for_institution(actor, matter)
    return matter.handover_to_id is not None and matter.handover_to_id == getattr(actor, "pk", None)


def party_refusal(command: Command) -> str:
    if command.party == Party.HANDOVER_TARGET:
        return "该事项没有交接给您。"
    who = {
        Party.FRONT: "首问负责人或其上级",
        Party.HANDLER: "承接机构的承办人",
        Party.HANDLER_OR_OFFICE: "承办人或司法所",
        Party.FRONT_OR_HANDLER: "记录人、其上级或处理部门",
    }[command.party]
    return f"只有{who}可以{command.verb}。"


# --- the checks, in one order for every door ---------------------------------------------------------------


def command_for(matter: Matter, key: str) -> Command:
    """The kind's command ``key``; a kind without it refuses with a Chinese message (never a server error)."""
    extension = kind_extension(matter.kind)
    for command in extension.commands:
        if command.key == key:
            return command
    label = MatterKind(matter.kind).label if matter.kind in MatterKind.values else matter.kind
    known = {c.key: c for ext in _KINDS.values() for c in ext.commands}
    what = known[key].verb if key in known else "办理这一步"
    message = f"{label}事项不能{what}。"
    if extension.hint:
        message += extension.hint
    raise ValidationError(message, code="not_a_command")


def _raise(refusal: Any) -> None:
    if isinstance(refusal, dict):
        raise ValidationError(refusal, code="precondition")
    raise ValidationError(str(refusal), code="precondition")


def authorize(*, actor: Any, matter: Matter, key: str, **params: Any) -> Command:
    """Refuse ``key`` on ``matter`` for ``actor`` unless the kind's table allows it now: the kind's guard, the
    party (403), the state (the event registry), then the kind's precondition with ``params`` (400). Services
    call this under the matter's row lock."""
    command = command_for(matter, key)
    extension = kind_extension(matter.kind)
    if extension.guard is not None:
        extension.guard(actor, matter)
    if not party_allows(command.party, actor, matter):
        raise PermissionDenied(party_refusal(command))
    problem = check_move(command.event, matter.state)
    if problem:
        raise ValidationError(command.state_refusal or problem, code="illegal_move")
    if command.check is not None:
        refusal = command.check(actor, matter, **params)
        if refusal:
            _raise(refusal)
    return command


def allows(actor: Any, matter: Matter, key: str) -> bool:
    """Whether ``actor`` may issue ``key`` on ``matter`` now (input aside)."""
    try:
        authorize(actor=actor, matter=matter, key=key)
    except (PermissionDenied, ValidationError):
        return False
    return True


def available(actor: Any, matter: Matter) -> list[Command]:
    """The commands ``actor`` may issue on ``matter`` now, in the kind's order: what the matter page shows and
    what ``GET /api/v1/matters/<id>/commands/`` lists."""
    return [c for c in kind_extension(matter.kind).commands if allows(actor, matter, c.key)]


# --- issuing a command --------------------------------------------------------------------------------------


def make_form(command: Command, actor: Any, matter: Matter, data: Any = None) -> forms.Form:
    return command.form(data, actor, matter)


def form_errors(form: forms.Form) -> dict[str, list[str]]:
    return {name: [str(e) for e in errors] for name, errors in form.errors.items()}


class CommandInputError(ValidationError):
    """A command's input did not validate; ``form`` is the bound form (the page shows it with its errors)."""

    def __init__(self, form: forms.Form) -> None:
        super().__init__(form_errors(form), code="invalid_input")
        self.form = form


@dataclass(frozen=True)
class Issued:
    command: Command
    result: Any  # what the service returned
    data: dict[str, Any]
    message: str  # the Chinese confirmation


def issue(*, actor: Any, matter: Matter, key: str, data: Any) -> Issued:
    """Validate ``data`` with the command's form and run its service. Refusals come as they do from the
    service: ``PermissionDenied`` (who), ``ValidationError`` (state, precondition, input — the latter a
    ``CommandInputError`` carrying the bound form). The kind's table is consulted before the input is read, so
    a command the actor may not issue is refused the same way whatever was sent."""
    command = command_for(matter, key)
    authorize(actor=actor, matter=matter, key=key)
    form = make_form(command, actor, matter, data)
    if not form.is_valid():
        raise CommandInputError(form)
    cleaned = dict(form.cleaned_data)
    params = {k: v for k, v in cleaned.items() if not k.startswith("_")}
    result = command.run(actor=actor, matter=matter, **params)
    changed = result if isinstance(result, Matter) else Matter.objects.get(pk=matter.pk)
    return Issued(command, result, cleaned, command.done(changed, cleaned))


def dispatch(*, actor: Any, matter: Matter, key: str, **params: Any) -> Any:
    """Run the kind's service for ``key`` with already-clean arguments: the generic services
    (``matter_transfer``…) route here, so a legal-aid transfer made through them is the legal-aid transfer."""
    command = command_for(matter, key)
    return command.run(actor=actor, matter=matter, **params)
