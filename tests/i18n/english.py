"""Is a string shown to a user English? The language test's heuristic, kept apart to be tested.

A string is Vietnamese when it carries Vietnamese diacritics (any letter outside ASCII in the
Vietnamese alphabet) and no telltale English word; it is English when, without diacritics, it has
a word of three letters or more from an English word list derived from the words Wagtail and Django
themselves show (their `en` catalogues), except proper names and codes of this project.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import django

import wagtail

_WORD = re.compile(r"[A-Za-z]+")
# Letters Vietnamese adds to ASCII (precomposed, as typed); decomposed input is normalised first.
_VIETNAMESE = re.compile(
    "[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ]"
)
# Names and codes that are the same in Vietnamese text (lower case).
_ALLOWED_WORDS = """
    iso tcvn pdf doc docx xls xlsx odt ods url email gmail zalo facebook wagtail django api
    json html csv png jpg jpeg webp svg ubnd ttpvhcc htqlcl stp phg cqa cqb web byte ctrl
    alt shift cmd
"""
ALLOWED_WORDS = frozenset(_ALLOWED_WORDS.split())
# English words that give a string away even beside Vietnamese ones ("3 phút ago").
_TELLTALE_WORDS = """
    the and ago with this that your you are has have been not for from page pages edit view
    live draft scheduled moderation please choose select delete save cancel publish
"""
TELLTALE_WORDS = frozenset(_TELLTALE_WORDS.split())


def _catalogue_words(path: Path) -> set[str]:
    words: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith(("msgid ", "msgid_plural ", '"')) and not line.startswith('""'):
            text = re.sub(r"%\(\w+\)[sd]|\{\w+\}|<[^>]+>|&\w+;", " ", line)
            words.update(w.lower() for w in _WORD.findall(text) if len(w) >= 3)
    return words


@functools.cache
def english_words() -> frozenset[str]:
    """Every word of three letters or more in Wagtail's and Django's English msgids."""
    roots = [Path(wagtail.__file__).parent, Path(django.__file__).parent]
    words: set[str] = set()
    for root in roots:
        for po in root.glob("**/locale/en/LC_MESSAGES/*.po"):
            words |= _catalogue_words(po)
    return frozenset(words - ALLOWED_WORDS - {"msgid", "msgid_plural", "msgstr"})


def is_vietnamese(text: str) -> bool:
    return bool(_VIETNAMESE.search(text))


_EMAIL = re.compile(r"^\S+@\S+\.\w+$")


def is_english(text: str) -> bool:
    import unicodedata
    import zoneinfo

    text = unicodedata.normalize("NFC", text)
    if _EMAIL.match(text) or text in zoneinfo.available_timezones():
        return False  # an address or a time zone's name (Asia/Ho_Chi_Minh) is no language
    words = {w.lower() for w in _WORD.findall(text)}
    if is_vietnamese(text):
        return bool(words & TELLTALE_WORDS)
    return bool({w for w in words if len(w) >= 3} & english_words())
