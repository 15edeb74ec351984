"""Agency A's marked yearly planning and review records (issues 17 and 19), for the admin walk:
an approved risk register, a draft management review (a `fill` through B would change it), the
approved objectives with one measurement and its evidence file, an approved maintenance plan, and
an approved yearly report not yet submitted (a `nop` through B would submit it)."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from content_types.agency import AgencyRole
from content_types.announcement import YearlyReportSubmission
from content_types.quality.maintenance import MaintenancePlanItem, MaintenancePlanPage
from content_types.quality.objectives import (
    ObjectiveMeasurement,
    QualityObjective,
    QualityObjectivesPage,
)
from content_types.quality.review import ManagementReviewPage
from content_types.quality.risk import RiskRegisterItem, RiskRegisterPage
from fixtures.demo_forms import pdf_bytes
from tests.factories import quality_system, run_workflow
from workflows.oversight.yearly_report import yearly_report_generate
from workflows.quality.objectives import objective_measurement_record
from workflows.quality.reviews import management_review_create

from .marked import MARK, MARK_LOWER, SEARCH_WORD, MarkedWorld, fingerprint_part, marked_builder
from .walk import walk_url

TEXT = f"{MARK} {SEARCH_WORD}"


def _approved(world: MarkedWorld, page):
    quality_system(world.agency_a).add_child(instance=page)
    page.save_revision(user=world.staff_a[AgencyRole.EDITORS])
    page = run_workflow(page, world.staff_a)
    world.add(page)
    return page


@marked_builder
def planning_records(world: MarkedWorld) -> None:
    staff = world.staff_a
    editor = staff[AgencyRole.EDITORS]
    today = timezone.localdate()
    year = today.year

    _approved(
        world,
        RiskRegisterPage(
            title=f"{TEXT} Sổ đăng ký rủi ro",
            slug=f"so-rui-ro-{year}",
            year=year,
            live=False,
            risks=[
                RiskRegisterItem(
                    process=f"{TEXT} Bộ phận Một cửa",
                    description=f"{TEXT} Hồ sơ trễ hạn",
                    causes=f"{TEXT} thiếu người",
                    likelihood=3,
                    impact=3,
                    treatment=f"{TEXT} Bổ sung người trực",
                    treatment_owner=staff[AgencyRole.REVIEWERS],
                    treatment_due=today + timedelta(days=30),
                )
            ],
        ),
    )

    objectives = _approved(
        world,
        QualityObjectivesPage(
            title=f"{TEXT} Mục tiêu chất lượng",
            slug=f"muc-tieu-{year}",
            year=year,
            live=False,
            objectives=[
                QualityObjective(
                    statement=f"{TEXT} Giải quyết hồ sơ đúng hạn",
                    indicator=f"{TEXT} Tỷ lệ đúng hạn",
                    direction="gte",
                    target_value=98,
                    target_unit="%",
                    frequency="quarter",
                    data_source="manual",
                    plan=f"{TEXT} Theo dõi hạn hằng ngày",
                )
            ],
        ),
    )
    measurement = objective_measurement_record(
        objective=objectives.objectives.get(),
        period=1,
        value="97",
        evidence=f"{TEXT} Sổ theo dõi",
        evidence_file=SimpleUploadedFile(  # its text carries the mark, read from the download
            f"{MARK_LOWER}-bang-chung.pdf", pdf_bytes([f"{TEXT} Phiếu khảo sát"])
        ),
        user=editor,
    )
    world.add(measurement)
    world.extra["objective"] = objectives.objectives.get()

    _approved(
        world,
        MaintenancePlanPage(
            title=f"{TEXT} Kế hoạch duy trì",
            slug=f"ke-hoach-duy-tri-{year}",
            year=year,
            live=False,
            items=[
                MaintenancePlanItem(
                    activity=f"{TEXT} Đánh giá nội bộ", kind="internal_audit", due_month=11
                )
            ],
        ),
    )

    # A draft of the minutes: a `fill` through B would add a revision.
    review = management_review_create(
        agency=world.agency_a, year=year, meeting_date=today, user=editor
    )
    review.title = f"{TEXT} Họp xem xét của lãnh đạo"
    review.chair = f"{TEXT} Chủ trì"
    review.number = f"{MARK}/BB"
    review.save()
    review.save_revision(user=editor)
    world.add(review)

    # Approved, not yet submitted: a `nop` through B would send it to the province.
    report = yearly_report_generate(agency=world.agency_a, year=year, user=editor)
    report.title = f"{TEXT} Báo cáo năm"
    report.number = f"{MARK}/BC"
    report.save()
    report.save_revision(user=editor)
    world.add(run_workflow(report, staff))


walk_url("iso_quality_risks", "content_types.riskregisterpage")
walk_url("iso_quality_review", "content_types.managementreviewpage", posts=[{"op": "fill"}])
walk_url("iso_quality_review_docx", "content_types.managementreviewpage")
walk_url("iso_quality_review_pdf", "content_types.managementreviewpage")
walk_url(
    "iso_objectives",
    "content_types.qualityobjectivespage",
    posts=lambda world: [
        {"objective": world.extra["objective"].pk, "period": "1", "value": "1", "evidence": "x"},
        {
            "objective": world.extra["objective"].pk,
            "do": "action",
            "title": "chiem quyen",
            "due_date": "2030-01-01",
        },
    ],
)
walk_url("iso_objective_evidence", "content_types.objectivemeasurement")
walk_url("iso_maintenance_plan", "content_types.maintenanceplanpage")
_REPORTS = "content_types.yearlyreportpage"
walk_url("iso_yearly_report", _REPORTS, posts=[{"action": "nop"}, {"action": "cap-nhat"}])
for _fmt in ("docx", "pdf", "xlsx"):
    walk_url(f"iso_yearly_report_{_fmt}", _REPORTS)


@fingerprint_part
def planning_part(world: MarkedWorld):
    # The pages themselves (title, revisions, live state) are in marked.pages_part.
    agency = world.agency_a
    return (
        list(ObjectiveMeasurement.objects.order_by("pk").values_list()),
        list(
            QualityObjective.objects.filter(
                page__in=world.ids["content_types.qualityobjectivespage"]
            )
            .order_by("pk")
            .values_list()
        ),
        list(
            RiskRegisterItem.objects.filter(page__in=world.ids["content_types.riskregisterpage"])
            .order_by("pk")
            .values_list()
        ),
        list(
            MaintenancePlanItem.objects.filter(
                page__in=world.ids["content_types.maintenanceplanpage"]
            )
            .order_by("pk")
            .values_list()
        ),
        list(YearlyReportSubmission.objects.order_by("pk").values_list("pk", "agency_id")),
        ManagementReviewPage.objects.descendant_of(agency).count(),
    )
