r"""'Softmax normalization' as a feature-scaling step: standardize, then squash.

Not the softmax function: a per-feature scaler that maps each value into
:math:`(0, 1)`. An outlier cannot saturate it: with the population standard deviation
its z-score is at most :math:`\sqrt{n - 1}` (Samuelson, 1968), so its output stays below
:math:`\sigma(\sqrt{n - 1})`. The price is the other values: the outlier inflates the
standard deviation and squeezes them together (lesson 02 shows nine of ten values mapped
into [0.416, 0.425]). Discussed in lesson 02.

NaN input raises ``ValueError`` instead of propagating as it does in NumPy
and SciPy: a deliberate choice of this teaching library.
"""

from __future__ import annotations

import numpy as np

from ._validate import as_float_array, check_axis, check_int, reject_inf
from .sigmoid import sigmoid

__all__ = ["standardize_sigmoid"]


def standardize_sigmoid(x, *, ddof, axis=0):
    r"""Scale features into :math:`(0, 1)` by :math:`\sigma((x - \bar x) / s)`.

    Parameters
    ----------
    x : array_like of shape (n,) or (n, d)
        Values of one feature, or a table with one feature per column; finite.
    ddof : int, 0 or 1
        Required, so the choice is explicit: 0 for the population standard
        deviation (divide by :math:`n`), 1 for the sample one (:math:`n - 1`);
        a bool or a float raises ``TypeError``.
    axis : int, default 0
        The axis along which the statistics are computed (the examples).

    Returns
    -------
    ndarray, same shape as ``x``

    Raises
    ------
    ValueError
        If a feature is constant (all its values equal), has too few values,
        or contains inf or NaN (on purpose: NumPy would propagate NaN).

    Notes
    -----
    .. math::

        x' = \sigma\!\left(\frac{x - \bar x}{s}\right),\qquad
        s = \sqrt{\tfrac{1}{n - \mathrm{ddof}}\textstyle\sum (x - \bar x)^2}.

    The result does not depend on the units: :math:`x` and :math:`c x` give
    the same :math:`x'` for any :math:`c > 0`. The code uses this to divide
    each feature by its largest :math:`|x|` first, so that squaring inside
    :math:`s` can neither overflow (values near 1e200) nor underflow (values
    near 1e-200).

    Unlike the softmax function, the outputs do not sum to 1: each value is
    squashed on its own, after centring and scaling by its feature's
    statistics.

    Derived in lesson 02.

    Examples
    --------
    >>> standardize_sigmoid([1.0, 2.0, 3.0], ddof=0)
    array([0.22710252, 0.5       , 0.77289748])
    >>> standardize_sigmoid([1e200, 2e200, 3e200], ddof=0)   # the same: units do not matter
    array([0.22710252, 0.5       , 0.77289748])
    """
    x = as_float_array(x, "x", min_ndim=1)
    axis = check_axis(axis, x, "x")
    reject_inf(x, "x", "standardizing needs finite values")
    if check_int(ddof, "ddof") not in (0, 1):  # True or 1.0 raise TypeError
        raise ValueError(f"ddof must be 0 (population) or 1 (sample), got {ddof!r}")
    n = x.shape[axis]
    if n - ddof < 1:
        raise ValueError(f"x needs more than {ddof} value(s) along axis {axis} for ddof={ddof}")
    c = np.abs(x).max(axis=axis, keepdims=True)
    u = x / np.where(c > 0, c, 1)  # in [-1, 1]: the squares below cannot overflow or underflow
    std = u.std(axis=axis, ddof=ddof, keepdims=True)
    if (std == 0).any():
        raise ValueError("x has a constant feature (all its values equal); cannot standardize it")
    return sigmoid((u - u.mean(axis=axis, keepdims=True)) / std)
