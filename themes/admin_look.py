"""What the admin shows the agencies' staff, trimmed to what they use (issue 13).

Applied once from ThemesConfig.ready(), after every model is loaded and before any edit handler
is built (Wagtail builds and caches them on first use).
"""

from __future__ import annotations

import unicodedata

from django.core.validators import RegexValidator
from django.utils.text import slugify as django_slugify

from content_types.text import fold_vietnamese

# Wagtail's browser-side transliteration knows neither "đ" (it makes "dj", Serbian) nor most
# Vietnamese vowels ("nội bộ" became "ni-b"), and Django's ASCII slugify drops "đ" (it has no
# Unicode decomposition). Both must give "quy-trinh-danh-gia-noi-bo": the slug field first
# replaces each Vietnamese letter with its base letter.
_VIETNAMESE_VOWELS = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"


def _slug_formatters() -> list[tuple[str, str]]:
    groups: dict[str, str] = {}
    for letter in _VIETNAMESE_VOWELS + _VIETNAMESE_VOWELS.upper():
        base = unicodedata.normalize("NFD", letter)[0]
        groups[base] = groups.get(base, "") + letter
    return [("đ", "d"), ("Đ", "D")] + [(f"[{letters}]", base) for base, letters in groups.items()]


SLUG_FORMATTERS = _slug_formatters()
ASCII_SLUG = RegexValidator(
    r"^[-a-zA-Z0-9_]+\Z",
    "Đường dẫn chỉ gồm chữ không dấu, chữ số và dấu gạch ngang (ví dụ quy-trinh-danh-gia).",
    code="invalid",
)


def ascii_slugify(value, allow_unicode: bool = False) -> str:
    if allow_unicode:
        return django_slugify(value, allow_unicode=True)
    return django_slugify(fold_vietnamese(str(value)))


def admin_look_apply() -> None:
    from wagtail.admin.panels import FieldPanel
    from wagtail.admin.widgets.slug import SlugInput
    from wagtail.documents.models import Document
    from wagtail.models import Page
    from wagtail.models import pages as wagtail_pages

    # Server side: the slug Wagtail makes from the title when none is given, and a typed one
    # (Wagtail checks WAGTAIL_ALLOW_UNICODE_SLUGS only in the browser).
    wagtail_pages.slugify = ascii_slugify
    slug_field = Page._meta.get_field("slug")
    if ASCII_SLUG not in slug_field.validators:
        slug_field.validators.append(ASCII_SLUG)
    # The "Promote" tab keeps the address only: no search-engine title or description, no
    # "show in menus" (the public menus are built from the agency tree). Changed in place, as
    # every page model (and ProcedurePage's explicit tabs) holds this very list.
    Page.promote_panels[:] = [
        FieldPanel(
            "slug",
            widget=SlugInput(formatters=SLUG_FORMATTERS),
            help_text="Phần cuối địa chỉ trang, chỉ chữ không dấu, số và dấu gạch ngang.",
        )
    ]
    # Documents are found by agency collection and title; tags are never used.
    Document.admin_form_fields = ("title", "file", "collection")
    # Wagtail's page search names no model, and its results header read "1-1 trong 1 None"
    # (the header prints the view's verbose name, which that view leaves unset).
    from wagtail.admin.views.pages.search import SearchView

    SearchView.verbose_name = "trang"
    SearchView.verbose_name_plural = "trang"
