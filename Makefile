# The two commands: `make run` serves the API on the embedded SQLite store, `make test` checks everything.
# Both set themselves up: they create .venv and install the project with its dev tools when needed.
ifndef PYTHON
PYTHON := $(shell for p in python3 python3.13 python3.12 python3.11; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 && echo $$p && break; done)
endif
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint types contracts pytest thorough bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "hotline needs Python 3.11 or newer on PATH" >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

HOST ?= 127.0.0.1
PORT ?= 8000

run: install
	$(BIN)/hotline serve --host $(HOST) --port $(PORT)

test: lint types contracts pytest

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

types: install
	$(BIN)/mypy

contracts: install
	$(BIN)/lint-imports

pytest: install
	$(BIN)/pytest

# Far more property-test examples than CI runs; see README.
thorough: install
	HYPOTHESIS_PROFILE=thorough $(BIN)/pytest tests/domain tests/application

# Every benchmark at a small scale (a few minutes); see README for the full-scale commands.
bench: install
	$(BIN)/python bench/write_path.py --quick
	$(BIN)/python bench/projections.py --quick
	$(BIN)/python bench/audit.py --quick
	$(BIN)/python bench/http_load.py --quick

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
