"""Document renderers (DESIGN §3): DOCX and PDF layouts of QMS documents. workflows calls only
the functions exported here."""

from .audit_report import AuditReportDocument, audit_report_docx, audit_report_pdf
from .review_minutes import (
    ReviewDecisionLine,
    ReviewInputLine,
    ReviewMinutesDocument,
    review_minutes_docx,
    review_minutes_pdf,
)

__all__ = [
    "AuditReportDocument",
    "ReviewDecisionLine",
    "ReviewInputLine",
    "ReviewMinutesDocument",
    "audit_report_docx",
    "audit_report_pdf",
    "review_minutes_docx",
    "review_minutes_pdf",
]
