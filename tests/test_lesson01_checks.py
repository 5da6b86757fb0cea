"""The lesson-01 checks accept correct code and reject a catalogue of known mistakes.

Each wrong implementation is a small function a learner could plausibly write;
the check must return False, print the expected hint, and never raise.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.special

import helpers
from helpers.checks import lesson01 as L
from helpers.checks.lesson01 import (
    check_central_difference,
    check_derivative_error,
    check_logit,
    check_sigmoid,
    check_sigmoid_backward,
    check_sigmoid_grad,
)

NOT_DONE = "not done yet"
NONE = "forget the `return`"
LIST = "not a Python list"
SCALAR = "without reducing"
RAISED = "this input is valid"
MUTATED = "modified its input"
DTYPE = "float32 in, float32 out"
NAN = "exponentiate numbers <= 0"
WRONG = "returned the wrong values"


def _fortran_order_ok() -> bool:
    """helpers.sigmoid / sigmoid_grad return garbage for Fortran-ordered input (reported)."""
    x = np.arange(-3.0, 3.0).reshape(2, 3)
    return bool(
        np.array_equal(helpers.sigmoid(x.T), helpers.sigmoid(x).T)
        and np.array_equal(helpers.sigmoid_grad(x.T), helpers.sigmoid_grad(x).T)
    )


HELPERS_BUG = pytest.mark.xfail(
    not _fortran_order_ok(),
    reason="helpers._blockwise writes into a copy for Fortran-ordered input",
    strict=True,
)


def _stub(*args, **kwargs):
    raise NotImplementedError("Exercise 1.x")


def _raise_if(condition, fn, *args):
    """Right on most inputs, but raises on some valid input."""
    if condition:
        raise ValueError("cannot handle this input")
    return fn(*args)


def _accepts(check, fn, capsys):
    ok = check(fn)
    out = capsys.readouterr().out
    assert ok is True, out
    assert out.startswith("✅"), out


def _rejects(check, fn, hint, capsys):
    ok = check(fn)  # must not raise
    out = capsys.readouterr().out
    assert ok is False, out
    assert out.startswith(("❌", "⏳")), out
    assert hint in out, f"expected {hint!r} in:\n{out}"


# ----------------------------------------------------------------- 1.1 sigmoid


def sig_where(x):
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def sig_masks(x):
    out = np.empty_like(x)
    pos = x >= 0
    out[pos] = 1 / (1 + np.exp(-x[pos]))
    e = np.exp(x[~pos])
    out[~pos] = e / (1 + e)
    return out


def sig_numerator(x):
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1, e) / (1 + e)


def sig_naive(x):
    return 1 / (1 + np.exp(-x))


def sig_naive_silenced(x):
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-x))


def sig_where_naive(x):
    return np.where(x >= 0, 1 / (1 + np.exp(-x)), np.exp(x) / (1 + np.exp(x)))


def sig_scalar_branch(x):
    if x >= 0:  # ValueError on arrays of more than one element
        return 1 / (1 + np.exp(-x))
    return np.exp(x) / (1 + np.exp(x))


def sig_one_minus(x):
    """1 - 1/(1 + e) for x < 0: right on paper, cancels to 0 for very negative x."""
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), 1 - 1 / (1 + e))


def sig_lost_writes(x):
    """The x < 0 entries are written into a copy (boolean indexing copies): lost."""
    e = np.exp(-np.abs(x))
    out = 1 / (1 + e)
    negative = out[x < 0]
    negative[...] = (e / (1 + e))[x < 0]
    return out


def _sig_strict_masks(x, out):
    """Masks x > 0 and x < 0, written into ``out``: the x == 0 entries keep what it held."""
    pos, neg = x > 0, x < 0
    out[pos] = 1 / (1 + np.exp(-x[pos]))
    out[neg] = np.exp(x[neg]) / (1 + np.exp(x[neg]))
    return out


def sig_masks_miss_zero(x):
    """Over np.empty_like: the x == 0 entries are never written."""
    return _sig_strict_masks(x, np.empty_like(x))


def sig_empty_lost_writes(x):
    """np.empty_like, and the x < 0 entries written into a copy: they keep old memory."""
    e = np.exp(-np.abs(x))
    out = np.empty_like(x)
    out[x >= 0] = (1 / (1 + e))[x >= 0]
    out[x < 0][...] = (e / (1 + e))[x < 0]
    return out


def sig_masks_zero_uncovered(x):
    """Over np.zeros_like: sigma(0) comes out 0."""
    return _sig_strict_masks(x, np.zeros_like(x))


def sig_mutating(x):
    np.abs(x, out=x)  # "reuse the buffer"
    return sig_where(x)


def sig_mutating_after(x):
    result = sig_where(x)
    x[...] = 0
    return result


SIGMOID_GOOD = [sig_where, sig_masks, sig_numerator]

SIGMOID_WRONG = {
    "stub": (_stub, NOT_DONE),
    "returns None": (lambda x: None, NONE),
    "returns a list": (lambda x: sig_where(x).tolist(), LIST),
    "returns a scalar": (lambda x: float(np.mean(sig_where(x))), SCALAR),
    "naive formula (overflow warning at x = -1000)": (sig_naive, "NumPy computes BOTH"),
    "np.where over two naive branches": (sig_where_naive, "NumPy computes BOTH"),
    "naive with the warning silenced": (sig_naive_silenced, L.HINT_NAIVE),
    "tanh form": (lambda x: (1 + np.tanh(x / 2)) / 2, L.HINT_TANH),
    "1 - 1/(1 + e) for x < 0": (sig_one_minus, "1 - 1/(1 + e)"),
    "writes for x < 0 lost in a copy": (sig_lost_writes, "into a copy"),
    "x == 0 never written (np.empty_like)": (sig_masks_miss_zero, "never written"),
    "x == 0 in no mask (np.zeros_like)": (sig_masks_zero_uncovered, L.HINT_ZERO_IN_NO_MASK),
    "x < 0 written into a copy of np.empty_like": (sig_empty_lost_writes, "writes into a copy"),
    "tanh form, other spelling": (lambda x: 0.5 + 0.5 * np.tanh(0.5 * x), L.HINT_TANH),
    "sign of the exponent": (lambda x: sig_where(-x), L.HINT_SIGN_SIGMOID),
    "sigma(|x|)": (lambda x: 1 / (1 + np.exp(-np.abs(x))), L.HINT_ABS_ONLY),
    "clips x to +-500 first": (lambda x: sig_naive(np.clip(x, -500, 500)), L.HINT_CLIP_SIGMOID),
    "clips x to +-88 first": (lambda x: sig_naive(np.clip(x, -88, 88)), L.HINT_CLIP_SIGMOID),
    "clips x to +-709 first": (lambda x: sig_naive(np.clip(x, -709, 709)), L.HINT_CLIP_SIGMOID),
    "clips the result to [1e-7, 1 - 1e-7]": (
        lambda x: np.clip(sig_where(x), 1e-7, 1 - 1e-7),
        L.HINT_CLIP_SIGMOID,
    ),
    "scalar if/else": (sig_scalar_branch, "np.where(condition, a, b)"),
    "raises on a 0-d array": (lambda x: _raise_if(x.ndim == 0, sig_where, x), RAISED),
    "mutates its input": (sig_mutating, MUTATED),
    "mutates its input after computing": (sig_mutating_after, MUTATED),
    "float32 becomes float64": (lambda x: sig_where(x.astype(np.float64)), DTYPE),
}


def test_the_in_place_hint_speaks_of_this_lesson_not_softmax(capsys):
    assert check_sigmoid(sig_mutating) is False
    out = capsys.readouterr().out
    assert "modified its input" in out and "x - m" not in out, out


@pytest.mark.parametrize("fn", SIGMOID_GOOD, ids=lambda f: f.__name__)
def test_sigmoid_accepts_correct_code(fn, capsys):
    _accepts(check_sigmoid, fn, capsys)


def test_scipy_expit_is_rejected_because_it_flushes_subnormals_to_zero(capsys):
    """expit(-720) is 0 where the answer is 2.0e-313: the lesson's standard is stricter.

    The hint names expit and says that this is SciPy's documented behaviour, not a bug.
    """
    _rejects(check_sigmoid, scipy.special.expit, "the far left tail", capsys)
    check_sigmoid(scipy.special.expit)
    out = capsys.readouterr().out
    assert "scipy.special.expit" in out and "not a bug" in out


@HELPERS_BUG
def test_sigmoid_accepts_the_reference(capsys):
    _accepts(check_sigmoid, helpers.sigmoid, capsys)


@pytest.mark.parametrize("name", SIGMOID_WRONG)
def test_sigmoid_rejects(name, capsys):
    fn, hint = SIGMOID_WRONG[name]
    _rejects(check_sigmoid, fn, hint, capsys)


# ------------------------------------------------------------ 1.2 sigmoid_grad


def grad_e(x):
    e = np.exp(-np.abs(x))
    return e / (1 + e) ** 2


def grad_symmetry(x):
    return sig_where(x) * sig_where(-x)


def grad_s_one_minus_s(x):
    s = sig_where(x)
    return s * (1 - s)


def grad_naive(x):
    return np.exp(-x) / (1 + np.exp(-x)) ** 2


def grad_mutating(x):
    np.abs(x, out=x)
    return grad_e(x)


GRAD_GOOD = [grad_e, grad_symmetry]

GRAD_WRONG = {
    "scipy's expit(x) * expit(-x) (0 below -709.78)": (
        lambda x: scipy.special.expit(x) * scipy.special.expit(-x),
        L.HINT_GRAD_COSH,
    ),
    "stub": (_stub, NOT_DONE),
    "returns None": (lambda x: None, NONE),
    "returns a list": (lambda x: grad_e(x).tolist(), LIST),
    "returns a scalar": (lambda x: float(np.sum(grad_e(x))), SCALAR),
    "returns sigma instead of sigma'": (sig_where, L.HINT_GRAD_IS_SIGMOID),
    "sigma(x)**2": (lambda x: sig_where(x) ** 2, L.HINT_GRAD_SQUARED),
    "sigma(x) * sigma(x)": (lambda x: sig_where(x) * sig_where(x), L.HINT_GRAD_SQUARED),
    "0.25 / cosh(x/2)**2 (overflows for |x| > 711)": (
        lambda x: 0.25 / np.cosh(x / 2) ** 2,
        L.HINT_GRAD_COSH,
    ),
    "1 / (2 cosh(x/2))**2": (lambda x: 1 / (2 * np.cosh(x / 2)) ** 2, L.HINT_GRAD_COSH),
    "np.where over two naive branches": (
        lambda x: np.where(x >= 0, grad_naive(x), grad_naive(-x)),
        L.HINT_GRAD_WARNING,
    ),
    "a (1 - a) applied to the input x": (lambda x: x * (1 - x), L.HINT_GRAD_ON_INPUT),
    "s (1 - s) cancels for x > 37": (grad_s_one_minus_s, L.HINT_CANCEL),
    "s (1 - s) from the naive sigmoid": (
        lambda x: sig_naive(x) * (1 - sig_naive(x)),
        L.HINT_CANCEL,
    ),
    "0.25 (1 - tanh(x/2)**2) cancels for x > 38": (
        lambda x: 0.25 * (1 - np.tanh(x / 2) ** 2),
        L.HINT_CANCEL,
    ),
    "sign flipped": (lambda x: -grad_e(x), L.HINT_GRAD_SIGN),
    "denominator not squared": (lambda x: sig_where(-x), L.HINT_GRAD_NOT_SQUARED),
    "e / (1 + e) with e = exp(-|x|)": (
        lambda x: (lambda e: e / (1 + e))(np.exp(-np.abs(x))),
        L.HINT_GRAD_NOT_SQUARED,
    ),
    "s * (1 + s)": (lambda x: sig_where(x) * (1 + sig_where(x)), L.HINT_GRAD_PLUS),
    "1 / (1 + e)**2, no numerator": (
        lambda x: 1 / (1 + np.exp(-np.abs(x))) ** 2,
        L.HINT_GRAD_NO_NUMERATOR,
    ),
    "naive e^-x / (1 + e^-x)^2 (nan at x = -1000)": (grad_naive, NAN),
    "raises on a 0-d array": (lambda x: _raise_if(x.ndim == 0, grad_e, x), RAISED),
    "mutates its input": (grad_mutating, MUTATED),
    "float32 becomes float64": (lambda x: grad_e(x.astype(np.float64)), DTYPE),
}


@pytest.mark.parametrize("fn", GRAD_GOOD, ids=lambda f: f.__name__)
def test_sigmoid_grad_accepts_correct_code(fn, capsys):
    _accepts(check_sigmoid_grad, fn, capsys)


@HELPERS_BUG
def test_sigmoid_grad_accepts_the_reference(capsys):
    _accepts(check_sigmoid_grad, helpers.sigmoid_grad, capsys)


@pytest.mark.parametrize("name", GRAD_WRONG)
def test_sigmoid_grad_rejects(name, capsys):
    fn, hint = GRAD_WRONG[name]
    _rejects(check_sigmoid_grad, fn, hint, capsys)


def test_the_cancelling_form_fails_exactly_at_the_tiny_derivatives(capsys):
    """s (1 - s) passes the ordinary cases and is caught at x = 40 (4.2e-18, not 0)."""
    check_sigmoid_grad(grad_s_one_minus_s)
    out = capsys.readouterr().out
    assert "case 4 of" in out and "x = 40, 50, 100" in out


# ------------------------------------------------------------------- 1.3 logit


def logit_two_forms(p):
    """The solution: log p - log1p(-p) away from 1/2, log1p((2p - 1) / (1 - p)) near it."""
    with np.errstate(divide="ignore"):
        return np.where(p < 0.25, np.log(p) - np.log1p(-p), np.log1p((2 * p - 1) / (1 - p)))


def logit_log1p(p):
    with np.errstate(divide="ignore"):
        return np.log(p) - np.log1p(-p)


def logit_ratio(p):
    with np.errstate(divide="ignore"):
        return np.log(p / (1 - p))


def logit_difference(p):
    with np.errstate(divide="ignore"):
        return np.log(p) - np.log(1 - p)


def quiet_invalid(fn):
    with np.errstate(divide="ignore", invalid="ignore"):
        return fn()


def quiet_divide(fn):
    with np.errstate(divide="ignore"):
        return fn()


def logit_mutating(p):
    result = logit_log1p(p)
    p *= 1.0
    p[...] = 0.5
    return result


# log p - log1p(-p) is accurate near 1/2 where NumPy's log is (correctly rounded or nearly):
# the check's points there are ones where it is, at every x86 dispatch level (issue 18).
LOGIT_GOOD = [logit_two_forms, logit_log1p, helpers.logit, scipy.special.logit]

LOGIT_WRONG = {
    "log(p / (1 - p) - 1): the log of a negative number": (
        lambda p: quiet_invalid(lambda: np.log(p / (1 - p) - 1)),
        L.HINT_LOGIT_NAN,
    ),
    "stub": (_stub, NOT_DONE),
    "returns None": (lambda p: None, NONE),
    "returns a list": (lambda p: logit_log1p(p).tolist(), LIST),
    "returns a scalar": (lambda p: float(np.sum(logit_log1p(p))), SCALAR),
    "log(p) - log(1 + p)": (lambda p: np.log(p) - np.log(1 + p), L.HINT_LOGIT_PLUS),
    "log(p / (1 + p))": (lambda p: np.log(p / (1 + p)), L.HINT_LOGIT_PLUS),
    "log((1 - p) / p), sign flipped": (lambda p: np.log((1 - p) / p), L.HINT_LOGIT_FLIPPED),
    "log(1 - p) - log(p)": (lambda p: np.log(1 - p) - np.log(p), L.HINT_LOGIT_FLIPPED),
    "the odds without the log": (lambda p: p / (1 - p), L.HINT_LOGIT_NO_LOG),
    "log10": (lambda p: np.log10(p / (1 - p)), L.HINT_LOGIT_LOG10),
    "the sigmoid instead of its inverse": (sig_where, L.HINT_LOGIT_SIGMOID),
    "ratio of logs": (lambda p: np.log(p) / np.log(1 - p), L.HINT_LOGIT_RATIO_OF_LOGS),
    "warns at p = 0 and p = 1": (lambda p: np.log(p / (1 - p)), "np.errstate"),
    "clips p away from 0 and 1": (
        lambda p: logit_two_forms(np.clip(p, 1e-15, 1 - 1e-15)),
        L.HINT_CLIP_LOGIT,
    ),
    "clips p to [1e-7, 1 - 1e-7]": (
        lambda p: logit_two_forms(np.clip(p, 1e-7, 1 - 1e-7)),
        L.HINT_CLIP_LOGIT,
    ),
    "log1p((2p - 1) / (1 - p)) everywhere (-inf for tiny p)": (
        lambda p: quiet_divide(lambda: np.log1p((2 * p - 1) / (1 - p))),
        L.HINT_LOGIT_TAIL_LOST,
    ),
    "2 artanh(2p - 1) (-inf for tiny p)": (
        lambda p: quiet_divide(lambda: 2 * np.arctanh(2 * p - 1)),
        L.HINT_LOGIT_TAIL_LOST,
    ),
    "log(p / (1 - p)) cancels near 1/2": (logit_ratio, L.HINT_LOGIT_CANCEL),
    "log p - log(1 - p) cancels near 1/2": (logit_difference, L.HINT_LOGIT_CANCEL),
    "-log(1/p - 1) rounds near 1/2": (
        lambda p: quiet_divide(lambda: -np.log(1 / p - 1)),
        L.HINT_LOGIT_RECIPROCAL,
    ),
    "log(1 / (1/p - 1)) rounds near 1/2, as -log(1/p - 1) does": (
        lambda p: quiet_divide(lambda: np.log(1 / (1 / p - 1))),
        L.HINT_LOGIT_RECIPROCAL,
    ),
    # Synthetic, for the fallback: off by 1e-16 near p = 1/2 only, like no listed form.
    "off by 1e-16 near 1/2 only (no listed form)": (
        lambda p: logit_log1p(p) + np.where(np.abs(p - 0.5) < 1e-9, 1e-16, 0.0),
        L.HINT_LOGIT_NEAR_HALF,
    ),
    "raises at p = 0 or 1": (
        lambda p: _raise_if(bool(np.any((p == 0) | (p == 1))), logit_log1p, p),
        RAISED,
    ),
    "mutates its input": (logit_mutating, MUTATED),
    "float32 becomes float64": (lambda p: logit_log1p(p.astype(np.float64)), DTYPE),
}


@pytest.mark.parametrize("fn", LOGIT_GOOD, ids=lambda f: getattr(f, "__name__", str(f)))
def test_logit_accepts_correct_code(fn, capsys):
    _accepts(check_logit, fn, capsys)


@pytest.mark.parametrize("name", LOGIT_WRONG)
def test_logit_rejects(name, capsys):
    fn, hint = LOGIT_WRONG[name]
    _rejects(check_logit, fn, hint, capsys)


# -------------------------------------------------------- 1.4 sigmoid_backward


def backward_good(g, a):
    return g * a * (1 - a)


def backward_expanded(g, a):
    return g * (a - a * a)


def backward_mutating(g, a):
    g *= a * (1 - a)
    return g


BACKWARD_GOOD = [backward_good, backward_expanded, helpers.sigmoid_backward]

BACKWARD_WRONG = {
    "stub": (_stub, NOT_DONE),
    "returns None": (lambda g, a: None, NONE),
    "returns a list": (lambda g, a: backward_good(g, a).tolist(), LIST),
    "returns a scalar": (lambda g, a: float(np.sum(backward_good(g, a))), SCALAR),
    "sigmoid applied to the output a again": (
        lambda g, a: g * sig_where(a) * (1 - sig_where(a)),
        L.HINT_BACKWARD_SIGMOID_AGAIN,
    ),
    "sigmoid_grad of the output a": (lambda g, a: g * grad_e(a), L.HINT_BACKWARD_SIGMOID_AGAIN),
    "forgot the upstream gradient g": (lambda g, a: a * (1 - a), L.HINT_BACKWARD_NO_G),
    "forgot g and re-applied the sigmoid": (
        lambda g, a: sig_where(a) * (1 - sig_where(a)),
        L.HINT_BACKWARD_BOTH,
    ),
    "dropped (1 - a)": (lambda g, a: g * a, L.HINT_BACKWARD_DROPPED),
    "dropped a": (lambda g, a: g * (1 - a), L.HINT_BACKWARD_DROPPED),
    "sign flipped": (lambda g, a: -g * a * (1 - a), L.HINT_BACKWARD_SIGN),
    "1 + a for 1 - a": (lambda g, a: g * a * (1 + a), L.HINT_BACKWARD_PLUS),
    "g + a * (1 - a)": (lambda g, a: g + a * (1 - a), L.HINT_BACKWARD_ADDED),
    "g and a swapped": (lambda g, a: a * g * (1 - g), L.HINT_BACKWARD_SWAPPED),
    "g * a - a**2": (lambda g, a: g * a - a**2, L.HINT_BACKWARD_PRECEDENCE),
    "raises on 0-d arrays": (lambda g, a: _raise_if(g.ndim == 0, backward_good, g, a), RAISED),
    "mutates g in place": (backward_mutating, "modified its input `g`"),
    "float32 becomes float64": (lambda g, a: backward_good(g, a).astype(np.float64), DTYPE),
}


@pytest.mark.parametrize("fn", BACKWARD_GOOD, ids=lambda f: f.__name__)
def test_sigmoid_backward_accepts_correct_code(fn, capsys):
    _accepts(check_sigmoid_backward, fn, capsys)


@pytest.mark.parametrize("name", BACKWARD_WRONG)
def test_sigmoid_backward_rejects(name, capsys):
    fn, hint = BACKWARD_WRONG[name]
    _rejects(check_sigmoid_backward, fn, hint, capsys)


# ------------------------------------------------------ 1.5 central_difference


def cd_good(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / (2 * h)


def cd_half(f, x, h=1e-5):
    return 0.5 * (f(x + h) - f(x - h)) / h


def cd_mutating(f, x, h=1e-5):
    x += h
    up = f(x)
    down = f(x - 2 * h)
    return (up - down) / (2 * h)


CD_GOOD = [cd_good, cd_half, helpers.central_difference]

CD_WRONG = {
    "a five-point stencil": (
        lambda f, x, h=1e-5: (
            (-f(x + 2 * h) + 8 * f(x + h) - 8 * f(x - h) + f(x - 2 * h)) / (12 * h)
        ),
        L.HINT_NO_H_SQUARED,
    ),
    "a step h * x relative to x": (
        lambda f, x, h=1e-5: (f(x + h * x) - f(x - h * x)) / (2 * h * x),
        L.HINT_RELATIVE_STEP,
    ),
    "h added to the output": (
        lambda f, x, h=1e-5: ((f(x) + h) - (f(x) - h)) / (2 * h),
        L.HINT_OUTPUT_SHIFTED,
    ),
    "stub": (_stub, NOT_DONE),
    "returns None": (lambda f, x, h=1e-5: None, NONE),
    "returns a list": (lambda f, x, h=1e-5: cd_good(f, x, h).tolist(), LIST),
    "returns a scalar": (lambda f, x, h=1e-5: float(np.mean(cd_good(f, x, h))), SCALAR),
    "forward difference": (lambda f, x, h=1e-5: (f(x + h) - f(x)) / h, L.HINT_FORWARD),
    "backward difference": (lambda f, x, h=1e-5: (f(x) - f(x - h)) / h, L.HINT_FORWARD),
    "divides by h, not 2h": (lambda f, x, h=1e-5: (f(x + h) - f(x - h)) / h, L.HINT_MISSING_2),
    "a / 2 * h": (lambda f, x, h=1e-5: (f(x + h) - f(x - h)) / 2 * h, L.HINT_PRECEDENCE),
    "sign flipped": (lambda f, x, h=1e-5: (f(x - h) - f(x + h)) / (2 * h), L.HINT_CD_SIGN),
    "no division": (lambda f, x, h=1e-5: f(x + h) - f(x - h), L.HINT_NO_DIVISION),
    "ignores h": (lambda f, x, h=1e-5: cd_good(f, x, 1e-5), L.HINT_NO_H_SQUARED),
    "half step h/2": (lambda f, x, h=1e-5: (f(x + h / 2) - f(x - h / 2)) / h, L.HINT_OTHER_STEP),
    "double step 2h": (
        lambda f, x, h=1e-5: (f(x + 2 * h) - f(x - 2 * h)) / (4 * h),
        L.HINT_OTHER_STEP,
    ),
    "raises on a 0-d array": (
        lambda f, x, h=1e-5: _raise_if(np.ndim(x) == 0, cd_good, f, x, h),
        RAISED,
    ),
    "a step array h * np.ones(len(x))": (
        lambda f, x, h=1e-5: (f(x + h * np.ones(len(x))) - f(x - h * np.ones(len(x)))) / (2 * h),
        L.HINT_STEP_SHAPE,
    ),
    "a step array sized by x.shape[0]": (
        lambda f, x, h=1e-5: (f(x + np.full(x.shape[0], h)) - f(x - h)) / (2 * h),
        L.HINT_STEP_SHAPE,
    ),
    "a default h = 1e-3 in the def line": (
        lambda f, x, h=1e-3: cd_good(f, x, h),
        "your def line sets h=0.001, the exercise's h=1e-05",
    ),
    "mutates x": (cd_mutating, "modified its input `x`"),
    "float32 becomes float64": (lambda f, x, h=1e-5: cd_good(f, x.astype(np.float64), h), DTYPE),
}


@pytest.mark.parametrize("fn", CD_GOOD, ids=lambda f: f.__name__)
def test_central_difference_accepts_correct_code(fn, capsys):
    _accepts(check_central_difference, fn, capsys)


@pytest.mark.parametrize("name", CD_WRONG)
def test_central_difference_rejects(name, capsys):
    fn, hint = CD_WRONG[name]
    _rejects(check_central_difference, fn, hint, capsys)


# -------------------------------------------------------- 1.6 derivative_error


def de_good(f, f_prime, x, h=1e-5):
    return helpers.relative_error(helpers.central_difference(f, x, h), f_prime(x))


def de_swapped(f, f_prime, x, h=1e-5):
    return helpers.relative_error(f_prime(x), cd_good(f, x, h))


def de_by_hand(f, f_prime, x, h=1e-5):
    a, n = f_prime(x), cd_good(f, x, h)
    return np.linalg.norm(a - n) / (np.linalg.norm(a) + np.linalg.norm(n))


DE_GOOD = [de_good, de_swapped, de_by_hand]

DE_WRONG = {
    "the numeric derivative compared with itself": (
        lambda f, f_prime, x, h=1e-5: helpers.relative_error(
            helpers.central_difference(f, x, h), helpers.central_difference(f, x, h)
        ),
        "returned exactly 0",
    ),
    "the right error as np.float32": (
        lambda f, f_prime, x, h=1e-5: np.float32(
            helpers.relative_error(helpers.central_difference(f, x, h), f_prime(x))
        ),
        "returned a float32 number",
    ),
    "stub": (_stub, NOT_DONE),
    "compares f itself with f_prime": (
        lambda f, fp, x, h=1e-5: helpers.relative_error(f(x), fp(x)),
        L.HINT_ERROR_F_NOT_DERIVATIVE,
    ),
    "f and f_prime swapped": (
        lambda f, fp, x, h=1e-5: helpers.relative_error(cd_good(fp, x, h), f(x)),
        L.HINT_ERROR_SWAPPED,
    ),
    "one-sided difference": (
        lambda f, fp, x, h=1e-5: helpers.relative_error((f(x + h) - f(x)) / h, fp(x)),
        L.HINT_ERROR_ONE_SIDED,
    ),
    "returns None": (lambda f, fp, x, h=1e-5: None, NONE),
    "returns a list": (lambda f, fp, x, h=1e-5: [de_good(f, fp, x, h)], "return one number"),
    "returns the array of differences": (
        lambda f, fp, x, h=1e-5: cd_good(f, x, h) - fp(x),
        "expected one number",
    ),
    "norm of the difference": (
        lambda f, fp, x, h=1e-5: np.linalg.norm(cd_good(f, x, h) - fp(x)),
        L.HINT_ERROR_ABSOLUTE,
    ),
    "largest absolute difference": (
        lambda f, fp, x, h=1e-5: np.max(np.abs(cd_good(f, x, h) - fp(x))),
        L.HINT_ERROR_ABSOLUTE,
    ),
    "divides by ||f'(x)|| only": (
        lambda f, fp, x, h=1e-5: np.linalg.norm(cd_good(f, x, h) - fp(x)) / np.linalg.norm(fp(x)),
        L.HINT_ERROR_ONE_NORM,
    ),
    "ignores h": (lambda f, fp, x, h=1e-5: de_good(f, fp, x), L.HINT_IGNORED_H),
    "compares with f instead of f_prime": (
        lambda f, fp, x, h=1e-5: helpers.relative_error(cd_good(f, x, h), f(x)),
        "returned the wrong value",
    ),
    "returns nan": (lambda f, fp, x, h=1e-5: float("nan"), "between 0 and 1"),
    "returns a string": (lambda f, fp, x, h=1e-5: "small", "return one number"),
    "raises on 2-D x": (
        lambda f, fp, x, h=1e-5: _raise_if(np.ndim(x) > 1, de_good, f, fp, x, h),
        RAISED,
    ),
}


@pytest.mark.parametrize("fn", DE_GOOD, ids=lambda f: f.__name__)
def test_derivative_error_accepts_correct_code(fn, capsys):
    _accepts(check_derivative_error, fn, capsys)


@pytest.mark.parametrize("name", DE_WRONG)
def test_derivative_error_rejects(name, capsys):
    fn, hint = DE_WRONG[name]
    _rejects(check_derivative_error, fn, hint, capsys)


# ----------------------------------------------------------------- all checks

ALL = [
    (check_sigmoid, sig_where),
    (check_sigmoid_grad, grad_e),
    (check_logit, logit_two_forms),
    (check_sigmoid_backward, backward_good),
    (check_central_difference, cd_good),
    (check_derivative_error, de_good),
]


@pytest.mark.parametrize("check, good", ALL, ids=lambda v: getattr(v, "__name__", ""))
def test_quiet_prints_nothing_and_not_callable_is_rejected(check, good, capsys):
    assert check(good, quiet=True) is True
    assert check(None, quiet=True) is False
    assert capsys.readouterr().out == ""
    assert check(42) is False
    assert "expected a function" in capsys.readouterr().out


@pytest.mark.parametrize("check, good", ALL, ids=lambda v: getattr(v, "__name__", ""))
def test_a_failed_check_raises_under_nbgrader(check, good, monkeypatch, capsys):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert check(good, quiet=True) is None  # a pass shows no value: nbgrader reads it as credit
    with pytest.raises(AssertionError):
        check(_stub, quiet=True)


def test_checks_are_exported_from_the_package():
    import helpers.checks as checks

    assert set(L.__all__) <= set(checks.__all__)
    for name in L.__all__:
        assert getattr(checks, name) is getattr(L, name)


def test_reports_print_function_arguments_without_memory_addresses(capsys):
    check_central_difference(CD_WRONG["forward difference"][0])
    out = capsys.readouterr().out
    assert "f=lambda x: x**3" in out
    assert "0x" not in out


# ------------------------------------------------------------------ near misses

NEAR_MISS = [
    # (check, reference, arity, rtol of the check)
    (check_sigmoid, helpers.sigmoid, 1, 1e-10),
    (check_sigmoid_grad, helpers.sigmoid_grad, 1, 1e-10),
    (check_logit, helpers.logit, 1, 1e-10),
    (check_sigmoid_backward, helpers.sigmoid_backward, 2, 1e-8),
    (check_central_difference, helpers.central_difference, 3, 1e-7),
    (check_derivative_error, de_good, 4, 1e-6),
]


def _scaled(fn, factor):
    def scaled(*args):
        out = fn(*args)
        if isinstance(out, float):
            return out * factor
        return (out * factor).astype(np.asarray(out).dtype)

    return scaled


@pytest.mark.parametrize(
    "check, reference, arity, rtol", NEAR_MISS, ids=lambda v: getattr(v, "__name__", "")
)
def test_an_answer_just_outside_the_tolerance_fails_and_just_inside_passes(
    check, reference, arity, rtol
):
    """The tolerance is pinned: 20 times rtol off fails, a twentieth of rtol passes."""
    assert check(_scaled(reference, 1 + 20 * rtol), quiet=True) is False
    assert check(_scaled(reference, 1 + rtol / 20), quiet=True) is True


# ------------------------------------------- the catalogue, for tests/test_check_margins.py
# (check, name, wrong function) and (check, name, accepted function): every entry above.
_TABLES = [
    (check_sigmoid, SIGMOID_WRONG, SIGMOID_GOOD),
    (check_sigmoid_grad, GRAD_WRONG, GRAD_GOOD),
    (check_logit, LOGIT_WRONG, LOGIT_GOOD),
    (check_sigmoid_backward, BACKWARD_WRONG, BACKWARD_GOOD),
    (check_central_difference, CD_WRONG, CD_GOOD),
    (check_derivative_error, DE_WRONG, DE_GOOD),
]
MARGIN_WRONG = [(c, name, fn) for c, wrong, _ in _TABLES for name, (fn, _h) in wrong.items()]
MARGIN_RIGHT = [(c, getattr(fn, "__name__", str(fn)), fn) for c, _, good in _TABLES for fn in good]
