"""Wagtail's admin strings that staff meet every day are Vietnamese (and keep their placeholders).

Wagtail 8.0's own Vietnamese catalogue leaves hundreds of admin strings in English: the rich-text
toolbar («Heading 2», «Bulleted list»), the link choosers, the lock side panel, the paginator, the
bulk-action counts, the publish menu, the moderation e-mails... The project's catalogue
(locale/vi/LC_MESSAGES/django.po) fills them in. The language test (test_admin_language.py) only
sees what its walk renders; this one reads Wagtail's English catalogues, keeps every msgid whose
source references are on a staff member's daily paths, and asks Django's gettext under "vi" for
each of them, so a Wagtail upgrade that adds or rewords one of those strings fails here by name.

The second test guards the project's catalogue itself: a msgstr that drops or misspells a
placeholder (%(model_name)s, %s, {title}) raises KeyError or shows a raw token at run time.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

from django.utils import translation

import wagtail

from tests.i18n.catalogue import Entry, read_catalogue

WAGTAIL = Path(wagtail.__file__).parent
PROJECT_CATALOGUE = Path(__file__).resolve().parents[2] / "locale/vi/LC_MESSAGES/django.po"


class DailySources(NamedTuple):
    """A Wagtail app's English catalogue and the fragments of source paths staff meet daily
    (an empty fragment keeps every message of the app)."""

    app: str
    fragments: tuple[str, ...]


DAILY = (
    DailySources(
        "admin",
        (
            # The editor: rich-text toolbar, link choosers, inline panels, side panels, preview.
            "wagtail_hooks.py",
            "templatetags/wagtailadmin_tags.py",
            "chooser/",
            "widgets/",
            "panels/inline_panel_child.html",
            "panels/publishing/",
            "tables/ordering_cell.html",
            "tables/ordering_header.html",
            "ui/tables/",
            "side_panels/",
            "editing_sessions/",
            "views/generic/mixins.py",
            "views/generic/preview.py",
            "views/pages/preview.py",
            # Listings, filters, search, selection counts.
            "paginator.py",
            "localization.py",
            "active_filters.py",
            "shared/filters.html",
            "views/generic/base.py",
            "generic/index_results.html",
            "generic/chooser/",
            "pages/listing",
            "pages/search_results.html",
            "explorable_index_results.html",
            "views/pages/listing.py",
            "bulk_actions/",
            # Reports and usage.
            "reports/",
            "views/pages/usage.py",
            "generic/usage.py",
            # Creating, publishing, scheduling, history and revisions.
            "pages/action_menu/",
            "pages/add_subpage.html",
            "views/pages/choose_parent.py",
            "views/pages/edit.py",
            "views/pages/copy.py",
            "views/pages/convert_alias.py",
            "views/generic/models.py",
            "views/generic/history.py",
            "generic/revisions/compare.html",
            "shared/revisions/",
            "generic/confirm_",
            "generic/preview_error.html",
            "generic/multiple_upload/",
            "pages/confirm_",
            "pages/copy.html",
            "pages/edit_alias.html",
            "shared/dialog/",
            # Moderation: workflow screens, task states, notifications e-mails.
            "workflow",
            "notifications/",
            # Home, sign-in, account, password reset, privacy, collections, tags.
            "home/recent_edits.html",
            "home/user_objects_in_workflow_moderation.html",
            "login.html",
            "account/",
            "forms/",
            "views/page_privacy.py",
            "collection",
            "userbar",
        ),
    ),
    DailySources("documents", ("",)),
    DailySources("users", ("",)),
    DailySources("snippets", ("",)),
)

# Strings that read the same in Vietnamese (Wagtail's own catalogue keeps «URL» as it is).
SAME_IN_VIETNAMESE = frozenset({"URL"})
_PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
_LETTER = re.compile(r"[^\W\d_]")


def is_daily(entry: Entry, fragments: tuple[str, ...]) -> bool:
    return any(fragment in ref for ref in entry.references for fragment in fragments)


def needs_translation(msgid: str) -> bool:
    """False for strings that are only placeholders and punctuation, or the same in Vietnamese."""
    return bool(_LETTER.search(_PLACEHOLDER.sub("", msgid))) and msgid not in SAME_IN_VIETNAMESE


def shown_in_vietnamese(entry: Entry) -> str:
    """What gettext gives for the entry under the active language."""
    if entry.context:
        return translation.pgettext(entry.context, entry.msgid)
    if entry.plural:
        return translation.ngettext(entry.msgid, entry.plural, 1)
    return translation.gettext(entry.msgid)


def untranslated_daily_strings() -> list[str]:
    untranslated = []
    with translation.override("vi"):
        for app, fragments in DAILY:
            po = WAGTAIL / app / "locale/en/LC_MESSAGES/django.po"
            for entry in read_catalogue(po):
                if not is_daily(entry, fragments) or not needs_translation(entry.msgid):
                    continue
                if shown_in_vietnamese(entry) == entry.msgid:
                    where = ", ".join(entry.references[:2])
                    untranslated.append(f"{app}: {entry.msgid!r} ({where})")
    return untranslated


def placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


def test_wagtail_strings_staff_meet_daily_are_translated():
    untranslated = untranslated_daily_strings()
    assert not untranslated, f"{len(untranslated)} English strings:\n" + "\n".join(untranslated)


def test_project_catalogue_keeps_placeholders():
    """A msgstr has exactly its msgid's placeholders; with nplurals=1 the single msgstr[0] serves
    every count, so it has the plural form's (the one with the %(counter)s)."""
    broken = []
    for entry in read_catalogue(PROJECT_CATALOGUE):
        expected = placeholders(entry.plural if entry.plural is not None else entry.msgid)
        for msgstr in entry.msgstrs:
            if placeholders(msgstr) != expected:
                broken.append(f"{entry.msgid!r}: {msgstr!r}")
    assert not broken, "Placeholders changed:\n" + "\n".join(broken)


def test_catalogue_reader_sees_references_plurals_and_continuations(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: vi\\n"\n\n'
        "#: wagtail_hooks.py:505\n"
        '#, python-format\nmsgid "Heading 2"\nmsgstr ""\n\n'
        "#: paginator.py:17 paginator.py:23\n"
        'msgid "1 item"\nmsgid_plural ""\n"%(counter)s items"\nmsgstr[0] "%(counter)s mục"\n',
        encoding="utf-8",
    )
    heading, items = read_catalogue(po)
    assert heading == Entry(("wagtail_hooks.py:505",), None, "Heading 2", None, ("",))
    assert items.plural == "%(counter)s items" and items.msgstrs == ("%(counter)s mục",)
    assert is_daily(items, ("paginator.py",)) and not is_daily(items, ("views/",))
    assert not needs_translation("%(field_label)s:") and needs_translation("Heading 2")
