"""The internal audit report in the layout Vietnamese agencies print (themes.renderers.
administrative, Nghị định 30/2020/NĐ-CP)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .administrative import (
    AdministrativeDocument,
    Grid,
    Heading,
    Letterhead,
    Text,
    administrative_docx,
    administrative_pdf,
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
    letterhead: Letterhead
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


def audit_report_layout(doc: AuditReportDocument) -> AdministrativeDocument:
    """The report in the shared administrative layout: section I, the tables by clause and by
    unit (section II), then the other sections."""
    sections = _sections(doc)
    blocks: list = [Heading(sections[0][0]), Text(sections[0][1])]
    blocks.append(Heading("II. KẾT QUẢ THEO ĐIỀU KHOẢN VÀ ĐƠN VỊ"))
    for key, first in (("by_clause", "Điều khoản"), ("by_unit", "Đơn vị")):
        blocks.append(
            Grid(_table_rows(doc, key, first), widths_cm=[5.2] + [1.8] * len(RESULT_COLUMNS))
        )
    for heading, text in sections[1:]:
        blocks += [Heading(heading), Text(text)]
    return AdministrativeDocument(
        letterhead=doc.letterhead,
        kind="BÁO CÁO",
        title=doc.title,
        blocks=blocks,
        recipients=doc.recipients,
        signer_title=doc.signer_title,
        signer_name=doc.signer_name,
        draft=doc.draft,
    )


def audit_report_docx(doc: AuditReportDocument) -> bytes:
    return administrative_docx(audit_report_layout(doc))


def audit_report_pdf(doc: AuditReportDocument) -> bytes:
    return administrative_pdf(audit_report_layout(doc))
