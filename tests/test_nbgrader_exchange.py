"""The whole nbgrader round trip through an exchange, as on a JupyterHub, in a temporary folder.

docs/instructors/running-at-scale.md configures the exchange in one place: the
``nbgrader_config.py`` snippet under "The nbgrader exchange" (``c.Exchange.root`` on a
shared volume, and the course id), read by every user from the Jupyter config path. This
test takes that snippet from the page, points ``c.Exchange.root`` at a temporary folder,
and runs, with the ``nbgrader`` command as instructors and students run it:

    instructor: generate_assignment, release_assignment
    alice, bob: fetch_assignment, (alice solves the exercise), submit
    instructor: collect, autograde, generate_feedback, release_feedback
    alice:      fetch_feedback

then checks that alice (solved) has full marks and bob (untouched) zero, that each
student's feedback reached their home folder, and that nothing was written outside the
temporary folder: HOME, the Jupyter and IPython folders and the working directory of
every command are inside it, and the real home's Jupyter folders, nbgrader's default
exchange and the repository root are unchanged.

On a hub every user is a different Unix account and nbgrader takes the student id from
it; here all users share one account, so the students name themselves (``--student``), and
``collect`` logs its "owned by" warning.

Marked ``teacher`` (needs nbgrader) and ``slow`` (two notebook executions, about 30 s).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tools import nbgrader_course
from tools import notebooks as nbs

pytestmark = [pytest.mark.teacher, pytest.mark.slow]
nbgrader_api = pytest.importorskip(
    "nbgrader.api", reason="nbgrader is not installed: pip install -e '.[teacher]'"
)

GUIDE = nbs.ROOT / "docs" / "instructors" / "running-at-scale.md"
LESSON = nbs.solution_paths()[0].stem  # 00_start_here: the shortest notebook
DOCUMENTED_EXCHANGE = "/srv/nbgrader/exchange"
NBGRADER_DEFAULT_EXCHANGE = Path("/usr/local/share/nbgrader/exchange")


def documented_config() -> str:
    """The ``nbgrader_config.py`` block of running-at-scale.md that sets ``c.Exchange.root``."""
    blocks = re.findall(r"```python\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    found = [b for b in blocks if "c.Exchange.root" in b]
    assert len(found) == 1, "running-at-scale.md must set c.Exchange.root in exactly one place"
    assert DOCUMENTED_EXCHANGE in found[0]
    return found[0]


def _snapshot(*roots: Path) -> dict[str, float]:
    """Every file below ``roots`` with its modification time (missing roots: nothing)."""
    seen = {}
    for root in roots:
        if root.is_file():
            seen[str(root)] = root.stat().st_mtime
        elif root.is_dir():
            for path in root.rglob("*"):
                if path.is_file():
                    seen[str(path)] = path.stat().st_mtime
    return seen


class Hub:
    """One machine's worth of users: an instructor and students, each with a home in tmp."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.exchange = tmp / "exchange"  # the shared volume
        self.etc = tmp / "etc-jupyter"  # the image's /etc/jupyter
        self.etc.mkdir()
        config = documented_config().replace(DOCUMENTED_EXCHANGE, str(self.exchange))
        (self.etc / "nbgrader_config.py").write_text(config, encoding="utf-8")
        self.course = tmp / "instructor" / "course"
        nbgrader_course.make_course(self.course, [nbs.SOLUTIONS / f"{LESSON}.ipynb"])

    def env(self, user: str) -> dict[str, str]:
        home = self.tmp / user
        home.mkdir(exist_ok=True)
        bin_dir = str(Path(sys.executable).parent)  # nbgrader runs `alembic` from PATH
        keep = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "NBGRADER"))}
        return {
            **keep,
            "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
            "HOME": str(home),
            "USER": user,
            "LOGNAME": user,
            "JUPYTER_CONFIG_DIR": str(self.etc),
            "JUPYTER_DATA_DIR": str(home / ".local" / "share" / "jupyter"),
            "JUPYTER_RUNTIME_DIR": str(home / ".local" / "share" / "jupyter" / "runtime"),
            "IPYTHONDIR": str(home / ".ipython"),
            "MPLCONFIGDIR": str(home / ".config" / "matplotlib"),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_DATA_HOME": str(home / ".local" / "share"),
            "PYTHONPATH": str(nbs.ROOT),  # `import helpers` while autograding
        }

    def nbgrader(self, user: str, *args: str, cwd: Path | None = None) -> str:
        where = cwd or (self.course if user == "instructor" else self.tmp / user)
        where.mkdir(parents=True, exist_ok=True)
        run = subprocess.run(
            [sys.executable, "-m", "nbgrader", *args],
            cwd=where,
            env=self.env(user),
            capture_output=True,
            text=True,
            timeout=600,
        )
        log = run.stdout + run.stderr
        assert run.returncode == 0, f"{user}: nbgrader {' '.join(args)} failed:\n{log[-3000:]}"
        return log


def _solve(path: Path) -> None:
    """Put the solution's answer cells into a fetched release notebook."""
    fetched = nbs.read(path)
    solution = nbs.read(nbs.SOLUTIONS / path.name)
    answers = {
        c.metadata["nbgrader"]["grade_id"]: c.source
        for c in solution.cells
        if c.metadata.get("nbgrader", {}).get("solution")
    }
    for cell in fetched.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    nbs.write(fetched, path)


def test_release_fetch_submit_collect_autograde_feedback(tmp_path):
    watched = (
        Path.home() / ".jupyter",
        Path.home() / ".local" / "share" / "jupyter",
        Path.home() / ".ipython" / "profile_default" / "security",
        NBGRADER_DEFAULT_EXCHANGE,
        Path("/srv/nbgrader"),
        nbs.ROOT / "nbgrader_config.py",
        nbs.ROOT / "gradebook.db",
        nbs.ROOT / LESSON,
    )
    before = _snapshot(*watched)
    hub = Hub(tmp_path)
    students = ("alice", "bob")

    hub.nbgrader("instructor", "db", "student", "add", "alice")
    hub.nbgrader("instructor", "db", "student", "add", "bob")
    hub.nbgrader("instructor", "generate_assignment", LESSON)
    hub.nbgrader("instructor", "release_assignment", LESSON)
    outbound = hub.exchange / nbgrader_course.COURSE_ID / "outbound" / LESSON / f"{LESSON}.ipynb"
    assert outbound.is_file(), "release_assignment did not write to the configured exchange"

    for student in students:
        hub.nbgrader(student, "list")
        hub.nbgrader(student, "fetch_assignment", LESSON)
        fetched = tmp_path / student / LESSON / f"{LESSON}.ipynb"
        assert fetched.is_file()
        assert nbs.BEGIN_SOLUTION not in fetched.read_text(encoding="utf-8")
        if student == "alice":
            _solve(fetched)
        hub.nbgrader(student, "submit", LESSON, f"--student={student}")

    hub.nbgrader("instructor", "collect", LESSON)
    for student in students:
        assert (hub.course / "submitted" / student / LESSON / f"{LESSON}.ipynb").is_file()
    hub.nbgrader("instructor", "autograde", LESSON)
    hub.nbgrader("instructor", "generate_feedback", LESSON)
    hub.nbgrader("instructor", "release_feedback", LESSON)
    hub.nbgrader("alice", "fetch_feedback", LESSON, "--student=alice")

    with nbgrader_api.Gradebook(f"sqlite:///{hub.course / 'gradebook.db'}") as gradebook:
        scores = {
            s.student.id: (s.score, s.max_score)
            for s in gradebook.find_assignment(LESSON).submissions
        }
    points = scores["alice"][1]
    assert points > 0
    assert scores == {"alice": (points, points), "bob": (0, points)}
    for student in students:
        html = hub.course / "feedback" / student / LESSON / f"{LESSON}.html"
        assert html.is_file(), f"no feedback for {student}"
    fed_back = list((tmp_path / "alice" / LESSON / "feedback").rglob(f"{LESSON}.html"))
    assert fed_back, "fetch_feedback did not bring alice's feedback home"

    assert _snapshot(*watched) == before, "nbgrader wrote outside the temporary folder"
