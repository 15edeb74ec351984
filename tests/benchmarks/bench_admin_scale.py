"""Admin at scale: the busiest admin views at 10 and at 150 agencies, built by the project's
own provisioning, as an agency editor and as a superuser (figures only, nothing asserted).

Run it on PostgreSQL (it creates and drops the test database test_<name>; <name> is untouched):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scratch \
        .venv/bin/python -m tests.benchmarks.bench_admin_scale [--small 10 --large 150 --runs 15]

For each view: queries, p50/p95 (ms) per user and size; ratios editor ÷ superuser and
large ÷ small. Then the public side: a procedure page of agency A and a public search, kept
(rendered again) and first after a publish in another agency B, and their ratio.
Requests go through Django's test client in this process (the whole middleware stack, no
network), one at a time. Targets (issue 14): queries equal at both sizes; time at 150 within
1.5× of 10; editor within 1.5× of superuser; first render after another agency's publish
within 1.5× of the kept one.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import time


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
    import django

    django.setup()


def _client_for(user):
    from django.test import Client

    from tests.accounts.helpers import session_second_factor_pass

    client = Client()
    client.force_login(user)
    session_second_factor_pass(client, user)
    return client


def _time(client, url: str, runs: int) -> tuple[int, float, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm
    assert response.status_code == 200, (url, response.status_code)
    connection.queries_log.clear()  # a full log (its length is capped) would count nothing
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    # Counted now: `captured_queries` slices the connection's log when read, and every request
    # below starts by clearing that log (Django's reset_queries on request_started).
    queries = len(ctx.captured_queries)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return queries, statistics.median(times), p95


class Scene:
    def __init__(self):
        from content_types.agency import AgencyRole
        from tests.factories import make_home, make_staff, make_user
        from tests.themes.builders import make_procedure, publish_form

        self.home = make_home()
        self.agencies = []
        self.provision_seconds: list[float] = []
        self.grow(2)
        self.agency, other = self.agencies
        self.staff = make_staff(self.agency, "a")
        self.other_staff = make_staff(other, "b")
        self.superuser = make_user("root", is_superuser=True, is_staff=True)
        forms = [
            publish_form(self.agency, self.staff, f"BM.{n:02d}", f"Tờ khai đăng ký số {n:02d}")
            for n in range(10)
        ]
        self.procedure = make_procedure(self.agency, forms, steps=5)
        from tests.factories import make_form

        for n in range(3):  # awaiting review
            page = make_form(
                self.agency, self.staff[AgencyRole.EDITORS], code=f"BM.9{n}", title=f"Dự thảo {n}"
            )
            page.get_workflow().start(page, self.staff[AgencyRole.EDITORS])
        self.other_forms = [publish_form(other, self.other_staff, "BM.B1", "Đơn đề nghị khác")]
        self.form_index = forms[0].get_parent()

    def grow(self, total: int) -> None:
        from tests.factories import make_agency

        while len(self.agencies) < total:
            start = time.perf_counter()
            self.agencies.append(make_agency(self.home, f"CQ{len(self.agencies):03d}"))
            self.provision_seconds.append(time.perf_counter() - start)

    def views(self) -> dict[str, str]:
        from django.urls import reverse

        return {
            "dashboard": reverse("wagtailadmin_home"),
            "explorer (forms)": reverse("wagtailadmin_explore", args=[self.form_index.pk]),
            "page chooser (root)": reverse("wagtailadmin_choose_page"),
            "chooser search": reverse("wagtailadmin_choose_page_search") + "?q=khai",
            "edit view": reverse("wagtailadmin_pages:edit", args=[self.procedure.pk]),
            "admin page search": reverse("wagtailadmin_pages:search") + "?q=khai",
            "master list": reverse("iso_master_list", args=[self.agency.pk]),
            "ISO search (admin)": reverse("iso_search") + "?q=khai",
        }

    def measure(self, runs: int) -> dict:
        from content_types.agency import AgencyRole

        users = {"editor": self.staff[AgencyRole.EDITORS], "superuser": self.superuser}
        out = {}
        for who, user in users.items():
            client = _client_for(user)
            for name, url in self.views().items():
                out[(name, who)] = _time(client, url, runs)
        return out

    def publish_elsewhere(self) -> None:
        from content_types.agency import AgencyRole
        from tests.factories import new_revision, run_workflow

        form = self.other_forms[0]
        new_revision(form, self.other_staff[AgencyRole.EDITORS], title=f"Đơn {time.time()}")
        run_workflow(form, self.other_staff)

    def public(self, rounds: int) -> dict:
        """Kept and first-after-another-agency's-publish times of the procedure page and a
        public search (ms, medians over `rounds` publishes)."""
        from django.db import transaction
        from django.test import Client

        client = Client()
        urls = {"procedure page": self.procedure.url, "public search": "/tim-kiem/?q=khai+sinh"}
        first = {name: [] for name in urls}
        kept = {name: [] for name in urls}
        headers = {"HTTP_CACHE_CONTROL": "no-cache"}  # past the response cache: a render
        for _ in range(rounds):
            with transaction.atomic():
                self.publish_elsewhere()
            for name, url in urls.items():
                start = time.perf_counter()
                client.get(url, **headers)
                first[name].append((time.perf_counter() - start) * 1000)
            for name, url in urls.items():
                client.get(url, **headers)
                start = time.perf_counter()
                client.get(url, **headers)
                kept[name].append((time.perf_counter() - start) * 1000)
        return {
            name: (statistics.median(first[name]), statistics.median(kept[name])) for name in urls
        }


def _print_sizes(small_n, large_n, small, large) -> None:
    print(
        f"\n{'view':22} {'user':9} | queries {small_n}→{large_n} | "
        f"p50 ms @{small_n} | p95 @{small_n} | p50 @{large_n} | p95 @{large_n} | "
        f"{large_n}÷{small_n} (p50) | editor÷superuser @{large_n} (p50)"
    )
    for (name, who), (q_small, p50_small, p95_small) in small.items():
        q_large, p50_large, p95_large = large[(name, who)]
        superuser = large[(name, "superuser")][1]
        print(
            f"{name:22} {who:9} | {q_small:4} → {q_large:4} | {p50_small:8.1f} | "
            f"{p95_small:8.1f} | {p50_large:8.1f} | {p95_large:8.1f} | "
            f"{p50_large / p50_small:5.2f} | {p50_large / superuser:5.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10)
    parser.add_argument("--large", type=int, default=150)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=5, help="publishes for the public figures")
    args = parser.parse_args()
    _setup_django()

    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        started = time.perf_counter()
        scene = Scene()
        scene.grow(args.small)
        print(f"database: {connection.vendor}; built {args.small} agencies", flush=True)
        gc.collect()
        small = scene.measure(args.runs)
        public_small = scene.public(args.rounds)
        grow_start = time.perf_counter()
        scene.grow(args.large)
        grown = args.large - args.small
        print(
            f"provisioning {grown} more agencies: {time.perf_counter() - grow_start:.0f} s "
            f"({statistics.median(scene.provision_seconds[args.small :]) * 1000:.0f} ms "
            "per agency, median)"
        )
        from django.contrib.auth.models import Group

        from content_types.documents import FormDocumentPage

        print(
            f"at {args.large}: {Group.objects.count()} groups, "
            f"{FormDocumentPage.objects.count()} forms"
        )
        gc.collect()
        large = scene.measure(args.runs)
        public_large = scene.public(args.rounds)
        _print_sizes(args.small, args.large, small, large)
        print("\npublic side (ms, median): first after another agency's publish ÷ kept render")
        for size, figures in ((args.small, public_small), (args.large, public_large)):
            for name, (first, kept) in figures.items():
                print(
                    f"  @{size:4} {name:15} first {first:7.1f} | kept {kept:7.1f} | "
                    f"ratio {first / kept:5.2f}"
                )
        print(f"\ntotal run: {time.perf_counter() - started:.0f} s")
    finally:
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    main()
