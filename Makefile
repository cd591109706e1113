# Two commands: `make run` (set up, run the pipeline on the shipped study) and
# `make test` (set up, run the tests). Both build their own virtual environment
# from requirements.lock (exact versions, for byte-identical outputs) and the
# project metadata in pyproject.toml.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup system-tools run test clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

setup: $(STAMP)

# pdftotext/pdftoppm (poppler-utils) check the PDF reports in the tests.
system-tools:
	@command -v pdftotext >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && apt-get install -y -qq --no-install-recommends poppler-utils >/dev/null; \
	  else echo "Please install poppler-utils (pdftotext, pdftoppm)"; exit 1; fi; }

run: setup
	$(BIN)/snakemake --cores 2

test: setup system-tools
	$(BIN)/python -m pytest

clean:
	rm -rf results logs benchmarks .snakemake
