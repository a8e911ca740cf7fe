from typing import Any

from django.http import HttpRequest


def site_clock(request: HttpRequest) -> dict[str, Any]:
    """Today's date for every page: ``<html data-today>`` is what the pages' scripts take "today" from."""
    from lawdesk.core import clock

    return {"site_today": clock.today()}
