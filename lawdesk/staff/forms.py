"""Forms of the staff pages. They shape the input; the services decide what is valid and say why in Chinese."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from lawdesk.accounts.models import Role, StaffCategory, User
from lawdesk.accounts.services import BUREAU_RESERVED_ROLES
from lawdesk.core.forms import RowChoiceIterator
from lawdesk.orgs.models import OrgNode
from lawdesk.staff.models import CourseKind

REQUIRED = {"required": "此项必填。"}
DATE = {"required": "请填写日期。", "invalid": "日期格式应为 YYYY-MM-DD。"}
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
HOURS = {"required": "请填写学时。", "invalid": "学时须为数字。"}
# Roles a bureau admin may grant on the page (the handler's is held at an institution: the system admin's).
PAGE_ROLES = [
    (value, label)
    for value, label in Role.choices
    if value not in BUREAU_RESERVED_ROLES and value != Role.HANDLER
]


class UnitChoice(forms.ModelChoiceField):
    iterator = RowChoiceIterator  # the city's hundreds of units, as rows
    label_fields = ("depth", "name")
    rows: list[tuple[Any, ...]] | None = None  # ``unit_rows(units)``, when read once for the page's forms

    @classmethod
    def unit_rows(cls, units: QuerySet[OrgNode]) -> list[tuple[Any, ...]]:
        """The options' rows of ``units``, to read once for the several forms of a page."""
        return list(units.values_list("pk", *cls.label_fields))

    def label_from_row(self, depth: int, name: str) -> str:
        return f"{'　' * max(depth - 1, 0)}{name}"

    def label_from_instance(self, obj: Any) -> str:
        return self.label_from_row(obj.depth, obj.name)


class _ProfileFields(forms.Form):
    full_name = forms.CharField(label="姓名", max_length=50, error_messages=REQUIRED)
    phone = forms.CharField(label="手机号", max_length=30, required=False)
    staff_category = forms.ChoiceField(
        label="人员类别", choices=[("", "—请选择—"), *StaffCategory.choices], error_messages=REQUIRED
    )
    node = UnitChoice(label="所在单位", queryset=OrgNode.objects.none(), error_messages=REQUIRED)
    post = forms.CharField(label="岗位", max_length=50, error_messages=REQUIRED)
    duty = forms.CharField(label="职责", max_length=200, required=False)

    def __init__(
        self,
        *args: Any,
        units: QuerySet[OrgNode],
        unit_rows: list[tuple[Any, ...]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        node = self.fields["node"]
        assert isinstance(node, UnitChoice)
        node.queryset = units
        node.rows = unit_rows


class StaffCreateForm(_ProfileFields):
    username = forms.CharField(label="用户名", max_length=150, error_messages=REQUIRED)
    password = forms.CharField(
        label="初始密码",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages=REQUIRED,
        help_text="至少8个字符，含大写字母、小写字母、数字、符号中的至少3类；本人首次登录时须修改。",
    )
    field_order = ["username", "full_name", "phone", "staff_category", "node", "post", "duty", "password"]


class StaffUpdateForm(_ProfileFields):
    """The phone is never shown in full: left empty, it stays as it is."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phone"].label = "手机号（留空则不变）"


class RoleGrantForm(forms.Form):
    role = forms.ChoiceField(label="角色", choices=[("", "—请选择—"), *PAGE_ROLES], error_messages=REQUIRED)
    node = UnitChoice(label="所在节点", queryset=OrgNode.objects.none(), error_messages=REQUIRED)

    def __init__(
        self,
        *args: Any,
        units: QuerySet[OrgNode],
        unit_rows: list[tuple[Any, ...]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        node = self.fields["node"]
        assert isinstance(node, UnitChoice)
        node.queryset = units
        node.rows = unit_rows


class CourseForm(forms.Form):
    title = forms.CharField(label="培训名称", max_length=100, error_messages=REQUIRED)
    organiser = UnitChoice(label="组织单位", queryset=OrgNode.objects.none(), error_messages=REQUIRED)
    kind = forms.ChoiceField(
        label="培训类型", choices=[("", "—请选择—"), *CourseKind.choices], error_messages=REQUIRED
    )
    start = forms.DateField(label="开始日期", widget=DATE_WIDGET, error_messages=DATE)
    end = forms.DateField(label="结束日期", widget=DATE_WIDGET, error_messages=DATE)
    hours = forms.DecimalField(label="学时", max_digits=5, decimal_places=1, error_messages=HOURS)
    place = forms.CharField(label="地点", max_length=100, required=False)

    def __init__(self, *args: Any, units: QuerySet[OrgNode], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organiser = self.fields["organiser"]
        assert isinstance(organiser, forms.ModelChoiceField)
        organiser.queryset = units


class WorkerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_full_name()}（{obj.username}）"


class AttendanceForm(forms.Form):
    user = WorkerChoice(label="参训人员", queryset=User.objects.none(), error_messages=REQUIRED)
    hours = forms.DecimalField(label="获得学时", max_digits=5, decimal_places=1, error_messages=HOURS)
    passed = forms.BooleanField(label="考核合格", required=False, initial=True)
    certificate_number = forms.CharField(label="证书编号", max_length=50, required=False)

    def __init__(self, *args: Any, workers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.fields["user"]
        assert isinstance(user, forms.ModelChoiceField)
        user.queryset = workers


class RequirementForm(forms.Form):
    annual_hours = forms.DecimalField(
        label="每年应完成学时", max_digits=5, decimal_places=1, error_messages=HOURS
    )
