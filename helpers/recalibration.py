r"""Recalibration: changing a trained model's probabilities so that they are honest.

Lesson 06 fits both on a validation split and measures them on the test split:

- :func:`temperature_nll`, :func:`temperature_nll_grad`, :func:`fit_temperature`: one
  scalar :math:`T`, probabilities :math:`\operatorname{softmax}(z / T)` (Guo et al.,
  2017); the arg max, and so the accuracy, never changes;
- :func:`histogram_binning_fit` and :func:`histogram_binning_apply`: each class's
  probability replaced by the accuracy of its bin (Zadrozny and Elkan, 2001), then
  renormalised; it can change predictions.

The measures they are judged by (ECE, Brier score, ...) are in :mod:`helpers.calibration`.
Bad input raises ``ValueError`` or ``TypeError`` naming the argument (a temperature
outside the normal float64 range among them).
"""

from __future__ import annotations

import numpy as np

from ._validate import (
    as_float_array,
    logits_and_labels,
    positive_int,
    probability_rows,
    real_scalar,
)
from .calibration import _bin_index, _probabilities_and_labels
from .softmax import log_softmax, softmax

__all__ = [
    "temperature_nll",
    "temperature_nll_grad",
    "fit_temperature",
    "histogram_binning_fit",
    "histogram_binning_apply",
]

_T_MIN = float(np.finfo(np.float64).smallest_normal)  # 2.2e-308


def _temperature(T, name="T"):
    """A temperature in [2.2e-308, 1.8e308]: a positive, normal float64."""
    v = real_scalar(T, name)
    if not (np.isfinite(v) and v >= _T_MIN):
        raise ValueError(
            f"{name} must be a positive temperature in [{_T_MIN:.1e}, 1.8e308] (a normal "
            f"float64), got {T!r}"
        )
    return v


# -- temperature scaling ------------------------------------------------------------------


def temperature_nll(z, y, T):
    r"""Mean negative log-likelihood of ``softmax(z / T)`` for the true classes ``y``.

    Parameters
    ----------
    z : array_like of shape (n, k)
        Logits.
    y : array_like of int, shape (n,)
    T : float in [2.2e-308, 1.8e308]
        The temperature (a positive normal float64; a smaller one raises ``ValueError``).

    Returns
    -------
    float
        :math:`\frac1n\sum_i \bigl(\operatorname{LSE}(z_i / T) - z_{i,y_i} / T\bigr)`,
        computed from :math:`(z_i - \max_j z_{ij}) / T \le 0`, so no logit overflows
        however small :math:`T` is.

    Examples
    --------
    >>> round(temperature_nll([[2.0, 0.0]], [0], 1.0), 6)
    0.126928
    """
    z, y = logits_and_labels(z, y)
    T = _temperature(T)
    logp = log_softmax(z.astype(np.float64), axis=1, temperature=T)  # (z - max z) / T
    return float(-np.mean(logp[np.arange(len(y)), y]))


def temperature_nll_grad(z, y, T):
    r"""Derivative of :func:`temperature_nll` with respect to :math:`T`.

    Parameters as in :func:`temperature_nll`.

    Returns
    -------
    float
        :math:`\frac{1}{T^2}\cdot\frac1n\sum_i \bigl(z_{i,y_i} - s_i^\top z_i\bigr)`,
        :math:`s_i = \operatorname{softmax}(z_i / T)`.

    Notes
    -----
    With :math:`u = z / T`, :math:`\partial u / \partial T = -z / T^2`, and the
    gradient of :math:`\operatorname{LSE}(u) - u_y` with respect to :math:`u` is
    :math:`s - \text{onehot}(y)` (lesson 03). The chain rule gives
    :math:`(s - \text{onehot}(y))^\top(-z / T^2) = (z_y - s^\top z) / T^2`.
    Where the softmax gives a ruled-out class (:math:`z_j = -\infty`) probability 0,
    its term :math:`s_j z_j` is 0.

    Examples
    --------
    >>> round(temperature_nll_grad([[2.0, 0.0]], [0], 1.0), 6)
    0.238406
    """
    z, y = logits_and_labels(z, y)
    T = _temperature(T)
    return _slope_numerator(z, y, T) / T / T  # not T**2: it may overflow


def _slope_numerator(z, y, T):
    r""":math:`\frac1n\sum_i (z_{i,y_i} - s_i^\top z_i)`: :func:`temperature_nll_grad` times
    :math:`T^2`, so with its sign even where the derivative itself underflows to 0."""
    z = z.astype(np.float64)
    s = softmax(z, axis=1, temperature=T)
    sz = np.sum(np.where(s > 0, s * np.where(np.isfinite(z), z, 0.0), 0.0), axis=1)
    return float(np.mean(z[np.arange(len(y)), y] - sz))


def fit_temperature(z, y, lo=0.05, hi=20.0, iterations=100):
    r"""The temperature that minimises the NLL of ``softmax(z / T)`` on (validation) data.

    Parameters
    ----------
    z : array_like of shape (n, k)
        Logits of a trained model on held-out (validation) examples.
    y : array_like of int, shape (n,)
        Their true classes.
    lo, hi : float in [2.2e-308, 1.8e308], lo < hi
        The search interval for :math:`T`.
    iterations : int >= 1
        Bisection steps on :math:`\log T` (100 reach the float64 resolution).

    Returns
    -------
    float
        :math:`T^\ast`; dividing the logits by it does not change any arg max.

    Raises
    ------
    ValueError
        When the minimiser is not inside ``[lo, hi]`` (for example when every
        example is classified correctly, the NLL keeps falling as :math:`T \to 0`),
        or ``lo``, ``hi`` or ``iterations`` is out of range.
    TypeError
        When ``lo`` or ``hi`` is not a real number, or ``iterations`` not an integer.

    Notes
    -----
    In :math:`\beta = 1/T` the NLL :math:`\frac1n\sum_i \operatorname{LSE}(\beta z_i)
    - \beta z_{i,y_i}` is convex (a log-sum-exp of linear functions), so it has at most
    one minimum, and where it has one :func:`temperature_nll_grad` changes sign once, from
    negative to positive as :math:`T` grows: bisection on the sign finds it (Guo et al. use
    L-BFGS). Convex does not mean a minimum exists: when every example is classified right
    the NLL keeps falling as :math:`T \to 0`, the slope is already >= 0 at ``lo`` (or still
    <= 0 at ``hi``) and this raises ``ValueError`` instead of returning an end of the range.

    Examples
    --------
    >>> z = [[3.0, 0.0], [3.0, 0.0], [3.0, 0.0], [0.0, 3.0]]
    >>> T = fit_temperature(z, [0, 0, 1, 1])  # 3 of 4 right, yet softmax(z) says 0.95
    >>> round(T, 6), round(3 / float(np.log(3)), 6)  # sigma(3 / T) = 3/4 exactly there
    (2.730718, 2.730718)
    """
    z, y = logits_and_labels(z, y)
    lo, hi = _temperature(lo, "lo"), _temperature(hi, "hi")
    iterations = positive_int(iterations, "iterations")
    if lo >= hi:
        raise ValueError(f"lo must be below hi, got lo={lo} and hi={hi}")
    # the sign of the derivative is the sign of its numerator (T^2 > 0), which does not
    # underflow at a huge T
    if _slope_numerator(z, y, lo) >= 0:
        raise ValueError(f"the NLL is smallest at T <= {lo}: no minimiser inside [{lo}, {hi}]")
    if _slope_numerator(z, y, hi) <= 0:
        raise ValueError(f"the NLL is smallest at T >= {hi}: no minimiser inside [{lo}, {hi}]")
    a, b = np.log(lo), np.log(hi)
    for _ in range(iterations):
        m = 0.5 * (a + b)
        if _slope_numerator(z, y, float(np.exp(m))) < 0:
            a = m
        else:
            b = m
    return float(np.exp(0.5 * (a + b)))


def histogram_binning_fit(p, y, n_bins=15):
    r"""Histogram binning (one class against the rest): each bin's outcome rate, per class.

    Parameters
    ----------
    p : array_like of shape (n, k)
        Predicted probabilities on held-out (validation) data.
    y : array_like of int, shape (n,)
        Their true classes.
    n_bins : int, default 15
        Equal-width bins ``(lo, hi]`` on [0, 1].

    Returns
    -------
    ndarray of shape (k, n_bins)
        ``values[j, b]``: the fraction of the validation images whose probability for
        class ``j`` fell in bin ``b`` that really are of class ``j``; ``nan`` for an
        empty bin. Apply it with :func:`histogram_binning_apply`.

    Notes
    -----
    Zadrozny and Elkan (2001); Guo et al. (2017) use it one class against the rest and
    normalise. It replaces each probability by an outcome frequency measured on the
    validation split, so it needs no model of the miscalibration, but its outputs take
    only ``n_bins`` values per class (ties: it loses the ranking inside a bin), an empty
    or nearly empty bin gives a noisy or missing value, and a bin with no positive
    example gives probability 0 (an infinite NLL if such an image is of that class).
    Lesson 06.

    Examples
    --------
    >>> histogram_binning_fit([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7]], [0, 1, 1], n_bins=2)
    array([[0. , 0.5],
           [0.5, 1. ]])
    """
    p, y = _probabilities_and_labels(p, y)
    n_bins = positive_int(n_bins, "n_bins")
    o = np.eye(p.shape[1])[y]
    which = _bin_index(p, n_bins)
    values = np.full((p.shape[1], n_bins), np.nan)
    for j in range(p.shape[1]):
        count = np.bincount(which[:, j], minlength=n_bins)
        hits = np.bincount(which[:, j], weights=o[:, j], minlength=n_bins)
        full = count > 0
        values[j, full] = hits[full] / count[full]
    return values


def histogram_binning_apply(p, values):
    r"""Calibrate probabilities with a fitted histogram binning, then renormalise each row.

    Parameters
    ----------
    p : array_like of shape (n, k)
        Probabilities to calibrate (for example on the test split).
    values : ndarray of shape (k, n_bins)
        From :func:`histogram_binning_fit`.

    Returns
    -------
    ndarray of shape (n, k)
        Rows sum to 1. Each :math:`p_{ij}` becomes ``values[j, b]`` for its bin
        :math:`b`; where that bin was empty on the validation split the probability is
        kept as it was; then each row is divided by its sum. A row whose new values are
        all 0 keeps its old probabilities.

    Notes
    -----
    The renormalisation and the per-class maps can change the arg max of a row, so,
    unlike temperature scaling, histogram binning can change predictions and accuracy.
    Lesson 06.

    Examples
    --------
    >>> values = histogram_binning_fit([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7]], [0, 1, 1], 2)
    >>> histogram_binning_apply([[0.6, 0.4]], values)
    array([[0.5, 0.5]])
    """
    p = probability_rows(p, "p")
    values = as_float_array(values, "values", check_nan=False)
    if values.ndim != 2 or values.shape[0] != p.shape[1]:
        raise ValueError(
            f"values must have shape (k, n_bins) with k = {p.shape[1]}, got {values.shape}"
        )
    if ((values < 0) | (values > 1)).any():
        raise ValueError("values must lie in [0, 1] (or be nan for an empty bin)")
    p = p.astype(np.float64)
    which = _bin_index(p, values.shape[1])  # (n, k)
    q = values[np.arange(p.shape[1]), which]  # (n, k): values[j, which[i, j]]
    q = np.where(np.isnan(q), p, q)
    total = q.sum(axis=1, keepdims=True)
    return np.where(total > 0, q / np.where(total > 0, total, 1.0), p)
