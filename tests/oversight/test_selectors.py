"""What other features read from the dossier figures: on-time rates, procedures with late
dossiers (audit sampling), totals per year (management review)."""

import pytest

from content_types.oversight import DossierStatistic
from workflows.oversight.selectors import (
    dossier_on_time_rates,
    dossier_procedures_late,
    dossier_year_totals,
)

YEAR = 2025


def _row(agency, code, month, **figures):
    return DossierStatistic.objects.create(
        agency=agency, procedure_code=code, year=YEAR, month=month, **figures
    )


@pytest.fixture
def figures(agency_a, agency_b):
    _row(agency_a, "1.000001", 1, carried_over=4, received_online=6, resolved_early=2,
         resolved_on_time=5, resolved_late=1, pending_within=2)  # fmt: skip
    _row(agency_a, "1.000002", 1, received_in_person=3, resolved_late=2, pending_overdue=1)
    _row(agency_a, "1.000001", 2, carried_over=2, received_postal=1, resolved_on_time=3)
    _row(agency_b, "1.000001", 1, received_online=1, returned=1)
    DossierStatistic.objects.create(agency=agency_a, procedure_code="1.000002", year=YEAR - 1,
                                    month=12, resolved_late=50)  # fmt: skip


def test_on_time_rate_per_agency_and_month(figures, agency_a, agency_b):
    rates = dossier_on_time_rates(year=YEAR)
    january = rates[(agency_a.pk, 1)]
    assert (january.on_time, january.resolved) == (7, 10) and january.rate == 70.0
    assert rates[(agency_a.pk, 2)].rate == 100.0
    assert rates[(agency_b.pk, 1)].rate is None  # nothing resolved: no rate, not 0 %
    assert set(dossier_on_time_rates(year=YEAR, agency_ids=[agency_b.pk])) == {(agency_b.pk, 1)}


def test_procedures_with_late_dossiers_most_late_first(figures, agency_a, agency_b):
    late = dossier_procedures_late(agency_id=agency_a.pk, year=YEAR)
    assert [(p.procedure_code, p.resolved_late, p.pending_overdue) for p in late] == [
        ("1.000002", 2, 1),
        ("1.000001", 1, 0),
    ]
    assert dossier_procedures_late(agency_id=agency_a.pk, year=YEAR, months=(2, 12)) == []
    assert dossier_procedures_late(agency_id=agency_b.pk, year=YEAR) == []


def test_totals_per_year(figures, agency_a):
    totals = dossier_year_totals(year=YEAR)[agency_a.pk]
    assert totals["carried_over"] == 4  # January's stock, not the sum of the months'
    assert totals["received"] == 10 and totals["resolved"] == 13
    assert totals["resolved_late"] == 3 and totals["pending_overdue"] == 1
    assert totals["on_time_rate"] == 100 * 10 / 13
