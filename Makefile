# flytelite developer commands. `make demo` and `make test` work on a fresh machine.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev

.PHONY: demo test lint typecheck pytest bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q -U pip

$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install -q -c constraints.txt -e '.[dev,conformance]'
	touch $@

# Runs a real workflow (an instance task, function tasks, a cached map task, a dataframe) with the live progress
# view; local executor, local raw-output folder, no server, no configuration.
demo: $(BIN)/python
	@[ $(VENV)/.installed-demo -nt pyproject.toml ] || \
		{ $(BIN)/pip install -q -c constraints.txt -e '.[cli,data]' && touch $(VENV)/.installed-demo; }
	$(BIN)/flytelite run --progress examples/pipeline.py pipeline

lint: $(STAMP)
	$(BIN)/ruff check flytelite tests benchmarks examples

typecheck: $(STAMP)
	$(BIN)/mypy --strict flytelite

pytest: $(STAMP)
	$(BIN)/pytest

test: lint typecheck pytest

# Every scenario with flytelite and flytekit, one table. `make bench BENCH_ARGS="--markdown docs/benchmarks.md"`
# also writes the table into the docs; `BENCH_ARGS="workflows --repeat 9"` runs one family.
# Users run with .pyc files, so the benchmark byte-compiles first and never measures compilation.
bench: $(STAMP)
	unset PYTHONDONTWRITEBYTECODE; $(BIN)/python -m compileall -q flytelite \
		&& $(BIN)/python -m benchmarks $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache build dist *.egg-info
