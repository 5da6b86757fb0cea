r"""Softmax and its family: log-softmax, log-sum-exp, Jacobian, VJP and JVP.

Derived in lessons 02 (softmax, log-softmax, log-sum-exp) and 03 (Jacobian,
VJP, JVP).

Every function subtracts the maximum along ``axis`` before exponentiating
(softmax is shift invariant, so this changes nothing mathematically), which
keeps every exponent :math:`\le 0`; float16 input is computed in float32 and
rounded back to float16 once (as PyTorch does for half precision), so that a
sum over more than 65,504 classes stays finite. No intermediate overflows, for
any number of classes in any dtype (a result beyond the dtype's range, such as
a log-probability below -65504 in float16, is its rounded value, -inf).
``-inf`` logits are allowed and get probability exactly 0; a ``+inf`` logit,
or a slice that is ``-inf`` everywhere, makes softmax 0/0 and raises
(:func:`logsumexp` gives ``inf`` and ``-inf`` there, its true values).

NaN input raises ``ValueError`` instead of propagating as it does in NumPy,
SciPy and JAX. That is a deliberate choice of this teaching library: the cell
where a NaN is born is the cell that reports it.
"""

from __future__ import annotations

import numpy as np

from ._validate import (
    as_float_array,
    check_axis,
    check_positive,
    check_same_shape,
    reject_inf,
    reject_nan,
    working_dtype,
)

__all__ = [
    "softmax",
    "log_softmax",
    "logsumexp",
    "softmax_jacobian",
    "softmax_vjp",
    "softmax_jvp",
]


_MAX_JACOBIAN_BYTES = 2**30  # softmax_jacobian refuses to build more than 1 GiB


def _check_logits(z, axis, temperature):
    """Validate the arguments; return ``(z, axis, T, dtype)`` with ``axis`` normalised.

    ``T`` must survive rounding to ``z``'s dtype: a temperature below the dtype's
    smallest normal number rounds to 0 or keeps few digits (``z / T`` would be
    0/0), and one above its largest rounds to inf.

    ``dtype`` is the dtype of the result; ``z`` and ``T`` come back in the dtype
    to compute in (:func:`helpers._validate.working_dtype`): float16 logits are
    computed in float32, so that a sum over 65,520 or more classes cannot overflow,
    and the caller rounds the result back to float16 once.
    """
    z = as_float_array(z, "z", min_ndim=1, check_nan=False)
    axis = check_axis(axis, z, "z")
    T = check_positive(temperature, "temperature")
    low, high = float(np.finfo(z.dtype).smallest_normal), float(np.finfo(z.dtype).max)
    if not low <= T <= high:
        raise ValueError(
            f"temperature={T!r} is outside the range {z.dtype} can use, [{low:.1e}, {high:.1e}] "
            "(it would round to 0 or inf, or lose its digits); pick one in that range, "
            "or pass float64 logits"
        )
    dtype = z.dtype
    work = working_dtype(dtype)
    return z.astype(work, copy=False), axis, work.type(T), dtype


def _round_to(x, dtype):
    """``x`` rounded to ``dtype`` once (float32 work of float16 input); beyond its range, +-inf.

    A value beyond float16's range (a log-probability below -65504 at a tiny
    temperature) rounds to ``-inf``, as it would have had it been computed in float16.
    """
    with np.errstate(over="ignore"):
        return x.astype(dtype, copy=False)


def _shifted(z, axis, T):
    """Return ``(t, m)``: ``t = (z - m) / T <= 0`` and ``m`` the maximum along ``axis``.

    Raises for the slices where softmax is 0/0: NaN, ``+inf``, or ``-inf``
    everywhere. A gap ``z - m`` beyond the float range is ``-inf``:
    probability 0, which is its true value rounded.
    """
    m = z.max(axis=axis, keepdims=True)  # (..., 1, ...); NaN if the slice has one
    if not np.isfinite(m).all():
        reject_nan(m, "z")
        if (m == np.inf).any():
            raise ValueError("z contains +inf; softmax is undefined there (inf / inf)")
        raise ValueError(
            f"z has a slice that is -inf everywhere along axis {axis}; "
            "at least one logit must be finite (softmax would be 0 / 0)"
        )
    with np.errstate(over="ignore"):
        t = z - m  # every entry <= 0, the largest exactly 0
        if T != 1:
            t /= T  # softmax(z / T) = softmax((z - m) / T)
    return t, m


def softmax(z, axis=-1, temperature=1.0):
    r"""Softmax along ``axis``: positive values that sum to 1.

    Parameters
    ----------
    z : array_like of shape (..., k, ...)
        Logits (real scores; ``-inf`` allowed, ``+inf`` and NaN are not).
    axis : int, default -1
        The axis holding the :math:`k` classes.
    temperature : real number > 0, default 1
        :math:`T` in :math:`\operatorname{softmax}(z / T)` (an int, float,
        ``Fraction``, ``Decimal`` or NumPy scalar; it must be representable in
        ``z``'s dtype, and is used as a float32 scalar for float16 logits, else as
        a scalar of ``z``'s dtype). :math:`T \to 0` approaches the one-hot argmax, large :math:`T`
        the uniform distribution.

    Returns
    -------
    s : ndarray, same shape and floating dtype as ``z``
        Probabilities; each slice along ``axis`` sums to 1 (up to the rounding of
        ``z``'s dtype; float16 is computed in float32 and rounded once).

    Raises
    ------
    ValueError
        If a slice along ``axis`` contains ``+inf`` or NaN, or is ``-inf``
        everywhere (softmax is 0/0 there); NaN raises on purpose (NumPy, SciPy
        and JAX propagate it; see the module notes).
        If ``temperature`` is not positive, finite and representable in ``z``'s
        dtype (float32: at least 1.2e-38; the message names the range).
    TypeError
        If ``temperature`` is not a real number.

    Notes
    -----
    .. math::

        \operatorname{softmax}(z)_i = \frac{e^{z_i / T}}{\sum_j e^{z_j / T}}
        = \frac{e^{(z_i - m) / T}}{\sum_j e^{(z_j - m) / T}},
        \qquad m = \max_j z_j .

    The two forms are equal because a common factor :math:`e^{-m/T}` cancels
    (shift invariance). The second never overflows and its denominator is at
    least 1, so it never divides by zero. Softmax is the gradient of
    :func:`logsumexp`.

    Derived in lesson 02.

    References
    ----------
    .. [1] Bridle, J. S. (1990). Training stochastic model recognition
       algorithms as networks can lead to maximum mutual information estimation
       of parameters. *NIPS 2*.
    .. [2] Hinton, G., Vinyals, O., Dean, J. (2015). Distilling the knowledge
       in a neural network. arXiv:1503.02531 (temperature).

    Examples
    --------
    >>> softmax([1.0, 2.0, 3.0])
    array([0.09003057, 0.24472847, 0.66524096])
    >>> softmax([1000.0, 1000.0])
    array([0.5, 0.5])
    >>> softmax([[1.0, 2.0], [3.0, 3.0]], axis=1)
    array([[0.26894142, 0.73105858],
           [0.5       , 0.5       ]])
    """
    z, axis, T, dtype = _check_logits(z, axis, temperature)
    return _round_to(_softmax(z, axis, T), dtype)


def _softmax(z, axis, T):
    """Softmax of validated arguments."""
    t, _ = _shifted(z, axis, T)
    e = np.exp(t, out=t)  # in [0, 1], the maximum's entry exactly 1
    e /= e.sum(axis=axis, keepdims=True)  # the sum is at least 1
    return e


def _log_sum_exp_shifted(t, axis):
    r""":math:`\log\sum_j e^{t_j}` for ``t <= 0`` with a 0 along ``axis``, accurately.

    The term :math:`e^0 = 1` of the maximum is left out of the sum and added
    back by ``log1p``: :math:`\log(1 + r)` with :math:`r` summed separately.
    This avoids rounding :math:`1 + r` before the log, which would cost up to
    hundreds of ULP when :math:`r` is small.
    """
    e = np.exp(t)
    i = np.argmax(t, axis=axis, keepdims=True)  # one maximum; ties stay in r
    np.put_along_axis(e, i, 0.0, axis=axis)  # e^0 = 1 exactly, removed
    return np.log1p(e.sum(axis=axis, keepdims=True))


def log_softmax(z, axis=-1, temperature=1.0):
    r"""Logarithm of :func:`softmax`, computed without taking a log of a rounded probability.

    Parameters
    ----------
    z : array_like of shape (..., k, ...)
        Logits.
    axis : int, default -1
    temperature : float > 0, default 1

    Returns
    -------
    ndarray, same shape and floating dtype as ``z``
        Values :math:`\le 0`; ``exp`` of them sums to 1 along ``axis``.

    Raises
    ------
    ValueError
        As :func:`softmax`: ``+inf``, NaN (on purpose; NumPy would propagate it),
        an all ``-inf`` slice, or an unusable ``temperature``.

    Notes
    -----
    With :math:`t = (z - \max z) / T` and the maximum's own term taken out of
    the sum (:math:`r = \sum_{j \ne j^*} e^{t_j}`),

    .. math::

        \log\operatorname{softmax}(z)_i = t_i - \log\sum_j e^{t_j}
                                        = t_i - \operatorname{log1p}(r).

    ``log(softmax(z))`` would give ``-inf`` as soon as a probability
    underflows, and the textbook ``z - logsumexp(z)`` loses hundreds of ULP
    when the logits are large (it subtracts two large, nearly equal numbers).
    This form stays within 8 ULP wherever ``|output| >= 1e-3``.

    Derived in lesson 02.

    Examples
    --------
    >>> log_softmax([1.0, 2.0, 3.0])
    array([-2.40760596, -1.40760596, -0.40760596])
    >>> log_softmax([0.0, -10000.0])
    array([     0., -10000.])
    """
    z, axis, T, dtype = _check_logits(z, axis, temperature)
    t, _ = _shifted(z, axis, T)
    return _round_to(t - _log_sum_exp_shifted(t, axis), dtype)


def logsumexp(z, axis=-1, keepdims=False):
    r""":math:`\log\sum_j e^{z_j}` along ``axis``, without overflow.

    Parameters
    ----------
    z : array_like of shape (..., k, ...)
    axis : int, default -1
    keepdims : bool, default False
        Keep the reduced axis with length 1 (handy for broadcasting back).

    Returns
    -------
    ndarray of shape ``z.shape`` without ``axis`` (or with it, length 1)

    Raises
    ------
    ValueError
        If ``z`` contains NaN (on purpose: NumPy, SciPy and JAX propagate it; see the module notes).
        (``+inf`` and all ``-inf`` slices are fine: they give ``inf`` and ``-inf``.)
    TypeError
        If ``keepdims`` is not a bool.

    Notes
    -----
    .. math::

        \operatorname{LSE}(z) = m + \operatorname{log1p}\Big(\sum_{j \ne j^*} e^{z_j - m}\Big),
        \qquad m = z_{j^*} = \max_j z_j ,

    a smooth maximum: :math:`\max z \le \operatorname{LSE}(z) \le \max z + \log k`.
    Its gradient is the softmax:
    :math:`\partial \operatorname{LSE} / \partial z_i = \operatorname{softmax}(z)_i`.
    Accurate to 2 ULP of the larger of :math:`|\operatorname{LSE}|` and the
    log term; the two terms cancel when :math:`m < 0`, and then the result
    is only as good in absolute terms as the log term (``benchmarks/bench.py``).

    Derived in lesson 02.

    Examples
    --------
    >>> logsumexp([1.0, 2.0, 3.0])
    array(3.40760596)
    >>> logsumexp([1000.0, 1000.0])
    array(1000.69314718)
    """
    z, axis, _, dtype = _check_logits(z, axis, 1.0)
    if not isinstance(keepdims, (bool, np.bool_)):
        raise TypeError(f"keepdims must be True or False, got {keepdims!r}")
    m = z.max(axis=axis, keepdims=True)  # (..., 1, ...)
    reject_nan(m, "z")
    m0 = np.where(np.isfinite(m), m, 0)  # an infinite maximum is the answer itself
    with np.errstate(over="ignore"):  # exp(inf) = inf and gaps beyond the float range
        out = _round_to(m + _log_sum_exp_shifted(z - m0, axis), dtype)
    return out if keepdims else np.squeeze(out, axis=axis)


def softmax_jacobian(z):
    r"""Jacobian :math:`J_{ij} = \partial s_i / \partial z_j` of softmax over the last axis.

    Parameters
    ----------
    z : array_like of shape (k,) or (n, k) or (..., k)
        Logits; a batch is any leading shape.

    Returns
    -------
    J : ndarray of shape (k, k) or (n, k, k) or (..., k, k)

    Raises
    ------
    ValueError
        If :math:`J` would take more than 1 GiB (use :func:`softmax_vjp`), or
        ``z`` is not a valid input of :func:`softmax` (NaN raises on purpose, where
        NumPy would propagate it).

    Notes
    -----
    From the quotient rule, with :math:`s = \operatorname{softmax}(z)`,

    .. math::

        \frac{\partial s_i}{\partial z_j} = s_i(\delta_{ij} - s_j),
        \qquad J = \operatorname{diag}(s) - s s^\top .

    :math:`J` is symmetric, positive semi-definite, and singular: its rows sum
    to 0 because adding a constant to every logit changes nothing
    (:math:`J\mathbf{1} = 0`). It costs :math:`O(k^2)` memory; to backpropagate
    use :func:`softmax_vjp`, which costs :math:`O(k)`.

    Derived in lesson 03.

    Examples
    --------
    >>> softmax_jacobian([0.0, 0.0])
    array([[ 0.25, -0.25],
           [-0.25,  0.25]])
    """
    z = as_float_array(z, "z", min_ndim=1, check_nan=False)
    k = z.shape[-1]
    nbytes = z.size * k * z.dtype.itemsize
    if nbytes > _MAX_JACOBIAN_BYTES:
        raise ValueError(
            f"softmax_jacobian of z with shape {z.shape} would hold {z.size * k:,} entries "
            f"({nbytes / 2**30:,.0f} GiB); to backpropagate use softmax_vjp(z, g) "
            "(and softmax_jvp(z, v) forward), which never build J"
        )
    s = softmax(z, axis=-1)  # (..., k)
    J = -s[..., :, None] * s[..., None, :]  # -s s^T, (..., k, k)
    J[..., np.arange(k), np.arange(k)] += s  # + diag(s)
    return J


def _apply_jacobian(z, v, name, axis):
    """:math:`J v` for softmax's symmetric Jacobian, in O(k)."""
    z, axis, _, dtype = _check_logits(z, axis, 1.0)
    v = as_float_array(v, name)
    check_same_shape(z, v, "z", name)
    reject_inf(v, name, f"{name} must be finite, or s * ({name} - s . {name}) is inf - inf")
    dtype = np.result_type(dtype, v.dtype)
    s = _softmax(z, axis, 1)
    v = v.astype(working_dtype(v.dtype), copy=False)
    sv = (s * v).sum(axis=axis, keepdims=True)  # s . v, (..., 1, ...)
    return _round_to(s * (v - sv), dtype)


def softmax_vjp(z, g, axis=-1):
    r"""Vector-Jacobian product :math:`g^\top J` of softmax, without building :math:`J`.

    This is the backward pass through a softmax node.

    Parameters
    ----------
    z : array_like of shape (..., k, ...)
        Logits of the forward pass.
    g : array_like, same shape as ``z``
        Upstream gradient :math:`\partial L / \partial s`.
    axis : int, default -1

    Returns
    -------
    ndarray, same shape as ``z``
        :math:`\partial L / \partial z`.

    Raises
    ------
    ValueError
        If ``g`` contains inf (the product would be inf - inf), or either
        input contains NaN (on purpose: NumPy, SciPy and JAX propagate it).

    Notes
    -----
    .. math::

        (g^\top J)_j = \sum_i g_i s_i (\delta_{ij} - s_j)
                     = s_j \Big(g_j - \sum_i g_i s_i\Big),

    i.e. ``s * (g - sum(g * s))``: :math:`O(k)` time and memory instead of
    :math:`O(k^2)`.

    Derived in lesson 03.

    Examples
    --------
    >>> softmax_vjp([0.0, 0.0], [1.0, 0.0])
    array([ 0.25, -0.25])
    """
    return _apply_jacobian(z, g, "g", axis)


def softmax_jvp(z, v, axis=-1):
    r"""Jacobian-vector product :math:`J v` of softmax, without building :math:`J`.

    Parameters
    ----------
    z : array_like of shape (..., k, ...)
        Logits.
    v : array_like, same shape as ``z``
        A direction in logit space.
    axis : int, default -1

    Returns
    -------
    ndarray, same shape as ``z``
        The change of the probabilities along ``v`` (forward mode).

    Raises
    ------
    ValueError
        If ``v`` contains inf (the product would be inf - inf), or either
        input contains NaN (on purpose: NumPy, SciPy and JAX propagate it).

    Notes
    -----
    :math:`(Jv)_i = s_i (v_i - s^\top v)`. Because :math:`J` is symmetric this
    is the same formula as :func:`softmax_vjp`: for softmax, forward and
    reverse mode coincide.

    Derived in lesson 03.

    Examples
    --------
    >>> softmax_jvp([0.0, 0.0], [1.0, 1.0])   # shifting every logit: no change
    array([0., 0.])
    """
    return _apply_jacobian(z, v, "v", axis)
