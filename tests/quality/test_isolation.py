"""Another agency's editor, auditor and administrator cannot list, open, export or change any
of an agency's audits, findings, nonconformities or actions; the province's staff read them all."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.forms.models import model_to_dict
from django.urls import reverse

import pytest

from content_types.quality.action import QualityAction
from content_types.quality.nonconformity import Nonconformity
from content_types.quality.record import AuditQuestion, AuditRecord
from content_types.quality.units import QualityUnit
from tests.factories import make_user
from tests.quality.builders import FINDING, build_round
from tests.quality.conftest import ADMINISTRATORS, AUDITORS, EDITORS, assert_refused
from workflows.provisioning import PROVINCE_ADMINS

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_a(agency_a, staff_a):
    return build_round(agency_a, staff_a)


def _reads(agency, r) -> list[str]:
    lists = [
        reverse(name, args=[agency.pk])
        for name in (
            "iso_quality_agency",
            "iso_quality_findings",
            "iso_quality_ncs",
            "iso_quality_actions",
            "iso_quality_units",
            "iso_quality_nc_create",
        )
    ]
    exports = [
        reverse(name, args=[agency.pk]) + "?xuat=xlsx"
        for name in (
            "iso_quality_agency",
            "iso_quality_findings",
            "iso_quality_ncs",
            "iso_quality_actions",
        )
    ]
    objects = [
        reverse("iso_quality_programme", args=[r.programme.pk]),
        reverse("iso_quality_plan", args=[r.plan.pk]),
        reverse("iso_quality_record", args=[r.record.pk]),
        reverse("iso_quality_question", args=[r.finding.pk]),
        reverse("iso_quality_report", args=[r.report.pk]),
        reverse("iso_quality_report_docx", args=[r.report.pk]),
        reverse("iso_quality_report_pdf", args=[r.report.pk]),
        reverse("iso_quality_nc", args=[r.nc.pk]),
        reverse("iso_quality_action", args=[r.action.pk]),
        reverse("iso_quality_unit", args=[r.unit.pk]),
    ]
    return lists + exports + objects


def _state(r) -> list:
    return [
        model_to_dict(model.objects.get(pk=pk))
        for model, pk in (
            (Nonconformity, r.nc.pk),
            (QualityAction, r.action.pk),
            (AuditRecord, r.record.pk),
            (AuditQuestion, r.finding.pk),
            (QualityUnit, r.unit.pk),
        )
    ] + [
        Nonconformity.objects.count(),
        QualityUnit.objects.count(),
        AuditQuestion.objects.count(),
    ]


@pytest.mark.parametrize("role", [EDITORS, AUDITORS, ADMINISTRATORS])
def test_another_agencys_staff_can_do_nothing(client, agency_a, round_a, staff_b, role):
    client.force_login(staff_b[role])
    for url in _reads(agency_a, round_a):
        response = client.get(url)
        assert_refused(response)
        assert FINDING.encode() not in response.content, url
    before = _state(round_a)
    posts = [
        (reverse("iso_quality_nc", args=[round_a.nc.pk]), {"op": "cancel", "reason": "x"}),
        (reverse("iso_quality_nc", args=[round_a.nc.pk]), {"op": "request_verification"}),
        (reverse("iso_quality_action", args=[round_a.action.pk]), {"op": "cancel", "reason": "x"}),
        (
            reverse("iso_quality_action", args=[round_a.action.pk]),
            {"op": "complete", "result": "x"},
        ),
        (reverse("iso_quality_record", args=[round_a.record.pk]), {"op": "bank", "clause": "7"}),
        (reverse("iso_quality_question", args=[round_a.finding.pk]), {"op": "raise_nc"}),
        (reverse("iso_quality_plan", args=[round_a.plan.pk]), {"op": "generate_report"}),
        (reverse("iso_quality_units", args=[agency_a.pk]), {"name": "Phòng lạ"}),
        (reverse("iso_quality_unit", args=[round_a.unit.pk]), {"name": "Đổi tên"}),
        (
            reverse("iso_quality_nc_create", args=[agency_a.pk]),
            {
                "title": "x",
                "description": "x",
                "source": "other",
                "severity": "minor",
                "raised_on": "2026-12-01",
            },
        ),
    ]
    for url, data in posts:
        assert_refused(client.post(url, data))
    assert _state(round_a) == before
    # Nor through Wagtail's own editor and history.
    for name in ("wagtailadmin_pages:edit", "wagtailadmin_pages:history"):
        for page in (round_a.programme, round_a.plan, round_a.report):
            assert_refused(client.get(reverse(name, args=[page.pk])))


def test_the_index_lists_only_the_users_own_agency(client, agency_a, agency_b, round_a, staff_b):
    client.force_login(staff_b[EDITORS])
    response = client.get(reverse("iso_quality_index"))
    assert response.url == reverse("iso_quality_agency", args=[agency_b.pk])
    page = client.get(response.url).content.decode()
    assert round_a.plan.title not in page


def test_province_staff_read_every_agency(client, agency_a, agency_b, round_a, staff_b):
    round_b = build_round(agency_b, staff_b)
    auditor = make_user("tinh.danhgia", Group.objects.get(name="Đánh giá viên nội bộ"))
    admin = make_user("tinh.quantri", Group.objects.get(name=PROVINCE_ADMINS))
    for user in (auditor, admin):
        client.force_login(user)
        index = client.get(reverse("iso_quality_index")).content.decode()
        assert agency_a.title in index and agency_b.title in index
        for agency, r in ((agency_a, round_a), (agency_b, round_b)):
            for url in _reads(agency, r):
                if "them" in url or "don-vi/" in url and str(r.unit.pk) in url:
                    continue  # creating and editing are the agency's own
                assert client.get(url).status_code == 200, url
        # Reading is not changing.
        assert_refused(
            client.post(
                reverse("iso_quality_nc", args=[round_a.nc.pk]), {"op": "cancel", "reason": "x"}
            )
        )
    assert Nonconformity.objects.get(pk=round_a.nc.pk).stage == "in_progress"


def test_the_agencys_own_auditor_reads_its_private_section(client, agency_a, staff_a, round_a):
    from tests.factories import quality_system

    client.force_login(staff_a[AUDITORS])
    assert client.get(quality_system(agency_a).url).status_code == 200
    assert client.get(reverse("iso_quality_findings", args=[agency_a.pk])).status_code == 200
