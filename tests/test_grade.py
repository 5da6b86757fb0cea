"""The trusted grader (``tools.grade``) against real submissions, through real nbgrader.

One temporary course for lesson 01 (``tools.nbgrader_course``, ``generate_assignment``
through nbgrader's API, then the ``nbgrader autograde`` command), one submission per
student: the solution notebook ("honest"), a wrong ``sigmoid`` ("honest-wrong"), and
one tampered or delegating Exercise 1.1 per remaining student. Then ``tools.grade``
re-grades every check cell outside the kernels. For every tampered submission:

- Exercise 1.1 scores 0 after ``tools.grade`` (in the gradebook, so in ``export``);
- where the kernel gave credit, the row is listed as a mismatch (table and CSV);

the honest submission keeps full marks, the honest wrong answer gets the same score from
both routes, ``nbgrader export`` and ``generate_feedback`` show the trusted score.
``test_attack_table`` prints, for the report, each attack's kernel and trusted score.

Marked ``teacher`` (needs nbgrader); ``make test-teacher`` runs it.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tools import nbgrader_course
from tools import notebooks as nbs

pytestmark = pytest.mark.teacher
nbgrader_api = pytest.importorskip(
    "nbgrader.api", reason="nbgrader is not installed: pip install -e '.[teacher]'"
)

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
    "calls-the-reference": "def sigmoid(x):\n    return helpers.sigmoid(x)\n",
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
        "_spec = importlib.util.spec_from_file_location(\n"
        "    'copy_of_sigmoid', importlib.util.find_spec('helpers').submodule_search_locations[0]"
        " + '/sigmoid.py')\n"
        "_mod = importlib.util.module_from_spec(_spec)\n_spec.loader.exec_module(_mod)\n"
        "sigmoid = _mod.sigmoid\n"
    ),
    "sleeps-forever-outside-the-kernel": (
        "import os, sys, time\n\n\n"
        "def sigmoid(x):\n"
        "    if 'ipykernel' not in sys.modules:  # only when graded outside the kernel\n"
        "        if os.fork() == 0:\n            time.sleep(10**6)\n"
        "        time.sleep(10**6)\n"
        "    e = np.exp(-np.abs(x))\n    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))\n"
    ),
}


def _submission(answer: str | None):
    nb = nbs.read(nbs.SOLUTIONS / f"{LESSON}.ipynb")
    if answer is not None:
        cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == CELL]
        assert len(cells) == 1
        cells[0].source = answer
    return nb


def _nbgrader(root: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != "NBGRADER_EXECUTION"}
    bin_dir = str(Path(sys.executable).parent)  # nbgrader runs `alembic` from PATH
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    run = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args, f"--CourseDirectory.root={root}"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert run.returncode == 0, f"nbgrader {args} failed:\n{(run.stdout + run.stderr)[-3000:]}"
    return run.stdout + run.stderr


def _scores(root: Path) -> dict[str, dict[str, tuple]]:
    """``{student: {cell: (auto_score, score, max_score)}}`` from the gradebook."""
    out = {}
    with nbgrader_api.Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        for sub in gradebook.find_assignment(LESSON).submissions:
            notebook = gradebook.find_submission_notebook(LESSON, LESSON, sub.student.id)
            out[sub.student.id] = {
                g.name: (g.auto_score, g.score, g.max_score)
                for g in notebook.grades
                if g.cell_type == "code"
            }
    return out


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    from tools import grade
    from tools.grading import sandbox

    root = tmp_path_factory.mktemp("grade") / "course"
    nbgrader_course.make_course(root, [nbs.SOLUTIONS / f"{LESSON}.ipynb"])
    _nbgrader(root, "generate_assignment", LESSON, "--force")
    submissions = {"honest": None, "honest-wrong": WRONG, **ATTACKS}
    for student, answer in submissions.items():
        folder = root / "submitted" / student / LESSON
        folder.mkdir(parents=True)
        nbs.write(_submission(answer), folder / f"{LESSON}.ipynb")
    _nbgrader(root, "autograde", LESSON, "--force")
    kernel = _scores(root)
    old = sandbox.CALL_SECONDS
    sandbox.CALL_SECONDS = 5.0  # the sleeper: a short deadline keeps the test short
    try:
        status = grade.main([str(root), LESSON])
    finally:
        sandbox.CALL_SECONDS = old
    with (root / grade.CSV_FOLDER / f"{LESSON}.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {
        "root": root,
        "kernel": kernel,
        "trusted": _scores(root),
        "status": status,
        "rows": rows,
    }


def test_every_cell_is_graded(graded):
    assert graded["status"] == 0
    assert all(row["trusted"] != "-" for row in graded["rows"])


def test_honest_full_solution_keeps_full_marks(graded):
    for cell, (auto, score, points) in graded["trusted"]["honest"].items():
        assert auto == points, f"the kernel gave the solution {auto}/{points} on {cell}"
        assert score == points, f"tools.grade gave the solution {score}/{points} on {cell}"
    assert not any(r["mismatch"] == "yes" for r in graded["rows"] if r["student"] == "honest")


def test_honest_wrong_answer_scores_the_same_both_ways(graded):
    kernel = graded["kernel"]["honest-wrong"]
    trusted = graded["trusted"]["honest-wrong"]
    assert trusted[CHECK][1] == 0
    for cell, (auto, score, _points) in trusted.items():
        assert auto == score == kernel[cell][1], cell


@pytest.mark.parametrize("student", ATTACKS)
def test_tampered_submission_scores_zero_and_is_listed(graded, student):
    auto, score, points = graded["trusted"][student][CHECK]
    assert points == nbgrader_course.POINTS["1.1"]
    assert score == 0, f"{student}: Exercise 1.1 scored {score}/{points} after tools.grade"
    before = graded["kernel"][student][CHECK][1]
    (row,) = [r for r in graded["rows"] if r["student"] == student and r["cell"] == CHECK]
    if before:
        assert row["mismatch"] == "yes", f"{student}: the kernel's {before} is not listed"


def test_other_exercises_of_tampered_submissions_are_judged_on_their_own(graded):
    """The solution's other exercises pass outside the kernel, whatever 1.1 did."""
    for student in ATTACKS:
        for cell, (_auto, score, points) in graded["trusted"][student].items():
            if cell != CHECK:
                assert score == points, f"{student}: {cell} scored {score}/{points}"


def test_export_and_feedback_use_the_trusted_score(graded):
    root = graded["root"]
    _nbgrader(root, "export", "--to", str(root / "grades.csv"))
    with (root / "grades.csv").open(encoding="utf-8") as handle:
        exported = {r["student_id"]: float(r["raw_score"]) for r in csv.DictReader(handle)}
    for student, cells in graded["trusted"].items():
        assert exported[student] == pytest.approx(sum(s for _a, s, _p in cells.values()))
    _nbgrader(root, "generate_feedback", LESSON, "--student", "flips-the-engine-state")
    html = next((root / "feedback" / "flips-the-engine-state").rglob("*.html"))
    total = sum(s for _a, s, _p in graded["trusted"]["flips-the-engine-state"].values())
    points = sum(p for _a, _s, p in graded["trusted"]["flips-the-engine-state"].values())
    text = html.read_text(encoding="utf-8")
    assert f"(Score: {round(total, 2)} / {round(points, 2)})" in text


def test_attack_table(graded, capsys):
    """Not a check of its own: prints each attack's kernel and trusted score for the report."""
    lines = [f"{'attack':<36} kernel trusted"]
    for student in ATTACKS:
        kernel = graded["kernel"][student][CHECK][1]
        trusted = graded["trusted"][student][CHECK][1]
        lines.append(f"{student:<36} {kernel:>6g} {trusted:>7g}")
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    assert len(lines) == len(ATTACKS) + 1
