"""Forms of the governance pages. They shape the input; the services decide what is valid and say why in Chinese."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from lawdesk.governance.criteria import CRITERIA
from lawdesk.governance.models import Adoption, Level, ReviewResult, SafetyKind
from lawdesk.orgs.models import OrgNode, Village

REQUIRED = {"required": "此项必填。"}
NUMBER = {"required": "此项必填。", "invalid": "请填写整数。", "min_value": "不能小于%(limit_value)s。"}
DATE = {"required": "请填写日期。", "invalid": "日期格式应为 YYYY-MM-DD。"}
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})


class NameChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        office = getattr(obj, "office", None)
        return f"{office.name} · {obj.name}" if office is not None else str(obj.name)


def _limit(form: forms.Form, name: str, queryset: QuerySet[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset
    if queryset.count() == 1:
        field.initial = queryset.first()


class ApplyForm(forms.Form):
    village = NameChoice(label="村(社区)", queryset=Village.objects.none(), error_messages=REQUIRED)
    level = forms.ChoiceField(label="申报级别", choices=Level.choices, initial=Level.DISTRICT)
    applied_on = forms.DateField(label="申报日期", widget=DATE_WIDGET, error_messages=DATE)
    summary = forms.CharField(label="创建情况", widget=TEXT, error_messages=REQUIRED)

    def __init__(self, *args: Any, villages: QuerySet[Village], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "village", villages)


class InspectForm(forms.Form):
    date = forms.DateField(label="检查日期", widget=DATE_WIDGET, error_messages=DATE)
    inspector = forms.CharField(label="检查人", max_length=100, error_messages=REQUIRED)
    criteria_met = forms.MultipleChoiceField(
        label="达到的标准", choices=CRITERIA, required=False, widget=forms.CheckboxSelectMultiple
    )
    findings = forms.CharField(label="检查情况", widget=TEXT, error_messages=REQUIRED)


class DecideForm(forms.Form):
    named = forms.TypedChoiceField(
        label="审定结果", choices=[("1", "命名"), ("0", "不予命名")], coerce=lambda v: v == "1",
        widget=forms.RadioSelect, error_messages=REQUIRED,
    )  # fmt: skip
    date = forms.DateField(label="审定日期", widget=DATE_WIDGET, error_messages=DATE)
    document = forms.CharField(label="命名文号", max_length=100, required=False)


class ReviewForm(forms.Form):
    result = forms.ChoiceField(label="复核结果", choices=ReviewResult.choices, widget=forms.RadioSelect)
    date = forms.DateField(label="复核日期", widget=DATE_WIDGET, error_messages=DATE)
    notes = forms.CharField(label="复核情况", widget=TEXT, error_messages=REQUIRED)


class OpinionForm(forms.Form):
    office = NameChoice(label="司法所", queryset=OrgNode.objects.none(), error_messages=REQUIRED)
    requester = forms.CharField(
        label="提请单位", max_length=100, error_messages=REQUIRED, help_text="如：小寨路街道党工委、办事处"
    )
    subject = forms.CharField(label="事项", max_length=200, error_messages=REQUIRED)
    requested_on = forms.DateField(label="提请日期", widget=DATE_WIDGET, error_messages=DATE)
    opinion_on = forms.DateField(label="出具日期", widget=DATE_WIDGET, error_messages=DATE)
    opinion = forms.CharField(label="意见建议内容", widget=TEXT, error_messages=REQUIRED)

    def __init__(self, *args: Any, offices: QuerySet[OrgNode], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "office", offices)


class AdoptionForm(forms.Form):
    adoption = forms.ChoiceField(
        label="采纳情况", choices=Adoption.choices, widget=forms.RadioSelect,
        error_messages={"required": "请选择采纳情况。"},
    )  # fmt: skip
    date = forms.DateField(label="反馈日期", widget=DATE_WIDGET, error_messages=DATE)
    note = forms.CharField(label="采纳说明", widget=TEXT, required=False)


class SafetyForm(forms.Form):
    office = NameChoice(label="司法所", queryset=OrgNode.objects.none(), error_messages=REQUIRED)
    date = forms.DateField(label="日期", widget=DATE_WIDGET, error_messages=DATE)
    kind = forms.ChoiceField(label="活动类型", choices=SafetyKind.choices, error_messages=REQUIRED)
    participants = forms.IntegerField(label="参与人数", min_value=1, error_messages=NUMBER)
    summary = forms.CharField(label="活动情况", widget=TEXT, error_messages=REQUIRED)

    def __init__(self, *args: Any, offices: QuerySet[OrgNode], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "office", offices)
