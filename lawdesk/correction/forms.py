"""Forms of the correction pages. They shape the input; the services decide what is valid and say why."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from lawdesk.correction.models import (
    END_STATUSES,
    MANUAL_KINDS,
    CorrectionType,
    Gender,
    HelpKind,
    ReleasedRecordKind,
    SuperviseeStatus,
    SupervisionLevel,
    TeamRole,
)
from lawdesk.orgs.models import OrgNode

REQUIRED = {"required": "此项必填。"}
DATE = {"required": "请填写日期。", "invalid": "日期格式应为 YYYY-MM-DD。"}
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
BLANK = [("", "—")]


def _date(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE_WIDGET, error_messages=DATE)


class NodeChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class _OfficeForm(forms.Form):
    def __init__(self, *args: Any, offices: QuerySet[OrgNode], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["office"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = offices
        if offices.count() == 1:
            field.initial = offices.first()


class SuperviseeForm(_OfficeForm):
    office = NodeChoice(label="负责司法所", queryset=OrgNode.objects.none(), error_messages=REQUIRED)
    name = forms.CharField(label="姓名", max_length=50, error_messages=REQUIRED)
    id_number = forms.CharField(label="身份证号", max_length=18, error_messages=REQUIRED)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    address = forms.CharField(label="居住地址", max_length=200, required=False)
    workplace = forms.CharField(label="工作单位(就读学校)", max_length=200, required=False)
    correction_type = forms.ChoiceField(label="矫正类别", choices=BLANK + CorrectionType.choices)
    court = forms.CharField(label="决定机关", max_length=100, error_messages=REQUIRED)
    crime = forms.CharField(label="罪名", max_length=100, error_messages=REQUIRED)
    decision_date = _date("判决(裁定、决定)生效日期")
    term_start = _date("矫正期起")
    term_end = _date("矫正期止")
    level = forms.ChoiceField(label="管理等级", choices=SupervisionLevel.choices, initial="ordinary")
    received_on = _date("报到日期（已报到的填写）", required=False)


class RecordForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=BLANK + MANUAL_KINDS, error_messages=REQUIRED)
    date = _date("日期")
    hours = forms.DecimalField(
        label="时长(小时)", max_digits=5, decimal_places=1, min_value=0, required=False,
        help_text="教育学习、公益活动填写",
    )  # fmt: skip
    help_kind = forms.ChoiceField(label="帮扶类别", choices=BLANK + HelpKind.choices, required=False)
    leave_from = _date("外出起", required=False)
    leave_to = _date("应返回日期", required=False)
    destination = forms.CharField(label="外出目的地", max_length=100, required=False)
    note = forms.CharField(label="情况记录", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class TeamForm(forms.Form):
    name = forms.CharField(label="成员姓名", max_length=50, error_messages=REQUIRED)
    role = forms.ChoiceField(label="身份", choices=TeamRole.choices)
    is_female = forms.BooleanField(label="女性成员", required=False)


class EndForm(forms.Form):
    status = forms.ChoiceField(
        label="结果", choices=[(s, SuperviseeStatus(s).label) for s in END_STATUSES], error_messages=REQUIRED
    )
    date = _date("日期")
    note = forms.CharField(label="情况记录", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ReturnForm(forms.Form):
    record = forms.IntegerField(widget=forms.HiddenInput)
    returned_on = _date("销假日期")


class ReleasedForm(_OfficeForm):
    office = NodeChoice(label="负责司法所", queryset=OrgNode.objects.none(), error_messages=REQUIRED)
    name = forms.CharField(label="姓名", max_length=50, error_messages=REQUIRED)
    id_number = forms.CharField(label="身份证号", max_length=18, error_messages=REQUIRED)
    gender = forms.ChoiceField(label="性别", choices=BLANK + Gender.choices, required=False)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    address = forms.CharField(label="居住地址", max_length=200, required=False)
    prison = forms.CharField(label="释放单位(监狱)", max_length=100, error_messages=REQUIRED)
    crime = forms.CharField(label="原罪名", max_length=100, required=False)
    notice_date = _date("收到释放通知日期")
    release_date = _date("释放日期")
    help_until = _date("帮教期满日期")


class HandoverForm(forms.Form):
    date = _date("衔接日期")
    assessment = forms.CharField(label="衔接评估", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    help_plan = forms.CharField(label="帮教方案", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    key_person = forms.BooleanField(label="列为重点帮教对象", required=False)


class ReleasedRecordForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=ReleasedRecordKind.choices)
    help_kind = forms.ChoiceField(label="帮扶类别", choices=BLANK + HelpKind.choices, required=False)
    date = _date("日期")
    note = forms.CharField(label="情况记录", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class CloseForm(forms.Form):
    date = _date("解除帮教日期")


class UpdateForm(forms.Form):
    """Contact details and level; an empty identity field keeps what is stored (the page never shows it)."""

    level = forms.ChoiceField(label="管理等级", choices=SupervisionLevel.choices)
    phone = forms.CharField(label="新的联系电话", max_length=30, required=False)
    address = forms.CharField(label="新的居住地址", max_length=200, required=False)
    workplace = forms.CharField(label="新的工作单位(就读学校)", max_length=200, required=False)
