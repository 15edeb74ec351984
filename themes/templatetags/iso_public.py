"""Template tags of the public site: the page chrome (portal, agency, theme) and small formats."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.template.defaultfilters import date
from django.utils.html import format_html

from wagtail.models import Page, Site
from wagtail.templatetags.wagtailcore_tags import pageurl

from content_types.agency import DEFAULT_ACCENT_COLOUR, DEFAULT_THEME_COLOUR
from content_types.procedure_forms import format_days

from ..skeleton import site_skeleton

register = template.Library()


@register.simple_tag(takes_context=True)
def public_chrome(context) -> dict:
    """What the header, breadcrumbs and footer need; no query once the skeleton is cached."""
    request = context.get("request")
    page = context.get("page") or context.get("self")
    skeleton = site_skeleton(request)
    agency = skeleton.agency_for(page) if isinstance(page, Page) else None
    site = Site.find_for_request(request) if request is not None else None
    on_agency_site = bool(site and agency and site.root_page_id == agency.pk)
    portal = skeleton.portal
    portal_url = portal.get_url(request) if portal else "/"
    crumbs = []
    if isinstance(page, Page):
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


@register.simple_tag(takes_context=True)
def form_download(context, item) -> str:
    """The download block of a form in force (content_types.public.FormInForce): its file with
    type and size, its page, its issue and effective date. Built here rather than in an included
    template, which cost a third of a procedure page's render at ten forms; rendered once per
    request, as a procedure page offers each form twice (its dossier component, its form list)."""
    request = context.get("request")
    memo = request.__dict__.setdefault("_iso_form_downloads", {}) if request is not None else {}
    key = (item.page.pk, item.version.pk)
    if key not in memo:
        memo[key] = _form_download_html(item, pageurl(context, item.page))
    return memo[key]


def _form_download_html(item, page_url: str) -> str:
    version = item.version
    download = ""
    if item.file:
        size = f", {vi_filesize(item.file_size)}" if item.file_size else ""
        download = format_html(
            '<a class="button download" href="{}" data-form-code="{}" data-issue="{}">'
            '<span aria-hidden="true" class="icon">⬇</span> Tải mẫu {}'
            '<span class="file-meta"> ({}{})</span></a>',
            item.file_url,
            version.code,
            version.issue_label,
            version.code,
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


@register.filter
def days(value) -> str:
    """0.50 → "0,5" (a Vietnamese decimal comma)."""
    if value in (None, ""):
        return ""
    return format_days(Decimal(value))


@register.filter
def percent_of(part, whole) -> str:
    """Width of a timeline segment, as a CSS percentage with a dot."""
    try:
        if not whole or part is None:
            return "0"
        return f"{min(Decimal(100), Decimal(part) * 100 / Decimal(whole)):.2f}"
    except (ArithmeticError, TypeError, ValueError):
        return "0"


@register.filter
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
