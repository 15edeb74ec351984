"""Public search from the in-process map of public entries (search.public_entries).

The other search tests build their province inside one transaction, so its publishes are never
committed and every search there reads the database. Here the province is committed, as in
production: public searches read the map, and each answer must equal the database's answer and
follow every committed change at once.
"""

from __future__ import annotations

from django.core.management import call_command
from django.db import transaction

from wagtail.models import PageViewRestriction

import pytest

from content_types.documents import FormDocumentPage
from content_types.public_generation import public_generation_bump
from search import public_entries
from search.selectors import find_forms, find_procedures
from tests.factories import restore_baseline
from tests.search.conftest import build_corpus, publish_form
from tests.search.test_relevance import FORM_QUERIES, PROCEDURE_QUERIES

pytestmark = pytest.mark.django_db(transaction=True)

BROAD_QUERIES = ["to khai", "dang ky", "don de ngh", "BM", "giay", "khai sinh ket hon xyz"]


@pytest.fixture
def province():
    restore_baseline()  # what the previous transactional test's flush removed
    return build_corpus()


def from_the_database(search, *args, **kwargs):
    """The same search as the request that has just published reads it: inside a transaction
    holding a public change not yet committed, so from the database, not from the map."""
    with transaction.atomic():
        transaction.on_commit(public_generation_bump)
        result = search(*args, **kwargs)
        transaction.set_rollback(True)
    return result


def summary(result) -> tuple:
    return (
        result.total,
        result.page,
        [
            (hit.page.pk, hit.match, hit.issue_label, hit.agency and hit.agency.pk)
            for hit in result.hits
        ],
        {
            name: [(v.value, v.count, v.selected) for v in values]
            for name, values in result.facets.items()
        },
        [(s.label, s.query, s.drop_filters) for s in result.suggestions],
    )


def map_in_use() -> bool:
    return bool(public_entries._memo.held())


def test_public_searches_from_the_map_answer_as_the_database_does(province):
    fields = province.fields
    agency_a = province.agencies["A"]
    cases = [(find_forms, q, {}) for q, _ in FORM_QUERIES]
    cases += [(find_forms, q, {"per_page": 2, "page": 2}) for q in BROAD_QUERIES]
    cases += [(find_forms, q, {"agency": agency_a}) for q in BROAD_QUERIES]
    cases += [(find_forms, "to khai", {"field": fields["Hộ tịch"]})]
    cases += [(find_forms, "to khai", {"procedure": province.procedures["p_thuong_tru"]})]
    cases += [(find_forms, "ket hon", {"agency": province.agencies["B"]})]  # suggests no filter
    cases += [(find_procedures, q, {}) for q, _ in PROCEDURE_QUERIES]
    cases += [(find_procedures, "dang ky", {"field": fields["Hộ tịch"]})]
    for search, query, options in cases:
        from_map = summary(search(query, **options))
        assert map_in_use()
        assert from_map == summary(from_the_database(search, query, **options)), (query, options)


def test_the_map_follows_every_committed_change(province):
    assert find_forms("khai sinh").total == 1
    assert map_in_use()

    agency_a, staff_a = province.agencies["A"], province.staff["A"]
    added = publish_form(agency_a, staff_a, "ks2", "Tờ khai đăng ký lại khai sinh", "BM.21-QT.05")
    assert [hit.page.pk for hit in find_forms("dang ky lai khai sinh").hits] == [added.pk]
    assert find_forms("khai sinh").total == 2

    FormDocumentPage.objects.get(pk=added.pk).unpublish()
    assert find_forms("dang ky lai khai sinh").total == 0
    assert find_forms("khai sinh").total == 1

    # Agency B's forms section made private: its forms leave public search at once.
    forms_b = province.forms["chu_ky"].get_parent()
    PageViewRestriction.objects.create(page=forms_b, restriction_type=PageViewRestriction.LOGIN)
    assert find_forms("chung thuc chu ky").total == 0
    agencies = [value.value for value in find_forms("to khai").facets["agency"]]
    assert agencies == [agency_a.pk]
    assert map_in_use()


def test_rebuilding_the_search_index_leaves_public_search_right(province):
    before = summary(find_forms("to khai"))
    assert before[0] > 0 and map_in_use()
    call_command("update_index", verbosity=0)  # every index entry gets a new id
    assert summary(find_forms("to khai")) == before
    assert map_in_use()


def test_inside_the_publishing_transaction_search_sees_the_change(province):
    find_forms("khai sinh")  # the map of the committed site
    agency_a, staff_a = province.agencies["A"], province.staff["A"]
    with transaction.atomic():
        added = publish_form(agency_a, staff_a, "ks3", "Tờ khai khai sinh bổ sung", "BM.22-QT.05")
        assert added.pk in [hit.page.pk for hit in find_forms("khai sinh").hits]
        transaction.set_rollback(True)
    assert find_forms("khai sinh bo sung").total == 0
