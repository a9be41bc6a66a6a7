# Two commands (README.md):  `make run` starts the dashboard; `make test` runs every check.
# Both set everything up first, on a fresh machine: the virtualenv, the Python packages, and (for the
# tests) Debian's Chromium and CJK fonts. Re-running is cheap: each step is skipped once done.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: setup system run test check build bench

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

setup: $(VENV)/.installed

# Chromium (browser tests; Playwright's own browser download does not work offline), CJK fonts, and
# PostgreSQL's server binaries (the store tests start a throwaway server of their own: tests/pgserver.py).
system:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK" \
			|| ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium fonts-noto-cjk postgresql >/dev/null; \
	fi

run: setup
	$(PY) -m geo prepare
	$(PY) -m streamlit run dashboard.py --server.port $(PORT)

check: setup
	$(PY) -m geo check

test: setup system
	$(PY) -m geo prepare
	$(PY) -m geo check
	$(PY) -m pytest

build: setup
	$(PY) -m geo build

bench: setup
	$(PY) bench/outline.py
