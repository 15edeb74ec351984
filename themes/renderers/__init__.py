"""Document renderers (DESIGN §3): DOCX and PDF layouts of QMS documents. workflows calls only
the functions exported here."""

from .audit_report import AuditReportDocument, audit_report_docx, audit_report_pdf

__all__ = ["AuditReportDocument", "audit_report_docx", "audit_report_pdf"]
