# mipevents: the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
FLASK  := $(BIN)/flask --app wsgi
# PostgreSQL for the integration tests: used when reachable, required with MIPEVENTS_REQUIRE_POSTGRES=1.
MIPEVENTS_TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/test
export MIPEVENTS_TEST_DATABASE_URL

.PHONY: run test lint unit test-sqlite test-postgres test-browser bench audit install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt tests/feeds/js/package-lock.json tests/html/package-lock.json | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	npm ci --prefix tests/feeds/js --no-audit --no-fund --silent
	npm ci --prefix tests/html --no-audit --no-fund --silent
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## run: install, migrate the local database, load the demo if empty, serve on http://$(HOST):$(PORT)
run: install
	$(FLASK) db upgrade
	$(FLASK) demo --if-empty
	@echo "Serving mipevents at http://$(HOST):$(PORT)  (email is written to instance/mail/)"
	MAIL_BACKGROUND=$${MAIL_BACKGROUND:-1} MIPEVENTS_BASE_URL=$${MIPEVENTS_BASE_URL:-http://$(HOST):$(PORT)} $(BIN)/gunicorn wsgi:app --bind $(HOST):$(PORT) \
		--worker-class gthread --workers 2 --threads 4 --access-logfile - --log-level warning

## test: lint, then the suite on SQLite and PostgreSQL, then the browser tests (Chromium)
test: install-dev lint test-sqlite test-postgres test-browser

## lint: ruff, then the floors and the layers inside each area (import-linter contracts in pyproject.toml)
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-logo

test-sqlite: install-dev
	MIPEVENTS_TEST_DATABASE_URL= $(BIN)/python -m pytest -m "not browser" -q

test-postgres: install-dev
	@if $(BIN)/python -m tests.support.pg_available; then \
		$(BIN)/python -m pytest -m "not browser and not sqlite_only" -q; \
	elif [ "$$MIPEVENTS_REQUIRE_POSTGRES" = "1" ]; then \
		echo "PostgreSQL is required (MIPEVENTS_REQUIRE_POSTGRES=1) but $$MIPEVENTS_TEST_DATABASE_URL is unreachable"; exit 1; \
	else echo "PostgreSQL not reachable at $$MIPEVENTS_TEST_DATABASE_URL: skipping the PostgreSQL run"; fi

test-browser: install-dev
	@if $(BIN)/python -m tests.support.pg_available; then url="$$MIPEVENTS_TEST_DATABASE_URL"; else url=""; fi; \
	MIPEVENTS_TEST_DATABASE_URL="$$url" $(BIN)/python -m pytest -m browser -q

## bench: measured speed on the medium and large datasets (see README)
bench: install-dev
	$(BIN)/python -m tests.bench.run

## audit: Lighthouse (mobile) on the home, agenda and registration pages of the demo; fails below the floors (see README)
audit: install
	npm ci --prefix tests/audit --no-audit --no-fund --silent
	CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} $(BIN)/python -m tests.audit.run

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .import_linter_cache
