# GradPath — `make run` and `make test` are all a new machine needs (see README).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
VAR := $(CURDIR)/var
# The data mirror: ../shared/data when it exists, unless GRADPATH_DATA_MIRROR names another one.
MIRROR_DEFAULT := $(abspath $(CURDIR)/../shared/data)
GRADPATH_DATA_MIRROR ?= $(if $(wildcard $(MIRROR_DEFAULT)/README.md),$(MIRROR_DEFAULT),)
export GRADPATH_DATA_MIRROR
export GRADPATH_HOME ?= $(VAR)
PYTEST_ARGS ?=

.PHONY: help install deps system-deps run test lint typecheck pytest bench build fetch clean

help:
	@echo "make run    – set up (venv, npm assets, catalog) and start the web app on http://127.0.0.1:8000"
	@echo "make test   – set up, then ruff, mypy and the test suite"
	@echo "make build  – rebuild the catalog from the data mirror or the downloaded releases"
	@echo "make bench  – run the benchmarks and print their numbers"

$(BIN)/gradpath: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(VAR)/gradpath.env: Makefile
	@mkdir -p $(VAR)
	@{ echo "# Written by make install: lets a gradpath command run by hand find the same data."; \
	   if [ -n "$(GRADPATH_DATA_MIRROR)" ]; then echo "GRADPATH_DATA_MIRROR=$(GRADPATH_DATA_MIRROR)"; fi; } > $@

# The browser tests drive Debian's chromium; install it when this machine can (root with apt-get).
system-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	   if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	     echo "Installing Debian's chromium for the browser tests"; \
	     apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	   else echo "note: /usr/bin/chromium is missing: the browser tests will be skipped (sudo apt-get install chromium)"; fi; \
	 fi

deps: $(BIN)/gradpath node_modules/.installed $(VAR)/gradpath.env

# Builds the catalog only when there is none yet (from the mirror, else after downloading the releases).
install: deps
	$(BIN)/gradpath build --if-missing --fetch

run: install
	$(BIN)/gradpath serve --host 127.0.0.1 --port 8000

lint: deps
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: deps
	$(BIN)/mypy

pytest: install system-deps
	$(BIN)/pytest $(PYTEST_ARGS)

test: lint typecheck pytest

bench: install
	$(BIN)/python -m bench

build: deps
	$(BIN)/gradpath build

fetch: deps
	$(BIN)/gradpath data fetch

clean:
	rm -rf $(VENV) node_modules $(VAR) .pytest_cache .mypy_cache .ruff_cache
