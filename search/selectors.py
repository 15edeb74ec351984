"""The one search API: find forms, procedures and quality-system documents (DESIGN §8).

Used by the public search page, the admin and the JSON API. Every function takes keyword
arguments, returns a `SearchPage`, never raises on what a searcher types, and only ever returns:

- live pages the reader may see (`user=None` is an anonymous visitor: public pages only);
- for forms and documents, the version in force at `at` (default now), decided by time like
  content_types.versions: its code, title, issue number and file. A page whose version in force is
  not yet the page row (between its effective time and the minutely publish job) is matched on
  the version in force, not on the outdated row; a page with no version in force is left out.

Matching runs on the configured Wagtail backend (folded Vietnamese, see search.backends); the
ranking — exact code, then code part, then title phrase, then title words, then the rest — is
applied here to the best RANK_WINDOW matches, so it is identical on every backend.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils import timezone

from wagtail.models import Page, Revision

from content_types.agency import AgencyPage
from content_types.documents import ControlledDocumentPage, DocumentKind, FormDocumentPage
from content_types.procedure_fields import ProcedureField
from content_types.procedures import ProcedurePage, ProcedurePageForm, procedure_form_ids
from content_types.text import search_tokens
from content_types.versions import DocumentVersion, current_version_ids

from .query import (
    MAX_TOKENS,
    MatchKind,
    ParsedQuery,
    match_kind,
    match_rank,
    query_parse,
    text_matches,
)
from .visibility import visible_to

RANK_WINDOW = 60  # matches re-ranked by match kind; later pages follow the backend's order
CODE_WINDOW = 50
MAX_PER_PAGE = 100
ES_MATCH_LIMIT = 10_000  # Elasticsearch: matches counted for facets
MAX_SUGGESTION_TRIES = 10


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
    agency: AgencyPage | None = None
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
        _Spec(model=FormDocumentPage, kind="form", versioned=True, facet="field"),
        query,
        scope=scope,
        filters=filters,
        agency=agency,
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
        _Spec(model=ProcedurePage, kind="procedure", versioned=False, facet="field"),
        query,
        scope=scope,
        filters=filters,
        agency=agency,
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


def _pk(value) -> int | str | None:
    if value is None or value == "":
        return None
    return value.pk if hasattr(value, "pk") else value


def _agencies() -> dict[str, AgencyPage]:
    agencies = AgencyPage.objects.only("title", "short_name", "path", "depth", "url_path")
    return {agency.path: agency for agency in agencies}


def _agency_path_length(agencies: dict[str, AgencyPage]) -> int:
    return len(next(iter(agencies))) if agencies else AgencyPage.steplen * 3


def _agency_of(path: str, agencies: dict[str, AgencyPage], length: int) -> AgencyPage | None:
    return agencies.get(path[:length])


def _form_ids_of_field(field_id):
    return ProcedurePageForm.objects.filter(page__live=True, page__field_id=field_id).values(
        "form_page_id"
    )


def _matches(queryset, parsed: ParsedQuery):
    """All pages of `queryset` the backend matches, as a queryset (unordered, unscored)."""
    results = queryset.search(parsed.backend_query(), order_by_relevance=False)
    if hasattr(results, "get_queryset"):  # the database backends: one SQL subquery
        return results.get_queryset().order_by()
    ids = [obj.pk for obj in results[:ES_MATCH_LIMIT]]
    return queryset.model.objects.filter(pk__in=ids)


def _ranked(queryset, parsed: ParsedQuery, start: int, stop: int) -> list:
    return list(queryset.search(parsed.backend_query())[start:stop])


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
    """Every match, as a queryset of `spec.model`. Pages waiting for their publish job are
    matched on their version in force, not on the outdated row."""
    match_filter = Q(pk__in=_matches(scoped, parsed).values("pk"))
    if pending:
        agree = _agreeing(parsed, pending)
        match_filter = (match_filter & ~Q(pk__in=set(pending) - agree)) | Q(pk__in=agree)
    return spec.model.objects.filter(match_filter)


def _counted(matched, path_length: int) -> tuple[int, dict[str, int]]:
    """The number of matches and their count per agency (tree path prefix), in one grouped
    query: the match runs once for both instead of once for the total and once for the facet."""
    rows = (
        matched.order_by()
        .annotate(agency_path=Substr("path", 1, path_length))
        .values("agency_path")
        .annotate(count=Count("pk"))
        .values_list("agency_path", "count")
    )
    by_path = dict(rows)
    return sum(by_path.values()), by_path


def _find(
    spec: _Spec,
    query: str,
    *,
    scope,
    filters: Q,
    agency,
    selected: dict,
    page: int,
    per_page: int,
    at: datetime,
) -> SearchPage:
    parsed = query_parse(query)
    per_page = max(1, min(int(per_page or 20), MAX_PER_PAGE))
    page = max(1, int(page or 1))
    agencies = _agencies()
    path_length = _agency_path_length(agencies)
    scoped = scope.filter(filters)
    if agency is not None:
        agency_page = AgencyPage.objects.filter(pk=_pk(agency)).first()
        scoped = scoped.descendant_of(agency_page) if agency_page else scoped.none()
    result = SearchPage(query=parsed.text, hits=[], total=0, page=page, per_page=per_page)
    result.notes.extend(parsed.notes)
    has_filters = any(value not in (None, "") for value in selected.values())

    if parsed.is_blank:
        if parsed.text or not has_filters:
            result.searched = False
            return result
        # No words but a filter: list what the filter holds, by title.
        ordered = None
        matched = spec.model.objects.filter(pk__in=scoped.values("pk"))
        result.total, by_agency = _counted(matched, path_length)
    else:
        ordered = True
        pending = _pending_versions(scoped, at) if spec.versioned else {}
        matched = _matched(spec, scoped, parsed, pending)
        result.total, by_agency = _counted(matched, path_length)
        if result.total == 0 and parsed.without_fillers() is not None:
            parsed = parsed.without_fillers()
            matched = _matched(spec, scoped, parsed, pending)
            result.total, by_agency = _counted(matched, path_length)
    if ordered is None:
        pending = {}
    result.page = page = min(page, result.num_pages)

    start, stop = (page - 1) * per_page, page * per_page
    if ordered is None:
        pages = list(matched.order_by("title", "pk")[start:stop])
        kinds = {obj.pk: MatchKind.TEXT for obj in pages}
    else:
        pages, kinds = _page_of_ranked(
            spec, scoped, parsed, matched, pending, start, stop, result.total
        )
    result.hits = _hits(spec, pages, kinds, pending, agencies, path_length, at)
    result.facets = _facets(spec, matched, by_agency, agencies, selected)
    if result.total == 0 and not parsed.is_blank:
        result.suggestions = _suggestions(spec, scope, scoped, parsed, has_filters)
    return result


def _titles_and_codes(spec: _Spec, obj, pending) -> tuple[str, tuple[str, ...]]:
    version = pending.get(obj.pk)
    if version is not None:
        return version.title, (version.code,)
    if spec.kind == "procedure":
        return obj.title, (obj.national_code, obj.national_code_base)
    return obj.title, (obj.code,)


def _page_of_ranked(spec, scoped, parsed, matched, pending, start, stop, total):
    """One page of matches in rank order: re-ranked within the first RANK_WINDOW matches."""
    window = _ranked(scoped, parsed, 0, RANK_WINDOW)
    candidates = list(window)
    candidates.extend(spec.model.objects.filter(pk__in=pending))
    if parsed.looks_like_code and len(parsed.tokens) > 1:
        # One word is its own key: the window above already ran this very query.
        code_query = ParsedQuery(parsed.text, (parsed.key,))
        candidates.extend(_ranked(scoped, code_query, 0, CODE_WINDOW))
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
    # Beyond the window: the backend's own order, minus what the window already showed.
    extra = len(ranked) - len(window)
    offset = max(len(window), start - extra)
    more = _ranked(scoped, parsed, offset, offset + (stop - start) + extra)
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
    fields_of: dict[int, list[ProcedureField]] = {}
    if spec.kind == "form":
        links = (
            ProcedurePageForm.objects.filter(form_page_id__in=ids, page__live=True)
            .exclude(page__field=None)
            .select_related("page__field")
        )
        for link in links:
            bucket = fields_of.setdefault(link.form_page_id, [])
            if link.page.field not in bucket:
                bucket.append(link.page.field)
    elif spec.kind == "procedure":
        field_ids = {obj.field_id for obj in pages if obj.field_id}
        by_id = ProcedureField.objects.in_bulk(field_ids)
        fields_of = {obj.pk: [by_id[obj.field_id]] for obj in pages if obj.field_id in by_id}
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


def _facets(spec, matched, by_agency, agencies, selected) -> dict[str, list[FacetValue]]:
    agency_values = []
    for agency_path, count in by_agency.items():
        agency = agencies.get(agency_path)
        if agency is not None:
            agency_values.append(
                FacetValue(
                    agency.pk,
                    agency.short_name or agency.title,
                    count,
                    selected=str(agency.pk) == str(selected.get("agency")),
                )
            )
    facets = {"agency": sorted(agency_values, key=lambda v: (-v.count, v.label))}
    if spec.facet == "field":
        if spec.kind == "form":
            links = ProcedurePageForm.objects.filter(page__live=True).exclude(page__field=None)
            # No form is used by a procedure with a field: no need to run the match again.
            rows = (
                links.filter(form_page_id__in=matched.values("pk"))
                .values("page__field_id", "page__field__name")
                .annotate(count=Count("form_page_id", distinct=True))
                if links.exists()
                else []
            )
            pairs = [(r["page__field_id"], r["page__field__name"], r["count"]) for r in rows]
        else:
            rows = (
                matched.order_by()
                .exclude(field=None)
                .values("field_id", "field__name")
                .annotate(count=Count("pk"))
            )
            pairs = [(r["field_id"], r["field__name"], r["count"]) for r in rows]
        facets["field"] = sorted(
            (
                FacetValue(pk, name, count, selected=str(pk) == str(selected.get("field")))
                for pk, name, count in pairs
            ),
            key=lambda v: (-v.count, v.label),
        )
    else:
        rows = matched.order_by().values("kind").annotate(count=Count("pk"))
        labels = dict(DocumentKind.choices)
        facets["kind"] = sorted(
            (
                FacetValue(
                    r["kind"],
                    labels.get(r["kind"], r["kind"]),
                    r["count"],
                    selected=r["kind"] == selected.get("kind"),
                )
                for r in rows
            ),
            key=lambda v: (-v.count, v.label),
        )
    return facets


def _suggestions(spec, scope, scoped, parsed: ParsedQuery, has_filters: bool) -> list[Suggestion]:
    """Nothing matched every word: offer a shorter query that does match, with its count."""
    suggestions = []
    if has_filters:
        everywhere = _matches(scope, parsed).count()
        if everywhere:
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
    for candidate in shorter[:MAX_SUGGESTION_TRIES]:
        text = " ".join(candidate)
        count = _matches(scoped, query_parse(text)).count()
        if count:
            suggestions.append(Suggestion(f"Thử tìm «{text}» ({count} kết quả)", text))
            break
    return suggestions
