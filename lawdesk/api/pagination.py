from __future__ import annotations

from rest_framework.pagination import PageNumberPagination


class ApiPagination(PageNumberPagination):
    """``?page=`` and ``?page_size=`` (at most 200; 50 by default)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    page_query_description = "页码（从1开始）。"
    page_size_query_description = "每页条数（默认50，最多200）。"
    invalid_page_message = "页码无效：没有这一页。"
