"""Wagtail search backends that fold Vietnamese the same way on the way in and on the way out.

Settings name this module (`WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] = "search.backends"`);
`SearchBackend(params)` then picks the engine from the same parameters `cms.env` builds:
Elasticsearch when `URLS`/`HOSTS` are given (ELASTICSEARCH_URL), otherwise the database backend
of the configured database (SQLite FTS5 or PostgreSQL full text).

Folding (content_types.text.search_text: NFKC, NFD, diacritics and case removed, đ → d, only
letters and digits kept) is applied

- to every text value written to the index, so the database engines see plain ASCII words and
  tokenise them identically (PostgreSQL with the `simple` configuration: no English stemming);
- to every query, whatever calls the backend (our search API, Wagtail's admin search, choosers).

On Elasticsearch the index also gets a default analyzer (standard tokenizer, lowercase,
asciifolding — which maps đ to d) so text indexed by any other path folds the same way.
"""

from __future__ import annotations

import functools
import types

from django.db import connection, connections
from django.db.models import F, IntegerField
from django.db.models.functions import Cast

from modelsearch.backends.database import SearchBackend as _database_backend_for
from modelsearch.index import AutocompleteField, SearchField
from modelsearch.query import And, Boost, MatchAll, Not, Or, Phrase, PlainText, SearchQuery

from content_types.text import search_text


def fold_query(query):
    """The same query with every string folded as the index folds it."""
    if isinstance(query, str):
        return search_text(query)
    if isinstance(query, PlainText):
        folded = search_text(query.query_string)
        return PlainText(folded, operator=query.operator, boost=query.boost) if folded else None
    if isinstance(query, Phrase):
        folded = search_text(query.query_string)
        return Phrase(folded) if folded else None
    if isinstance(query, (And, Or)):
        parts = [part for part in map(fold_query, query.subqueries) if part is not None]
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else type(query)(parts)
    if isinstance(query, Not):
        inner = fold_query(query.subquery)
        return Not(inner) if inner is not None else MatchAll()
    if isinstance(query, Boost):
        inner = fold_query(query.subquery)
        return Boost(inner, query.boost) if inner is not None else None
    return query


class FoldingBackendMixin:
    """Fold the query before the engine sees it; an empty folded query matches nothing."""

    def _fold(self, query):
        folded = fold_query(query)
        if folded is None or folded == "":
            return Not(MatchAll())
        return folded

    def search(self, query, model_or_queryset, *args, **kwargs):
        return super().search(self._fold(query), model_or_queryset, *args, **kwargs)

    def autocomplete(self, query, model_or_queryset, *args, **kwargs):
        return super().autocomplete(self._fold(query), model_or_queryset, *args, **kwargs)


def _folding_indexer(indexer_class):
    class FoldingObjectIndexer(indexer_class):
        def prepare_value(self, value):
            return search_text(super().prepare_value(value))

    return FoldingObjectIndexer


def _with_indexer(function, indexer_class):
    """`function` (an index's add_items) resolving the name ObjectIndexer to `indexer_class`.

    The database indexes build their indexer from a module-level name; rebinding that one global
    for our subclass keeps the library's insert logic intact instead of copying it.
    """
    namespace = dict(function.__globals__, ObjectIndexer=indexer_class)
    return types.FunctionType(function.__code__, namespace, function.__name__)


def raw_rows(queryset) -> list[tuple]:
    """The rows of a `values_list` queryset read with a plain cursor: Django's per-value
    converters cost more than the fetch at 10,000 rows, and the columns read this way (integers
    and plain text) need none."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _first_column(queryset) -> list:
    return [row[0] for row in raw_rows(queryset)]


def matching_ids(model, query) -> list[int] | None:
    """Ids of the `model` objects (subclasses included) that `query` matches, read from the
    search index alone, on the database engines; None where the engine cannot say
    (Elasticsearch, the unfolded fallback) or the query is not a plain text query."""
    from wagtail.search.backends import get_search_backend

    results = get_search_backend().search(query, model.objects.all(), order_by_relevance=False)
    object_ids = getattr(results.query_compiler, "object_ids", None)
    return object_ids(results.backend) if object_ids is not None else None


def sqlite_analyze(connection) -> None:
    """Give SQLite's planner statistics on the index tables.

    Without them it joins the index entries first and runs the FTS5 MATCH once per entry
    (hundreds of milliseconds at a few thousand pages); with them it runs the MATCH once. Done on
    every full rebuild (update_index) and by the benchmark after its bulk load.
    """
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


@functools.cache
def _sqlite_backend():
    from modelsearch.backends.database.sqlite import sqlite

    class FoldingSQLiteIndex(sqlite.SQLiteIndex):
        add_items = _with_indexer(
            sqlite.SQLiteIndex.add_items, _folding_indexer(sqlite.ObjectIndexer)
        )

        def _refresh_title_norms(self, full=False):
            super()._refresh_title_norms(full=full)
            if full:
                sqlite_analyze(self.write_connection)

    class FoldingSQLiteQueryCompiler(sqlite.SQLiteSearchQueryCompiler):
        LAST_TERM_IS_PREFIX = True  # a word still being typed matches: "khai si" → khai sinh

        def search(self, config, start, stop, score_field=None):
            """A ranked page of results in two cheap steps instead of the library's per-row
            score subquery (which re-runs the MATCH for every matching page: seconds at 50,000
            forms for a broad query): matches and bm25 scores from the FTS table in score
            order, then the caller's queryset (live, public, agency…) checked on those ids
            batch by batch until the page is full."""
            query = sqlite.normalize(self.query)
            if (
                start is None
                or not self.order_by_relevance
                or self.fields
                or isinstance(query, (sqlite.MatchAll, sqlite.Not))
            ):
                return super().search(config, start, stop, score_field)
            match = sqlite.MatchExpression(
                self.FTS_TABLE_FIELDS, self.build_search_query(query, config=config)
            )
            scored = (
                sqlite.SQLiteFTSIndexEntry.objects.filter(match)
                .filter(
                    index_entry__content_type__in=sqlite.get_descendants_content_types_pks(
                        self.queryset.model
                    )
                )
                .annotate(score=self._score(query, config))
                .order_by("score", "-index_entry_id")
                .values_list("index_entry__object_id", "score")
            )
            wanted = None if stop is None else stop
            found: list[tuple[int, float]] = []
            offset, batch = 0, max(200, 2 * (wanted or 0))
            while wanted is None or len(found) < wanted:
                chunk = list(scored[offset : offset + batch])
                if not chunk:
                    break
                ids = [int(object_id) for object_id, _score in chunk]
                allowed = set(self.queryset.filter(pk__in=ids).values_list("pk", flat=True))
                found.extend(
                    (int(object_id), score)
                    for object_id, score in chunk
                    if int(object_id) in allowed
                )
                offset += batch
                batch = min(batch * 4, 10_000)
            found = found[start:stop]
            objects = self.queryset.in_bulk([pk for pk, _score in found])
            page = []
            for pk, score in found:
                obj = objects.get(pk)
                if obj is not None:
                    if score_field:
                        setattr(obj, score_field, score)
                    page.append(obj)
            return page

        def _score(self, query, config):
            """The library's score, bm25 × title_norm + bm25 × 1, with bm25 computed once.

            Its BM25() ignores the vector it is built for, so each term of its sum recomputes
            the same bm25 of the whole row: a third of a broad query's time at 50,000 forms.
            For And the library multiplies the terms, which this identity does not cover."""
            if isinstance(query, (PlainText, Phrase, Or)):
                return sqlite.BM25() * (F("index_entry__title_norm") + 1.0)
            return self._build_rank_expression(self.get_search_vectors(), config)

        def object_ids(self, backend) -> list[int] | None:
            """The ids of the objects the query matches, from the FTS table and the index
            entries: no join to the pages (search.public_entries knows them)."""
            query = sqlite.normalize(self.query)
            if self.fields or isinstance(query, sqlite.MatchAll):
                return None
            if isinstance(query, sqlite.Not):
                return []
            match = sqlite.MatchExpression(
                self.FTS_TABLE_FIELDS,
                self.build_search_query(query, config=self.get_config(backend)),
            )
            entries = sqlite.SQLiteFTSIndexEntry.objects.filter(
                match,
                index_entry__content_type_id__in=sqlite.get_descendants_content_types_pks(
                    self.queryset.model
                ),
            )
            object_id = Cast("index_entry__object_id", IntegerField())
            return _first_column(entries.annotate(page_id=object_id).values_list("page_id"))

        def count(self, config):
            ranked, self.order_by_relevance = self.order_by_relevance, False
            try:
                return super().search(config, None, None).count()
            finally:
                self.order_by_relevance = ranked

    class FoldingSQLiteResults(sqlite.SQLiteSearchResults):
        def _do_count(self):
            if not isinstance(self.query_compiler, FoldingSQLiteQueryCompiler):
                return super()._do_count()  # autocomplete: the library's own compiler
            return self.query_compiler.count(self.query_compiler.get_config(self.backend))

    class FoldingSQLiteBackend(FoldingBackendMixin, sqlite.SQLiteSearchBackend):
        index_class = FoldingSQLiteIndex
        query_compiler_class = FoldingSQLiteQueryCompiler
        results_class = FoldingSQLiteResults

    return FoldingSQLiteBackend


@functools.cache
def _postgres_backend():
    from modelsearch.backends.database.postgres import postgres

    class FoldingPostgresIndexer(_folding_indexer(postgres.ObjectIndexer)):
        @functools.cached_property
        def body(self):
            """Every searchable field, the title included: `body @@ query` alone then means
            "every word somewhere" and is answered by the GIN index on body (the library
            matches `title || body`, which no index serves: a scan of every entry). The
            title column still carries the title's weight in the ranking."""
            texts = [
                (value, boost)
                for field in self.search_fields
                for current, boost, value in self.prepare_field(self.obj, field)
                if isinstance(current, SearchField)
            ]
            return self.as_vector(texts)

    class FoldingPostgresIndex(postgres.PostgresIndex):
        add_items = _with_indexer(postgres.PostgresIndex.add_items, FoldingPostgresIndexer)

    class FoldingPostgresQueryCompiler(postgres.PostgresSearchQueryCompiler):
        LAST_TERM_IS_PREFIX = True

        def search(self, config, start, stop, score_field=None, backend=None):
            if self.fields or not isinstance(self.query, (PlainText, Phrase, And, Or)):
                return super().search(config, start, stop, score_field, backend)
            search_query = self.build_tsquery(self.query, config=config)
            if not self.order_by_relevance and score_field is None:
                # Unranked (search.selectors' one pass over the match): the matching entries'
                # object ids, cast once each, as a subquery. Joined the library's way, the page
                # side of `page_ptr_id::varchar = object_id` was cast for every page of the
                # type, 50,000 at a time, and no index on it could serve the join.
                entries = (
                    self._matching_entries(search_query)
                    .annotate(page_id=Cast("object_id", IntegerField()))
                    .values("page_id")
                )
                return self.queryset.filter(pk__in=entries)[start:stop]
            rank = self._build_rank_expression(self.get_search_vectors(search_query), config)
            queryset = self.queryset.annotate(_body_=F("index_entries__body")).filter(
                _body_=search_query
            )
            return self._apply_ordering_and_scoring(queryset, rank, start, stop, score_field)

        def _matching_entries(self, search_query):
            return postgres.IndexEntry.objects.filter(
                content_type_id__in=postgres.get_descendants_content_types_pks(self.queryset.model),
                body=search_query,
            )

        def object_ids(self, backend) -> list[int] | None:
            """The ids of the objects the query matches, from the GIN index on body: no join
            to the pages (search.public_entries knows them)."""
            if self.fields or not isinstance(self.query, (PlainText, Phrase, And, Or)):
                return [] if isinstance(self.query, Not) else None
            search_query = self.build_tsquery(self.query, config=self.get_config(backend))
            entries = self._matching_entries(search_query)
            object_id = Cast("object_id", IntegerField())
            return _first_column(entries.annotate(page_id=object_id).values_list("page_id"))

    class FoldingPostgresBackend(FoldingBackendMixin, postgres.PostgresSearchBackend):
        index_class = FoldingPostgresIndex
        query_compiler_class = FoldingPostgresQueryCompiler

        def __init__(self, params):
            # Folded Vietnamese is not English: no stemming, no stop words.
            super().__init__({"SEARCH_CONFIG": "simple", **params})

    return FoldingPostgresBackend


FOLDING_ANALYZER = {
    "type": "custom",
    "tokenizer": "standard",
    "filter": ["lowercase", "asciifolding"],
}


@functools.cache
def _elasticsearch_backend():
    from modelsearch.backends import elasticsearch9 as es

    class FoldingMapping(es.Elasticsearch9Mapping):
        def _get_document_field_data(self, field, obj):
            name, value, edgengrams = super()._get_document_field_data(field, obj)
            if isinstance(field, (SearchField, AutocompleteField)) and isinstance(value, str):
                value = search_text(value)
                edgengrams = [search_text(v) if isinstance(v, str) else v for v in edgengrams]
            return name, value, edgengrams

    class FoldingQueryCompiler(es.Elasticsearch9SearchQueryCompiler):
        mapping_class = FoldingMapping

    class FoldingAutocompleteQueryCompiler(es.Elasticsearch9AutocompleteQueryCompiler):
        mapping_class = FoldingMapping

    class FoldingElasticsearchBackend(FoldingBackendMixin, es.Elasticsearch9SearchBackend):
        mapping_class = FoldingMapping
        query_compiler_class = FoldingQueryCompiler
        autocomplete_query_compiler_class = FoldingAutocompleteQueryCompiler

        def __init__(self, params):
            params = dict(params)
            # cms.env names the index INDEX; the library wants a prefix.
            index = params.pop("INDEX", None)
            if index and "INDEX_PREFIX" not in params:
                params["INDEX_PREFIX"] = f"{index}_"
            settings = {
                "settings": {
                    "analysis": {
                        "analyzer": {
                            "default": FOLDING_ANALYZER,
                            "default_search": FOLDING_ANALYZER,
                        }
                    }
                }
            }
            params.setdefault("INDEX_SETTINGS", settings)
            super().__init__(params)

    return FoldingElasticsearchBackend


def _is_elasticsearch(params) -> bool:
    return bool(params.get("URLS") or params.get("HOSTS"))


def uses_database_backend() -> bool:
    """Whether searches run on the database (SQLite FTS5, PostgreSQL), not Elasticsearch:
    only there can a search's queryset carry filters Elasticsearch would not understand.
    Decided from the settings, as SearchBackend decides, without building a backend."""
    from django.conf import settings

    return not _is_elasticsearch(settings.WAGTAILSEARCH_BACKENDS["default"])


def SearchBackend(params):  # noqa: N802 — Wagtail looks the factory up by this name
    if _is_elasticsearch(params):
        return _elasticsearch_backend()(params)
    if connection.vendor == "postgresql":
        return _postgres_backend()(params)
    stock = _database_backend_for(dict(params))  # decides whether SQLite has FTS5
    if type(stock).__name__ == "SQLiteSearchBackend":
        return _sqlite_backend()(params)
    return stock  # MySQL or the plain fallback: unfolded, still working


__all__ = ["SearchBackend", "SearchQuery", "fold_query"]
