"""A staff search asks the engine for one search page, not for every match (issue 15).

Signed-in staff also see their agency's private section, so their searches cannot use the
public map. On Elasticsearch and OpenSearch they used to read back the id of every match
(10,000 a request, sorted by `_doc`, 200,000 at most) and apply the scope in the database. Now
the engine leaves out the private sections the reader may not read (by tree path), counts the
total and the facets and returns the ranking window: one request of RANK_WINDOW hits."""

import pytest

from content_types.agency import AgencyRole
from search.selectors import RANK_WINDOW, find_documents, find_forms
from tests.search.test_visibility import publish_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def requests_seen(search_engine, monkeypatch):
    """Every search body sent to the engine (the backend's raw search, passed through)."""
    if search_engine != "engine":
        pytest.skip("about the engine's requests; the database reads its matches in one query")
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend()
    seen: list[dict] = []
    original = backend._search_raw

    def recording(index, body):
        seen.append(body)
        return original(index, body)

    monkeypatch.setattr(backend, "_search_raw", recording)
    return seen


@pytest.fixture
def private_manuals(agency_a, agency_b):
    return {
        "A": publish_document(agency_a, "Sổ tay chất lượng Sở Tư pháp", "ST.01-A"),
        "B": publish_document(agency_b, "Sổ tay chất lượng UBND phường", "ST.01-B"),
    }


def test_staff_search_is_one_bounded_engine_request(
    private_manuals, staff_a, staff_b, requests_seen
):
    editor_a = staff_a[AgencyRole.EDITORS]
    results = find_documents("so tay chat luong", user=editor_a)
    assert [hit.page.pk for hit in results.hits] == [private_manuals["A"].pk]
    assert results.total == 1
    assert [f.count for f in results.facets["agency"]] == [1]
    assert len(requests_seen) == 1
    (body,) = requests_seen
    assert body["size"] <= RANK_WINDOW
    assert body.get("sort") != ["_doc"]  # not the listing of every match
    # the other agency's staff: their own manual, still one request
    requests_seen.clear()
    results = find_documents("so tay", user=staff_b[AgencyRole.APPROVERS])
    assert [hit.page.pk for hit in results.hits] == [private_manuals["B"].pk]
    assert len(requests_seen) == 1


def test_staff_form_search_pages_without_reading_every_match(agency_a, staff_a, requests_seen):
    from tests.search.conftest import publish_form

    made = [
        publish_form(agency_a, staff_a, f"tk-{n}", f"Tờ khai thử số {n}", f"BM.{n:02d}-TK")
        for n in range(5)
    ]
    results = find_forms("to khai thu", user=staff_a[AgencyRole.EDITORS], per_page=2, page=2)
    assert results.total == 5
    assert len(results.hits) == 2
    assert {hit.page.pk for hit in results.hits} <= {form.pk for form in made}
    assert all(body["size"] <= RANK_WINDOW for body in requests_seen)
    assert len(requests_seen) == 1
