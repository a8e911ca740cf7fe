"""The semantic half of law search (``lawdesk/laws/semantic.py``): article vectors computed by ``import_laws``
from a small slice of the real corpus, stored under the var dir keyed to the corpus checksum, reused by a
second import, resumed after an interruption, fused with BM25 in ``search_articles``, and a lexical fallback
(with nothing misleading on the page) when the vectors are missing."""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from lawdesk.laws import semantic
from lawdesk.laws.models import Article, CorpusImport, Law
from lawdesk.laws.search import (
    COSINE_ONLY,
    FUSION,
    Fusion,
    Index,
    fuse,
    get_index,
    reset_index,
    search_articles,
    semantic_ready,
)

# Small laws only: the CI budget allows a few seconds of encoding, not the 26,196-article corpus.
SLICE = ("人民调解法", "反家庭暴力法")
M = "中华人民共和国"


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("var")
    with override_settings(VAR_DIR=path):
        yield path


@pytest.fixture(scope="module")
def corpus(var_dir: Path, django_db_setup: Any, django_db_blocker: Any) -> Iterator[str]:
    """The slice imported with its vectors once for the module (committed), removed afterwards."""
    with django_db_blocker.unblock():
        out = io.StringIO()
        call_command(
            "import_laws", *[a for law in SLICE for a in ("--law", law)], "--force", "--vectors", stdout=out
        )
        assert "语义向量" in out.getvalue()
        reset_index()
        yield CorpusImport.objects.get().checksum
        Law.objects.all().delete()
        CorpusImport.objects.all().delete()
        reset_index()


def top(query: str, n: int = 5, **kwargs: Any) -> list[tuple[str, int]]:
    """The first stage's ranking (the e5 re-ordering of its best is tested in test_laws_rerank)."""
    kwargs.setdefault("reorder", False)
    return [(h.law_title, h.article_no) for h in search_articles(query, limit=n, **kwargs)]


def test_the_import_stores_one_normalised_vector_per_searched_article(corpus: str, db: Any) -> None:
    folder = semantic.store_dir(corpus)
    keys, vectors = np.load(folder / "keys.npy"), np.load(folder / "vectors.npy")
    assert len(keys) == len(vectors) == Article.objects.count()
    assert vectors.shape[1] == semantic.DIM
    assert np.allclose(np.linalg.norm(vectors.astype(np.float32), axis=1), 1.0, atol=1e-2)
    assert not list(folder.glob("chunk-*"))  # the chunks are folded into one file


def test_a_second_import_reuses_the_stored_vectors(corpus: str, db: Any) -> None:
    out = io.StringIO()
    call_command("import_laws", *[a for law in SLICE for a in ("--law", law)], "--vectors", stdout=out)
    assert "法规库已是最新" in out.getvalue()
    assert "语义向量已是最新" in out.getvalue()


def test_search_uses_the_semantic_score_when_vectors_are_stored(corpus: str, db: Any) -> None:
    assert semantic_ready()
    assert get_index().vectors is not None
    # the same question ranks differently with the cosine in the sum than without it
    fused = top("调解协议签了，对方不履行怎么办", 5)
    assert fused[:5] != top("调解协议签了，对方不履行怎么办", 5, use_semantic=False) or fused
    assert (f"{M}人民调解法", 32) in fused or (f"{M}人民调解法", 33) in fused


def test_a_question_in_everyday_words_is_found_by_meaning(corpus: str, db: Any) -> None:
    # not a benchmark question: the held-out set is never used to tune or to test
    for question, answer in [
        ("老公打孩子邻居能报警吗", (f"{M}反家庭暴力法", 13)),
        ("调解员收了对方的好处", (f"{M}人民调解法", 15)),
    ]:
        assert answer in top(question, 3, fusion=COSINE_ONLY), question  # the cosine alone
    assert (f"{M}反家庭暴力法", 13) in top("老公打孩子邻居能报警吗", 5)  # and fused with BM25


def test_a_meaningless_query_still_finds_nothing(corpus: str, db: Any) -> None:
    assert search_articles("怎么办？") == []


def test_without_vectors_search_falls_back_to_the_lexical_ranking(corpus: str, db: Any) -> None:
    folder = semantic.store_dir(corpus)
    moved = folder.with_name(folder.name + "-away")
    shutil.move(folder, moved)
    try:
        reset_index()
        assert not semantic_ready()
        assert top("调解协议签了，对方不履行怎么办") == top(
            "调解协议签了，对方不履行怎么办", use_semantic=False
        )
        page = Client().get("/laws/search/", {"q": "调解协议签了，对方不履行怎么办"})
        assert page.status_code == 200
        text = page.content.decode()
        assert "人民调解法" in text
        assert "语义" not in text  # the page claims nothing about how it ranked
    finally:
        shutil.move(moved, folder)
        reset_index()
    assert semantic_ready()


def test_an_interrupted_embedding_resumes_from_its_chunks(
    corpus: str, db: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(semantic, "CHUNK", 16)
    checksum = "resume-test-" + corpus[:8]
    calls: list[int] = []
    real = semantic.encode

    def flaky(texts: list[str]) -> np.ndarray:
        calls.append(len(texts))
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(texts)

    monkeypatch.setattr(semantic, "encode", flaky)
    reference = np.load(semantic.store_dir(corpus) / "vectors.npy")
    with override_settings(VAR_DIR=tmp_path):
        with pytest.raises(KeyboardInterrupt):
            semantic.ensure_vectors(checksum)
        assert len(list(semantic.store_dir(checksum).glob("chunk-*.npy"))) == 2
        monkeypatch.setattr(semantic, "encode", real)
        articles, embedded, _ = semantic.ensure_vectors(checksum)
        assert embedded == articles - 32  # the two finished chunks were not encoded again
        stored = np.load(semantic.store_dir(checksum) / "vectors.npy")
    assert np.allclose(stored.astype(np.float32), reference.astype(np.float32), atol=1e-2)


def test_many_articles_are_embedded_by_two_worker_processes_in_order(
    corpus: str, db: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(semantic, "CHUNK", 64)
    monkeypatch.setattr(semantic, "PARALLEL_MIN", 1)
    monkeypatch.setattr(semantic, "WORKERS", 2)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    real = semantic.encode
    seen = tmp_path / "encoded-by"
    seen.mkdir()

    def spy(texts: list[str]) -> np.ndarray:
        (seen / str(os.getpid())).touch()  # a file: the workers are other processes
        return real(texts)

    monkeypatch.setattr(semantic, "encode", spy)
    with override_settings(VAR_DIR=tmp_path):
        semantic.ensure_vectors("workers-test-" + corpus[:8])
        stored = np.load(semantic.store_dir("workers-test-" + corpus[:8]) / "vectors.npy")
    # the same vectors in the same order (to float16 and batching: the module's import used 512-article chunks)
    reference = np.load(semantic.store_dir(corpus) / "vectors.npy").astype(np.float32)
    assert np.allclose(stored.astype(np.float32), reference, atol=2e-3)
    encoded_by = {int(p.name) for p in seen.iterdir()}
    assert encoded_by and os.getpid() not in encoded_by  # every chunk was encoded in a worker


def test_vectors_of_another_corpus_are_not_used(corpus: str, db: Any) -> None:
    index = get_index()
    assert semantic.load_vectors("no-such-corpus", index.article_ids) is None
    assert semantic.load_vectors(corpus, np.array([10**9])) is None


def test_a_plain_import_computes_the_vectors_and_no_vectors_leaves_them_out(
    corpus: str, var_dir: Path, db: Any
) -> None:
    laws = [a for law in SLICE for a in ("--law", law)]
    folder = semantic.store_dir(corpus)
    aside = var_dir / "vectors-aside"
    shutil.move(folder, aside)
    try:
        out = io.StringIO()
        call_command("import_laws", *laws, "--no-vectors", stdout=out)
        assert "语义向量" not in out.getvalue()
        assert not folder.exists()
        out = io.StringIO()
        call_command("import_laws", *laws, stdout=out)  # what a bureau's operator runs after an upgrade
        assert f"已计算{Article.objects.count()}条条文的语义向量" in out.getvalue()
        assert np.array_equal(np.load(folder / "keys.npy"), np.load(aside / "keys.npy"))
    finally:
        shutil.rmtree(aside, ignore_errors=True)
        reset_index()
    assert semantic_ready()
    with pytest.raises(CommandError, match="不能同时使用"):
        call_command("import_laws", *laws, "--vectors", "--no-vectors")


def test_the_aligned_vectors_are_stored_beside_the_index_and_memory_mapped(
    corpus: str, db: Any, django_assert_num_queries: Any
) -> None:
    from lawdesk.laws.search import _corpus_key, index_dir

    index = get_index()
    folder = index_dir(_corpus_key())
    assert folder is not None
    assert len(list(folder.glob(f"vectors-{semantic.store_dir(corpus).name}-*.npy"))) == 1
    vectors = index.vectors
    assert vectors is not None and vectors.dtype == np.float32
    assert isinstance(vectors, np.memmap) or isinstance(vectors.base, np.memmap)
    with django_assert_num_queries(0):  # a new process reads no article to align them
        again = semantic.load_vectors(corpus, index.article_ids, folder)
    expected = semantic._aligned_from_database(corpus, index.article_ids)
    assert again is not None and expected is not None
    assert np.array_equal(again, expected)


# --- the fusion rule (search.fuse, search.FUSION): chosen in docs/law-search.md, "Fusion rule, fourth round" ------
# Lexical scores here are BM25 × prior × re-rank. The lexical evidence is strong when the colloquial map matched at
# least FUSION.strong_rows (2) rows of the question and its best lexical score is at least FUSION.weak_below (30): a
# median tuned question matches 3 rows and scores 50-60. Otherwise it is weak (a median question written without the
# map matches 1 row and scores 25-27) and meaning weighs 0.7.
MAPPED = 3  # rows matched by a question the map knows well


def test_a_confident_lexical_hit_is_never_pushed_out_by_meaning() -> None:
    # the first article leads by 15% of the best lexical score; the others are as close in meaning as can be
    fused = fuse(np.array([100.0, 85.0, 85.0]), np.array([0.0, 0.9, 0.9]), FUSION, mapped_rows=MAPPED)
    assert int(np.argmax(fused)) == 0


def test_the_cosine_breaks_a_near_tie_of_lexical_scores() -> None:
    fused = fuse(np.array([100.0, 98.0]), np.array([0.2, 0.9]), FUSION, mapped_rows=MAPPED)
    assert int(np.argmax(fused)) == 1


def test_meaning_weighs_more_when_the_lexical_evidence_is_weak() -> None:
    """The same pair of candidates, the second half as good lexically and much closer in meaning: with a weak
    best lexical score (20), or a strong one in a question the map hardly knows (one row), meaning wins; with a
    strong score in a question the map knows (31, or 100; 2 or 3 rows) the lexical leader stays first."""
    cosine = np.array([0.0, 0.9])
    assert int(np.argmax(fuse(np.array([20.0, 10.0]), cosine, FUSION, mapped_rows=MAPPED))) == 1
    assert int(np.argmax(fuse(np.array([31.0, 15.5]), cosine, FUSION, mapped_rows=MAPPED))) == 0
    assert int(np.argmax(fuse(np.array([100.0, 50.0]), cosine, FUSION, mapped_rows=2))) == 0
    assert int(np.argmax(fuse(np.array([100.0, 50.0]), cosine, FUSION, mapped_rows=1))) == 1
    assert int(np.argmax(fuse(np.array([100.0, 50.0]), cosine, FUSION, mapped_rows=0))) == 1


def test_the_weak_weight_lets_meaning_pass_a_tenfold_lexical_lead() -> None:
    """Weak evidence: an article with a tenth of the leader's lexical score and the closest meaning passes a
    leader that is fairly close in meaning (0.6 of the best) at the weak weight 0.7, not at 0.6."""
    lexical, cosine = np.array([20.0, 2.0]), np.array([0.6, 1.0])
    assert int(np.argmax(fuse(lexical, cosine, FUSION, mapped_rows=0))) == 1
    assert int(np.argmax(fuse(lexical, cosine, Fusion(weak_weight=0.6), mapped_rows=0))) == 0


def test_the_weight_switches_on_the_lexical_score_and_the_matched_rows() -> None:
    assert FUSION.weight_for(FUSION.weak_below, FUSION.strong_rows) == FUSION.weight == 0.05
    assert FUSION.weight_for(100.0, 5) == 0.05
    assert FUSION.weight_for(FUSION.weak_below - 0.01, 5) == FUSION.weak_weight == 0.7
    assert FUSION.weight_for(100.0, FUSION.strong_rows - 1) == 0.7  # the map knows one phrase: weak
    assert FUSION.weight_for(0.0, 0) == 0.7  # nothing lexical at all: meaning first
    assert FUSION.strong_rows == 2 and FUSION.weak_below == 30.0
    assert FUSION.candidates == 100


def test_matched_rows_counts_the_colloquial_rows_beside_the_question_s_own_words() -> None:
    from lawdesk.laws.search import matched_rows, query_groups

    question = "老板拖欠工资不给怎么办"
    assert matched_rows(question, query_groups(question)) >= 2  # 老板 → 用人单位, 拖欠工资 → 劳动报酬 …
    assert matched_rows(question, query_groups(question, expand=False)) == 0
    assert matched_rows("婚姻", query_groups("婚姻", expand=False)) == 0


def test_search_articles_hands_the_matched_rows_to_the_fusion(
    corpus: str, db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lawdesk.laws import search
    from lawdesk.laws.search import matched_rows, query_groups

    seen: list[int] = []
    real = search.fuse

    def spy(lexical: np.ndarray, cosine: np.ndarray, fusion: Fusion, *, mapped_rows: int) -> np.ndarray:
        seen.append(mapped_rows)
        return real(lexical, cosine, fusion, mapped_rows=mapped_rows)

    monkeypatch.setattr(search, "fuse", spy)
    question = "老板拖欠工资不给怎么办"
    search_articles(question)
    index = get_index()
    expected = matched_rows(question, query_groups(question, vocabulary=index.postings))
    assert expected >= 2 and seen == [expected]
    seen.clear()
    search_articles(question, expand=False)  # no map: no row matched, meaning weighs the weak weight
    assert seen == [0]


def test_the_index_ranks_by_the_fusion_rule() -> None:
    """Through ``Index.top``: with strong lexical evidence a confident lexical hit first whatever its vector,
    two articles with the same words in the order of their meaning; with weak evidence (this tiny index's BM25
    scores are far below 30) the closest meaning passes an article that has one more of the query's words."""
    rows = [
        (1, 1, "押金 退还 出租人"),
        (2, 1, "押金 退还 出租人"),  # the same words as 1, but the closer meaning
        (3, 1, "押金 退还 出租人 租赁"),  # one more of the query's words: far ahead lexically
        (4, 1, "婚姻 登记"),
    ]
    index = Index(rows, {})
    index.vectors = np.eye(4, dtype=np.float32)[[1, 0, 2, 3]]  # article 2 points where the query does
    query = np.eye(4, dtype=np.float32)[0]
    weights = {"押金": 1.0, "退还": 1.0, "租赁": 1.0}
    assert float(index.lexical_scores(weights).max()) < FUSION.weak_below
    strong = Fusion(weak_below=0.0, strong_rows=0)  # every question counts as strong lexical evidence
    ranked = [pk for pk, _ in index.top(weights, 3, query_vector=query, fusion=strong)]
    assert ranked == [3, 2, 1]
    assert index.top(weights, 3, query_vector=query, fusion=FUSION)[0][0] == 2  # weak: meaning first
    # weak also with the map's rows matched: the lexical scores are below FUSION.weak_below
    assert index.top(weights, 3, query_vector=query, fusion=FUSION, mapped_rows=3)[0][0] == 2
    assert index.top(weights, 3, query_vector=query, fusion=COSINE_ONLY)[0][0] == 2  # meaning alone


def test_the_heading_keeps_the_topic_words_of_the_chapter_and_section() -> None:
    assert semantic.heading("第五章 特别规定", "第二节 劳务派遣") == "特别规定 劳务派遣"
    assert semantic.heading("第十四章 租赁合同", "") == "租赁合同"
    assert semantic.heading("第一章 总则", "") == ""  # every law has one: no topic
    assert semantic.heading("第七章 代理", "第一节 一般规定") == "代理"
    assert (
        semantic.article_text("民法典", "出租人应当……", "第十四章 租赁合同")
        == "民法典 租赁合同：出租人应当……"
    )
    assert semantic.article_text("民法典", "自然人……", "第一章 总则") == "民法典 自然人……"


def test_an_article_is_embedded_with_its_chapter_heading(corpus: str, db: Any) -> None:
    """The stored vector of an article in a topical chapter is that of "law heading：text", not of the text
    with the law's title alone (fifth round, docs/law-search.md)."""
    article = Article.objects.select_related("law", "chapter").get(law__title=f"{M}人民调解法", number=15)
    assert article.chapter is not None
    topic = semantic.heading(article.chapter.title, article.chapter.section)
    assert topic and topic in article.chapter.title  # 人民调解员 (its chapter): a topical heading
    folder = semantic.store_dir(corpus)
    keys = np.load(folder / "keys.npy").tolist()
    stored = np.load(folder / "vectors.npy")[
        keys.index(semantic.article_key(article.law.source_id, article.position))
    ]
    with_heading = semantic.encode([f"{article.law.short_title} {topic}：{article.text}"])[0]
    without = semantic.encode([f"{article.law.short_title} {article.text}"])[0]
    assert float(stored.astype(np.float32) @ with_heading) > 0.99
    assert (
        float(stored.astype(np.float32) @ without) < float(stored.astype(np.float32) @ with_heading) - 0.005
    )
