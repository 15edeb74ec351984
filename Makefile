# ISO điện tử — the two commands: `make run` (the demo) and `make test` (the whole suite).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
export DJANGO_SETTINGS_MODULE ?= cms.settings.dev

.PHONY: run test lint ci-checks install clean browser-deps bench services

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Reinstall only when the pinned dependencies change, so a second `make run` starts in seconds.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

# The project's Vietnamese catalogues, compiled here and never committed (locale/compile.py).
LOCALE_MO := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))
locale/%.mo: locale/%.po locale/compile.py $(VENV)/.installed
	$(PY) locale/compile.py

install: $(VENV)/.installed $(LOCALE_MO)

run: $(VENV)/.installed $(LOCALE_MO)
	$(PY) manage.py rundemo

test: $(VENV)/.installed-test $(LOCALE_MO)
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) -m pytest $(PYTEST_ARGS)

# The browser tests' tools: Debian's Chromium (Playwright's own browser download does not work on
# these machines) and axe-core from npm into tests/browser/node_modules. Without them `make test`
# still runs: the browser tests skip (and fail under REQUIRE_SERVICES=1, as in CI).
AXE := tests/browser/node_modules/axe-core/axe.min.js
browser-deps: $(AXE)
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium; }
$(AXE): tests/browser/package.json
	npm install --prefix tests/browser --no-audit --no-fund --silent
	touch $@

# PostgreSQL (127.0.0.1:5432, user postgres) and Redis (127.0.0.1:6379) for the integration tests:
# installed from Debian's packages when missing (as root), started, and waited for.
services:
	bash tests/services/start.sh

# Procedure page under gunicorn (2 workers, 20 clients): cached, uncached and a bare view.
bench: $(VENV)/.installed-test
	$(PY) tests/benchmarks/bench_procedure_page.py

# Static gates CI runs besides the tests.
lint: $(VENV)/.installed-test $(LOCALE_MO)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) manage.py check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var
