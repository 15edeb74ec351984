"""«Sao chép sang năm mới»: next year's objectives, maintenance plan and audit programme as
drafts copied from this year's (issue 17 §8), registered in workflows.workspace.year_copy.

Each copier copies the source year's *approved* content (the page's own rows, which are the live
version's) to a new draft page under the same quality-system section, never touching the source.
A copier refuses when the next year's record exists already; the action runs every registered
copier in one transaction, so one refusal leaves nothing half-copied.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.text import slugify

from content_types.agency import AgencyPage
from content_types.indexes import QualitySystemPage
from content_types.quality.maintenance import MaintenancePlanItem, MaintenancePlanPage
from content_types.quality.objectives import QualityObjectivesPage
from content_types.quality.programme import AuditProgrammePage

from ..workspace.year_copy import YearCopier, year_copier_register, year_copiers
from .policy import Right, quality_require


def _title_for(title: str, from_year: int, to_year: int) -> str:
    if str(from_year) in title:
        return title.replace(str(from_year), str(to_year))
    return f"{title} năm {to_year}"


def _copy_yearly_page(model, label: str, *, agency, from_year: int, to_year: int, user):
    """Copy `agency`'s approved `model` page of `from_year` to a draft of `to_year`."""
    pages = model.objects.descendant_of(agency)
    if pages.filter(year=to_year).exists():
        raise ValidationError(f"Đã có {label} năm {to_year}: không sao chép đè lên bản đã có.")
    source = pages.filter(year=from_year).live().first()
    if source is None:
        return None
    parent = source.get_parent()
    title = _title_for(source.title, from_year, to_year)
    slug = slugify(f"{source.slug}-{to_year}")[:250]
    if parent.get_children().filter(slug=slug).exists():
        slug = f"{slug}-{source.pk}"
    copy = source.copy(
        to=parent,
        update_attrs={"title": title, "slug": slug, "year": to_year},
        keep_live=False,
        copy_revisions=False,
        user=user,
        log_action="wagtail.copy",
    )
    return copy.specific


def copy_objectives(*, agency, from_year: int, to_year: int, user) -> str | None:
    copy = _copy_yearly_page(
        QualityObjectivesPage,
        "mục tiêu chất lượng",
        agency=agency,
        from_year=from_year,
        to_year=to_year,
        user=user,
    )
    return reverse("wagtailadmin_pages:edit", args=[copy.pk]) if copy else None


def copy_maintenance_plan(*, agency, from_year: int, to_year: int, user) -> str | None:
    copy = _copy_yearly_page(
        MaintenancePlanPage,
        "kế hoạch duy trì HTQLCL",
        agency=agency,
        from_year=from_year,
        to_year=to_year,
        user=user,
    )
    if copy is None:
        return None
    # Last year's records do not fulfil next year's activities.
    MaintenancePlanItem.objects.filter(page=copy).update(record=None)
    copy = MaintenancePlanPage.objects.get(pk=copy.pk)
    copy.save_revision(user=user, log_action=False)
    return reverse("wagtailadmin_pages:edit", args=[copy.pk])


def copy_audit_programme(*, agency, from_year: int, to_year: int, user) -> str | None:
    copy = _copy_yearly_page(
        AuditProgrammePage,
        "chương trình đánh giá nội bộ",
        agency=agency,
        from_year=from_year,
        to_year=to_year,
        user=user,
    )
    return reverse("wagtailadmin_pages:edit", args=[copy.pk]) if copy else None


year_copier_register(
    YearCopier("maintenance_plan", "Kế hoạch duy trì HTQLCL", 10, copy_maintenance_plan)
)
year_copier_register(YearCopier("objectives", "Mục tiêu chất lượng", 20, copy_objectives))
year_copier_register(
    YearCopier("audit_programme", "Chương trình đánh giá nội bộ", 30, copy_audit_programme)
)


def year_copy_can(*, agency: AgencyPage, user) -> bool:
    """The agency's editors: they may add pages to its quality-system section."""
    section = agency.get_children().type(QualitySystemPage).first()
    if section is None or not user.is_authenticated:
        return False
    try:
        quality_require(user, agency, Right.MANAGE)
    except PermissionDenied:
        return False
    return section.permissions_for_user(user).can_add_subpage()


def year_copy_run(*, agency: AgencyPage, from_year: int, user) -> list[tuple[str, str]]:
    """Run every registered copier from `from_year` to the next; [(label, draft URL)] copied.

    Refused as a whole (ValidationError with every reason) when one record of the next year
    exists already or nothing could be copied.
    """
    if not year_copy_can(agency=agency, user=user):
        raise PermissionDenied
    to_year = from_year + 1
    copied: list[tuple[str, str]] = []
    errors: list[str] = []
    with transaction.atomic():
        for copier in year_copiers():
            try:
                with transaction.atomic():
                    url = copier.copy(
                        agency=agency, from_year=from_year, to_year=to_year, user=user
                    )
            except ValidationError as error:
                errors.extend(error.messages)
                continue
            if url:
                copied.append((copier.label, url))
        if errors:
            transaction.set_rollback(True)
            raise ValidationError(errors)
        if not copied:
            raise ValidationError(
                f"Năm {from_year} chưa có hồ sơ nào được phê duyệt để sao chép sang năm {to_year}."
            )
    return copied
