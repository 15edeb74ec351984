"""Citizen feedback: the public form refuses bad and hostile input in Vietnamese and stores
nothing, a honeypot and a per-address limit stop robots, an answer is public only with the
citizen's consent and the staff's mark, and another agency's staff reach none of it."""

from __future__ import annotations

from datetime import date

from django.test import override_settings
from django.urls import reverse

import pytest

from content_types.agency import AgencyRole
from content_types.quality.nonconformity import NonconformitySource
from content_types.workspace import CitizenFeedback, FeedbackStatus
from tests.factories import make_form, run_workflow
from tests.quality.conftest import assert_refused
from tests.themes.builders import make_procedure
from workflows.workspace.feedback import FeedbackInput, feedback_submit
from workflows.workspace.feedback_stats import feedback_summary

EDITORS, AUDITORS = AgencyRole.EDITORS, AgencyRole.AUDITORS


@pytest.fixture
def procedure(agency_a, staff_a):
    form = run_workflow(make_form(agency_a, staff_a[EDITORS]), staff_a)
    return make_procedure(agency_a, [form])


def _url(procedure) -> str:
    return reverse("iso_feedback_form", args=[procedure.pk])


def _post(client, procedure, ip: str = "203.0.113.7", **fields):
    data = {"loai": "review", "muc_hai_long": "4", "noi_dung": "Cán bộ hướng dẫn tận tình."}
    data.update(fields)
    return client.post(_url(procedure), data, REMOTE_ADDR=ip)


@pytest.mark.django_db
def test_the_procedure_page_links_the_form_which_is_never_cached(client, procedure):
    page = client.get(procedure.url)
    assert _url(procedure) in page.content.decode()
    form = client.get(_url(procedure))
    assert form.status_code == 200
    assert form["Cache-Control"] == "private, no-store"
    html = form.content.decode()
    assert 'name="csrfmiddlewaretoken"' in html
    assert "Bạn hài lòng với thủ tục này ở mức nào?" in html
    assert client.get(_url(procedure))["Cache-Control"] == "private, no-store"  # no X-Cache HIT


@pytest.mark.django_db
def test_a_citizen_rates_and_writes_feedback(client, procedure, agency_a):
    response = _post(client, procedure, ho_ten="Nguyễn Văn An", lien_he="0912345678")
    assert response.status_code == 302 and response.url.endswith("?da_gui=1")
    stored = CitizenFeedback.objects.get()
    assert (stored.agency_id, stored.procedure_id, stored.rating) == (agency_a.pk, procedure.pk, 4)
    assert stored.status == FeedbackStatus.NEW and stored.consent_publish is False
    assert "Cảm ơn bạn đã gửi ý kiến" in client.get(response.url).content.decode()


@pytest.mark.django_db
def test_csrf_is_enforced_as_on_the_rest_of_the_site(procedure):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(_url(procedure), {"muc_hai_long": "5"})
    assert response.status_code == 403
    assert CitizenFeedback.objects.count() == 0


BAD_INPUT = [
    ({"noi_dung": "x" * 2001}, "Nội dung dài quá 2000 ký tự"),
    ({"muc_hai_long": "6"}, "Mức hài lòng phải là một số từ 1 đến 5."),
    ({"muc_hai_long": "0"}, "Mức hài lòng phải là một số từ 1 đến 5."),
    ({"muc_hai_long": "abc"}, "Mức hài lòng phải là một số từ 1 đến 5."),
    ({"muc_hai_long": "٣"}, "Mức hài lòng phải là một số từ 1 đến 5."),  # an Arabic-Indic 3
    ({"muc_hai_long": "4; DROP TABLE"}, "Mức hài lòng phải là một số từ 1 đến 5."),
    ({"ho_ten": "An\x00"}, "Họ tên chứa ký tự điều khiển"),
    ({"noi_dung": "Tốt\x00"}, "Nội dung chứa ký tự điều khiển"),
    ({"lien_he": "0912\u202e876"}, "Liên hệ chứa ký tự điều khiển"),  # right-to-left override
    ({"ho_ten": "A" * 101}, "Họ tên dài quá 100 ký tự"),
    ({"loai": "<script>"}, "Loại ý kiến không hợp lệ."),
    ({"loai": "reflection", "noi_dung": "  "}, "Hãy ghi nội dung phản ánh, kiến nghị."),
    ({"muc_hai_long": "", "noi_dung": ""}, "Hãy chọn mức hài lòng hoặc ghi ý kiến của bạn."),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("fields", "message"), BAD_INPUT)
def test_bad_input_is_refused_in_vietnamese_and_nothing_is_stored(
    client, procedure, fields, message
):
    response = _post(client, procedure, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert CitizenFeedback.objects.count() == 0


@pytest.mark.django_db
def test_html_and_script_are_kept_as_text_and_never_run(client, procedure, staff_a):
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    assert _post(client, procedure, noi_dung=hostile, ho_ten="<b>An</b>").status_code == 302
    stored = CitizenFeedback.objects.get()
    assert stored.message == hostile  # what the citizen wrote, for the record
    client.force_login(staff_a[EDITORS])
    html = client.get(reverse("iso_feedback", args=[stored.pk])).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "<b>An</b>" not in html


@pytest.mark.django_db
def test_a_filled_honeypot_stores_nothing_but_looks_like_success(client, procedure):
    response = _post(client, procedure, trang_web="http://spam.example")
    assert response.status_code == 302 and response.url.endswith("?da_gui=1")
    assert CitizenFeedback.objects.count() == 0


@pytest.mark.django_db
@override_settings(ISO_FEEDBACK_RATE_LIMITS=((3, 600),))
def test_one_address_is_rate_limited(client, procedure):
    for n in range(3):
        assert _post(client, procedure, noi_dung=f"Ý kiến {n}").status_code == 302
    refused = _post(client, procedure, noi_dung="Ý kiến thứ tư")
    assert refused.status_code == 429
    assert "Bạn đã gửi nhiều ý kiến trong thời gian ngắn" in refused.content.decode()
    assert CitizenFeedback.objects.count() == 3
    # Another address is not held back by the first one's submissions.
    assert _post(client, procedure, ip="198.51.100.9").status_code == 302


@pytest.mark.django_db
def test_unpublished_and_private_procedures_take_no_feedback(client, procedure, agency_a):
    procedure.unpublish()
    assert client.get(_url(procedure)).status_code == 404
    assert _post(client, procedure).status_code == 404
    assert client.get(reverse("iso_feedback_form", args=[agency_a.pk])).status_code == 404
    assert CitizenFeedback.objects.count() == 0


def _answer(client, feedback, **fields):
    data = {"answer": "Cơ quan đã bố trí thêm một cán bộ tiếp nhận.", "status": "answered"}
    data.update(fields)
    return client.post(reverse("iso_feedback", args=[feedback.pk]), data)


@pytest.mark.django_db
def test_never_shown_publicly_without_the_citizens_consent(
    client, procedure, staff_a, django_capture_on_commit_callbacks
):
    refused = feedback_submit(
        procedure=procedure, data=FeedbackInput(kind="reflection", rating=2, message="Chờ lâu.")
    )
    client.force_login(staff_a[EDITORS])
    response = _answer(client, refused, publishable="1")
    assert "Người gửi không đồng ý công khai câu trả lời" in response.content.decode()
    refused.refresh_from_db()
    assert refused.answer == "" and refused.publishable is False
    assert _answer(client, refused).status_code == 302  # answered, not public
    client.logout()
    assert "bố trí thêm một cán bộ" not in client.get(procedure.url).content.decode()


@pytest.mark.django_db
def test_a_consented_answer_marked_publishable_shows_at_once(
    client, procedure, staff_a, django_capture_on_commit_callbacks
):
    consented = feedback_submit(
        procedure=procedure,
        data=FeedbackInput(
            kind="petition", rating=3, message="Đề nghị có chỗ để xe.", consent_publish=True
        ),
    )
    assert "Đề nghị có chỗ để xe." not in client.get(procedure.url).content.decode()  # cached now
    staff = type(staff_a[EDITORS]).objects.get(pk=staff_a[EDITORS].pk)
    from django.test import Client

    admin = Client()
    admin.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        assert _answer(admin, consented).status_code == 302  # answered, not yet publishable
    assert "Đề nghị có chỗ để xe." not in client.get(procedure.url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert _answer(admin, consented, publishable="1").status_code == 302
    html = client.get(procedure.url).content.decode()
    assert "Đề nghị có chỗ để xe." in html and "bố trí thêm một cán bộ" in html
    # Name and contact are never published.
    consented.refresh_from_db()
    assert consented.history.count() >= 3  # sent, answered, published: kept


@pytest.mark.django_db
def test_staff_of_another_agency_reach_none_of_it(client, procedure, agency_a, staff_a, staff_b):
    feedback = feedback_submit(
        procedure=procedure, data=FeedbackInput(kind="review", rating=5, message="Rất tốt.")
    )
    for role in AgencyRole.values:
        client.force_login(staff_b[role])
        assert_refused(client.get(reverse("iso_feedback", args=[feedback.pk])))
        assert_refused(_answer(client, feedback))
        assert_refused(client.get(reverse("iso_feedback_list", args=[agency_a.pk])))
    # The agency's own auditor reads, but does not answer.
    client.force_login(staff_a[AUDITORS])
    assert client.get(reverse("iso_feedback", args=[feedback.pk])).status_code == 200
    assert_refused(_answer(client, feedback))
    feedback.refresh_from_db()
    assert feedback.answer == "" and feedback.status == FeedbackStatus.NEW


@pytest.mark.django_db
def test_the_list_filters_by_status(client, procedure, agency_a, staff_a):
    for n, status in enumerate(["new", "in_progress", "answered", "closed", "new"]):
        item = feedback_submit(
            procedure=procedure,
            data=FeedbackInput(kind="review", rating=3, message=f"Ý kiến số {n}"),
        )
        CitizenFeedback.objects.filter(pk=item.pk).update(status=status)
    client.force_login(staff_a[EDITORS])
    url = reverse("iso_feedback_list", args=[agency_a.pk])
    html = client.get(url, {"tinh_trang": "new"}).content.decode()
    assert "Ý kiến số 0" in html and "Ý kiến số 4" in html and "Ý kiến số 2" not in html
    assert "Mới (2)" in html and "Đã trả lời (1)" in html and "Đã đóng (1)" in html
    assert "Ý kiến số 2" in client.get(url, {"tinh_trang": "answered"}).content.decode()


@pytest.mark.django_db
def test_staff_raise_a_nonconformity_from_a_complaint_once(client, procedure, staff_a):
    feedback = feedback_submit(
        procedure=procedure,
        data=FeedbackInput(kind="reflection", rating=1, message="Trả kết quả trễ 3 ngày."),
    )
    client.force_login(staff_a[EDITORS])
    url = reverse("iso_feedback", args=[feedback.pk])
    response = client.post(url, {"action": "nonconformity"})
    feedback.refresh_from_db()
    nc = feedback.nonconformity
    assert nc is not None and response.url == reverse("iso_quality_nc", args=[nc.pk])
    assert (
        nc.source == NonconformitySource.COMPLAINT and "Trả kết quả trễ 3 ngày." in nc.description
    )
    assert feedback.status == FeedbackStatus.IN_PROGRESS
    again = client.post(url, {"action": "nonconformity"}, follow=True)
    assert f"Ý kiến này đã được lập phiếu {nc.code}." in again.content.decode()
    assert type(nc).objects.count() == 1


@pytest.mark.django_db
def test_the_reviews_satisfaction_input(procedure, agency_a, agency_b):
    for rating in (5, 4, 2, None):
        feedback_submit(
            procedure=procedure,
            data=FeedbackInput(
                kind="review", rating=rating, message="Ý kiến" if rating is None else ""
            ),
        )
    CitizenFeedback.objects.filter(rating=2).update(status=FeedbackStatus.ANSWERED)
    year = date.today().year
    summary = feedback_summary(agency=agency_a, year=year)
    assert (summary.total, summary.rated, summary.average_rating) == (4, 3, 3.7)
    assert summary.by_status["new"] == 3 and summary.by_status["answered"] == 1
    assert summary.by_rating == {1: 0, 2: 1, 3: 0, 4: 1, 5: 1}
    assert "4 ý kiến, mức hài lòng trung bình 3,7/5" in summary.text
    assert feedback_summary(agency=agency_b, year=year).total == 0
    assert feedback_summary(agency=agency_a, year=year - 1).total == 0
    # The management review's input 9.3.2 c1 is this summary.
    from workflows.quality.review_inputs import review_input_sources

    source = {s.key: s for s in review_input_sources()}["satisfaction"]
    value = source.provide(agency=agency_a, year=year)
    assert value.text == summary.text
    assert value.figures["total"] == 4 and value.figures["average_rating"] == 3.7
