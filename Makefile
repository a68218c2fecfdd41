# Tonic: `make run` serves the demo studio, `make test` runs the whole suite.
SHELL := /bin/bash
PORT ?= 8000
export URLLIB3_NO_OVERRIDE := 1
UV := python3 -m uv
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: uv setup run test lint bench bench-peer migrate clean

uv:
	@python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv

setup: uv
	$(UV) sync --frozen --quiet
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

run: setup
	$(PY) manage.py seed_demo
	PATH=$(CURDIR)/$(VENV)/bin:$$PATH $(VENV)/bin/honcho start -p $(PORT)

test: uv
	$(UV) sync --frozen --quiet
	$(PY) -m pytest $(PYTEST_ARGS)

lint: uv
	$(UV) sync --frozen --quiet
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy accounts programs bookings studio

bench: uv
	$(UV) sync --frozen --quiet
	$(PY) -m tests.bench

# django-appointment (PyPI, its own venv under var/bench-peer/) against Tonic: bench/README.md
bench-peer:
	bench/peer/run

clean:
	rm -rf var/celery var/*.sqlite3*
