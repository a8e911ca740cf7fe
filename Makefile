# lawdesk — common tasks (GNU make).
#
#   make run     install runtime deps, migrate, load the demo data and serve on http://127.0.0.1:8000/
#   make test    install dev deps, then pytest: the whole suite, with ruff, mypy and the browser tests
#                make test PYTEST_ARGS='-k scoping -x'
#   make lock    re-lock with uv and re-export requirements/*.txt (hash-pinned)
#   make vendor  re-vendor htmx and Pico CSS into lawdesk/static/vendor/ (needs npm; the result is committed)
#   make clean   remove the venv and tool caches (keeps var/: database, secret key, collected static)
#
# Python 3.11 is required (pyproject.toml). Browser tests drive Debian's /usr/bin/chromium; never run
# `playwright install`.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(or $(shell command -v python3.11 2>/dev/null),python3)
VENV = .venv
VPY = $(VENV)/bin/python
UV ?= uv
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

PIP_INSTALL = $(VPY) -m pip install --disable-pip-version-check --no-input --require-hashes

.PHONY: help venv venv-dev run serve test lint lock vendor clean

help:
	@sed -n '3,10p' Makefile | sed 's/^# \{0,1\}//'

# --- virtual environment -------------------------------------------------------------------------
# pyvenv.cfg marks a created venv; each stamp records that a requirements file was installed into it,
# so a second run skips pip unless the requirements file (or the venv) is newer than the stamp.

$(VENV)/pyvenv.cfg:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "lawdesk needs Python 3.11, but $(PYTHON) is " + sys.version.split()[0] + "; run make PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install --disable-pip-version-check --no-input --require-hashes -r requirements/pip.txt

$(VENV)/.stamp-base: requirements/base.txt $(VENV)/pyvenv.cfg
	$(PIP_INSTALL) -r requirements/base.txt
	@touch $@

$(VENV)/.stamp-dev: requirements/dev.txt $(VENV)/pyvenv.cfg
	$(PIP_INSTALL) -r requirements/dev.txt
	@touch $@

venv: $(VENV)/.stamp-base
venv-dev: $(VENV)/.stamp-dev

# --- run the demo site ---------------------------------------------------------------------------

run: $(VENV)/.stamp-base
	$(VPY) manage.py migrate --noinput
	$(VPY) manage.py collectstatic --noinput -v 0
	$(VPY) manage.py import_laws --no-vectors
	LAWDESK_DEMO=1 $(VPY) manage.py load_demo
	@# the laws' vectors: the first time about 4 minutes (the shipped encoder) and 16 more (e5, re-ordering), so in
	@# the background (search ranks by keywords until the first are stored; the server picks each set up within a
	@# minute); nothing to do on later runs
	@vars="$${LAWDESK_VAR_DIR:-var}"; mkdir -p "$$vars"; \
	  nohup $(VPY) manage.py import_laws > "$$vars/import-laws.log" 2>&1 & \
	  echo "法条语义向量在后台计算（首次约4分钟，二次排序向量另需约16分钟，进度见 $$vars/import-laws.log）；语义向量算完之前法条检索只按关键词排序。"
	@echo
	@echo "打开浏览器访问：http://$(HOST):$(PORT)/"
	@echo
	LAWDESK_DEMO=1 LAWDESK_REMINDERS_IN_PROCESS=1 $(VPY) manage.py serve --host $(HOST) --port $(PORT)

# serve without migrating or loading anything (production-like; DEMO stays off unless set)
serve: $(VENV)/.stamp-base
	$(VPY) manage.py collectstatic --noinput -v 0
	$(VPY) manage.py serve --host $(HOST) --port $(PORT)

# --- checks --------------------------------------------------------------------------------------

lint: $(VENV)/.stamp-dev
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy lawdesk tests

# ruff and mypy run inside the suite (tests/test_code_quality.py)
test: $(VENV)/.stamp-dev
	$(VPY) -m pytest $(PYTEST_ARGS)

# --- maintenance ---------------------------------------------------------------------------------

lock:
	$(UV) lock
	$(UV) export --frozen --no-dev --no-emit-project --format requirements-txt -o requirements/base.txt
	$(UV) export --frozen --no-emit-project --format requirements-txt -o requirements/dev.txt

vendor:
	bash scripts/vendor_assets.sh

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache test-artifacts
	find . -name __pycache__ -type d -not -path './node_modules/*' -prune -exec rm -rf {} +
