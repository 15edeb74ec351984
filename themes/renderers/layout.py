"""The Vietnamese administrative layout (Nghị định 30/2020/NĐ-CP) shared by every printed QMS
record: the governing body and the agency top left with the number, the national motto top
right with place and date, the title, the body, then «Nơi nhận» and the signature block.

Each record's renderer (audit report, review minutes…) composes its body between `*_open` and
`*_close`; the header, fonts, page and footer are written once here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_SUB = "Độc lập - Tự do - Hạnh phúc"


@dataclass(frozen=True)
class Letterhead:
    governing_body: str  # cơ quan chủ quản, e.g. "UBND TỈNH QUẢNG NINH"
    agency_name: str
    number: str
    place: str
    day: date
    kind: str  # the big title: «BÁO CÁO», «BIÊN BẢN»
    title: str
    draft: bool = False


@dataclass(frozen=True)
class Signoff:
    recipients: str
    # One or two signature blocks: (title, name); two are printed side by side (e.g. the
    # secretary and the chair of a meeting) and the recipients then go below them.
    signers: tuple[tuple[str, str], ...]


def date_line(place: str, day: date) -> str:
    return f"{place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


# DOCX (python-docx) ------------------------------------------------------------------------


def docx_open(head: Letterhead):
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    section.top_margin = section.bottom_margin = Cm(2)
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)

    header = document.add_table(rows=1, cols=2)
    _docx_centred(
        header.cell(0, 0),
        [
            (head.governing_body.upper(), False, False),
            (head.agency_name.upper(), True, False),
            (f"Số: {head.number}", False, False),
        ],
    )
    _docx_centred(
        header.cell(0, 1),
        [
            (MOTTO, True, False),
            (MOTTO_SUB, True, False),
            (date_line(head.place, head.day), False, True),
        ],
    )
    if head.draft:
        p = document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run("DỰ THẢO").bold = True
    for text in (head.kind, head.title):
        p = document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(text).bold = True
    return document


def _docx_centred(cell, lines: list[tuple[str, bool, bool]]) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    cell.paragraphs[0].text = ""
    for index, (text, bold, italic) in enumerate(lines):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.bold, run.italic = bold, italic


def docx_section(document, heading: str, text: str) -> None:
    document.add_paragraph().add_run(heading).bold = True
    for line in text.splitlines() or [""]:
        document.add_paragraph(line)


def docx_table(document, rows: list[list[str]]) -> None:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
            if r == 0 and table.cell(r, c).paragraphs[0].runs:
                table.cell(r, c).paragraphs[0].runs[0].bold = True
    document.add_paragraph()


def docx_close(document, signoff: Signoff) -> bytes:
    from docx.shared import Pt

    def signature(cell, title: str, name: str) -> None:
        _docx_centred(
            cell,
            [
                (title.upper(), True, False),
                ("(Ký, ghi rõ họ tên)", False, True),
                ("", False, False),
                ("", False, False),
                (name, True, False),
            ],
        )

    def recipients(cell) -> None:
        cell.paragraphs[0].text = ""
        run = cell.paragraphs[0].add_run("Nơi nhận:")
        run.bold, run.italic = True, True
        for line in signoff.recipients.splitlines():
            for run in cell.add_paragraph(line).runs:
                run.font.size = Pt(11)

    footer = document.add_table(rows=1, cols=2)
    if len(signoff.signers) == 1:
        recipients(footer.cell(0, 0))
        signature(footer.cell(0, 1), *signoff.signers[0])
    else:
        for index, signer in enumerate(signoff.signers[:2]):
            signature(footer.cell(0, index), *signer)
        if signoff.recipients:
            recipients(document.add_table(rows=1, cols=1).cell(0, 0))
    out = BytesIO()
    document.save(out)
    return out.getvalue()


# PDF (reportlab) ---------------------------------------------------------------------------


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


class PdfStory:
    """A PDF being composed: its styles, and the flowables written so far."""

    def __init__(self, head: Letterhead):
        from reportlab.lib.enums import TA_CENTER
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.lib.units import cm
        from reportlab.platypus import Spacer, Table, TableStyle

        self.head = head
        regular, bold, italic = _fonts()
        self.body = ParagraphStyle("body", fontName=regular, fontSize=11, leading=15)
        self.centre = ParagraphStyle("centre", parent=self.body, alignment=TA_CENTER)
        self.centre_bold = ParagraphStyle("centre_bold", parent=self.centre, fontName=bold)
        self.centre_italic = ParagraphStyle("centre_italic", parent=self.centre, fontName=italic)
        self.heading = ParagraphStyle("heading", parent=self.body, fontName=bold, spaceBefore=8)
        self.title = ParagraphStyle("title", parent=self.centre_bold, fontSize=14, leading=18)
        self.small = ParagraphStyle("small", parent=self.body, fontSize=9, leading=12)
        self.small_bold = ParagraphStyle("small_bold", parent=self.small, fontName=bold)
        # The header's lines are one line each, as printed: the motto at 10 pt fits its column.
        head_style = ParagraphStyle("head", parent=self.centre, fontSize=10, leading=13)
        head_bold = ParagraphStyle("head_bold", parent=head_style, fontName=bold)
        head_italic = ParagraphStyle("head_italic", parent=head_style, fontName=italic)
        p = self.p
        header = Table(
            [
                [
                    [
                        p(head.governing_body.upper(), head_style),
                        p(head.agency_name.upper(), head_bold),
                        p(f"Số: {head.number}", head_style),
                    ],
                    [
                        p(MOTTO, head_bold),
                        p(MOTTO_SUB, head_bold),
                        p(date_line(head.place, head.day), head_italic),
                    ],
                ]
            ],
            colWidths=[6.4 * cm, 9.6 * cm],
        )
        header.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        self.flowables = [header, Spacer(1, 0.6 * cm)]
        if head.draft:
            self.flowables.append(p("DỰ THẢO", self.centre_bold))
        self.flowables += [
            p(head.kind, self.title),
            p(head.title, self.centre_bold),
            Spacer(1, 0.4 * cm),
        ]

    def p(self, text: str, style=None):
        from reportlab.platypus import Paragraph

        return Paragraph(escape(text), style or self.body)

    def section(self, heading: str, text: str) -> None:
        self.flowables.append(self.p(heading, self.heading))
        for line in text.splitlines():
            self.flowables.append(self.p(line))

    def table(self, rows: list[list[str]], col_widths_cm: list[float]) -> None:
        from reportlab.lib import colors
        from reportlab.lib.units import cm
        from reportlab.platypus import Spacer, Table, TableStyle

        cells = [[self.p(cell, self.small) for cell in row] for row in rows]
        table = Table(cells, colWidths=[w * cm for w in col_widths_cm], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ]
            )
        )
        self.flowables += [Spacer(1, 0.2 * cm), table]

    def close(self, signoff: Signoff) -> bytes:
        from reportlab.lib.pagesizes import A4
        from reportlab.lib.units import cm
        from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

        def signature(title: str, name: str) -> list:
            return [
                self.p(title.upper(), self.centre_bold),
                self.p("(Ký, ghi rõ họ tên)", self.centre_italic),
                Spacer(1, 1.6 * cm),
                self.p(name, self.centre_bold),
            ]

        recipients = [self.p("Nơi nhận:", self.small_bold)]
        recipients += [self.p(line, self.small) for line in signoff.recipients.splitlines()]
        if len(signoff.signers) == 1:
            rows = [[recipients, signature(*signoff.signers[0])]]
        else:
            rows = [[signature(*s) for s in signoff.signers[:2]]]
            if signoff.recipients:
                rows.append([recipients, ""])
        footer = Table(rows, colWidths=[8 * cm, 8 * cm])
        footer.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        self.flowables += [Spacer(1, 0.8 * cm), footer]
        out = BytesIO()
        SimpleDocTemplate(
            out,
            pagesize=A4,
            leftMargin=3 * cm,
            rightMargin=2 * cm,
            topMargin=2 * cm,
            bottomMargin=2 * cm,
            title=self.head.title,
            author=self.head.agency_name,
        ).build(self.flowables)
        return out.getvalue()
