"""No secret in any log line (issue 16, case 8): the console SMS backend's line and Django's 410 line carry no
rating-link token (a token taken from the log rates nothing), nor does any configured handler let through a
bearer token, a one-time code or a query string; and every streamed download of a stored file writes one audit
row. Checked on the real handler configured by ``settings.LOGGING``, its stream captured."""

from __future__ import annotations

import datetime
import io
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from lawdesk.core.models import AuditLog
from lawdesk.matters import services as ms
from lawdesk.matters.models import Matter, MatterKind
from lawdesk.matters.services import MatterInput, PersonInput
from lawdesk.notifications.backends import ConsoleSmsBackend
from tests.conftest import Personas, Tree, client_for

PHONE = "13700000077"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def configured_handlers() -> list[logging.Handler]:
    """Every handler that writes somewhere (pytest's own capture handlers and libraries' NullHandlers left out)."""
    loggers = [logging.getLogger()] + [
        logger for logger in logging.Logger.manager.loggerDict.values() if isinstance(logger, logging.Logger)
    ]
    handlers = {id(h): h for logger in loggers for h in logger.handlers}
    return [
        h
        for h in handlers.values()
        if not type(h).__module__.startswith("_pytest") and not isinstance(h, logging.NullHandler)
    ]


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """What the configured console handler writes, for the duration of the test."""
    [console] = [h for h in configured_handlers() if type(h) is logging.StreamHandler]
    stream = io.StringIO()
    previous = console.setStream(stream)
    try:
        yield stream
    finally:
        console.setStream(previous)


@pytest.fixture(autouse=True)
def _sms(settings: Any, tmp_path: Path) -> None:
    settings.LAWDESK_SMS_BACKEND = "lawdesk.notifications.backends.ConsoleSmsBackend"
    settings.MEDIA_ROOT = str(tmp_path)
    ConsoleSmsBackend.outbox.clear()


def phoned_matter(personas: Personas, tree: Tree) -> Matter:
    visit = ms.visit_register(
        actor=personas.clerk_a,
        node=tree.station_a,
        channel="phone",
        person_data=PersonInput(name="李秀英", phone=PHONE),
        matters=[MatterInput(kind=MatterKind.CONSULTATION, summary="咨询", answer="已答复。")],
    )
    return visit.matters.get()


def test_the_sms_and_the_410_log_lines_carry_no_rating_token(
    tree: Tree, personas: Personas, log_output: io.StringIO
) -> None:
    from lawdesk.online import rating

    token = rating.rating_link_send(matter_id=phoned_matter(personas, tree).pk)
    assert token and token in ConsoleSmsBackend.outbox[-1].text  # the citizen's SMS has the link
    url = reverse("online:rate", args=[token])
    assert Client().post(url, {"rating": "5"}).status_code == 200
    assert Client().get(url).status_code == 410  # Django's request logger: "Gone: <path>"
    logged = log_output.getvalue()
    assert "短信" in logged and "Gone" in logged  # both lines were written…
    raw = token.split(":")[0]
    assert token not in logged and raw not in logged  # …without the token
    assert "/online/rate/[已隐去]" in logged
    assert PHONE not in logged  # and the phone masked, as before


def test_a_link_taken_from_the_log_rates_nothing(
    tree: Tree, personas: Personas, log_output: io.StringIO
) -> None:
    from lawdesk.online import rating

    matter = phoned_matter(personas, tree)
    assert rating.rating_link_send(matter_id=matter.pk)
    for path in re.findall(r"/online/rate/[^\s（]+", log_output.getvalue()):
        response = Client().post(path, {"rating": "1"})
        assert response.status_code in (404, 410), path
    assert Matter.objects.get(pk=matter.pk).rating is None


def test_the_kiosk_code_sms_is_not_in_the_log(
    tree: Tree, personas: Personas, log_output: io.StringIO
) -> None:
    from lawdesk.quality import services

    visit = phoned_matter(personas, tree).visit
    _record, code = services.kiosk_code_issue(actor=personas.clerk_a, visit=visit)
    assert code in ConsoleSmsBackend.outbox[-1].text
    logged = log_output.getvalue()
    assert "评价码[已隐去]" in logged and code not in logged


def test_bearer_tokens_codes_and_query_strings_never_reach_a_handler(log_output: io.StringIO) -> None:
    log = logging.getLogger("lawdesk.test")
    log.warning("Authorization: Bearer %s", "ld_demo-12348-hotline-lawdesk2026")
    log.warning("client token %s refused", "ld_Secret_Token-123")
    log.warning("Not Found: /desk/matters/?phone=13912345678&id=610113199001011237")
    log.warning("短信：您的评价码 482 913，验证码 123456，查询码DEMQ4ACK3T")
    log.warning("GET /online/track/?code=DEMQ4ACK3T&token=abc")
    try:
        raise ValueError("/online/rate/abc123:sig456/")
    except ValueError:
        log.exception("failed")
    logged = log_output.getvalue()
    for secret in (
        "ld_demo-12348-hotline-lawdesk2026", "Secret_Token", "13912345678", "610113199001011237", "482 913",
        "123456", "DEMQ4ACK3T", "abc123", "sig456", "phone=",
    ):  # fmt: skip
        assert secret not in logged, secret
    assert "Bearer [已隐去]" in logged and "/desk/matters/?[已隐去]" in logged


def test_every_configured_handler_carries_the_redacting_filter() -> None:
    from lawdesk.core.logfilter import RedactFilter

    handlers = configured_handlers()
    assert handlers
    for handler in handlers:
        assert any(isinstance(f, RedactFilter) for f in handler.filters), handler
    for name in ("django", "django.request", "django.server", "lawdesk.sms", "waitress"):
        logger = logging.getLogger(name)
        while logger is not None and not logger.handlers:
            logger = logger.parent if logger.propagate else None  # type: ignore[assignment]
        assert logger is not None, name


# --- streamed downloads ------------------------------------------------------------------------------------


def test_an_attachment_download_is_audited_once(tree: Tree, personas: Personas) -> None:
    from lawdesk.matters.attachments import attachment_add

    matter = phoned_matter(personas, tree)
    scan = attachment_add(
        actor=personas.clerk_a,
        matter=matter,
        file=SimpleUploadedFile("申请书.pdf", PDF, content_type="application/pdf"),
    )
    image = attachment_add(
        actor=personas.clerk_a,
        matter=matter,
        file=SimpleUploadedFile("照片.png", PNG, content_type="image/png"),
    )
    client = client_for(personas.office_staff)
    for attachment in (scan, image):
        response = client.get(reverse("desk:attachment", args=[attachment.pk]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) in (PDF, PNG)  # type: ignore[attr-defined]
    rows = list(AuditLog.objects.filter(action="download").order_by("id"))
    assert [(r.actor, r.object_repr) for r in rows] == [
        (personas.office_staff, "申请书.pdf"),
        (personas.office_staff, "照片.png"),
    ]
    assert rows[0].data["path"] == reverse("desk:attachment", args=[scan.pk])
    assert not AuditLog.objects.filter(action="export").exists()  # once, not also as an export


def test_an_outreach_photo_download_is_audited(tree: Tree, personas: Personas) -> None:
    from lawdesk.outreach import services
    from lawdesk.outreach.models import OutreachPhoto

    village = services.village_create(
        actor=personas.district_admin, district=tree.district, name="五星村", region_code="610113001201",
        office=tree.office,
    )  # fmt: skip
    personas.office_staff.phone = "13900000001"
    personas.office_staff.save()
    team = services.team_create(
        actor=personas.district_admin, district=tree.district, name="雁塔区脱贫攻坚法律服务团", kind="service_group",
        lead=personas.office_staff,
    )  # fmt: skip
    day = datetime.date(2026, 12, 1)
    service = services.service_record(
        actor=personas.office_staff, village=village, team=team, date=day, today=day,
        activities=["consultation"], description="入户走访", people_served=3,
        photos=[SimpleUploadedFile("现场.png", PNG, content_type="image/png")],
    )  # fmt: skip
    photo = OutreachPhoto.objects.get(service=service)
    response = client_for(personas.district_admin).get(reverse("outreach:photo", args=[photo.pk]))
    assert response.status_code == 200
    [row] = AuditLog.objects.filter(action="download")
    assert row.actor == personas.district_admin and row.data["content_type"] == "image/png"


def test_a_library_that_brings_its_own_handler_is_routed_through_the_filter() -> None:
    from lawdesk.laws.segment import tokens

    assert tokens("老板拖欠工资")  # loads jieba, which adds an unfiltered stderr handler when imported
    assert logging.getLogger("jieba").handlers == []
    test_every_configured_handler_carries_the_redacting_filter()
