"""Set up an nbgrader course directory whose source is solutions/ (one assignment per lesson).

    python -m tools.nbgrader_course ~/grading              # every lesson
    python -m tools.nbgrader_course ~/grading 01_sigmoid   # only these

writes ``~/grading/nbgrader_config.py`` (unless it exists) and copies
``solutions/NN_name.ipynb`` to ``~/grading/source/NN_name/NN_name.ipynb``. The
solution notebooks already carry nbgrader's cell metadata (schema version 3):
exercise cells are "autograded answer" cells with ``### BEGIN SOLUTION`` /
``### END SOLUTION``, each check cell is an "autograder tests" cell worth its
points. Then, in ``~/grading``::

    nbgrader generate_assignment 01_sigmoid   # release/01_sigmoid/01_sigmoid.ipynb
    nbgrader release_assignment 01_sigmoid    # (JupyterHub exchange) hand it out
    nbgrader collect 01_sigmoid
    nbgrader autograde 01_sigmoid
    nbgrader generate_feedback 01_sigmoid
    nbgrader release_feedback 01_sigmoid
    nbgrader export                           # grades.csv

Autograding runs the notebooks, so the course package (``import helpers``) must
be installed where nbgrader runs. While nbgrader grades, ``NBGRADER_EXECUTION``
is set and a failing check raises ``AssertionError``: the check cell scores 0.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

from . import notebooks as nbs

COURSE_ID = "sigmoid-softmax"
NBGRADER_STUB = "# YOUR CODE HERE\nraise NotImplementedError()"

CONFIG = f'''\
# nbgrader configuration for "Sigmoid and Softmax, derived and built by hand".
# Made by `python -m tools.nbgrader_course`; the source of every assignment is solutions/.
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "{COURSE_ID}"
# Each solution notebook runs in about 15 s; leave room on a busy grading machine.
c.Execute.timeout = 120  # seconds per cell (nbgrader's default is 30)
# Students see this in place of each solution (the course's own lessons/ name the exercise
# in the message instead; see docs/instructors/running-at-scale.md).
c.ClearSolutions.code_stub = {{"python": {NBGRADER_STUB!r}}}
'''


def assignment_name(path: Path) -> str:
    return path.stem


def make_course(root: Path, notebooks: list[Path] | None = None) -> list[str]:
    """Create ``root/source/<assignment>/<notebook>`` for each notebook; return the names."""
    notebooks = nbs.solution_paths() if notebooks is None else notebooks
    root.mkdir(parents=True, exist_ok=True)
    config = root / "nbgrader_config.py"
    if not config.exists():
        config.write_text(CONFIG, encoding="utf-8")
    names = []
    for path in notebooks:
        name = assignment_name(path)
        target = root / "source" / name
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target / path.name)
        names.append(name)
    return names


_OUR_STUB = re.compile(r'raise NotImplementedError\("Exercise [^"\n]*"\)')


def normalise_stub(source: str) -> str:
    """Our lessons' stub names its exercise; nbgrader's does not. Make them comparable."""
    return _OUR_STUB.sub("raise NotImplementedError()", source)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="the nbgrader course directory")
    parser.add_argument("lessons", nargs="*", help="e.g. 01_sigmoid (default: all)")
    args = parser.parse_args(argv)
    paths = nbs.solution_paths()
    if args.lessons:
        wanted = {name.removesuffix(".ipynb") for name in args.lessons}
        unknown = wanted - {p.stem for p in paths}
        if unknown:
            parser.error(f"no solutions/ notebook for {sorted(unknown)}")
        paths = [p for p in paths if p.stem in wanted]
    for name in make_course(args.root, paths):
        print(f"{args.root / 'source' / name}/{name}.ipynb")
    print(f"next: cd {args.root} && nbgrader generate_assignment <name>")
    return 0


if __name__ == "__main__":
    sys.exit(main())
