# The verbs of this course. Run `make help` for the list.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-course
EXTRAS ?= course
JOBS   ?= 2
HOST   := 127.0.0.1

.DEFAULT_GOAL := help
.PHONY: help install lab test test-unit test-notebooks test-portability lessons solutions lint format bench lock clean slides site test-teacher test-browser progress

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements/constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed; set PYTHON=python3.11")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements/constraints.txt -e ".[$(EXTRAS)]"
	touch $@

install: $(STAMP)  ## create .venv and install the pinned course environment

# Jupyter refuses to run as root (containers, Binder-like set-ups) unless told; the server
# still listens on 127.0.0.1 only and still asks for its token.
ROOT_FLAG := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,)

lab: $(STAMP)  ## copy new lessons into my-work/ (never overwriting yours) and open JupyterLab there
	$(PY) -m tools.workspace lessons my-work --solutions solutions
	@$(if $(ROOT_FLAG),echo "note: running as root (a container?): starting JupyterLab with --allow-root",true)
	$(VENV)/bin/jupyter lab $(ROOT_FLAG) --ServerApp.ip=$(HOST) --ServerApp.root_dir=my-work \
	    --LabApp.default_url=/lab/tree/00_start_here.ipynb

progress: $(STAMP)  ## which exercises in my-work/ pass, fail or are not started (runs copies)
	$(PY) -m tools.progress my-work

test: $(STAMP)  ## run every test: helpers, checks, tooling, and every notebook under nbval
	$(PY) -m tools.run_tests --jobs $(JOBS)

test-unit: $(STAMP)  ## only the fast unit tests and doctests
	$(PY) -m pytest -q -n $(JOBS) -m "not browser and not teacher and not slow"

test-notebooks: $(STAMP)  ## only the notebooks (solutions strict, lessons lax)
	$(PY) -m tools.run_tests --jobs $(JOBS) --notebooks-only

# numpy picks exp/log kernels by CPU (AVX-512, AVX2, or baseline SSE); learners' machines
# differ, so the stored outputs must not. This reruns the solutions on the baseline kernels.
BASELINE_CPU := NPY_DISABLE_CPU_FEATURES="X86_V4 X86_V3"

test-portability: $(STAMP)  ## solutions under strict nbval with numpy's AVX kernels off (as on another CPU)
	$(BASELINE_CPU) $(PY) -m tools.run_tests --jobs $(JOBS) --solutions-only

lessons: $(STAMP)  ## regenerate lessons/ from solutions/ (stubs, no outputs)
	$(PY) -m tools.make_lessons

solutions: $(STAMP)  ## re-execute solutions/ in place to refresh stored outputs, then regenerate lessons
	$(PY) -m tools.execute solutions/*.ipynb
	$(PY) -m tools.make_lessons

lint: $(STAMP)  ## ruff check and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)  ## ruff fix and format
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: $(STAMP)  ## accuracy (ULP vs mpmath), speed (vs scipy) and explorer redraw times
	$(PY) benchmarks/bench.py
	$(PY) benchmarks/redraw.py

lock:  ## re-pin requirements/constraints.txt from pyproject.toml in a scratch venv
	rm -rf build/lock-venv && $(PYTHON) -m venv build/lock-venv
	build/lock-venv/bin/pip install --quiet -e ".[course,teacher,browser]"
	{ sed -n '1,2p' requirements/constraints.txt; build/lock-venv/bin/pip freeze --exclude-editable | grep -viE '^(pip|setuptools|wheel)=='; } > build/constraints.txt
	mv build/constraints.txt requirements/constraints.txt

clean:  ## remove build products (keeps .venv, my-work/ and the vendored reveal.js/MathJax in .cache/)
	rm -rf build .pytest_cache .hypothesis
	find . -name __pycache__ -not -path './.venv/*' -prune -exec rm -rf {} +

slides: $(STAMP)  ## 1280x720 reveal.js decks in build/slides/ (offline; npm fetches reveal.js, MathJax once into .cache/)
	$(PY) -m tools.slides

site: $(STAMP)  ## two static sites: build/site-instructor/ (all) and build/site-student/ (no solutions, no guide)
	$(PY) -m tools.site

test-teacher: $(STAMP)  ## instructors' tests: the nbgrader cycle through a temporary exchange, tampering, the trusted grader (tools.grade), slide vendoring
	$(PY) -m pip install --quiet -c requirements/constraints.txt -e ".[$(EXTRAS),teacher]"
	$(PY) -m pytest -q -m "teacher and not slow" tests/test_nbgrader.py tests/test_grade.py tests/test_slides_site.py
	$(PY) -m pytest -q tests/test_nbgrader_exchange.py

test-browser: $(STAMP)  ## JupyterLab in headless Chromium: every notebook runs, every explorer responds
	@test -x /usr/bin/chromium || { echo "needs Debian's Chromium: apt-get install chromium"; exit 1; }
	$(PY) -m pip install --quiet -c requirements/constraints.txt -e ".[$(EXTRAS),browser]"
	$(PY) -m pytest -q -m browser tests/browser
