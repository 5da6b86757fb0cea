"""A learner walks through a lesson notebook: at each exercise a wrong answer, then the right one.

Shared by the learner tests of lessons 06 and 07. The lesson's code cells run in order in
one namespace, as in JupyterLab. At each exercise the learner first types the slip given in
``wrong`` (``{"7.1": (source, words of the hint that names it)}``), runs the check and must
read a ❌ with that hint; then types the solution (the solution notebook's answer, markers
dropped) and must read a ✅. Every other check cell must then pass, and the demos between
the exercises must run whatever the learner wrote.
"""

from __future__ import annotations

import contextlib
import io
import re

import matplotlib
import numpy as np

from tools import notebooks as nbs


def _run(source: str, namespace: dict) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(source.replace("plt.show()", "plt.close('all')"), "<cell>", "exec"), namespace)
    return out.getvalue()


def _number(source: str) -> str:
    return nbs.exercise_title(source).split(":")[0].split()[-1]


def walk(lesson: str, wrong: dict[str, tuple[str, str]]) -> list[str]:
    """Run ``lessons/<lesson>.ipynb`` as the learner above; return the exercises met, in order."""
    solution = nbs.read(nbs.SOLUTIONS / f"{lesson}.ipynb")
    answers = {
        _number(c.source): "\n".join(line for line in c.source.splitlines() if "### " not in line)
        for c in solution.cells
        if c.cell_type == "code" and nbs.exercise_title(c.source)
    }
    assert sorted(answers) == sorted(wrong)
    namespace = {"__name__": "__main__"}
    seen = []
    with matplotlib.rc_context(), np.printoptions():
        for cell in nbs.read(nbs.LESSONS / f"{lesson}.ipynb").cells:
            if cell.cell_type != "code":
                continue
            if nbs.exercise_title(cell.source):
                number = _number(cell.source)
                name = re.search(r"def (\w+)", cell.source).group(1)
                slip, hint = wrong[number]
                _run(slip, namespace)
                report = _run(f"check_{name}({name})", namespace)
                assert report.startswith("❌") and hint in report, report
                _run(answers[number], namespace)
                seen.append(number)
                continue
            report = _run(cell.source, namespace)
            if cell.source.startswith("# Check"):
                assert report.startswith("✅"), report
    return seen
