"""Law search: ``search_articles(query, limit=10) -> list[ArticleHit]``, the one entry point other code uses
(the citizens' self-service assistant, the search page, ``manage.py search_laws``).

How it ranks (docs/law-search.md has the measurements behind the choice):

* a BM25 index over ``Article.search_text`` (jieba search-mode terms written at import), computed once per
  corpus import (``import_laws``, or the first process that needs it) and stored under ``VAR_DIR/law-index/`` as
  numpy arrays that every process memory-maps; a new import is noticed through a version key in the shared
  cache (or the database, at most every minute); the same code and the same numbers on SQLite and PostgreSQL;
* colloquial expansion: ``data/colloquial.tsv`` maps what citizens say (老板, 拖欠工资, 养老钱, 树+砸 …) to the
  words the law uses (用人单位, 劳动报酬, 赡养费, 林木 折断 …), each with a weight;
* a prior per law (``data/law_priors.tsv``): the laws citizens actually need weigh more;
* a citation in the query (``民法典第1067条``, ``《劳动合同法》第三十条``) puts that article first;
* meaning: the shipped sentence encoder's cosine is fused with the lexical score (``Fusion``), and a stronger
  encoder (multilingual-e5-small, ``rerank.py``) re-orders the fused ranking's best ``rerank.TOP``, where the
  vectors of both are stored.
"""

from __future__ import annotations

import logging
import math
import re
import threading
import time
from collections import Counter
from collections.abc import Container
from concurrent.futures import Future
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
from django.conf import settings

from lawdesk.laws import rerank as second_stage
from lawdesk.laws import semantic
from lawdesk.laws.models import CURRENT_STATUSES, Article, CorpusImport, Law
from lawdesk.laws.segment import tokens

logger = logging.getLogger(__name__)
DATA_DIR = Path(__file__).resolve().parent / "data"
# doc types whose articles are searched: amendments and amendment decisions only restate other laws
SEARCHED_DOC_TYPES = ("法律", "宪法", "立法解释")
K1 = 1.2
B = 0.75
EXPANSION_WEIGHT = 0.7
COVERAGE = 0.2  # re-rank: score × (1 + COVERAGE × weighted share of the query's concepts present)
RERANK = 50
WHOLE_TERMS = True  # an expansion term counts as its whole word when indexed (see _legal_terms)


@dataclass(frozen=True)
class Fusion:
    """How the semantic score joins BM25: ``(1 - w) × lexical / best lexical + w × cosine / best cosine`` over
    the union of both candidate lists (lexical = BM25 × law prior × concept re-rank; the cosine optionally × the
    law prior), where the weight ``w`` depends on how strong the lexical evidence is:

    * ``weight`` (0.05) when the colloquial map matched at least ``strong_rows`` rows (2) of the question *and*
      its best lexical score is at least ``weak_below`` (30): the maintained map recognised the question and the
      words found articles, so the cosine breaks near-ties only: an article can pass another by meaning only if
      it is behind by less than weight / (1 - weight) ≈ 5.3% of the best lexical score;
    * ``weak_weight`` (0.7) otherwise: the map knows at most one of the question's phrases, or the words found
      little (a median question of the sets written without the map scores 25–27, matches 1 row): meaning is
      trusted more than the words, the words still count.

    Chosen on every measured set (tune, A–G; F and G, written without reading the map, most); the sweeps are in
    docs/law-search.md ("Fusion rule, fourth round", ``bench/laws/fusion_sweep.py``)."""

    weight: float = 0.05
    weak_weight: float = 0.7
    weak_below: float = 30.0  # best lexical score under which the lexical evidence counts as weak
    strong_rows: int = (
        2  # colloquial rows the question must match for its lexical evidence to count as strong
    )
    candidates: int = 100  # nearest articles by cosine added to the BM25 candidates
    prior_on_cosine: bool = True
    expand_query: bool = False  # embed the query with its colloquial rows' legal terms appended

    def strong(self, top_lexical: float, mapped_rows: int) -> bool:
        """Whether the lexical evidence of a question whose best lexical score is ``top_lexical`` and in which the
        colloquial map matched ``mapped_rows`` rows (``matched_rows()``) counts as strong."""
        return top_lexical >= self.weak_below and mapped_rows >= self.strong_rows

    def weight_for(self, top_lexical: float, mapped_rows: int) -> float:
        """The cosine's weight for such a question."""
        return self.weight if self.strong(top_lexical, mapped_rows) else self.weak_weight


FUSION = Fusion()
COSINE_ONLY = Fusion(weight=1.0, weak_weight=1.0)


def fuse(lexical: np.ndarray, cosine: np.ndarray, fusion: Fusion, *, mapped_rows: int) -> np.ndarray:
    """The fused score of each candidate: ``(1 - w) × lexical / best lexical + w × cosine / best cosine`` with
    ``w = fusion.weight_for(best lexical, mapped_rows)`` (see ``Fusion``)."""
    top_lexical = float(lexical.max()) if len(lexical) else 0.0
    weight = fusion.weight_for(top_lexical, mapped_rows)
    lexical_part = lexical / top_lexical if top_lexical > 0 else lexical
    top_cosine = float(cosine.max()) if len(cosine) else 0.0
    cosine_part = cosine / top_cosine if top_cosine > 0 else cosine
    return (1 - weight) * lexical_part + weight * cosine_part


@dataclass(frozen=True)
class ArticleHit:
    law_id: int
    law_title: str
    article_no: int
    article_label: str
    text: str
    score: float
    url: str
    chapter: str = ""
    terms: tuple[str, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Expansion:
    parts: tuple[str, ...]  # all must occur in the query (substring match)
    terms: tuple[str, ...]
    weight: float


# --- the maintained data files ---------------------------------------------------------------------------------


@cache
def expansions() -> tuple[Expansion, ...]:
    """``colloquial.tsv``: ``pattern<TAB>legal terms<TAB>[weight]``; ``A+B`` means both A and B occur."""
    rows: list[Expansion] = []
    for line in (DATA_DIR / "colloquial.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        weight = float(cells[2]) if len(cells) > 2 and cells[2].strip() else EXPANSION_WEIGHT
        rows.append(Expansion(tuple(cells[0].strip().split("+")), tuple(cells[1].split()), weight))
    return tuple(rows)


@cache
def law_priors() -> dict[str, float]:
    """``law_priors.tsv``: ``short title<TAB>multiplier`` (a law not listed weighs 1.0)."""
    out: dict[str, float] = {}
    for line in (DATA_DIR / "law_priors.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, weight = line.split("\t")[:2]
        out[name.strip()] = float(weight)
    return out


@cache
def specialist_terms() -> dict[str, float]:
    """``specialist_terms.tsv``: ``term<TAB>multiplier`` for articles using a specialist term the question
    does not contain (融资租赁 when a tenant asks about 租赁)."""
    out: dict[str, float] = {}
    for line in (DATA_DIR / "specialist_terms.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        term, weight = line.split("\t")[:2]
        out[term.strip()] = float(weight)
    return out


def short_title(title: str) -> str:
    return title.removeprefix("中华人民共和国") if len(title) > 9 else title


# --- the query -------------------------------------------------------------------------------------------------


def _legal_terms(legal: str, vocabulary: Container[str] | None) -> list[str]:
    """A legal term as index terms: the whole word when the index knows it (劳动报酬), else its segments. Not
    its sub-words too, or a four-character term would count four times against a precise one (克扣)."""
    if vocabulary is not None and legal in vocabulary:
        return [legal]
    return tokens(legal)


def query_groups(
    query: str, *, expand: bool = True, vocabulary: Container[str] | None = None
) -> list[tuple[tuple[str, ...], float]]:
    """The query's concepts: each of its own words (weight 1.0) and, with ``expand``, each colloquial row it
    matches (the row's legal terms and weight)."""
    groups: list[tuple[tuple[str, ...], float]] = [((term,), 1.0) for term in dict.fromkeys(tokens(query))]
    if expand:
        compact = re.sub(r"\s+", "", query)
        for row in expansions():
            if all(part in compact for part in row.parts):
                terms = tuple(
                    dict.fromkeys(t for legal in row.terms for t in _legal_terms(legal, vocabulary))
                )
                if terms:
                    groups.append((terms, row.weight))
    return groups


def matched_rows(query: str, groups: list[tuple[tuple[str, ...], float]]) -> int:
    """How many colloquial rows ``query_groups`` matched: the groups after the query's own words."""
    return max(0, len(groups) - len(dict.fromkeys(tokens(query))))


def query_terms(query: str, *, expand: bool = True) -> dict[str, float]:
    """The weighted terms of a query: its own words (1.0) and, with ``expand``, the legal words its colloquial
    phrases map to (each row's weight; a term keeps its highest weight)."""
    weights: dict[str, float] = {}
    for terms, weight in query_groups(query, expand=expand):
        for term in terms:
            if weights.get(term, 0.0) < weight:
                weights[term] = weight
    return weights


CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CITATION = re.compile(r"《?([\u4e00-\u9fff]{2,40}?)》?\s*第\s*([一二三四五六七八九十百千零〇两0-9]+)\s*条")


def cn_number(text: str) -> int | None:
    """``一千零六十七`` → 1067, ``30`` → 30; ``None`` if it is not a number."""
    if text.isdigit():
        return int(text)
    total = digit = 0
    for ch in text:
        if ch in CN_DIGITS:
            digit = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            total += (digit or 1) * CN_UNITS[ch]
            digit = 0
        else:
            return None
    return total + digit


# --- the index -------------------------------------------------------------------------------------------------


class Postings:
    """Per term, the article positions and their precomputed BM25 tf part, held as three flat arrays (every
    term's entries one after the other, ``offsets`` marking where each starts): a few arrays instead of two
    small arrays per term, so the index takes little memory and can be stored and memory-mapped as it is.
    Reads like the ``dict[str, (positions, parts)]`` it replaces: ``postings.get(term)``, ``term in postings``."""

    def __init__(
        self, terms: list[str], offsets: np.ndarray, positions: np.ndarray, parts: np.ndarray, idf: np.ndarray
    ) -> None:
        self.terms = terms
        self.row = {term: i for i, term in enumerate(terms)}
        self.offsets = offsets
        self.positions = positions
        self.parts = parts
        self.idf_values = idf

    def get(self, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        i = self.row.get(term)
        if i is None:
            return None
        start, end = int(self.offsets[i]), int(self.offsets[i + 1])
        return self.positions[start:end], self.parts[start:end]

    def idf(self, term: str) -> float:
        return float(self.idf_values[self.row[term]])

    def __contains__(self, term: object) -> bool:
        return term in self.row

    def __len__(self) -> int:
        return len(self.terms)


class Index:
    """BM25 over the searched articles (``Postings``), the articles' law priors, and optionally their vectors.

    Built from the database rows (``Index(rows, priors)``) once per corpus import, stored under the var directory
    (``save``) and loaded by every other process (``Index.load``: numpy files, memory-mapped, no pickle)."""

    def __init__(
        self, rows: list[tuple[int, int, str]] | None = None, priors: dict[int, float] | None = None
    ) -> None:
        self.vectors: np.ndarray | None = None  # L2-normalised article vectors (semantic.py), if stored
        self.rerank_vectors: np.ndarray | None = None  # the re-ranking encoder's (rerank.py), if stored
        if rows is None:  # filled by ``load``
            return
        self.article_ids = np.array([r[0] for r in rows], dtype=np.int64)
        self.law_ids = np.array([r[1] for r in rows], dtype=np.int64)
        self.set_priors(priors or {})
        docs = [text.split() for _, _, text in rows]
        lengths = np.array([len(d) for d in docs], dtype=np.float32)
        avg = float(lengths.mean()) if len(docs) else 1.0
        postings: dict[str, tuple[list[int], list[int]]] = {}
        for position, doc in enumerate(docs):
            for term, count in Counter(doc).items():
                entry = postings.setdefault(term, ([], []))
                entry[0].append(position)
                entry[1].append(count)
        n = len(docs)
        terms = list(postings)
        offsets = np.zeros(len(terms) + 1, dtype=np.int64)
        for i, term in enumerate(terms):
            offsets[i + 1] = offsets[i] + len(postings[term][0])
        total = int(offsets[-1])
        positions = np.empty(total, dtype=np.int32)
        parts = np.empty(total, dtype=np.float32)
        idf = np.empty(len(terms), dtype=np.float64)
        for i, term in enumerate(terms):
            pos = np.array(postings[term][0], dtype=np.int32)
            tf = np.array(postings[term][1], dtype=np.float32)
            norm = K1 * (1 - B + B * lengths[pos] / avg)
            positions[offsets[i] : offsets[i + 1]] = pos
            parts[offsets[i] : offsets[i + 1]] = tf * (K1 + 1) / (tf + norm)
            df = len(pos)
            idf[i] = math.log(1 + (n - df + 0.5) / (df + 0.5))
        self.postings = Postings(terms, offsets, positions, parts, idf)
        self.size = n

    def set_priors(self, priors: dict[int, float]) -> None:
        self.prior = np.array([priors.get(int(law_id), 1.0) for law_id in self.law_ids], dtype=np.float32)

    # --- stored form: one folder of .npy files and the terms as UTF-8 lines --------------------------------

    ARRAYS = ("article_ids", "law_ids", "offsets", "positions", "parts", "idf")

    def save(self, folder: Path) -> None:
        """Write the index to ``folder`` atomically (a temporary folder renamed into place; a concurrent writer
        of the same index simply loses the race)."""
        import os
        import shutil
        import uuid

        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = folder.with_name(f"{folder.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:6]}")
        tmp.mkdir()
        arrays = {
            "article_ids": self.article_ids,
            "law_ids": self.law_ids,
            "offsets": self.postings.offsets,
            "positions": self.postings.positions,
            "parts": self.postings.parts,
            "idf": self.postings.idf_values,
        }
        for name, array in arrays.items():
            np.save(tmp / f"{name}.npy", np.ascontiguousarray(array), allow_pickle=False)
        (tmp / "terms.txt").write_text("\n".join(self.postings.terms), encoding="utf-8")
        try:
            os.rename(tmp, folder)
        except OSError:  # another process stored it first
            shutil.rmtree(tmp, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path, priors: dict[int, float]) -> Index:
        """The stored index: the large arrays memory-mapped (shared by every process through the page cache)."""
        index = cls()
        loaded = {
            name: np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False) for name in cls.ARRAYS
        }
        text = (folder / "terms.txt").read_text(encoding="utf-8")
        terms = text.split("\n") if text else []
        if len(terms) + 1 != len(loaded["offsets"]):
            raise ValueError(f"stored law index {folder} is inconsistent")
        index.article_ids = np.asarray(loaded["article_ids"])
        index.law_ids = np.asarray(loaded["law_ids"])
        index.set_priors(priors)
        index.postings = Postings(
            terms,
            np.asarray(loaded["offsets"]),
            loaded["positions"],
            loaded["parts"],
            np.asarray(loaded["idf"]),
        )
        index.size = len(index.article_ids)
        return index

    def lexical_scores(self, weights: dict[str, float], *, use_prior: bool = True) -> np.ndarray:
        """BM25 of every article (times its law's prior, less a specialist term the query does not use)."""
        scores = np.zeros(self.size, dtype=np.float32)
        for term, weight in weights.items():
            entry = self.postings.get(term)
            if entry is None:
                continue
            positions, part = entry
            scores[positions] += weight * self.postings.idf(term) * part
        if use_prior:
            scores *= self.prior
        for term, factor in specialist_terms().items():
            entry = self.postings.get(term)
            if entry is not None and term not in weights:
                scores[entry[0]] *= factor
        return scores

    def coverage(self, best: np.ndarray, groups: list[tuple[tuple[str, ...], float]]) -> np.ndarray | None:
        """Per candidate, the weighted share of the query's concepts (words, matched rows) it contains."""
        present = [g for g in groups if any(t in self.postings for t in g[0])]
        if not present:
            return None
        hit = np.zeros(len(best), dtype=np.float32)
        total = sum(w for _, w in present)
        for terms, weight in present:
            found = np.zeros(len(best), dtype=bool)
            for term in terms:
                entry = self.postings.get(term)
                if entry is not None:
                    found |= np.isin(best, entry[0], assume_unique=True)
            hit += weight * found
        return hit / total

    def top(
        self,
        weights: dict[str, float],
        limit: int,
        *,
        use_prior: bool = True,
        groups: list[tuple[tuple[str, ...], float]] | None = None,
        query_vector: np.ndarray | None = None,
        fusion: Fusion | None = None,
        mapped_rows: int = 0,
        rerank_vector: np.ndarray | Future[np.ndarray] | None = None,
    ) -> list[tuple[int, float]]:
        """The best ``limit`` articles. With ``groups``, the best ``RERANK`` by BM25 are re-ranked by how
        many of the query's concepts they contain (an article that speaks of 用人单位 *and* 劳动报酬 *and*
        拖欠 beats one that repeats 劳动 often). With ``query_vector`` (and stored article vectors), the
        union of the best ``RERANK`` by BM25 and the best ``fusion.candidates`` by cosine is ranked by a
        weighted sum of the normalised lexical score and the cosine (see ``Fusion``; ``mapped_rows``: how many
        colloquial rows the question matched, ``matched_rows()``). With ``rerank_vector`` (or its future, waited
        for only here; and stored re-ranking vectors), the best ``rerank.TOP`` of that ranking are re-ordered by
        ``rerank.reorder``."""
        if not self.size:
            return []
        scores = self.lexical_scores(weights, use_prior=use_prior) if weights else None
        semantic_on = query_vector is not None and self.vectors is not None
        lexical_n = int(np.count_nonzero(scores)) if scores is not None else 0
        candidates = min(max(limit, RERANK if (groups or semantic_on) else limit), lexical_n)
        if candidates <= 0 and not semantic_on:
            return []
        best = (
            np.argpartition(-scores, candidates - 1)[:candidates]
            if scores is not None and candidates > 0
            else np.zeros(0, dtype=np.int64)
        )
        cosine: np.ndarray | None = None
        if semantic_on:
            assert self.vectors is not None and query_vector is not None
            fusion = fusion or FUSION
            cosine = self.vectors @ query_vector
            k = min(fusion.candidates, self.size)
            near = np.argpartition(-cosine, k - 1)[:k]
            best = np.union1d(best, near)
        lexical = scores[best] if scores is not None else np.zeros(len(best), dtype=np.float32)
        if groups:
            share = self.coverage(best, groups)
            if share is not None:
                lexical = lexical * (1 + COVERAGE * share)
        strong = False
        if cosine is not None and fusion is not None:
            strong = fusion.strong(float(lexical.max()) if len(lexical) else 0.0, mapped_rows)
            near_cos = np.clip(cosine[best], 0.0, None)
            if use_prior and fusion.prior_on_cosine:
                near_cos = near_cos * self.prior[best]
            fused = fuse(lexical, near_cos, fusion, mapped_rows=mapped_rows)
        else:
            fused = lexical
        order = np.argsort(-fused, kind="stable")
        order = order[fused[order] > 0]
        if rerank_vector is not None and self.rerank_vectors is not None and len(order) > 1:
            head = order[: max(limit, second_stage.TOP)]
            if isinstance(rerank_vector, Future):
                rerank_vector = rerank_vector.result()
            cosine_e5 = self.rerank_vectors[best[head]] @ rerank_vector
            weight = second_stage.STRONG_WEIGHT if strong else second_stage.WEIGHT
            score = second_stage.reorder(fused[head], cosine_e5, weight)
            again = np.argsort(-score, kind="stable")[:limit]
            return [(int(self.article_ids[best[head[i]]]), float(score[i])) for i in again]
        return [(int(self.article_ids[best[i]]), float(fused[i])) for i in order[:limit]]


_lock = threading.Lock()
_cached: tuple[object, Index] | None = None
_checked_at = 0.0
_seen_shared: str | None = None  # the shared version last checked against the database
# How often a search asks the database whether a newer corpus was imported. Between those checks it reads only
# the version key in the shared cache (set when an import commits), so an import on another server is seen at
# once where the cache is shared (Redis) and within this many seconds otherwise.
RECHECK_SECONDS = 60.0
VERSION_KEY = "laws:corpus-version"
INDEX_FORMAT = "1"  # bump when the stored arrays or the searched rows change: the index is then rebuilt


def _corpus_key() -> object:
    latest = CorpusImport.objects.order_by("-pk").values_list("pk", "checksum", "imported_at").first()
    return latest


def _version(key: object) -> str:
    return f"{key[0]}-{key[1]}-{key[2].timestamp() if key[2] else ''}" if isinstance(key, tuple) else "none"


def publish_version() -> None:
    """Tell every process that the corpus changed (``import_corpus`` calls this once the import commits)."""
    from django.core.cache import cache

    try:
        cache.set(VERSION_KEY, _version(_corpus_key()), timeout=None)
    except Exception:  # the shared cache down: other processes see the import at their next database check
        logger.warning("共享缓存不可用，法规库版本将由各进程定期核对数据库得知")


def index_dir(key: object) -> Path | None:
    """Where the index of this corpus import is stored: under the var directory, named by the corpus checksum and
    a digest of the import (its row, time) and the database it is in (article ids are that database's)."""
    import hashlib

    from django.conf import settings
    from django.db import connection

    if not isinstance(key, tuple):
        return None
    db = connection.settings_dict
    identity = f"{connection.vendor}|{db.get('HOST')}|{db.get('PORT')}|{db.get('NAME')}|{key[0]}|{key[2]}"
    digest = hashlib.sha256(identity.encode()).hexdigest()[:12]
    return Path(settings.VAR_DIR) / "law-index" / f"{str(key[1])[:16]}-{digest}-v{INDEX_FORMAT}"


def law_prior_by_id() -> dict[int, float]:
    priors = law_priors()
    out: dict[int, float] = {}
    for law_id, title in Law.objects.values_list("pk", "title"):
        weight = priors.get(short_title(title))
        if weight is not None:
            out[law_id] = weight
    return out


def _attach_vectors(index: Index, key: object) -> None:
    """Load the stored article vectors of this corpus into ``index`` if there are any (semantic.py)."""
    if not isinstance(key, tuple) or not semantic.available():
        return
    folder = index_dir(key)
    stored = folder if folder is not None and (folder / "article_ids.npy").exists() else None
    index.vectors = semantic.load_vectors(str(key[1]), index.article_ids, stored)
    if index.vectors is not None and second_stage.available():
        index.rerank_vectors = semantic.load_vectors(
            str(key[1]), index.article_ids, stored, kind=second_stage.E5
        )


def searched_rows() -> list[tuple[int, int, str]]:
    return list(
        Article.objects.filter(law__status__in=CURRENT_STATUSES, law__doc_type__in=SEARCHED_DOC_TYPES)
        .order_by("pk")
        .values_list("pk", "law_id", "search_text")
    )


def build_index() -> Index:
    """The index computed from the database (what every process did before the index was stored)."""
    return Index(searched_rows(), law_prior_by_id())


def load_or_build(key: object, *, store: bool = True) -> Index:
    """The stored index of this corpus import; built from the database (and stored) when there is none."""
    folder = index_dir(key)
    if folder is not None and folder.is_dir():
        try:
            return Index.load(folder, law_prior_by_id())
        except (OSError, ValueError):
            import shutil

            logger.warning("stored law index %s unreadable; rebuilding", folder.name)
            shutil.rmtree(folder, ignore_errors=True)
    index = build_index()
    if store and folder is not None:
        try:
            index.save(folder)
        except OSError:
            logger.warning("law index not stored under %s", folder.parent)
    return index


def store_index() -> Path | None:
    """Compute and store the index of the current corpus unless it is stored already (``import_laws``)."""
    key = _corpus_key()
    folder = index_dir(key)
    if folder is not None and not folder.is_dir():
        build_index().save(folder)
    return folder


def _shared_version() -> str | None:
    from django.core.cache import cache

    try:
        value = cache.get(VERSION_KEY)
    except Exception:  # the shared cache down: fall back to the periodic database check
        return None
    return str(value) if value is not None else None


def get_index() -> Index:
    """The index for the current corpus import: loaded from its stored form (or built and stored) on first use
    and after each new import. A search reads only the shared version key; the database is asked at most every
    ``RECHECK_SECONDS`` (also to pick up vectors stored after the index was loaded)."""
    global _cached, _checked_at, _seen_shared
    cached = _cached
    now = time.monotonic()
    shared = _shared_version()
    fresh = cached is not None and now - _checked_at < RECHECK_SECONDS
    if fresh and cached is not None and (shared is None or shared in (_version(cached[0]), _seen_shared)):
        return cached[1]
    key = _corpus_key()
    _seen_shared = shared
    if cached is not None and cached[0] == key:
        _checked_at = now
        index = cached[1]
        if isinstance(key, tuple) and _vectors_pending(index, str(key[1])):
            with _lock:
                if _vectors_pending(index, str(key[1])):
                    _attach_vectors(index, key)
        return index
    with _lock:
        if _cached is not None and _cached[0] == key:
            return _cached[1]
        index = load_or_build(key)
        _attach_vectors(index, key)
        _cached = (key, index)
        _checked_at = time.monotonic()
        return index


def _vectors_pending(index: Index, checksum: str) -> bool:
    """Whether vectors of this corpus were stored after ``index`` was loaded (an import embedding meanwhile)."""
    if index.vectors is None:
        return semantic.stored(checksum)
    return (
        index.rerank_vectors is None
        and second_stage.available()
        and semantic.stored(checksum, second_stage.E5)
    )


def reset_index() -> None:
    global _cached, _checked_at, _seen_shared
    _cached = None
    _checked_at = 0.0
    _seen_shared = None


# --- the search ------------------------------------------------------------------------------------------------


def _cited_articles(query: str) -> list[Article]:
    out: list[Article] = []
    for match in CITATION.finditer(query):
        name, number = match.group(1), cn_number(match.group(2))
        if number is None:
            continue
        name = name.removeprefix("中华人民共和国")
        law = Law.objects.filter(status__in=CURRENT_STATUSES, title__endswith=name).order_by("title").first()
        if law is None:
            continue
        article = Article.objects.filter(law=law, number=number).select_related("law", "chapter").first()
        if article is not None:
            out.append(article)
    return out


def _hit(article: Article, score: float, terms: tuple[str, ...]) -> ArticleHit:
    return ArticleHit(
        law_id=article.law_id,
        law_title=article.law.title,
        article_no=article.number or 0,
        article_label=article.label,
        text=article.text,
        score=round(score, 4),
        url=article.get_absolute_url(),
        chapter=str(article.chapter) if article.chapter else "",
        terms=terms,
    )


def semantic_ready() -> bool:
    """Whether searches of the current corpus use the semantic score (its vectors are stored and loaded)."""
    return get_index().vectors is not None


def rerank_ready() -> bool:
    """Whether searches of the current corpus are re-ordered by the re-ranking encoder (``rerank.py``)."""
    return get_index().rerank_vectors is not None


def search_articles(
    query: str,
    *,
    limit: int = 10,
    expand: bool = True,
    use_prior: bool = True,
    rerank: bool = True,
    use_semantic: bool = True,
    fusion: Fusion | None = None,
    reorder: bool = True,
) -> list[ArticleHit]:
    """The articles that answer ``query`` (a citizen's words or a citation), best first. ``expand``,
    ``use_prior``, ``rerank`` (the concept re-rank), ``use_semantic`` and ``reorder`` (the second encoder's
    re-ordering) switch parts off for the benchmark's ablations; without stored vectors the ranking is lexical
    only."""
    query = (query or "").strip()[:500]
    if not query or limit <= 0:
        return []
    index = get_index()
    groups = query_groups(query, expand=expand, vocabulary=index.postings if WHOLE_TERMS else None)
    weights: dict[str, float] = {}
    for group_terms, weight in groups:
        for term in group_terms:
            weights[term] = max(weights.get(term, 0.0), weight)
    terms = tuple(sorted(weights, key=len, reverse=True))
    cited = _cited_articles(query) if "条" in query else []
    query_vector = None
    fusion = fusion or FUSION
    reorder = reorder and bool(getattr(settings, "LAWDESK_LAWS_RERANK", True))
    # The second encoder starts on the question now and works while the first stage ranks (rerank.py).
    rerank_vector = (
        second_stage.query_vector_soon(query)
        if use_semantic
        and weights
        and index.vectors is not None
        and reorder
        and index.rerank_vectors is not None
        else None
    )
    if use_semantic and weights and index.vectors is not None:
        text = query
        if fusion.expand_query:
            extra = [t for group_terms, w in groups[1:] for t in group_terms if w >= 0.5 and t not in query]
            text = f"{query} {' '.join(dict.fromkeys(extra))}" if extra else query
        query_vector = semantic.query_vector(text)
    ranked = (
        index.top(
            weights,
            limit,
            use_prior=use_prior,
            groups=groups if rerank else None,
            query_vector=query_vector,
            fusion=fusion,
            mapped_rows=matched_rows(query, groups),
            rerank_vector=rerank_vector,
        )
        if weights
        else []
    )
    articles = Article.objects.select_related("law", "chapter").in_bulk([pk for pk, _ in ranked])
    hits: list[ArticleHit] = []
    seen: set[int] = set()
    top_score = ranked[0][1] if ranked else 1.0
    for article in cited:
        hits.append(_hit(article, top_score + 1.0, terms))
        seen.add(article.pk)
    for pk, score in ranked:
        if pk in seen or pk not in articles:
            continue
        hits.append(_hit(articles[pk], score, terms))
    return hits[:limit]
