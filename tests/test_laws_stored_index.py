"""The law search index is computed once per corpus import and stored (numpy files under the var directory, no
pickle); another process loads it instead of rebuilding it from the database, ranks exactly as the built one,
and notices a newer import through the shared version key without asking the database on every search."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from django.core.cache import cache

from lawdesk.laws import search
from lawdesk.laws.models import CorpusImport, Law
from lawdesk.laws.services import import_corpus

SLICE = ("劳动合同法", "老年人权益保障法")
QUERIES = ("老板拖欠工资怎么办", "子女不给养老钱", "试用期被辞退", "劳动合同法第三十条")


@pytest.fixture(scope="module")
def corpus(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock():
        import_corpus(actor=None, only=SLICE, force=True)
        yield
        Law.objects.all().delete()
        CorpusImport.objects.all().delete()
        search.reset_index()


def _ranking(index: search.Index, query: str) -> list[tuple[int, float]]:
    groups = search.query_groups(query, expand=True, vocabulary=index.postings)
    weights: dict[str, float] = {}
    for terms, weight in groups:
        for term in terms:
            weights[term] = max(weights.get(term, 0.0), weight)
    return index.top(weights, 10, groups=groups)


@pytest.mark.django_db
def test_the_index_is_stored_once_as_numpy_files_and_loads_memory_mapped(corpus: None) -> None:
    folder = search.store_index()
    assert folder is not None and folder.is_dir()
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted([f"{name}.npy" for name in search.Index.ARRAYS] + ["terms.txt"])
    for name in search.Index.ARRAYS:  # plain arrays: loading never unpickles anything
        assert np.load(folder / f"{name}.npy", allow_pickle=False).dtype != object
    stamp = (folder / "positions.npy").stat().st_mtime_ns
    assert search.store_index() == folder and (folder / "positions.npy").stat().st_mtime_ns == stamp
    loaded = search.Index.load(folder, search.law_prior_by_id())
    assert isinstance(loaded.postings.positions, np.memmap)
    built = search.build_index()
    assert loaded.size == built.size and len(loaded.postings) == len(built.postings)
    for query in QUERIES:
        assert _ranking(loaded, query) == _ranking(built, query), query


@pytest.mark.django_db
def test_a_new_process_answers_from_the_stored_index_without_reading_the_articles(
    corpus: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    search.store_index()
    search.reset_index()  # as a freshly started process

    def no_rebuild() -> list[tuple[int, int, str]]:
        raise AssertionError("the index was rebuilt from the articles")

    monkeypatch.setattr(search, "searched_rows", no_rebuild)
    hits = search.search_articles("老板拖欠工资怎么办", limit=3)
    assert hits and hits[0].law_title.endswith("劳动合同法")


@pytest.mark.django_db
def test_a_missing_or_broken_stored_index_is_rebuilt_and_stored(corpus: None) -> None:
    folder = search.index_dir(search._corpus_key())
    assert folder is not None
    search.store_index()
    (folder / "terms.txt").write_text("broken", encoding="utf-8")
    search.reset_index()
    assert search.search_articles("拖欠工资", limit=1)  # rebuilt from the database, still answers
    assert (folder / "terms.txt").read_text(encoding="utf-8") != "broken"  # and stored again, whole


@pytest.mark.django_db
def test_a_search_reads_the_shared_version_key_and_asks_the_database_only_when_it_changes(
    corpus: None, django_assert_max_num_queries: Any
) -> None:
    cache.clear()
    search.reset_index()
    search.get_index()
    with django_assert_max_num_queries(0):
        search.get_index()
        search.get_index()
    cache.set(search.VERSION_KEY, "another-import", timeout=None)  # an import committed on another server
    with django_assert_max_num_queries(1):
        search.get_index()  # asks the database once: the same import, the cached index stays
    with django_assert_max_num_queries(0):
        search.get_index()  # that version was checked: no further question
    search.publish_version()
    assert cache.get(search.VERSION_KEY) == search._version(search._corpus_key())
