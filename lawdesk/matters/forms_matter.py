"""Forms of the matter page. They only shape the input: the services decide what is valid and say why, in
Chinese, under the field the service names (the field names here are the services' error keys)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from lawdesk.accounts.models import User
from lawdesk.institutions.models import Institution
from lawdesk.matters.attachments import ACCEPT_ATTR
from lawdesk.matters.models import Adoption, OneTripMode, ToldVia


def _text(label: str, max_length: int | None = None, rows: int = 0, **attrs: Any) -> forms.CharField:
    widget: forms.Widget = (
        forms.Textarea(attrs={"rows": rows, **attrs}) if rows else forms.TextInput(attrs=attrs)
    )
    return forms.CharField(label=label, required=False, max_length=max_length, widget=widget)


class AnswerForm(forms.Form):
    answer = _text("答复意见", rows=3)


class RedirectForm(forms.Form):
    department = forms.ModelChoiceField(
        label="从名录选择部门",
        required=False,
        queryset=Institution.objects.none(),
        empty_label="（不选，手工填写）",
        error_messages={"invalid_choice": "请从名录中选择部门。"},
    )
    redirect_reason = _text("指引原因", max_length=200, rows=2, placeholder="为什么不能在本平台办理")
    redirect_to = _text("指引去向", max_length=100, placeholder="应到哪个部门或机构办理")
    redirect_address = _text("地址", max_length=200)
    redirect_phone = _text("电话", max_length=30)

    def __init__(self, *args: Any, departments: QuerySet[Institution], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = departments

    def clean(self) -> dict[str, Any]:
        """A department picked from the directory fills whatever the clerk left empty."""
        data = super().clean() or {}
        department = data.get("department")
        if isinstance(department, Institution):
            for key, value in (
                ("redirect_to", department.name),
                ("redirect_address", department.address),
                ("redirect_phone", department.phone),
            ):
                if not data.get(key):
                    data[key] = value
        return data


def prefill_from(department: Institution) -> dict[str, Any]:
    return {
        "department": department.pk,
        "redirect_to": department.name,
        "redirect_address": department.address,
        "redirect_phone": department.phone,
    }


class TransferForm(forms.Form):
    institution = forms.ModelChoiceField(
        label="承接机构",
        queryset=Institution.objects.none(),
        error_messages={
            "required": "请选择承接机构。",
            "invalid_choice": "该机构不在可移交的机构名录中（须服务本平台）。",
        },
    )
    note = _text("移交说明", max_length=500, rows=2)

    def __init__(self, *args: Any, institutions: QuerySet[Institution], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["institution"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = institutions


class AcceptForm(forms.Form):
    note = _text("承接说明", max_length=500, rows=2)


class DeclineForm(forms.Form):
    reason = _text("退回原因", max_length=500, rows=2)


class OutcomeForm(forms.Form):
    outcome = _text("办理结果", rows=3)


class TellForm(forms.Form):
    told_via = forms.CharField(
        label="告知方式", required=False, widget=forms.RadioSelect(choices=ToldVia.choices)
    )
    adoption = forms.CharField(
        label="群众是否采纳意见", required=False, widget=forms.RadioSelect(choices=Adoption.choices)
    )
    note = _text("告知情况", max_length=500, rows=2)


RATING_CHOICES = [(i, f"{i}分") for i in range(5, 0, -1)]


class CloseForm(forms.Form):
    """Archiving takes no rating: staff never rate their own work. The citizen rates on the window tablet,
    at the kiosk or through the SMS link (lawdesk.quality, lawdesk.online), and that rating is kept."""


class HandoverForm(forms.Form):
    to_user = forms.ModelChoiceField(
        label="交接给",
        queryset=User.objects.none(),
        empty_label="请选择同事",
        error_messages={"required": "请选择接手的同事。", "invalid_choice": "该同事不在本平台工作。"},
    )
    note = _text("交接说明", max_length=500, rows=2)

    def __init__(self, *args: Any, colleagues: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = colleagues


class HandoverWithdrawForm(forms.Form):
    note = _text("说明", max_length=500, rows=1)


class HandoverConfirmForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", "确认接手"), ("refuse", "拒绝")],
        error_messages={"required": "请选择确认接手或拒绝。", "invalid_choice": "请选择确认接手或拒绝。"},
    )
    note = _text("说明", max_length=500, rows=1)


class OneTripForm(forms.Form):
    one_trip_mode = forms.CharField(
        label="服务方式", required=False, widget=forms.RadioSelect(choices=OneTripMode.choices)
    )
    one_trip_due = forms.DateField(
        label="期限",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "请填写有效的日期。"},
        help_text="不填则按办结期限计算。",
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_ATTR}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class AttachmentForm(forms.Form):
    upload = MultipleFileField(
        label="上传材料",
        required=False,
        allow_empty_file=True,  # the service refuses empty files, naming them
        error_messages={"invalid": "没有收到文件，请重新选择。"},
    )

    def clean_upload(self) -> list[Any]:
        files = self.cleaned_data.get("upload") or []
        if not files:
            raise forms.ValidationError("请选择要上传的文件（可多选）。")
        return list(files)
