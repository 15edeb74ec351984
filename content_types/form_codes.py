"""Codes for forms prescribed by law without one, and the legal documents a text cites."""

from __future__ import annotations

import re

from .text import fold_vietnamese

# 53/2025/TT-BCA, 118/2025/NĐ-CP, 04/2020/TT-BTP, 1234/QĐ-UBND
LEGAL_DOCUMENT = re.compile(r"\b(\d{1,4})/(\d{4})/([A-ZĐ]{1,6}(?:-[A-ZĐ]{1,12})+)")


def legal_document_numbers(text: str) -> list[str]:
    """The legal documents cited in `text`, in order, each once: ["53/2025/TT-BCA"]."""
    found = ["/".join(match.groups()) for match in LEGAL_DOCUMENT.finditer(text or "")]
    return list(dict.fromkeys(found))


def form_code_base(legal_basis: str) -> str:
    """The stem of a generated code: "Thông tư 04/2020/TT-BTP" → "TT04-2020-BTP"; without a
    citable document, "MAU"."""
    numbers = legal_document_numbers(legal_basis)
    if not numbers:
        return "MAU"
    number, year, kind = numbers[0].split("/")
    kind_parts = fold_vietnamese(kind).upper().split("-")
    return f"{kind_parts[0]}{number}-{year}-{'-'.join(kind_parts[1:])}"


def form_code_generate(*, legal_basis: str, taken: set[str]) -> str:
    """The first free code for the stem: TT04-2020-BTP.01, .02 … (`taken`: codes in use in
    the agency, upper-cased)."""
    base = form_code_base(legal_basis)
    number = 1
    while f"{base}.{number:02d}".upper() in taken:
        number += 1
    return f"{base}.{number:02d}"
