"""Forms of the mediation pages. They shape the input; the services decide what is valid and say why in Chinese
under the field they name."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from lawdesk.institutions.models import Institution
from lawdesk.mediation.models import (
    AgreementForm,
    DisputeType,
    Guidance,
    MediationOutcome,
    PartyRole,
    PartyType,
)

NUMBER_MESSAGES = {
    "invalid": "请填写数字。",
    "max_digits": "数字太大。",
    "max_decimal_places": "最多两位小数。",
}


class DisputeForm(forms.Form):
    dispute_type = forms.ChoiceField(
        label="纠纷类型",
        choices=[("", "请选择"), *DisputeType.choices],
        required=False,
    )
    amount = forms.DecimalField(
        label="涉及金额(元)",
        required=False,
        max_digits=14,
        decimal_places=2,
        error_messages=NUMBER_MESSAGES,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    people_involved = forms.IntegerField(
        label="涉及人数",
        required=False,
        initial=1,
        error_messages={"invalid": "涉及人数请填写整数。"},
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    escalation_risk = forms.BooleanField(label="易激化（立即通知司法所和区司法局）", required=False)


class PartyForm(forms.Form):
    role = forms.ChoiceField(label="地位", choices=PartyRole.choices, initial=PartyRole.RESPONDENT)
    party_type = forms.ChoiceField(label="类别", choices=PartyType.choices, initial=PartyType.PERSON)
    name = forms.CharField(label="姓名或名称", required=False, max_length=100)
    phone = forms.CharField(label="联系电话", required=False, max_length=30)
    address = forms.CharField(label="住址或地址", required=False, max_length=200)


PartyFormSet = forms.formset_factory(PartyForm, extra=1, can_delete=True, max_num=30)


class RouteForm(forms.Form):
    committee = forms.ModelChoiceField(
        label="调解组织",
        queryset=Institution.objects.none(),
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "请从列出的调解组织中选择。"},
    )
    reason = forms.CharField(
        label="改选原因（与建议不同时必填）",
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, committees: QuerySet[Institution], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["committee"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = committees


class ResultForm(forms.Form):
    result = forms.ChoiceField(
        label="调解结果", choices=MediationOutcome.choices, required=False, widget=forms.RadioSelect
    )
    agreement_form = forms.ChoiceField(
        label="协议形式（调解成功时）",
        choices=[("", "—"), *AgreementForm.choices],
        required=False,
    )
    agreed_amount = forms.DecimalField(
        label="协议金额(元)",
        required=False,
        max_digits=14,
        decimal_places=2,
        error_messages=NUMBER_MESSAGES,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    guidance = forms.ChoiceField(
        label="引导途径（调解不成功时）", choices=[("", "—"), *Guidance.choices], required=False
    )
    guidance_text = forms.CharField(label="引导说明", required=False, max_length=300)
    judicial_confirmation_advised = forms.BooleanField(label="建议当事人申请司法确认", required=False)
    note = forms.CharField(
        label="调解情况（可不填）", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DisputeCommandForm(DisputeForm):
    """The dispute's details as one command (the API and the matter page's command endpoint): the parties as a
    list of ``{"name", "role", "party_type", "phone", "address"}``. The mediation page takes the same through a
    formset; the service checks both alike."""

    parties = forms.JSONField(
        label="当事人",
        required=False,
        error_messages={"invalid": "当事人应为列表，每项含姓名（name）及地位、类别、电话、地址。"},
    )

    def clean_parties(self) -> list[dict[str, Any]]:
        parties = self.cleaned_data.get("parties") or []
        if not isinstance(parties, list) or not all(isinstance(p, dict) for p in parties):
            raise forms.ValidationError("当事人应为列表，每项含姓名（name）及地位、类别、电话、地址。")
        allowed = {"name", "role", "party_type", "phone", "address"}
        for index, party in enumerate(parties, start=1):
            unknown = set(party) - allowed
            if unknown:
                raise forms.ValidationError(f"第{index}个当事人有无效的项：{'、'.join(sorted(unknown))}。")
        return [{k: str(v or "") for k, v in p.items()} for p in parties]
