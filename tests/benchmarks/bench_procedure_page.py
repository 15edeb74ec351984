"""Benchmark: the procedure page under gunicorn (2 workers, 20 concurrent clients), cached and
uncached, next to a bare Django view served by the same gunicorn in the same run.

Run: `make bench` (or `python tests/benchmarks/bench_procedure_page.py [--requests N]`).
Prints figures and ratios; asserts nothing (targets: uncached >= 40 % and cached >= 80 % of the
bare view's requests per second). "Uncached" bypasses the response cache (Cache-Control:
no-cache), so every request renders; the data a render reads is kept per process for the current
public generation. It then prints, for one client, that render next to the first render after a
publish, when everything kept is rebuilt. Localhost only, a bounded number of requests per
scenario and a time limit; it builds its own database in a temporary directory and stops gunicorn
at the end.
Not collected by pytest (its name does not start with test_).
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = 20
WORKERS = 2
TIME_LIMIT = 60.0  # seconds per scenario, whatever the request count

SETUP = """
import django
django.setup()
from tests.factories import make_agency, make_home, make_staff
from tests.themes.builders import make_procedure, publish_form
home = make_home()
agency = make_agency(home, "STP", title="Sở Tư pháp tỉnh Thử", short_name="Sở Tư pháp")
staff = make_staff(agency, "stp")
forms = [publish_form(agency, staff, f"BM.{n:02d}", f"Tờ khai mẫu {n:02d}") for n in range(10)]
procedure = make_procedure(agency, forms, steps=10)
print(procedure.url)
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(port: int, path: str, headers: dict) -> tuple[int, float]:
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Host": "localhost", **headers})
        response = conn.getresponse()
        response.read()
        status = response.status
    finally:
        conn.close()
    return status, time.perf_counter() - start


def run_scenario(port: int, path: str, headers: dict, total: int) -> dict:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    counter = iter(range(total))
    deadline = time.monotonic() + TIME_LIMIT

    def client() -> None:
        nonlocal errors
        while time.monotonic() < deadline:
            with lock:
                if next(counter, None) is None:
                    return
            status, seconds = _get(port, path, headers)
            with lock:
                latencies.append(seconds)
                errors += status != 200

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(len(latencies) * 0.95) - 1] * 1000,
    }


def _cold_renders(port: int, path: str, env: dict, count: int = 100) -> None:
    """One visitor at a time: a render with the process's per-generation data warm (what the
    uncached scenario measures) next to the first render after a publish, when the response
    cache, the site skeleton, the pages by URL and the procedure's data are all rebuilt."""
    os.environ.update({k: env[k] for k in ("ISO_VAR_DIR", "DJANGO_SETTINGS_MODULE")})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from content_types.public_generation import public_generation_bump

    fresh = {"Cache-Control": "no-cache"}
    warm = [_get(port, path, fresh)[1] for _ in range(count)]
    cold = []
    for _ in range(count):
        public_generation_bump()  # what a publish does once it commits
        cold.append(_get(port, path, fresh)[1])
    print(f"\none client, {count} requests each:")
    for label, latencies in (("uncached, data warm", warm), ("after a publish (cold)", cold)):
        latencies.sort()
        print(
            f"  {label:26} p50 {statistics.median(latencies) * 1000:6.1f} ms   "
            f"p95 {latencies[int(len(latencies) * 0.95) - 1] * 1000:6.1f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000, help="requests per scenario")
    args = parser.parse_args()

    var = tempfile.mkdtemp(prefix="iso-bench-")
    env = {
        **os.environ,
        "ISO_VAR_DIR": var,
        "DJANGO_SETTINGS_MODULE": "tests.benchmarks.bench_settings",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DATABASE_URL", None) if os.environ.get("BENCH_KEEP_DATABASE_URL") is None else None
    python = sys.executable
    print(f"Setting up a database in {var} …", flush=True)
    subprocess.run([python, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    url = (
        subprocess.run(
            [python, "-c", SETUP], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    port = _free_port()
    server = subprocess.Popen(
        [
            python,
            "-m",
            "gunicorn",
            "cms.wsgi",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                if _get(port, "/bench/bare/", {})[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        scenarios = [
            ("bare Django view", "/bench/bare/", {}),
            ("procedure page, cached", url, {}),
            ("procedure page, uncached", url, {"Cache-Control": "no-cache"}),
        ]
        for _label, path, headers in scenarios:  # warm every worker
            for _ in range(20):
                _get(port, path, headers)
        results = {}
        print(
            f"\n{CLIENTS} clients, gunicorn {WORKERS} sync workers, {args.requests} requests "
            f"per scenario, procedure page with 10 forms and 10 steps ({url})\n"
        )
        print(f"{'scenario':28} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
        for label, path, headers in scenarios:
            result = run_scenario(port, path, headers, args.requests)
            results[label] = result
            print(
                f"{label:28} {result['rps']:8.1f} {result['p50']:8.1f} {result['p95']:8.1f} "
                f"{result['errors']:7d}",
                flush=True,
            )
        bare = results["bare Django view"]["rps"]
        cached = results["procedure page, cached"]["rps"] / bare
        uncached = results["procedure page, uncached"]["rps"] / bare
        print(f"\ncached / bare:   {cached:6.1%}   (target ≥ 80 %)")
        print(f"uncached / bare: {uncached:6.1%}   (target ≥ 40 %)")
        _cold_renders(port, url, env)
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
