"""Forms of the complaints register: they shape the input; the services decide what is valid and say why."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue

from lawdesk.accounts import scoping
from lawdesk.accounts.models import RoleAssignment, User
from lawdesk.complaints.services import DEPARTMENT_KINDS
from lawdesk.institutions import access as institution_access
from lawdesk.institutions.models import Institution
from lawdesk.matters import services as matter_services
from lawdesk.matters.models import Channel, ToldVia
from lawdesk.orgs import access as node_access
from lawdesk.orgs.models import OrgNode


def _text(label: str, max_length: int | None = None, rows: int = 0, **attrs: Any) -> forms.CharField:
    widget: forms.Widget = (
        forms.Textarea(attrs={"rows": rows, **attrs}) if rows else forms.TextInput(attrs=attrs)
    )
    return forms.CharField(label=label, required=False, max_length=max_length, widget=widget, strip=False)


def _subject_label(user: Any, assignments: list[RoleAssignment]) -> str:
    where = "、".join(f"{a.get_role_display()}·{a.institution or a.node}" for a in assignments)
    return f"{user}（{where}）" if where else str(user)


class _SubjectChoices(ModelChoiceIterator):
    """Every subject's roles read in one query for the whole list, not one query per option."""

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        users = list(self.queryset.all())
        roles = scoping.assignments_by_user([u.pk for u in users])
        for user in users:
            yield (
                ModelChoiceIteratorValue(self.field.prepare_value(user), user),
                _subject_label(user, roles.get(user.pk, [])),
            )


class _GivenNodes(ModelChoiceIterator):
    """The options from the nodes the form was given, already read in the queryset's order (path): Django's
    iterator reads the queryset again for each pass, and a select passes twice (its first option decides the
    ``required`` attribute, then every option)."""

    def __iter__(self) -> Any:
        field: Any = self.field
        if field.empty_label is not None:
            yield ("", field.empty_label)
        for node in field.given:
            yield (ModelChoiceIteratorValue(field.prepare_value(node), node), field.label_from_instance(node))

    def __len__(self) -> int:
        field: Any = self.field
        return len(field.given) + (field.empty_label is not None)

    def __bool__(self) -> bool:
        field: Any = self.field
        return field.empty_label is not None or bool(field.given)


class GivenNodeChoiceField(forms.ModelChoiceField):
    """Options from ``given`` (set with the queryset of exactly those nodes, in its order); validated against
    the queryset, as Django's."""

    iterator = _GivenNodes
    given: list[OrgNode] = []


class SubjectChoiceField(forms.ModelChoiceField):
    iterator = _SubjectChoices

    def label_from_instance(self, obj: Any) -> str:
        return _subject_label(obj, scoping.assignments_of(obj))


def departments_for(actor: Any) -> QuerySet[Institution]:
    return (
        institution_access.visible_institutions(actor)
        .filter(kind__in=DEPARTMENT_KINDS, is_active=True)
        .order_by("name")
    )


def subjects_for(actor: Any) -> QuerySet[User]:
    """Workers the actor may name as the subject: users with a role in the actor's reach, or handlers of an
    institution the actor sees (lawyers, notaries, mediators…)."""
    q = Q(
        pk__in=scoping.users_holding(institution_id=institution_access.visible_institutions(actor)).values(
            "pk"
        )
    )
    for root in node_access.root_nodes_for(actor):
        q |= Q(pk__in=scoping.users_holding(within=root).values("pk"))
    return (
        User.objects.filter(q, is_active=True, online_intake__isnull=True)
        .exclude(pk=actor.pk)
        .order_by("full_name", "username")
    )


def intake_nodes(actor: Any) -> list[OrgNode]:
    return [
        n
        for n in node_access.visible_nodes(actor).filter(is_active=True).order_by("path")
        if matter_services.can_receive_at(actor, n)
    ][:200]


class ComplaintForm(forms.Form):
    node = GivenNodeChoiceField(
        label="登记平台",
        queryset=OrgNode.objects.none(),
        error_messages={"required": "请选择登记平台。", "invalid_choice": "请选择您所在的平台。"},
    )
    channel = forms.ChoiceField(
        label="投诉途径", choices=Channel.choices, initial=Channel.ON_SITE,
        error_messages={"invalid_choice": "投诉途径无效。"},
    )  # fmt: skip
    received_at = forms.DateTimeField(
        label="投诉时间",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={"invalid": "投诉时间格式不正确（应为 年-月-日 时:分）。"},
        help_text="留空为现在。",
    )
    anonymous = forms.BooleanField(label="匿名投诉（投诉人不愿留名）", required=False)
    contact_name = _text("投诉人姓名", max_length=50)
    contact_phone = _text("联系电话（用于答复，可不填）", max_length=30)
    subject_user = SubjectChoiceField(
        label="被投诉人（平台用户）",
        required=False,
        queryset=User.objects.none(),
        empty_label="（不是平台用户，手工填写）",
        error_messages={"invalid_choice": "请从名单中选择被投诉人。"},
    )
    subject_name = _text("被投诉人姓名", max_length=50)
    subject_unit = _text("被投诉单位", max_length=100)
    statement = _text("投诉事项（如实记录投诉人所述）", rows=6)
    department = forms.ModelChoiceField(
        label="转交部门（可稍后转交）",
        required=False,
        queryset=Institution.objects.none(),
        empty_label="（暂不转交）",
        error_messages={"invalid_choice": "请从名录中选择处理部门。"},
    )
    client_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, actor: Any, nodes: list[OrgNode] | None = None, **kwargs: Any) -> None:
        """``nodes``: intake_nodes(actor), when the caller has them already."""
        super().__init__(*args, **kwargs)
        if nodes is None:
            nodes = intake_nodes(actor)
        node_field = self.fields["node"]
        assert isinstance(node_field, GivenNodeChoiceField)
        node_field.given = sorted(nodes, key=lambda n: n.path)  # the queryset's order
        node_field.queryset = OrgNode.objects.filter(pk__in=[n.pk for n in nodes]).order_by("path")
        if len(nodes) == 1:
            node_field.initial = nodes[0].pk
            node_field.empty_label = None
        subject_field = self.fields["subject_user"]
        assert isinstance(subject_field, forms.ModelChoiceField)
        subject_field.queryset = subjects_for(actor)
        department_field = self.fields["department"]
        assert isinstance(department_field, forms.ModelChoiceField)
        department_field.queryset = departments_for(actor)
        if not self.is_bound:
            self.initial.setdefault("client_token", uuid.uuid4())


class PassOnForm(forms.Form):
    department = forms.ModelChoiceField(
        label="转交部门",
        queryset=Institution.objects.none(),
        error_messages={"required": "请选择转交部门。", "invalid_choice": "请从名录中选择处理部门。"},
    )
    note = _text("转交说明", max_length=500)

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = departments_for(actor)


class AcknowledgeForm(forms.Form):
    note = _text("说明（可不填）", max_length=500)


class AnswerForm(forms.Form):
    answer = _text("处理结果（对投诉的答复）", rows=4)


RESPONSE_CHOICES = [("", "请选择"), ("yes", "满意"), ("no", "不满意")]


class ResponseForm(forms.Form):
    via = forms.ChoiceField(
        label="答复方式", choices=ToldVia.choices, initial=ToldVia.PHONE,
        error_messages={"invalid_choice": "请选择答复投诉人的方式。", "required": "请选择答复投诉人的方式。"},
    )  # fmt: skip
    satisfied = forms.ChoiceField(label="投诉人是否满意", choices=RESPONSE_CHOICES, required=False)
    response = _text("投诉人意见", rows=2)

    def satisfied_value(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("satisfied", ""))


class NoteForm(forms.Form):
    text = _text("补充记录（更正或补充，原记录不变）", rows=2)


class ComplaintTellForm(forms.Form):
    """Telling the complainant the answer, as a command of the complaint's table (the API's ``tell-citizen`` and
    the matter page): how they were told, whether they are satisfied, what they said."""

    told_via = forms.ChoiceField(
        label="答复方式", choices=ToldVia.choices, initial=ToldVia.PHONE,
        error_messages={"invalid_choice": "请选择答复投诉人的方式。", "required": "请选择答复投诉人的方式。"},
    )  # fmt: skip
    satisfied = forms.ChoiceField(label="投诉人是否满意", choices=RESPONSE_CHOICES, required=False)
    note = _text("投诉人意见", rows=2)
