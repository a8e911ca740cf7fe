"""The law corpus and its search: the import (all or nothing, idempotent) from a slice of the real laws.db,
the ``search_laws`` JSON-lines contract, the colloquial questions citizens ask, and the public law pages."""

from __future__ import annotations

import io
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client

from lawdesk.core.models import AuditLog
from lawdesk.laws.models import Article, Chapter, CorpusImport, Law, LawStatus
from lawdesk.laws.search import cn_number, query_terms, reset_index, search_articles
from lawdesk.laws.services import default_source, import_corpus
from tests.conftest import client_for

# A slice of the real corpus: the laws the example questions need, plus one historical version.
SLICE = ("民法典", "劳动合同法", "劳动法", "老年人权益保障法", "反家庭暴力法", "仲裁法")
M = "中华人民共和国"


@pytest.fixture(scope="module")
def corpus(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """Imported once for the module (committed), removed afterwards."""
    with django_db_blocker.unblock():
        import_corpus(actor=None, only=SLICE, force=True)
        yield
        Law.objects.all().delete()
        CorpusImport.objects.all().delete()
        reset_index()


def top(query: str, n: int = 5) -> list[tuple[str, int]]:
    return [(h.law_title, h.article_no) for h in search_articles(query, limit=n)]


# --- import ----------------------------------------------------------------------------------------------------


def test_the_slice_is_imported_with_chapters_articles_status_and_dates(corpus: None, db: Any) -> None:
    code = Law.objects.get(title=f"{M}民法典")
    assert code.short_title == "民法典"
    assert code.status == LawStatus.IN_FORCE
    assert code.department == "民法商法"
    assert code.promulgated_on is not None and code.effective_on is not None
    assert code.articles.count() == 1260
    article = code.articles.get(number=1067)
    assert article.label == "第一千零六十七条"
    assert "赡养费" in article.text
    assert article.chapter is not None and article.chapter.title == "第三章 家庭关系"
    assert article.chapter.section == "第二节 父母子女关系和其他近亲属关系"
    assert "赡养费" in article.search_text.split()
    # the arbitration law has a current and a historical version
    statuses = set(Law.objects.filter(title=f"{M}仲裁法").values_list("status", flat=True))
    assert statuses == {LawStatus.IN_FORCE, LawStatus.HISTORICAL}


def test_a_second_import_of_the_same_source_changes_nothing(corpus: None, db: Any) -> None:
    before = (Law.objects.count(), Article.objects.count(), CorpusImport.objects.get().pk)
    out = io.StringIO()
    call_command("import_laws", *[arg for law in SLICE for arg in ("--law", law)], "--no-vectors", stdout=out)
    assert "已是最新" in out.getvalue()
    assert (Law.objects.count(), Article.objects.count(), CorpusImport.objects.get().pk) == before


def test_an_import_that_fails_halfway_leaves_the_corpus_as_it_was(
    corpus: None, db: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    before = Article.objects.count()
    broken = tmp_path / "laws.db"
    src = sqlite3.connect(default_source())
    dst = sqlite3.connect(broken)
    src.backup(dst)
    dst.execute("UPDATE articles SET article_text = NULL WHERE law_name = ?", (f"{M}劳动法",))
    dst.commit()
    dst.close()
    src.close()

    def explode(text: str) -> str:
        raise RuntimeError("segmentation failed")

    monkeypatch.setattr("lawdesk.laws.services.segmented", explode)
    with pytest.raises(RuntimeError):
        import_corpus(actor=None, source=broken, only=["劳动法"])
    assert Article.objects.count() == before
    assert Law.objects.filter(title=f"{M}民法典").exists()


def test_an_unknown_law_or_missing_file_is_refused_in_chinese(db: Any, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="没有符合条件的法律"):
        import_corpus(actor=None, only=["不存在的法"])
    with pytest.raises(ValidationError, match="找不到法规数据库"):
        import_corpus(actor=None, source=tmp_path / "missing.db")


def test_the_import_is_audited_and_counted(db: Any) -> None:
    out = io.StringIO()
    call_command("import_laws", "--law", "反家庭暴力法", "--no-vectors", stdout=out)
    assert "已导入1部法律" in out.getvalue()
    record = CorpusImport.objects.get()
    assert (record.laws, record.articles) == (1, Article.objects.count())
    assert AuditLog.objects.filter(action="laws.import", object_id=str(record.pk)).exists()
    reset_index()


# --- search ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("老板拖欠工资", (f"{M}劳动合同法", 30)),
        ("儿子不给养老钱", (f"{M}民法典", 1067)),
        ("邻居的树砸了我的车", (f"{M}民法典", 1257)),
    ],
)
def test_the_citizens_example_questions_find_the_article_in_the_top_five(
    corpus: None, db: Any, question: str, answer: tuple[str, int]
) -> None:
    assert answer in top(question)


def test_a_tenants_question_finds_the_lease_chapter_not_financial_leasing(corpus: None, db: Any) -> None:
    for question in ("房东不退押金", "租赁"):
        chapters = [h.chapter for h in search_articles(question, limit=5)]
        assert chapters and not any("融资租赁" in c for c in chapters), (question, chapters)
        assert any("租赁合同" in c for c in chapters)
    # Asked about financial leasing, the citizen still gets it.
    assert all("融资租赁" in h.chapter for h in search_articles("融资租赁合同的租金", limit=3))


def test_the_colloquial_map_turns_citizens_words_into_legal_terms() -> None:
    terms = query_terms("儿子不给养老钱")
    assert terms["赡养费"] < 1.0 and "赡养费" not in query_terms("儿子不给养老钱", expand=False)
    assert "林木" in query_terms("邻居的树砸了我的车")


def test_a_citation_puts_that_article_first(corpus: None, db: Any) -> None:
    assert top("民法典第一千零六十七条")[0] == (f"{M}民法典", 1067)
    assert top("《劳动合同法》第30条")[0] == (f"{M}劳动合同法", 30)
    assert cn_number("一千零六十七") == 1067 and cn_number("十九") == 19 and cn_number("abc") is None


def test_historical_versions_are_not_searched(corpus: None, db: Any) -> None:
    historical = Law.objects.get(title=f"{M}仲裁法", status=LawStatus.HISTORICAL)
    hits = search_articles("仲裁协议 仲裁委员会", limit=50)
    assert hits and all(h.law_id != historical.pk for h in hits)


def test_an_empty_or_meaningless_query_finds_nothing(corpus: None, db: Any) -> None:
    assert search_articles("") == []
    assert search_articles("   ") == []
    assert search_articles("的了吗", limit=5) == []


def test_hits_carry_the_citation_and_a_link_to_the_article(corpus: None, db: Any) -> None:
    hit = search_articles("邻居的树砸了我的车", limit=1)[0]
    article = Article.objects.get(law_id=hit.law_id, number=hit.article_no)
    assert hit.article_label == article.label and hit.text == article.text
    assert hit.url == f"/laws/{hit.law_id}/#{article.anchor}"
    assert hit.chapter.startswith("第")


# --- search_laws: other tools parse it --------------------------------------------------------------------------


def test_search_laws_prints_one_json_line_per_article(corpus: None, db: Any) -> None:
    out = io.StringIO()
    call_command("search_laws", "老板拖欠工资", "--limit", "3", stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(rows) == 3
    assert set(rows[0]) == {"law", "article", "score"}
    assert isinstance(rows[0]["article"], int) and isinstance(rows[0]["score"], float)
    assert rows[0]["score"] >= rows[1]["score"] >= rows[2]["score"]
    assert {"law": f"{M}劳动合同法", "article": 30} in [
        {"law": r["law"], "article": r["article"]} for r in rows
    ]


def test_search_laws_dash_reads_queries_from_stdin_and_prints_one_array_each(
    corpus: None, db: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("儿子不给养老钱\n\n邻居的树砸了我的车\n"))
    out = io.StringIO()
    call_command("search_laws", "-", "--limit", "5", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    first, empty, third = (json.loads(line) for line in lines)
    assert {"law": f"{M}民法典", "article": 1067} in [
        {"law": r["law"], "article": r["article"]} for r in first
    ]
    assert empty == []
    assert {"law": f"{M}民法典", "article": 1257} in [
        {"law": r["law"], "article": r["article"]} for r in third
    ]


# --- pages (public: no login) ---------------------------------------------------------------------------------


def test_the_index_lists_laws_by_department_without_login(corpus: None, db: Any) -> None:
    response = Client().get("/laws/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "民法商法" in html and "社会法" in html
    assert f"{M}民法典" in html
    assert "2017" not in html or "历史版本" not in html  # historical versions are not listed


def test_the_search_page_highlights_the_terms_and_cites_the_article(corpus: None, db: Any) -> None:
    response = Client().get("/laws/search/", {"q": "邻居的树砸了我的车"})
    html = response.content.decode()
    assert response.status_code == 200
    assert f"《{M}民法典》第一千二百五十七条" in html
    assert "<mark>林木</mark>" in html


def test_the_search_page_refuses_a_too_long_question(corpus: None, db: Any) -> None:
    response = Client().get("/laws/search/", {"q": "工资" * 150})
    assert "问题太长了" in response.content.decode()


def test_the_search_page_escapes_the_query(corpus: None, db: Any) -> None:
    html = Client().get("/laws/search/", {"q": "<script>alert(1)</script>工资"}).content.decode()
    assert "<script>alert(1)" not in html


def test_the_law_page_shows_status_dates_chapters_and_anchored_articles(
    corpus: None, db: Any, personas: Any
) -> None:
    code = Law.objects.get(title=f"{M}民法典")
    article = code.articles.get(number=1067)
    for client in (Client(), client_for(personas.clerk_a)):  # public: anonymous and staff alike
        html = client.get(f"/laws/{code.pk}/").content.decode()
        assert "现行有效" in html and "公布日期" in html and "施行日期" in html
        assert "第三章 家庭关系" in html and "第二节 父母子女关系和其他近亲属关系" in html
        assert f'id="{article.anchor}"' in html and "第一千零六十七条" in html
    assert Chapter.objects.filter(law=code).count() > 50


def test_a_historical_version_says_so_and_links_the_current_one(corpus: None, db: Any) -> None:
    old = Law.objects.get(title=f"{M}仲裁法", status=LawStatus.HISTORICAL)
    current = Law.objects.get(title=f"{M}仲裁法", status=LawStatus.IN_FORCE)
    html = Client().get(f"/laws/{old.pk}/").content.decode()
    assert "历史版本" in html and f"/laws/{current.pk}/" in html


def test_a_missing_law_is_404(db: Any) -> None:
    assert Client().get("/laws/999999/").status_code == 404
