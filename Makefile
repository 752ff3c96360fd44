# Pontive: the same verbs for people and CI (STYLE.md, habit 14).
SHELL := /bin/bash
PYTHON ?= python3
PORT ?= 8000
HOST ?= 127.0.0.1
VENV := .venv
BIN := $(VENV)/bin
# uv from PATH, or a private copy installed with pip on first use.
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
# The demo loads Pontianak's kelurahan boundaries when the shared data sits beside the repo.
BOUNDARIES ?= ../shared/data/pontianak_kelurahan.geojson
DEMO_ARGS := --if-empty $(if $(wildcard $(BOUNDARIES)),--boundaries $(BOUNDARIES))
# The embedded defaults are a development set-up: `make run` is the local demo.
export PONTIVE_ENV ?= dev

.PHONY: run test soak setup compile lint format bench deps deps-run clean

run: deps-run
	$(BIN)/python -m compileall -q -j 0 src
	$(BIN)/pontive db upgrade
	$(BIN)/pontive demo load $(DEMO_ARGS)
	$(BIN)/pontive serve --host $(HOST) --port $(PORT)

# The set-up of `make test` on its own: what `make run` serves, migrated and with the demo.
setup: compile
	$(BIN)/pontive db upgrade
	$(BIN)/pontive demo load $(DEMO_ARGS)

# Bytecode is compiled here (and for the libraries at install, --compile-bytecode) because
# the suite starts many `pontive` processes: where PYTHONDONTWRITEBYTECODE is set, each would
# otherwise compile every module it imports again, seconds of CPU a process.
compile: deps
	$(BIN)/python -m compileall -q -j 0 src tests bench

# The suite makes its own databases; TEST_SETUP=compile leaves out the local database's
# migrations and demo (.ci/run's second pass, while its first pass's set-up loads them).
TEST_SETUP ?= setup
test: $(TEST_SETUP)
	$(BIN)/pytest $(PYTEST_ARGS)

# The long variants CI leaves out: fuzzing with thousands of examples, the access matrix over
# every registry and route, the bigger fault runs (PONTIVE_SOAK=1 widens these modules and
# runs their @pytest.mark.soak tests).
SOAK_TESTS ?= tests/fuzz tests/security tests/faults
soak: setup
	PONTIVE_SOAK=1 $(BIN)/pytest $(SOAK_TESTS) $(PYTEST_ARGS)

lint: deps
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

format: deps
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

bench: deps
	@for script in bench/*.py; do \
		case "$$script" in bench/_*) continue;; esac; \
		echo "== $$script"; $(BIN)/python $$script $(BENCH_ARGS) || exit 1; \
	done

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet uv

# Two hash-locked environments in one .venv: `make run` syncs the runtime lock,
# `make test`/`lint` the development lock; each is re-synced only when it is not current.
deps-run: $(VENV)/.synced-run
deps: $(VENV)/.synced-dev

$(VENV)/.synced-run: requirements.lock pyproject.toml | $(UV)
	test -x $(BIN)/python || $(UV) venv --python $(PYTHON) $(VENV)
	$(UV) pip sync --python $(BIN)/python --require-hashes --compile-bytecode requirements.lock
	$(UV) pip install --python $(BIN)/python --no-deps -e .
	rm -f $(VENV)/.synced-dev
	touch $@

$(VENV)/.synced-dev: requirements-dev.lock pyproject.toml | $(UV)
	test -x $(BIN)/python || $(UV) venv --python $(PYTHON) $(VENV)
	$(UV) pip sync --python $(BIN)/python --require-hashes --compile-bytecode requirements-dev.lock
	$(UV) pip install --python $(BIN)/python --no-deps -e .
	rm -f $(VENV)/.synced-run
	touch $@

clean:
	rm -rf $(VENV) .tools .mypy_cache .ruff_cache .pytest_cache var/pontive.db*
