# Two commands do all the set-up on a fresh machine:
#   make demo  - the embedded platform (SQLite, in-process backends) with demo data
#   make test  - real Elasticsearch, PostgreSQL, stripe-mock and Chromium; lint; the whole suite
PY := .venv/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

# The locks: requirements/production.txt (dependencies) and requirements/dev.txt
# (with the test extra), pinned with hashes by uv for Python 3.11 on x86-64 Linux.
LOCK := .venv/bin/uv pip compile pyproject.toml --quiet --generate-hashes \
	--python-version 3.11 --python-platform x86_64-manylinux_2_28 \
	--custom-compile-command "make lock"

.PHONY: screenshots vendor demo test install install-services messages services services-stop lint check pytest bench clean lock lock-check

install:
	scripts/bootstrap.sh

install-services:
	scripts/bootstrap.sh --services

# Regenerate both locks from pyproject.toml; pins already in a lock are kept
# unless pyproject.toml rules them out (make lock UPGRADE=--upgrade to refresh all).
lock: install
	$(LOCK) $(UPGRADE) -o requirements/production.txt
	$(LOCK) $(UPGRADE) --extra test -o requirements/dev.txt

# The locks are what make lock would write now (asks PyPI; changes nothing).
lock-check: install
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	cp requirements/production.txt requirements/dev.txt "$$tmp"/; \
	$(LOCK) -o "$$tmp/production.txt" && $(LOCK) --extra test -o "$$tmp/dev.txt" && \
	diff -u requirements/production.txt "$$tmp/production.txt" && \
	diff -u requirements/dev.txt "$$tmp/dev.txt" && echo "locks match pyproject.toml"

messages: install
	$(MANAGE) compilemessages --ignore=.venv --ignore=var -v 0

demo: messages
	$(MANAGE) migrate --no-input -v 0
	$(MANAGE) seed_demo
	$(MANAGE) collectstatic --no-input -v 0
	@echo "Serving on http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	@# The scheduler (periodic jobs) runs beside the server and stops with it.
	@$(MANAGE) scheduler & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT) --insecure

services: install-services
	scripts/postgres.sh start
	scripts/redis.sh start
	scripts/stripe-mock.sh start
	scripts/elasticsearch.sh start

services-stop:
	-scripts/elasticsearch.sh stop
	-scripts/stripe-mock.sh stop
	-scripts/redis.sh stop
	-scripts/postgres.sh stop

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

check: messages
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) check
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run

pytest:
	.venv/bin/pytest -n 2

# Services are stopped whatever the outcome; the exit status is the suite's.
test: services
	@status=0; \
	$(MAKE) --no-print-directory lint check pytest || status=$$?; \
	$(MAKE) --no-print-directory services-stop; \
	exit $$status

bench: services
	$(PY) bench/run.py

clean: services-stop
	rm -rf var .pytest_cache .ruff_cache

# Retake the screenshots in docs/screenshots/ from the browser tests.
screenshots: services
	$(MANAGE) compilemessages --ignore=.venv --ignore=var -v 0
	SCREENSHOTS=docs .venv/bin/pytest -p no:cacheprovider -m browser -n 2 -q

# Re-copy the front-end toolkit pinned in frontend/package-lock.json.
vendor:
	scripts/vendor.sh
