# The commands people run. `make run` and `make test` do all set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000


.PHONY: e2e
.PHONY: run test lint format migrations-check check clean serve fault-test backup restore backup-drill bench bench-smoke css import-eval

# The virtualenv is rebuilt whenever a requirements file changes.
$(BIN)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

run: $(BIN)/.installed css
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo
	@echo "Serving on http://$(HOST)/ (Ctrl-C to stop)"
	$(BIN)/python manage.py runserver $(HOST)

# The npm packages (the browser checks' axe-core and vnu-jar, Bootstrap and PurgeCSS for `make css`,
# Lighthouse for `make bench`), when npm is there; without them the browser tests are skipped, and say so.
node_modules/.installed: package.json
	@if command -v npm >/dev/null; then npm install --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: the browser tests will be skipped"; fi

# Only the Bootstrap rules the templates use, from the npm package (scripts/build_css.mjs). The
# built file is committed, so without npm the site keeps the last one built (tests/test_css.py
# says when it is out of date).
css: $(BIN)/.installed
	-@$(MAKE) --no-print-directory node_modules/.installed
	@if [ -d node_modules/purgecss ] && command -v node >/dev/null; then node scripts/build_css.mjs; \
	else echo "npm not found: static/css/bootstrap.min.css is the committed build"; fi

test: $(BIN)/.installed css
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Only the browser tests, and a missing browser or checker is a failure, not a skip.
e2e: $(BIN)/.installed node_modules/.installed
	E2E_REQUIRED=1 $(BIN)/python -m pytest tests/e2e $(PYTEST_ARGS)

# A production-like server on this machine: DEBUG off, gunicorn, WhiteNoise, the demo data.
# Plain HTTP on loopback, so cookies are not marked Secure here; behind TLS leave SECURE_COOKIES on.
SERVE_ENV = DEBUG=0 SECRET_KEY=$${SECRET_KEY:-local-serve-$$(hostname)-not-for-the-internet-0123456789abcdef} \
	ALLOWED_HOSTS=$${ALLOWED_HOSTS:-127.0.0.1,localhost} SECURE_SSL_REDIRECT=$${SECURE_SSL_REDIRECT:-0} \
	SECURE_COOKIES=$${SECURE_COOKIES:-0}
serve: $(BIN)/.installed css
	$(SERVE_ENV) $(BIN)/python manage.py collectstatic --no-input -v0
	$(SERVE_ENV) $(BIN)/python manage.py migrate --no-input -v0
	$(SERVE_ENV) $(BIN)/python manage.py load_demo
	@$(SERVE_ENV) $(BIN)/python manage.py check_accounts
	@echo "Serving with gunicorn on http://$${GUNICORN_BIND:-127.0.0.1:8000}/ (Ctrl-C to stop)"
	$(SERVE_ENV) $(BIN)/gunicorn -c gunicorn.conf.py

# Restart PostgreSQL under load and report failed requests and seconds to recovery.
fault-test: $(BIN)/.installed
	$(BIN)/python scripts/fault_test.py

# pg_dump of DATABASE_URL into backups/; restore one with `make restore FILE=backups/....dump`.
backup:
	mkdir -p backups
	pg_dump --format=custom --no-owner --file=backups/baliwg-$$(date +%Y%m%d-%H%M%S).dump "$${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database}"
	@ls -1t backups/*.dump | head -n 1

restore:
	pg_restore --clean --if-exists --no-owner --single-transaction --dbname="$${DATABASE_URL:?set DATABASE_URL}" "$${FILE:?set FILE=backups/....dump}"

# Back up, restore into a scratch database, and compare the row counts of every table.
backup-drill: $(BIN)/.installed
	$(BIN)/python scripts/backup_drill.py

# Throughput and latency at scales 1, 10 and 100 (PostgreSQL, Redis, wrk) and Lighthouse's mobile
# scores (npm, Chromium): bench/results.md.
bench: $(BIN)/.installed css
	$(BIN)/python scripts/bench.py

# The same harness at small scales for a few seconds: CI runs it so that it never rots.
bench-smoke: $(BIN)/.installed
	$(BIN)/python scripts/bench.py --smoke

# Score the statement parser on tests/import_corpus: per statement and field, right, missed, invented.
import-eval: $(BIN)/.installed
	$(BIN)/python scripts/import_eval.py $(EVAL_ARGS)

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: $(BIN)/.installed
	$(BIN)/python manage.py makemigrations --check --dry-run

check: lint migrations-check
	$(BIN)/python manage.py check

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles backups node_modules test-artifacts
