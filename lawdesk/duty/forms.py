from __future__ import annotations

import datetime
from typing import Any

from django import forms

from lawdesk.accounts.models import User
from lawdesk.duty.models import Post, Session


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj}（{obj.get_staff_category_display()}）" if obj.staff_category else str(obj)


class ShiftForm(forms.Form):
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           error_messages={"required": "请填写日期。", "invalid": "日期格式不正确。"})  # fmt: skip
    session = forms.ChoiceField(
        label="时段", choices=Session.choices, error_messages={"required": "请选择时段。"}
    )
    person = PersonField(
        label="值班人员",
        queryset=User.objects.none(),
        error_messages={"required": "请选择值班人员。", "invalid_choice": "所选人员不能在本平台值班。"},
    )
    post = forms.ChoiceField(label="岗位", choices=Post.choices, error_messages={"required": "请选择岗位。"})
    duty = forms.CharField(label="职责", max_length=200, required=False,
                           widget=forms.TextInput(attrs={"placeholder": "如：接待来访、解答咨询、登记台帐"}))  # fmt: skip
    start = forms.TimeField(label="开始时间", required=False, help_text="留空按坐班时间",
                            widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                            error_messages={"invalid": "时间格式不正确。"})  # fmt: skip
    end = forms.TimeField(label="结束时间", required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                          error_messages={"invalid": "时间格式不正确。"})  # fmt: skip

    def __init__(self, *args: Any, people: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(pk__in=[p.pk for p in people]).order_by("full_name", "username")

    def clean_date(self) -> datetime.date:
        from lawdesk.duty.services import check_date

        day: datetime.date = self.cleaned_data["date"]
        error = check_date(day)
        if error:
            raise forms.ValidationError(error)
        return day


class CopyWeekForm(forms.Form):
    target = forms.DateField(label="复制到（该周任一天）", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                             error_messages={"required": "请选择要复制到的周。", "invalid": "日期格式不正确。"})  # fmt: skip


def parse_week(value: str | None, today: datetime.date) -> datetime.date:
    try:
        day = datetime.date.fromisoformat(value) if value else today
    except ValueError:
        day = today
    return day - datetime.timedelta(days=day.weekday())


def parse_month(value: str | None, today: datetime.date) -> tuple[int, int]:
    try:
        year, month = (int(x) for x in (value or "").split("-"))
        datetime.date(year, month, 1)
    except ValueError:
        return today.year, today.month
    return year, month
