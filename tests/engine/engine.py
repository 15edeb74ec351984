"""A real search engine for the tests and the benchmark: OpenSearch 2.19.6, single node.

`engine_server()` gives the URL and kind of the cluster to test against:

- ELASTICSEARCH_URL or OPENSEARCH_URL when set (a cluster someone runs; the tests use their own
  index prefix and delete it afterwards);
- otherwise the node of this folder (pom.xml, EngineNode.java), built with Maven from Maven
  Central's artifacts (the jars stay in ~/.m2, the classes in target/, nothing is committed),
  started on 127.0.0.1 on a port the system picks, in a temporary home, with a 512 MB heap.

Without Java or Maven it raises EngineUnavailable: the caller skips, or fails under
REQUIRE_SERVICES=1.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET = HERE / "target"
CLASSPATH_FILE = TARGET / "classpath.txt"
MAIN_CLASS = "vn.isodientu.engine.EngineNode"
SOURCES = [HERE / "pom.xml", *sorted((HERE / "src").rglob("*"))]
JVM_OPTIONS = [
    "-Xms512m",
    "-Xmx512m",
    "-XX:+UseSerialGC",  # two cores shared with the test run: no parallel collector threads
    "-Xss1m",
    "-Djava.awt.headless=true",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
]
START_TIMEOUT = 180  # seconds; about 10 on an idle machine
BUILD_TIMEOUT = 900  # the first build downloads about 70 MB into ~/.m2


class EngineUnavailable(Exception):
    """No cluster given and this machine cannot start one (no Java, no Maven, a failed build)."""


@dataclass(frozen=True)
class EngineServer:
    url: str
    kind: str  # "opensearch" or "elasticsearch": the protocol the cluster speaks
    started_here: bool


def given_server() -> EngineServer | None:
    for variable, kind in (
        ("OPENSEARCH_URL", "opensearch"),
        ("ELASTICSEARCH_URL", "elasticsearch"),
    ):
        url = os.environ.get(variable)
        if url:
            return EngineServer(url.rstrip("/"), kind, started_here=False)
    return None


def _stale() -> bool:
    if not CLASSPATH_FILE.exists() or not (TARGET / "classes").exists():
        return True
    built = CLASSPATH_FILE.stat().st_mtime
    return any(path.is_file() and path.stat().st_mtime > built for path in SOURCES)


def build() -> str:
    """Compile the node and resolve its classpath (quietly); returns the java classpath."""
    for tool in ("java", "mvn"):
        if shutil.which(tool) is None:
            raise EngineUnavailable(f"{tool} is not installed: no OpenSearch node for the tests")
    if _stale():
        CLASSPATH_FILE.unlink(missing_ok=True)
        command = [
            "mvn",
            "-q",
            "-B",
            "-f",
            str(HERE / "pom.xml"),
            "compile",
            "dependency:build-classpath",
            f"-Dmdep.outputFile={CLASSPATH_FILE}",
        ]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=BUILD_TIMEOUT, check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise EngineUnavailable(f"mvn did not finish in {BUILD_TIMEOUT} s") from exc
        if done.returncode != 0 or not CLASSPATH_FILE.exists():
            tail = (done.stdout + done.stderr).strip().splitlines()[-15:]
            raise EngineUnavailable("mvn could not build the OpenSearch node:\n" + "\n".join(tail))
    return f"{TARGET / 'classes'}{os.pathsep}{CLASSPATH_FILE.read_text().strip()}"


def _get(url: str, timeout: float = 10) -> dict:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 — loopback
        return json.load(response)


def wait_green(url: str, timeout: float = 60) -> None:
    health = _get(
        f"{url}/_cluster/health?wait_for_status=green&timeout={int(timeout)}s", timeout + 5
    )
    if health.get("status") != "green":
        raise EngineUnavailable(f"the cluster at {url} is {health.get('status')}, not green")


class EngineNode:
    """The OpenSearch node of this folder as a child process; `stop()` ends it."""

    def __init__(self) -> None:
        self.home = Path(tempfile.mkdtemp(prefix="iso-opensearch-"))
        self.process: subprocess.Popen | None = None
        self.url = ""

    @property
    def log(self) -> Path:
        return self.home / "node.log"

    def start(self) -> str:
        classpath = build()
        port_file = self.home / "port"
        java_tmp = self.home / "tmp"
        java_tmp.mkdir()
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    "java",
                    *JVM_OPTIONS,
                    f"-Djava.io.tmpdir={java_tmp}",
                    "-cp",
                    classpath,
                    MAIN_CLASS,
                    str(self.home / "node"),
                    str(port_file),
                ],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + START_TIMEOUT
        while not port_file.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise EngineUnavailable(f"the OpenSearch node did not start:\n{self._log_tail()}")
            time.sleep(0.2)
        self.url = f"http://127.0.0.1:{int(port_file.read_text())}"
        wait_green(self.url)
        return self.url

    def _log_tail(self) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-20:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # the node's shutdown hook closes it cleanly
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None
        shutil.rmtree(self.home, ignore_errors=True)


def rss_megabytes(node: EngineNode) -> float | None:
    """The node's resident memory, for the benchmark's report."""
    if node.process is None:
        return None
    try:
        status = Path(f"/proc/{node.process.pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return None
