"""What the searcher typed, made safe and comparable: folded tokens, a code key, notes."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from modelsearch.query import Or, PlainText

from content_types.text import code_key, code_search_terms, search_tokens

MAX_QUERY_CHARS = 200
# Every word of a form's full name: Vietnamese form names run past 15 words («Đơn đề nghị cấp giấy
# chứng nhận đăng ký hộ kinh doanh dành cho người khuyết tật», 17). At 12 the full name lost to a
# shorter title holding its first 12 words. MAX_QUERY_CHARS already bounds what a query costs.
MAX_TOKENS = 40
# Words people put in front of a form's name that the name itself rarely carries:
# "mẫu tờ khai …", "biểu mẫu …", "tải mẫu …". Dropped when the whole query finds nothing.
FILLER_WORDS = frozenset({"mau", "bieu", "tai", "ve", "file", "form", "download"})

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class ParsedQuery:
    text: str  # what the searcher typed, trimmed (shown back to them)
    tokens: tuple[str, ...]  # folded words and numbers searched for
    notes: tuple[str, ...] = field(default=())  # messages for the searcher

    @property
    def is_blank(self) -> bool:
        return not self.tokens

    @property
    def key(self) -> str:
        """The query as one code: "BM-01/QT05" → "bm01qt05"."""
        return "".join(self.tokens)

    @property
    def looks_like_code(self) -> bool:
        return any(ch.isdigit() for ch in self.key) and len(self.tokens) <= 8

    @property
    def search_string(self) -> str:
        return " ".join(self.tokens)

    def backend_query(self):
        """Every word, or — for a code typed with spaces, "ct 01" — the words joined."""
        every_word = PlainText(self.search_string, operator="and")
        if self.looks_like_code and len(self.tokens) > 1:
            return Or([every_word, PlainText(self.key)])
        return every_word

    def without_fillers(self) -> ParsedQuery | None:
        kept = tuple(token for token in self.tokens if token not in FILLER_WORDS)
        if not kept or len(kept) == len(self.tokens):
            return None
        return ParsedQuery(self.text, kept, self.notes)


def query_parse(raw: str | None) -> ParsedQuery:
    """Bounded, folded tokens of `raw`. Operators, quotes, SQL and emoji are just characters."""
    text = _CONTROL.sub(" ", unicodedata.normalize("NFC", str(raw or ""))).strip()
    notes = []
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS].rstrip()
        notes.append(f"Từ khóa quá dài: chỉ dùng {MAX_QUERY_CHARS} ký tự đầu để tìm.")
    tokens = search_tokens(text)
    if len(tokens) > MAX_TOKENS:
        tokens = tokens[:MAX_TOKENS]
        notes.append(f"Chỉ dùng {MAX_TOKENS} từ đầu tiên để tìm.")
    if text and not tokens:
        notes.append("Từ khóa không có chữ hoặc số nào để tìm. Hãy nhập tên hoặc mã biểu mẫu.")
    return ParsedQuery(text, tuple(tokens), tuple(notes))


class MatchKind:
    CODE = "code"  # the query is the item's code, in any spelling
    CODE_PART = "code_part"  # the query is a part of the code: BM01 for BM.01-QT.05
    TITLE_PHRASE = "title_phrase"
    TITLE_WORDS = "title_words"
    TEXT = "text"  # matched elsewhere: legal basis, body, field name…


_TIER = {
    MatchKind.CODE: 0,
    MatchKind.CODE_PART: 1,
    MatchKind.TITLE_PHRASE: 2,
    MatchKind.TITLE_WORDS: 3,
    MatchKind.TEXT: 4,
}


def _has_word(words: list[str], token: str, prefix: bool) -> bool:
    return any(word == token or (prefix and word.startswith(token)) for word in words)


def match_kind(query: ParsedQuery, *, title: str, codes: tuple[str, ...]) -> str:
    """How an item matches: exact code, then title phrase, then title words, then the rest."""
    key = query.key
    for code in codes:
        if key and key == code_key(code):
            return MatchKind.CODE
    if query.looks_like_code:
        for code in codes:
            if key in code_search_terms(code).split():
                return MatchKind.CODE_PART
    words = search_tokens(title)
    joined = " ".join(words)
    phrase = query.search_string
    # The last word may still be being typed: "dang ky khai si" is a phrase of "… khai sinh".
    if joined.startswith(phrase) or f" {phrase}" in f" {joined}":
        return MatchKind.TITLE_PHRASE
    *head, last = query.tokens
    if all(_has_word(words, token, False) for token in head) and _has_word(words, last, True):
        return MatchKind.TITLE_WORDS
    return MatchKind.TEXT


def match_rank(kind: str) -> int:
    return _TIER[kind]


def text_matches(query: ParsedQuery, text: str) -> bool:
    """Whether every query token occurs in `text` (the last one may be a prefix)."""
    words = search_tokens(text)
    *head, last = query.tokens
    return all(_has_word(words, token, False) for token in head) and _has_word(words, last, True)
