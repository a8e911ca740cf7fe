from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django import forms

from lawdesk.core import clock
from lawdesk.orgs import rules
from lawdesk.orgs.models import FACILITY_GROUPS, FacilityItem, OrgNode

NODE_FORM_FIELDS = [
    "name",
    "region_code",
    "address",
    "location_kind",
    "morning_open",
    "morning_close",
    "afternoon_open",
    "afternoon_close",
    "office_phone",
    "appointment_phone",
    "supervision_phone",
    "longitude",
    "latitude",
    "floor_area",
]

_TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class NodeForm(forms.ModelForm):
    """Edit a node's own fields. The model's clean() applies the plan's naming and code rules."""

    class Meta:
        model = OrgNode
        fields = NODE_FORM_FIELDS
        widgets = {
            "morning_open": _TIME_WIDGET,
            "morning_close": _TIME_WIDGET,
            "afternoon_open": _TIME_WIDGET,
            "afternoon_close": _TIME_WIDGET,
        }


class ChildNodeForm(NodeForm):
    """Add a node under ``parent``: only the kinds the rules allow there are offered."""

    kind = forms.ChoiceField(label="类型")

    class Meta(NodeForm.Meta):
        fields = ["kind", *NODE_FORM_FIELDS]

    def __init__(self, *args: Any, parent: OrgNode, **kwargs: Any) -> None:
        kwargs.setdefault("instance", OrgNode(parent=parent))
        super().__init__(*args, **kwargs)
        allowed = [
            (value, label)
            for value, label in rules.NodeKind.choices
            if parent.kind in rules.PARENT_KINDS[value]
        ]
        kind_field = self.fields["kind"]
        assert isinstance(kind_field, forms.ChoiceField)
        kind_field.choices = allowed
        self.order_fields(["kind", *NODE_FORM_FIELDS])


def child_kinds(parent: OrgNode) -> list[str]:
    return [value for value in rules.NodeKind.values if parent.kind in rules.PARENT_KINDS[value]]


class FacilitiesForm(forms.Form):
    """One checkbox and one date per facility item of a platform."""

    def __init__(
        self, *args: Any, current: Mapping[str, tuple[bool, datetime.date | None]], items: list[str] | None = None,
        **kwargs: Any,
    ):  # fmt: skip
        super().__init__(*args, **kwargs)
        labels = dict(FacilityItem.choices)
        self.groups: list[tuple[str, list[tuple[forms.BoundField, forms.BoundField]]]] = []
        for title, group_items in FACILITY_GROUPS:
            rows = []
            for item in group_items:
                if items is not None and item not in items:
                    continue
                present, as_of = current.get(item, (False, None))
                self.fields[f"{item}__present"] = forms.BooleanField(
                    label=labels[item], required=False, initial=present
                )
                self.fields[f"{item}__as_of"] = forms.DateField(
                    label=f"{labels[item]}日期",
                    required=False,
                    initial=as_of,
                    widget=forms.DateInput(attrs={"type": "date"}),
                )
                rows.append((self[f"{item}__present"], self[f"{item}__as_of"]))
            if rows:
                self.groups.append((title, rows))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = clock.today()
        for item in FacilityItem.values:
            if f"{item}__as_of" not in self.fields:
                continue
            as_of = data.get(f"{item}__as_of")
            if as_of and as_of > today:
                self.add_error(f"{item}__as_of", "日期不能晚于今天。")
        return data
