"""The internal audit report in the layout Vietnamese agencies print (Nghị định 30/2020/NĐ-CP):
the governing body and the agency top left with the number, the national motto top right with
place and date, the title, the body, then «Nơi nhận» and the signature block."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .layout import (
    Letterhead,
    PdfStory,
    Signoff,
    docx_close,
    docx_open,
    docx_section,
    docx_table,
)

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


def _letterhead(doc: AuditReportDocument) -> Letterhead:
    return Letterhead(
        governing_body=doc.governing_body,
        agency_name=doc.agency_name,
        number=doc.number,
        place=doc.place,
        day=doc.report_date,
        kind="BÁO CÁO",
        title=doc.title,
        draft=doc.draft,
    )


def _signoff(doc: AuditReportDocument) -> Signoff:
    return Signoff(recipients=doc.recipients, signers=((doc.signer_title, doc.signer_name),))


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
    document = docx_open(_letterhead(doc))
    sections = _sections(doc)
    docx_section(document, *sections[0])
    document.add_paragraph().add_run("II. KẾT QUẢ THEO ĐIỀU KHOẢN VÀ ĐƠN VỊ").bold = True
    for key, first in (("by_clause", "Điều khoản"), ("by_unit", "Đơn vị")):
        docx_table(document, _table_rows(doc, key, first))
    for heading, text in sections[1:]:
        docx_section(document, heading, text)
    return docx_close(document, _signoff(doc))


def audit_report_pdf(doc: AuditReportDocument) -> bytes:
    story = PdfStory(_letterhead(doc))
    sections = _sections(doc)
    story.section(*sections[0])
    story.flowables.append(story.p("II. KẾT QUẢ THEO ĐIỀU KHOẢN VÀ ĐƠN VỊ", story.heading))
    for key, first in (("by_clause", "Điều khoản"), ("by_unit", "Đơn vị")):
        story.table(_table_rows(doc, key, first), [5.2] + [1.8] * len(RESULT_COLUMNS))
    for name, text in sections[1:]:
        story.section(name, text)
    return story.close(_signoff(doc))
