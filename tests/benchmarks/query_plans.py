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
    worst_node: str  # that node: type, relation, rows estimated and found

    @property
    def flags(self) -> list[str]:
        flags = ["JIT"] if self.jit else []
        if self.worst_estimate >= MISESTIMATE:
            flags.append(f"rows estimate off ×{self.worst_estimate:,.0f} at {self.worst_node}")
        return flags


def _nodes(node: dict, limited: bool = False) -> Iterator[tuple[dict, bool]]:
    """Each node, and whether a Limit above it may have stopped it early."""
    yield node, limited
    limited = limited or node.get("Node Type") == "Limit"
    for child in node.get("Plans", ()):
        yield from _nodes(child, limited)


def _estimate_error(node: dict, limited: bool) -> float:
    if node.get("Actual Loops") == 0:
        return 1.0  # never executed (the other side of its join was empty)
    loops = max(node.get("Actual Loops", 1), 1)
    estimated = max(node.get("Plan Rows", 0) * loops, 1)
    found = max(node.get("Actual Rows", 0) * loops, 1)
    if max(estimated, found) < MISESTIMATE_ROWS:
        return 1.0
    if limited and found <= estimated:
        return 1.0  # an EXISTS or a LIMIT stopped reading: fewer rows found is no error
    return max(estimated / found, found / estimated)


def plan_check(cursor, sql: str) -> PlanCheck:
    cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
    (raw,) = cursor.fetchone()
    (plan,) = json.loads(raw) if isinstance(raw, str) else raw
    error, node = max(
        ((_estimate_error(node, limited), node) for node, limited in _nodes(plan["Plan"])),
        key=lambda pair: pair[0],
    )
    where = f"{node['Node Type']} {node.get('Relation Name', '')}".strip()
    return PlanCheck(
        sql=sql,
        milliseconds=plan["Execution Time"] + plan.get("Planning Time", 0),
        jit="JIT" in plan,
        worst_estimate=error,
        worst_node=(
            f"{where} ({node['Plan Rows']:,} estimated, {node['Actual Rows']:,} found "
            f"× {node.get('Actual Loops', 1)} loops)"
        ),
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
