"""Forms of the screening and warning pages. They shape the input; the services decide what is valid and say why
in Chinese."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms

from lawdesk.institutions.models import Institution
from lawdesk.mediation.models import DisputeType
from lawdesk.orgs.models import Village
from lawdesk.screening.models import Disposition
from lawdesk.screening.services import FindingInput

REQUIRED = {"required": "此项必填。"}
DATE = {"required": "请填写日期。", "invalid": "日期格式应为 YYYY-MM-DD。"}
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FINDING_ROWS = 3


class CommitteeChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class VillageChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.office.name}·{obj.name}"


class RoundForm(forms.Form):
    committee = CommitteeChoice(
        label="人民调解委员会", queryset=Institution.objects.none(), error_messages=REQUIRED
    )
    village = VillageChoice(
        label="排查村(社区)", queryset=Village.objects.none(), required=False, empty_label="（全部辖区）"
    )
    date = forms.DateField(label="排查日期", widget=DATE_WIDGET, error_messages=DATE)
    households = forms.IntegerField(
        label="走访户数",
        min_value=0,
        initial=0,
        error_messages={"invalid": "请填写整数。", "min_value": "不能为负数。"},
    )
    summary = forms.CharField(label="排查情况", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(
        self, *args: Any, committees: list[Institution], villages: Any, today: datetime.date, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        committee_field = self.fields["committee"]
        village_field = self.fields["village"]
        assert isinstance(committee_field, forms.ModelChoiceField)
        assert isinstance(village_field, forms.ModelChoiceField)
        committee_field.queryset = Institution.objects.filter(pk__in=[c.pk for c in committees]).order_by(
            "name"
        )
        if len(committees) == 1:
            committee_field.initial = committees[0]
        village_field.queryset = villages
        self.fields["date"].initial = today
        self.fields["date"].widget.attrs["max"] = today.isoformat()
        for index in range(FINDING_ROWS):
            self.fields[f"f{index}_disposition"] = forms.ChoiceField(
                label="处理方式", required=False, choices=[("", "（不填）"), *Disposition.choices]
            )
            self.fields[f"f{index}_dispute_type"] = forms.ChoiceField(
                label="纠纷类型", required=False, choices=[("", "（请选择）"), *DisputeType.choices]
            )
            self.fields[f"f{index}_description"] = forms.CharField(
                label="纠纷情况", required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.fields[f"f{index}_applicant"] = forms.CharField(
                label="当事人", required=False, max_length=100
            )
            self.fields[f"f{index}_counterpart"] = forms.CharField(
                label="对方当事人（单位或个人）", required=False, max_length=100
            )
            self.fields[f"f{index}_people_involved"] = forms.IntegerField(
                label="涉及人数", required=False, min_value=1, initial=1,
                error_messages={"invalid": "请填写整数。", "min_value": "至少为1人。"},
            )  # fmt: skip
            self.fields[f"f{index}_escalation_risk"] = forms.BooleanField(label="易激化", required=False)

    def finding_rows(self) -> list[list[forms.BoundField]]:
        names = ["disposition", "dispute_type", "description", "applicant", "counterpart", "people_involved",
                 "escalation_risk"]  # fmt: skip
        return [[self[f"f{i}_{n}"] for n in names] for i in range(FINDING_ROWS)]

    def findings(self) -> list[FindingInput]:
        data = self.cleaned_data
        found = []
        for index in range(FINDING_ROWS):
            disposition = data.get(f"f{index}_disposition") or ""
            if not disposition:
                continue
            found.append(
                FindingInput(
                    disposition=disposition,
                    description=data.get(f"f{index}_description") or "",
                    dispute_type=data.get(f"f{index}_dispute_type") or "",
                    applicant=data.get(f"f{index}_applicant") or "",
                    counterpart=data.get(f"f{index}_counterpart") or "",
                    people_involved=data.get(f"f{index}_people_involved") or 1,
                    escalation_risk=bool(data.get(f"f{index}_escalation_risk")),
                )
            )
        return found


class RegisterForm(forms.Form):
    phone = forms.CharField(label="当事人联系电话（选填）", required=False, max_length=30)


class HandleForm(forms.Form):
    note = forms.CharField(
        label="处置情况", widget=forms.Textarea(attrs={"rows": 3}), error_messages=REQUIRED
    )
