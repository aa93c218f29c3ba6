# Two commands for a newcomer: `make run` and `make test`. See README.md.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Commands run in development run with DEBUG on unless told otherwise.
DEV_ENV := DEBUG=$${DEBUG:-true}
# The development server shows the site as visitors see it, its own 404 and 500 pages
# included (website/settings.py, LOCAL_SERVER); `DEBUG=true make run` shows Django's.
RUN_ENV := LOCAL_SERVER=true DEBUG=$${DEBUG:-false}

.PHONY: help install run worker serve serve-environment migrate fixtures downloads test test-quick lint \
	migrations-check api-fuzz \
	bench-search bench-import bench-export bench-load bench-graph bench bench-million clean

help:
	@echo "make run               install, migrate, load the fixtures, serve on http://$(HOST):$(PORT)"
	@echo "make serve             production: migrate, collect static files, gunicorn on $(HOST):$(PORT)"
	@echo "make worker            the background job worker alone (make run and make serve start one)"
	@echo "make test              run the test suite (SQLite, or DATABASE_URL if set)"
	@echo "make test-quick        the suite without the tests marked slow, for iterating"
	@echo "make lint              ruff check and ruff format --check"
	@echo "make migrations-check  fail if the models have changes without a migration"
	@echo "make fixtures          load the fixtures again (updates them in place)"
	@echo "make downloads         build the daily downloads of the whole directory now"
	@echo "make api-fuzz          Schemathesis against a local server's OpenAPI schema"
	@echo "make bench-search      search at 100,000 organizations, SQLite and PostgreSQL"
	@echo "make bench-import      import the ECOSOC files, SQLite and PostgreSQL"
	@echo "make bench-graph       the graph's layout of a network with many members"
	@echo "make bench-export      a whole filtered CSV export: time and memory by size"
	@echo "make bench-load        gunicorn on PostgreSQL at 100,000 organizations, mixed load"
	@echo "make bench             uncached, against the physical limit and Datasette: bench/REPORT.md"
	@echo "make bench-million     a million organizations against 1,000, PostgreSQL: var/bench/million"

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

# The job worker runs imports in the background (docs/deploy.md, "Background jobs"); it
# starts with the web server and stops with it.
# The daily downloads (docs/deploy.md, "Daily downloads") are built beside them at start
# when there are none or they are more than a day old: the server does not wait for them,
# and stopping it stops a build still running (the previous files stay).
WITH_DOWNLOADS = $(BIN)/python manage.py build_downloads --if-older-than 24 & downloads=$$!;
WITH_WORKER = $(BIN)/python manage.py run_worker & worker=$$!; \
	trap 'kill $$worker $${downloads:-} 2>/dev/null' EXIT INT TERM;

run: migrate
	$(DEV_ENV) $(BIN)/python manage.py load_fixtures --if-empty
	$(DEV_ENV) SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)} $(WITH_DOWNLOADS) \
		$(DEV_ENV) $(WITH_WORKER) $(RUN_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

worker: install
	$(BIN)/python manage.py run_worker

# Production on one machine (docs/deploy.md): the environment names the database, Redis,
# the secret key and the host names; nothing here turns DEBUG on.
SERVE_NEEDS := DATABASE_URL REDIS_URL SECRET_KEY ALLOWED_HOSTS

serve: serve-environment install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_fixtures --if-empty
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(WITH_DOWNLOADS) $(WITH_WORKER) HOST=$(HOST) PORT=$(PORT) $(BIN)/gunicorn --config gunicorn.conf.py website.wsgi

serve-environment:
	@missing=""; for name in $(SERVE_NEEDS); do \
		[ -n "$$(printenv $$name)" ] || missing="$$missing $$name"; done; \
	if [ -n "$$missing" ]; then \
		echo "make serve needs these environment variables:$$missing (see docs/deploy.md and .env.example)." >&2; \
		exit 1; fi
	@case "$$(printenv DEBUG | tr A-Z a-z)" in 1|true|yes|on) \
		echo "make serve runs in production: unset DEBUG (it is $$DEBUG)." >&2; exit 1;; esac
	@case "$$(printenv LOCAL_SERVER | tr A-Z a-z)" in 1|true|yes|on) \
		echo "make serve runs in production: unset LOCAL_SERVER (it is $$LOCAL_SERVER)." >&2; \
		exit 1;; esac
	@for name in PORT WEB_CONCURRENCY GUNICORN_THREADS; do value="$$(printenv $$name)"; \
		case "$$value" in ""|*[!0-9]*|0) [ -z "$$value" ] || { \
			echo "$$name must be a whole number above 0, not '$$value'." >&2; exit 1; };; esac; \
	done

fixtures: migrate
	$(DEV_ENV) $(BIN)/python manage.py load_fixtures

# In production, run build_downloads daily from cron or a systemd timer (docs/deploy.md).
downloads: migrate
	$(DEV_ENV) $(BIN)/python manage.py build_downloads

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

# For iterating: the suite without the tests marked slow (real gunicorn faults, the real
# ECOSOC files). `make test` and CI always run everything.
test-quick: install
	$(BIN)/pytest -m "not slow" $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

api-fuzz: install
	bash .ci/api-fuzz.sh

# Generated data are kept (var/bench/search.sqlite3, database bench_search) and reused.
bench-search: install
	$(BIN)/python -m bench.search.run
	psql -h 127.0.0.1 -U postgres -d postgres -tAc \
		"SELECT 1 FROM pg_database WHERE datname = 'bench_search'" | grep -q 1 || \
		createdb -h 127.0.0.1 -U postgres bench_search
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_search $(BIN)/python -m bench.search.run

# In-process, no database: BENCH_GRAPH_SIZES and BENCH_GRAPH_ROUNDS (bench/graph/run.py).
bench-graph: install
	$(BIN)/python -m bench.graph.run

# Each run empties its database (var/bench/imports.sqlite3, PostgreSQL bench_import) first.
bench-import: install
	$(BIN)/python -m bench.imports.run
	psql -h 127.0.0.1 -U postgres -d postgres -tAc \
		"SELECT 1 FROM pg_database WHERE datname = 'bench_import'" | grep -q 1 || \
		createdb -h 127.0.0.1 -U postgres bench_import
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_import $(BIN)/python -m bench.imports.run

# Generated data are kept (var/bench/exports-SIZE.sqlite3, databases bench_export_SIZE).
# BENCH_EXPORT_SIZES and BENCH_EXPORT_ROUNDS: see bench/exports/run.py.
bench-export: install
	$(BIN)/python -m bench.exports.run
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres $(BIN)/python -m bench.exports.run

# The generated directory is kept in the PostgreSQL database bench_load for the next run.
# BENCH_LOAD_SECONDS, BENCH_LOAD_CONCURRENCY and more: see bench/load/run.py.
bench-load: install
	psql -h 127.0.0.1 -U postgres -d postgres -tAc \
		"SELECT 1 FROM pg_database WHERE datname = 'bench_load'" | grep -q 1 || \
		createdb -h 127.0.0.1 -U postgres bench_load
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_load $(BIN)/python -m bench.load.run

# Generated data are kept (var/bench/perf-SIZE.sqlite3, databases bench_perf_SIZE) and reused.
# BENCH_SIZES, BENCH_BACKENDS, BENCH_SECONDS and BENCH_ROUNDS choose what is run, BENCH_OUTPUT
# where the report goes (bench/perf/run.py, docs/performance.md). wrk times the comparison with Datasette, as
# ../shared/tools/vs-datasette does.
$(BIN)/.bench-installed: $(BIN)/.installed pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	touch $@

bench: $(BIN)/.bench-installed
	@command -v wrk >/dev/null || { echo "make bench needs wrk (apt-get install wrk)."; exit 1; }
	$(BIN)/python -m bench.perf.run

# A million organizations on PostgreSQL against 1,000 (generated once, about 35 minutes, and
# kept in bench_perf_1000000); the report goes to var/bench/million, beside bench/REPORT.md.
bench-million: $(BIN)/.bench-installed
	@command -v wrk >/dev/null || { echo "make bench-million needs wrk (apt-get install wrk)."; exit 1; }
	BENCH_SIZES=1000,1000000 BENCH_BACKENDS=postgresql \
		BENCH_OUTPUT=$${BENCH_OUTPUT:-var/bench/million} $(BIN)/python -m bench.perf.run

migrations-check: install
	$(DEV_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var/static
