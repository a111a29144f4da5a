# Two entry points for a fresh machine (see README):
#   make run   - set up, build the graph from the shipped data, answer example questions
#   make test  - set up (Java and Chromium included: HermiT and the browser tests) and run the tests
VENV ?= .venv
PY = $(VENV)/bin/python
CKG = $(VENV)/bin/coalition-kg

.PHONY: run test setup system-deps bench bench-scale

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

setup: $(VENV)/.installed

system-deps:
	scripts/install-system-deps

run: setup
	$(CKG) build
	@echo; echo "== Who was in the coalition on 31 December 2025?"
	$(CKG) query members-as-of --param date=2025-12-31
	@echo; echo "== Where do the sources disagree?"
	$(CKG) query contradictions
	@echo; echo "== Is every claim backed by a source?"
	$(CKG) validate
	@echo; echo "The graph and build report are in out/graph/ (TriG, N-Quads, Turtle, JSON-LD, build-report.json)."

test: setup system-deps
	$(PY) -m pytest -q

bench: setup
	$(PY) benchmarks/bench_queries.py
	$(PY) benchmarks/bench_views.py

bench-scale: setup
	$(CKG) build
	$(PY) benchmarks/bench_scale.py
