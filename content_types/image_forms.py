"""The Wagtail image form with its upload refusals in Vietnamese.

Installed by `WAGTAILIMAGES_IMAGE_FORM_BASE`. Wagtail 8.0.1's Vietnamese catalogue leaves the
image field's own messages in English; the texts keep Wagtail's placeholders.
"""

from wagtail.images.forms import BaseImageForm

IMAGE_ERRORS = {
    "invalid_image_extension": "Không nhận định dạng ảnh này; chỉ nhận ảnh {formats}.",
    "invalid_image_known_format": (
        "Tệp không phải ảnh .%(extension)s: đuôi tệp không khớp định dạng thật (%(image_format)s)."
    ),
    "invalid_image": "Tệp tải lên không phải là ảnh, hoặc ảnh bị hỏng.",
    "file_too_large": "Tệp quá lớn (%(file_size)s); tối đa %(max_filesize)s.",
    "file_too_many_pixels": (
        "Ảnh có quá nhiều điểm ảnh (%(num_pixels)s); tối đa %(max_pixels_count)s."
    ),
    "file_too_large_unknown_size": "Tệp quá lớn; tối đa {max_filesize}.",
    "required": "Hãy chọn một tệp ảnh.",
    "empty": "Tệp tải lên rỗng (0 byte).",
}


class VietnameseImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")  # absent from the multiple uploader's edit form
        if field is None:
            return
        formats = getattr(field, "supported_formats_text", "")
        max_size = getattr(field, "max_upload_size_text", "")
        for code, text in IMAGE_ERRORS.items():
            field.error_messages[code] = text.format(formats=formats, max_filesize=max_size)
        if formats:
            field.help_text = f"Nhận ảnh {formats}" + (f"; tối đa {max_size}." if max_size else ".")
