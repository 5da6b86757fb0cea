"""Set up an nbgrader course directory whose source is solutions/ (one assignment per lesson).

    python -m tools.nbgrader_course ~/grading              # every lesson
    python -m tools.nbgrader_course ~/grading 01_sigmoid   # only these

writes ``~/grading/nbgrader_config.py`` (unless it exists) and writes
``solutions/NN_name.ipynb``, made ready for grading, to
``~/grading/source/NN_name/NN_name.ipynb``. The solution notebooks already carry
nbgrader's cell metadata (schema version 3): exercise cells are "autograded answer"
cells with ``### BEGIN SOLUTION`` / ``### END SOLUTION``, each check cell is an
"autograder tests" cell. For grading this tool changes two things in the copy:

- **points follow difficulty** (:data:`POINTS`, per exercise; the instructor guide's
  grading-integrity page has the table);
- **each check cell calls the genuine check**: ``check_sigmoid(sigmoid)`` becomes
  ``helpers.checks.graded_check("check_sigmoid", sigmoid)``, which runs the check
  captured when the setup cell imported :mod:`helpers.checks`, so an answer cell
  that defines its own ``check_sigmoid`` or replaces the module's changes nothing.

It also copies the course's feedback template to ``~/grading/templates/feedback/`` and,
in the copy, replaces markdown that points to ``solutions/`` (a graded release has none).

Then, in ``~/grading``::

    nbgrader generate_assignment 01_sigmoid   # release/01_sigmoid/01_sigmoid.ipynb
    nbgrader release_assignment 01_sigmoid    # (JupyterHub exchange) hand it out
    nbgrader collect 01_sigmoid
    nbgrader autograde 01_sigmoid
    python -m tools.grade ~/grading 01_sigmoid   # re-grade the check cells outside the kernels
    nbgrader generate_feedback 01_sigmoid
    nbgrader release_feedback 01_sigmoid
    nbgrader export                           # grades.csv

Autograding runs the notebooks, so the course package (``import helpers``) must
be installed where nbgrader runs. While nbgrader grades, ``NBGRADER_EXECUTION``
is set: a failing check raises ``CheckFailed`` (an AssertionError whose feedback
shows one line, no traceback) and the check cell scores 0; NumPy, the checks and
their references must be unchanged, and an answer may not call the exercise's own
reference (docs/instructors/grading-integrity.md).
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
# nbgrader configuration for "{nbs.COURSE_TITLE}".
# Made by `python -m tools.nbgrader_course`; the source of every assignment is solutions/.
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "{COURSE_ID}"
# Each solution notebook runs in about 15 s; leave room on a busy grading machine.
c.Execute.timeout = 120  # seconds per cell (nbgrader's default is 30)
# Students see this in place of each solution (the course's own lessons/ name the exercise
# in the message instead; see docs/instructors/running-at-scale.md).
c.ClearSolutions.code_stub = {{"python": {NBGRADER_STUB!r}}}
# Feedback pages: nbgrader's "feedback" template with exercise names, wrapped report lines
# and SVG check marks (templates/feedback/, copied here by tools.nbgrader_course), found
# first because its folder comes first.
import os as _os  # noqa: E402

import nbgrader as _nbgrader  # noqa: E402

_here = _os.path.dirname(_os.path.abspath(__file__))
_formgrader = _os.path.join(_os.path.dirname(_nbgrader.__file__), "server_extensions", "formgrader")
c.HTMLExporter.extra_template_basedirs = [
    _os.path.join(_here, "templates"),
    _os.path.join(_formgrader, "templates"),
]
'''
FEEDBACK_TEMPLATE = Path(__file__).parent / "feedback_template" / "feedback"

#: Points per exercise, by difficulty: 1 a line of arithmetic, 2 a formula with one trap,
#: 3 numerical stability or shapes over several axes (the lesson's main exercise).
POINTS = {
    "0.1": 1,  # odds p / (1 - p)
    "1.1": 3,  # sigmoid, stable over the whole float64 range
    "1.2": 2,  # sigmoid_grad, no cancellation in the tails
    "1.3": 2,  # logit, with logit(0) = -inf
    "1.4": 1,  # sigmoid_backward, g a (1 - a)
    "1.5": 1,  # central_difference
    "1.6": 2,  # derivative_error
    "2.1": 3,  # softmax along any axis, stable
    "2.2": 2,  # softmax with temperature
    "2.3": 3,  # logsumexp, stable, any axis
    "2.4": 2,  # log_softmax
    "2.5": 2,  # standardize-then-sigmoid scaler
    "3.1": 2,  # softmax_jacobian for one vector
    "3.2": 3,  # batched Jacobian with einsum
    "3.3": 3,  # vector-Jacobian product without J
    "3.4": 2,  # fused softmax-cross-entropy gradient
    "4.1": 2,  # two-class softmax parameters to sigmoid parameters
    "4.2": 1,  # sigmoid predictions
    "4.3": 2,  # making the two trainings agree
    "5.1": 2,  # head and loss for each problem
    "5.2": 3,  # bce_with_logits, stable
    "5.3": 3,  # cross_entropy_with_logits, stable
    "5.4": 2,  # the two prediction rules
    "5.5": 3,  # gradient of the loss for either head
    "6.1": 2,  # expected calibration error
    "6.2": 3,  # fitting the temperature
    "6.3": 2,  # gradient with label smoothing
    "6.4": 2,  # weighted bce_with_logits
    "7.1": 2,  # gradient of the NLL in W
    "7.2": 3,  # the Hessian, Kronecker order and all
    "7.3": 1,  # MAP gradient: + lambda W
    "7.4": 2,  # one Newton (IRLS) step
}
#: An exercise not in the table (a new lesson) is worth this until it is added.
DEFAULT_POINTS = 2

_CHECK_TITLE = nbs.CHECK
_CHECK_CALL = re.compile(r"^(check_\w+)\((.*)\)\s*$", re.MULTILINE)
_GRADED_CALL = re.compile(
    r'^helpers\.checks\.graded_check\("(check_\w+)", (.*)\)\s*$', re.MULTILINE
)
GRADED_IMPORT = (
    "import helpers.checks  # graded: the genuine check, captured when the setup cell ran\n\n"
)


def assignment_name(path: Path) -> str:
    return path.stem


def points_for(source: str) -> int:
    """The points of a check cell, from the exercise number in its ``# Check Exercise N.M``."""
    match = _CHECK_TITLE.search(source)
    return POINTS.get(match.group(1), DEFAULT_POINTS) if match else DEFAULT_POINTS


def graded_source(source: str) -> str:
    """``check_x(args)`` lines become ``helpers.checks.graded_check("check_x", args)``."""
    if not _CHECK_CALL.search(source):
        return source
    lines = _CHECK_CALL.sub(r'helpers.checks.graded_check("\1", \2)', source)
    title, _, rest = lines.partition("\n")
    if title.startswith("#"):
        return f"{title}\n{GRADED_IMPORT}{rest}"
    return GRADED_IMPORT + lines


def ungraded_source(source: str) -> str:
    """The inverse of :func:`graded_source`: the check cell as the lessons show it."""
    source = source.replace(GRADED_IMPORT, "")
    return _GRADED_CALL.sub(r"\1(\2)", source)


#: What a graded release says where the self-study course points to ``solutions/``.
NO_SOLUTIONS = (
    "In this graded course the solved notebooks are not handed out: you get your feedback "
    "from your instructor after grading. Before you submit, run `nbgrader validate` on your "
    "notebook (or the Validate button in the Assignments tab)."
)
_LIST_ITEM = re.compile(r"^(\s*(?:[-*]|\d+\.)\s+)")


def without_solutions_folder(source: str) -> str:
    """Markdown with every paragraph or list item that mentions ``solutions/`` replaced.

    A graded release has no ``solutions/`` folder next to it, so it must not send learners
    there: a paragraph becomes :data:`NO_SOLUTIONS`, a list item keeps its marker and says
    the same in one line.
    """
    if "solutions/" not in source:
        return source
    out = []
    for line in source.split("\n"):
        if "solutions/" not in line:
            out.append(line)
            continue
        item = _LIST_ITEM.match(line)
        if item:
            out.append(f"{item.group(1)}(graded course: no solved notebooks are handed out)")
        else:
            out.append(NO_SOLUTIONS)
    return "\n".join(out)


def grading_notebook(path: Path):
    """The solution notebook with graded check cells and points by difficulty.

    Markdown that points to the ``solutions/`` folder says instead that a graded course
    hands out no solved notebooks (:func:`without_solutions_folder`).
    """
    nb = nbs.read(path)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
            cell.source = graded_source(cell.source)
            meta["points"] = points_for(cell.source)
        elif cell.cell_type == "markdown":
            cell.source = without_solutions_folder(cell.source)
    return nb


def copy_feedback_template(root: Path) -> None:
    """``root/templates/feedback/``: the course's feedback template and nbgrader's beside it."""
    templates = root / "templates" / FEEDBACK_TEMPLATE.name
    templates.mkdir(parents=True, exist_ok=True)
    for item in FEEDBACK_TEMPLATE.iterdir():
        shutil.copyfile(item, templates / item.name)
    try:
        import nbgrader
    except ImportError:  # nbgrader is needed for feedback anyway; the course works without
        return
    theirs = Path(nbgrader.__file__).parent / "server_extensions" / "formgrader" / "templates"
    shutil.copyfile(theirs / "feedback" / "index.html.j2", templates / "nbgrader_feedback.html.j2")


def make_course(root: Path, notebooks: list[Path] | None = None) -> list[str]:
    """Create ``root/source/<assignment>/<notebook>`` for each notebook; return the names."""
    notebooks = nbs.solution_paths() if notebooks is None else notebooks
    root.mkdir(parents=True, exist_ok=True)
    config = root / "nbgrader_config.py"
    if not config.exists():
        config.write_text(CONFIG, encoding="utf-8")
    copy_feedback_template(root)
    names = []
    for path in notebooks:
        name = assignment_name(path)
        target = root / "source" / name
        target.mkdir(parents=True, exist_ok=True)
        nbs.write(grading_notebook(path), target / path.name)
        names.append(name)
    return names


_OUR_STUB = nbs.LESSON_STUB


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
