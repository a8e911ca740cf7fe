"""The matter page and the back office: one matter with its timeline and the moves the actor may make, the
redirect slip, the handler inbox, the one-trip tasks, the matters list, attachments.

Every read goes through ``scoping`` (a matter out of reach answers 404); every change through
``lawdesk.matters.services`` (which refuses what the actor may not do: 403, or a move the state does not allow:
the registry's Chinese message). Actions are plain POST + redirect; their forms are boosted by htmx.
"""

from __future__ import annotations

import datetime
import html
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lawdesk.accounts import scoping
from lawdesk.accounts.models import User
from lawdesk.attachments.models import Attachment
from lawdesk.core import clock
from lawdesk.core.urls_cache import path_pattern
from lawdesk.institutions import access as institution_access
from lawdesk.institutions.models import Institution, InstitutionKind
from lawdesk.matters import access as matter_access
from lawdesk.matters import attachments as attachment_service
from lawdesk.matters import commands, selectors
from lawdesk.matters.events import EVENTS, state_label
from lawdesk.matters.forms_matter import (
    AttachmentForm,
    prefill_from,
)
from lawdesk.matters.models import (
    Adoption,
    Channel,
    Matter,
    MatterKind,
    MatterState,
    OneTripMode,
    ToldVia,
    Visit,
)
from lawdesk.orgs import access as node_access
from lawdesk.people.policy import Door, disclose
from lawdesk.workcal import workdays

# --- the commands on this page ---------------------------------------------------------------------------
#
# What the page offers is the matter kind's command table (lawdesk.matters.commands): exactly the commands the
# actor may issue now, each posted to /desk/matters/<pk>/<key>/ and carried out through ``commands.issue`` — the
# same call the API makes, so both doors give the same answer.


def command_slug(key: str) -> str:
    return key.replace("_", "-")


@dataclass
class CommandView:
    command: commands.Command
    form: forms.Form | None
    url: str
    page_url: str = ""
    open: bool = False

    @property
    def key(self) -> str:
        return self.command.key

    @property
    def label(self) -> str:
        return self.command.label

    @property
    def submit(self) -> str:
        return self.command.submit or self.command.label

    @property
    def template(self) -> str:
        return "matters/commands/_page_link.html" if self.page_url else self.command.template


def _transfer_kind(request: HttpRequest, matter: Matter) -> str:
    kind = request.GET.get("transfer_kind")
    if kind is None:
        return selectors.default_institution_kind(matter)
    return kind if kind in InstitutionKind.values and kind != InstitutionKind.OTHER_DEPARTMENT else ""


def _redirect_initial(request: HttpRequest, actor: Any, matter: Matter) -> dict[str, Any] | None:
    """The redirect form refilled from the directory (``?department=``), keeping what the clerk typed."""
    if "department" not in request.GET:
        return None
    initial = {key: request.GET.get(key, "") for key in ("redirect_to", "redirect_address", "redirect_phone")}
    pk = request.GET["department"]
    department = (
        selectors.redirect_departments(actor=actor, matter=matter).filter(pk=int(pk)).first()
        if pk.isdigit()
        else None
    )
    if department is not None:
        initial.update(prefill_from(department))
    return initial


def _deadlines(matter: Matter) -> list[dict[str, Any]]:
    today = clock.today()
    rows = []
    for field, label, state in (
        ("accept_due", "承接期限", MatterState.TRANSFERRED),
        ("outcome_due", "办结期限", MatterState.ACCEPTED),
        ("feedback_due", "反馈期限", MatterState.OUTCOME_RECORDED),
    ):
        due: datetime.date | None = getattr(matter, field)
        if due is None:
            continue
        running = matter.state == state
        started = {
            "accept_due": matter.transferred_at,
            "outcome_due": matter.accepted_at,
            "feedback_due": matter.outcome_at,
        }[field]
        start = timezone.localdate(started) if started else today
        rows.append(
            {
                "field": field,
                "label": label,
                "due": due,
                "running": running,
                "overdue": running and due < today,
                # A year without holiday data counts weekends only: say so beside the deadline.
                "warning": workdays.deadline_warning(start, due) if running else "",
            }
        )
    if matter.one_trip_due:
        running = matter.state in selectors.ONE_TRIP_OPEN_STATES
        rows.append(
            {
                "field": "one_trip_due",
                "label": f"{OneTripMode(matter.one_trip_mode).label}期限" if matter.one_trip_mode else "期限",
                "due": matter.one_trip_due,
                "running": running,
                "overdue": running and matter.one_trip_due < today,
            }
        )
    return rows


def _timeline(matter: Matter) -> list[dict[str, Any]]:
    events = list(matter.events.select_related("actor", "node", "institution").order_by("created_at", "id"))
    institution_ids = {
        e.data.get("institution") for e in events if isinstance(e.data.get("institution"), int)
    }
    user_ids = {e.data.get(k) for e in events for k in ("to", "from") if isinstance(e.data.get(k), int)}
    institutions = dict(Institution.objects.filter(pk__in=institution_ids).values_list("pk", "name"))
    users = {u.pk: str(u) for u in User.objects.filter(pk__in=user_ids)}
    rows = []
    for event in events:
        spec = EVENTS.get(event.code)
        data = event.data or {}
        details: list[str] = []
        if event.code == "received" and data.get("channel") in Channel.values:
            details.append(f"来访方式：{Channel(data['channel']).label}")
        if event.code == "redirected" and data.get("to"):
            details.append(f"指引至：{data['to']}")
        if event.code == "transferred" and data.get("institution") in institutions:
            details.append(f"移交至：{institutions[data['institution']]}")
        if event.code == "handover_offered" and data.get("to") in users:
            details.append(f"交接给：{users[data['to']]}")
        if event.code in ("handover_confirmed", "handover_refused") and data.get("from") in users:
            details.append(f"原首问负责人：{users[data['from']]}")
        if event.code == "outcome_recorded" and data.get("by_proxy"):
            details.append("由司法所代承办人登记")
        if event.code == "citizen_told" and data.get("via") in ToldVia.values:
            details.append(f"告知方式：{ToldVia(data['via']).label}")
            if data.get("adoption") in Adoption.values:
                details.append(f"意见采纳：{Adoption(data['adoption']).label}")
        if event.code == "citizen_rated" and data.get("rating"):
            via = {"online": "短信链接", "tablet": "窗口平板", "kiosk": "自助一体机"}.get(
                data.get("via", ""), ""
            )
            details.append(f"群众本人评分：{data['rating']}分" + (f"（{via}）" if via else ""))
        if event.code == "one_trip_marked" and data.get("mode") in OneTripMode.values:
            details.append(f"{OneTripMode(data['mode']).label}，期限 {data.get('due', '')}")
        if event.code == "closed" and data.get("rating"):
            details.append(f"满意度：{data['rating']}分")
        if spec is not None and spec.describe is not None:
            details.extend(spec.describe(data))
        rows.append(
            {
                "event": event,
                "label": spec.label if spec else event.code,
                "where": event.institution or event.node,
                "from_label": (
                    state_label(event.from_state)
                    if event.from_state and event.from_state != event.to_state
                    else ""
                ),
                "to_label": state_label(event.to_state) if event.to_state else "",
                "details": details,
            }
        )
    return rows


def _person(actor: Any, matter: Matter) -> dict[str, Any]:
    person = matter.visit.person_as_told
    shown = disclose(actor, matter.node, Door.PAGE)
    return {
        "person": person,
        # A visit registered by reference shows what was said at it: nothing of the shared record to reveal.
        "full": shown.may_reveal and not matter.visit.by_reference,
        # Masked on screen for everyone (lawdesk.people.policy); ``full`` roles may reveal a number (audited,
        # lawdesk.matters.views_reveal).
        "phone": shown.phone(person.phone),
        "id_number": shown.id_number(person.id_number),
        "address": shown.address(person.address) or "",
        "groups": person.group_labels,
    }


def _reuse_loaded(matter: Matter, actor: Any) -> None:
    """The page shows the visit's platform and the first responder; when they are the matter's platform and
    the user looking, the objects already in hand stand in for them (a query less each on every matter page)."""
    visit = matter.visit
    if visit is not None and visit.node_id == matter.node_id:
        visit.node = matter.node
    if matter.owner_id is not None and matter.owner_id == getattr(actor, "pk", None):
        matter.owner = actor


def _detail_context(
    request: HttpRequest, matter: Matter, bound: dict[str, forms.Form] | None = None
) -> dict[str, Any]:
    actor = request.user
    bound = bound or {}
    _reuse_loaded(matter, actor)
    available = commands.available(actor, matter)
    open_action = next(iter(bound), "")
    if not open_action and "department" in request.GET:
        open_action = "redirect"
    if not open_action and "transfer_kind" in request.GET:
        open_action = "transfer"
    views: list[CommandView] = []
    for command in available:
        page_url = command.page(matter) if command.page else ""
        form = None
        if not page_url:
            if command.key in bound:
                form = bound[command.key]
            else:
                form = commands.make_form(command, actor, matter)
                if command.key == "redirect":
                    initial = _redirect_initial(request, actor, matter)
                    if initial:
                        form.initial = initial
        url = reverse(f"desk:matter_{command.key}", args=[matter.pk])
        views.append(CommandView(command, form, url, page_url, open=command.key == open_action))
    if not open_action:
        # The one step left to the actor is shown open: the next step in sight, not behind a fold.
        side = [v for v in views if v.key != "handover_confirm"]
        if len(side) == 1 and not side[0].page_url and side[0].form is not None:
            side[0].open = True
    allowed = {v.key for v in views}
    can_attach = attachment_service.can_attach(actor, matter)
    transfer_kind = _transfer_kind(request, matter)
    transfer_choices: list[Institution] = []
    extension = commands.kind_extension(matter.kind)
    if "transfer" in allowed:
        targets = selectors.kind_transfer_targets(actor=actor, matter=matter, kind=transfer_kind)
        transfer_choices = list(targets.select_related("home_node"))
    return {
        "panels": commands.panels(actor, matter),
        "matter": matter,
        "visit": matter.visit,
        "who": _person(actor, matter),
        "deadlines": _deadlines(matter),
        "timeline": _timeline(matter),
        "allowed": allowed,
        "commands": views,
        "side_commands": [v for v in views if v.key != "handover_confirm"],
        "confirm_command": next((v for v in views if v.key == "handover_confirm"), None),
        "open_action": open_action,
        "transfer_kind": transfer_kind,
        "transfer_kinds": selectors.TRANSFER_KINDS,
        "transfer_kinds_shown": extension.transfer_targets is None,
        "default_kind": selectors.default_institution_kind(matter),
        "transfer_choices": transfer_choices,
        "attachments": list(Attachment.objects.filter(matter=matter).select_related("uploaded_by")),
        "can_attach": can_attach,
        "attach_form": bound.get("attach") or (AttachmentForm() if can_attach else None),
        "max_attachment_mb": attachment_service.max_attachment_bytes() // (1024 * 1024),
        "is_handover_target": matter.handover_to_id == actor.pk,
    }


def _render_detail(
    request: HttpRequest, matter: Matter, bound: dict[str, forms.Form] | None = None, status: int = 200
) -> HttpResponse:
    response = render(
        request, "matters/matter_detail.html", _detail_context(request, matter, bound), status=status
    )
    if bound and getattr(request, "htmx", False):
        # Errors: htmx swaps only 2xx, and keeps the form with its messages in view.
        response.status_code = 200
        response["HX-Reswap"] = f"innerHTML show:#act-{next(iter(bound))}:top"
        response["HX-Push-Url"] = "false"  # stay on the matter's address, not the action's
    return response


def _add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _after_change(request: HttpRequest, matter: Matter) -> HttpResponse:
    """Back to the matter; if the actor can no longer see it (a handler who declined it), to their list."""
    if matter_access.visible_matters(request.user).filter(pk=matter.pk).exists():
        return redirect("desk:matter", pk=matter.pk)
    if scoping.scope_for(request.user).institution_ids:
        return redirect("desk:inbox")
    return redirect("desk:matters")


# --- views ---------------------------------------------------------------------------------------------


@login_required
@require_GET
def matter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    matter = matter_access.get_matter_for(request.user, pk)
    return _render_detail(request, matter)


@login_required
@require_http_methods(["GET", "POST"])
def matter_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One command on the matter, through the kind's table (``commands.issue``): a bad input comes back under
    its field, a move the state or the kind's rules do not allow as their Chinese message (400), a command the
    actor may not issue as 403 — the same verdicts the API gives."""
    matter = matter_access.get_matter_for(request.user, pk)
    if request.method == "GET":  # a reload after an error, or a bookmarked action: show the matter
        return redirect("desk:matter", pk=matter.pk)
    key = action.replace("-", "_")
    try:
        issued = commands.issue(actor=request.user, matter=matter, key=key, data=request.POST)
    except commands.CommandInputError as exc:
        return _render_detail(request, matter, bound={key: exc.form}, status=400)
    except ValidationError as exc:
        return _refused(request, matter, key, exc)
    except PermissionDenied as exc:
        if not getattr(request, "htmx", False):
            raise
        # htmx does not swap a 403: reload the page, which shows why.
        messages.error(request, str(exc) or "您无权进行此操作。")
        return HttpResponse(status=403, headers={"HX-Refresh": "true"})
    messages.success(request, issued.message)
    return _after_change(request, matter)


def _refused(request: HttpRequest, matter: Matter, key: str, exc: ValidationError) -> HttpResponse:
    """A refusal of the kind's rules or of the state: shown with the command's form when the actor may issue it
    at all, otherwise at the top of the page — always with status 400 and the service's message."""
    try:
        command = commands.command_for(matter, key)
    except ValidationError:
        command = None
    form: forms.Form | None = None
    if command is not None and not command.page and commands.allows(request.user, matter, key):
        form = commands.make_form(command, request.user, matter, request.POST)
        form.is_valid()
        _add_service_errors(form, exc)
        return _render_detail(request, matter, bound={key: form}, status=400)
    for message in exc.messages:
        messages.error(request, message)
    response = _render_detail(request, matter, status=400)
    if getattr(request, "htmx", False):
        response.status_code = 200
        response["HX-Push-Url"] = "false"
    return response


@login_required
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Several files at once; all are checked before any is stored, so a refused file stores none."""
    matter = matter_access.get_matter_for(request.user, pk)
    if not attachment_service.can_attach(request.user, matter):
        raise PermissionDenied("只有首问负责人、其上级或承办人可以为该事项添加附件。")
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        files = form.cleaned_data["upload"]
        problems = []
        for file in files:
            try:
                attachment_service.check_upload(file)
            except ValidationError as exc:
                problems.extend(exc.messages)
        if problems:
            for problem in problems:
                form.add_error("upload", problem)
            form.add_error("upload", "以上文件未上传，其余文件也未保存，请处理后重新选择。")
        else:
            for file in files:
                attachment_service.attachment_add(actor=request.user, matter=matter, file=file)
            messages.success(request, f"已上传{len(files)}个附件。")
            return redirect(reverse("desk:matter", args=[matter.pk]) + "#attachments")
    return _render_detail(request, matter, bound={"attach": form}, status=400)


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Only through the matter's scope: another node's user gets 404, as for a file that does not exist."""
    try:
        attachment = Attachment.objects.select_related("matter").get(pk=int(pk))
    except (Attachment.DoesNotExist, ValueError) as exc:
        raise Http404("没有找到该附件，或您无权查看。") from exc
    matter_access.get_matter_for(request.user, attachment.matter_id)
    handle = attachment.file.storage.open(attachment.file.name, "rb")
    return FileResponse(
        handle,
        as_attachment=not attachment.is_image,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@login_required
@require_GET
def redirect_slip(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable slip for a citizen sent elsewhere: why, where, address, phone, and the 12348 hotline."""
    matter = matter_access.get_matter_for(request.user, pk)
    if not matter.redirect_to:
        raise Http404("该事项没有指引信息。")
    event = matter.events.filter(code="redirected").order_by("-created_at").first()
    issued = timezone.localtime(event.created_at) if event else clock.localnow()
    return render(
        request,
        "matters/slip.html",
        {
            "matter": matter,
            "node": matter.node,
            "person": matter.visit.person_as_told,
            "issued": issued,
            "paper": "a4" if request.GET.get("paper") == "a4" else "a5",
        },
    )


_LABELS: dict[tuple[type, str], dict[Any, Any]] = {}


def _label(model: type, name: str, value: Any) -> str:
    """``get_<name>_display()`` for a value read as a plain row, from the field's choices mapped once."""
    labels = _LABELS.get((model, name))
    if labels is None:
        labels = _LABELS[(model, name)] = dict(model._meta.get_field(name).flatchoices)  # type: ignore[attr-defined]
    return str(labels.get(value, value))


def _ymd(day: datetime.date) -> str:
    """``{{ day|date:"Y-m-d" }}``."""
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


def _user_name(full_name: str | None, username: str) -> str:
    """``str(user)`` of a user read as values."""
    return full_name or username


def _list_row(row: dict[str, Any], url: str, due: Any, overdue: bool) -> SafeString:
    """One matter's ``<tr>`` of the list (a row of ``selectors.matter_list_rows``), as the template's cells wrote
    it, built here once per row (issue 21: 30 rows of eight cells, each through several tags and filters)."""
    e = html.escape
    trip = (
        f' <span class="tag one-trip">{e(_label(Matter, "one_trip_mode", row["one_trip_mode"]))}</span>'
        if row["one_trip_mode"]
        else ""
    )
    handover = (
        f'<br><small class="muted">待'
        f"{e(_user_name(row['handover_to__full_name'], row['handover_to__username']))}确认交接</small>"
        if row["handover_to_id"] is not None
        else ""
    )
    institution = row["institution__name"] or "—"
    if due:
        late = " 逾期" if overdue else ""
        deadline = f'<span class="{"overdue" if overdue else ""}">{e(_ymd(due))}{late}</span>'
    else:
        deadline = "—"
    name = row["visit__said_name"] if row["visit__by_reference"] else row["visit__person__name"]
    created = timezone.localtime(row["created_at"])
    return mark_safe(  # every value escaped here
        f'<tr class="{"overdue-row" if overdue else ""}">\n'
        f'      <td><a href="{e(url)}">{e(_label(Matter, "kind", row["kind"]))}</a>{trip}</td>\n'
        f"      <td>{e(name)}</td>\n"
        f'      <td class="summary">{e(Truncator(row["summary"]).chars(40))}</td>\n'
        f'      <td><span class="state state-{e(row["state"])}">{e(_label(Matter, "state", row["state"]))}</span>'
        "</td>\n"
        f"      <td>{e(_user_name(row['owner__full_name'], row['owner__username']))}{handover}</td>\n"
        f"      <td>{e(institution)}</td>\n"
        f"      <td>{deadline}</td>\n"
        f"      <td><small>{e(_ymd(created))} {created.hour:02d}:{created.minute:02d} · "
        f"{e(_label(Visit, 'channel', row['visit__channel']))}"
        f"<br>{e(row['node__name'])}</small></td>\n"
        "    </tr>"
    )


@login_required
@require_GET
def matter_list(request: HttpRequest) -> HttpResponse:
    if scoping.scope_for(request.user).is_empty:
        raise PermissionDenied("您的账号没有可查看事项的角色。")
    state = request.GET.get("state", "")
    state = state if state in MatterState.values else ""
    kind = request.GET.get("kind", "")
    kind = kind if kind in MatterKind.values else ""
    matters = selectors.matter_list(actor=request.user, state=state, kind=kind)
    counts = selectors.matter_list_counts(actor=request.user, state=state, kind=kind)
    paginator = Paginator(matters, 30)
    paginator.__dict__["count"] = counts.total  # counted above with the others, not once more
    page = paginator.get_page(request.GET.get("page"))
    today = clock.today()
    link = path_pattern("desk:matter", 0)  # once, not per row (issue 21)
    rows = []
    for row in selectors.matter_list_rows(cast(QuerySet[Matter], page.object_list)):  # a slice of ``matters``
        due = selectors.row_due(row)
        overdue = due is not None and due < today  # ``selectors.is_overdue``
        rows.append({"matter": row, "html": _list_row(row, link.format(row["id"]), due, overdue)})
    return render(
        request,
        "matters/matter_list.html",
        {
            "page": page,
            "rows": rows,
            "state": state,
            "kind": kind,
            "states": MatterState.choices,
            "kinds": MatterKind.choices,
            "handovers": list(selectors.handovers_for(actor=request.user)) if counts.offered else [],
            "open_count": counts.mine_open,
            "query": urlencode({"state": state, "kind": kind}),
        },
    )


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    if not scoping.scope_for(request.user).institution_ids:
        raise PermissionDenied("只有机构承办人有承接待办。")
    today = clock.today()
    boxes = selectors.handler_inbox(actor=request.user)
    institutions = institution_access.visible_institutions(request.user).filter(
        pk__in=scoping.scope_for(request.user).institution_ids
    )
    return render(
        request,
        "matters/inbox.html",
        {
            "institutions": institutions,
            "to_accept": [
                {"matter": m, "overdue": selectors.is_overdue(m, today)} for m in boxes["to_accept"]
            ],
            "to_finish": [
                {"matter": m, "overdue": selectors.is_overdue(m, today)} for m in boxes["to_finish"]
            ],
        },
    )


@login_required
@require_GET
def tasks(request: HttpRequest) -> HttpResponse:
    if not scoping.scope_for(request.user).view_paths:
        raise PermissionDenied("只有司法所等平台工作人员有“最多跑一次”待办。")
    include_done = request.GET.get("all") == "1"
    today = clock.today()
    rows = [
        {
            "matter": m,
            "overdue": m.one_trip_due is not None
            and m.one_trip_due < today
            and m.state in selectors.ONE_TRIP_OPEN_STATES,
            "done": m.state not in selectors.ONE_TRIP_OPEN_STATES,
        }
        for m in selectors.one_trip_tasks(actor=request.user, include_done=include_done)[:500]
    ]
    rows.sort(key=lambda r: (not r["overdue"], r["done"]))  # stable: overdue first, then by due date
    return render(
        request,
        "matters/tasks.html",
        {"rows": rows, "include_done": include_done, "roots": list(node_access.root_nodes_for(request.user))},
    )
