"""Pages of the star rating: standards, rounds (collect, score on site, publish, results, PDF per district),
drill-down from every score to its records, rectification tasks, population figures and the construction board.
Reads go through ``lawdesk.assessment.selectors`` (out of reach: 404); changes through the services."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lawdesk.accounts import scoping
from lawdesk.assessment import selectors, services
from lawdesk.assessment.models import (
    Grade,
    Measure,
    Method,
    Notice,
    PlatformPopulation,
    Rectification,
    RectificationStatus,
    RewardRule,
    RoundKind,
    RoundStatus,
    Score,
    Standard,
    StandardStatus,
    UnitKind,
)
from lawdesk.core import clock
from lawdesk.core.audit import mark_export
from lawdesk.core.http import xlsx_response
from lawdesk.core.urls_cache import path_pattern
from lawdesk.orgs import access as node_access
from lawdesk.orgs.models import OrgNode, subtree_q
from lawdesk.orgs.rules import PLATFORM_KINDS

EVIDENCE_ACCEPT = ".jpg,.jpeg,.png,.pdf"
PHOTO_ACCEPT = ".jpg,.jpeg,.png"


def _errors(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _require_view(actor: Any) -> None:
    if not scoping.scope_for(actor).view_paths:
        raise Http404("没有可查看的考核。")


# --- index -----------------------------------------------------------------------------------------------------


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    actor = request.user
    rounds = list(selectors.rounds_for(actor)[:50])
    tasks = list(selectors.rectifications_for(actor).exclude(status=RectificationStatus.CLOSED)[:50])
    if (
        not rounds
        and not tasks
        and not selectors.visible_districts(actor)
        and not selectors.organisable_nodes(actor)
    ):
        _require_view(actor)
    return render(
        request,
        "assessment/index.html",
        {
            "rounds": rounds,
            "tasks": tasks,
            "today": clock.today(),
            "can_create": bool(selectors.organisable_nodes(actor)),
            "districts": selectors.visible_districts(actor),
            "can_standards": services.can_manage_standards(actor),
        },
    )


# --- standards -------------------------------------------------------------------------------------------------


@login_required
@require_GET
def standards(request: HttpRequest) -> HttpResponse:
    if not selectors.can_see_standards(request.user):
        raise Http404("没有找到评定标准。")
    return render(
        request,
        "assessment/standards.html",
        {"standards": Standard.objects.all(), "can_manage": services.can_manage_standards(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def standard_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    standard = selectors.get_standard_for(actor, pk)
    can_manage = services.can_manage_standards(actor)
    errors: list[str] = []
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("只有市局管理员可以修改评定标准。")
        action = request.POST.get("action", "")
        try:
            if action == "new_version":
                copy = services.standard_new_version(actor=actor, standard=standard)
                messages.success(request, f"已另存为第{copy.version}版（草稿），修改后启用。")
                return redirect("assessment:standard", pk=copy.pk)
            if action == "save":
                weights, bands = _read_standard_form(request, standard)
                problems: list[str] = []
                excellent = _decimal(request.POST.get("excellent_score", ""), "优秀最低得分", problems)
                passing = _decimal(request.POST.get("pass_score", ""), "合格最低得分", problems)
                if problems:
                    raise ValidationError(problems)
                services.standard_update(
                    actor=actor, standard=standard, weights=weights, bands=bands, excellent_score=excellent,
                    pass_score=passing,
                )  # fmt: skip
                messages.success(request, "已保存。")
                return redirect("assessment:standard", pk=standard.pk)
            if action == "activate":
                services.standard_activate(actor=actor, standard=standard)
                messages.success(request, "已启用；此前的启用版本已停用，已开始的考核不受影响。")
                return redirect("assessment:standard", pk=standard.pk)
            if action == "retire":
                services.standard_retire(actor=actor, standard=standard)
                messages.success(request, "已停用。")
                return redirect("assessment:standard", pk=standard.pk)
            raise Http404("未知操作。")
        except ValidationError as exc:
            errors = exc.messages
    groups = []
    for group in standard.indicators.filter(parent__isnull=True).order_by("position"):
        groups.append((group, list(group.children.order_by("position"))))
    return render(
        request,
        "assessment/standard_detail.html",
        {
            "standard": standard,
            "groups": groups,
            "bands": standard.bands.order_by("-stars"),
            "total": services.leaf_weight_total(standard),
            "can_manage": can_manage,
            "editable": can_manage and standard.status == StandardStatus.DRAFT,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


def _read_standard_form(
    request: HttpRequest, standard: Standard
) -> tuple[dict[int, Decimal], dict[int, Decimal]]:
    weights: dict[int, Decimal] = {}
    bands: dict[int, Decimal] = {}
    problems = []
    for item in standard.indicators.filter(parent__isnull=False):
        text = request.POST.get(f"weight_{item.pk}", "").strip()
        try:
            weights[item.pk] = Decimal(text)
        except InvalidOperation:
            problems.append(f"指标{item.code}的分值“{text}”不是数字。")
    for band in standard.bands.all():
        text = request.POST.get(f"band_{band.stars}", "").strip()
        try:
            bands[band.stars] = Decimal(text)
        except InvalidOperation:
            problems.append(f"{band.stars}星的最低得分“{text}”不是数字。")
    if problems:
        raise ValidationError(problems)
    return weights, bands


# --- rounds ----------------------------------------------------------------------------------------------------


class RoundForm(forms.Form):
    organiser = forms.ModelChoiceField(label="组织单位", queryset=OrgNode.objects.none(), empty_label=None)
    title = forms.CharField(label="考核名称", max_length=100)
    kind = forms.ChoiceField(label="考核类型", choices=RoundKind.choices)
    period_start = forms.DateField(label="考核期起", widget=forms.DateInput(attrs={"type": "date"}))
    cut_off = forms.DateField(label="截止日期", widget=forms.DateInput(attrs={"type": "date"}))
    standard = forms.ModelChoiceField(
        label="评定标准", queryset=Standard.objects.filter(status=StandardStatus.ACTIVE), empty_label=None
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        nodes = selectors.organisable_nodes(actor)
        field = self.fields["organiser"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = OrgNode.objects.filter(pk__in=[n.pk for n in nodes]).order_by("path")


@login_required
@require_http_methods(["GET", "POST"])
def round_new(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not selectors.organisable_nodes(actor):
        raise PermissionDenied("只有区(县)司法局或市局管理员可以组织考核。")
    today = clock.today()
    quarter_start = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    form = RoundForm(
        request.POST or None,
        actor=actor,
        initial={
            "period_start": quarter_start,
            "cut_off": today,
            "title": f"{today.year}年第{(today.month - 1) // 3 + 1}季度平台考核",
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round_ = services.round_create(
                actor=actor, organiser=data["organiser"], title=data["title"], kind=data["kind"],
                period_start=data["period_start"], cut_off=data["cut_off"], standard=data["standard"],
            )  # fmt: skip
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, "考核已创建。到截止日期后点“自动评分”。")
            return redirect("assessment:round", pk=round_.pk)
    return render(request, "assessment/round_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    round_ = selectors.get_round_for(actor, pk)
    groups = selectors.entries_by_district(round_, actor)
    entries = [e for _, es in groups for e in es]
    district_rows = []
    if round_.status == RoundStatus.PUBLISHED:
        for district, members in groups:
            totals = [e.total or Decimal(0) for e in members]
            district_rows.append(
                {
                    "district": district,
                    "count": len(members),
                    "average": sum(totals, Decimal(0)) / len(totals),
                    "stars": sum(e.stars or 0 for e in members) / len(members),
                    "five": sum(1 for e in members if e.stars == 5),
                    "none": sum(1 for e in members if not e.stars),
                }
            )
        district_rows.sort(key=lambda r: -r["average"])  # type: ignore[operator]
    # Counted for every entry in two queries, not three per entry (issue 21).
    unscored = dict(
        Score.objects.filter(entry__in=entries, points__isnull=True)
        .order_by()
        .values_list("entry_id")
        .annotate(n=Count("id"))
    )
    tasks = {
        row["score__entry_id"]: row
        for row in Rectification.objects.filter(score__entry__in=entries)
        .order_by()
        .values("score__entry_id")
        .annotate(all=Count("id"), open=Count("id", filter=~Q(status=RectificationStatus.CLOSED)))
    }
    entry_url = path_pattern("assessment:entry", 0, 0)
    for entry in entries:
        entry.url = entry_url.format(round_.pk, entry.pk)  # type: ignore[attr-defined]
        entry.glyphs = "★" * min(entry.stars or 0, 5) + "☆" * (5 - min(entry.stars or 0, 5))  # type: ignore[attr-defined]
        entry.unscored = unscored.get(entry.pk, 0)  # type: ignore[attr-defined]
        counted = tasks.get(entry.pk, {})
        entry.all_tasks = counted.get("all", 0)  # type: ignore[attr-defined]
        entry.open_tasks = counted.get("open", 0)  # type: ignore[attr-defined]
    return render(
        request,
        "assessment/round_detail.html",
        {
            "round": round_,
            "groups": groups,
            "district_rows": district_rows,
            "entries": entries,
            "can_inspect": services.can_inspect(actor, round_),
            "can_apply": round_.status == RoundStatus.PUBLISHED and services.can_apply_rewards(actor, round_),
            "notices": selectors.notices_for(actor, round_.pk),
            "previous": services.previous_round(round_),
            "manual_count": round_.indicators.filter(method=Method.MANUAL).count(),
        },
    )


@login_required
@require_POST
def round_collect(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.get_round_for(request.user, pk)
    try:
        round_ = services.round_collect(actor=request.user, round_=round_)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(
            request,
            f"已按截止日期{round_.cut_off:%Y-%m-%d}的记录自动评分，共{round_.entries.count()}个平台。",
        )
    return redirect("assessment:round", pk=round_.pk)


@login_required
@require_POST
def round_publish(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.get_round_for(request.user, pk)
    try:
        services.round_publish(actor=request.user, round_=round_)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "考核结果已发布。")
    return redirect("assessment:round", pk=round_.pk)


@login_required
@require_GET
def round_report(request: HttpRequest, pk: int, district: int) -> HttpResponse:
    from lawdesk.assessment.pdf import render_report

    actor = request.user
    round_ = selectors.get_round_for(actor, pk)
    if round_.status != RoundStatus.PUBLISHED:
        raise Http404("考核结果尚未发布。")
    node = selectors.get_district_for(actor, district)
    entries = list(
        round_.entries.filter(subtree_q(node.path, "platform__")).select_related("platform").order_by("rank")
    )
    if not entries:
        raise Http404("该区(县)没有参评平台。")
    pdf = render_report(round_, node, entries)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"{round_.title}-{node.name}.pdf"
    response["Content-Disposition"] = f"attachment; filename=\"report.pdf\"; filename*=UTF-8''{quote(name)}"
    return response


# --- entries and scores -----------------------------------------------------------------------------------------


@login_required
@require_GET
def entry_detail(request: HttpRequest, pk: int, entry: int) -> HttpResponse:
    actor = request.user
    round_ = selectors.get_round_for(actor, pk)
    the_entry = selectors.get_entry_for(actor, round_, entry)
    can_inspect = services.can_inspect(actor, round_)
    return render(
        request,
        "assessment/entry_detail.html",
        {
            "round": round_,
            "entry": the_entry,
            "groups": selectors.grouped_scores(the_entry),
            "can_inspect": can_inspect,
            "can_score": can_inspect and round_.status == RoundStatus.COLLECTING,
            "owners": services.owner_candidates(the_entry.platform) if can_inspect else [],
            "photo_accept": PHOTO_ACCEPT,
            "default_deadline": clock.today() + datetime.timedelta(days=30),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def score_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The drill-down: an auto score's evidence records, a manual score's inspector entry; and the on-site form."""
    actor = request.user
    score = selectors.get_score_for(actor, pk)
    round_ = score.entry.round
    can_score = (
        services.can_inspect(actor, round_)
        and round_.status == RoundStatus.COLLECTING
        and score.indicator.method == Method.MANUAL
    )
    errors: dict[str, list[str]] = {}
    values = {"points": "" if score.points is None else f"{score.points.normalize():f}", "notes": score.notes}
    if request.method == "POST":
        if not can_score:
            raise PermissionDenied("该得分现在不能修改。")
        values = {"points": request.POST.get("points", "").strip(), "notes": request.POST.get("notes", "")}
        try:
            points = Decimal(values["points"])
        except InvalidOperation:
            errors["points"] = [f"得分“{values['points']}”不是数字。" if values["points"] else "请填写得分。"]
        else:
            try:
                services.score_manual(
                    actor=actor,
                    score=score,
                    points=points,
                    notes=values["notes"],
                    photos=request.FILES.getlist("photos"),
                )
            except ValidationError as exc:
                errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            else:
                messages.success(request, f"已保存“{score.indicator.name}”的现场评分。")
                return redirect(
                    reverse("assessment:entry", args=[round_.pk, score.entry.pk]) + f"#score-{score.pk}"
                )
    return render(
        request,
        "assessment/score_detail.html",
        {
            "score": score,
            "round": round_,
            "can_score": can_score,
            "errors": errors,
            "general_errors": errors.get("__all__", []),
            "values": values,
            "photo_accept": PHOTO_ACCEPT,
        },
        status=400 if errors else 200,
    )


@login_required
@require_GET
def file_download(request: HttpRequest, pk: int) -> FileResponse:
    f = selectors.get_file_for(request.user, pk)
    handle = f.file.storage.open(f.file.name, "rb")
    return FileResponse(
        handle, as_attachment=not f.is_image, filename=f.original_name, content_type=f.content_type
    )


# --- rectification ----------------------------------------------------------------------------------------------


@login_required
@require_POST
def rectification_new(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    score = selectors.get_score_for(actor, pk)
    owner = None
    owner_id = request.POST.get("owner", "")
    candidates = {str(u.pk): u for u in services.owner_candidates(score.entry.platform)}
    owner = candidates.get(owner_id)
    try:
        deadline = datetime.date.fromisoformat(request.POST.get("deadline", ""))
    except ValueError:
        messages.error(request, "整改期限：请填写有效日期。")
        return redirect(
            reverse("assessment:entry", args=[score.entry.round_id, score.entry_id]) + f"#score-{score.pk}"
        )
    try:
        task = services.rectification_create(
            actor=actor,
            score=score,
            owner=owner,
            deadline=deadline,
            description=request.POST.get("description", ""),
        )
    except ValidationError as exc:
        labels = {"owner": "整改责任人", "deadline": "整改期限", "description": "整改要求", "score": "指标"}
        for field, msgs in exc.message_dict.items():
            for msg in msgs:
                messages.error(request, f"{labels.get(field, '')}：{msg}" if field in labels else msg)
        return redirect(
            reverse("assessment:entry", args=[score.entry.round_id, score.entry_id]) + f"#score-{score.pk}"
        )
    messages.success(request, f"已下达整改任务，责任人{task.owner}，期限{task.deadline:%Y-%m-%d}。")
    return redirect("assessment:rectification", pk=task.pk)


@login_required
@require_GET
def rectifications(request: HttpRequest) -> HttpResponse:
    actor = request.user
    tasks = selectors.rectifications_for(actor)
    status = request.GET.get("status", "")
    if status in RectificationStatus.values:
        tasks = tasks.filter(status=status)
    return render(
        request,
        "assessment/rectifications.html",
        {
            "tasks": tasks[:500],
            "status": status,
            "statuses": RectificationStatus.choices,
            "today": clock.today(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def rectification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    task = selectors.get_rectification_for(actor, pk)
    errors: list[str] = []
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "submit":
                services.rectification_submit(
                    actor=actor, task=task, note=request.POST.get("evidence_note", ""),
                    files=request.FILES.getlist("files"),
                )  # fmt: skip
                messages.success(request, "整改情况已提交，待检查人员验收。")
            elif action == "verify":
                services.rectification_verify(actor=actor, task=task)
                messages.success(request, "整改已验收，任务关闭。")
            elif action == "reopen":
                services.rectification_reopen(actor=actor, task=task, reason=request.POST.get("reason", ""))
                messages.success(request, "已退回整改。")
            else:
                raise Http404("未知操作。")
        except ValidationError as exc:
            errors = exc.messages
        else:
            return redirect("assessment:rectification", pk=task.pk)
    return render(
        request,
        "assessment/rectification_detail.html",
        {
            "task": task,
            "files": task.files.all(),
            "can_submit": services.can_submit(actor, task) and task.status == RectificationStatus.OPEN,
            "can_verify": services.can_verify(actor, task) and task.status == RectificationStatus.SUBMITTED,
            "errors": errors,
            "accept": EVIDENCE_ACCEPT,
            "overdue": task.status != RectificationStatus.CLOSED and task.deadline < clock.today(),
            "note": request.POST.get("evidence_note", task.evidence_note) if errors else task.evidence_note,
        },
        status=400 if errors else 200,
    )


# --- population and the construction board ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def population(request: HttpRequest) -> HttpResponse:
    actor = request.user
    _require_view(actor)
    platforms = list(
        node_access.visible_nodes(actor).filter(kind__in=PLATFORM_KINDS, is_active=True).order_by("path")
    )
    errors: list[str] = []
    if request.method == "POST":
        node = node_access.get_node_for(actor, request.POST.get("node"))
        try:
            count = int(request.POST.get("population", ""))
            as_of = datetime.date.fromisoformat(request.POST.get("as_of", ""))
        except ValueError:
            errors.append("常住人口应为整数，统计日期应为有效日期。")
        else:
            try:
                services.population_set(actor=actor, node=node, population=count, as_of=as_of)
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                messages.success(request, f"已登记{node.name}服务人口{count}人。")
                return redirect("assessment:population")
    figures = {p.node_id: p for p in PlatformPopulation.objects.filter(node__in=platforms)}
    rows = [(p, figures.get(p.pk), scoping.can_manage_node(actor, p)) for p in platforms]
    return render(
        request,
        "assessment/population.html",
        {"rows": rows, "errors": errors, "today": clock.today()},
        status=400 if errors else 200,
    )


def _board_rows(rows: list[selectors.BoardRow]) -> SafeString:
    """The construction board's rows, as the template's loop over rows and checks wrote them (every piece
    escaped; the check's detail cut as ``truncatechars:24``): some hundred cells, not a dozen template nodes
    each (issue 21)."""
    out = []
    for row in rows:
        cells = "".join(
            f'<td class="{"ok" if c.ok else "lack"}"><a href="{escape(c.url)}" title="{escape(c.detail)}">'
            f"{'✓' if c.ok else '✗'}</a> <small>{escape(Truncator(c.detail).chars(24))}</small></td>"
            for c in row.checks
        )
        percent = row.percent
        out.append(
            f'\n    <tr data-testid="board-{row.platform.pk}"><td>{escape(row.platform.name)}</td>\n    {cells}'
            f'\n    <td><progress value="{percent}" max="100"></progress> {percent}%</td></tr>\n  '
        )
    return SafeString("".join(out))


@login_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    actor = request.user
    districts = selectors.visible_districts(actor)
    if not districts:
        raise Http404("没有可查看的区(县)。")
    chosen = (
        selectors.get_district_for(actor, request.GET["district"])
        if request.GET.get("district")
        else districts[0]
    )
    rows = selectors.construction_board(chosen, clock.today())
    done = sum(1 for r in rows if r.percent == 100)
    return render(
        request,
        "assessment/board.html",
        {
            "districts": districts,
            "chosen": chosen,
            "rows": rows,
            "board_rows": _board_rows(rows),
            "labels": selectors.BOARD_LABELS,
            "done": done,
            "average": round(sum(r.percent for r in rows) / len(rows)) if rows else 0,
        },
    )


# --- reward and penalty standards, notices -------------------------------------------------------------------


@login_required
@require_POST
def round_rewards(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.get_round_for(request.user, pk)
    try:
        notices = services.round_apply_rewards(actor=request.user, round_=round_)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("assessment:round", pk=round_.pk)
    commend = sum(1 for n in notices if n.measure == Measure.COMMEND)
    messages.success(
        request,
        f"已按奖惩标准发布通报{len(notices)}份：通报表扬{commend}份，通报批评{len(notices) - commend}份。",
    )
    return redirect(reverse("assessment:notices") + f"?round={round_.pk}")


def _decimal(text: str, label: str, problems: list[str]) -> Decimal | None:
    text = text.strip()
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        problems.append(f"{label}“{text}”不是数字。")
        return None


@login_required
@require_http_methods(["GET", "POST"])
def rules(request: HttpRequest) -> HttpResponse:
    """The city's quantified reward/penalty standards (七(九)); node roles read them, the city sets them."""
    actor = request.user
    _require_view(actor)
    can_manage = services.can_manage_standards(actor)
    errors: list[str] = []
    if request.method == "POST":
        post = request.POST
        rule = None
        if post.get("rule"):
            rule = selectors._get(RewardRule.objects.all(), post.get("rule"), "没有找到该奖惩标准。")
        low = _decimal(post.get("min_total", ""), "得分不低于", errors)
        high = _decimal(post.get("max_total", ""), "得分低于", errors)
        points = _decimal(post.get("points", ""), "年度考核加减分", errors) or Decimal(0)
        if not errors:
            try:
                services.rule_save(
                    actor=actor, rule=rule, name=post.get("name", ""), unit_kind=post.get("unit_kind", ""),
                    measure=post.get("measure", ""), grade=post.get("grade", ""), min_total=low, max_total=high,
                    points=points, wording=post.get("wording", ""), is_active=post.get("is_active", "1") == "1",
                )  # fmt: skip
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                messages.success(request, "奖惩标准已保存。")
                return redirect("assessment:rules")
    return render(
        request,
        "assessment/rules.html",
        {
            "rules": RewardRule.objects.all(),
            "can_manage": can_manage,
            "errors": errors,
            "unit_kinds": UnitKind.choices,
            "measures": Measure.choices,
            "grades": Grade.choices,
        },
        status=400 if errors else 200,
    )


@login_required
@require_GET
def notices(request: HttpRequest) -> HttpResponse:
    actor = request.user
    _require_view(actor)
    round_id = request.GET.get("round", "")
    rows = list(selectors.notices_for(actor, round_id))
    return render(request, "assessment/notices.html", {"notices": rows, "round_id": round_id})


NOTICE_HEADERS = [
    "通报编号",
    "奖惩措施",
    "被通报单位",
    "考核",
    "得分",
    "等次/星级",
    "年度考核加减分",
    "通报内容",
    "发布时间",
]


def _notice_row(n: Notice) -> list[Any]:
    level = (
        n.entry.get_grade_display()
        if n.entry.grade
        else (f"{n.entry.stars}星" if n.entry.stars else "无星级")
    )
    return [n.number, n.get_measure_display(), n.unit.name, n.round.title, n.entry.total, level, n.points, n.text,
            n.published_at]  # fmt: skip


@login_required
@require_GET
def notices_xlsx(request: HttpRequest) -> HttpResponse:
    from lawdesk.core import xlsx

    actor = request.user
    _require_view(actor)
    rows = list(selectors.notices_for(actor, request.GET.get("round", "")))
    workbook, sheet = xlsx.new_workbook("考核通报")
    xlsx.append(sheet, NOTICE_HEADERS)
    for n in rows:
        xlsx.append(sheet, _notice_row(n))
    response = xlsx_response(xlsx.save(workbook), "考核通报")
    # units, scores and measures: no citizen's personal data
    return mark_export(response, personal_data="none", rows=[n.pk for n in rows])


@login_required
@require_GET
def notices_pdf(request: HttpRequest) -> HttpResponse:
    from lawdesk.assessment.pdf import render_notices

    actor = request.user
    _require_view(actor)
    rows = list(selectors.notices_for(actor, request.GET.get("round", "")))
    response = HttpResponse(render_notices(rows), content_type="application/pdf")
    response["Content-Disposition"] = (
        f"attachment; filename=\"notices.pdf\"; filename*=UTF-8''{quote('考核通报.pdf')}"
    )
    return mark_export(response, personal_data="none", rows=[n.pk for n in rows])
