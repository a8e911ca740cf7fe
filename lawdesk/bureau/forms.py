from __future__ import annotations

from typing import Any

from django import forms

from lawdesk.accounts import scoping
from lawdesk.accounts.models import User
from lawdesk.bureau.models import Area, Stage
from lawdesk.core.tree import NodeKind
from lawdesk.orgs.models import OrgNode

DATE = {"type": "date"}


def city_staff() -> Any:
    """Who may be linked to a division: people holding a role at the city bureau."""
    city = list(OrgNode.objects.filter(kind=NodeKind.CITY_BUREAU, is_active=True))
    if not city:
        return User.objects.none()
    return scoping.users_holding(at=city, people_only=True).order_by("full_name", "username")


class DivisionForm(forms.Form):
    name = forms.CharField(
        label="处(室)名称", max_length=50, error_messages={"required": "请填写处(室)名称。"}
    )
    areas = forms.MultipleChoiceField(
        label="对口负责领域", choices=Area.choices, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一个对口负责领域。", "invalid_choice": "对口负责领域无效。"},
    )  # fmt: skip
    head = forms.CharField(label="负责人", max_length=30, error_messages={"required": "请填写负责人。"})
    contact = forms.CharField(label="联系电话（办公）", max_length=30, required=False)
    staff = forms.ModelMultipleChoiceField(
        label="处(室)工作人员（可查看本处室问题）", queryset=User.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple, error_messages={"invalid_choice": "所选人员不在市局。"},
    )  # fmt: skip
    is_active = forms.BooleanField(label="启用", required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["staff"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = city_staff()


class SuperviseForm(forms.Form):
    problem_key = forms.CharField(max_length=40, widget=forms.HiddenInput)
    note = forms.CharField(label="督办意见", max_length=300, error_messages={"required": "请填写督办意见。"})


def _date(label: str, required: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
        error_messages={"required": f"请填写{label}。", "invalid": f"{label}格式不正确。"},
    )  # fmt: skip


class PlanForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for stage, label in Stage.choices:
            self.fields[stage] = _date(f"{label}计划完成日期")


class ReportForm(forms.Form):
    progress = forms.IntegerField(
        label="进度（%）", min_value=0, max_value=100,
        error_messages={"required": "请填写进度。", "invalid": "进度应为0到100的整数。",
                        "min_value": "进度应在0到100之间。", "max_value": "进度应在0到100之间。"},
    )  # fmt: skip
    actual_on = _date("实际完成日期")
    note = forms.CharField(
        label="进展说明", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
