"""Shared notebook conventions: where the notebooks are, how they are read and written.

Every tool imports its conventions from here (as nbgrader keeps ``is_grade`` and its
friends in one ``utils`` module): the lesson-file name, the exercise, check and stub
patterns, the solution markers, the course title and the guide folder. A test
(tests/test_project.py) fails when a tool compiles its own copy of one of them.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat

COURSE_TITLE = "Sigmoid and Softmax, derived and built by hand"

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"
LESSONS = ROOT / "lessons"
#: The instructor guide (and the speaker notes ``NN_name.md`` of the slides).
GUIDE = ROOT / "docs" / "instructors"

#: A lesson notebook's file name: ``01_sigmoid.ipynb``.
NAME = re.compile(r"^\d\d_[a-z0-9_]+\.ipynb$")
#: An exercise cell's first comment line: ``# Exercise 1.2: sigmoid_grad`` (title, N, M).
EXERCISE = re.compile(r"^# (Exercise (\d+)\.(\d+): .+)$", re.MULTILINE)
#: A check cell's first comment line: ``# Check Exercise 1.2`` (the number N.M).
CHECK = re.compile(r"^# Check Exercise (\d+\.\d+)", re.MULTILINE)
#: A line that still raises the stub's NotImplementedError.
STUB = re.compile(r"^\s*raise NotImplementedError\b", re.MULTILINE)
#: The stub :mod:`tools.make_lessons` writes, which names its exercise.
LESSON_STUB = re.compile(r'raise NotImplementedError\("Exercise [^"\n]*"\)')

BEGIN_SOLUTION, END_SOLUTION = "### BEGIN SOLUTION", "### END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"


def solution_paths() -> list[Path]:
    return sorted(p for p in SOLUTIONS.glob("*.ipynb") if NAME.match(p.name))


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def dumps(nb: nbformat.NotebookNode) -> str:
    """The one on-disk format for every committed notebook."""
    return nbformat.writes(nb) + "\n"


def write(nb: nbformat.NotebookNode, path: Path) -> None:
    path.write_text(dumps(nb), encoding="utf-8")


def exercise_title(source: str) -> str | None:
    """``"Exercise 1.2: sigmoid_grad"`` from an exercise cell's first comment line."""
    match = EXERCISE.search(source)
    return match.group(1) if match else None


def exercises_in(source: str) -> list[tuple[str, str]]:
    """``[("1.2", "sigmoid_grad"), ...]``: the number and function name of each exercise line."""
    found = []
    for match in EXERCISE.finditer(source):
        name = re.match(r"\w*", match.group(1).partition(":")[2].strip()).group(0)
        if name:
            found.append((f"{match.group(2)}.{match.group(3)}", name))
    return found


def lesson_stub(title: str) -> str:
    """The statement a lesson's exercise cell holds instead of the solution."""
    message = title.replace('"', "'")
    return f'raise NotImplementedError("{message}")'


def refuse_unless_ours(
    folder: Path, marker: str, *, kind: str, action: str, tool: str, advice: str
) -> None:
    """The one rule for every tool that writes a folder: never touch one it did not make.

    ``folder`` may be absent, empty, or hold ``marker`` (written by ``tool`` when it made it);
    anything else raises SystemExit with one line: "refusing to <action> <folder>: ...".
    """
    if folder.exists() and not folder.is_dir():
        raise SystemExit(f"{folder} is a file, not a {kind}: refusing to {action} it")
    if folder.is_dir() and any(folder.iterdir()) and not (folder / marker).is_file():
        raise SystemExit(
            f"refusing to {action} {folder}: it is not empty and was not made by {tool} "
            f"(no {marker} in it); {advice}"
        )


def delete_if_ours(folder: Path, marker: str, *, kind: str, tool: str, advice: str) -> None:
    """Delete ``folder`` and all in it, when :func:`refuse_unless_ours` allows it."""
    refuse_unless_ours(folder, marker, kind=kind, action="delete", tool=tool, advice=advice)
    if folder.exists():
        shutil.rmtree(folder)
