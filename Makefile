# Two commands do all the set-up on a fresh clone: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
SHARED ?= ../shared/data

.PHONY: demo test test-fast eval bench fuzz lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,dask,eval,lint]"
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/storyline build examples/armenia-azerbaijan --db out/demo.db --out out/demo-report.html

# The fast tier first (no spaCy model, no corpus builds: fails in seconds), then the slow tier.
test: $(STAMP)
	$(VENV)/bin/pytest -q -m "not slow"
	$(VENV)/bin/pytest -q -m slow

test-fast: $(STAMP)
	$(VENV)/bin/pytest -q -m "not slow"

eval: $(STAMP)
	$(PY) .ci/gates.py --data $(SHARED)

# The benchmarks (minutes, not a test): story grouping, then the build (bench/bench_build.py).
bench: $(STAMP)
	$(PY) bench/bench_stories.py
	$(PY) bench/bench_build.py

# The long fuzz run (about 75 minutes on 2 cores): 10,000 generated hostile inputs, each built and checked
# (tests/fuzzing.py; CI's slow tier runs 1,000 of them).
fuzz: $(STAMP)
	$(PY) tests/fuzzing.py --count 10000 --seed 1

# Style, the layering contracts (import-linter, see pyproject.toml) and types.
lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) out build *.egg-info test-artifacts
