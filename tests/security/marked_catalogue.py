"""Agency A's marked announcing decision, uploaded and waiting in its preview, for the admin walk
(`iso_catalogue_preview`; a POST there through B would turn its procedures into A's drafts)."""

from __future__ import annotations

from datetime import date

from content_types.agency import AgencyRole
from content_types.catalogue import CatalogueDecision, ProcedureUpdateTask
from tests.catalogue.builders import DECISION_ROWS, xlsx_bytes
from workflows.catalogue.services import catalogue_upload

from .marked import MARK, MARK_LOWER, SEARCH_WORD, MarkedWorld, fingerprint_part, marked_builder
from .walk import walk_url


@marked_builder
def catalogue_decision(world: MarkedWorld) -> None:
    rows = list(DECISION_ROWS)
    at = rows.index(["B", "THỦ TỤC HÀNH CHÍNH SỬA ĐỔI, BỔ SUNG"])
    rows.insert(
        at,
        [3, "2.000998", f"{MARK} {SEARCH_WORD} Thủ tục chưa công khai", "Hộ tịch", "Cấp tỉnh",
         "Sở Tư pháp", "Mới ban hành"],
    )  # fmt: skip
    decision = catalogue_upload(
        agency=world.agency_a,
        user=world.staff_a[AgencyRole.ADMINISTRATORS],
        number=f"{MARK}/QĐ-UBND",
        effective_date=date(2026, 12, 1),
        file_name=f"{MARK_LOWER}-{SEARCH_WORD}.xlsx",
        content=xlsx_bytes(rows),
    )
    world.add(decision)


walk_url("iso_catalogue_preview", {"decision_id": "content_types.cataloguedecision"})


@fingerprint_part
def catalogue_part(world: MarkedWorld):
    return (
        list(
            CatalogueDecision.objects.order_by("pk").values_list(
                "pk", "agency_id", "number", "applied_at", "file_sha256"
            )
        ),
        list(ProcedureUpdateTask.objects.order_by("pk").values_list("pk", "status", "agency_id")),
    )
