"""The risks and opportunities register's behaviour: treatments become actions on approval,
the risks due for review, and next year's draft copied from this year's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q

from content_types.agency import AgencyPage, agency_path_finder
from content_types.indexes import QualitySystemPage
from content_types.quality.action import CLOSED_ACTION_STATUSES, ActionSource, QualityAction
from content_types.quality.risk import RiskRegisterItem, RiskRegisterPage, risk_scale_for
from content_types.quality.rules import agency_of


def _action_upsert(*, agency, source: str, page, key, title: str, description: str, owner, due):
    """The action of one row of an approved page: created once, then kept in step while open."""
    action = QualityAction.objects.filter(origin_page=page, origin_key=key).first()
    if action is None:
        return QualityAction.objects.create(
            agency=agency,
            source=source,
            origin_page=page,
            origin_key=key,
            title=title[:255],
            description=description,
            owner=owner,
            due_date=due,
        )
    if action.status in CLOSED_ACTION_STATUSES:
        return action  # what was done stays as it was done
    changed = (action.title, action.owner_id, action.due_date) != (title[:255], owner.pk, due)
    if changed:
        action.title, action.owner, action.due_date = title[:255], owner, due
        action.description = description
        action.save()
    return action


@transaction.atomic
def risk_actions_sync(*, register: RiskRegisterPage) -> list[QualityAction]:
    """Each treatment of the approved register is an action of the agency's one list."""
    agency = agency_of(register)
    actions = []
    for risk in register.risks.select_related("treatment_owner"):
        if not (risk.treatment and risk.treatment_owner_id and risk.treatment_due):
            continue
        actions.append(
            _action_upsert(
                agency=agency,
                source=ActionSource.RISK,
                page=register,
                key=risk.uid,
                title=risk.treatment,
                description=f"{risk.get_kind_display()} — {risk.process}: {risk.description}",
                owner=risk.treatment_owner,
                due=risk.treatment_due,
            )
        )
    return actions


@dataclass(frozen=True)
class RiskRow:
    risk: RiskRegisterItem
    level: object
    residual: object
    action: QualityAction | None


def risk_rows(register: RiskRegisterPage, shown: RiskRegisterPage) -> list[RiskRow]:
    """The register's rows with their levels on the site's scale and their actions."""
    scale = risk_scale_for(register)
    actions = {
        a.origin_key: a
        for a in QualityAction.objects.filter(origin_page=register).select_related("owner")
    }
    return [
        RiskRow(
            risk=r,
            level=scale.level(r.likelihood, r.impact),
            residual=scale.level(r.residual_likelihood, r.residual_impact),
            action=actions.get(r.uid),
        )
        for r in shown.risks.all()
    ]


def risks_due_for_review(*, agency_ids, horizon: date) -> list[tuple[int, RiskRegisterItem]]:
    """(agency id, risk) of the approved registers whose next review is due by `horizon`.

    Two queries whatever the number of agencies: the agencies' paths, then the rows."""
    paths = dict(AgencyPage.objects.filter(pk__in=agency_ids).values_list("path", "pk"))
    if not paths:
        return []
    under = Q()
    for path in paths:
        under |= Q(page__path__startswith=path)
    rows = (
        RiskRegisterItem.objects.filter(under, page__live=True, next_review__lte=horizon)
        .select_related("page")
        .order_by("next_review", "pk")
    )
    agency_of = agency_path_finder(paths)
    found = []
    for row in rows:
        agency_id = agency_of(row.page.path)
        if agency_id is not None:
            found.append((agency_id, row))
    return found


@transaction.atomic
def risk_register_copy(*, agency: AgencyPage, from_year: int, to_year: int, user) -> str | None:
    """Next year's register as a draft: the same risks, whose residual levels (after this
    year's treatments) become the starting levels; treatments and dates are left to plan."""
    from django.urls import reverse

    registers = RiskRegisterPage.objects.descendant_of(agency)
    source = registers.filter(year=from_year).first()
    if source is None or registers.filter(year=to_year).exists():
        return None
    quality_system = agency.get_children().type(QualitySystemPage).first()
    if quality_system is None or not quality_system.permissions_for_user(user).can_add_subpage():
        raise PermissionDenied
    shown = source if source.live else source.get_latest_revision_as_object()
    draft = RiskRegisterPage(
        title=f"Sổ đăng ký rủi ro, cơ hội năm {to_year}",
        slug=f"so-rui-ro-{to_year}",
        year=to_year,
        scope=shown.scope,
        live=False,
        owner=user,
    )
    draft.risks = [
        RiskRegisterItem(
            process=r.process,
            kind=r.kind,
            description=r.description,
            causes=r.causes,
            likelihood=r.residual_likelihood or r.likelihood,
            impact=r.residual_impact or r.impact,
        )
        for r in shown.risks.all()
    ]
    quality_system.add_child(instance=draft)
    draft.save_revision(user=user, log_action=True)
    return reverse("wagtailadmin_pages:edit", args=[draft.pk])
