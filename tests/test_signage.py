"""Signage (四(三)): English names by rule, missing data listed instead of drawn, PDF pages at real size,
and the staff pages scoped to the actor's subtree."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lawdesk.orgs.models import OrgNode
from lawdesk.public import signage
from lawdesk.public.english import english_name
from tests.conftest import Personas, Tree, client_for


@pytest.fixture(autouse=True)
def _public_address(settings: Any) -> None:
    """The site's public address is set, as a bureau sets it before printing signs (see the test below for the
    warning when it is not)."""
    settings.LAWDESK_PUBLIC_BASE_URL = "https://ggfw.xa.example.gov.cn"


MM_TO_PT = 72 / 25.4


@pytest.mark.parametrize(
    ("name", "english"),
    [
        ("小寨路街道公共法律服务站", "Xiaozhailu Subdistrict Public Legal Service Station"),
        ("雁塔区公共法律服务中心", "Yanta District Public Legal Service Center"),
        ("蓝田县公共法律服务中心", "Lantian County Public Legal Service Center"),
        ("长延堡社区公共法律服务站", "Changyanbao Community Public Legal Service Station"),
        ("洩湖镇公共法律服务站", "Xiehu Town Public Legal Service Station"),
        ("镇坪村公共法律服务站", "Zhenping Village Public Legal Service Station"),
        ("小寨路街道司法所", "Xiaozhailu Subdistrict Judicial Office"),
        ("西安市司法局", "Xi'an City Justice Bureau"),
        ("长安大学社区公共法律服务站", "Chang'an University Community Public Legal Service Station"),
        (
            "中国（陕西）自由贸易试验区西安区域公共法律服务中心",
            "China (Shaanxi) Pilot Free Trade Zone Xi'an Area Public Legal Service Center",
        ),
    ],
)
def test_english_names_follow_the_rule(name: str, english: str) -> None:
    assert english_name(name) == english


def _complete(node: OrgNode) -> OrgNode:
    OrgNode.objects.filter(pk=node.pk).update(
        address="小寨路街道便民服务中心一楼",
        office_phone="029-85550001",
        appointment_phone="029-85550002",
        supervision_phone="029-85550003",
    )
    node.refresh_from_db()
    return node


def test_faces_carry_the_plan_s_five_parts(tree: Tree) -> None:
    node = _complete(tree.station_a)
    face_a = signage.draw_face_a(node, "http://example.test/public/p/1/")
    for part in (
        'data-part="emblem"',
        node.name,
        "12348",
        "www.12348.gov.cn",
        "地址：小寨路街道便民服务中心一楼",
    ):
        assert part in face_a
    assert 'data-part="qr"' in face_a
    face_b = signage.draw_face_b(node)
    for part in (
        'data-part="emblem"',
        node.name,
        "办公电话",
        "029-85550001",
        "预约电话",
        "029-85550002",
        "监督电话",
        "029-85550003",
    ):
        assert part in face_b
    backdrop = signage.draw_backdrop(node)
    assert node.name in backdrop and "Xiaozhailu Subdistrict Public Legal Service Station" in backdrop
    assert 'width="2400mm" height="800mm"' in backdrop and 'width="1200mm" height="800mm"' in face_a


def test_missing_phone_or_address_is_listed_not_drawn(tree: Tree) -> None:
    OrgNode.objects.filter(pk=tree.station_b.pk).update(address="", office_phone="029-85550001")
    node = OrgNode.objects.get(pk=tree.station_b.pk)
    assert signage.missing_by_sign(node) == {"a": ["地址"], "b": ["预约电话", "监督电话"]}
    assert signage.missing_fields(node, signage.BACKDROP) == []


def _page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """Each page's size in points, read back with poppler's pdfinfo (poppler-utils, installed by CI)."""
    out = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "9999", "-"], input=pdf, capture_output=True, check=True
    )
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", out.stdout.decode())
    return [(float(w), float(h)) for w, h in sizes]


def test_pdf_pages_are_at_real_size(tree: Tree) -> None:
    node = _complete(tree.station_a)
    pdf = signage.signage_pdf([(node, "http://example.test/public/p/1/")])
    sizes = _page_sizes(pdf)
    expected = [(s.width_mm * MM_TO_PT, s.height_mm * MM_TO_PT) for s in signage.SIGNS]
    assert len(sizes) == 3
    for (w, h), (ew, eh) in zip(sizes, expected, strict=True):
        assert abs(w - ew) < 1 and abs(h - eh) < 1


def test_pdf_leaves_out_the_faces_it_cannot_draw(tree: Tree) -> None:
    pdf = signage.signage_pdf([(tree.station_b, "http://example.test/")])
    assert len(_page_sizes(pdf)) == 1  # only the backdrop: no address, no phones


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm not installed")
def test_pdf_renders_to_an_image(tree: Tree, tmp_path: Path) -> None:
    node = _complete(tree.station_a)
    pdf_path = tmp_path / "signage.pdf"
    pdf_path.write_bytes(signage.signage_pdf([(node, "http://example.test/")], [signage.LIGHTBOX_A]))
    subprocess.run(["pdftoppm", "-r", "20", "-png", str(pdf_path), str(tmp_path / "page")], check=True)
    pngs = list(tmp_path.glob("page*.png"))
    assert len(pngs) == 1 and pngs[0].stat().st_size > 5000


# --- the staff pages --------------------------------------------------------------------------------------


def test_office_staff_gets_its_station_s_signage(tree: Tree, personas: Personas) -> None:
    _complete(tree.station_a)
    client = client_for(personas.office_staff)
    page = client.get(reverse("public:signage", args=[tree.station_a.pk]))
    assert page.status_code == 200
    assert "Xiaozhailu Subdistrict Public Legal Service Station" in page.content.decode()
    svg = client.get(reverse("public:signage_svg", args=[tree.station_a.pk, "a"]))
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    assert f"/public/p/{tree.station_a.pk}/" in page.content.decode()
    pdf = client.get(reverse("public:signage_pdf", args=[tree.station_a.pk]))
    assert (
        pdf.status_code == 200
        and pdf["Content-Type"] == "application/pdf"
        and len(_page_sizes(pdf.content)) == 3
    )


def test_a_face_with_missing_data_is_not_served(tree: Tree, personas: Personas) -> None:
    client = client_for(personas.office_staff)
    page = client.get(reverse("public:signage", args=[tree.station_b.pk])).content.decode()
    assert "缺少办公电话、预约电话、监督电话，暂不绘制" in page and "缺少地址" in page
    assert client.get(reverse("public:signage_svg", args=[tree.station_b.pk, "b"])).status_code == 404
    assert client.get(reverse("public:signage_svg", args=[tree.station_b.pk, "backdrop"])).status_code == 200


def test_district_batch_lists_platforms_missing_data(tree: Tree, personas: Personas) -> None:
    _complete(tree.station_a)
    response = client_for(personas.district_admin).get(
        reverse("public:signage_batch", args=[tree.district.pk])
    )
    assert response.status_code == 200
    incomplete = {r["node"].name for r in response.context["incomplete"]}
    complete = {r["node"].name for r in response.context["complete"]}
    assert complete == {"小寨路街道公共法律服务站"}
    assert incomplete == {"雁塔区公共法律服务中心", "长延堡社区公共法律服务站", "电子城街道公共法律服务站"}
    assert "西一路街道公共法律服务站" not in response.content.decode()


def test_district_batch_pdf_holds_every_drawable_face(tree: Tree, personas: Personas) -> None:
    _complete(tree.station_a)
    client = client_for(personas.district_admin)
    pdf = client.get(reverse("public:signage_batch_pdf", args=[tree.district.pk]))
    # Station A: three faces; the three others: the backdrop only (no phones).
    # The centre has an address, so its face A too.
    assert pdf.status_code == 200 and len(_page_sizes(pdf.content)) == 3 + 3 + 1
    only_b = client.get(reverse("public:signage_batch_pdf", args=[tree.district.pk]), {"sign": "b"})
    assert len(_page_sizes(only_b.content)) == 1


def test_another_district_s_admin_gets_404(tree: Tree, personas: Personas) -> None:
    client = client_for(personas.other_district_admin)
    for url in (
        reverse("public:signage", args=[tree.station_a.pk]),
        reverse("public:signage_svg", args=[tree.station_a.pk, "backdrop"]),
        reverse("public:signage_pdf", args=[tree.station_a.pk]),
        reverse("public:signage_batch", args=[tree.district.pk]),
        reverse("public:signage_batch_pdf", args=[tree.district.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_office_staff_does_not_reach_a_cousin_station(tree: Tree, personas: Personas) -> None:
    client = client_for(personas.office_staff)
    assert client.get(reverse("public:signage", args=[tree.station_c.pk])).status_code == 404
    assert client.get(reverse("public:signage_batch", args=[tree.district.pk])).status_code == 404


def test_clerks_and_handlers_may_not_make_signage(tree: Tree, personas: Personas) -> None:
    assert (
        client_for(personas.clerk_a).get(reverse("public:signage", args=[tree.station_a.pk])).status_code
        == 403
    )
    assert (
        client_for(personas.handler).get(reverse("public:signage", args=[tree.station_a.pk])).status_code
        == 404
    )


def test_signage_needs_a_login(tree: Tree) -> None:
    response = Client().get(reverse("public:signage", args=[tree.station_a.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_signage_index_sends_each_admin_to_their_node(tree: Tree, personas: Personas) -> None:
    response = client_for(personas.district_admin).get(reverse("public:signage_index"))
    assert response["Location"] == reverse("public:signage_batch", args=[tree.district.pk])
    assert client_for(personas.clerk_a).get(reverse("public:signage_index")).status_code == 403


def test_qr_code_points_to_the_public_address(tree: Tree, personas: Personas, settings: object) -> None:
    settings.LAWDESK_PUBLIC_BASE_URL = "https://fw.example.gov.cn/"  # type: ignore[attr-defined]
    body = (
        client_for(personas.office_staff)
        .get(reverse("public:signage", args=[tree.station_a.pk]))
        .content.decode()
    )
    assert f"https://fw.example.gov.cn/public/p/{tree.station_a.pk}/" in body


def test_a_batch_too_big_for_one_pdf_is_refused_in_chinese(
    tree: Tree, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lawdesk.public import views

    monkeypatch.setattr(views, "MAX_BATCH_PLATFORMS", 2)
    response = client_for(personas.district_admin).get(
        reverse("public:signage_batch_pdf", args=[tree.district.pk])
    )
    assert response.status_code == 400 and "请按司法所分批打印" in response.content.decode()


def test_a_long_name_breaks_before_its_generic_part() -> None:
    name = "中国（陕西）自由贸易试验区西安区域公共法律服务中心"
    lines, size = signage.split_lines(name, 890, 96, 220)
    assert lines == ["中国（陕西）自由贸易试验区西安区域", "公共法律服务中心"]
    assert size > signage.fit_size(name, 890, 96)  # larger than on one line
    assert signage.split_lines("小寨路街道公共法律服务站", 890, 96, 220)[0] == ["小寨路街道公共法律服务站"]


def test_a_sign_with_a_local_address_in_its_qr_code_is_not_printed(
    tree: Tree, personas: Personas, settings: Any
) -> None:
    settings.LAWDESK_PUBLIC_BASE_URL = ""  # unset: the code would point at the machine the admin browses from
    client = client_for(personas.office_staff)
    page = client.get(reverse("public:signage", args=[tree.station_a.pk]), HTTP_HOST="127.0.0.1")
    body = page.content.decode()
    assert 'data-testid="qr-problem"' in body and "网站的对外地址尚未设置" in body
    assert 'data-testid="signage-pdf"' not in body and "LAWDESK_PUBLIC_BASE_URL" not in body
    refused = client.get(reverse("public:signage_pdf", args=[tree.station_a.pk]), HTTP_HOST="127.0.0.1")
    assert refused.status_code == 400 and "请联系系统管理员设置网站对外地址" in refused.content.decode()
    batch = client.get(reverse("public:signage_batch_pdf", args=[tree.office.pk]), HTTP_HOST="localhost")
    assert batch.status_code == 400
