"""Public law pages (no login: citizens use them): the index with the search box and the laws by department,
a law with its chapters and articles, and the search results with the matched words highlighted."""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from lawdesk.core import kiosk as kiosk_frame
from lawdesk.laws import selectors
from lawdesk.laws.search import ArticleHit, search_articles

EXAMPLES = ("老板拖欠工资", "儿子不给养老钱", "邻居的树砸了我的车", "离婚后孩子归谁", "网购的东西想退货")
MAX_QUERY = 200


def highlight(text: str, terms: tuple[str, ...]) -> SafeString:
    """``text`` escaped, with the search terms (two characters or more, longest first) in ``<mark>``."""
    words = [t for t in terms if len(t) >= 2]
    if not words:
        return mark_safe(escape(text))
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    out: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))


def _frame(request: HttpRequest) -> dict[str, object]:
    """The page's frame: the citizens' site, or the touch kiosk (``?kiosk=1``: 首页/返回, large targets, back to
    the kiosk start when idle), whose links keep ``kiosk=1``."""
    if kiosk_frame.is_kiosk(request):
        return {
            "layout": "public/kiosk/base.html",
            "kiosk": True,
            "kq": "kiosk=1",
            **kiosk_frame.idle_context(request),
        }
    return {"layout": "base.html", "kiosk": False, "kq": ""}


def _keep(url: str, frame: dict[str, object]) -> str:
    """``url`` with the kiosk's ``kiosk=1`` (before any ``#anchor``) when the page is in the kiosk."""
    if not frame["kq"]:
        return url
    path, hash_, anchor = url.partition("#")
    return f"{path}{'&' if '?' in path else '?'}{frame['kq']}{hash_}{anchor}"


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "laws/index.html",
        {"departments": selectors.departments(), "examples": EXAMPLES, **_frame(request)},
    )


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    error = ""
    hits: list[ArticleHit] = []
    if len(query) > MAX_QUERY:
        error = f"问题太长了，请控制在{MAX_QUERY}字以内。"
    elif query:
        hits = search_articles(query, limit=20)
    frame = _frame(request)
    rows = [{"hit": h, "text": highlight(h.text, h.terms), "url": _keep(h.url, frame)} for h in hits]
    return render(
        request,
        "laws/search.html",
        {"query": query, "rows": rows, "error": error, "examples": EXAMPLES, **frame},
    )


@require_GET
def law_detail(request: HttpRequest, law_id: int) -> HttpResponse:
    law = selectors.get_law(law_id)
    return render(
        request,
        "laws/law.html",
        {
            "law": law,
            "blocks": selectors.law_outline(law),
            "versions": selectors.other_versions(law),
            **_frame(request),
        },
    )
