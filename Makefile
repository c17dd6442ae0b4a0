# WhisperGifts: `make run` to try it, `make test` to check it. `make help` lists every target.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
PORT ?= 8000
PYTEST_ARGS ?=
# So the addresses `load_demo` prints match the port the site is served on.
export WAGTAILADMIN_BASE_URL ?= http://127.0.0.1:$(PORT)
INSTALLED := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help run test lint format migrate load-data dump-data clean bench profile lighthouse

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(INSTALLED): requirements/base.txt requirements/dev.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "WhisperGifts needs Python 3.11"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements/dev.txt
	touch $@

migrate: $(INSTALLED) ## Apply database migrations
	$(MANAGE) migrate --noinput

load-data: migrate ## Load the demo site (idempotent)
	$(MANAGE) load_demo

run: load-data ## Set everything up and serve the site on http://127.0.0.1:$(PORT)
	@echo "Serving on http://127.0.0.1:$(PORT)/ (Ctrl+C to stop)"
	$(MANAGE) runserver 127.0.0.1:$(PORT)

test: $(INSTALLED) ## Run the whole test suite (SQLite, or DATABASE_URL / REDIS_URL when set)
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(INSTALLED) ## ruff, format check, missing migrations, Django's checks
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=whispergifts.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=whispergifts.settings.test $(BIN)/python manage.py check

bench: $(INSTALLED) ## Benchmark under gunicorn + wrk (production settings; DATABASE_URL/REDIS_URL if set)
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	$(BIN)/python -m tests.benchmarks.run

profile: $(INSTALLED) ## CPU of a cold registry render and queries of a publish, for 50, 200 and 1,000 gifts
	$(BIN)/python -m tests.benchmarks.run profile

lighthouse: $(INSTALLED) ## Lighthouse scores of the home page, a registry and its reserve form (production settings)
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)
	npm ci --no-audit --no-fund --silent
	$(BIN)/python -m tests.benchmarks.lighthouse

format: $(INSTALLED) ## Fix what ruff can fix
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

dump-data: $(INSTALLED) ## Dump the database to demo-dump.json
	$(MANAGE) dumpdata --natural-foreign --indent 2 -e contenttypes -e auth.permission -e wagtailcore.referenceindex -o demo-dump.json

clean: ## Remove the virtualenv, the SQLite database and uploaded media
	rm -rf $(VENV) db.sqlite3 media staticfiles
