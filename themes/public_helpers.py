"""What the public site's templates (themes/jinja2/) call: the page chrome (portal, agency,
theme), the download block of a form in force, and small Vietnamese formats."""

from __future__ import annotations

from decimal import Decimal

from django.template.defaultfilters import date
from django.utils.html import format_html
from django.utils.safestring import SafeString

from wagtail.models import Page, Site

from content_types.agency import DEFAULT_ACCENT_COLOUR, DEFAULT_THEME_COLOUR
from content_types.procedure_forms import format_days
from content_types.public_generation import GenerationMemo, public_scope

from .skeleton import site_skeleton


def public_chrome(request, page=None) -> dict:
    """What the header, breadcrumbs and footer need; no query once the skeleton is cached.
    Computed once per request: the base template and the page's own blocks both ask."""
    memo = request.__dict__.setdefault("_iso_chrome", {}) if request is not None else {}
    key = page.pk if isinstance(page, Page) else None
    if key not in memo:
        memo[key] = _chrome(request, page if isinstance(page, Page) else None)
    return memo[key]


def _chrome(request, page: Page | None) -> dict:
    skeleton = site_skeleton(request)
    agency = skeleton.agency_for(page)
    site = Site.find_for_request(request) if request is not None else None
    on_agency_site = bool(site and agency and site.root_page_id == agency.pk)
    portal = skeleton.portal
    portal_url = portal.get_url(request) if portal else "/"
    crumbs = []
    if page is not None:
        for ancestor in skeleton.ancestors(page):
            if on_agency_site and ancestor.depth < agency.depth:
                continue
            crumbs.append((ancestor, ancestor.get_url(request)))
    agency_url = agency.get_url(request) if agency else None
    return {
        "portal": portal,
        "portal_url": portal_url,
        "agency": agency,
        "agency_url": agency_url,
        "on_agency_site": on_agency_site,
        "home_url": agency_url if on_agency_site else portal_url,
        "theme_colour": agency.theme_colour if agency else DEFAULT_THEME_COLOUR,
        "accent_colour": agency.accent_colour if agency else DEFAULT_ACCENT_COLOUR,
        "crumbs": crumbs,
    }


# A form's download block appears on its agency's portal, its form index and every procedure
# using it, twice on a procedure page: built once per generation of the form's agency and site,
# not once per page.
DOWNLOADS_KEPT = 5000
_downloads = GenerationMemo(size=DOWNLOADS_KEPT)


def form_download(request, item) -> SafeString:
    """The download block of a form in force (content_types.public.FormInForce): its file with
    type and size, its page, its issue and effective date. Its page link is relative on the
    site the visitor is on and absolute on any other, hence kept per site."""

    def build() -> SafeString:
        return _form_download_html(item, item.page.get_url(request=request))

    site = Site.find_for_request(request) if request is not None else None
    key = (item.page.pk, item.version.pk, site.pk if site else None)
    return _downloads.fetch(key, build, request, scope=public_scope(item.page.path, request))


def _form_download_html(item, page_url: str) -> SafeString:
    version = item.version
    download = ""
    if item.file:
        size = f", {vi_filesize(item.file_size)}" if item.file_size else ""
        download = format_html(
            # The form's name is the link beside it; the button says what the file is, on one
            # line even on a phone, and names the form for screen readers.
            '<a class="button download" href="{}" data-form-code="{}" data-issue="{}">'
            '<span aria-hidden="true" class="icon">⬇</span> Tải về'
            '<span class="visually-hidden"> {}</span>'
            '<span class="file-meta"> ({}{})</span></a>',
            item.file_url,
            version.code,
            version.issue_label,
            version.title,
            item.file_type,
            size,
        )
    return format_html(
        '<div class="form-download">{}<a class="form-info" href="{}">{}</a> '
        '<span class="version-note">Lần ban hành {}, hiệu lực từ {}</span></div>',
        download,
        page_url,
        version.title,
        version.issue_label,
        date(version.effective_from, "d/m/Y"),
    )


def days(value) -> str:
    """0.50 → "0,5" (a Vietnamese decimal comma)."""
    if value in (None, ""):
        return ""
    return format_days(Decimal(value))


def percent_of(part, whole) -> str:
    """Width of a timeline segment, as a CSS percentage with a dot."""
    try:
        if not whole or part is None:
            return "0"
        return f"{min(Decimal(100), Decimal(part) * 100 / Decimal(whole)):.2f}"
    except (ArithmeticError, TypeError, ValueError):
        return "0"


def vi_filesize(size) -> str:
    """1536 → "1,5 KB"; Django's filesizeformat with the decimal comma."""
    if size in (None, ""):
        return ""
    size = int(size)
    if size < 1024:
        return f"{size} byte"
    for unit in ("KB", "MB", "GB"):
        size /= 1024
        if size < 1024 or unit == "GB":
            return f"{size:.1f} {unit}".replace(".", ",").replace(",0 ", " ")
    return ""
