"""A learner's answers are never lost: `make lab` copies lessons without overwriting."""

from __future__ import annotations

import os

from tools import workspace


def _lesson(folder, name, text):
    path = folder / name
    path.write_text(text)
    return path


def test_new_lessons_are_copied_and_existing_work_is_kept(tmp_path):
    lessons, mine = tmp_path / "lessons", tmp_path / "my-work"
    lessons.mkdir()
    _lesson(lessons, "00_start_here.ipynb", "lesson 00 v1")
    assert workspace.sync(lessons, mine) == (["00_start_here.ipynb"], [])

    (mine / "00_start_here.ipynb").write_text("my answers")
    upstream = _lesson(lessons, "00_start_here.ipynb", "lesson 00 v2")  # a git pull
    future = (mine / "00_start_here.ipynb").stat().st_mtime + 10
    os.utime(upstream, (future, future))
    _lesson(lessons, "01_sigmoid.ipynb", "lesson 01")  # a new lesson arrives

    copied, updated = workspace.sync(lessons, mine)
    assert copied == ["01_sigmoid.ipynb"]
    assert updated == ["00_start_here.ipynb"]
    assert (mine / "00_start_here.ipynb").read_text() == "my answers"
    assert (mine / "01_sigmoid.ipynb").read_text() == "lesson 01"


def test_the_command_announces_updates_without_overwriting(tmp_path, capsys):
    lessons, mine = tmp_path / "lessons", tmp_path / "my-work"
    lessons.mkdir()
    mine.mkdir()
    (mine / "00_start_here.ipynb").write_text("my answers")
    upstream = _lesson(lessons, "00_start_here.ipynb", "new version")
    future = (mine / "00_start_here.ipynb").stat().st_mtime + 10
    os.utime(upstream, (future, future))
    assert workspace.main([str(lessons), str(mine)]) == 0
    out = capsys.readouterr().out
    assert "has changed since you copied it" in out and "is kept" in out
    assert (mine / "00_start_here.ipynb").read_text() == "my answers"


def test_my_work_is_ignored_by_git():
    gitignore = (workspace.Path(__file__).resolve().parent.parent / ".gitignore").read_text()
    assert "my-work/" in gitignore.splitlines()
