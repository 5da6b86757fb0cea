"""What to grade: check cells from the gradebook, answer cells from the submitted file.

The check cells' source comes from nbgrader's gradebook (written by
``generate_assignment`` from the instructor's source), never from the submission, so a
student who edits a check cell in their copy changes nothing here. The answer cells are
the submitted notebook's code cells whose nbgrader ``grade_id`` is one of the assignment's
autograded-answer cells, in the order of the file. Both are parsed, not executed: the
notebook with :mod:`nbformat`, the check call with :mod:`ast`.
"""

from __future__ import annotations

import ast
import inspect
from dataclasses import dataclass
from pathlib import Path

import nbformat


class NotACheck(ValueError):
    """A check cell whose source is not a call of a course check on plain names."""


@dataclass(frozen=True)
class CheckCall:
    check: str  # "check_sigmoid"
    names: tuple[str, ...]  # the learner's functions it checks, by name: ("sigmoid",)


def _call_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def parse_check(source: str) -> CheckCall:
    """The check a check cell calls, and the learner names it passes.

    ``helpers.checks.graded_check("check_sigmoid", sigmoid)`` (the graded form) and
    ``check_sigmoid(sigmoid)`` (the lessons' form) both give
    ``CheckCall("check_sigmoid", ("sigmoid",))``.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise NotACheck(f"the check cell does not parse: {exc}") from None
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _call_name(node.func)
        args = list(node.args)
        if name == "graded_check":
            if (
                not args
                or not isinstance(args[0], ast.Constant)
                or not isinstance(args[0].value, str)
            ):
                raise NotACheck("graded_check(...) without the check's name first")
            name, args = args[0].value, args[1:]
        elif not (name or "").startswith("check_"):
            continue
        if node.keywords or not all(isinstance(a, ast.Name) for a in args):
            raise NotACheck(f"{name}(...) must be called with plain names of functions")
        return CheckCall(name, tuple(a.id for a in args))
    raise NotACheck("no call of a check in the check cell")


# The course functions each exercise's graded answer may call, lent by the grader (every
# other one is refused in the worker): those the model answers in solutions/ call, directly
# or through a function of an earlier answer cell (7.3 calls 7.1's nll_grad, which calls
# helpers.softmax); tests/test_grade.py keeps this true. Lending more would let an answer
# delegate: with helpers.log_sigmoid, ``np.exp(helpers.log_sigmoid(x))`` is a sigmoid.
LENT: dict[str, frozenset[str]] = {
    "check_derivative_error": frozenset({"relative_error"}),
    "check_standardize_sigmoid": frozenset({"sigmoid"}),
    "check_sigmoid_predict": frozenset({"sigmoid"}),
    "check_grad_logits": frozenset({"sigmoid", "softmax"}),
    "check_fit_temperature": frozenset({"softmax"}),
    "check_label_smoothing_grad": frozenset({"softmax"}),
    "check_nll_grad": frozenset({"softmax"}),
    "check_nll_hessian": frozenset({"softmax"}),
    "check_map_grad": frozenset({"softmax"}),  # the model answer calls its own nll_grad
    "check_newton_step": frozenset({"sigmoid"}),
}


def forbidden_helpers(check_fn) -> set[str]:
    """The :mod:`helpers` functions an exercise may not call: its own reference and ``forbid``.

    Read from the check's source with :mod:`ast`, as the in-kernel graded mode decides
    them: the last word of ``run_check``'s title (``"Exercise 1.1 sigmoid"``), the
    functions in its ``forbid=``, and the same for any check it calls.
    """
    import sys

    module = sys.modules[check_fn.__module__]
    tree = ast.parse(inspect.getsource(module))
    defs = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    found: set[str] = set()
    todo, seen = [check_fn.__name__], set()
    while todo:
        name = todo.pop()
        if name in seen or name not in defs:
            continue
        seen.add(name)
        found.add(name.removeprefix("check_"))
        for node in ast.walk(defs[name]):
            if not isinstance(node, ast.Call):
                continue
            called = _call_name(node.func)
            if called and called.startswith("check_"):
                todo.append(called)
            if called != "run_check":
                continue
            if node.args and isinstance(node.args[0], ast.Constant):
                found.add(str(node.args[0].value).split()[-1])
            for keyword in node.keywords:
                if keyword.arg == "forbid" and isinstance(keyword.value, (ast.Tuple, ast.List)):
                    for item in keyword.value.elts:
                        if isinstance(item, ast.Name):
                            target = getattr(module, item.id, None)
                            found.add(getattr(target, "__name__", item.id))
    return found


def answer_cells(path: Path, answer_ids: set[str], until: str | None = None) -> list[str]:
    """The sources of the submission's autograded-answer code cells, in the file's order.

    With ``until`` (a check cell's ``grade_id``), only those above the first code cell with
    that id, as the kernel ran them when that check ran: a later answer cell that redefines
    ``sigmoid`` for its own use does not change what Exercise 1.1's check sees. A file
    without that check cell gives every answer cell.
    """
    nb = nbformat.read(str(path), as_version=4)
    cells = []
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if until is not None and grade_id == until:
            return cells
        if grade_id in answer_ids:
            source = cell.get("source", "")
            cells.append(source if isinstance(source, str) else "".join(source))
    return cells
