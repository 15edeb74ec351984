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
import io
import json
import zipfile

from django.db import connection, transaction
from django.test import Client

from wagtail.models import Page

import pytest

from content_types.agency import AgencyRole
from tests.factories import make_agency, make_home, make_staff

from .marked import MARK_LOWER, build_world, world_fingerprint
from .walk import JOINED, OWN_USERS, admin_probes, search_query

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


def _file_text(content: bytes) -> str:
    """The text of a downloaded PDF, or of an Office Open XML file's parts (DOCX, XLSX)."""
    if content.startswith(b"%PDF"):
        with contextlib.suppress(Exception):
            from pypdf import PdfReader

            return " ".join(
                page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages
            )
    if content.startswith(b"PK"):
        with contextlib.suppress(zipfile.BadZipFile), zipfile.ZipFile(io.BytesIO(content)) as zf:
            return " ".join(
                zf.read(name).decode(errors="replace")
                for name in zf.namelist()
                if name.endswith(".xml")
            )
    return ""


def _shown(response) -> str:
    """Everything the response shows, lower-cased: the body (JSON decoded too, downloads read),
    the redirect target and the messages it queued for the next page (Wagtail names objects in
    them)."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = content.decode(errors="replace") + _file_text(content)
    if response.get("Content-Type", "").startswith("application/json"):
        with contextlib.suppress(ValueError):
            text += json.dumps(json.loads(text), ensure_ascii=False)
    storage = getattr(getattr(response, "wsgi_request", None), "_messages", None)
    queued = " ".join(str(m) for m in getattr(storage, "_queued_messages", []))
    return " ".join((text, response.get("Location", ""), queued)).lower()


def _excerpt(text: str) -> str:
    at = text.index(MARK_LOWER)
    return " ".join(text[max(0, at - 120) : at + 40].split())


pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Agency A's marked objects and agency B, built once for the module and rolled back after
    it: each test reads them, and every request it sends runs in a savepoint rolled back at once
    (`_send`), as does each test's own transaction."""
    with django_db_blocker.unblock(), transaction.atomic():
        home = make_home()
        agency_a = make_agency(home, "CQA", title="Sở Tư pháp thử", short_name="Sở Tư pháp")
        agency_b = make_agency(home, "CQB", title="UBND phường thử", short_name="UBND phường")
        yield build_world(agency_a, make_staff(agency_a, "a"), agency_b, make_staff(agency_b, "b"))
        transaction.set_rollback(True)


ANONYMOUS = "ẩn danh"


def _clients(world) -> dict[str, Client]:
    clients = {ANONYMOUS: Client()}
    for role in AgencyRole.values:
        client = Client()
        client.force_login(world.staff_b[role])
        clients[f"B {role}"] = client
    return clients


def _send(client, method: str, url: str, world, before, data=None):
    """(response, error, changed): the request in a savepoint that is always rolled back;
    `changed` says whether A's objects differ from `before` after it, looked at before the
    rollback (only a request that wrote something can have changed them)."""
    client.cookies.pop("messages", None)  # a finding is the request's own
    writes = _Writes()
    with transaction.atomic():
        try:
            with connection.execute_wrapper(writes):
                if method == "GET":
                    response = client.get(url)
                else:
                    response = client.post(url, data or POST_DATA)
        except Exception as error:  # a server error: reported, not raised, to see them all
            return None, f"{type(error).__name__}: {error}"[:300], False
        else:
            return response, None, bool(writes.count) and world_fingerprint(world) != before
        finally:
            transaction.set_rollback(True)


# What a refusal looks like: a redirect (to the sign-in page for the anonymous visitor, or
# Wagtail's «no permission» bounce to the dashboard), forbidden, not found, method not allowed.
REFUSED = (302, 403, 404, 405)


def _not_refused(probe, who: str, response) -> str | None:
    """Why the response to a request on one of A's objects through a view joined with
    walk.walk_url is no refusal (such a view takes A's object: B gets nothing there)."""
    if probe.pattern.name not in JOINED:
        return None
    if response.status_code not in REFUSED:
        return f"not refused ({response.status_code})"
    if who == ANONYMOUS and response.status_code == 302 and "/login/" not in response["Location"]:
        return f"redirected to {response['Location']}, not to the sign-in page"
    return None


def walk_findings(world) -> tuple[list[str], object]:
    walk = admin_probes(world)
    findings = [f"cannot fill {route}" for route in walk.unfillable]
    before = world_fingerprint(world)
    clients = _clients(world)
    signed_in = {f"B {role}": world.staff_b[role] for role in AgencyRole.values}
    for probe in walk.probes:
        urls = [probe.url]
        if query := search_query(probe):
            urls.append(probe.url + query)
        post = _post_probed(probe.pattern.name)
        for who, client in clients.items():
            for url in urls:
                response, error, changed = _send(client, "GET", url, world, before)
                if error or response.status_code >= 500:
                    findings.append(f"GET {url} as {who}: {error or response.status_code}")
                elif changed:
                    findings.append(f"GET {url} as {who}: changed A's objects")
                elif MARK_LOWER in (shown := _shown(response)):
                    findings.append(f"GET {url} as {who}: shows A's data: …{_excerpt(shown)}…")
                elif why := _not_refused(probe, who, response):
                    findings.append(f"GET {url} as {who}: {why}")
                elif response.status_code != 200:
                    break  # refused: a search there would be refused alike
            if post:
                _post_all(findings, probe, who, client, world, before)
            if who in signed_in and "_auth_user_id" not in client.session:
                # Every later probe would be anonymous: say so, and sign in again.
                findings.append(f"{probe.url} signed {who} out: skip it in walk.SKIPPED")
                client.force_login(signed_in[who])
    return findings, walk


def _post_all(findings, probe, who, client, world, before) -> None:
    """The generic POST, then each form the walk gives the view (walk.POST_BODIES)."""
    for data in [POST_DATA] + [{**POST_DATA, **body} for body in probe.posts]:
        label = f"POST {probe.url}" + (f" {data['op']}" if "op" in data else "")
        response, error, changed = _send(client, "POST", probe.url, world, before, data)
        if error or response.status_code >= 500:
            findings.append(f"{label} as {who}: {error or response.status_code}")
        elif changed:
            findings.append(f"{label} as {who}: changed A's objects")
        elif MARK_LOWER in (shown := _shown(response)):
            findings.append(f"{label} as {who}: shows A's data: …{_excerpt(shown)}…")
        elif why := _not_refused(probe, who, response):
            findings.append(f"{label} as {who}: {why}")


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
    draft = Page.objects.get(pk=world.extra["draft_document"].pk)  # the world's copy stays as is
    draft.title = "đổi"
    draft.save(update_fields=["title"])
    assert world_fingerprint(world) != before


def test_every_joined_view_shows_or_changes_its_agencys_objects(world):
    """Each view joined with walk.walk_url is filled with objects its own agency can reach: one
    of A's roles sees the mark (in the page or the download), or changes A's objects with one
    of the POSTs the walk sends. Otherwise the refusals B meets there would prove nothing."""
    walk = admin_probes(world)
    probes = [p for p in walk.probes if p.pattern.name in JOINED]
    assert {p.pattern.name for p in probes} == JOINED
    before = world_fingerprint(world)
    clients = {}
    for role in AgencyRole.values:
        clients[role] = Client()
        clients[role].force_login(world.staff_a[role])
    reached = set()
    for probe in probes:
        own = []
        for user in OWN_USERS.get(probe.pattern.name, lambda world: [])(world):
            own.append(Client())
            own[-1].force_login(user)
        for client in [*clients.values(), *own]:
            response, error, _ = _send(client, "GET", probe.url, world, before)
            assert error is None, f"{probe.url}: {error}"
            if response.status_code == 200 and MARK_LOWER in _shown(response):
                reached.add(probe.pattern.name)
                break
            for data in [{**POST_DATA, **body} for body in probe.posts] or [POST_DATA]:
                if _send(client, "POST", probe.url, world, before, data)[2]:
                    reached.add(probe.pattern.name)
                    break
            if probe.pattern.name in reached:
                break
    assert reached == JOINED, f"not reached by agency A itself: {sorted(JOINED - reached)}"


def test_a_change_made_by_a_request_is_seen_and_undone(world):
    """The walk's POST check can fail: A's administrator renaming A's unit through the admin is
    seen as a change, looked at before the request's savepoint is rolled back."""
    from django.urls import reverse

    client = Client()
    client.force_login(world.staff_a[AgencyRole.ADMINISTRATORS])
    before = world_fingerprint(world)
    unit = world.ids["content_types.qualityunit"][0]
    url = reverse("iso_quality_unit", args=[unit])
    response, error, changed = _send(client, "POST", url, world, before, {"name": "Đổi tên"})
    assert error is None and response.status_code == 302
    assert changed
    assert world_fingerprint(world) == before
