"""Forms of the outreach pages. They shape the input; the services decide what is valid and say why in Chinese."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from lawdesk.accounts import scoping
from lawdesk.accounts.models import User
from lawdesk.core.forms import LabelledCheckboxes, RowChoiceIterator
from lawdesk.matters import access as matter_access
from lawdesk.matters.models import Matter, MatterKind
from lawdesk.orgs.models import OrgNode, subtree_q
from lawdesk.orgs.rules import NodeKind
from lawdesk.outreach.models import (
    Activity,
    Channel,
    MemberCategory,
    PoorVillage,
    PublicityDuty,
    PublicityKind,
    ServiceTeam,
    TeamKind,
)

REQUIRED = {"required": "此项必填。"}
NUMBER = {
    "required": "此项必填。",
    "invalid": "请填写整数。",
    "min_value": "不能小于%(limit_value)s。",
    "max_value": "不能大于%(limit_value)s。",
}
DATE = {"required": "请填写日期。", "invalid": "日期格式应为 YYYY-MM-DD。"}
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
RECENT_MATTER_DAYS = 120
MAX_MATTERS = 200


class NodeChoice(forms.ModelChoiceField):
    iterator = RowChoiceIterator  # the districts' offices and stations, the teams: as rows (issue 21)
    label_fields = ("name",)

    def label_from_row(self, name: str) -> str:
        return name

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class PersonChoice(forms.ModelChoiceField):
    iterator = RowChoiceIterator  # as User.__str__, from rows (issue 21)
    label_fields = ("full_name", "username")

    def label_from_row(self, full_name: str, username: str) -> str:
        return full_name or username


class _DistrictsForm(forms.Form):
    def __init__(self, *args: Any, districts: QuerySet[OrgNode], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.districts = districts
        if "district" in self.fields:
            field = self.fields["district"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = districts
            if districts.count() == 1:
                field.initial = districts.first()


def _in_districts_q(districts: QuerySet[OrgNode], prefix: str = "") -> Q:
    q = Q(**{f"{prefix}pk__in": []})
    for district in districts:
        q |= subtree_q(district.path, prefix)
    return q


class VillageForm(_DistrictsForm):
    district = NodeChoice(label="区(县)司法局", queryset=OrgNode.objects.none(), error_messages=REQUIRED)
    name = forms.CharField(label="村名", max_length=100, error_messages=REQUIRED)
    region_code = forms.CharField(label="区划代码(12位)", max_length=12, error_messages=REQUIRED)
    office = NodeChoice(
        label="所属司法所", queryset=OrgNode.objects.none(), required=False, empty_label="（不指定）"
    )
    station = NodeChoice(
        label="村公共法律服务站", queryset=OrgNode.objects.none(), required=False, empty_label="（尚未设站）"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        within = _in_districts_q(self.districts)
        office = self.fields["office"]
        station = self.fields["station"]
        assert isinstance(office, forms.ModelChoiceField) and isinstance(station, forms.ModelChoiceField)
        office.queryset = OrgNode.objects.filter(within, kind=NodeKind.JUDICIAL_OFFICE, is_active=True)
        station.queryset = OrgNode.objects.filter(within, kind=NodeKind.VILLAGE_STATION, is_active=True)


class TeamForm(_DistrictsForm):
    district = NodeChoice(label="区(县)司法局", queryset=OrgNode.objects.none(), error_messages=REQUIRED)
    name = forms.CharField(label="名称", max_length=100, error_messages=REQUIRED)
    kind = forms.ChoiceField(label="类型", choices=TeamKind.choices, error_messages=REQUIRED)
    lead = PersonChoice(label="负责人", queryset=User.objects.none(), error_messages=REQUIRED)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lead = self.fields["lead"]
        assert isinstance(lead, forms.ModelChoiceField)
        # the people holding a role in any of the districts, in one query (not one per district: issue 21)
        people = scoping.users_holding(people_only=True, within=self.districts)
        lead.queryset = User.objects.filter(pk__in=people.values("pk")).order_by("username")


class MemberForm(forms.Form):
    team = NodeChoice(label="服务团(队)", queryset=ServiceTeam.objects.none(), error_messages=REQUIRED)
    name = forms.CharField(label="姓名", max_length=50, error_messages=REQUIRED)
    category = forms.ChoiceField(label="人员类别", choices=MemberCategory.choices, error_messages=REQUIRED)

    def __init__(self, *args: Any, teams: QuerySet[ServiceTeam], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team = self.fields["team"]
        assert isinstance(team, forms.ModelChoiceField)
        team.queryset = teams
        if teams.count() == 1:
            team.initial = teams.first()


def _matter_label(node_name: str, kind_label: str, summary: str) -> str:
    return f"{node_name} · {kind_label} · {summary[:30]}"


_KINDS = dict(MatterKind.choices)


class MatterChoice(forms.ModelMultipleChoiceField):
    iterator = RowChoiceIterator
    label_fields = ("node__name", "kind", "summary")

    def label_from_row(self, node_name: str, kind: str, summary: str) -> str:
        return _matter_label(node_name, _KINDS.get(kind, kind), summary)

    def label_from_instance(self, obj: Any) -> str:
        return _matter_label(obj.node.name, obj.get_kind_display(), obj.summary)


class ServiceForm(forms.Form):
    village = NodeChoice(label="贫困村", queryset=PoorVillage.objects.none(), error_messages=REQUIRED)
    team = NodeChoice(label="服务团(队)", queryset=ServiceTeam.objects.none(), error_messages=REQUIRED)
    date = forms.DateField(label="服务日期", widget=DATE_WIDGET, error_messages=DATE)
    activities = forms.MultipleChoiceField(
        label="服务内容",
        choices=Activity.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一项服务内容。"},
    )
    description = forms.CharField(
        label="服务情况", widget=forms.Textarea(attrs={"rows": 3}), error_messages=REQUIRED
    )
    people_served = forms.IntegerField(label="服务人数", min_value=1, error_messages=NUMBER)
    matters = MatterChoice(
        label="服务中受理的事项",
        queryset=Matter.objects.none(),
        required=False,
        widget=LabelledCheckboxes,
        help_text=f"近{RECENT_MATTER_DAYS}天本区(县)受理、您有权查看的事项（最多{MAX_MATTERS}项）。",
    )

    def __init__(
        self, *args: Any, actor: Any, villages: QuerySet[PoorVillage], teams: QuerySet[ServiceTeam],
        districts: QuerySet[OrgNode], today: datetime.date, **kwargs: Any,
    ) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        for name, queryset in (
            ("village", villages.filter(active=True)),
            ("team", teams.filter(active=True)),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset
        matters = self.fields["matters"]
        assert isinstance(matters, forms.ModelMultipleChoiceField)
        # Taken in since the start of that day here: a bound on the column (``created_at__date`` would convert
        # every row's timestamp first, in Python on SQLite).
        since = timezone.make_aware(
            datetime.datetime.combine(today - datetime.timedelta(days=RECENT_MATTER_DAYS), datetime.time.min)
        )
        recent = (
            matter_access.visible_matters(actor)
            .filter(_in_districts_q(districts, "node__"), created_at__gte=since)
            .order_by("-created_at")
        )
        # at most the latest MAX_MATTERS, so a city-wide actor's form stays short; the scope is applied once,
        # here, and the choices are exactly these
        latest = list(recent.values_list("pk", flat=True)[:MAX_MATTERS])
        matters.queryset = Matter.objects.filter(pk__in=latest).select_related("node").order_by("-created_at")
        self.fields["date"].widget.attrs["max"] = today.isoformat()


_NODE_KINDS = dict(NodeKind.choices)


class NodeWithKindChoice(forms.ModelChoiceField):
    iterator = RowChoiceIterator  # a city's hundreds of platforms and offices, as rows (issue 21)
    label_fields = ("name", "kind")

    def label_from_row(self, name: str, kind: str) -> str:
        return f"{name}（{_NODE_KINDS.get(kind, kind)}）"

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.get_kind_display()}）"


class DutyChoice(forms.ModelChoiceField):
    iterator = RowChoiceIterator  # as rows (issue 21)
    label_fields = ("node__name", "year", "department")

    def label_from_row(self, node_name: str, year: int, department: str) -> str:
        return f"{node_name} · {year}年 · {department}"

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.node.name} · {obj.year}年 · {obj.department}"


class EventForm(forms.Form):
    node = NodeWithKindChoice(label="登记单位", queryset=OrgNode.objects.none(), error_messages=REQUIRED)
    kind = forms.ChoiceField(
        label="活动类型",
        choices=PublicityKind.choices,
        initial=PublicityKind.PUBLICITY,
        error_messages=REQUIRED,
    )
    date = forms.DateField(label="日期", widget=DATE_WIDGET, error_messages=DATE)
    place = forms.CharField(label="地点", max_length=200, error_messages=REQUIRED)
    theme = forms.CharField(label="主题", max_length=200, error_messages=REQUIRED)
    organiser = forms.CharField(label="组织单位", max_length=100, error_messages=REQUIRED)
    channels = forms.MultipleChoiceField(
        label="宣传媒介和渠道", choices=Channel.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    duty = DutyChoice(
        label="履行的普法责任",
        queryset=PublicityDuty.objects.none(),
        required=False,
        empty_label="（不指定）",
    )
    department = forms.CharField(
        label="责任部门", max_length=100, required=False, help_text="不填时取所选普法责任的部门。"
    )
    audience_count = forms.IntegerField(label="受众人数", min_value=0, error_messages=NUMBER)
    materials_count = forms.IntegerField(label="发放资料(份)", min_value=0, initial=0, error_messages=NUMBER)

    def __init__(
        self, *args: Any, nodes: QuerySet[OrgNode], duties: QuerySet[PublicityDuty], home: Any = None, **kwargs: Any
    ) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        node = self.fields["node"]
        duty = self.fields["duty"]
        assert isinstance(node, forms.ModelChoiceField) and isinstance(duty, forms.ModelChoiceField)
        node.queryset = nodes
        node.initial = home if home is not None else nodes.first()
        duty.queryset = duties


class DutyForm(forms.Form):
    node = NodeChoice(label="所属司法局", queryset=OrgNode.objects.none(), error_messages=REQUIRED)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, error_messages=NUMBER)
    department = forms.CharField(label="责任部门", max_length=100, error_messages=REQUIRED)
    laws = forms.CharField(
        label="负责普及的法律法规", widget=forms.Textarea(attrs={"rows": 2}), error_messages=REQUIRED
    )
    contact = forms.CharField(label="联系人及电话", max_length=100, required=False)
    active = forms.BooleanField(label="在册", required=False, initial=True)

    def __init__(self, *args: Any, nodes: QuerySet[OrgNode], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        node = self.fields["node"]
        assert isinstance(node, forms.ModelChoiceField)
        node.queryset = nodes
        if nodes.count() == 1:
            node.initial = nodes.first()
