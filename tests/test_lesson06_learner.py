"""A learner works through lessons/06_calibration.ipynb: wrong answers first, then right ones.

As tests/test_lesson07_learner.py: the lesson's cells run in order in one namespace. At
each exercise the learner first types a slip seen in the lesson-06 role-play (issue 21),
runs the check and must read a ❌ with the hint that names it; then types the solution
and must read a ✅. For 6.2 the slip is the one the no-minimum cases exist for: a
bisection without the end test, which returns T = 0.05 when every example is right.
Marked ``slow``: it executes the whole lesson.
"""

from __future__ import annotations

import pytest

from helpers.checks import lesson06, lesson06_more
from tests.learner_walk import walk

WRONG = {
    "6.1": (
        "def expected_calibration_error(p, y, n_bins=15):\n"
        "    c, right = p.max(axis=1), p.argmax(axis=1) == y\n"
        "    b = np.minimum(np.digitize(c, np.linspace(0, 1, n_bins + 1)) - 1, n_bins - 1)\n"
        "    return sum(np.mean(b == j) * abs(right[b == j].mean() - c[b == j].mean())\n"
        "               for j in range(n_bins) if np.any(b == j))\n",
        lesson06.HINT_ECE_EDGES,
    ),
    "6.2": (
        "def fit_temperature(z, y):\n"
        "    zf = np.where(np.isfinite(z), z, 0.0)\n"
        "    def d(T):\n"
        "        s = helpers.softmax(z / T, axis=1)\n"
        "        return np.mean(z[np.arange(len(y)), y] - (s * zf).sum(axis=1))\n"
        "    lo, hi = np.log(0.05), np.log(20.0)\n"
        "    for _ in range(100):\n"
        "        mid = (lo + hi) / 2\n"
        "        lo, hi = (mid, hi) if d(np.exp(mid)) < 0 else (lo, mid)\n"
        "    return float(np.exp((lo + hi) / 2))\n",
        lesson06.HINT_T_NO_MINIMUM,
    ),
    "6.3": (
        "def label_smoothing_grad(z, y, eps):\n"
        "    k = z.shape[1]\n"
        "    o = np.eye(k, dtype=z.dtype)[y]\n"
        "    t = (1 - eps) * o + eps / (k - 1) * (1 - o)\n"
        "    return (helpers.softmax(z, axis=1) - t) / len(y)\n",
        lesson06.HINT_LS_OTHER_CONVENTION,
    ),
    "6.4": (
        "def weighted_bce_with_logits(z, y, pos_weight):\n"
        "    sp = lambda x: np.logaddexp(0, x)\n"
        "    return np.mean(y * (sp(-z) - np.log(pos_weight)) + (1 - y) * sp(z))\n",
        lesson06.HINT_W_INSIDE_LOG,
    ),
    "6.5": (
        "def brier_score(p, y):\n"
        "    return float(np.mean(np.sum((p - y[:, None]) ** 2, axis=1)))\n",
        lesson06_more.HINT_BRIER_NO_ONEHOT,
    ),
}


@pytest.mark.slow
def test_a_learner_gets_a_named_hint_then_a_pass_for_every_exercise():
    assert walk("06_calibration", WRONG) == ["6.1", "6.2", "6.3", "6.4", "6.5"]
