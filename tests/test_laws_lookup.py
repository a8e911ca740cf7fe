"""What a new process maps instead of building (``lawdesk/laws/lookup.py``): jieba's dictionary and the sentence
encoder's arrays and piece table, stored once under the var directory as plain .npy files (never unpickled),
reused by the next process, rebuilt when their key changes, and giving the same words and the same vectors as
the libraries' own loading; the article vectors aligned with the stored index, memory-mapped."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.test import override_settings

from lawdesk.laws import lookup, search, segment, semantic

TEXTS = [
    "老板拖欠工资不给怎么办",
    "邻居家的树倒了砸坏我的车，谁赔？",
    "离婚后孩子的抚养费一个月给多少",
    "房东不退押金",
    "中华人民共和国民法典第一千零六十七条",
    "网购买到假货可以要求三倍赔偿吗",
    "社区矫正对象能不能出省打工",
    "我的个人信息被公司泄露了",
]


@pytest.fixture
def var_dir(tmp_path: Path) -> Iterator[Path]:
    with override_settings(VAR_DIR=tmp_path):
        segment._table = None
        segment._query_words.cache_clear()
        yield tmp_path
    segment._table = None
    segment._query_words.cache_clear()


def test_a_table_is_built_once_then_reused_and_rebuilt_when_its_key_changes(var_dir: Path) -> None:
    builds: list[str] = []

    def build() -> tuple[dict[str, int], dict[str, Any]]:
        builds.append("built")
        return {"劳": 0, "劳动": 5, "劳动者": 9, "工": 0, "工资": 7}, {"total": 21}

    first = lookup.cached_table("words", "key-1", build)
    again = lookup.cached_table("words", "key-1", build)
    assert builds == ["built"]
    assert (
        first.within("劳动者的工资")
        == again.within("劳动者的工资")
        == {
            "劳": 0,
            "工": 0,
            "劳动": 5,
            "工资": 7,
            "劳动者": 9,
        }
    )
    assert again.extra == {"total": 21}
    lookup.cached_table("words", "key-2", build)
    assert builds == ["built", "built"]
    assert sorted(p.name for p in (var_dir / "law-cache").iterdir()) == ["words-key-1", "words-key-2"]


def test_a_stored_table_holding_a_pickle_is_refused_and_rebuilt(var_dir: Path) -> None:
    def build() -> tuple[dict[str, int], dict[str, Any]]:
        return {"法": 1, "法律": 2}, {}

    folder = var_dir / "law-cache" / "words-k"
    lookup.cached_table("words", "k", build)
    # Replace a stored array by a pickled object array: loading must refuse it, never unpickle it.
    np.save(folder / "keys-2.npy", np.array([object()], dtype=object), allow_pickle=True)
    with pytest.raises(ValueError):
        lookup.SubstringTable(folder)
    table = lookup.cached_table("words", "k", build)
    assert table.within("法律") == {"法": 1, "法律": 2}


def test_a_query_is_segmented_as_with_jiebas_whole_dictionary(var_dir: Path) -> None:
    colloquial = (search.DATA_DIR / "colloquial.tsv").read_text(encoding="utf-8").splitlines()
    texts = TEXTS + [line.split("\t")[0] for line in colloquial if line and not line.startswith("#")][:200]
    assert [segment.tokens(t) for t in texts] == [segment.tokens(t, whole_dictionary=True) for t in texts]
    assert list((var_dir / "law-cache").glob("jieba-*/table.json"))


def test_a_new_process_maps_jiebas_dictionary_instead_of_loading_it(
    var_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = segment.tokens("拖欠劳动报酬", whole_dictionary=True)
    segment.tokens("劳动合同")  # stores the table
    segment._table = None
    segment._query_words.cache_clear()

    def whole_dictionary() -> None:
        raise AssertionError("the whole dictionary was loaded")

    monkeypatch.setattr(segment, "_jieba", whole_dictionary)
    assert segment.tokens("拖欠劳动报酬") == expected
    assert "劳动报酬" in expected


def test_the_mapped_encoder_gives_the_packages_vectors_and_is_stored_once(
    var_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mapped = semantic.load_encoder()
    decoded = semantic._decoded_encoder()
    assert type(mapped._sp).__name__ == "MappedTokenizer"
    for text in TEXTS:
        assert mapped._sp.encode(text) == decoded._sp.encode(text)
    assert np.array_equal(mapped.encode(TEXTS), decoded.encode(TEXTS))
    folder = next((var_dir / "law-cache").glob("usem3-[0-9a-f]*"))
    meta = json.loads((folder / "encoder.json").read_text(encoding="utf-8"))
    assert "table" in meta["arrays"]
    # the big table is memory-mapped, not copied into the process
    assert isinstance(mapped._backend.table.base, np.memmap) or isinstance(mapped._backend.table, np.memmap)

    def decode() -> None:
        raise AssertionError("the encoder was decoded again")

    monkeypatch.setattr(semantic, "_decoded_encoder", decode)
    again = semantic.load_encoder()
    assert np.array_equal(again.encode(TEXTS[:2]), decoded.encode(TEXTS[:2]))
    # a new package version (another key) is stored beside it
    monkeypatch.setattr(semantic, "encoder_key", lambda: "other-version")
    monkeypatch.setattr(semantic, "_decoded_encoder", lambda: decoded)
    semantic.load_encoder()
    assert (var_dir / "law-cache" / "usem3-other-version" / "encoder.json").exists()


def test_the_encoders_stored_arrays_are_never_unpickled(var_dir: Path) -> None:
    semantic.load_encoder()
    folder = next((var_dir / "law-cache").glob("usem3-[0-9a-f]*"))
    np.save(folder / "backend-d0.npy", np.array([object()], dtype=object), allow_pickle=True)
    encoder = semantic.load_encoder()  # refused: falls back to the package's own loading
    assert type(encoder._sp).__name__ != "MappedTokenizer"
    assert encoder.encode(["法"]).shape == (1, semantic.DIM)
