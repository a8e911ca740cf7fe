from django.apps import AppConfig


def _warm_search() -> None:
    """jieba's dictionary (about 1.5 s), the BM25 index of the current corpus and, when its article vectors are
    stored, the sentence encoder (about 1.5 s more) and the vectors, before the first search."""
    from lawdesk.laws.search import search_articles

    search_articles("拖欠工资", limit=1)


class LawsConfig(AppConfig):
    name = "lawdesk.laws"
    verbose_name = "法律法规"

    def ready(self) -> None:
        from lawdesk.core import warmup

        warmup.register("法条检索", _warm_search)
