# Samen: run `make help` for the list of targets.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 5000
# Test processes (pytest-xdist, one file per process at a time; each has its own SQLite file or PostgreSQL database).
TEST_WORKERS ?= 2
export FLASK_APP := webapp

.DEFAULT_GOAL := help

help: ## Show this list of targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[1m%-22s\033[0m %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || python3.11 -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed ## Create .venv and install the pinned requirements

lock: venv ## Pin every package again from requirements*.in (pip-tools) into requirements*.txt
	$(VENV)/bin/pip-compile --quiet --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links requirements.in -o requirements.txt
	$(VENV)/bin/pip-compile --quiet --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links requirements-dev.in -o requirements-dev.txt

translations-compile: venv ## Compile .po catalogues to .mo
	$(PY) -m babel.messages.frontend compile -d translations --statistics

translations-extract: venv ## Extract translatable strings to translations/messages.pot
	$(PY) -m babel.messages.frontend extract -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 -o translations/messages.pot --no-location --sort-output --project=Samen .

translations-update: translations-extract ## Merge new strings into the .po catalogues
	$(PY) -m babel.messages.frontend update -i translations/messages.pot -d translations --no-fuzzy-matching
	$(PY) scripts/fill-english-catalogue.py translations/en/LC_MESSAGES/messages.po

setup: venv translations-compile ## Migrate the SQLite database, load reference data and (if empty) demo data
	mkdir -p instance
	$(VENV)/bin/flask db upgrade
	$(VENV)/bin/flask reference load
	$(VENV)/bin/flask demo seed --if-empty

run: setup ## Set everything up and serve on http://127.0.0.1:$(PORT)
	@echo ""
	@echo "Samen runs on http://127.0.0.1:$(PORT)"
	@echo "Demo accounts (password: demo-wachtwoord-2026):"
	@echo "  resident   inwoner@demo.samen.nl"
	@echo "  volunteer  vrijwilliger@demo.samen.nl"
	@echo "  staff      consulent@demo.samen.nl"
	@echo ""
	$(VENV)/bin/flask run --host 127.0.0.1 --port $(PORT)

# In `make test` the every-page crawl checks every role in Dutch and Arabic (left-to-right and right-to-left);
# `make crawl` (run by .ci/run) checks every role in all six languages and writes the accessibility statement's figures.
test: export SAMEN_CRAWL_LANGS ?= nl,ar
test: venv translations-compile ## Run the whole test suite (on PostgreSQL when TEST_DATABASE_URL is set), TEST_WORKERS processes
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile

crawl: venv translations-compile ## Every page of every role in all six languages, in Chromium (axe, lang/dir, reflow, foreign texts)
	env -u SAMEN_CRAWL_LANGS -u SAMEN_CRAWL_ROLES -u SAMEN_CRAWL $(PY) -m pytest -s tests/browser/test_every_page.py

test-quick: venv translations-compile ## The suite without the browser and the slow tests: a loop of a minute or two
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile -m "not browser and not slow"

audit: venv translations-compile ## Security scans: bandit, sqlmap on loopback, CSRF sweep; writes SECURITY.md
	$(PY) scripts/audit.py

lint: venv ## Ruff, and the architecture (import-linter: the stack of features in pyproject.toml)
	$(VENV)/bin/ruff check matching webapp tests scripts bench
	$(VENV)/bin/lint-imports

typecheck: venv ## mypy (strict on matching/)
	$(VENV)/bin/mypy --strict matching
	$(VENV)/bin/mypy webapp

evaluate: venv ## Offline evaluation of the matching engine
	$(PY) -m matching evaluate

journeys: venv translations-compile ## Newcomer journeys on a 360 px phone (every Haarlem PC4, Debian's Chromium); writes docs/JOURNEYS.md
	$(PY) scripts/journeys.py $(JOURNEY_ARGS)

MATCHING_DATA ?= /tmp/samen-matching-100x.db
bench-matching: venv translations-compile ## The matching targets: engine (10,000 x 5,000), placement and digests at 100x; writes matching/README.md
	@mkdir -p bench/results
	$(PY) -m matching bench | tee bench/results/matching-engine.txt
	$(PY) -m bench.matching_web --engine bench/results/matching-engine.txt --write matching/README.md \
		$(if $(wildcard $(MATCHING_DATA)),--from-file $(MATCHING_DATA),--scale 100 --save $(MATCHING_DATA))

.PHONY: help venv lock translations-compile translations-extract translations-update setup run test crawl test-quick audit lint typecheck evaluate bench-matching journeys

bench/.venv/.installed: requirements-bench.txt
	test -x bench/.venv/bin/python || python3.11 -m venv bench/.venv || python3 -m venv bench/.venv
	bench/.venv/bin/python -m pip install --quiet -r requirements-bench.txt
	touch $@

bench: venv translations-compile bench/.venv/.installed ## Load test as in production: SQLite + PostgreSQL, 1× and 100× data (~30 min); writes PERFORMANCE.md
	bench/.venv/bin/python bench/run.py $(BENCH_ARGS)

bench-quick: venv translations-compile bench/.venv/.installed ## A short load test (1× SQLite) for development; writes bench/results/quick.md
	bench/.venv/bin/python bench/run.py --quick $(BENCH_ARGS)

serve-prod: venv translations-compile ## Production server: gunicorn (gthread) against DATABASE_URL; needs SECRET_KEY (see README)
	@test -n "$$SECRET_KEY" || { echo "Set SECRET_KEY (and DATABASE_URL=postgresql+psycopg://...) first; see README 'Production'."; exit 1; }
	SAMEN_ENV=production $(VENV)/bin/flask db upgrade
	SAMEN_ENV=production $(VENV)/bin/flask reference load
	SAMEN_ENV=production exec $(VENV)/bin/gunicorn -c gunicorn.conf.py

drill: venv translations-compile ## Fault drill (~5 min, needs PostgreSQL): kills and freezes PostgreSQL, kills workers and the mail server under load; prints what was lost (must be 0)
	$(PY) -m bench.drill $(DRILL_ARGS)

.PHONY: bench bench-quick serve-prod drill
