"""A learner works through lessons/07_loss_surface.ipynb: wrong answers first, then right ones.

The lesson's cells run in order in one namespace, as in JupyterLab. At each exercise the
learner first types a typical wrong answer (the one the guide page lists as the usual
slip), runs the check cell and must read a ❌ with the hint that names the slip; then
types the solution and must read a ✅. The demos between the exercises must run
whatever the learner's functions are (they use the ``helpers`` references). Marked
``slow``: it executes the whole lesson.
"""

from __future__ import annotations

import pytest

from tests.learner_walk import walk

WRONG = {
    "7.1": (
        "def nll_grad(W, X, y):\n"
        "    S = helpers.softmax(X @ W.T)\n"
        "    S[np.arange(len(y)), y] -= 1\n"
        "    return S.T @ X\n",
        "that is n times the answer",
    ),
    "7.2": (
        "def nll_hessian(W, X):\n"
        "    S = helpers.softmax(X @ W.T)\n"
        "    return sum(np.kron(np.outer(x, x), np.diag(s) - np.outer(s, s))"
        " for s, x in zip(S, X)) / len(X)\n",
        "the Kronecker factors are swapped",
    ),
    "7.3": (
        "def map_grad(W, X, y, weight_decay):\n"
        "    return nll_grad(W, X, y) + weight_decay / 2 * W\n",
        "cancels the 1/2",
    ),
    "7.4": (
        "def newton_step(w, X, y):\n"
        "    p = helpers.sigmoid(X @ w)\n"
        "    return w - np.linalg.solve(X.T @ X / len(y), X.T @ (p - y) / len(y))\n",
        "least squares' Hessian",
    ),
}


@pytest.mark.slow
def test_a_learner_gets_a_named_hint_then_a_pass_for_every_exercise():
    assert walk("07_loss_surface", WRONG) == ["7.1", "7.2", "7.3", "7.4"]
