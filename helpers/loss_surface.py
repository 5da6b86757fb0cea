r"""The loss surface of softmax regression: its gradient, its Hessian, Newton's method (lesson 07).

Softmax regression with weights :math:`W \in \mathbb{R}^{k \times d}` (one row per
class) scores an input :math:`x \in \mathbb{R}^d` by :math:`z = Wx`. The bias is
folded into :math:`W` as its last column by :func:`with_bias`, which appends a
column of ones to :math:`X`, so every formula here has one parameter matrix.
The mean negative log-likelihood (NLL) with an optional weight decay
:math:`\lambda` (on every entry of :math:`W`, the bias column included) is

.. math::

    L(W) = -\frac1n \sum_{i=1}^n \log \operatorname{softmax}(W x_i)_{y_i}
           + \frac{\lambda}{2}\|W\|_F^2 .

The Hessian acts on ``W.ravel()`` (row-major: class by class), so its
:math:`(c d + j, c' d + j')` entry is
:math:`\partial^2 L / \partial W_{cj}\,\partial W_{c'j'}`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validate import as_float_array, check_positive, check_tolerance
from .sigmoid import sigmoid
from .softmax import log_softmax, softmax

__all__ = [
    "with_bias",
    "softmax_regression_nll",
    "softmax_regression_grad",
    "softmax_regression_hessian",
    "logistic_newton_step",
    "LogisticFit",
    "fit_logistic",
    "DescentPath",
    "descent_path",
]


def with_bias(X):
    """``X`` with a column of ones appended, so that ``W @ x`` includes the bias.

    Parameters
    ----------
    X : array_like of shape (n, d)

    Returns
    -------
    ndarray of shape (n, d + 1)

    Examples
    --------
    >>> with_bias([[2.0, 3.0]])
    array([[2., 3., 1.]])
    """
    X = _matrix(X, "X")
    return np.hstack([X, np.ones((X.shape[0], 1), dtype=X.dtype)])


def _matrix(X, name: str) -> np.ndarray:
    X = as_float_array(X, name)
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError(f"{name} must have shape (n, d) with n >= 1, got {X.shape}")
    if not np.isfinite(X).all():
        raise ValueError(f"{name} contains inf; the loss and its gradient would be nan")
    return X


def _weights(W, d: int) -> np.ndarray:
    W = as_float_array(W, "W")
    if W.ndim != 2 or W.shape[1] != d or W.shape[0] < 2:
        raise ValueError(
            f"W must have shape (k, {d}) with k >= 2 (one row per class), got {W.shape}"
        )
    if not np.isfinite(W).all():
        raise ValueError("W contains inf")
    return W


def _labels(y, n: int, k: int) -> np.ndarray:
    y = np.asarray(y)
    if y.dtype.kind == "b" or y.dtype.kind not in "iu":
        raise TypeError(f"y must be integer class labels, got an array of dtype {y.dtype}")
    if y.shape != (n,):
        raise ValueError(f"y must have shape ({n},), one label per row of X, got {y.shape}")
    if y.size and (y.min() < 0 or y.max() >= k):
        raise ValueError(
            f"y must hold labels in 0..{k - 1} (one per row of W), got {y.min()}..{y.max()}"
        )
    return y.astype(np.intp)


def _decay(weight_decay) -> float:
    return check_tolerance(weight_decay, "weight_decay")


def _data(W, X, y=None):
    X = _matrix(X, "X")
    W = _weights(W, X.shape[1])
    if y is None:
        return W, X, None
    return W, X, _labels(y, X.shape[0], W.shape[0])


def softmax_regression_nll(W, X, y, weight_decay=0.0):
    r"""Mean negative log-likelihood of softmax regression, plus an optional weight decay.

    Parameters
    ----------
    W : array_like of shape (k, d)
        One row of weights per class (fold the bias in with :func:`with_bias`).
    X : array_like of shape (n, d)
    y : array_like of int, shape (n,)
        Class labels in ``0..k-1``.
    weight_decay : float >= 0, default 0
        :math:`\lambda` of the penalty :math:`\tfrac{\lambda}{2}\|W\|_F^2`.

    Returns
    -------
    float

    Notes
    -----
    .. math:: L(W) = -\frac1n \sum_i \log \operatorname{softmax}(W x_i)_{y_i}
              + \frac{\lambda}{2}\|W\|_F^2,

    computed with the stable ``log_softmax`` of lesson 02. With :math:`\lambda > 0`
    it is the negative log posterior (up to a constant) under the Gaussian prior
    :math:`W_{cj} \sim \mathcal N(0, 1/(n\lambda))`: minimising it is MAP estimation.
    Lesson 07 derives it.

    Examples
    --------
    >>> round(softmax_regression_nll([[0.0, 0.0], [0.0, 0.0]], [[1.0, 2.0]], [1]), 6)
    0.693147
    """
    W, X, y = _data(W, X, y)
    lam = _decay(weight_decay)
    logp = log_softmax(X @ W.T, axis=-1)  # (n, k)
    nll = -np.mean(logp[np.arange(X.shape[0]), y])
    return float(nll + 0.5 * lam * np.sum(W * W))


def softmax_regression_grad(W, X, y, weight_decay=0.0):
    r"""Gradient of :func:`softmax_regression_nll` with respect to ``W``.

    Parameters
    ----------
    W : array_like of shape (k, d)
    X : array_like of shape (n, d)
    y : array_like of int, shape (n,)
    weight_decay : float >= 0, default 0

    Returns
    -------
    ndarray of shape (k, d)

    Notes
    -----
    Lesson 03 gave :math:`\partial \ell_i / \partial z_i = s_i - y_i` (one-hot
    :math:`y_i`); the chain rule through :math:`z_i = W x_i` gives
    :math:`(s_i - y_i) x_i^\top` per example, so with :math:`S` the (n, k)
    probabilities and :math:`Y` the one-hot labels

    .. math:: \nabla_W L = \frac1n (S - Y)^\top X + \lambda W .

    The columns of :math:`(S - Y)^\top X` sum to zero over the classes: the
    gradient never moves the sum of the rows (lesson 04's redundant direction).
    Lesson 07 derives it.

    Examples
    --------
    >>> softmax_regression_grad([[0.0], [0.0]], [[2.0]], [1])
    array([[ 1.],
           [-1.]])
    """
    W, X, y = _data(W, X, y)
    lam = _decay(weight_decay)
    n = X.shape[0]
    G = softmax(X @ W.T, axis=-1)  # (n, k): S
    G[np.arange(n), y] -= 1.0  # S - Y
    return G.T @ X / n + lam * W  # (k, d)


def softmax_regression_hessian(W, X, weight_decay=0.0):
    r"""Hessian of :func:`softmax_regression_nll` in ``W.ravel()``: shape (k d, k d).

    Parameters
    ----------
    W : array_like of shape (k, d)
    X : array_like of shape (n, d)
    weight_decay : float >= 0, default 0

    Returns
    -------
    ndarray of shape (k * d, k * d)
        Symmetric, positive semidefinite; positive definite when ``weight_decay > 0``.
        The labels do not enter: the Hessian depends on ``W`` and ``X`` only.

    Notes
    -----
    Differentiate the gradient :math:`\frac1n\sum_i (s_i - y_i) x_i^\top` once
    more: :math:`y_i` is constant and lesson 03's Jacobian is
    :math:`\partial s_i / \partial z_i = \operatorname{diag}(s_i) - s_i s_i^\top`, so

    .. math:: H = \frac1n \sum_i \big(\operatorname{diag}(s_i) - s_i s_i^\top\big)
              \otimes x_i x_i^\top + \lambda I .

    Both factors are positive semidefinite, hence so is each Kronecker product
    and the sum: the NLL is convex in :math:`W`. Every vector
    :math:`\mathbf 1 \otimes v` (the same :math:`v` added to every row) is in
    the null space of the first term, because :math:`(\operatorname{diag}(s) -
    s s^\top)\mathbf 1 = 0`: not strictly convex without weight decay.
    Lesson 07 derives it.

    Examples
    --------
    >>> softmax_regression_hessian([[0.0], [0.0]], [[2.0]])
    array([[ 1., -1.],
           [-1.,  1.]])
    """
    W, X, _ = _data(W, X)
    lam = _decay(weight_decay)
    n, d = X.shape
    k = W.shape[0]
    S = softmax(X @ W.T, axis=-1)  # (n, k)
    SX = (S[:, :, None] * X[:, None, :]).reshape(n, k * d)  # row i: s_i kron x_i
    H = -(SX.T @ SX) / n  # the - s s^T kron x x^T part
    for c in range(k):  # the diag(s) kron x x^T part: block c is X^T diag(S[:, c]) X / n
        H[c * d : (c + 1) * d, c * d : (c + 1) * d] += (X.T * S[:, c]) @ X / n
    H = (H + H.T) / 2  # exactly symmetric
    return H + lam * np.eye(k * d)


# -- two classes: Newton's method (IRLS) against gradient descent --------------------------


def _logistic_parts(w, X, y, lam):
    p = sigmoid(X @ w)  # (n,) P(class 1)
    n = X.shape[0]
    g = X.T @ (p - y) / n + lam * w  # (d,)
    H = (X.T * (p * (1 - p))) @ X / n + lam * np.eye(X.shape[1])  # (d, d)
    return g, H


def _binary(w, X, y):
    X = _matrix(X, "X")
    w = as_float_array(w, "w")
    if w.shape != (X.shape[1],):
        raise ValueError(
            f"w must have shape ({X.shape[1]},), one weight per column of X, got {w.shape}"
        )
    if not np.isfinite(w).all():
        raise ValueError("w contains inf")
    y = _labels(y, X.shape[0], 2).astype(np.float64)
    return w, X, y


def logistic_newton_step(w, X, y, weight_decay=0.0):
    r"""One Newton step (one IRLS iteration) for two-class logistic regression.

    Parameters
    ----------
    w : array_like of shape (d,)
        Current weights (the bias folded in by :func:`with_bias`).
    X : array_like of shape (n, d)
    y : array_like of int, shape (n,)
        Labels 0 and 1; the model predicts :math:`P(y = 1) = \sigma(w^\top x)`.
    weight_decay : float >= 0, default 0

    Returns
    -------
    ndarray of shape (d,)
        :math:`w - H^{-1} g`.

    Raises
    ------
    numpy.linalg.LinAlgError
        If :math:`H` is singular (possible only with ``weight_decay=0``, when
        :math:`X` has dependent columns or every :math:`p_i(1 - p_i)` underflows).

    Notes
    -----
    With :math:`p_i = \sigma(w^\top x_i)` and :math:`R = \operatorname{diag}(p_i(1 - p_i))`,

    .. math:: g = \frac1n X^\top (p - y) + \lambda w, \qquad
              H = \frac1n X^\top R X + \lambda I, \qquad w \leftarrow w - H^{-1} g .

    This is the :math:`k = 2` case of :func:`softmax_regression_hessian` with
    one row fixed to zero. Written as :math:`w \leftarrow (X^\top R X)^{-1} X^\top R\,t`
    with :math:`t = Xw - R^{-1}(p - y)` (for :math:`\lambda = 0`) each step is a
    weighted least-squares fit, hence the name *iteratively reweighted least
    squares* (Bishop PRML 4.3.3). One step costs forming :math:`H`
    (:math:`O(n d^2)`) and one :math:`d \times d` solve (:math:`O(d^3)`).
    Lesson 07 derives it.

    Examples
    --------
    >>> logistic_newton_step([0.0], [[1.0], [-1.0], [2.0]], [1, 0, 1]).round(6)
    array([1.333333])
    """
    w, X, y = _binary(w, X, y)
    g, H = _logistic_parts(w, X, y, _decay(weight_decay))
    return w - np.linalg.solve(H, g)


@dataclass(frozen=True)
class LogisticFit:
    """A run of :func:`fit_logistic`: the weights and the gradient norm at every step.

    ``w[t]`` and ``grad_norm[t]`` are after ``t`` steps (``t = 0`` is the start).
    """

    method: str  # "newton" or "gd"
    w: np.ndarray  # (steps + 1, d)
    grad_norm: np.ndarray  # (steps + 1,)
    lr: float | None  # the gradient-descent step size (None for Newton)

    def steps_to(self, tol) -> int | None:
        """The first step ``t`` with ``grad_norm[t] <= tol``; None if the run never got there."""
        tol = check_tolerance(tol, "tol")
        hit = np.flatnonzero(self.grad_norm <= tol)
        return int(hit[0]) if hit.size else None


def fit_logistic(X, y, w0, *, method="newton", lr=None, weight_decay=0.0, tol=1e-10, max_steps=100):
    r"""Fit two-class logistic regression by Newton's method or gradient descent.

    Parameters
    ----------
    X : array_like of shape (n, d)
    y : array_like of int, shape (n,)
        Labels 0 and 1.
    w0 : array_like of shape (d,)
        Start.
    method : {"newton", "gd"}
    lr : float > 0, optional
        Step size of gradient descent (required for ``"gd"``, refused for ``"newton"``).
    weight_decay : float >= 0, default 0
    tol : float >= 0, default 1e-10
        Stop once the Euclidean norm of the gradient is at most ``tol``.
    max_steps : int >= 0, default 100

    Returns
    -------
    LogisticFit

    Notes
    -----
    Gradient descent steps :math:`w \leftarrow w - \eta g` at :math:`O(n d)` per
    step; Newton steps :math:`w \leftarrow w - H^{-1} g` (:func:`logistic_newton_step`)
    at :math:`O(n d^2 + d^3)` per step. Near the minimum Newton's error is squared
    at every step (quadratic convergence); gradient descent's shrinks by a
    constant factor set by the condition number of :math:`H`. Lesson 07 compares them.

    Examples
    --------
    >>> X, y = [[1.0, 1.0], [-1.0, 1.0], [2.0, 1.0], [0.5, 1.0]], [1, 0, 0, 1]
    >>> fit = fit_logistic(X, y, [0.0, 0.0], tol=1e-12)
    >>> fit.steps_to(1e-12), [f"{g:.1e}" for g in fit.grad_norm[:3]]  # squared each step
    (3, ['6.2e-02', '4.8e-04', '1.1e-07'])
    """
    if method not in ("newton", "gd"):
        raise ValueError(f"method must be 'newton' or 'gd', got {method!r}")
    w, X, y = _binary(w0, X, y)
    lam = _decay(weight_decay)
    tol = check_tolerance(tol, "tol")
    if isinstance(max_steps, bool) or not isinstance(max_steps, (int, np.integer)) or max_steps < 0:
        raise ValueError(f"max_steps must be an integer >= 0, got {max_steps!r}")
    if method == "gd":
        if lr is None:
            raise ValueError("lr is required for method='gd'")
        lr = check_positive(lr, "lr")
    elif lr is not None:
        raise ValueError("lr is only for method='gd'; Newton's step has no step size")
    ws, norms = [w], []
    for _ in range(int(max_steps) + 1):
        g, H = _logistic_parts(w, X, y, lam)
        norms.append(float(np.linalg.norm(g)))
        if norms[-1] <= tol or len(ws) > max_steps:
            break
        w = w - (np.linalg.solve(H, g) if method == "newton" else lr * g)
        ws.append(w)
    return LogisticFit(method, np.array(ws), np.array(norms), lr)


# -- gradient descent on softmax regression: what happens on separable data ---------------


@dataclass(frozen=True)
class DescentPath:
    """A run of :func:`descent_path`, recorded at every step ``0..steps``."""

    weight_norm: np.ndarray  # (steps + 1,) Frobenius norm of W
    loss: np.ndarray  # (steps + 1,) mean NLL, without the penalty
    confidence: np.ndarray  # (steps + 1,) mean over the examples of max_c softmax(W x)_c
    W: np.ndarray  # (steps + 1, k, d) the weights at every step


def descent_path(X, y, W0, lr, steps=1000, weight_decay=0.0):
    r"""Full-batch gradient descent on :func:`softmax_regression_nll`.

    Parameters
    ----------
    X : array_like of shape (n, d)
    y : array_like of int, shape (n,)
    W0 : array_like of shape (k, d)
    lr : float > 0
    steps : int >= 0, default 1000
    weight_decay : float >= 0, default 0

    Returns
    -------
    DescentPath

    Notes
    -----
    :math:`W \leftarrow W - \eta\,\nabla_W L`. On linearly separable data with
    :math:`\lambda = 0` the loss has no minimum: it falls towards 0 while
    :math:`\|W\|` grows without bound (about like :math:`\log t`) and every
    training probability goes to 1. With :math:`\lambda > 0` the run converges
    to the unique MAP weights. Lesson 07 shows both.

    Examples
    --------
    >>> run = descent_path([[1.0], [-1.0]], [1, 0], [[0.0], [0.0]], lr=1.0, steps=2)
    >>> run.weight_norm.round(4).tolist()
    [0.0, 0.7071, 1.0874]
    """
    W, X, y = _data(W0, X, y)
    lr = check_positive(lr, "lr")
    lam = _decay(weight_decay)
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"steps must be an integer >= 0, got {steps!r}")
    n = X.shape[0]
    norms, losses, conf = (np.empty(steps + 1) for _ in range(3))
    Ws = np.empty((steps + 1, *W.shape))
    rows = np.arange(n)
    for t in range(steps + 1):
        Ws[t] = W
        Z = X @ W.T  # (n, k)
        Z = Z - Z.max(axis=1, keepdims=True)  # stable: every exponent <= 0
        E = np.exp(Z)
        total = E.sum(axis=1, keepdims=True)  # (n, 1), in [1, k]
        S = E / total  # softmax
        norms[t] = np.sqrt(np.sum(W * W))
        losses[t] = np.mean(np.log(total[:, 0]) - Z[rows, y])  # -log softmax at the label
        conf[t] = np.mean(S.max(axis=1))
        if t == steps:
            break
        S[rows, y] -= 1.0
        W = W - lr * (S.T @ X / n + lam * W)
    return DescentPath(norms, losses, conf, Ws)
