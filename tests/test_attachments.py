"""Attachments: only real PDF/JPEG/PNG content, a size limit read at call time, stored through the storage API
under attachments/<yyyy>/<mm>/<uuid>.<ext>, audited, and downloaded only within the matter's scope."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from lawdesk.attachments.models import Attachment
from lawdesk.matters import services
from lawdesk.matters.attachments import attachment_add, check_upload
from lawdesk.matters.models import Matter, MatterEvent
from lawdesk.matters.services import MatterInput, PersonInput
from tests.conftest import Personas, Tree, client_for

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def new_matter(personas: Personas, tree: Tree) -> Matter:
    visit = services.visit_register(
        actor=personas.clerk_a,
        node=tree.station_a,
        person_data=PersonInput(name="张三", phone="13800138000"),
        matters=[MatterInput(kind="consultation", summary="邻里漏水纠纷")],
    )
    return visit.matters.get()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_a_scan_is_stored_under_a_dated_uuid_name_with_its_facts_and_audited(
    personas: Personas, tree: Tree, media: Path
) -> None:
    matter = new_matter(personas, tree)
    attachment = attachment_add(actor=personas.clerk_a, matter=matter, file=upload("身份证扫描.PNG", PNG))
    now = timezone.localtime()
    assert re.fullmatch(rf"attachments/{now:%Y}/{now:%m}/[0-9a-f]{{32}}\.png", attachment.file.name)
    assert (media / attachment.file.name).read_bytes() == PNG
    assert attachment.original_name == "身份证扫描.PNG"
    assert (attachment.size, attachment.content_type) == (len(PNG), "image/png")
    assert attachment.sha256 == hashlib.sha256(PNG).hexdigest()
    assert attachment.uploaded_by == personas.clerk_a and attachment.matter == matter
    event = MatterEvent.objects.get(matter=matter, code="attachment_added")
    assert event.actor == personas.clerk_a and event.node == tree.station_a and event.note == "身份证扫描.PNG"
    assert event.data["attachment"] == attachment.pk and event.data["sha256"] == attachment.sha256

    jpeg = attachment_add(actor=personas.clerk_a, matter=matter, file=upload("合同.jpeg", JPEG))
    assert jpeg.file.name.endswith(".jpg") and jpeg.content_type == "image/jpeg"
    pdf = attachment_add(actor=personas.clerk_a, matter=matter, file=upload("申请书.pdf", PDF))
    assert pdf.file.name.endswith(".pdf") and pdf.content_type == "application/pdf"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("照片.png", "这其实是一段文字".encode(), "内容不是PNG文件"),
        ("扫描.pdf", PNG, "内容不是PDF文件"),
        ("脚本.exe", b"MZ\x90\x00", "类型不允许上传"),
        ("无扩展名", PDF, "类型不允许上传"),
        ("page.html", b"<html></html>", "类型不允许上传"),
        ("空.pdf", b"", "是空文件"),
    ],
)
def test_a_file_that_is_not_really_pdf_jpeg_or_png_is_refused(
    personas: Personas, tree: Tree, media: Path, name: str, content: bytes, message: str
) -> None:
    matter = new_matter(personas, tree)
    with pytest.raises(ValidationError) as refused:
        attachment_add(actor=personas.clerk_a, matter=matter, file=upload(name, content))
    assert message in refused.value.messages[0] and name in refused.value.messages[0]
    assert not Attachment.objects.exists() and stored_files(media) == []


def test_the_size_limit_is_read_at_call_time(
    personas: Personas, tree: Tree, settings: Any, media: Path
) -> None:
    matter = new_matter(personas, tree)
    big = upload("大扫描.pdf", PDF + b"\x00" * (11 * 1024 * 1024))
    with pytest.raises(ValidationError) as refused:
        check_upload(big)
    assert "超过了每个文件10 MB的上限" in refused.value.messages[0]
    settings.LAWDESK_MAX_ATTACHMENT_BYTES = 100
    with pytest.raises(ValidationError) as refused:
        attachment_add(actor=personas.clerk_a, matter=matter, file=upload("小.pdf", PDF + b"\x00" * 200))
    assert "大扫描" not in refused.value.messages[0] and "超过了" in refused.value.messages[0]
    settings.LAWDESK_MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
    attachment_add(actor=personas.clerk_a, matter=matter, file=big)
    assert Attachment.objects.count() == 1


def test_only_those_working_the_matter_attach(personas: Personas, tree: Tree, media: Path) -> None:
    matter = new_matter(personas, tree)
    for outsider in (personas.leader, personas.clerk_b, personas.mediator):
        with pytest.raises(PermissionDenied):
            attachment_add(actor=outsider, matter=matter, file=upload("a.pdf", PDF))
    assert stored_files(media) == []
    matter = services.matter_transfer(actor=personas.clerk_a, matter=matter, institution=tree.mediation)
    attachment_add(actor=personas.mediator, matter=matter, file=upload("调解笔录.pdf", PDF))
    attachment_add(actor=personas.office_staff, matter=matter, file=upload("回访.jpg", JPEG))
    assert Attachment.objects.filter(matter=matter).count() == 2


# --- through the page ----------------------------------------------------------------------------------


def test_upload_several_files_on_the_matter_page(personas: Personas, tree: Tree, media: Path) -> None:
    matter = new_matter(personas, tree)
    client = client_for(personas.clerk_a)
    response = client.post(
        reverse("desk:attachment_upload", args=[matter.pk]),
        {"upload": [upload("一.pdf", PDF), upload("二.png", PNG)]},
    )
    assert response.status_code == 302
    assert sorted(Attachment.objects.values_list("original_name", flat=True)) == ["一.pdf", "二.png"]
    page = client.get(reverse("desk:matter", args=[matter.pk])).content.decode()
    assert "一.pdf" in page and "二.png" in page and "已上传2个附件" in page


def test_one_bad_file_stores_none_and_says_which(personas: Personas, tree: Tree, media: Path) -> None:
    matter = new_matter(personas, tree)
    response = client_for(personas.clerk_a).post(
        reverse("desk:attachment_upload", args=[matter.pk]),
        {"upload": [upload("好.pdf", PDF), upload("假图片.png", b"just some text, not an image")]},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "“假图片.png”的内容不是PNG文件" in page and "其余文件也未保存" in page
    assert not Attachment.objects.exists() and stored_files(media) == []


def test_an_upload_without_a_file_is_explained(personas: Personas, tree: Tree) -> None:
    matter = new_matter(personas, tree)
    response = client_for(personas.clerk_a).post(reverse("desk:attachment_upload", args=[matter.pk]), {})
    assert response.status_code == 400 and "请选择要上传的文件" in response.content.decode()


def test_an_oversize_upload_through_the_page(
    personas: Personas, tree: Tree, settings: Any, media: Path
) -> None:
    settings.LAWDESK_MAX_ATTACHMENT_BYTES = 1024
    matter = new_matter(personas, tree)
    response = client_for(personas.clerk_a).post(
        reverse("desk:attachment_upload", args=[matter.pk]),
        {"upload": [upload("大.pdf", PDF + b"\x00" * 2048)]},
    )
    assert response.status_code == 400 and "超过了每个文件" in response.content.decode()
    assert stored_files(media) == []


def test_upload_is_refused_outside_the_matter(personas: Personas, tree: Tree, media: Path) -> None:
    matter = new_matter(personas, tree)
    target = reverse("desk:attachment_upload", args=[matter.pk])
    for outsider in (personas.clerk_b, personas.other_district_admin, personas.handler):
        assert client_for(outsider).post(target, {"upload": [upload("a.pdf", PDF)]}).status_code == 404
    assert client_for(personas.leader).post(target, {"upload": [upload("a.pdf", PDF)]}).status_code == 403
    assert stored_files(media) == []


def test_download_only_within_the_matters_scope(personas: Personas, tree: Tree) -> None:
    matter = services.matter_transfer(
        actor=personas.clerk_a, matter=new_matter(personas, tree), institution=tree.mediation
    )
    pdf = attachment_add(actor=personas.clerk_a, matter=matter, file=upload("申请书.pdf", PDF))
    png = attachment_add(actor=personas.clerk_a, matter=matter, file=upload("照片.png", PNG))
    for reader in (personas.clerk_a, personas.office_staff, personas.leader, personas.mediator):
        response = client_for(reader).get(reverse("desk:attachment", args=[pdf.pk]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
    image = client_for(personas.clerk_a).get(reverse("desk:attachment", args=[png.pk]))
    assert image["Content-Type"] == "image/png" and image["Content-Disposition"].startswith("inline;")
    for outsider in (personas.clerk_b, personas.other_district_admin, personas.handler):
        assert client_for(outsider).get(reverse("desk:attachment", args=[pdf.pk])).status_code == 404
    assert client_for(personas.clerk_a).get(reverse("desk:attachment", args=[999999])).status_code == 404


def test_files_are_not_under_a_public_url(personas: Personas, tree: Tree, settings: Any) -> None:
    matter = new_matter(personas, tree)
    attachment = attachment_add(actor=personas.clerk_a, matter=matter, file=upload("a.pdf", PDF))
    page = client_for(personas.clerk_a).get(reverse("desk:matter", args=[matter.pk])).content.decode()
    assert attachment.file.name not in page
    assert reverse("desk:attachment", args=[attachment.pk]) in page
