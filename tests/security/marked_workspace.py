"""Agency A's marked citizen feedback (issue 17) and the province's marked decision file in its
preview (issue 19), for the admin walk.

The feedback is a complaint on one of A's public procedures, not yet answered: an answer or a
nonconformity raised through B would change it. The province decision names A in one row; only
province administrators may open its preview (`iso_catalogue_province_preview`), and a POST there
would turn the row into A's draft procedure."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import Group

from content_types.workspace import CitizenFeedback
from tests.catalogue.builders import HEADING, xlsx_bytes
from tests.factories import make_user
from tests.themes.builders import make_procedure
from workflows.catalogue.services import catalogue_upload
from workflows.provisioning import PROVINCE_ADMINS
from workflows.workspace.feedback import FeedbackInput, feedback_submit

from .marked import MARK, MARK_LOWER, SEARCH_WORD, MarkedWorld, fingerprint_part, marked_builder
from .walk import walk_url

TEXT = f"{MARK} {SEARCH_WORD}"


@marked_builder
def citizen_feedback(world: MarkedWorld) -> None:
    procedure = make_procedure(world.agency_a, [], title="Chứng thực bản sao", code="2.000908")
    feedback = feedback_submit(
        procedure=procedure,
        data=FeedbackInput(
            kind="reflection",
            rating=2,
            message=f"{TEXT} Hồ sơ của tôi bị trả lại không rõ lý do",
            name=f"{TEXT} Nguyễn Văn Dân",
            contact="0900000000",
            consent_publish=True,
        ),
    )
    world.add(feedback)


walk_url(
    "iso_feedback",
    "content_types.citizenfeedback",
    posts=[
        {"action": "nonconformity"},
        {"answer": "chiem quyen", "status": "answered", "publishable": "1"},
    ],
)


@marked_builder
def province_decision(world: MarkedWorld) -> None:
    province = make_user("tinh.quantri.walk", Group.objects.get(name=PROVINCE_ADMINS))
    world.extra["province_admin"] = province
    rows = [
        ["DANH MỤC THỦ TỤC HÀNH CHÍNH (Kèm theo Quyết định của UBND tỉnh)"],
        HEADING,
        [1, "2.000999", f"{TEXT} Thủ tục của tỉnh chưa công khai", "Hộ tịch", "Cấp tỉnh",
         world.agency_a.title, "Mới ban hành"],
    ]  # fmt: skip
    decision = catalogue_upload(
        agency=None,
        user=province,
        number=f"{MARK}/QĐ-UBND-TINH",
        effective_date=date(2026, 12, 1),
        file_name=f"{MARK_LOWER}-{SEARCH_WORD}-tinh.xlsx",
        content=xlsx_bytes(rows),
    )
    world.add(decision)


walk_url(
    "iso_catalogue_province_preview",
    {"decision_id": "content_types.cataloguedecision"},
    own=lambda world: [world.extra["province_admin"]],
)


@fingerprint_part
def feedback_part(world: MarkedWorld):
    return list(CitizenFeedback.objects.order_by("pk").values_list())
