"""Comparing one result with the reference: the verdict on one case, with a diagnosis.

:func:`compare_arrays` is the comparison every check uses (directly, through
:func:`comparer`, or inside a lesson's own ``compare``). It is a fixed sequence of
small rules (:data:`RULES`), each of which either decides the case (returns an
:class:`Outcome`) or passes it on: ``None`` returned, a non-array, a wrong dtype, a
wrong shape, nan/inf where the answer is finite, the wrong infinities, right values,
a known mistake, and last the generic "wrong values". Every Outcome says which rule
decided it in :attr:`Outcome.kind` (a :class:`Kind`), so a lesson that refines a
diagnosis tests the kind, never the English of the message.

The verdict rule that makes checks CPU-independent: every catalogued wrong answer
must miss the reference by far more than the check's tolerance (or fail for a
structural reason: shape, dtype, an exception, nan), and every accepted variant must
sit well inside it, so the last bits of ``exp`` and ``log`` (which differ between
AVX-512, AVX2 and SSE builds of NumPy) never decide a verdict.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .format import type_name
from .outcome import GENERIC_HINT, Case, Kind, Mistake, Outcome  # noqa: F401 - re-exported


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
    return float(np.max(judged_errors(got, want, rtol, atol), initial=0.0))


def judged_errors(got, want, rtol: float, atol: float) -> np.ndarray:
    """The error of each entry, as :func:`judged_error` takes it; -inf where ``want`` is not
    finite (those entries are judged by their infinities and NaN instead)."""
    got, want = np.asarray(got), np.asarray(want)
    floor = atol / rtol if rtol > 0 else np.finfo(np.float64).tiny
    with np.errstate(all="ignore"):
        w = want.astype(np.float64)
        errors = np.abs(got.astype(np.float64) - w) / np.maximum(np.abs(w), floor)
    return np.where(np.isfinite(want), errors, -np.inf)


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
        return Outcome(
            False,
            "returned a boolean",
            got,
            want,
            "return a number, not True/False",
            kind=Kind.TYPE,
        )
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
                kind=Kind.TYPE,
            )
        return np.asarray(value), np.dtype(np.float64)
    if isinstance(got, float):
        return np.asarray(got, dtype=np.float64), np.dtype(np.float64)
    if isinstance(got, (np.ndarray, np.generic)) and np.ndim(got) == 0:
        got = np.asarray(got)
        if got.dtype.kind in "iuf":
            return got.astype(np.float64), got.dtype
    return None


# ---------------------------------------------------------------- compare_arrays, by rules


@dataclass
class Comparison:
    """One comparison in progress: what the rules of :func:`compare_arrays` read and refine."""

    got: Any
    want: Any
    rtol: float
    atol: float
    mistakes: Sequence[Mistake]
    case: Any
    rtol32: float
    atol32: float | None
    mistake_atol: float | None
    nonfinite_hint: str
    one_number_hint: str | None
    number_dtype: Any = None  # the dtype a single-number answer came in, when it is one
    reference_dtype: Any = None  # the reference answer's own dtype, before any conversion

    def diagnosis(self, default: str | None) -> tuple[str | None, Mistake | None]:
        """The hint of the first known mistake that matches (and that mistake), or ``default``."""
        found = matching_mistake(
            self.got,
            self.mistakes,
            self.case,
            rtol=max(1e-6, self.rtol),
            atol=self.atol / 1000 if self.mistake_atol is None else self.mistake_atol,
            want=np.asarray(self.want),
        )
        return (found.hint, found) if found is not None else (default, None)

    def fail(self, problem: str, hint: str, kind: Kind, **extra) -> Outcome:
        return Outcome(False, problem, self.got, self.want, hint, kind=kind, **extra)


def _rule_none(c: Comparison) -> Outcome | None:
    if c.got is None:
        return Outcome(
            False,
            "returned None",
            None,
            c.want,
            "did you forget the `return` statement?",
            kind=Kind.NONE,
        )
    return None


def _rule_sequence(c: Comparison) -> Outcome | None:
    if not isinstance(c.got, (list, tuple)):
        return None
    if isinstance(c.got, tuple):
        hint = (
            "return one value, not a tuple: `return a, b` returns the pair (a, b); return only "
            "what the exercise asks for"
        )
    elif np.ndim(c.want) == 0:
        hint = "return one number (a float), not a list"
    else:
        hint = "return a NumPy array (np.asarray(...)), not a Python list"
    return c.fail(f"returned a Python {type_name(c.got)}", hint, Kind.TYPE)


def _rule_one_number(c: Comparison) -> Outcome | None:
    """One number due: any real scalar is fine; an array of floats may get the lesson's hint.

    One array due: a single number is a wrong shape.
    """
    c.want = np.asarray(c.want)
    c.reference_dtype = c.want.dtype
    if c.want.ndim == 0 and c.want.dtype.kind == "f":
        single = _one_number(c.got, c.want)
        if isinstance(single, Outcome):
            return single
        if single is not None:
            c.got, c.number_dtype = single
        elif c.one_number_hint and isinstance(c.got, np.ndarray) and c.got.dtype.kind == "f":
            return c.fail(
                f"returned an array of shape {c.got.shape}", c.one_number_hint, Kind.SHAPE
            )
    elif isinstance(c.got, (bool, int, float, np.generic)) and c.want.ndim > 0:
        return c.fail(
            "returned a single number",
            f"expected an array of shape {c.want.shape}: compute one value per entry, "
            "without reducing the whole array",
            Kind.SHAPE,
        )
    return None


def _rule_array(c: Comparison) -> Outcome | None:
    """An array of the right kind of numbers (floats for a float answer)."""
    wanted = "return one number (a float)" if c.want.ndim == 0 else "return a NumPy array"
    if isinstance(c.got, np.matrix):
        return c.fail(
            "returned an np.matrix",
            "np.matrix keeps every result 2-D: use plain arrays (np.asarray(...)) and @",
            Kind.TYPE,
        )
    if not isinstance(c.got, (np.ndarray, np.generic)):
        return c.fail(f"returned a {type_name(c.got)}", wanted, Kind.TYPE)
    try:
        got = np.asarray(c.got)
        numeric = "f" if c.want.dtype.kind == "f" else "biu"
        kind_ok = got.dtype.kind in numeric
    except Exception:
        return Outcome(
            False,
            f"returned a {type_name(c.got)}",
            None,
            c.want,
            wanted,
            kind=Kind.TYPE,
        )
    c.got = got
    if not kind_ok:
        kind = "floating-point values" if numeric == "f" else "integers or booleans"
        return c.fail(f"returned an array of dtype {got.dtype}", f"return {kind}", Kind.DTYPE)
    return None


def _rule_shape(c: Comparison) -> Outcome | None:
    if c.got.shape != c.want.shape:
        return c.fail(
            f"returned shape {c.got.shape}, expected {c.want.shape}",
            _shape_hint(c.got.shape, c.want.shape),
            Kind.SHAPE,
        )
    return None


def _step_tolerances(c: Comparison) -> None:
    """float32 answers get float32 tolerances; a single number is judged at float64 from here."""
    if c.want.dtype == np.float32:
        c.rtol = max(c.rtol, c.rtol32)
        c.atol = max(c.atol, c.atol32) if c.atol32 is not None else c.atol
    if c.number_dtype is not None:
        c.want = c.want.astype(np.float64)  # judged at the reference's precision, set just above


def _rule_nonfinite(c: Comparison) -> Outcome | None:
    if c.want.dtype.kind != "f":  # nan / inf only make sense for floats
        return None
    got, want = c.got, c.want
    nonfinite = ~np.isfinite(got) & np.isfinite(want)
    if nonfinite.any():
        hint, mistake = c.diagnosis(c.nonfinite_hint)
        problem = f"returned {_nonfinite_word(got[nonfinite])} where the answer is finite"
        return c.fail(problem, hint, Kind.NONFINITE, mistake=mistake)
    infinite = ~np.isfinite(want)
    if not np.array_equal(np.isfinite(got), np.isfinite(want)) or not np.array_equal(
        np.signbit(got[infinite]), np.signbit(want[infinite])
    ):
        hint, mistake = c.diagnosis("check the limits of your formula")
        return c.fail("has the wrong infinities", hint, Kind.INFINITIES, mistake=mistake)
    return None


def _rule_float_dtype(c: Comparison) -> Outcome | None:
    if c.want.dtype.kind == "f" and c.got.dtype != c.want.dtype:  # float32 in, float32 out
        return c.fail(
            f"returned dtype {c.got.dtype}, expected {c.want.dtype}", DTYPE_HINT, Kind.DTYPE
        )
    return None


def _rule_right_values(c: Comparison) -> Outcome | None:
    if _same_values(c.got, c.want, c.rtol, c.atol):
        return Outcome(True, err=judged_error(c.got, c.want, c.rtol, c.atol) if c.got.size else 0.0)
    return None


def _rule_known_mistake(c: Comparison) -> Outcome | None:
    hint, mistake = c.diagnosis(None)
    if mistake is not None:
        return c.fail("returned the wrong values", hint, Kind.WRONG_VALUES, mistake=mistake)
    return None


def _rule_precision(c: Comparison) -> Outcome | None:
    """A float32 number for a float64 answer: wrong whatever its values.

    Rounding to float32 costs at most 6e-8 relative, under a tolerance of 1e-7, so
    the values alone could pass it; the dtype says the precision was thrown away.
    """
    if not (c.number_dtype == np.float32 and c.reference_dtype == np.float64):
        return None
    return float32_number(c.got, c.want, c.rtol, c.atol)


def float32_number(got, want, rtol, atol) -> Outcome:
    """The report for a float32 number where a float64 one is due."""
    err = judged_error(np.float64(got), np.float64(want), rtol, atol)
    return Outcome(
        False,
        f"returned a float32 number (largest relative error {err:.1e})",
        got,
        want,
        "the input is float64, so the answer needs float64 precision: "
        "keep the input's dtype instead of converting to float32",
        kind=Kind.PRECISION,
        err=err,
    )


def _rule_wrong_values(c: Comparison) -> Outcome:
    if c.want.dtype.kind != "f":
        return c.fail("returned the wrong values", GENERIC_HINT, Kind.WRONG_VALUES, generic=True)
    errors = judged_errors(c.got, c.want, c.rtol, c.atol)
    err = float(np.max(errors, initial=0.0))
    problem = f"returned the wrong values (largest relative error {err:.1e})"
    if c.want.size > 1:  # the report may elide that entry: name it
        at = np.unravel_index(int(np.argmax(errors)), errors.shape)
        where = ", ".join(str(int(i)) for i in at)
        value, expected = f"{c.got[at]:.8g}", f"{c.want[at]:.8g}"
        problem = (
            f"returned the wrong values (largest relative error {err:.1e}, at [{where}]: "
            f"{value} instead of {expected})"
        )
    return c.fail(
        problem,
        GENERIC_HINT,
        Kind.WRONG_VALUES,
        err=err,
        generic=True,
    )


#: The rules of :func:`compare_arrays`, in order; the first that returns an Outcome
#: decides. ``_step_tolerances`` decides nothing: it sets the tolerances for the rest.
RULES = (
    _rule_none,
    _rule_sequence,
    _rule_one_number,
    _rule_array,
    _rule_shape,
    _step_tolerances,
    _rule_nonfinite,
    _rule_float_dtype,
    _rule_precision,
    _rule_right_values,
    _rule_known_mistake,
    _rule_wrong_values,
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

    The rules run in the order of :data:`RULES`; the Outcome's ``kind`` names the
    one that decided.
    """
    c = Comparison(
        got,
        want,
        rtol,
        atol,
        mistakes,
        case,
        rtol32,
        atol32,
        mistake_atol,
        nonfinite_hint,
        one_number_hint,
    )
    for rule in RULES:
        outcome = rule(c)
        if outcome is not None:
            return outcome
    raise AssertionError("the last rule always decides")  # pragma: no cover


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
    if want == () and all(n == 1 for n in got):
        return (
            f"one number, shape (), is due here, and your result has shape {got}: an axis of "
            "length 1 was added (a reshape, keepdims=True or [None]) and not removed; "
            "index it out, or do not add it"
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


# ---------------------------------------------------------------- the comparer factory

_OPTIONS = frozenset(("rtol32", "atol32", "mistake_atol", "nonfinite_hint", "one_number_hint"))
#: The one-number policies of :func:`comparer`.
ONE_NUMBER_POLICIES = ("dtype", "float64")


def comparer(*, one_number: str = "dtype", **options) -> Callable[..., Outcome]:
    """A ``compare(got, want, *, rtol, atol, mistakes, case)`` for :func:`run_check`.

    ``options`` are :func:`compare_arrays`'s own (``rtol32``, ``atol32``,
    ``mistake_atol``, ``nonfinite_hint``, ``one_number_hint``). ``one_number`` is the
    policy for an answer that is one number:

    - ``"dtype"`` (the default, :func:`compare_arrays`'s): any real scalar or 0-d array,
      judged at the reference's precision (float32 tolerances for a float32 answer);
    - ``"float64"``: any real scalar or array of one element, judged in float64, with
      ``rtol`` raised to ``rtol32`` when an input array of the case is float32 (a float32
      number is wrong when none is); an array of several numbers gets ``one_number_hint``.
    """
    unknown = sorted(set(options) - _OPTIONS)
    if unknown:
        raise TypeError(f"comparer() got unknown option(s) {unknown}; known: {sorted(_OPTIONS)}")
    if one_number not in ONE_NUMBER_POLICIES:
        raise ValueError(f"one_number must be one of {ONE_NUMBER_POLICIES}, got {one_number!r}")

    if one_number == "float64":
        rtol32 = options.get("rtol32", 1e-4)
        one_number_hint = options.get("one_number_hint") or "return one number (a float)"
        rest = {k: v for k, v in options.items() if k not in ("rtol32", "one_number_hint")}

        def compare(got, want, *, rtol, atol, mistakes=(), case=None) -> Outcome:
            if isinstance(got, np.ndarray) and got.ndim > 0 and got.size > 1:
                problem = f"returned an array of shape {got.shape}"
                return Outcome(False, problem, got, want, one_number_hint, kind=Kind.SHAPE)
            args = case.args if case is not None else ()
            low = any(isinstance(a, np.ndarray) and a.dtype == np.float32 for a in args)
            if not low and isinstance(got, (np.float32, np.ndarray)) and got.dtype == np.float32:
                return float32_number(got, want, rtol, atol)  # float64 inputs, float64 answer
            if isinstance(got, (int, float, np.integer, np.floating)) and not isinstance(got, bool):
                got = np.float64(got)
            elif isinstance(got, np.ndarray) and got.dtype.kind in "iuf":
                got = np.float64(got.reshape(()) if got.size == 1 else got)
            return compare_arrays(
                got,
                np.float64(want),
                rtol=max(rtol, rtol32) if low else rtol,
                atol=atol,
                mistakes=mistakes,
                case=case,
                **rest,
            )

    else:

        def compare(got, want, *, rtol, atol, mistakes=(), case=None) -> Outcome:
            return compare_arrays(
                got, want, rtol=rtol, atol=atol, mistakes=mistakes, case=case, **options
            )

    compare.options = {"one_number": one_number, **options}
    return compare
