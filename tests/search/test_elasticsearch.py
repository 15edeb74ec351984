"""The Elasticsearch path (ELASTICSEARCH_URL): the official client and modelsearch's
Elasticsearch backend, with the same folding, on a real cluster.

The cluster is ELASTICSEARCH_URL when set; otherwise the OpenSearch node of tests/engine,
reached through the test-only adapter tests/engine/es_compat.py (plain JSON media types, the
product header): so this path is tested against OpenSearch, not against Elasticsearch itself.
The rest of tests/search runs on the OpenSearch path (OPENSEARCH_URL) as its `[engine]` runs.
"""

import uuid

from django.core.management import call_command
from django.test import override_settings

import pytest

from search.backends import FOLDING_ANALYZER, SearchBackend, engine_indexes_ensure
from search.selectors import find_forms, find_procedures
from tests.search.conftest import engine_indexes_drop, engine_settings

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def es_backend(engine_server):
    from wagtail.search.backends import get_search_backend

    prefix = f"isotest{uuid.uuid4().hex[:10]}"
    config = engine_settings(engine_server, prefix, kind="elasticsearch")
    with override_settings(WAGTAILSEARCH_BACKENDS=config):
        backend = get_search_backend()
        engine_indexes_ensure(backend=backend)
        try:
            yield backend
        finally:
            engine_indexes_drop(backend)


@pytest.fixture(scope="module")
def search_engine(es_backend):
    """This module runs on the Elasticsearch client only (overrides the conftest's engines)."""
    return "elasticsearch"


@pytest.fixture(scope="module")
def es_corpus(corpus, es_backend, django_db_blocker):
    # The corpus was indexed as it was published; update_index rebuilds it as an operator would.
    with django_db_blocker.unblock():
        call_command("update_index", verbosity=0)
    return corpus


def test_backend_folds_like_the_database_backends(es_backend):
    assert type(es_backend).__name__ == "FoldingEngineBackend"
    assert es_backend.engine == "elasticsearch"
    analyzers = es_backend.settings["settings"]["analysis"]["analyzer"]
    assert analyzers["default"] == FOLDING_ANALYZER
    folded = es_backend.es.indices.analyze(
        tokenizer="standard", filter=FOLDING_ANALYZER["filter"], text="Đăng ký kết hôn"
    )
    assert [t["token"] for t in folded["tokens"]] == ["dang", "ky", "ket", "hon"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("mau to khai dang ky ket hon", "ket_hon"),
        ("Mẫu tờ khai đăng ký kết hôn", "ket_hon"),
        ("BM-01/QT05", "ket_hon"),
        ("bm.01", "ket_hon"),
        ("CT01", "cu_tru"),
        ("tranh chấp đất đai", "dat_dai"),
        ("dang ky khai si", "khai_sinh"),  # the last word is a prefix here too
    ],
)
def test_forms_found_on_elasticsearch(es_corpus, query, expected):
    assert find_forms(query).hits[0].page.pk == es_corpus.forms[expected].pk


def test_national_code_found_on_elasticsearch(es_corpus):
    assert find_procedures("1.000894").hits[0].page.pk == es_corpus.procedures["p_ket_hon"].pk


def test_no_match_on_elasticsearch_is_an_empty_page(es_corpus):
    page = find_forms("khong co bieu mau nao nhu the")
    assert (page.total, page.hits) == (0, [])


def test_elasticsearch_url_selects_the_folding_elasticsearch_backend():
    # Builds the client only (no request is sent).
    backend = SearchBackend(
        {"ENGINE": "elasticsearch", "URLS": ["http://127.0.0.1:9"], "INDEX": "iso"}
    )
    assert type(backend).__name__ == "FoldingEngineBackend"
    assert type(backend).__mro__[2].__module__ == "modelsearch.backends.elasticsearch9"
    assert backend.index_prefix == "iso_"
    analyzers = backend.settings["settings"]["analysis"]["analyzer"]
    assert analyzers["default"] == analyzers["default_search"] == FOLDING_ANALYZER
    assert "asciifolding" in FOLDING_ANALYZER["filter"]  # maps đ to d, as fold_vietnamese does


@pytest.mark.parametrize(
    ("variables", "engine", "backend", "urls", "index"),
    [
        ({"OPENSEARCH_URL": "https://u:p@os:9200"}, "opensearch", "opensearch3", None, "iso"),
        ({"ELASTICSEARCH_URL": "http://es:9200", "ELASTICSEARCH_INDEX": "qn"}, "elasticsearch",
         "elasticsearch9", None, "qn"),
        ({"OPENSEARCH_URL": "http://a:9200, http://b:9200", "OPENSEARCH_INDEX": "qn-1"},
         "opensearch", "opensearch3", ["http://a:9200", "http://b:9200"], "qn-1"),
    ],
)  # fmt: skip
def test_the_environment_names_the_engine(monkeypatch, variables, engine, backend, urls, index):
    from cms import env

    for name in ("OPENSEARCH_URL", "ELASTICSEARCH_URL", "OPENSEARCH_INDEX", "ELASTICSEARCH_INDEX"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    params = env.search_engine()
    assert params["ENGINE"] == engine
    assert params["BACKEND"] == f"wagtail.search.backends.{backend}"
    assert params["URLS"] == (urls or [next(iter(variables.values()))])
    assert params["INDEX"] == index
    built = SearchBackend(dict(params, BACKEND=None))
    assert built.engine == engine
    assert built.index_prefix == f"{index}_"


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"OPENSEARCH_URL": "http://os:9200", "ELASTICSEARCH_URL": "http://es:9200"},
         "OPENSEARCH_URL"),
        ({"OPENSEARCH_URL": "ftp://os:9200"}, "OPENSEARCH_URL"),
        ({"OPENSEARCH_URL": "http://:9200"}, "OPENSEARCH_URL"),
        ({"ELASTICSEARCH_URL": "http://es:port"}, "ELASTICSEARCH_URL"),
        ({"OPENSEARCH_URL": "http://os:9200", "OPENSEARCH_INDEX": "ISO Index"}, "OPENSEARCH_INDEX"),
    ],
)  # fmt: skip
def test_a_bad_engine_variable_is_named(monkeypatch, variables, named):
    from cms import env

    for name in ("OPENSEARCH_URL", "ELASTICSEARCH_URL", "OPENSEARCH_INDEX", "ELASTICSEARCH_INDEX"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(env.EnvError) as excinfo:
        env.search_engine()
    assert excinfo.value.variable == named
    assert "không hợp lệ" in str(excinfo.value)
