"""The forms of the legal-aid pages: Chinese labels and messages; the services check the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from lawdesk.institutions.models import Institution
from lawdesk.legalaid.models import (
    Art32Situation,
    Category,
    Decision,
    ExemptGroup,
    LegalAidApplication,
    Material,
    OpponentType,
    ReviewOpinion,
)
from lawdesk.legalaid.services import ApplicationInput
from lawdesk.orgs import places

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _text(label: str, *, required: bool = False, max_length: int = 200, rows: int = 0) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=widget,
        error_messages={"required": f"请填写{label}。", "max_length": f"{label}不能超过{max_length}字。"},
    )


class ApplicationForm(forms.Form):
    applied_on = forms.DateField(
        label="申请日期",
        widget=DATE,
        error_messages={"required": "请填写申请日期。", "invalid": "申请日期格式不对。"},
    )
    category = forms.ChoiceField(
        label="事项类别（第三十一条）",
        required=False,
        choices=[("", "—— 不属于第三十一条所列 ——"), *Category.choices],
    )
    category_basis = _text("其他情形的依据")
    art32_situation = forms.ChoiceField(
        label="不受经济困难条件限制的情形（第三十二条）",
        required=False,
        choices=[("", "—— 无 ——"), *Art32Situation.choices],
    )
    exempt_group = forms.ChoiceField(
        label="免予核查经济困难状况的人员（第四十二条）",
        required=False,
        choices=[("", "—— 无 ——"), *ExemptGroup.choices],
    )
    case_facts = _text("案情及申请理由", required=True, max_length=4000, rows=4)
    opponent_name = _text("对方当事人", max_length=100)
    opponent_type = forms.ChoiceField(
        label="对方类型", choices=OpponentType.choices, initial=OpponentType.PERSON
    )
    opponent_contact = _text("对方联系方式或住所")
    household_size = forms.IntegerField(
        label="家庭人口数",
        min_value=1,
        max_value=50,
        initial=1,
        error_messages={
            "required": "请填写家庭人口数。",
            "invalid": "家庭人口数应为整数。",
            "min_value": "家庭人口数至少为1人。",
            "max_value": "家庭人口数不能超过50人。",
        },
    )
    monthly_income = forms.DecimalField(
        label="家庭月收入（元）",
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        error_messages={
            "invalid": "家庭月收入应为数字（单位：元）。",
            "min_value": "家庭月收入不能为负数。",
            "max_digits": "家庭月收入数额过大。",
            "max_decimal_places": "家庭月收入最多保留两位小数。",
        },
    )
    economic_note = _text("家庭经济状况说明", max_length=2000, rows=2)
    materials = forms.MultipleChoiceField(
        label="已接收材料",
        required=False,
        choices=Material.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "材料清单中有无效项目。"},
    )
    materials_other = _text("其他材料", max_length=300)
    poverty_area = forms.ChoiceField(
        label="居住的贫困地区（贫困村）",
        required=False,
        help_text="留守老人、留守妇女、留守儿童和残疾人居住在贫困村的，适用放宽标准并快速办理（实施方案五(四)4）。",
        error_messages={"invalid_choice": "请从本区登记的贫困村中选择。"},
    )

    def __init__(self, *args: Any, matter: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        areas = places.poverty_areas(matter.node) if matter is not None else []
        field = self.fields["poverty_area"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "不属于贫困地区"), *[(a, a) for a in areas]]

    @classmethod
    def initial_from(cls, application: LegalAidApplication) -> dict[str, Any]:
        fields = [
            "applied_on", "category", "category_basis", "art32_situation", "exempt_group", "case_facts",
            "opponent_name", "opponent_type", "opponent_contact", "household_size", "monthly_income",
            "economic_note", "materials", "materials_other", "poverty_area",
        ]  # fmt: skip
        return {name: getattr(application, name) for name in fields}

    def to_input(self) -> ApplicationInput:
        d = self.cleaned_data
        return ApplicationInput(
            applied_on=d["applied_on"],
            category=d["category"],
            category_basis=d["category_basis"],
            art32_situation=d["art32_situation"],
            exempt_group=d["exempt_group"],
            case_facts=d["case_facts"],
            opponent_name=d["opponent_name"],
            opponent_type=d["opponent_type"],
            opponent_contact=d["opponent_contact"],
            household_size=d["household_size"],
            monthly_income=d["monthly_income"],
            economic_note=d["economic_note"],
            materials=list(d["materials"]),
            materials_other=d["materials_other"],
            poverty_area=d.get("poverty_area") or "",
        )


class ReviewForm(forms.Form):
    opinion = forms.ChoiceField(
        label="初审意见",
        choices=ReviewOpinion.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择初审意见。", "invalid_choice": "初审意见无效。"},
    )
    note = _text("初审说明", max_length=1000, rows=2)


class CentreTransferForm(forms.Form):
    institution = forms.ModelChoiceField(
        label="法律援助中心",
        queryset=Institution.objects.none(),
        error_messages={
            "required": "请选择法律援助中心。",
            "invalid_choice": "该法律援助中心不在可移交的机构名录中。",
        },
    )
    note = _text("移交说明", max_length=500, rows=2)

    def __init__(self, *args: Any, institutions: QuerySet[Institution], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["institution"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = institutions


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="受理决定",
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择受理决定（给予或不予）。", "invalid_choice": "受理决定无效。"},
    )
    decided_on = forms.DateField(
        label="决定日期",
        widget=DATE,
        error_messages={"required": "请填写决定日期。", "invalid": "决定日期格式不对。"},
    )
    lawyer_name = _text("指派的法律援助人员", max_length=50)
    reason = _text("决定理由", max_length=1000, rows=2)
