r"""Full-batch gradient descent, written out, for the models of lessons 04 and 05.

Lesson 04 trains a sigmoid model with binary cross-entropy and a two-class
softmax model with cross-entropy on the same data and compares them step by
step (:func:`train_sigmoid`, :func:`train_softmax`, :func:`run_gap`). Lesson 05
trains a linear layer with a sigmoid head (one yes/no per label) or a softmax
head (one class per example) (:func:`train_linear_head`), using
:func:`grad_logits_reference`, the gradient with respect to the logits.

The loops are not hidden in a framework, so that the factor 2 of lesson 04 is
visible in the code: the softmax rows receive the gradients :math:`+g` and
:math:`-g`, so their difference moves by :math:`2\eta g` per step. Every run
starts from given (or zero) parameters: no randomness, the same numbers on
every machine up to rounding.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validate import as_float_array
from .losses import (
    bce_with_logits,
    bce_with_logits_grad,
    cross_entropy_with_logits,
    softmax_cross_entropy_grad,
)
from .sigmoid import sigmoid
from .softmax import softmax

__all__ = [
    "HEADS",
    "symmetric_init",
    "SigmoidRun",
    "SoftmaxRun",
    "train_sigmoid",
    "train_softmax",
    "run_gap",
    "first_divergence",
    "grad_logits_reference",
    "LinearHead",
    "train_linear_head",
]

HEADS = ("sigmoid", "softmax")


# -- validation (shared with the lesson 04 explorer) --------------------------------------


def _real_array(x, name: str) -> np.ndarray:
    arr = np.asarray(x)
    if arr.dtype.kind in "biu":
        arr = arr.astype(np.float64)
    if arr.dtype.kind != "f":
        raise ValueError(f"{name} must hold real numbers, got dtype {arr.dtype}")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} must be finite (no nan or inf)")
    return arr


def _data(X, y):
    """Features (n, d) and 0/1 integer labels (n,), checked against each other."""
    X = _real_array(X, "X")
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError(f"X must have shape (n, d) with n >= 1, got {X.shape}")
    y = np.asarray(y)
    if y.shape != (X.shape[0],):
        raise ValueError(
            f"y must have shape ({X.shape[0]},), one label per row of X; got {y.shape}"
        )
    if y.dtype.kind not in "biu" or not np.isin(y, (0, 1)).all():
        raise ValueError("y must hold the integer labels 0 and 1")
    return X, y.astype(np.int64)


def _rate(lr) -> float:
    if isinstance(lr, bool) or np.ndim(lr) != 0 or np.asarray(lr).dtype.kind not in "iuf":
        raise ValueError(f"lr must be a positive number, got {lr!r}")
    lr = float(lr)
    if not (np.isfinite(lr) and lr > 0):
        raise ValueError(f"lr must be a positive finite number, got {lr!r}")
    return lr


def _steps(steps, name: str = "steps") -> int:
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {steps!r}")
    return int(steps)


def _scalar(b, name: str) -> float:
    if np.ndim(b) != 0:
        raise ValueError(f"{name} must be a single number, got shape {np.shape(b)}")
    return float(_real_array(b, name))


def _vector(w, name: str, d: int) -> np.ndarray:
    w = _real_array(w, name).astype(np.float64)
    if w.shape != (d,):
        raise ValueError(f"{name} must have shape ({d},), one weight per feature; got {w.shape}")
    return w


def _softmax_params(W, b, d: int | None = None):
    """Two-class softmax parameters: W (2, d), b (2,), as float64."""
    W = _real_array(W, "W").astype(np.float64)
    if W.ndim != 2 or W.shape[0] != 2 or (d is not None and W.shape[1] != d):
        want = f"(2, {d})" if d is not None else "(2, d)"
        raise ValueError(f"W must have shape {want}, one row per class; got {W.shape}")
    b = _real_array(b, "b").astype(np.float64)
    if b.shape != (2,):
        raise ValueError(f"b must have shape (2,), one bias per class; got {b.shape}")
    return W, b


# -- lesson 04: sigmoid + BCE against two-class softmax + CE ------------------------------


def symmetric_init(w, b):
    r"""The two-class softmax parameters ``W = [-w/2, w/2]``, ``b = [-b/2, b/2]`` (lesson 04).

    Their difference ``W[1] - W[0]`` is ``w`` and their sum is 0: of all the
    softmax models equivalent to the sigmoid model ``(w, b)``, the one with the
    smallest :math:`\|W\|^2 + \|b\|^2`.

    Parameters
    ----------
    w : array_like of shape (d,)
    b : float

    Returns
    -------
    W : ndarray of shape (2, d)
    b : ndarray of shape (2,)

    Examples
    --------
    >>> W, b = symmetric_init([2.0, -1.0], 0.5)
    >>> W, b
    (array([[-1. ,  0.5],
           [ 1. , -0.5]]), array([-0.25,  0.25]))
    """
    w = _real_array(w, "w")
    if w.ndim != 1:
        raise ValueError(f"w must have shape (d,), got {w.shape}")
    b = _scalar(b, "b")
    W = np.stack([-w / 2, w / 2])  # (2, d)
    return W, np.array([-b / 2, b / 2], dtype=W.dtype)


@dataclass(frozen=True)
class SigmoidRun:
    """A full-batch gradient-descent run of the sigmoid model ``p = sigmoid(X @ w + b)``.

    ``w[t]``, ``b[t]`` are the parameters after ``t`` steps and ``loss[t]`` the
    mean binary cross-entropy there (``t = 0 .. steps``).
    """

    w: np.ndarray  # (steps + 1, d)
    b: np.ndarray  # (steps + 1,)
    loss: np.ndarray  # (steps + 1,)
    lr: float


@dataclass(frozen=True)
class SoftmaxRun:
    """A full-batch gradient-descent run of the two-class softmax model ``softmax(X @ W.T + b)``.

    ``W[t]``, ``b[t]`` are the parameters after ``t`` steps and ``loss[t]`` the
    mean cross-entropy there (``t = 0 .. steps``).
    """

    W: np.ndarray  # (steps + 1, 2, d)
    b: np.ndarray  # (steps + 1, 2)
    loss: np.ndarray  # (steps + 1,)
    lr: float

    def as_sigmoid(self):
        """The equivalent sigmoid parameters (class 1) at every step: ``W[:, 1] - W[:, 0]``, ..."""
        return self.W[:, 1] - self.W[:, 0], self.b[:, 1] - self.b[:, 0]


def _decay(weight_decay) -> float:
    if isinstance(weight_decay, bool) or np.ndim(weight_decay) != 0:
        raise ValueError(f"weight_decay must be a number >= 0, got {weight_decay!r}")
    if np.asarray(weight_decay).dtype.kind not in "iuf":
        raise ValueError(f"weight_decay must be a number >= 0, got {weight_decay!r}")
    value = float(weight_decay)
    if not (np.isfinite(value) and value >= 0):
        raise ValueError(f"weight_decay must be a finite number >= 0, got {weight_decay!r}")
    return value


def train_sigmoid(X, y, w, b, lr, steps=200, weight_decay=0.0) -> SigmoidRun:
    r"""Gradient descent on the mean binary cross-entropy of ``sigmoid(X @ w + b)`` (lesson 04).

    Parameters
    ----------
    X : array_like of shape (n, d)
    y : array_like of int, shape (n,)
        Labels 0 and 1; the model predicts P(class 1).
    w : array_like of shape (d,)
    b : float
        Initial parameters.
    lr : float > 0
        The learning rate :math:`\eta`.
    steps : int, default 200
    weight_decay : float >= 0, default 0
        :math:`\lambda` of an L2 penalty :math:`\tfrac{\lambda}{2}\|w\|^2` on the
        weights (not the bias), added to the loss that is minimised.

    Returns
    -------
    SigmoidRun
        ``loss`` records the mean binary cross-entropy without the penalty.

    Notes
    -----
    With :math:`z = Xw + b`, the gradient of the mean loss is
    :math:`\partial L/\partial z = (\sigma(z) - y)/n`, so
    :math:`w \leftarrow w - \eta \big(X^\top(\sigma(z) - y)/n + \lambda w\big)` and
    :math:`b \leftarrow b - \eta \sum(\sigma(z) - y)/n`.

    Examples
    --------
    >>> run = train_sigmoid([[1.0], [-1.0]], [1, 0], [0.0], 0.0, lr=1.0, steps=1)
    >>> run.w.tolist(), run.b.tolist()
    ([[0.0], [0.5]], [0.0, 0.0])
    """
    X, y = _data(X, y)
    w = _vector(w, "w", X.shape[1])
    b = _scalar(b, "b")
    lr, steps, decay = _rate(lr), _steps(steps), _decay(weight_decay)
    n, target = len(y), y.astype(np.float64)
    ws, bs, losses = np.empty((steps + 1, X.shape[1])), np.empty(steps + 1), np.empty(steps + 1)
    for t in range(steps + 1):
        z = X @ w + b  # (n,)
        ws[t], bs[t], losses[t] = w, b, bce_with_logits(z, target)
        if t == steps:
            break
        g = (sigmoid(z) - target) / n  # dL/dz, (n,)
        w = w - lr * (X.T @ g + decay * w)  # (d,)
        b = b - lr * float(g.sum())
    return SigmoidRun(ws, bs, losses, lr)


def train_softmax(X, y, W, b, lr, steps=200, weight_decay=0.0) -> SoftmaxRun:
    r"""Gradient descent on the mean cross-entropy of two-class ``softmax(X @ W.T + b)``, lesson 04.

    Parameters
    ----------
    X : array_like of shape (n, d)
    y : array_like of int, shape (n,)
        Labels 0 and 1 (the "sparse" labels of sparse categorical cross-entropy).
    W : array_like of shape (2, d)
    b : array_like of shape (2,)
        Initial parameters, one row (one bias) per class.
    lr : float > 0
    steps : int, default 200
    weight_decay : float >= 0, default 0
        :math:`\lambda` of an L2 penalty :math:`\tfrac{\lambda}{2}(\|w_0\|^2 + \|w_1\|^2)`
        on the weights (not the biases).

    Returns
    -------
    SoftmaxRun
        ``loss`` records the mean cross-entropy without the penalty.

    Notes
    -----
    With :math:`Z = XW^\top + b` and :math:`G = \partial L/\partial Z = (S - Y)/n`
    (lesson 03), :math:`W \leftarrow W - \eta (G^\top X + \lambda W)` and
    :math:`b \leftarrow b - \eta \sum_i G_i`. The two columns of :math:`G` are
    negatives of each other (each row of :math:`S - Y` sums to 0).

    Examples
    --------
    >>> run = train_softmax([[1.0], [-1.0]], [1, 0], [[0.0], [0.0]], [0.0, 0.0], lr=1.0, steps=1)
    >>> run.W[1].tolist(), run.as_sigmoid()[0].tolist()
    ([[-0.5], [0.5]], [[0.0], [1.0]])
    """
    X, y = _data(X, y)
    W, b = _softmax_params(W, b, X.shape[1])
    lr, steps, decay = _rate(lr), _steps(steps), _decay(weight_decay)
    Ws, bs, losses = np.empty((steps + 1, *W.shape)), np.empty((steps + 1, 2)), np.empty(steps + 1)
    for t in range(steps + 1):
        Z = X @ W.T + b  # (n, 2)
        Ws[t], bs[t], losses[t] = W, b, cross_entropy_with_logits(Z, y)
        if t == steps:
            break
        G = softmax_cross_entropy_grad(Z, y)  # (n, 2), already divided by n
        W = W - lr * (G.T @ X + decay * W)  # (2, d)
        b = b - lr * G.sum(axis=0)
    return SoftmaxRun(Ws, bs, losses, lr)


def run_gap(sigmoid_run: SigmoidRun, softmax_run: SoftmaxRun) -> np.ndarray:
    """Per step, ``max |w_sigmoid - (w1 - w0)|`` over every weight and the bias (lesson 04).

    Returns
    -------
    ndarray of shape (steps + 1,)
        0 (up to rounding) at every step when the two runs agree.

    Examples
    --------
    >>> X, y = [[1.0], [-1.0]], [1, 0]
    >>> sig = train_sigmoid(X, y, [0.0], 0.0, lr=1.0, steps=2)
    >>> gap = run_gap(sig, train_softmax(X, y, [[0.0], [0.0]], [0.0, 0.0], lr=0.5, steps=2))
    >>> gap.shape, bool(gap.max() < 1e-15)
    ((3,), True)
    >>> gap = run_gap(sig, train_softmax(X, y, [[0.0], [0.0]], [0.0, 0.0], lr=1.0, steps=2))
    >>> gap.round(4)
    array([0.    , 0.5   , 0.6603])
    """
    w_diff, b_diff = softmax_run.as_sigmoid()
    if w_diff.shape != sigmoid_run.w.shape:
        raise ValueError(
            "sigmoid_run and softmax_run must have the same number of steps and features, got "
            f"{sigmoid_run.w.shape} and {w_diff.shape}"
        )
    gap_w = np.abs(sigmoid_run.w - w_diff).max(axis=1, initial=0.0)  # (steps + 1,)
    return np.maximum(gap_w, np.abs(sigmoid_run.b - b_diff))


def first_divergence(gap, tol=1e-10) -> int | None:
    """The first step at which ``gap`` exceeds ``tol``, or None if the runs agree throughout.

    Examples
    --------
    >>> first_divergence([0.0, 1e-16, 3e-3, 0.1]), first_divergence([0.0, 1e-16])
    (2, None)
    """
    gap = np.asarray(gap, dtype=np.float64)
    if gap.ndim != 1:
        raise ValueError(f"gap must be 1-D (one value per step), got shape {gap.shape}")
    above = np.flatnonzero(~(gap <= tol))  # nan counts as diverged
    return int(above[0]) if above.size else None


# -- lesson 05: a linear layer with a sigmoid or a softmax head ---------------------------


def grad_logits_reference(z, y, head):
    r"""Gradient of the mean loss with respect to the logits, for either head (lesson 05).

    Parameters
    ----------
    z : ndarray of shape (n, k)
        Logits.
    y : ndarray
        ``head="sigmoid"``: 0/1 targets of shape (n, k), loss
        :func:`helpers.bce_with_logits` (mean over all n k elements).
        ``head="softmax"``: integer labels of shape (n,) (or target rows that
        sum to 1), loss :func:`helpers.cross_entropy_with_logits` (mean over
        the n examples).
    head : {"sigmoid", "softmax"}

    Returns
    -------
    ndarray of shape (n, k)
        :math:`(\sigma(z) - y)/(nk)` or :math:`(\mathrm{softmax}(z) - \mathrm{onehot}(y))/n`:
        prediction minus target, both times.

    Examples
    --------
    >>> grad_logits_reference(np.zeros((1, 2)), np.array([1]), "softmax")
    array([[ 0.5, -0.5]])
    >>> grad_logits_reference(np.zeros((1, 2)), np.array([[1.0, 0.0]]), "sigmoid")
    array([[-0.25,  0.25]])
    """
    if head == "sigmoid":
        return bce_with_logits_grad(z, y)
    if head == "softmax":
        return softmax_cross_entropy_grad(z, y)
    raise ValueError(f"head must be one of {HEADS}, got {head!r}")


def _loss(z, y, head):
    return bce_with_logits(z, y) if head == "sigmoid" else cross_entropy_with_logits(z, y)


@dataclass
class LinearHead:
    """A trained linear layer ``z = X @ W + b`` followed by ``head``."""

    W: np.ndarray  # (d, k)
    b: np.ndarray  # (k,)
    head: str
    losses: np.ndarray  # (epochs + 1,) loss before each step, then the final loss

    def logits(self, X):
        """``X @ W + b``, shape (n, k)."""
        return np.asarray(X, dtype=float) @ self.W + self.b  # (n, k)

    def predict_proba(self, X):
        """Per-label sigmoid probabilities or per-row softmax distributions, shape (n, k)."""
        z = self.logits(X)
        return sigmoid(z) if self.head == "sigmoid" else softmax(z, axis=-1)


def train_linear_head(X, Y, head, *, lr=1.0, epochs=300, report_every=100, verbose=True):
    r"""Full-batch gradient descent on a linear layer with a sigmoid or softmax head (lesson 05).

    Parameters
    ----------
    X : ndarray of shape (n, d)
    Y : ndarray
        Targets as :func:`grad_logits_reference` takes them for ``head``:
        0/1 of shape (n, k) for "sigmoid"; for "softmax" integer labels of
        shape (n,) with ``k = max + 1`` classes, or rows of shape (n, k)
        that sum to 1.
    head : {"sigmoid", "softmax"}
    lr : float, default 1.0
    epochs : int, default 300
    report_every : int, default 100
        Print ``epoch  100  loss 0.4123`` (4 decimals) at epochs 0, 100, ...
        and at the end, when ``verbose``.
    verbose : bool, default True

    Returns
    -------
    LinearHead
        Weights start at zero, so the run is deterministic.

    Notes
    -----
    One step: :math:`z = XW + b`, :math:`G = \partial L/\partial z`
    (:func:`grad_logits_reference`), then :math:`W \leftarrow W - \eta X^\top G`,
    :math:`b \leftarrow b - \eta \sum_i G_i`.

    Examples
    --------
    >>> X, Y = [[1.0], [-1.0]], [[1.0], [0.0]]
    >>> head = train_linear_head(X, Y, "sigmoid", epochs=1, verbose=False)
    >>> head.W, head.losses.round(4)
    (array([[0.5]]), array([0.6931, 0.4741]))
    """
    if head not in HEADS:
        raise ValueError(f"head must be one of {HEADS}, got {head!r}")
    X = as_float_array(X, "X")
    if X.ndim != 2:
        raise ValueError(f"X must have shape (n, d), got {X.shape}")
    Y = np.asarray(Y)
    if Y.ndim == 0 or Y.shape[0] != X.shape[0]:
        raise ValueError(f"Y must have one row per row of X ({X.shape[0]}), got shape {Y.shape}")
    lr, epochs = _rate(lr), _steps(epochs, "epochs")
    k = int(Y.max()) + 1 if Y.ndim == 1 else Y.shape[1]
    W = np.zeros((X.shape[1], k))
    b = np.zeros(k)
    losses = np.empty(epochs + 1)
    for epoch in range(epochs + 1):
        z = X @ W + b  # (n, k)
        losses[epoch] = _loss(z, Y, head)
        if verbose and (epoch % report_every == 0 or epoch == epochs):
            print(f"epoch {epoch:4d}  loss {losses[epoch]:.4f}")
        if epoch == epochs:
            break
        G = grad_logits_reference(z, Y, head)  # (n, k)
        W -= lr * (X.T @ G)  # (d, k)
        b -= lr * G.sum(axis=0)
    return LinearHead(W, b, head, losses)
