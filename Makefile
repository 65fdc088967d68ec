# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: run test venv migrate demo worker beat check-deploy bench clean drill-faults drill-backup load

$(BIN)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

venv: $(BIN)/.installed

migrate: venv
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py demo

# SQLite and eager Celery unless DATABASE_URL / REDIS_URL say otherwise.
run: demo
	$(BIN)/python manage.py runserver $(HOST)

# The whole suite: SQLite unless DATABASE_URL is set; TEST_WORKERS processes (pytest-xdist, one database each).
TEST_WORKERS ?= 2
test: venv
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

worker: venv
	$(BIN)/celery -A rsoko worker --loglevel=INFO --concurrency=2

beat: venv
	$(BIN)/celery -A rsoko beat --loglevel=INFO

check-deploy: venv
	DEBUG=0 SECRET_KEY=$$($(BIN)/python -c 'import secrets;print(secrets.token_urlsafe(60))') \
		ALLOWED_HOSTS=rsoko.example.ru $(BIN)/python manage.py check --deploy --fail-level WARNING

# Fault drills on private PostgreSQL/Redis/Celery/gunicorn (several minutes; not part of `make test`).
drill-faults: venv
	$(BIN)/python bench/drills/faults.py

# Backup drill: pg_dump of a demo-sized database restored into an empty one, every table compared (PostgreSQL).
drill-backup: venv
	$(BIN)/python bench/drills/backup.py

# 20 users mixing dashboards, API pulls and uploads for 60 s against gunicorn and a Celery worker (PostgreSQL, Redis).
load: venv
	$(BIN)/python bench/load.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
