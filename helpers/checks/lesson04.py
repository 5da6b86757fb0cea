"""Checks for lesson 04, Two classes: softmax equals sigmoid.

Exercise 4.1 returns a pair ``(w, b)`` and Exercise 4.3 a learning rate, so
both bring their own ``compare``; Exercise 4.3's compare runs the two training
loops of :mod:`helpers.training` with the learner's rate and reports
the first step at which they part.
"""

from __future__ import annotations

import functools
import numbers

import numpy as np

from ..datasets import toy_blobs
from ..models import two_class_to_sigmoid
from ..sigmoid import sigmoid
from ..softmax import softmax
from ..training import first_divergence, run_gap, symmetric_init, train_sigmoid, train_softmax
from ._core import (
    Case,
    Kind,
    Mistake,
    Outcome,
    comparer,
    exception_hint,
    fmt,
    raised_problem,
    run_check,
    safe_str,
)

__all__ = ["check_softmax_to_sigmoid", "check_sigmoid_predict", "check_matching_hyperparameters"]

#: Ten steps of the smallest float64 subnormal (4.9e-324): relative down to the subnormal tail,
#: where sigmoid(-720) = 2.0e-313 is 4e10 steps (so 0 for it is off by 100% on every CPU).
_F64_ATOL_TINY = 5e-323


def _kind(value) -> str:
    """'an array of shape (2,)', 'a list', 'a float': what came back, for the report."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    name = type(value).__name__
    return ("an " if name[0] in "aeiou" else "a ") + name


def _as_float(value) -> float:
    """``float(value)`` for a real number; inf for an int too large for a float (10**400)."""
    try:
        return float(value)
    except OverflowError:
        return float(np.sign(value)) * np.inf


def _is_number(value) -> bool:
    """A real scalar: a Python or NumPy number, or a 0-d array of one."""
    if isinstance(value, bool):
        return False
    if isinstance(value, numbers.Real):
        return True
    return isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "fiu"


# -- Exercise 4.1 softmax_to_sigmoid ---------------------------------------------------


def _to_sigmoid(W, b):
    return two_class_to_sigmoid(W, b, positive=1)


def _params(W, b, seed):
    """Softmax parameters of a given shape, drawn from a fixed seed."""
    rng = np.random.default_rng(seed)
    return rng.normal(size=W), rng.normal(size=b)


_CLASS0_HINT = (
    "that predicts class 0: w0 - w1, b0 - b1 gives P(class 0). The exercise asks for "
    "class 1, so subtract the other way: row 1 minus row 0"
)
HINT_SUM = (
    "that is w0 + w1 (and b0 + b1): the sum is the one direction softmax ignores (section 3). "
    "The sigmoid sees the difference of the logits: w1 - w0, b1 - b0"
)

#: compare_arrays with its defaults: the comparison inside this lesson's own ones.
_compare_values = comparer()


def _compare_pair(got, want, *, rtol, atol, mistakes=(), case=None) -> Outcome:
    """Compare ``(w, b)`` with the reference pair, with diagnoses for the usual slips."""
    W, bias = case.args
    w_want, b_want = want
    d = W.shape[1]
    if got is None:
        return Outcome(False, "returned None", None, want, "did you forget `return w, b`?")
    if isinstance(got, np.ndarray) or _is_number(got):
        arr = np.asarray(got)
        if arr.dtype == object:
            hint = (
                "you put w and b into one NumPy array (dtype=object): return the pair, "
                "`return w, b`"
            )
        elif arr.shape == W.shape:
            hint = (
                "you returned the whole W (both rows). The sigmoid has one weight vector, "
                "the difference of the rows, and one bias: return w, b"
            )
        elif arr.shape == (d,):
            hint = "you returned only the weights: return the bias too, `return w, b`"
        else:
            hint = "return two things, the weight vector and the bias: `return w, b`"
        return Outcome(False, f"returned {_kind(got)}, not a pair (w, b)", got, want, hint)
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return Outcome(
            False,
            f"returned {_kind(got)} of length {len(got)}"
            if isinstance(got, (tuple, list))
            else f"returned {_kind(got)}",
            got,
            want,
            "return exactly two things, the weight vector and the bias: `return w, b`",
        )
    w_got, b_got = got
    if _is_number(w_got) and np.shape(b_got) == np.shape(w_want):  # (b, w): check the order
        return Outcome(
            False,
            "returned a number first and an array second: the pair is (b, w)",
            got,
            want,
            "the weights come first: `return w, b`",
        )
    # known wrong pairs first: their hints are the most specific
    for mistake in mistakes:
        try:
            w_bad, b_bad = mistake.wrong(W, bias)
        except Exception:  # a diagnosis that does not apply to this input
            continue
        if (
            isinstance(w_got, np.ndarray)
            and w_got.shape == np.shape(w_bad)
            and np.allclose(w_got, w_bad, rtol=1e-6, atol=1e-9)
            and _is_number(b_got)
            and np.isclose(_as_float(b_got), b_bad, rtol=1e-6, atol=1e-9)
            and not (
                np.allclose(w_bad, w_want, rtol=rtol, atol=atol)
                and np.isclose(b_bad, b_want, rtol=rtol, atol=atol)
            )
        ):
            return Outcome(False, "returned the wrong values", got, want, mistake.hint)
    # the weights
    if isinstance(w_got, np.ndarray) and w_got.shape != (d,):
        if w_got.shape == W.shape:
            hint = "w has the shape of W: the sigmoid weight is one vector, row 1 minus row 0"
        elif w_got.shape == (2,) and np.allclose(np.abs(w_got), np.abs(W[:, 1] - W[:, 0])):
            hint = "W has one ROW per class: subtract rows (W[1] ...), not columns (W[:, 1] ...)"
        elif w_got.shape == (2,):
            hint = (
                f"w must have one weight per feature, shape ({d},), for any number of "
                "features: W[1] - W[0] subtracts whole rows, without naming their entries"
            )
        else:
            hint = f"w must be a 1-D vector with one weight per feature, shape ({d},)"
        return Outcome(False, f"w: has shape {w_got.shape}, expected ({d},)", got, want, hint)
    w_outcome = _compare_values(w_got, w_want, rtol=rtol, atol=atol)
    if not w_outcome.ok:
        hint = w_outcome.hint
        if isinstance(w_got, np.ndarray) and w_got.shape == (d,) and w_got.dtype == w_want.dtype:
            if np.allclose(w_got, W[1]):
                hint = "w1 alone is right only when w0 = 0: the sigmoid weight is w1 - w0"
            elif np.allclose(w_got, -w_want):
                hint = _CLASS0_HINT
            elif np.allclose(w_got, w_want / 2):
                hint = "that is half the difference: the sigmoid weight is the full w1 - w0"
            elif np.allclose(w_got, W[0] + W[1]):
                hint = HINT_SUM
            elif d == 2 and np.allclose(w_got, W[:, 1] - W[:, 0]):
                hint = "W has one ROW per class: subtract rows, not columns"
        return Outcome(False, f"w: {w_outcome.problem}", got, want, hint)
    # the bias
    if b_got is None:
        return Outcome(False, "returned None as the bias", got, want, "return w, b with b a number")
    if not _is_number(b_got):
        shape = np.shape(b_got)
        hint = (
            "you returned the two biases: the sigmoid has one bias, b1 - b0"
            if shape == (2,)
            else "the bias is a single number (a Python float, a NumPy scalar or a 0-d array "
            "all do); an array of shape (1,) is not: index it, or use float(...)"
        )
        return Outcome(False, f"the bias is {_kind(b_got)}, not a number", got, want, hint)
    b_value = _as_float(b_got)
    if W.dtype == np.float32:  # one policy: a number is judged at the input's precision
        rtol, atol = max(rtol, 1e-5), max(atol, 1e-6)
    if not np.isclose(b_value, b_want, rtol=rtol, atol=atol):
        if np.isclose(b_value, 0.0) and not np.isclose(b_want, 0.0):
            hint = "you left out the bias: the sigmoid bias is b1 - b0, not 0"
        elif np.isclose(b_value, bias[1]):
            hint = "b1 alone is right only when b0 = 0: the sigmoid bias is b1 - b0"
        elif np.isclose(b_value, -b_want):
            hint = "the weights are right but the bias has the wrong sign: b1 - b0"
        elif np.isclose(b_value, b_want / 2):
            hint = "that is half the difference: the sigmoid bias is the full b1 - b0"
        else:
            hint = "the sigmoid bias is the difference of the two biases, in the same order as w"
        return Outcome(False, "the bias has the wrong value", got, want, hint)
    return Outcome(True, err=w_outcome.err)


def check_softmax_to_sigmoid(softmax_to_sigmoid, quiet=False) -> bool:
    """Check Exercise 4.1: ``softmax_to_sigmoid(W, b) -> (w, b)`` predicting class 1."""
    W_big, b_big = _params((2, 7), (2,), seed=5)
    cases = [
        Case(
            "two features, as in the toy data",
            (np.array([[-0.5, 0.25], [1.0, 1.25]]), np.array([0.3, -0.2])),
        ),
        Case(
            "three features",
            (np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.5]]), np.array([0.1, -0.3])),
        ),
        Case("one feature (W of shape (2, 1))", (np.array([[2.0], [-1.0]]), np.array([1.0, 0.5]))),
        Case("random W of shape (2, 5)", _params((2, 5), (2,), seed=4)),
        Case(
            "equal rows: p = 1/2 everywhere, w = 0",
            (np.array([[0.7, -0.2], [0.7, -0.2]]), np.array([0.4, 0.4])),
        ),
        Case(
            "large weights (1e3 scale)",
            (np.array([[1000.0, -2500.0], [-3000.0, 4000.0]]), np.array([1000.0, 1000.0])),
        ),
        Case(
            "float32 parameters stay float32",
            (np.array([[0.5, -1.5], [2.0, 0.25]], np.float32), np.array([0.75, -0.5], np.float32)),
        ),
        Case("a non-contiguous W (every other column)", (W_big[:, ::2], b_big)),
    ]
    mistakes = [
        Mistake(_CLASS0_HINT, lambda W, b: two_class_to_sigmoid(W, b, positive=0)),
        Mistake(HINT_SUM, lambda W, b: (W[0] + W[1], float(b[0] + b[1]))),
        Mistake(
            "you left out the bias: the sigmoid bias is b1 - b0, not 0",
            lambda W, b: (W[1] - W[0], 0.0),
        ),
        Mistake(
            "w1 and b1 alone are right only when w0 = 0 and b0 = 0: take the differences",
            lambda W, b: (W[1], float(b[1])),
        ),
        Mistake(
            "that is half the difference (the symmetric split ±w/2 puts half in each row): "
            "the sigmoid parameters are the full differences w1 - w0, b1 - b0",
            lambda W, b: ((W[1] - W[0]) / 2, float(b[1] - b[0]) / 2),
        ),
        Mistake(
            "the weights predict class 1 but the bias predicts class 0: use b1 - b0",
            lambda W, b: (W[1] - W[0], float(b[0] - b[1])),
        ),
    ]
    return run_check(
        "Exercise 4.1 softmax_to_sigmoid",
        softmax_to_sigmoid,
        _to_sigmoid,
        cases,
        arg_names=["W", "b"],
        mistakes=mistakes,
        compare=_compare_pair,
        forbid=(two_class_to_sigmoid,),
        quiet=quiet,
    )


# -- Exercise 4.2 sigmoid_predict -------------------------------------------------------


def _predict_via_softmax(X, w, b):
    """P(class 1) from the two-class softmax model W = [-w/2, w/2], b = [-b/2, b/2].

    That model converts (``two_class_to_sigmoid(..., positive=1)``) to exactly
    ``(w, b)``, so the learner's sigmoid must reproduce its softmax column 1.
    """
    W2, b2 = symmetric_init(w, b)  # (2, d), (2,): [-w/2, w/2], [-b/2, b/2]
    return softmax(X @ W2.T + b2, axis=-1)[:, 1]


def _compare_probs(got, want, *, rtol, atol, mistakes=(), case=None) -> Outcome:
    X = case.args[0]
    n = X.shape[0]
    if isinstance(got, np.ndarray) and got.dtype.kind == "f" and got.size == n and got.ndim == 2:
        if np.allclose(got, 1.0) and not np.allclose(want, 1.0):
            hint = (
                "softmax of a single logit is always 1 (e^z / e^z): with one logit per "
                "example use the sigmoid, sigmoid(X @ w + b)"
            )
        else:
            hint = (
                "return shape (n,), one probability per example: with a 1-D w, X @ w is "
                "already (n,). A column (n, 1) comes from a column w (w[:, None]), a "
                "reshape(-1, 1) or keepdims=True; drop it"
            )
        return Outcome(False, f"returned shape {got.shape}, expected ({n},)", got, want, hint)
    if want.dtype == np.float32:  # the softmax route rounds differently in float32
        rtol, atol = 2e-5, 1e-30
    return _compare_values(got, want, rtol=rtol, atol=atol, mistakes=mistakes, case=case)


def _shape_error_report(exc, case):
    """A matmul or broadcast error names the shapes that fit: X is (n, d), w is (d,)."""
    text = safe_str(exc)
    if isinstance(exc, ValueError) and ("matmul" in text or "align" in text or "broadcast" in text):
        explained = ValueError(
            f"shapes do not fit: X is (n, d) and w is (d,), so X @ w is (n,) [{text}]"
        )
        hint = exception_hint(explained, has_axis=False)
        return Outcome(False, raised_problem(explained), None, None, hint, kind=Kind.RAISED)
    return None


HINT_NAIVE = (
    "at z = -720 the answer is 2.0e-313 (a subnormal number) and you returned 0: that is what "
    "the naive 1 / (1 + np.exp(-z)) gives (exp(-z) overflows), and also scipy.special.expit "
    "and the tanh form, which flush this tail to 0 by design. The course asks for more, as "
    "Exercise 1.1 did: use the stable helpers.sigmoid from lesson 01"
)


def check_sigmoid_predict(sigmoid_predict, quiet=False) -> bool:
    """Check Exercise 4.2: ``sigmoid_predict(X, w, b) = sigmoid(X @ w + b)``, shape (n,).

    Each case's ``(w, b)`` is the conversion of a two-class softmax model; the
    expected answer is column 1 of ``helpers.softmax`` for the symmetric softmax
    model with that conversion, ``W = [-w/2, w/2]``, ``b = [-b/2, b/2]``.
    """
    rng = np.random.default_rng(42)
    X_toy, _ = toy_blobs(3, seed=1)
    X_wide = rng.normal(size=(4, 10))
    X32 = rng.normal(size=(5, 2)).astype(np.float32)

    def converted(W, b, dtype=np.float64):
        w, b = two_class_to_sigmoid(np.asarray(W, dtype), np.asarray(b, dtype))
        return w, b

    cases = [
        Case(
            "six toy points, w, b converted from W, b",
            (X_toy, *converted([[-0.5, 0.25], [1.0, 1.25]], [0.3, -0.2])),
        ),
        Case(
            "five examples, three features (X.T @ w does not fit)",
            (rng.normal(size=(5, 3)), *converted([[0.2, -1.0, 0.5], [1.1, 0.4, -0.3]], [0.0, 0.6])),
        ),
        Case(
            "a square X (2 examples, 2 features)",
            (
                np.array([[1.0, 2.0], [-0.5, 3.0]]),
                *converted([[0.0, 1.0], [2.0, -0.5]], [0.5, -0.25]),
            ),
        ),
        Case(
            "one example (n = 1)",
            (
                np.array([[0.5, -1.5, 2.0]]),
                *converted([[0.1, 0.2, 0.3], [0.6, -0.2, 0.9]], [0.0, 1.0]),
            ),
        ),
        Case(
            "equal rows: p = 1/2 for every example",
            (X_toy, *converted([[0.7, -0.2], [0.7, -0.2]], [0.4, 0.4])),
        ),
        Case(
            "large logits (X @ w + b = 1000, -1000, 50, -720)",
            (
                np.array([[10.0, 2.0], [-10.0, 1.0], [0.5, -0.5], [-7.2, 3.0]]),
                *converted([[-50.0, 0.0], [50.0, 0.0]], [0.0, 0.0]),
            ),
        ),
        Case(
            "float32 X and w stay float32",
            (X32, *converted([[0.3, -0.4], [1.2, 0.8]], [0.1, 0.35], np.float32)),
        ),
        Case(
            "a non-contiguous X (every other column)",
            (X_wide[:, ::2], *converted(rng.normal(size=(2, 5)), [0.2, -0.1])),
        ),
    ]
    mistakes = [
        Mistake(HINT_NAIVE, lambda X, w, b: 1 / (1 + np.exp(-(X @ w + b)))),
        Mistake("you left out the bias: sigmoid(X @ w + b)", lambda X, w, b: sigmoid(X @ w)),
        Mistake(
            "that is P(class 0) = 1 - P(class 1): the sign of the logit is flipped",
            lambda X, w, b: sigmoid(-(X @ w + b)),
        ),
        Mistake(
            "the bias is added to the logit: X @ w + b, not X @ w - b",
            lambda X, w, b: sigmoid(X @ w - b),
        ),
        Mistake(
            "you returned the logit X @ w + b: apply the sigmoid to it", lambda X, w, b: X @ w + b
        ),
        Mistake(
            "softmax of a single logit is always 1 (e^z / e^z): with one logit per "
            "example use the sigmoid",
            lambda X, w, b: np.ones(X.shape[0], dtype=np.result_type(X, w)),
        ),
        Mistake(
            "you applied softmax across the examples (now they sum to 1): each example "
            "gets its own sigmoid(X @ w + b)",
            lambda X, w, b: softmax(X @ w + b),
        ),
        Mistake(
            "X.T @ w mixes examples and features: the rows of X are the examples, so use X @ w",
            lambda X, w, b: sigmoid(X.T @ w + b),
        ),
    ]
    return run_check(
        "Exercise 4.2 sigmoid_predict",
        sigmoid_predict,
        _predict_via_softmax,
        cases,
        arg_names=["X", "w", "b"],
        mistakes=mistakes,
        compare=_compare_probs,
        on_raise=_shape_error_report,
        atol=_F64_ATOL_TINY,  # 0 is not 2.0e-313
        warning_hint=(
            "exp() overflowed on a large logit: a naive 1 / (1 + np.exp(-z)), or np.where over "
            "two naive branches (NumPy computes both branches for every entry). Use the stable "
            "helpers.sigmoid from lesson 01"
        ),
        quiet=quiet,
    )


# -- Exercise 4.3 matching_hyperparameters ----------------------------------------------

#: Small data, a starting point on the wrong side, and enough steps for the runs to part.
_STEPS = 60
_TOL = 1e-10


@functools.lru_cache(maxsize=1)
def _training_setup():
    X, y = toy_blobs(15, seed=3)
    return X, y, np.array([-1.0, 0.5]), 0.5


def _matching_reference(lr_sigmoid, weight_decay_sigmoid):
    return lr_sigmoid / 2, 2 * weight_decay_sigmoid


def _learning_rate_hint(lr_sigmoid: float, lr_softmax: float) -> str:
    ratio = lr_softmax / lr_sigmoid
    if np.isclose(ratio, 1.0):
        return (
            "with the same rate the softmax runs ahead: w1 - w0 gets gradient from both rows "
            "(+g on one, -g on the other), so it moves twice as fast as the sigmoid weight"
        )
    if np.isclose(ratio, 2.0):
        return (
            "doubling makes it worse: the softmax difference w1 - w0 already moves twice as "
            "fast as the sigmoid weight at the same rate; slow the softmax run down instead"
        )
    if ratio < 1:
        return (
            f"your rate is {ratio:.3g} x lr_sigmoid: the right direction, wrong factor. "
            "Work out how far w1 - w0 moves in one step compared with the sigmoid weight"
        )
    return (
        f"your rate is {ratio:.3g} x lr_sigmoid, which makes the softmax run faster still; "
        "work out how far w1 - w0 moves in one step compared with the sigmoid weight"
    )


HINT_SAME_DECAY = (
    "the learning rate is right, the weight decay is not: with half the rate the same "
    "lambda shrinks the weights half as much per step. Write one step of w1 - w0 with the "
    "penalty, as in section 5, and compare its shrink factor with the sigmoid's (1 - lr * lambda)"
)
HINT_HALF_DECAY = (
    "the rate is right, but your lambda is half the sigmoid's, and that goes the wrong way: "
    "with half the rate it makes the softmax shrink four times less per step. Compare the "
    "shrink factors (1 - lr * lambda)"
)


def _decay_hint(lr_sigmoid, wd_sigmoid, lr, wd) -> str:
    rate_right = np.isclose(lr, lr_sigmoid / 2)
    if not rate_right:  # the first case has no weight decay: the rate is judged alone
        return _learning_rate_hint(lr_sigmoid, lr)
    if wd_sigmoid == 0:
        return "the sigmoid run has no weight decay here, so the softmax run must have none"
    if np.isclose(wd, wd_sigmoid):
        return HINT_SAME_DECAY
    if np.isclose(wd, wd_sigmoid / 2):
        return HINT_HALF_DECAY
    return (
        f"the rate is right; your lambda is {wd / wd_sigmoid:.3g} x the sigmoid's. The penalty "
        "adds lambda * w to each row's gradient: work out what it adds to w1 - w0 in one step"
    )


def _as_rate(value, name):
    """``(float, None)`` for a usable rate or decay, else ``(None, the reason)``."""
    if not _is_number(value):
        return None, f"{name} is {_kind(value)}, not a number"
    number = _as_float(value)
    if name == "the learning rate" and not (np.isfinite(number) and number > 0):
        return None, f"the learning rate is {number!r}"  # whole messages: "{name} is" is
    if name == "the weight decay" and not (np.isfinite(number) and number >= 0):
        return None, f"the weight decay is {number!r}"  # too thin a template to translate
    return number, None


HINT_RATE_RANGE = "a learning rate must be positive and finite, a weight decay finite and >= 0"
HINT_RATE_ZERO = (
    "a learning rate must be positive and finite, a weight decay finite and >= 0 (a rate of "
    "0.0 often comes from floor division or rounding: 0.5 // 2 == 0.0, round(0.0005, 2) == 0.0)"
)


def _swapped(got, want) -> bool:
    """Whether ``got`` is the reference pair ``(lr, weight_decay)`` in the other order."""
    try:
        pair = np.array([float(got[1]), float(got[0])])
        return bool(np.allclose(pair, np.asarray(want, dtype=float))) and pair[0] != pair[1]
    except Exception:  # the learner's values: anything that is not two plain numbers
        return False


def _compare_training(got, want, *, rtol, atol, mistakes=(), case=None) -> Outcome:
    """Run both trainers with the learner's rate and decay; they must agree at every step."""
    lr_sigmoid, wd_sigmoid = (float(v) for v in case.args)
    if got is None:
        return Outcome(False, "returned None", None, want, "did you forget the `return`?")
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return Outcome(
            False,
            f"returned {_kind(got)}",
            got,
            want,
            "return two numbers, the softmax run's learning rate and its weight decay: "
            "`return lr, weight_decay`",
        )
    lr, problem = _as_rate(got[0], "the learning rate")
    if problem is None:
        wd, problem = _as_rate(got[1], "the weight decay")
    if _swapped(got, want):
        problem = problem or "the weight decay where the learning rate goes"
        hint = "the pair is swapped: return the learning rate first, `return lr, weight_decay`"
        return Outcome(False, f"returned {fmt(got, 80)}: {problem}", got, want, hint)
    if problem is not None:
        hint = HINT_RATE_ZERO if problem.endswith(" 0.0") else HINT_RATE_RANGE
        return Outcome(False, f"returned {fmt(got, 80)}: {problem}", got, want, hint)
    low = [
        v
        for v in got
        if isinstance(v, (np.floating, np.ndarray)) and np.dtype(v.dtype).itemsize < 8
    ]
    if low:
        dtype = np.dtype(low[0].dtype).name
        return Outcome(
            False,
            f"returned {fmt(got, 80)}: a {dtype} number",
            got,
            want,
            "keep float64: the two runs must agree to 1e-10, and a float32 number is rounded "
            "to about 6e-8. Return plain Python floats (the inputs are float64)",
            kind=Kind.PRECISION,
        )
    X, y, w_init, b_init = _training_setup()
    sig = train_sigmoid(X, y, w_init, b_init, lr_sigmoid, steps=_STEPS, weight_decay=wd_sigmoid)
    start = symmetric_init(w_init, b_init)
    soft = train_softmax(X, y, *start, lr, steps=_STEPS, weight_decay=wd)
    gap = run_gap(sig, soft)
    step = first_divergence(gap, tol=_TOL)
    if step is None:
        return Outcome(True)
    return Outcome(
        False,
        f"the two runs part at step {step}: max |w_sigmoid - (w1 - w0)| = {gap[step]:.1e} "
        f"there, {gap[-1]:.1e} at step {_STEPS}",
        got,
        want,
        _decay_hint(lr_sigmoid, wd_sigmoid, lr, wd),
    )


def check_matching_hyperparameters(matching_hyperparameters, quiet=False) -> bool:
    """Check Exercise 4.3: the softmax run's rate and weight decay that reproduce a sigmoid run.

    For each sigmoid run (learning rate, weight decay), trains the sigmoid model
    (BCE + L2 penalty on the weights) and the two-class softmax model
    (cross-entropy + L2 penalty on both rows, symmetric start with the same
    w1 - w0) for 60 steps of full-batch gradient descent with the learner's
    pair and compares ``w1 - w0`` with ``w`` (and the biases) at every step.
    """
    cases = [
        Case("lr_sigmoid = 0.5, no weight decay (section 5's run)", (0.5, 0.0)),
        # not lr_sigmoid = 0.5 here: there lambda * lr_sigmoid equals lambda / 2, and a decay
        # that depends on the rate would look like a constant factor
        Case("lr_sigmoid = 0.3, weight_decay_sigmoid = 0.1", (0.3, 0.1)),
        Case("lr_sigmoid = 0.1, weight_decay_sigmoid = 1.0 (strong decay)", (0.1, 1.0)),
        Case("lr_sigmoid = 2.0, weight_decay_sigmoid = 0.05 (large steps)", (2.0, 0.05)),
        Case("lr_sigmoid = 0.001, weight_decay_sigmoid = 3.0 (tiny steps)", (0.001, 3.0)),
        Case("integers: lr_sigmoid = 1, weight_decay_sigmoid = 0", (1, 0)),
        Case(
            "NumPy floats: np.float64(0.25), np.float64(0.2)", (np.float64(0.25), np.float64(0.2))
        ),
    ]
    return run_check(
        "Exercise 4.3 matching_hyperparameters",
        matching_hyperparameters,
        _matching_reference,
        cases,
        arg_names=["lr_sigmoid", "weight_decay_sigmoid"],
        compare=_compare_training,
        rtol=_TOL,  # the pass line states the check's tolerance: runs within 1e-10 at every step
        quiet=quiet,
    )
