from django import forms

from content_types.agency import AgencyPage
from content_types.text import normalise_agency_code


class AgencyCreateForm(forms.ModelForm):
    class Meta:
        model = AgencyPage
        fields = ["title", "short_name", "agency_code", "level", "address", "phone", "email"]
        labels = {"title": "Tên cơ quan"}
        help_texts = {"title": "Tên đầy đủ, ví dụ Sở Tư pháp tỉnh Quảng Ninh."}

    def clean_agency_code(self) -> str:
        return normalise_agency_code(self.cleaned_data.get("agency_code", ""))

    def _get_validation_exclusions(self):
        # Tree fields are set by the service when the page is added under the portal.
        return {*super()._get_validation_exclusions(), "path", "depth", "url_path", "slug"}
