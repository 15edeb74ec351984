"""Wagtail search backends that fold Vietnamese the same way on the way in and on the way out.

Settings name this module (`WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] = "search.backends"`);
`SearchBackend(params)` then picks the engine from the same parameters `cms.env` builds:
Elasticsearch (ELASTICSEARCH_URL) or OpenSearch (OPENSEARCH_URL) when `ENGINE`/`URLS` are
given, otherwise the database backend of the configured database (SQLite FTS5 or PostgreSQL).

Folding (content_types.text.search_text: NFKC, NFD, diacritics and case removed, đ → d, only
letters and digits kept) is applied

- to every text value written to the index, so every engine sees plain ASCII words and
  tokenises them identically (PostgreSQL with the `simple` configuration: no English stemming);
- to every query, whatever calls the backend (our search API, Wagtail's admin search, choosers).

Every engine matches every word of a query, the last one as a prefix (a word still being typed).
On Elasticsearch and OpenSearch the index also gets a default analyzer (standard tokenizer,
lowercase, asciifolding — which maps đ to d) so text indexed by any other path folds the same
way, and the index is always created with its mapping before the first write.
"""

from __future__ import annotations

import functools
import logging
import types
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.core.exceptions import EmptyResultSet
from django.db import connection, connections
from django.db.models import F, IntegerField
from django.db.models.functions import Cast

from modelsearch.backends.database import SearchBackend as _database_backend_for
from modelsearch.index import AutocompleteField, SearchField, class_is_indexed
from modelsearch.query import And, Boost, MatchAll, Not, Or, Phrase, PlainText, SearchQuery

from content_types.text import search_text

logger = logging.getLogger(__name__)


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
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing (`pk__in=[]`): no query to run
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _first_column(queryset) -> list:
    return [row[0] for row in raw_rows(queryset)]


def matching_ids(model, query) -> list[int] | None:
    """Ids of the `model` objects (subclasses included) that `query` matches, read from the
    search index alone: no join to the pages (search.public_entries knows them). None where
    the engine cannot say (the unfolded fallback) or the query is not a plain text query."""
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend()
    if hasattr(backend, "matching_ids"):  # Elasticsearch, OpenSearch
        return backend.matching_ids(model, query)
    results = backend.search(query, model.objects.all(), order_by_relevance=False)
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

# What search.selectors asks of a page besides the match, stored on every page document so the
# engine answers a search page in one request (total, facets, ranking window) instead of
# listing every match's id: its title length and id (the ranking window's order), its tree
# path at every depth (filters: an agency, the private sections), the agency it is under (the
# agency facet) and its second facet's values.
PAGE_EXTRA_MAPPING = {
    "_page_id": {"type": "integer"},
    "_title_length": {"type": "integer"},
    "_path_prefixes": {"type": "keyword"},
    "_agency": {"type": "keyword"},
    "_facet_values": {"type": "keyword"},
}
# Agency pages sit at this depth: the portal home under the tree's root, the agencies under it
# (their parent_page_types). "_agency" is the page's path cut there ("" above the agencies, so
# that a document without the field is one written before it existed).
AGENCY_DEPTH = 3
# The second facet of each searched page type (search.selectors' _Spec.facet_column).
FACET_COLUMNS = {
    "content_types.formdocumentpage": "procedure_fields",  # "3,7": fields of its procedures
    "content_types.procedurepage": "field_id",
    "content_types.controlleddocumentpage": "kind",
}


def page_extra_fields(page) -> dict:
    """PAGE_EXTRA_MAPPING's values for `page`, as the database computes them for the same
    search (Length("title"), Substr("path", …), the facet column)."""
    steplen = type(page).steplen
    path = page.path or ""
    column = FACET_COLUMNS.get(page._meta.label_lower)
    value = getattr(page, column, None) if column else None
    if isinstance(value, str) and column == "procedure_fields":
        values = [part for part in value.split(",") if part]
    else:
        values = [] if value is None or value == "" else [str(value)]
    agency_end = steplen * AGENCY_DEPTH
    return {
        "_page_id": page.pk,
        "_title_length": len(page.title or ""),
        "_path_prefixes": [path[:end] for end in range(steplen, len(path) + 1, steplen)],
        "_agency": path[:agency_end] if len(path) >= agency_end else "",
        "_facet_values": values,
    }


@dataclass
class EngineMatches:
    """One search page's worth of a match, as the engine counted it: the exact total, the
    first ids in ranking-window order (title length, id) and the facet counts."""

    total: int
    ids: list[int]
    agencies: dict[str, int] = dataclass_field(default_factory=dict)  # agency path → matches
    facets: dict[str, int] = dataclass_field(default_factory=dict)  # facet value (text) → n


# Engine kinds: WAGTAILSEARCH_BACKENDS["default"]["ENGINE"], set by cms.env from
# ELASTICSEARCH_URL or OPENSEARCH_URL.
ELASTICSEARCH, OPENSEARCH = "elasticsearch", "opensearch"
# Matches read from the engine per request (index.max_result_window's default).
ENGINE_PAGE_SIZE = 10_000
ENGINE_MATCH_LIMIT = 200_000
ENGINE_FACET_SIZE = 1000  # distinct values of a second facet (fields, kinds): far fewer


class SearchEngineUnavailable(Exception):
    """The configured Elasticsearch or OpenSearch cluster cannot be reached or refused a
    request; the message says which cluster and what to check, in Vietnamese."""


def _engine_library(kind: str):
    """modelsearch's module for `kind`: OpenSearch 2 and 3 through opensearch-py 3; Elasticsearch
    9 (or 8, when the installed client is 8.x) through the official client."""
    if kind == OPENSEARCH:
        from modelsearch.backends import opensearch3

        return opensearch3
    import elasticsearch

    if elasticsearch.VERSION[0] == 8:
        from modelsearch.backends import elasticsearch8

        return elasticsearch8
    from modelsearch.backends import elasticsearch9

    return elasticsearch9


@functools.cache
def _engine_backend(kind: str):
    """The folding backend for Elasticsearch or OpenSearch: one set of classes over whichever of
    modelsearch's backends `kind` names, so folding, prefixes and index creation are written
    once for both engines."""
    from wagtail.models import Page

    base = _engine_library(kind).SearchBackend

    class FoldingMapping(base.mapping_class):
        def get_mapping(self):
            mapping = super().get_mapping()
            if issubclass(self.model, Page):
                mapping["properties"].update(PAGE_EXTRA_MAPPING)
            return mapping

        def get_document(self, obj):
            document = super().get_document(obj)
            if isinstance(obj, Page):
                document.update(page_extra_fields(obj))
            return document

        def _get_document_field_data(self, field, obj):
            name, value, edgengrams = super()._get_document_field_data(field, obj)
            if isinstance(field, (SearchField, AutocompleteField)) and isinstance(value, str):
                value = search_text(value)
                edgengrams = [search_text(v) if isinstance(v, str) else v for v in edgengrams]
            return name, value, edgengrams

    class FoldingQueryCompiler(base.query_compiler_class):
        mapping_class = FoldingMapping

        def _compile_plaintext_query(self, query, fields, boost=1.0):
            """Every word, the last one as a prefix: a word still being typed matches, as on
            the database engines ("khai si" finds khai sinh). match_bool_prefix analyses the
            text like match and turns only the final term into a prefix query."""
            compiled = super()._compile_plaintext_query(query, fields, boost)
            if "multi_match" in compiled:
                compiled["multi_match"]["type"] = "bool_prefix"
                return compiled
            ((field_name, match),) = compiled["match"].items()
            return {"match_bool_prefix": {field_name: match}}

    class FoldingAutocompleteQueryCompiler(base.autocomplete_query_compiler_class):
        mapping_class = FoldingMapping

    class FoldingIndex(base.index_class):
        """Writes go to the index's alias, with `require_alias`: a missing index makes the write
        fail (logged by modelsearch), never creates an index without the mapping. The index
        is created, with its settings and mappings, before the first write of each process
        (engine_indexes_ensure), on migrate, and by update_index's atomic rebuild."""

        writes = 0  # documents written or deleted by this process (the tests resync on it)

        def __init__(self, backend, name, through_alias=False):
            super().__init__(backend, name)
            self.through_alias = through_alias

        def exists(self):  # keyword arguments: the only form the Elasticsearch 8+ client takes
            return bool(self.es.indices.exists(index=self.name))

        def add_item(self, item):
            self.add_items(type(item), [item])

        def add_items(self, model, items):
            if not class_is_indexed(model):
                return
            if self.through_alias:
                self.backend.ensure_indexes()
            mapping = self.mapping_class(model)
            actions = [
                {"_id": mapping.get_document_id(item), **mapping.get_document(item)}
                for item in items
            ]
            if not actions:
                return
            options = {"require_alias": True} if self.through_alias else {}
            if self.backend.refresh_after_write:
                options["refresh"] = "true"
            self.backend.bulk(self.es, actions, index=self.name, **options)
            FoldingIndex.writes += len(actions)

        def delete_item(self, item):
            super().delete_item(item)
            if self.backend.refresh_after_write:
                self.refresh()
            FoldingIndex.writes += 1

    class FoldingEngineBackend(FoldingBackendMixin, base):
        mapping_class = FoldingMapping
        index_class = FoldingIndex
        query_compiler_class = FoldingQueryCompiler
        autocomplete_query_compiler_class = FoldingAutocompleteQueryCompiler
        engine = kind

        def __init__(self, params):
            params = dict(params)
            params.pop("ENGINE", None)
            # cms.env names the index INDEX; the library wants a prefix.
            index = params.pop("INDEX", None)
            if index and "INDEX_PREFIX" not in params:
                params["INDEX_PREFIX"] = f"{index}_"
            # Tests only: every write visible to the next search at once.
            self.refresh_after_write = bool(params.pop("REFRESH_AFTER_WRITE", False))
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
            self.urls = list(params.get("URLS") or [])
            super().__init__(params)
            self._ensured = False

        def search(self, *args, **kwargs):
            self.ensure_indexes()  # a search before any write finds an empty index, not none
            return super().search(*args, **kwargs)

        def autocomplete(self, *args, **kwargs):
            self.ensure_indexes()
            return super().autocomplete(*args, **kwargs)

        def get_index_for_model(self, model):
            index = super().get_index_for_model(model)
            return self.index_class(self, index.name, through_alias=True)

        def ensure_indexes(self) -> None:
            """Create the missing indexes with their mappings, once per backend instance."""
            if not self._ensured:
                engine_indexes_ensure(backend=self)
                self._ensured = True

        def index_checks_forget(self) -> None:
            """Decide again, at the next use, what was decided once from the index (that it
            exists, which field the agency facet counts): after the index was dropped or
            rebuilt in this process."""
            self._ensured = False
            self.__dict__.pop("agency_field", None)

        @functools.cached_property
        def agency_field(self) -> str:
            """The field the agency facet counts: "_agency" (one value a page), or, while the
            index still holds pages written before that field existed, the tree path at every
            depth (many values a page, several times slower to count) until update_index."""
            index = self.get_index_for_model(Page).name
            body = {
                "query": {
                    "bool": {
                        "filter": [{"exists": {"field": "_page_id"}}],
                        "must_not": [{"exists": {"field": "_agency"}}],
                    }
                }
            }
            if not self.es.count(index=index, body=body)["count"]:
                return "_agency"
            logger.warning(
                "Chỉ mục tìm kiếm %s có trang ghi trước phiên bản này (thiếu trường _agency): "
                "chạy `manage.py update_index` để tìm kiếm nhanh hơn.",
                index,
            )
            return "_path_prefixes"

        def matching_ids(self, model, query) -> list[int]:
            """Ids of the `model` objects `query` matches, in no particular order, read in
            pages of ENGINE_PAGE_SIZE (search_after on the index order): one request for most
            queries, where the library's scroll fetches 100 hits a request."""
            results = self.search(query, model.objects.all(), order_by_relevance=False)
            body = {"query": results.query_compiler.get_query()}
            index = self.get_index_for_model(model).name
            ids: list[int] = []
            after = None
            while len(ids) < ENGINE_MATCH_LIMIT:
                # The document id is the pk: no stored field to fetch, no total to count.
                page_body = dict(body, sort=["_doc"], size=ENGINE_PAGE_SIZE, _source=False)
                page_body["track_total_hits"] = False
                if after is not None:
                    page_body["search_after"] = after
                hits = self._search_raw(index, page_body)["hits"]["hits"]
                ids.extend(int(hit["_id"]) for hit in hits)
                if len(hits) < ENGINE_PAGE_SIZE:
                    break
                after = hits[-1]["sort"]
            return ids

        def _match_body(self, queryset, query, *, filters, exclude_ids) -> tuple[str, dict]:
            """The index and the bool query of `query`'s matches among `queryset` (its model
            and plain filters, which the library translates), narrowed by `filters` (engine
            clauses) and without `exclude_ids`."""
            model = queryset.model
            results = self.search(query, queryset, order_by_relevance=False)
            clauses: dict = {"must": [results.query_compiler.get_query()]}
            if filters:
                clauses["filter"] = list(filters)
            if exclude_ids:
                clauses["must_not"] = [{"terms": {"_page_id": sorted(exclude_ids)}}]
            return self.get_index_for_model(model).name, {"bool": clauses}

        def page_matches(
            self,
            queryset,
            query,
            *,
            filters=(),
            exclude_ids=(),
            start: int = 0,
            stop: int = 0,
            agency_paths=(),
            facets: bool = True,
        ) -> EngineMatches:
            """Ids start:stop of the matches in ranking-window order (shortest title, then
            id), with the exact total and, when asked, the counts by agency (`agency_paths`)
            and by facet value: one request, however many pages match."""
            index, match = self._match_body(
                queryset, query, filters=filters, exclude_ids=exclude_ids
            )
            body = {
                "query": match,
                "from": start,
                "size": max(0, stop - start),
                "sort": [{"_title_length": "asc"}, {"_page_id": "asc"}],
                "_source": False,
                "track_total_hits": True,
            }
            if facets:
                aggregations = {
                    "facet": {"terms": {"field": "_facet_values", "size": ENGINE_FACET_SIZE}}
                }
                if agency_paths:
                    paths = sorted(agency_paths)
                    agency = {"field": self.agency_field, "size": len(paths) + 1}
                    if self.agency_field != "_agency":  # every ancestor: keep the agencies
                        agency["include"] = paths
                    aggregations["agency"] = {"terms": agency}
                body["aggs"] = aggregations
            response = self._search_raw(index, body)
            buckets = response.get("aggregations", {})

            def counts(name) -> dict[str, int]:
                return {b["key"]: b["doc_count"] for b in buckets.get(name, {}).get("buckets", [])}

            agencies = counts("agency")
            agencies.pop("", None)  # pages above the agencies (the portal's home)
            return EngineMatches(
                total=response["hits"]["total"]["value"],
                ids=[int(hit["_id"]) for hit in response["hits"]["hits"]],
                agencies=agencies,
                facets=counts("facet"),
            )

        def ranked_ids(self, queryset, query, *, stop: int) -> list[int]:
            """Ids of `query`'s best `stop` matches among `queryset`, by relevance: the ids
            alone, where the library's search loads every hit's page from the database."""
            index, match = self._match_body(queryset, query, filters=(), exclude_ids=())
            body = {"query": match, "size": stop, "_source": False, "track_total_hits": False}
            hits = self._search_raw(index, body)["hits"]["hits"]
            return [int(hit["_id"]) for hit in hits]

        def match_counts(self, queryset, queries, *, filters=(), exclude_ids=()) -> list[int]:
            """How many of `queryset` each of `queries` matches: one multi-search."""
            lines: list[dict] = []
            for query in queries:
                index, match = self._match_body(
                    queryset, query, filters=filters, exclude_ids=exclude_ids
                )
                lines += [{"index": index}, {"query": match, "size": 0, "track_total_hits": True}]
            if not lines:
                return []
            if self.engine == OPENSEARCH:
                responses = self.es.msearch(body=lines)["responses"]
            else:
                responses = self.es.msearch(searches=lines)["responses"]
            return [response["hits"]["total"]["value"] for response in responses]

        def _search_raw(self, index: str, body: dict) -> dict:
            return self.es.search(index=index, body=body)  # both clients take a raw body

    return FoldingEngineBackend


def engine_indexes_ensure(*, backend=None) -> list[str]:
    """Make sure every index the engine backend writes to exists, with its settings and every
    indexed model's mapping, before anything is indexed: a missing one is created as a concrete
    index behind the alias update_index swaps; an existing one gets any new mappings.

    Returns the names of the indexes created. Raises SearchEngineUnavailable, naming the
    cluster, when it cannot be reached or refuses. Does nothing on the database engines."""
    from django.utils.crypto import get_random_string

    from wagtail.search.backends import get_search_backend

    from modelsearch.index import get_indexed_models

    backend = backend or get_search_backend()
    if not hasattr(backend, "ensure_indexes"):
        return []
    models_by_index: dict[str, list] = {}
    for model in get_indexed_models():
        name = backend.get_index_for_model(model).name
        models_by_index.setdefault(name, []).append(model)
    created = []
    try:
        for name, models in models_by_index.items():
            alias = backend.index_class(backend, name)
            if alias.exists():
                if not alias.is_alias():  # made by a write before this release: no mapping
                    logger.warning(
                        "Chỉ mục tìm kiếm %s không có alias (do một lần ghi tạo ra): chạy "
                        "`manage.py update_index` để tạo lại với ánh xạ của hệ thống.",
                        name,
                    )
                    continue
                target = alias
            else:
                target = backend.index_class(backend, f"{name}_{get_random_string(7).lower()}")
                target.put()
            for model in models:
                target.add_model(model)
            if target is not alias:
                target.put_alias(name)
                created.append(name)
    except Exception as exc:
        urls = ", ".join(getattr(backend, "urls", [])) or "?"
        raise SearchEngineUnavailable(
            f"Không tạo được chỉ mục tìm kiếm trên máy chủ {urls}: {exc}. Kiểm tra "
            "ELASTICSEARCH_URL / OPENSEARCH_URL và máy chủ tìm kiếm, rồi chạy lại "
            "`manage.py migrate` (hoặc `manage.py update_index`)."
        ) from exc
    return created


def engine_kind(params) -> str | None:
    """ "elasticsearch", "opensearch" or None (the database engines) for backend `params`."""
    kind = params.get("ENGINE")
    if kind:
        return kind
    return ELASTICSEARCH if params.get("URLS") or params.get("HOSTS") else None


def uses_database_backend() -> bool:
    """Whether searches run on the database (SQLite FTS5, PostgreSQL), not on Elasticsearch or
    OpenSearch. Decided from the settings, as SearchBackend decides, without building one."""
    from django.conf import settings

    return engine_kind(settings.WAGTAILSEARCH_BACKENDS["default"]) is None


_engine_backends: dict[str, object] = {}


def _engine_backend_for(kind: str, params):
    """One backend (and so one client and its connection pool) per configuration: Wagtail
    builds a backend for every search, and a new client opened a new connection each time."""
    import json

    key = json.dumps(params, sort_keys=True, default=repr)
    backend = _engine_backends.get(key)
    if backend is None:
        backend = _engine_backends[key] = _engine_backend(kind)(params)
    return backend


def SearchBackend(params):  # noqa: N802 — Wagtail looks the factory up by this name
    kind = engine_kind(params)
    if kind is not None:
        return _engine_backend_for(kind, params)
    if connection.vendor == "postgresql":
        return _postgres_backend()(params)
    stock = _database_backend_for(dict(params))  # decides whether SQLite has FTS5
    if type(stock).__name__ == "SQLiteSearchBackend":
        return _sqlite_backend()(params)
    return stock  # MySQL or the plain fallback: unfolded, still working


__all__ = [
    "SearchBackend",
    "SearchEngineUnavailable",
    "SearchQuery",
    "engine_indexes_ensure",
    "fold_query",
]
