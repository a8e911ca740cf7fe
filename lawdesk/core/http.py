from typing import Any
from urllib.parse import quote

from django.http import FileResponse, Http404, HttpResponse

from lawdesk.core import clock

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, title: str) -> HttpResponse:
    """An .xlsx download named ``title-YYYYMMDD.xlsx`` (the Chinese name encoded per RFC 6266)."""
    filename = f"{title}-{clock.today():%Y%m%d}.xlsx"
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename=export.xlsx; filename*=UTF-8''{quote(filename)}"
    return response


def stored_photo_response(item: Any) -> FileResponse:
    """A stored photo (``file``, ``content_type``, ``original_name``) the caller has already checked the actor may
    see; 404 when the file is gone from storage."""
    from django.core.files.storage import default_storage

    try:
        handle = default_storage.open(item.file.name, "rb")
    except FileNotFoundError as exc:
        raise Http404("照片文件不存在。") from exc
    return FileResponse(handle, content_type=item.content_type, filename=item.original_name)
