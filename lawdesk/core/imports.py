"""The Excel import page shared by the tree and the institutions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render


class ImportForm(forms.Form):
    file = forms.FileField(label="Excel文件(.xlsx)")

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("请上传.xlsx格式的Excel文件。")
        return upload


def import_page(
    request: HttpRequest, *, run_import: Callable[..., Any], title: str, url_name: str, export_url: str
) -> HttpResponse:
    """Upload form; on POST run ``run_import(actor=, file=)`` and show its row errors, or redirect with the
    counts. The caller has checked the actor may import."""
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = run_import(actor=request.user, file=form.cleaned_data["file"])
        if result.ok:
            messages.success(
                request,
                f"导入成功：新增{result.created}个，更新{result.updated}个，未变{result.unchanged}个。",
            )
            return redirect(url_name)
    context = {"form": form, "result": result, "title": title, "export_url": export_url}
    return render(request, "core/import.html", context)
