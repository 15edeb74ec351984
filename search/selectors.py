"""The one search API: find forms, procedures and quality-system documents (DESIGN §8).

Used by the public search page, the admin and the JSON API. Every function takes keyword
arguments, returns a `SearchPage`, never raises on what a searcher types, and only ever returns:

- live pages the reader may see (`user=None` is an anonymous visitor: public pages only);
- for forms and documents, the version in force at `at` (default now), decided by time like
  content_types.versions: its code, title, issue number and file. A page whose version in force is
  not yet the page row (between its effective time and the minutely publish job) is matched on
  the version in force, not on the outdated row; a page with no version in force is left out.

Matching runs on the configured Wagtail backend (folded Vietnamese, see search.backends) in one
pass that also gives the total and the agency facet. The ranking — exact code, then code part,
then title phrase, then title words, then the rest; shorter titles first within each — is
applied here to the RANK_WINDOW matches with the shortest titles, so it is identical on every
backend.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter
from types import SimpleNamespace

from django.db.models import Q
from django.db.models.functions import Length, Substr
from django.utils import timezone

from wagtail.models import Page, Revision
from wagtail.search.backends import get_search_backend

from content_types.agency import AgencyPage
from content_types.documents import ControlledDocumentPage, DocumentKind, FormDocumentPage
from content_types.procedure_fields import ProcedureField
from content_types.procedures import ProcedurePage, ProcedurePageForm, procedure_form_ids
from content_types.public_generation import SITE, GenerationMemo
from content_types.text import national_code_base, search_tokens
from content_types.versions import DocumentVersion, current_version_ids

from .backends import EngineMatches, matching_ids, raw_rows, uses_database_backend
from .public_entries import PublicEntries, public_derived, public_entries
from .query import (
    MAX_TOKENS,
    MatchKind,
    ParsedQuery,
    match_kind,
    match_rank,
    query_parse,
    text_matches,
)
from .visibility import hidden_paths, reads_public_only, visible_to

# Matches re-ranked by match kind: the shortest titles (a title that is the query, or holds it as
# a phrase, is short). Taking the backend's relevance order instead meant scoring every match
# (bm25, ts_rank) in a second pass: more than the rest of a search at 50,000 forms; and it made
# the order depend on the engine.
RANK_WINDOW = 60
# When none of the window's titles holds every word searched for (a long title among many
# shorter ones that only match in their text, e.g. "tu" of "Thông tư" in the legal basis), the
# ranking reads this far down the matches, in one more query, before settling for the text.
RANK_REACH = 1500
CODE_WINDOW = 50
MAX_PER_PAGE = 100
ENGINE_SLACK = 150  # Elasticsearch, OpenSearch: ranked matches read beyond a page, for the scope
MAX_SUGGESTION_TRIES = 10
ENGINE_WINDOW_LIMIT = 10_000  # index.max_result_window: deeper pages read every match's row


@dataclass(frozen=True)
class FacetValue:
    value: int | str
    label: str
    count: int
    selected: bool = False


@dataclass(frozen=True)
class Suggestion:
    label: str
    query: str
    drop_filters: bool = False


@dataclass
class SearchHit:
    page: Page
    kind: str  # "form", "procedure" or "document"
    title: str
    code: str
    url: str | None
    match: str  # a search.query.MatchKind
    agency: AgencyRef | None = None
    fields: list[ProcedureField] = field(default_factory=list)
    version: DocumentVersion | None = None
    detail: str = ""  # legal basis, document kind…

    @property
    def file(self):
        return self.version.file if self.version is not None else None

    @property
    def download_url(self) -> str | None:
        return self.file.url if self.file is not None else None

    @property
    def issue_label(self) -> str:
        return self.version.issue_label if self.version is not None else ""

    @property
    def effective_from(self) -> datetime | None:
        return self.version.effective_from if self.version is not None else None


@dataclass
class SearchPage:
    query: str
    hits: list[SearchHit]
    total: int
    page: int
    per_page: int
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    suggestions: list[Suggestion] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    searched: bool = True  # False when there was nothing to search for

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def start_index(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.hits else 0


# --------------------------------------------------------------------------- public functions


def find_forms(
    query: str = "",
    *,
    agency: AgencyPage | int | None = None,
    field: ProcedureField | int | None = None,
    procedure: ProcedurePage | int | None = None,
    user=None,
    page: int = 1,
    per_page: int = 20,
    at: datetime | None = None,
) -> SearchPage:
    """Forms (biểu mẫu) in force, best match first, with agency and field facets."""
    scope = visible_to(FormDocumentPage.objects.all(), user)
    filters = Q()
    if procedure is not None:
        procedure_page = ProcedurePage.objects.filter(pk=_pk(procedure)).first()
        ids = procedure_form_ids(procedure_page) if procedure_page is not None else []
        filters &= Q(pk__in=ids)
    if field is not None:
        filters &= Q(pk__in=_form_ids_of_field(_pk(field)))
    return _find(
        _Spec(
            model=FormDocumentPage,
            kind="form",
            versioned=True,
            facet="field",
            facet_column="procedure_fields",
        ),
        query,
        scope=scope,
        filters=filters,
        agency=agency,
        user=user,
        selected={"agency": _pk(agency), "field": _pk(field), "procedure": _pk(procedure)},
        page=page,
        per_page=per_page,
        at=at or timezone.now(),
    )


def find_procedures(
    query: str = "",
    *,
    agency: AgencyPage | int | None = None,
    field: ProcedureField | int | None = None,
    user=None,
    page: int = 1,
    per_page: int = 20,
    at: datetime | None = None,
) -> SearchPage:
    """Administrative procedures, by name or national code, with agency and field facets."""
    scope = visible_to(ProcedurePage.objects.all(), user)
    filters = Q(field_id=_pk(field)) if field is not None else Q()
    return _find(
        _Spec(
            model=ProcedurePage,
            kind="procedure",
            versioned=False,
            facet="field",
            rank_fields=("title", "national_code"),
            facet_column="field_id",
        ),
        query,
        scope=scope,
        filters=filters,
        agency=agency,
        user=user,
        selected={"agency": _pk(agency), "field": _pk(field)},
        page=page,
        per_page=per_page,
        at=at or timezone.now(),
    )


def find_documents(
    query: str = "",
    *,
    agency: AgencyPage | int | None = None,
    kind: str | None = None,
    user=None,
    page: int = 1,
    per_page: int = 20,
    at: datetime | None = None,
) -> SearchPage:
    """Quality-system documents in force that `user` may read (private to the agency's staff,
    province administrators and auditors; an anonymous searcher gets none)."""
    scope = visible_to(ControlledDocumentPage.objects.all(), user)
    filters = Q(kind=kind) if kind else Q()
    return _find(
        _Spec(model=ControlledDocumentPage, kind="document", versioned=True, facet="kind"),
        query,
        scope=scope,
        filters=filters,
        agency=agency,
        user=user,
        selected={"agency": _pk(agency), "kind": kind},
        page=page,
        per_page=per_page,
        at=at or timezone.now(),
    )


# --------------------------------------------------------------------------- the engine


@dataclass(frozen=True)
class _Spec:
    model: type[Page]
    kind: str
    versioned: bool
    facet: str  # the second facet besides agency: "field" or "kind"
    rank_fields: tuple[str, ...] = ("title", "code")  # what match_kind reads
    facet_column: str = "kind"  # the second facet's value on each match row

    def light(self, queryset):
        """Candidates for ranking carry only what ranking reads; the shown page loads fully."""
        return queryset.only(*self.rank_fields)


def _pk(value) -> int | str | None:
    if value is None or value == "":
        return None
    return value.pk if hasattr(value, "pk") else value


@dataclass(frozen=True)
class AgencyRef:
    """What a hit and a facet show of an agency; 150 of these cost far less than 150 pages."""

    pk: int
    title: str
    short_name: str
    agency_code: str
    path: str


# The agencies by tree path, for the site's generation: a new, renamed or moved agency page
# starts a new one (content_types.public_generation), so every search need not read them.
_agency_refs = GenerationMemo(size=1)


def _agencies() -> dict[str, AgencyRef]:
    def build() -> dict[str, AgencyRef]:
        rows = AgencyPage.objects.values_list("pk", "title", "short_name", "agency_code", "path")
        return {row[4]: AgencyRef(*row) for row in rows}

    return _agency_refs.fetch("agencies", build, scope=SITE)


def _agency_path_length(agencies: dict[str, AgencyRef]) -> int:
    return len(next(iter(agencies))) if agencies else AgencyPage.steplen * 3


def _agency_of(path: str, agencies: dict[str, AgencyRef], length: int) -> AgencyRef | None:
    return agencies.get(path[:length])


def _form_ids_of_field(field_id):
    return ProcedurePageForm.objects.filter(page__live=True, page__field_id=field_id).values(
        "form_page_id"
    )


def _matches(queryset, parsed: ParsedQuery):
    """All pages of `queryset` the backend matches, as a queryset (unordered, unscored)."""
    if not uses_database_backend():
        # Elasticsearch, OpenSearch: the engine lists the type's matches, the database applies
        # the scope (visibility, agency, filters), which the engine need not understand.
        ids = matching_ids(queryset.model, parsed.backend_query())
        return queryset.filter(pk__in=ids).order_by()
    results = queryset.search(parsed.backend_query(), order_by_relevance=False)
    return results.get_queryset().order_by()  # the database backends: one SQL subquery


def _ranked(spec: _Spec, scoped, parsed: ParsedQuery, start: int, stop: int) -> list:
    """Matches start:stop of `scoped` by relevance, as ranking candidates."""
    backend = get_search_backend()
    if hasattr(backend, "ranked_ids"):
        # The engine's best ids (no page loaded), narrowed to the scope with the ranked values.
        query = parsed.backend_query()
        ids = backend.ranked_ids(scoped.model.objects.all(), query, stop=stop + ENGINE_SLACK)
        return _candidates(spec, scoped, ids)[start:stop]
    return list(spec.light(scoped).search(parsed.backend_query())[start:stop])


def _pending_versions(scope, at: datetime) -> dict[int, DocumentVersion]:
    """Pages whose version in force has not reached the page row yet (scheduled publishing
    waits for its job): {page id: version in force}. Usually empty; at most a few pages."""
    waiting = Revision.objects.filter(approved_go_live_at__lte=at).values("pk")
    page_ids = set(
        DocumentVersion.objects.filter(revision__in=waiting).values_list("page_id", flat=True)
    )
    if not page_ids:
        return {}
    page_ids &= set(scope.filter(pk__in=page_ids).values_list("pk", flat=True))
    current = current_version_ids(page_ids, at)
    versions = DocumentVersion.objects.in_bulk(current.values())
    return {page_id: versions[version_id] for page_id, version_id in current.items()}


def _agreeing(parsed: ParsedQuery, pending: dict[int, DocumentVersion]) -> set[int]:
    """The pages waiting for their publish job whose version in force matches the query."""
    return {
        page_id
        for page_id, version in pending.items()
        if text_matches(parsed, f"{version.title} {version.code}")
    }


def _matched(spec, scoped, parsed: ParsedQuery, pending: dict[int, DocumentVersion]):
    """Every match in scope, as a queryset of `spec.model`. Pages waiting for their publish job
    are matched on their version in force, not on the outdated row.

    The match is the scope filtered by the backend's match, not wrapped in another `pk IN`:
    the nested form made the database look every match up twice."""
    matched = _matches(scoped, parsed)
    if pending:
        agree = _agreeing(parsed, pending)
        matched = matched.exclude(pk__in=set(pending) - agree) | scoped.filter(pk__in=agree)
    return matched


# A match: (page id, agency tree path, title length, second facet value), as the database
# returns it. Plain tuples: a broad query has over 10,000 and each wrapper is garbage to collect.
_Row = tuple
_PK, _AGENCY_PATH, _FACET = 0, 1, 3


def _match_rows(spec: _Spec, matched, path_length: int) -> list[_Row]:
    """Every match with its agency, title length and second facet value, shortest title first.

    The total, both facets and the ranking window all come from these rows: the database runs
    the match once, where counting, ranking and each facet used to run it again."""
    rows = (
        matched.annotate(agency_path=Substr("path", 1, path_length), title_length=Length("title"))
        .order_by("title_length", "pk")
        .values_list("pk", "agency_path", "title_length", spec.facet_column)
    )
    return raw_rows(rows)


class _RowMatches:
    """Every match as a row (page id, agency path, title length, facet value), shortest title
    first: what the database backends give, and the engine for a staff reader."""

    in_scope = True  # the rows came from the scope itself or from the public map

    def __init__(self, spec: _Spec, rows: list[_Row]):
        self.spec, self.rows, self.total = spec, rows, len(rows)

    def ids(self, start: int, stop: int) -> list[int]:
        return [row[_PK] for row in self.rows[start:stop]]

    def agency_counts(self) -> Counter:
        return Counter(map(itemgetter(_AGENCY_PATH), self.rows))

    def facet_counts(self) -> Counter:
        values = map(itemgetter(_FACET), self.rows)
        if self.spec.facet_column == "procedure_fields":  # "3,7": the fields of its procedures
            return Counter(pk for joined in values if joined for pk in _ids(joined))
        if self.spec.facet == "field":
            return Counter(pk for pk in values if pk is not None)
        return Counter(values)


class _EngineMatches:
    """The engine's answer for one search page (search.backends.EngineMatches): the total and
    facets counted by the engine, the ids of the ranking window and more on demand."""

    def __init__(
        self,
        spec: _Spec,
        first: EngineMatches,
        more: Callable[[int, int], list[int]],
        *,
        in_scope: bool,
    ):
        self.spec, self.first, self.more, self.total = spec, first, more, first.total
        # Public: every id is in the public map. Staff: the engine's view may lag the database's
        # (a page unpublished a moment ago), so the shown rows are read through the scope.
        self.in_scope = in_scope

    def ids(self, start: int, stop: int) -> list[int]:
        if stop <= len(self.first.ids) or len(self.first.ids) >= self.total:
            return self.first.ids[start:stop]
        return self.more(start, stop)

    def agency_counts(self) -> Counter:
        return Counter(self.first.agencies)

    def facet_counts(self) -> Counter:
        if self.spec.facet == "field":
            return Counter({int(value): n for value, n in self.first.facets.items()})
        return Counter(self.first.facets)


_Matches = _RowMatches | _EngineMatches


@dataclass(frozen=True)
class _PublicMatch:
    """Matches for the anonymous reader, narrowed as `scoped` is (by agency and by the
    filters' pages): on the database backends from the public entries map
    (search.public_entries); on Elasticsearch and OpenSearch counted by the engine itself,
    without the pages that are not public (`hidden`)."""

    entries: PublicEntries | None  # None: a staff reader on the engine (no public map)
    agency_path: str | None
    allowed: set[int] | None
    hidden: frozenset[int]
    agency_paths: tuple[str, ...]
    # Staff on the engine: the private sections they may not read, left out by the engine
    # itself (every document carries its tree path at every depth), as visible_to does.
    hidden_paths: tuple[str, ...] = ()

    def everywhere(self) -> _PublicMatch:
        return _PublicMatch(
            self.entries, None, None, self.hidden, self.agency_paths, self.hidden_paths
        )

    def _known(self, pk: int) -> bool:
        return self.entries is None or pk in self.entries.position

    def _engine_filters(self) -> list[dict] | None:
        """The engine's clauses for the agency and the filters' pages; None: nothing allowed."""
        filters: list[dict] = []
        if self.hidden_paths:
            hidden = {"terms": {"_path_prefixes": list(self.hidden_paths)}}
            filters.append({"bool": {"must_not": [hidden]}})
        if self.agency_path is not None:
            filters.append({"term": {"_path_prefixes": self.agency_path}})
        if self.allowed is not None:
            if not self.allowed:
                return None
            filters.append({"terms": {"_page_id": sorted(self.allowed)}})
        return filters

    def matches(self, spec: _Spec, parsed: ParsedQuery, stop: int) -> _Matches | None:
        backend = get_search_backend()
        # Beyond the first RANK_WINDOW the page asks for a few more (search_after would be
        # needed past the engine's result window: such deep pages read every match's row).
        if hasattr(backend, "page_matches") and stop + 2 * RANK_WINDOW <= ENGINE_WINDOW_LIMIT:
            filters = self._engine_filters()
            if filters is None:
                return _RowMatches(spec, [])
            query = parsed.backend_query()
            options = {"filters": filters, "exclude_ids": self.hidden}

            live = spec.model.objects.filter(live=True)

            def more(start: int, stop: int) -> list[int]:
                found = backend.page_matches(
                    live, query, start=start, stop=stop, facets=False, **options
                )
                return [pk for pk in found.ids if self._known(pk)]

            first = backend.page_matches(
                live, query, stop=RANK_WINDOW, agency_paths=self.agency_paths, **options
            )
            # A page the engine holds that the database has not (a write the database rolled
            # back, a deletion the engine missed): this query reads every match's row instead.
            # (Staff: the shown page's rows are read in scope, which drops such a page.)
            if all(self._known(pk) for pk in first.ids):
                return _EngineMatches(spec, first, more, in_scope=self.entries is not None)
        if self.entries is None:
            return None  # staff: every match's row from the database
        ids = matching_ids(spec.model, parsed.backend_query())
        if ids is None:  # the engine cannot list its matches (the unfolded fallback)
            return None
        rows = self.entries.rows_for(ids)
        if self.agency_path is not None:
            rows = [row for row in rows if row[_AGENCY_PATH] == self.agency_path]
        if self.allowed is not None:
            rows = [row for row in rows if row[_PK] in self.allowed]
        return _RowMatches(spec, rows)

    def first_match(self, spec: _Spec, candidates: list[ParsedQuery]) -> tuple[int, int] | None:
        """(index, count) of the first of `candidates` with a match; one request on the
        engine for all of them."""
        backend = get_search_backend()
        if hasattr(backend, "match_counts"):
            filters = self._engine_filters()
            if filters is None:
                return None
            counts = backend.match_counts(
                spec.model.objects.filter(live=True),
                [parsed.backend_query() for parsed in candidates],
                filters=filters,
                exclude_ids=self.hidden,
            )
            return next(((n, count) for n, count in enumerate(counts) if count), None)
        for n, parsed in enumerate(candidates):
            found = self.matches(spec, parsed, 0)
            if found is None:
                return None
            if found.total:
                return n, found.total
        return None


def _public_match(
    spec: _Spec, scope, filters: Q, agency_page, agencies, path_length
) -> _PublicMatch | None:
    key = f"{spec.model._meta.label_lower}:{spec.facet_column}:{path_length}"
    entries = public_entries(key, lambda: _match_rows(spec, scope, path_length))
    if entries is None:
        return None
    hidden: frozenset[int] = frozenset()
    if not uses_database_backend():
        # Live pages of the type the public may not see (private sections, internal forms):
        # few, and the engine leaves them out itself, as it leaves out what is not live. Only
        # a publish makes a page live or public, and it starts a new generation.
        hidden = public_derived(
            f"{key}:hidden",
            lambda: (
                frozenset(spec.model.objects.live().values_list("pk", flat=True))
                - entries.position.keys()
            ),
        )
        if hidden is None:
            return None
    allowed = None
    if filters:  # a procedure's forms, a field: the pages they allow, whatever their visibility
        allowed = set(spec.model.objects.filter(filters).values_list("pk", flat=True))
    agency_path = agency_page.path if agency_page is not None else None
    return _PublicMatch(entries, agency_path, allowed, hidden, tuple(agencies))


def _staff_match(spec: _Spec, user, filters: Q, agency_page, agencies) -> _PublicMatch:
    """A staff reader's matches on Elasticsearch or OpenSearch, counted and windowed by the
    engine in one request, as the public's are: reading every match's id back to apply the
    scope in the database cost a request per 10,000 matches and a query over all of them."""
    allowed = None
    if filters:
        allowed = set(spec.model.objects.filter(filters).values_list("pk", flat=True))
    agency_path = agency_page.path if agency_page is not None else None
    hidden = tuple(hidden_paths(user))
    return _PublicMatch(None, agency_path, allowed, frozenset(), tuple(agencies), hidden)


def _find(
    spec: _Spec,
    query: str,
    *,
    scope,
    filters: Q,
    agency,
    user,
    selected: dict,
    page: int,
    per_page: int,
    at: datetime,
) -> SearchPage:
    parsed = query_parse(query)
    public = reads_public_only(user)
    per_page = max(1, min(int(per_page or 20), MAX_PER_PAGE))
    page = max(1, int(page or 1))
    agencies = _agencies()
    path_length = _agency_path_length(agencies)
    scoped = scope.filter(filters)
    agency_page = None
    if agency is not None:
        agency_page = AgencyPage.objects.filter(pk=_pk(agency)).first()
        scoped = scoped.descendant_of(agency_page) if agency_page else scoped.none()
    result = SearchPage(query=parsed.text, hits=[], total=0, page=page, per_page=per_page)
    result.notes.extend(parsed.notes)
    has_filters = any(value not in (None, "") for value in selected.values())
    from_map: _PublicMatch | None = None

    if parsed.is_blank:
        if parsed.text or not has_filters:
            result.searched = False
            return result
        # No words but a filter: list what the filter holds, by title.
        pending: dict[int, DocumentVersion] = {}
        matches: _Matches = _RowMatches(spec, _match_rows(spec, scoped, path_length))
        result.total = matches.total
        result.page = page = min(page, result.num_pages)
        start, stop = (page - 1) * per_page, page * per_page
        pages = list(scoped.order_by("title", "pk")[start:stop])
        kinds = {obj.pk: MatchKind.TEXT for obj in pages}
    else:
        pending = _pending_versions(scoped, at) if spec.versioned else {}
        if not pending and (agency is None or agency_page is not None):
            if public:
                from_map = _public_match(spec, scope, filters, agency_page, agencies, path_length)
            elif not uses_database_backend():
                from_map = _staff_match(spec, user, filters, agency_page, agencies)

        def match(parsed: ParsedQuery) -> _Matches:
            wanted = page * per_page
            found = from_map.matches(spec, parsed, wanted) if from_map is not None else None
            if found is None:
                rows = _match_rows(spec, _matched(spec, scoped, parsed, pending), path_length)
                found = _RowMatches(spec, rows)
            return found

        matches = match(parsed)
        if not matches.total and parsed.without_fillers() is not None:
            parsed = parsed.without_fillers()
            matches = match(parsed)
        result.total = matches.total
        result.page = page = min(page, result.num_pages)
        start, stop = (page - 1) * per_page, page * per_page
        ranked, kinds = _page_of_ranked(spec, scoped, parsed, matches, pending, start, stop)
        pages = _in_order(spec.model.objects.all(), [obj.pk for obj in ranked])
    result.hits = _hits(spec, pages, kinds, pending, agencies, path_length, at)
    result.facets = _facets(spec, matches, agencies, selected)
    if result.total == 0 and not parsed.is_blank:
        everywhere = from_map.everywhere() if from_map else None
        result.suggestions = _suggestions(
            parsed,
            has_filters,
            first_here=_first_match(spec, scoped, from_map),
            first_everywhere=_first_match(spec, scope, everywhere),
        )
    return result


def _titles_and_codes(spec: _Spec, obj, pending) -> tuple[str, tuple[str, ...]]:
    version = pending.get(obj.pk)
    if version is not None:
        return version.title, (version.code,)
    if spec.kind == "procedure":
        return obj.title, (obj.national_code, national_code_base(obj.national_code))
    return obj.title, (obj.code,)


def _window(spec, scoped, matches: _Matches, parsed: ParsedQuery, pending) -> list:
    """The RANK_WINDOW matches with the shortest titles, to be re-ranked by match kind; reaching
    further (up to RANK_REACH) when none of them has every word of the query in its title."""
    window = _candidates(spec, scoped, matches.ids(0, RANK_WINDOW))
    if matches.total <= RANK_WINDOW or any(
        _title_matches(spec, obj, parsed, pending) for obj in window
    ):
        return window
    further = _candidates(spec, scoped, matches.ids(RANK_WINDOW, RANK_REACH))
    if any(_title_matches(spec, obj, parsed, pending) for obj in further):
        window.extend(further)
    return window


def _title_matches(spec, obj, parsed: ParsedQuery, pending) -> bool:
    title, codes = _titles_and_codes(spec, obj, pending)
    kind = match_kind(parsed, title=title, codes=codes)
    return match_rank(kind) <= match_rank(MatchKind.TITLE_WORDS)


def _candidates(spec, scoped, ids: list[int]) -> list[SimpleNamespace]:
    """What ranking reads of each page, in the order of `ids`: plain values, since building
    60 page objects cost more than the query that fetched them."""
    fields = ("pk", *spec.rank_fields)
    rows = scoped.filter(pk__in=ids).order_by().values_list(*fields)
    by_pk = {row[0]: SimpleNamespace(**dict(zip(fields, row, strict=True))) for row in rows}
    return [by_pk[pk] for pk in ids if pk in by_pk]


def _in_order(queryset, ids: list[int]) -> list:
    objects = queryset.in_bulk(ids)
    return [objects[pk] for pk in ids if pk in objects]


def _page_of_ranked(spec, scoped, parsed, matches: _Matches, pending, start, stop):
    """One page of matches in rank order: re-ranked within the first RANK_WINDOW matches."""
    # Matches known to be in scope are read without it: the scope's private-section ranges
    # (150 in a province) cost 5-10 ms of every search on PostgreSQL at 50,000 forms.
    rows_from = spec.model.objects.all() if matches.in_scope else scoped
    window = _window(spec, rows_from, matches, parsed, pending)
    candidates = list(window)
    candidates.extend(spec.light(spec.model.objects.filter(pk__in=pending)))
    if parsed.looks_like_code and len(parsed.tokens) > 1:
        # One word is its own key: the window above already ran this very query.
        code_query = ParsedQuery(parsed.text, (parsed.key,))
        candidates.extend(_ranked(spec, scoped, code_query, 0, CODE_WINDOW))
    # The backend matched the window in scope; only pages waiting for their publish job are
    # judged on their version in force (as in _matched), so no second run of the match.
    agree = _agreeing(parsed, pending)

    def admissible(pk) -> bool:
        return pk in agree if pk in pending else True

    seen: set[int] = set()
    ranked = []
    for obj in candidates:
        if admissible(obj.pk) and obj.pk not in seen:
            seen.add(obj.pk)
            ranked.append(obj)
    kinds = {}
    for obj in ranked:
        title, codes = _titles_and_codes(spec, obj, pending)
        kinds[obj.pk] = match_kind(parsed, title=title, codes=codes)

    def order(item):
        position, obj = item
        title, _codes = _titles_and_codes(spec, obj, pending)
        return (match_rank(kinds[obj.pk]), position, len(title))

    ranked = [obj for _position, obj in sorted(enumerate(ranked), key=order)]
    if stop <= len(ranked) or len(window) < RANK_WINDOW:
        return ranked[start:stop], kinds
    # Beyond the window: shortest titles first, minus what the window already showed.
    extra = len(ranked) - len(window)
    offset = max(len(window), start - extra)
    wanted = offset + (stop - start) + extra
    more = _candidates(spec, rows_from, matches.ids(offset, wanted))
    rest = [obj for obj in more if admissible(obj.pk) and obj.pk not in seen]
    for obj in rest:
        title, codes = _titles_and_codes(spec, obj, pending)
        kinds[obj.pk] = match_kind(parsed, title=title, codes=codes)
    combined = ranked[start:stop] + rest
    return combined[: stop - start], kinds


def _hits(spec, pages, kinds, pending, agencies, path_length, at) -> list[SearchHit]:
    ids = [obj.pk for obj in pages]
    versions: dict[int, DocumentVersion] = {}
    if spec.versioned:
        current = current_version_ids(ids, at)
        by_id = DocumentVersion.objects.select_related("file").in_bulk(current.values())
        versions = {page_id: by_id[version_id] for page_id, version_id in current.items()}
    field_ids: dict[int, list[int]] = {}  # the fields shown with each hit
    if spec.kind == "form":  # the live procedures' fields the form carries: "3,7"
        field_ids = {obj.pk: _ids(obj.procedure_fields) for obj in pages}
    elif spec.kind == "procedure":
        field_ids = {obj.pk: [obj.field_id] for obj in pages if obj.field_id}
    by_id = ProcedureField.objects.in_bulk({pk for pks in field_ids.values() for pk in pks})
    fields_of = {page: [by_id[pk] for pk in pks if pk in by_id] for page, pks in field_ids.items()}
    hits = []
    for obj in pages:
        version = versions.get(obj.pk)
        if spec.versioned and version is None:
            continue  # no version in force: never offered
        if spec.kind == "procedure":
            title, code, detail = obj.title, obj.national_code, obj.get_level_display()
        elif spec.kind == "form":
            title, code, detail = version.title, version.code, obj.legal_basis
        else:
            title, code = version.title, version.code
            detail = DocumentKind(obj.kind).label if obj.kind in DocumentKind.values else ""
        hits.append(
            SearchHit(
                page=obj,
                kind=spec.kind,
                title=title,
                code=code,
                url=obj.get_url(),
                match=kinds.get(obj.pk, MatchKind.TEXT),
                agency=_agency_of(obj.path, agencies, path_length),
                fields=fields_of.get(obj.pk, []),
                version=version,
                detail=detail,
            )
        )
    return hits


def _ids(joined: str) -> list[int]:
    """ "3,7" → [3, 7]: a form's procedure fields as stored."""
    return [int(pk) for pk in joined.split(",") if pk]


def _facet_values(counts: Counter, labels: dict, selected) -> list[FacetValue]:
    values = [
        FacetValue(value, labels[value], count, selected=str(value) == str(selected))
        for value, count in counts.items()
        if value in labels
    ]
    return sorted(values, key=lambda v: (-v.count, v.label))


def _facets(spec, matches: _Matches, agencies, selected) -> dict[str, list[FacetValue]]:
    """Counts by agency and by field (or kind), from the matches: no query runs the match."""
    by_path = matches.agency_counts()
    by_agency = Counter({agencies[path].pk: n for path, n in by_path.items() if path in agencies})
    agency_labels = {a.pk: a.short_name or a.title for a in agencies.values()}
    facets = {"agency": _facet_values(by_agency, agency_labels, selected.get("agency"))}
    counts = matches.facet_counts()
    if spec.facet == "field":
        names = dict(ProcedureField.objects.filter(pk__in=list(counts)).values_list("pk", "name"))
        facets["field"] = _facet_values(counts, names, selected.get("field"))
    else:
        facets["kind"] = _facet_values(counts, dict(DocumentKind.choices), selected.get("kind"))
    return facets


_FirstMatch = Callable[[list[ParsedQuery]], "tuple[int, int] | None"]


def _first_match(spec, queryset, from_map: _PublicMatch | None) -> _FirstMatch:
    """(index, count) of the first query with a match among `queryset`'s pages: from the
    public map or the engine when there is one."""

    def first(candidates: list[ParsedQuery]) -> tuple[int, int] | None:
        if from_map is not None:
            return from_map.first_match(spec, candidates)
        if not uses_database_backend():
            # The engine says in one request which candidates match anywhere; only those
            # are counted in the reader's scope.
            backend = get_search_backend()
            queries = [parsed.backend_query() for parsed in candidates]
            anywhere = backend.match_counts(spec.model.objects.all(), queries)
            candidates = [p if n else None for p, n in zip(candidates, anywhere, strict=True)]
        for n, parsed in enumerate(candidates):
            if parsed is None:
                continue
            matches = _matches(queryset, parsed)
            # Whether anything matches stops at the first match; only a match is counted.
            if matches.exists():
                return n, matches.count()
        return None

    return first


def _suggestions(
    parsed: ParsedQuery,
    has_filters: bool,
    *,
    first_here: _FirstMatch,
    first_everywhere: _FirstMatch,
) -> list[Suggestion]:
    """Nothing matched every word: offer a shorter query that does match, with its count."""
    suggestions = []
    if has_filters:
        found = first_everywhere([parsed])
        if found is not None:
            everywhere = found[1]
            suggestions.append(
                Suggestion(
                    f"Bỏ bộ lọc: có {everywhere} kết quả cho «{parsed.text}» ở mọi cơ quan",
                    parsed.text,
                    drop_filters=True,
                )
            )
    words = [word for word in parsed.text.split() if search_tokens(word)][:MAX_TOKENS]
    if len(words) < 2:
        return suggestions
    # Leave out one word, then keep only the first words: the first shorter query that matches.
    shorter = [words[:i] + words[i + 1 :] for i in range(len(words))]
    shorter += [words[:length] for length in range(len(words) - 2, 0, -1)]
    texts = [" ".join(candidate) for candidate in shorter[:MAX_SUGGESTION_TRIES]]
    found = first_here([query_parse(text) for text in texts])
    if found is not None:
        text, count = texts[found[0]], found[1]
        suggestions.append(Suggestion(f"Thử tìm «{text}» ({count} kết quả)", text))
    return suggestions
