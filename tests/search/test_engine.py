"""What only Elasticsearch and OpenSearch have: an index that must exist with its mapping before
the first write, updates that reach it only when a transaction commits, an atomic rebuild.

Each test gets a fresh index prefix on the engine (nothing created yet), as a new installation
has, and real commits (transactional tests), as production has.
"""

import socket
import uuid

from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import transaction
from django.test import override_settings

from wagtail.models import PageViewRestriction

import pytest

from search.backends import SearchEngineUnavailable, engine_indexes_ensure
from search.selectors import find_forms
from tests.factories import make_agency, make_home, make_staff, restore_baseline
from tests.search.conftest import engine_indexes_drop, engine_settings, publish_form

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def search_engine(engine_server):
    """This module is about the engine only (overrides the conftest's engines)."""
    return "engine"


@pytest.fixture
def fresh_engine(engine_server):
    """The engine under a prefix with no index at all, Wagtail's tasks sent on commit through
    the project's Celery task backend (run in process: CELERY_TASK_ALWAYS_EAGER in tests)."""
    from wagtail.search.backends import get_search_backend

    restore_baseline()  # what the previous transactional test's flush removed
    prefix = f"isotest{uuid.uuid4().hex[:10]}"
    settings = engine_settings(engine_server, prefix)
    tasks = {"default": {"BACKEND": "cms.task_backend.CeleryTaskBackend"}}
    with override_settings(WAGTAILSEARCH_BACKENDS=settings, TASKS=tasks):
        backend = get_search_backend()
        try:
            yield backend
        finally:
            engine_indexes_drop(backend)


def page_index(backend):
    from wagtail.models import Page

    return backend.get_index_for_model(Page)


def found(query, **kwargs) -> list[int]:
    return [hit.page.pk for hit in find_forms(query, **kwargs).hits]


@pytest.fixture
def agency(fresh_engine):
    home = make_home()
    agency = make_agency(home, "CQA", title="Sở Tư pháp thử", short_name="Sở Tư pháp")
    return agency, make_staff(agency, "a")


def test_the_first_publish_finds_the_index_and_its_mapping_already_there(fresh_engine):
    """Before the fix the first write created the index itself, without the project's mapping
    (an OpenSearch node refusing implicit creation, as this one does, lost the page)."""
    index = page_index(fresh_engine)
    assert not index.exists()
    home = make_home()
    agency = make_agency(home, "CQA", title="Sở Tư pháp thử", short_name="Sở Tư pháp")
    form = publish_form(agency, make_staff(agency, "a"), "ks", "Tờ khai khai sinh", "BM.02")
    assert index.is_alias()  # a concrete index behind the alias update_index swaps
    (concrete,) = index.aliased_indices()
    settings = fresh_engine.es.indices.get_settings(index=concrete.name)[concrete.name]
    analyzer = settings["settings"]["index"]["analysis"]["analyzer"]["default"]
    assert analyzer["filter"] == ["lowercase", "asciifolding"]
    mapping = fresh_engine.es.indices.get_mapping(index=concrete.name)[concrete.name]
    properties = mapping["mappings"]["properties"]
    assert "content_types_formdocumentpage__code" in properties
    assert found("to khai khai sinh") == [form.pk]


def test_migrate_creates_every_index_with_its_mapping(fresh_engine):
    index = page_index(fresh_engine)
    assert not index.exists()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert index.is_alias()
    (concrete,) = index.aliased_indices()
    mapping = fresh_engine.es.indices.get_mapping(index=concrete.name)[concrete.name]
    assert "content_types_procedurepage__national_code" in mapping["mappings"]["properties"]
    # A second migrate keeps the index (and what it holds).
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert [i.name for i in index.aliased_indices()] == [concrete.name]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_cluster_is_named_in_one_clear_line(engine_server, capsys):
    from wagtail.search.backends import get_search_backend

    url = f"http://127.0.0.1:{closed_port()}"
    backend = dict(engine_settings(engine_server, "isotestnowhere")["default"], URLS=[url])
    backend["TIMEOUT"] = 2
    with override_settings(WAGTAILSEARCH_BACKENDS={"default": backend}):
        with pytest.raises(SearchEngineUnavailable, match="Không tạo được chỉ mục tìm kiếm") as e:
            engine_indexes_ensure(backend=get_search_backend())
        assert url in str(e.value)
        emit_post_migrate_signal(verbosity=0, interactive=False, db="default")  # does not raise
    assert f"Không tạo được chỉ mục tìm kiếm trên máy chủ {url}" in capsys.readouterr().err


def test_a_publish_reaches_the_engine_when_it_commits_not_before(fresh_engine, agency):
    agency_page, staff = agency
    with transaction.atomic():
        form = publish_form(agency_page, staff, "kh", "Tờ khai đăng ký kết hôn", "BM.01")
        assert not fresh_engine.matching_ids(type(form), "dang ky ket hon")
    assert fresh_engine.matching_ids(type(form), "dang ky ket hon") == [form.pk]
    assert found("dang ky ket hon") == [form.pk]


def test_a_rolled_back_publish_never_reaches_the_engine(fresh_engine, agency):
    agency_page, staff = agency
    with transaction.atomic():
        form = publish_form(agency_page, staff, "kh", "Tờ khai đăng ký kết hôn", "BM.01")
        transaction.set_rollback(True)
    assert not fresh_engine.matching_ids(type(form), "dang ky ket hon")


def test_a_new_version_replaces_the_old_one_in_the_engine(fresh_engine, agency):
    agency_page, staff = agency
    form = publish_form(agency_page, staff, "kh", "Tờ khai đăng ký kết hôn", "BM.01")
    page = form.specific
    page.title = "Tờ khai đăng ký kết hôn lưu động"
    page.save_revision(user=staff["editors"]).publish()
    assert found("ket hon luu dong") == [form.pk]
    assert fresh_engine.matching_ids(type(form), "ket hon luu dong") == [form.pk]


def test_a_withdrawn_form_leaves_the_results(fresh_engine, agency):
    agency_page, staff = agency
    form = publish_form(agency_page, staff, "kh", "Tờ khai đăng ký kết hôn", "BM.01")
    assert found("dang ky ket hon") == [form.pk]
    form.specific.unpublish()
    assert found("dang ky ket hon") == []


def test_a_page_made_private_leaves_public_results_at_once(fresh_engine, agency):
    agency_page, staff = agency
    form = publish_form(agency_page, staff, "kh", "Tờ khai đăng ký kết hôn", "BM.01")
    assert found("dang ky ket hon") == [form.pk]
    PageViewRestriction.objects.create(page=form, restriction_type=PageViewRestriction.LOGIN)
    assert found("dang ky ket hon") == []


def test_update_index_rebuilds_into_a_new_index_and_swaps_the_alias(fresh_engine, agency):
    agency_page, staff = agency
    form = publish_form(agency_page, staff, "kh", "Tờ khai đăng ký kết hôn", "BM.01")
    index = page_index(fresh_engine)
    (before,) = index.aliased_indices()
    call_command("update_index", verbosity=0)
    (after,) = index.aliased_indices()
    assert after.name != before.name
    assert not before.exists()  # the old index is gone once the alias points at the new one
    assert found("dang ky ket hon") == [form.pk]


def test_an_index_a_write_created_is_reported_and_update_index_replaces_it(fresh_engine, caplog):
    """An installation from before this fix has indexes the cluster made on the first write,
    without the mapping: start-up says so, and update_index puts an alias in their place."""
    index = page_index(fresh_engine)
    fresh_engine.es.indices.create(index=index.name)  # what an implicit creation left behind
    with caplog.at_level("WARNING", logger="search.backends"):
        engine_indexes_ensure(backend=fresh_engine)
    assert f"Chỉ mục tìm kiếm {index.name} không có alias" in caplog.text
    assert "manage.py update_index" in caplog.text
    call_command("update_index", verbosity=0)
    assert index.is_alias()


def test_a_procedure_published_later_gives_its_form_the_field_facet(fresh_engine, agency):
    """The engine counts the field facet from its documents: a procedure's publish writes the
    form's fields with an UPDATE, and the form is sent to the engine again for it."""
    from content_types.procedure_fields import ProcedureField
    from tests.search.conftest import publish_procedure

    agency_page, staff = agency
    form = publish_form(agency_page, staff, "kh", "Tờ khai đăng ký kết hôn", "BM.01")
    assert find_forms("dang ky ket hon").facets["field"] == []
    field = ProcedureField.objects.create(name="Hộ tịch")
    publish_procedure(agency_page, "p", "Đăng ký kết hôn", "1.000894", field, [form])
    facet = find_forms("dang ky ket hon").facets["field"]
    assert [(value.label, value.count) for value in facet] == [("Hộ tịch", 1)]


def test_pages_indexed_before_the_agency_field_still_count_by_agency(fresh_engine, caplog):
    """The agency facet counts one "_agency" value a page; an index written by the previous
    release has only the tree paths. Until update_index, the facet counts those (and says so),
    instead of showing every agency with nothing."""
    home = make_home()
    for code in ("CQA", "CQB"):
        agency_page = make_agency(home, code, title=f"Sở thử {code}", short_name=f"Sở {code}")
        publish_form(agency_page, make_staff(agency_page, code.lower()), code, "Tờ khai", code)
    index = page_index(fresh_engine).name
    # Each page document as the previous release wrote it (the node runs no script language).
    hits = fresh_engine.es.search(index=index, body={"size": 100})["hits"]["hits"]
    for hit in hits:
        document = {name: value for name, value in hit["_source"].items() if name != "_agency"}
        fresh_engine.es.index(index=index, id=hit["_id"], body=document, refresh=True)
    assert hits
    fresh_engine.index_checks_forget()  # a process started after the upgrade

    def by_agency() -> dict[str, int]:
        return {value.label: value.count for value in find_forms("to khai").facets["agency"]}

    with caplog.at_level("WARNING", logger="search.backends"):
        assert by_agency() == {"Sở CQA": 1, "Sở CQB": 1}
    assert "thiếu trường _agency" in caplog.text
    call_command("update_index", verbosity=0)
    fresh_engine.index_checks_forget()
    assert by_agency() == {"Sở CQA": 1, "Sở CQB": 1}
    assert fresh_engine.agency_field == "_agency"


@pytest.fixture
def engine_requests(fresh_engine, monkeypatch):
    """The searches and multi-searches sent to the engine, by kind."""
    sent = {"search": 0, "msearch": 0}
    for name in sent:
        original = getattr(fresh_engine.es, name)

        def counted(*args, _name=name, _original=original, **kwargs):
            sent[_name] += 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(fresh_engine.es, name, counted)
    return sent


def test_a_search_page_is_one_engine_request_and_its_suggestions_one_more(
    fresh_engine, agency, engine_requests
):
    """Total, facets and ranking window in one request, however many pages match; when nothing
    matches, every shorter query tried for a suggestion in one multi-search (it was a full
    list of matching ids per page of 10,000, and one such list per suggestion tried)."""
    agency_page, staff = agency
    for n in range(3):
        publish_form(agency_page, staff, f"kh{n}", f"Tờ khai đăng ký kết hôn {n}", f"BM.0{n}")
    find_forms("khai")  # the public map and the index check, once per generation
    engine_requests.update(search=0, msearch=0)
    result = find_forms("dang ky ket hon")
    assert result.total == 3
    assert engine_requests == {"search": 1, "msearch": 0}
    result = find_forms("dang ky ket hon karaoke")
    assert result.total == 0
    assert [s.label for s in result.suggestions] == ["Thử tìm «dang ky ket hon» (3 kết quả)"]
    assert engine_requests == {"search": 2, "msearch": 1}
