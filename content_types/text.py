"""Pure text helpers shared by models and search (no Django models here)."""

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
