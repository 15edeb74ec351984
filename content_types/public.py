"""What the public site and the JSON API show: selectors with a fixed number of queries.

The page models' `get_context` and `themes.api` call these. Every selector returns only what an
anonymous visitor may see: live pages outside any view restriction, and for forms and documents
the version in force *now* (decided by time, content_types.versions), never a draft, a version
still waiting for its effective date, or an obsolete one.

Query counts do not grow with the number of forms, cases or steps: related rows are fetched
in one query each and dossier components are read from the StreamField's raw data, so no
per-block page lookup happens.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import cached_property

from django.db.models import Count
from django.utils import timezone

from wagtail.models import Page

from .procedure_forms import format_days, process_total_in, step_amount
from .public_generation import (
    PROVINCE,
    GenerationMemo,
    public_scope_and_root,
    public_spans_mark,
)

# Quality-system items a citizen may read although the quality-system section is private: the
# quality policy (ISO 9001 clause 5.2.2 asks for it to be available to interested parties) and
# the decision announcing the QMS, which agencies post publicly. Only their version in force.
PUBLIC_DOCUMENT_KINDS = ("policy", "announcement")


@dataclass(frozen=True)
class FormInForce:
    """A form page with its version in force; show the version's code, title and file."""

    page: Page
    version: object  # content_types.versions.DocumentVersion

    @property
    def file(self):
        return self.version.file

    @cached_property
    def file_url(self) -> str:
        # Reversed once: the page data holding this is kept per generation (procedure pages).
        return self.version.file.url if self.version.file else ""

    @property
    def file_type(self) -> str:
        return self.version.file.file_extension.upper() if self.version.file else ""

    @property
    def file_size(self) -> int | None:
        # The stored size only: get_file_size() would write to the database on a miss.
        return self.version.file.file_size if self.version.file else None


def forms_in_force(
    form_ids, at: datetime | None = None, private_paths: list[str] | None = None
) -> dict[int, FormInForce]:
    """{form page id: FormInForce} for the given ids that are live, public and have a version
    in force at `at`; one query whatever the number of ids (two without `private_paths`).

    `private_paths` (tree paths of every page with a view restriction, when the caller has them
    at hand) saves the query for them. The page comes with its version, as a plain Page (id,
    title, tree and URL paths): enough to link to it."""
    from django.contrib.contenttypes.models import ContentType

    from wagtail.models import PageViewRestriction

    from .documents import FormDocumentPage
    from .versions import current_versions

    ids = list(dict.fromkeys(int(i) for i in form_ids if i))
    if not ids:
        return {}
    if private_paths is None:
        private_paths = list(PageViewRestriction.objects.values_list("page__path", flat=True))
    current = current_versions(
        ids,
        at,
        related=("file", "page"),
        page__live=True,
        page__content_type=ContentType.objects.get_for_model(FormDocumentPage),
    )
    private = tuple(private_paths)
    return {
        page_id: FormInForce(version.page, version)
        for page_id, version in current.items()
        if not version.page.path.startswith(private)
    }


@dataclass
class DossierItem:
    name: str
    originals: int
    copies: int
    note: str
    form: FormInForce | None
    # «mẫu CT01 hoặc CT02»: forms the citizen may use instead, each in its version in force.
    alternatives: list[FormInForce] = field(default_factory=list)

    @property
    def forms(self) -> list[FormInForce]:
        return [f for f in (self.form, *self.alternatives) if f is not None]


@dataclass
class CaseView:
    case: object  # ProcedurePageCase
    items: list[DossierItem] = field(default_factory=list)


@dataclass
class ProcessView:
    steps: list
    total: Decimal
    limit: Decimal | None
    unit: str = "days"  # ProcessUnit: the limit's unit, in which the total is counted
    name: str = ""
    case_name: str = ""
    limit_text: str = ""
    agency_titles: dict = field(default_factory=dict)  # steps carried out by another agency

    @property
    def unit_label(self) -> str:
        return "giờ làm việc" if self.unit == "hours" else "ngày làm việc"

    @property
    def total_display(self) -> str:
        return format_days(self.total)

    @property
    def limit_display(self) -> str:
        return format_days(self.limit) if self.limit is not None else ""

    @property
    def within_limit(self) -> bool:
        return self.limit is None or self.total <= self.limit

    @property
    def saved_display(self) -> str:
        return format_days(self.limit - self.total) if self.limit is not None else ""

    def step_share(self, step) -> Decimal:
        """The step's time in the process's unit (for the timeline bar)."""
        if not step.counted:
            return Decimal(0)
        amount = step_amount(days=step.working_days, hours=step.hours, unit=self.unit)
        return amount or Decimal(0)


def process_views(procedure, steps: list) -> list[ProcessView]:
    """The main internal process, then one per further process (per case), each with its own
    legal limit; a process without steps is left out."""
    from .agency import AgencyPage

    agency_ids = {s.agency_id for s in steps if s.agency_id}
    titles = (
        dict(AgencyPage.objects.filter(pk__in=agency_ids).values_list("pk", "title"))
        if agency_ids
        else {}
    )
    definitions = [
        (
            "",
            "",
            procedure.process_time_limit,
            procedure.process_limit_unit,
            procedure.process_limit_text,
        )
    ]
    definitions += [
        (p.name.strip(), p.case_name, p.time_limit, p.time_limit_unit, p.time_limit_text)
        for p in procedure.processes.all()
    ]
    views = []
    for name, case_name, limit, unit, text in definitions:
        own = [s for s in steps if (s.process_name or "").strip() == name]
        if not own and name:
            continue
        views.append(
            ProcessView(
                steps=own,
                total=process_total_in(((s.working_days, s.hours, s.counted) for s in own), unit),
                limit=limit,
                unit=unit,
                name=name,
                case_name=case_name,
                limit_text=text,
                agency_titles=titles,
            )
        )
    return views


def _alternative_ids(value: dict) -> list[int]:
    """Form ids of a component's alternatives (ListBlock raw items are {"value": id} or ids)."""
    ids = []
    for item in value.get("alternative_forms") or []:
        form_id = item.get("value") if isinstance(item, dict) else item
        if form_id:
            ids.append(int(form_id))
    return ids


def _dossier_raw(case) -> list[dict]:
    """The dossier components as stored: no page lookups for their form choosers."""
    return [item["value"] for item in case.dossier.raw_data if item.get("type") == "component"]


def procedure_public_context(
    procedure, at: datetime | None = None, private_paths: list[str] | None = None
) -> dict:
    """Everything the procedure page shows, in a constant number of queries."""
    channels = list(procedure.channels.all())
    cases = list(procedure.cases.all())
    steps = list(procedure.process_steps.all())
    links = list(procedure.forms_used.all())
    raw_cases = [(case, _dossier_raw(case)) for case in cases]
    ids = [link.form_page_id for link in links]
    ids += [value.get("form") for _case, raw in raw_cases for value in raw if value.get("form")]
    ids += [i for _case, raw in raw_cases for value in raw for i in _alternative_ids(value)]
    forms = forms_in_force(ids, at, private_paths)

    case_views = []
    for case, raw in raw_cases:
        view = CaseView(case)
        for value in raw:
            form_id = value.get("form")
            view.items.append(
                DossierItem(
                    name=value.get("name") or "",
                    originals=value.get("originals") or 0,
                    copies=value.get("copies") or 0,
                    note=value.get("note") or "",
                    form=forms.get(int(form_id)) if form_id else None,
                    alternatives=[forms[i] for i in _alternative_ids(value) if i in forms],
                )
            )
        case_views.append(view)

    notes = {link.form_page_id: link.note for link in links}
    form_list = [(forms[i], notes.get(i, "")) for i in dict.fromkeys(ids) if i in forms]
    processes = process_views(procedure, steps)
    return {
        "procedure_field": procedure.field,
        "channels": channels,
        "cases": case_views,
        "forms": form_list,
        "process": processes[0],
        "processes": processes,
    }


# Procedures whose page data a process keeps (an entry holds a few dozen rows).
PROCEDURE_DATA_KEPT = 300
_procedure_data = GenerationMemo(size=PROCEDURE_DATA_KEPT)


def procedure_page_context(procedure, request, private_paths: list[str] | None = None) -> dict:
    """`procedure_public_context` of the page as published, kept for the generation of its
    agency: everything it reads (the page's rows, the forms in force and their files) changes
    only with a publish, a version taking effect or a restriction in the agency, which all move
    it. Data linking another agency's form is kept for PROVINCE's generation too, and the
    request is marked so that the response cache keys the page the same way (themes.cache).
    A preview, or a page not live, is read afresh."""

    def build() -> dict:
        return procedure_public_context(procedure, private_paths=private_paths)

    if not procedure.live or getattr(request, "is_preview", False):
        return build()
    scope, agency_path = public_scope_and_root(procedure.path, request)

    def spans(data: dict) -> bool:
        return _spans_agencies(agency_path, data)

    data = _procedure_data.fetch(
        (procedure.pk, procedure.live_revision_id), build, request, scope=scope, spans=spans
    )
    if request is not None and (scope == PROVINCE or spans(data)):
        public_spans_mark(request)
    return data


def _spans_agencies(agency_path: str, data: dict) -> bool:
    """Whether the procedure page shows a form of another agency (the title, issue and file of
    its version in force). Another agency's step shows only that agency's title, which changes
    with its AgencyPage, and that moves every generation."""
    if not agency_path:
        return True
    forms = [item for item, _note in data["forms"]]
    forms += [
        form
        for case in data["cases"]
        for dossier in case.items
        for form in [dossier.form, *dossier.alternatives]
        if form is not None
    ]
    return any(not form.page.path.startswith(agency_path) for form in forms)


@dataclass(frozen=True)
class PublicDocument:
    page: Page
    version: object
    body: str


def agency_public_documents(agency, at: datetime | None = None) -> list[PublicDocument]:
    """The agency's quality policy and announcement decision, each in its version in force."""
    from .documents import ControlledDocumentPage
    from .versions import current_versions

    pages = list(
        ControlledDocumentPage.objects.descendant_of(agency)
        .live()
        .filter(kind__in=PUBLIC_DOCUMENT_KINDS)
        .order_by("kind", "title")
    )
    versions = current_versions([p.pk for p in pages], at, related=("file", "revision"))
    documents = []
    for page in pages:
        version = versions.get(page.pk)
        if version is None:
            continue
        content = version.revision.as_object()
        documents.append(PublicDocument(page=content, version=version, body=content.body))
    return documents


def agency_public_context(agency, at: datetime | None = None) -> dict:
    """The agency portal: procedures grouped by field, forms in force, public QMS items."""
    from .documents import FormDocumentPage
    from .indexes import FormIndexPage, ProcedureIndexPage
    from .procedures import ProcedurePage

    procedures = (
        ProcedurePage.objects.descendant_of(agency)
        .live()
        .public()
        .select_related("field")
        .order_by("field__name", "title")
    )
    by_field: dict[str, list] = defaultdict(list)
    for procedure in procedures:
        by_field[procedure.field.name if procedure.field else "Lĩnh vực khác"].append(procedure)
    form_ids = FormDocumentPage.objects.descendant_of(agency).values_list("pk", flat=True)
    forms = sorted(forms_in_force(list(form_ids), at).values(), key=lambda f: f.version.code)
    sections = {
        type(page): page
        for page in agency.get_children().live().public().specific()
        if isinstance(page, ProcedureIndexPage | FormIndexPage)
    }
    from .announcement import announcement_in_force

    announcement = announcement_in_force(agency, timezone.localtime(at).date() if at else None)
    return {
        "agency": agency,
        "announcement": announcement,
        "announcement_procedures": (
            list(announcement.procedures.live().public().order_by("title")) if announcement else []
        ),
        "procedures_by_field": sorted(by_field.items()),
        "procedure_count": sum(len(v) for v in by_field.values()),
        "forms": forms,
        "public_documents": agency_public_documents(agency, at),
        "procedure_index": sections.get(ProcedureIndexPage),
        "form_index": sections.get(FormIndexPage),
    }


def common_procedures(limit: int = 8) -> list[dict]:
    """Procedures offered by the most agencies (by name): what citizens most often look for."""
    from .procedures import ProcedurePage

    return list(
        ProcedurePage.objects.live()
        .public()
        .values("title")
        .annotate(agencies=Count("id"))
        .order_by("-agencies", "title")[:limit]
    )
