r"""Honest probabilities: calibration, temperature scaling, label smoothing, class imbalance.

Lesson 06 derives everything here and measures it on real data (the handwritten
digits of :mod:`helpers.data`):

- :func:`reliability_bins` and :func:`expected_calibration_error`: confidence against
  accuracy, bin by bin (Naeini et al., 2015; Guo et al., 2017);
- :func:`temperature_nll`, :func:`temperature_nll_grad`, :func:`fit_temperature`: one
  scalar :math:`T` fitted on validation data (Guo et al., 2017);
- :func:`smooth_labels`, :func:`label_smoothing_cross_entropy`,
  :func:`label_smoothing_grad`: targets :math:`(1 - \varepsilon)\,\text{onehot} +
  \varepsilon / k` and the gradient :math:`s - y_\varepsilon` (Szegedy et al., 2016);
- :func:`weighted_bce_with_logits` and its gradient: PyTorch's ``pos_weight``;
  :func:`pos_weight_from_counts`, :func:`choose_thresholds`;
- :func:`train_softmax_regression` and :func:`train_sigmoid_regression`: minibatch
  gradient descent on a linear layer, built from :func:`helpers.softmax.log_softmax`
  and the fused gradients, deterministic for a given seed.

As in the other math modules, bad input (NaN, logits of +inf, labels out of range, a
non-positive temperature, a weight that does not broadcast) raises ``ValueError`` or
``TypeError`` naming the argument, on purpose: NumPy and PyTorch would propagate a NaN.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._validate import as_float_array, check_probabilities, check_same_shape
from .metrics import threshold_curve
from .sigmoid import sigmoid, softplus
from .softmax import log_softmax, softmax

__all__ = [
    "ReliabilityBins",
    "reliability_bins",
    "expected_calibration_error",
    "temperature_nll",
    "temperature_nll_grad",
    "fit_temperature",
    "smooth_labels",
    "label_smoothing_cross_entropy",
    "label_smoothing_grad",
    "weighted_bce_with_logits",
    "weighted_bce_with_logits_grad",
    "pos_weight_from_counts",
    "choose_thresholds",
    "LinearModel",
    "train_softmax_regression",
    "train_sigmoid_regression",
]


# -- validation ---------------------------------------------------------------------------


def _labels(y, n, k, name="y"):
    y = np.asarray(y)
    if y.dtype.kind not in "iu":
        raise TypeError(f"{name} must hold integer class indices, got dtype {y.dtype}")
    if y.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},), one class per row, got {y.shape}")
    if n and (y.min() < 0 or y.max() >= k):
        raise ValueError(f"{name} must lie in 0..{k - 1}, got values in [{y.min()}, {y.max()}]")
    return y


def _logits_and_labels(z, y):
    z = as_float_array(z, "z")
    if z.ndim != 2 or z.shape[0] == 0 or z.shape[1] < 2:
        raise ValueError(f"z must have shape (n, k) with n >= 1 and k >= 2, got {z.shape}")
    if np.isposinf(z).any():
        raise ValueError("z contains +inf; logits must be finite or -inf")
    return z, _labels(y, *z.shape)


def _n_bins(n_bins):
    if isinstance(n_bins, bool) or not isinstance(n_bins, (int, np.integer)) or n_bins < 1:
        raise ValueError(f"n_bins must be a positive integer, got {n_bins!r}")
    return int(n_bins)


def _eps(eps):
    if isinstance(eps, bool) or not np.isscalar(eps) or not 0 <= eps <= 1:
        raise ValueError(f"eps must be a number in [0, 1], got {eps!r}")
    return float(eps)


# -- calibration --------------------------------------------------------------------------


@dataclass(frozen=True)
class ReliabilityBins:
    """Confidence and accuracy per bin: what a reliability diagram draws.

    ``edges`` has ``n_bins + 1`` entries; bin ``b`` holds the confidences in
    ``(edges[b], edges[b + 1]]`` (bin 0 also holds 0). Empty bins have ``count`` 0
    and ``nan`` confidence and accuracy.
    """

    edges: np.ndarray  # (n_bins + 1,)
    count: np.ndarray  # (n_bins,) int
    confidence: np.ndarray  # (n_bins,) mean confidence in the bin
    accuracy: np.ndarray  # (n_bins,) fraction correct in the bin

    @property
    def weight(self):
        """Fraction of all examples in each bin, :math:`n_b / n`."""
        return self.count / self.count.sum()

    @property
    def gap(self):
        """Accuracy minus confidence per bin (negative: overconfident); nan where empty."""
        return self.accuracy - self.confidence


def reliability_bins(p, y, n_bins=15):
    r"""Sort predictions into equal-width confidence bins; accuracy and confidence per bin.

    Parameters
    ----------
    p : array_like of shape (n, k)
        Predicted class probabilities (rows sum to 1).
    y : array_like of int, shape (n,)
        True classes.
    n_bins : int, default 15
        Number of equal-width bins on [0, 1] (Guo et al. use 15).

    Returns
    -------
    ReliabilityBins

    Notes
    -----
    The confidence of a prediction is its largest probability,
    :math:`c_i = \max_j p_{ij}`, and it is correct when :math:`\arg\max_j p_{ij} = y_i`.
    Bin :math:`b` (from 1) holds :math:`B_b = \{i : (b - 1)/M < c_i \le b/M\}`
    (Guo et al., 2017); then

    .. math::

        \operatorname{acc}(B_b) = \frac{1}{|B_b|}\sum_{i \in B_b} [\hat y_i = y_i],
        \qquad \operatorname{conf}(B_b) = \frac{1}{|B_b|}\sum_{i \in B_b} c_i .

    A calibrated model has :math:`\operatorname{acc}(B_b) \approx \operatorname{conf}(B_b)`
    in every bin. Derived in lesson 06.

    Examples
    --------
    >>> bins = reliability_bins([[0.9, 0.1], [0.6, 0.4], [0.3, 0.7]], [0, 1, 1], n_bins=2)
    >>> bins.count, bins.confidence.round(4), bins.accuracy.round(4)
    (array([0, 3]), array([   nan, 0.7333]), array([   nan, 0.6667]))
    """
    p = as_float_array(p, "p")
    if p.ndim != 2 or p.shape[0] == 0 or p.shape[1] < 2:
        raise ValueError(f"p must have shape (n, k) with n >= 1 and k >= 2, got {p.shape}")
    check_probabilities(p, "p")
    y = _labels(y, *p.shape)
    n_bins = _n_bins(n_bins)
    confidence = p.max(axis=1).astype(np.float64)
    correct = (np.argmax(p, axis=1) == y).astype(np.float64)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    which = np.searchsorted(edges[1:-1], confidence, side="left")  # (lo, hi] bins
    count = np.bincount(which, minlength=n_bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        conf = np.bincount(which, weights=confidence, minlength=n_bins) / count
        acc = np.bincount(which, weights=correct, minlength=n_bins) / count
    return ReliabilityBins(edges, count, conf, acc)


def expected_calibration_error(p, y, n_bins=15):
    r"""Expected calibration error: the bin-weighted mean gap between accuracy and confidence.

    Parameters
    ----------
    p : array_like of shape (n, k)
        Predicted class probabilities.
    y : array_like of int, shape (n,)
        True classes.
    n_bins : int, default 15
        Equal-width confidence bins, as in :func:`reliability_bins`.

    Returns
    -------
    float
        In [0, 1]; 0 for a model whose accuracy equals its confidence in every bin.

    Notes
    -----
    .. math::

        \operatorname{ECE} = \sum_{b=1}^{M} \frac{|B_b|}{n}
        \,\bigl|\operatorname{acc}(B_b) - \operatorname{conf}(B_b)\bigr| ,

    empty bins contributing 0 (Naeini et al., 2015; Guo et al., 2017). It depends on
    ``n_bins``; compare ECEs only at the same number of bins. Derived in lesson 06.

    Examples
    --------
    >>> round(expected_calibration_error([[0.9, 0.1], [0.6, 0.4], [0.3, 0.7]], [0, 1, 1], 2), 6)
    0.066667
    """
    bins = reliability_bins(p, y, n_bins)
    full = bins.count > 0
    return float(np.sum(bins.weight[full] * np.abs(bins.gap[full])))


# -- temperature scaling ------------------------------------------------------------------


def _temperature(T):
    if isinstance(T, bool) or not np.isscalar(T) or not np.isreal(T):
        raise TypeError(f"T must be a real number, got {T!r}")
    if not (np.isfinite(T) and T > 0):
        raise ValueError(f"T must be positive and finite, got {T!r}")
    return float(T)


def temperature_nll(z, y, T):
    r"""Mean negative log-likelihood of ``softmax(z / T)`` for the true classes ``y``.

    Parameters
    ----------
    z : array_like of shape (n, k)
        Logits.
    y : array_like of int, shape (n,)
    T : float > 0

    Returns
    -------
    float
        :math:`\frac1n\sum_i \bigl(\operatorname{LSE}(z_i / T) - z_{i,y_i} / T\bigr)`.

    Examples
    --------
    >>> round(temperature_nll([[2.0, 0.0]], [0], 1.0), 6)
    0.126928
    """
    z, y = _logits_and_labels(z, y)
    T = _temperature(T)
    logp = log_softmax(z.astype(np.float64) / T, axis=1)
    return float(-np.mean(logp[np.arange(len(y)), y]))


def temperature_nll_grad(z, y, T):
    r"""Derivative of :func:`temperature_nll` with respect to :math:`T`.

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
    z, y = _logits_and_labels(z, y)
    T = _temperature(T)
    z = z.astype(np.float64)
    s = softmax(z / T, axis=1)
    sz = np.sum(np.where(s > 0, s * np.where(np.isfinite(z), z, 0.0), 0.0), axis=1)
    return float(np.mean(z[np.arange(len(y)), y] - sz) / T**2)


def fit_temperature(z, y, lo=0.05, hi=20.0, iterations=100):
    r"""The temperature that minimises the NLL of ``softmax(z / T)`` on (validation) data.

    Parameters
    ----------
    z : array_like of shape (n, k)
        Logits of a trained model on held-out (validation) examples.
    y : array_like of int, shape (n,)
        Their true classes.
    lo, hi : float
        The search interval for :math:`T`.
    iterations : int
        Bisection steps on :math:`\log T` (100 reach the float64 resolution).

    Returns
    -------
    float
        :math:`T^\ast`; dividing the logits by it does not change any arg max.

    Raises
    ------
    ValueError
        When the minimiser is not inside ``[lo, hi]`` (for example when every
        example is classified correctly, the NLL keeps falling as :math:`T \to 0`).

    Notes
    -----
    In :math:`\beta = 1/T` the NLL :math:`\frac1n\sum_i \operatorname{LSE}(\beta z_i)
    - \beta z_{i,y_i}` is convex (a log-sum-exp of linear functions), so it has one
    minimum and :func:`temperature_nll_grad` changes sign once, from negative to
    positive as :math:`T` grows: bisection on the sign finds it (Guo et al. use L-BFGS).

    Examples
    --------
    >>> z = [[3.0, 0.0], [3.0, 0.0], [3.0, 0.0], [0.0, 3.0]]
    >>> T = fit_temperature(z, [0, 0, 1, 1])  # 3 of 4 right, yet softmax(z) says 0.95
    >>> round(T, 6), round(3 / float(np.log(3)), 6)  # sigma(3 / T) = 3/4 exactly there
    (2.730718, 2.730718)
    """
    z, y = _logits_and_labels(z, y)
    lo, hi = _temperature(lo), _temperature(hi)
    if lo >= hi:
        raise ValueError(f"need lo < hi, got {lo} and {hi}")
    if temperature_nll_grad(z, y, lo) >= 0:
        raise ValueError(f"the NLL is smallest at T <= {lo}: no minimiser inside [{lo}, {hi}]")
    if temperature_nll_grad(z, y, hi) <= 0:
        raise ValueError(f"the NLL is smallest at T >= {hi}: no minimiser inside [{lo}, {hi}]")
    a, b = np.log(lo), np.log(hi)
    for _ in range(int(iterations)):
        m = 0.5 * (a + b)
        if temperature_nll_grad(z, y, float(np.exp(m))) < 0:
            a = m
        else:
            b = m
    return float(np.exp(0.5 * (a + b)))


# -- label smoothing ----------------------------------------------------------------------


def smooth_labels(y, k, eps):
    r"""Label-smoothed targets :math:`(1 - \varepsilon)\,\text{onehot}(y) + \varepsilon / k`.

    Parameters
    ----------
    y : array_like of int, shape (n,)
    k : int
        Number of classes.
    eps : float in [0, 1]
        :math:`\varepsilon = 0` gives one-hot rows, :math:`\varepsilon = 1` uniform rows.

    Returns
    -------
    ndarray of shape (n, k), float64
        Rows sum to 1: :math:`1 - \varepsilon + \varepsilon/k` on the true class,
        :math:`\varepsilon / k` elsewhere (Szegedy et al., 2016).

    Examples
    --------
    >>> smooth_labels([1], 4, 0.2)
    array([[0.05, 0.85, 0.05, 0.05]])
    """
    y = np.asarray(y)
    _labels(y, y.shape[0] if y.ndim == 1 else -1, int(k))
    eps = _eps(eps)
    return (1.0 - eps) * np.eye(int(k))[y] + eps / k


def label_smoothing_cross_entropy(z, y, eps):
    r"""Mean cross-entropy of ``softmax(z)`` against label-smoothed targets.

    :math:`\frac1n\sum_i -\sum_j y^{\varepsilon}_{ij}\log s_{ij}` with
    :math:`y^\varepsilon` from :func:`smooth_labels`, computed with log-softmax.
    Where a logit is :math:`-\infty` and :math:`\varepsilon > 0` the loss is
    :math:`+\infty` (the target gives that class probability :math:`\varepsilon / k`).

    Examples
    --------
    >>> round(float(label_smoothing_cross_entropy([[2.0, 0.0]], [0], 0.0)), 6)
    0.126928
    >>> round(float(label_smoothing_cross_entropy([[2.0, 0.0]], [0], 0.2)), 6)
    0.326928
    """
    z, y = _logits_and_labels(z, y)
    t = smooth_labels(y, z.shape[1], eps).astype(z.dtype)
    logp = log_softmax(z, axis=1)
    terms = np.multiply(t, logp, out=np.zeros_like(logp), where=t > 0)
    return -np.sum(terms, axis=1).mean()


def label_smoothing_grad(z, y, eps):
    r"""Gradient of :func:`label_smoothing_cross_entropy` with respect to the logits.

    Parameters
    ----------
    z : array_like of shape (n, k)
    y : array_like of int, shape (n,)
    eps : float in [0, 1]

    Returns
    -------
    ndarray of shape (n, k), same floating dtype as ``z``
        :math:`(\operatorname{softmax}(z) - y^{\varepsilon}) / n`.

    Notes
    -----
    For any target row :math:`t` that sums to 1, the gradient of
    :math:`-\sum_j t_j \log s_j` is :math:`s - t` (lesson 03 did it for one-hot
    :math:`t`; the step :math:`\sum_j t_j = 1` is all it used). So smoothing only
    changes the target: the gradient is zero at :math:`s = y^\varepsilon`, never at a
    one-hot :math:`s`, which is what keeps the logits from growing without bound.

    Examples
    --------
    >>> label_smoothing_grad([[0.0, 0.0]], [0], 0.2)
    array([[-0.4,  0.4]])
    """
    z, y = _logits_and_labels(z, y)
    t = smooth_labels(y, z.shape[1], eps).astype(z.dtype)
    return (softmax(z, axis=1) - t) / z.dtype.type(z.shape[0])


# -- class imbalance ----------------------------------------------------------------------


def _pos_weight(pos_weight, z):
    w = as_float_array(pos_weight, "pos_weight")
    if (w <= 0).any() or not np.isfinite(w).all():
        raise ValueError("pos_weight must be positive and finite")
    try:
        np.broadcast_shapes(w.shape, z.shape)
    except ValueError:
        raise ValueError(
            f"pos_weight of shape {w.shape} does not broadcast against z of shape {z.shape}: "
            "give one number, or one per label (shape (k,))"
        ) from None
    return w.astype(z.dtype, copy=False)


def weighted_bce_with_logits(z, y, pos_weight, reduction="mean"):
    r"""Binary cross-entropy from logits with the positive term weighted (``pos_weight``).

    Parameters
    ----------
    z : array_like of shape (n, k)
        Logits, one per label.
    y : array_like, same shape
        Targets in [0, 1].
    pos_weight : float or array_like of shape (k,)
        Weight :math:`w_j > 0` of the positive examples of each label.
    reduction : {'mean', 'sum', 'none'}, default 'mean'
        The mean runs over all elements, as in PyTorch's ``BCEWithLogitsLoss``.

    Returns
    -------
    ndarray (0-d for 'mean' and 'sum'), in ``z``'s floating dtype

    Notes
    -----
    .. math::

        \ell = -\bigl[w\,y\log\sigma(z) + (1 - y)\log(1 - \sigma(z))\bigr]
        = w\,y\operatorname{softplus}(-z) + (1 - y)\operatorname{softplus}(z),

    PyTorch's ``BCEWithLogitsLoss(pos_weight=w)``. With :math:`w = 1` it is
    :func:`helpers.losses.bce_with_logits`. A common choice is
    :math:`w_j = \#\text{negatives}_j / \#\text{positives}_j` (:func:`pos_weight_from_counts`),
    which gives both classes of label :math:`j` the same total weight.

    Examples
    --------
    >>> loss = weighted_bce_with_logits([0.0, 0.0], [1.0, 0.0], 3.0, reduction="sum")
    >>> float(loss / np.log(2))  # 3 log 2 for the positive, log 2 for the negative
    4.0
    """
    z = as_float_array(z, "z")
    y = as_float_array(y, "y")
    check_same_shape(z, y, "z", "y")
    check_probabilities(y, "y")
    w = _pos_weight(pos_weight, z)
    y = y.astype(z.dtype, copy=False)
    loss = w * y * softplus(-z) + (1 - y) * softplus(z)
    if reduction == "mean":
        if loss.size == 0:
            raise ValueError("z is empty: the mean over no examples is undefined")
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    if reduction == "none":
        return loss
    raise ValueError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")


def weighted_bce_with_logits_grad(z, y, pos_weight, reduction="mean"):
    r"""Gradient of :func:`weighted_bce_with_logits` with respect to the logits.

    Notes
    -----
    :math:`\frac{d}{dz}\operatorname{softplus}(z) = \sigma(z)` and
    :math:`\frac{d}{dz}\operatorname{softplus}(-z) = -\sigma(-z) = \sigma(z) - 1`, so

    .. math::

        \frac{\partial \ell}{\partial z} = w\,y\,(\sigma(z) - 1) + (1 - y)\,\sigma(z)
        = \bigl(1 + (w - 1)\,y\bigr)\,\sigma(z) - w\,y ,

    divided by ``z.size`` for the mean. With :math:`w = 1` it is :math:`\sigma(z) - y`.

    Examples
    --------
    >>> weighted_bce_with_logits_grad([[0.0, 0.0]], [[1.0, 0.0]], 3.0)
    array([[-0.75,  0.25]])
    """
    z = as_float_array(z, "z")
    y = as_float_array(y, "y")
    check_same_shape(z, y, "z", "y")
    check_probabilities(y, "y")
    w = _pos_weight(pos_weight, z)
    y = y.astype(z.dtype, copy=False)
    g = (1 + (w - 1) * y) * sigmoid(z) - w * y
    if reduction == "mean":
        return g / z.dtype.type(z.size)
    if reduction == "sum":
        return g
    raise ValueError(f"reduction must be 'mean' or 'sum', got {reduction!r}")


def pos_weight_from_counts(Y):
    r"""Per-label ``pos_weight``: negatives over positives, as PyTorch's documentation advises.

    Examples
    --------
    >>> pos_weight_from_counts([[1, 0], [0, 0], [0, 1], [0, 1]])
    array([3., 1.])
    """
    Y = as_float_array(Y, "Y")
    if Y.ndim != 2:
        raise ValueError(f"Y must have shape (n, k), got {Y.shape}")
    pos = Y.sum(axis=0)
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
        F1 curve does not push a threshold to an extreme by accident.

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


# -- training a linear layer with minibatch gradient descent -------------------------------


@dataclass
class LinearModel:
    """A linear layer ``z = X @ W + b`` and what its training recorded per epoch."""

    W: np.ndarray  # (d, k)
    b: np.ndarray  # (k,)
    head: str  # "softmax" or "sigmoid"
    history: dict = field(default_factory=dict)  # name -> list, one entry per epoch

    def logits(self, X):
        return np.asarray(X, dtype=np.float64) @ self.W + self.b

    def predict_proba(self, X, T=1.0):
        z = self.logits(X)
        return softmax(z / T, axis=1) if self.head == "softmax" else sigmoid(z / T)


def _training_data(X, Y):
    X = as_float_array(X, "X")
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError(f"X must have shape (n, d) with n >= 1, got {X.shape}")
    Y = np.asarray(Y)
    if len(Y) != len(X):
        raise ValueError(f"X has {len(X)} rows but the targets have {len(Y)}")
    return X.astype(np.float64), Y


def _batches(n, batch_size, rng):
    order = rng.permutation(n)
    return [order[i : i + batch_size] for i in range(0, n, batch_size)]


def train_softmax_regression(
    X, y, k=10, *, epochs=60, lr=0.5, batch_size=32, eps=0.0, seed=0, monitor=None, n_bins=15
):
    r"""Softmax regression trained by minibatch gradient descent (label smoothing optional).

    Parameters
    ----------
    X : array_like of shape (n, d)
    y : array_like of int, shape (n,)
    k : int
        Number of classes.
    epochs, lr, batch_size : training schedule (one shuffled pass over X per epoch).
    eps : float in [0, 1]
        Label smoothing; 0 trains on one-hot targets.
    seed : int
        Seed of the shuffling (``np.random.default_rng``): the same run every time.
    monitor : tuple (X_val, y_val), optional
        Data measured after every epoch.
    n_bins : int
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
    (:func:`label_smoothing_grad`, lesson 03's :math:`s - y`) and updates
    :math:`W \leftarrow W - \eta X_B^\top G`, :math:`b \leftarrow b - \eta\sum_i G_i`.
    Weights start at zero; everything is float64 and in a fixed order.
    """
    X, y = _training_data(X, y)
    y = _labels(y, len(X), k)
    rng = np.random.default_rng(seed)
    model = LinearModel(np.zeros((X.shape[1], k)), np.zeros(k), "softmax")
    targets = smooth_labels(y, k, eps)  # (n, k): one-hot rows when eps = 0
    h = model.history
    for _ in range(int(epochs)):
        total = 0.0
        for idx in _batches(len(X), int(batch_size), rng):
            z = X[idx] @ model.W + model.b  # (m, k)
            logp = log_softmax(z, axis=1)
            t = targets[idx]
            total -= float(np.sum(t * logp))  # the smoothed cross-entropy, summed
            G = (np.exp(logp) - t) / len(idx)  # = label_smoothing_grad(z, y[idx], eps)
            model.W -= lr * (X[idx].T @ G)
            model.b -= lr * G.sum(axis=0)
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


def train_sigmoid_regression(X, Y, *, pos_weight=1.0, epochs=60, lr=0.5, batch_size=32, seed=0):
    r"""One sigmoid per label on a linear layer, trained on the weighted BCE by minibatch GD.

    Parameters
    ----------
    X : array_like of shape (n, d)
    Y : array_like of shape (n, k), 0/1
    pos_weight : float or array_like of shape (k,)
        As in :func:`weighted_bce_with_logits`; 1 is the plain loss.
    epochs, lr, batch_size, seed : as in :func:`train_softmax_regression`.

    Returns
    -------
    LinearModel
        ``history["train loss"]``: the weighted loss after each epoch.

    Notes
    -----
    The step uses :func:`weighted_bce_with_logits_grad` with the sum over the labels
    and the mean over the :math:`m` rows of the minibatch (so each label's gradient
    does not shrink with :math:`k`).
    """
    X, Y = _training_data(X, Y)
    Y = as_float_array(Y, "Y")
    if Y.ndim != 2:
        raise ValueError(f"Y must have shape (n, k), got {Y.shape}")
    rng = np.random.default_rng(seed)
    k = Y.shape[1]
    model = LinearModel(np.zeros((X.shape[1], k)), np.zeros(k), "sigmoid")
    for _ in range(int(epochs)):
        for idx in _batches(len(X), int(batch_size), rng):
            z = X[idx] @ model.W + model.b
            G = weighted_bce_with_logits_grad(z, Y[idx], pos_weight, reduction="sum") / len(idx)
            model.W -= lr * (X[idx].T @ G)
            model.b -= lr * G.sum(axis=0)
        loss = weighted_bce_with_logits(model.logits(X), Y, pos_weight, reduction="sum")
        model.history.setdefault("train loss", []).append(float(loss) / len(X))
    return model


# -- calibration beyond ECE (lesson 06) ----------------------------------------------------


def _probabilities_and_labels(p, y):
    p = as_float_array(p, "p")
    if p.ndim != 2 or p.shape[0] == 0 or p.shape[1] < 2:
        raise ValueError(f"p must have shape (n, k) with n >= 1 and k >= 2, got {p.shape}")
    check_probabilities(p, "p")
    return p.astype(np.float64), _labels(y, *p.shape)


def _bin_index(q, n_bins):
    """Bin of each value of ``q`` among ``n_bins`` equal bins ``(lo, hi]`` (0 goes to bin 0)."""
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    return np.searchsorted(edges[1:-1], q, side="left")


def brier_score(p, y):
    r"""The multi-class Brier score: mean squared distance from ``p`` to the one-hot truth.

    Parameters
    ----------
    p : array_like of shape (n, k)
        Predicted class probabilities (rows sum to 1).
    y : array_like of int, shape (n,)
        True classes.

    Returns
    -------
    float
        In [0, 2]: 0 for one-hot predictions that are all right, 2 for one-hot
        predictions that are all wrong.

    Notes
    -----
    .. math::

        \operatorname{BS} = \frac1n\sum_{i=1}^{n}\sum_{j=0}^{k-1}
        \bigl(p_{ij} - [y_i = j]\bigr)^2
        = \frac1n\sum_i \Bigl(1 - 2p_{i,y_i} + \sum_j p_{ij}^2\Bigr)

    (Brier, 1950). Like the NLL it is a *proper* score: in expectation it is smallest
    when ``p`` is the true distribution of the classes. Unlike the NLL it stays finite
    when the true class gets probability 0. Lesson 06 measures it and splits it with
    :func:`brier_decomposition`.

    Examples
    --------
    >>> round(brier_score([[0.9, 0.1], [0.6, 0.4], [0.3, 0.7]], [0, 1, 1]), 6)
    0.306667
    """
    p, y = _probabilities_and_labels(p, y)
    onehot = np.eye(p.shape[1])[y]  # (n, k)
    return float(np.mean(np.sum((p - onehot) ** 2, axis=1)))


@dataclass(frozen=True)
class BrierDecomposition:
    """The binned Murphy decomposition of the Brier score, summed over the classes.

    ``brier == reliability - resolution + uncertainty + within_bin`` up to rounding.
    """

    brier: float
    reliability: float  # calibration error: small is good
    resolution: float  # how far the bins' outcome rates spread around the base rate: large is good
    uncertainty: float  # 1 - sum_j pi_j^2, a property of the labels alone
    within_bin: float  # what binning adds; 0 when the forecasts are constant within each bin


def brier_decomposition(p, y, n_bins=15):
    r"""Split the Brier score into reliability, resolution and uncertainty (binned, per class).

    Parameters
    ----------
    p : array_like of shape (n, k)
        Predicted class probabilities.
    y : array_like of int, shape (n,)
        True classes.
    n_bins : int, default 15
        Equal-width bins ``(lo, hi]`` on [0, 1] for each class's probabilities.

    Returns
    -------
    BrierDecomposition

    Notes
    -----
    For class :math:`j` write :math:`o_{ij} = [y_i = j]` and :math:`\bar o_j` for its
    frequency. Put the forecasts :math:`p_{ij}` into bins; bin :math:`b` of class
    :math:`j` holds :math:`n_{jb}` of them, with mean forecast :math:`\bar p_{jb}` and
    outcome rate :math:`\bar o_{jb}`. Murphy's (1973) partition, with the two terms that
    binning adds (Stephenson, Coelho and Jolliffe, 2008):

    .. math::

        \operatorname{BS} = \underbrace{\sum_{j,b}\tfrac{n_{jb}}{n}(\bar p_{jb} - \bar o_{jb})^2
        }_{\text{reliability}}
        - \underbrace{\sum_{j,b}\tfrac{n_{jb}}{n}(\bar o_{jb} - \bar o_j)^2}_{\text{resolution}}
        + \underbrace{\sum_j \bar o_j(1 - \bar o_j)}_{\text{uncertainty}}
        + \underbrace{\frac1n\sum_{i,j}\Bigl[(p_{ij} - \bar p_{jb})^2
        - 2(p_{ij} - \bar p_{jb})(o_{ij} - \bar o_{jb})\Bigr]}_{\text{within bin}}

    where :math:`b` is the bin of :math:`p_{ij}`. It follows from writing
    :math:`p - o = (p - \bar p_b) + (\bar p_b - \bar o_b) - (o - \bar o_b)` and from the
    split of the variance of :math:`o` into within-bin and between-bin parts. The
    within-bin term is exactly 0 when every bin holds one forecast value. Lesson 06.

    Examples
    --------
    >>> d = brier_decomposition([[0.9, 0.1], [0.6, 0.4], [0.3, 0.7]], [0, 1, 1], n_bins=10)
    >>> round(d.brier, 6), round(d.reliability - d.resolution + d.uncertainty + d.within_bin, 6)
    (0.306667, 0.306667)
    """
    p, y = _probabilities_and_labels(p, y)
    n_bins = _n_bins(n_bins)
    n, k = p.shape
    o = np.eye(k)[y]  # (n, k) outcomes
    which = _bin_index(p, n_bins)  # (n, k)
    reliability = resolution = within = 0.0
    for j in range(k):
        b = which[:, j]
        count = np.bincount(b, minlength=n_bins)
        with np.errstate(invalid="ignore", divide="ignore"):
            p_bar = np.bincount(b, weights=p[:, j], minlength=n_bins) / count
            o_bar = np.bincount(b, weights=o[:, j], minlength=n_bins) / count
        full = count > 0
        weight = count[full] / n
        reliability += np.sum(weight * (p_bar[full] - o_bar[full]) ** 2)
        resolution += np.sum(weight * (o_bar[full] - o[:, j].mean()) ** 2)
        dp, do = p[:, j] - p_bar[b], o[:, j] - o_bar[b]  # (n,) deviations from the bin means
        within += np.sum(dp**2 - 2 * dp * do) / n
    base = o.mean(axis=0)  # (k,)
    return BrierDecomposition(
        brier=brier_score(p, y),
        reliability=float(reliability),
        resolution=float(resolution),
        uncertainty=float(np.sum(base * (1 - base))),
        within_bin=float(within),
    )


def max_calibration_error(p, y, n_bins=15):
    r"""Maximum calibration error: the largest gap of a non-empty confidence bin.

    Parameters
    ----------
    p : array_like of shape (n, k)
    y : array_like of int, shape (n,)
    n_bins : int, default 15
        As in :func:`reliability_bins`.

    Returns
    -------
    float
        :math:`\max_b \lvert\operatorname{acc}(B_b) - \operatorname{conf}(B_b)\rvert` over
        the non-empty bins (Naeini et al., 2015).

    Notes
    -----
    Unlike :func:`expected_calibration_error` the bins are not weighted by their size,
    so one image alone in a bin can set it: it is the worst case, and it is noisy. A
    model that is wrong once with confidence 0.99 has an MCE of at least 0.99 if that
    image is alone in its bin. Lesson 06.

    Examples
    --------
    >>> round(max_calibration_error([[0.9, 0.1], [0.6, 0.4], [0.3, 0.7]], [0, 1, 1], 2), 6)
    0.066667
    """
    bins = reliability_bins(p, y, n_bins)
    full = bins.count > 0
    return float(np.max(np.abs(bins.gap[full])))


def classwise_ece(p, y, n_bins=15):
    r"""Classwise expected calibration error: the ECE of every class's probability, averaged.

    Parameters
    ----------
    p : array_like of shape (n, k)
    y : array_like of int, shape (n,)
    n_bins : int, default 15
        Equal-width bins ``(lo, hi]`` on [0, 1] for each column of ``p``.

    Returns
    -------
    float

    Notes
    -----
    The ECE looks only at the largest probability of each row. The classwise ECE
    (Kull et al., 2019) asks every column the calibration question: among the images
    given probability about :math:`q` for class :math:`j`, is class :math:`j` true a
    fraction :math:`q` of the time?

    .. math::

        \operatorname{cwECE} = \frac1k\sum_{j=0}^{k-1}\sum_{b=1}^{M}
        \frac{n_{jb}}{n}\,\bigl\lvert\bar o_{jb} - \bar p_{jb}\bigr\rvert

    with :math:`n_{jb}`, :math:`\bar p_{jb}` and :math:`\bar o_{jb}` as in
    :func:`brier_decomposition`. Most of the :math:`p_{ij}` are near 0, so most of the
    weight sits in the lowest bin of each class. Lesson 06.

    Examples
    --------
    >>> round(classwise_ece([[0.9, 0.1], [0.6, 0.4], [0.3, 0.7]], [0, 1, 1], 2), 6)
    0.266667
    """
    p, y = _probabilities_and_labels(p, y)
    n_bins = _n_bins(n_bins)
    n, k = p.shape
    o = np.eye(k)[y]
    which = _bin_index(p, n_bins)
    total = 0.0
    for j in range(k):
        b = which[:, j]
        gap = np.bincount(b, weights=o[:, j] - p[:, j], minlength=n_bins)  # n_jb (o - p)
        total += np.sum(np.abs(gap)) / n
    return float(total / k)


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
    n_bins = _n_bins(n_bins)
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
    p = as_float_array(p, "p")
    if p.ndim != 2 or p.shape[0] == 0 or p.shape[1] < 2:
        raise ValueError(f"p must have shape (n, k) with n >= 1 and k >= 2, got {p.shape}")
    check_probabilities(p, "p")
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


__all__ += [
    "BrierDecomposition",
    "brier_score",
    "brier_decomposition",
    "max_calibration_error",
    "classwise_ece",
    "histogram_binning_fit",
    "histogram_binning_apply",
]
