# The two commands a fresh machine needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP_RUN  := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test
ARGS ?=

.PHONY: run test lint bench soak stress clean render

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP_TEST): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(STAMP_RUN)

run: $(STAMP_RUN)
	$(BIN)/wizard $(ARGS)

lint: $(STAMP_TEST)
	$(BIN)/ruff check wizard screens tests bench scripts
	$(BIN)/ruff format --check wizard screens tests bench scripts
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/python -m pytest -n 2 -q

# Races hide on an idle machine: the whole suite on 8 workers beside two busy-looping
# processes (one per core here), which are stopped however pytest ends.
stress: $(STAMP_TEST)
	@hogs=""; for i in 1 2; do $(BIN)/python -c 'while True: pass' & hogs="$$hogs $$!"; done; \
	trap 'kill $$hogs 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python -m pytest -n 8 -q

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache

bench: $(STAMP_TEST)
	$(BIN)/python -m bench.run

soak: $(STAMP_TEST)
	WIZARD_KILLS=5000 WIZARD_KILL_SECONDS=1800 $(BIN)/python -m pytest -q -s tests/unit/test_reliability.py -k sigkill

# Offline installation bundle for air-gapped machines (README: "Air-gapped machines"):
#   make bundle [BUNDLE=DIR] [PLATFORM=native|manylinux-x86_64|manylinux-aarch64|win-amd64|
#                macos-x86_64|macos-arm64] [PYVERSION=3.11|3.12|3.13]
BUNDLE    ?= dist/bundle
PLATFORM  ?= native
PYVERSION ?=

.PHONY: bundle
bundle: $(STAMP_TEST)
	$(BIN)/python scripts/bundle.py --dest "$(BUNDLE)" --platform $(PLATFORM) $(if $(PYVERSION),--python-version $(PYVERSION))

# The 申报书 as a person sees it (not part of `make test`): Word → PDF (LibreOffice headless)
# → PNG pages in build/render/. Needs: apt-get install libreoffice-writer poppler-utils
# fonts-noto-cjk. `make render DRAFT=drafts/x.toml` renders that draft instead of the example.
DRAFT ?=
render: $(STAMP_TEST)
	$(BIN)/python scripts/render.py $(DRAFT)
