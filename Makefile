# The README's two commands: `make demo` and `make test`. Each sets up what it needs.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export RESTRUCTURE_TEST_DATABASE_URL ?= postgresql+psycopg://postgres:postgres@127.0.0.1:5432/restructure_test

.PHONY: setup system postgres demo test bench bench-all lint clean

$(BIN)/restructure: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

setup: $(BIN)/restructure

# Debian packages: Graphviz's dot (diagrams), Chromium (board pack, PDF), poppler-utils (pdftotext in the
# PDF tests), PostgreSQL 15 (shared store tests).
system:
	@if ! command -v dot >/dev/null || ! command -v chromium >/dev/null || ! command -v pg_ctlcluster >/dev/null \
	    || ! command -v pdftotext >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz chromium fonts-dejavu-core \
	    postgresql poppler-utils >/dev/null; \
	fi

# Start the machine's PostgreSQL cluster and make the test database (idempotent).
postgres: system
	@ver=$$(ls /usr/lib/postgresql | sort -n | tail -1); \
	  pg_lsclusters -h | grep -q "^$$ver main" || pg_createcluster $$ver main >/dev/null; \
	  pg_ctlcluster $$ver main start 2>/dev/null || true; \
	  for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done; \
	  su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'postgres'\"" ; \
	  su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname='restructure_test'\"" | grep -q 1 || \
	    su postgres -c "createdb restructure_test"

# Main job, end to end, on the embedded SQLite store.
demo: setup system
	bash scripts/demo.sh

# Whole test suite: unit, property, CLI, SQLite and PostgreSQL store, Graphviz, Chromium, notebooks.
test: setup postgres
	$(BIN)/python -m pytest -n 2 -q

# Each step on the national structure (×1, ×4) against its raw floor; rewrites README's table.
bench: setup system
	$(BIN)/python bench/bench_national.py --json out/bench.json --readme README.md

# Every benchmark script in bench/ (national table, compare of three options, scale, store, diff, checks).
bench-all: setup system
	$(BIN)/python -m bench

lint: setup
	$(BIN)/ruff check src tests bench

clean:
	rm -rf $(VENV) out restructure.db
