"""Fill every lesson's stubs with the solution code, execute it, and see every check pass.

This runs each lesson a second time, so it is marked ``slow``: `.ci/run` runs it,
`make test` relies on the cheaper chain in test_lessons.py (filled lesson ==
solution code, and nbval re-executes the solutions with their passing checks).
"""

from __future__ import annotations

import pytest
from nbclient import NotebookClient
from test_lessons import SOLUTIONS, fill_stubs

from tools import notebooks as nbs


@pytest.mark.slow
@pytest.mark.parametrize("path", SOLUTIONS, ids=[p.stem for p in SOLUTIONS])
def test_every_check_passes_once_the_stubs_are_filled(path, tmp_path):
    filled = fill_stubs(nbs.read(nbs.LESSONS / path.name), nbs.read(path))
    NotebookClient(
        filled, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    checks = [
        c
        for c in filled.cells
        if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")
    ]
    assert checks
    for cell in checks:
        text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        assert text.startswith("✅"), f"{path.name}: {cell.source!r} printed {text!r}"
