from django.apps import AppConfig


def _warm_search() -> None:
    """The first search's one-off steps: jieba's dictionary table, the BM25 index of the current corpus and, when
    its article vectors are stored, the sentence encoder and the vectors (all memory-mapped from the var
    directory, about 0.3 s together; the first process after an install stores them, 3–5 s), and Django's URL
    patterns that the hits' links need."""
    from lawdesk.laws.search import search_articles

    search_articles("拖欠工资", limit=1)


class LawsConfig(AppConfig):
    name = "lawdesk.laws"
    verbose_name = "法律法规"

    def ready(self) -> None:
        from lawdesk.core import warmup

        warmup.register("法条检索", _warm_search)
