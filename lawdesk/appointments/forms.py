"""Forms of the appointment pages; the services do the checks that matter and return Chinese messages."""

from __future__ import annotations

from django import forms

from lawdesk.appointments.models import SlotKind

WEEKDAYS = [(0, "周一"), (1, "周二"), (2, "周三"), (3, "周四"), (4, "周五"), (5, "周六"), (6, "周日")]


class SlotForm(forms.Form):
    day = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label="开始时间", widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label="结束时间", widget=forms.TimeInput(attrs={"type": "time"}))
    kind = forms.ChoiceField(label="服务方式", choices=SlotKind.choices)
    capacity = forms.IntegerField(label="可预约人数", initial=1)
    note = forms.CharField(label="说明", max_length=200, required=False)
    repeat_until = forms.DateField(
        label="每周重复至（可选）",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="填写后按所选星期几在每个工作日生成时段，节假日自动跳过。",
    )
    weekdays = forms.TypedMultipleChoiceField(
        label="星期几", choices=WEEKDAYS, coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )


class BookForm(forms.Form):
    name = forms.CharField(label="预约人姓名", max_length=50, required=False)
    phone = forms.CharField(label="联系电话（接收提醒短信）", max_length=30, required=False)
    summary = forms.CharField(label="预约事项", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    channel = forms.ChoiceField(
        label="预约途径",
        choices=[("phone", "电话"), ("on_site", "现场"), ("online", "网上")],
        initial="phone",
        required=False,
    )


class RescheduleForm(forms.Form):
    slot = forms.IntegerField(label="新时段")
    note = forms.CharField(label="改约说明", max_length=300, required=False)


class CancelForm(forms.Form):
    reason = forms.CharField(label="取消原因", max_length=200, required=False)


class ServeForm(forms.Form):
    result = forms.CharField(label="服务结果", widget=forms.Textarea(attrs={"rows": 3}), required=False)
