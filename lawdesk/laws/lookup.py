"""Large word tables a new process maps instead of building: jieba's prefix dictionary (about 500,000 words and
prefixes, 1–2 s to load per process) and the sentence encoder's tokenizer vocabulary (250,000 piece prefixes,
about 0.6 s to parse from ``sp.model``).

Both algorithms only ever look up *substrings of the text they segment*. So instead of a dict of every word,
a call gets ``table.within(text)``: the entries of the table that occur in ``text``, found with a few binary
searches over sorted numpy arrays (one per key length) that are stored once under ``VAR_DIR/law-cache/`` and
memory-mapped by every process (shared through the page cache, never unpickled). Given that small dict, the
segmenter's result is the same as with the whole dictionary, because every key it reads is in it or absent
from both (``tests/test_laws_lookup.py`` compares them).

A cache folder is named by a key (the library's version and its data files' sizes and times), written to a
temporary folder and renamed into place (a concurrent writer simply loses the race), and rebuilt when the key
changes.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

FORMAT = "1"  # bump when the stored layout changes


def cache_root() -> Path:
    from django.conf import settings

    return Path(settings.VAR_DIR) / "law-cache"


def file_key(*parts: object, files: tuple[str | os.PathLike[str], ...] = ()) -> str:
    """A short digest of ``parts`` and each file's path, size and modification time."""
    items = [str(p) for p in parts]
    for name in files:
        stat = os.stat(name)
        items.append(f"{os.fspath(name)}:{stat.st_size}:{stat.st_mtime_ns}")
    items.append(FORMAT)
    return hashlib.sha256("|".join(items).encode()).hexdigest()[:16]


def write_folder(folder: Path, fill: Callable[[Path], None]) -> None:
    """Create ``folder`` atomically: ``fill`` writes into a temporary sibling that is then renamed."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = folder.with_name(f"{folder.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:6]}")
    tmp.mkdir()
    try:
        fill(tmp)
        os.rename(tmp, folder)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        if not folder.is_dir():
            raise


def save_array(folder: Path, name: str, array: np.ndarray) -> None:
    np.save(folder / f"{name}.npy", np.ascontiguousarray(array), allow_pickle=False)


def load_array(folder: Path, name: str, *, mmap: bool = True) -> np.ndarray:
    return np.load(folder / f"{name}.npy", mmap_mode="r" if mmap else None, allow_pickle=False)


class SubstringTable:
    """A read-only ``str → int`` table stored as sorted arrays, one per key length, memory-mapped."""

    def __init__(self, folder: Path) -> None:
        meta = json.loads((folder / "table.json").read_text(encoding="utf-8"))
        self.lengths: list[int] = list(meta["lengths"])
        self.closed: bool = bool(meta["closed"])  # every key's prefixes are keys too
        self.extra: dict[str, Any] = dict(meta.get("extra", {}))
        self.keys = {n: load_array(folder, f"keys-{n}") for n in self.lengths}
        self.values = {n: load_array(folder, f"values-{n}") for n in self.lengths}
        for n in self.lengths:
            if self.keys[n].dtype != np.dtype(f"<U{n}") or len(self.keys[n]) != len(self.values[n]):
                raise ValueError(f"stored table {folder} is inconsistent")
        self.max_len = max(self.lengths, default=0)

    @staticmethod
    def write(folder: Path, mapping: Mapping[str, int], extra: dict[str, Any] | None = None) -> None:
        by_length: dict[int, list[str]] = {}
        for key in mapping:
            if key and "\x00" not in key:  # numpy's unicode strings drop trailing NULs
                by_length.setdefault(len(key), []).append(key)
        closed = all(len(k) == 1 or k[:-1] in mapping for keys in by_length.values() for k in keys)

        def fill(tmp: Path) -> None:
            for n, keys in by_length.items():
                ordered = np.array(sorted(keys), dtype=f"<U{n}")
                save_array(tmp, f"keys-{n}", ordered)
                save_array(
                    tmp, f"values-{n}", np.array([mapping[k] for k in ordered.tolist()], dtype=np.int64)
                )
            meta = {"lengths": sorted(by_length), "closed": closed, "extra": extra or {}}
            (tmp / "table.json").write_text(json.dumps(meta), encoding="utf-8")

        write_folder(folder, fill)

    def within(self, text: str) -> dict[str, int]:
        """The table's entries that are substrings of ``text``."""
        out: dict[str, int] = {}
        size = len(text)
        for n in range(1, min(self.max_len, size) + 1):
            keys = self.keys.get(n)
            if keys is None or not len(keys):
                if self.closed:
                    break
                continue
            grams = list(dict.fromkeys(text[i : i + n] for i in range(size - n + 1)))
            wanted = np.array(grams, dtype=f"<U{n}")
            at = np.searchsorted(keys, wanted)
            at[at >= len(keys)] = 0
            found = np.flatnonzero(keys[at] == wanted)
            if not len(found):
                if self.closed:  # no key of this length here: none longer either
                    break
                continue
            values = self.values[n][at[found]].tolist()
            for i, value in zip(found.tolist(), values, strict=True):
                out[grams[i]] = value
        return out


def cached_table(
    name: str, key: str, build: Callable[[], tuple[Mapping[str, int], dict[str, Any]]]
) -> SubstringTable:
    """The stored table ``name`` for ``key``: built (``build`` returns the mapping and extra metadata) and stored
    the first time, memory-mapped afterwards. An unreadable folder is rebuilt."""
    folder = cache_root() / f"{name}-{key}"
    if folder.is_dir():
        try:
            return SubstringTable(folder)
        except (OSError, ValueError, KeyError):
            shutil.rmtree(folder, ignore_errors=True)
    mapping, extra = build()
    SubstringTable.write(folder, mapping, extra)
    return SubstringTable(folder)
