"""The visit registration form: one person block, the channel, and one block per matter (prefix ``m0``, ``m1``…).

The forms only shape the input; every rule (required name, phone and ID number checks, service type of a
transfer…) is checked by ``services.visit_register``, whose errors the view puts beside the fields."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django import forms
from django.http import QueryDict

from lawdesk.core import normalise
from lawdesk.matters.models import Channel, LegalField, MatterKind, OneTripMode, ServiceType
from lawdesk.matters.services import MatterInput, PersonInput
from lawdesk.orgs.models import OrgNode
from lawdesk.people.models import ClientKind, Gender, VulnerableGroup

MAX_MATTERS = 10
PERSON_FIELDS = (
    "name",
    "phone",
    "id_number",
    "address",
    "gender",
    "groups",
    "client_kind",
    "credit_code",
    "contact_name",
)
MATTER_FIELDS = ("kind", "legal_field", "service_type", "summary", "answer", "one_trip_mode")
_MATTER_KEY = re.compile(r"^m(\d{1,2})-kind$")
_MATTER_INDEX = re.compile(r"^第(\d+)项事项：")


def numbered(choices: list[tuple[str, str]], blank: str | None = None) -> list[tuple[str, str]]:
    """Options starting with a digit, so that typing 1–9 on a focused select picks one (type-ahead)."""
    out = [("", blank)] if blank is not None else []
    out += [(value, f"{i} {label}") for i, (value, label) in enumerate(choices, start=1)]
    return out


def _text(attrs: dict[str, Any] | None = None, **extra: Any) -> forms.TextInput:
    return forms.TextInput(attrs={"autocomplete": "off", "data-enter-stop": "", **(attrs or {}), **extra})


class IntakeForm(forms.Form):
    platform = forms.TypedChoiceField(label="接待平台", coerce=int, required=False)
    person_id = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"data-role": "person-id"}))
    client_token = forms.CharField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(
        label="姓名", required=False, strip=False, widget=_text({"maxlength": 50, "data-hotkey": "n"})
    )
    phone = forms.CharField(
        label="联系电话",
        required=False,
        widget=_text({"maxlength": 30, "inputmode": "tel", "data-hotkey": "p", "data-check": "phone"}),
    )
    id_number = forms.CharField(
        label="身份证号",
        required=False,
        widget=_text({"maxlength": 18, "data-hotkey": "i", "data-check": "id", "spellcheck": "false"}),
    )
    address = forms.CharField(label="住址或单位", required=False, widget=_text({"maxlength": 200}))
    gender = forms.ChoiceField(label="性别", required=False, choices=Gender.choices, widget=forms.RadioSelect)
    groups = forms.MultipleChoiceField(
        label="特殊群体",
        required=False,
        choices=VulnerableGroup.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"data-role": "group"}),
    )
    client_kind = forms.ChoiceField(
        label="来访对象",
        required=False,
        initial=ClientKind.PERSON,
        choices=ClientKind.choices,
        widget=forms.RadioSelect(attrs={"data-role": "client-kind"}),
    )
    credit_code = forms.CharField(
        label="统一社会信用代码",
        required=False,
        widget=_text({"maxlength": 18, "spellcheck": "false", "autocapitalize": "characters"}),
    )
    contact_name = forms.CharField(label="联系人", required=False, widget=_text({"maxlength": 50}))
    channel = forms.ChoiceField(
        label="来访方式",
        required=False,
        initial=Channel.ON_SITE,
        # 排查 is set by the screening app when a committee's finding becomes a matter, never typed at the window
        choices=numbered([c for c in Channel.choices if c[0] != Channel.SCREENING]),
        widget=forms.RadioSelect(attrs={"data-role": "channel"}),
    )

    def __init__(self, *args: Any, platforms: list[OrgNode], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.platforms = platforms
        platform = self.fields["platform"]
        assert isinstance(platform, forms.TypedChoiceField)
        platform.choices = [(p.pk, p.name) for p in platforms]

    def clean_client_token(self) -> uuid.UUID | None:
        value = (self.cleaned_data.get("client_token") or "").strip()
        if not value:
            return None
        try:
            return uuid.UUID(value)
        except ValueError as exc:
            raise forms.ValidationError("登记表已失效（表单编号无效），请刷新页面后重新填写。") from exc

    def clean_phone(self) -> str:
        # Full-width digits (a Chinese keyboard's ５) are the same number: stored and matched in ASCII.
        return normalise.text(self.cleaned_data.get("phone") or "").strip()

    def clean_id_number(self) -> str:
        return normalise.text(self.cleaned_data.get("id_number") or "").strip()

    def platform_node(self) -> OrgNode:
        chosen = self.cleaned_data.get("platform")
        for node in self.platforms:
            if node.pk == chosen:
                return node
        return self.platforms[0]

    def person_input(self) -> PersonInput:
        data = self.cleaned_data
        return PersonInput(
            name=data.get("name") or "",
            phone=data.get("phone") or "",
            id_number=data.get("id_number") or "",
            address=data.get("address") or "",
            gender=data.get("gender") or "",
            groups=list(data.get("groups") or []),
            client_kind=data.get("client_kind") or ClientKind.PERSON,
            credit_code=data.get("credit_code") or "",
            contact_name=data.get("contact_name") or "",
        )


class MatterForm(forms.Form):
    kind = forms.ChoiceField(
        label="事项类别",
        required=False,
        initial=MatterKind.CONSULTATION,
        choices=numbered(MatterKind.choices),
        widget=forms.Select(attrs={"data-role": "kind", "data-hotkey": "k"}),
    )
    legal_field = forms.ChoiceField(
        label="咨询领域",
        required=False,
        choices=numbered(LegalField.choices, blank="（选择领域）"),
        widget=forms.Select(attrs={"data-role": "legal-field"}),
    )
    service_type = forms.ChoiceField(
        label="业务类别",
        required=False,
        choices=numbered(ServiceType.choices, blank="（选择业务类别）"),
        widget=forms.Select(attrs={"data-role": "service-type"}),
    )
    summary = forms.CharField(
        label="事项摘要",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "data-enter-stop": "", "data-role": "summary"}),
    )
    answer = forms.CharField(
        label="当场解答",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "data-role": "answer"}),
    )
    one_trip_mode = forms.ChoiceField(
        label="最多跑一次",
        required=False,
        choices=numbered(OneTripMode.choices, blank="（不需要）"),
        widget=forms.Select(attrs={"data-role": "one-trip"}),
    )

    def matter_input(self, *, vulnerable: bool) -> MatterInput:
        data = self.cleaned_data
        kind = data.get("kind") or ""
        return MatterInput(
            kind=kind,
            summary=data.get("summary") or "",
            legal_field=(data.get("legal_field") or "") if kind == MatterKind.CONSULTATION else "",
            service_type=(data.get("service_type") or "") if kind == MatterKind.SERVICE_TRANSFER else "",
            answer=data.get("answer") or "",
            # At-most-one-trip is offered only for a person flagged as vulnerable.
            one_trip_mode=(data.get("one_trip_mode") or "") if vulnerable else "",
        )


def matter_forms(data: QueryDict | None = None) -> list[MatterForm]:
    """One form per matter block posted (in the order of their prefixes), or one empty block."""
    if data is None:
        return [MatterForm(prefix="m0")]
    indexes = sorted({int(m.group(1)) for key in data if (m := _MATTER_KEY.match(key))})
    return [MatterForm(data, prefix=f"m{i}") for i in indexes[:MAX_MATTERS]] or [MatterForm(prefix="m0")]


def template_matter_form() -> MatterForm:
    """The block "再加一项" clones; intake.js replaces ``__i__`` with the next free index."""
    return MatterForm(prefix="m__i__")


def attach_errors(errors: dict[str, list[str]], form: IntakeForm, matters: list[MatterForm]) -> None:
    """Put each message of ``visit_register`` beside its field. Matter messages start with "第N项事项：",
    N counting the matters passed to the service, i.e. the blocks in order."""
    for key, messages in errors.items():
        for message in messages:
            if key in MATTER_FIELDS:
                found = _MATTER_INDEX.match(message)
                index = int(found.group(1)) - 1 if found else 0
                target = matters[index] if 0 <= index < len(matters) else matters[0]
                target.add_error(key, message)
            elif key in PERSON_FIELDS or key == "channel":
                form.add_error(key, message)
            elif key == "__all__" and "身份证" in message:
                form.add_error("id_number", message)
            else:
                form.add_error(None, message)
