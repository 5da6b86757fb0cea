r"""Gradient descent, written out, for the models of lessons 04, 05 and 06.

Lesson 04 trains a sigmoid model with binary cross-entropy and a two-class
softmax model with cross-entropy on the same data and compares them step by
step (:func:`train_sigmoid`, :func:`train_softmax`, :func:`run_gap`). Lesson 05
trains a linear layer with a sigmoid head (one yes/no per label) or a softmax
head (one class per example) (:func:`train_linear_head`, full batch), using
:func:`grad_logits_reference`, the gradient with respect to the logits (defined
in :mod:`helpers.losses`). Lesson 06 trains the same kind of layer by minibatch
gradient descent (:func:`train_softmax_regression`, with optional label
smoothing and per-epoch calibration measurements, and
:func:`train_sigmoid_regression`, with the weighted BCE). The last three return
one class, :class:`LinearModel`, and take the same step (``_step``).

The loops are not hidden in a framework, so that the factor 2 of lesson 04 is
visible in the code: the softmax rows receive the gradients :math:`+g` and
:math:`-g`, so their difference moves by :math:`2\eta g` per step. Every run
starts from given (or zero) parameters, and the minibatch loops shuffle with a
seeded generator: the same numbers on every machine up to rounding.

A run whose logits (or weights) leave the float range raises ``ValueError``
saying that it diverged and which knob to turn (``lr``, or ``weight_decay``),
instead of a NaN further down. Arguments are checked by :mod:`helpers._validate`.
"""

from __future__ import annotations

import functools
import inspect
from dataclasses import dataclass, field

import numpy as np

from ._docstrings import with_section
from ._validate import (
    as_float_array,
    check_bool,
    check_choice,
    check_int,
    check_nonnegative,
    check_positive,
    check_seed,
    features,
    features_and_binary_labels,
    finite_scalar,
    finite_vector,
    integer_labels,
    nonnegative_int,
    positive_int,
    two_class_params,
)
from .calibration import expected_calibration_error, smooth_labels
from .losses import (
    HEADS,
    bce_with_logits,
    cross_entropy_with_logits,
    grad_logits_reference,
    softmax_cross_entropy_grad,
    weighted_bce_with_logits,
    weighted_bce_with_logits_grad,
)
from .recalibration import temperature_nll
from .sigmoid import sigmoid
from .softmax import log_softmax, softmax

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
    "LinearModel",
    "train_linear_head",
    "train_softmax_regression",
    "train_sigmoid_regression",
]

# grad_logits_reference (lesson 05) lives with the losses it differentiates


def _reports_divergence(train):
    """Run ``train`` with NumPy's overflow warnings off: a diverging run raises instead.

    Every loop checks its logits (and the regression loops their parameters) each
    step, so an overflow ends in :func:`_check_finite_logits`'s error, which names
    the knob to turn, not in a warning followed by "z contains NaN". The decorator
    also writes that error into the Raises section of ``train``'s docstring, so the
    sentence has one owner.
    """

    @functools.wraps(train)
    def wrapped(*args, **kwargs):
        with np.errstate(over="ignore", invalid="ignore"):
            return train(*args, **kwargs)

    knobs = "``lr``"
    if "weight_decay" in inspect.signature(train).parameters:
        knobs = "``lr`` (or ``weight_decay``)"
    raises = (
        f"ValueError\n    If the run diverges (the logits leave the float range): lower {knobs}."
    )
    wrapped.__doc__ = with_section(train.__doc__, "Raises", raises)
    return wrapped


def _check_finite_logits(z, step, lr, weight_decay=None, what="step"):
    """Stop a run whose logits left the float range, and say which knob to turn."""
    if np.isfinite(z).all():
        return
    knobs = f"lr={lr!r}" if weight_decay is None else f"lr={lr!r}, weight_decay={weight_decay!r}"
    lower = "lr" if weight_decay is None else "lr (or weight_decay)"
    raise ValueError(
        f"training diverged: at {what} {step} the logits or weights are no longer finite "
        f"({knobs}); "
        f"each step overshot the minimum by more than the last, so lower {lower} and run again"
    )


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
    w = finite_vector(w, "w", min_size=0)
    b = finite_scalar(b, "b")
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


@_reports_divergence
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
    X, y = features_and_binary_labels(X, y)
    w = finite_vector(w, "w", X.shape[1]).astype(np.float64)
    b = finite_scalar(b, "b")
    lr, steps = check_positive(lr, "lr"), nonnegative_int(steps, "steps")
    decay = check_nonnegative(weight_decay, "weight_decay")
    n, target = len(y), y.astype(np.float64)
    ws, bs, losses = np.empty((steps + 1, X.shape[1])), np.empty(steps + 1), np.empty(steps + 1)
    for t in range(steps + 1):
        z = X @ w + b  # (n,)
        _check_finite_logits(z, t, lr, decay)
        ws[t], bs[t], losses[t] = w, b, bce_with_logits(z, target)
        if t == steps:
            break
        g = (sigmoid(z) - target) / n  # dL/dz, (n,)
        w = w - lr * (X.T @ g + decay * w)  # (d,)
        b = b - lr * float(g.sum())
    return SigmoidRun(ws, bs, losses, lr)


@_reports_divergence
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
    X, y = features_and_binary_labels(X, y)
    W, b = two_class_params(W, b, X.shape[1])
    lr, steps = check_positive(lr, "lr"), nonnegative_int(steps, "steps")
    decay = check_nonnegative(weight_decay, "weight_decay")
    Ws, bs, losses = np.empty((steps + 1, *W.shape)), np.empty((steps + 1, 2)), np.empty(steps + 1)
    for t in range(steps + 1):
        Z = X @ W.T + b  # (n, 2)
        _check_finite_logits(Z, t, lr, decay)
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
    tol = check_nonnegative(tol, "tol")
    gap = as_float_array(gap, "gap", check_nan=False).astype(np.float64)  # nan: diverged
    if gap.ndim != 1:
        raise ValueError(f"gap must be 1-D (one value per step), got shape {gap.shape}")
    above = np.flatnonzero(~(gap <= tol))  # nan counts as diverged
    return int(above[0]) if above.size else None


# -- lesson 05: a linear layer with a sigmoid or a softmax head ---------------------------


def _loss(z, y, head):
    return bce_with_logits(z, y) if head == "sigmoid" else cross_entropy_with_logits(z, y)


# -- one linear model, one gradient-descent step (lessons 05 and 06) --------------------------


@dataclass
class LinearModel:
    """A linear layer ``z = X @ W + b`` followed by ``head``, and what its training recorded.

    ``history`` maps a name to a list with one entry per epoch; every trainer records
    ``"train loss"`` (see each trainer for exactly which loss and when).
    """

    W: np.ndarray  # (d, k)
    b: np.ndarray  # (k,)
    head: str  # "sigmoid" or "softmax"
    history: dict = field(default_factory=dict)  # name -> list, one entry per epoch

    @property
    def losses(self) -> np.ndarray:
        """``history["train loss"]`` as a float64 array."""
        return np.asarray(self.history.get("train loss", []), dtype=np.float64)

    def logits(self, X):
        """``X @ W + b``, shape (n, k)."""
        return np.asarray(X, dtype=np.float64) @ self.W + self.b  # (n, k)

    def predict_proba(self, X, T=1.0):
        """Per-label ``sigmoid(z / T)`` or per-row ``softmax(z / T)``, shape (n, k)."""
        T = check_positive(T, "T")
        z = self.logits(X)
        return sigmoid(z / T) if self.head == "sigmoid" else softmax(z / T, axis=-1)


def _step(model: LinearModel, X, G, lr: float) -> None:
    r"""One gradient-descent step from :math:`G = \partial L / \partial z`, in place.

    :math:`W \leftarrow W - \eta X^\top G`, :math:`b \leftarrow b - \eta \sum_i G_i`.
    """
    model.W -= lr * (X.T @ G)  # (d, k)
    model.b -= lr * G.sum(axis=0)


def _training_data(X, Y):
    """Finite features (n, d) and targets with one row per row of ``X`` (checked later)."""
    X = features(X, "X")
    Y = np.asarray(Y)
    if Y.ndim == 0 or Y.shape[0] != X.shape[0]:
        raise ValueError(f"Y must have one row per row of X ({X.shape[0]}), got shape {Y.shape}")
    return X, Y


def _batches(n, batch_size, rng):
    """The row indices of one epoch: a permutation of ``0..n-1`` cut into minibatches."""
    order = rng.permutation(n)
    return [order[i : i + batch_size] for i in range(0, n, batch_size)]


@_reports_divergence
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
    lr : float > 0, default 1.0
    epochs : int >= 0, default 300
    report_every : int >= 1, default 100
        Print ``epoch  100  loss 0.4123`` (4 decimals) at epochs 0, 100, ...
        and at the end, when ``verbose``.
    verbose : bool, default True

    Returns
    -------
    LinearModel
        Weights start at zero, so the run is deterministic. ``losses``
        (``history["train loss"]``) holds the loss before each step, then the
        final loss: ``epochs + 1`` values.

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
    check_choice(head, "head", HEADS)
    X, Y = _training_data(X, Y)
    lr, epochs = check_positive(lr, "lr"), nonnegative_int(epochs, "epochs")
    report_every = positive_int(report_every, "report_every")
    verbose = check_bool(verbose, "verbose")
    k = int(Y.max()) + 1 if Y.ndim == 1 else Y.shape[1]
    model = LinearModel(np.zeros((X.shape[1], k)), np.zeros(k), head)
    losses = model.history.setdefault("train loss", [])
    for epoch in range(epochs + 1):
        z = X @ model.W + model.b  # (n, k)
        _check_finite_logits(z, epoch, lr, what="epoch")
        losses.append(float(_loss(z, Y, head)))
        if verbose and (epoch % report_every == 0 or epoch == epochs):
            print(f"epoch {epoch:4d}  loss {losses[-1]:.4f}")
        if epoch == epochs:
            break
        _step(model, X, grad_logits_reference(z, Y, head), lr)
    return model


@_reports_divergence
def train_softmax_regression(
    X, y, k=10, *, epochs=60, lr=0.5, batch_size=32, eps=0.0, seed=0, monitor=None, n_bins=15
):
    r"""Softmax regression trained by minibatch gradient descent (label smoothing optional).

    Parameters
    ----------
    X : array_like of shape (n, d)
    y : array_like of int, shape (n,)
    k : int >= 2
        Number of classes.
    epochs : int >= 0
    lr : float > 0
    batch_size : int >= 1
        The training schedule: one shuffled pass over X per epoch, in minibatches.
    eps : float in [0, 1]
        Label smoothing; 0 trains on one-hot targets.
    seed : int >= 0 or None
        Seed of the shuffling (``np.random.default_rng``): the same run every time.
    monitor : tuple (X_val, y_val), optional
        Data measured after every epoch.
    n_bins : int >= 1
        Bins for the monitored ECE.

    Returns
    -------
    LinearModel
        ``history`` holds per epoch the training loss (as trained: smoothed when
        ``eps > 0``; the mean of the minibatch losses met during the epoch) and, with
        ``monitor``, its NLL, accuracy, ECE, mean confidence and mean logit-vector norm.

    Notes
    -----
    Each step on a minibatch :math:`X_B` of :math:`m` rows computes
    :math:`G = (\operatorname{softmax}(X_B W + b) - Y^\varepsilon_B) / m`
    (:func:`helpers.calibration.label_smoothing_grad`, lesson 03's :math:`s - y`) and
    updates :math:`W \leftarrow W - \eta X_B^\top G`, :math:`b \leftarrow b - \eta\sum_i G_i`.
    Weights start at zero; everything is float64 and in a fixed order.
    """
    X, y = _training_data(X, y)
    k = _classes(k)
    y = integer_labels(y, "y", len(X), k)
    epochs, lr = nonnegative_int(epochs, "epochs"), check_positive(lr, "lr")
    batch_size, n_bins = positive_int(batch_size, "batch_size"), positive_int(n_bins, "n_bins")
    rng = np.random.default_rng(check_seed(seed))
    model = LinearModel(np.zeros((X.shape[1], k)), np.zeros(k), "softmax")
    targets = smooth_labels(y, k, eps)  # (n, k): one-hot rows when eps = 0
    h = model.history
    for epoch in range(epochs):
        total = 0.0
        for idx in _batches(len(X), batch_size, rng):
            z = X[idx] @ model.W + model.b  # (m, k)
            _check_finite_logits(z, epoch, lr, what="epoch")
            logp = log_softmax(z, axis=1)
            t = targets[idx]
            total -= float(np.sum(t * logp))  # the smoothed cross-entropy, summed
            G = (np.exp(logp) - t) / len(idx)  # = label_smoothing_grad(z, y[idx], eps)
            _step(model, X[idx], G, lr)
        _check_finite_logits(np.append(model.W, model.b), epoch, lr, what="epoch")  # last step
        h.setdefault("train loss", []).append(total / len(X))  # mean over the epoch's steps
        if monitor is not None:
            Xv, yv = monitor
            z = model.logits(Xv)
            p = softmax(z, axis=1)
            h.setdefault("nll", []).append(temperature_nll(z, yv, 1.0))
            h.setdefault("accuracy", []).append(float(np.mean(np.argmax(z, axis=1) == yv)))
            h.setdefault("ece", []).append(expected_calibration_error(p, yv, n_bins))
            h.setdefault("confidence", []).append(float(p.max(axis=1).mean()))
            h.setdefault("logit norm", []).append(float(np.linalg.norm(z, axis=1).mean()))
    return model


def _classes(k) -> int:
    """The number of classes of a softmax head: an integer >= 2."""
    return check_int(k, "k", 2)


@_reports_divergence
def train_sigmoid_regression(X, Y, *, pos_weight=1.0, epochs=60, lr=0.5, batch_size=32, seed=0):
    r"""One sigmoid per label on a linear layer, trained on the weighted BCE by minibatch GD.

    Parameters
    ----------
    X : array_like of shape (n, d)
    Y : array_like of shape (n, k), 0/1
    pos_weight : float or array_like of shape (k,)
        As in :func:`helpers.losses.weighted_bce_with_logits`; 1 is the plain loss.
    epochs, lr, batch_size, seed : as in :func:`train_softmax_regression`.

    Returns
    -------
    LinearModel
        ``history["train loss"]``: the weighted loss after each epoch.

    Notes
    -----
    The step uses :func:`helpers.losses.weighted_bce_with_logits_grad` with the sum
    over the labels and the mean over the :math:`m` rows of the minibatch (so each
    label's gradient does not shrink with :math:`k`).
    """
    X, Y = _training_data(X, Y)
    Y = as_float_array(Y, "Y")
    if Y.ndim != 2:
        raise ValueError(f"Y must have shape (n, k), got {Y.shape}")
    epochs, lr = nonnegative_int(epochs, "epochs"), check_positive(lr, "lr")
    batch_size = positive_int(batch_size, "batch_size")
    rng = np.random.default_rng(check_seed(seed))
    k = Y.shape[1]
    model = LinearModel(np.zeros((X.shape[1], k)), np.zeros(k), "sigmoid")
    for epoch in range(epochs):
        for idx in _batches(len(X), batch_size, rng):
            z = X[idx] @ model.W + model.b
            _check_finite_logits(z, epoch, lr, what="epoch")
            G = weighted_bce_with_logits_grad(z, Y[idx], pos_weight, reduction="sum") / len(idx)
            _step(model, X[idx], G, lr)
        _check_finite_logits(np.append(model.W, model.b), epoch, lr, what="epoch")  # last step
        loss = weighted_bce_with_logits(model.logits(X), Y, pos_weight, reduction="sum")
        model.history.setdefault("train loss", []).append(float(loss) / len(X))
    return model
