# Pacekeeper — `make demo` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_PASSWORD ?= pacekeeper-demo
DEMO_DATABASE_URL ?= sqlite:///$(CURDIR)/db.sqlite3

.PHONY: demo test install lint format bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

demo: install
	DATABASE_URL=$(DEMO_DATABASE_URL) $(BIN)/python manage.py migrate --noinput
	DATABASE_URL=$(DEMO_DATABASE_URL) $(BIN)/python manage.py seed_demo --password '$(DEMO_PASSWORD)'
	@echo ""
	@echo "  Pacekeeper is running on http://127.0.0.1:8000/  (Ctrl+C to stop)"
	@echo ""
	DATABASE_URL=$(DEMO_DATABASE_URL) $(BIN)/python manage.py runserver 127.0.0.1:8000

test: install
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/pytest

# The page benchmark works in a transaction it rolls back: the demo database is fine.
BENCH_DATABASE_URL ?= $(DEMO_DATABASE_URL)
bench: install
	$(BIN)/python -m planning.bench
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python manage.py migrate --noinput
	DEBUG=false DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python manage.py bench_pages

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache test-artifacts
