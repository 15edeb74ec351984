"""«Sao chép sang năm mới»: the records each QMS part copies from one year to the next.

One action starts next year's maintenance plan, objectives, audit programme and risk register
as drafts copied from this year's (issue 17 §8). Each part registers how to copy its own record;
the action runs them all in one transaction and never changes the source year's records.

    from workflows.workspace.year_copy import YearCopier, year_copier_register

    def copy_risk_register(*, agency, from_year, to_year, user) -> str | None:
        ...  # create the draft; return its admin URL, or None when there is nothing to copy

    year_copier_register(YearCopier("risk_register", "Sổ rủi ro, cơ hội", 40, copy_risk_register))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Copier = Callable[..., "str | None"]


@dataclass(frozen=True)
class YearCopier:
    key: str
    label: str
    order: int
    copy: Copier  # keyword-only: agency, from_year, to_year, user → admin URL of the draft or None


_COPIERS: dict[str, YearCopier] = {}


def year_copier_register(copier: YearCopier) -> YearCopier:
    _COPIERS[copier.key] = copier
    return copier


def year_copiers() -> list[YearCopier]:
    return sorted(_COPIERS.values(), key=lambda copier: (copier.order, copier.key))
