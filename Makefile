# Pontive: the same verbs for people and CI (STYLE.md, habit 14).
SHELL := /bin/bash
PYTHON ?= python3
PORT ?= 8000
HOST ?= 127.0.0.1
VENV := .venv
BIN := $(VENV)/bin
# uv from PATH, or a private copy installed with pip on first use.
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
# The embedded defaults are a development set-up: `make run` is the local demo.
export PONTIVE_ENV ?= dev

.PHONY: run test lint format bench setup deps migrate demo clean

run: setup
	$(BIN)/pontive serve --host $(HOST) --port $(PORT)

test: deps
	$(BIN)/pontive db upgrade
	$(BIN)/pontive demo load --if-empty
	$(BIN)/pytest $(PYTEST_ARGS)

lint: deps
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

format: deps
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

bench: deps
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script $(BENCH_ARGS) || exit 1; done

setup: deps
	$(BIN)/pontive db upgrade
	$(BIN)/pontive demo load --if-empty

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet uv

# The environment is rebuilt only when a lock file or the project metadata changes.
deps: $(VENV)/.synced

$(VENV)/.synced: requirements.lock requirements-dev.lock pyproject.toml | $(UV)
	test -x $(BIN)/python || $(UV) venv --python $(PYTHON) $(VENV)
	$(UV) pip sync --python $(BIN)/python --require-hashes requirements-dev.lock
	$(UV) pip install --python $(BIN)/python --no-deps -e .
	touch $@

clean:
	rm -rf $(VENV) .tools .mypy_cache .ruff_cache .pytest_cache var/pontive.db*
