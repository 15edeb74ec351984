"""The internal audit report in the layout Vietnamese agencies print (Nghị định 30/2020/NĐ-CP):
the governing body and the agency top left with the number, the national motto top right with
place and date, the title, the body, then «Nơi nhận» and the signature block."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from io import BytesIO
from pathlib import Path

from django.conf import settings

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_SUB = "Độc lập - Tự do - Hạnh phúc"
RESULT_COLUMNS = [
    ("conforming", "Phù hợp"),
    ("major", "KPH nặng"),
    ("minor", "KPH nhẹ"),
    ("observation", "Lưu ý"),
    ("improvement", "Cải tiến"),
    ("strong_point", "Điểm mạnh"),
]


@dataclass(frozen=True)
class AuditReportDocument:
    governing_body: str  # cơ quan chủ quản, e.g. "UBND TỈNH QUẢNG NINH"
    agency_name: str
    number: str
    place: str
    report_date: date
    title: str
    summary: str
    statistics: dict
    findings: str
    strong_points: str
    conclusion: str
    recipients: str
    signer_title: str
    signer_name: str
    draft: bool = False
    clause_titles: dict = field(default_factory=dict)


def _date_line(doc: AuditReportDocument) -> str:
    d = doc.report_date
    return f"{doc.place}, ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"


def _table_rows(doc: AuditReportDocument, key: str, first: str) -> list[list[str]]:
    rows = [[first, *[label for _, label in RESULT_COLUMNS]]]
    for name, counts in doc.statistics.get(key, []):
        label = f"Điều {name}" if key == "by_clause" else name
        if key == "by_clause" and name in doc.clause_titles:
            label += f". {doc.clause_titles[name]}"
        rows.append([label, *[str(counts.get(code, 0)) for code, _ in RESULT_COLUMNS]])
    totals = doc.statistics.get("totals", {})
    rows.append(["Tổng cộng", *[str(totals.get(code, 0)) for code, _ in RESULT_COLUMNS]])
    return rows


def _sections(doc: AuditReportDocument) -> list[tuple[str, str]]:
    return [
        ("I. KHÁI QUÁT", doc.summary),
        ("III. CÁC PHÁT HIỆN", doc.findings),
        ("IV. ĐIỂM MẠNH", doc.strong_points),
        ("V. KẾT LUẬN", doc.conclusion),
    ]


def audit_report_docx(doc: AuditReportDocument) -> bytes:
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
            (doc.governing_body.upper(), False, False),
            (doc.agency_name.upper(), True, False),
            (f"Số: {doc.number}", False, False),
        ],
    )
    cell_text(
        header.cell(0, 1),
        [(MOTTO, True, False), (MOTTO_SUB, True, False), (_date_line(doc), False, True)],
    )
    if doc.draft:
        p = document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run("DỰ THẢO").bold = True
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run("BÁO CÁO").bold = True
    subtitle = document.add_paragraph()
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subtitle.add_run(doc.title).bold = True

    sections = _sections(doc)
    for heading, text in sections[:1]:
        document.add_paragraph().add_run(heading).bold = True
        for line in text.splitlines() or [""]:
            document.add_paragraph(line)
    document.add_paragraph().add_run("II. KẾT QUẢ THEO ĐIỀU KHOẢN VÀ ĐƠN VỊ").bold = True
    for key, first in (("by_clause", "Điều khoản"), ("by_unit", "Đơn vị")):
        rows = _table_rows(doc, key, first)
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
                if r == 0:
                    table.cell(r, c).paragraphs[0].runs[0].bold = True
        document.add_paragraph()
    for heading, text in sections[1:]:
        document.add_paragraph().add_run(heading).bold = True
        for line in text.splitlines() or [""]:
            document.add_paragraph(line)

    footer = document.add_table(rows=1, cols=2)
    left = footer.cell(0, 0)
    left.paragraphs[0].text = ""
    run = left.paragraphs[0].add_run("Nơi nhận:")
    run.bold, run.italic = True, True
    for line in doc.recipients.splitlines():
        left.add_paragraph(line).runs[0].font.size = Pt(11)
    cell_text(
        footer.cell(0, 1),
        [
            (doc.signer_title.upper(), True, False),
            ("(Ký, ghi rõ họ tên)", False, True),
            ("", False, False),
            ("", False, False),
            (doc.signer_name, True, False),
        ],
    )
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


def audit_report_pdf(doc: AuditReportDocument) -> bytes:
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
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

    def p(text: str, style=body) -> Paragraph:
        return Paragraph(escape(text), style)

    story = []
    header = Table(
        [
            [
                [
                    p(doc.governing_body.upper(), head),
                    p(doc.agency_name.upper(), head_bold),
                    p(f"Số: {doc.number}", head),
                ],
                [p(MOTTO, head_bold), p(MOTTO_SUB, head_bold), p(_date_line(doc), head_italic)],
            ]
        ],
        colWidths=[6.4 * cm, 9.6 * cm],
    )
    header.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [header, Spacer(1, 0.6 * cm)]
    if doc.draft:
        story.append(p("DỰ THẢO", centre_bold))
    story += [p("BÁO CÁO", title), p(doc.title, centre_bold), Spacer(1, 0.4 * cm)]
    sections = _sections(doc)

    def add_section(name: str, text: str) -> None:
        story.append(p(name, heading))
        for line in text.splitlines():
            story.append(p(line))

    add_section(*sections[0])
    story.append(p("II. KẾT QUẢ THEO ĐIỀU KHOẢN VÀ ĐƠN VỊ", heading))
    for key, first in (("by_clause", "Điều khoản"), ("by_unit", "Đơn vị")):
        rows = [[p(cell, small) for cell in row] for row in _table_rows(doc, key, first)]
        table = Table(rows, colWidths=[5.2 * cm] + [1.8 * cm] * len(RESULT_COLUMNS), repeatRows=1)
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
    for name, text in sections[1:]:
        add_section(name, text)
    recipients = [p("Nơi nhận:", ParagraphStyle("r", parent=small, fontName=bold))]
    recipients += [p(line, small) for line in doc.recipients.splitlines()]
    signature = [
        p(doc.signer_title.upper(), centre_bold),
        p("(Ký, ghi rõ họ tên)", centre_italic),
        Spacer(1, 1.6 * cm),
        p(doc.signer_name, centre_bold),
    ]
    footer = Table([[recipients, signature]], colWidths=[8 * cm, 8 * cm])
    footer.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [Spacer(1, 0.8 * cm), footer]

    out = BytesIO()
    SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=3 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        title=doc.title,
        author=doc.agency_name,
    ).build(story)
    return out.getvalue()
