# Two entry points for a fresh machine (see README):
#   make run   - set up, build the graph from the shipped data, answer example questions
#   make test  - set up (including Java for the HermiT consistency tests) and run the test suite
VENV ?= .venv
PY = $(VENV)/bin/python

.PHONY: run test setup setup-test system-deps

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

setup: $(VENV)/.installed

system-deps:
	scripts/install-system-deps

run: setup
	$(VENV)/bin/coalition-kg build
	$(VENV)/bin/coalition-kg query members-as-of --param date=2025-12-31

test: setup system-deps
	$(PY) -m pytest -q
