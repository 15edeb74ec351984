"""Document renderers (DESIGN §3): DOCX, PDF and XLSX layouts of QMS documents. workflows calls
only the functions exported here."""

from .administrative import (
    AdministrativeDocument,
    Grid,
    Heading,
    Letterhead,
    Text,
    administrative_docx,
    administrative_pdf,
    letterhead_of,
    simple_xlsx,
)
from .audit_report import AuditReportDocument, audit_report_docx, audit_report_pdf
from .review_minutes import (
    ReviewDecisionLine,
    ReviewInputLine,
    ReviewMinutesDocument,
    review_minutes_docx,
    review_minutes_pdf,
)

__all__ = [
    "AdministrativeDocument",
    "AuditReportDocument",
    "Grid",
    "Heading",
    "Letterhead",
    "ReviewDecisionLine",
    "ReviewInputLine",
    "ReviewMinutesDocument",
    "Text",
    "administrative_docx",
    "administrative_pdf",
    "audit_report_docx",
    "audit_report_pdf",
    "letterhead_of",
    "review_minutes_docx",
    "review_minutes_pdf",
    "simple_xlsx",
]
