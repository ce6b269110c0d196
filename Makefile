# Two commands do everything on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: run test setup system-deps db lint lock lighthouse clean bench soak

# Reuse .venv when present; reinstall only when the lock file changes.
$(STAMP): requirements-dev.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	@touch $@

# The browser tests' npm tools (axe-core, vnu-jar), exactly as locked. --ignore-scripts: vnu-jar's
# install script would fetch a Java runtime; the machine's java is used instead.
$(NODE_STAMP): package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

setup: $(STAMP) $(NODE_STAMP)

# Debian's chromium, CJK fonts, Java (browser tests) and nginx (its shipped configuration is
# checked): installed when root, else the exact apt-get command and a stop (scripts/system-deps.sh).
system-deps:
	@scripts/system-deps.sh

db: setup
	@mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py import_content
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0

run: db
	PORT=$(PORT) $(BIN)/gunicorn --config gunicorn.conf.py config.wsgi

test: setup system-deps
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/hadolint Dockerfile

# Regenerate the lock files after editing pyproject.toml.
lock: setup
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --extra dev -o requirements-dev.lock pyproject.toml

# Lighthouse scores (mobile) of the home and article pages; not part of CI.
lighthouse: db
	scripts/lighthouse.sh

clean:
	rm -rf $(VENV) var .pytest_cache node_modules

# Benchmarks (not part of make test; see bench/run.py): pages and API under gunicorn beside a
# static file of the same size, worker memory, cold start; import rate; search latency and
# indexing rate at 1k/10k/100k causes on SQLite and PostgreSQL beside the icontains baseline.
# Table on stdout, bench/results.json. BENCH_SECTIONS=http,import,search picks sections.
bench: setup
	$(BIN)/python bench/run.py

# Load and faults (tests/test_soak.py; minutes, not part of make test): 60 s of mixed traffic
# at 50 connections, gunicorn reloaded under load, PostgreSQL cut off (behind a proxy of the
# test's own; the server is never stopped) and a private Redis stopped, each under load; then two
# servers behind nginx (deploy/nginx.conf.template): slow clients, a server stopped and one
# killed under load, Redis away during an edit, uploads and two releases shared.
SOAK_SECONDS ?= 60
KB_SOAK_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
soak: setup
	KB_SOAK_SECONDS=$(SOAK_SECONDS) KB_TEST_DATABASE_URL=$(KB_SOAK_DATABASE_URL) \
		$(BIN)/python -m pytest -m soak -p no:cacheprovider -s -q
