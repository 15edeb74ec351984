"""Django finds the app's models here; each content domain lives in its own module."""

from .agency import AgencyGroup, AgencyLevel, AgencyPage, AgencyRole
from .announcement import AnnouncementPage, YearlyReportPage, YearlyReportSubmission
from .catalogue import (
    CatalogueDecision,
    ChangeKind,
    ProcedureUpdateTask,
    TaskStatus,
    UpdateDeadlineRule,
)
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
from .quality.action import QualityAction, ReminderLog
from .quality.maintenance import MaintenancePlanItem, MaintenancePlanPage
from .quality.nonconformity import Nonconformity
from .quality.objectives import ObjectiveMeasurement, QualityObjective, QualityObjectivesPage
from .quality.plan import AuditPlanAssignment, AuditPlanPage
from .quality.programme import AuditProgrammePage, AuditProgrammeRound
from .quality.record import AuditQuestion, AuditRecord
from .quality.report import AuditReportPage
from .quality.review import ManagementReviewDecision, ManagementReviewInput, ManagementReviewPage
from .quality.risk import AgencyRiskScale, RiskRegisterItem, RiskRegisterPage
from .quality.units import QualityUnit
from .versions import DocumentVersion, VersionStatus
from .workspace import CitizenFeedback, DocumentReview

__all__ = [
    "AnnouncementPage",
    "YearlyReportPage",
    "YearlyReportSubmission",
    "CitizenFeedback",
    "DocumentReview",
    "CatalogueDecision",
    "ChangeKind",
    "ProcedureUpdateTask",
    "TaskStatus",
    "UpdateDeadlineRule",
    "AuditPlanAssignment",
    "AuditPlanPage",
    "AuditProgrammePage",
    "AuditProgrammeRound",
    "AuditQuestion",
    "AuditRecord",
    "AuditReportPage",
    "ManagementReviewDecision",
    "ManagementReviewInput",
    "ManagementReviewPage",
    "Nonconformity",
    "RiskRegisterItem",
    "RiskRegisterPage",
    "AgencyRiskScale",
    "MaintenancePlanItem",
    "MaintenancePlanPage",
    "Nonconformity",
    "ObjectiveMeasurement",
    "QualityObjective",
    "QualityObjectivesPage",
    "QualityAction",
    "QualityUnit",
    "ReminderLog",
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
