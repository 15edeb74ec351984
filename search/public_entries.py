"""What public search needs of every public page of a type, kept in process memory per
generation of the public content (content_types.public_generation).

Why: a broad query ("don de ngh" matches 13,766 of 50,000 forms) must know every match's agency,
title length and field for its exact total, its facets and its ranking window. Asking the
database to join the matched index entries to the page rows and apply the visibility rules cost
35 ms on SQLite and 70–90 ms on PostgreSQL at that size, most of it in the join. The index alone
answers the match in 7–10 ms; this map answers the rest. It is rebuilt after every publish (and
when a scheduled version takes effect) by the first public search of each process, one query
over the public pages. It holds page ids, not index entry ids, so rebuilding the search index
(`update_index`, which gives every entry a new id) leaves it right.

Only the anonymous reader's view is kept: staff see private sections according to their groups.
Inside a transaction that holds an uncommitted public change the map describes the site without
that change, so the caller reads the database instead (`public_change_pending`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from content_types.public_generation import GenerationMemo

T = TypeVar("T")

# A few maps: one per page type and row shape searched (forms, procedures).
_memo = GenerationMemo(size=16)


@dataclass(frozen=True)
class PublicEntries:
    """The match rows of every public page of a type, in ranking-window order (shortest title
    first), and where each page's row is."""

    rows: list[tuple]
    position: dict[int, int]  # page id → index in rows

    def rows_for(self, page_ids: list[int]) -> list[tuple]:
        """The rows of the public pages among `page_ids`, in the order of `rows`."""
        found = [p for p in map(self.position.get, page_ids) if p is not None]
        found.sort()
        rows = self.rows
        return [rows[p] for p in found]


def public_entries(key: str, public_rows: Callable[[], list[tuple]]) -> PublicEntries | None:
    """The map for `key` (a page type and its row shape) in the current generation, built from
    `public_rows()` (every public page's row, shortest title first, page id first) when missing;
    None while this transaction holds a public change."""

    def build() -> PublicEntries:
        rows = public_rows()
        return PublicEntries(rows=rows, position={row[0]: n for n, row in enumerate(rows)})

    return _memo.get(key, build)


def public_derived(key: str, build: Callable[[], T]) -> T | None:
    """Another value derived from the public pages (the ids of a type's pages the public may
    not see, for the engine), kept for the current generation; None as public_entries."""
    return _memo.get(key, build)
