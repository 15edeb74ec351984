"""The lists of audits, findings, nonconformities and actions, per agency, filtered."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from content_types.agency import AgencyPage
from content_types.quality.action import OPEN_ACTION_STATUSES, ActionStatus, QualityAction
from content_types.quality.nonconformity import Nonconformity, NonconformityStage
from content_types.quality.plan import AuditPlanPage
from content_types.quality.programme import AuditProgrammePage
from content_types.quality.record import FINDING_RESULTS, AuditQuestion, AuditResult
from content_types.quality.report import AuditReportPage


def programmes_of(agency: AgencyPage) -> QuerySet[AuditProgrammePage]:
    return AuditProgrammePage.objects.descendant_of(agency).order_by("-year", "title")


def plans_of(agency: AgencyPage, *, year: int | None = None) -> list[dict]:
    plans = AuditPlanPage.objects.descendant_of(agency).order_by("-start_date")
    if year:
        plans = plans.filter(start_date__year=year)
    plans = plans.annotate(records=Count("audit_records", distinct=True)).select_related(
        "team_lead"
    )
    reports = {
        r.get_parent().pk: r for r in AuditReportPage.objects.descendant_of(agency).specific()
    }
    return [{"plan": plan, "report": reports.get(plan.pk)} for plan in plans]


def findings_of(
    agency: AgencyPage, *, result: str = "", clause: str = "", year: int | None = None
) -> QuerySet[AuditQuestion]:
    findings = AuditQuestion.objects.filter(record__agency=agency)
    findings = (
        findings.filter(result=result)
        if result
        else findings.filter(result__in=[*FINDING_RESULTS, AuditResult.STRONG_POINT])
    )
    if clause:
        findings = findings.filter(Q(clause=clause) | Q(clause__startswith=f"{clause}."))
    if year:
        findings = findings.filter(record__audit_date__year=year)
    return findings.select_related("record__unit", "record__auditor", "record__plan").order_by(
        "-record__audit_date", "clause", "pk"
    )


def nonconformities_of(
    agency: AgencyPage, *, stage: str = "", source: str = "", year: int | None = None
) -> QuerySet[Nonconformity]:
    ncs = Nonconformity.objects.filter(agency=agency)
    if stage:
        ncs = ncs.filter(stage=stage)
    if source:
        ncs = ncs.filter(source=source)
    if year:
        ncs = ncs.filter(raised_on__year=year)
    return ncs.select_related("unit").annotate(action_count=Count("actions"))


@dataclass(frozen=True)
class ActionFilter:
    status: str = ""
    overdue: bool = False
    owner_id: int | None = None


def actions_of(agency: AgencyPage, filters: ActionFilter = ActionFilter()) -> QuerySet:
    actions = QualityAction.objects.filter(agency=agency)
    if filters.status:
        actions = actions.filter(status=filters.status)
    if filters.overdue:
        actions = actions_overdue(actions)
    if filters.owner_id:
        actions = actions.filter(owner_id=filters.owner_id)
    return actions.select_related("owner", "nonconformity")


def actions_overdue(actions: QuerySet, today=None) -> QuerySet:
    today = today or timezone.localdate()
    return actions.filter(status__in=OPEN_ACTION_STATUSES, due_date__lt=today)


def is_overdue(action: QualityAction, today=None) -> bool:
    today = today or timezone.localdate()
    return action.status in OPEN_ACTION_STATUSES and action.due_date < today


def agency_summary(agency: AgencyPage) -> dict:
    ncs = Nonconformity.objects.filter(agency=agency)
    actions = QualityAction.objects.filter(agency=agency)
    return {
        "open_ncs": ncs.exclude(
            stage__in=[NonconformityStage.CLOSED, NonconformityStage.CANCELLED]
        ).count(),
        "open_actions": actions.filter(status__in=OPEN_ACTION_STATUSES).count(),
        "overdue_actions": actions_overdue(actions).count(),
        "done_actions": actions.filter(status=ActionStatus.DONE).count(),
    }
