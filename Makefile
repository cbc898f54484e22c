# flytelite developer commands. `make demo` and `make test` work on a fresh machine.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev
PLUGINS := .plugins/manifest.json

.PHONY: demo test lint typecheck pytest plugins bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q -U pip

$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install -q -c constraints.txt -e '.[dev,conformance,plugins]'
	touch $@

# Runs a real workflow (an instance task, function tasks, a cached map task, a dataframe) with the live progress
# view; local executor, local raw-output folder, no server, no configuration.
demo: $(BIN)/python
	@[ $(VENV)/.installed-demo -nt pyproject.toml ] || \
		{ $(BIN)/pip install -q -c constraints.txt -e '.[cli,data]' && touch $(VENV)/.installed-demo; }
	$(BIN)/flytelite run --progress examples/pipeline.py pipeline

lint: $(STAMP)
	$(BIN)/ruff check flytelite tests benchmarks examples
	$(BIN)/ruff format --check flytelite tests benchmarks examples

typecheck: $(STAMP)
	$(BIN)/mypy --strict flytelite

# The flytekitplugins-* suites (sdists from the package registry, import word rewritten) that tests/plugins/ runs.
$(PLUGINS): $(STAMP) tests/plugins/suites.py $(wildcard tests/plugins/fixtures/*.py)
	$(BIN)/python tests/plugins/suites.py --dest .plugins

plugins: $(PLUGINS)

pytest: $(STAMP) $(PLUGINS)
	$(BIN)/pytest

test: lint typecheck pytest

# Every scenario with flytelite and flytekit, one table. `make bench BENCH_ARGS="--markdown docs/benchmarks.md"`
# also writes the table into the docs; `BENCH_ARGS="workflows --repeat 9"` runs one family.
# Users run with .pyc files, so the benchmark byte-compiles first and never measures compilation.
bench: $(STAMP)
	unset PYTHONDONTWRITEBYTECODE; $(BIN)/python -m compileall -q flytelite \
		&& $(BIN)/python -m benchmarks $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .plugins .mypy_cache .ruff_cache .pytest_cache build dist *.egg-info
