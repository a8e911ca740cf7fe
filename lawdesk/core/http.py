from urllib.parse import quote

from django.http import HttpResponse

from lawdesk.core import clock

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, title: str) -> HttpResponse:
    """An .xlsx download named ``title-YYYYMMDD.xlsx`` (the Chinese name encoded per RFC 6266)."""
    filename = f"{title}-{clock.today():%Y%m%d}.xlsx"
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename=export.xlsx; filename*=UTF-8''{quote(filename)}"
    return response
