"""Elasticsearch: the same API and the same folding on a real cluster.

Runs only when ELASTICSEARCH_URL points at a cluster (an index prefix of its own is used and
deleted afterwards); skipped otherwise.
"""

import os
import uuid

from django.test import override_settings

import pytest

from search.backends import FOLDING_ANALYZER, SearchBackend
from search.selectors import find_forms, find_procedures
from tests.search.conftest import build_corpus

ES_URL = os.environ.get("ELASTICSEARCH_URL")
needs_cluster = pytest.mark.skipif(
    not ES_URL, reason="ELASTICSEARCH_URL is not set: no cluster to test"
)
pytestmark = pytest.mark.django_db


@pytest.fixture
def es_backend():
    prefix = f"isotest{uuid.uuid4().hex[:8]}"
    config = {
        "default": {
            "BACKEND": "search.backends",
            "URLS": [ES_URL],
            "INDEX": prefix,
            "TIMEOUT": 30,
        }
    }
    with override_settings(WAGTAILSEARCH_BACKENDS=config):
        from wagtail.search.backends import get_search_backend

        backend = get_search_backend()
        yield backend
        for name in backend.es.indices.get(index=f"{prefix}_*"):
            backend.es.indices.delete(index=name)


@pytest.fixture
def es_corpus(es_backend):
    corpus = build_corpus()
    from django.core.management import call_command

    call_command("update_index", verbosity=0)
    es_backend.es.indices.refresh(index="_all")
    return corpus


@needs_cluster
def test_backend_folds_like_the_database_backends(es_backend):
    analyzers = es_backend.settings["settings"]["analysis"]["analyzer"]
    assert analyzers["default"] == FOLDING_ANALYZER
    folded = es_backend.es.indices.analyze(
        tokenizer="standard", filter=FOLDING_ANALYZER["filter"], text="Đăng ký kết hôn"
    )
    assert [t["token"] for t in folded["tokens"]] == ["dang", "ky", "ket", "hon"]


@needs_cluster
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("mau to khai dang ky ket hon", "ket_hon"),
        ("Mẫu tờ khai đăng ký kết hôn", "ket_hon"),
        ("BM-01/QT05", "ket_hon"),
        ("bm.01", "ket_hon"),
        ("CT01", "cu_tru"),
        ("tranh chấp đất đai", "dat_dai"),
    ],
)
def test_forms_found_on_elasticsearch(es_corpus, query, expected):
    assert find_forms(query).hits[0].page.pk == es_corpus.forms[expected].pk


@needs_cluster
def test_national_code_found_on_elasticsearch(es_corpus):
    assert find_procedures("1.000894").hits[0].page.pk == es_corpus.procedures["p_ket_hon"].pk


def test_elasticsearch_url_selects_the_folding_elasticsearch_backend():
    # Builds the client only (no request is sent), so it runs without a cluster.
    backend = SearchBackend({"URLS": [ES_URL or "http://localhost:9200"], "INDEX": "iso"})
    assert type(backend).__name__ == "FoldingElasticsearchBackend"
    assert backend.index_prefix == "iso_"
    analyzers = backend.settings["settings"]["analysis"]["analyzer"]
    assert analyzers["default"] == analyzers["default_search"] == FOLDING_ANALYZER
    assert "asciifolding" in FOLDING_ANALYZER["filter"]  # maps đ to d, as fold_vietnamese does
