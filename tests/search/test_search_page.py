"""The public search page: results, facets, pagination, suggestions and hostile input."""

import time
import unicodedata

import pytest

from search import selectors
from search.query import match_rank
from search.selectors import find_forms, find_procedures

pytestmark = pytest.mark.django_db

HOSTILE = [
    "tờ khai " * 1250,  # 10,000 characters
    "NEAR(to khai",
    "NEAR(",
    "*",
    "khai*",
    '"to khai',
    '"',
    "((ket hon",
    ")",
    "ket AND OR NOT hon",
    "'; DROP TABLE wagtailcore_page; --",
    "1' OR '1'='1",
    "!!! ??? ...",
    "😀🔥",
    "tờ khai 😀",
    unicodedata.normalize("NFD", "Tờ khai đăng ký kết hôn"),
    "\x00\x1f",
    "%_%",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_get_a_normal_page_quickly(client, corpus, query):
    started = time.monotonic()
    response = client.get("/tim-kiem/", {"q": query})
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert "Tìm biểu mẫu, thủ tục hành chính" in response.content.decode()
    assert elapsed < 5, f"{elapsed:.1f}s"


@pytest.mark.parametrize("params", [{"co_quan": "abc"}, {"trang": "-1"}, {"loai": "x"}])
def test_bad_filters_are_explained_and_ignored(client, corpus, params):
    response = client.get("/tim-kiem/", {"q": "ket hon", **params})
    html = response.content.decode()
    assert response.status_code == 200
    assert "không hợp lệ" in html
    assert "Mẫu tờ khai đăng ký kết hôn" in html


def test_nfd_query_finds_the_composed_title(client, corpus):
    query = unicodedata.normalize("NFD", "Tờ khai đăng ký kết hôn có yếu tố")
    response = client.get("/tim-kiem/", {"q": query})
    assert "Tờ khai đăng ký kết hôn có yếu tố nước ngoài" in response.content.decode()


def test_result_shows_agency_version_and_one_click_download(client, corpus):
    hit = find_forms("BM.01-QT.05").hits[0]
    html = client.get("/tim-kiem/", {"q": "bm01"}).content.decode()
    assert "Mẫu tờ khai đăng ký kết hôn" in html
    assert "Sở Tư pháp" in html and "Lần ban hành 01" in html and "Hộ tịch" in html
    assert f'href="{hit.download_url}"' in html


def test_procedures_tab_searches_procedures(client, corpus):
    html = client.get("/tim-kiem/", {"q": "1.000894", "loai": "thu-tuc"}).content.decode()
    assert "Đăng ký kết hôn" in html and "1.000894" in html


def test_facets_count_by_agency_and_field(corpus):
    results = find_forms("to khai")
    by_agency = {value.label: value.count for value in results.facets["agency"]}
    assert by_agency == {"Sở Tư pháp": 5, "UBND phường": 2}
    by_field = {value.label: value.count for value in results.facets["field"]}
    assert by_field == {"Hộ tịch": 2, "Lý lịch tư pháp": 1, "Cư trú": 2}


def test_filters_narrow_by_agency_field_and_procedure(corpus):
    agency_b = corpus.agencies["B"]
    assert {h.agency.pk for h in find_forms("to khai", agency=agency_b).hits} == {agency_b.pk}
    in_field = find_forms("to khai", field=corpus.fields["Cư trú"])
    assert {h.page.pk for h in in_field.hits} == {
        corpus.forms["thuong_tru"].pk,
        corpus.forms["cu_tru"].pk,
    }
    of_procedure = find_forms("", procedure=corpus.procedures["p_ket_hon"])
    assert [h.page.pk for h in of_procedure.hits] == [corpus.forms["ket_hon"].pk]
    assert find_procedures("dang ky", field=corpus.fields["Cư trú"]).total == 1


def test_pages_split_the_results_without_repeating_one(corpus):
    first = find_forms("to khai", per_page=3, page=1)
    second = find_forms("to khai", per_page=3, page=2)
    last = find_forms("to khai", per_page=3, page=99)  # past the end: the last page
    assert first.total == 7 and first.num_pages == 3 and last.page == 3
    seen = [h.page.pk for r in (first, second, last) for h in r.hits]
    assert len(seen) == len(set(seen)) == 7


def test_page_links_keep_query_and_filters(client, corpus):
    agency = corpus.agencies["A"]
    html = client.get("/tim-kiem/", {"q": "to khai", "co_quan": agency.pk}).content.decode()
    assert "5 kết quả" in html
    response = client.get("/tim-kiem/", {"q": "to khai", "co_quan": agency.pk, "trang": 1})
    assert response.status_code == 200


def test_no_match_suggests_what_to_try(client, corpus):
    results = find_forms("tờ khai kết hôn trực tuyến")
    assert results.total == 0
    assert any("kết hôn" in s.query for s in results.suggestions)
    html = client.get("/tim-kiem/", {"q": "tờ khai kết hôn trực tuyến"}).content.decode()
    assert "Không tìm thấy kết quả" in html and "Có thể bạn muốn tìm" in html


NOTHING = "giay phep kinh doanh karaoke quan chin"


def test_a_search_matching_nothing_is_an_empty_page_for_everyone(client, corpus):
    """On the engine this was a 500: an empty match list became `pk__in=[]`, which Django
    compiles to no SQL at all (EmptyResultSet) where the match rows were read."""
    editor = corpus.staff["A"]["editors"]
    for search in (find_forms, find_procedures, selectors.find_documents):
        for user in (None, editor):
            page = search(NOTHING, user=user)
            assert (page.total, page.hits, page.searched) == (0, [], True)
    assert find_forms(NOTHING, user=editor, agency=corpus.agencies["A"]).total == 0
    response = client.get("/tim-kiem/", {"q": NOTHING})
    assert response.status_code == 200
    assert "Không tìm thấy kết quả" in response.content.decode()
    client.force_login(editor)
    assert client.get("/admin/tim-kiem-iso/", {"q": NOTHING}).status_code == 200


def test_no_match_in_a_filter_suggests_dropping_it(corpus):
    results = find_forms("giay phep xay dung", agency=corpus.agencies["A"])
    assert results.total == 0
    assert any(s.drop_filters for s in results.suggestions)


def test_blank_query_asks_for_words(client, corpus):
    html = client.get("/tim-kiem/").content.decode()
    assert 'id="ket-qua"' not in html and "Không tìm thấy" not in html
    assert find_forms("").searched is False


def _every_page(query: str, per_page: int) -> list:
    hits, page = [], 1
    while True:
        result = find_forms(query, page=page, per_page=per_page)
        hits.extend(result.hits)
        if not result.has_next:
            return hits
        page += 1


def test_results_beyond_the_ranking_window_follow_title_length(corpus, monkeypatch):
    """The window (the shortest titles) is re-ranked by match kind; later pages follow title
    length. Every match is shown once, whatever the window's size."""
    usual = _every_page("dang ky", per_page=2)
    monkeypatch.setattr(selectors, "RANK_WINDOW", 3)
    broad = _every_page("dang ky", per_page=2)

    assert len(usual) > 3  # more matches than the window: later pages are exercised
    assert [hit.page.pk for hit in sorted(broad, key=lambda h: h.page.pk)] == [
        hit.page.pk for hit in sorted(usual, key=lambda h: h.page.pk)
    ]
    assert len({hit.page.pk for hit in broad}) == len(broad)
    window, rest = broad[:3], broad[3:]
    ranks = [match_rank(hit.match) for hit in window]
    assert ranks == sorted(ranks)
    assert [len(hit.title) for hit in rest] == sorted(len(hit.title) for hit in rest)
    assert min(len(hit.title) for hit in window) <= min(len(hit.title) for hit in rest)
