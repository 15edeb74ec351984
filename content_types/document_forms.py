"""The Wagtail document form with the upload rule (content_types.uploads).

Installed by `WAGTAILDOCS_DOCUMENT_FORM_BASE`, so the add view, the multiple-upload view, the edit
view (replacing the file) and the chooser's upload form all refuse a bad file before it is stored.
"""

import unicodedata

from django.core.exceptions import ValidationError

from wagtail.documents.fields import WagtailDocumentField
from wagtail.documents.forms import BaseDocumentForm

from content_types.uploads import ALLOWED_EXTENSIONS, MAX_UPLOAD_BYTES, megabytes_text, upload_check


class ControlledDocumentField(WagtailDocumentField):
    """Wagtail's document file field whose every refusal comes from `upload_check`.

    Django refuses an empty file and Wagtail an oversized one before any form hook runs, each in
    its own (English) words; here both are left to the upload rule, which says why in Vietnamese.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.allow_empty_file = True  # refused by upload_check, with its reason
        limit = megabytes_text(MAX_UPLOAD_BYTES)
        allowed = ", ".join(f".{ext}" for ext in ALLOWED_EXTENSIONS)
        self.help_text = f"Nhận tệp {allowed}; tối đa {limit}."
        # Shown by the multiple uploader's in-browser size check.
        self.error_messages["file_too_large_unknown_size"] = f"Tệp vượt giới hạn {limit}."

    def check_document_file_size(self, f) -> None:
        """Size is one of the upload rules: checked in `validate`."""

    def validate(self, value) -> None:
        super().validate(value)
        if value:
            upload_check(value)


class ControlledDocumentForm(BaseDocumentForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        wagtail_field = self.fields.get("file")  # absent from the multiple uploader's edit form
        if wagtail_field is not None:
            self.fields["file"] = ControlledDocumentField(
                label=wagtail_field.label,
                required=wagtail_field.required,
                max_length=wagtail_field.max_length,
                widget=wagtail_field.widget,
            )

    def clean_title(self) -> str:
        title = self.cleaned_data.get("title", "")
        if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in title):
            raise ValidationError(
                "Tiêu đề chứa ký tự điều khiển hoặc ký tự ẩn (như ký tự đảo chiều viết); hãy gõ "
                "lại tiêu đề."
            )
        return title

    def _post_clean(self):
        refused = len(self._errors.get("file", ()))
        super()._post_clean()
        if refused:
            # Document.clean() then checks the extension of the instance's file, which a refused
            # upload never replaced, and adds a second, misleading error: keep the first reason.
            del self._errors["file"][refused:]
