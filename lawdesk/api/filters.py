"""Query filters (django-filter). A node or institution given as a filter must be in the actor's reach
(``scoping``); otherwise the filter is refused with a Chinese message naming it."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.request import Request

from lawdesk.api.errors import LabelledValidationError
from lawdesk.appointments.models import AppointmentStatus, SlotKind
from lawdesk.core import clock
from lawdesk.institutions import access as institution_access
from lawdesk.institutions.models import InstitutionKind
from lawdesk.matters.models import Channel, MatterKind, MatterState
from lawdesk.orgs import access as node_access
from lawdesk.orgs.models import OrgNode, subtree_q


class LabelledFilterBackend(DjangoFilterBackend):
    """Invalid filters answer 400 with each message prefixed by the filter's Chinese label."""

    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: Any) -> QuerySet[Any]:
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            errors: dict[str, list[str]] = {}
            for name, messages in filterset.errors.items():
                field = filterset.form.fields.get(name)
                label = str(field.label) if field is not None and field.label else name
                errors[name] = [f"{label}：{m}" for m in messages]
            raise LabelledValidationError(errors)
        return filterset.qs


def _visible_nodes(request: Any) -> QuerySet[OrgNode]:
    return node_access.visible_nodes(request.user) if request is not None else OrgNode.objects.none()


def _visible_institutions(request: Any) -> Any:
    return institution_access.visible_institutions(request.user) if request is not None else None


def _day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def _node_filter(label: str, help_text: str) -> Any:
    return extend_schema_field(OpenApiTypes.INT)(
        django_filters.ModelChoiceFilter(
            queryset=_visible_nodes, method="filter_node", label=label, help_text=help_text
        )
    )


class DateRangeMixin:
    """``date_from`` / ``date_to`` (days, both included, local time) on ``date_field``."""

    date_field = "created_at"

    def filter_from(self, queryset: QuerySet[Any], name: str, value: datetime.date) -> QuerySet[Any]:
        return queryset.filter(**{f"{self.date_field}__gte": _day_start(value)})

    def filter_to(self, queryset: QuerySet[Any], name: str, value: datetime.date) -> QuerySet[Any]:
        return queryset.filter(**{f"{self.date_field}__lt": _day_start(value + datetime.timedelta(days=1))})

    def filter_node(self, queryset: QuerySet[Any], name: str, value: OrgNode) -> QuerySet[Any]:
        return queryset.filter(subtree_q(value.path, "node__"))


# Dates a filter accepts: far enough for any record, near enough that a day's bounds never overflow.
FIRST_DAY = datetime.date(2000, 1, 1)
LAST_DAY = datetime.date(2100, 12, 31)
DATE_VALIDATORS = [
    MinValueValidator(FIRST_DAY, message="日期不能早于2000年1月1日。"),
    MaxValueValidator(LAST_DAY, message="日期不能晚于2100年12月31日。"),
]


def _date(label: str, method: str) -> django_filters.DateFilter:
    return django_filters.DateFilter(label=label, method=method, validators=DATE_VALIDATORS)


class VisitFilter(DateRangeMixin, django_filters.FilterSet):
    date_field = "received_at"
    node = _node_filter("接待平台", "该节点及其下级平台接待的来访。")
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label="来访方式")
    date_from = _date("来访日期从", "filter_from")
    date_to = _date("来访日期至", "filter_to")


class MatterFilter(DateRangeMixin, django_filters.FilterSet):
    node = _node_filter("受理平台", "该节点及其下级平台受理的事项。")
    state = django_filters.ChoiceFilter(choices=MatterState.choices, label="状态")
    kind = django_filters.ChoiceFilter(choices=MatterKind.choices, label="事项类别")
    institution = extend_schema_field(OpenApiTypes.INT)(
        django_filters.ModelChoiceFilter(queryset=_visible_institutions, label="承接机构")
    )
    date_from = _date("受理日期从", "filter_from")
    date_to = _date("受理日期至", "filter_to")


class InstitutionFilter(django_filters.FilterSet):
    """Only validates and documents the parameters: ``institutions.selectors.institution_list`` applies them."""

    kind = django_filters.ChoiceFilter(choices=InstitutionKind.choices, label="类型", method="passthrough")
    node = extend_schema_field(OpenApiTypes.INT)(
        django_filters.ModelChoiceFilter(
            queryset=_visible_nodes,
            label="服务节点",
            method="passthrough",
            help_text="为该节点（或其上级、下级）服务的机构。",
        )
    )
    q = django_filters.CharFilter(label="名称或业务范围", max_length=100, method="passthrough")
    is_active = django_filters.BooleanFilter(label="启用")

    def passthrough(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset


class SlotFilter(django_filters.FilterSet):
    node = extend_schema_field(OpenApiTypes.INT)(
        django_filters.ModelChoiceFilter(queryset=_visible_nodes, label="服务平台")
    )
    institution = extend_schema_field(OpenApiTypes.INT)(
        django_filters.ModelChoiceFilter(queryset=_visible_institutions, label="服务机构")
    )
    kind = django_filters.ChoiceFilter(choices=SlotKind.choices, label="服务方式")
    date_from = _date("日期从", "filter_from")
    date_to = _date("日期至", "filter_to")
    available = django_filters.BooleanFilter(label="尚可预约", method="filter_available")

    def filter_from(self, queryset: QuerySet[Any], name: str, value: datetime.date) -> QuerySet[Any]:
        return queryset.filter(start__gte=_day_start(value))

    def filter_to(self, queryset: QuerySet[Any], name: str, value: datetime.date) -> QuerySet[Any]:
        return queryset.filter(start__lt=_day_start(value + datetime.timedelta(days=1)))

    def filter_available(self, queryset: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if value is None:
            return queryset
        open_q = Q(start__gt=clock.now()) & Q(taken__lt=F("capacity"))
        return queryset.filter(open_q) if value else queryset.exclude(open_q)


class AppointmentFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=AppointmentStatus.choices, label="履约情况")
    date_from = _date("预约日期从", "filter_from")
    date_to = _date("预约日期至", "filter_to")

    def filter_from(self, queryset: QuerySet[Any], name: str, value: datetime.date) -> QuerySet[Any]:
        return queryset.filter(slot__start__gte=_day_start(value))

    def filter_to(self, queryset: QuerySet[Any], name: str, value: datetime.date) -> QuerySet[Any]:
        return queryset.filter(slot__start__lt=_day_start(value + datetime.timedelta(days=1)))
