"""/api/docs/: the schema in the vendored Swagger UI (no CDN; the initialiser is a static file, no inline script)."""

from __future__ import annotations

from django.views.generic import TemplateView


class ApiDocsView(TemplateView):
    template_name = "api/docs.html"
