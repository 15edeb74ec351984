"""cms.env: URLs become settings, and a malformed variable stops start-up with one clear line."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from cms import env

# --- database_from_url -------------------------------------------------------------------------


def test_sqlite_absolute_path():
    config = env.database_from_url("sqlite:////srv/iso/db.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == "/srv/iso/db.sqlite3"
    # A configured file gets the same pragmas as the embedded default.
    assert config["OPTIONS"] == env.sqlite_database("x")["OPTIONS"]


def test_sqlite_relative_path():
    config = env.database_from_url("sqlite:///var/db.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == "var/db.sqlite3"


def test_postgres_url_with_everything():
    config = env.database_from_url(
        "postgres://iso:p%40ss%2Fw@db.example.vn:5433/iso_prod?sslmode=require"
    )
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "iso_prod"
    assert config["USER"] == "iso"
    assert config["PASSWORD"] == "p@ss/w"
    assert config["HOST"] == "db.example.vn"
    assert config["PORT"] == "5433"
    assert config["OPTIONS"] == {"sslmode": "require"}


@pytest.mark.parametrize("scheme", ["postgres", "postgresql", "pgsql"])
def test_postgres_scheme_aliases_without_port_or_password(scheme):
    config = env.database_from_url(f"{scheme}://iso@localhost/iso")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["USER"], config["PASSWORD"]) == (
        "localhost",
        "",
        "iso",
        "",
    )
    assert "OPTIONS" not in config


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("mysql://u:p@h:3306/db", id="unknown-scheme"),
        pytest.param("postgres://u@h:abc/db", id="non-numeric-port"),
        pytest.param("postgres://u@h:99999/db", id="port-out-of-range"),
        pytest.param("postgres:///db", id="missing-host"),
        pytest.param("postgres://u@h:5432/", id="missing-db-name"),
        pytest.param("postgres://u@h:5432", id="missing-db-name-no-slash"),
        pytest.param("sqlite://", id="sqlite-missing-path"),
        pytest.param("db.sqlite3", id="no-scheme"),
    ],
)
def test_malformed_database_url_names_the_variable(url):
    with pytest.raises(env.EnvError) as excinfo:
        env.database_from_url(url)
    assert excinfo.value.variable == "DATABASE_URL"
    message = str(excinfo.value)
    assert "DATABASE_URL" in message
    assert "\n" not in message


def test_database_reads_database_url(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u@h:notaport/db")
    with pytest.raises(env.EnvError, match="DATABASE_URL"):
        env.database()
    monkeypatch.setenv("DATABASE_URL", "postgres://u@h:5432/db")
    assert env.database()["NAME"] == "db"


# --- broker ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "redis://127.0.0.1:6379/0",
        "redis://:secret@redis.internal:6379",
        "rediss://redis.internal:6380/3",
        "amqp://guest:guest@rabbit:5672//",
        "filesystem://",
        "memory://",
    ],
)
def test_valid_broker_urls_pass_through(url):
    assert env.broker_url_checked(url) == url


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("redis://h:6379/x", id="non-numeric-redis-db"),
        pytest.param("ftp://x", id="unknown-scheme"),
        pytest.param("redis:///0", id="missing-host"),
        pytest.param("redis://h:port/0", id="non-numeric-port"),
    ],
)
def test_malformed_broker_url_names_the_variable(url):
    with pytest.raises(env.EnvError) as excinfo:
        env.broker_url_checked(url)
    assert excinfo.value.variable == "CELERY_BROKER_URL"
    assert "CELERY_BROKER_URL" in str(excinfo.value)


def test_broker_url_absent_means_embedded(monkeypatch):
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    assert env.broker_url() is None
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://host:6379/abc")
    with pytest.raises(env.EnvError, match="CELERY_BROKER_URL"):
        env.broker_url()


# --- booleans ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("TRUE", True), (" yes ", True), ("on", True)]
    + [("0", False), ("false", False), ("No", False), ("off", False)],
)
def test_get_bool_accepts_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("ISO_TEST_FLAG", raw)
    assert env.get_bool("ISO_TEST_FLAG", default=not expected) is expected


def test_get_bool_default_when_unset_or_empty(monkeypatch):
    monkeypatch.delenv("ISO_TEST_FLAG", raising=False)
    assert env.get_bool("ISO_TEST_FLAG", True) is True
    monkeypatch.setenv("ISO_TEST_FLAG", "")
    assert env.get_bool("ISO_TEST_FLAG", False) is False


def test_get_bool_rejects_maybe(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(env.EnvError) as excinfo:
        env.get_bool("DEBUG")
    assert excinfo.value.variable == "DEBUG"
    assert "DEBUG" in str(excinfo.value)
    assert "maybe" in str(excinfo.value)


# --- start-up: one line, no traceback ----------------------------------------------------------

# Variables that this test controls; inherited values (a developer's DATABASE_URL, CI's
# CELERY_BROKER_URL) would change what `manage.py check` sees.
_CONTROLLED = (
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CACHE_URL",
    "ELASTICSEARCH_URL",
    "OPENSEARCH_URL",
    "EMAIL_URL",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
)


def _manage_check(settings_module: str, **variables: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in _CONTROLLED}
    environment["DJANGO_SETTINGS_MODULE"] = settings_module
    environment["ISO_VAR_DIR"] = str(env.VAR_DIR)
    environment.update(variables)
    return subprocess.run(
        [sys.executable, str(env.BASE_DIR / "manage.py"), "check"],
        cwd=env.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _assert_one_clear_line(result: subprocess.CompletedProcess, variable: str) -> None:
    assert result.returncode != 0, result.stdout + result.stderr
    stderr = result.stderr.strip()
    assert "Traceback" not in stderr, stderr
    assert len(stderr.splitlines()) == 1, stderr
    assert variable in stderr
    assert "System check identified" not in result.stdout


def test_check_fails_with_one_line_for_bad_database_port():
    result = _manage_check("cms.settings.dev", DATABASE_URL="postgres://u@h:notaport/db")
    _assert_one_clear_line(result, "DATABASE_URL")


def test_check_fails_with_one_line_for_bad_broker_db_number():
    result = _manage_check("cms.settings.dev", CELERY_BROKER_URL="redis://host:6379/abc")
    _assert_one_clear_line(result, "CELERY_BROKER_URL")


def test_production_without_secret_key_fails_with_one_line():
    result = _manage_check("cms.settings.production", ALLOWED_HOSTS="iso.example.vn")
    _assert_one_clear_line(result, "SECRET_KEY")


def test_check_passes_with_valid_dev_environment():
    """The control: the same harness succeeds when nothing is malformed."""
    result = _manage_check("cms.settings.dev")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
