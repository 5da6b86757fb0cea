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
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.submissions import ATTACKS, CHECK, LESSON, WRONG, solution, with_answer
from tools import nbgrader_course
from tools import notebooks as nbs

pytestmark = pytest.mark.teacher
nbgrader_api = pytest.importorskip(
    "nbgrader.api", reason="nbgrader is not installed: pip install -e '.[teacher]'"
)

ENDS_THE_WORKER = {"exits-outside-the-kernel"}  # its 1.1 cell ends every exercise's worker


def _source():
    """Lesson 01 with only what grading needs: the setup, exercise, definition and check
    cells (``tools.progress.runnable_copy``) and the manually graded answer cells, in order.
    It autogrades in a fraction of the full notebook's time."""
    from tools.progress import runnable_copy

    nb = solution()
    kept = {c.id for c in runnable_copy(nb).cells}
    nb.cells = [
        c
        for c in nb.cells
        if c.id in kept
        or (c.cell_type == "markdown" and c.metadata.get("nbgrader", {}).get("grade"))
    ]
    for c in nb.cells:
        if c.cell_type == "code":
            c.outputs, c.execution_count = [], None
    return nb


def _submission(answer: str | None):
    return _source() if answer is None else with_answer(_source(), answer)


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
    """``{student: {check cell: (auto_score, score, max_score)}}`` from the gradebook."""
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

    tmp = tmp_path_factory.mktemp("grade")
    source = tmp / "src" / f"{LESSON}.ipynb"
    source.parent.mkdir()
    nbs.write(_source(), source)
    root = tmp / "course"
    nbgrader_course.make_course(root, [source])
    _nbgrader(root, "generate_assignment", LESSON, "--force")
    pristine = tmp / "instructor-gradebook.db"  # kept out of autograde's reach, as the guide says
    shutil.copyfile(root / "gradebook.db", pristine)
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
        status = grade.main([str(root), LESSON, "--source-db", f"sqlite:///{pristine}"])
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


def test_every_check_cell_is_graded_and_manual_cells_are_left_alone(graded):
    assert graded["status"] == 0
    assert all(row["trusted"] != "-" for row in graded["rows"])
    cells = {row["cell"] for row in graded["rows"]}
    assert CHECK in cells and not any(c.startswith("derive") for c in cells)
    assert len(graded["rows"]) == len(graded["kernel"]) * len(graded["kernel"]["honest"])


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
    """The solution's other exercises pass outside the kernel, whatever 1.1 did, unless 1.1's
    answer cell ends the worker: then no later answer was ever run, and each scores 0 with
    that reason (the grader does not stop)."""
    for student in ATTACKS:
        for cell, (_auto, score, points) in graded["trusted"][student].items():
            if cell == CHECK:
                continue
            if student in ENDS_THE_WORKER:
                (row,) = [
                    r for r in graded["rows"] if r["student"] == student and r["cell"] == cell
                ]
                assert score == 0 and "graded process ended" in row["verdict"], row
            else:
                assert score == points, f"{student}: {cell} scored {score}/{points}"


def test_export_and_feedback_use_the_trusted_score(graded):
    root = graded["root"]
    _nbgrader(root, "export", "--to", str(root / "grades.csv"))
    with (root / "grades.csv").open(encoding="utf-8") as handle:
        exported = {r["student_id"]: float(r["raw_score"]) for r in csv.DictReader(handle)}
    with nbgrader_api.Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        for student, cells in graded["trusted"].items():
            notebook = gradebook.find_submission_notebook(LESSON, LESSON, student)
            assert exported[student] == pytest.approx(notebook.score)
            manual = sum(g.score for g in notebook.grades if g.name not in cells)
            want = sum(s for _a, s, _p in cells.values()) + manual
            assert exported[student] == pytest.approx(want), student
    student = "flips-the-engine-state"
    _nbgrader(root, "generate_feedback", LESSON, "--student", student)
    html = next((root / "feedback" / student).rglob("*.html")).read_text(encoding="utf-8")
    with nbgrader_api.Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        notebook = gradebook.find_submission_notebook(LESSON, LESSON, student)
        total, points = notebook.score, notebook.max_score
    assert graded["trusted"][student][CHECK][1] == 0
    assert f"(Score: {round(total, 2)} / {round(points, 2)})" in html
    assert (
        '<a href="#check1_1_sigmoid">Exercise 1.1 <code>sigmoid</code></a> (Score: 0.0 / 3.0)'
        in html
    )


def test_feedback_is_readable_without_an_emoji_font(graded):
    root = graded["root"]
    _nbgrader(root, "generate_feedback", LESSON, "--student", "honest-wrong")
    html = next((root / "feedback" / "honest-wrong").rglob("*.html")).read_text(encoding="utf-8")
    assert "Test cell" not in html and "Exercise 1.6 <code>derivative_error</code>" in html
    assert "Derivation, graded by hand" in html
    assert not any(mark in html for mark in "✅❌⏳"), "an emoji check mark is left"
    assert 'aria-label="failed"' in html and 'aria-label="passed"' in html
    assert "white-space: pre-wrap" in html


def test_attack_table(graded, capsys):
    """Each attack's kernel and trusted score on Exercise 1.1, printed for the report; the
    attacks issue 19 found (full marks in the kernel) must all be among the mismatches."""
    lines = [f"{'attack':<36} kernel trusted"]
    for student in ATTACKS:
        kernel = graded["kernel"][student][CHECK][1]
        trusted = graded["trusted"][student][CHECK][1]
        lines.append(f"{student:<36} {kernel:>6g} {trusted:>7g}")
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    listed = {r["student"] for r in graded["rows"] if r["cell"] == CHECK and r["mismatch"] == "yes"}
    faked = {s for s in ATTACKS if graded["kernel"][s][CHECK][1] > 0}
    assert faked <= listed


# ------------------------------------------------------------- the worker, the codec, the hints


def _session(cells: list[str], names: list[str], helpers: dict | None = None):
    from tools import grade
    from tools.grading import sandbox

    worker = sandbox.Worker()
    ready = worker.setup(cells, names, sorted(helpers or {}))
    session = grade.Session(worker, helpers or {})
    return worker, ready, {n: grade.stand_in(session, n, ready["functions"][n]) for n in names}


PROBE = """
import os, sys
try:
    import helpers.checks
    IMPORTED = True
except ImportError:
    IMPORTED = False


def probe():
    return {
        "imported": IMPORTED,
        "cwd": os.getcwd(),
        "env": sorted(os.environ),
        "path": list(sys.path),
        "isolated": bool(sys.flags.isolated),
    }
"""


def test_the_worker_is_isolated_from_the_course():
    worker, ready, fns = _session([PROBE], ["probe"])
    try:
        seen = fns["probe"]()
    finally:
        worker.close()
    assert seen["imported"] is False, "the course package is importable in the worker"
    assert not Path(seen["cwd"]).resolve().is_relative_to(nbs.ROOT.resolve())
    assert not any(p.startswith(str(nbs.ROOT)) for p in seen["path"])
    assert not any("site-packages" in p for p in seen["path"])
    assert seen["isolated"]
    for name in seen["env"]:
        assert not name.startswith(("NBGRADER", "PYTHON", "JUPYTER")), name
        assert "proxy" not in name.lower(), name


def test_the_worker_returns_plain_values_errors_warnings_and_mutation():
    import numpy as np

    cells = [
        "def same(x):\n    return x\n",
        "def bad(x):\n    raise ValueError('no ' + str(x))\n",
        "def noisy(x):\n    return np.exp(x)\n",
        "def inplace(x):\n    x -= 1\n    return x\n",
        "def todo(x):\n    raise NotImplementedError\n",
        "def cb(f, x):\n    return f(x) + 1\n",
        "def obj(x):\n    return object()\n",
    ]
    names = ["same", "bad", "noisy", "inplace", "todo", "cb", "obj"]
    worker, ready, fns = _session(cells, names)
    try:
        value = {"a": (1, 2.5, np.float32(3)), "b": [np.arange(3), None, "s", True]}
        back = fns["same"](value)
        assert back["a"] == (1, 2.5, np.float32(3)) and type(back["a"][2]) is np.float32
        assert np.array_equal(back["b"][0], np.arange(3)) and back["b"][1:] == [None, "s", True]
        with pytest.raises(ValueError, match="no 3"):
            fns["bad"](3)
        with pytest.raises(NotImplementedError):
            fns["todo"](1)
        with pytest.warns(RuntimeWarning, match="overflow"):
            fns["noisy"](np.array([1000.0]))
        x = np.array([1.0, 2.0])
        fns["inplace"](x)
        assert np.array_equal(x, [0.0, 1.0]), "a change in place must reach the caller"
        assert fns["cb"](lambda v: v * 2, np.array([1.0]))[0] == 3.0
        assert type(fns["obj"](1)).__name__ == "object"
    finally:
        worker.close()


def test_object_arrays_are_not_sent():
    import numpy as np

    from tools.grading import worker as codec

    with pytest.raises(codec.Unsupported):
        codec.encode(np.array([object()], dtype=object))


def test_the_exercise_reference_is_not_lent_to_the_worker():
    import helpers.checks
    from tools import grade
    from tools.grading import extract

    forbidden = extract.forbidden_helpers(helpers.checks.check_sigmoid)
    assert "sigmoid" in forbidden
    assert {"softmax", "softmax_with_temperature"} <= extract.forbidden_helpers(
        helpers.checks.check_softmax_with_temperature
    )
    cells = ["def sigmoid(x):\n    return helpers.sigmoid(x)\n"]
    ok, report = grade.trusted_check(cells, extract.CheckCall("check_sigmoid", ("sigmoid",)))
    assert not ok and "helpers.sigmoid is not available" in report
    cells = ["def sigmoid_predict(X, w, b):\n    return helpers.sigmoid(X @ w + b)\n"]
    call = extract.CheckCall("check_sigmoid_predict", ("sigmoid_predict",))
    assert grade.trusted_check(cells, call)[0], "Exercise 4.2 may use helpers.sigmoid"


def test_parse_check():
    from tools.grading import extract

    graded = 'import helpers.checks\n\nhelpers.checks.graded_check("check_prediction_rules", a, b)'
    assert extract.parse_check(graded) == extract.CheckCall("check_prediction_rules", ("a", "b"))
    assert extract.parse_check("# Check\ncheck_sigmoid(sigmoid)").names == ("sigmoid",)
    for bad in ("check_sigmoid(lambda x: x)", "print(1)", "check_sigmoid(", "graded_check(f)"):
        with pytest.raises(extract.NotACheck):
            extract.parse_check(bad)


def test_graded_hints_do_not_print_the_fix(monkeypatch, capsys):
    """Exercise 1.1's tanh hint names the cancellation; only outside graded mode does it also
    print the stable formula."""
    import helpers.checks
    from helpers.checks import _core

    namespace: dict = {}
    exec(WRONG.replace("np.", "__import__('numpy')."), namespace)
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    helpers.checks.check_sigmoid(namespace["sigmoid"])
    ungraded = capsys.readouterr().out
    assert "exp(-|x|)" in ungraded
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(_core.CheckFailed):
        helpers.checks.check_sigmoid(namespace["sigmoid"])
    graded_out = capsys.readouterr().out
    assert "cancels to 0" in graded_out
    assert "exp(-|x|)" not in graded_out and "e / (1 + e)" not in graded_out
    for name in ("HINT_SIGMOID_OVERFLOW", "HINT_NAIVE", "HINT_CLIP_SIGMOID", "HINT_ABS_ONLY"):
        shown = _core.graded_hint(getattr(helpers.checks.lesson01, name))
        assert "np.exp(-np.abs" not in shown and "e = exp(-|x|)" not in shown, name


def test_the_worker_has_limits_and_a_deadline(monkeypatch):
    from tools.grading import sandbox

    monkeypatch.setattr(sandbox, "CALL_SECONDS", 3.0)
    cells = [
        "import time\n\n\ndef big(n):\n    return np.ones(n)\n\n\n"
        "def slow(x):\n    time.sleep(60)\n    return x\n"
    ]
    worker, ready, fns = _session(cells, ["big", "slow"])
    try:
        with pytest.raises(MemoryError):
            fns["big"](400_000_000)  # 3.2 GB: over the 2 GiB address space
        with pytest.raises(RuntimeError, match="no answer within 3 s"):
            fns["slow"](1)
        with pytest.raises(RuntimeError, match="not run"):
            fns["big"](1)  # the worker is gone: every later call fails
    finally:
        worker.close()


def test_a_worker_that_cannot_start_is_not_the_submission():
    """Exit status 2 territory: the failure comes before any student code ran."""
    from tools.grading import sandbox

    worker = sandbox.Worker(python="/bin/false")
    with pytest.raises(sandbox.WorkerFailed):
        worker.setup(["x = 1"], [], [])


@pytest.mark.parametrize("path", nbs.solution_paths(), ids=lambda p: p.stem)
def test_every_solution_passes_every_check_outside_the_kernel(path):
    """Lessons 00-06: callables as arguments, lent helpers, tuples, dicts, scalars all cross."""
    from tools import grade
    from tools.grading import extract

    nb = nbs.read(path)
    answers = {
        c.metadata["nbgrader"]["grade_id"]
        for c in nb.cells
        if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")
    }
    cells = extract.answer_cells(path, answers)
    checks = [
        c.source
        for c in nb.cells
        if c.cell_type == "code"
        and c.metadata.get("nbgrader", {}).get("grade")
        and not c.metadata["nbgrader"].get("solution")
    ]
    assert checks
    for source in checks:
        ok, report = grade.trusted_check(cells, extract.parse_check(source))
        assert ok, report


# ------------------------------------------------------------- the adversarial review

SIGMOID = (
    "def sigmoid(x):\n    e = np.exp(-np.abs(x))\n"
    "    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))\n"
)
WORKER_ATTACKS = {
    # the answer cells end the worker or never finish: 0, never a crash of the grader
    "exits-at-import": ["import os\nos._exit(0)\n"],
    "sleeps-at-import": ["import time\ntime.sleep(100)\n"],
    "closes-the-protocol": [SIGMOID + "import os\nos.close(0)\nos.dup2(2, 4)\n"],
    # files, processes and signals the worker must not reach
    "stops-the-grader-by-pidfd": [
        WRONG,
        "import os, signal\nsignal.pidfd_send_signal(os.pidfd_open(os.getppid()), 19)\n",
    ],
    "stops-the-grader-by-kill": [WRONG, "import os\nos.kill(os.getppid(), 19)\n"],
    # each of these defines the right sigmoid only if its way out of the jail worked
    "imports-the-course-by-path": [
        "import sys\n\nfor _k in [k for k in sys.modules if k.split('.')[0] == 'helpers']:\n"
        "    del sys.modules[_k]\nsys.path.insert(0, '{root}')\n"
        "import helpers as _course\n\nsigmoid = _course.sigmoid\n"
    ],
    "reads-the-course-files": [
        WRONG,
        "if 'def sigmoid' in open('{root}/helpers/sigmoid.py').read():\n"
        + SIGMOID.replace("\n", "\n    ").replace("def", "    def", 1),
    ],
    "runs-a-process": [
        WRONG,
        "import subprocess\n\nif subprocess.run(['true']).returncode == 0:\n"
        + SIGMOID.replace("\n", "\n    ").replace("def", "    def", 1),
    ],
    "uses-ctypes": [
        WRONG,
        "import ctypes\n\nif ctypes.pythonapi.PySys_AddAuditHook:\n"
        + SIGMOID.replace("\n", "\n    ").replace("def", "    def", 1),
    ],
    "writes-a-database": [
        WRONG,
        "import sqlite3\nsqlite3.connect('{tmp}/x.db').execute('create table t (x)')\n",
    ],
}


@pytest.mark.parametrize("attack", WORKER_ATTACKS)
def test_the_worker_cannot_escape_or_crash_the_grader(attack, tmp_path, monkeypatch):
    """Answer cells that leave the worker's jail, end it or hang it: Exercise 1.1 scores 0,
    and ``trusted_check`` returns instead of raising (or hanging, or stopping the grader)."""
    from tools import grade
    from tools.grading import extract, sandbox

    monkeypatch.setattr(sandbox, "STARTUP_SECONDS", 5.0)
    monkeypatch.setattr(sandbox, "CALL_SECONDS", 5.0)
    cells = [c.format(root=nbs.ROOT, tmp=tmp_path) for c in WORKER_ATTACKS[attack]]
    ok, report = grade.trusted_check(cells, extract.CheckCall("check_sigmoid", ("sigmoid",)))
    assert ok is False, f"{attack}: credit outside the kernel\n{report}"
    assert not (tmp_path / "x.db").exists(), "the worker wrote a database outside its folder"


def test_the_jail_keeps_an_honest_answer_working():
    """Reading its own folder, NumPy's lazy submodules and the standard library still work."""
    from tools import grade
    from tools.grading import extract

    cells = [
        "import json, fractions, os\nopen('notes.txt', 'w').write('mine')\n"
        "assert open('notes.txt').read() == 'mine'\n_ = np.random.default_rng(0), np.linalg.norm\n"
        + SIGMOID
    ]
    ok, report = grade.trusted_check(cells, extract.CheckCall("check_sigmoid", ("sigmoid",)))
    assert ok, report


DELEGATIONS = {
    "check_sigmoid": "def sigmoid(x):\n    return np.exp(helpers.log_sigmoid(x))\n",
    "check_softmax": (
        "def softmax(z, axis=-1):\n    return np.exp(helpers.log_softmax(z, axis=axis))\n"
    ),
    "check_logsumexp": (
        "def logsumexp(z, axis=-1, keepdims=False):\n"
        "    z = np.asarray(z, dtype=float)\n"
        "    out = np.take(z, [0], axis=axis) - np.take(helpers.log_softmax(z, axis=axis), [0],"
        " axis=axis)\n    return out if keepdims else np.squeeze(out, axis=axis)\n"
    ),
}


@pytest.mark.parametrize("check", DELEGATIONS)
def test_an_answer_cannot_delegate_to_another_lent_helper(check):
    """Lessons 01 and 02: the exercise's own reference was refused, but any other helper was
    lent, and log_sigmoid or log_softmax gives the answer in one line."""
    from tools import grade
    from tools.grading import extract

    name = check.removeprefix("check_")
    ok, report = grade.trusted_check([DELEGATIONS[check]], extract.CheckCall(check, (name,)))
    assert not ok and "is not available while this exercise is graded" in report, report


def test_lent_helpers_are_those_the_model_answers_call():
    """``extract.LENT`` against the solutions: each check lends at least what its exercise's
    model answer calls from ``helpers`` and at most what the lesson's answers call (a later
    answer may call an earlier answer's function). That the model answers pass with it is
    ``test_every_solution_passes_every_check_outside_the_kernel``."""
    import re

    from tools.grading import extract

    seen = set()
    for path in nbs.solution_paths():
        answers: set = set()
        lesson: set = set()
        checks = []
        for c in nbs.read(path).cells:
            meta = c.metadata.get("nbgrader", {})
            if c.cell_type != "code":
                continue
            if meta.get("solution") and not meta.get("grade"):
                calls = set(re.findall(r"helpers\.(\w+)", c.source))
                answers |= calls
                lesson |= calls
            elif meta.get("grade") and not meta.get("solution"):
                check = extract.parse_check(c.source).check
                lent = extract.LENT.get(check, frozenset())
                assert answers <= lent, f"{check}: the model answer calls {answers - lent}"
                checks.append((check, lent))
                answers = set()
        for check, lent in checks:
            assert lent <= lesson, f"{check} lends {lent - lesson}, which no answer calls"
            seen.add(check)
    assert set(extract.LENT) <= seen, "LENT names a check no solution has"


def test_a_later_answer_cell_does_not_change_an_earlier_check(tmp_path):
    """An honest notebook whose logit cell (1.3) defines a naive sigmoid for its own use:
    the kernel checked 1.1 before that cell ran, so the trusted grader runs for each check
    only the answer cells above it and gives 1.1 its marks, as the kernel did."""
    from tools import grade
    from tools.grading import extract

    nb = _submission(None)
    ids = {
        c.metadata["nbgrader"]["grade_id"]
        for c in nb.cells
        if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")
    }
    (logit,) = [
        c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "ex1_3_logit"
    ]
    logit.source += (
        "\n\n\ndef sigmoid(x):  # a quick inverse for my own test\n"
        "    return 1 / (1 + np.exp(-x))\n"
    )
    path = tmp_path / f"{LESSON}.ipynb"
    nbs.write(nb, path)
    call = extract.CheckCall("check_sigmoid", ("sigmoid",))
    cells = extract.answer_cells(path, ids, until=CHECK)
    assert not any("quick inverse" in c for c in cells)
    ok, report = grade.trusted_check(cells, call)
    assert ok, report
    every = extract.answer_cells(path, ids, until="no-such-check")
    assert len(every) == len(ids)
    assert not grade.trusted_check(every, call)[0], "all the cells: the naive sigmoid is checked"
