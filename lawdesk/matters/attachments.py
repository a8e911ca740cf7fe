"""Attachments of a matter: scans from the document camera and uploaded materials.

Only PDF, JPEG and PNG are taken, recognised by their content (magic bytes) and not only by the name; each file
is at most ``LAWDESK_MAX_ATTACHMENT_BYTES`` (10 MiB by default, read at call time). Files go to Django's default
storage under ``attachments/<yyyy>/<mm>/<uuid>.<ext>`` and are served only through the scoped download view.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction

from lawdesk.attachments.models import Attachment
from lawdesk.core import clock
from lawdesk.core.audit_actions import AuditAction
from lawdesk.core.service import service
from lawdesk.matters import services
from lawdesk.matters.models import Matter

DEFAULT_MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class FileKind:
    ext: str  # the extension the stored file gets
    content_type: str
    label: str
    magic: tuple[bytes, ...]
    extensions: frozenset[str]  # the names a user's file may carry


FILE_KINDS: tuple[FileKind, ...] = (
    FileKind("pdf", "application/pdf", "PDF", (b"%PDF-",), frozenset({"pdf"})),
    FileKind("jpg", "image/jpeg", "JPG", (b"\xff\xd8\xff",), frozenset({"jpg", "jpeg"})),
    FileKind("png", "image/png", "PNG", (b"\x89PNG\r\n\x1a\n",), frozenset({"png"})),
)
ALLOWED_EXTENSIONS = frozenset(e for k in FILE_KINDS for e in k.extensions)
ACCEPT_ATTR = ",".join(sorted(f".{e}" for e in ALLOWED_EXTENSIONS))


def max_attachment_bytes() -> int:
    return int(getattr(settings, "LAWDESK_MAX_ATTACHMENT_BYTES", DEFAULT_MAX_BYTES))


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".rstrip("0").rstrip(".") + " MB"


def can_attach(actor: Any, matter: Matter) -> bool:
    """Whoever works the matter may attach to it: its first responder and those above, or the handler."""
    return services.can_act_for_front(actor, matter) or services.can_act_for_institution(actor, matter)


def check_upload(file: Any) -> FileKind:
    """The kind of an uploaded file, or a ValidationError (Chinese, naming the file) saying why it is refused."""
    name = str(getattr(file, "name", "") or "未命名文件")
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    allowed = "、".join(k.label for k in FILE_KINDS)
    if ext not in ALLOWED_EXTENSIONS:
        raise ValidationError(f"“{name}”的类型不允许上传，只能上传{allowed}文件。", code="type")
    size = int(file.size or 0)
    if size == 0:
        raise ValidationError(f"“{name}”是空文件。", code="empty")
    limit = max_attachment_bytes()
    if size > limit:
        raise ValidationError(
            f"“{name}”大小为{_megabytes(size)}，超过了每个文件{_megabytes(limit)}的上限。", code="size"
        )
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    kind = next((k for k in FILE_KINDS if ext in k.extensions), None)
    assert kind is not None
    if not any(head.startswith(m) for m in kind.magic):
        raise ValidationError(
            f"“{name}”的内容不是{kind.label}文件（扩展名与内容不符），请重新扫描或另存后上传。",
            code="content",
        )
    return kind


@service(AuditAction.MATTER_ATTACHMENT_ADDED)
def attachment_add(*, actor: Any, matter: Matter, file: Any) -> Attachment:
    """Store one file for a matter and record who attached it (the matter's ``attachment_added`` event)."""
    if not can_attach(actor, matter):
        raise PermissionDenied("只有首问负责人、其上级或承办人可以为该事项添加附件。")
    kind = check_upload(file)
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    now = clock.localnow()
    name = f"attachments/{now:%Y}/{now:%m}/{uuid.uuid4().hex}.{kind.ext}"
    stored = default_storage.save(name, file)
    original = str(file.name).replace("\\", "/").rsplit("/", 1)[-1][:255]
    try:
        with transaction.atomic():
            attachment = Attachment.objects.create(
                matter=matter,
                file=stored,
                original_name=original,
                size=int(file.size),
                content_type=kind.content_type,
                sha256=digest.hexdigest(),
                uploaded_by=actor,
            )
            services.record_event(
                Matter.objects.select_for_update().get(pk=matter.pk),
                "attachment_added",
                actor=actor,
                note=original,
                data={"attachment": attachment.pk, "size": attachment.size, "sha256": attachment.sha256},
            )
    except Exception:
        default_storage.delete(stored)
        raise
    return attachment
