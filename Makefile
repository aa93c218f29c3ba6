# Two commands for a newcomer: `make run` and `make test`. See README.md.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The development server runs with DEBUG on unless told otherwise.
DEV_ENV := DEBUG=$${DEBUG:-true}

.PHONY: help install run migrate fixtures test lint migrations-check api-fuzz bench-search bench-import \
	bench-load clean

help:
	@echo "make run               install, migrate, load the fixtures, serve on http://$(HOST):$(PORT)"
	@echo "make test              run the test suite (SQLite, or DATABASE_URL if set)"
	@echo "make lint              ruff check"
	@echo "make migrations-check  fail if the models have changes without a migration"
	@echo "make fixtures          load the fixtures again (updates them in place)"
	@echo "make api-fuzz          Schemathesis against a local server's OpenAPI schema"
	@echo "make bench-search      search at 100,000 organizations, SQLite and PostgreSQL"
	@echo "make bench-import      import the ECOSOC files, SQLite and PostgreSQL"
	@echo "make bench-load        gunicorn on PostgreSQL at 100,000 organizations, mixed load"

$(BIN)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (found $$($(PYTHON) --version))."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed

migrate: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --no-input

run: migrate
	$(DEV_ENV) $(BIN)/python manage.py load_fixtures --if-empty
	$(DEV_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

fixtures: migrate
	$(DEV_ENV) $(BIN)/python manage.py load_fixtures

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .

api-fuzz: install
	bash .ci/api-fuzz.sh

# Generated data are kept (var/bench/search.sqlite3, database bench_search) and reused.
bench-search: install
	$(BIN)/python -m bench.search.run
	psql -h 127.0.0.1 -U postgres -d postgres -tAc \
		"SELECT 1 FROM pg_database WHERE datname = 'bench_search'" | grep -q 1 || \
		createdb -h 127.0.0.1 -U postgres bench_search
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_search $(BIN)/python -m bench.search.run

# Each run empties its database (var/bench/imports.sqlite3, PostgreSQL bench_import) first.
bench-import: install
	$(BIN)/python -m bench.imports.run
	psql -h 127.0.0.1 -U postgres -d postgres -tAc \
		"SELECT 1 FROM pg_database WHERE datname = 'bench_import'" | grep -q 1 || \
		createdb -h 127.0.0.1 -U postgres bench_import
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_import $(BIN)/python -m bench.imports.run

# The generated directory is kept in the PostgreSQL database bench_load for the next run.
# BENCH_LOAD_SECONDS, BENCH_LOAD_CONCURRENCY and more: see bench/load/run.py.
bench-load: install
	psql -h 127.0.0.1 -U postgres -d postgres -tAc \
		"SELECT 1 FROM pg_database WHERE datname = 'bench_load'" | grep -q 1 || \
		createdb -h 127.0.0.1 -U postgres bench_load
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_load $(BIN)/python -m bench.load.run

migrations-check: install
	$(DEV_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var/static
