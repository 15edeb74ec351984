"""Editing forms for page types whose input needs normalising before validation."""

from wagtail.admin.forms import WagtailAdminPageForm

from .text import normalise_agency_code


class AgencyPageForm(WagtailAdminPageForm):
    def clean_agency_code(self) -> str:
        # Before the uniqueness check, so "stp" collides with an existing "STP".
        return normalise_agency_code(self.cleaned_data.get("agency_code", ""))
