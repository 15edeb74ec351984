"""Records that fall due, for one agency: a document approved a year ago, a form approved
recently, an overdue action, a nonconformity waiting for its cause, a citizen's feedback."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine

from content_types.agency import AgencyRole
from content_types.quality.action import QualityAction
from content_types.quality.nonconformity import Nonconformity
from content_types.workspace import CitizenFeedback
from tests.factories import make_draft_document, make_form, run_workflow
from tests.themes.builders import make_procedure
from workflows.quality.nonconformities import nonconformity_raise
from workflows.workspace.feedback import FeedbackInput, feedback_submit

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = date(2027, 3, 15)


def at(day: date, hour: int = 8):
    return time_machine.travel(
        datetime(day.year, day.month, day.day, hour, 0, tzinfo=TZ), tick=False
    )


@dataclass
class Due:
    document: object  # approved 2026-02-01: review due 2027-02-01, overdue on TODAY
    form: object  # approved 2026-03-20: review due 2027-03-20, this month
    fresh: object  # approved 2027-01-10: not due this year
    action: QualityAction  # due 2027-03-05: overdue
    later_action: QualityAction  # due 2027-05-01: not this month
    nc: Nonconformity
    procedure: object
    feedback: CitizenFeedback  # sent 2027-03-01: answer due 2027-03-11, overdue


def build_due(agency, staff, *, code: str = "A") -> Due:
    editor = staff[AgencyRole.EDITORS]
    with at(date(2026, 2, 1)):
        document = make_draft_document(agency, editor, title=f"Sổ tay chất lượng {code}")
        document = run_workflow(document, staff)
    with at(date(2026, 3, 20)):
        form = make_form(agency, editor, code=f"BM.{code}-01", title=f"Tờ khai {code}")
        form = run_workflow(form, staff)
    with at(date(2027, 1, 10)):
        fresh = make_draft_document(agency, editor, title=f"Chính sách chất lượng {code}")
        fresh.code = f"CS.{code}"
        fresh.save()
        fresh.save_revision(user=editor)
        fresh = run_workflow(fresh, staff)
    with at(date(2027, 3, 1)):
        procedure = make_procedure(agency, [form], title=f"Đăng ký khai sinh {code}")
        nc = nonconformity_raise(
            agency=agency,
            title=f"Hồ sơ trễ hạn {code}",
            description="Trả kết quả trễ 2 ngày.",
            user=editor,
        )
        action = QualityAction.objects.create(
            agency=agency,
            title=f"Nhắc hạn hồ sơ {code}",
            owner=staff[AgencyRole.REVIEWERS],
            due_date=date(2027, 3, 5),
            created_by=editor,
        )
        later = QualityAction.objects.create(
            agency=agency,
            title=f"Đào tạo lại {code}",
            owner=editor,
            due_date=date(2027, 5, 1),
            created_by=editor,
        )
        feedback = feedback_submit(
            procedure=procedure,
            data=FeedbackInput(
                kind="reflection",
                rating="2",
                message=f"Chờ lâu quá ({code}).",
                consent_publish=True,
            ),
        )
    return Due(document, form, fresh, action, later, nc, procedure, feedback)
