"""What the long forms cost per request (issue 21, bench/page_cost.py): the complaint form's subjects, the
service form's recent matters and a staff member's unit lists cost the same queries however many options they
offer, with the same labels; the TOTP setup page draws a secret's QR code once."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from lawdesk.accounts import views as account_views
from lawdesk.accounts.models import Role
from lawdesk.matters.models import Matter
from lawdesk.orgs.models import OrgNode
from lawdesk.orgs.rules import NodeKind
from lawdesk.orgs.services import org_node_create
from lawdesk.outreach.forms import RECENT_MATTER_DAYS
from tests.conftest import Personas, Tree, client_for, make_user
from tests.test_matter_views import new_matter, text


def _get(client: Any, url: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return text(response), len(queries)


def test_the_complaint_form_reads_its_subjects_roles_in_one_query(personas: Personas, tree: Tree) -> None:
    client = client_for(personas.office_staff)
    url = reverse("complaints:new")
    _get(client, url)
    page, few = _get(client, url)
    assert "clerk_a（窗口接待人员·" in page
    for i in range(6):
        make_user(f"extra{i}", Role.WINDOW_CLERK, tree.station_a if i % 2 else tree.station_b)
    page, many = _get(client, url)
    assert many == few, (few, many)
    for i in range(6):
        assert f"extra{i}（窗口接待人员·" in page


def test_the_service_forms_matters_cost_the_same_queries_and_stop_at_the_start_of_the_day(
    personas: Personas, tree: Tree
) -> None:
    client = client_for(personas.district_admin)
    url = reverse("outreach:service_new")
    old, edge = (
        new_matter(personas, tree, summary="早于期限的事项"),
        new_matter(personas, tree, summary="期限当天的事项"),
    )
    start = timezone.make_aware(
        datetime.datetime.combine(
            timezone.localdate() - datetime.timedelta(days=RECENT_MATTER_DAYS), datetime.time.min
        )
    )
    Matter.objects.filter(pk=old.pk).update(created_at=start - datetime.timedelta(seconds=1))
    Matter.objects.filter(pk=edge.pk).update(created_at=start)
    _get(client, url)
    page, few = _get(client, url)
    assert "期限当天的事项" in page and "早于期限的事项" not in page
    assert f'value="{edge.pk}"' in page
    for _ in range(5):
        new_matter(personas, tree, kind="dispute", summary="欠薪纠纷")
    page, many = _get(client, url)
    assert many == few, (few, many)
    assert page.count("欠薪纠纷") == 5
    label = f"{tree.station_a.name} · 矛盾纠纷 · 欠薪纠纷"
    assert label in page
    page, _ = _get(client_for(personas.other_district_admin), url)
    assert "没有可关联的事项。" in page and 'name="matters"' not in page


def test_a_staff_members_page_lists_the_units_as_before_in_the_same_queries(
    personas: Personas, tree: Tree
) -> None:
    client = client_for(personas.district_admin)
    url = reverse("staff:detail", args=[personas.clerk_a.pk])
    _get(client, url)
    page, few = _get(client, url)
    for node in OrgNode.objects.filter(path__startswith=tree.district.path, is_active=True):
        assert f">{'　' * max(node.depth - 1, 0)}{node.name}</option>" in page
    for i in range(4):
        org_node_create(
            actor=None,
            parent=tree.office,
            kind=NodeKind.VILLAGE_STATION,
            name=f"新设{i}社区公共法律服务站",
            region_code=f"61011300100{i + 2}",
        )
    page, many = _get(client, url)
    assert many == few, (few, many)
    assert page.count("新设3社区公共法律服务站</option>") == 2  # the profile's unit and the role's node


def test_the_setup_page_draws_a_secrets_qr_code_once(personas: Personas, monkeypatch: Any) -> None:
    drawn: list[str] = []
    real = account_views.segno.make

    def make(content: str, **kwargs: Any) -> Any:
        drawn.append(content)
        return real(content, **kwargs)

    monkeypatch.setattr(account_views.segno, "make", make)
    account_views._qr_data_uri.cache_clear()
    url = reverse("accounts:otp_setup")
    client = client_for(personas.district_admin, otp=False)
    first = client.get(url).content.decode()
    again = client.get(url).content.decode()
    device = TOTPDevice.objects.get(user=personas.district_admin, confirmed=False)
    assert drawn == [device.config_url]
    uri = first.split('src="data:image/svg+xml')[1].split('"')[0]
    assert uri and uri in again
    other = client_for(personas.city_admin, otp=False).get(url).content.decode()
    assert len(drawn) == 2 and uri not in other  # another secret, another code
