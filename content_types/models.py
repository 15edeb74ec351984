"""Django finds the app's models here; each content domain lives in its own module."""

from .agency import AgencyGroup, AgencyLevel, AgencyPage, AgencyRole
from .documents import ControlledDocumentPage, DocumentKind, FormDocumentPage
from .indexes import FormIndexPage, ProcedureIndexPage, QualitySystemPage
from .portal import PortalHomePage
from .procedures import ProcedurePage
from .versions import DocumentVersion, VersionStatus

__all__ = [
    "AgencyGroup",
    "AgencyLevel",
    "AgencyPage",
    "AgencyRole",
    "ControlledDocumentPage",
    "DocumentKind",
    "FormDocumentPage",
    "FormIndexPage",
    "PortalHomePage",
    "ProcedureIndexPage",
    "ProcedurePage",
    "DocumentVersion",
    "VersionStatus",
    "QualitySystemPage",
]
