# Set-up and checks. Every target creates the virtualenv it needs, so each
# works on a fresh clone: `make run` and `make test` are the quick start.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench corpora docs-images console-images clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

run: $(BIN)/.installed  ## roll-die on the embedded engine
	$(BIN)/phalanx run examples/roll_die.py

test: $(BIN)/.installed  ## the test suite
	$(BIN)/python -m pytest

lint: $(BIN)/.installed  ## ruff and mypy (strict on src/)
	$(BIN)/ruff check src tests bench examples
	$(BIN)/ruff format --check src tests bench examples
	$(BIN)/mypy

bench: $(BIN)/.installed  ## benchmarks under bench/: tables with ratios against peers
	$(BIN)/python bench/conformance.py
	$(BIN)/python bench/engine_bench.py
	$(BIN)/python bench/validate_bench.py
	$(BIN)/python bench/cli_startup.py
	$(BIN)/python bench/graph_bench.py
	$(BIN)/python bench/integrations.py
	$(BIN)/python bench/api_bench.py

corpora: $(BIN)/.installed  ## refresh tests/data from ../shared (licence rule: tests/data/README.md)
	$(BIN)/python tests/data/refresh.py

docs-images: $(BIN)/.installed  ## redraw docs/images/roll_die.svg and .png (the README's graph)
	mkdir -p docs/images
	$(BIN)/phalanx graph examples/roll_die.py -o docs/images/roll_die.svg
	$(BIN)/phalanx graph examples/roll_die.py -o docs/images/roll_die.png

console-images: $(BIN)/.installed  ## screenshot the console during and after roll-die (needs apt-get install chromium)
	mkdir -p docs/images
	CI=1 PHALANX_CONSOLE_IMAGES=docs/images $(BIN)/python -m pytest -q tests/console/test_browser.py -k watching

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
