# Tonic: `make run` serves the demo studio, `make test` runs the whole suite.
SHELL := /bin/bash
PORT ?= 8000
export URLLIB3_NO_OVERRIDE := 1
# Installed packages get their bytecode at install time (uv: once, ~10 s; then only what
# changed). Where PYTHONDONTWRITEBYTECODE is set (containers, this project's CI machine) every
# process would otherwise compile Django, Celery and Stripe from source as it starts.
export UV_COMPILE_BYTECODE := 1
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

# Static files for whitenoise (hashed and compressed, as DEBUG off serves them), collected again
# only when a source changed. VAR_DIR moves var/ (settings.py).
STATIC_MANIFEST := $(or $(VAR_DIR),var)/static/staticfiles.json
STATIC_SOURCES := $(shell find static accounts/static bookings/static programs/static studio/static \
  -type f 2>/dev/null) uv.lock

$(STATIC_MANIFEST): $(STATIC_SOURCES)
	DEBUG=0 $(PY) manage.py collectstatic --noinput --verbosity 0

# Honcho gives each Procfile process its own PORT (web's, +100, +200): SITE_URL is fixed here
# so the worker's e-mails link to the web server.
# SMS reminders print to the console like e-mails do, unless Twilio (or SMS_BACKEND) is set.
run: export SMS_BACKEND ?= $(if $(TWILIO_ACCOUNT_SID),,bookings.sms.ConsoleBackend)
run: setup $(STATIC_MANIFEST)
	$(PY) manage.py seed_demo --force
	SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)} PATH=$(CURDIR)/$(VENV)/bin:$$PATH \
	  $(VENV)/bin/honcho start -p $(PORT)

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
