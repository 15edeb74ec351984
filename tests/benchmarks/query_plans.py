"""PostgreSQL's plans of the search SQL at the benchmark's size: printed, never asserted.

Session 7's regression (a join of pages and private sections) passed every test: at 14 forms the
plan is fine. At 50,000 PostgreSQL estimated 893,000 rows, compiled the query with JIT (310 ms)
and re-ran a subquery per section. Only the benchmark's timings showed it, without saying why.
This looks at the plans themselves: each statement a search runs, under EXPLAIN ANALYZE, flagged
when PostgreSQL compiled it with JIT or when a node's row estimate is off by MISESTIMATE or more
(where either side reaches MISESTIMATE_ROWS).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

MISESTIMATE = 100  # ×: an estimate this far from the rows found can choose a wrong plan
MISESTIMATE_ROWS = 10_000  # below this on both sides a wrong estimate costs nothing noticeable
SHOWN_SQL = 160  # characters of a flagged statement printed


@dataclass(frozen=True)
class PlanCheck:
    sql: str
    milliseconds: float
    jit: bool
    worst_estimate: float  # max over nodes of estimated ÷ found rows, or its inverse

    @property
    def flags(self) -> list[str]:
        flags = ["JIT"] if self.jit else []
        if self.worst_estimate >= MISESTIMATE:
            flags.append(f"rows estimate off ×{self.worst_estimate:,.0f}")
        return flags


def _nodes(node: dict) -> Iterator[dict]:
    yield node
    for child in node.get("Plans", ()):
        yield from _nodes(child)


def _estimate_error(node: dict) -> float:
    loops = max(node.get("Actual Loops", 1), 1)
    estimated = max(node.get("Plan Rows", 0) * loops, 1)
    found = max(node.get("Actual Rows", 0) * loops, 1)
    if max(estimated, found) < MISESTIMATE_ROWS:
        return 1.0
    return max(estimated / found, found / estimated)


def plan_check(cursor, sql: str) -> PlanCheck:
    cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
    (raw,) = cursor.fetchone()
    (plan,) = json.loads(raw) if isinstance(raw, str) else raw
    return PlanCheck(
        sql=sql,
        milliseconds=plan["Execution Time"] + plan.get("Planning Time", 0),
        jit="JIT" in plan,
        worst_estimate=max(_estimate_error(node) for node in _nodes(plan["Plan"])),
    )


def search_plans(search: Callable[[], object]) -> list[PlanCheck]:
    """Each SELECT one search ran, explained (the search runs once more, its SQL captured)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        search()
    statements = [q["sql"] for q in captured.captured_queries]
    with connection.cursor() as cursor:
        return [
            plan_check(cursor, sql)
            for sql in statements
            if sql.lstrip().upper().startswith("SELECT")
        ]


def print_plans(label: str, searches: dict[str, Callable[[], object]]) -> None:
    """The slowest statement of each search, and every flagged one."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    print(f"== query plans, {label} (EXPLAIN ANALYZE; flagged: JIT, estimate off ×{MISESTIMATE}+)")
    flagged = 0
    for query, search in searches.items():
        plans = search_plans(search)
        if not plans:
            continue
        slowest = max(plans, key=lambda plan: plan.milliseconds)
        total = sum(plan.milliseconds for plan in plans)
        print(
            f"  «{query}»: {len(plans)} statements, {total:.1f} ms; slowest "
            f"{slowest.milliseconds:.1f} ms, estimate ×{slowest.worst_estimate:,.0f}"
        )
        for plan in plans:
            if plan.flags:
                flagged += 1
                print(
                    f"    ! {', '.join(plan.flags)} ({plan.milliseconds:.1f} ms): "
                    f"{' '.join(plan.sql.split())[:SHOWN_SQL]}"
                )
    print(f"  flagged statements: {flagged}")
