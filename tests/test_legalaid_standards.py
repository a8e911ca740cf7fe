"""Each district keeps its own legal-aid hardship standard, period by period, on its own page."""

from __future__ import annotations

from django.urls import reverse

from lawdesk.legalaid.models import HardshipStandard
from tests.conftest import Personas, Tree, client_for

FORM = {
    "monthly_income_per_head": "1500",
    "lowered_for_vulnerable": "2000",
    "effective_from": "2026-01-01",
    "effective_to": "",
    "basis": "雁司发〔2026〕1号",
}


def test_a_district_admin_sets_the_districts_standard(tree: Tree, personas: Personas) -> None:
    url = reverse("legalaid:standards", args=[tree.district.pk])
    response = client_for(personas.district_admin).post(url, FORM)
    assert response.status_code == 302
    standard = HardshipStandard.objects.get(node=tree.district)
    assert str(standard.monthly_income_per_head) == "1500.00" and standard.effective_to is None


def test_an_overlapping_period_is_refused_in_chinese_and_nothing_saved(
    tree: Tree, personas: Personas
) -> None:
    url = reverse("legalaid:standards", args=[tree.district.pk])
    client = client_for(personas.district_admin)
    client.post(url, FORM)
    response = client.post(url, {**FORM, "effective_from": "2026-06-01", "monthly_income_per_head": "1600"})
    assert response.status_code == 200 and "重叠" in response.content.decode()
    assert HardshipStandard.objects.filter(node=tree.district).count() == 1


def test_a_lower_vulnerable_figure_names_its_field(tree: Tree, personas: Personas) -> None:
    url = reverse("legalaid:standards", args=[tree.district.pk])
    response = client_for(personas.district_admin).post(url, {**FORM, "lowered_for_vulnerable": "900"})
    assert "特殊群体放宽标准不能低于一般标准" in response.content.decode()
    assert not HardshipStandard.objects.exists()


def test_who_may_see_and_set_the_standard(tree: Tree, personas: Personas) -> None:
    url = reverse("legalaid:standards", args=[tree.district.pk])
    assert client_for(personas.other_district_admin).get(url).status_code == 404
    assert client_for(personas.clerk_a).get(url).status_code == 404  # the district is above the station
    assert client_for(personas.leader).get(url).status_code == 200
    assert client_for(personas.leader).post(url, FORM).status_code == 403
    assert client_for(personas.city_admin).post(url, FORM).status_code == 302
    station_url = reverse("legalaid:standards", args=[tree.station_a.pk])
    assert client_for(personas.district_admin).get(station_url).status_code == 403
