"""Nonconformity → corrective action → effectiveness (ISO 9001:2015 clause 10.2).

One function per transition, each refusing with a Vietnamese ValidationError and changing
nothing when its guard fails:

  mới → phân tích nguyên nhân → lập kế hoạch → đang thực hiện → chờ đánh giá hiệu lực → đã đóng
  (or → đã huỷ with a reason, from any open stage)

Verification that finds the actions not effective sends the nonconformity back to planning.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from content_types.agency import AgencyGroup, AgencyPage
from content_types.quality.action import (
    CLOSED_ACTION_STATUSES,
    OPEN_ACTION_STATUSES,
    ActionSource,
    ActionStatus,
    Effectiveness,
    QualityAction,
)
from content_types.quality.nonconformity import (
    OPEN_STAGES,
    Nonconformity,
    NonconformitySource,
    NonconformityStage,
    Severity,
)
from content_types.quality.record import NONCONFORMING_RESULTS, AuditQuestion, AuditResult
from content_types.quality.rules import user_label

from .policy import Right, action_can_report, quality_require

Stage = NonconformityStage
STAGE_LABELS = dict(Stage.choices)


def _require_stage(nc: Nonconformity, allowed: tuple, doing: str) -> None:
    if nc.stage not in allowed:
        raise ValidationError(
            f"Không thể {doing} khi sự không phù hợp {nc.code} đang ở giai đoạn "
            f"«{STAGE_LABELS[nc.stage]}»."
        )


def _locked(nc: Nonconformity) -> Nonconformity:
    # Read the row again under a lock: two people acting at once see each other's change.
    return Nonconformity.objects.select_for_update().get(pk=nc.pk)


def _next_code(agency: AgencyPage, year: int) -> str:
    prefix = f"NC-{year}-"
    taken = Nonconformity.objects.filter(agency=agency, code__startswith=prefix).values_list(
        "code", flat=True
    )
    numbers = [int(code[len(prefix) :]) for code in taken if code[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def is_agency_staff(agency: AgencyPage, user) -> bool:
    return AgencyGroup.objects.filter(agency=agency, group__user=user).exists()


@transaction.atomic
def nonconformity_raise(
    *,
    agency: AgencyPage,
    title: str,
    description: str,
    source: str = NonconformitySource.OTHER,
    unit=None,
    clause: str = "",
    severity: str = Severity.MINOR,
    correction: str = "",
    finding: AuditQuestion | None = None,
    raised_on: date | None = None,
    user,
) -> Nonconformity:
    quality_require(user, agency, Right.MANAGE)
    if not (title or "").strip() or not (description or "").strip():
        raise ValidationError("Hãy nhập tóm tắt và mô tả sự không phù hợp.")
    if unit is not None and unit.agency_id != agency.pk:
        raise ValidationError("Đơn vị được chọn không thuộc cơ quan này.")
    raised_on = raised_on or timezone.localdate()
    AgencyPage.objects.select_for_update().filter(pk=agency.pk).first()  # serialise numbering
    return Nonconformity.objects.create(
        agency=agency,
        code=_next_code(agency, raised_on.year),
        title=title.strip(),
        description=description.strip(),
        source=source,
        unit=unit,
        clause=clause,
        severity=severity,
        correction=(correction or "").strip(),
        finding=finding,
        raised_by=user,
        raised_on=raised_on,
    )


def nonconformity_from_finding(*, finding: AuditQuestion, user) -> Nonconformity:
    """Raise the nonconformity of an audit finding (major or minor), once."""
    record = finding.record
    if finding.result not in NONCONFORMING_RESULTS:
        raise ValidationError(
            "Chỉ lập phiếu không phù hợp cho phát hiện «Không phù hợp nặng» hoặc «Không phù "
            "hợp nhẹ»."
        )
    existing = finding.nonconformities.first()
    if existing is not None:
        raise ValidationError(f"Phát hiện này đã được lập phiếu {existing.code}.")
    return nonconformity_raise(
        agency=record.agency,
        title=f"{record.unit.name}, điều {finding.clause}: {finding.note[:200]}",
        description=finding.note,
        source=NonconformitySource.AUDIT,
        unit=record.unit,
        clause=finding.clause,
        severity=Severity.MAJOR if finding.result == AuditResult.MAJOR else Severity.MINOR,
        finding=finding,
        raised_on=record.audit_date,
        user=user,
    )


@transaction.atomic
def nonconformity_start_analysis(*, nc: Nonconformity, user) -> Nonconformity:
    quality_require(user, nc.agency, Right.MANAGE)
    nc = _locked(nc)
    _require_stage(nc, (Stage.NEW,), "bắt đầu phân tích nguyên nhân")
    nc.stage = Stage.ANALYSIS
    nc.save()
    return nc


@transaction.atomic
def nonconformity_record_cause(*, nc: Nonconformity, cause: str, user) -> Nonconformity:
    quality_require(user, nc.agency, Right.MANAGE)
    nc = _locked(nc)
    _require_stage(nc, (Stage.ANALYSIS,), "ghi nguyên nhân")
    if not (cause or "").strip():
        raise ValidationError(
            "Hãy ghi nguyên nhân gốc rễ của sự không phù hợp (ví dụ theo phương pháp 5 tại sao) "
            "trước khi lập kế hoạch khắc phục."
        )
    nc.cause = cause.strip()
    nc.stage = Stage.PLANNING
    nc.save()
    return nc


@transaction.atomic
def nonconformity_start_actions(*, nc: Nonconformity, user) -> Nonconformity:
    quality_require(user, nc.agency, Right.MANAGE)
    nc = _locked(nc)
    _require_stage(nc, (Stage.PLANNING,), "triển khai kế hoạch")
    if not nc.actions.filter(status__in=OPEN_ACTION_STATUSES).exists():
        raise ValidationError(
            "Chưa có kế hoạch khắc phục: hãy thêm ít nhất một hành động (người thực hiện, hạn "
            "hoàn thành) trước khi triển khai."
        )
    nc.stage = Stage.IN_PROGRESS
    nc.save()
    return nc


def _open_actions_error(nc: Nonconformity) -> str | None:
    still_open = list(nc.actions.filter(status__in=OPEN_ACTION_STATUSES))
    if not still_open:
        return None
    listed = "; ".join(f"«{a.title}» ({user_label(a.owner)})" for a in still_open[:5])
    return f"Còn {len(still_open)} hành động chưa hoàn thành: {listed}."


@transaction.atomic
def nonconformity_request_verification(*, nc: Nonconformity, user) -> Nonconformity:
    quality_require(user, nc.agency, Right.MANAGE)
    nc = _locked(nc)
    _require_stage(nc, (Stage.IN_PROGRESS,), "đề nghị đánh giá hiệu lực")
    error = _open_actions_error(nc)
    if error:
        raise ValidationError(error + " Chỉ đề nghị đánh giá hiệu lực khi mọi hành động đã xong.")
    if not nc.actions.filter(status=ActionStatus.DONE).exists():
        raise ValidationError("Chưa có hành động nào được hoàn thành để đánh giá hiệu lực.")
    nc.stage = Stage.VERIFICATION
    nc.save()
    return nc


@transaction.atomic
def nonconformity_verify(*, nc: Nonconformity, effective: bool, note: str, user) -> Nonconformity:
    """Effectiveness judged by someone who owns none of the actions: closes, or sends back."""
    quality_require(user, nc.agency, Right.VERIFY)
    nc = _locked(nc)
    _require_stage(nc, (Stage.VERIFICATION,), "đánh giá hiệu lực")
    owners = {a.owner_id: a.owner for a in nc.actions.select_related("owner")}
    if user.pk in owners:
        raise ValidationError(
            f"{user_label(user)} là người thực hiện hành động khắc phục nên không được tự đánh "
            "giá hiệu lực: hãy để một người khác (lãnh đạo hoặc cán bộ ISO) đánh giá."
        )
    if not (note or "").strip():
        raise ValidationError("Hãy ghi kết quả đánh giá hiệu lực: bằng chứng đã xem, kết luận.")
    error = _open_actions_error(nc)
    if error:
        raise ValidationError(error + " Chưa thể đóng sự không phù hợp.")
    done = nc.actions.filter(status=ActionStatus.DONE)
    nc.verification_note = note.strip()
    nc.verified_by = user
    nc.verified_at = timezone.now()
    nc.effective = effective
    if effective:
        nc.stage = Stage.CLOSED
        nc.closed_at = nc.verified_at
        new = Effectiveness.EFFECTIVE
    else:
        nc.stage = Stage.PLANNING  # new actions are needed
        new = Effectiveness.NOT_EFFECTIVE
    for action in done:  # one by one: each change goes to the action's history
        action.effectiveness = new
        action.save()
    nc.save()
    return nc


@transaction.atomic
def nonconformity_cancel(*, nc: Nonconformity, reason: str, user) -> Nonconformity:
    quality_require(user, nc.agency, Right.MANAGE)
    nc = _locked(nc)
    _require_stage(nc, OPEN_STAGES, "huỷ")
    if not (reason or "").strip():
        raise ValidationError("Hãy ghi lý do huỷ sự không phù hợp.")
    nc.cancel_reason = reason.strip()
    nc.stage = Stage.CANCELLED
    nc.closed_at = timezone.now()
    for action in nc.actions.filter(status__in=OPEN_ACTION_STATUSES):
        action.status = ActionStatus.CANCELLED
        action.result = f"Huỷ theo sự không phù hợp: {nc.cancel_reason}"
        action.save()
    nc.save()
    return nc


@transaction.atomic
def action_add(
    *,
    nc: Nonconformity,
    title: str,
    owner,
    due_date: date | None,
    description: str = "",
    user,
) -> QualityAction:
    quality_require(user, nc.agency, Right.MANAGE)
    nc = _locked(nc)
    _require_stage(nc, (Stage.ANALYSIS, Stage.PLANNING, Stage.IN_PROGRESS), "thêm hành động")
    if not (title or "").strip():
        raise ValidationError("Hãy nhập nội dung hành động khắc phục.")
    if owner is None or not is_agency_staff(nc.agency, owner):
        raise ValidationError("Người thực hiện phải là cán bộ của cơ quan.")
    if due_date is None:
        raise ValidationError("Hãy chọn hạn hoàn thành.")
    if due_date < timezone.localdate():
        raise ValidationError("Hạn hoàn thành không được trước ngày hôm nay.")
    return QualityAction.objects.create(
        agency=nc.agency,
        source=ActionSource.NONCONFORMITY,
        nonconformity=nc,
        title=title.strip(),
        description=(description or "").strip(),
        owner=owner,
        due_date=due_date,
        created_by=user,
    )


def _require_reporter(action: QualityAction, user) -> None:
    if not action_can_report(user, action):
        raise PermissionDenied


@transaction.atomic
def action_start(*, action: QualityAction, user) -> QualityAction:
    _require_reporter(action, user)
    action = QualityAction.objects.select_for_update().get(pk=action.pk)
    if action.status != ActionStatus.PLANNED:
        raise ValidationError("Chỉ bắt đầu được hành động đang ở tình trạng «Chưa thực hiện».")
    nc = action.nonconformity
    if nc is not None and nc.stage != Stage.IN_PROGRESS:
        raise ValidationError(
            "Kế hoạch khắc phục chưa được triển khai: chưa thể thực hiện hành động."
        )
    action.status = ActionStatus.IN_PROGRESS
    action.save()
    return action


@transaction.atomic
def action_complete(*, action: QualityAction, result: str, user) -> QualityAction:
    _require_reporter(action, user)
    action = QualityAction.objects.select_for_update().get(pk=action.pk)
    if action.status in CLOSED_ACTION_STATUSES:
        raise ValidationError("Hành động này đã kết thúc.")
    nc = action.nonconformity
    if nc is not None and nc.stage != Stage.IN_PROGRESS:
        raise ValidationError(
            "Kế hoạch khắc phục chưa được triển khai: chưa thể báo cáo hoàn thành hành động."
        )
    if not (result or "").strip():
        raise ValidationError("Hãy ghi kết quả thực hiện và bằng chứng (văn bản, hồ sơ).")
    action.status = ActionStatus.DONE
    action.result = result.strip()
    action.completed_on = timezone.localdate()
    action.save()
    return action


@transaction.atomic
def action_cancel(*, action: QualityAction, reason: str, user) -> QualityAction:
    quality_require(user, action.agency, Right.MANAGE)
    action = QualityAction.objects.select_for_update().get(pk=action.pk)
    if action.status in CLOSED_ACTION_STATUSES:
        raise ValidationError("Hành động này đã kết thúc.")
    if not (reason or "").strip():
        raise ValidationError("Hãy ghi lý do huỷ hành động.")
    action.status = ActionStatus.CANCELLED
    action.result = reason.strip()
    action.save()
    return action
