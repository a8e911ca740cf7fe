"""The citizens' forms. Every form carries the honeypot ``website`` (hidden by CSS, left empty by people) and
``started`` (the signed time the form was shown)."""

from __future__ import annotations

from typing import Any

from django import forms

from lawdesk.core import normalise
from lawdesk.legalaid.models import Art32Situation, Category, ExemptGroup
from lawdesk.matters.models import LegalField
from lawdesk.online import services
from lawdesk.online.security import form_started_stamp
from lawdesk.people.models import VulnerableGroup

BIG = {"autocomplete": "off"}


class BotFields(forms.Form):
    website = forms.CharField(label="网址（请勿填写）", required=False)
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["started"] = form_started_stamp()
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})


def typed_phone(value: str) -> str:
    """A typed phone as ASCII digits (全角 digits, spaces and hyphens dropped); text without a digit is kept, so
    the check names it as a wrong number rather than a missing one."""
    digits = normalise.digits(value)
    return digits if digits else (value or "").strip()


class CitizenFields(forms.Form):
    name = forms.CharField(label="您的姓名", max_length=50, required=False)
    phone = forms.CharField(
        label="手机号码",
        max_length=20,
        required=False,
        help_text="用于查询进度和接收通知，不会公开。",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}),
    )

    def clean_phone(self) -> str:
        return typed_phone(self.cleaned_data.get("phone") or "")


def _station_choices() -> tuple[list[tuple[str, str]], list[tuple[str, str, int]]]:
    district_choices = [("", "请选择区(县)")]
    station_rows: list[tuple[str, str, int]] = []
    for district in services.districts():
        district_choices.append((str(district.pk), district.name.removesuffix("司法局")))
        for node in services.district_platforms(district):
            station_rows.append((str(node.pk), node.name, district.pk))
    return district_choices, station_rows


class PlaceFields(forms.Form):
    """The district and street pick-lists (the station list is filtered by district in online.js)."""

    district = forms.ChoiceField(label="所在区(县)", required=False)
    station = forms.ChoiceField(
        label="街道(镇)服务站", required=False, help_text="不清楚的可以不选，由区(县)公共法律服务中心受理。"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        districts, stations = _station_choices()
        district_field = self.fields["district"]
        station_field = self.fields["station"]
        assert isinstance(district_field, forms.ChoiceField) and isinstance(station_field, forms.ChoiceField)
        district_field.choices = districts
        station_field.choices = [("", "不选（由区县中心受理）")] + [(pk, name) for pk, name, _ in stations]
        self.station_rows = stations


class ConsultationForm(BotFields, PlaceFields, CitizenFields):
    legal_field = forms.ChoiceField(
        label="问题属于哪方面", choices=[("", "不清楚"), *list(LegalField.choices)], required=False
    )
    question = forms.CharField(label="您的问题", widget=forms.Textarea(attrs={"rows": 6}), required=False)


class ComplaintForm(BotFields, PlaceFields, CitizenFields):
    anonymous = forms.BooleanField(label="匿名投诉（不留姓名，仍需手机号以便查询和答复）", required=False)
    subject_name = forms.CharField(label="被投诉人（姓名或窗口）", max_length=50, required=False)
    subject_unit = forms.CharField(label="被投诉单位", max_length=100, required=False)
    statement = forms.CharField(
        label="投诉事项（请如实写明经过）", widget=forms.Textarea(attrs={"rows": 6}), required=False
    )


class SelfCheckForm(PlaceFields):
    category = forms.ChoiceField(
        label="您要申请法律援助的事项", choices=[("", "以上都不是"), *list(Category.choices)], required=False
    )
    art32_situation = forms.ChoiceField(
        label="是否属于以下情形（不受经济困难条件限制）",
        choices=[("", "都不属于"), *list(Art32Situation.choices)],
        required=False,
    )
    exempt_group = forms.ChoiceField(
        label="是否属于以下人员（免予核查经济困难状况）",
        choices=[("", "都不属于"), *list(ExemptGroup.choices)],
        required=False,
    )
    groups = forms.MultipleChoiceField(
        label="特殊群体（可多选）",
        choices=list(VulnerableGroup.choices),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    household_size = forms.IntegerField(
        label="家庭人口（人）", min_value=1, max_value=50, initial=1, required=False
    )
    monthly_income = forms.DecimalField(
        label="家庭月收入合计（元，没有收入填0）",
        min_value=0,
        max_digits=10,
        decimal_places=2,
        required=False,
    )


class LegalAidForm(BotFields, SelfCheckForm, CitizenFields):
    case_facts = forms.CharField(
        label="案情和申请理由", widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    opponent_name = forms.CharField(label="对方当事人（姓名或单位）", max_length=100, required=False)


class AppointmentForm(BotFields, CitizenFields):
    summary = forms.CharField(
        label="要咨询或办理的事情", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class TrackForm(forms.Form):
    code = forms.CharField(
        label="查询码", max_length=20, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    phone = forms.CharField(
        label="提交时填写的手机号",
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}),
    )

    def clean_code(self) -> str:
        return normalise.code(self.cleaned_data.get("code") or "")

    def clean_phone(self) -> str:
        return typed_phone(self.cleaned_data.get("phone") or "")


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="您对这次服务满意吗",
        coerce=int,
        choices=[
            (5, "5分 非常满意"),
            (4, "4分 满意"),
            (3, "3分 一般"),
            (2, "2分 不满意"),
            (1, "1分 很不满意"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择评分。", "invalid_choice": "请选择1到5分。"},
    )
    comment = forms.CharField(
        label="意见和建议（可不填）", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AskForm(forms.Form):
    q = forms.CharField(label="请输入您的问题", max_length=300)
