"""Editing forms for page types whose input needs normalising before validation."""

from django import forms
from django.utils import timezone
from django.utils.functional import cached_property

from wagtail.admin.forms import WagtailAdminPageForm

from .content_compare import html_normalised
from .text import code_key, normalise_agency_code

EFFECTIVE_DATE_LABEL = "Ngày hiệu lực"
EFFECTIVE_DATE_HELP = (
    "Để trống: lần ban hành này có hiệu lực ngay khi lãnh đạo phê duyệt. Chọn ngày giờ trong "
    "tương lai: được phê duyệt trước và tự có hiệu lực vào đúng thời điểm đó; lần ban hành "
    "trước hết hiệu lực cùng lúc."
)
SUMMARY_REQUIRED = (
    "Hãy ghi «Tóm tắt thay đổi» (lý do và nội dung sửa đổi) của lần ban hành này trước khi "
    "trình duyệt."
)
# The buttons of Wagtail's editor that send the content for approval.
SUBMIT_ACTIONS = ("action-submit", "action-restart-workflow")


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

    def _unique_in_agency(self, field: str, label: str, *, separators_matter: bool = True) -> str:
        """The field's value, trimmed; refused when another page of this type in the agency
        already has it, case aside, and separators aside unless `separators_matter`
        ("BM 6A QT 9D79" is "BM.6A-QT.9D79", as search already treats them)."""
        value = (self.cleaned_data.get(field) or "").strip()
        agency = self._agency()
        if agency is not None and value:
            key = value.casefold() if separators_matter else code_key(value) or value.casefold()

            def key_of(other: str) -> str:
                return (
                    other.casefold() if separators_matter else code_key(other) or other.casefold()
                )

            others = (
                type(self.instance)
                .objects.descendant_of(agency)
                .exclude(pk=self.instance.pk)
                .only("pk", "title", field)
            )
            clash = next((p for p in others if key_of(getattr(p, field)) == key), None)
            if clash is not None:
                raise forms.ValidationError(
                    f"{label} «{value}» đã được dùng cho «{clash.title}» trong cơ quan này."
                )
        return value


class ContentChangesFormMixin:
    """`changed_data` without the rich text Draftail merely re-serialised.

    Wagtail's editor saves a new revision before a workflow action only when the form changed;
    re-serialised rich text made every approval from the editor look like an edit.
    """

    @cached_property
    def changed_data(self):
        changed = super().changed_data
        return [name for name in changed if not self._same_rich_text(name)]

    def _same_rich_text(self, name: str) -> bool:
        from wagtail.admin.rich_text import DraftailRichTextArea

        field = self.fields.get(name)
        if field is None or not isinstance(field.widget, DraftailRichTextArea):
            return False
        bound = self[name]
        return html_normalised(bound.initial) == html_normalised(bound.data)


class ControlledItemForm(ContentChangesFormMixin, AgencyPageFormMixin, WagtailAdminPageForm):
    """Editing form of forms and controlled documents: the code is unique within the agency and
    the file comes from the agency's own collection; the effective date is written here, with
    the version; every version starts with an empty change summary and needs one to be
    submitted."""

    file_field = "file"

    effective_at = forms.DateTimeField(
        label=EFFECTIVE_DATE_LABEL,
        required=False,
        help_text=EFFECTIVE_DATE_HELP,
        error_messages={"invalid": "Ngày hiệu lực không hợp lệ: ghi ngày và giờ."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from wagtail.admin.widgets import AdminDateTimeInput

        self.fields["effective_at"].widget = AdminDateTimeInput()
        # A form prescribed by law may have no code: one is generated, the agency may change it.
        if getattr(self.instance, "generates_code", False) and "code" in self.fields:
            self.fields["code"].required = False
        if "audience" in self.fields:
            # Posted without it (a script, an older page), a form stays for citizens.
            self.fields["audience"].required = False
        # Kept in step with Wagtail's go-live time; one already past (the previous version's)
        # is no date for the next one.
        when = self.instance.go_live_at
        self.initial["effective_at"] = when if when and when > timezone.now() else None
        if "change_summary" in self.fields and self._summary_is_previous_versions():
            self.initial["change_summary"] = ""

    def _summary_is_previous_versions(self) -> bool:
        from .versions import DocumentVersion

        summary = (self.initial.get("change_summary") or "").strip()
        if not self.instance.pk or not summary:
            return False
        last = (
            DocumentVersion.objects.filter(page_id=self.instance.pk)
            .order_by("-issue_number")
            .values_list("change_summary", "effective_from")
            .first()
        )
        if last is None or last[1] > timezone.now():
            return False  # a version still waiting to take effect shows its own summary
        return last[0].strip() == summary

    def _submitting(self) -> bool:
        return any(self.data.get(action) for action in SUBMIT_ACTIONS)

    def clean_code(self) -> str:
        if not (self.cleaned_data.get("code") or "").strip() and "code" in self.fields:
            from .form_codes import form_code_generate

            agency = self._agency()
            taken = set()
            if agency is not None:
                codes = (
                    type(self.instance).objects.descendant_of(agency).exclude(pk=self.instance.pk)
                )
                taken = {code.upper() for code in codes.values_list("code", flat=True)}
            self.cleaned_data["code"] = form_code_generate(
                legal_basis=self.data.get(self.add_prefix("legal_basis"), ""), taken=taken
            )
        return self._unique_in_agency("code", "Mã hiệu", separators_matter=False)

    def clean_change_summary(self) -> str:
        summary = (self.cleaned_data.get("change_summary") or "").strip()
        if not summary and self._submitting():
            raise forms.ValidationError(SUMMARY_REQUIRED)
        return summary

    def clean_effective_at(self):
        when = self.cleaned_data.get("effective_at")
        if when is not None and when <= timezone.now() and "effective_at" in self.changed_data:
            raise forms.ValidationError(
                "Ngày hiệu lực đã qua. Chọn một thời điểm trong tương lai, hoặc để trống để "
                "có hiệu lực ngay khi được phê duyệt."
            )
        return when

    def _post_clean(self):
        super()._post_clean()
        # The effective date is Wagtail's go-live time: approval schedules the revision for it.
        if "effective_at" in self.cleaned_data:
            self.instance.go_live_at = self.cleaned_data["effective_at"]

    def clean_review_interval_months(self) -> int:
        # Posted without it (an older page, a script): the default year.
        value = self.cleaned_data.get("review_interval_months")
        return 12 if value is None else value

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
