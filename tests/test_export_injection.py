"""No export turns text into a formula (issue 16, case 7): a poor village, a person, a worker, a node or an
institution named ``=HYPERLINK(…)`` (or starting with + - @) comes out of every Excel export as the text it is —
a string cell, with Excel's quote prefix — and no cell of the saved file is a formula; numbers stay numbers.
Every export writes through the one writer, ``lawdesk.core.xlsx``."""

from __future__ import annotations

import datetime
import decimal
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.urls import reverse

from lawdesk.accounts.models import User
from lawdesk.matters import services as ms
from lawdesk.matters.models import MatterKind
from lawdesk.matters.services import MatterInput, PersonInput
from lawdesk.orgs.models import OrgNode
from tests.conftest import Personas, Tree, client_for

EVIL = '=HYPERLINK("http://evil.example/steal","点此查看")'
EVIL_PLUS = "+1+1"
EVIL_AT = "@SUM(1,1)"
EVIL_MINUS = "-2+3"
ROOT = Path(__file__).resolve().parent.parent


def cells_of(content: bytes) -> list[Any]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def assert_text_not_formula(content: bytes, *texts: str) -> list[Any]:
    """Every ``text`` is in the saved workbook as a string cell with the quote prefix; no cell is a formula, in
    openpyxl's reading and in the sheet XML itself."""
    cells = cells_of(content)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name), name
    for text in texts:
        found = [c for c in cells if isinstance(c.value, str) and c.value.startswith(text)]
        assert found, f"{text!r} is not in the workbook"
        for cell in found:
            assert cell.data_type == "s" and cell.quotePrefix, (cell.coordinate, cell.value)
    return cells


def test_the_shared_writer_keeps_text_text_and_numbers_numbers() -> None:
    from lawdesk.core import xlsx

    book, sheet = xlsx.new_workbook("测试")
    xlsx.append(sheet, [EVIL, EVIL_PLUS, EVIL_AT, EVIL_MINUS, "\tTAB", "\rCR", "正常文字", 42, 1.5])
    xlsx.append(sheet, [decimal.Decimal("3.20"), datetime.date(2026, 12, 8), None, "-", "—"])
    cells = assert_text_not_formula(xlsx.save(book), EVIL, EVIL_PLUS, EVIL_AT, EVIL_MINUS, "\tTAB")
    values = {c.coordinate: c for c in cells}
    assert values["A1"].value == EVIL  # exactly as typed: no apostrophe added to the value
    assert values["G1"].data_type == "s" and not values["G1"].quotePrefix
    assert values["H1"].value == 42 and values["H1"].data_type == "n"
    assert values["I1"].value == 1.5 and values["A2"].data_type == "n"
    assert values["B2"].is_date


def test_no_export_writes_cells_but_through_the_shared_writer() -> None:
    offenders = []
    for path in (ROOT / "lawdesk").rglob("*.py"):
        if path.match("*/core/xlsx.py") or "migrations" in path.parts:
            continue
        text = path.read_text()
        for pattern in (
            r"openpyxl\.Workbook\(",
            r"\.cell\([^)]*value\s*=",
            r"sheet\.append\(",
            r"\.value\s*=\s",
        ):
            if re.search(pattern, text):
                offenders.append(f"{path.relative_to(ROOT)}: {pattern}")
    assert not offenders


# --- every export --------------------------------------------------------------------------------------------


def test_the_outreach_export_writes_a_village_named_as_a_formula_as_text(
    tree: Tree, personas: Personas
) -> None:
    from lawdesk.outreach import services

    services.village_create(
        actor=personas.district_admin, district=tree.district, name=EVIL, region_code="610113001201", office=tree.office
    )  # fmt: skip
    response = client_for(personas.district_admin).get("/desk/outreach/export.xlsx")
    assert response.status_code == 200
    cells = assert_text_not_formula(response.content, EVIL)
    assert any(c.value == 0 and c.data_type == "n" for c in cells)  # the service count stays a number


def test_the_quality_export_writes_a_worker_named_as_a_formula_as_text(
    tree: Tree, personas: Personas
) -> None:
    ms.visit_register(
        actor=personas.clerk_a,
        node=tree.station_a,
        person_data=PersonInput(name="王建国", phone="13800138000"),
        matters=[MatterInput(kind=MatterKind.CONSULTATION, summary="咨询", answer="已答复。")],
    )
    User.objects.filter(pk=personas.clerk_a.pk).update(full_name=EVIL_AT)
    response = client_for(personas.district_admin).get(reverse("quality:export"))
    assert response.status_code == 200
    cells = assert_text_not_formula(response.content, EVIL_AT)
    assert any(c.data_type == "n" for c in cells)


def test_the_ledgers_write_a_person_and_summary_named_as_formulas_as_text(
    tree: Tree, personas: Personas
) -> None:
    ms.visit_register(
        actor=personas.clerk_a,
        node=tree.station_a,
        person_data=PersonInput(name=EVIL_PLUS, phone="13800138000", address=EVIL_MINUS),
        matters=[MatterInput(kind=MatterKind.CONSULTATION, summary=EVIL, answer="已答复。")],
    )
    response = client_for(personas.clerk_a).get(reverse("desk:ledger_xlsx", args=[1]))
    assert response.status_code == 200
    assert_text_not_formula(response.content, EVIL_PLUS, EVIL)


def test_the_monthly_report_writes_a_node_named_as_a_formula_as_text(tree: Tree, personas: Personas) -> None:
    OrgNode.objects.filter(pk=tree.station_a.pk).update(name=EVIL)
    response = client_for(personas.clerk_a).get(
        reverse("stats:report_xlsx", args=[tree.station_a.pk, "2026-11"])
    )
    assert response.status_code == 200
    assert_text_not_formula(response.content, EVIL)


def test_the_duty_roster_and_subsidy_write_formulas_as_text(tree: Tree, personas: Personas) -> None:
    from lawdesk.duty import services
    from lawdesk.duty.models import Post, Session, SubsidyStandard

    for node in (tree.station_a,):
        node.morning_open, node.morning_close = datetime.time(9), datetime.time(12)
        node.save()
    monday = datetime.date(2026, 11, 30)
    services.shift_add(
        actor=personas.office_staff, node=tree.station_a, date=monday, session=Session.MORNING,
        person=personas.clerk_a, post=Post.RECEPTION, duty=EVIL,
    )  # fmt: skip
    roster = client_for(personas.clerk_a).get(f"/desk/duty/{tree.station_a.pk}/roster.xlsx?week=2026-12-02")
    assert roster.status_code == 200
    assert_text_not_formula(roster.content, EVIL)
    User.objects.filter(pk=personas.clerk_a.pk).update(full_name=EVIL_MINUS)
    SubsidyStandard.objects.create(
        node=tree.district, per_session=decimal.Decimal("50"), effective_from=datetime.date(2026, 1, 1)
    )
    subsidy = client_for(personas.district_admin).get(
        f"/desk/duty/subsidy/{tree.district.pk}/export.xlsx?month=2026-11"
    )
    assert subsidy.status_code == 200
    cells = assert_text_not_formula(subsidy.content, EVIL_MINUS)
    assert any(c.value == 50 and c.data_type == "n" for c in cells)  # the amount stays a number


def test_the_leader_window_board_writes_a_leader_named_as_a_formula_as_text(
    tree: Tree, personas: Personas
) -> None:
    from lawdesk.leaderwindow import services

    User.objects.filter(pk=personas.leader.pk).update(full_name=EVIL)
    monday = datetime.date(2026, 11, 16)
    services.window_draw(
        actor=personas.district_admin, district=tree.district, week_start=monday, today=monday
    )
    response = client_for(personas.city_admin).get("/desk/leader-window/board.xlsx?week=2026-W47")
    assert response.status_code == 200
    assert_text_not_formula(response.content, EVIL)


def test_the_tree_export_writes_an_address_as_text(tree: Tree, personas: Personas) -> None:
    OrgNode.objects.filter(pk=tree.station_a.pk).update(address=EVIL)
    response = client_for(personas.district_admin).get(reverse("orgs:export"))
    assert response.status_code == 200
    assert_text_not_formula(response.content, EVIL)


def test_the_institutions_export_writes_a_name_as_text(tree: Tree, personas: Personas) -> None:
    from lawdesk.institutions.models import Institution

    Institution.objects.filter(pk=tree.law_firm.pk).update(name=EVIL, address=EVIL_AT)
    response = client_for(personas.district_admin).get(reverse("institutions:export"))
    assert response.status_code == 200
    assert_text_not_formula(response.content, EVIL, EVIL_AT)


@pytest.mark.parametrize("value", [EVIL, EVIL_PLUS])
def test_an_exported_tree_still_imports_the_text_as_typed(tree: Tree, personas: Personas, value: str) -> None:
    """The quote prefix changes how Excel treats the cell, not its value: the export remains a valid import."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lawdesk.orgs.spreadsheets import import_tree

    OrgNode.objects.filter(pk=tree.station_a.pk).update(address=value)
    content = client_for(personas.district_admin).get(reverse("orgs:export")).content
    result = import_tree(actor=personas.district_admin, file=SimpleUploadedFile("组织机构.xlsx", content))
    assert not result.errors, result.errors
    assert OrgNode.objects.get(pk=tree.station_a.pk).address == value


def test_the_correction_exports_write_a_supervisee_named_as_a_formula_as_text(
    tree: Tree, personas: Personas
) -> None:
    from tests.test_correction import register

    register(personas.correction_officer, tree.office, name="=HYPERLINK(1)", crime="+罪名")
    client = client_for(personas.correction_officer)
    for name in ("correction:ledger_export", "correction:national_export"):
        assert_text_not_formula(client.get(reverse(name)).content, "=HYPERLINK(1)", "+罪名")
