# The verbs of this course. Run `make help` for the list.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-course
EXTRAS ?= course
JOBS   ?= 2
HOST   := 127.0.0.1

.DEFAULT_GOAL := help
.PHONY: help install check-install lab test test-unit test-notebooks test-portability lessons solutions lint format bench lock clean slides site test-teacher test-browser progress

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements/constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed; set PYTHON=python3.11")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements/constraints.txt -e ".[$(EXTRAS)]"
	touch $@

install: $(STAMP)  ## create .venv and install the pinned course environment

check-install: $(STAMP)  ## before a workshop: Python, the pinned packages, a kernel, ipywidgets (one line each)
	$(PY) -m tools.check_install

# Jupyter refuses to run as root (containers, Binder-like set-ups) unless told; the server
# still listens on 127.0.0.1 only and still asks for its token.
ROOT_FLAG := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,)

# my-work/solutions/ is read-only for the server itself, also as root (file modes do not stop root).
READ_ONLY_SOLUTIONS := tools.lab_contents.SolutionsReadOnlyContentsManager

# COURSE_LANG=zh or ru: the lessons translated into it (lessons/zh/), English for the rest.
COURSE_LANG ?=
lab: $(STAMP)  ## copy new lessons into my-work/ (never overwriting yours) and open JupyterLab there
	$(PY) -m tools.workspace lessons my-work --solutions solutions $(if $(COURSE_LANG),--lang $(COURSE_LANG),)
	@$(if $(ROOT_FLAG),echo "note: running as root (a container?): starting JupyterLab with --allow-root",true)
	PYTHONPATH="$(CURDIR)$${PYTHONPATH:+:$$PYTHONPATH}" \
	$(VENV)/bin/jupyter lab $(ROOT_FLAG) --ServerApp.ip=$(HOST) --ServerApp.root_dir=my-work \
	    --ServerApp.contents_manager_class=$(READ_ONLY_SOLUTIONS) \
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
# differ, so neither the stored outputs nor a check's verdict may. This reruns the solutions
# (strict nbval) and every check's tests at each dispatch level below this machine's own.
test-portability: $(STAMP)  ## solutions and check tests as on a CPU without AVX-512, and without AVX2
	$(PY) -m tools.portability --jobs $(JOBS)

lessons: $(STAMP)  ## regenerate lessons/ from solutions/ (stubs, no outputs), and the translations
	$(PY) -m tools.make_lessons
	$(PY) -m tools.translations

solutions: $(STAMP)  ## re-execute solutions/ (and solutions/<lang>/) to refresh stored outputs, then regenerate lessons
	$(PY) -m tools.execute solutions/*.ipynb
	$(PY) -m tools.make_lessons
	$(PY) -m tools.translations --force

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

slides: $(STAMP)  ## reveal.js decks in build/slides/: one per lesson, one per workshop plan (offline; npm fetches reveal.js, MathJax once)
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
