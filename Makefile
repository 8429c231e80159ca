# Pacekeeper — `make demo` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_PASSWORD ?= pacekeeper-demo
DEMO_DATABASE_URL ?= sqlite:///$(CURDIR)/db.sqlite3
DEMO_PORT ?= 8000

.PHONY: demo test install system-packages test-system-packages lint format bench clean

# Debian packages the app needs at run time: Pango and HarfBuzz for WeasyPrint,
# which renders the PDFs, and the fonts the PDFs are set in. Installed when
# missing (as root, or with sudo); elsewhere than Debian, install Pango yourself.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation
# The tests also need Java, for the Nu HTML checker: installed when `java` is missing.
TEST_SYSTEM_PACKAGES := default-jre-headless

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

system-packages:
	@if ! command -v dpkg >/dev/null 2>&1; then \
	  echo "Not Debian: install Pango (WeasyPrint's text layout) with your system's packages."; \
	  exit 0; \
	fi; \
	missing="$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done)"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	sudo=""; if [ "$$(id -u)" != 0 ]; then sudo="sudo"; fi; \
	echo "Installing $$missing"; \
	$$sudo apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing

demo: install system-packages
	DATABASE_URL=$(DEMO_DATABASE_URL) $(BIN)/python manage.py migrate --noinput
	DATABASE_URL=$(DEMO_DATABASE_URL) $(BIN)/python manage.py seed_demo --password '$(DEMO_PASSWORD)'
	DATABASE_URL=$(DEMO_DATABASE_URL) $(BIN)/python manage.py start_schedules
	@echo ""
	@echo "  Pacekeeper is running on http://127.0.0.1:$(DEMO_PORT)/ with its background worker  (Ctrl+C stops both)"
	@echo ""
	@# The worker runs beside the web server; Ctrl+C reaches both, and the trap
	@# stops the worker should the server end any other way.
	@export DATABASE_URL=$(DEMO_DATABASE_URL); \
	$(BIN)/python manage.py db_worker --queue-name '*' & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(DEMO_PORT)

test-system-packages:
	@if ! command -v java >/dev/null 2>&1; then \
	  $(MAKE) --no-print-directory system-packages SYSTEM_PACKAGES="$(TEST_SYSTEM_PACKAGES)"; \
	fi

test: install system-packages test-system-packages
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/pytest

# The page benchmark works in a transaction it rolls back: the demo database is fine.
BENCH_DATABASE_URL ?= $(DEMO_DATABASE_URL)
bench: install system-packages
	$(BIN)/python -m planning.bench
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python manage.py migrate --noinput
	DEBUG=false DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python manage.py bench_pages

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .import_linter_cache test-artifacts
