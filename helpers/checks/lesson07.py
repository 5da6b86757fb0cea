"""Checks for lesson 07, The loss surface of softmax regression.

Every exercise returns an array (a gradient, a Hessian, new weights), so every
check uses the engine's ``compare_arrays``; the mistakes below are the slips a
derivation invites (a sign, a forgotten 1/n, the wrong Kronecker order, the
averaged probabilities, an unweighted Hessian), each with the hint that names it.
All cases are float64 with the bias folded into ``W`` (``helpers.loss_surface.with_bias``).
"""

from __future__ import annotations

import numpy as np

from ..loss_surface import (
    _logistic_parts,
    descent_path,
    fit_logistic,
    logistic_newton_step,
    softmax_regression_grad,
    softmax_regression_hessian,
    with_bias,
)
from ..sigmoid import sigmoid
from ..softmax import softmax
from ._core import Case, Kind, Mistake, compare_arrays, run_check

__all__ = ["check_nll_grad", "check_nll_hessian", "check_map_grad", "check_newton_step"]

WARNING_HINT = (
    "exp() overflowed on the way: compute the probabilities with a stable softmax "
    "(helpers.softmax, or subtract each row's max before exp), as in lesson 02"
)


def _onehot(y, k):
    Y = np.zeros((len(y), k))
    Y[np.arange(len(y)), y] = 1.0
    return Y


def _probs(W, X):
    return softmax(X @ W.T, axis=-1)  # (n, k)


HINT_COLUMN_MORE = (
    "one column too many: X already ends with the bias column of ones (helpers.with_bias was "
    "applied before the call), so the answer has W's shape (k, d); do not append another"
)
HINT_COLUMN_LESS = (
    "one column short: the last column of X is the bias column of ones, and its column of "
    "the answer is the biases' gradient; keep every column of X"
)


HINT_NAN = (
    "nan from the probabilities: either exp() overflowed (no max subtracted), or the max of "
    "the whole array was subtracted instead of each row's own, so every class of some example "
    "underflowed to 0 and 0 / 0 gave nan; subtract each row's own max "
    "(Z.max(axis=1, keepdims=True)), or use helpers.softmax"
)
HINT_DIGITS = (
    "close, but not to float64 precision: a float32 step on the way, a finite-difference "
    "approximation, or a small eps added for safety (in newton_step, a ridge eps * I) moves "
    "the digits; compute in float64 with the exact formula"
)


def _compare_columns(got, want, **kwargs):
    """``compare_arrays``, naming a bias column appended twice or dropped (shape (k, d +- 1)),
    the two ways an unstable softmax gives nan, and an answer that is close but has lost
    digits (float32 or finite differences). Decided on the outcome's kind, never its text."""
    outcome = compare_arrays(got, want, **kwargs)
    if outcome.ok or outcome.mistake is not None:
        return outcome
    if outcome.kind is Kind.NONFINITE and np.isnan(np.asarray(got, dtype=float)).any():
        outcome.hint = HINT_NAN
    elif outcome.kind is Kind.WRONG_VALUES and outcome.generic and 0.0 < outcome.err <= 1e-4:
        outcome.hint = HINT_DIGITS
    elif outcome.kind is Kind.SHAPE:
        shape, want_shape = np.shape(got), np.shape(want)
        if len(shape) == 2 == len(want_shape) and shape[0] == want_shape[0]:
            if shape[1] == want_shape[1] + 1:
                outcome.hint = HINT_COLUMN_MORE
            elif shape[1] == want_shape[1] - 1:
                outcome.hint = HINT_COLUMN_LESS
    return outcome


def _run_check(*args, **options):
    """``run_check`` with what every lesson 07 check shares: its comparer and warning hint."""
    return run_check(*args, compare=_compare_columns, warning_hint=WARNING_HINT, **options)


def _problem(n, k, d, seed, scale=1.0):
    """A random (W, X, y) with the bias folded in: X has d - 1 features and a column of ones."""
    rng = np.random.default_rng(seed)
    X = with_bias(rng.normal(size=(n, d - 1)))
    W = scale * rng.normal(size=(k, d))
    y = np.arange(n) % k  # every class present
    rng.shuffle(y)
    return W, X, y


_W3 = np.array([[0.5, -1.0, 0.2], [-0.3, 0.8, 0.0], [1.0, 0.25, -0.4]])
_X4 = np.array([[1.0, 2.0, 1.0], [-0.5, 0.5, 1.0], [2.0, -1.0, 1.0], [0.0, 0.0, 1.0]])
_y4 = np.array([0, 2, 1, 2])


# -- Exercise 7.1 nll_grad -------------------------------------------------------------

HINT_GRAD_SIGN = (
    "that is minus the answer, (Y - S)^T X / n, the gradient of the log-likelihood: the NLL "
    "is its negative, so its gradient is (S - Y)^T X / n"
)
HINT_GRAD_SUM = "that is n times the answer: the loss is a mean, so divide the sum by n"
HINT_GRAD_NO_Y = (
    "you left out the one-hot labels: lesson 03's gradient with respect to the logits is "
    "s - y, not s alone"
)
HINT_GRAD_TRANSPOSE = (
    "that is X^T (S - Y) / n, the transpose: the gradient has W's shape (k, d), one row "
    "per class, so write (S - Y).T @ X / n"
)
HINT_GRAD_AXIS0 = (
    "the probabilities were normalised over the examples (axis 0): softmax runs over the "
    "classes of each example, axis=-1"
)
HINT_GRAD_NK = "that divides by n * k: the loss is a mean over the n examples only"
HINT_GRAD_K = (  # shown on the first case, where k = d = 3: the two slips look the same
    "you divided by k = len(W), the number of classes, or by d = X.shape[1], the number of "
    "features (both are 3 in this case): the loss is a mean over the n = len(y) examples, "
    "so divide by n"
)
HINT_GRAD_LOGITS = (
    "the logits are X @ W.T (z_i = W x_i, one row of W per class), not X @ W: "
    "with W of shape (k, d) and X of shape (n, d), X @ W.T has shape (n, k)"
)
HINT_GRAD_SIGMOID = (
    "those are sigmoids of each logit on its own (one-vs-rest): softmax regression's "
    "probabilities are softmax(z_i), which couple the classes and sum to 1 in each row"
)


def _large_features(n, k, d, seed, size=1e4):
    """Raw features of size ~``size`` and weights ~1/size: logits of order 1, but a Hessian
    whose entries reach size^2, where finite differences lose many digits."""
    W, X, y = _problem(n, k, d, seed)
    X[:, :-1] *= size
    W[:, :-1] /= size
    return W, X, y


HINT_GRAD_TRUE_ONLY = (
    "only the true class's row got a gradient (s_y - 1) x: every class j gets s_j x, the "
    "wrong classes' probabilities pushing their own rows down. Use all of S - Y, "
    "(S - Y)^T X / n"
)


def _true_class_only(W, X, y):
    """S - Y kept only at the true classes: (s_y - 1) x in row y, 0 elsewhere."""
    rows = np.arange(len(y))
    G = np.zeros((len(y), W.shape[0]))
    G[rows, y] = _probs(W, X)[rows, y] - 1.0
    return G.T @ X / X.shape[0]


def check_nll_grad(nll_grad, quiet=False) -> bool:
    """Check Exercise 7.1: ``nll_grad(W, X, y) = (S - Y)^T X / n``, shape (k, d)."""
    W_big, X_big, y_big = _problem(30, 5, 4, seed=71)
    W_sq, X_sq, y_sq = _problem(6, 3, 3, seed=72)
    X_wide = with_bias(np.random.default_rng(73).normal(size=(8, 6)))
    cases = [
        Case("3 classes, 4 examples, bias folded in (d = 3)", (_W3, _X4, _y4)),
        Case("5 classes, 30 examples, d = 4", (W_big, X_big, y_big)),
        Case(
            "two classes, one feature and the bias",
            (
                np.array([[0.5, -0.2], [-1.0, 0.3]]),
                with_bias([[1.0], [-2.0], [0.5]]),
                np.array([1, 0, 1]),
            ),
        ),
        Case(
            "one example (n = 1) with label 1 of k = 3 classes (k is W's row count, not y's)",
            (_W3, _X4[:1], np.array([1])),
        ),
        Case("W = 0: every class has probability 1/k", (np.zeros((3, 3)), _X4, _y4)),
        Case("k = d = 3 (a transposed answer has the right shape)", (W_sq, X_sq, y_sq)),
        Case(
            "large weights (logits near 1e3): needs a stable softmax",
            (700.0 * _W3, _X4, _y4),
        ),
        Case(
            "a non-contiguous X (every other column), a class no example has",
            (np.ones((4, 4)) * [[0.1], [0.2], [-0.1], [0.0]], X_wide[:, ::2], np.arange(8) % 3),
        ),
        Case(
            "raw features of size ~1e4 (not standardised), logits of order 1",
            _large_features(12, 3, 4, seed=79),
        ),
    ]

    def grad_with(S_of, sign=1.0, scale=lambda X, W: 1.0 / X.shape[0], labels=True):
        def wrong(W, X, y):
            G = S_of(W, X) - (_onehot(y, W.shape[0]) if labels else 0.0)
            return sign * G.T @ X * scale(X, W)

        return wrong

    mistakes = [
        Mistake(HINT_GRAD_SIGN, grad_with(_probs, sign=-1.0)),
        Mistake(HINT_GRAD_SUM, grad_with(_probs, scale=lambda X, W: 1.0)),
        Mistake(HINT_GRAD_NO_Y, grad_with(_probs, labels=False)),
        Mistake(HINT_GRAD_AXIS0, grad_with(lambda W, X: softmax(X @ W.T, axis=0))),
        Mistake(
            HINT_GRAD_NK, grad_with(_probs, scale=lambda X, W: 1.0 / (X.shape[0] * W.shape[0]))
        ),
        Mistake(
            HINT_GRAD_TRANSPOSE,
            lambda W, X, y: X.T @ (_probs(W, X) - _onehot(y, W.shape[0])) / X.shape[0],
        ),
        Mistake(HINT_GRAD_K, grad_with(_probs, scale=lambda X, W: 1.0 / W.shape[0])),
        Mistake(HINT_GRAD_LOGITS, grad_with(lambda W, X: softmax(X @ W, axis=-1))),
        Mistake(HINT_GRAD_SIGMOID, grad_with(lambda W, X: sigmoid(X @ W.T))),
        Mistake(HINT_GRAD_TRUE_ONLY, _true_class_only),
    ]
    return _run_check(
        "Exercise 7.1 nll_grad",
        nll_grad,
        softmax_regression_grad,
        cases,
        arg_names=["W", "X", "y"],
        mistakes=mistakes,
        forbid=(softmax_regression_grad, descent_path),
        quiet=quiet,
    )


# -- Exercise 7.2 nll_hessian ----------------------------------------------------------

HINT_HESS_DIAG = (
    "you kept only diag(s) kron x x^T: lesson 03's Jacobian is diag(s) - s s^T, and the "
    "- s s^T part couples the classes"
)
HINT_HESS_PLUS = "the outer product enters with a minus sign: diag(s) - s s^T, not + s s^T"
HINT_HESS_ORDER = (
    "the Kronecker factors are swapped: with W.ravel() row by row (class by class), the "
    "class factor comes first, np.kron(diag(s) - s s^T, x x^T)"
)
HINT_HESS_SUM = "that is n times the answer: the loss is a mean, so divide the sum by n"
HINT_HESS_MEAN_S = (
    "you averaged first: (diag(s_mean) - s_mean s_mean^T) kron (X^T X / n) is not the mean "
    "of the products; sum the Kronecker product over the examples, one s_i and x_i at a time"
)
HINT_HESS_NEG = (
    "that is minus the Hessian: lesson 03's Jacobian is diag(s) - s s^T, not s s^T - diag(s); "
    "the Hessian of this convex loss has no negative eigenvalues"
)
HINT_HESS_AXES = (
    "the entries are right but in the wrong places: your 4-d array was in the order "
    "(c, c', j, j'); W.ravel() needs (c, j, c', j') before the reshape to (k d, k d), "
    "e.g. einsum output 'cjel', not 'cejl'"
)
HINT_HESS_DOT_S = (
    "s @ s is one number (a dot product): the class factor is the k x k matrix "
    "diag(s) - np.outer(s, s)"
)
HINT_HESS_DOT_X = (
    "x @ x is one number (a dot product): the feature factor is the d x d matrix np.outer(x, x)"
)
HINT_HESS_BLOCKDIAG = (
    "only the diagonal blocks are there: the off-diagonal blocks -s_c s_c' x x^T couple "
    "class c with class c'"
)


def _hessian_from(
    jac, pair=lambda A, B: np.kron(A, B), scale=lambda n: 1.0 / n, probs=lambda W, X: _probs(W, X)
):
    """A Hessian built example by example from a per-example Jacobian ``jac(s)``."""

    def wrong(W, X):
        S = probs(W, X)
        H = sum(pair(jac(s), np.outer(x, x)) for s, x in zip(S, X, strict=True))
        return H * scale(X.shape[0])

    return wrong


def _mean_s_hessian(W, X):
    s = _probs(W, X).mean(axis=0)
    return np.kron(np.diag(s) - np.outer(s, s), X.T @ X / X.shape[0])


def _axes_swapped_hessian(W, X):
    k, d = W.shape
    S = _probs(W, X)
    J = np.einsum("ic,ce->ice", S, np.eye(k)) - np.einsum("ic,ie->ice", S, S)
    return np.einsum("ice,ij,il->cejl", J, X, X).reshape(k * d, k * d) / X.shape[0]


def check_nll_hessian(nll_hessian, quiet=False) -> bool:
    """Check Exercise 7.2: ``nll_hessian(W, X)``, the (k d, k d) Hessian of the mean NLL."""
    W_big, X_big, _ = _problem(25, 4, 3, seed=74)
    W_two, X_two, _ = _problem(7, 2, 4, seed=75)
    cases = [
        Case("3 classes, 4 examples, bias folded in (d = 3)", (_W3, _X4)),
        Case("4 classes, 25 examples, d = 3", (W_big, X_big)),
        Case("two classes, d = 4", (W_two, X_two)),
        Case("one example (n = 1)", (_W3, _X4[1:2])),
        Case("W = 0: every class has probability 1/k", (np.zeros((3, 3)), _X4)),
        Case("d = 1 (only the bias column)", (np.array([[0.2], [-0.7], [1.1]]), np.ones((5, 1)))),
        Case("large weights (logits near 1e3): needs a stable softmax", (700.0 * _W3, _X4)),
        Case(
            "raw features of size ~1e4 (not standardised), logits of order 1",
            _large_features(12, 3, 4, seed=80)[:2],
        ),
    ]
    mistakes = [
        Mistake(HINT_HESS_DIAG, _hessian_from(np.diag)),
        Mistake(HINT_HESS_PLUS, _hessian_from(lambda s: np.diag(s) + np.outer(s, s))),
        Mistake(
            HINT_HESS_ORDER,
            _hessian_from(lambda s: np.diag(s) - np.outer(s, s), pair=lambda A, B: np.kron(B, A)),
        ),
        Mistake(
            HINT_HESS_SUM, _hessian_from(lambda s: np.diag(s) - np.outer(s, s), scale=lambda n: 1.0)
        ),
        Mistake(HINT_HESS_MEAN_S, _mean_s_hessian),
        Mistake(HINT_HESS_BLOCKDIAG, _hessian_from(lambda s: np.diag(s * (1 - s)))),
        Mistake(HINT_HESS_NEG, _hessian_from(lambda s: np.outer(s, s) - np.diag(s))),
        Mistake(HINT_HESS_AXES, _axes_swapped_hessian),
        Mistake(HINT_HESS_DOT_S, _hessian_from(lambda s: np.diag(s) - s @ s)),
        Mistake(
            HINT_HESS_DOT_X,
            _hessian_from(
                lambda s: np.diag(s) - np.outer(s, s),
                pair=lambda A, B: np.kron(A, np.full_like(B, np.trace(B))),
            ),
        ),
        Mistake(
            HINT_GRAD_AXIS0,  # the probabilities as 7.1 got them wrong: the same hint
            _hessian_from(
                lambda s: np.diag(s) - np.outer(s, s), probs=lambda W, X: softmax(X @ W.T, axis=0)
            ),
        ),
    ]
    return _run_check(
        "Exercise 7.2 nll_hessian",
        nll_hessian,
        softmax_regression_hessian,
        cases,
        arg_names=["W", "X"],
        mistakes=mistakes,
        forbid=(softmax_regression_hessian,),
        quiet=quiet,
    )


# -- Exercise 7.3 map_grad -------------------------------------------------------------

HINT_MAP_HALF = (
    "the penalty is (lambda/2) ||W||^2 and its gradient is lambda W: the 2 from the square "
    "cancels the 1/2"
)
HINT_MAP_DOUBLE = "that is 2 lambda W: the 1/2 in (lambda/2) ||W||^2 cancels the 2 from the square"
HINT_MAP_SIGN = (
    "the penalty's gradient is + lambda W: the prior pulls W towards 0, so the gradient "
    "points away from 0"
)
HINT_MAP_NONE = "you left out the penalty: add weight_decay * W to the NLL's gradient"
HINT_MAP_OVER_N = (
    "lambda W was divided by n: in this lesson the penalty is added to the mean NLL as it "
    "is, L(W) + (lambda/2) ||W||^2, so its gradient is lambda W"
)
HINT_MAP_NO_BIAS = (
    "the bias column was left out of the penalty: that is a common convention (lesson 04 "
    "used it), but here the prior covers every entry of W, bias column included, which is "
    "what makes the Hessian plus lambda I positive definite"
)
HINT_MAP_VALUE = (
    "you added the penalty's value, a single number, to every entry: the gradient of "
    "(lambda/2) ||W||^2 is the array lambda W"
)
HINT_MAP_DECOUPLED = (
    "(1 - lambda) W is not a gradient: it is a decay factor like lesson 04's "
    "W <- (1 - eta lambda) W, mixed up with the gradient; the penalty's gradient is lambda W"
)
HINT_MAP_SQUARED = (
    "lambda W**2 squares each entry: the derivative of (lambda/2) W_ij^2 with respect to W_ij "
    "is lambda W_ij, so the penalty's gradient is lambda W"
)
HINT_MAP_NORM = (
    "lambda ||W|| is one number added to every entry: the gradient of (lambda/2) ||W||^2 is "
    "the array lambda W"
)
HINT_MAP_UPDATE = (
    "that is a descent step, W minus the gradient: return the gradient itself, "
    "nll_grad(W, X, y) + weight_decay * W"
)
HINT_MAP_L1 = (
    "that is the gradient of lambda ||W||_1 (a Laplace prior): the Gaussian prior gives lambda W"
)


def check_map_grad(map_grad, quiet=False) -> bool:
    """Check Exercise 7.3: ``map_grad(W, X, y, weight_decay)`` = NLL gradient + lambda W."""
    W_big, X_big, y_big = _problem(30, 4, 3, seed=76)
    cases = [
        Case("3 classes, 4 examples, lambda = 0.1", (_W3, _X4, _y4, 0.1)),
        Case("4 classes, 30 examples, lambda = 0.01", (W_big, X_big, y_big, 0.01)),
        Case("lambda = 0: the plain NLL gradient", (_W3, _X4, _y4, 0.0)),
        Case("W = 0: the penalty's gradient is 0", (np.zeros((3, 3)), _X4, _y4, 0.5)),
        Case("a large lambda (100)", (_W3, _X4, _y4, 100.0)),
        Case("large weights (logits near 1e3), lambda = 1e-3", (700.0 * _W3, _X4, _y4, 1e-3)),
    ]

    def nll(W, X, y):
        return softmax_regression_grad(W, X, y)

    def no_bias(W):
        V = W.copy()
        V[:, -1] = 0.0
        return V

    mistakes = [
        Mistake(HINT_MAP_NONE, lambda W, X, y, lam: nll(W, X, y)),
        Mistake(HINT_MAP_HALF, lambda W, X, y, lam: nll(W, X, y) + lam / 2 * W),
        Mistake(HINT_MAP_DOUBLE, lambda W, X, y, lam: nll(W, X, y) + 2 * lam * W),
        Mistake(HINT_MAP_SIGN, lambda W, X, y, lam: nll(W, X, y) - lam * W),
        Mistake(HINT_MAP_OVER_N, lambda W, X, y, lam: nll(W, X, y) + lam * W / X.shape[0]),
        Mistake(HINT_MAP_NO_BIAS, lambda W, X, y, lam: nll(W, X, y) + lam * no_bias(W)),
        Mistake(HINT_MAP_L1, lambda W, X, y, lam: nll(W, X, y) + lam * np.sign(W)),
        Mistake(HINT_MAP_VALUE, lambda W, X, y, lam: nll(W, X, y) + lam / 2 * np.sum(W**2)),
        Mistake(HINT_MAP_VALUE, lambda W, X, y, lam: nll(W, X, y) + lam * np.sum(W**2)),
        Mistake(HINT_MAP_DECOUPLED, lambda W, X, y, lam: nll(W, X, y) + (1 - lam) * W),
        Mistake(HINT_MAP_SQUARED, lambda W, X, y, lam: nll(W, X, y) + lam * W**2),
        Mistake(HINT_MAP_NORM, lambda W, X, y, lam: nll(W, X, y) + lam * np.linalg.norm(W)),
        Mistake(HINT_MAP_UPDATE, lambda W, X, y, lam: W - (nll(W, X, y) + lam * W)),
    ]
    return _run_check(
        "Exercise 7.3 map_grad",
        map_grad,
        softmax_regression_grad,
        cases,
        arg_names=["W", "X", "y", "weight_decay"],
        mistakes=mistakes,
        earlier={"nll_grad": ("Exercise 7.1", check_nll_grad)},
        forbid=(descent_path,),
        quiet=quiet,
    )


# -- Exercise 7.4 newton_step ----------------------------------------------------------

HINT_NEWTON_GD = (
    "that is a gradient-descent step w - g with step size 1: Newton's step solves with the "
    "Hessian, w - H^{-1} g"
)
HINT_NEWTON_PLUS = (
    "the step goes the wrong way: w - H^{-1} g (H is positive definite, so -H^{-1} g "
    "points downhill)"
)
HINT_NEWTON_UNWEIGHTED = (
    "the Hessian has no weights: X^T X / n is least squares' Hessian; the logistic NLL's is "
    "X^T R X / n with R = diag(p (1 - p))"
)
HINT_NEWTON_P = "the weights are p (1 - p), the derivative of the sigmoid, not p"
HINT_NEWTON_SCALE = (
    "g and H are scaled differently (one divided by n, the other not): scale both the same "
    "way, or neither; the step H^{-1} g does not change then"
)
HINT_NEWTON_DELTA = "that is the step -H^{-1} g alone: return the new weights, w - H^{-1} g"
HINT_NEWTON_TIMES_H = (
    "you multiplied the gradient by H: Newton's step divides by it, w - H^{-1} g, computed "
    "as w - np.linalg.solve(H, g)"
)
HINT_NEWTON_WEIGHTS_SQUARED = (
    "the weights are p (1 - p), the derivative of the sigmoid, not (1 - p)^2 or p^2"
)
HINT_NEWTON_FIT_LABELS = (
    "that fits the labels y by weighted least squares, (X^T R X)^{-1} X^T R y: Newton's step "
    "starts from w, w - H^{-1} g with g = X^T (p - y) / n (IRLS regresses on a working "
    "response, not on y)"
)
HINT_NEWTON_DIAG = (
    "you divided by the diagonal of H only: Newton's step solves the full system "
    "np.linalg.solve(H, g)"
)


def _logistic(w, X, y, weights=lambda p: p * (1 - p)):
    p = sigmoid(X @ w)
    g = X.T @ (p - y) / len(y)
    H = (X.T * weights(p)) @ X / len(y)
    return g, H


def _weighted_least_squares_on_labels(w, X, y):
    r = sigmoid(X @ w) * (1 - sigmoid(X @ w))
    return np.linalg.solve((X.T * r) @ X, (X.T * r) @ y)


def check_newton_step(newton_step, quiet=False) -> bool:
    """Check Exercise 7.4: ``newton_step(w, X, y)``, one Newton (IRLS) step, shape (d,)."""
    rng = np.random.default_rng(77)
    X_blob = with_bias(np.concatenate([rng.normal(-1, 1, (10, 2)), rng.normal(1, 1, (10, 2))]))
    y_blob = np.repeat([0, 1], 10)
    X_one = with_bias([[1.0], [-1.0], [2.0], [0.5], [-1.5]])
    y_one = np.array([1, 0, 0, 1, 0])
    cases = [
        # first from w != 0: at w = 0 every p is 1/2, and the step H^{-1} g alone, or g
        # weighted by p (1 - p), would look like other mistakes
        Case(
            "20 points in the plane, from w = (1, -0.5, 0.3)",
            (np.array([1.0, -0.5, 0.3]), X_blob, y_blob),
        ),
        Case("the same points, from w = 0", (np.zeros(3), X_blob, y_blob)),
        Case("one feature and the bias", (np.array([0.2, -0.1]), X_one, y_one)),
        Case(
            "four features, 40 points",
            (
                0.3 * rng.normal(size=5),
                with_bias(rng.normal(size=(40, 4))),
                (rng.random(40) < 0.4).astype(np.int64),
            ),
        ),
        Case("larger weights (some p near 0 or 1)", (np.array([3.0, 2.0, -1.0]), X_blob, y_blob)),
        Case("a non-contiguous X (every other row)", (np.zeros(3), X_blob[::2], y_blob[::2])),
    ]

    def step(g_H, solve=np.linalg.solve, sign=-1.0):
        def wrong(w, X, y):
            g, H = g_H(w, X, y)
            return w + sign * solve(H, g)

        return wrong

    mistakes = [
        Mistake(HINT_NEWTON_GD, lambda w, X, y: w - _logistic(w, X, y)[0]),
        Mistake(HINT_NEWTON_PLUS, step(_logistic, sign=1.0)),
        Mistake(
            HINT_NEWTON_UNWEIGHTED, step(lambda w, X, y: _logistic(w, X, y, lambda p: 1.0 + 0 * p))
        ),
        Mistake(HINT_NEWTON_P, step(lambda w, X, y: _logistic(w, X, y, lambda p: p))),
        Mistake(
            HINT_NEWTON_SCALE,
            step(lambda w, X, y: (lambda g, H: (g, H * len(y)))(*_logistic(w, X, y))),
        ),
        Mistake(
            HINT_NEWTON_SCALE,
            step(lambda w, X, y: (lambda g, H: (g * len(y), H))(*_logistic(w, X, y))),
        ),
        Mistake(HINT_NEWTON_DIAG, step(_logistic, solve=lambda H, g: g / np.diag(H))),
        Mistake(HINT_NEWTON_DELTA, lambda w, X, y: step(_logistic)(w, X, y) - w),
        Mistake(HINT_NEWTON_TIMES_H, step(_logistic, solve=lambda H, g: H @ g)),
        Mistake(
            HINT_NEWTON_WEIGHTS_SQUARED,
            step(lambda w, X, y: _logistic(w, X, y, lambda p: (1 - p) ** 2)),
        ),
        Mistake(
            HINT_NEWTON_WEIGHTS_SQUARED, step(lambda w, X, y: _logistic(w, X, y, lambda p: p**2))
        ),
        Mistake(HINT_NEWTON_FIT_LABELS, _weighted_least_squares_on_labels),
    ]
    return _run_check(
        "Exercise 7.4 newton_step",
        newton_step,
        logistic_newton_step,
        cases,
        arg_names=["w", "X", "y"],
        mistakes=mistakes,
        forbid=(logistic_newton_step, fit_logistic, _logistic_parts),
        quiet=quiet,
    )
