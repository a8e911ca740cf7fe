"""Reads of the law corpus. Public reference data: every visitor (logged in or not) sees all of it."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.http import Http404

from lawdesk.laws.models import CURRENT_STATUSES, Article, Chapter, Law


@dataclass(frozen=True)
class Department:
    name: str
    laws: list[Law]


def departments(*, include_old: bool = False) -> list[Department]:
    """The laws by legal department (宪法, 民法商法, 社会法 …), current ones only unless ``include_old``."""
    laws: QuerySet[Law] = Law.objects.annotate(article_count=Count("articles")).order_by(
        "department", "title"
    )
    if not include_old:
        laws = laws.filter(status__in=CURRENT_STATUSES)
    out: dict[str, list[Law]] = {}
    for law in laws:
        out.setdefault(law.department or "其他", []).append(law)
    return [Department(name, items) for name, items in out.items()]


def get_law(law_id: int) -> Law:
    try:
        return Law.objects.get(pk=law_id)
    except Law.DoesNotExist as exc:
        raise Http404("没有这部法律。") from exc


@dataclass(frozen=True)
class ChapterBlock:
    chapter: Chapter | None
    new_chapter: bool  # the chapter title changes here (sections of one chapter share it)
    articles: list[Article]


def law_outline(law: Law) -> list[ChapterBlock]:
    """The law's articles grouped by chapter/section, in order."""
    blocks: list[ChapterBlock] = []
    current: list[Article] = []
    chapter: Chapter | None = None
    previous_title: str | None = None
    started = False
    for article in Article.objects.filter(law=law).select_related("chapter").order_by("position"):
        if not started or article.chapter_id != (chapter.pk if chapter else None):
            if started:
                blocks.append(
                    ChapterBlock(chapter, bool(chapter and chapter.title != previous_title), current)
                )
                previous_title = chapter.title if chapter else None
            chapter, current, started = article.chapter, [], True
        current.append(article)
    if started:
        blocks.append(ChapterBlock(chapter, bool(chapter and chapter.title != previous_title), current))
    return blocks


def other_versions(law: Law) -> QuerySet[Law]:
    return Law.objects.filter(title=law.title).exclude(pk=law.pk).order_by("-version_on")
