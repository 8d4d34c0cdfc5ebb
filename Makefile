# Two commands do all the set-up on a fresh machine:
#   make demo  - the embedded platform (SQLite, in-process backends) with demo data
#   make test  - real Elasticsearch, PostgreSQL, stripe-mock and Chromium; lint; the whole suite
PY := .venv/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install install-services messages services services-stop lint check pytest bench clean

install:
	scripts/bootstrap.sh

install-services:
	scripts/bootstrap.sh --services

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
