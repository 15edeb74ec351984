"""The public search page: thin, it parses the request and calls the search API."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from content_types.agency import AgencyPage
from content_types.procedure_fields import ProcedureField
from content_types.procedures import ProcedurePage

from .selectors import FacetValue, SearchPage, find_documents, find_forms, find_procedures

KINDS = {"tat-ca": "Tất cả", "thu-tuc": "Thủ tục hành chính", "bieu-mau": "Biểu mẫu"}
# On «Tất cả», how many of each kind are shown before «Xem tất cả …».
ALL_PROCEDURES = 5
ALL_FORMS = 10


def hits_preferring(hits: list, agency_id: int | None) -> list:
    """`hits` in their ranked order, except that among hits with the same title (the same form
    or procedure published by several agencies) the citizen's chosen agency comes first."""
    if agency_id is None:
        return hits
    from content_types.text import fold_vietnamese

    groups: list[list] = []
    for hit in hits:
        if groups and fold_vietnamese(groups[-1][0].title) == fold_vietnamese(hit.title):
            groups[-1].append(hit)
        else:
            groups.append([hit])
    return [
        hit
        for group in groups
        for hit in sorted(group, key=lambda h: not (h.agency and h.agency.pk == agency_id))
    ]


def _merged_facets(*pages: SearchPage) -> dict[str, list[FacetValue]]:
    merged: dict[str, dict] = {}
    for results in pages:
        for name, values in results.facets.items():
            for value in values:
                known = merged.setdefault(name, {}).get(value.value)
                count = value.count + (known.count if known else 0)
                merged[name][value.value] = FacetValue(
                    value.value, value.label, count, value.selected
                )
    return {
        name: sorted(values.values(), key=lambda v: (-v.count, v.label))
        for name, values in merged.items()
    }


def _int_param(request: HttpRequest, name: str, label: str, notes: list[str]) -> int | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    if raw.isdigit() and len(raw) < 12:
        return int(raw)
    notes.append(f"Bỏ qua {label} không hợp lệ: «{raw[:40]}».")
    return None


def _known(model, pk: int | None, label: str, notes: list[str], **filters):
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk, **filters).first()
    if obj is None:
        notes.append(f"Không tìm thấy {label} đã chọn: bỏ qua bộ lọc này.")
    return obj


def search_params(**params) -> str:
    return urlencode({key: value for key, value in params.items() if value not in (None, "")})


@require_GET
def search_view(request: HttpRequest) -> HttpResponse:
    notes: list[str] = []
    query = request.GET.get("q", "")
    kind = request.GET.get("loai", "tat-ca")
    if kind not in KINDS:
        notes.append("Loại kết quả không hợp lệ: hiển thị tất cả.")
        kind = "tat-ca"
    preferred = _known(
        AgencyPage,
        _int_param(request, "uu_tien", "cơ quan của bạn", notes),
        "cơ quan của bạn",
        notes,
        live=True,
    )
    agency = _known(
        AgencyPage,
        _int_param(request, "co_quan", "cơ quan", notes),
        "cơ quan",
        notes,
        live=True,
    )
    field = _known(
        ProcedureField, _int_param(request, "linh_vuc", "lĩnh vực", notes), "lĩnh vực", notes
    )
    procedure = None
    if kind == "bieu-mau":
        procedure = _known(
            ProcedurePage,
            _int_param(request, "thu_tuc", "thủ tục", notes),
            "thủ tục",
            notes,
            live=True,
        )
    page_number = _int_param(request, "trang", "số trang", notes) or 1

    # Public search: never a user, so never a private page, whoever is signed in.
    sections: list[tuple[str, str, SearchPage]] = []
    if kind == "thu-tuc":
        results: SearchPage = find_procedures(query, agency=agency, field=field, page=page_number)
    elif kind == "bieu-mau":
        results = find_forms(
            query, agency=agency, field=field, procedure=procedure, page=page_number
        )
    else:
        # Whatever the citizen typed (a procedure's name or code, a form's), both kinds.
        procedures = find_procedures(query, agency=agency, field=field, per_page=ALL_PROCEDURES)
        forms = find_forms(query, agency=agency, field=field, per_page=ALL_FORMS)
        sections = [
            ("thu-tuc", KINDS["thu-tuc"], procedures),
            ("bieu-mau", KINDS["bieu-mau"], forms),
        ]
        results = SearchPage(
            query=forms.query,
            hits=[],
            total=procedures.total + forms.total,
            page=1,
            per_page=ALL_PROCEDURES + ALL_FORMS,
            facets=_merged_facets(procedures, forms),
            suggestions=forms.suggestions or procedures.suggestions,
            notes=list(dict.fromkeys(procedures.notes + forms.notes)),
            searched=forms.searched or procedures.searched,
        )
    preferred_id = preferred.pk if preferred else None
    results.hits = hits_preferring(results.hits, preferred_id)
    for _key, _label, section in sections:
        section.hits = hits_preferring(section.hits, preferred_id)
    base = {
        "q": results.query,
        "loai": kind,
        "co_quan": agency.pk if agency else None,
        "linh_vuc": field.pk if field else None,
        "thu_tuc": procedure.pk if procedure else None,
        "uu_tien": preferred_id,
    }

    def link(**changes) -> str:
        return "?" + search_params(**{**base, **changes})

    facet_links = {
        name: [
            (value, link(**{param: None if value.selected else value.value, "trang": None}))
            for value in values
        ]
        for name, param in (("agency", "co_quan"), ("field", "linh_vuc"))
        for values in [results.facets.get(name, [])]
    }
    context = {
        "results": results,
        "notes": notes + results.notes,
        "kind": kind,
        "kinds": [
            (key, label, link(loai=key, trang=None, thu_tuc=None)) for key, label in KINDS.items()
        ],
        "sections": [
            (key, label, section, link(loai=key, trang=None)) for key, label, section in sections
        ],
        "preferred": preferred,
        "agencies": AgencyPage.objects.live().public().order_by("title").only("pk", "title"),
        "agency": agency,
        "field": field,
        "procedure": procedure,
        "facet_links": facet_links,
        "clear_link": link(co_quan=None, linh_vuc=None, thu_tuc=None, trang=None),
        "previous_link": link(trang=results.page - 1) if results.has_previous else None,
        "next_link": link(trang=results.page + 1) if results.has_next else None,
        "suggestion_links": [
            (
                suggestion,
                "?"
                + search_params(
                    q=suggestion.query,
                    loai=kind,
                    uu_tien=preferred_id,
                    **(
                        {}
                        if suggestion.drop_filters
                        else {k: base[k] for k in ("co_quan", "linh_vuc", "thu_tuc")}
                    ),
                ),
            )
            for suggestion in results.suggestions
        ],
    }
    return render(request, "search/search_page.html", context)


ADMIN_KINDS = {
    "bieu-mau": "Biểu mẫu",
    "tai-lieu": "Tài liệu HTQLCL",
    "thu-tuc": "Thủ tục hành chính",
}


def admin_search_view(request: HttpRequest) -> HttpResponse:
    """Staff search in the admin: public items plus the private documents the user may read."""
    notes: list[str] = []
    kind = request.GET.get("loai", "bieu-mau")
    if kind not in ADMIN_KINDS:
        notes.append("Loại kết quả không hợp lệ: hiển thị biểu mẫu.")
        kind = "bieu-mau"
    page_number = _int_param(request, "trang", "số trang", notes) or 1
    query = request.GET.get("q", "")
    finder = {"bieu-mau": find_forms, "tai-lieu": find_documents, "thu-tuc": find_procedures}
    results = finder[kind](query, user=request.user, page=page_number)
    base = {"q": results.query, "loai": kind}
    context = {
        "results": results,
        "notes": notes + results.notes,
        "kind": kind,
        "kinds": [
            (key, label, "?" + search_params(**{**base, "loai": key}))
            for key, label in ADMIN_KINDS.items()
        ],
        "previous_link": "?" + search_params(**base, trang=results.page - 1)
        if results.has_previous
        else None,
        "next_link": "?" + search_params(**base, trang=results.page + 1)
        if results.has_next
        else None,
    }
    return render(request, "search/admin_search.html", context)
