r"""Lesson 05, Multi-label vs multi-class: data, training, metrics, figures, the threshold explorer.

Pure functions first (data sets, the gradient of binary cross-entropy with
logits, a tiny gradient-descent loop, the metrics), then the figures, then the
ipywidgets wrapper. Everything numerical is plain NumPy built on the reference
implementations in :mod:`helpers`.

Conventions for the metrics (also stated in the lesson):

- a prediction is positive when ``p >= threshold`` (ties count as positive);
- precision :math:`= TP / (TP + FP)` is **0 when nothing is predicted
  positive** (0/0), recall :math:`= TP / (TP + FN)` is **0 when the label
  never occurs** (0/0), and :math:`F_1 = 2PR / (P + R)` is **0 when P + R = 0**.
  scikit-learn's ``zero_division=0`` gives the same numbers.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np

from .. import plots
from .._validate import as_float_array, check_probabilities, check_same_shape
from ..losses import (
    bce_with_logits,
    bce_with_logits_grad,
    cross_entropy_with_logits,
    softmax_cross_entropy_grad,
)
from ..sigmoid import sigmoid
from ..softmax import softmax

__all__ = [
    "HEADS",
    "make_multilabel_data",
    "make_multiclass_data",
    "softmax_targets",
    "bce_with_logits_grad",
    "grad_logits_reference",
    "LinearHead",
    "train_linear_head",
    "confusion_counts",
    "precision",
    "recall",
    "f1_score",
    "exact_match",
    "accuracy",
    "Counts",
    "ThresholdScores",
    "precision_recall_at",
    "ThresholdCurve",
    "threshold_curve",
    "multilabel_summary",
    "multiclass_summary",
    "labels_per_row",
    "plot_datasets",
    "plot_label_probabilities",
    "plot_metrics_comparison",
    "plot_row_sums",
    "plot_threshold_tradeoff",
    "draw_threshold_view",
    "update_threshold_view",
    "ThresholdView",
    "threshold_readout",
    "threshold_explorer",
]

HEADS = ("sigmoid", "softmax")
HEAD_COLORS = {"sigmoid": plots.PALETTE["blue"], "softmax": plots.PALETTE["vermillion"]}
METRIC_COLORS = {
    "precision": plots.PALETTE["blue"],
    "recall": plots.PALETTE["orange"],
    "F1": plots.PALETTE["black"],
}
LABEL_COLORS = [plots.PALETTE["green"], plots.PALETTE["purple"], plots.PALETTE["vermillion"]]


# -- data sets -------------------------------------------------------------------------


def make_multilabel_data(n=600, seed=5):
    """A 2-D multi-label data set with three labels that really co-occur.

    Label :math:`j` is switched on with probability
    :math:`\\sigma(3(u_j^\\top x - c_j))`: labels 0 and 1 are the half-planes
    "right" and "up" (they overlap in the upper right), label 2 lives far out
    along the diagonal, so it almost always comes *together with* 0 and 1.
    The lower left has no label at all.

    Parameters
    ----------
    n : int, default 600
    seed : int, default 5

    Returns
    -------
    X : ndarray of shape (n, 2)
    Y : ndarray of shape (n, 3), float 0/1 (multi-hot rows; a row may be all 0)

    Examples
    --------
    >>> X, Y = make_multilabel_data()
    >>> X.shape, Y.shape, np.unique(Y)
    ((600, 2), (600, 3), array([0., 1.]))
    """
    rng = np.random.default_rng(seed)
    X = rng.normal(0.0, 1.3, size=(n, 2))
    angles = np.deg2rad([0.0, 90.0, 45.0])
    U = np.stack([np.cos(angles), np.sin(angles)], axis=1)  # (3, 2) label directions
    offsets = np.array([-0.2, -0.2, 1.2])
    p = sigmoid(3.0 * (X @ U.T - offsets))  # (n, 3)
    Y = (rng.random((n, 3)) < p).astype(np.float64)
    return X, Y


def make_multiclass_data(n=600, seed=6):
    """A 2-D data set with three mutually exclusive classes (three Gaussian blobs).

    Returns
    -------
    X : ndarray of shape (n, 2)
    y : ndarray of shape (n,), int class labels in {0, 1, 2}

    Examples
    --------
    >>> X, y = make_multiclass_data(5)
    >>> X.shape, y.dtype.kind
    ((5, 2), 'i')
    """
    rng = np.random.default_rng(seed)
    centers = np.array([[-1.5, -1.0], [1.5, -1.0], [0.0, 1.6]])
    y = rng.integers(0, 3, size=n)
    X = centers[y] + rng.normal(0.0, 1.0, size=(n, 2))
    return X, y


def softmax_targets(Y):
    """Turn multi-hot rows into the distributions a softmax head could fit.

    A row with :math:`m \\ge 1` labels becomes :math:`1/m` on each of them
    (``[1, 1, 0] -> [0.5, 0.5, 0]``). A row with no label has no such
    distribution at all: it is left out (``keep`` is False there).

    Returns
    -------
    T : ndarray of shape (n_kept, k)
    keep : ndarray of bool, shape (n,)

    Examples
    --------
    >>> T, keep = softmax_targets(np.array([[1.0, 1.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 1.0]]))
    >>> T, keep
    (array([[0.5, 0.5, 0. ],
           [0. , 0. , 1. ]]), array([ True, False,  True]))
    """
    Y = as_float_array(Y, "Y")
    if Y.ndim != 2:
        raise ValueError(f"Y must have shape (n, k), got {Y.shape}")
    counts = Y.sum(axis=1)
    keep = counts > 0
    return Y[keep] / counts[keep, None], keep


# -- gradients and training (math missing from helpers.losses) ---------------------------


def grad_logits_reference(z, y, head):
    """Gradient of the mean loss with respect to the logits, for either head.

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
        ``(sigmoid(z) - y) / (n k)`` or ``(softmax(z) - onehot(y)) / n``.

    Examples
    --------
    >>> grad_logits_reference(np.zeros((1, 2)), np.array([1]), "softmax")
    array([[ 0.5, -0.5]])
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
        return np.asarray(X, dtype=float) @ self.W + self.b  # (n, k)

    def predict_proba(self, X):
        """Per-label sigmoid probabilities or per-row softmax distributions, shape (n, k)."""
        z = self.logits(X)
        return sigmoid(z) if self.head == "sigmoid" else softmax(z, axis=-1)


def train_linear_head(X, Y, head, *, lr=1.0, epochs=300, report_every=100, verbose=True):
    """Full-batch gradient descent on a linear layer with a sigmoid or softmax head.

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
    One step: :math:`z = XW + b`, :math:`G = \\partial L/\\partial z`
    (:func:`grad_logits_reference`), then :math:`W \\leftarrow W - \\eta X^\\top G`,
    :math:`b \\leftarrow b - \\eta \\sum_i G_i`.
    """
    if head not in HEADS:
        raise ValueError(f"head must be one of {HEADS}, got {head!r}")
    X = as_float_array(X, "X")
    if X.ndim != 2:
        raise ValueError(f"X must have shape (n, d), got {X.shape}")
    Y = np.asarray(Y)
    if Y.shape[0] != X.shape[0]:
        raise ValueError(f"Y must have one row per row of X ({X.shape[0]}), got {Y.shape[0]}")
    if not (isinstance(epochs, int) and epochs >= 0):
        raise ValueError(f"epochs must be a non-negative int, got {epochs!r}")
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


# -- metrics -------------------------------------------------------------------------


def _as_binary(a, name):
    """A 2-D array of 0/1 decisions (bool, int or float), returned as bool."""
    a = np.asarray(a)
    if a.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be an array of 0/1 values, got dtype {a.dtype}")
    if a.ndim != 2:
        raise ValueError(f"{name} must have shape (n, k), one row per example, got {a.shape}")
    if a.dtype.kind != "b" and not np.isin(a, (0, 1)).all():
        raise ValueError(f"{name} must contain only 0 and 1 (or False and True)")
    return a.astype(bool)


def _ratio(num, den):
    """num / den elementwise, 0 where den == 0 (the documented 0/0 convention)."""
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    out = np.zeros(np.broadcast(num, den).shape)
    np.divide(num, den, out=out, where=den > 0)
    return out


@dataclass(frozen=True)
class Counts:
    """Per-label confusion counts, each an int array of shape (k,)."""

    tp: np.ndarray
    fp: np.ndarray
    fn: np.ndarray
    tn: np.ndarray


def confusion_counts(pred, y):
    """True/false positives and negatives per label (column).

    Parameters
    ----------
    pred, y : array_like of shape (n, k), 0/1 or bool
        Decisions and true labels.

    Examples
    --------
    >>> c = confusion_counts([[1, 0], [1, 1]], [[1, 1], [0, 1]])
    >>> c.tp, c.fp, c.fn, c.tn
    (array([1, 1]), array([1, 0]), array([0, 1]), array([0, 0]))
    """
    pred = _as_binary(pred, "pred")
    y = _as_binary(y, "y")
    check_same_shape(pred, y, "pred", "y")
    return Counts(
        tp=(pred & y).sum(axis=0),
        fp=(pred & ~y).sum(axis=0),
        fn=(~pred & y).sum(axis=0),
        tn=(~pred & ~y).sum(axis=0),
    )


def precision(pred, y):
    """Per-label precision TP / (TP + FP); 0 for a label never predicted positive.

    Examples
    --------
    >>> precision([[1, 0], [1, 0]], [[1, 1], [0, 1]])
    array([0.5, 0. ])
    """
    c = confusion_counts(pred, y)
    return _ratio(c.tp, c.tp + c.fp)


def recall(pred, y):
    """Per-label recall TP / (TP + FN); 0 for a label that never occurs in ``y``.

    Examples
    --------
    >>> recall([[1, 0], [1, 0]], [[1, 1], [0, 1]])
    array([1., 0.])
    """
    c = confusion_counts(pred, y)
    return _ratio(c.tp, c.tp + c.fn)


def _f1(p, r):
    return _ratio(2 * p * r, p + r)


def f1_score(pred, y):
    """Per-label F1 = 2 P R / (P + R), the harmonic mean; 0 when P + R = 0.

    Examples
    --------
    >>> f1_score([[1, 0], [1, 0]], [[1, 1], [0, 1]])
    array([0.66666667, 0.        ])
    """
    return _f1(precision(pred, y), recall(pred, y))


def exact_match(pred, y):
    """Fraction of rows whose whole label set is right (subset accuracy).

    Examples
    --------
    >>> exact_match([[1, 0], [1, 1]], [[1, 0], [0, 1]])
    0.5
    """
    pred = _as_binary(pred, "pred")
    y = _as_binary(y, "y")
    check_same_shape(pred, y, "pred", "y")
    if pred.shape[0] == 0:
        raise ValueError("pred has no rows; exact match needs at least one example")
    return float((pred == y).all(axis=1).mean())


def accuracy(pred_labels, labels):
    """Fraction of examples whose predicted class index equals the true one.

    Examples
    --------
    >>> accuracy([0, 2, 1, 1], [0, 2, 2, 1])
    0.75
    """
    pred_labels = np.asarray(pred_labels)
    labels = np.asarray(labels)
    for name, a in (("pred_labels", pred_labels), ("labels", labels)):
        if a.dtype.kind not in "iu" or a.ndim != 1:
            raise ValueError(f"{name} must be a 1-D array of integer class indices")
    check_same_shape(pred_labels, labels, "pred_labels", "labels")
    if labels.size == 0:
        raise ValueError("labels is empty; accuracy needs at least one example")
    return float((pred_labels == labels).mean())


def _probabilities_2d(p, name="p"):
    p = as_float_array(p, name)
    if p.ndim != 2:
        raise ValueError(f"{name} must have shape (n, k), one row per example, got {p.shape}")
    check_probabilities(p, name)
    return p


def _thresholds(threshold, k):
    t = as_float_array(threshold, "threshold")
    if t.ndim > 1 or (t.ndim == 1 and t.shape != (k,)):
        raise ValueError(
            f"threshold must be a number or one per label, shape ({k},); got {t.shape}"
        )
    if ((t < 0) | (t > 1)).any():
        raise ValueError(f"threshold must lie in [0, 1], got {threshold!r}")
    return np.broadcast_to(t, (k,)).astype(float)


@dataclass(frozen=True)
class ThresholdScores:
    """What the threshold explorer shows: per-label counts and scores at one threshold."""

    threshold: np.ndarray  # (k,)
    tp: np.ndarray  # (k,) int
    fp: np.ndarray
    fn: np.ndarray
    precision: np.ndarray  # (k,)
    recall: np.ndarray
    f1: np.ndarray

    @property
    def predicted(self):
        """How many examples are predicted positive, per label."""
        return self.tp + self.fp

    @property
    def support(self):
        """How many examples truly carry each label."""
        return self.tp + self.fn


def precision_recall_at(p, y, threshold=0.5):
    """Per-label precision, recall and F1 when ``p >= threshold`` is predicted positive.

    Parameters
    ----------
    p : array_like of shape (n, k)
        Per-label probabilities (sigmoid outputs).
    y : array_like of shape (n, k)
        True 0/1 labels.
    threshold : float or array_like of shape (k,), default 0.5
        One threshold for every label, or one per label, in [0, 1].

    Returns
    -------
    ThresholdScores
        Counts and scores per label. Precision is 0 when nothing is predicted
        positive; recall is 0 when the label never occurs; F1 is 0 when both are 0.

    Examples
    --------
    >>> s = precision_recall_at([[0.9, 0.2], [0.6, 0.7], [0.3, 0.4]], [[1, 0], [0, 1], [1, 1]])
    >>> s.precision, s.recall, s.tp
    (array([0.5, 1. ]), array([0.5, 0.5]), array([1, 1]))
    """
    p = _probabilities_2d(p)
    y = _as_binary(y, "y")
    check_same_shape(p, y, "p", "y")
    t = _thresholds(threshold, p.shape[1])
    c = confusion_counts(p >= t, y)
    prec = _ratio(c.tp, c.tp + c.fp)
    rec = _ratio(c.tp, c.tp + c.fn)
    return ThresholdScores(t, c.tp, c.fp, c.fn, prec, rec, _f1(prec, rec))


@dataclass(frozen=True)
class ThresholdCurve:
    """Scores for a sweep of thresholds; each score array has shape (T, k)."""

    thresholds: np.ndarray  # (T,)
    precision: np.ndarray
    recall: np.ndarray
    f1: np.ndarray
    predicted: np.ndarray  # (T, k) int: how many predicted positive


def threshold_curve(p, y, thresholds=None):
    """:func:`precision_recall_at` for many thresholds at once.

    Parameters
    ----------
    p, y : array_like of shape (n, k)
    thresholds : array_like of shape (T,), default 0.01, 0.02, ..., 0.99

    Returns
    -------
    ThresholdCurve

    Examples
    --------
    >>> c = threshold_curve([[0.9], [0.4]], [[1], [0]], [0.3, 0.5])
    >>> c.precision[:, 0], c.recall[:, 0]
    (array([0.5, 1. ]), array([1., 1.]))
    """
    p = _probabilities_2d(p)
    y = _as_binary(y, "y")
    check_same_shape(p, y, "p", "y")
    if thresholds is None:
        thresholds = np.linspace(0.01, 0.99, 99)
    t = as_float_array(thresholds, "thresholds")
    if t.ndim != 1 or t.size == 0 or ((t < 0) | (t > 1)).any():
        raise ValueError("thresholds must be a non-empty 1-D array of values in [0, 1]")
    pred = p[None, :, :] >= t[:, None, None]  # (T, n, k)
    tp = (pred & y).sum(axis=1)  # (T, k)
    predicted = pred.sum(axis=1)
    prec = _ratio(tp, predicted)
    rec = _ratio(tp, y.sum(axis=0))
    return ThresholdCurve(t, prec, rec, _f1(prec, rec), predicted)


def multilabel_summary(p, y, threshold=0.5):
    """The multi-label metrics the lesson compares, predicting ``p >= threshold``.

    Returns
    -------
    dict of str -> float
        exact match (all rows), micro F1 (counts pooled over labels), recall
        and exact match on the rows with 2 or more true labels, and exact match
        on the rows with no label ("none of the above").
    """
    p = _probabilities_2d(p)
    y = _as_binary(y, "y")
    check_same_shape(p, y, "p", "y")
    pred = p >= threshold
    c = confusion_counts(pred, y)
    micro_p = _ratio(c.tp.sum(), c.tp.sum() + c.fp.sum())
    micro_r = _ratio(c.tp.sum(), c.tp.sum() + c.fn.sum())
    n_true = y.sum(axis=1)
    several, none = n_true >= 2, n_true == 0
    right_rows = (pred == y).all(axis=1)
    return {
        "exact match": float(right_rows.mean()),
        "micro F1": float(_f1(micro_p, micro_r)),
        "recall, rows with 2+ labels": float(_ratio((pred & y)[several].sum(), y[several].sum())),
        "exact match, rows with 2+ labels": float(right_rows[several].mean())
        if several.any()
        else 0.0,
        "exact match, rows with no label": float(right_rows[none].mean()) if none.any() else 0.0,
    }


def multiclass_summary(p, labels, threshold=0.5):
    """The multi-class metrics the lesson compares for a (n, k) output ``p``.

    Returns
    -------
    dict of str -> float
        accuracy of the argmax, the fraction of rows whose outputs sum to 1
        (within 0.01), and the fraction of rows with exactly one output
        ``>= threshold`` (one class, as the problem demands).
    """
    p = _probabilities_2d(p)
    labels = np.asarray(labels)
    if labels.shape != p.shape[:1] or labels.dtype.kind not in "iu":
        raise ValueError(f"labels must be integer class indices of shape ({p.shape[0]},)")
    return {
        "accuracy (argmax)": accuracy(p.argmax(axis=1), labels),
        "rows summing to 1": float((np.abs(p.sum(axis=1) - 1) <= 0.01).mean()),
        f"rows with exactly one p >= {threshold}": float(
            (labels_per_row(p, threshold)[1]) / p.shape[0]
        ),
    }


def labels_per_row(p, threshold=0.5):
    """How many rows have 0, 1, ..., k outputs ``>= threshold``: an int array of shape (k + 1,).

    Examples
    --------
    >>> labels_per_row([[0.9, 0.8, 0.1], [0.2, 0.3, 0.1], [0.6, 0.1, 0.3]])
    array([1, 1, 1, 0])
    """
    p = _probabilities_2d(p)
    return np.bincount((p >= threshold).sum(axis=1), minlength=p.shape[1] + 1)


# -- figures ---------------------------------------------------------------------------

# One colour-blind-safe (colour, marker) pair per label combination. Combinations
# that lie side by side in the data get contrasting colours: {1} (orange squares)
# borders {0, 1} (purple diamonds), not the similar vermillion.
_COMBO_STYLE = {
    (): (plots.PALETTE["black"], "x"),
    (0,): (plots.PALETTE["blue"], "o"),
    (1,): (plots.PALETTE["orange"], "s"),
    (2,): (plots.PALETTE["green"], "^"),
    (0, 1): (plots.PALETTE["purple"], "D"),
    (0, 2): (plots.PALETTE["vermillion"], "v"),
    (1, 2): (plots.PALETTE["sky"], "P"),
    (0, 1, 2): (plots.PALETTE["yellow"], "*"),
}
_CLASS_STYLE = [
    (plots.PALETTE["blue"], "o"),
    (plots.PALETTE["orange"], "s"),
    (plots.PALETTE["green"], "^"),
]


def _combo_name(combo, empty="no label"):
    return empty if not combo else "{" + ", ".join(str(j) for j in combo) + "}"


def _edge(marker):
    """Marker edges that keep overlapping points apart (an unfilled "x" keeps its colour)."""
    if marker == "x":
        return {"linewidths": 1.0}
    if marker == "*":
        return {"edgecolors": "black", "linewidths": 0.5}
    if marker == "P":  # a thin plus: a white edge would eat it
        return {"edgecolors": "face", "linewidths": 0.5}
    return {"edgecolors": "white", "linewidths": 0.5}


def plot_datasets(X_ml, Y_ml, X_mc, y_mc):
    """Scatter plots: multi-label data (one style per label combination), multi-class data."""
    Y_ml = _as_binary(Y_ml, "Y_ml")
    if Y_ml.shape[1] != 3:
        raise ValueError("plot_datasets draws three labels")
    fig, (ax_ml, ax_mc) = plots.figure(1, 2, figsize=(10.5, 5.4))
    combos = [tuple(np.flatnonzero(row)) for row in Y_ml]
    for combo, (color, marker) in _COMBO_STYLE.items():
        idx = [i for i, c in enumerate(combos) if c == combo]
        if not idx:
            continue
        ax_ml.scatter(
            X_ml[idx, 0],
            X_ml[idx, 1],
            s={"*": 60, "P": 40}.get(marker, 30),
            c=color,
            marker=marker,
            alpha=0.9,
            label=f"{_combo_name(combo)} ({len(idx)})",
            **_edge(marker),
        )
    ax_ml.set(
        title="Multi-label: any subset of labels {0, 1, 2}",
        xlabel="feature $x_1$",
        ylabel="feature $x_2$",
    )
    ax_ml.legend(
        title="true labels (count)",
        loc="upper center",
        bbox_to_anchor=(0.5, -0.16),
        fontsize=10,
        title_fontsize=10,
        ncols=4,
        markerscale=1.4,
        columnspacing=1.0,
        handletextpad=0.3,
    )
    for j, (color, marker) in enumerate(_CLASS_STYLE):
        m = y_mc == j
        ax_mc.scatter(
            X_mc[m, 0],
            X_mc[m, 1],
            s=30,
            c=color,
            marker=marker,
            alpha=0.9,
            label=f"class {j} ({int(m.sum())})",
            **_edge(marker),
        )
    ax_mc.set(
        title="Multi-class: exactly one class of {0, 1, 2}",
        xlabel="feature $x_1$",
        ylabel="feature $x_2$",
    )
    ax_mc.legend(
        title="true class (count)",
        loc="upper center",
        bbox_to_anchor=(0.5, -0.16),
        fontsize=10,
        title_fontsize=10,
        ncols=3,
        markerscale=1.4,
    )
    for ax in (ax_ml, ax_mc):
        ax.set_aspect("equal", adjustable="datalim")
    return fig


def plot_label_probabilities(p_sigmoid, p_softmax, y, threshold=0.5):
    """Per-label probabilities of both heads on a few multi-label examples (one panel each).

    Parameters
    ----------
    p_sigmoid, p_softmax : ndarray of shape (m, k)
        Outputs of the sigmoid head and the softmax head on the same m examples.
    y : ndarray of shape (m, k)
        Their true labels (drawn as a ✓ under each true label).
    """
    y = _as_binary(y, "y")
    m, k = y.shape
    fig, axes = plots.figure(1, m, figsize=(2.7 * m + 0.8, 3.6), sharey=True)
    axes = np.atleast_1d(axes)
    x = np.arange(k)
    width = 0.38
    for i, ax in enumerate(axes):
        for offset, (head, p) in zip(
            (-width / 2, width / 2), (("sigmoid", p_sigmoid), ("softmax", p_softmax))
        ):
            ax.bar(x + offset, p[i], width, color=HEAD_COLORS[head], label=f"{head} head")
            for xi, v in zip(x + offset, p[i]):
                ax.text(xi, v + 0.02, f"{v:.2f}", ha="center", va="bottom", fontsize=7)
        ax.axhline(threshold, color="black", ls="--", lw=0.8)
        ax.set_xticks(x, [f"label {j}\n{'✓ true' if y[i, j] else '-'}" for j in range(k)])
        truth = _combo_name(tuple(np.flatnonzero(y[i])), empty="none")
        ax.set_title(f"example {i + 1}: true labels: {truth}", fontsize=9)
        ax.set_ylim(0, 1.12)
        ax.grid(axis="x", visible=False)
    axes[0].set_ylabel("predicted probability")
    axes[0].text(k - 0.5, threshold + 0.02, f"threshold {threshold}", ha="right", fontsize=7)
    axes[0].legend(loc="upper right", fontsize=8)
    return fig


def plot_metrics_comparison(results):
    """Grouped bars: each head on each data set.

    Parameters
    ----------
    results : dict
        ``{data_set_title: {head: {metric: value}}}``, e.g. from
        :func:`multilabel_summary` and :func:`multiclass_summary`; one panel per
        data set. Each head keeps its colour and its place in every panel
        (sigmoid left, softmax right, whatever the order in ``results``); each
        bar is labelled with its value to 3 decimals, as the lesson prints it.
    """
    fig, axes = plots.figure(1, len(results), figsize=(11.5, 4.6))
    axes = np.atleast_1d(axes)
    for ax, (title, by_head) in zip(axes, results.items()):
        heads = [head for head in HEADS if head in by_head]
        metrics = list(by_head[heads[0]])
        x = np.arange(len(metrics))
        width = 0.8 / len(HEADS)
        for head in heads:
            values = [by_head[head][name] for name in metrics]
            pos = x + (HEADS.index(head) - (len(HEADS) - 1) / 2) * width
            ax.bar(pos, values, width, color=HEAD_COLORS[head], label=f"{head} head")
            for xi, v in zip(pos, values):
                ax.text(xi, v + 0.01, f"{v:.3f}", ha="center", va="bottom", fontsize=7)
        ax.set_xticks(x, [textwrap.fill(name, 14) for name in metrics], fontsize=8)
        ax.set(title=title, ylabel="fraction (higher is better)", ylim=(0, 1.07))
        ax.set_yticks(np.linspace(0.0, 1.0, 6))
        ax.grid(axis="x", visible=False)
    handles = [plt.Rectangle((0, 0), 1, 1, color=HEAD_COLORS[h]) for h in HEADS]
    fig.legend(handles, [f"{h} head" for h in HEADS], loc="outside upper center", ncols=len(HEADS))
    return fig


def plot_row_sums(p_sigmoid, p_softmax):
    """Histogram of the row sums of sigmoid outputs, with the softmax rows' sum marked."""
    p_sigmoid = _probabilities_2d(p_sigmoid, "p_sigmoid")
    p_softmax = _probabilities_2d(p_softmax, "p_softmax")
    fig, ax = plots.figure(figsize=(7.0, 3.4))
    sums = p_sigmoid.sum(axis=1)
    counts, _, _ = ax.hist(
        sums,
        bins=np.arange(0.0, p_sigmoid.shape[1] + 0.05, 0.05),
        color=HEAD_COLORS["sigmoid"],
        edgecolor="white",
        linewidth=0.5,
        zorder=2,
        label="sigmoid head: sum of the 3 outputs",
    )
    soft = p_softmax.sum(axis=1)
    ax.axvline(  # behind the bars, so it hides none of them
        float(np.median(soft)),
        color=HEAD_COLORS["softmax"],
        lw=2.5,
        zorder=1,
        label="softmax head: every row sums to 1",
    )
    ax.set(
        title="Exclusive classes: outputs per example, summed",
        xlabel="sum of the outputs of one example",
        ylabel="number of test examples",
        xlim=(0, 2.5),
        ylim=(0, 1.12 * max(counts.max(), 1)),
    )
    ax.legend(loc="upper right", fontsize=8)
    return fig


def _mask_undefined(curve):
    """Precision with NaN where nothing is predicted positive (0/0), so plots leave a gap."""
    return np.where(curve.predicted > 0, curve.precision, np.nan)


def plot_threshold_tradeoff(curve, label_names=None, mark=0.5):
    """Precision, recall and F1 against the threshold, one panel per label.

    Where nothing is predicted positive, precision is 0/0 and is not drawn.
    """
    k = curve.precision.shape[1]
    names = label_names or [f"label {j}" for j in range(k)]
    fig, axes = plots.figure(1, k, figsize=(3.6 * k, 3.5), sharey=True)
    axes = np.atleast_1d(axes)
    prec = _mask_undefined(curve)
    for j, ax in enumerate(axes):
        t = curve.thresholds
        ax.plot(t, prec[:, j], color=METRIC_COLORS["precision"], label="precision")
        ax.plot(t, curve.recall[:, j], color=METRIC_COLORS["recall"], ls="--", label="recall")
        ax.plot(t, curve.f1[:, j], color=METRIC_COLORS["F1"], ls=":", label="F1")
        ax.axvline(mark, color="grey", lw=0.8)
        ax.set(title=names[j], xlabel="threshold", xlim=(0, 1), ylim=(0, 1.05))
    axes[0].set_ylabel("score on the test set")
    axes[0].legend(loc="lower left", fontsize=8)
    return fig


def _names(k, label_names):
    return list(label_names) if label_names is not None else [f"label {j}" for j in range(k)]


def _threshold_title(scores):
    t = scores.threshold
    where = f"threshold {t[0]:.2f}" if np.all(t == t[0]) else "per-label thresholds"
    return f"precision-recall curves, dot at {where}"


def draw_threshold_view(scores, curve, ax, label_names=None):
    """Draw what the threshold explorer shows; return the artists to update.

    Each label's precision-recall curve (every threshold), with a dot at the
    current threshold. Where nothing is predicted, precision is 0/0 and the
    curve is not drawn.

    Returns
    -------
    dict
        The artists :func:`update_threshold_view` moves on a slider change.
    """
    k = scores.precision.size
    names = _names(k, label_names)
    prec = _mask_undefined(curve)
    points = []
    for j in range(k):
        color = LABEL_COLORS[j % len(LABEL_COLORS)]
        ax.plot(curve.recall[:, j], prec[:, j], color=color, label=names[j])
        (point,) = ax.plot(
            [scores.recall[j]], [scores.precision[j]], "o", ms=9, color=color, mec="black"
        )
        points.append(point)
    ax.set_xticks([0.0, 0.5, 1.0])
    ax.set_yticks([0.0, 0.5, 1.0])
    ax.set(xlabel="recall", ylabel="precision", xlim=(0, 1.02), ylim=(0, 1.05))
    ax.set_title(_threshold_title(scores))
    ax.legend(loc="lower left", fontsize=8)
    return {"ax": ax, "points": points}


def update_threshold_view(handles, scores):
    """Move the dots of :func:`draw_threshold_view` to new scores (no new artists)."""
    for j, point in enumerate(handles["points"]):
        point.set_data([scores.recall[j]], [scores.precision[j]])
    handles["ax"].title.set_text(_threshold_title(scores))


class ThresholdView:
    """The explorer's figure: drawn once, then updated in place on every slider move.

    The figure is not managed by pyplot (Jupyter shows it only when asked) and
    has a fixed layout; moving existing artists instead of redrawing the Axes,
    and keeping text to a minimum (the numbers are in the explorer's readout),
    keeps a redraw cheap enough for a slider.
    """

    def __init__(self, curve, label_names=None):
        self.curve, self.label_names = curve, label_names
        self.fig, self.ax = plots.live_figure(
            (5.0, 3.8), lambda fig: fig.add_axes((0.13, 0.14, 0.83, 0.76))
        )
        self.handles = None

    def render(self, scores):
        """Draw (the first time) or update for ``scores``; shows nothing (what tests time)."""
        with plt.rc_context(plots.STYLE):
            if self.handles is None:
                self.handles = draw_threshold_view(scores, self.curve, self.ax, self.label_names)
            else:
                update_threshold_view(self.handles, scores)

    def show(self, scores):
        """Render and display the figure (inside the explorer's Output widget)."""
        from IPython.display import display

        self.render(scores)
        display(self.fig)


def threshold_readout(scores, label_names=None):
    """One line per label: threshold, counts, precision, recall, F1 (text the explorer shows)."""
    names = _names(scores.precision.size, label_names)
    return [
        f"{names[j]}: threshold {scores.threshold[j]:.2f}  predicted {scores.predicted[j]:3d}  "
        f"TP {scores.tp[j]:3d}  FP {scores.fp[j]:3d}  FN {scores.fn[j]:3d}  "
        f"precision {scores.precision[j]:.3f}  recall {scores.recall[j]:.3f}  "
        f"F1 {scores.f1[j]:.3f}"
        for j in range(len(names))
    ]


def threshold_explorer(p, y, label_names=None):
    """A threshold slider with per-label precision, recall and F1 (needs a live kernel).

    Parameters
    ----------
    p : ndarray of shape (n, k)
        Sigmoid-head probabilities on held-out examples.
    y : ndarray of shape (n, k)
        Their true 0/1 labels.

    Returns
    -------
    ipywidgets.VBox
        The slider, a text readout (counts, precision, recall and F1 per label)
        and the figure (each label's precision-recall curve with the current point).
    """
    import ipywidgets as widgets

    view = ThresholdView(threshold_curve(p, y), label_names)  # the curves do not move
    slider = widgets.FloatSlider(
        value=0.5,
        min=0.05,
        max=0.95,
        step=0.01,
        description="threshold",
        continuous_update=True,
        readout_format=".2f",
    )
    readout = widgets.HTML()

    def draw(threshold):
        scores = precision_recall_at(p, y, threshold)
        readout.value = "<pre>" + "\n".join(threshold_readout(scores, label_names)) + "</pre>"
        view.show(scores)

    out = widgets.interactive_output(draw, {"threshold": slider})
    return widgets.VBox([slider, readout, out])
