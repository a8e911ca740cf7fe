from __future__ import annotations

from typing import Any

from django import forms

from lawdesk.core import clock
from lawdesk.core.forms import RowChoiceIterator
from lawdesk.coverage.models import LightboxPoint, LightboxState
from lawdesk.orgs.models import OrgNode, Village

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VillageChoiceField(forms.ModelChoiceField):
    iterator = RowChoiceIterator  # an office's villages, as rows (issue 21)
    label_fields = ("office__name", "name", "region_code")

    def label_from_row(self, office_name: str, name: str, region_code: str) -> str:
        return f"{office_name.removesuffix('司法所')} {name}（{region_code}）"

    def label_from_instance(self, obj: Any) -> str:
        return self.label_from_row(obj.office.name, obj.name, obj.region_code)


class NodeNameChoiceField(forms.ModelChoiceField):
    iterator = RowChoiceIterator  # the district's platforms, as rows (issue 21)
    label_fields = ("name",)

    def label_from_row(self, name: str) -> str:
        return name


class LightboxForm(forms.Form):
    village = VillageChoiceField(label="村(社区)", queryset=Village.objects.none())
    place = forms.CharField(label="设置地点", max_length=120)
    installed = forms.DateField(label="安装日期", widget=DATE)
    platform = NodeNameChoiceField(
        label="指向的服务平台", queryset=OrgNode.objects.none(), required=False,
        help_text="留空则指向本镇(街道)公共法律服务站。",
    )  # fmt: skip
    longitude = forms.DecimalField(label="经度", max_digits=9, decimal_places=6, required=False)
    latitude = forms.DecimalField(label="纬度", max_digits=9, decimal_places=6, required=False)
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args: Any, villages: Any, platforms: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        village_field = self.fields["village"]
        assert isinstance(village_field, forms.ModelChoiceField)
        village_field.queryset = villages
        platform_field = self.fields["platform"]
        assert isinstance(platform_field, forms.ModelChoiceField)
        platform_field.queryset = platforms


class LightboxEditForm(forms.Form):
    place = forms.CharField(label="设置地点", max_length=120)
    installed = forms.DateField(label="安装日期", widget=DATE)
    platform = forms.ModelChoiceField(label="指向的服务平台", queryset=OrgNode.objects.none())
    state = forms.ChoiceField(label="状态", choices=LightboxState.choices)
    longitude = forms.DecimalField(label="经度", max_digits=9, decimal_places=6, required=False)
    latitude = forms.DecimalField(label="纬度", max_digits=9, decimal_places=6, required=False)
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args: Any, platforms: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        platform_field = self.fields["platform"]
        assert isinstance(platform_field, forms.ModelChoiceField)
        platform_field.queryset = platforms

    @classmethod
    def initial_of(cls, point: LightboxPoint) -> dict[str, Any]:
        return {
            "place": point.place, "installed": point.installed, "platform": point.platform_id,
            "state": point.state, "longitude": point.longitude, "latitude": point.latitude, "note": point.note,
        }  # fmt: skip


class InspectForm(forms.Form):
    day = forms.DateField(label="巡查日期", widget=DATE, initial=clock.today)
    state = forms.ChoiceField(label="巡查时状态", choices=LightboxState.choices[:2])
    note = forms.CharField(label="巡查情况", max_length=200, required=False)
