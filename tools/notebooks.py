"""Shared notebook conventions: where the notebooks are, how they are read and written."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"
LESSONS = ROOT / "lessons"
NAME = re.compile(r"^\d\d_[a-z0-9_]+\.ipynb$")
EXERCISE = re.compile(r"^# (Exercise (\d+)\.(\d+): .+)$", re.MULTILINE)

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
