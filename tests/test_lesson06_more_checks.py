"""Lesson 06, Exercise 6.5 (``brier_score``): right answers pass; every wrong one is named.

Each wrong answer below is one a learner writes; the check must fail it with the hint that
names it, and miss the tolerance by at least 100 times (so that no CPU's last bits can turn
it into a pass) or fail structurally (an array instead of one number).
"""

from __future__ import annotations

import numpy as np
import pytest

from helpers import calibration, checks
from helpers.checks import lesson06_more as C
from helpers.checks._core import GENERIC_HINT

P3 = np.array([[0.7, 0.2, 0.1], [0.1, 0.6, 0.3], [0.25, 0.25, 0.5]])
Y3 = np.array([0, 2, 2])


def brier_loop(p, y):
    total = 0.0
    for i in range(len(p)):
        for j in range(p.shape[1]):
            total += (p[i, j] - (1.0 if j == y[i] else 0.0)) ** 2
    return total / len(p)


def brier_expanded(p, y):
    """1 - 2 p_y + sum_j p_j^2 per row, as a NumPy scalar."""
    p = np.asarray(p, dtype=np.float64)
    return np.mean(1 - 2 * p[np.arange(len(p)), y] + np.sum(p**2, axis=1))


def brier_onehot(p, y):
    onehot = np.zeros_like(p)
    onehot[np.arange(len(y)), y] = 1
    return float(np.sum((p - onehot) ** 2) / len(p))


@pytest.mark.parametrize(
    "fn",
    [calibration.brier_score, brier_loop, brier_expanded, brier_onehot],
    ids=lambda f: f.__name__,
)
def test_a_right_answer_passes(fn, capsys):
    assert C.check_brier_score(fn) is True
    out = capsys.readouterr().out
    assert out.startswith("✅") and "❌" not in out


def brier_one_element_array(p, y):
    return np.array([calibration.brier_score(p, y)])


def test_one_number_in_a_one_element_array_passes_as_in_the_other_one_number_checks(capsys):
    # the engine's one-number policy (comparer(one_number="float64")), shared with 1.6, 6.1, 6.2
    assert C.check_brier_score(brier_one_element_array) is True
    assert "❌" not in capsys.readouterr().out


def test_the_check_is_registered_and_captured_for_grading():
    assert "check_brier_score" in checks.__all__
    assert checks.check_brier_score is C.check_brier_score


def _onehot(p, y):
    """The learner's one-hot truth, in p's dtype."""
    return np.eye(p.shape[1], dtype=p.dtype)[y]


WRONG = {
    "the right float64 score as np.float32": (
        lambda p, y: np.float32(calibration.brier_score(p, y)),
        "returned a float32 number",
    ),
    # Written as a learner would, not with the check's own mistake functions.
    "one value per example": (
        lambda p, y: np.sum((p - _onehot(p, y)) ** 2, axis=1),
        C.HINT_BRIER_ONE_NUMBER,
    ),
    "mean over all entries": (
        lambda p, y: np.mean((p - _onehot(p, y)) ** 2),
        C.HINT_BRIER_MEAN_ALL,
    ),
    "sum over examples": (lambda p, y: np.sum((p - _onehot(p, y)) ** 2), C.HINT_BRIER_SUM),
    "true class only": (
        lambda p, y: np.mean((1 - p[np.arange(len(y)), y]) ** 2),
        C.HINT_BRIER_TRUE_ONLY,
    ),
    "confidence only": (
        lambda p, y: np.mean((p.max(axis=1) - (p.argmax(axis=1) == y)) ** 2),
        C.HINT_BRIER_TOP_LABEL,
    ),
    "square root": (
        lambda p, y: np.sqrt(np.mean(np.sum((p - _onehot(p, y)) ** 2, axis=1))),
        C.HINT_BRIER_ROOT,
    ),
    "mean of the row norms (not squared)": (
        lambda p, y: np.mean(np.linalg.norm(p - np.eye(p.shape[1], dtype=p.dtype)[y], axis=1)),
        C.HINT_BRIER_ROW_NORMS,
    ),
    "absolute differences": (
        lambda p, y: np.mean(np.sum(np.abs(p - _onehot(p, y)), axis=1)),
        C.HINT_BRIER_ABS,
    ),
    "argmax instead of probabilities": (
        lambda p, y: np.mean(np.sum((_onehot(p, p.argmax(axis=1)) - _onehot(p, y)) ** 2, axis=1)),
        C.HINT_BRIER_ARGMAX,
    ),
    "halved": (
        lambda p, y: np.mean(np.sum((p - _onehot(p, y)) ** 2, axis=1)) / 2,
        C.HINT_BRIER_HALF,
    ),
    "summed over the examples (axis 0), averaged over the classes": (
        lambda p, y: np.mean(np.sum((p - _onehot(p, y)) ** 2, axis=0)),
        C.HINT_BRIER_AXIS0,
    ),
    "one-hot of len(y) columns, cut to k": (
        lambda p, y: np.mean(np.sum((p - np.eye(len(y))[y][:, : p.shape[1]]) ** 2, axis=1)),
        C.HINT_BRIER_NARROW_ONEHOT,
    ),
    "one-hot of y.max() + 1 columns": (
        lambda p, y: np.mean(np.sum((p - np.eye(y.max() + 1)[y]) ** 2, axis=1)),
        C.HINT_BRIER_NARROW_ONEHOT,
    ),
    "every class compared with 1": (
        lambda p, y: np.mean(np.sum((1 - p) ** 2, axis=1)),
        C.HINT_BRIER_ALL_ONES,
    ),
    "the label itself instead of one-hot": (
        lambda p, y: np.mean(np.sum((p - y[:, None]) ** 2, axis=1)),
        C.HINT_BRIER_NO_ONEHOT,
    ),
    "right on the first 50 examples only": (
        lambda p, y: calibration.brier_score(p[:50], y[:50]),
        GENERIC_HINT,
    ),
}


@pytest.mark.parametrize("name", WRONG)
def test_brier_mistakes_are_named(name, capsys):
    fn, hint = WRONG[name]
    assert C.check_brier_score(fn) is False
    out = capsys.readouterr().out
    assert out.startswith("❌") and hint in out, out


# Right on the 3 x 3 first case by coincidence (n = k; n <= 50; every class present): caught
# on a later case, where tests/test_check_margins.py measures their margin. The float32
# number is right to 6e-8: its dtype fails it (tests/test_checks_core.py), not its value.
ONLY_ON_LARGER = (
    "one-hot of len(y) columns, cut to k",  # wrong only where n < k, on one example
    "one-hot of y.max() + 1 columns",  # wrong only where the last class is absent
    "the right float64 score as np.float32",
    "one value per example",
    "summed over the examples (axis 0), averaged over the classes",
    "right on the first 50 examples only",
)


@pytest.mark.parametrize("name", [n for n in WRONG if n not in ONLY_ON_LARGER])
def test_each_wrong_number_misses_the_tolerance_by_100_times(name):
    """On the first case, in float64 (tolerance 1e-7) and float32 (1e-5)."""
    fn, _ = WRONG[name]
    want = calibration.brier_score(P3, Y3)
    for p, rtol in ((P3, 1e-7), (P3.astype(np.float32), 1e-5)):
        got = fn(p, Y3)
        assert abs(got - want) / abs(want) >= 100 * rtol, (name, got, want)


def test_one_value_per_example_fails_structurally(capsys):
    fn, _ = WRONG["one value per example"]
    assert np.shape(fn(P3, Y3)) == (3,)
    assert C.check_brier_score(fn) is False
    assert "one number" in capsys.readouterr().out


def test_a_stub_and_nonsense_are_reported_not_raised(capsys):
    def stub(p, y):
        raise NotImplementedError("Exercise 6.5: brier_score")

    assert C.check_brier_score(stub) is False
    assert C.check_brier_score(lambda p, y: "0.3") is False
    assert C.check_brier_score(lambda p, y: np.nan) is False
    out = capsys.readouterr().out
    assert out.count("❌") + out.count("not done") >= 3


# ------------------------------------------- the catalogue, for tests/test_check_margins.py
# (joined to lesson 06's tables at the end of tests/test_lesson06_checks.py)
MARGIN_WRONG = [(C.check_brier_score, name, fn) for name, (fn, _hint) in WRONG.items()]
MARGIN_RIGHT = [
    (C.check_brier_score, fn.__name__, fn)
    for fn in (calibration.brier_score, brier_loop, brier_expanded, brier_onehot)
]
