"""Obsolete PDFs are stamped "HẾT HIỆU LỰC" with the date they were superseded, on every page."""

import datetime
import io

import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A3, A4, A5, landscape
from reportlab.pdfgen import canvas

from workflows.stamping import STAMP_TEXT, StampError, pdf_stamp_obsolete

SUPERSEDED_ON = datetime.date(2025, 3, 7)
PAGES = [  # (page size, /Rotate, text on the page)
    (A4, 0, "Quy trinh tiep nhan ho so trang 1"),
    (landscape(A3), 0, "Bang theo doi trang 2"),
    (A5, 90, "Bieu mau xoay trang 3"),
]


def _source_pdf() -> bytes:
    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer)
    for size, _rotation, text in PAGES:
        drawing.setPageSize(size)
        drawing.setFont("Helvetica", 14)
        drawing.drawString(72, size[1] / 2, text)
        drawing.showPage()
    drawing.save()
    reader = PdfReader(io.BytesIO(buffer.getvalue()))
    writer = PdfWriter(clone_from=reader)
    for page, (_size, rotation, _text) in zip(writer.pages, PAGES, strict=True):
        if rotation:
            page.rotate(rotation)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


@pytest.fixture(scope="module")
def stamped() -> PdfReader:
    return PdfReader(io.BytesIO(pdf_stamp_obsolete(_source_pdf(), superseded_on=SUPERSEDED_ON)))


def test_page_count_unchanged(stamped):
    assert len(stamped.pages) == len(PAGES)


@pytest.mark.parametrize("number", range(len(PAGES)))
def test_every_page_carries_the_stamp_and_date(stamped, number):
    text = stamped.pages[number].extract_text()
    assert STAMP_TEXT == "HẾT HIỆU LỰC"
    assert "HẾT HIỆU LỰC" in text
    assert "Thay thế từ ngày 07/03/2025" in text


@pytest.mark.parametrize("number", range(len(PAGES)))
def test_original_text_and_page_shape_kept(stamped, number):
    size, rotation, original = PAGES[number]
    page = stamped.pages[number]
    assert original in page.extract_text()
    # As displayed: a rotated page keeps its on-screen orientation.
    shown = (float(page.mediabox.width), float(page.mediabox.height))
    if page.rotation % 180:
        shown = shown[::-1]
    expected = size[::-1] if rotation % 180 else size
    assert shown == pytest.approx(expected)


def test_stamp_is_within_the_visible_area(stamped):
    for page in stamped.pages:
        box = page.cropbox
        positions = []

        def visit(text, _cm, tm, _font, _size, found=positions):
            if "HẾT" in text:
                found.append((tm[4], tm[5]))

        page.extract_text(visitor_text=visit)
        assert positions, "stamp text not found"
        x, y = positions[0]
        assert float(box.left) <= x <= float(box.right)
        assert float(box.bottom) <= y <= float(box.top)


@pytest.mark.parametrize(
    "content",
    [b"", b"<html>not a pdf</html>", b"%PDF-1.4\n" + bytes(200), b"%PDF-1.7\n1 0 obj <<"],
    ids=["empty", "html", "zeros", "truncated"],
)
def test_unreadable_pdf_raises_stamp_error(content):
    with pytest.raises(StampError, match="Không đọc được tệp PDF"):
        pdf_stamp_obsolete(content, superseded_on=SUPERSEDED_ON)


def test_encrypted_pdf_raises_stamp_error():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_source_pdf())))
    writer.encrypt(user_password="mat-khau", algorithm="RC4-128")
    output = io.BytesIO()
    writer.write(output)
    with pytest.raises(StampError, match="mã hóa"):
        pdf_stamp_obsolete(output.getvalue(), superseded_on=SUPERSEDED_ON)
