from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse

from lawdesk.core import clock

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Paging:
    """One page of a list: the items shown and the template's paging variables."""

    shown: list[Any]
    page_number: int
    pages: int

    @property
    def previous_page(self) -> int | None:
        return self.page_number - 1 if self.page_number > 1 else None

    @property
    def next_page(self) -> int | None:
        return self.page_number + 1 if self.page_number < self.pages else None

    def context(self) -> dict[str, Any]:
        return {
            "page_number": self.page_number,
            "pages": self.pages,
            "previous_page": self.previous_page,
            "next_page": self.next_page,
        }


def paging(request: HttpRequest, items: Sequence[Any], per_page: int) -> Paging:
    """The page ``?page=`` names of ``items`` (a list already in memory), as ``Paginator.get_page`` chooses it for
    every other list of the site: not a number gives the first page, out of range the last; an empty list has one
    empty page."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    return Paging(shown=list(page.object_list), page_number=page.number, pages=page.paginator.num_pages)


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
