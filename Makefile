# Systeemi: `make demo` runs the app with demo data; `make test` runs every test.
PY      := .venv/bin/python
HOST    ?= 127.0.0.1
PORT    ?= 8000
SCALE   ?= county
SEED    ?= 1
WORKERS ?= 2
BENCH_SCALE ?= county
export SYSTEEMI_DEMO ?= 1

.PHONY: demo test test-sqlite test-postgres setup lint bench clean-demo messages

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
	$(PY) manage.py runserver $(HOST):$(PORT)

test: setup
	tools/system_packages.sh
	$(MAKE) test-sqlite
	$(MAKE) test-postgres

test-sqlite:
	$(PY) -m pytest -n $(WORKERS) -q

test-postgres:
	$(PY) tools/with_postgres.py $(PY) -m pytest -n $(WORKERS) -q -m "not browser"

lint: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

bench: setup
	$(PY) -m bench --scale $(BENCH_SCALE)
	tools/system_packages.sh
	$(PY) tools/with_postgres.py $(PY) -m bench --scale $(BENCH_SCALE)
	$(PY) -m bench.demo_generation

# Extract UI strings into locale/{sv,en} and compile them; translate new entries, run again, commit .po and .mo.
messages:
	$(PY) tools/messages.py

clean-demo:
	rm -f var/systeemi.sqlite3 var/systeemi.sqlite3-wal var/systeemi.sqlite3-shm
