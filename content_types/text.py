"""Pure text helpers shared by models and search (no Django models here)."""

import re
import unicodedata

from django.utils.text import slugify


def fold_vietnamese(text: str) -> str:
    """Lower-case `text` and strip Vietnamese diacritics; đ/Đ become d.

    NFD first so composed and decomposed input fold alike; "đ" has no decomposition, so it is
    mapped by hand.
    """
    decomposed = unicodedata.normalize("NFD", text or "")
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", stripped).replace("đ", "d").replace("Đ", "D").lower()


def vietnamese_slug(text: str, max_length: int = 80) -> str:
    """A readable ASCII slug: "Sở Tư pháp" → "so-tu-phap"."""
    return slugify(fold_vietnamese(text))[:max_length].strip("-") or "trang"


def normalise_agency_code(code: str) -> str:
    """Agency codes are compared and stored upper-case without surrounding spaces."""
    return (code or "").strip().upper()


_TOKEN = re.compile(r"[^\W_]+")
# Search query and index agree on tokens: folded, then runs of letters and digits.
MAX_CODE_SEGMENTS = 8


def search_tokens(text: str) -> list[str]:
    """Folded words and numbers of `text`: "Mẫu BM.01-QT.05" → ["mau", "bm", "01", "qt", "05"]."""
    return _TOKEN.findall(fold_vietnamese(unicodedata.normalize("NFKC", text or "")))


def search_text(text: str) -> str:
    """`text` as the search index stores it: folded tokens separated by single spaces."""
    return " ".join(search_tokens(text))


def code_key(code: str) -> str:
    """A code with case, diacritics and punctuation removed: "BM.01-QT.05" → "bm01qt05"."""
    return "".join(search_tokens(code))


def code_search_terms(code: str) -> str:
    """Index terms that let any spelling of a code find it.

    Every run of consecutive segments, joined: "BM.01-QT.05" gives bm, bm01, bm01qt, bm01qt05,
    01, 01qt, …, so "BM01", "bm.01", "QT05" and "BM-01/QT05" (tokens bm, 01, qt05) all match;
    "1.001234.000.00.00.H35" gives 1001234, so the national code "1.001234" finds it.
    """
    segments = search_tokens(code)[:MAX_CODE_SEGMENTS]
    spans = [
        "".join(segments[start:end])
        for start in range(len(segments))
        for end in range(start + 1, len(segments) + 1)
    ]
    return " ".join(dict.fromkeys(spans))


def national_code_base(code: str) -> str:
    """The national part of a province procedure code: 1.001193.000.00.00.H35 → 1.001193."""
    return ".".join((code or "").split(".")[:2])
