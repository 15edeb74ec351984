"""The admin speaks Vietnamese to every role (issue 13).

The test client signs in as each role the provisioning builds, walks that role's daily admin
paths (dashboard, explorer, create and edit views with every tab, publishing-schedule and workflow
dialogs, history, revisions and compare, documents and their chooser, users, reports, the messages
after a saved, a rejected and a refused form, the guide), collects the text a user sees (text
nodes, title/aria-label/placeholder/alt/tooltip attributes, button values) and the JavaScript
catalogue the admin's scripts read, and fails on any English string but the few Wagtail
hard-codes where no catalogue reaches (KNOWN_ENGLISH), printing those it found. (Until session 9
it allowed 5 %; editors then met 40 English strings of 1,315.)
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

from django.urls import reverse
from django.utils import timezone

import wagtail

import pytest

from content_types.agency import AgencyRole
from content_types.indexes import FormIndexPage
from tests.factories import (
    PASSWORD,
    make_draft_document,
    make_user,
    new_revision,
    quality_system,
    run_workflow,
)
from tests.i18n.catalogue import read_catalogue
from tests.i18n.english import is_english
from tests.themes.builders import make_file, publish_form
from workflows.provisioning import INTERNAL_AUDITORS, PROVINCE_ADMINS, province_groups

# English that Wagtail 8.0 writes into its templates untranslated, each never seen on screen.
KNOWN_ENGLISH = {
    "Search": "shared/header.html's submit button, for screen readers only (value='Search')",
    "None": "a hidden side-panel counter and a CSS class Wagtail renders from None",
}
_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt", "data-w-tooltip-content-value"}
_SKIPPED_TAGS = {"script", "style", "svg", "noscript"}
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


class VisibleText(HTMLParser):
    """Text nodes outside scripts and styles, and the attributes people read."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.strings: set[str] = set()
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED_TAGS:
            self._skip += 1
            return
        attrs = dict(attrs)
        for name in _ATTRIBUTES:
            self._add(attrs.get(name))
        if tag == "input" and attrs.get("type") in {"submit", "button"}:
            self._add(attrs.get("value"))

    def handle_endtag(self, tag):
        if tag in _SKIPPED_TAGS and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self._add(data)

    def _add(self, text: str | None) -> None:
        text = " ".join((text or "").split())
        if re.search(r"[^\W\d_]", text):  # at least one letter
            self.strings.add(text)


def visible_strings(response) -> set[str]:
    body = response.content.decode()
    if response.get("Content-Type", "").startswith("application/json"):
        data = json.loads(body)
        body = data.get("html", "") if isinstance(data, dict) else ""
    parser = VisibleText()
    parser.feed(body)
    return parser.strings


def _js_msgids() -> list[tuple[str, str | None]]:
    """Every (msgid, msgid_plural) the admin's JavaScript asks its catalogue for."""
    po = Path(wagtail.__file__).parent / "admin/locale/en/LC_MESSAGES/djangojs.po"
    return list(dict.fromkeys((entry.msgid, entry.plural) for entry in read_catalogue(po)))


def js_catalogue_strings(client) -> set[str]:
    """What the admin's scripts would show: each msgid through the served catalogue."""
    response = client.get(reverse("wagtailadmin_javascript_catalog"))
    assert response.status_code == 200
    source = response.content.decode()
    match = re.search(r"const newcatalog = (\{.*?\});\n", source, re.S)
    catalogue = json.loads(match.group(1)) if match else {}
    shown = set()
    for msgid, plural in _js_msgids():
        value = catalogue.get(msgid)
        if plural:
            forms = value if isinstance(value, list) and all(value) else [msgid, plural]
            shown.update(forms)
        else:
            shown.add(value or msgid)
    # What a reader sees is the text around the placeholders; a bare "%(a)s: %(b)s" is no text.
    return {text for text in (_PLACEHOLDER.sub("", s).strip() for s in shown) if text}


# --- the tree and the people --------------------------------------------------------------


@pytest.fixture
def province(home, agency_a):
    """An agency in every state of the day: a form in force and one in moderation, a draft
    document, a version scheduled for later, a locked page; one user per role."""
    from wagtail.models import Page

    # As the demo loader does: Wagtail's "Welcome to your new Wagtail site!" page goes.
    for child in Page.get_first_root_node().get_children():
        if type(child.specific) is Page:
            child.delete()
    groups = province_groups()
    users = {
        role: make_user(f"cqa.{slug}", agency_a.role_group(role), first_name="Văn", last_name=slug)
        for role, slug in (
            (AgencyRole.EDITORS, "bientap"),
            (AgencyRole.REVIEWERS, "kiemtra"),
            (AgencyRole.APPROVERS, "lanhdao"),
            (AgencyRole.ADMINISTRATORS, "quantri"),
            (AgencyRole.AUDITORS, "danhgia"),
        )
    }
    users["province"] = make_user("tinh.quantri", groups[PROVINCE_ADMINS], first_name="Tỉnh")
    users["auditor"] = make_user("tinh.danhgia", groups[INTERNAL_AUDITORS], first_name="Đánh")
    staff = {role: users[role] for role in AgencyRole.values}

    form = publish_form(agency_a, staff, "BM.01-QT.05", "Tờ khai đăng ký kết hôn")
    new_revision(form, staff[AgencyRole.EDITORS], title="Tờ khai đăng ký kết hôn (sửa đổi)")
    form.get_workflow().start(form, staff[AgencyRole.EDITORS])  # in moderation at «Kiểm tra»

    scheduled = publish_form(agency_a, staff, "BM.02-QT.05", "Giấy đề nghị cấp bản sao")
    revision = new_revision(scheduled, staff[AgencyRole.EDITORS], title="Giấy đề nghị (mới)")
    scheduled.refresh_from_db()
    page = revision.as_object()
    page.go_live_at = timezone.now() + timedelta(days=7)
    page.save_revision(user=staff[AgencyRole.EDITORS])
    run_workflow(scheduled, staff)

    document = make_draft_document(agency_a, staff[AgencyRole.EDITORS])
    document.locked, document.locked_by = True, staff[AgencyRole.EDITORS]
    document.locked_at = timezone.now()
    document.save()
    make_file(agency_a, "so-tay.pdf", b"%PDF-1.4 so tay")
    return {
        "agency": agency_a,
        "users": users,
        "form": form,
        "scheduled": scheduled,
        "document": document,
        "form_index": agency_a.get_children().type(FormIndexPage).first(),
    }


def _paths(tree) -> list[str]:
    form, document, index = tree["form"], tree["document"], tree["form_index"]
    revisions = list(form.revisions.order_by("id").values_list("id", flat=True))
    file = form.specific.file
    paths = [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore_root"),
        reverse("wagtailadmin_explore", args=[tree["agency"].pk]),
        reverse("wagtailadmin_explore", args=[index.pk]),
        reverse("wagtailadmin_pages:edit", args=[form.pk]),
        reverse("wagtailadmin_pages:edit", args=[tree["scheduled"].pk]),
        reverse("wagtailadmin_pages:edit", args=[document.pk]),
        reverse("wagtailadmin_pages:add_subpage", args=[index.pk]),
        # The quality system holds several kinds of page: the type chooser itself.
        reverse("wagtailadmin_pages:add_subpage", args=[quality_system(tree["agency"]).pk]),
        reverse("wagtailadmin_pages:add", args=["content_types", "formdocumentpage", index.pk]),
        reverse("wagtailadmin_pages:history", args=[form.pk]),
        reverse(
            "wagtailadmin_pages:revisions_compare", args=[form.pk, revisions[0], revisions[-1]]
        ),
        reverse("wagtailadmin_pages:workflow_history", args=[form.pk]),
        reverse("wagtailadmin_pages:search") + "?q=t%E1%BB%9D",
        reverse("wagtailadmin_pages:delete", args=[document.pk]),
        reverse("wagtailadmin_pages:move", args=[document.pk]),
        reverse("wagtaildocs:index"),
        reverse("wagtaildocs:add_multiple"),
        reverse("wagtaildocs:edit", args=[file.pk]),
        reverse("wagtaildocs:document_usage", args=[file.pk]),
        reverse("wagtaildocs_chooser:choose"),
        reverse("wagtailadmin_choose_page"),
        reverse("wagtailusers_users:index"),
        reverse("wagtailadmin_account"),
        reverse("wagtailadmin_reports:locked_pages"),
        reverse("wagtailadmin_reports:aging_pages"),
        reverse("wagtailadmin_reports:site_history"),
        reverse("wagtailadmin_reports:workflow"),
        reverse("wagtailadmin_reports:workflow_tasks"),
        reverse("wagtailadmin_reports:page_types_usage"),
        reverse("iso_master_list_index"),
        reverse("iso_version_history", args=[form.pk]),
        reverse("iso_search") + "?q=ket+hon",
        reverse("iso_agency_users_index"),
        reverse("iso_guide_index"),
    ]
    task_state = form.current_workflow_task_state
    if task_state is not None:
        for action in ("approve", "reject"):
            paths.append(
                reverse(
                    "wagtailadmin_pages:workflow_action",
                    args=[form.pk, action, task_state.pk],
                )
            )
    return paths


def _form_posts(client, tree) -> set[str]:
    """A rejected form, a refused save and a saved draft: the messages each one shows."""
    from tests.factories import document_form_data

    seen: set[str] = set()
    index, document = tree["form_index"], tree["document"]
    add = reverse("wagtailadmin_pages:add", args=["content_types", "formdocumentpage", index.pk])
    rejected = client.post(add, {"title": "", "slug": "", "code": ""}, follow=True)
    seen |= visible_strings(rejected)
    edit = reverse("wagtailadmin_pages:edit", args=[document.pk])
    refused = client.post(edit, document_form_data(document, title=""), follow=True)
    seen |= visible_strings(refused)
    saved = client.post(edit, document_form_data(document, title="Sổ tay (dự thảo)"), follow=True)
    seen |= visible_strings(saved)
    return seen


ROLES = [
    AgencyRole.EDITORS,
    AgencyRole.REVIEWERS,
    AgencyRole.APPROVERS,
    AgencyRole.ADMINISTRATORS,
    "province",
    "auditor",
]


def _role_strings(client, tree, role) -> set[str]:
    user = tree["users"][role]
    client.logout()
    # The sign-in screen with a wrong password first: what every role reads every morning.
    login = client.post(
        reverse("wagtailadmin_login"), {"username": user.username, "password": "sai"}, follow=True
    )
    strings = visible_strings(login)
    assert client.login(username=user.username, password=PASSWORD)
    for path in _paths(tree):
        response = client.get(path, follow=True)
        assert response.status_code in {200, 403, 404}, (path, response.status_code)
        strings |= visible_strings(response)
    strings |= _form_posts(client, tree)
    strings |= js_catalogue_strings(client)
    return strings


def test_admin_is_vietnamese_for_every_role(client, province):
    """One tree, walked by each role in turn (building it once per role costs minutes)."""
    failures = []
    for role in ROLES:
        strings = _role_strings(client, province, role)
        english = sorted(s for s in strings if is_english(s))
        share = len(english) / len(strings)
        report = "\n".join(f"  {s!r}" for s in english)
        print(f"\n{role}: {len(english)} English of {len(strings)} distinct strings ({share:.1%})")
        print(report)
        if unexpected := [s for s in english if s not in KNOWN_ENGLISH]:
            failures.append(f"{role}: {unexpected}")
    assert not failures, failures


def test_the_heuristic_tells_english_from_vietnamese():
    assert is_english("Edit this page")
    assert is_english("2 phút ago")
    assert not is_english("Sửa trang này")
    assert not is_english("BM.01-QT.05")
    assert not is_english("cqa.bientap")
    assert not is_english("Tải mẫu (PDF, 120 KB)")
    assert not is_english("cqa.bientap@example.vn")
    assert not is_english("America/New_York")
