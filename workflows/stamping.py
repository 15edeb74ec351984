"""The "HẾT HIỆU LỰC" stamp on obsolete PDFs (DESIGN §6: staff opening one see that it is obsolete).

`pdf_stamp_obsolete` draws the stamp with reportlab, once per distinct page shape, and merges it
onto every page with pypdf, whatever the page's size, origin or rotation.
"""

import datetime
import io
from functools import cache

from django.conf import settings

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.errors import PdfReadError
from reportlab.lib.colors import Color
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

DEFAULT_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
STAMP_TEXT = "HẾT HIỆU LỰC"
_RED = Color(0.8, 0.05, 0.05)


class StampError(Exception):
    """The PDF cannot be stamped (encrypted, corrupt or not a PDF); the message is for staff."""


def pdf_stamp_obsolete(pdf: bytes, *, superseded_on: datetime.date) -> bytes:
    """`pdf` with a red "HẾT HIỆU LỰC" stamp and the date it was superseded on every page."""
    reader = _read(pdf)
    date_line = f"Thay thế từ ngày {superseded_on:%d/%m/%Y}"
    writer = PdfWriter(clone_from=reader)
    stamps: dict[tuple[float, float], PageObject] = {}
    for page in writer.pages:
        # Draw in the page's upright frame: rotate the page's own content upright first, so the
        # stamp reads horizontally however the viewer shows the page.
        if page.rotation:
            page.transfer_rotation_to_content()
        box = page.cropbox  # the visible area
        size = (float(box.width), float(box.height))
        if size not in stamps:
            stamps[size] = PdfReader(io.BytesIO(_stamp_page(size, date_line))).pages[0]
        page.merge_transformed_page(
            stamps[size], Transformation().translate(float(box.left), float(box.bottom))
        )
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _read(pdf: bytes) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(pdf))
        if reader.is_encrypted:
            raise StampError("Tệp PDF được mã hóa nên không thể đóng dấu “HẾT HIỆU LỰC”.")
        if len(reader.pages) == 0:
            raise StampError("Tệp PDF không có trang nào để đóng dấu “HẾT HIỆU LỰC”.")
    except StampError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise StampError(
            "Không đọc được tệp PDF (tệp hỏng hoặc không phải PDF) nên không thể đóng dấu "
            "“HẾT HIỆU LỰC”."
        ) from error
    return reader


def _stamp_page(size: tuple[float, float], date_line: str) -> bytes:
    """A one-page PDF of `size` points with the stamp framed near the top, centred."""
    width, height = size
    font = _font_name()
    title_size = max(10.0, min(width, height) / 14)
    date_size = title_size * 0.45
    padding = title_size * 0.4
    box_width = (
        max(
            pdfmetrics.stringWidth(STAMP_TEXT, font, title_size),
            pdfmetrics.stringWidth(date_line, font, date_size),
        )
        + 2 * padding
    )
    box_height = title_size + date_size + 3 * padding
    left = (width - box_width) / 2
    bottom = height - box_height - min(width, height) * 0.06

    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer, pagesize=size)
    drawing.setStrokeColor(_RED)
    drawing.setFillColor(_RED)
    drawing.setLineWidth(max(1.5, title_size / 12))
    drawing.setFillAlpha(0.08)
    drawing.rect(left, bottom, box_width, box_height, stroke=1, fill=1)
    drawing.setFillAlpha(1)
    drawing.setFont(font, title_size)
    drawing.drawCentredString(width / 2, bottom + 2 * padding + date_size, STAMP_TEXT)
    drawing.setFont(font, date_size)
    drawing.drawCentredString(width / 2, bottom + padding, date_line)
    drawing.showPage()
    drawing.save()
    return buffer.getvalue()


@cache
def _registered_font(path: str) -> str:
    name = f"IsoStamp{_registered_font.cache_info().currsize}"
    pdfmetrics.registerFont(TTFont(name, path))
    return name


def _font_name() -> str:
    return _registered_font(getattr(settings, "ISO_STAMP_FONT", None) or DEFAULT_FONT)
