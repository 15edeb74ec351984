"""Agency A's marked one-stop dossier imports, for the admin walk: one stored (accepted) and one
previewed and waiting for its commit (`iso_dossier_import_commit` through B would store it)."""

from __future__ import annotations

from django.utils import timezone

from content_types.agency import AgencyRole
from content_types.oversight import DossierBatch, DossierStatistic
from tests.oversight.conftest import csv_bytes, export_row
from tests.themes.builders import make_procedure
from workflows.oversight.dossiers import dossier_import_commit, dossier_import_preview

from .marked import MARK_LOWER, SEARCH_WORD, MarkedWorld, fingerprint_part, marked_builder
from .walk import walk_url

_BATCHES = "content_types.dossierbatch"


@marked_builder
def dossier_batches(world: MarkedWorld) -> None:
    agency, editor = world.agency_a, world.staff_a[AgencyRole.EDITORS]
    make_procedure(agency, [], code="1.001193")  # public: its title is no secret
    year = timezone.localdate().year - 1
    batches = []
    for month in (3, 4):
        batch, check = dossier_import_preview(
            user=editor,
            agency=agency,
            allowed_agency_ids={agency.pk},
            name=f"{MARK_LOWER}-{SEARCH_WORD}-thang-{month}.csv",
            content=csv_bytes([export_row(1, "1.001193", f"{month:02d}/{year}")]),
            replace=False,
        )
        assert batch.result == DossierBatch.Result.PREVIEW, batch.errors
        batches.append(batch)
    stored, _ = dossier_import_commit(batch=batches[0], allowed_agency_ids={agency.pk})
    assert stored.result == DossierBatch.Result.ACCEPTED, stored.errors
    for batch in batches:  # the stored one first: the batch view shows it, the preview is hidden
        world.add(batch)


walk_url("iso_dossier_batch", {"batch_id": _BATCHES})
walk_url("iso_dossier_import_commit", {"batch_id": _BATCHES})


@fingerprint_part
def dossiers_part(world: MarkedWorld):
    return (
        list(
            DossierBatch.objects.filter(agency=world.agency_a)
            .order_by("pk")
            .values_list("pk", "result", "row_count", "created_count", "errors", "file_name")
        ),
        list(DossierStatistic.objects.order_by("pk").values_list()),
        DossierBatch.objects.count(),
    )
