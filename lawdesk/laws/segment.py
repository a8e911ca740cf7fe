"""Chinese word segmentation for the law search: jieba's search mode (a word and its sub-words, so
``劳动报酬`` also matches ``报酬``), the same for the index and the query."""

from __future__ import annotations

import logging
import re
import threading
from functools import cache

_WORD = re.compile(r"[\u4e00-\u9fff]+|[A-Za-z0-9]+")
_lock = threading.Lock()

# Question words and fillers that carry no meaning for the search.
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
        "由",
        "从",
        "被",
        "把",
        "及",
        "或",
        "并",
        "等",
        "请问",
        "请",
        "问",
        "我",
        "我们",
        "你",
        "你们",
        "他",
        "她",
        "它",
        "他们",
        "这",
        "那",
        "这个",
        "那个",
        "个",
        "之",
        "其",
        "什么",
        "怎么",
        "怎么办",
        "怎样",
        "如何",
        "咨询",
        "一下",
        "有关",
        "关于",
        "应该",
        "可以",
        "能",
        "能不能",
        "可不可以",
        "是否",
        "有没有",
        "如果",
        "因为",
        "所以",
        "但是",
        "然后",
        "因此",
        "还",
        "也",
        "就",
        "都",
        "又",
        "吗",
        "呢",
        "吧",
        "啊",
        "呀",
        "嘛",
        "么",
        "要",
        "会",
        "该",
        "想",
        "说",
        "给",
        "让",
        "没",
        "没有",
        "不",
        "有",
        "去",
        "来",
        "到",
        "上",
        "下",
        "里",
        "着",
        "过",
        "得",
        "地",
        "多少",
        "几",
        "哪",
        "哪里",
        "谁",
        "为什么",
        "一个",
        "一直",
        "已经",
        "现在",
        "时候",
        "一",
        "么办",
        "办",
        "找",
        "管",
        "算",
        "人家",
        "有人",
        "别人",
        "自己",
        "东西",
        "家里",
        "块",
        "块钱",
        "万块",
        "好",
        "好几",
        "几万",
        "太",
        "很",
        "非常",
        "总",
        "总是",
        "经常",
        "老是",
        "还是",
        "而且",
        "以后",
        "之后",
        "以前",
        "的话",
        "这样",
        "那样",
    ]
)


@cache
def _jieba() -> object:
    import jieba

    from lawdesk.core.logfilter import adopt_library_logger

    adopt_library_logger("jieba")  # its own stderr handler would bypass the redacting filter
    jieba.setLogLevel(logging.WARNING)
    with _lock:
        jieba.initialize()
    return jieba


def tokens(text: str) -> list[str]:
    """Index/query terms of ``text``: jieba search-mode words, lower-cased, without punctuation or stop words."""
    jieba = _jieba()
    out: list[str] = []
    for chunk in _WORD.findall(text or ""):
        if not re.match(r"[\u4e00-\u9fff]", chunk):
            out.append(chunk.lower())
            continue
        for word in jieba.lcut_for_search(chunk):  # type: ignore[attr-defined]
            if word not in STOPWORDS:
                out.append(word)
    return out


def segmented(text: str) -> str:
    """The space-joined terms stored in ``Article.search_text``."""
    return " ".join(tokens(text))
