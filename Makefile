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

# Debian packages the tests use: pdftotext/pdftoppm (poppler-utils) check the PDF reports;
# slurm-wlm and munge run the one-node SLURM cluster of tests/test_slurm_cluster.py, which
# is skipped, saying why, where they cannot be installed (not root).
system-tools:
	@missing=""; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	command -v slurmd >/dev/null 2>&1 || missing="$$missing slurm-wlm"; \
	command -v munged >/dev/null 2>&1 || missing="$$missing munge"; \
	if [ -n "$$missing" ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	elif [ -n "$$missing" ]; then \
	  command -v pdftotext >/dev/null 2>&1 || { echo "Please install poppler-utils (pdftotext, pdftoppm)"; exit 1; }; \
	  echo "Not installed: $$missing (the SLURM cluster test will be skipped)"; \
	fi

run: setup
	$(BIN)/snakemake --cores 2

test: setup system-tools
	$(BIN)/python -m pytest

clean:
	rm -rf results logs benchmarks .snakemake
