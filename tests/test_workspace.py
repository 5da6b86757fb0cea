"""A learner's answers are never lost: `make lab` copies lessons without overwriting."""

from __future__ import annotations

import os
import stat

import pytest

from tools import workspace


def _lesson(folder, name, text):
    path = folder / name
    path.write_text(text)
    return path


@pytest.fixture
def folders(tmp_path):
    lessons, mine = tmp_path / "lessons", tmp_path / "my-work"
    lessons.mkdir()
    return lessons, mine


def test_new_lessons_are_copied_and_existing_work_is_kept(folders):
    lessons, mine = folders
    _lesson(lessons, "00_start_here.ipynb", "lesson 00 v1")
    assert workspace.sync(lessons, mine) == (["00_start_here.ipynb"], [])

    (mine / "00_start_here.ipynb").write_text("my answers")
    _lesson(lessons, "00_start_here.ipynb", "lesson 00 v2")  # a git pull
    _lesson(lessons, "01_sigmoid.ipynb", "lesson 01")  # a new lesson arrives

    copied, updated = workspace.sync(lessons, mine)
    assert copied == ["01_sigmoid.ipynb"]
    assert updated == ["00_start_here.ipynb"]
    assert (mine / "00_start_here.ipynb").read_text() == "my answers"
    assert (mine / "01_sigmoid.ipynb").read_text() == "lesson 01"


def test_saving_your_copy_after_an_update_does_not_hide_the_update(folders):
    """The notice compares content hashes recorded at copy time, not modification times."""
    lessons, mine = folders
    _lesson(lessons, "01_sigmoid.ipynb", "v1")
    workspace.sync(lessons, mine)
    upstream = _lesson(lessons, "01_sigmoid.ipynb", "v2")  # the course changes
    (mine / "01_sigmoid.ipynb").write_text("my answers, saved after the pull")
    past = upstream.stat().st_mtime - 3600
    os.utime(upstream, (past, past))  # a checkout can give any date
    assert workspace.sync(lessons, mine) == ([], ["01_sigmoid.ipynb"])


def test_your_own_edits_are_not_announced_as_an_update(folders):
    lessons, mine = folders
    lesson = _lesson(lessons, "01_sigmoid.ipynb", "v1")
    workspace.sync(lessons, mine)
    (mine / "01_sigmoid.ipynb").write_text("my answers")
    future = lesson.stat().st_mtime + 3600
    os.utime(lesson, (future, future))  # touched, not changed
    assert workspace.sync(lessons, mine) == ([], [])


def test_a_copy_made_before_hashes_were_recorded_gets_a_record(folders):
    lessons, mine = folders
    mine.mkdir()
    (mine / "00_start_here.ipynb").write_text("my answers")
    _lesson(lessons, "00_start_here.ipynb", "v1")
    assert workspace.sync(lessons, mine) == ([], [])  # no record: nothing to compare yet
    _lesson(lessons, "00_start_here.ipynb", "v2")
    assert workspace.sync(lessons, mine) == ([], ["00_start_here.ipynb"])


def test_the_command_announces_updates_without_overwriting(folders, capsys):
    lessons, mine = folders
    _lesson(lessons, "00_start_here.ipynb", "old version")
    workspace.main([str(lessons), str(mine)])
    (mine / "00_start_here.ipynb").write_text("my answers")
    _lesson(lessons, "00_start_here.ipynb", "new version")
    assert workspace.main([str(lessons), str(mine)]) == 0
    out = capsys.readouterr().out
    assert "has changed since you copied it" in out and "is kept" in out
    assert (mine / "00_start_here.ipynb").read_text() == "my answers"


def test_solutions_are_read_only_copies_that_follow_the_course(folders):
    lessons, mine = folders
    solutions = lessons.parent / "solutions"
    solutions.mkdir()
    _lesson(lessons, "01_sigmoid.ipynb", "lesson")
    _lesson(solutions, "01_sigmoid.ipynb", "solved v1")
    workspace.main([str(lessons), str(mine), "--solutions", str(solutions)])
    copy = mine / "solutions" / "01_sigmoid.ipynb"
    assert copy.read_text() == "solved v1"
    assert not copy.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    _lesson(solutions, "01_sigmoid.ipynb", "solved v2")
    workspace.main([str(lessons), str(mine), "--solutions", str(solutions)])
    assert copy.read_text() == "solved v2"
    assert not copy.stat().st_mode & stat.S_IWUSR
    assert sorted(p.name for p in mine.glob("*.ipynb")) == ["01_sigmoid.ipynb"]


def test_a_missing_lessons_folder_is_named(tmp_path):
    with pytest.raises(SystemExit, match="no lessons folder"):
        workspace.sync(tmp_path / "nope", tmp_path / "my-work")


def test_my_work_is_ignored_by_git():
    gitignore = (workspace.Path(__file__).resolve().parent.parent / ".gitignore").read_text()
    assert "my-work/" in gitignore.splitlines()


# ---------------------------------------------------------------- read-only for the server too


def _server_contents(root):
    pytest.importorskip("jupyter_server")
    from tools.lab_contents import SolutionsReadOnlyContentsManager

    return SolutionsReadOnlyContentsManager(root_dir=str(root))


def _notebook_model(text="answers"):
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(text)])
    return {"type": "notebook", "format": "json", "content": nb}


def test_the_server_keeps_the_solutions_read_only_even_as_root(tmp_path):
    import asyncio

    from tornado import web

    solutions = tmp_path / "solved"
    solutions.mkdir()
    (solutions / "00_start_here.ipynb").write_text('{"cells": []}')
    mine = tmp_path / "my-work"
    workspace.refresh_solutions(solutions, mine / "solutions")
    copy = mine / "solutions" / "00_start_here.ipynb"
    before = copy.read_bytes()
    contents = _server_contents(mine)

    async def scenario():
        model = await contents.get("solutions/00_start_here.ipynb", content=False)
        assert model["writable"] is False  # os.access says True to root; the server must not
        for attempt in (
            contents.save(_notebook_model(), "solutions/00_start_here.ipynb"),
            contents.save(_notebook_model(), "solutions/new.ipynb"),
            contents.rename_file("solutions/00_start_here.ipynb", "mine.ipynb"),
            contents.rename_file("00_mine.ipynb", "solutions/00_mine.ipynb"),
            contents.delete_file("solutions/00_start_here.ipynb"),
        ):
            with pytest.raises(web.HTTPError) as refused:
                await attempt
            assert refused.value.status_code == 403
            assert "read-only solution" in refused.value.log_message
        # the learner's own copies are saved as always
        await contents.save(_notebook_model(), "00_mine.ipynb")
        assert (await contents.get("00_mine.ipynb", content=False))["writable"] is True

    asyncio.run(scenario())
    assert copy.read_bytes() == before
    assert sorted(p.name for p in (mine / "solutions").iterdir()) == ["00_start_here.ipynb"]


def test_only_the_solutions_folder_is_read_only(tmp_path):
    contents = _server_contents(tmp_path)
    assert contents.is_read_only("solutions") and contents.is_read_only("/solutions/x.ipynb")
    assert not contents.is_read_only("solutions-mine.ipynb")
    assert not contents.is_read_only("00_start_here.ipynb")


def test_make_lab_serves_with_the_read_only_contents_manager():
    import subprocess
    from pathlib import Path

    root = Path(workspace.__file__).resolve().parent.parent
    commands = subprocess.run(
        ["make", "-n", "-o", ".venv/.installed-course", "lab"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    flag = "--ServerApp.contents_manager_class=tools.lab_contents.SolutionsReadOnlyContentsManager"
    assert flag in commands, commands
    assert f'PYTHONPATH="{root}' in commands, "the server must be able to import tools/"
