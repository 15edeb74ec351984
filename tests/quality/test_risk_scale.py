"""The agency's own rating scale of risks, through its admin screen as the real roles: set by
the agency's administrators (and the province's) with history, refused in Vietnamese when the
labels or bands do not fit or when a register uses a level the smaller scale would lose, read
by the register and its form, and out of reach of another agency's staff."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.urls import reverse

from content_types.quality.risk import AgencyRiskScale, RiskRegisterPage, risk_scale_for
from tests.factories import make_user, quality_system
from tests.quality.conftest import ADMINISTRATORS, AUDITORS, EDITORS, add_page, assert_refused
from tests.quality.test_risks_reviews import _approved_register, _register_data, _risk
from workflows.provisioning import PROVINCE_ADMINS


def _scale_url(agency) -> str:
    return reverse("iso_quality_risk_scale", args=[agency.pk])


def _post(client, agency, **values):
    data = {
        "scale_size": 5,
        "likelihood_labels": "",
        "impact_labels": "",
        "medium_from": "",
        "high_from": "",
    }
    data.update(values)
    return client.post(_scale_url(agency), data)


def test_agency_admin_sets_the_scale_with_history_and_registers_rate_on_it(
    client, agency_a, agency_b, staff_a
):
    client.force_login(staff_a[ADMINISTRATORS])
    response = _post(
        client,
        agency_a,
        scale_size=4,
        likelihood_labels="Hiếm\nCó thể\nThường\nChắc chắn",
        impact_labels="Nhẹ\nVừa\nNặng\nRất nặng",
        medium_from=3,
        high_from=8,
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    scale = AgencyRiskScale.objects.get(agency=agency_a)
    assert (scale.scale_size, scale.medium_from, scale.high_from) == (4, 3, 8)
    assert scale.updated_by == staff_a[ADMINISTRATORS]
    record = scale.history.get()
    assert record.history_user == staff_a[ADMINISTRATORS]
    assert not AgencyRiskScale.objects.filter(agency=agency_b).exists()  # B keeps the default

    page = client.get(_scale_url(agency_a)).content.decode()
    assert "Lịch sử thay đổi" in page and staff_a[ADMINISTRATORS].get_username() in page
    assert "Hiếm; Có thể; Thường; Chắc chắn" in page

    # The register's form checks values against the agency's 4 levels ...
    client.force_login(staff_a[EDITORS])
    parent = quality_system(agency_a)
    response = add_page(
        client, RiskRegisterPage, parent, _register_data([_risk(staff_a[EDITORS], impact=5)])
    )
    assert "Giá trị phải từ 1 đến 4 (thang đo 4 mức)." in response.content.decode()
    assert not RiskRegisterPage.objects.exists()
    # ... and the register rates on its bands: 2 × 4 = 8 is high from 8 here (medium on the
    # default 5-level scale), 1 × 2 = 2 low, 2 × 2 = 4 medium.
    register = _approved_register(client, agency_a, staff_a)
    scale_of = risk_scale_for(register)
    assert (scale_of.size, scale_of.high_from) == (4, 8)
    assert str(scale_of.level(2, 4)) == "8 – Cao"
    assert str(scale_of.level(1, 2)) == "2 – Thấp"
    # Another agency's register keeps the default scale.
    assert risk_scale_for(quality_system(agency_b)).size == 5


def test_bad_scale_refused_in_vietnamese_and_nothing_changes(client, agency_a, staff_a):
    client.force_login(staff_a[ADMINISTRATORS])
    cases = [
        (
            {"scale_size": 3, "likelihood_labels": "Thấp\nCao"},
            "Thang đo có 3 mức nên cần đúng 3 dòng, mỗi dòng tên một mức (đang có 2).",
        ),
        (
            {"scale_size": 4, "impact_labels": "A\nB\nC\nD\nE"},
            "Thang đo có 4 mức nên cần đúng 4 dòng, mỗi dòng tên một mức (đang có 5).",
        ),
        ({"scale_size": 3, "high_from": 10}, "Với thang đo 3 mức, điểm phải từ 2 đến 9."),
        ({"scale_size": 5, "medium_from": 1}, "Với thang đo 5 mức, điểm phải từ 2 đến 25."),
        (
            {"scale_size": 5, "medium_from": 12, "high_from": 10},
            "Điểm bắt đầu mức cao (10) phải lớn hơn điểm bắt đầu mức trung bình (12).",
        ),
        # Only the medium band given: it must stay below the default start of high (4 levels: 9).
        (
            {"scale_size": 4, "medium_from": 9},
            "Điểm bắt đầu mức cao (9) phải lớn hơn điểm bắt đầu mức trung bình (9).",
        ),
        ({"scale_size": 7}, "Hãy chọn thang đo 3, 4 hoặc 5 mức."),
        ({"scale_size": 5, "high_from": "mười"}, "Hãy nhập một số nguyên."),
    ]
    for values, message in cases:
        response = _post(client, agency_a, **values)
        assert response.status_code == 200, values
        assert message in response.content.decode(), values
        assert "Chưa lưu thang đo" in response.content.decode()
    assert not AgencyRiskScale.objects.exists()


def test_a_smaller_scale_is_refused_while_a_register_uses_higher_levels(client, agency_a, staff_a):
    register = _approved_register(client, agency_a, staff_a)  # rated 4 × 4 on 5 levels
    client.force_login(staff_a[ADMINISTRATORS])
    response = _post(client, agency_a, scale_size=3)
    body = response.content.decode()
    assert response.status_code == 200
    assert f"Không thể giảm thang đo còn 3 mức: «{register.title}» dùng mức 4." in body
    assert not AgencyRiskScale.objects.exists()
    # Four levels still hold every rating: allowed, and the register approved on the old
    # scale says that it is now rated on the new one.
    assert _post(client, agency_a, scale_size=4).status_code == 302
    shown = client.get(reverse("iso_quality_risks", args=[register.pk])).content.decode()
    assert "Thang đo đã đổi ngày" in shown and "sau khi sổ này được phê duyệt" in shown

    # A draft naming level 4 is found in its revision, though the live rows are re-rated.
    client.force_login(staff_a[EDITORS])
    draft = register.get_latest_revision_as_object()
    for row in draft.risks.all():
        row.likelihood, row.impact = 2, 2
        row.residual_likelihood = row.residual_impact = None
    draft.save_revision(user=staff_a[EDITORS])
    client.force_login(staff_a[ADMINISTRATORS])
    body = _post(client, agency_a, scale_size=3).content.decode()
    assert f"«{register.title}» dùng mức 4" in body  # the version in force still uses 4
    assert AgencyRiskScale.objects.get(agency=agency_a).scale_size == 4


def test_the_scale_is_out_of_reach_of_other_agencies_and_read_only_for_staff(
    client, agency_a, agency_b, staff_a, staff_b
):
    AgencyRiskScale.objects.create(agency=agency_a, scale_size=4, high_from=8)
    url = _scale_url(agency_a)
    for role in (EDITORS, AUDITORS, ADMINISTRATORS):
        client.force_login(staff_b[role])
        assert_refused(client.get(url))
        assert_refused(_post(client, agency_a, scale_size=3))
    client.logout()
    assert client.get(url).status_code == 302  # to the sign-in
    # The agency's own editor reads it but cannot change it.
    client.force_login(staff_a[EDITORS])
    page = client.get(url)
    assert page.status_code == 200 and "Lưu thang đo" not in page.content.decode()
    assert_refused(_post(client, agency_a, scale_size=3))
    scale = AgencyRiskScale.objects.get(agency=agency_a)
    assert (scale.scale_size, scale.high_from) == (4, 8)
    assert scale.history.count() == 1  # its creation only

    # A province administrator may set any agency's scale.
    province = make_user("tinh.quantri", Group.objects.get(name=PROVINCE_ADMINS))
    client.force_login(province)
    assert _post(client, agency_b, scale_size=3).status_code == 302
    assert AgencyRiskScale.objects.get(agency=agency_b).history.get().history_user == province
