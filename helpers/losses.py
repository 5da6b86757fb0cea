r"""Cross-entropy losses for sigmoid and softmax heads, and the fused gradient.

Derived in lessons 03 (softmax + cross-entropy gradient) and 05 (which loss
goes with which head). Framework names: :func:`binary_cross_entropy` is
PyTorch's ``BCELoss`` without its clamp (see there), :func:`bce_with_logits`
is ``BCEWithLogitsLoss``, :func:`cross_entropy_with_logits` is
``CrossEntropyLoss``.

NaN input raises ``ValueError`` instead of propagating as it does in NumPy,
SciPy and PyTorch. That is a deliberate choice of this teaching library: the
cell where a NaN is born is the cell that reports it.
"""

from __future__ import annotations

import numpy as np

from ._validate import (
    as_float_array,
    check_axis,
    check_choice,
    check_probabilities,
    check_reduction,
    check_same_shape,
    positive_weights,
    reduce,
    working_dtype,
)
from .sigmoid import sigmoid, softplus
from .softmax import log_softmax, softmax

__all__ = [
    "binary_cross_entropy",
    "bce_with_logits",
    "bce_with_logits_grad",
    "cross_entropy_with_logits",
    "softmax_cross_entropy_grad",
    "weighted_bce_with_logits",
    "weighted_bce_with_logits_grad",
    "HEADS",
    "grad_logits_reference",
]

HEADS = ("sigmoid", "softmax")


def _mean_of(g, count):
    """``g / count`` in ``g``'s dtype, divided in float32 for float16.

    A float16 ``count`` above 65504 would be ``inf`` and turn every gradient into 0.
    """
    out = g.astype(working_dtype(g.dtype), copy=False) / count
    return out.astype(g.dtype, copy=False)


def binary_cross_entropy(p, y, reduction="mean"):
    r"""Binary cross-entropy from probabilities (PyTorch ``BCELoss``, without its clamp).

    Parameters
    ----------
    p : array_like of any shape
        Predicted probabilities in :math:`[0, 1]`.
    y : array_like, same shape as ``p``
        Targets in :math:`[0, 1]` (0/1 labels, or soft labels).
    reduction : {'mean', 'sum', 'none'}, default 'mean'
        Mean or sum over every element, or the elementwise losses.

    Returns
    -------
    ndarray
        :math:`-[y \log p + (1 - y)\log(1 - p)]`, reduced. A confident wrong
        prediction (``p = 0`` where ``y = 1``) costs ``inf``: the true value.
        A perfect prediction costs ``+0.0`` (never ``-0.0``).

    Raises
    ------
    ValueError
        If ``p`` or ``y`` lies outside :math:`[0, 1]`, or contains NaN (on
        purpose: NumPy and PyTorch propagate it).

    Notes
    -----
    Unlike PyTorch's ``BCELoss``, which clamps each log at -100 (so an
    element costs at most 100), this returns ``inf`` for a confident wrong
    prediction, with no warning; ``0 log 0`` is taken as 0.

    The negative log-likelihood of a Bernoulli variable. Prefer
    :func:`bce_with_logits` when the logits are at hand: a probability that
    has rounded to 0 or 1 has lost the information the loss needs.

    Derived in lesson 05.

    Examples
    --------
    >>> binary_cross_entropy([0.9, 0.2], [1.0, 0.0], reduction="none")
    array([0.10536052, 0.22314355])
    """
    p = as_float_array(p, "p")
    y = as_float_array(y, "y")
    check_same_shape(p, y, "p", "y")
    check_probabilities(p, "p")
    check_probabilities(y, "y")
    check_reduction(reduction)
    with np.errstate(divide="ignore", invalid="ignore"):
        pos = np.where(y > 0, y * np.log(p), 0.0)  # 0 log 0 = 0
        neg = np.where(y < 1, (1 - y) * np.log1p(-p), 0.0)
    loss = np.subtract(0.0, pos + neg)  # -(pos + neg), but +0.0 for a perfect prediction
    return reduce(loss, reduction, "p")


def bce_with_logits(z, y, reduction="mean"):
    r"""Binary cross-entropy of ``sigmoid(z)`` computed from the logits (``BCEWithLogitsLoss``).

    Parameters
    ----------
    z : array_like of any shape
        Logits, one per label (multi-label) or per example (binary).
    y : array_like, same shape as ``z``
        Targets in :math:`[0, 1]`.
    reduction : {'mean', 'sum', 'none'}, default 'mean'

    Returns
    -------
    ndarray
        The loss, reduced. Finite for every finite logit; at
        :math:`z = \pm\infty` the limit: 0 for the matching label
        (``z = inf, y = 1``), ``inf`` otherwise.

    Raises
    ------
    ValueError
        If ``y`` lies outside :math:`[0, 1]`, or either contains NaN (on
        purpose: NumPy and PyTorch propagate it).

    Notes
    -----
    With :math:`\log\sigma(z) = -\operatorname{softplus}(-z)` and
    :math:`\log(1 - \sigma(z)) = -\operatorname{softplus}(z)`,

    .. math::

        \ell = y\,\operatorname{softplus}(-z) + (1 - y)\operatorname{softplus}(z)
             = a\,|z| + \log(1 + e^{-|z|}),
        \qquad a = \begin{cases} 1 - y, & z > 0, \\ y, & z \le 0, \end{cases}

    using :math:`\operatorname{softplus}(\pm z) = \max(\pm z, 0) + \log(1 + e^{-|z|})`:
    :math:`a` is the weight of the label that disagrees with the sign of
    :math:`z`. No term is subtracted, so nothing cancels, and :math:`a |z|`
    is taken as 0 where :math:`a = 0` (at :math:`z = \pm\infty` too).
    Its gradient is :math:`\sigma(z) - y`.

    Derived in lesson 05.

    Examples
    --------
    >>> bce_with_logits([2.0, -1000.0], [1.0, 1.0], reduction="none")
    array([1.26928011e-01, 1.00000000e+03])
    """
    z = as_float_array(z, "z")
    y = as_float_array(y, "y")
    check_same_shape(z, y, "z", "y")
    check_probabilities(y, "y")
    check_reduction(reduction)
    a = np.where(z > 0, 1 - y, y)  # the weight of the label that disagrees with sign(z)
    a_abs_z = np.multiply(a, np.abs(z), out=np.zeros(z.shape, a.dtype), where=a > 0)  # 0 * inf = 0
    return reduce(a_abs_z + np.log1p(np.exp(-np.abs(z))), reduction, "z")


def bce_with_logits_grad(z, y, reduction="mean"):
    r"""Gradient of :func:`bce_with_logits` with respect to the logits.

    Parameters
    ----------
    z : array_like of any shape
        Logits.
    y : array_like, same shape as ``z``
        Targets in :math:`[0, 1]`.
    reduction : {'mean', 'sum', 'none'}, default 'mean'
        The reduction of the loss being differentiated; ``'mean'`` runs over all
        ``z.size`` elements, as in :func:`bce_with_logits`.

    Returns
    -------
    ndarray, same shape and floating dtype as ``z``

    Raises
    ------
    ValueError
        As :func:`bce_with_logits` (NaN raises on purpose: NumPy and PyTorch propagate it).

    Notes
    -----
    Per element :math:`\ell = \operatorname{softplus}(z) - z y`, and
    :math:`\operatorname{softplus}' = \sigma`, so

    .. math::

        \frac{\partial \ell}{\partial z} = \sigma(z) - y ,

    divided by :math:`N` = ``z.size`` for the mean. No :math:`\sigma'` factor
    survives, so the gradient does not vanish for a confident wrong answer.

    Derived in lesson 05.

    Examples
    --------
    >>> bce_with_logits_grad([[0.0, 0.0]], [[1.0, 0.0]])
    array([[-0.25,  0.25]])
    """
    z = as_float_array(z, "z")
    y = as_float_array(y, "y")
    check_same_shape(z, y, "z", "y")
    check_probabilities(y, "y")
    check_reduction(reduction)
    if reduction == "mean" and z.size == 0:
        raise ValueError("z is empty: the mean over no examples is undefined")
    g = sigmoid(z) - y.astype(z.dtype, copy=False)
    return _mean_of(g, z.size) if reduction == "mean" else g


def _target_distribution(y, z):
    """One-hot (or soft) targets of ``z``'s shape from labels or probabilities."""
    y = np.asarray(y)
    k = z.shape[-1]
    if y.dtype.kind in "iu":
        if y.shape != z.shape[:-1]:
            raise ValueError(
                f"integer labels y must have shape {z.shape[:-1]} (one per row of z), got {y.shape}"
            )
        if y.size and (y.min() < 0 or y.max() >= k):
            raise ValueError(
                f"labels y must be class indices in 0..{k - 1}, got values in {y.min()}..{y.max()}"
            )
        onehot = np.zeros(z.shape, dtype=z.dtype)  # not np.eye(k)[y]: k x k may not fit
        np.put_along_axis(onehot, y[..., None], 1, axis=-1)
        return onehot
    if y.shape == z.shape[:-1] and y.dtype.kind == "f":
        raise TypeError(
            f"class labels y must be integers, got dtype {y.dtype} (use y.astype(int)); "
            f"one-hot targets need the shape of z, {z.shape}"
        )
    y = as_float_array(y, "y")
    check_same_shape(z, y, "z", "y (one-hot)")
    check_probabilities(y, "y")
    if not np.allclose(y.sum(axis=-1), 1.0):
        raise ValueError("each row of one-hot y must sum to 1")
    return y


def cross_entropy_with_logits(z, y, reduction="mean"):
    r"""Categorical cross-entropy of ``softmax(z)`` from logits (``CrossEntropyLoss``).

    Parameters
    ----------
    z : array_like of shape (n, k) or (k,)
        Logits, classes on the last axis.
    y : array_like of int, shape (n,) or (); or of float, shape like ``z``
        Class indices in ``0..k-1``, or one-hot (or soft) target rows that sum
        to 1.
    reduction : {'mean', 'sum', 'none'}, default 'mean'
        Mean or sum over examples, or one loss per example.

    Returns
    -------
    ndarray
        :math:`-\sum_i y_i \log\operatorname{softmax}(z)_i` per example, reduced.

    Raises
    ------
    ValueError
        If targets lie outside :math:`[0, 1]`, labels outside ``0..k-1``, or an
        input contains NaN (on purpose: NumPy and PyTorch propagate it).
    TypeError
        If ``y`` holds one float per row: class labels must be integers.

    Notes
    -----
    For a label :math:`c`, :math:`\ell = -\log\operatorname{softmax}(z)_c
    = \operatorname{LSE}(z) - z_c`, computed with :func:`log_softmax`, never
    by taking the log of a probability that may have rounded to 0.

    Derived in lesson 05.

    Examples
    --------
    >>> round(float(cross_entropy_with_logits([[1.0, 2.0, 3.0]], [2])), 8)
    0.40760596
    >>> round(float(cross_entropy_with_logits([[1.0, 2.0, 3.0]], [[0.0, 0.0, 1.0]])), 8)
    0.40760596
    """
    z = as_float_array(z, "z", min_ndim=1)
    check_axis(-1, z, "z")
    y = _target_distribution(y, z)
    check_reduction(reduction)
    logp = log_softmax(z, axis=-1)
    ylogp = np.multiply(y, logp, out=np.zeros_like(logp), where=y > 0)  # 0 log 0 = 0
    return reduce(-ylogp.sum(axis=-1), reduction, "z")


def softmax_cross_entropy_grad(z, y, reduction="mean"):
    r"""Gradient of :func:`cross_entropy_with_logits` with respect to the logits.

    Parameters
    ----------
    z : array_like of shape (n, k) or (k,)
    y : labels or one-hot targets, as in :func:`cross_entropy_with_logits`
    reduction : {'mean', 'sum', 'none'}, default 'mean'
        The reduction of the loss being differentiated. ``'none'`` gives each
        row's gradient of its own loss.

    Returns
    -------
    ndarray, same shape as ``z``

    Raises
    ------
    ValueError, TypeError
        As :func:`cross_entropy_with_logits` (NaN raises on purpose: NumPy and PyTorch
        propagate it).

    Notes
    -----
    Chaining the softmax Jacobian with :math:`\partial\ell/\partial s_i = -y_i/s_i`
    collapses (using :math:`\sum_i y_i = 1`) to

    .. math::

        \frac{\partial \ell}{\partial z} = s - y ,

    divided by :math:`n` for the mean. No Jacobian, no division by a small
    probability: this is why frameworks fuse softmax with cross-entropy.

    Derived in lesson 03.

    Examples
    --------
    >>> softmax_cross_entropy_grad([[0.0, 0.0]], [1])
    array([[ 0.5, -0.5]])
    """
    z = as_float_array(z, "z", min_ndim=1)
    check_axis(-1, z, "z")
    y = _target_distribution(y, z)
    check_reduction(reduction)
    if reduction == "mean" and z.size == 0:
        raise ValueError("z is empty: the mean over no examples is undefined")
    g = softmax(z, axis=-1) - y
    if reduction == "mean" and z.ndim > 1:
        g = _mean_of(g, int(np.prod(z.shape[:-1])))
    return g


# -- class imbalance: the positive term weighted ----------------------------------------------


def _weighted_inputs(z, y, pos_weight):
    z = as_float_array(z, "z")
    y = as_float_array(y, "y")
    check_same_shape(z, y, "z", "y")
    check_probabilities(y, "y")
    w = positive_weights(pos_weight, "pos_weight", z.shape)
    return z, y.astype(z.dtype, copy=False), w.astype(z.dtype, copy=False)


def _times(a, b):
    """``a * b`` elementwise, 0 where ``a == 0`` (so ``0 * inf = 0``: the term is absent)."""
    shape = np.broadcast_shapes(np.shape(a), np.shape(b))
    a, b = np.broadcast_to(a, shape), np.broadcast_to(b, shape)
    return np.multiply(a, b, out=np.zeros(shape, np.result_type(a, b)), where=a != 0)


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

    Raises
    ------
    ValueError
        If ``y`` lies outside [0, 1], ``pos_weight`` is not positive and finite or does
        not broadcast against ``z``, or an input contains NaN (on purpose: NumPy and
        PyTorch propagate it).

    Returns
    -------
    ndarray (0-d for 'mean' and 'sum'), in ``z``'s floating dtype
        At :math:`z = \pm\infty` the limit, as in :func:`bce_with_logits`: 0 for the
        matching label (``z = inf, y = 1`` or ``z = -inf, y = 0``), ``inf`` otherwise.

    Notes
    -----
    .. math::

        \ell = -\bigl[w\,y\log\sigma(z) + (1 - y)\log(1 - \sigma(z))\bigr]
        = w\,y\operatorname{softplus}(-z) + (1 - y)\operatorname{softplus}(z),

    PyTorch's ``BCEWithLogitsLoss(pos_weight=w)``. With :math:`w = 1` it is
    :func:`bce_with_logits`. A term whose weight :math:`w y` or :math:`1 - y` is 0 is
    taken as 0 (at :math:`z = \pm\infty` too, where the product would be
    :math:`0 \cdot \infty`). A common choice is
    :math:`w_j = \#\text{negatives}_j / \#\text{positives}_j`
    (:func:`helpers.metrics.pos_weight_from_counts`), which gives both classes of
    label :math:`j` the same total weight. Derived in lesson 06.

    Examples
    --------
    >>> loss = weighted_bce_with_logits([0.0, 0.0], [1.0, 0.0], 3.0, reduction="sum")
    >>> float(loss / np.log(2))  # 3 log 2 for the positive, log 2 for the negative
    4.0
    """
    z, y, w = _weighted_inputs(z, y, pos_weight)
    check_reduction(reduction)
    loss = _times(w * y, softplus(-z)) + _times(1 - y, softplus(z))
    return reduce(loss, reduction, "z")


def weighted_bce_with_logits_grad(z, y, pos_weight, reduction="mean"):
    r"""Gradient of :func:`weighted_bce_with_logits` with respect to the logits.

    Parameters
    ----------
    z, y, pos_weight : as in :func:`weighted_bce_with_logits`
    reduction : {'mean', 'sum', 'none'}, default 'mean'
        The reduction of the loss being differentiated: ``'mean'`` divides by
        ``z.size``; ``'sum'`` and ``'none'`` give each element's own gradient.

    Raises
    ------
    ValueError
        As :func:`weighted_bce_with_logits` (NaN raises on purpose: NumPy and PyTorch
        propagate it).

    Returns
    -------
    ndarray, same shape and floating dtype as ``z``
        Exactly 0 at :math:`z = \pm\infty` with the matching label.

    Notes
    -----
    :math:`\frac{d}{dz}\operatorname{softplus}(z) = \sigma(z)` and
    :math:`\frac{d}{dz}\operatorname{softplus}(-z) = -\sigma(-z)`, so

    .. math::

        \frac{\partial \ell}{\partial z} = -w\,y\,\sigma(-z) + (1 - y)\,\sigma(z)
        = \bigl(1 + (w - 1)\,y\bigr)\,\sigma(z) - w\,y ,

    divided by ``z.size`` for the mean. The code uses the first form: it has no
    cancellation, so a label's term is 0 exactly where its probability is. With
    :math:`w = 1` it is :math:`\sigma(z) - y`.

    Examples
    --------
    >>> weighted_bce_with_logits_grad([[0.0, 0.0]], [[1.0, 0.0]], 3.0)
    array([[-0.75,  0.25]])
    """
    z, y, w = _weighted_inputs(z, y, pos_weight)
    check_reduction(reduction)
    if reduction == "mean" and z.size == 0:
        raise ValueError("z is empty: the mean over no examples is undefined")
    g = (1 - y) * sigmoid(z) - w * y * sigmoid(-z)
    return _mean_of(g, z.size) if reduction == "mean" else g


# -- either head (lesson 05) ------------------------------------------------------------------


def grad_logits_reference(z, y, head):
    r"""Gradient of the mean loss with respect to the logits, for either head (lesson 05).

    Parameters
    ----------
    z : ndarray of shape (n, k)
        Logits.
    y : ndarray
        ``head="sigmoid"``: 0/1 targets of shape (n, k), loss
        :func:`bce_with_logits` (mean over all n k elements).
        ``head="softmax"``: integer labels of shape (n,) (or target rows that
        sum to 1), loss :func:`cross_entropy_with_logits` (mean over
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
    check_choice(head, "head", HEADS)
    if head == "sigmoid":
        return bce_with_logits_grad(z, y)
    return softmax_cross_entropy_grad(z, y)
