"""智慧小司, the self-service assistant: answers a question from the FAQ base and cites law articles from the law
search. Nothing here calls the network; ``LAWDESK_ASSISTANT_HOOK`` (a dotted path to a callable taking the
question, the FAQ hits and the law hits and returning extra text or None) stays empty unless an operator wires a
local service in.

Matching: the question is cut into words by jieba (search mode), stop words dropped, and any keyword or synonym
found verbatim added; each FAQ's terms are its question's words and its keywords. Terms weigh by their rarity
among the FAQs; an FAQ scores twice the weighted share of the question's terms it has plus the weighted share of
its own question's words found in the question (0–3). A best score of at least ``CONFIDENT`` is an answer; below
it the assistant offers an appointment or a question to a clerk.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

from lawdesk.online.models import Faq

logger = logging.getLogger(__name__)

CONFIDENT = 0.8
MAX_FAQS = 3
MAX_LAWS = 3
_HAN = re.compile(r"[\u4e00-\u9fff]+|[A-Za-z0-9]+")
STOPWORDS = frozenset(
    [
        "的",
        "了",
        "是",
        "在",
        "和",
        "与",
        "对",
        "于",
        "把",
        "及",
        "或",
        "等",
        "请问",
        "请",
        "问",
        "我",
        "我们",
        "你",
        "您",
        "你们",
        "他",
        "她",
        "这",
        "那",
        "这个",
        "那个",
        "个",
        "什么",
        "怎么",
        "怎么办",
        "怎样",
        "如何",
        "一下",
        "有关",
        "关于",
        "应该",
        "可以",
        "能",
        "能不能",
        "是否",
        "有没有",
        "如果",
        "吗",
        "呢",
        "吧",
        "啊",
        "呀",
        "要",
        "会",
        "该",
        "想",
        "需要",
        "哪些",
        "哪里",
        "哪儿",
        "多少",
        "几",
        "谁",
        "为什么",
        "一个",
        "去",
        "到",
        "带",
        "办",
        "办理",
        "给",
        "让",
        "有",
        "没有",
        "不",
        "问题",
    ]
)


@cache
def _jieba() -> Any:
    import jieba

    from lawdesk.core.logfilter import adopt_library_logger

    adopt_library_logger("jieba")  # its own stderr handler would bypass the redacting filter
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def words(text: str) -> set[str]:
    """The meaningful words of ``text`` (jieba search mode: a word and its sub-words)."""
    jieba = _jieba()
    out: set[str] = set()
    for chunk in _HAN.findall(text or ""):
        if not re.match(r"[\u4e00-\u9fff]", chunk):
            out.add(chunk.lower())
            continue
        for word in jieba.lcut_for_search(chunk):
            if word not in STOPWORDS and (len(word) > 1 or word in {"房", "钱", "债"}):
                out.add(word)
    return out


@dataclass
class FaqHit:
    faq: Faq
    score: float
    matched: list[str]


@dataclass
class Reply:
    question: str
    faqs: list[FaqHit] = field(default_factory=list)
    laws: list[Any] = field(default_factory=list)
    laws_available: bool = True
    extra: str = ""

    @property
    def confident(self) -> bool:
        return bool(self.faqs) and self.faqs[0].score >= CONFIDENT

    @property
    def best(self) -> FaqHit | None:
        return self.faqs[0] if self.faqs else None


def _faq_terms(faq: Faq) -> tuple[set[str], set[str]]:
    """(every term of the FAQ: its question's words, its keywords and their words; its question's words)."""
    own = words(faq.question)
    terms = set(own)
    for keyword in faq.keyword_list:
        terms.add(keyword.lower())
        terms |= words(keyword)
    return terms, own


def _query_terms(question: str, keywords: set[str]) -> set[str]:
    """The question's words, plus any keyword found verbatim in it that the segmentation did not produce (a
    synonym such as 法援 that jieba cuts into single characters)."""
    found = words(question)
    text = question.lower()
    for keyword in keywords:
        if keyword in text:
            parts = words(keyword)
            if not parts or not parts <= found:
                found.add(keyword)
    return found


def match_faqs(question: str, *, limit: int = MAX_FAQS) -> list[FaqHit]:
    """The FAQs that answer ``question``, best first. A term weighs by its rarity among the FAQs (idf); an
    FAQ scores twice the weighted share of the question's terms it has, plus the weighted share of its own
    question's words the question has."""
    faqs = list(Faq.objects.filter(active=True))
    if not faqs:
        return []
    terms = {faq.pk: _faq_terms(faq) for faq in faqs}
    df: dict[str, int] = {}
    for all_terms, _ in terms.values():
        for term in all_terms:
            df[term] = df.get(term, 0) + 1
    n = len(faqs)

    def idf(term: str) -> float:
        return math.log(1 + n / df.get(term, 0.5))

    keywords = {k.lower() for faq in faqs for k in faq.keyword_list}
    query = _query_terms(question, keywords)
    total = sum(idf(t) for t in query)
    if not total:
        return []
    hits = []
    for faq in faqs:
        all_terms, own = terms[faq.pk]
        shared = query & all_terms
        if not shared:
            continue
        overlap = sum(idf(t) for t in shared) / total
        own_total = sum(idf(t) for t in own)
        coverage = sum(idf(t) for t in own & query) / own_total if own_total else 0.0
        hits.append(FaqHit(faq=faq, score=round(2 * overlap + coverage, 3), matched=sorted(shared)))
    hits = [h for h in hits if h.score > 0.3]
    hits.sort(key=lambda h: (-h.score, h.faq.order, h.faq.pk))
    return hits[:limit]


def law_hits(question: str, *, limit: int = MAX_LAWS) -> tuple[list[Any], bool]:
    """Articles from the law search, and whether the search is there at all (it is imported lazily)."""
    try:
        from lawdesk.laws.search import search_articles  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return [], False
    try:
        return list(search_articles(question, limit=limit)), True
    except Exception:  # an empty or missing corpus must not break the assistant
        logger.exception("law search failed")
        return [], True


def _hook(question: str, reply: Reply) -> str:
    path = str(getattr(settings, "LAWDESK_ASSISTANT_HOOK", "") or "")
    if not path:
        return ""
    try:
        result = import_string(path)(question, reply.faqs, reply.laws)
    except Exception:
        logger.exception("assistant hook failed")
        return ""
    return str(result or "")


def ask(question: str) -> Reply:
    question = (question or "").strip()[:300]
    reply = Reply(question=question)
    if not question:
        return reply
    reply.faqs = match_faqs(question)
    reply.laws, reply.laws_available = law_hits(question)
    reply.extra = _hook(question, reply)
    return reply
