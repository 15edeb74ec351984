"""The audit report as a printable document, through the renderers themes exports."""

from __future__ import annotations

from content_types.quality.clauses import CLAUSE_TITLES
from content_types.quality.report import AuditReportPage
from content_types.quality.rules import agency_of
from themes.renderers import (
    AuditReportDocument,
    audit_report_docx,
    audit_report_pdf,
    letterhead_of,
)


def report_document(report: AuditReportPage) -> AuditReportDocument:
    """The approved version when there is one, else the draft being written (marked DỰ THẢO)."""
    shown = report if report.live else report.get_latest_revision_as_object()
    return AuditReportDocument(
        letterhead=letterhead_of(
            agency_of(report), number=shown.number, place=shown.place, issued_on=shown.report_date
        ),
        title=shown.title,
        summary=shown.summary,
        statistics=shown.statistics or {},
        findings=shown.findings,
        strong_points=shown.strong_points,
        conclusion=shown.conclusion,
        recipients=shown.recipients,
        signer_title=shown.signer_title,
        signer_name=shown.signer_name,
        draft=not report.live,
        clause_titles=CLAUSE_TITLES,
    )


def report_docx(report: AuditReportPage) -> bytes:
    return audit_report_docx(report_document(report))


def report_pdf(report: AuditReportPage) -> bytes:
    return audit_report_pdf(report_document(report))
