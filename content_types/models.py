"""Django finds the app's models here; each content domain lives in its own module."""

from .agency import AgencyGroup, AgencyLevel, AgencyPage, AgencyRole
from .documents import ControlledDocumentPage, DocumentKind, FormDocumentPage
from .indexes import FormIndexPage, ProcedureIndexPage, QualitySystemPage
from .oversight import DossierBatch, DossierPushToken, DossierStatistic
from .portal import PortalHomePage
from .procedure_fields import ProcedureField
from .procedures import (
    ProcedureLevel,
    ProcedurePage,
    ProcedurePageCase,
    ProcedurePageChannel,
    ProcedurePageForm,
    ProcedurePageProcessStep,
)
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
    "ProcedureField",
    "ProcedureIndexPage",
    "ProcedureLevel",
    "ProcedurePage",
    "ProcedurePageCase",
    "ProcedurePageChannel",
    "ProcedurePageForm",
    "ProcedurePageProcessStep",
    "DocumentVersion",
    "DossierBatch",
    "DossierPushToken",
    "DossierStatistic",
    "VersionStatus",
    "QualitySystemPage",
]
