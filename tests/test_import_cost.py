"""What a new process imports before its first request (issue 22: a new process's first law search ≤ 1 s).

Django imports every app's views with the URL patterns on the first request (or the first ``reverse``), so a
library imported at the top of any view module is paid by every process, a citizen's law search included.
WeasyPrint (≈ 0.35 s of CPU), openpyxl (≈ 0.1 s, and Pillow with it) and pypinyin (≈ 0.17 s, its phrase
dictionary) are imported where a PDF, a workbook or pinyin is made (``lawdesk.core.pdf``, the apps' ``exports``
modules imported in their export views, ``people.identity.name_initials``, ``public.english.pinyin_word``),
never at a module's top that the URL patterns reach. jieba is imported without pkg_resources (≈ 0.1 s of CPU,
which jieba wants only to open its own data files; ``laws.segment._jieba_module``). This test fails if one comes
back.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Each library, and what it drags in (fontTools: WeasyPrint's fonts; PIL: openpyxl's images).
HEAVY = ("weasyprint", "fontTools", "openpyxl", "PIL", "pypinyin", "pkg_resources")

CHILD = """
import json, sys
import django
django.setup()
from django.urls import get_resolver, resolve, reverse
get_resolver()._populate()  # every URLconf and every view module, as the first request does
assert resolve(reverse("laws:search")).url_name == "search"
from lawdesk.laws import segment
jieba = segment._jieba_module()  # what a search imports before segmenting
assert callable(jieba._compat.get_module_res)
heavy = HEAVY
loaded = sorted(name for name in heavy if name in sys.modules)
# The check can fail: importing an export module does load its library.
import lawdesk.ledgers.excel
from lawdesk.people.identity import name_initials
initials = name_initials("单田芳")
after = sorted(name for name in heavy if name in sys.modules)
print(json.dumps({"loaded": loaded, "after": after, "initials": initials}))
""".replace("HEAVY", repr(HEAVY))


def test_the_url_patterns_import_no_pdf_excel_or_pinyin_library() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lawdesk.settings", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", CHILD], cwd=ROOT, capture_output=True, text=True, timeout=300, env=env
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["loaded"] == [], f"imported before the first search: {report['loaded']}"
    # The positive control: the same names are seen once an export module and pinyin are used.
    assert report["after"] == ["PIL", "openpyxl", "pypinyin"]
    assert report["initials"] == "stf"
