"""Editing forms for page types whose input needs normalising before validation."""

from django import forms

from wagtail.admin.forms import WagtailAdminPageForm

from .text import normalise_agency_code


class AgencyPageForm(WagtailAdminPageForm):
    def clean_agency_code(self) -> str:
        # Before the uniqueness check, so "stp" collides with an existing "STP".
        return normalise_agency_code(self.cleaned_data.get("agency_code", ""))


class ControlledItemForm(WagtailAdminPageForm):
    """Editing form of forms and controlled documents: the code is unique within the agency and
    the file comes from the agency's own collection."""

    file_field = "file"

    def _agency(self):
        from .agency import AgencyPage

        anchor = self.instance if self.instance.pk else self.parent_page
        return AgencyPage.objects.ancestor_of(anchor, inclusive=True).first()

    def clean_code(self) -> str:
        code = (self.cleaned_data.get("code") or "").strip()
        agency = self._agency()
        if agency is not None and code:
            clash = (
                type(self.instance)
                .objects.descendant_of(agency)
                .filter(code__iexact=code)
                .exclude(pk=self.instance.pk)
                .first()
            )
            if clash is not None:
                raise forms.ValidationError(
                    f"Mã hiệu «{code}» đã được dùng cho «{clash.title}» trong cơ quan này."
                )
        return code

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
