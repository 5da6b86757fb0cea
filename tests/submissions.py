"""Exercise 1.1 submissions that try to get credit for a wrong ``sigmoid``, for the grading tests.

``tests/test_nbgrader.py`` autogrades the first four (``KERNEL_STOPS``: graded mode stops
them inside the kernel) through the course's nbgrader setup; ``tests/test_grade.py`` runs
all of ``ATTACKS`` through nbgrader and then the trusted grader ``tools.grade``.
"""

from __future__ import annotations

from tools import notebooks as nbs

LESSON = "01_sigmoid"
CELL = "ex1_1_sigmoid"
CHECK = "check1_1_sigmoid"
WRONG = """# Exercise 1.1: sigmoid
def sigmoid(x):
    return (1 + np.tanh(x / 2)) / 2  # wrong far in the left tail
"""
# Exercise 1.1 answers. The first four are the attacks graded mode stopped already, the
# next five are the ones a reviewer got full marks with (issue 19), the rest are ours.
ATTACKS = {
    "redefines-the-check": WRONG + "\n\ndef check_sigmoid(f):\n    return None\n",
    "replaces-allclose": WRONG + "\n\nnp.allclose = lambda *a, **k: True\n",
    "replaces-the-reference": WRONG
    + "\n\nimport helpers.checks.lesson01 as L\n\nL._sigmoid = sigmoid\n",
    "calls-the-reference": (
        "# Exercise 1.1: sigmoid\ndef sigmoid(x):\n    return helpers.sigmoid(x)\n"
    ),
    # issue 19
    "patches-a-numpy-submodule": WRONG + "\n\nimport numpy._core.numeric as _numeric\n\n"
    "_numeric.isclose = lambda a, b, rtol=0, atol=0, equal_nan=False: np.ones(\n"
    "    np.broadcast_shapes(np.shape(a), np.shape(b)), dtype=bool)\n",
    "flips-the-engine-state": WRONG + "\n\nimport os\nimport helpers.checks._core as _c\n\n"
    "_c._nesting[0] = 1\n_c._GRADED_AT_IMPORT = False\n"
    "os.environ.pop('NBGRADER_EXECUTION', None)\n",
    "swaps-the-reference-code": WRONG
    + "\n\nimport helpers.checks.lesson01 as L\n\nL._sigmoid.__code__ = sigmoid.__code__\n",
    "switches-off-the-profiler": (
        "import sys\n\n\ndef sigmoid(x):\n    sys.setprofile(None)\n    return helpers.sigmoid(x)\n"
    ),
    "calls-the-reference-in-a-thread": (
        "import threading\n\n\ndef sigmoid(x):\n    out = []\n"
        "    t = threading.Thread(target=lambda: out.append(helpers.sigmoid(x)))\n"
        "    t.start()\n    t.join()\n    return out[0]\n"
    ),
    # ours
    "writes-the-gradebook": WRONG
    + """
import os, sqlite3

_here = os.path.abspath(".")
while _here != "/" and not os.path.exists(os.path.join(_here, "gradebook.db")):
    _here = os.path.dirname(_here)
_db = sqlite3.connect(os.path.join(_here, "gradebook.db"), timeout=30)
_db.execute(
    "UPDATE grade SET manual_score = (SELECT max_score FROM grade_cells"
    " WHERE grade_cells.id = grade.cell_id) WHERE notebook_id IN (SELECT n.id FROM"
    " submitted_notebook n JOIN submitted_assignment a ON n.assignment_id = a.id"
    " WHERE a.student_id = 'writes-the-gradebook')"
)
_db.commit()
_db.close()
""",
    "patches-builtins": WRONG + "\n\nimport builtins\n\nbuiltins.all = lambda *a, **k: True\n",
    "loads-the-reference-by-path": (
        "import importlib.util\n\n"
        "_where = importlib.util.find_spec('helpers').submodule_search_locations[0]\n"
        "_spec = importlib.util.spec_from_file_location('helpers._copy', _where + '/sigmoid.py')\n"
        "_mod = importlib.util.module_from_spec(_spec)\n"
        "_spec.loader.exec_module(_mod)\n"
        "sigmoid = _mod.sigmoid  # a fresh copy: new code objects, unknown to the profiler\n"
    ),
    "sleeps-forever-outside-the-kernel": (
        "import os, sys, time\n\n\n"
        "def sigmoid(x):\n"
        "    if 'ipykernel' not in sys.modules:  # only when graded outside the kernel\n"
        "        if os.fork() == 0:\n            time.sleep(10**6)\n"
        "        time.sleep(10**6)\n"
        "    e = np.exp(-np.abs(x))\n    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))\n"
    ),
    # the adversarial review: each one got credit from tools.grade, or crashed it, before
    "delegates-to-another-helper": (
        "def sigmoid(x):\n    return np.exp(helpers.log_sigmoid(x))  # a lent helper, not 1.1's\n"
    ),
    "imports-the-course-in-the-worker": (
        "import os, sys\n\n"
        "_site = os.path.dirname(os.path.dirname(os.path.realpath(np.__file__)))\n"
        "for _pth in [f for f in os.listdir(_site) if f.endswith('.pth')]:\n"
        "    for _line in open(os.path.join(_site, _pth)):\n"
        "        if _line.startswith('/'):\n            sys.path.insert(0, _line.strip())\n"
        "for _k in [k for k in sys.modules if k.split('.')[0] == 'helpers']:\n"
        "    del sys.modules[_k]\n"
        "import helpers as _course\n\nsigmoid = _course.sigmoid\n"
    ),
    "exits-outside-the-kernel": WRONG
    + "\n\nimport os, sys\n\nif 'ipykernel' not in sys.modules:\n    os._exit(0)\n",
}

# the attacks graded mode stops in the kernel alone (nbgrader's own autograde scores them 0)
KERNEL_STOPS = {
    name: ATTACKS[name]
    for name in (
        "redefines-the-check",
        "replaces-allclose",
        "replaces-the-reference",
        "calls-the-reference",
    )
}


def with_answer(nb, answer: str):
    """``nb`` with the Exercise 1.1 answer cell (nbgrader grade id ``CELL``) set to ``answer``."""
    cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == CELL]
    assert len(cells) == 1, f"no single answer cell {CELL} in {LESSON}"
    cells[0].source = answer
    return nb


def solution():
    """The solved lesson 01, read afresh."""
    return nbs.read(nbs.SOLUTIONS / f"{LESSON}.ipynb")
