"""Checks for the exercises of lesson 01, The sigmoid and its derivative.

Every check compares with the reference in :mod:`helpers` at a relative
tolerance, with an absolute tolerance of a few subnormal steps only: a tiny
probability such as ``sigmoid(-720) = 2.0e-313`` or a tiny derivative such as
``sigmoid_grad(40) = 4.2e-18`` must come back with its digits, not as 0.
float32 inputs are compared at float32 precision.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..gradcheck import central_difference as _central_difference
from ..gradcheck import relative_error as _relative_error
from ..sigmoid import logit as _logit
from ..sigmoid import sigmoid as _sigmoid
from ..sigmoid import sigmoid_backward as _sigmoid_backward
from ..sigmoid import sigmoid_grad as _sigmoid_grad
from ..sigmoid import softplus as _softplus
from ._core import (
    Case,
    Kind,
    Mistake,
    Outcome,
    comparer,
    float32_number,
    raised_problem,
    run_check,
)

__all__ = [
    "check_sigmoid",
    "check_sigmoid_grad",
    "check_logit",
    "check_sigmoid_backward",
    "check_central_difference",
    "check_derivative_error",
]

# Hints, named so that the tests can look for them.

_F64 = np.float64
_F32_ATOL_TINY = 1e-44  # about 7 steps of the smallest float32 subnormal, 1.4e-45
_F64_ATOL_TINY = 1e-320  # about 2000 steps of the smallest float64 subnormal, 4.9e-324


@dataclass(frozen=True)
class _Fn:
    """A function argument that prints as its formula in a check report."""

    text: str
    fn: Any

    def __call__(self, x):
        return self.fn(x)

    def __repr__(self):
        return self.text


def _comparer(rtol32: float, atol32: float):
    """compare_arrays with float32 tolerances and a mistake match that is relative only.

    Tiny wrong answers (0 for 4.2e-18) must not all look alike, so the absolute floor of
    the mistake match is a few subnormal steps.
    """
    return comparer(rtol32=rtol32, atol32=atol32, mistake_atol=1e-300)


def _clipped(got, want, x, x_centre: float, y_centre: float) -> bool:
    """Do the wrong entries look like a clip: right in the middle, too moderate in the tails?

    At every wrong entry the answer lies strictly between the right answer and
    ``y_centre`` (the value at ``x_centre``: 1/2 at x = 0 for the sigmoid, 0 at p = 1/2
    for the logit), and on each side of ``x_centre`` the wrong inputs lie farther out
    than the right ones; with no right entry on a side, two wrong entries there must
    share one value (the plateau a clip leaves).
    """
    try:
        got, want, x = (np.asarray(v, dtype=np.float64) for v in (got, want, x))
    except (TypeError, ValueError):
        return False
    if not got.shape == want.shape == x.shape:
        return False
    with np.errstate(all="ignore"):
        wrong = ~np.isclose(got, want, rtol=1e-6, atol=0.0)
        if not wrong.any() or not np.isfinite(got[wrong]).all():
            return False
        g, w = got[wrong], want[wrong]
        moderate = np.where(w < y_centre, (g > w) & (g < y_centre), (g < w) & (g > y_centre))
        if not moderate.all():
            return False
        distance = np.abs(x - x_centre)
        for side in (x < x_centre, x >= x_centre):
            bad, good = side & wrong, side & ~wrong
            if not bad.any():
                continue
            if good.any():
                if distance[good].max() >= distance[bad].min():
                    return False
            elif np.unique(got[bad]).size == bad.sum():
                return False
    return True


def _compare_with_clip(
    clip_hint: str, centres: tuple, rtol32: float, atol32: float, nonfinite_hint=None
):
    """compare_arrays; finite wrong values that look clipped get the clip hint.

    The clip test goes before the known mistakes: in the far tail a clipped value
    (sigma(-709) = 1.2e-308 for x = -1000) is within the mistake match's absolute floor
    of the naive formula's 0, yet a clip is what the learner wrote.
    """
    options = {} if nonfinite_hint is None else {"nonfinite_hint": nonfinite_hint}
    compare = comparer(rtol32=rtol32, atol32=atol32, mistake_atol=1e-300, **options)

    def compare_clip(got, want, *, rtol, atol, mistakes, case) -> Outcome:
        outcome = compare(got, want, rtol=rtol, atol=atol, mistakes=mistakes, case=case)
        wrong_values = outcome.kind in (Kind.WRONG_VALUES, Kind.INFINITIES)
        if not outcome.ok and wrong_values and _clipped(got, want, case.args[0], *centres):
            outcome = Outcome(
                False, outcome.problem, got, want, clip_hint, outcome.err, kind=outcome.kind
            )
        return outcome

    return compare_clip


# ----------------------------------------------------------------- Exercise 1.1


def _naive_sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _one_minus_sigmoid(x):
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), 1 - 1 / (1 + e))


HINT_SIGMOID_OVERFLOW = (
    "exp(-x) overflowed for a very negative x (exp(1000) is inf): 1 / (1 + exp(-x)) is only "
    "safe for x >= 0. np.where(x >= 0, A, B) does not help, because NumPy computes BOTH A and B "
    "for every x. Only ever exponentiate -|x|: e = np.exp(-np.abs(x)), then 1/(1+e) or e/(1+e)"
)
HINT_NAIVE = (
    "that is the naive 1 / (1 + exp(-x)) with its overflow warnings silenced, which is also what "
    "scipy.special.expit returns: below x = -709.78 exp(-x) overflows and the subnormal answer "
    "becomes 0. For SciPy that is an implementation choice, not a bug; this exercise asks for more "
    "(keep the subnormal results, sigmoid(-720) = 2.0e-313). Use e = exp(-|x|) and e / (1 + e) "
    "for x < 0"
)
HINT_TANH = (
    "(1 + tanh(x/2)) / 2 never overflows, but 1 + tanh(x/2) cancels to 0 for very negative x: "
    "sigmoid(-50) comes out as 0 instead of 1.9e-22. Use e = exp(-|x|) and e / (1 + e) for x < 0"
)
HINT_SIGN_SIGMOID = "that is sigma(-x) = 1 - sigma(x): the exponent in 1 / (1 + e^(-x)) is -x"
HINT_ZERO_IN_NO_MASK = (
    "your value at x = 0 is 0, not 1/2: x == 0 is in neither of your masks (x > 0 and x < 0), "
    "so that entry is never computed. Let one mask include it: x >= 0 and x < 0"
)
HINT_ABS_ONLY = (
    "for x < 0 your values are 1 / (1 + e) = sigma(|x|), >= 1/2. Either the x < 0 branch is "
    "missing (there the answer is e / (1 + e) with e = exp(-|x|)), or its values were written "
    "into a copy and lost: out[x < 0][...] = v or out[mask][i] = v changes a copy (boolean "
    "indexing copies); write out[x < 0] = v, or use np.where"
)
HINT_ONE_MINUS = (
    "1 - 1/(1 + e) for x < 0 is right on paper, but for very negative x 1/(1 + e) is within "
    "1e-16 of 1 and the subtraction cancels: sigmoid(-50) comes out as 0 instead of 1.9e-22. "
    "Use e / (1 + e) for x < 0, which subtracts nothing"
)
HINT_IN_PLACE = (
    "your function changed the array it was given (an out= argument, x[...] = ..., x *= ...): "
    "compute a new array instead, e.g. e = np.exp(-np.abs(x)), and leave x as it was"
)
HINT_IN_PLACE_BACKWARD = (
    "your function changed g or a, the arrays it was given (g *= ..., an out= argument): "
    "return a new array, g * a * (1 - a), and leave both arguments as they were"
)
HINT_CLIP_SIGMOID = (
    "your values are right in the middle but too close to 1/2 in the tails, constant beyond "
    "some x: that is what np.clip does, on x (np.clip(x, -500, 500)) or on the result. A clip "
    "hides the overflow by changing the answer (sigmoid(-720) is 2.0e-313, not sigma(-500) = "
    "7.1e-218). Do not clip: use e = exp(-|x|), which cannot overflow"
)


def _run_check(*args, **options):
    """``run_check`` with what every lesson 01 check shares: the in-place mutation hint."""
    options.setdefault("mutation_hint", HINT_IN_PLACE)
    return run_check(*args, **options)


def check_sigmoid(sigmoid, quiet=False) -> bool:
    """Check Exercise 1.1: a stable ``sigmoid(x)``, elementwise, for any shape."""
    rng = np.random.default_rng(101)
    cases = [
        Case("the known values sigmoid([1, 2, 3])", (np.array([1.0, 2.0, 3.0]),)),
        Case("ordinary inputs from -6 to 6", (np.linspace(-6.0, 6.0, 13),)),
        Case("a single number (0-d array)", (np.array(0.0),)),
        Case("a 2-D batch of logits", (rng.normal(0.0, 4.0, (3, 4)),)),
        Case(
            "large logits, x = -1000 and 1000",
            (np.array([-1000.0, -50.0, -35.0, -32.0, -30.0, 50.0, 1000.0]),),
        ),
        Case("infinite logits", (np.array([-np.inf, 0.0, np.inf]),)),
        Case(
            "the far left tail, down to subnormal results",
            (np.array([-40.0, -100.0, -709.0, -720.0, -745.0]),),
        ),
        Case("float32 input stays float32", (np.array([-80, -5, 0, 5, 80], dtype=np.float32),)),
        Case(
            "float32 left tail (exp(-x) overflows float32 for x < -88.7)",
            (np.array([-89.0, -100.0], dtype=np.float32),),
        ),
        Case(
            "a transposed (non-contiguous) 2-D array",
            ((np.arange(-6.0, 6.0).reshape(3, 4) * 3).T,),
        ),
    ]
    mistakes = [
        Mistake(HINT_NAIVE, _naive_sigmoid),
        Mistake(HINT_TANH, lambda x: (1 + np.tanh(x / 2)) / 2),
        Mistake(HINT_ONE_MINUS, _one_minus_sigmoid),
        Mistake(HINT_SIGN_SIGMOID, lambda x: _sigmoid(-x)),
        Mistake(HINT_ABS_ONLY, lambda x: _sigmoid(np.abs(x))),
        Mistake(HINT_ZERO_IN_NO_MASK, lambda x: np.where(x == 0, 0.0, _sigmoid(x)).astype(x.dtype)),
    ]
    return _run_check(
        "Exercise 1.1 sigmoid",
        sigmoid,
        _sigmoid,
        cases,
        arg_names=["x"],
        mistakes=mistakes,
        rtol=1e-10,
        atol=_F64_ATOL_TINY,
        compare=_compare_with_clip(HINT_CLIP_SIGMOID, (0.0, 0.5), 1e-5, _F32_ATOL_TINY),
        warning_hint=HINT_SIGMOID_OVERFLOW,
        quiet=quiet,
    )


# ----------------------------------------------------------------- Exercise 1.2


def _s_one_minus_s(x):
    s = _sigmoid(x)
    return s * (1 - s)


HINT_GRAD_SQUARED = (
    "that is sigma(x)**2: the second factor of sigma'(x) = sigma(x) (1 - sigma(x)) is "
    "1 - sigma(x) = sigma(-x), not sigma(x) again"
)
HINT_GRAD_COSH = (
    "the tiny derivatives of the far tail (sigma'(-720) = 2.0e-313) come out as 0: a step "
    "overflowed or rounded to 0 on the way. 0.25 / cosh(x/2)**2 (or 1 / (e^x + 2 + e^-x)) "
    "overflows for |x| > 711, with a warning; scipy's expit(x) is exactly 0 below "
    "x = -709.78, so expit(x) * expit(-x) is 0 there too. Use e = exp(-|x|) and "
    "e / (1 + e)**2, which keeps them"
)
HINT_GRAD_WARNING = (
    "an intermediate step overflowed (NumPy warned): exp(-x) for a very negative x, "
    "cosh(x/2)**2 for |x| > 711, or one branch of np.where (NumPy computes BOTH branches for "
    "every x). Only ever exponentiate -|x|: e = np.exp(-np.abs(x)), then e / (1 + e)**2"
)
HINT_GRAD_IS_SIGMOID = (
    "that is sigma(x) itself, not its derivative: sigma'(x) = sigma(x) (1 - sigma(x))"
)
HINT_GRAD_ON_INPUT = (
    "that is x (1 - x): the shortcut a (1 - a) needs the sigmoid's OUTPUT a = sigma(x), "
    "not the input x"
)
#: Also what 0.25 * (1 - tanh(x/2)**2) gets: it gives the same 0s, so one hint names both.
HINT_CANCEL = (
    "s * (1 - s) and 0.25 * (1 - tanh(x/2)**2) are right on paper, but beyond x = 37 or so "
    "the rounded sigmoid(x) and tanh(x/2) are 1.0, so 1 - s (or 1 - tanh^2) cancels to 0 "
    "although sigma'(40) = 4.2e-18. Use 1 - sigma(x) = sigma(-x), i.e. "
    "sigmoid(x) * sigmoid(-x), or e / (1 + e)**2 with e = exp(-|x|)"
)
HINT_GRAD_PLUS = (
    "the factor is 1 - sigma(x), not 1 + sigma(x): sigma'(x) = sigma(x) (1 - sigma(x)), "
    "which is at most 1/4 (at x = 0)"
)
HINT_GRAD_NO_NUMERATOR = (
    "the numerator is missing: sigma'(x) = e / (1 + e)^2 with e = exp(-|x|); "
    "1 / (1 + e)^2 alone is sigma(|x|)^2"
)
HINT_GRAD_SIGN = (
    "the sign is flipped: d/dx e^(-x) = -e^(-x), and that minus cancels the minus from "
    "d/du u^(-1) = -u^(-2); the sigmoid increases, so its derivative is positive"
)
HINT_GRAD_NOT_SQUARED = (
    "that is e / (1 + e), which is sigma(-x) for e = e^(-x): the denominator of the "
    "derivative is squared, e / (1 + e)^2"
)


def check_sigmoid_grad(sigmoid_grad, quiet=False) -> bool:
    """Check Exercise 1.2: ``sigmoid_grad(x)``, the derivative at the INPUT x."""
    rng = np.random.default_rng(102)
    cases = [
        Case("ordinary inputs from -4 to 4", (np.linspace(-4.0, 4.0, 9),)),
        Case("a single number (0-d array)", (np.array(0.0),)),
        Case("a 2-D batch", (rng.normal(0.0, 3.0, (2, 5)),)),
        Case("x = 40, 50, 100, where sigma'(x) is about e^(-x)", (np.array([40.0, 50.0, 100.0]),)),
        # the tail before +-1000: a form that overflows there (cosh(x/2)**2) is then named by
        # its wrong value, not only by its warning
        Case("the far left tail, down to a subnormal result", (np.array([-40.0, -100.0, -720.0]),)),
        Case("large inputs, x = -1000 and 1000", (np.array([-1000.0, -50.0, 50.0, 1000.0]),)),
        Case("moderately large inputs", (np.array([10.0, 20.0, 30.0, 36.0]),)),
        Case("float32 input stays float32", (np.array([-20, -3, 0, 3, 20], dtype=np.float32),)),
        Case("a transposed (non-contiguous) 2-D array", ((np.arange(-6.0, 6.0).reshape(3, 4)).T,)),
    ]
    mistakes = [
        # first: in the subnormal tail sigma(x) and sigma'(x) agree to within the match's
        # absolute floor, and only the cosh form gives 0 there
        Mistake(HINT_GRAD_COSH, lambda x: 0.25 / np.cosh(x / 2) ** 2),
        Mistake(HINT_GRAD_IS_SIGMOID, _sigmoid),
        Mistake(HINT_GRAD_SQUARED, lambda x: _sigmoid(x) ** 2),
        Mistake(HINT_GRAD_ON_INPUT, lambda x: x * (1 - x)),
        Mistake(HINT_CANCEL, _s_one_minus_s),
        Mistake(HINT_GRAD_SIGN, lambda x: -_sigmoid_grad(x)),
        Mistake(HINT_GRAD_NOT_SQUARED, lambda x: _sigmoid(-x)),
        Mistake(HINT_GRAD_NOT_SQUARED, lambda x: _sigmoid(-np.abs(x))),  # e / (1 + e), e = e^-|x|
        Mistake(HINT_GRAD_PLUS, lambda x: _sigmoid(x) * (1 + _sigmoid(x))),
        Mistake(HINT_GRAD_NO_NUMERATOR, lambda x: _sigmoid(np.abs(x)) ** 2),
    ]
    return _run_check(
        "Exercise 1.2 sigmoid_grad",
        sigmoid_grad,
        _sigmoid_grad,
        cases,
        arg_names=["x"],
        mistakes=mistakes,
        rtol=1e-10,
        atol=_F64_ATOL_TINY,
        compare=_comparer(1e-5, _F32_ATOL_TINY),
        warning_hint=HINT_GRAD_WARNING,
        earlier={"sigmoid": ("Exercise 1.1", check_sigmoid)},
        quiet=quiet,
    )


# ----------------------------------------------------------------- Exercise 1.3


HINT_LOGIT_TAIL_LOST = (
    "the answer is finite here: a form that first computes 2p - 1 (or 1 - p) before the log, "
    "such as log1p((2p - 1) / (1 - p)) or 2 artanh(2p - 1), loses a tiny p entirely (1e-300 "
    "- 1 is -1 in floats), so the log sees 0 and returns -inf instead of log(1e-300) = "
    "-690.8. That form is for p >= 1/4; use log(p) - log1p(-p) for p < 1/4, where p enters "
    "the log directly"
)
HINT_CLIP_LOGIT = (
    "your log-odds are right in the middle but too small in size near p = 0 or p = 1, as if p "
    "had been clipped (np.clip(p, eps, 1 - eps)): logit(1e-300) is -690.8, and logit(0) is "
    "-inf. Do not clip: compute inside `with np.errstate(divide='ignore'):` instead"
)


_compare_logit_clip = _compare_with_clip(
    HINT_CLIP_LOGIT, (0.5, 0.0), 1e-5, 1e-6, nonfinite_hint=HINT_LOGIT_TAIL_LOST
)


HINT_LOGIT_CANCEL = (
    "log(p) - log(1 - p) (or log(p / (1 - p))) is right on paper, but for p just below 1/2 "
    "the subtraction 1 - p itself rounds (p has twice as many floats there as 1 - p has), by "
    "up to 5.6e-17: on every machine the log passes that on, a large error next to a logit of "
    "about 4 (p - 1/2). Give the log p itself: np.log(p) - np.log1p(-p), or for p >= 1/4 "
    "np.log1p((2 * p - 1) / (1 - p)) (2p - 1 is exact there)"
)

HINT_LOGIT_RECIPROCAL = (
    "-log(1/p - 1) is right on paper, but for p near 1/2 the division 1/p rounds (by up to "
    "2.2e-16 near 2) and 1/p - 1 passes that on: on every machine the log turns it into a large "
    "error next to a logit of about 4 (p - 1/2). Give the log p itself: "
    "np.log(p) - np.log1p(-p), or for p >= 1/4 np.log1p((2 * p - 1) / (1 - p)) "
    "(2p - 1 is exact there)"
)
#: For a form that no listed mistake matches, wrong only near p = 1/2 and only by rounding.
HINT_LOGIT_NEAR_HALF = (
    "your formula looks right on paper, but for p near 1/2 a step before the log rounds (such "
    "as 1 - p, 1/p or p / (1 - p)), by about 1e-16, and on every machine the log passes that "
    "on: a large error next to a logit of about 4 (p - 1/2). Give the log p itself: "
    "np.log(p) - np.log1p(-p), or for p >= 1/4 np.log1p((2 * p - 1) / (1 - p)) "
    "(2p - 1 is exact there)"
)


HINT_LOGIT_NAN = (
    "nan for an ordinary p, where the log-odds are finite: a log of a negative number (or "
    "0/0) in your formula. The logit is log(p / (1 - p)), computed as np.log(p) - np.log1p(-p)"
)


def _nan_inside(got, p) -> bool:
    """nan in the answer at some p well inside (0, 1): not a limit, a wrong formula."""
    with np.errstate(all="ignore"):
        g, p = np.asarray(got, dtype=np.float64), np.asarray(p, dtype=np.float64)
        return g.shape == p.shape and bool(np.any(np.isnan(g) & (p > 0.01) & (p < 0.99)))


def _compare_logit(got, want, *, rtol, atol, mistakes, case) -> Outcome:
    """Also name the cancellation near p = 1/2 when no listed formula matches exactly."""
    outcome = _compare_logit_clip(got, want, rtol=rtol, atol=atol, mistakes=mistakes, case=case)
    if outcome.kind is Kind.NONFINITE and _nan_inside(got, case.args[0]):
        outcome.hint = HINT_LOGIT_NAN
        return outcome
    if outcome.ok or not outcome.generic:
        return outcome
    with np.errstate(all="ignore"):
        g, w = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
        p = np.asarray(case.args[0], dtype=np.float64)
        wrong = ~np.isclose(g, w, rtol=rtol, atol=atol)
        near_half = np.abs(p[wrong] - 0.5) < 0.25
        absolute_ok = np.abs(g[wrong] - w[wrong]) <= 1e-15
    if wrong.any() and near_half.all() and absolute_ok.all():
        return Outcome(
            False, outcome.problem, got, want, HINT_LOGIT_NEAR_HALF, outcome.err, kind=outcome.kind
        )
    return outcome


HINT_LOGIT_PLUS = "that is log(p / (1 + p)): the log-odds divide by 1 - p, not 1 + p"
HINT_LOGIT_FLIPPED = (
    "that is log((1 - p) / p) = -logit(p), the sign is flipped: logit(p) = log(p) - log(1 - p)"
)
HINT_LOGIT_NO_LOG = "that is the odds p / (1 - p); the logit is their logarithm"
HINT_LOGIT_LOG10 = "that uses log10: the logit uses the natural logarithm np.log"
HINT_LOGIT_SIGMOID = (
    "that is sigmoid(p): the logit is the INVERSE of the sigmoid. Solve p = 1 / (1 + e^(-z)) for z"
)
HINT_LOGIT_RATIO_OF_LOGS = (
    "log(p) / log(1 - p) is not log(p / (1 - p)): a log of a ratio is a difference of logs"
)
HINT_LOGIT_WARNING = (
    "the values are right, but NumPy warned (log(0) or a division by 0 at p = 0 or p = 1). "
    "There the log-odds are -inf and inf; compute inside `with np.errstate(divide='ignore'):` "
    "to return them without a warning"
)


def check_logit(logit, quiet=False) -> bool:
    """Check Exercise 1.3: ``logit(p) = log(p / (1 - p))``, with logit(0) = -inf, logit(1) = inf."""
    rng = np.random.default_rng(103)
    cases = [
        Case("ordinary probabilities", (np.array([0.1, 0.25, 0.5, 0.75, 0.9]),)),
        Case("a single probability (0-d array)", (np.array(0.8),)),
        Case("a 2-D batch of probabilities", (_sigmoid(rng.normal(0.0, 3.0, (3, 4))),)),
        Case(
            "probabilities very close to 0 and to 1",
            (np.array([1e-300, 1e-10, 1 - 1e-10, 0.999999]),),
        ),
        Case("float32 input stays float32", (np.array([0.1, 0.25, 0.9], dtype=np.float32),)),
        Case(
            "a transposed (non-contiguous) 2-D array",
            (np.linspace(0.05, 0.95, 12).reshape(3, 4).T,),
        ),
        Case("p = 0 and p = 1 (log-odds -inf and inf)", (np.array([0.0, 0.5, 1.0]),)),
        Case(
            "p within 1e-11 of 1/2 (1/2 - 2.0e-12, 1/2 - 5.0e-12, 1/2 - 8.3e-12, 1/2, "
            "1/2 + 9.1e-13), where 1 - p rounds",
            # p = 1/2 - k 2^-54 with k odd: 1 - p needs one more bit than a double has, so
            # log(1 - p) and log(p / (1 - p)) are off by about 1e-16 next to a logit of 8e-12
            # to 3e-11 (a relative error of 3e-6 or more, 30,000 times the tolerance, on every
            # CPU). log(p) - log1p(-p) is exact here at NumPy's AVX-512, AVX2 and SSE dispatch
            # (their log errs by one step only farther from 1/2): it is accepted.
            (
                np.array(
                    [0.5 - k * 2.0**-54 for k in (36001, 90001, 150001)] + [0.5, 0.5 + 2.0**-40]
                ),
            ),
        ),
    ]
    mistakes = [
        Mistake(HINT_LOGIT_PLUS, lambda p: np.log(p) - np.log(1 + p)),
        Mistake(HINT_LOGIT_FLIPPED, lambda p: np.log(1 - p) - np.log(p)),
        Mistake(HINT_LOGIT_NO_LOG, lambda p: p / (1 - p)),
        Mistake(HINT_LOGIT_LOG10, lambda p: np.log10(p / (1 - p))),
        Mistake(HINT_LOGIT_SIGMOID, _sigmoid),
        Mistake(HINT_LOGIT_RATIO_OF_LOGS, lambda p: np.log(p) / np.log(1 - p)),
        Mistake(HINT_LOGIT_CANCEL, lambda p: np.log(p) - np.log(1 - p)),
        Mistake(HINT_LOGIT_CANCEL, lambda p: np.log(p / (1 - p))),
        Mistake(HINT_LOGIT_RECIPROCAL, lambda p: -np.log(1 / p - 1)),
    ]
    return _run_check(
        "Exercise 1.3 logit",
        logit,
        _logit,
        cases,
        arg_names=["p"],
        mistakes=mistakes,
        rtol=1e-10,
        atol=1e-300,  # relative also near p = 1/2, where the logit is tiny
        compare=_compare_logit,
        warning_hint=HINT_LOGIT_WARNING,
        quiet=quiet,
    )


# ----------------------------------------------------------------- Exercise 1.4


HINT_BACKWARD_SIGMOID_AGAIN = (
    "a is already the OUTPUT sigma(z) of the forward pass: use a * (1 - a) directly. "
    "Applying the sigmoid to a again (sigmoid(a) or sigmoid_grad(a)) treats the output "
    "as if it were the input"
)
HINT_BACKWARD_NO_G = (
    "you forgot the upstream gradient: by the chain rule dL/dz = dL/da * da/dz = g * a * (1 - a)"
)
HINT_BACKWARD_BOTH = (
    "two mistakes: the upstream gradient g is missing, and a is the sigmoid's output "
    "already (use a * (1 - a), not sigmoid(a) * (1 - sigmoid(a)))"
)
HINT_BACKWARD_PLUS = "the factor is 1 - a, not 1 + a: dL/dz = g * a * (1 - a)"
HINT_BACKWARD_ADDED = (
    "the chain rule multiplies: dL/dz = g * da/dz = g * a * (1 - a), not g + a * (1 - a)"
)
HINT_BACKWARD_SWAPPED = (
    "g and a are swapped: a is the sigmoid's output and g the upstream gradient, "
    "dL/dz = g * a * (1 - a)"
)
HINT_BACKWARD_PRECEDENCE = (
    "g * a - a**2 is not g * a * (1 - a) = g * a - g * a**2: the g multiplies both terms "
    "(write the product with parentheses)"
)
HINT_BACKWARD_SIGN = "the sign is flipped: dL/dz = + g * a * (1 - a), since da/dz > 0"
HINT_BACKWARD_DROPPED = "a factor is missing: da/dz = a (1 - a), so dL/dz = g * a * (1 - a)"


def check_sigmoid_backward(sigmoid_backward, quiet=False) -> bool:
    """Check Exercise 1.4: ``sigmoid_backward(g, a) = g * a * (1 - a)`` from the saved output a."""
    rng = np.random.default_rng(104)
    a_batch = _sigmoid(rng.normal(0.0, 3.0, (3, 4)))
    cases = [
        Case(
            "an ordinary upstream gradient g and outputs a",
            (np.array([2.0, -1.0, 0.5, 3.0]), np.array([0.5, 0.9, 0.1, 0.25])),
        ),
        Case("a single node (0-d arrays)", (np.array(1.5), np.array(0.7))),
        Case("a 2-D batch", (rng.normal(0.0, 1.0, (3, 4)), a_batch)),
        Case(
            "saturated outputs a = 0 and a = 1",
            (np.array([1.0, 2.0, -3.0]), np.array([0.0, 1.0, 0.5])),
        ),
        Case(
            "float32 inputs stay float32",
            (
                np.array([1.0, -2.0, 0.5], dtype=np.float32),
                np.array([0.2, 0.5, 0.99], dtype=np.float32),
            ),
        ),
        Case(
            "transposed (non-contiguous) 2-D arrays",
            (rng.normal(0.0, 1.0, (4, 3)).T, a_batch.T.copy().T),
        ),
    ]
    mistakes = [
        Mistake(HINT_BACKWARD_SIGMOID_AGAIN, lambda g, a: g * _sigmoid_grad(a)),
        Mistake(HINT_BACKWARD_NO_G, lambda g, a: a * (1 - a)),
        Mistake(HINT_BACKWARD_BOTH, lambda g, a: _sigmoid_grad(a)),
        Mistake(HINT_BACKWARD_DROPPED, lambda g, a: g * a),
        Mistake(HINT_BACKWARD_DROPPED, lambda g, a: g * (1 - a)),
        Mistake(HINT_BACKWARD_SIGN, lambda g, a: -_sigmoid_backward(g, a)),
        Mistake(HINT_BACKWARD_PLUS, lambda g, a: g * a * (1 + a)),
        Mistake(HINT_BACKWARD_ADDED, lambda g, a: g + a * (1 - a)),
        Mistake(HINT_BACKWARD_SWAPPED, lambda g, a: a * g * (1 - g)),
        Mistake(HINT_BACKWARD_PRECEDENCE, lambda g, a: g * a - a**2),
    ]
    return _run_check(
        "Exercise 1.4 sigmoid_backward",
        sigmoid_backward,
        _sigmoid_backward,
        cases,
        arg_names=["g", "a"],
        mistakes=mistakes,
        rtol=1e-8,
        atol=1e-300,
        compare=_comparer(1e-5, 1e-38),
        mutation_hint=HINT_IN_PLACE_BACKWARD,
        quiet=quiet,
    )


# ----------------------------------------------------------------- Exercise 1.5

_CUBE = _Fn("lambda x: x**3", lambda x: x**3)
_SIGMOID = _Fn("helpers.sigmoid", _sigmoid)
_SIN = _Fn("np.sin", np.sin)
_EXP = _Fn("np.exp", np.exp)


HINT_FORWARD = (
    "that is a one-sided difference, (f(x + h) - f(x)) / h or (f(x) - f(x - h)) / h, whose "
    "error is O(h): use (f(x + h) - f(x - h)) / (2h)"
)
HINT_MISSING_2 = "the points x + h and x - h are 2h apart: divide by 2 * h, not by h"
HINT_PRECEDENCE = "operator precedence: a / 2 * h means (a / 2) * h. Write a / (2 * h)"
HINT_CD_SIGN = "the sign is flipped: the difference is f(x + h) - f(x - h)"
HINT_NO_DIVISION = "you forgot to divide the difference f(x + h) - f(x - h) by 2 * h"
HINT_OTHER_STEP = (
    "that is a central difference with another step: (f(x + h/2) - f(x - h/2)) / h uses h/2, "
    "(f(x + 2h) - f(x - 2h)) / (4h) uses 2h. Use the points x + h and x - h: "
    "(f(x + h) - f(x - h)) / (2 * h)"
)
HINT_IGNORED_H = "you ignored the argument h (used a fixed step): use the h you are given"
#: A fixed tiny step and a five-point stencil both give 3x^2 on x**3, where (f(x + h) -
#: f(x - h)) / (2h) gives 3x^2 + h^2: the values cannot tell them apart, so one hint names both.
HINT_NO_H_SQUARED = (
    "on x**3 the two-point difference is exactly 3x^2 + h^2, and yours gives 3x^2: either "
    "the step is fixed (use the h you are given) or the stencil is another, such as the "
    "five-point one (more accurate than asked). This exercise is (f(x + h) - f(x - h)) / (2h)"
)

HINT_RELATIVE_STEP = (
    "the step is h itself, the same for every x: f(x + h) and f(x - h), not a step h * x "
    "that shrinks to 0 at x = 0"
)
HINT_OUTPUT_SHIFTED = (
    "every value is 1: h was added to the output, (f(x) + h) - (f(x) - h) = 2h. Shift the "
    "input instead, f(x + h) - f(x - h)"
)

HINT_STEP_SHAPE = (
    "x may have any shape and h is one number: f(x + h) and f(x - h) shift every entry of x "
    "by h, so no step array is needed. A step built from len(x) or x.shape[0] fits only x's "
    "first axis, and a single number (a 0-d array) has no len"
)


def _five_point(f, x, h=1e-5):
    return (-f(x + 2 * h) + 8 * f(x + h) - 8 * f(x - h) + f(x - 2 * h)) / (12 * h)


def _on_raise_step_shape(exc, case) -> Outcome | None:
    """A step array sized by len(x): it breaks on a 2-D x (broadcasting) and on a 0-d x."""
    x = np.asarray(case.args[1])
    text = str(exc)
    sized_by_len = ("could not be broadcast" in text and x.ndim >= 2) or (
        x.ndim == 0 and ("unsized object" in text or "tuple index out of range" in text)
    )
    if sized_by_len:
        return Outcome(False, raised_problem(exc), None, None, HINT_STEP_SHAPE, kind=Kind.RAISED)
    return None


def check_central_difference(central_difference, quiet=False) -> bool:
    """Check Exercise 1.5: ``central_difference(f, x, h=1e-5)`` for an elementwise ``f``."""
    cases = [
        Case(
            "f(x) = x**3 with h = 0.1 (exactly 3x^2 + h^2)",
            (_CUBE, np.array([-1.0, 0.5, 2.0]), 0.1),
        ),
        Case("the sigmoid with the default h", (_SIGMOID, np.linspace(-5.0, 5.0, 11))),
        Case(
            "np.sin on a 2-D array, h = 1e-4",
            (_SIN, np.linspace(-3.0, 3.0, 12).reshape(3, 4), 1e-4),
        ),
        Case("a single point (0-d array)", (_EXP, np.array(1.0), 1e-3)),
        Case(
            "float32 input stays float32 (h = 1e-2)",
            (_SIN, np.array([0.0, 0.5, 1.0], dtype=np.float32), 1e-2),
        ),
        Case(
            "a transposed (non-contiguous) 2-D array",
            (_SIGMOID, np.linspace(-3.0, 3.0, 6).reshape(2, 3).T, 1e-4),
        ),
    ]

    def forward(f, x, h=1e-5):
        return (f(x + h) - f(x)) / h

    def backward(f, x, h=1e-5):
        return (f(x) - f(x - h)) / h

    mistakes = [
        Mistake(HINT_FORWARD, forward),
        Mistake(HINT_FORWARD, backward),
        Mistake(HINT_MISSING_2, lambda f, x, h=1e-5: (f(x + h) - f(x - h)) / h),
        Mistake(HINT_PRECEDENCE, lambda f, x, h=1e-5: (f(x + h) - f(x - h)) / 2 * h),
        Mistake(HINT_CD_SIGN, lambda f, x, h=1e-5: (f(x - h) - f(x + h)) / (2 * h)),
        Mistake(HINT_NO_DIVISION, lambda f, x, h=1e-5: f(x + h) - f(x - h)),
        Mistake(HINT_NO_H_SQUARED, lambda f, x, h=1e-5: _central_difference(f, x, 1e-5)),
        Mistake(HINT_NO_H_SQUARED, _five_point),
        Mistake(HINT_OTHER_STEP, lambda f, x, h=1e-5: (f(x + h / 2) - f(x - h / 2)) / h),
        Mistake(HINT_OTHER_STEP, lambda f, x, h=1e-5: (f(x + 2 * h) - f(x - 2 * h)) / (4 * h)),
        Mistake(
            HINT_RELATIVE_STEP,
            lambda f, x, h=1e-5: (f(x + h * x) - f(x - h * x)) / (2 * h * x),
        ),
        Mistake(HINT_OUTPUT_SHIFTED, lambda f, x, h=1e-5: np.ones_like(f(x))),
    ]
    return _run_check(
        "Exercise 1.5 central_difference",
        central_difference,
        _central_difference,
        cases,
        arg_names=["f", "x", "h"],
        mistakes=mistakes,
        rtol=1e-7,
        atol=1e-9,
        compare=_comparer(1e-3, 1e-4),
        on_raise=_on_raise_step_shape,
        quiet=quiet,
    )


# ----------------------------------------------------------------- Exercise 1.6


def _derivative_error(f, f_prime, x, h=1e-5):
    numeric = _central_difference(f, x, h)
    return _relative_error(numeric, f_prime(x))


def _compare_error(got, want, *, rtol, atol, mistakes, case) -> Outcome:
    """Compare one relative error (a float) with the reference."""
    want = float(want)
    expected = np.float64(want)
    if got is None:
        return Outcome(
            False, "returned None", None, expected, "did you forget the `return` statement?"
        )
    if isinstance(got, (list, tuple)):
        return Outcome(
            False,
            f"returned a Python {type(got).__name__}",
            got,
            expected,
            "return one number: helpers.relative_error(numeric, analytic)",
        )
    number = isinstance(got, (int, float, np.ndarray, np.generic)) and not isinstance(got, bool)
    arr = np.asarray(got) if number else None
    if arr is None or arr.dtype.kind not in "fiu":
        what = f"values of dtype {arr.dtype}" if number else f"a {type(got).__name__}"
        return Outcome(False, f"returned {what}", got, expected, "return one number (a float)")
    if arr.size != 1:
        return Outcome(
            False,
            f"returned an array of shape {arr.shape}, expected one number",
            got,
            expected,
            "reduce the two derivative arrays to ONE number: "
            "helpers.relative_error(numeric, analytic)",
        )
    x = np.asarray(case.args[2])
    if arr.dtype == np.float32 and x.dtype != np.float32:
        return float32_number(arr.reshape(()), np.float64(want), rtol, atol)
    value = float(arr.reshape(()))
    if value == 0.0 and want != 0.0:
        return Outcome(
            False,
            "returned exactly 0",
            got,
            expected,
            "a relative error of exactly 0 means you compared an array with itself: compare "
            "the numeric derivative central_difference(f, x, h) with the analytic f_prime(x)",
            kind=Kind.WRONG_VALUES,
        )
    if not np.isfinite(value):
        return Outcome(
            False,
            f"returned {value}",
            got,
            expected,
            "a relative error lies between 0 and 1: use helpers.relative_error(numeric, analytic)",
        )
    outcome = _compare_one_error(value, want, rtol=rtol, atol=atol, mistakes=mistakes, case=case)
    if outcome.ok:
        return outcome
    hint = (
        outcome.hint
        if outcome.mistake is not None
        else "numeric = central_difference(f, x, h) with the h you are given; "
        "analytic = f_prime(x); then return helpers.relative_error(numeric, analytic)"
    )
    return Outcome(False, "returned the wrong value", got, expected, hint, kind=outcome.kind)


#: The value of 1.6, one float64 number (the mistakes matched to 1e-9 absolute, the
#: check's atol): the shared one-number policy, after the exercise's own checks above.
_compare_one_error = comparer(one_number="float64", rtol32=0.0, mistake_atol=1e-9)


HINT_ERROR_ABSOLUTE = (
    "that is an absolute difference, not a relative error: use "
    "helpers.relative_error(numeric, analytic) = ||a - b|| / (||a|| + ||b||)"
)
HINT_ERROR_ONE_NORM = (
    "that divides by ||f'(x)|| only; the course's relative error divides by ||a|| + ||b||: "
    "use helpers.relative_error(numeric, analytic)"
)
HINT_ERROR_F_NOT_DERIVATIVE = (
    "you compared f(x) itself with f_prime(x): the numeric side is the central difference "
    "of f, central_difference(f, x, h), compared with the analytic f_prime(x)"
)
HINT_ERROR_SWAPPED = (
    "f and f_prime are swapped: differentiate f numerically, central_difference(f, x, h), "
    "and compare it with f_prime(x)"
)
HINT_ERROR_ONE_SIDED = (
    "that is the one-sided difference (f(x + h) - f(x)) / h, whose error is O(h): use the "
    "central difference from Exercise 1.5, central_difference(f, x, h)"
)


def check_derivative_error(derivative_error, quiet=False) -> bool:
    """Check Exercise 1.6: the relative error between ``f_prime(x)`` and central differences."""
    grid = np.linspace(-4.0, 4.0, 9)
    sigmoid_grad = _Fn("helpers.sigmoid_grad", _sigmoid_grad)
    cases = [
        Case("the sigmoid and its derivative, h = 1e-2", (_SIGMOID, sigmoid_grad, grid, 1e-2)),
        Case(
            "a WRONG derivative (f_prime = the sigmoid itself), h = 1e-3",
            (_SIGMOID, _Fn("helpers.sigmoid", _sigmoid), grid, 1e-3),
        ),
        Case(
            "f(x) = x**3 and f'(x) = 3x**2, h = 0.1",
            (
                _CUBE,
                _Fn("lambda x: 3 * x**2", lambda x: 3 * x**2),
                np.array([1.0, 2.0]),
                0.1,
            ),
        ),
        Case(
            "softplus, whose derivative is the sigmoid, on a 2-D array, h = 1e-3",
            (
                _Fn("helpers.softplus", _softplus),
                _Fn("helpers.sigmoid", _sigmoid),
                grid.reshape(3, 3),
                1e-3,
            ),
        ),
        Case(
            "the sigmoid with the default h (an error near rounding level)",
            (_SIGMOID, sigmoid_grad, grid),
        ),
    ]

    def norm_diff(f, f_prime, x, h=1e-5):
        return np.linalg.norm(_central_difference(f, x, h) - f_prime(x))

    def max_abs(f, f_prime, x, h=1e-5):
        return np.max(np.abs(_central_difference(f, x, h) - f_prime(x)))

    def one_norm(f, f_prime, x, h=1e-5):
        analytic = f_prime(x)
        diff = _central_difference(f, x, h) - analytic
        return np.linalg.norm(diff) / np.linalg.norm(analytic)

    def ignored_h(f, f_prime, x, h=1e-5):
        return _derivative_error(f, f_prime, x)

    def f_itself(f, f_prime, x, h=1e-5):
        return _relative_error(f(x), f_prime(x))

    def swapped(f, f_prime, x, h=1e-5):
        return _relative_error(_central_difference(f_prime, x, h), f(x))

    def one_sided(f, f_prime, x, h=1e-5):
        return _relative_error((f(x + h) - f(x)) / h, f_prime(x))

    mistakes = [
        Mistake(HINT_ERROR_F_NOT_DERIVATIVE, f_itself),
        Mistake(HINT_ERROR_SWAPPED, swapped),
        Mistake(HINT_ERROR_ONE_SIDED, one_sided),
        Mistake(HINT_ERROR_ABSOLUTE, norm_diff),
        Mistake(HINT_ERROR_ABSOLUTE, max_abs),
        Mistake(HINT_ERROR_ONE_NORM, one_norm),
        Mistake(HINT_IGNORED_H, ignored_h),
    ]
    return _run_check(
        "Exercise 1.6 derivative_error",
        derivative_error,
        _derivative_error,
        cases,
        arg_names=["f", "f_prime", "x", "h"],
        mistakes=mistakes,
        rtol=1e-6,
        atol=1e-9,
        compare=_compare_error,
        earlier={"central_difference": ("Exercise 1.5", check_central_difference)},
        quiet=quiet,
    )
