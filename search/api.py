"""JSON search for the province's public-service portal: the same find_forms/find_procedures as
the public search page, anonymous (public pages, versions in force only). Lives in search/ so
themes' API need not import search; cms/urls.py mounts it under /api/v1/tim-kiem/."""

from __future__ import annotations

from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from .selectors import SearchHit, SearchPage, find_forms, find_procedures

MAX_QUERY = 200
PER_PAGE = 20


MAX_ID = 2**31 - 1  # ids beyond 32 bits exist nowhere (and overflow SQLite's integers)


def _int(value: str | None) -> int | None:
    """A positive id or page number; anything else (text, out of range) is ignored."""
    if not value or not value.isascii() or not value.isdigit():
        return None
    number = int(value[:12])
    return number if 0 < number <= MAX_ID else None


def _hit(hit: SearchHit, request) -> dict:
    data = {
        "kind": hit.kind,
        "id": hit.page.pk,
        "title": hit.title,
        "code": hit.code,
        "url": request.build_absolute_uri(hit.url) if hit.url else None,
        "agency": hit.agency.agency_code if hit.agency else None,
        "fields": [field.name for field in hit.fields],
    }
    if hit.version is not None:
        data.update(
            issue_number=hit.version.issue_number,
            effective_from=hit.version.effective_from.isoformat(),
            download_url=request.build_absolute_uri(hit.download_url) if hit.download_url else None,
        )
    return data


def _answer(request, result: SearchPage) -> JsonResponse:
    return JsonResponse(
        {
            "query": result.query,
            "count": result.total,
            "page": result.page,
            "num_pages": result.num_pages,
            "results": [_hit(hit, request) for hit in result.hits],
            "suggestions": [s.query for s in result.suggestions],
        },
        json_dumps_params={"ensure_ascii": False},
    )


def _params(request) -> dict:
    return {
        "agency": _int(request.GET.get("agency")),
        "field": _int(request.GET.get("field")),
        "page": _int(request.GET.get("page")) or 1,
        "per_page": PER_PAGE,
    }


def _query(request) -> str:
    return (request.GET.get("q") or "")[:MAX_QUERY].replace("\x00", " ")


@csrf_exempt  # read-only; any method gets the same answer, never a CSRF page in English
def api_search_forms(request):
    query = _query(request)
    return _answer(request, find_forms(query, user=None, **_params(request)))


@csrf_exempt
def api_search_procedures(request):
    query = _query(request)
    return _answer(request, find_procedures(query, user=None, **_params(request)))


urlpatterns = [
    path("bieu-mau/", api_search_forms, name="api_search_forms"),
    path("thu-tuc/", api_search_procedures, name="api_search_procedures"),
]
