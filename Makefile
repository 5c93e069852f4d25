# Two commands: `make run` (the main job on the default scenario) and `make test` (the whole suite).
# Each creates the virtual environment it needs; nothing has to be installed by hand but Python 3.11+.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run serve screens robust report docs-charts test lint typecheck pytest bench schema clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed $(VENV)/.installed-web

run: $(VENV)/.installed
	$(BIN)/zopa analyze

$(VENV)/.installed-web: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[web]'
	touch $@ $(VENV)/.installed

# The web workspace on the default scenario, opened in the browser (http://127.0.0.1:8765/).
serve: $(VENV)/.installed-web
	$(BIN)/zopa serve --open

# The README's screenshots of the workspace (docs/screens/*.png, 1280x900), taken with Debian's
# Chromium (apt-get install chromium) after each page's browser-test checks pass.
screens: $(VENV)/.installed-dev
	$(BIN)/python -m tests.web.e2e.screens

# The robustness briefing of the default scenario (10,000 samples on all cores).
robust: $(VENV)/.installed
	$(BIN)/zopa robust

# The briefing on the default scenario (10,000 robust samples): one self-contained HTML page.
# The chart shown in the README (docs/charts/), from the default scenario.
docs-charts: $(VENV)/.installed
	$(BIN)/zopa analyze --chart docs/charts/who-accepts-what.svg > /dev/null

report: $(VENV)/.installed
	mkdir -p build
	$(BIN)/zopa report -o build/briefing.html

test: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest

# Regenerate the shipped JSON Schema of the scenario format (tests/io/test_schema.py checks it).
schema: $(VENV)/.installed
	$(BIN)/python -c "from pathlib import Path; from zopa.io.schema import SCHEMA_FILE, schema_text; \
	Path('src/zopa/schema', SCHEMA_FILE).write_text(schema_text(), encoding='utf-8')"

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis
