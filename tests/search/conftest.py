"""A small province to search: two agencies, forms with real versions, procedures with fields.

Built once per module (pages through the real publish path, so versions and the search index are
maintained exactly as in production) and rolled back afterwards.

Every test here runs on two engines: the database's (SQLite FTS5 or PostgreSQL, whichever
DATABASE_URL names) and a real OpenSearch node (tests/engine), as `[database]` and `[engine]`.
On the engine each module gets an index prefix of its own, created as migrate creates it and
deleted afterwards; writes are refreshed at once (REFRESH_AFTER_WRITE), and before a test the
index is brought back to the database's rows when an earlier test wrote to it (that test's rows
were rolled back, the engine's documents were not). A test about a database engine by nature is
marked `database_only("why")` and skips on the engine with that reason.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.test import override_settings

from wagtail.documents import get_document_model

import pytest

from content_types.documents import FormDocumentPage
from content_types.indexes import ProcedureIndexPage
from content_types.procedure_fields import ProcedureField
from content_types.procedures import ProcedurePage, ProcedurePageForm
from tests.conftest import REQUIRE_SERVICES
from tests.engine.engine import (
    EngineNode,
    EngineServer,
    EngineUnavailable,
    given_server,
    wait_green,
)
from tests.factories import make_agency, make_form, make_home, make_staff

# (key, title, code, agency, legal basis)
FORMS = [
    ("ket_hon", "Mẫu tờ khai đăng ký kết hôn", "BM.01-QT.05", "A", "Thông tư 04/2020/TT-BTP"),
    ("khai_sinh", "Tờ khai đăng ký khai sinh", "BM.02-QT.05", "A", "Thông tư 04/2020/TT-BTP"),
    ("khai_tu", "Tờ khai đăng ký khai tử", "BM.03-QT.05", "A", "Thông tư 04/2020/TT-BTP"),
    ("ly_lich", "Tờ khai cấp Phiếu lý lịch tư pháp", "BM.04-QT.07", "A", "Thông tư 06/2024"),
    ("chu_ky", "Đơn đề nghị chứng thực chữ ký", "BM.04-QT.06", "B", "Nghị định 23/2015/NĐ-CP"),
    ("ban_sao", "Phiếu yêu cầu chứng thực bản sao", "BM.05-QT.06", "B", "Nghị định 23/2015"),
    ("cu_tru", "Tờ khai thay đổi thông tin cư trú", "CT01", "B", "Thông tư 53/2025/TT-BCA"),
    ("dat_dai", "Đơn đề nghị giải quyết tranh chấp đất đai", "BM.10-QT.12", "B", ""),
    ("hen_tra", "Phiếu tiếp nhận và hẹn trả kết quả", "BM.11-QT.01", "A", ""),
    ("ket_hon_nn", "Tờ khai đăng ký kết hôn có yếu tố nước ngoài", "BM.06-QT.05", "A", ""),
    ("hon_nhan", "Giấy xác nhận tình trạng hôn nhân", "BM.07-QT.05", "A", ""),
    ("xay_dung", "Đơn xin cấp giấy phép xây dựng", "BM.12-XD.02", "B", ""),
    ("thuong_tru", "Tờ khai đăng ký thường trú", "BM.09-QT.08", "B", ""),
    ("lai_xe", "Đơn đề nghị cấp đổi giấy phép lái xe", "GPLX.01", "B", ""),
    ("bhyt", "Bản khai thông tin đề nghị cấp thẻ bảo hiểm y tế", "BHYT.02", "B", ""),
    ("dang_ky_dat", "Đăng ký biến động đất đai lần đầu", "ĐĐ.01", "B", ""),
]

# (key, title, national code, agency, field, forms used)
PROCEDURES = [
    ("p_ket_hon", "Đăng ký kết hôn", "1.000894", "B", "Hộ tịch", ["ket_hon"]),
    ("p_khai_sinh", "Đăng ký khai sinh", "1.001193", "B", "Hộ tịch", ["khai_sinh"]),
    (
        "p_ly_lich",
        "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
        "2.000488",
        "A",
        "Lý lịch tư pháp",
        ["ly_lich"],
    ),
    (
        "p_chu_ky",
        "Chứng thực chữ ký trong các giấy tờ, văn bản",
        "2.000815.000.00.00.H35",
        "B",
        "Chứng thực",
        ["chu_ky"],
    ),
    ("p_thuong_tru", "Đăng ký thường trú", "1.004194", "B", "Cư trú", ["thuong_tru", "cu_tru"]),
]


@dataclass
class Corpus:
    home: object
    agencies: dict[str, object]
    staff: dict[str, dict]
    forms: dict[str, FormDocumentPage] = field(default_factory=dict)
    procedures: dict[str, ProcedurePage] = field(default_factory=dict)
    fields: dict[str, ProcedureField] = field(default_factory=dict)


def make_file(agency, name: str):
    Document = get_document_model()
    document = Document(title=name, collection=agency.collection)
    document.file.save(f"{name}.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    document.save()
    return document


def publish_form(agency, staff, key, title, code, legal_basis="") -> FormDocumentPage:
    editor = staff["editors"]
    page = make_form(agency, editor, code=code, title=title, legal_basis=legal_basis)
    page.file = make_file(agency, f"{key}-01")
    page.save_revision(user=editor).publish()
    return FormDocumentPage.objects.get(pk=page.pk)


def publish_procedure(agency, key, title, code, field_, forms) -> ProcedurePage:
    index = agency.get_children().type(ProcedureIndexPage).first().specific
    page = ProcedurePage(
        title=title,
        national_code=code,
        field=field_,
        applicants="Công dân Việt Nam",
        result=f"Kết quả của thủ tục {title}",
        forms_used=[ProcedurePageForm(form_page=form) for form in forms],
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    return ProcedurePage.objects.get(pk=page.pk)


def build_corpus() -> Corpus:
    home = make_home()
    agencies = {
        "A": make_agency(home, "CQA", title="Sở Tư pháp thử", short_name="Sở Tư pháp"),
        "B": make_agency(home, "CQB", title="UBND phường thử", short_name="UBND phường"),
    }
    staff = {"A": make_staff(agencies["A"], "a"), "B": make_staff(agencies["B"], "b")}
    corpus = Corpus(home=home, agencies=agencies, staff=staff)
    for key, title, code, agency_key, legal in FORMS:
        corpus.forms[key] = publish_form(
            agencies[agency_key], staff[agency_key], key, title, code, legal
        )
    for key, title, code, agency_key, field_name, form_keys in PROCEDURES:
        if field_name not in corpus.fields:
            corpus.fields[field_name] = ProcedureField.objects.create(name=field_name)
        corpus.procedures[key] = publish_procedure(
            agencies[agency_key],
            key,
            title,
            code,
            corpus.fields[field_name],
            [corpus.forms[k] for k in form_keys],
        )
    return corpus


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "database_only(reason): about the database engines by nature; skipped on the engine",
    )


def engine_unavailable(message: str):
    """Skip without an engine; under REQUIRE_SERVICES=1 (CI) fail instead."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{message}; REQUIRE_SERVICES=1 requires it")
    pytest.skip(message)


@pytest.fixture(scope="session")
def engine_server():
    """The cluster the engine tests use: OPENSEARCH_URL / ELASTICSEARCH_URL, or the OpenSearch
    node of tests/engine, started once for the session and stopped at its end."""
    given = given_server()
    if given is not None:
        try:
            wait_green(given.url)
        except OSError as exc:
            engine_unavailable(f"search engine unreachable at {given.url} ({exc})")
        yield given
        return
    node = EngineNode()
    try:
        url = node.start()
    except EngineUnavailable as exc:
        engine_unavailable(str(exc))
    try:
        yield EngineServer(url, "opensearch", started_here=True)
    finally:
        node.stop()


def engine_settings(server: EngineServer, prefix: str, *, kind: str | None = None) -> dict:
    """WAGTAILSEARCH_BACKENDS for `server` under index `prefix`. kind="elasticsearch" on an
    OpenSearch server: the Elasticsearch client through the test adapter (tests/engine)."""
    kind = kind or server.kind
    backend = {
        "BACKEND": "search.backends",
        "ENGINE": kind,
        "URLS": [server.url],
        "INDEX": prefix,
        "TIMEOUT": 60,
        "REFRESH_AFTER_WRITE": True,
    }
    if kind == "elasticsearch" and server.kind == "opensearch":
        from tests.engine.es_compat import OpenSearchCompatNode

        backend["OPTIONS"] = {"node_class": OpenSearchCompatNode}
    return {"default": backend}


def engine_indexes_drop(backend) -> None:
    prefix = backend.index_prefix
    for name in list(backend.es.indices.get(index=f"{prefix}*")):
        backend.es.indices.delete(index=name)
    backend.index_checks_forget()


@pytest.fixture(scope="module")
def engine_backend(engine_server, django_db_blocker):
    """A fresh index prefix on the engine, configured as the search backend for a module."""
    from wagtail.search.backends import get_search_backend

    from search.backends import engine_indexes_ensure

    prefix = f"isotest{uuid.uuid4().hex[:10]}"
    with override_settings(WAGTAILSEARCH_BACKENDS=engine_settings(engine_server, prefix)):
        backend = get_search_backend()
        engine_indexes_ensure(backend=backend)  # as `migrate` does
        try:
            yield backend
        finally:
            engine_indexes_drop(backend)


@pytest.fixture(scope="module", params=["database", "engine"], autouse=True)
def search_engine(request):
    """Which engine this module's tests search on: "database" or "engine"."""
    if request.param == "engine":
        marker = request.node.get_closest_marker("database_only")
        if marker is not None:
            pytest.skip(f"database engines only: {marker.args[0]}")
        request.getfixturevalue("engine_backend")
    return request.param


_synced_writes = [0]


def engine_resync(backend) -> None:
    """Bring the engine's documents back to the database's rows: delete them all, index every
    indexed object again (what update_index writes, without building a new index)."""
    from modelsearch.index import get_indexed_models

    names = {backend.get_index_for_model(model).name for model in get_indexed_models()}
    for name in names:  # delete_by_query is a module the test node leaves out: ids, then bulk
        body = {"query": {"match_all": {}}, "size": 10_000, "_source": False}
        hits = backend._search_raw(name, body)["hits"]["hits"]
        actions = [{"_op_type": "delete", "_index": name, "_id": hit["_id"]} for hit in hits]
        if actions:
            backend.bulk(backend.es, actions, refresh="true")
    for model in get_indexed_models():
        objects = list(model.get_indexed_objects().order_by("pk"))
        if objects:
            backend.get_index_for_model(model).add_items(model, objects)
    _synced_writes[0] = type(backend).index_class.writes


@pytest.fixture(autouse=True)
def _engine_in_step(request, search_engine):
    """On the engine: skip what is about the database by nature; start from the database's rows."""
    if search_engine == "database":
        return
    marker = request.node.get_closest_marker("database_only")
    if marker is not None:
        pytest.skip(f"database engines only: {marker.args[0]}")
    if request.node.get_closest_marker("django_db") is None:
        return
    from wagtail.search.backends import get_search_backend

    writes = getattr(type(get_search_backend()).index_class, "writes", None)
    if writes is not None and writes != _synced_writes[0]:  # None: each test sets up its own
        request.getfixturevalue("_django_db_helper")  # the test's database, as it sees it
        engine_resync(get_search_backend())


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker, search_engine):
    """The shared province, built once per module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_corpus()
        transaction.set_rollback(True)
