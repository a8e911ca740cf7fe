"""The published results of a round for one district as a PDF (WeasyPrint, A4 portrait, the system's CJK font):
the ranking with scores, stars and change, then each platform's scores by indicator with what they rest on."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from lawdesk.assessment.models import Round, RoundEntry
from lawdesk.assessment.selectors import grouped_scores
from lawdesk.core import clock
from lawdesk.core.pdf import html_to_pdf
from lawdesk.orgs.models import OrgNode


def render_html(round_: Round, district: OrgNode, entries: list[RoundEntry]) -> str:
    context: dict[str, Any] = {
        "round": round_,
        "district": district,
        "entries": entries,
        "details": [(e, grouped_scores(e)) for e in entries],
        "printed_at": clock.localnow(),
    }
    return render_to_string("assessment/report_print.html", context)


def render_report(round_: Round, district: OrgNode, entries: list[RoundEntry]) -> bytes:
    html = render_html(round_, district, entries)
    return html_to_pdf(html)


def render_notices(notices: list[Any]) -> bytes:
    """The published 通报 as a PDF (one after another, as the bureau prints them)."""
    html = render_to_string(
        "assessment/notices_print.html", {"notices": notices, "printed_at": clock.localnow()}
    )
    return html_to_pdf(html)
