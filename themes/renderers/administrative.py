"""The layout Vietnamese agencies print (Nghị định 30/2020/NĐ-CP), shared by every printed QMS
record (audit report, yearly report, province summary): the governing body and the agency top
left with the number, the national motto top right with place and date, the kind and title of
the document, its body (headings, paragraphs, tables), then «Nơi nhận» and the signature block.

A record describes itself as an `AdministrativeDocument` of blocks under a `Letterhead` (built
from the agency by `letterhead_of`); the DOCX and PDF renderers here lay it out the same way."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from io import BytesIO
from pathlib import Path

from django.conf import settings

from content_types.portal import PortalHomePage

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_SUB = "Độc lập - Tự do - Hạnh phúc"


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Text:
    text: str  # several lines: one paragraph each


@dataclass(frozen=True)
class Grid:
    rows: list[list[str]]  # the first row is the header
    widths_cm: list[float] | None = None  # PDF column widths; even when None


Block = Heading | Text | Grid


@dataclass(frozen=True)
class Letterhead:
    """The top of every printed record: who issues it, its number, place and date."""

    governing_body: str  # cơ quan chủ quản, e.g. "UBND TỈNH QUẢNG NINH"
    agency_name: str
    number: str
    place: str
    issued_on: date


def letterhead_of(agency, *, number: str, place: str, issued_on: date) -> Letterhead:
    """An agency's letterhead: the province's people's committee above the agency's name."""
    home = PortalHomePage.objects.ancestor_of(agency).first()
    province = home.province_name if home else ""
    return Letterhead(
        governing_body=f"UBND {province}".strip(),
        agency_name=agency.title,
        number=number,
        place=place,
        issued_on=issued_on,
    )


@dataclass(frozen=True)
class AdministrativeDocument:
    letterhead: Letterhead
    kind: str  # "BÁO CÁO", "QUYẾT ĐỊNH"
    title: str
    blocks: list[Block] = field(default_factory=list)
    recipients: str = ""
    signer_title: str = ""
    signer_name: str = ""
    draft: bool = False
    landscape: bool = False  # wide tables (the province summary)
    # Minutes are signed by two (secretary, chair): then both sign side by side and «Nơi nhận»
    # follows below; otherwise the one signer is signer_title / signer_name.
    co_signers: tuple[tuple[str, str], ...] = ()

    @property
    def signers(self) -> tuple[tuple[str, str], ...]:
        return self.co_signers or ((self.signer_title, self.signer_name),)


def date_line(place: str, day: date) -> str:
    return f"{place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def administrative_docx(doc: AdministrativeDocument) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    if doc.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_height, section.page_width = Cm(21), Cm(29.7)
    else:
        section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    section.top_margin = section.bottom_margin = Cm(2)
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)

    def cell_text(cell, lines: list[tuple[str, bool, bool]]) -> None:
        cell.paragraphs[0].text = ""
        for index, (text, bold, italic) in enumerate(lines):
            paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = paragraph.add_run(text)
            run.bold, run.italic = bold, italic

    header = document.add_table(rows=1, cols=2)
    cell_text(
        header.cell(0, 0),
        [
            (doc.letterhead.governing_body.upper(), False, False),
            (doc.letterhead.agency_name.upper(), True, False),
            (f"Số: {doc.letterhead.number}", False, False),
        ],
    )
    cell_text(
        header.cell(0, 1),
        [
            (MOTTO, True, False),
            (MOTTO_SUB, True, False),
            (date_line(doc.letterhead.place, doc.letterhead.issued_on), False, True),
        ],
    )
    if doc.draft:
        p = document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run("DỰ THẢO").bold = True
    for text in (doc.kind, doc.title):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(text).bold = True

    for block in doc.blocks:
        if isinstance(block, Heading):
            document.add_paragraph().add_run(block.text).bold = True
        elif isinstance(block, Text):
            for line in block.text.splitlines() or [""]:
                document.add_paragraph(line)
        elif block.rows:
            table = document.add_table(rows=len(block.rows), cols=len(block.rows[0]))
            table.style = "Table Grid"
            for r, row in enumerate(block.rows):
                for c, value in enumerate(row):
                    table.cell(r, c).text = str(value)
                    if r == 0 and table.cell(r, c).paragraphs[0].runs:
                        table.cell(r, c).paragraphs[0].runs[0].bold = True
            document.add_paragraph()

    def recipients(cell) -> None:
        cell.paragraphs[0].text = ""
        run = cell.paragraphs[0].add_run("Nơi nhận:")
        run.bold, run.italic = True, True
        for line in doc.recipients.splitlines():
            cell.add_paragraph(line).runs[0].font.size = Pt(11)

    def signature(cell, title: str, name: str) -> None:
        cell_text(
            cell,
            [
                (title.upper(), True, False),
                ("(Ký, ghi rõ họ tên)", False, True),
                ("", False, False),
                ("", False, False),
                (name, True, False),
            ],
        )

    footer = document.add_table(rows=1, cols=2)
    signers = doc.signers
    if len(signers) == 1:
        recipients(footer.cell(0, 0))
        signature(footer.cell(0, 1), *signers[0])
    else:
        for index, signer in enumerate(signers[:2]):
            signature(footer.cell(0, index), *signer)
        if doc.recipients:
            recipients(document.add_table(rows=1, cols=1).cell(0, 0))
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def _fonts() -> tuple[str, str, str]:
    """DejaVu Sans (regular, bold, oblique): the Vietnamese-capable family the stamp uses."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = Path(getattr(settings, "ISO_STAMP_FONT", "") or "").parent
    if not (folder / "DejaVuSans.ttf").exists():
        folder = Path("/usr/share/fonts/truetype/dejavu")
    names = ("IsoReport", "IsoReport-Bold", "IsoReport-Italic")
    files = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf")
    if names[0] not in pdfmetrics.getRegisteredFontNames():
        for name, file in zip(names, files, strict=True):
            pdfmetrics.registerFont(TTFont(name, str(folder / file)))
        pdfmetrics.registerFontFamily(
            names[0], normal=names[0], bold=names[1], italic=names[2], boldItalic=names[1]
        )
    return names


def administrative_pdf(doc: AdministrativeDocument) -> bytes:
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    regular, bold, italic = _fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=11, leading=15)
    centre = ParagraphStyle("centre", parent=body, alignment=TA_CENTER)
    centre_bold = ParagraphStyle("centre_bold", parent=centre, fontName=bold)
    centre_italic = ParagraphStyle("centre_italic", parent=centre, fontName=italic)
    heading = ParagraphStyle("heading", parent=body, fontName=bold, spaceBefore=8)
    title = ParagraphStyle("title", parent=centre_bold, fontSize=14, leading=18)
    small = ParagraphStyle("small", parent=body, fontSize=9, leading=12)
    # The header's lines are one line each, as printed: the motto at 10 pt fits its column.
    head = ParagraphStyle("head", parent=centre, fontSize=10, leading=13)
    head_bold = ParagraphStyle("head_bold", parent=head, fontName=bold)
    head_italic = ParagraphStyle("head_italic", parent=head, fontName=italic)
    page = landscape(A4) if doc.landscape else A4
    width = page[0] - 5 * cm

    def p(text: str, style=body) -> Paragraph:
        return Paragraph(escape(str(text)), style)

    story = []
    header = Table(
        [
            [
                [
                    p(doc.letterhead.governing_body.upper(), head),
                    p(doc.letterhead.agency_name.upper(), head_bold),
                    p(f"Số: {doc.letterhead.number}", head),
                ],
                [
                    p(MOTTO, head_bold),
                    p(MOTTO_SUB, head_bold),
                    p(date_line(doc.letterhead.place, doc.letterhead.issued_on), head_italic),
                ],
            ]
        ],
        colWidths=[width * 0.4, width * 0.6],
    )
    header.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [header, Spacer(1, 0.6 * cm)]
    if doc.draft:
        story.append(p("DỰ THẢO", centre_bold))
    story += [p(doc.kind, title), p(doc.title, centre_bold), Spacer(1, 0.4 * cm)]
    for block in doc.blocks:
        if isinstance(block, Heading):
            story.append(p(block.text, heading))
        elif isinstance(block, Text):
            story += [p(line) for line in block.text.splitlines()]
        elif block.rows:
            columns = len(block.rows[0])
            even = [width / columns] * columns
            widths = [w * cm for w in block.widths_cm] if block.widths_cm else even
            rows = [[p(cell, small) for cell in row] for row in block.rows]
            table = Table(rows, colWidths=widths, repeatRows=1)
            table.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")),
                        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ]
                )
            )
            story += [Spacer(1, 0.2 * cm), table]
    recipients = [p("Nơi nhận:", ParagraphStyle("r", parent=small, fontName=bold))]
    recipients += [p(line, small) for line in doc.recipients.splitlines()]

    def signature(title: str, name: str) -> list:
        return [
            p(title.upper(), centre_bold),
            p("(Ký, ghi rõ họ tên)", centre_italic),
            Spacer(1, 1.6 * cm),
            p(name, centre_bold),
        ]

    signers = doc.signers
    if len(signers) == 1:
        cells = [[recipients, signature(*signers[0])]]
    else:
        cells = [[signature(*signer) for signer in signers[:2]]]
        if doc.recipients:
            cells.append([recipients, ""])
    footer = Table(cells, colWidths=[width / 2, width / 2])
    footer.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [Spacer(1, 0.8 * cm), footer]

    out = BytesIO()
    SimpleDocTemplate(
        out,
        pagesize=page,
        leftMargin=3 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        title=doc.title,
        author=doc.letterhead.agency_name,
    ).build(story)
    return out.getvalue()


def simple_xlsx(
    *, sheet_title: str, title: str, header: list[str], rows: list[list], widths=None
) -> bytes:
    """One sheet: a bold title row, a bold header row, the rows (openpyxl)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title[:31]
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append(row)
    for index, width in enumerate(widths or [], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    out = BytesIO()
    book.save(out)
    return out.getvalue()
