"""The solution notebooks work as an nbgrader course, as docs/instructors/running-at-scale.md says.

For every lesson, in its own temporary course directory (so that lessons grade
in parallel without sharing a gradebook): ``nbgrader generate_assignment`` from
solutions/, then ``nbgrader autograde`` of two submissions: the solution notebook
itself (student "alice", full marks) and the untouched release notebook (student
"bob", zero: his check cells fail, because checks raise under nbgrader). For
the first lesson also our own lessons/ notebook with the exercises filled in, as
a class gets it from nbgitpuller ("carol", full marks). Also:
the release nbgrader makes is the same notebook as our generated lessons/ one,
up to the text of the stub's ``NotImplementedError``.

Needs the teacher extra (``pip install -e ".[teacher]"``); skipped without it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tools import nbgrader_course
from tools import notebooks as nbs

pytestmark = pytest.mark.teacher

nbgrader_api = pytest.importorskip(
    "nbgrader.api", reason="nbgrader is not installed: pip install -e '.[teacher]'"
)

LESSONS = [p.stem for p in nbs.solution_paths()]
BIN = str(Path(sys.executable).parent)  # nbgrader runs `alembic` from PATH


def _env() -> dict[str, str]:
    env = dict(os.environ, PATH=BIN + os.pathsep + os.environ.get("PATH", ""))
    env.pop("NBGRADER_EXECUTION", None)
    return env


def _nbgrader(root: Path, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args, f"--CourseDirectory.root={root}"],
        cwd=root,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    log = result.stdout + result.stderr
    if result.returncode != 0 or "ERROR" in log:
        raise AssertionError(f"nbgrader {' '.join(args)} failed:\n{log[-4000:]}")
    return log


EXPECTED = {"alice": "full", "bob": "zero"}
FROM_LESSONS = {"carol": "full"}  # first lesson only: keeps the test fast
FIRST = LESSONS[0] if LESSONS else ""


def _filled_lesson(name: str):
    """Our lessons/ notebook with every exercise cell replaced by the solved one."""
    lesson = nbs.read(nbs.LESSONS / f"{name}.ipynb")
    solution = nbs.read(nbs.SOLUTIONS / f"{name}.ipynb")
    for mine, solved in zip(lesson.cells, solution.cells):
        if mine.metadata.get("nbgrader", {}).get("solution"):
            mine.source = solved.source
    return lesson


def _grade_one(base: Path, name: str) -> tuple[Path, float]:
    """Course for one lesson: generate, submit, autograde."""
    start = time.perf_counter()
    root = base / name
    nbgrader_course.make_course(root, [nbs.SOLUTIONS / f"{name}.ipynb"])
    _nbgrader(root, "generate_assignment", name, "--force")
    notebook = f"{name}.ipynb"
    submissions = {
        "alice": nbs.read(root / "source" / name / notebook),
        "bob": nbs.read(root / "release" / name / notebook),
    }
    if name == FIRST:
        submissions["carol"] = _filled_lesson(name)
    for student, nb in submissions.items():
        folder = root / "submitted" / student / name
        folder.mkdir(parents=True)
        nbs.write(nb, folder / notebook)
    _nbgrader(root, "autograde", name, "--force")
    return root, time.perf_counter() - start


@pytest.fixture(scope="module")
def courses(tmp_path_factory):
    base = tmp_path_factory.mktemp("nbgrader")
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = dict(zip(LESSONS, pool.map(lambda n: _grade_one(base, n), LESSONS)))
    total = time.perf_counter() - start
    timings = ", ".join(f"{n} {s:.0f} s" for n, (_, s) in results.items())
    print(f"\nnbgrader cycle for {len(LESSONS)} lessons: {total:.0f} s ({timings})")
    return {name: root for name, (root, _) in results.items()}


def _scores(root: Path, name: str) -> dict[str, tuple[float, float]]:
    os.environ["PATH"] = BIN + os.pathsep + os.environ.get("PATH", "")
    with nbgrader_api.Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        return {
            sub.student.id: (sub.score, sub.max_score)
            for sub in gradebook.find_assignment(name).submissions
        }


def _points(name: str) -> float:
    nb = nbs.read(nbs.SOLUTIONS / f"{name}.ipynb")
    return sum(
        cell.metadata.get("nbgrader", {}).get("points", 0)
        for cell in nb.cells
        if cell.metadata.get("nbgrader", {}).get("grade")
    )


@pytest.mark.parametrize("name", LESSONS)
def test_solved_scores_full_and_untouched_scores_zero(courses, name):
    scores = _scores(courses[name], name)
    points = _points(name)
    assert points > 0, f"{name} has no graded check cells"
    expected = {**EXPECTED, **(FROM_LESSONS if name == FIRST else {})}
    for student, outcome in expected.items():
        want = (points, points) if outcome == "full" else (0, points)
        assert scores[student] == want, f"{student} ({outcome} marks expected): {scores[student]}"


def _cells(nb) -> list[tuple[str, str]]:
    return [
        (cell.cell_type, nbgrader_course.normalise_stub(cell.source).rstrip()) for cell in nb.cells
    ]


@pytest.mark.parametrize("name", LESSONS)
def test_release_is_our_lesson(courses, name):
    release = nbs.read(courses[name] / "release" / name / f"{name}.ipynb")
    lesson = nbs.read(nbs.LESSONS / f"{name}.ipynb")
    ours, theirs = _cells(lesson), _cells(release)
    assert len(ours) == len(theirs), "nbgrader's release has a different number of cells"
    for i, (a, b) in enumerate(zip(ours, theirs)):
        assert a == b, f"cell {i} differs between lessons/{name}.ipynb and nbgrader's release"


@pytest.mark.parametrize("name", LESSONS)
def test_release_has_no_solution(courses, name):
    text = (courses[name] / "release" / name / f"{name}.ipynb").read_text(encoding="utf-8")
    assert nbs.BEGIN_SOLUTION not in text and nbs.BEGIN_HIDDEN not in text
