"""Editing forms for page types whose input needs normalising before validation."""

from django import forms

from wagtail.admin.forms import WagtailAdminPageForm

from .text import normalise_agency_code


class AgencyPageForm(WagtailAdminPageForm):
    def clean_agency_code(self) -> str:
        # Before the uniqueness check, so "stp" collides with an existing "STP".
        return normalise_agency_code(self.cleaned_data.get("agency_code", ""))


class AgencyPageFormMixin:
    """For editing forms of pages inside an agency: the agency, and codes unique within it."""

    def _agency(self):
        from .agency import AgencyPage

        anchor = self.instance if self.instance.pk else self.parent_page
        return AgencyPage.objects.ancestor_of(anchor, inclusive=True).first()

    def _unique_in_agency(self, field: str, label: str) -> str:
        """The field's value, trimmed; refused when another page of this type in the agency
        already has it (case aside)."""
        value = (self.cleaned_data.get(field) or "").strip()
        agency = self._agency()
        if agency is not None and value:
            clash = (
                type(self.instance)
                .objects.descendant_of(agency)
                .filter(**{f"{field}__iexact": value})
                .exclude(pk=self.instance.pk)
                .first()
            )
            if clash is not None:
                raise forms.ValidationError(
                    f"{label} «{value}» đã được dùng cho «{clash.title}» trong cơ quan này."
                )
        return value


class ControlledItemForm(AgencyPageFormMixin, WagtailAdminPageForm):
    """Editing form of forms and controlled documents: the code is unique within the agency and
    the file comes from the agency's own collection."""

    file_field = "file"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "audience" in self.fields:
            # Posted without it (a script, an older page), a form stays for citizens.
            self.fields["audience"].required = False

    def clean_code(self) -> str:
        return self._unique_in_agency("code", "Mã hiệu")

    def clean_audience(self) -> str:
        return self.cleaned_data.get("audience") or self.instance.audience or "citizens"

    def clean(self):
        cleaned = super().clean()
        document = cleaned.get(self.file_field)
        agency = self._agency()
        if (
            document is not None
            and agency is not None
            and agency.collection_id
            and document.collection_id != agency.collection_id
        ):
            self.add_error(
                self.file_field,
                f"Tệp phải nằm trong thư mục tài liệu của cơ quan «{agency.collection.name}».",
            )
        return cleaned


class ControlledDocumentForm(ControlledItemForm):
    file_field = "attachment"
