"""English names for the window backdrop (四(三)2), made by rule rather than typed by hand.

The generic parts of a name (公共法律服务站, 街道, 社区, 区, …) come from ``TERMS``; every other run of characters is a
proper name, written in Hanyu Pinyin as one capitalised word (GB/T 16159: 专名连写, an apostrophe before a syllable
starting with a, o or e), e.g. 小寨路街道公共法律服务站 → "Xiaozhailu Subdistrict Public Legal Service Station".
"""

from __future__ import annotations

# Generic parts, matched longest first anywhere in the name.
TERMS: dict[str, str] = {
    "公共法律服务中心": "Public Legal Service Center",
    "公共法律服务站": "Public Legal Service Station",
    "法律援助中心": "Legal Aid Center",
    "人民调解委员会": "People's Mediation Committee",
    "自由贸易试验区": "Pilot Free Trade Zone",
    "高新技术产业开发区": "Hi-tech Industrial Development Zone",
    "经济技术开发区": "Economic and Technological Development Zone",
    "开发区": "Development Zone",
    "司法所": "Judicial Office",
    "司法局": "Justice Bureau",
    "街道": "Subdistrict",
    "社区": "Community",
    "大学": "University",
    "区域": "Area",
    "中国": "China",
    "陕西": "Shaanxi",
    "（": "(",
    "）": ")",
    "(": "(",
    ")": ")",
}
# One-character generic parts count only at the end of the name or right before another generic part, so the 镇
# of 镇坪村 stays in the proper name.
SUFFIX_TERMS: dict[str, str] = {
    "区": "District",
    "县": "County",
    "市": "City",
    "镇": "Town",
    "乡": "Township",
    "村": "Village",
    "居": "Residential Community",
}
_LONGEST = max(len(t) for t in TERMS)
# Readings of place names that pypinyin's general dictionary gets wrong (长 is cháng in Xi'an's place names).
FIRST_SYLLABLE: dict[str, str] = {"长": "chang"}


def pinyin_word(text: str) -> str:
    """A proper name as one capitalised pinyin word: 小寨路 → Xiaozhailu, 西安 → Xi'an."""
    # pypinyin loads its phrase dictionary on import (0.17 s of CPU): only when a name is written.
    from pypinyin import Style, lazy_pinyin

    syllables = [s for s in lazy_pinyin(text, style=Style.NORMAL, errors="default") if s]
    if syllables and text[0] in FIRST_SYLLABLE:
        syllables[0] = FIRST_SYLLABLE[text[0]]
    word = ""
    for i, syllable in enumerate(syllables):
        if i and syllable[0] in "aoe" and word[-1:].isalpha():
            word += "'"
        word += syllable
    return word[:1].upper() + word[1:]


def _term_at(name: str, i: int) -> tuple[str, str] | None:
    for length in range(min(_LONGEST, len(name) - i), 0, -1):
        chunk = name[i : i + length]
        if chunk in TERMS:
            return chunk, TERMS[chunk]
    return None


def _generic_at(name: str, i: int) -> tuple[str, str] | None:
    found = _term_at(name, i)
    if found:
        return found
    char = name[i]
    if char in SUFFIX_TERMS:
        rest = i + 1
        if rest == len(name) or _term_at(name, rest) or name[rest] in SUFFIX_TERMS:
            return char, SUFFIX_TERMS[char]
    return None


def english_name(name: str) -> str:
    """The English name of a platform (or any node) by rule."""
    words: list[str] = []
    proper = ""
    i = 0
    name = name.strip()
    while i < len(name):
        generic = _generic_at(name, i)
        if generic is None:
            proper += name[i]
            i += 1
            continue
        if proper:
            words.append(pinyin_word(proper))
            proper = ""
        words.append(generic[1])
        i += len(generic[0])
    if proper:
        words.append(pinyin_word(proper))
    text = " ".join(words)
    return text.replace("( ", "(").replace(" )", ")")
