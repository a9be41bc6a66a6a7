# Two commands (README.md):  `make run` starts the dashboard; `make test` runs every check.
# Both set everything up first, on a fresh machine: the virtualenv, the Python packages, and (for the
# tests) Debian's Chromium and CJK fonts. Re-running is cheap: each step is skipped once done.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: setup system run test fast check build bench cluster bench-load

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

setup: $(VENV)/.installed

# Chromium (browser tests; Playwright's own browser download does not work offline), CJK fonts,
# PostgreSQL's server binaries (the store tests start a throwaway server of their own: tests/pgserver.py)
# and nginx for the cluster (deploy/, tests/cluster/test_cluster.py). Only the binaries are used, each started
# with a configuration of our own, not the system services.
system:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK" \
			|| ! [ -x /usr/sbin/nginx ] || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
			chromium fonts-noto-cjk nginx postgresql >/dev/null; \
	fi

# The first start builds the gazetteer (about 80 s; `geo prepare` names each stage), then one line says where
# the dashboard is. Streamlit's own banner is off (.streamlit/config.toml, logger.hideWelcomeMessage).
run: setup
	$(PY) -m geo prepare
	@echo "规划一张图 / Plans on one map: http://localhost:$(PORT)/  (Ctrl-C stops it)"
	@$(PY) -m streamlit run dashboard.py --server.port $(PORT) --logger.level error

check: setup
	$(PY) -m geo check

test: setup system
	$(PY) -m geo prepare
	$(PY) -m geo check
	$(PY) -m pytest

# The fast suite while developing (geo without Streamlit, under a minute): tests/unit/ less the slow tests.
# `make test` (and CI) runs everything: unit, pages (AppTest), browser (Chromium) and cluster (nginx) tests.
fast: setup
	$(PY) -m geo prepare
	$(PY) -m pytest tests/unit -m "not slow" -q

build: setup
	$(PY) -m geo build

bench: setup
	$(PY) bench/outline.py

# PostgreSQL, two dashboard replicas and nginx on this machine: http://127.0.0.1:8610/ (README.md, Deployment).
cluster: setup system
	deploy/cluster.sh start --replicas $(or $(REPLICAS),2) --port $(or $(CLUSTER_PORT),8610)

# K concurrent planner sessions against 1 and 2 replicas (several minutes; README.md, Deployment).
bench-load: setup system
	$(PY) bench/load.py
