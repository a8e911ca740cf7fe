"""The signage of 四(三), drawn from each platform's own data as SVG at real size (1 SVG unit = 1 mm) and as a
print-ready PDF (WeasyPrint, one page per sign at the sign's size, the system's Noto Sans CJK embedded).

- Lightbox face A (附件1): justice emblem, the platform's name, the 12348 hotline, the 中国法网 address
  www.12348.gov.cn, the platform's address; we add a QR code to the platform's public page.
- Lightbox face B (附件1): emblem, name, office, appointment and supervision phones.
- Window backdrop (附件2): emblem, Chinese name, English name (by rule, ``english.py``).

The plan's attachments are sketches without dimensions, so the sizes are ours: a lightbox face of 1200 × 800 mm
(a common double-sided outdoor lightbox) and a window backdrop of 2400 × 800 mm (the wall above a two-seat
window). The emblem is a plain placeholder (a circle with 徽): the real emblem must be placed by the printer
from the official artwork. A sign whose data is incomplete is not drawn; the missing fields are listed instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from xml.sax.saxutils import escape

import segno

from lawdesk.core.pdf import html_to_pdf
from lawdesk.orgs.models import OrgNode
from lawdesk.public.english import english_name

HOTLINE = "12348"
WEBSITE = "www.12348.gov.cn"
BLUE = "#1f5fa8"
DARK = "#1f2937"
FONT = "'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', sans-serif"


@dataclass(frozen=True)
class Sign:
    key: str
    label: str
    width_mm: int
    height_mm: int
    required: tuple[tuple[str, str], ...]  # (OrgNode field, Chinese label)

    @property
    def size_label(self) -> str:
        return f"{self.width_mm}×{self.height_mm} mm"


LIGHTBOX_A = Sign("a", "标识灯箱A面", 1200, 800, (("address", "地址"),))
LIGHTBOX_B = Sign(
    "b",
    "标识灯箱B面",
    1200,
    800,
    (("office_phone", "办公电话"), ("appointment_phone", "预约电话"), ("supervision_phone", "监督电话")),
)
BACKDROP = Sign("backdrop", "窗口背景标识", 2400, 800, ())
SIGNS: tuple[Sign, ...] = (LIGHTBOX_A, LIGHTBOX_B, BACKDROP)
SIGNS_BY_KEY = {s.key: s for s in SIGNS}


def missing_fields(node: OrgNode, sign: Sign) -> list[str]:
    """The Chinese labels of the fields a sign needs and the platform lacks."""
    return [label for field, label in sign.required if not str(getattr(node, field) or "").strip()]


def missing_by_sign(node: OrgNode) -> dict[str, list[str]]:
    """Sign key → missing field labels, only for signs that cannot be drawn."""
    return {s.key: m for s in SIGNS if (m := missing_fields(node, s))}


# --- text measurement ---------------------------------------------------------------------------------------


def text_em(text: str) -> float:
    """Approximate advance width of ``text`` in ems in Noto Sans CJK (bold): CJK glyphs are one em wide, Latin
    letters and digits about half."""
    width = 0.0
    for char in text:
        if ord(char) >= 0x2E80:
            width += 1.0
        elif char == " ":
            width += 0.26
        elif char.isupper():
            width += 0.68
        elif char.isalnum():
            width += 0.57
        else:
            width += 0.34
    return width * 1.02


def fit_size(text: str, width: float, largest: float) -> float:
    """The largest font size (mm) at most ``largest`` at which ``text`` fits in ``width`` mm."""
    em = text_em(text) or 1.0
    return round(min(largest, width / em), 1)


def _text(x: float, y: float, text: str, size: float, *, fill: str = DARK, weight: str = "normal",
          anchor: str = "start", extra: str = "") -> str:  # fmt: skip
    return (
        f'<text x="{x}" y="{y}" font-size="{size}" font-family="{FONT}" font-weight="{weight}" '
        f'fill="{fill}" text-anchor="{anchor}"{extra}>{escape(text)}</text>'
    )


def _emblem(cx: float, cy: float, r: float) -> str:
    """A placeholder for the justice administration emblem (司法行政徽): not the real artwork."""
    return (
        f'<g data-part="emblem"><circle cx="{cx}" cy="{cy}" r="{r}" fill="#ffffff" stroke="#c8102e" '
        f'stroke-width="{r * 0.08:.1f}"/>'
        + _text(cx, cy + r * 0.36, "徽", round(r * 1.0, 1), fill="#c8102e", weight="bold", anchor="middle")
        + "</g>"
    )


def _qr(url: str, x: float, y: float, size: float) -> str:
    """A QR code as one path of unit squares (no external renderer), quiet zone included, in a white square."""
    code = segno.make(url, error="m")
    matrix = code.matrix
    modules = len(matrix)
    border = 2
    unit = size / (modules + 2 * border)
    cells = []
    for row, line in enumerate(matrix):
        for col, dark in enumerate(line):
            if dark:
                cells.append(f"M{col + border} {row + border}h1v1h-1z")
    return (
        f'<g data-part="qr"><rect x="{x}" y="{y}" width="{size}" height="{size}" fill="#ffffff"/>'
        f'<path transform="translate({x} {y}) scale({unit:.4f})" fill="#000000" d="{"".join(cells)}"/></g>'
    )


def _svg(sign: Sign, body: str) -> str:
    w, h = sign.width_mm, sign.height_mm
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}mm" height="{h}mm" viewBox="0 0 {w} {h}" '
        f'data-sign="{sign.key}">'
        f'<rect width="{w}" height="{h}" fill="#ffffff"/>{body}</svg>'
    )


LEADING = 1.25
# Where a long name breaks onto a second line: before its generic part.
BREAK_BEFORE = ("公共法律服务", " Public Legal Service")


def split_lines(text: str, width: float, largest: float, height: float) -> tuple[list[str], float]:
    """The text on one line, or on two (broken before its generic part) when one line would shrink it below
    three quarters of ``largest``; with the font size that fits ``width`` and ``height`` (mm)."""
    one = min(fit_size(text, width, largest), height / LEADING)
    if one >= largest * 0.75:
        return [text], one
    for marker in BREAK_BEFORE:
        at = text.find(marker)
        if at > 0:
            lines = [text[:at].strip(), text[at:].strip()]
            two = min(min(fit_size(line, width, largest) for line in lines), height / (2 * LEADING))
            if two > one:
                return lines, round(two, 1)
    return [text], one


def _lines(x: float, center_y: float, lines: list[str], size: float, **kwargs: str) -> str:
    """Lines of text, vertically centred on ``center_y``."""
    step = size * LEADING
    first = center_y - (len(lines) - 1) * step / 2
    return "".join(
        _text(x, round(first + i * step + size * 0.36, 1), line, size, **kwargs)
        for i, line in enumerate(lines)
    )


def _band(sign: Sign, name: str) -> str:
    """The blue band at the top of a lightbox face: emblem and the platform's name (two lines if long)."""
    w = sign.width_mm
    band = 250
    left = 260
    lines, size = split_lines(name, w - left - 50, 96, band - 30)
    return (
        f'<rect width="{w}" height="{band}" fill="{BLUE}"/>'
        + _emblem(130, band / 2, 92)
        + _lines(left, band / 2, lines, size, fill="#ffffff", weight="bold")
    )


QR_CAPTION = "扫码查看服务信息"


def draw_face_a(node: OrgNode, qr_url: str, qr_caption: str = QR_CAPTION) -> str:
    sign = LIGHTBOX_A
    w, h = sign.width_mm, sign.height_mm
    address = f"地址：{node.address}"
    body = [
        _band(sign, node.name),
        _text(60, 455, HOTLINE, 160, fill=BLUE, weight="bold"),
        _text(60 + text_em(HOTLINE) * 160 + 25, 455, "法律服务热线", 56, weight="bold"),
        _text(60, 590, "中国法网", 56, fill=BLUE, weight="bold"),
        _text(60 + text_em("中国法网") * 56 + 30, 590, WEBSITE, 56, weight="bold"),
        _text(60, 720, address, fit_size(address, w - 120, 50)),
        _qr(qr_url, w - 60 - 220, 300, 220),
        _text(w - 60 - 110, 555, qr_caption, 22, anchor="middle", fill="#4b5563"),
        f'<rect y="{h - 24}" width="{w}" height="24" fill="{BLUE}"/>',
    ]
    return _svg(sign, "".join(body))


def draw_face_b(node: OrgNode) -> str:
    sign = LIGHTBOX_B
    w, h = sign.width_mm, sign.height_mm
    body = [_band(sign, node.name)]
    rows = [
        ("办公电话", node.office_phone),
        ("预约电话", node.appointment_phone),
        ("监督电话", node.supervision_phone),
    ]
    for i, (label, phone) in enumerate(rows):
        y = 400 + i * 140
        body.append(_text(120, y, label, 72, fill=BLUE, weight="bold"))
        body.append(_text(120 + 4 * 72 + 60, y, phone, 80, weight="bold"))
    body.append(f'<rect y="{h - 24}" width="{w}" height="24" fill="{BLUE}"/>')
    return _svg(sign, "".join(body))


def draw_backdrop(node: OrgNode) -> str:
    sign = BACKDROP
    w, h = sign.width_mm, sign.height_mm
    english = english_name(node.name)
    left = 520
    name_lines, name_size = split_lines(node.name, w - left - 100, 170, 380)
    english_lines, english_size = split_lines(english, w - left - 100, 80, 200)
    name_height = len(name_lines) * name_size * LEADING
    english_height = len(english_lines) * english_size * LEADING
    gap = english_size * 0.4
    top = (h - 40) / 2 - (name_height + gap + english_height) / 2
    body = [
        f'<rect width="{w}" height="{h}" fill="{BLUE}"/>',
        f'<rect y="{h - 60}" width="{w}" height="12" fill="#ffffff" opacity="0.6"/>',
        _emblem(270, h / 2 - 20, 200),
        _lines(left, top + name_height / 2, name_lines, name_size, fill="#ffffff", weight="bold"),
        '<g data-part="english">',
        _lines(
            left, top + name_height + gap + english_height / 2, english_lines, english_size, fill="#ffffff"
        ),
        "</g>",
    ]
    return _svg(sign, "".join(body))


def draw(node: OrgNode, sign: Sign, qr_url: str, qr_caption: str = QR_CAPTION) -> str:
    if sign is LIGHTBOX_A:
        return draw_face_a(node, qr_url, qr_caption)
    if sign is LIGHTBOX_B:
        return draw_face_b(node)
    return draw_backdrop(node)


# --- PDF --------------------------------------------------------------------------------------------------


def _page_css() -> str:
    rules = ["body{margin:0} svg{display:block}"]
    for sign in SIGNS:
        rules.append(f"@page {sign.key}{{size:{sign.width_mm}mm {sign.height_mm}mm;margin:0}}")
        rules.append(
            f".{sign.key}{{page:{sign.key};width:{sign.width_mm}mm;height:{sign.height_mm}mm;"
            "break-after:page;overflow:hidden}"
        )
    return "".join(rules)


def signage_pdf(
    platforms: Iterable[tuple[OrgNode, str]], signs: Iterable[Sign] = SIGNS, *, qr_caption: str = QR_CAPTION
) -> bytes:
    """One page per drawable sign of each platform (``(node, qr_url)``), each page at the sign's real size.
    Signs with missing data are left out (the pages list them). The lightbox points of villages without a station
    (``lawdesk.coverage``) print their platform's faces with a QR code to its booking page and their own caption."""
    wanted = list(signs)
    pages = []
    for node, qr_url in platforms:
        for sign in wanted:
            if missing_fields(node, sign):
                continue
            pages.append(f'<div class="{sign.key}">{draw(node, sign, qr_url, qr_caption)}</div>')
    if not pages:
        raise ValueError("没有可以绘制的标识。")
    html = (
        '<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8">'
        f"<style>{_page_css()}</style></head><body>{''.join(pages)}</body></html>"
    )
    # Nothing is fetched: the SVGs are inline, and no text in a record can make WeasyPrint load a URL.
    return html_to_pdf(html)
