"""HTML to PDF through WeasyPrint, imported on first use: importing WeasyPrint costs a new process about half a
second (0.35 s of CPU: its fonts and CSS machinery), and every view module is imported with the URL patterns, so
a module that only *may* print must not import it at its top (``tests/test_import_cost.py``)."""

from __future__ import annotations


def html_to_pdf(html: str) -> bytes:
    """The PDF of an HTML page that needs nothing from outside: every URL is refused, so no text in a record can
    make WeasyPrint fetch one (stylesheets and images are inline)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    pdf = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()
    assert pdf is not None
    return pdf
