"""Hardship standards kept by each district (and the city) on a page of their own, not only in the admin."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from lawdesk.accounts import scoping
from lawdesk.core.audit import audit
from lawdesk.core.audit_actions import AuditAction
from lawdesk.core.service import service
from lawdesk.legalaid.models import HardshipStandard
from lawdesk.orgs import access as node_access
from lawdesk.orgs.models import OrgNode
from lawdesk.orgs.rules import NodeKind

BUREAUS = (NodeKind.DISTRICT_BUREAU, NodeKind.CITY_BUREAU)


class StandardForm(forms.ModelForm):
    class Meta:
        model = HardshipStandard
        fields = [
            "monthly_income_per_head",
            "lowered_for_vulnerable",
            "effective_from",
            "effective_to",
            "basis",
        ]
        widgets = {
            "effective_from": forms.DateInput(attrs={"type": "date"}),
            "effective_to": forms.DateInput(attrs={"type": "date"}),
        }


@service(AuditAction.LEGALAID_STANDARD_ADDED)
def standard_add(*, actor: Any, node: OrgNode, data: dict[str, Any]) -> HardshipStandard:
    """A new period of ``node``'s standard; periods of one bureau may not overlap (the model says which)."""
    if node.kind not in BUREAUS or not scoping.can_manage_node(actor, node):
        raise PermissionDenied("只有区(县)司法局或市局管理员可以设定经济困难标准。")
    standard = HardshipStandard(node=node, **data)
    standard.full_clean()
    with transaction.atomic():
        standard.save()
        audit(actor=actor, action="legalaid.standard_added", obj=standard, node=node)
    return standard


@login_required
@require_http_methods(["GET", "POST"])
def standards(request: HttpRequest, node_id: int) -> HttpResponse:
    node = node_access.get_node_for(request.user, node_id)
    if node.kind not in BUREAUS:
        raise PermissionDenied("经济困难标准由区(县)司法局或市局设定。")
    can_edit = scoping.can_manage_node(request.user, node)
    form = StandardForm(request.POST or None, instance=HardshipStandard(node=node))
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("只有区(县)司法局或市局管理员可以设定经济困难标准。")
        if form.is_valid():
            data = {f: form.cleaned_data[f] for f in StandardForm.Meta.fields}
            try:
                standard_add(actor=request.user, node=node, data=data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "已保存经济困难标准。")
                return redirect("legalaid:standards", node_id=node.pk)
    context = {
        "node": node,
        "standards": HardshipStandard.objects.filter(node=node).order_by("-effective_from"),
        "form": form,
        "can_edit": can_edit,
    }
    return render(request, "legalaid/standards.html", context)
