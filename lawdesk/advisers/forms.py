"""Forms of the advisers' pages. They shape the input; the services decide what is valid and say why in Chinese."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from lawdesk.accounts import scoping
from lawdesk.accounts.models import Role, User
from lawdesk.advisers.models import AdviserContract, MemberCategory, ServiceKind
from lawdesk.advisers.services import ADVISER_INSTITUTIONS
from lawdesk.core.forms import RowChoiceIterator
from lawdesk.institutions.models import Institution
from lawdesk.orgs.models import OrgNode, Village

REQUIRED = {"required": "此项必填。"}
DATE = {"required": "请填写日期。", "invalid": "日期格式应为 YYYY-MM-DD。"}
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VillageChoice(forms.ModelChoiceField):
    iterator = RowChoiceIterator  # the offices' villages, as rows (issue 21)
    label_fields = ("office__name", "name")

    def label_from_row(self, office_name: str, name: str) -> str:
        return f"{office_name} · {name}"

    def label_from_instance(self, obj: Any) -> str:
        return self.label_from_row(obj.office.name, obj.name)


class AdviserChoice(forms.ModelChoiceField):
    iterator = RowChoiceIterator  # as User.__str__, from rows
    label_fields = ("full_name", "username")

    def label_from_row(self, full_name: str, username: str) -> str:
        return full_name or username


class NameChoice(forms.ModelChoiceField):
    iterator = RowChoiceIterator  # a model whose __str__ is its name, from rows
    label_fields = ("name",)

    def label_from_row(self, name: str) -> str:
        return name


class ContractForm(forms.Form):
    village = VillageChoice(label="村(社区)", queryset=Village.objects.none(), error_messages=REQUIRED)
    adviser = AdviserChoice(label="法律顾问", queryset=User.objects.none(), error_messages=REQUIRED)
    institution = NameChoice(
        label="所在机构(律师事务所/基层法律服务所)",
        queryset=Institution.objects.none(),
        error_messages=REQUIRED,
    )
    start = forms.DateField(label="合同起始日期", widget=DATE_WIDGET, error_messages=DATE)
    end = forms.DateField(label="合同截止日期", widget=DATE_WIDGET, error_messages=DATE)
    signed = forms.DateField(label="签订日期", widget=DATE_WIDGET, error_messages=DATE)

    def __init__(
        self, *args: Any, villages: QuerySet[Village], offices: QuerySet[OrgNode], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        village = self.fields["village"]
        adviser = self.fields["adviser"]
        institution = self.fields["institution"]
        assert isinstance(village, forms.ModelChoiceField)
        assert isinstance(adviser, forms.ModelChoiceField)
        assert isinstance(institution, forms.ModelChoiceField)
        village.queryset = villages
        adviser.queryset = scoping.users_holding(Role.LEGAL_ADVISER, at=list(offices)).order_by("username")
        institution.queryset = Institution.objects.filter(kind__in=ADVISER_INSTITUTIONS).order_by("name")


class RecordForm(forms.Form):
    contract = forms.ModelChoiceField(
        label="服务的村(社区)", queryset=AdviserContract.objects.none(), error_messages=REQUIRED
    )
    date = forms.DateField(label="服务日期", widget=DATE_WIDGET, error_messages=DATE)
    kind = forms.ChoiceField(label="服务类型", choices=ServiceKind.choices, error_messages=REQUIRED)
    hours = forms.DecimalField(
        label="服务时长(小时)", max_digits=4, decimal_places=1, min_value=0,
        error_messages={"required": "此项必填。", "invalid": "请填写数字，如1.5。"},
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )  # fmt: skip
    people_served = forms.IntegerField(
        label="服务人次", min_value=0, error_messages={"required": "此项必填。", "invalid": "请填写整数。"},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )  # fmt: skip
    description = forms.CharField(
        label="服务情况", widget=forms.Textarea(attrs={"rows": 3}), error_messages=REQUIRED
    )

    def __init__(self, *args: Any, contracts: QuerySet[AdviserContract], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["contract"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = contracts
        field.label_from_instance = lambda c: f"{c.village.name}（合同至{c.end:%Y-%m-%d}）"  # type: ignore[method-assign,assignment]
        if contracts.count() == 1:
            field.initial = contracts.first()


class CheckForm(forms.Form):
    comment = forms.CharField(label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class GroupForm(forms.Form):
    office = forms.ModelChoiceField(
        label="牵头司法所", queryset=OrgNode.objects.none(), error_messages=REQUIRED
    )
    name = forms.CharField(label="群名称", max_length=100, error_messages=REQUIRED)
    created = forms.DateField(label="建群日期", widget=DATE_WIDGET, error_messages=DATE)

    def __init__(self, *args: Any, offices: QuerySet[OrgNode], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["office"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = offices
        field.label_from_instance = lambda o: str(o.name)  # type: ignore[method-assign,assignment]
        if offices.count() == 1:
            field.initial = offices.first()


class MemberForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50, error_messages=REQUIRED)
    category = forms.ChoiceField(label="人员类别", choices=MemberCategory.choices, error_messages=REQUIRED)
    village = forms.ModelChoiceField(
        label="村(社区)", queryset=Village.objects.none(), required=False, empty_label="（不属于某村）"
    )
    phone = forms.CharField(label="联系电话", max_length=30, required=False)

    def __init__(self, *args: Any, villages: QuerySet[Village], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["village"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = villages
