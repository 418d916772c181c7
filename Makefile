# The two commands of the README: `make app` and `make test`. Everything they need is
# installed here, so a fresh machine (and CI) needs nothing else.
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: app test lint venv chromium bench versions lock

venv: $(VENV)/.stamp
# requirements*.txt say what reltruth needs; requirements.lock pins everything they pull in.
$(VENV)/.stamp: requirements.txt requirements-dev.txt requirements.lock pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt -c requirements.lock
	$(PY) -m pip install -q --no-deps -e .
	touch $@

# Debian's Chromium for the browser tests (Playwright cannot download its own here).
chromium:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi; }

# What a run uses: printed by .ci/run so a failing run says what it ran on.
versions: venv
	@echo "python:    $$($(PY) -c 'import sys; print(sys.version.split()[0])')"
	@$(PY) -c 'import duckdb, streamlit, pandas, pyarrow, altair; print("duckdb:   ", duckdb.__version__); print("streamlit:", streamlit.__version__); print("pandas:   ", pandas.__version__); print("pyarrow:  ", pyarrow.__version__); print("altair:   ", altair.__version__)'
	@echo "chromium:  $$(/usr/bin/chromium --version 2>/dev/null || echo 'not installed')"

app: venv
	$(PY) -m reltruth sample --load --if-empty
	$(VENV)/bin/streamlit run app.py --server.port $(PORT)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

test: venv chromium lint
	$(VENV)/bin/pytest -q

# Every row of issue 19's table; figures go to docs/performance.md. The machine is shared:
# each script prints medians, paired ratios and the load average. BENCH_DATA: where the
# scaled samples and workspaces are generated (once; scale 100 is ~1 GB, scale 300 ~3 GB).
# A script exits 1 when its target is not met; "-" lets the others run all the same.
BENCH_DATA ?= bench_data
BENCH_WS = $(BENCH_DATA)/app-scale100.duckdb
bench: venv
	-nice -n 10 $(PY) benchmarks/app.py --data $(BENCH_DATA)
	-nice -n 10 $(PY) benchmarks/metrics.py --workspace $(BENCH_WS)
	-nice -n 10 $(PY) benchmarks/json_output.py --workspace $(BENCH_WS)
	-nice -n 10 $(PY) benchmarks/sheets.py --workspace $(BENCH_WS) --reps 40 --cli
	-nice -n 10 $(PY) benchmarks/ingest.py --data $(BENCH_DATA)/sample-x100
	-nice -n 10 $(PY) benchmarks/new_month.py --data $(BENCH_DATA)/sample-x100
	-nice -n 10 $(PY) benchmarks/scale300.py --data $(BENCH_DATA)/sample-x300

# After changing a requirement: pin the whole resolved set again (pip's resolver, no extra tool).
lock: venv
	$(PY) tools/lock.py
