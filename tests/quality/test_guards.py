"""Every guard refuses with its Vietnamese message and changes nothing."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

import pytest

from content_types.quality.action import ActionStatus, QualityAction
from content_types.quality.nonconformity import Nonconformity, NonconformityStage
from content_types.quality.plan import AuditPlanPage
from content_types.quality.record import AuditQuestion, AuditRecord, AuditResult
from content_types.quality.report import AuditReportPage
from tests.factories import make_user
from tests.quality.conftest import (
    APPROVERS,
    AUDITORS,
    EDITORS,
    REVIEWERS,
    add_page,
    approved_plan,
    approved_programme,
    assert_refused,
    assignment,
    messages_of,
    plan_form_data,
)
from workflows.quality import audits
from workflows.quality import nonconformities as ncs

pytestmark = pytest.mark.django_db


def _snapshot(model, pk):
    return model_to_dict(model.objects.get(pk=pk))


# --- Impartiality -----------------------------------------------------------------------------


def test_plan_refuses_an_auditor_on_their_own_unit(client, agency_a, staff_a, units_a):
    programme = approved_programme(client, agency_a, staff_a, units_a)
    auditor = staff_a[AUDITORS]  # member of the legal unit
    client.force_login(staff_a[EDITORS])
    response = add_page(
        client,
        AuditPlanPage,
        programme,
        plan_form_data(auditor, [assignment(units_a["legal"], auditor)]),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "thuộc đơn vị «Phòng Hành chính tư pháp» nên không được phân công" in html
    assert "tính khách quan" in html
    assert not AuditPlanPage.objects.exists()


def test_plan_offers_only_eligible_auditors_and_the_agencys_units(
    client, agency_a, agency_b, staff_a, units_a
):
    from content_types.quality.units import QualityUnit

    programme = approved_programme(client, agency_a, staff_a, units_a)
    other_unit = QualityUnit.objects.create(agency=agency_b, name="Văn phòng cơ quan B")
    client.force_login(staff_a[EDITORS])
    for row in (
        assignment(units_a["desk"], staff_a[REVIEWERS]),  # not a trained auditor
        assignment(other_unit, staff_a[AUDITORS]),  # another agency's unit
    ):
        response = add_page(
            client, AuditPlanPage, programme, plan_form_data(staff_a[AUDITORS], [row])
        )
        assert response.status_code == 200
        assert "Hãy chọn một lựa chọn hợp lệ" in response.content.decode() or (
            "Select a valid choice" in response.content.decode()
        )
    assert not AuditPlanPage.objects.exists()
    form_page = client.get(
        reverse("wagtailadmin_pages:add", args=["content_types", "auditplanpage", programme.pk])
    ).content.decode()
    assert "Văn phòng cơ quan B" not in form_page


def test_record_refused_when_the_auditor_joined_the_unit_after_approval(
    client, agency_a, staff_a, units_a
):
    programme = approved_programme(client, agency_a, staff_a, units_a)
    auditor = staff_a[AUDITORS]
    plan = approved_plan(
        client, programme, staff_a, [assignment(units_a["desk"], auditor)], team_lead=auditor
    )
    units_a["desk"].members.add(auditor)
    with pytest.raises(ValidationError) as refused:
        audits.audit_plan_check_impartiality(plan=plan)
    assert "không được phân công đánh giá đơn vị của mình" in refused.value.messages[0]
    client.force_login(auditor)
    row = plan.assignments.get()
    response = client.post(
        reverse("iso_quality_plan", args=[plan.pk]),
        {"op": "open_record", "assignment": row.pk},
        follow=True,
    )
    assert any("không được phân công" in m for m in messages_of(response))
    assert not AuditRecord.objects.exists()


# --- Records and report ------------------------------------------------------------------------


@pytest.fixture
def plan(client, agency_a, staff_a, units_a):
    programme = approved_programme(client, agency_a, staff_a, units_a)
    auditor = staff_a[AUDITORS]
    return approved_plan(
        client, programme, staff_a, [assignment(units_a["desk"], auditor)], team_lead=auditor
    )


@pytest.fixture
def record(plan, staff_a):
    row = plan.assignments.get()
    return audits.audit_record_open(plan=plan, assignment_id=row.pk, user=staff_a[AUDITORS])


def test_no_record_before_the_plan_is_approved(client, agency_a, staff_a, units_a):
    programme = approved_programme(client, agency_a, staff_a, units_a)
    auditor = staff_a[AUDITORS]
    client.force_login(staff_a[EDITORS])
    add_page(
        client,
        AuditPlanPage,
        programme,
        plan_form_data(auditor, [assignment(units_a["desk"], auditor)]),
    )
    plan = AuditPlanPage.objects.get()
    assert not plan.live
    client.force_login(auditor)
    response = client.post(
        reverse("iso_quality_plan", args=[plan.pk]),
        {"op": "open_record", "assignment": plan.assignments.get().pk},
        follow=True,
    )
    assert any("chưa được lãnh đạo phê duyệt" in m for m in messages_of(response))
    assert not AuditRecord.objects.exists()


def test_record_guards(client, record, staff_a):
    client.force_login(staff_a[AUDITORS])
    url = reverse("iso_quality_record", args=[record.pk])
    response = client.post(url, {"op": "submit"}, follow=True)
    assert "Phiếu ghi chép chưa có câu hỏi nào: chưa thể hoàn thành." in messages_of(response)

    client.post(url, {"op": "add", "clause": "8.5", "question": "Hồ sơ đúng hạn?"})
    question = record.questions.get()
    response = client.post(url, {"op": "submit"}, follow=True)
    assert any(
        "Còn 1 câu hỏi chưa có kết quả đánh giá (điều 8.5)" in m for m in messages_of(response)
    )

    before = _snapshot(AuditQuestion, question.pk)
    response = client.post(
        reverse("iso_quality_question", args=[question.pk]),
        {"op": "answer", "result": AuditResult.MAJOR, "evidence": "Sổ theo dõi", "note": ""},
    )
    assert any("cần diễn giải phát hiện" in m for m in messages_of(response))
    assert _snapshot(AuditQuestion, question.pk) == before

    response = client.post(
        reverse("iso_quality_question", args=[question.pk]),
        {"op": "answer", "result": AuditResult.CONFORMING, "evidence": ""},
    )
    assert any("Hãy ghi bằng chứng đã xem" in m for m in messages_of(response))
    assert _snapshot(AuditQuestion, question.pk) == before
    assert AuditRecord.objects.get(pk=record.pk).status == "open"


def test_only_the_records_auditor_writes_it(client, record, staff_a, province_auditor):
    for user in (staff_a[EDITORS], province_auditor):
        client.force_login(user)
        response = client.post(
            reverse("iso_quality_record", args=[record.pk]),
            {"op": "add", "clause": "8.5", "question": "Câu hỏi lạ"},
        )
        assert_refused(response)
    assert not record.questions.exists()


def test_report_needs_every_record_completed_and_is_made_once(client, plan, record, staff_a):
    client.force_login(staff_a[EDITORS])
    url = reverse("iso_quality_plan", args=[plan.pk])
    response = client.post(url, {"op": "generate_report"}, follow=True)
    assert any(
        "Đơn vị «Bộ phận Một cửa»" in m and "chưa có phiếu ghi chép hoàn thành" in m
        for m in messages_of(response)
    )
    assert not AuditReportPage.objects.exists()

    question = audits.audit_question_add(
        record=record, clause="8.5", question="Đúng hạn?", user=staff_a[AUDITORS]
    )
    audits.audit_question_answer(
        question=question, result="conforming", evidence="Sổ", user=staff_a[AUDITORS]
    )
    audits.audit_record_submit(record=record, user=staff_a[AUDITORS])
    assert client.post(url, {"op": "generate_report"}).status_code == 302
    response = client.post(url, {"op": "generate_report"}, follow=True)
    assert "Đợt đánh giá này đã có báo cáo: hãy sửa báo cáo đã có." in messages_of(response)
    assert AuditReportPage.objects.count() == 1


# --- Nonconformity stages ----------------------------------------------------------------------


@pytest.fixture
def nc(agency_a, staff_a):
    return ncs.nonconformity_raise(
        agency=agency_a,
        title="Hồ sơ trễ hạn",
        description="Ba hồ sơ trễ hạn tháng 11.",
        source="late_dossier",
        user=staff_a[EDITORS],
    )


def _post(client, nc, data):
    response = client.post(reverse("iso_quality_nc", args=[nc.pk]), data, follow=True)
    return messages_of(response)


def _in_stage(nc, stage, staff, *, with_action=True):
    editor = staff[EDITORS]
    ncs.nonconformity_start_analysis(nc=nc, user=editor)
    ncs.nonconformity_record_cause(nc=nc, cause="Thiếu người theo dõi.", user=editor)
    if with_action:
        ncs.action_add(
            nc=nc,
            title="Phân công theo dõi",
            owner=staff[REVIEWERS],
            due_date=timezone.localdate() + timedelta(days=10),
            user=editor,
        )
    if stage == NonconformityStage.PLANNING:
        return
    ncs.nonconformity_start_actions(nc=nc, user=editor)
    if stage == NonconformityStage.IN_PROGRESS:
        return
    for action in nc.actions.all():
        ncs.action_complete(action=action, result="Đã làm.", user=staff[REVIEWERS])
    ncs.nonconformity_request_verification(nc=nc, user=editor)


def test_no_progress_without_a_plan(client, nc, staff_a):
    _in_stage(nc, NonconformityStage.PLANNING, staff_a, with_action=False)
    before = _snapshot(Nonconformity, nc.pk)
    client.force_login(staff_a[EDITORS])
    assert any(
        m.startswith("Chưa có kế hoạch khắc phục: hãy thêm ít nhất một hành động")
        for m in _post(client, nc, {"op": "start"})
    )
    assert _snapshot(Nonconformity, nc.pk) == before


def test_no_verification_while_an_action_is_open(client, nc, staff_a):
    _in_stage(nc, NonconformityStage.IN_PROGRESS, staff_a)
    client.force_login(staff_a[EDITORS])
    found = _post(client, nc, {"op": "request_verification"})
    assert any("Còn 1 hành động chưa hoàn thành: «Phân công theo dõi»" in m for m in found)
    assert Nonconformity.objects.get(pk=nc.pk).stage == NonconformityStage.IN_PROGRESS


def test_the_action_owner_cannot_verify_and_a_note_is_required(client, nc, staff_a):
    _in_stage(nc, NonconformityStage.VERIFICATION, staff_a)
    owner = staff_a[REVIEWERS]
    owner.groups.add(staff_a[APPROVERS].groups.first())  # give the owner the right to verify
    before = _snapshot(Nonconformity, nc.pk)
    client.force_login(owner)
    found = _post(client, nc, {"op": "verify", "effective": "1", "note": "Tốt."})
    assert any("không được tự đánh giá hiệu lực" in m for m in found)
    client.force_login(staff_a[APPROVERS])
    found = _post(client, nc, {"op": "verify", "effective": "1", "note": "  "})
    assert "Hãy ghi kết quả đánh giá hiệu lực: bằng chứng đã xem, kết luận." in found
    assert _snapshot(Nonconformity, nc.pk) == before


def test_not_effective_goes_back_to_planning(client, nc, staff_a):
    _in_stage(nc, NonconformityStage.VERIFICATION, staff_a)
    client.force_login(staff_a[APPROVERS])
    _post(client, nc, {"op": "verify", "effective": "0", "note": "Vẫn còn hồ sơ trễ."})
    nc = Nonconformity.objects.get(pk=nc.pk)
    assert nc.stage == NonconformityStage.PLANNING and nc.effective is False
    # Closing needs new actions carried out: the old, done ones do not count as a plan.
    client.force_login(staff_a[EDITORS])
    assert any(
        m.startswith("Chưa có kế hoạch khắc phục") for m in _post(client, nc, {"op": "start"})
    )


def test_wrong_stage_and_cancel_guards(client, nc, staff_a):
    client.force_login(staff_a[EDITORS])
    found = _post(client, nc, {"op": "request_verification"})
    assert (
        f"Không thể đề nghị đánh giá hiệu lực khi sự không phù hợp {nc.code} đang ở giai đoạn "
        "«Mới»." in found
    )
    assert "Hãy ghi lý do huỷ sự không phù hợp." in _post(
        client, nc, {"op": "cancel", "reason": ""}
    )
    assert Nonconformity.objects.get(pk=nc.pk).stage == NonconformityStage.NEW
    _post(client, nc, {"op": "cancel", "reason": "Trùng với NC khác."})
    nc = Nonconformity.objects.get(pk=nc.pk)
    assert nc.stage == NonconformityStage.CANCELLED and nc.cancel_reason == "Trùng với NC khác."
    found = _post(client, nc, {"op": "analyse"})
    assert any("đang ở giai đoạn «Đã huỷ»" in m for m in found)


def test_cause_is_required(client, nc, staff_a):
    ncs.nonconformity_start_analysis(nc=nc, user=staff_a[EDITORS])
    client.force_login(staff_a[EDITORS])
    found = _post(client, nc, {"op": "cause", "cause": ""})
    assert any(m.startswith("Hãy ghi nguyên nhân gốc rễ") for m in found)
    assert Nonconformity.objects.get(pk=nc.pk).stage == NonconformityStage.ANALYSIS


def test_action_guards(client, nc, staff_a, staff_b):
    ncs.nonconformity_start_analysis(nc=nc, user=staff_a[EDITORS])
    client.force_login(staff_a[EDITORS])
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    found = _post(
        client,
        nc,
        {"op": "add_action", "title": "Làm ngay", "owner": staff_a[REVIEWERS].pk, "due_date": past},
    )
    assert "Hạn hoàn thành không được trước ngày hôm nay." in found
    with pytest.raises(ValidationError) as refused:
        ncs.action_add(
            nc=nc,
            title="Người ngoài",
            owner=staff_b[EDITORS],
            due_date=date.today() + timedelta(days=3),
            user=staff_a[EDITORS],
        )
    assert refused.value.messages == ["Người thực hiện phải là cán bộ của cơ quan."]
    assert not QualityAction.objects.exists()

    action = ncs.action_add(
        nc=nc,
        title="Phân công",
        owner=staff_a[REVIEWERS],
        due_date=timezone.localdate() + timedelta(days=3),
        user=staff_a[EDITORS],
    )
    client.force_login(staff_a[REVIEWERS])
    response = client.post(
        reverse("iso_quality_action", args=[action.pk]),
        {"op": "complete", "result": "Xong"},
        follow=True,
    )
    assert (
        "Kế hoạch khắc phục chưa được triển khai: chưa thể báo cáo hoàn thành hành động."
        in messages_of(response)
    )
    assert QualityAction.objects.get(pk=action.pk).status == ActionStatus.PLANNED
    # Someone who neither owns the action nor manages the agency's records cannot report on it.
    stranger = make_user("nguoi.la", staff_a[APPROVERS].groups.first())
    client.force_login(stranger)
    response = client.post(reverse("iso_quality_action", args=[action.pk]), {"op": "start"})
    assert_refused(response)
    assert QualityAction.objects.get(pk=action.pk).status == ActionStatus.PLANNED


def test_one_programme_per_agency_and_year(client, agency_a, staff_a, units_a):
    from content_types.quality.programme import AuditProgrammePage
    from tests.factories import quality_system
    from tests.quality.conftest import programme_form_data

    approved_programme(client, agency_a, staff_a, units_a)
    client.force_login(staff_a[EDITORS])
    data = programme_form_data(units_a.values(), slug="chuong-trinh-trung")
    response = add_page(client, AuditProgrammePage, quality_system(agency_a), data)
    assert response.status_code == 200
    assert "Cơ quan đã có chương trình đánh giá nội bộ năm 2026" in response.content.decode()
    assert AuditProgrammePage.objects.count() == 1


def test_an_audit_day_outside_the_round_is_refused(client, agency_a, staff_a, units_a):
    programme = approved_programme(client, agency_a, staff_a, units_a)
    auditor = staff_a[AUDITORS]
    client.force_login(staff_a[EDITORS])
    response = add_page(
        client,
        AuditPlanPage,
        programme,
        plan_form_data(auditor, [assignment(units_a["desk"], auditor, day="2026-12-25")]),
    )
    assert response.status_code == 200
    assert "Ngày đánh giá phải trong thời gian của đợt (từ 10/12/2026 đến 11/12/2026)." in (
        response.content.decode()
    )
    assert not AuditPlanPage.objects.exists()
