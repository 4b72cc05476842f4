# Systeemi: `make demo` runs the app with demo data; `make test` runs every test.
PY      := .venv/bin/python
HOST    ?= 127.0.0.1
PORT    ?= 8000
SCALE   ?= county
SEED    ?= 1
WORKERS ?= 2
BENCH_SCALES ?= county national
LOAD_ARGS ?= --users 100 --minutes 5
export SYSTEEMI_DEMO ?= 1

.PHONY: demo test test-sqlite test-postgres setup lint bench bench-generation load clean-demo messages

.venv/.installed: requirements.txt requirements-dev.txt
	python3 -m venv .venv
	.venv/bin/pip install -q --upgrade pip
	.venv/bin/pip install -q -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: .venv/.installed node_modules/.installed

demo: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo --scale $(SCALE) --seed $(SEED) --reuse
	$(PY) manage.py demo_two_factor
	# the background worker (research exports) beside the server, stopped with it
	trap 'kill 0' EXIT; $(PY) manage.py db_worker --queue-name '*' & $(PY) manage.py runserver $(HOST):$(PORT)

test: setup
	tools/system_packages.sh
	$(MAKE) test-sqlite
	$(MAKE) test-postgres

test-sqlite:
	$(PY) -m pytest -n $(WORKERS) -q

# The browser and the engine-agnostic checks (languages, HTML, catalogues, layers) ran on SQLite.
test-postgres:
	$(PY) tools/with_postgres.py $(PY) -m pytest -n $(WORKERS) -q -m "not browser and not engine_agnostic"

lint: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/bandit -q -c pyproject.toml -r apps systeemi
	$(PY) tools/audit_dependencies.py

# Pages and heavy jobs at county and national scale on SQLite and on a durable PostgreSQL, each data
# set generated once and reused (var/bench/), then issue 8's targets (bench/results/summary.md).
bench: setup
	tools/system_packages.sh
	for s in $(BENCH_SCALES); do \
	  $(PY) -m bench --scale $$s || exit 1; \
	  $(PY) tools/with_postgres.py --data-dir var/bench/pg-$$s --durable $(PY) -m bench --scale $$s || exit 1; \
	done
	$(PY) -m bench.report

# Demo generation from scratch at every scale, on SQLite and PostgreSQL (time and rows).
bench-generation: setup
	tools/system_packages.sh
	$(PY) -m bench.demo_generation
	$(PY) tools/with_postgres.py $(PY) -m bench.demo_generation

# 100 professionals working a team day against gunicorn for 5 minutes (bench/load.py): county on
# SQLite and on a durable PostgreSQL, national on a durable PostgreSQL (clusters kept in
# var/bench/pg-load-<scale>/); some of them keep their team's live record together, so record
# conflicts happen under load. Runs all three, fails if any had an error.
load: setup
	tools/system_packages.sh
	rc=0; \
	$(PY) -m bench.load --engine sqlite --scale county $(LOAD_ARGS) || rc=1; \
	$(PY) -m bench.load --engine postgres --scale county $(LOAD_ARGS) || rc=1; \
	$(PY) -m bench.load --engine postgres --scale national $(LOAD_ARGS) || rc=1; \
	exit $$rc

# Extract UI strings into locale/{sv,en} and compile them; translate new entries, run again, commit .po and .mo.
messages:
	$(PY) tools/messages.py

clean-demo:
	rm -f var/systeemi.sqlite3 var/systeemi.sqlite3-wal var/systeemi.sqlite3-shm
