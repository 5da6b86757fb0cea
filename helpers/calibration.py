r"""Measuring calibration, and label smoothing: are the probabilities honest?

Lesson 06 derives everything here and measures it on real data (the handwritten
digits of :mod:`helpers.data`):

- :func:`reliability_bins` and :func:`expected_calibration_error`: confidence against
  accuracy, bin by bin (Naeini et al., 2015; Guo et al., 2017);
- :func:`max_calibration_error` and :func:`classwise_ece`: the worst bin, and every
  class's own probabilities;
- :func:`brier_score` and :func:`brier_decomposition`: the mean squared error of the
  probabilities, split into reliability, resolution and uncertainty (Murphy, 1973);
- :func:`smooth_labels`, :func:`label_smoothing_cross_entropy`,
  :func:`label_smoothing_grad`: targets :math:`(1 - \varepsilon)\,\text{onehot} +
  \varepsilon / k` and the gradient :math:`s - y_\varepsilon` (Szegedy et al., 2016),
  calibration changed while training.

What changes a trained model's probabilities afterwards (temperature scaling, histogram
binning) is in :mod:`helpers.recalibration`; the weighted BCE is in :mod:`helpers.losses`,
thresholds and ``pos_weight_from_counts`` in :mod:`helpers.metrics`, the training loops in
:mod:`helpers.training`.

As in the other math modules, bad input (NaN, logits of +inf, labels out of range,
probability rows that do not sum to 1) raises ``ValueError`` or ``TypeError`` naming the
argument (:mod:`helpers._validate`), on purpose: NumPy and PyTorch would propagate a NaN.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validate import (
    check_unit_interval,
    integer_labels,
    logits_and_labels,
    positive_int,
    probability_rows,
    working_dtype,
)
from .softmax import log_softmax, softmax

__all__ = [
    "ReliabilityBins",
    "reliability_bins",
    "expected_calibration_error",
    "BrierDecomposition",
    "brier_score",
    "brier_decomposition",
    "max_calibration_error",
    "classwise_ece",
    "smooth_labels",
    "label_smoothing_cross_entropy",
    "label_smoothing_grad",
]


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
        Predicted class probabilities: entries in [0, 1], each row summing to 1
        within ``max(1e-6, 2 k eps)`` (``eps`` of ``p``'s dtype), else ``ValueError``.
    y : array_like of int, shape (n,)
        True classes.
    n_bins : int >= 1, default 15
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
    p = probability_rows(p, "p")
    y = integer_labels(y, "y", *p.shape)
    n_bins = positive_int(n_bins, "n_bins")
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
        Predicted class probabilities, rows summing to 1 (as in :func:`reliability_bins`).
    y : array_like of int, shape (n,)
        True classes.
    n_bins : int >= 1, default 15
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


# -- calibration beyond ECE (lesson 06) ----------------------------------------------------


def _probabilities_and_labels(p, y):
    p = probability_rows(p, "p")
    return p.astype(np.float64), integer_labels(y, "y", *p.shape)


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
    n_bins = positive_int(n_bins, "n_bins")
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
    n_bins = positive_int(n_bins, "n_bins")
    n, k = p.shape
    o = np.eye(k)[y]
    which = _bin_index(p, n_bins)
    total = 0.0
    for j in range(k):
        b = which[:, j]
        gap = np.bincount(b, weights=o[:, j] - p[:, j], minlength=n_bins)  # n_jb (o - p)
        total += np.sum(np.abs(gap)) / n
    return float(total / k)


# -- label smoothing ----------------------------------------------------------------------


def smooth_labels(y, k, eps):
    r"""Label-smoothed targets :math:`(1 - \varepsilon)\,\text{onehot}(y) + \varepsilon / k`.

    Parameters
    ----------
    y : array_like of int, shape (n,)
        Class indices in ``0..k-1``.
    k : int >= 1
        Number of classes.
    eps : real number in [0, 1]
        :math:`\varepsilon = 0` gives one-hot rows, :math:`\varepsilon = 1` uniform rows
        (a string or complex ``eps`` raises ``TypeError``, one outside [0, 1] ``ValueError``).

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
    k = positive_int(k, "k")
    y = np.asarray(y)
    y = integer_labels(y, "y", y.shape[0] if y.ndim == 1 else -1, k)
    eps = check_unit_interval(eps, "eps")
    onehot = np.zeros((len(y), k))
    onehot[np.arange(len(y)), y] = 1.0
    return (1.0 - eps) * onehot + eps / k


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
    z, y = logits_and_labels(z, y)
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
    z, y = logits_and_labels(z, y)
    t = smooth_labels(y, z.shape[1], eps).astype(z.dtype)
    g = (softmax(z, axis=1) - t).astype(working_dtype(z.dtype), copy=False)
    return (g / z.shape[0]).astype(z.dtype, copy=False)  # float16: n may exceed 65504
