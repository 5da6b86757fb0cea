"""The engine behind every ``check_*`` function: run, compare, diagnose, report.

A check calls the learner's function on a list of :class:`Case` inputs and
compares each result with the reference implementation from :mod:`helpers`.
It prints one headline line, and on failure the input, what came back, what was
expected and a hint naming the likely mistake. It never raises because of the
learner's code (whatever the learner's function returns or raises) and never lets
a wrong answer pass.

One dtype policy for every check: an array answer keeps the input's dtype
(float32 in, float32 out); a single number may come back as a Python float, a
NumPy scalar or a 0-d array, and is judged at the input's precision.

Graded mode (``NBGRADER_EXECUTION`` set while nbgrader grades, or set when this
module was first imported): a failed check raises :class:`CheckFailed` after
printing, so the test cell scores zero, and a passed check returns None instead
of True (nbgrader reads a test cell's value as partial credit). Before grading,
and after every call of the learner's function, the engine verifies that NumPy's
functions, the checks and their reference implementations are the ones captured
when :mod:`helpers.checks` was first imported (:func:`seal`, run by the setup
cell before any answer cell), and a learner function that calls the exercise's
own reference implementation is rejected. docs/instructors/grading-integrity.md
says what this can and cannot prevent.

The lesson modules ``lessonNN.py`` build their checks from the public names
here: :class:`Case`, :class:`Mistake`, :func:`run_check`, :func:`compare_arrays`
(with :class:`Outcome`), :func:`matching_mistake`, :func:`quietly`, :func:`fmt`,
:func:`verdict` and :class:`NotDone`.
"""

from __future__ import annotations

import copy
import dis
import inspect
import os
import re
import sys
import types
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

PASS, FAIL, TODO = "✅", "❌", "⏳"

#: The wrong-values hint when no known mistake matches; ``run_check(generic_hint=...)``
#: replaces it with the lesson's own words.
GENERIC_HINT = "compare your formula with the lesson's, term by term"


@dataclass
class Case:
    """One input to try: positional ``args`` and ``kwargs`` for both functions."""

    label: str
    args: tuple
    kwargs: dict = field(default_factory=dict)


@dataclass
class Mistake:
    """A known wrong answer: if the learner's output equals ``wrong(*args)``, say ``hint``."""

    hint: str
    wrong: Callable[..., Any]


@dataclass
class Outcome:
    ok: bool
    problem: str = ""
    got: Any = None
    expected: Any = None
    hint: str = ""
    err: float = 0.0


class NotDone(Exception):
    """The learner's function still raises NotImplementedError (the lesson's stub).

    ``code`` is the code object of the function that raised it: the checked function
    itself, or an earlier exercise's function that it calls.
    """

    def __init__(self, code=None):
        super().__init__()
        self.code = code


class CheckFailed(AssertionError):
    """Raised in graded mode after a failed check's report, so the test cell scores zero.

    IPython shows an exception's ``_render_traceback_()`` instead of its traceback,
    so the student's feedback shows the check's report and this one line: no
    grader frames, no file paths.
    """

    def _render_traceback_(self):
        return [f"{FAIL} {self}"]


# ---------------------------------------------------------------- safe formatting


def _type_name(value) -> str:
    try:
        return str(type(value).__name__)
    except Exception:  # a metaclass can make even this raise
        return "object"


def _safe_str(value) -> str:
    """``str(value)``, or a description when its ``__str__`` raises."""
    try:
        return str(value)
    except Exception as exc:
        return f"<a {_type_name(value)} whose message cannot be shown: {_type_name(exc)}>"


def fmt(value, limit=300) -> str:
    """A one-line, length-limited repr for reports (arrays abbreviated, 8 digits).

    Never raises: an object whose ``repr`` raises, or an integer too long to print,
    is described instead.
    """
    try:
        if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
            digits = int(value.bit_length() * 0.30103) + 1
            text = f"<an integer with about {digits} digits>"
        elif isinstance(value, (np.ndarray, np.generic)):
            with np.printoptions(precision=8, threshold=12, edgeitems=3):
                text = repr(np.asarray(value))
        elif type(value) is dict:
            text = "{" + ", ".join(f"{k}={fmt(v, 80)}" for k, v in value.items()) + "}"
        else:
            text = repr(value)
        if not isinstance(text, str):
            raise TypeError("repr did not return a string")
    except Exception as exc:
        text = f"<a {_type_name(value)} whose repr raised {_type_name(exc)}>"
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _fmt_inputs(names: Sequence[str], case: Case) -> str:
    parts = [f"{n}={fmt(a, 120)}" for n, a in zip(names, case.args)]
    parts += [f"{k}={fmt(v, 60)}" for k, v in case.kwargs.items()]
    return ", ".join(parts)


# ---------------------------------------------------------------- comparison


def _same_values(got: np.ndarray, want: np.ndarray, rtol: float, atol: float) -> bool:
    if got.shape != want.shape:
        return False
    if want.dtype.kind != "f":  # labels, counts, booleans: exact
        return bool(np.array_equal(got, want))
    return bool(np.allclose(got, want, rtol=rtol, atol=atol, equal_nan=False))


def judged_error(got, want, rtol: float, atol: float) -> float:
    """Largest ``|got - want| / max(|want|, atol / rtol)`` over the finite entries of ``want``.

    This is the error the comparison judges: relative where ``|want| >= atol / rtol``,
    absolute (in units of ``atol / rtol``) near zero, as in ``np.allclose``. So a
    probability of 4e-300 computed as 0 does not read as "100% off" on a pass line,
    and an answer that passes always reports an error of at most about ``2 rtol``.
    """
    got, want = np.asarray(got), np.asarray(want)
    finite = np.isfinite(want)
    if not finite.any():
        return 0.0
    with np.errstate(all="ignore"):
        w = want[finite].astype(np.float64)
        d = np.abs(got[finite].astype(np.float64) - w)
        floor = atol / rtol if rtol > 0 else np.finfo(np.float64).tiny
        return float(np.max(d / np.maximum(np.abs(w), floor), initial=0.0))


def quietly(fn, *args, **kwargs):
    """``fn(*args, **kwargs)`` with NumPy's floating-point warnings silenced."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


def matching_mistake(
    got, mistakes: Sequence[Mistake], case: Case, *, rtol=1e-6, atol=0.0, want=None
):
    """The first :class:`Mistake` whose output on ``case`` equals ``got``, or None.

    The match is relative (``rtol``) with a small absolute floor ``atol``, so that
    tiny wrong answers (0 for 4.2e-18) are not all alike; nan and inf must sit in
    the same places. Boolean and integer answers must match exactly. A mistake
    that raises on this input does not apply to it, and neither does one whose
    output on this input matches the right answer ``want`` (when given): it cannot
    be told apart here, so naming it would blame a slip the learner may not have made.
    """
    try:
        got = np.asarray(got)
    except Exception:  # not even an array: no known mistake gives that
        return None
    if got.dtype.kind not in "biuf":
        return None
    for mistake in mistakes:
        try:
            wrong = np.asarray(quietly(mistake.wrong, *case.args, **case.kwargs))
        except Exception:  # a diagnosis that does not apply to this input
            continue
        if wrong.shape != got.shape or wrong.dtype.kind not in "biuf":
            continue
        # A mistake that gives the right answer here (relatively: tiny right answers and
        # their wrong 0 stay apart) cannot be what went wrong on this input.
        if _alike(got, wrong, rtol, atol) and (want is None or not _alike(want, wrong, rtol, 0.0)):
            return mistake
    return None


def _alike(a: np.ndarray, b: np.ndarray, rtol: float, atol: float) -> bool:
    if a.shape != b.shape:
        return False
    if "f" not in (a.dtype.kind, b.dtype.kind):
        return bool(np.array_equal(a, b))
    with np.errstate(all="ignore"):
        return bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True))


OVERFLOW_HINT = (
    "exp() of a large number overflowed: rewrite so that you only ever "
    "exponentiate numbers <= 0 (for softmax: subtract the max first)"
)
INVALID_HINT = (
    "a step on the way gave nan (0 * inf, inf - inf or 0 / 0), even though the final values "
    "are right: np.where and masks compute both branches first, so replace the infinite "
    "or zero values before the operation (e.g. np.where(np.isinf(z), 0, z)), not after it"
)
DTYPE_HINT = (
    "keep the input's dtype (float32 in, float32 out): avoid np.float64(...) constants and astype"
)


def _nonfinite_word(values: np.ndarray) -> str:
    """ "nan", "inf", "-inf" or "inf and -inf": what the non-finite entries are."""
    if np.isnan(values).any():
        return "nan"
    positive, negative = (values > 0).any(), (values < 0).any()
    return "inf and -inf" if positive and negative else ("-inf" if negative else "inf")


def _one_number(got, want: np.ndarray):
    """For a single-number answer: ``(float64 0-d array, original dtype)`` or an Outcome.

    Returns None when ``got`` is not a single number at all (the general rules apply).
    """
    if isinstance(got, bool) or isinstance(got, np.bool_):
        return Outcome(False, "returned a boolean", got, want, "return a number, not True/False")
    if isinstance(got, int):
        try:
            value = float(got)
        except OverflowError:
            return Outcome(
                False,
                "returned an integer too large for a float",
                got,
                want,
                "the answer is a floating-point number: compute it with floats",
            )
        return np.asarray(value), np.dtype(np.float64)
    if isinstance(got, float):
        return np.asarray(got, dtype=np.float64), np.dtype(np.float64)
    if isinstance(got, (np.ndarray, np.generic)) and np.ndim(got) == 0:
        got = np.asarray(got)
        if got.dtype.kind in "iuf":
            return got.astype(np.float64), got.dtype
    return None


def compare_arrays(
    got,
    want,
    *,
    rtol=1e-7,
    atol=1e-12,
    mistakes=(),
    case=None,
    rtol32=1e-5,
    atol32=None,
    mistake_atol=None,
    nonfinite_hint=OVERFLOW_HINT,
    one_number_hint=None,
) -> Outcome:
    """Compare one result with the reference result, with specific diagnoses.

    Parameters
    ----------
    got, want : the learner's result and the reference's.
    rtol, atol : float
        Tolerances for float64 answers (as in ``np.allclose``).
    mistakes : list of Mistake
        Known wrong answers, tried (in order) when the values are wrong or are
        nan/inf where the answer is finite; the first that matches gives the hint.
    case : Case
        The input, to run the mistakes on.
    rtol32, atol32 : float
        For float32 answers the tolerances are at least these (float32 carries
        about 7 significant digits).
    mistake_atol : float, optional
        Absolute floor of the mistake match; default ``atol / 1000``.
    nonfinite_hint : str
        The hint for nan or inf where the answer is finite, when no mistake matches.
    one_number_hint : str, optional
        The hint when the answer is one number (a loss, a mean) and an array of
        floats came back, typically a forgotten reduction.

    Notes
    -----
    The dtype policy: an array answer must keep the reference's floating dtype
    (float32 in, float32 out). A single number (the reference returns a 0-d float)
    may come back as a Python float or int, a NumPy scalar or a 0-d array of any
    real dtype; it is judged at the reference's precision (float32 tolerances for a
    float32 answer), so ``float(loss)`` is always accepted.
    """
    if got is None:
        return Outcome(False, "returned None", None, want, "did you forget the `return` statement?")
    if isinstance(got, (list, tuple)):
        one_number = np.ndim(want) == 0
        return Outcome(
            False,
            f"returned a Python {_type_name(got)}",
            got,
            want,
            "return one number (a float), not a list"
            if one_number
            else "return a NumPy array (np.asarray(...)), not a Python list",
        )
    want = np.asarray(want)
    number_dtype = None  # the dtype a single-number answer came in, when it is one
    if want.ndim == 0 and want.dtype.kind == "f":
        single = _one_number(got, want)
        if isinstance(single, Outcome):
            return single
        if single is not None:
            got, number_dtype = single
        elif one_number_hint and isinstance(got, np.ndarray) and got.dtype.kind == "f":
            shape = f"returned an array of shape {got.shape}"
            return Outcome(False, shape, got, want, one_number_hint)
    elif isinstance(got, (bool, int, float, np.generic)) and want.ndim > 0:
        return Outcome(
            False,
            "returned a single number",
            got,
            want,
            f"expected an array of shape {want.shape}: compute one value per entry, "
            "without reducing the whole array",
        )
    if not isinstance(got, (np.ndarray, np.generic)):
        return Outcome(False, f"returned a {_type_name(got)}", got, want, "return a NumPy array")
    try:
        got = np.asarray(got)
        numeric = "f" if want.dtype.kind == "f" else "biu"
        kind_ok = got.dtype.kind in numeric
    except Exception:
        return Outcome(False, f"returned a {_type_name(got)}", None, want, "return a NumPy array")
    if not kind_ok:
        kind = "floating-point values" if numeric == "f" else "integers or booleans"
        return Outcome(
            False, f"returned an array of dtype {got.dtype}", got, want, f"return {kind}"
        )
    if got.shape != want.shape:
        hint = _shape_hint(got.shape, want.shape)
        return Outcome(False, f"returned shape {got.shape}, expected {want.shape}", got, want, hint)
    if want.dtype == np.float32:
        rtol = max(rtol, rtol32)
        atol = max(atol, atol32) if atol32 is not None else atol
    if number_dtype is not None:
        want = want.astype(np.float64)  # judged at the reference's precision, set just above
    match_rtol = max(1e-6, rtol)
    match_atol = atol / 1000 if mistake_atol is None else mistake_atol

    def diagnosis(default: str | None) -> str | None:
        found = matching_mistake(
            got, mistakes, case, rtol=match_rtol, atol=match_atol, want=np.asarray(want)
        )
        return found.hint if found is not None else default

    if want.dtype.kind == "f":  # nan / inf only make sense for floats
        nonfinite = ~np.isfinite(got) & np.isfinite(want)
        if nonfinite.any():
            bad = _nonfinite_word(got[nonfinite])
            return Outcome(
                False,
                f"returned {bad} where the answer is finite",
                got,
                want,
                diagnosis(nonfinite_hint),
            )
        if not np.array_equal(np.isfinite(got), np.isfinite(want)) or not np.array_equal(
            np.signbit(got[~np.isfinite(want)]), np.signbit(want[~np.isfinite(want)])
        ):
            return Outcome(
                False,
                "has the wrong infinities",
                got,
                want,
                diagnosis("check the limits of your formula"),
            )
    if want.dtype.kind == "f" and got.dtype != want.dtype:  # float32 in, float32 out
        return Outcome(
            False, f"returned dtype {got.dtype}, expected {want.dtype}", got, want, DTYPE_HINT
        )
    if _same_values(got, want, rtol, atol):
        return Outcome(True, err=judged_error(got, want, rtol, atol) if got.size else 0.0)
    hint = diagnosis(None)
    if hint is not None:
        return Outcome(False, "returned the wrong values", got, want, hint)
    err = judged_error(got, want, rtol, atol) if want.dtype.kind == "f" else 0.0
    if (
        number_dtype == np.float32
        and want.dtype == np.float64
        and _same_values(got, want, max(rtol, rtol32), atol)
    ):
        return Outcome(
            False,
            f"returned a float32 number (largest relative error {err:.1e})",
            got,
            want,
            "the input is float64, so the answer needs float64 precision: "
            "keep the input's dtype instead of converting to float32",
            err,
        )
    return Outcome(
        False,
        f"returned the wrong values (largest relative error {err:.1e})"
        if want.dtype.kind == "f"
        else "returned the wrong values",
        got,
        want,
        GENERIC_HINT,
        err,
    )


def _without(shape: tuple, i: int) -> tuple:
    return shape[:i] + shape[i + 1 :]


def _shape_hint(got: tuple, want: tuple) -> str:
    """Name the shape slip only when the shapes show it; otherwise say what to look at."""
    got, want = tuple(got), tuple(want)
    if got == () and want:
        return (
            f"expected an array of shape {want}, not a single number: a sum, max or mean "
            "without axis= reduces the whole array"
        )
    for i in range(len(want)):
        if got == _without(want, i):
            return (
                f"axis {i} (of length {want[i]}) is missing from your result: a sum or max "
                "over it without keepdims=True drops it; keep it with keepdims=True"
            )
    for i in range(len(got)):
        if got[i] == 1 and _without(got, i) == want:
            return (
                f"your result has an extra axis of length 1 at position {i}: a reduction "
                "with keepdims=True (or [:, None]) that should not keep it; drop it with "
                f"np.squeeze(..., axis={i})"
            )
    if sorted(got) == sorted(want):
        return "the axes are in the wrong order (a transpose or the wrong einsum output)"
    if int(np.prod(got)) == int(np.prod(want)):
        return "right number of values, wrong shape: check your reshape or einsum output"
    return (
        f"check which axis you reduce over (expected shape {want}), and print the .shape "
        "of each intermediate result to find the step where it goes astray"
    )


# ---------------------------------------------------------------- graded-mode integrity

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


def _refuse(title: str, problems: list[str], say) -> None:
    say(
        f"{FAIL} {title}: not graded, because {problems[0]}. Graded work must leave NumPy "
        "and the course's checks as they are: remove the code that changes them, restart "
        "the kernel and run all cells."
    )


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
        _refuse(name, problems, print)
        _restore_error_display()
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


def _forbidden_codes(title: str, reference_fn, forbid: Sequence) -> dict:
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


# ---------------------------------------------------------------- calling the learner


def call_learner(fn, args, kwargs, *, watch=None):
    """Call the learner's function on copies of the inputs; report what happened.

    Returns ``(result, warnings_seen, mutated_argument_index_or_None)``; raises
    :class:`NotDone` for NotImplementedError and re-raises other errors. With
    ``watch`` (a dict of code objects), a call of one of them during the learner's
    call is recorded in ``watch["called"]``.
    """
    fresh = copy.deepcopy(args)
    fresh_kwargs = copy.deepcopy(kwargs)
    # Overflow, 0/0 and division by zero are reported; underflow is not: exp(-1000)
    # rounding to 0 is what every correct stable formula does on the way.
    with warnings.catch_warnings(record=True) as seen, np.errstate(all="warn", under="ignore"):
        warnings.simplefilter("always")
        try:
            result = _call_watching(fn, fresh, fresh_kwargs, watch)
        except NotImplementedError as exc:
            tb = exc.__traceback__
            while tb is not None and tb.tb_next is not None:
                tb = tb.tb_next
            raise NotDone(tb.tb_frame.f_code if tb is not None else None) from None
    mutated = None
    for i, (before, after) in enumerate(zip(args, fresh)):
        if isinstance(before, np.ndarray) and not np.array_equal(before, after, equal_nan=True):
            mutated = i
            break
    messages = [_safe_str(w.message) for w in seen if issubclass(w.category, RuntimeWarning)]
    return result, messages, mutated


def _call_watching(fn, args, kwargs, watch):
    if not watch:
        return fn(*args, **kwargs)
    codes = watch["codes"]

    def profile(frame, event, arg):
        if event == "call" and frame.f_code in codes:
            watch.setdefault("called", codes[frame.f_code])

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        return fn(*args, **kwargs)
    finally:
        sys.setprofile(previous)


def _globals_called(code) -> list[str]:
    """Global names a function (and the functions nested in it) loads, in order."""
    names = []
    try:
        for ins in dis.get_instructions(code):
            if ins.opname in ("LOAD_GLOBAL", "LOAD_NAME") and ins.argval not in names:
                names.append(ins.argval)
        for const in code.co_consts:
            if isinstance(const, types.CodeType):
                names += [n for n in _globals_called(const) if n not in names]
    except Exception:
        pass
    return names


def _short(label: str) -> str:
    """``"Exercise 1.1"`` -> ``"1.1"``."""
    return label.split()[-1]


def _nested_check(check, fn) -> bool:
    """``check(fn, quiet=True)`` as a diagnosis: never prints, never raises."""
    _nesting[0] += 1
    try:
        return check(fn, quiet=True) is True
    except BaseException as exc:  # noqa: BLE001 - a diagnosis must not end the check
        if isinstance(exc, KeyboardInterrupt):
            raise
        return False
    finally:
        _nesting[0] -= 1


def _earlier_fault(learner_fn, exercise: str, earlier: dict) -> str | None:
    """The hint when the learner's function calls an earlier exercise's function that fails."""
    if not earlier:
        return None
    fn = _unwrap(learner_fn)
    code, namespace = getattr(fn, "__code__", None), getattr(fn, "__globals__", None)
    if not isinstance(code, types.CodeType) or not isinstance(namespace, dict):
        return None
    for name in _globals_called(code):
        if name in earlier and callable(namespace.get(name)):
            label, check = earlier[name]
            if not _nested_check(check, namespace[name]):
                return (
                    f"the fault is in your `{name}` from {label}, which {exercise} calls: "
                    f"its check fails. Run the check of {label}, fix `{name}`, run its cell "
                    "again, then this check"
                )
    return None


def _not_done_message(title: str, exercise: str, learner_fn, exc: NotDone, earlier) -> str:
    stub = exc.code
    own = _code_of(learner_fn)
    if stub is not None and own is not None and stub is not own and stub.co_name != exercise:
        name = stub.co_name
        if name in (earlier or {}):
            label = earlier[name][0]
            return (
                f"{TODO} {title}: not done yet: your `{name}` from {label} is still a stub, "
                f"and {exercise} calls it; finish {_short(label)} first."
            )
        return (
            f"{TODO} {title}: not done yet: your `{name}` is still a stub (it raises "
            f"NotImplementedError), and {exercise} calls it; write it first."
        )
    return (
        f"{TODO} {title}: not done yet. Replace `raise NotImplementedError` "
        "with your code, then run this check again."
    )


def run_check(
    title: str,
    learner_fn,
    reference_fn,
    cases: Sequence[Case],
    *,
    arg_names: Sequence[str],
    mistakes: Sequence[Mistake] = (),
    rtol: float = 1e-7,
    atol: float = 1e-12,
    compare=compare_arrays,
    warning_hint: str = (
        "an intermediate step overflowed or divided by zero: a stable formula "
        "never exponentiates a large positive number"
    ),
    invalid_hint: str = INVALID_HINT,
    generic_hint: str | None = None,
    mutation_hint: str = (
        "work on a new array (x - m, not x -= m): the caller's data must not change"
    ),
    earlier: dict | None = None,
    forbid: Sequence[Callable] = (),
    quiet: bool = False,
) -> bool:
    """Run ``learner_fn`` on every case against ``reference_fn`` and report.

    Parameters
    ----------
    title : str
        ``"Exercise 1.1 sigmoid"``: starts the headline; its last word is the
        exercise's function name.
    learner_fn, reference_fn : callable
    cases : list of Case
        Ordinary, edge and adversarial inputs, in that order.
    arg_names : list of str
        Names of the positional arguments, for the report.
    mistakes : list of Mistake
        Known wrong answers and the hint for each.
    compare : callable
        ``compare(got, want, rtol=, atol=, mistakes=, case=) -> Outcome``.
    warning_hint : str
        The hint when the values are right but NumPy warned (RuntimeWarning) of an
        overflow or a division by zero.
    invalid_hint : str
        The hint when the warning was "invalid value" (a nan on the way).
    mutation_hint : str
        The hint when the learner's function changed its input array in place.
    generic_hint : str, optional
        The hint for wrong values that match no known mistake, in the lesson's words
        (default :data:`GENERIC_HINT`).
    earlier : dict, optional
        ``{"sigmoid": ("Exercise 1.1", check_sigmoid)}``: learner functions of earlier
        exercises that this one may call, with their checks. A stub among them is
        named as such, and when this check fails and the learner's function calls one
        whose own check fails, the report puts the fault there.
    forbid : list of callable
        In graded mode, functions the learner's function must not call, besides the
        reference itself and the :mod:`helpers` function named like the exercise.
    quiet : bool
        Print nothing (used by tests and by the earlier-exercise diagnosis).

    Returns
    -------
    bool
        True if every case passed (in graded mode: None, or CheckFailed raised).
    """
    say = (lambda *a: None) if quiet else print
    exercise = title.split()[-1]
    if not callable(learner_fn):
        say(f"{FAIL} {title}: expected a function, got {fmt(learner_fn, 60)}")
        return verdict(False)
    is_graded = graded()
    watch = None
    if is_graded:
        problems = integrity_problems()
        if problems:
            _refuse(title, problems, say)
            return verdict(False)
        watch = {"codes": _forbidden_codes(title, reference_fn, forbid)}
    for n, case in enumerate(cases, start=1):
        want = reference_fn(*case.args, **case.kwargs)
        try:
            got, warned, mutated = call_learner(learner_fn, case.args, case.kwargs, watch=watch)
        except NotDone as exc:
            say(_not_done_message(title, exercise, learner_fn, exc, earlier))
            return verdict(False)
        except (Exception, SystemExit) as exc:  # the learner's code raised on valid input
            outcome = Outcome(
                False,
                f"raised {_type_name(exc)}: {fmt(_safe_str(exc), 160)}",
                None,
                want,
                exception_hint(exc, has_axis=_has_axis(learner_fn, arg_names, case)),
            )
        else:
            if is_graded:
                problems = integrity_problems()
                if problems:
                    _refuse(title, problems, say)
                    return verdict(False)
            if watch and "called" in watch:
                outcome = Outcome(
                    False,
                    f"calls {watch['called']}, the reference this exercise is checked against",
                    None,
                    want,
                    "graded work computes the answer itself: write the formula instead of "
                    f"calling {watch['called']}",
                )
            elif mutated is not None:
                outcome = Outcome(
                    False,
                    f"modified its input `{arg_names[mutated]}` in place",
                    None,
                    want,
                    mutation_hint,
                )
            else:
                outcome = _compare_safely(compare, got, want, rtol, atol, mistakes, case)
                if outcome.ok and warned:
                    outcome = Outcome(
                        False,
                        f"gave the right values but NumPy warned: {fmt(warned[0], 100)}",
                        got,
                        want,
                        invalid_hint if "invalid value" in warned[0] else warning_hint,
                    )
        if not outcome.ok:
            hint = outcome.hint
            if generic_hint is not None and hint == GENERIC_HINT:
                hint = generic_hint
            hint = _earlier_fault(learner_fn, exercise, earlier) or hint
            say(f"{FAIL} {title}: failed on case {n} of {len(cases)}, {case.label}")
            say(f"    input:    {_fmt_inputs(arg_names, case)}")
            say(f"    problem:  {outcome.problem}")
            if outcome.got is not None:
                say(f"    got:      {fmt(outcome.got)}")
            say(f"    expected: {fmt(outcome.expected)}")
            say(f"    hint:     {graded_hint(hint) if is_graded else hint}")
            return verdict(False)
    say(f"{PASS} {title}: passed all {len(cases)} cases ({tolerance_class(rtol)})")
    return verdict(True, title=title, say=say)


# In graded mode a hint says what is wrong, not the corrected code: a clause that gives the
# fix (an imperative such as "use", "write", "keep" with code in it or right after it) is
# left out, with the code that follows it.
_HINT_CLAUSE = re.compile(r"(?<=[.:;])\s+|,\s+(?=(?:so|then|or|and)\s)|\s+\((?=use\b)")
_HINT_FIX = re.compile(
    r"\b(?:use|write|keep|compute|only ever|do not clip|subtract|call|return|replace|convert|"
    r"sum along|multiply|take|apply|divide by|solve|the answer is)\b",
    re.IGNORECASE,
)
_HINT_CODE = re.compile(r"[\w)]\s*[-+*/=]\s*[\w(]|\w\(|`|\*\*|\bnp\.|=")


def graded_hint(hint: str) -> str:
    """``hint`` without the clauses that print the fix's code (graded feedback)."""
    clauses = _HINT_CLAUSE.split(hint)
    kept, dropping = [], False
    for i, clause in enumerate(clauses):
        fix, code = bool(_HINT_FIX.search(clause)), bool(_HINT_CODE.search(clause))
        following = clauses[i + 1] if i + 1 < len(clauses) else ""
        if fix and (code or _HINT_CODE.search(following)):
            dropping = True
        elif dropping and not (fix or code):
            dropping = False
        if not dropping:
            kept.append(clause)
    text = " ".join(kept).rstrip(" .:;,(")
    return text if len(text) >= 12 else "compare your formula with the lesson's derivation"


def _compare_safely(compare, got, want, rtol, atol, mistakes, case) -> Outcome:
    """``compare(...)``, but a result that breaks the comparison is a report, not a crash."""
    try:
        outcome = compare(got, want, rtol=rtol, atol=atol, mistakes=mistakes, case=case)
    except Exception as exc:
        return Outcome(
            False,
            f"returned a {_type_name(got)} that cannot be compared ({_type_name(exc)})",
            got,
            want,
            "return a NumPy array of numbers, as the exercise's docstring says",
        )
    if not isinstance(outcome, Outcome):  # a comparison must decide
        return Outcome(False, "could not be compared", got, want, "return a NumPy array")
    return outcome


def _has_axis(learner_fn, arg_names: Sequence[str], case: Case) -> bool:
    """Whether the exercise takes an ``axis`` argument (its names, its case or its signature)."""
    if "axis" in arg_names or "axis" in case.kwargs:
        return True
    try:
        return "axis" in inspect.signature(learner_fn).parameters
    except (TypeError, ValueError):
        return False


_SHAPES = re.compile(r"\(([\d, ]*)\)")


def _broadcast_hint(text: str) -> str:
    shapes = [
        tuple(int(d) for d in group.replace(" ", "").split(",") if d)
        for group in _SHAPES.findall(text)
    ]
    for a in shapes:
        for b in shapes:
            if any(b == _without(a, i) for i in range(len(a))):
                return (
                    f"shapes {a} and {b} do not line up: {b} is {a} with one axis reduced "
                    "away. A sum or max without keepdims=True drops that axis; keep it with "
                    "keepdims=True"
                )
    listed = " and ".join(str(s) for s in shapes) if shapes else "the operands' shapes"
    return (
        f"shapes {listed} do not line up: NumPy matches shapes from the last axis, where "
        "each pair of lengths must be equal or 1; print the .shape of each operand"
    )


def exception_hint(exc: BaseException, *, has_axis: bool = True) -> str:
    """What usually causes ``exc`` in an exercise on arrays, for the report's hint line."""
    text = _safe_str(exc)
    if "could not be broadcast" in text:
        return _broadcast_hint(text)
    if "truth value of an array" in text:
        return (
            "`if` or `and`/`or` on an array: choose elementwise with np.where(condition, a, b) "
            "or a boolean mask instead"
        )
    if isinstance(exc, np.exceptions.AxisError):
        if has_axis:
            return "the axis does not exist for this input: use the `axis` argument you were given"
        return (
            "your code names an axis this input does not have. This exercise has no axis "
            "argument: check every axis=... you wrote, and any number passed by position to a "
            "NumPy function whose second parameter is axis"
        )
    if isinstance(exc, (ValueError, IndexError)) and ("matmul" in text or "align" in text):
        return "matrix shapes do not fit: print the .shape of each operand of @"
    if isinstance(exc, TypeError) and "list" in text:
        return "the input may arrive as a list: convert it first with np.asarray(x)"
    if isinstance(exc, SystemExit):
        return "your function ended the program (sys.exit or exit): return a value instead"
    return "this input is valid; run your function on it in a new cell to see the traceback"


def tolerance_class(rtol: float) -> str:
    """What a pass guarantees: the check's fixed tolerance, never the measured error.

    The measured error depends on the last bits of ``exp`` and ``log``, which differ
    between CPUs (SIMD kernels, libm); the tolerance does not, so a stored pass line
    reproduces on every machine.
    """
    return f"each within relative error {rtol:.0e} of the reference"


def verdict(ok: bool, *, title: str = "check", say=print) -> bool | None:
    """What a check returns: ``ok``; in graded mode, None for a pass and CheckFailed for a fail.

    nbgrader scores a test cell zero when it raises, and otherwise reads the cell's
    value as partial credit, so a displayed ``True`` makes it warn. A pass is
    granted only if NumPy, the checks and their references are still genuine.
    Checks run inside a check (the earlier-exercise diagnosis) just return ``ok``.
    """
    if not graded() or _nesting[0] > 0:
        return ok
    if not ok:
        _restore_error_display()
        raise CheckFailed("the check above failed (a graded check cell scores 0 for it)")
    problems = integrity_problems()
    if problems:
        _refuse(title, problems, say)
        _restore_error_display()
        raise CheckFailed("not graded: the checks or NumPy were changed (see above)")
    return None


def _restore_error_display() -> None:
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
