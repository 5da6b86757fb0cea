"""Checks for lesson 06's section "Calibration beyond ECE".

6.5 ``brier_score``. Reference: :func:`helpers.calibration.brier_score`. Built on the
public engine only (:class:`Case`, :class:`Mistake`, :func:`run_check`,
:func:`comparer`).
"""

from __future__ import annotations

import numpy as np

from ..calibration import brier_score
from ..softmax import softmax
from ._core import Case, Mistake, comparer, run_check

__all__ = ["check_brier_score"]

# -- hints (named, so the tests can look for them) ---------------------------------------

HINT_BRIER_ONE_NUMBER = (
    "return one number: the mean over the examples of each row's sum of squares, "
    "not one value per example"
)
HINT_BRIER_MEAN_ALL = (
    "you averaged over all n * k entries: the Brier score sums the k squared differences of "
    "a row and averages over the n rows, so it is k times that"
)
HINT_BRIER_SUM = "that is the sum over the examples: divide by n, the number of rows"
HINT_BRIER_TRUE_ONLY = (
    "you kept only the true class's term (1 - p_y)^2: the wrong classes' probabilities count "
    "too, each as (p_j - 0)^2"
)
HINT_BRIER_TOP_LABEL = (
    "that is the Brier score of the confidence alone, (max_j p_j - [right])^2: this exercise "
    "wants the whole probability vector against the one-hot truth"
)
HINT_BRIER_ROOT = "you took a square root: the Brier score is the mean squared distance itself"
HINT_BRIER_ROW_NORMS = (
    "np.linalg.norm of a row is the square root of its sum of squares: the Brier score "
    "averages the squared distances themselves, np.sum((p - onehot)**2, axis=1)"
)
HINT_BRIER_ABS = "you summed absolute differences: square them, (p_ij - onehot_ij)^2"
HINT_BRIER_ARGMAX = (
    "you compared the one-hot *prediction* (argmax) with the truth: use the probabilities "
    "themselves, p - onehot(y)"
)
HINT_BRIER_AXIS0 = (
    "you summed over the examples (axis=0) and averaged over the classes: sum each row's k "
    "squared differences (axis=1), then average over the n rows"
)
HINT_BRIER_NO_ONEHOT = (
    "you subtracted the label y itself (a class number) from every probability: compare "
    "with the one-hot truth, np.eye(k)[y], 1 in the true class's column and 0 elsewhere"
)
HINT_BRIER_ALL_ONES = (
    "you compared every class with 1, (1 - p_j)^2: only the true class's target is 1, the "
    "others' are 0, so their terms are p_j^2. Use the one-hot truth, np.eye(k)[y]"
)
HINT_BRIER_NARROW_ONEHOT = (
    "your one-hot has fewer columns than p: k is p.shape[1], the number of classes, not "
    "y.max() + 1 or len(y). A class no example has still gets a column, and one example "
    "still has k of them"
)
HINT_BRIER_HALF = (
    "you divided by 2 (some texts rescale the multi-class score to [0, 1]): this lesson's "
    "score is the plain mean of the row sums, between 0 and 2"
)


# -- wrong answers the hints name ---------------------------------------------------------


def _onehot(p, y):
    p = np.asarray(p, dtype=np.float64)
    return p, np.eye(p.shape[1])[np.asarray(y)]


def _squares(p, y):
    """(n, k) squared differences (p_ij - onehot_ij)^2, in float64."""
    p, o = _onehot(p, y)
    return (p - o) ** 2


def _true_only(p, y):
    p, _ = _onehot(p, y)
    return float(np.mean((1 - p[np.arange(len(p)), np.asarray(y)]) ** 2))


def _top_label(p, y):
    p, _ = _onehot(p, y)
    right = (np.argmax(p, axis=1) == np.asarray(y)).astype(np.float64)
    return float(np.mean((p.max(axis=1) - right) ** 2))


def _argmax_prediction(p, y):
    p, o = _onehot(p, y)
    predicted = np.eye(p.shape[1])[np.argmax(p, axis=1)]
    return float(np.mean(np.sum((predicted - o) ** 2, axis=1)))


def _narrow_onehot(p, y, width):
    """The score with a one-hot of ``width`` columns (cut to k), broadcast against p."""
    p = np.asarray(p, dtype=np.float64)
    onehot = np.eye(width)[np.asarray(y)][:, : p.shape[1]]
    if onehot.shape[1] == p.shape[1]:
        raise ValueError("as wide as p: not this mistake")
    return float(np.mean(np.sum((p - onehot) ** 2, axis=1)))


def _label_not_onehot(p, y):
    p, _ = _onehot(p, y)
    return float(np.mean(np.sum((p - np.asarray(y)[:, None]) ** 2, axis=1)))


def _row_norms(p, y):
    p, o = _onehot(p, y)
    return float(np.mean(np.linalg.norm(p - o, axis=1)))


def _absolute(p, y):
    p, o = _onehot(p, y)
    return float(np.mean(np.sum(np.abs(p - o), axis=1)))


MISTAKES = [
    Mistake(HINT_BRIER_ONE_NUMBER, lambda p, y: np.sum(_squares(p, y), axis=1)),
    Mistake(HINT_BRIER_MEAN_ALL, lambda p, y: float(np.mean(_squares(p, y)))),
    Mistake(HINT_BRIER_SUM, lambda p, y: float(np.sum(_squares(p, y)))),
    Mistake(HINT_BRIER_TRUE_ONLY, _true_only),
    Mistake(HINT_BRIER_TOP_LABEL, _top_label),
    Mistake(HINT_BRIER_ROOT, lambda p, y: float(np.sqrt(np.mean(np.sum(_squares(p, y), axis=1))))),
    Mistake(HINT_BRIER_ROW_NORMS, _row_norms),
    Mistake(HINT_BRIER_ABS, _absolute),
    Mistake(HINT_BRIER_ARGMAX, _argmax_prediction),
    Mistake(HINT_BRIER_HALF, lambda p, y: float(np.mean(np.sum(_squares(p, y), axis=1)) / 2)),
    Mistake(HINT_BRIER_AXIS0, lambda p, y: float(np.mean(np.sum(_squares(p, y), axis=0)))),
    # before the two below, which give the same numbers on one example of class 0
    Mistake(HINT_BRIER_NARROW_ONEHOT, lambda p, y: _narrow_onehot(p, y, int(np.max(y)) + 1)),
    Mistake(HINT_BRIER_NARROW_ONEHOT, lambda p, y: _narrow_onehot(p, y, len(y))),
    Mistake(HINT_BRIER_NO_ONEHOT, _label_not_onehot),
    Mistake(
        HINT_BRIER_ALL_ONES, lambda p, y: float(np.mean(np.sum((1 - _onehot(p, y)[0]) ** 2, 1)))
    ),
]


#: One number against one number (any real scalar or one-element array, judged in
#: float64); float32 input widens the tolerance to 1e-5: the engine's one-number policy.
_compare_number = comparer(one_number="float64", rtol32=1e-5, one_number_hint=HINT_BRIER_ONE_NUMBER)


def check_brier_score(brier_score_fn, quiet=False) -> bool:
    """Check Exercise 6.5: ``brier_score(p, y)``, one float."""
    rng = np.random.default_rng(65)
    p3 = np.array([[0.7, 0.2, 0.1], [0.1, 0.6, 0.3], [0.25, 0.25, 0.5]])
    y3 = np.array([0, 2, 2])
    p_big = softmax(2.0 * rng.normal(size=(300, 10)), axis=1)
    y_big = rng.integers(0, 10, 300)
    p_two = softmax(rng.normal(size=(50, 2)), axis=1)
    y_two = rng.integers(0, 2, 50)
    eye4 = np.eye(4)
    cases = [
        Case("3 examples x 3 classes", (p3, y3)),
        Case("300 examples x 10 classes", (p_big, y_big)),
        Case("two classes", (p_two, y_two)),
        Case("one-hot predictions, all right (score 0)", (eye4, np.arange(4))),
        Case("one-hot predictions, all wrong (score 2)", (eye4, np.array([1, 2, 3, 0]))),
        Case("one example", (np.array([[0.2, 0.8]]), np.array([0]))),
        Case("float32 probabilities", (p3.astype(np.float32), y3)),
    ]
    return run_check(
        "Exercise 6.5 brier_score",
        brier_score_fn,
        brier_score,
        cases,
        arg_names=["p", "y"],
        mistakes=MISTAKES,
        compare=_compare_number,
        quiet=quiet,
    )
