"""Graded mode: what nbgrader's grading run relies on, and the check that it is still genuine.

Graded mode (``NBGRADER_EXECUTION`` set while nbgrader grades, or set when this
module was first imported): a failed check raises :class:`CheckFailed` after
printing, so the test cell scores zero, and a passed check returns None instead
of True (nbgrader reads a test cell's value as partial credit). Before grading,
and after every call of the learner's function, the engine verifies that NumPy's
functions, the checks and their reference implementations are the ones captured
when :mod:`helpers.checks` was first imported (:func:`seal`, run by the setup
cell before any answer cell), and a learner function that calls the exercise's
own reference implementation is rejected (:func:`forbidden_codes`).
docs/instructors/grading-integrity.md says what this can and cannot prevent.
"""

from __future__ import annotations

import inspect
import os
import sys
import types
from collections.abc import Callable, Sequence
from typing import Any

from .. import _i18n
from .._i18n import tr, trf
from .format import FAIL, headline


class CheckFailed(AssertionError):
    """Raised in graded mode after a failed check's report, so the test cell scores zero.

    IPython shows an exception's ``_render_traceback_()`` instead of its traceback,
    so the student's feedback shows the check's report and this one line: no
    grader frames, no file paths.
    """

    def _render_traceback_(self):
        return [f"{FAIL} {self}"]


#: Graded mode is decided once, when this module is first imported (the setup cell),
#: so deleting the environment variable later does not turn it off.
_GRADED_AT_IMPORT = bool(os.environ.get("NBGRADER_EXECUTION"))
_nesting = [0]  # checks run inside checks (the "earlier exercise" diagnosis) never raise

_BUILTINS = (
    "__import__ abs all any bool callable dict enumerate float getattr hasattr id int "
    "isinstance issubclass iter len list max min next object print range repr round "
    "set sorted str sum super tuple type zip"
).split()
_SYS = ("setprofile", "getprofile", "exc_info")
_NUMPY = ("numpy", "numpy.linalg", "numpy.random", "numpy.exceptions")


def graded() -> bool:
    """True while nbgrader grades (``NBGRADER_EXECUTION`` set now or at first import)."""
    return _GRADED_AT_IMPORT or bool(os.environ.get("NBGRADER_EXECUTION"))


def _watched(module) -> dict:
    """The attributes of ``module`` that grading relies on: its functions, classes, modules."""
    name = module.__name__
    if name == "builtins":
        return {k: vars(module)[k] for k in _BUILTINS if k in vars(module)}
    if name == "sys":
        return {k: vars(module)[k] for k in _SYS}
    return {
        k: v
        for k, v in list(vars(module).items())
        if not k.startswith("__") and (callable(v) or isinstance(v, types.ModuleType))
    }


_SNAPSHOT: dict[str, tuple[Any, dict]] = {}
_CHECKS: dict[str, Callable] = {}


def seal() -> None:
    """Capture the genuine NumPy functions, checks and references (once, at first import).

    Called at the end of ``helpers/checks/__init__.py``, so in a lesson it runs in the
    setup cell, before any answer cell. Modules are captured once; a later call only
    adds modules imported since.
    """
    names = ["builtins", "sys", *_NUMPY]
    names += sorted(n for n in sys.modules if n == "helpers" or n.startswith("helpers."))
    for name in names:
        module = sys.modules.get(name)
        if module is not None and name not in _SNAPSHOT:
            _SNAPSHOT[name] = (module, dict(_watched(module)))
    checks = sys.modules.get("helpers.checks")
    for name in getattr(checks, "__all__", ()):
        if name.startswith("check_") and name not in _CHECKS:
            _CHECKS[name] = getattr(checks, name)


def _defined_in_notebook(value) -> bool:
    module = getattr(value, "__module__", None)
    return isinstance(module, str) and (module == "__main__" or module.startswith("__main"))


def integrity_problems() -> list[str]:
    """What has been replaced since :func:`seal`: NumPy functions, checks, references."""
    problems = []
    for name, (module, attrs) in _SNAPSHOT.items():
        if sys.modules.get(name) is not module:
            problems.append(f"the module {name} has been replaced")
            continue
        now = vars(module)
        for key, value in attrs.items():
            if now.get(key, None) is not value:
                problems.append(f"{name}.{key} has been replaced")
            elif name.startswith("numpy") and _defined_in_notebook(value):
                problems.append(f"{name}.{key} was replaced before the checks were imported")
        if len(problems) >= 3:
            break
    return problems


def refuse(title: str, problems: list[str], say) -> None:
    detail = trf(_i18n.REFUSED, problem=tr(problems[0]))
    say(headline("failed", title, detail))


def graded_check(name: str, *learner_fns):
    """The graded test cell's entry point: run the genuine ``helpers.checks.<name>``.

    The check is the one captured by :func:`seal`, not whatever a notebook name or a
    module attribute holds now, and it runs only if nothing it relies on was replaced.
    """
    check = _CHECKS.get(name)
    if check is None:
        raise CheckFailed(f"there is no check called {name!r}")
    problems = integrity_problems() if graded() else []
    if problems:
        refuse(name, problems, print)
        restore_error_display()
        raise CheckFailed("not graded: the checks or NumPy were changed (see above)")
    return check(*learner_fns)


def _unwrap(fn):
    try:
        return inspect.unwrap(fn)
    except Exception:
        return fn


def _code_of(fn):
    fn = _unwrap(fn)
    while hasattr(fn, "func") and not hasattr(fn, "__code__"):  # functools.partial
        fn = fn.func
    code = getattr(fn, "__code__", None)
    return code if isinstance(code, types.CodeType) else None


def forbidden_codes(title: str, reference_fn, forbid: Sequence) -> dict:
    """Code objects the learner's function must not call in graded mode, with their names.

    The reference itself, any public function of the :mod:`helpers` math modules named
    like the exercise (``"Exercise 1.1 sigmoid"``: ``helpers.sigmoid``), and ``forbid``.
    """
    fns = [reference_fn, *forbid]
    exercise = title.split()[-1]
    for name, (_module, attrs) in _SNAPSHOT.items():  # the math modules of the package
        if name.startswith("helpers") and not name.startswith(
            ("helpers.checks", "helpers.explorers")
        ):
            if isinstance(attrs.get(exercise), types.FunctionType):
                fns.append(attrs[exercise])
    codes = {}
    for fn in fns:
        code = _code_of(fn)
        if code is not None:
            module = getattr(_unwrap(fn), "__module__", "") or ""
            public = module.split(".")[0] == "helpers" and not code.co_name.startswith("_")
            codes[code] = f"helpers.{code.co_name}" if public else "the check's reference"
    return codes


def restore_error_display() -> None:
    """Undo what a notebook can do to IPython to hide a failing check's exception.

    ``get_ipython().set_custom_exc(...)`` and an instance attribute replacing
    ``showtraceback`` would keep the error (and so the zero) out of the cell's output.
    """
    shell_module = sys.modules.get("IPython.core.interactiveshell")
    shell_class = getattr(shell_module, "InteractiveShell", None)
    try:
        if shell_class is None or not shell_class.initialized():
            return
        shell = shell_class.instance()
        shell.custom_exceptions = ()
        for name in ("showtraceback", "_showtraceback", "run_code"):
            vars(shell).pop(name, None)
    except Exception:  # a shell we do not recognise: nothing to restore
        pass
