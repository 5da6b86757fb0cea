r"""Scores for yes/no decisions: precision, recall, F1, exact match, accuracy.

Lesson 05 derives them for multi-label outputs (one yes/no per label); lesson
06 reuses them, and adds a threshold per label (:func:`choose_thresholds`) and
PyTorch's advice for ``pos_weight`` (:func:`pos_weight_from_counts`). Decisions
``pred`` and true labels ``y`` are 0/1 (or bool) arrays of shape (n, k), one
column per label, or (n,) for a single label.

Conventions (also stated in lesson 05):

- a probability becomes a positive decision when ``p >= threshold`` (ties
  count as positive);
- precision :math:`= TP / (TP + FP)` is **0 when nothing is predicted
  positive** (0/0), recall :math:`= TP / (TP + FN)` is **0 when the label
  never occurs** (0/0), and :math:`F_1 = 2PR / (P + R)` is **0 when P + R = 0**.
  scikit-learn's ``zero_division=0`` gives the same numbers;
- ``average=None`` scores each label; ``"micro"`` pools the counts of all
  labels first (every decision weighs the same); ``"macro"`` is the plain
  mean of the per-label scores (every label weighs the same).

:func:`agreement` describes how two arrays compare in words that do not
depend on the CPU's last bits, for printed lesson outputs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validate import (
    as_float_array,
    binary_array,
    check_choice,
    check_positive,
    check_same_shape,
    check_unit_interval,
    probability_matrix,
)

__all__ = [
    "Counts",
    "confusion_counts",
    "precision",
    "recall",
    "f1_score",
    "exact_match",
    "accuracy",
    "ThresholdScores",
    "precision_recall_at",
    "ThresholdCurve",
    "threshold_curve",
    "multilabel_summary",
    "multiclass_summary",
    "labels_per_row",
    "pos_weight_from_counts",
    "choose_thresholds",
    "agreement",
]

AVERAGES = (None, "micro", "macro")


# -- validation (helpers._validate) ------------------------------------------------------


def _pair(pred, y):
    pred, y = binary_array(pred, "pred"), binary_array(y, "y")
    check_same_shape(pred, y, "pred", "y")
    return pred, y


def _ratio(num, den):
    """num / den elementwise, 0 where den == 0 (the documented 0/0 convention)."""
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    out = np.zeros(np.broadcast(num, den).shape)
    np.divide(num, den, out=out, where=den > 0)
    return out


def _f1(p, r):
    return _ratio(2 * p * r, p + r)


def _average(average):
    check_choice(average, "average", AVERAGES)
    return average


def _result(scores, ndim):
    """Per-label array for (n, k) input, a float for (n,) input."""
    return float(scores) if ndim == 1 or np.ndim(scores) == 0 else scores


# -- counts and the three scores -----------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    """Per-label confusion counts, each an int array of shape (k,) (a 0-d int for one label)."""

    tp: np.ndarray
    fp: np.ndarray
    fn: np.ndarray
    tn: np.ndarray


def confusion_counts(pred, y):
    """True/false positives and negatives per label (column).

    Parameters
    ----------
    pred, y : array_like of shape (n, k) or (n,), 0/1 or bool
        Decisions and true labels.

    Returns
    -------
    Counts

    Examples
    --------
    >>> c = confusion_counts([[1, 0], [1, 1]], [[1, 1], [0, 1]])
    >>> c.tp, c.fp, c.fn, c.tn
    (array([1, 1]), array([1, 0]), array([0, 1]), array([0, 0]))
    """
    pred, y = _pair(pred, y)
    return Counts(
        tp=(pred & y).sum(axis=0),
        fp=(pred & ~y).sum(axis=0),
        fn=(~pred & y).sum(axis=0),
        tn=(~pred & ~y).sum(axis=0),
    )


def _scores(pred, y, average):
    """Precision and recall under one averaging rule, and the input's ndim."""
    _average(average)
    pred, y = _pair(pred, y)
    c = confusion_counts(pred, y)
    if average == "micro":  # pool the counts of every label, then divide once
        tp, fp, fn = c.tp.sum(), c.fp.sum(), c.fn.sum()
        return _ratio(tp, tp + fp), _ratio(tp, tp + fn), 1
    return _ratio(c.tp, c.tp + c.fp), _ratio(c.tp, c.tp + c.fn), pred.ndim


def precision(pred, y, average=None):
    r"""Precision :math:`TP / (TP + FP)`: of the predicted positives, the fraction that are right.

    Parameters
    ----------
    pred, y : array_like of shape (n, k) or (n,), 0/1 or bool
        Decisions and true labels.
    average : {None, "micro", "macro"}, default None
        None: one score per label (shape (k,); a float for (n,) input).
        "micro": one float from the counts pooled over all labels.
        "macro": one float, the mean of the per-label scores.

    Returns
    -------
    ndarray of shape (k,) or float
        0 for a label that is never predicted positive (0/0).

    Notes
    -----
    Derived in lesson 05.

    Examples
    --------
    >>> precision([[1, 0], [1, 0]], [[1, 1], [0, 1]])
    array([0.5, 0. ])
    >>> precision([[1, 0], [1, 0]], [[1, 1], [0, 1]], average="micro")
    0.5
    >>> precision([1, 1, 0], [1, 0, 0])
    0.5
    """
    p, _, ndim = _scores(pred, y, average)
    return float(p.mean()) if average == "macro" else _result(p, ndim)


def recall(pred, y, average=None):
    r"""Recall :math:`TP / (TP + FN)`: of the true positives, the fraction predicted.

    Parameters and averaging as in :func:`precision`; 0 for a label that never
    occurs in ``y`` (0/0). Derived in lesson 05.

    Examples
    --------
    >>> recall([[1, 0], [1, 0]], [[1, 1], [0, 1]])
    array([1., 0.])
    >>> recall([[1, 0], [1, 0]], [[1, 1], [0, 1]], average="macro")
    0.5
    """
    _, r, ndim = _scores(pred, y, average)
    return float(r.mean()) if average == "macro" else _result(r, ndim)


def f1_score(pred, y, average=None):
    r"""F1 :math:`= 2PR / (P + R)`, the harmonic mean of precision and recall; 0 when P + R = 0.

    Parameters and averaging as in :func:`precision`: "micro" takes F1 of the
    pooled precision and recall, "macro" the mean of the per-label F1 scores.
    Derived in lesson 05.

    Examples
    --------
    >>> f1_score([[1, 0], [1, 0]], [[1, 1], [0, 1]])
    array([0.66666667, 0.        ])
    >>> round(f1_score([[1, 0], [1, 0]], [[1, 1], [0, 1]], average="micro"), 4)
    0.4
    >>> round(f1_score([[1, 0], [1, 0]], [[1, 1], [0, 1]], average="macro"), 4)
    0.3333
    """
    p, r, ndim = _scores(pred, y, average)
    f1 = _f1(p, r)
    return float(f1.mean()) if average == "macro" else _result(f1, ndim)


def exact_match(pred, y):
    """Fraction of rows whose whole label set is right (subset accuracy).

    Examples
    --------
    >>> exact_match([[1, 0], [1, 1]], [[1, 0], [0, 1]])
    0.5
    """
    pred, y = _pair(pred, y)
    if pred.shape[0] == 0:
        raise ValueError("pred has no rows; exact match needs at least one example")
    return float((pred == y).reshape(len(pred), -1).all(axis=1).mean())


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
        if a.dtype.kind not in "iu":
            raise TypeError(f"{name} must hold integer class indices, got dtype {a.dtype}")
        if a.ndim != 1:
            raise ValueError(f"{name} must be a 1-D array of integer class indices")
    check_same_shape(pred_labels, labels, "pred_labels", "labels")
    if labels.size == 0:
        raise ValueError("labels is empty; accuracy needs at least one example")
    return float((pred_labels == labels).mean())


# -- scores of probabilities at a threshold -----------------------------------------------


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
    """Per-label counts and scores at one threshold (what lesson 05's explorer shows)."""

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
        Counts and scores per label, with the 0/0 conventions of the module.

    Examples
    --------
    >>> s = precision_recall_at([[0.9, 0.2], [0.6, 0.7], [0.3, 0.4]], [[1, 0], [0, 1], [1, 1]])
    >>> s.precision, s.recall, s.tp
    (array([0.5, 1. ]), array([0.5, 0.5]), array([1, 1]))
    """
    p = probability_matrix(p)
    y = binary_array(y, "y")
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
    p = probability_matrix(p)
    y = binary_array(y, "y")
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


# -- the summaries lesson 05 compares -------------------------------------------------------


def multilabel_summary(p, y, threshold=0.5):
    """The multi-label metrics lesson 05 compares, predicting ``p >= threshold``.

    Returns
    -------
    dict of str -> float
        exact match (all rows), micro F1 (counts pooled over labels), recall
        and exact match on the rows with 2 or more true labels, and exact match
        on the rows with no label ("none of the above").
    """
    p = probability_matrix(p)
    y = binary_array(y, "y")
    check_same_shape(p, y, "p", "y")
    pred = p >= _thresholds(threshold, p.shape[1])
    n_true = y.sum(axis=1)
    several, none = n_true >= 2, n_true == 0
    right_rows = (pred == y).all(axis=1)
    return {
        "exact match": float(right_rows.mean()),
        "micro F1": f1_score(pred, y, average="micro"),
        "recall, rows with 2+ labels": float(_ratio((pred & y)[several].sum(), y[several].sum())),
        "exact match, rows with 2+ labels": float(right_rows[several].mean())
        if several.any()
        else 0.0,
        "exact match, rows with no label": float(right_rows[none].mean()) if none.any() else 0.0,
    }


def labels_per_row(p, threshold=0.5):
    """How many rows have 0, 1, ..., k outputs ``>= threshold``: an int array of shape (k + 1,).

    Examples
    --------
    >>> labels_per_row([[0.9, 0.8, 0.1], [0.2, 0.3, 0.1], [0.6, 0.1, 0.3]])
    array([1, 1, 1, 0])
    """
    p = probability_matrix(p)
    pred = p >= _thresholds(threshold, p.shape[1])
    return np.bincount(pred.sum(axis=1), minlength=p.shape[1] + 1)


def multiclass_summary(p, labels, threshold=0.5):
    """The multi-class metrics lesson 05 compares for a (n, k) output ``p``.

    Returns
    -------
    dict of str -> float
        accuracy of the argmax, the fraction of rows whose outputs sum to 1
        (within 0.01), and the fraction of rows with exactly one output
        ``>= threshold`` (one class, as the problem demands).
    """
    p = probability_matrix(p)
    threshold = check_unit_interval(threshold, "threshold")
    labels = np.asarray(labels)
    if labels.shape != p.shape[:1] or labels.dtype.kind not in "iu":
        raise ValueError(f"labels must be integer class indices of shape ({p.shape[0]},)")
    return {
        "accuracy (argmax)": accuracy(p.argmax(axis=1), labels),
        "rows summing to 1": float((np.abs(p.sum(axis=1) - 1) <= 0.01).mean()),
        f"rows with exactly one p >= {threshold}": float(
            labels_per_row(p, threshold)[1] / p.shape[0]
        ),
    }


# -- class imbalance: weights and thresholds (lesson 06) ----------------------------------


def pos_weight_from_counts(Y):
    r"""Per-label ``pos_weight``: negatives over positives, as PyTorch's documentation advises.

    Parameters
    ----------
    Y : array_like of shape (n, k), 0/1
        True labels, one column per label.

    Returns
    -------
    ndarray of shape (k,)
        :math:`w_j = (n - P_j) / P_j` with :math:`P_j` the positives of label :math:`j`:
        the weight that gives the positives of each label the total weight of its
        negatives (for :func:`helpers.losses.weighted_bce_with_logits`).

    Examples
    --------
    >>> pos_weight_from_counts([[1, 0], [0, 0], [0, 1], [0, 1]])
    array([3., 1.])
    """
    Y = binary_array(Y, "Y")
    if Y.ndim != 2:
        raise ValueError(f"Y must have shape (n, k), got {Y.shape}")
    pos = Y.sum(axis=0).astype(np.float64)
    if (pos == 0).any() or (pos == len(Y)).any():
        raise ValueError("every label needs at least one positive and one negative example")
    return (len(Y) - pos) / pos


def choose_thresholds(p, Y, thresholds=None):
    """For each label, the threshold with the highest F1 on the given (validation) data.

    Parameters
    ----------
    p : array_like of shape (n, k)
        Predicted probabilities per label.
    Y : array_like of shape (n, k)
        True 0/1 labels.
    thresholds : array_like of shape (T,), default 0.01, 0.02, ..., 0.99

    Returns
    -------
    ndarray of shape (k,)
        Ties go to the threshold closest to 0.5 (then the lower one), so that a flat
        F1 curve does not push a threshold to an extreme by accident. F1 scores equal
        to 12 decimals count as tied.

    Examples
    --------
    >>> choose_thresholds([[0.9], [0.4], [0.1]], [[1], [1], [0]])  # any t in (0.1, 0.4]
    array([0.4])
    """
    curve = threshold_curve(p, Y, thresholds)
    f1 = np.round(curve.f1, 12)  # equal scores compare equal
    chosen = []
    for j in range(f1.shape[1]):
        best = np.flatnonzero(f1[:, j] == f1[:, j].max())
        chosen.append(curve.thresholds[best[np.argmin(np.abs(curve.thresholds[best] - 0.5))]])
    return np.array(chosen)


# -- printing comparisons that every CPU prints the same ------------------------------------


def agreement(a, b, tol=1e-12) -> str:
    """How two arrays compare, in words that do not depend on the CPU's last bits.

    Differences at rounding level (below ``tol``) print as "equal to rounding",
    so stored notebook outputs are the same on every machine; larger ones are
    printed to 4 significant digits.

    Examples
    --------
    >>> agreement([0.5, 0.25], [0.5, 0.25 + 1e-17])
    'equal to rounding (max |difference| < 1e-12)'
    >>> agreement([0.5, 0.25], [0.5, 0.3])
    'different: max |difference| = 0.05'
    """
    tol = check_positive(tol, "tol")
    a = as_float_array(a, "a", check_nan=False).astype(np.float64)
    b = as_float_array(b, "b", check_nan=False).astype(np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    gap = float(np.max(np.abs(a - b), initial=0.0))
    if gap < tol:
        return f"equal to rounding (max |difference| < {tol:.0e})"
    return f"different: max |difference| = {gap:.4g}"
