"""Read-only JSON API for the province's public-service portal: agencies, procedures, forms.

Plain Django views rather than wagtail.api v2 (which Wagtail 8 ships, with DRF):
- a form's current version is decided by time (content_types.versions), while wagtail.api
  serialises the page row, which lags a scheduled version by up to a minute and would then offer
  the obsolete file; here every form goes through `forms_in_force`, as the public pages do;
- wagtail.api's generic `?fields=*`, `?type=` and documents endpoint make what is exposed depend
  on every model's api_fields and would list obsolete files; a fixed schema cannot leak;
- the same selectors as the public pages keep query counts constant, and the responses share
  the public cache (themes.cache) and its invalidation on publish.

Everything is `live().public()`: private quality-system pages, drafts and obsolete or
not-yet-valid versions never appear. Errors are JSON with a Vietnamese message.
"""

from __future__ import annotations

from functools import wraps

from django.core.paginator import EmptyPage, Paginator
from django.http import JsonResponse
from django.urls import path, reverse
from django.views.decorators.csrf import csrf_exempt

from wagtail.rich_text import expand_db_html

from content_types.agency import AgencyPage
from content_types.documents import FormDocumentPage
from content_types.procedures import ProcedurePage
from content_types.public import FormInForce, forms_in_force, procedure_public_context

from .cache import mark_cacheable
from .skeleton import site_skeleton

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100
MAX_ID = 2**31 - 1  # page ids are 32-bit on every database; beyond that, nothing exists


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _json(data, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def api_view(view):
    """GET/HEAD only; ApiError becomes a JSON error; successful answers are cacheable."""

    @csrf_exempt  # read-only: a POST gets the 405 below, in Vietnamese, not a CSRF page
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = _json({"error": "API chỉ cho phép đọc (GET)."}, status=405)
            response["Allow"] = "GET, HEAD"
            return response
        try:
            data = view(request, *args, **kwargs)
        except ApiError as error:
            return _json({"error": error.message}, status=error.status)
        mark_cacheable(request)
        return _json(data)

    return wrapper


def _number(value) -> float | None:
    return float(value) if value is not None else None


def _process_data(process) -> dict:
    """One internal process: its legal limit, unit and steps (hours or days each)."""
    return {
        "name": process.name,
        "case": process.case_name,
        "time_limit": _number(process.limit),
        "time_limit_unit": process.unit,
        "time_limit_text": process.limit_text,
        "total": _number(process.total),
        # In working days, as before; None for a process counted in hours.
        "total_working_days": _number(process.total) if process.unit == "days" else None,
        "within_limit": process.within_limit,
        "steps": [
            {
                "task": step.task,
                "unit": step.unit,
                "role": step.role,
                "agency": process.agency_titles.get(step.agency_id),
                "working_days": _number(step.working_days),
                "hours": _number(step.hours),
                "counted": step.counted,
            }
            for step in process.steps
        ],
    }


def _fee_items(channel) -> list[dict]:
    """Structured fees as numbers (amounts in đồng) with their text."""
    from content_types.procedures import fee_text

    items = []
    for block in channel.fee_items.raw_data:
        value = block.get("value") or {}
        items.append(
            {
                "kind": value.get("kind"),
                "name": value.get("name") or "",
                "amount": _number(value.get("amount")),
                "unit": value.get("unit"),
                "from_quantity": value.get("from_quantity"),
                "cap": _number(value.get("cap")),
                "cap_unit": value.get("cap_unit"),
                "note": value.get("note"),
                "text": fee_text(value),
            }
        )
    return items


def _int_param(request, name: str, default: int, maximum: int | None = None) -> int:
    raw = request.GET.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, f"Tham số {name} phải là số nguyên dương, nhận được «{raw}».") from None
    if value < 1 or value > (maximum or MAX_ID):
        limit = f" từ 1 đến {maximum or MAX_ID}"
        raise ApiError(400, f"Tham số {name} phải là số{limit}, nhận được «{raw}».")
    return value


def _paginate(request, items) -> tuple[list, dict]:
    size = _int_param(request, "page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    number = _int_param(request, "page", 1)
    paginator = Paginator(items, size)
    try:
        page = paginator.page(number)
    except EmptyPage:
        raise ApiError(
            404, f"Không có trang {number}; chỉ có {paginator.num_pages} trang."
        ) from None
    meta = {"count": paginator.count, "page": number, "pages": paginator.num_pages}
    return list(page.object_list), meta


def _agencies():
    return AgencyPage.objects.live().public().order_by("level", "title")


def _agency_by_code(code: str) -> AgencyPage:
    code = code[:64]
    if "\x00" in code:
        raise ApiError(400, "Mã cơ quan không được chứa ký tự rỗng (NUL).")
    agency = _agencies().filter(agency_code=code.strip().upper()).first()
    if agency is None:
        raise ApiError(404, f"Không có cơ quan nào mã «{code}».")
    return agency


def agency_data(agency: AgencyPage, request) -> dict:
    return {
        "code": agency.agency_code,
        "title": agency.title,
        "short_name": agency.short_name,
        "level": agency.level,
        "level_label": agency.get_level_display(),
        "address": agency.address,
        "phone": agency.phone,
        "email": agency.email,
        "url": agency.get_full_url(request),
        "api_url": request.build_absolute_uri(reverse("api_agency", args=[agency.agency_code])),
    }


def form_data(item: FormInForce, request, agency: AgencyPage | None = None) -> dict:
    version, file = item.version, item.version.file
    data = {
        "id": item.page.pk,
        "code": version.code,
        "title": version.title,
        "url": item.page.get_full_url(request),
        "api_url": request.build_absolute_uri(reverse("api_form", args=[item.page.pk])),
        "version": {
            "issue_number": version.issue_number,
            "effective_from": version.effective_from.isoformat(),
            "approved_at": version.approved_at.isoformat(),
            "change_summary": version.change_summary,
        },
        "file": (
            {
                "url": request.build_absolute_uri(file.url),
                "filename": file.filename,
                "type": item.file_type,
                "size": file.file_size,
            }
            if file
            else None
        ),
    }
    if agency is not None:
        data["agency"] = agency.agency_code
    return data


def procedure_summary(procedure: ProcedurePage, request, agency: AgencyPage | None) -> dict:
    return {
        "id": procedure.pk,
        "national_code": procedure.national_code,
        "title": procedure.title,
        "level": procedure.level,
        "level_label": procedure.get_level_display(),
        "field": procedure.field.name if procedure.field else None,
        "agency": agency.agency_code if agency else None,
        "url": procedure.get_full_url(request),
        "api_url": request.build_absolute_uri(reverse("api_procedure", args=[procedure.pk])),
        "updated_at": (
            procedure.last_published_at.isoformat() if procedure.last_published_at else None
        ),
    }


def _procedures():
    return ProcedurePage.objects.live().public().select_related("field").order_by("title", "pk")


@api_view
def api_root(request):
    return {
        "agencies": request.build_absolute_uri(reverse("api_agencies")),
        "procedures": request.build_absolute_uri(reverse("api_procedures")),
        "forms": request.build_absolute_uri(reverse("api_forms")),
        "note": "Chỉ gồm trang công khai và lần ban hành đang có hiệu lực của biểu mẫu.",
    }


@api_view
def api_agencies(request):
    items, meta = _paginate(request, _agencies())
    return {**meta, "results": [agency_data(agency, request) for agency in items]}


@api_view
def api_agency(request, code: str):
    agency = _agency_by_code(code)
    procedures = _procedures().descendant_of(agency)
    form_ids = FormDocumentPage.objects.descendant_of(agency).values_list("pk", flat=True)
    forms = sorted(forms_in_force(list(form_ids)).values(), key=lambda f: f.version.code)
    return {
        **agency_data(agency, request),
        "procedures": [procedure_summary(p, request, agency) for p in procedures],
        "forms": [form_data(item, request, agency) for item in forms],
    }


@api_view
def api_procedures(request):
    procedures = _procedures()
    code = request.GET.get("agency")
    if code:
        procedures = procedures.descendant_of(_agency_by_code(code))
    field = (request.GET.get("field") or "")[:200].replace("\x00", "")
    if field:
        procedures = procedures.filter(field__name__iexact=field.strip())
    items, meta = _paginate(request, procedures)
    skeleton = site_skeleton(request)
    return {
        **meta,
        "results": [procedure_summary(p, request, skeleton.agency_for(p)) for p in items],
    }


@api_view
def api_procedure(request, pk: int):
    procedure = _procedures().filter(pk=pk).first() if pk <= MAX_ID else None
    if procedure is None:
        raise ApiError(404, f"Không có thủ tục hành chính công khai nào mã số {pk}.")
    skeleton = site_skeleton(request)
    context = procedure_public_context(procedure, private_paths=skeleton.private_paths)
    agency = skeleton.agency_for(procedure)
    process = context["process"]
    return {
        **procedure_summary(procedure, request, agency),
        "announcement_decision": procedure.announcement_decision,
        "applicants": procedure.applicants,
        "implementing_agency": procedure.implementing_agency,
        "result": procedure.result,
        "steps_html": expand_db_html(procedure.steps),
        "requirements_html": expand_db_html(procedure.requirements),
        "legal_basis_html": expand_db_html(procedure.legal_basis),
        "channels": [
            {
                "channel": channel.channel,
                "channel_label": channel.get_channel_display(),
                "time_limit": _number(channel.time_limit),
                "time_limit_unit": channel.time_limit_unit,
                "time_limit_display": channel.time_limit_display,
                "fees": channel.fees,
                "fee_lines": channel.fee_lines,
                "fee_items": _fee_items(channel),
                "description": channel.description,
            }
            for channel in context["channels"]
        ],
        "cases": [
            {
                "name": view.case.name,
                "dossier_sets": view.case.dossier_sets,
                "time_limit_display": view.case.time_limit_display,
                "dossier": [
                    {
                        "name": item.name,
                        "originals": item.originals,
                        "copies": item.copies,
                        "note": item.note,
                        "form": form_data(item.form, request) if item.form else None,
                        "alternative_forms": [form_data(f, request) for f in item.alternatives],
                    }
                    for item in view.items
                ],
            }
            for view in context["cases"]
        ],
        "forms": [{**form_data(item, request), "note": note} for item, note in context["forms"]],
        "process": {**_process_data(process), "note": procedure.process_note},
        "processes": [_process_data(view) for view in context["processes"]],
    }


@api_view
def api_forms(request):
    ids = FormDocumentPage.objects.live().public()
    code = request.GET.get("agency")
    if code:
        ids = ids.descendant_of(_agency_by_code(code))
    in_force = forms_in_force(list(ids.values_list("pk", flat=True)))
    items, meta = _paginate(
        request, sorted(in_force.values(), key=lambda f: (f.version.code, f.page.pk))
    )
    skeleton = site_skeleton(request)
    return {
        **meta,
        "results": [form_data(item, request, skeleton.agency_for(item.page)) for item in items],
    }


@api_view
def api_form(request, pk: int):
    item = forms_in_force([pk]).get(pk) if pk <= MAX_ID else None
    if item is None:
        raise ApiError(404, f"Không có biểu mẫu công khai nào mã số {pk} đang có hiệu lực.")
    agency = site_skeleton(request).agency_for(item.page)
    content = item.version.revision.as_object() if item.version.revision_id else None
    return {
        **form_data(item, request, agency),
        "legal_basis": getattr(content, "legal_basis", ""),
    }


urlpatterns = [
    path("", api_root, name="api_root"),
    path("agencies/", api_agencies, name="api_agencies"),
    path("agencies/<str:code>/", api_agency, name="api_agency"),
    path("procedures/", api_procedures, name="api_procedures"),
    path("procedures/<int:pk>/", api_procedure, name="api_procedure"),
    path("forms/", api_forms, name="api_forms"),
    path("forms/<int:pk>/", api_form, name="api_form"),
]

__all__ = ["urlpatterns"]
