"""Comparing what people wrote, not how the editor serialised it (pure helpers).

Draftail re-serialises rich text on every save (block keys, empty paragraphs), so two revisions
of identical content differ as text. `content_normalised` maps a revision's content to a value
equal for equal content; the bookkeeping Wagtail keeps in a revision is left out.
"""

from __future__ import annotations

import json
import re
from datetime import datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime

# Bookkeeping in a revision's content that no person wrote.
NOT_CONTENT = frozenset(
    {
        "pk", "id", "path", "depth", "numchild", "url_path", "live", "has_unpublished_changes",
        "first_published_at", "last_published_at", "live_revision", "latest_revision",
        "latest_revision_created_at", "draft_title", "locked", "locked_at", "locked_by", "owner",
        "content_type", "expired", "translation_key", "locale", "alias_of", "comments",
        "wagtail_admin_comments", "page_ptr", "procedure_fields", "page", "sort_order",
    }
)  # fmt: skip
_BLOCK_KEY = re.compile(r"\sdata-block-key=\"[^\"]*\"")
_EMPTY_PARAGRAPH = re.compile(r"<p>\s*(<br\s*/?>)?\s*</p>")
_SPACE = re.compile(r"\s+")
# Decimal fields: the database and the editor's form give '0.50', an import or a loader '0.5'.
DECIMAL_KEYS = frozenset(
    {"time_limit", "working_days", "process_time_limit", "hours", "amount", "cap"}
)
_DECIMAL = re.compile(r"^-?\d+\.\d+$")


def _decimal_normalised(value):
    if isinstance(value, str) and _DECIMAL.match(value.strip()):
        return value.strip().rstrip("0").rstrip(".")
    return value


def html_normalised(value: str | None) -> str:
    """The same rich text whichever way the editor serialised it."""
    from bs4 import BeautifulSoup

    if not value:
        return ""
    soup = BeautifulSoup(_BLOCK_KEY.sub("", value), "html.parser")
    text = _EMPTY_PARAGRAPH.sub("", str(soup))
    return _SPACE.sub(" ", text).replace("> <", "><").strip()


def _go_live_normalised(value):
    """A go-live time already past means "at approval", as no time does."""
    when = parse_datetime(value) if isinstance(value, str) else value
    if isinstance(when, datetime) and when <= timezone.now():
        return None
    return value


def content_normalised(value):
    if isinstance(value, dict):
        # An empty list is no content: a block saved before a list field existed lacks it.
        return {
            key: _go_live_normalised(item)
            if key == "go_live_at"
            else _decimal_normalised(item)
            if key in DECIMAL_KEYS
            else content_normalised(item)
            for key, item in sorted(value.items())
            if key not in NOT_CONTENT and item != []
        }
    if isinstance(value, list):
        return [content_normalised(item) for item in value]
    if isinstance(value, str):
        stripped = value.strip()
        if stripped[:1] in "[{":  # a StreamField kept as JSON text
            try:
                return content_normalised(json.loads(stripped))
            except ValueError:
                pass
        if "<" in stripped:
            return html_normalised(stripped)
        return stripped
    return value
