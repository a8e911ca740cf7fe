"""The window's visit registration (/desk/intake/): one keyboard-first screen, the returning-person search, and
the confirmation page of a registered visit. Every visit is registered through ``services.visit_register``."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lawdesk.matters import access as matter_access
from lawdesk.matters import people_search as people
from lawdesk.matters import services
from lawdesk.matters.forms_intake import (
    IntakeForm,
    MatterForm,
    attach_errors,
    matter_forms,
    template_matter_form,
)
from lawdesk.matters.models import MatterKind, Visit
from lawdesk.orgs import access as node_access
from lawdesk.orgs.models import OrgNode
from lawdesk.orgs.rules import PLATFORM_KINDS
from lawdesk.people.models import Person
from lawdesk.people.policy import Door, disclose

_SESSION_PLATFORM = "intake_platform"


def intake_platforms(actor: Any) -> list[OrgNode]:
    """The platforms where the actor may register visits (a clerk: one; judicial office staff: its stations)."""
    nodes = node_access.visible_nodes(actor).filter(kind__in=PLATFORM_KINDS, is_active=True).order_by("path")
    return [node for node in nodes if services.can_receive_at(actor, node)]


def _require_platforms(actor: Any) -> list[OrgNode]:
    platforms = intake_platforms(actor)
    if not platforms:
        raise PermissionDenied("只有窗口接待人员和司法所工作人员可以登记来访。")
    return platforms


def _picked(request: HttpRequest, form: IntakeForm) -> tuple[Person | None, str | None]:
    """The returning person chosen on the form, resolved through the people selector (never by bare id)."""
    raw = (form.cleaned_data.get("person_id") or "").strip() if form.is_valid() else ""
    if not raw:
        return None, None
    person = people.person_for_intake(
        actor=request.user,
        pk=raw,
        phone=form.cleaned_data.get("phone") or "",
        id_number=form.cleaned_data.get("id_number") or "",
    )
    if person is None:
        return None, "所选的来访人不存在或您无权选用，请重新查找。"
    return person, None


def _mark_invalid(form: forms.Form) -> None:
    """Pico draws fields with ``aria-invalid`` in red; screen readers announce them as invalid."""
    for name in form.errors:
        if name in form.fields:
            form.fields[name].widget.attrs["aria-invalid"] = "true"


def _render(
    request: HttpRequest,
    form: IntakeForm,
    matters: list[MatterForm],
    *,
    picked: Person | None = None,
    status: int = 200,
) -> HttpResponse:
    hit = None
    if picked is not None:
        typed = (form.data.get("phone", ""), form.data.get("id_number", ""))
        hit = people.person_hits(actor=request.user, people=[picked], typed=typed)[0]
    vulnerable = bool(form["groups"].value())
    for each in (form, *matters):
        _mark_invalid(each)
    context = {
        "form": form,
        "matters": matters,
        "matter_template": template_matter_form(),
        "picked": hit,
        "matters_have_errors": any(m.errors for m in matters),
        "vulnerable": vulnerable,
        "consultation": MatterKind.CONSULTATION.value,
        "service_transfer": MatterKind.SERVICE_TRANSFER.value,
    }
    return render(request, "matters/intake.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest) -> HttpResponse:
    platforms = _require_platforms(request.user)
    if request.method != "POST":
        remembered = request.session.get(_SESSION_PLATFORM)
        initial = {
            "client_token": uuid.uuid4(),
            "platform": remembered if remembered in {p.pk for p in platforms} else platforms[0].pk,
        }
        return _render(request, IntakeForm(initial=initial, platforms=platforms), matter_forms())

    form = IntakeForm(request.POST, platforms=platforms)
    matters = matter_forms(request.POST)
    valid = [
        form.is_valid(),
        *(m.is_valid() for m in matters),
    ]  # every block validated, each shows its errors
    if not all(valid):
        return _render(request, form, matters, status=400)
    person, problem = _picked(request, form)
    if problem:
        form.add_error(None, problem)
        data = request.POST.copy()
        data["person_id"] = ""  # the stale pick is dropped; what was typed stays
        form.data = data
        return _render(request, form, matters, status=400)
    node = form.platform_node()
    person_input = form.person_input()
    # The form showed the picked person's groups ticked: unticking one removes it (in reach only).
    person_input.replace_groups = person is not None
    token = form.cleaned_data.get("client_token")
    try:
        visit = services.visit_register(
            actor=request.user,
            node=node,
            person_data=person_input,
            person=person,
            matters=[m.matter_input(vulnerable=bool(person_input.groups)) for m in matters],
            channel=form.cleaned_data.get("channel") or "",
            client_token=token,
        )
    except ValidationError as exc:
        attach_errors(exc.message_dict, form, matters)
        return _render(request, form, matters, picked=person, status=400)
    except IntegrityError:
        # Two clicks raced past the token check: the first one's visit is the answer.
        visit_or_none = Visit.objects.filter(client_token=token).first() if token else None
        if visit_or_none is None:
            form.add_error(
                None, "保存时与他人的登记冲突（同一身份证号刚被登记），请重新查找该来访人后再保存。"
            )
            return _render(request, form, matters, picked=person, status=409)
        visit = visit_or_none
    if request.session.get(_SESSION_PLATFORM) != node.pk:  # the same platform again: no session write
        request.session[_SESSION_PLATFORM] = node.pk
    return redirect("desk:visit", pk=visit.pk)


@login_required
@require_POST
def person_search(request: HttpRequest) -> HttpResponse:
    """htmx partial: returning people for the search box. POST: a typed phone or ID number never goes into a
    URL (issue 9)."""
    _require_platforms(request.user)
    query = request.POST.get("q", "")
    hint = people.query_hint(query)
    hits = [] if hint else people.person_hits(actor=request.user, query=query)
    normalised = people.normalise_query(query)
    # Number keys pick a result unless the query itself is a number being typed.
    number_keys = not any(c.isdigit() for c in normalised)
    context = {"query": normalised, "hits": hits, "hint": hint, "number_keys": number_keys}
    return render(request, "matters/_intake_people.html", context)


def _matter_url(pk: int) -> str:
    try:
        return reverse("desk:matter", args=[pk])
    except NoReverseMatch:
        return f"/desk/matters/{pk}/"


@login_required
@require_GET
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation of a registered visit: its number, the person, the matters and their states."""
    visit = matter_access.get_visit_for(request.user, pk)
    person = visit.person_as_told
    shown = disclose(request.user, visit.node, Door.PAGE)
    matters = list(visit.matters.order_by("id"))
    context = {
        "visit": visit,
        "person": person,
        # Masked by default (lawdesk.people.policy); roles that may see them in full get a reveal button (audited).
        "phone": shown.phone(person.phone),
        "id_number": shown.id_number(person.id_number),
        # A visit registered by reference shows what was said at it: nothing of the shared record to reveal.
        "can_reveal": shown.may_reveal and not visit.by_reference,
        "matters": [(m, _matter_url(m.pk)) for m in matters],
        "can_register": bool(intake_platforms(request.user)),
    }
    return render(request, "matters/_intake_visit.html", context)
