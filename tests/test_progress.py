"""`make progress` / `python -m tools.progress`: progress at a glance, from copies.

- a fresh copy of lessons/: every exercise "not started";
- solutions/: every exercise "passed";
- a wrong answer: "failed" with the first line of the check's report;
- an exercise written on top of an earlier stub: "waiting", naming the stub;
- the learner's notebooks are never written; a missing folder, an empty one, an
  unreadable notebook and a notebook whose setup fails each get a clear line;
- ``--recursive`` over per-student folders, as an instructor runs it on submissions.

The tests that execute every lesson are marked ``slow``; the one-notebook tests
run in ``make test``.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import nbformat
import pytest

from tools import notebooks as nbs
from tools import progress


def _exercise_numbers() -> list[str]:
    numbers = []
    for path in nbs.solution_paths():
        for cell in nbs.read(path).cells:
            title = nbs.exercise_title(cell.source) if cell.cell_type == "code" else None
            if title:
                numbers.append(title.split()[1].rstrip(":"))
    return numbers


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.glob("*.ipynb")}


def _by_status(reports) -> dict[str, set[str]]:
    status: dict[str, set[str]] = {}
    for report in reports:
        assert not report.error, f"{report.path.name}: {report.error}"
        for e in report.exercises:
            status.setdefault(e.status, set()).add(e.number)
    return status


def _with_answer(lesson: str, grade_id: str, source: str):
    """The lesson's solution notebook with one exercise cell replaced by ``source``."""
    nb = nbs.read(nbs.SOLUTIONS / f"{lesson}.ipynb")
    cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id]
    assert len(cells) == 1, grade_id
    cells[0].source = source
    return nb


@pytest.fixture
def work(tmp_path) -> Path:
    folder = tmp_path / "my-work"
    folder.mkdir()
    return folder


@pytest.mark.slow
def test_fresh_lessons_are_all_not_started(work):
    for path in sorted(nbs.LESSONS.glob("*.ipynb")):
        shutil.copy(path, work / path.name)
    before = _digests(work)
    reports = progress.run_all(progress.lesson_notebooks(work), jobs=2)
    assert _by_status(reports) == {"not started": set(_exercise_numbers())}
    assert _digests(work) == before, "the learner's notebooks must not change"


@pytest.mark.slow
def test_solved_lessons_all_pass(work, capsys):
    for path in nbs.solution_paths():
        shutil.copy(path, work / path.name)
    assert progress.main([str(work), "--jobs", "2"]) == 0
    out = capsys.readouterr().out
    assert "❌" not in out and "⏳" not in out, out
    numbers = _exercise_numbers()
    assert "exercises passed, 0 failed, 0 not started or waiting" in out, out
    assert out.count("  ✅ ") >= len(numbers), out


def test_a_wrong_answer_fails_with_the_first_line_of_its_report(work):
    nb = _with_answer(
        "00_start_here",
        "ex0_1_odds",
        "# Exercise 0.1: odds\ndef odds(p):\n    return (1 - p) / p\n",
    )
    path = work / "00_start_here.ipynb"
    nbs.write(nb, path)
    before = path.read_bytes()
    [report] = progress.run_all([path], jobs=1)
    [exercise] = report.exercises
    assert (exercise.number, exercise.name, exercise.status) == ("0.1", "odds", "failed")
    assert exercise.detail.startswith("❌ Exercise 0.1 odds: failed on case 1 of 5"), exercise
    assert path.read_bytes() == before


def test_a_stub_and_an_exercise_waiting_on_an_earlier_stub(work, capsys):
    nb = _with_answer(
        "01_sigmoid",
        "ex1_1_sigmoid",
        '# Exercise 1.1: sigmoid\ndef sigmoid(x):\n    raise NotImplementedError("Exercise 1.1")\n',
    )
    for cell in nb.cells:  # 1.2 written on top of 1.1's stub
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "ex1_2_sigmoid_grad":
            cell.source = (
                "# Exercise 1.2: sigmoid_grad\ndef sigmoid_grad(x):\n"
                "    s = sigmoid(x)\n    return s * (1 - s)\n"
            )
    nbs.write(nb, work / "01_sigmoid.ipynb")
    assert progress.main([str(work), "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert "⏳ 1.1 sigmoid" in out and "not started" in out, out
    [line] = [line for line in out.splitlines() if "1.2 sigmoid_grad" in line]
    assert "waiting" in line and "your `sigmoid` from Exercise 1.1 is still a stub" in line, line
    assert "✅ 1.3 logit" in out, out


def test_missing_folder_and_no_notebooks(tmp_path, capsys):
    assert progress.main([str(tmp_path / "nowhere")]) == 1
    assert "no folder" in capsys.readouterr().out
    assert progress.main([str(tmp_path)]) == 1
    assert "no lesson notebooks" in capsys.readouterr().out


def test_a_broken_notebook_and_a_failing_setup_are_reported(work, capsys):
    (work / "00_start_here.ipynb").write_text("{ this is not json", encoding="utf-8")
    nb = nbs.read(nbs.SOLUTIONS / "00_start_here.ipynb")
    setup = next(c for c in nb.cells if c.cell_type == "code")
    setup.source = "import helpers.no_such_module\n" + setup.source
    nbs.write(nb, work / "01_sigmoid.ipynb")  # any lesson name will do
    assert progress.main([str(work), "--jobs", "2"]) == 0
    out = capsys.readouterr().out
    assert "00_start_here.ipynb\n  ❌ could not read it" in out, out
    assert "its setup cell failed: ModuleNotFoundError" in out, out


def test_an_instructor_reads_a_folder_of_submissions(tmp_path, capsys):
    submitted = tmp_path / "submitted"
    honest = submitted / "alice" / "00_start_here"
    wrong = submitted / "bob" / "00_start_here"
    honest.mkdir(parents=True)
    wrong.mkdir(parents=True)
    shutil.copy(nbs.SOLUTIONS / "00_start_here.ipynb", honest)
    shutil.copy(nbs.LESSONS / "00_start_here.ipynb", wrong)
    (honest / ".ipynb_checkpoints").mkdir()
    shutil.copy(nbs.LESSONS / "00_start_here.ipynb", honest / ".ipynb_checkpoints")
    assert progress.main([str(submitted), "--recursive", "--jobs", "2"]) == 0
    out = capsys.readouterr().out
    assert "alice/00_start_here/00_start_here.ipynb\n  ✅ 0.1 odds" in out, out
    assert "bob/00_start_here/00_start_here.ipynb\n  ⏳ 0.1 odds" in out, out
    assert "  alice: 1 / 1" in out and "  bob: 0 / 1" in out, out
    assert ".ipynb_checkpoints" not in out


def test_only_the_cells_the_checks_need_run():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("# Setup\nimport numpy as np"),
        nbformat.v4.new_code_cell("plot_everything()"),  # a figure: skipped
        nbformat.v4.new_code_cell("def helper(x):\n    return x"),  # the learner's: kept
        nbformat.v4.new_code_cell("# Exercise 9.1: f\ndef f(x):\n    return helper(x)"),
        nbformat.v4.new_code_cell("# Check Exercise 9.1\ncheck_f(f)"),
    ]
    kept = [c.source.splitlines()[0] for c in progress.runnable_copy(nb).cells]
    assert kept == ["# Setup", "def helper(x):", "# Exercise 9.1: f", "# Check Exercise 9.1"]


def test_make_progress_runs_the_tool_on_my_work():
    import subprocess

    commands = subprocess.run(
        ["make", "-n", "-o", ".venv/.installed-course", "progress"],
        cwd=nbs.ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "-m tools.progress my-work" in commands, commands


# ---------------------------------------------------------------- judged as a full run judges


def _insert_before(nb, grade_id: str, *sources: str):
    """Put new code cells (the learner's own) just before the cell ``grade_id``."""
    at = next(
        i
        for i, c in enumerate(nb.cells)
        if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id
    )
    nb.cells[at:at] = [nbformat.v4.new_code_cell(s) for s in sources]
    return nb


def test_helpers_defined_by_assignment_are_kept(work):
    nb = _with_answer(
        "00_start_here",
        "ex0_1_odds",
        "# Exercise 0.1: odds\ndef odds(p):\n    return ratio(p, ONE - p)\n",
    )
    nb = _insert_before(nb, "ex0_1_odds", "ONE = 1.0", "ratio = lambda a, b: a / b")
    path = work / "00_start_here.ipynb"
    nbs.write(nb, path)
    [report] = progress.run_all([path], jobs=1)
    assert [(e.number, e.status) for e in report.exercises] == [("0.1", "passed")], report


FAKE_PASS = 'print("✅ Exercise 0.1 odds: passed all 5 cases (each within relative error 1e-07)")'
WRONG = "    return (1 - p) / p\n"


CASE_1 = "❌ Exercise 0.1 odds: failed on case 1"
REPLACED = "❌ check_odds: not graded, because helpers.checks.check_odds has been replaced"


@pytest.mark.parametrize(
    "answer, detail",
    [
        # the check itself redefined in the answer cell
        (
            f"# Exercise 0.1: odds\ndef odds(p):\n{WRONG}\n\ndef check_odds(f):\n    {FAKE_PASS}\n",
            CASE_1,
        ),
        # the package's check replaced, and the name with it: refused, as grading refuses it
        (
            "# Exercise 0.1: odds\nimport helpers.checks\n\ndef odds(p):\n"
            f"{WRONG}\n\nhelpers.checks.check_odds = lambda f: {FAKE_PASS}\n"
            "check_odds = helpers.checks.check_odds\n",
            REPLACED,
        ),
        # the learner's function prints a pass line while it is checked
        (f"# Exercise 0.1: odds\ndef odds(p):\n    {FAKE_PASS}\n{WRONG}", CASE_1),
    ],
    ids=["check redefined", "package check replaced", "prints a pass line"],
)
def test_a_printed_pass_line_is_not_a_pass(work, answer, detail):
    path = work / "00_start_here.ipynb"
    nbs.write(_with_answer("00_start_here", "ex0_1_odds", answer), path)
    [report] = progress.run_all([path], jobs=1)
    assert [(e.number, e.status) for e in report.exercises] == [("0.1", "failed")], report
    assert report.exercises[0].detail.startswith(detail), report


def test_each_notebook_runs_in_a_temporary_home_and_folder_left_behind_by_none(
    work, tmp_path, monkeypatch
):
    import tempfile

    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))
    here = Path.cwd()
    before = set(Path(tempfile.gettempdir()).glob("progress-*"))
    nb = _with_answer(
        "00_start_here",
        "ex0_1_odds",
        "# Exercise 0.1: odds\nfrom pathlib import Path\n\n"
        'Path("written-here.txt").write_text("x")\n'
        'Path.home().joinpath("written-home.txt").write_text("x")\n\n\n'
        "def odds(p):\n    return p / (1 - p)\n",
    )
    path = work / "00_start_here.ipynb"
    nbs.write(nb, path)
    [report] = progress.run_all([path], jobs=1)
    assert [e.status for e in report.exercises] == ["passed"], report
    # (the worker server may cache matplotlib's fonts there: the course's code, not the notebook's)
    assert not list(home.rglob("written-*")), "the notebook wrote into the caller's home"
    assert not (here / "written-here.txt").exists()
    assert sorted(p.name for p in work.iterdir()) == ["00_start_here.ipynb"]
    assert set(Path(tempfile.gettempdir()).glob("progress-*")) == before


def test_workers_are_not_forked_from_a_threaded_process():
    import multiprocessing

    assert progress.START_METHOD in ("spawn", "forkserver")
    assert progress.START_METHOD in multiprocessing.get_all_start_methods()
    assert 'get_context("fork")' not in Path(progress.__file__).read_text(encoding="utf-8")


def test_the_docs_say_recursive_runs_student_code_with_your_rights():
    doc = " ".join(progress.__doc__.split())
    assert "runs every student's code with your rights" in doc
    assert "not a second opinion on grades" in doc
    readme = " ".join((nbs.ROOT / "README.md").read_text(encoding="utf-8").split())
    assert "runs every student's code with your rights" in readme


def test_the_spawn_start_method_used_on_windows_works_too(work, monkeypatch):
    monkeypatch.setattr(progress, "START_METHOD", "spawn")
    monkeypatch.setattr(progress, "_CONTEXT", [])
    path = work / "00_start_here.ipynb"
    nbs.write(
        _with_answer("00_start_here", "ex0_1_odds", f"# Exercise 0.1: odds\ndef odds(p):\n{WRONG}"),
        path,
    )
    [report] = progress.run_all([path], jobs=1)
    assert [(e.number, e.status) for e in report.exercises] == [("0.1", "failed")], report
    assert report.exercises[0].detail.startswith(CASE_1)


@pytest.mark.parametrize("lang", ["en", "zh", "ru"])
def test_headlines_are_read_in_every_language(lang, monkeypatch, capsys):
    from helpers.checks import check_odds, set_language
    from helpers.checks._core.format import parse_headline

    def stub(p):
        raise NotImplementedError

    monkeypatch.delenv("COURSE_LANG", raising=False)
    set_language(lang)
    try:
        statuses = []
        for answer in (lambda p: p / (1 - p), lambda p: (1 - p) / p, stub):
            check_odds(answer)
            first = capsys.readouterr().out.splitlines()[0]
            head = parse_headline(first)
            assert head is not None, first
            assert (head.exercise, head.name) == ("0.1", "odds"), first
            assert (lang == "en") == head.title.startswith("Exercise "), first
            statuses.append(head.status)
    finally:
        set_language(None)
    assert statuses == ["passed", "failed", "not_done"]


@pytest.mark.parametrize("lang", ["zh", "ru"])
def test_progress_reads_a_translated_lesson(lang, work):
    nb = nbs.read(nbs.SOLUTIONS / lang / "00_start_here.ipynb")
    cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "ex0_1_odds"]
    assert len(cells) == 1
    cells[0].source = "# Exercise 0.1: odds\ndef odds(p):\n    return (1 - p) / p\n"
    path = work / "00_start_here.ipynb"
    nbs.write(nb, path)
    [report] = progress.run_all([path], jobs=1)
    [exercise] = report.exercises
    assert (exercise.number, exercise.name, exercise.status) == ("0.1", "odds", "failed")
    assert exercise.detail.startswith("❌ ") and "Exercise" not in exercise.detail, exercise
