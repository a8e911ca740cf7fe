"""Every download tells the audit what it holds: the export row of each staff export names its personal data
(never "unknown"), and the unit it is of where there is one."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lawdesk.core.models import AuditLog
from tests.conftest import Personas, Tree, client_for

pytestmark = pytest.mark.django_db


def test_every_staff_workbook_names_what_it_holds(tree: Tree, personas: Personas) -> None:
    city = client_for(personas.city_admin)
    district = client_for(personas.district_admin)
    downloads = [
        (city, reverse("orgs:export"), None),
        (city, reverse("institutions:export"), None),
        (district, reverse("quality:export"), None),
        (district, reverse("outreach:export"), None),
        (district, reverse("outreach:events_export"), None),
        (district, reverse("outreach:duties_export"), None),
        (district, reverse("governance:cases_export"), None),
        (district, reverse("governance:opinions_export"), None),
        (district, reverse("governance:safety_export"), None),
        (district, reverse("duty:subsidy_xlsx", args=[tree.district.pk]), tree.district),
        (city, reverse("leaderwindow:board_export"), None),
    ]
    for client, url, node in downloads:
        response = client.get(url)
        assert response.status_code == 200, url
        row = AuditLog.objects.filter(action="export").latest("pk")
        assert row.data["path"] == url
        assert row.data["personal_data"] == "none", url
        if node is not None:
            assert row.node == node, url
    assert not AuditLog.objects.filter(action="export", data__personal_data="unknown").exists()
