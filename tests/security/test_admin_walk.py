"""No path into another agency through any admin URL (issue 11).

Every admin URL pattern of the installed Wagtail and of the project (tests/security/walk.py),
with its ids filled from agency A's marked objects (tests/security/marked.py), is requested by
each role of agency B and anonymously: GET (plain, and with a search for the marked titles where
the view takes no id), then POST where the view can change something. The walk fails on:

- a response (body, redirect target, or a message queued for the next page) that contains A's
  mark;
- a POST after which A's objects differ (the fingerprint of tests/security/marked.py);
- a server error;
- a pattern it cannot fill and that walk.SKIPPED / walk.SKIPPED_NAMESPACES do not excuse.

Each request runs in a savepoint rolled back afterwards, so one change that got through can
neither hide nor cause another finding. All findings are listed at once.
"""

from __future__ import annotations

import contextlib
import json

from django.db import connection, transaction
from django.test import Client

import pytest

from content_types.agency import AgencyRole

from .marked import MARK_LOWER, build_world, world_fingerprint
from .walk import admin_probes, search_query

POST_DATA = {
    "title": "CHIEM QUYEN",
    "slug": "chiem-quyen",
    "name": "CHIEM QUYEN",
    "username": "chiem.quyen",
    "comment": "chiem quyen",
    "action-publish": "action-publish",
    "is_active": "",
    "next": "",
}

# Views that only show things (Wagtail's naming): they are requested with GET only.
READ_ONLY_SUFFIXES = (
    "results",
    "index",
    "listing",
    "detail",
    "find",
    "usage",
    "history",
    "preview",
    "preview_on_add",
    "preview_on_edit",
    "view_draft",
    "revisions_view",
    "revisions_compare",
    "workflow_history",
    "type_use",
    "choose",
    "autocomplete",
    "wagtailadmin_home",
    "javascript_catalog",
)


def _post_probed(name: str | None) -> bool:
    if not name:
        return True
    if name.startswith("wagtailadmin_reports:"):
        return False
    return not name.rsplit(":", 1)[-1].endswith(READ_ONLY_SUFFIXES)


class _Writes:
    """Counts a request's statements that write, sessions aside."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        writes = sql.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE")
        if writes and "django_session" not in sql[:60]:
            self.count += 1
        return execute(sql, params, many, context)


def _shown(response) -> str:
    """Everything the response shows, lower-cased: the body (JSON decoded too), the redirect
    target and the messages it queued for the next page (Wagtail names objects in them)."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = content.decode(errors="replace")
    if response.get("Content-Type", "").startswith("application/json"):
        with contextlib.suppress(ValueError):
            text += json.dumps(json.loads(text), ensure_ascii=False)
    storage = getattr(getattr(response, "wsgi_request", None), "_messages", None)
    queued = " ".join(str(m) for m in getattr(storage, "_queued_messages", []))
    return " ".join((text, response.get("Location", ""), queued)).lower()


def _excerpt(text: str) -> str:
    at = text.index(MARK_LOWER)
    return " ".join(text[max(0, at - 120) : at + 40].split())


@pytest.fixture
def world(agency_a, staff_a, agency_b, staff_b):
    return build_world(agency_a, staff_a, agency_b, staff_b)


def _clients(world) -> dict[str, Client]:
    clients = {"ẩn danh": Client()}
    for role in AgencyRole.values:
        client = Client()
        client.force_login(world.staff_b[role])
        clients[f"B {role}"] = client
    return clients


def _send(client, method: str, url: str, writes: _Writes | None = None):
    """(response, error): the request in a savepoint that is always rolled back."""
    client.cookies.pop("messages", None)  # a finding is the request's own
    with transaction.atomic(), connection.execute_wrapper(writes or _Writes()):
        try:
            if method == "GET":
                return client.get(url), None
            return client.post(url, POST_DATA), None
        except Exception as error:  # a server error: reported, not raised, to see them all
            return None, f"{type(error).__name__}: {error}"[:300]
        finally:
            transaction.set_rollback(True)


def walk_findings(world) -> tuple[list[str], object]:
    walk = admin_probes(world)
    findings = [f"cannot fill {route}" for route in walk.unfillable]
    before = world_fingerprint(world)
    clients = _clients(world)
    for probe in walk.probes:
        urls = [probe.url]
        if query := search_query(probe):
            urls.append(probe.url + query)
        post = _post_probed(probe.pattern.name)
        for who, client in clients.items():
            for url in urls:
                response, error = _send(client, "GET", url)
                if error or response.status_code >= 500:
                    findings.append(f"GET {url} as {who}: {error or response.status_code}")
                elif MARK_LOWER in (shown := _shown(response)):
                    findings.append(f"GET {url} as {who}: shows A's data: …{_excerpt(shown)}…")
                elif response.status_code != 200:
                    break  # refused: a search there would be refused alike
            if not post:
                continue
            writes = _Writes()
            client.cookies.pop("messages", None)
            with transaction.atomic():
                response, error = _send(client, "POST", probe.url, writes)
                # Only a POST that wrote something can have changed A's objects.
                changed = writes.count and world_fingerprint(world) != before
            if error or response.status_code >= 500:
                findings.append(f"POST {probe.url} as {who}: {error or response.status_code}")
            elif changed:
                findings.append(f"POST {probe.url} as {who}: changed A's objects")
            elif MARK_LOWER in (shown := _shown(response)):
                findings.append(f"POST {probe.url} as {who}: shows A's data: …{_excerpt(shown)}…")
    return findings, walk


def test_no_admin_url_reaches_another_agency(world):
    findings, walk = walk_findings(world)
    assert walk.patterns > 150, "the resolver walk found too few admin patterns"
    assert len(walk.probes) > 250
    assert not findings, f"{len(findings)} findings:\n" + "\n".join(findings)


def test_the_mark_is_visible_to_its_own_agency(world, client):
    """The probe can fail: A's own editor sees the marked drafts, files and steps."""
    client.force_login(world.staff_a[AgencyRole.EDITORS])
    draft = world.extra["draft_document"]
    for url in (
        f"/admin/pages/{draft.pk}/edit/",
        f"/admin/documents/?q={MARK_LOWER}",
        f"/admin/images/?q={MARK_LOWER}",
        f"/admin/pages/{draft.get_parent().pk}/",
        "/admin/api/main/documents/",
        f"/admin/choose-page/{draft.get_parent().pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert MARK_LOWER in _shown(response), url


def test_a_change_through_b_would_be_seen(world):
    """The fingerprint notices a change to A's objects (so the POST check can fail)."""
    before = world_fingerprint(world)
    draft = world.extra["draft_document"]
    draft.title = "đổi"
    draft.save(update_fields=["title"])
    assert world_fingerprint(world) != before
