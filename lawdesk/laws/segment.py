"""Chinese word segmentation for the law search: jieba's search mode (a word and its sub-words, so
``劳动报酬`` also matches ``报酬``), the same for the index and the query.

The import segments the whole corpus with jieba's own dictionary (a dict of about 500,000 words and prefixes,
1–2 s to load). A query does not load it: jieba only looks up substrings of the text it segments, so a query is
segmented with just the dictionary entries that occur in it, found in a table stored once under the var
directory and memory-mapped (``lookup.py``); the words are the same (``tests/test_laws_lookup.py``).
"""

from __future__ import annotations

import logging
import re
import sys
import threading
from functools import cache, lru_cache
from typing import Any

_WORD = re.compile(r"[\u4e00-\u9fff]+|[A-Za-z0-9]+")
_lock = threading.Lock()
_import_lock = threading.Lock()

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
def _jieba_module() -> Any:
    with _import_lock:
        if "pkg_resources" in sys.modules:
            import jieba
        else:
            # jieba imports pkg_resources (0.1 s of CPU: it scans every installed distribution) only to open
            # its own data files, and opens them by path when that import fails: the same files, without the
            # scan. No other library a process serves with imports pkg_resources (pytest's monkeypatch does).
            sys.modules["pkg_resources"] = None  # type: ignore[assignment]
            try:
                import jieba
            finally:
                if "pkg_resources" in sys.modules and sys.modules["pkg_resources"] is None:
                    del sys.modules["pkg_resources"]

    from lawdesk.core.logfilter import adopt_library_logger

    adopt_library_logger("jieba")  # its own stderr handler would bypass the redacting filter
    jieba.setLogLevel(logging.WARNING)
    return jieba


def _jieba() -> Any:
    """jieba with its whole dictionary loaded (the import's bulk segmentation)."""
    jieba = _jieba_module()
    with _lock:
        jieba.initialize()
    return jieba


def _dictionary_key() -> str:
    import os

    from lawdesk.laws.lookup import file_key

    jieba = _jieba_module()
    dictionary = jieba.dt.dictionary or os.path.join(os.path.dirname(jieba.__file__), jieba.DEFAULT_DICT_NAME)
    return file_key("jieba", jieba.__version__, files=(dictionary,))


def _build_dictionary() -> tuple[dict[str, int], dict[str, Any]]:
    jieba = _jieba()
    return jieba.dt.FREQ, {"total": int(jieba.dt.total)}


_table: tuple[str, Any] | None = None
_table_lock = threading.Lock()


def dictionary_table() -> Any:
    """jieba's dictionary as a memory-mapped ``SubstringTable`` (stored once per jieba version and var
    directory; looked up once per process and var directory)."""
    global _table
    from django.conf import settings

    place = str(settings.VAR_DIR)
    if _table is None or _table[0] != place:
        from lawdesk.laws.lookup import cached_table

        with _table_lock:
            if _table is None or _table[0] != place:
                _table = (place, cached_table("jieba", _dictionary_key(), _build_dictionary))
                _query_words.cache_clear()
    return _table[1]


@lru_cache(maxsize=4096)
def _query_words(chunk: str) -> tuple[str, ...]:
    """jieba's search-mode words of one run of Chinese characters, segmented with only the dictionary entries
    occurring in it (all jieba would read of its dictionary)."""
    jieba = _jieba_module()
    table = dictionary_table()
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ = table.within(chunk)
    tokenizer.total = table.extra["total"]
    tokenizer.initialized = True
    return tuple(tokenizer.lcut_for_search(chunk))


def tokens(text: str, *, whole_dictionary: bool = False) -> list[str]:
    """Index/query terms of ``text``: jieba search-mode words, lower-cased, without punctuation or stop words.
    ``whole_dictionary`` loads jieba's dictionary (worth it for the corpus, not for a query)."""
    whole = _jieba() if whole_dictionary else None
    out: list[str] = []
    for chunk in _WORD.findall(text or ""):
        if not re.match(r"[\u4e00-\u9fff]", chunk):
            out.append(chunk.lower())
            continue
        words = whole.lcut_for_search(chunk) if whole is not None else _query_words(chunk)
        for word in words:
            if word not in STOPWORDS:
                out.append(word)
    return out


def segmented(text: str) -> str:
    """The space-joined terms stored in ``Article.search_text``."""
    return " ".join(tokens(text, whole_dictionary=True))
