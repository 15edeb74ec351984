"""A real Celery worker, fed through Redis, sends the rejection e-mail to the editor.

Everything else runs Celery eagerly; this test proves the production path end to end: the
signal queues the task after commit, the message crosses Redis, a separate worker process loads
the committed rows from the same test database and writes the e-mail.
"""

from __future__ import annotations

import email
import email.policy
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from django.db import connection

import pytest
from kombu import pools as kombu_pools

from cms import env
from cms.celery import app
from tests.conftest import require_service
from tests.factories import make_agency, make_draft_document, make_home, make_staff

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
WORKER_TIMEOUT = 60
COMMENT = "Thiếu căn cứ pháp lý ở mục 3, đề nghị bổ sung (kiểm thử worker)."

pytestmark = pytest.mark.services


def _database_url_for_worker() -> str:
    """The test database this process uses, as a DATABASE_URL for another process."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(settings["NAME"])
        assert name and ":memory:" not in name and "mode=memory" not in name, (
            "the worker needs a file test database; see cms/settings/test.py"
        )
        return "sqlite:///" + str(Path(name).resolve())
    if connection.vendor == "postgresql":
        user = quote(settings.get("USER") or "", safe="")
        password = quote(settings.get("PASSWORD") or "", safe="")
        credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        host = settings.get("HOST") or "127.0.0.1"
        port = f":{settings['PORT']}" if settings.get("PORT") else ""
        return f"postgres://{credentials}{host}{port}/{quote(settings['NAME'], safe='')}"
    pytest.fail(f"no DATABASE_URL form for {connection.vendor}")


def _flush_redis() -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.flushdb()
    finally:
        client.close()


def _reset_producer_pool() -> None:
    """Forget broker connections made for the previous broker_url (rebuilt on next send)."""
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None


@pytest.fixture
def redis_celery():
    """Send tasks to Redis for real for the duration of one test, then restore eager mode."""
    require_service("Redis", REDIS_URL)
    _flush_redis()
    saved = {
        key: app.conf[key]
        for key in ("task_always_eager", "broker_url", "broker_transport_options")
    }
    try:
        app.conf.task_always_eager = False
        app.conf.broker_url = REDIS_URL
        # The embedded broker's folder options mean nothing to Redis.
        app.conf.broker_transport_options = {}
        _reset_producer_pool()
        yield REDIS_URL
    finally:
        for key, value in saved.items():
            app.conf[key] = value
        if app._pool is not None:
            app._pool.force_close_all()
        # kombu keeps one producer pool per connection URL for the whole process; the next test
        # on the same URL would get the pool closed above ("Acquire on closed pool").
        kombu_pools.reset()
        _reset_producer_pool()
        _flush_redis()


def _start_worker(tmp_path: Path, mail_dir: Path) -> subprocess.Popen:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"CELERY_BROKER_URL", "CACHE_URL", "ELASTICSEARCH_URL", "SECRET_KEY"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="cms.settings.test",
        CELERY_REAL_WORKER="1",
        CELERY_BROKER_URL=REDIS_URL,
        EMAIL_URL=f"file://{mail_dir}",
        ISO_VAR_DIR=str(env.VAR_DIR),
        DATABASE_URL=_database_url_for_worker(),
        PYTHONUNBUFFERED="1",
    )
    log = (tmp_path / "worker.log").open("wb")
    try:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "cms",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "-l",
                "INFO",
            ],
            cwd=env.BASE_DIR,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    finally:
        log.close()  # the child holds its own descriptor


def _stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=15)


def _messages(mail_dir: Path) -> list[email.message.EmailMessage]:
    """Every message in the file backend's files (one file may hold several, dash-separated)."""
    separator = b"\n" + b"-" * 79 + b"\n"
    found = []
    for path in sorted(mail_dir.glob("*")):
        for chunk in path.read_bytes().split(separator):
            if chunk.strip():
                found.append(email.message_from_bytes(chunk, policy=email.policy.default))
    return found


def _find_rejection(mail_dir: Path, address: str):
    for message in _messages(mail_dir):
        if address in str(message["To"]):
            body = message.get_body(preferencelist=("plain",)).get_content()
            if COMMENT in body:
                return message, body
    return None


@pytest.mark.django_db(transaction=True)
def test_real_worker_sends_rejection_email_to_editor(redis_celery, tmp_path):
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    worker = _start_worker(tmp_path, mail_dir)
    try:
        home = make_home()
        agency = make_agency(home, "CQW", title="Sở Kiểm thử Worker", short_name="Sở KTW")
        staff = make_staff(agency, "w")
        editor, reviewer, approver = staff["editors"], staff["reviewers"], staff["approvers"]
        page = make_draft_document(agency, editor, title="Quy trình kiểm thử worker")

        page.get_workflow().start(page, editor)
        page.refresh_from_db()
        page.current_workflow_task_state.approve(user=reviewer)
        page.refresh_from_db()
        page.current_workflow_task_state.reject(user=approver, comment=COMMENT)

        deadline = time.monotonic() + WORKER_TIMEOUT
        found = None
        while found is None and time.monotonic() < deadline:
            assert worker.poll() is None, (
                f"worker exited with {worker.returncode}:\n{(tmp_path / 'worker.log').read_text()}"
            )
            found = _find_rejection(mail_dir, editor.email)
            if found is None:
                time.sleep(0.5)
        assert found is not None, (
            f"no rejection e-mail for {editor.email} within {WORKER_TIMEOUT}s; "
            f"mail: {[str(m['To']) for m in _messages(mail_dir)]}\n"
            f"worker log:\n{(tmp_path / 'worker.log').read_text()}"
        )
        message, body = found
        assert "Quy trình kiểm thử worker" in str(message["Subject"])
        assert "Lãnh đạo phê duyệt" in body  # the step where it was returned
        assert f"/admin/pages/{page.pk}/edit/" in body
    finally:
        _stop_worker(worker)
