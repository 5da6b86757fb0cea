"""The solution notebooks work as an nbgrader course, as docs/instructors/running-at-scale.md says.

One temporary course directory made by ``tools.nbgrader_course`` from solutions/.
``generate_assignment`` runs in-process through nbgrader's Python API
(``NbGraderAPI``); ``autograde`` runs as the instructor would run it, with the
``nbgrader`` command (in-process autograding of several students fails in nbgrader
0.9.6's gradebook session handling).

- ``generate_assignment`` for every lesson: the release has no solution left, and it
  is cell for cell our generated lessons/ notebook, up to the text of the stub's
  ``NotImplementedError`` (nbgrader's ``raise NotImplementedError()`` against ours
  naming the exercise).
- ``autograde`` for the first lesson: the solution notebook itself (student "alice")
  gets full marks, the untouched release ("bob") gets zero (his checks fail, and a
  failing check raises under nbgrader), and our lessons/ notebook with the exercises
  filled in, as a class gets it from nbgrader-less hubs ("carol"), gets full marks.
- ``autograde`` of lesson 01 with an honest submission and four tampered ones
  (a check redefined in an answer cell, ``np.allclose`` replaced, the check module's
  reference replaced, answers that call ``helpers.sigmoid``): each tampered one
  scores zero on Exercise 1.1, and the student's feedback shows the check's report
  without a traceback or a file path.
- ``autograde`` of alice and bob for every other lesson: marked ``slow`` as well (each
  notebook executes twice); `make test-teacher` skips it, CI runs it.

Needs the teacher extra (``pip install -e ".[teacher]"``); skipped without it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.submissions import CHECK, KERNEL_STOPS, LESSON, solution, with_answer
from tools import nbgrader_course
from tools import notebooks as nbs

pytestmark = pytest.mark.teacher

nbgrader_api = pytest.importorskip(
    "nbgrader.api", reason="nbgrader is not installed: pip install -e '.[teacher]'"
)

LESSONS = [p.stem for p in nbs.solution_paths()]
FIRST, OTHERS = LESSONS[0], LESSONS[1:]


def _points(name: str, *, manual: bool = False) -> float:
    """The autograded points of a lesson as the course source has them (by difficulty, from
    the tool); with ``manual``, the derivations graded by hand too (the lesson's maximum)."""
    nb = nbgrader_course.grading_notebook(nbs.SOLUTIONS / f"{name}.ipynb")
    return sum(
        cell.metadata.get("nbgrader", {}).get("points", 0)
        for cell in nb.cells
        if cell.metadata.get("nbgrader", {}).get("grade") and (manual or cell.cell_type == "code")
    )


def _filled_lesson(name: str):
    """Our lessons/ notebook with every exercise cell replaced by the solved one."""
    lesson = nbs.read(nbs.LESSONS / f"{name}.ipynb")
    solution = nbs.read(nbs.SOLUTIONS / f"{name}.ipynb")
    for mine, solved in zip(lesson.cells, solution.cells):
        if mine.metadata.get("nbgrader", {}).get("solution"):
            mine.source = solved.source
    return lesson


class Course:
    """A temporary nbgrader course over solutions/, driven through nbgrader's Python API."""

    def __init__(self, root: Path):
        from nbgrader.apps import NbGraderAPI
        from nbgrader.coursedir import CourseDirectory
        from traitlets.config import Config

        self.root = root
        nbgrader_course.make_course(root)
        from traitlets.config.loader import PyFileConfigLoader

        config = Config()  # the course's nbgrader_config.py, as the nbgrader command reads it
        config.merge(PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config())
        config.CourseDirectory.root = str(root)
        config.CourseDirectory.course_id = nbgrader_course.COURSE_ID
        config.Execute.timeout = 120
        self.api = NbGraderAPI(CourseDirectory(config=config), config=config)

    def run(self, what: str, *args: str) -> None:
        result = getattr(self.api, what)(*args)
        assert result["success"], f"nbgrader {what} {args} failed:\n{result.get('error')}"

    def release(self, name: str) -> Path:
        return self.root / "release" / name / f"{name}.ipynb"

    def autograde(self, name: str, submissions: dict) -> None:
        """Submit ``{student: notebook}`` and run ``nbgrader autograde`` once for all of them."""
        for student, nb in submissions.items():
            folder = self.root / "submitted" / student / name
            folder.mkdir(parents=True, exist_ok=True)
            nbs.write(nb, folder / f"{name}.ipynb")
        env = {k: v for k, v in os.environ.items() if k != "NBGRADER_EXECUTION"}
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "nbgrader",
                "autograde",
                name,
                "--force",
                f"--CourseDirectory.root={self.root}",
            ],
            cwd=self.root,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        log = result.stdout + result.stderr
        assert result.returncode == 0, f"nbgrader autograde {name} failed:\n{log[-4000:]}"

    def scores(self, name: str) -> dict[str, tuple[float, float]]:
        with nbgrader_api.Gradebook(f"sqlite:///{self.root / 'gradebook.db'}") as gradebook:
            return {
                sub.student.id: (sub.score, sub.max_score)
                for sub in gradebook.find_assignment(name).submissions
            }


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    # nbgrader runs the `alembic` command from PATH to create its database
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
    start = time.perf_counter()
    course = Course(tmp_path_factory.mktemp("nbgrader") / "course")
    for name in LESSONS:
        course.run("generate_assignment", name)
    generated = time.perf_counter()
    course.autograde(
        FIRST,
        {
            "alice": nbs.read(nbs.SOLUTIONS / f"{FIRST}.ipynb"),
            "bob": nbs.read(course.release(FIRST)),
            "carol": _filled_lesson(FIRST),
        },
    )
    print(
        f"\nnbgrader: generate_assignment x {len(LESSONS)} {generated - start:.0f} s, "
        f"autograde x 3 ({FIRST}) {time.perf_counter() - generated:.0f} s"
    )
    return course


def _want(outcome: str, name: str) -> tuple[float, float]:
    """(score, max score) after autograde: the derivations wait for the instructor (0 so far)."""
    top = _points(name, manual=True)
    return (_points(name), top) if outcome == "full" else (0, top)


def test_first_lesson_grades_full_zero_full(course):
    points = _points(FIRST)
    assert points > 0, f"{FIRST} has no graded check cells"
    scores = course.scores(FIRST)
    for student, outcome in {"alice": "full", "bob": "zero", "carol": "full"}.items():
        assert scores[student] == _want(outcome, FIRST), f"{student}: {outcome} marks expected"


@pytest.mark.slow
@pytest.mark.parametrize("name", OTHERS)
def test_lesson_grades_full_and_zero(course, name):
    start = time.perf_counter()
    course.autograde(
        name,
        {"alice": nbs.read(nbs.SOLUTIONS / f"{name}.ipynb"), "bob": nbs.read(course.release(name))},
    )
    print(f" autograde x 2 ({name}) {time.perf_counter() - start:.0f} s", end="")
    points = _points(name)
    assert points > 0, f"{name} has no graded check cells"
    scores = course.scores(name)
    assert scores["alice"] == _want("full", name), "the solution must get full marks"
    assert scores["bob"] == _want("zero", name), "the untouched release must get zero"


def _cells(nb) -> list[tuple[str, str]]:
    """Cell types and sources, up to the stub's text and the graded form of the check cells."""
    return [
        (
            cell.cell_type,
            nbgrader_course.without_solutions_folder(
                nbgrader_course.ungraded_source(nbgrader_course.normalise_stub(cell.source))
            ).rstrip(),
        )
        for cell in nb.cells
    ]


@pytest.mark.parametrize("name", LESSONS)
def test_release_is_our_lesson(course, name):
    release = nbs.read(course.release(name))
    lesson = nbs.read(nbs.LESSONS / f"{name}.ipynb")
    ours, theirs = _cells(lesson), _cells(release)
    assert len(ours) == len(theirs), "nbgrader's release has a different number of cells"
    for i, (a, b) in enumerate(zip(ours, theirs)):
        assert a == b, f"cell {i} differs between lessons/{name}.ipynb and nbgrader's release"


@pytest.mark.parametrize("name", LESSONS)
def test_release_has_no_solution_and_no_output(course, name):
    release = nbs.read(course.release(name))
    text = course.release(name).read_text(encoding="utf-8")
    assert nbs.BEGIN_SOLUTION not in text and nbs.BEGIN_HIDDEN not in text
    assert "solutions/" not in text, "the release sends learners to a folder they do not have"
    assert not (course.root / "release" / name / "solutions").exists()
    assert all(not c.get("outputs") for c in release.cells if c.cell_type == "code")


# ------------------------------------------------------------- graded work cannot be faked


@pytest.fixture(scope="module")
def tampered_course(course):
    submissions = {"honest": solution()}
    submissions |= {name: with_answer(solution(), answer) for name, answer in KERNEL_STOPS.items()}
    course.autograde(LESSON, submissions)
    return course


def _cell_scores(course, student: str) -> dict[str, tuple[float, float]]:
    with nbgrader_api.Gradebook(f"sqlite:///{course.root / 'gradebook.db'}") as gradebook:
        notebook = gradebook.find_submission_notebook(LESSON, LESSON, student)
        return {grade.name: (grade.score, grade.max_score) for grade in notebook.grades}


def test_an_honest_submission_gets_full_marks(tampered_course):
    assert tampered_course.scores(LESSON)["honest"] == _want("full", LESSON)


@pytest.mark.parametrize("student", KERNEL_STOPS)
def test_a_tampered_submission_scores_zero_on_the_tampered_exercise(tampered_course, student):
    score, max_score = _cell_scores(tampered_course, student)[CHECK]
    assert max_score == nbgrader_course.POINTS["1.1"]
    assert score == 0, f"{student}: Exercise 1.1 was faked into {score}/{max_score}"


def test_feedback_shows_the_report_without_traceback_or_paths(tampered_course):
    tampered_course.run("generate_feedback", LESSON, "calls-the-reference")
    html = next((tampered_course.root / "feedback" / "calls-the-reference").rglob("*.html"))
    text = html.read_text(encoding="utf-8")
    assert "Exercise 1.1 sigmoid: failed" in text and "calls helpers.sigmoid" in text
    assert "the check above failed" in text
    shown = text.split("</style>")[-1]  # the page's CSS names a "Generic.Traceback" class
    for leak in (
        "Traceback (most recent call last)",
        "site-packages",
        "helpers/checks/_core",
        str(nbs.ROOT),
    ):
        assert leak not in shown, f"the feedback shows {leak!r}"
    assert not any(mark in text for mark in "✅❌⏳"), "check marks must not need an emoji font"
    assert "Exercise 1.1 <code>sigmoid</code>" in text and "Test cell" not in text


def test_graded_release_does_not_point_to_solutions():
    text = "Intro.\n\n- `my-work/solutions/` holds twins.\n4. In the `solutions/` folder.\nEnd."
    out = nbgrader_course.without_solutions_folder(text)
    assert "solutions/" not in out and out.startswith("Intro.") and out.endswith("End.")
    assert "\n- (graded course" in out and "\n4. (graded course" in out
    assert nbgrader_course.without_solutions_folder("no folder named") == "no folder named"
    nb = nbgrader_course.grading_notebook(nbs.SOLUTIONS / "00_start_here.ipynb")
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "solutions/" not in text and "nbgrader validate" in text


def test_points_follow_difficulty():
    for path in nbs.solution_paths():
        nb = nbgrader_course.grading_notebook(path)
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade") and cell.cell_type == "code":
                assert "helpers.checks.graded_check(" in cell.source, cell.source
                assert meta["points"] == nbgrader_course.points_for(cell.source)
    assert nbgrader_course.POINTS["1.1"] > nbgrader_course.POINTS["1.4"]
