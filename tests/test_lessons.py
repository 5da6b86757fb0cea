"""One source per lesson: lessons/ is generated from solutions/ and carries no answers.

Also checks the conventions every notebook shares (names, exercise numbering,
a check after every exercise, nbgrader metadata) and that the solved
notebooks' stored check reports all say "passed".
"""

from __future__ import annotations

import re

import pytest

from tools import make_lessons
from tools import notebooks as nbs

SOLUTIONS = nbs.solution_paths()
IDS = [p.stem for p in SOLUTIONS]


def _solution_lines(nb) -> list[str]:
    """The non-trivial lines inside every solution region of a notebook."""
    lines = []
    for cell in nb.cells:
        inside = False
        for line in cell.source.splitlines():
            if line.strip() == nbs.BEGIN_SOLUTION:
                inside = True
            elif line.strip() == nbs.END_SOLUTION:
                inside = False
            elif inside and len(line.strip()) > 3 and not line.strip().startswith("#"):
                lines.append(line.strip())
    return lines


def test_there_are_lessons():
    assert SOLUTIONS, "no solution notebooks found"
    assert SOLUTIONS[0].name == "00_start_here.ipynb"


@pytest.mark.parametrize("path", SOLUTIONS, ids=IDS)
def test_lesson_is_generated_from_its_solution(path):
    lesson = nbs.LESSONS / path.name
    assert lesson.exists(), f"lessons/{path.name} is missing: run `make lessons`"
    expected = nbs.dumps(make_lessons.make_lesson(nbs.read(path)))
    assert lesson.read_text(encoding="utf-8") == expected, (
        f"lessons/{path.name} differs from what `make lessons` generates from "
        f"solutions/{path.name}: edit the solution, then run `make lessons`"
    )


def test_every_lesson_has_a_solution():
    lessons = {p.name for p in nbs.LESSONS.glob("*.ipynb")}
    assert lessons == {p.name for p in SOLUTIONS}


@pytest.mark.parametrize("path", SOLUTIONS, ids=IDS)
def test_lesson_has_no_outputs_widget_state_or_answers(path):
    lesson = nbs.read(nbs.LESSONS / path.name)
    assert "widgets" not in lesson.metadata, "widget state stored in the lesson"
    text = "\n".join(cell.source for cell in lesson.cells)
    for cell in lesson.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"stored output in lesson cell:\n{cell.source[:200]}"
            assert cell.execution_count is None
        assert nbs.BEGIN_SOLUTION not in cell.source
        assert nbs.BEGIN_HIDDEN not in cell.source
    leaked = [line for line in _solution_lines(nbs.read(path)) if line in text]
    assert not leaked, f"solution code appears in lessons/{path.name}: {leaked[:3]}"


@pytest.mark.parametrize("path", SOLUTIONS, ids=IDS)
def test_notebook_conventions(path):
    nb = nbs.read(path)
    assert nbs.NAME.match(path.name), "name must be NN_topic.ipynb"
    number = int(path.name[:2])
    assert nb.cells[0].cell_type == "markdown"
    assert nb.cells[0].source.startswith(f"# {number:02d} · "), "first cell: '# NN · Title'"
    head = nb.cells[0].source.lower()
    for word in ("objectives", "prerequisites", "estimated time"):
        assert word in head, f"the first cell must state the {word}"
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown").lower()
    for section in ("## key points", "## self-test", "## further reading"):
        assert section in text, f"missing section {section!r}"
    assert "## misconceptions" in text, "missing section '## Misconceptions ...'"


@pytest.mark.parametrize("path", SOLUTIONS, ids=IDS)
def test_self_test_answers_are_folded_everywhere(path):
    """JupyterLab honours source_hidden; GitHub, VS Code, nbviewer and the site need <details>."""
    nb = nbs.read(path)
    start = next(
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "markdown" and "## Self-test" in c.source
    )
    following = [c.source for c in nb.cells[start : start + 3] if c.cell_type == "markdown"]
    folded = [s for s in following if re.search(r"<details>\s*<summary>.*Answers", s, re.S)]
    assert folded, f"{path.name}: put the self-test answers inside <details><summary>Answers"
    answers = folded[0]
    assert answers.rstrip().endswith("</details>"), "close the <details> block at the end"
    assert "\n\n" in answers.split("</summary>", 1)[1][:3], (
        "leave a blank line after </summary> so the markdown inside renders"
    )


def _exercises(nb):
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and nbs.BEGIN_SOLUTION in cell.source:
            yield i, cell


@pytest.mark.parametrize("path", SOLUTIONS, ids=IDS)
def test_exercises_are_numbered_and_each_is_followed_by_its_check(path):
    nb = nbs.read(path)
    number = int(path.name[:2])
    seen = []
    grade_ids = set()
    for i, cell in _exercises(nb):
        title = nbs.exercise_title(cell.source)
        assert title, f"exercise cell without '# Exercise N.M: name':\n{cell.source[:200]}"
        match = re.match(r"Exercise (\d+)\.(\d+): (\w+)", title)
        lesson, index, name = int(match[1]), int(match[2]), match[3]
        assert lesson == number, f"{title} in lesson {number:02d}"
        seen.append(index)
        meta = cell.metadata.get("nbgrader", {})
        assert meta.get("solution") is True and meta.get("grade") is False, (
            f"{title}: nbgrader metadata"
        )
        assert meta.get("schema_version") == 3
        check = nb.cells[i + 1]
        cmeta = check.metadata.get("nbgrader", {})
        assert check.cell_type == "code" and cmeta.get("grade") is True, (
            f"{title} must be followed by its check cell (nbgrader grade=true)"
        )
        assert cmeta.get("locked") is True and cmeta.get("points", 0) > 0
        assert f"check_{name}(" in check.source, f"{title}: the next cell must call check_{name}"
        for m in (meta, cmeta):
            assert m["grade_id"] not in grade_ids, f"duplicate grade_id {m['grade_id']}"
            grade_ids.add(m["grade_id"])
    assert seen == list(range(1, len(seen) + 1)), f"exercises numbered {seen}"
    assert seen, "a lesson needs at least one exercise"


@pytest.mark.parametrize("path", SOLUTIONS, ids=IDS)
def test_solution_regions_sit_inside_function_bodies(path):
    """The stub must raise only when called, so a lesson runs to the end unfilled."""
    for _, cell in _exercises(nbs.read(path)):
        for line in cell.source.splitlines():
            if line.strip() == nbs.BEGIN_SOLUTION:
                assert line.startswith((" ", "\t")), (
                    f"top-level solution region:\n{cell.source[:200]}"
                )


@pytest.mark.parametrize("path", SOLUTIONS, ids=IDS)
def test_stored_checks_of_the_solution_all_pass(path):
    """With nbval re-running the solutions (make test), this proves the checks pass on them."""
    nb = nbs.read(path)
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade"):
            text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
            assert "✅" in text and "❌" not in text and "⏳" not in text, (
                f"stored check output is not a pass:\n{cell.source}\n{text}"
            )


@pytest.mark.parametrize("path", SOLUTIONS, ids=IDS)
def test_filling_the_stubs_gives_back_the_solution(path):
    """A learner who types the solution into every stub has exactly the solution's code."""
    solution = nbs.read(path)
    lesson = nbs.read(nbs.LESSONS / path.name)
    filled = fill_stubs(lesson, solution)
    for mine, theirs in zip(filled.cells, solution.cells, strict=True):
        want = make_lessons._replace_regions(
            theirs.source, nbs.BEGIN_HIDDEN, nbs.END_HIDDEN, lambda indent: []
        )
        assert mine.source == want


def fill_stubs(lesson, solution):
    """Put each solution region back in place of its stub (used by the execution test too)."""
    import copy

    filled = copy.deepcopy(lesson)
    for cell, source in zip(filled.cells, solution.cells, strict=True):
        manual = cell.cell_type == "markdown" and "YOUR ANSWER HERE" in cell.source
        if manual or (cell.cell_type == "code" and "raise NotImplementedError(" in cell.source):
            cell.source = make_lessons._replace_regions(
                source.source, nbs.BEGIN_HIDDEN, nbs.END_HIDDEN, lambda indent: []
            )
    return filled


# -- the generator itself -----------------------------------------------------------


def test_stub_replaces_the_region_at_its_indentation():
    src = (
        "# Exercise 1.2: sigmoid_grad\n"
        "def sigmoid_grad(x):\n"
        '    """Doc."""\n'
        "    ### BEGIN SOLUTION\n"
        "    s = 1\n"
        "    return s\n"
        "    ### END SOLUTION\n"
        "\n"
        "print('after')"
    )
    out = make_lessons.stub_source(src, "code")
    assert out == (
        "# Exercise 1.2: sigmoid_grad\n"
        "def sigmoid_grad(x):\n"
        '    """Doc."""\n'
        "    # YOUR CODE HERE\n"
        '    raise NotImplementedError("Exercise 1.2: sigmoid_grad")\n'
        "\n"
        "print('after')"
    )


def test_hidden_tests_are_removed_and_markdown_answers_blanked():
    src = "check(f)\n### BEGIN HIDDEN TESTS\nassert secret\n### END HIDDEN TESTS"
    assert make_lessons.stub_source(src, "code") == "check(f)"
    md = "Why?\n\n### BEGIN SOLUTION\nBecause.\n### END SOLUTION"
    assert make_lessons.stub_source(md, "markdown") == "Why?\n\nYOUR ANSWER HERE"


@pytest.mark.parametrize(
    "src, message",
    [
        ("# Exercise 1.1: f\ndef f():\n    ### BEGIN SOLUTION\n    return 1", "without"),
        ("# Exercise 1.1: f\ndef f():\n    return 1\n    ### END SOLUTION", "without"),
        (
            "# Exercise 1.1: f\ndef f():\n    ### BEGIN SOLUTION\n    ### BEGIN SOLUTION\n",
            "nested",
        ),
        ("def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION", "Exercise N.M"),
    ],
)
def test_malformed_regions_are_errors(src, message):
    with pytest.raises(ValueError, match=message):
        make_lessons.stub_source(src, "code")


def test_make_lessons_check_mode_reports_stale_lessons(tmp_path, monkeypatch, capsys):
    import shutil

    (tmp_path / "solutions").mkdir()
    (tmp_path / "lessons").mkdir()
    shutil.copy(SOLUTIONS[0], tmp_path / "solutions" / SOLUTIONS[0].name)
    monkeypatch.setattr(nbs, "SOLUTIONS", tmp_path / "solutions")
    monkeypatch.setattr(nbs, "LESSONS", tmp_path / "lessons")
    assert make_lessons.main(["--check"]) == 1
    assert "differs" in capsys.readouterr().out
    assert make_lessons.main([]) == 0
    assert make_lessons.main(["--check"]) == 0


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_every_explorer_comes_with_a_predict_task_and_folded_answers(path):
    """Each explorer has a 'predict, then move the slider' task, its answers in <details>."""
    cells = nbs.read(path).cells
    explorers = [i for i, c in enumerate(cells) if re.search(r"\w+_explorer\(", c.source)]
    for i in explorers:
        near = " ".join(c.source for c in cells[max(0, i - 2) : i + 3] if c.cell_type == "markdown")
        assert "Predict, then move the slider" in near, f"{path.name}: {cells[i].source[:80]}"
        assert "<details>" in near and "</details>" in near, f"{path.name}: {cells[i].source[:80]}"
