# Gongzhi (共治) — the two commands a newcomer needs:
#   make demo    set up, build the Junmen demo community, serve it at http://127.0.0.1:8000/
#   make test    set up, run the whole test suite (SQLite; PostgreSQL when DATABASE_URL is set)
# Also: make lint · make messages · make bench · make install
#
# Variables: PYTHON (python3.11), HOST/PORT/WORKERS for the demo server, PYTEST_ARGS (e.g. "tests/registry -x"),
# BENCH_DB (sqlite|postgres), BENCH_COMMUNITIES, BENCH_ROWS, BENCH_CASES (bench sizes, see `bench:`).

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
GONGZHI := $(VENV)/bin/gongzhi
STAMP := $(VENV)/.gongzhi-installed
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
PYTEST_ARGS ?=
BENCH_DB ?= sqlite
BENCH_COMMUNITIES ?= 10
BENCH_ROWS ?= 20000
BENCH_CASES ?= 50000
DEMO_PASSWORD := gongzhi-demo

PO_FILES := $(wildcard gongzhi/locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: help install demo test lint messages bench translations

help:
	@sed -n '1,8p' Makefile | sed 's/^# \{0,1\}//'

# The virtualenv, created once; the project and its dev tools are (re)installed whenever pyproject.toml
# is newer than the stamp.
$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --progress-bar off -e '.[dev]'
	@touch $@

install: $(STAMP) translations

# Compiled translations (.mo) follow their .po files; needs gettext's msgfmt.
translations: $(MO_FILES)

%.mo: %.po
	@if command -v msgfmt >/dev/null 2>&1; then msgfmt --check-format -o $@ $<; \
	else echo "warning: gettext is not installed (apt-get install gettext): $@ not rebuilt" >&2; fi

# `gongzhi serve` collects static files itself when they are missing or out of date.
demo: install
	$(GONGZHI) migrate --noinput
	$(GONGZHI) triage builtin
	$(GONGZHI) seed --profile junmen
	@echo
	@echo "Demo logins (password $(DEMO_PASSWORD)):"
	@echo "  admin       system administrator"
	@echo "  street      street office officer (街道)"
	@echo "  secretary   Junmen community party secretary (社区书记)"
	@echo "  worker      community worker (社区工作者)"
	@echo "  grid01      grid worker of grid 1 (网格员) — sees grid 1 only; grid02 likewise"
	@echo "  resident01  a resident in grid 1 (居民); resident02 in grid 2"
	@echo "  dept01      a department case handler (职能部门)"
	@echo
	$(GONGZHI) serve --host $(HOST) --port $(PORT) --workers $(WORKERS)

test: install
	@if [ -n "$$DATABASE_URL" ]; then echo "Testing on $${DATABASE_URL%%://*} (DATABASE_URL)"; \
	else echo "Testing on SQLite"; fi
	@$(PY) -m pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests"; status=0; fi; exit $$status

lint: $(STAMP)
	$(VENV)/bin/ruff check .

PO = gongzhi/locale/zh_Hans/LC_MESSAGES/django.po

messages: $(STAMP)
	$(GONGZHI) makemessages --locale zh_Hans --add-location file \
	    --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*' --ignore 'bench/*' --ignore 'scripts/*' \
	    --ignore 'docs/*' --ignore 'build/*'
	$(PY) scripts/merge_po_fragments.py  # each app's gongzhi/<app>/locale_zh.po fills in what is missing
	$(GONGZHI) compilemessages --locale zh_Hans --ignore .venv --ignore var

# Benchmarks at a size that finishes in minutes on a 2-core machine; docs/benchmarks.md has the full-size
# figures (100 communities ≈ 1.3 M residents, 100,000 ledger rows, 1,000,000 appeals) and their commands.
# BENCH_DB=postgres runs them on the local PostgreSQL (started and prepared by scripts/pg-start.sh).
bench: install
	@if [ "$(BENCH_DB)" = postgres ]; then bash scripts/pg-start.sh >/dev/null; fi
	$(PY) bench/bench_seed.py --communities $(BENCH_COMMUNITIES) --db $(BENCH_DB)
	$(PY) bench/bench_search.py --communities $(BENCH_COMMUNITIES) --db $(BENCH_DB)
	$(PY) bench/bench_import.py --rows $(BENCH_ROWS) $(if $(filter postgres,$(BENCH_DB)),--postgres)
	$(PY) bench/bench_appeals.py --db $(BENCH_DB) --cases $(BENCH_CASES) --seconds 10
	$(PY) bench/insights/bench_dashboard.py --db $(BENCH_DB) --cases $(BENCH_CASES) --n 30
	$(PY) bench/bench_ledger.py $(if $(filter postgres,$(BENCH_DB)),\
	    --database "$$(GONGZHI_PG_DB=gongzhi_bench_ledger bash scripts/pg-start.sh)")
