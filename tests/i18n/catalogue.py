"""A reader of gettext .po files for the language tests: Wagtail's English catalogues (what its
screens and scripts ask for) and the project's Vietnamese one. Written here because the tests
need each message's source references, which Django's and Babel's loaders of compiled
catalogues drop; Babel's .po reader would do, but this keeps the tests independent of how
locale/compile.py compiles."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import NamedTuple


class Entry(NamedTuple):
    """One message of a .po file."""

    references: tuple[str, ...]
    context: str | None
    msgid: str
    plural: str | None
    msgstrs: tuple[str, ...]


def _unquote(line: str) -> str:
    """The string of a .po line's quoted part ("..." with C escapes)."""
    return ast.literal_eval(line[line.index('"') :])


def read_catalogue(po: Path) -> list[Entry]:
    """Every message of a .po file, with its source references (the header entry left out)."""
    entries: list[Entry] = []
    refs: list[str] = []
    fields: dict[str, str] = {}
    current: str | None = None

    def flush() -> None:
        nonlocal refs, fields, current
        if fields.get("msgid"):
            msgstrs = tuple(v for k, v in sorted(fields.items()) if k.startswith("msgstr"))
            entries.append(
                Entry(
                    tuple(refs),
                    fields.get("msgctxt"),
                    fields["msgid"],
                    fields.get("msgid_plural"),
                    msgstrs,
                )
            )
        refs, fields, current = [], {}, None

    for line in po.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            flush()
        elif line.startswith("#:"):
            refs += line[2:].split()
        elif line.startswith("#"):
            continue
        elif line.startswith('"') and current:
            fields[current] += _unquote(line)
        else:
            current = line.split(" ", 1)[0]
            fields[current] = _unquote(line)
    return entries
