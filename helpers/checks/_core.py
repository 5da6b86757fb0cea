"""The engine behind every ``check_*`` function: run, compare, diagnose, report.

A check calls the learner's function on a list of :class:`Case` inputs and
compares each result with the reference implementation from :mod:`helpers`.
It prints one headline line, and on failure the input, what came back, what was
expected and a hint naming the likely mistake. It never raises because of the
learner's code and never lets a wrong answer pass.

Under nbgrader (``NBGRADER_EXECUTION`` is set while grading), a failed check
raises ``AssertionError`` after printing, so the test cell scores zero, and a
passed check returns None instead of True: nbgrader reads a test cell's value
as partial credit and warns that ``True`` is not a number.

The lesson modules ``lessonNN.py`` build their checks from the public names
here: :class:`Case`, :class:`Mistake`, :func:`run_check`, :func:`compare_arrays`
(with :class:`Outcome`), :func:`matching_mistake`, :func:`quietly`, :func:`fmt`,
:func:`verdict` and :class:`NotDone`.
"""

from __future__ import annotations

import copy
import os
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

PASS, FAIL, TODO = "✅", "❌", "⏳"


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
    """The learner's function still raises NotImplementedError (the lesson's stub)."""


def fmt(value, limit=300) -> str:
    """A one-line, length-limited repr for reports (arrays abbreviated, 8 digits)."""
    if isinstance(value, (np.ndarray, np.generic)):
        with np.printoptions(precision=8, threshold=12, edgeitems=3):
            text = repr(np.asarray(value))
    elif isinstance(value, dict):
        text = "{" + ", ".join(f"{k}={fmt(v, 80)}" for k, v in value.items()) + "}"
    else:
        text = repr(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _fmt_inputs(names: Sequence[str], case: Case) -> str:
    parts = [f"{n}={fmt(a, 120)}" for n, a in zip(names, case.args)]
    parts += [f"{k}={fmt(v, 60)}" for k, v in case.kwargs.items()]
    return ", ".join(parts)


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


def matching_mistake(got, mistakes: Sequence[Mistake], case: Case, *, rtol=1e-6, atol=0.0):
    """The first :class:`Mistake` whose output on ``case`` equals ``got``, or None.

    The match is relative (``rtol``) with a small absolute floor ``atol``, so that
    tiny wrong answers (0 for 4.2e-18) are not all alike; nan and inf must sit in
    the same places. Boolean and integer answers must match exactly. A mistake
    that raises on this input does not apply to it.
    """
    got = np.asarray(got)
    for mistake in mistakes:
        try:
            wrong = np.asarray(quietly(mistake.wrong, *case.args, **case.kwargs))
        except Exception:  # a diagnosis that does not apply to this input
            continue
        if wrong.shape != got.shape or not {wrong.dtype.kind, got.dtype.kind} <= set("biuf"):
            continue
        if "f" not in (wrong.dtype.kind, got.dtype.kind):
            same = np.array_equal(wrong, got)
        else:
            with np.errstate(all="ignore"):
                same = np.allclose(got, wrong, rtol=rtol, atol=atol, equal_nan=True)
        if same:
            return mistake
    return None


OVERFLOW_HINT = (
    "exp() of a large number overflowed: rewrite so that you only ever "
    "exponentiate numbers <= 0 (for softmax: subtract the max first)"
)


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
    """
    if got is None:
        return Outcome(False, "returned None", None, want, "did you forget the `return` statement?")
    if isinstance(got, (list, tuple)):
        return Outcome(
            False,
            f"returned a Python {type(got).__name__}",
            got,
            want,
            "return a NumPy array (np.asarray(...)), not a Python list",
        )
    want = np.asarray(want)
    if isinstance(got, (int, float)) and not isinstance(got, bool) and want.ndim == 0:
        got = np.asarray(got)  # a plain Python number is fine for a 0-d float64 answer
    if np.isscalar(got) and want.ndim > 0:
        return Outcome(
            False,
            "returned a single number",
            got,
            want,
            f"expected an array of shape {want.shape}: compute elementwise, without reducing",
        )
    if not isinstance(got, (np.ndarray, np.generic)):
        return Outcome(False, f"returned a {type(got).__name__}", got, want, "return a NumPy array")
    got = np.asarray(got)
    numeric = "f" if want.dtype.kind == "f" else "biu"
    if got.dtype.kind not in numeric:
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
    match_rtol = max(1e-6, rtol)
    match_atol = atol / 1000 if mistake_atol is None else mistake_atol

    def diagnosis(default: str) -> str:
        found = matching_mistake(got, mistakes, case, rtol=match_rtol, atol=match_atol)
        return found.hint if found is not None else default

    if want.dtype.kind == "f":  # nan / inf only make sense for floats
        nonfinite = ~np.isfinite(got) & np.isfinite(want)
        if nonfinite.any():
            bad = "nan" if np.isnan(got[nonfinite]).any() else "inf"
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
            False,
            f"returned dtype {got.dtype}, expected {want.dtype}",
            got,
            want,
            "keep the input's dtype (float32 in, float32 out): avoid np.float64(...) "
            "constants or astype; write 1 + e rather than np.float64(1) + e",
        )
    if _same_values(got, want, rtol, atol):
        return Outcome(True, err=judged_error(got, want, rtol, atol) if got.size else 0.0)
    hint = diagnosis(None)
    if hint is not None:
        return Outcome(False, "returned the wrong values", got, want, hint)
    err = judged_error(got, want, rtol, atol) if want.dtype.kind == "f" else 0.0
    return Outcome(
        False,
        f"returned the wrong values (largest relative error {err:.1e})"
        if want.dtype.kind == "f"
        else "returned the wrong values",
        got,
        want,
        "compare your formula with the derivation above, term by term",
        err,
    )


def _shape_hint(got: tuple, want: tuple) -> str:
    if len(got) == len(want) - 1:
        return "you reduced away an axis: use keepdims=True in sum/max so shapes broadcast"
    if sorted(got) == sorted(want):
        return "the axes are in the wrong order (a transpose or the wrong einsum output)"
    if np.prod(got) == np.prod(want):
        return "right number of values, wrong shape: check your reshape or einsum output"
    return "check which axis you reduce over and that you return one value per input entry"


def call_learner(fn, args, kwargs):
    """Call the learner's function on copies of the inputs; report what happened.

    Returns ``(result, warnings_seen, mutated_argument_name_or_None)``;
    raises :class:`NotDone` for NotImplementedError and re-raises other errors.
    """
    fresh = copy.deepcopy(args)
    fresh_kwargs = copy.deepcopy(kwargs)
    # Overflow, 0/0 and division by zero are reported; underflow is not: exp(-1000)
    # rounding to 0 is what every correct stable formula does on the way.
    with warnings.catch_warnings(record=True) as seen, np.errstate(all="warn", under="ignore"):
        warnings.simplefilter("always")
        try:
            result = fn(*fresh, **fresh_kwargs)
        except NotImplementedError:
            raise NotDone() from None
    mutated = None
    for i, (before, after) in enumerate(zip(args, fresh)):
        if isinstance(before, np.ndarray) and not np.array_equal(before, after, equal_nan=True):
            mutated = i
            break
    messages = [str(w.message) for w in seen if issubclass(w.category, RuntimeWarning)]
    return result, messages, mutated


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
    quiet: bool = False,
) -> bool:
    """Run ``learner_fn`` on every case against ``reference_fn`` and report.

    Parameters
    ----------
    title : str
        ``"Exercise 1.1 sigmoid"``: starts the headline.
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
        The hint when the values are right but NumPy warned (RuntimeWarning).
    quiet : bool
        Print nothing (used by tests).

    Returns
    -------
    bool
        True if every case passed.
    """
    say = (lambda *a: None) if quiet else print
    if not callable(learner_fn):
        say(f"{FAIL} {title}: expected a function, got {fmt(learner_fn, 60)}")
        return verdict(False)
    for n, case in enumerate(cases, start=1):
        want = reference_fn(*case.args, **case.kwargs)
        try:
            got, warned, mutated = call_learner(learner_fn, case.args, case.kwargs)
        except NotDone:
            say(
                f"{TODO} {title}: not done yet. Replace `raise NotImplementedError` "
                "with your code, then run this check again."
            )
            return verdict(False)
        except Exception as exc:  # the learner's code raised on valid input
            outcome = Outcome(
                False,
                f"raised {type(exc).__name__}: {fmt(str(exc), 160)}",
                None,
                want,
                exception_hint(exc),
            )
        else:
            if mutated is not None:
                outcome = Outcome(
                    False,
                    f"modified its input `{arg_names[mutated]}` in place",
                    None,
                    want,
                    "work on a new array (x - m, not x -= m): the caller's data must not change",
                )
            else:
                outcome = compare(got, want, rtol=rtol, atol=atol, mistakes=mistakes, case=case)
                if outcome.ok and warned:
                    outcome = Outcome(
                        False,
                        f"gave the right values but NumPy warned: {fmt(warned[0], 100)}",
                        got,
                        want,
                        warning_hint,
                    )
        if not outcome.ok:
            say(f"{FAIL} {title}: failed on case {n} of {len(cases)}, {case.label}")
            say(f"    input:    {_fmt_inputs(arg_names, case)}")
            say(f"    problem:  {outcome.problem}")
            if outcome.got is not None:
                say(f"    got:      {fmt(outcome.got)}")
            say(f"    expected: {fmt(outcome.expected)}")
            say(f"    hint:     {outcome.hint}")
            return verdict(False)
    say(f"{PASS} {title}: passed all {len(cases)} cases ({tolerance_class(rtol)})")
    return verdict(True)


def exception_hint(exc: Exception) -> str:
    """What usually causes ``exc`` in an exercise on arrays, for the report's hint line."""
    text = str(exc)
    if "could not be broadcast" in text:
        return (
            "shapes do not line up: a sum or max without keepdims=True drops the axis, "
            "so (n,) meets (n, k); keep it with keepdims=True"
        )
    if "truth value of an array" in text:
        return (
            "`if` or `and`/`or` on an array: choose elementwise with np.where(condition, a, b) "
            "or a boolean mask instead"
        )
    if isinstance(exc, np.exceptions.AxisError):
        return "the axis does not exist for this input: use the `axis` argument you were given"
    if isinstance(exc, (ValueError, IndexError)) and ("matmul" in text or "align" in text):
        return "matrix shapes do not fit: print the .shape of each operand of @"
    if isinstance(exc, TypeError) and "list" in text:
        return "the input may arrive as a list: convert it first with np.asarray(x)"
    return "this input is valid; run your function on it in a new cell to see the traceback"


def tolerance_class(rtol: float) -> str:
    """What a pass guarantees: the check's fixed tolerance, never the measured error.

    The measured error depends on the last bits of ``exp`` and ``log``, which differ
    between CPUs (SIMD kernels, libm); the tolerance does not, so a stored pass line
    reproduces on every machine.
    """
    return f"each within relative error {rtol:.0e} of the reference"


def verdict(ok: bool) -> bool | None:
    """What a check returns: ``ok``; under nbgrader, None for a pass and AssertionError for a fail.

    nbgrader scores a test cell zero when it raises, and otherwise reads the cell's
    value as partial credit, so a displayed ``True`` makes it warn.
    """
    if os.environ.get("NBGRADER_EXECUTION"):
        if not ok:
            raise AssertionError("the check above failed")
        return None
    return ok
