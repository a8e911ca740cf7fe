from django.apps import AppConfig


def _warm_pdf() -> None:
    """The PDF engine and its fonts (about 1 s on first use): before the first monthly report is printed."""
    from weasyprint import HTML

    HTML(string="<p>预热</p>").write_pdf()


class StatsConfig(AppConfig):
    name = "lawdesk.stats"
    verbose_name = "统计报表"

    def ready(self) -> None:
        from lawdesk.core import warmup

        warmup.register("PDF", _warm_pdf)
