# Two commands do all the set-up on a fresh clone: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
SHARED ?= ../shared/data

.PHONY: demo test eval bench lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,dask]"
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/storyline build examples/armenia-azerbaijan --db out/demo.db --out out/demo-report.html

test: $(STAMP)
	$(VENV)/bin/pytest -q

eval: $(STAMP)
	$(PY) .ci/gates.py --data $(SHARED)

bench: $(STAMP)
	$(PY) bench/bench_stories.py

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench

clean:
	rm -rf $(VENV) out build *.egg-info test-artifacts
