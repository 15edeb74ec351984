"""A form's audience decides who may open it: internal forms are private to the agency.

An internal form gets the same view restriction as the agency's quality-system section (its own
groups, the province administrators, the internal auditors), so every public surface that already
honours Wagtail's restrictions — page serving, search, the API, the sitemap, procedure pages —
leaves it out; a form turned back to citizens loses it. Applied when a version is published: the
live row is what the public sees.
"""

from __future__ import annotations

from wagtail.models import PageViewRestriction

from content_types.agency import AgencyPage
from content_types.documents import FormAudience, FormDocumentPage

from .provisioning import province_groups


def form_audience_apply(*, form: FormDocumentPage) -> None:
    restriction = PageViewRestriction.objects.filter(page=form).first()
    if form.audience != FormAudience.INTERNAL:
        if restriction is not None:
            restriction.delete()
        return
    agency = AgencyPage.objects.ancestor_of(form).first()
    own = [link.group for link in agency.role_groups.select_related("group")] if agency else []
    groups = [*own, *province_groups().values()]
    if restriction is None:
        restriction = PageViewRestriction.objects.create(
            page=form, restriction_type=PageViewRestriction.GROUPS
        )
    elif restriction.restriction_type != PageViewRestriction.GROUPS:
        restriction.restriction_type = PageViewRestriction.GROUPS
        restriction.save(update_fields=["restriction_type"])
    restriction.groups.set(groups)
