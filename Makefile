# Kerjasama — the two commands that matter: `make run` and `make test`.
# Everything else (virtualenv, dependencies, database, demo data) is prepared on the way.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.requirements-installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# Test processes: one per core (pytest-xdist, an idle one takes queued tests from a busy one); PYTEST_WORKERS=0 runs
# everything in this process.
PYTEST_WORKERS ?= auto

.PHONY: help run test install migrate demo worker lint clean

help:
	@echo "make run    start Kerjasama on http://$(HOST):$(PORT)/ with demo data and a background worker"
	@echo "make test   run the whole test suite on every core (PYTEST_ARGS='-k portal -x', PYTEST_WORKERS=0 for one process)"
	@echo "make install | migrate | demo | worker | lint | clean"

# The virtualenv, with the first Python >= 3.12 found: pyenv's (.python-version), then python3.12+, then python3.
$(PY):
	@python=""; \
	for candidate in "$$(pyenv which python3 2>/dev/null)" python3.12 python3.13 python3.14 python3; do \
		[ -n "$$candidate" ] && command -v "$$candidate" >/dev/null 2>&1 || continue; \
		if "$$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
			python="$$candidate"; break; \
		fi; \
	done; \
	if [ -z "$$python" ]; then echo "Kerjasama needs Python 3.12 or newer; none was found." >&2; exit 1; fi; \
	echo "Creating $(VENV) with $$("$$python" --version)"; \
	"$$python" -m venv $(VENV)

# Re-installs only when a requirements file changed since the last successful install.
$(STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --disable-pip-version-check --progress-bar off -q -r requirements-dev.txt
	@touch $@

install: $(STAMP)

migrate: install
	@mkdir -p var
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

# The web server and a Celery worker with its embedded beat scheduler; Ctrl-C stops both.
run: demo
	@echo
	@echo "Kerjasama: http://$(HOST):$(PORT)/   admin: http://$(HOST):$(PORT)/admin/   (Ctrl-C stops everything)"
	@echo
	@$(VENV)/bin/celery -A config worker -B --loglevel=INFO & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null; exit 0' INT TERM EXIT; \
	$(PY) manage.py runserver $(HOST):$(PORT)

worker: migrate
	$(VENV)/bin/celery -A config worker -B --loglevel=INFO

test: install
	$(VENV)/bin/pytest --numprocesses=$(PYTEST_WORKERS) --dist=worksteal $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

# Removes the local database, broker queue and collected files; keeps the virtualenv.
clean:
	rm -rf var/kerjasama.sqlite3 var/broker var/celerybeat-schedule* var/staticfiles test-results .pytest_cache
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
