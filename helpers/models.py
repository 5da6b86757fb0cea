r"""Two classes: a softmax layer with two outputs as a sigmoid layer with one.

Derived in lesson 04 (``solutions/04_two_classes.ipynb``).
"""

from __future__ import annotations

from ._validate import as_float_array, check_int, reject_inf

__all__ = ["two_class_to_sigmoid"]


def two_class_to_sigmoid(W, b, positive=1):
    r"""Parameters of the sigmoid model equivalent to a two-class softmax model.

    Parameters
    ----------
    W : array_like of shape (2, d)
        Softmax-layer weights, one row per class: logits ``z = X @ W.T + b``.
    b : array_like of shape (2,)
        Softmax-layer biases.
    positive : {0, 1}, default 1
        The class whose probability the sigmoid predicts: an integer class
        index (``True`` or ``1.0`` raise ``TypeError``).

    Returns
    -------
    w : ndarray of shape (d,)
    b : float
        With ``p = sigmoid(X @ w + b)`` equal to ``softmax(X @ W.T + b)[:, positive]``.

    Raises
    ------
    ValueError
        If ``W`` or ``b`` has the wrong shape or contains inf or NaN (the
        difference of two infinite weights has no value; NaN raises on
        purpose, where NumPy would propagate it).

    Notes
    -----
    For two classes, dividing numerator and denominator by :math:`e^{z_1}`,

    .. math::

        \operatorname{softmax}(z)_1 = \frac{e^{z_1}}{e^{z_0} + e^{z_1}}
        = \frac{1}{1 + e^{-(z_1 - z_0)}} = \sigma(z_1 - z_0),

    and :math:`z_1 - z_0 = (w_1 - w_0)^\top x + (b_1 - b_0)`. So
    :math:`w' = w_1 - w_0,\ b' = b_1 - b_0` (for ``positive=0``,
    :math:`w' = w_0 - w_1,\ b' = b_0 - b_1`). Adding one vector :math:`c \in
    \mathbb{R}^d` to both rows of ``W`` and one number to both entries of ``b``
    changes nothing: the two-class model has :math:`2(d + 1)` parameters, the sigmoid
    model :math:`d + 1`, and :math:`d + 1` of the former are redundant.

    Derived in lesson 04.

    Examples
    --------
    >>> w, b = two_class_to_sigmoid([[1.0, 2.0], [3.0, 5.0]], [0.5, -0.5])
    >>> w, b
    (array([2., 3.]), -1.0)
    """
    W = as_float_array(W, "W")
    b = as_float_array(b, "b")
    if W.ndim != 2 or W.shape[0] != 2:
        raise ValueError(f"W must have shape (2, d), one row per class; got {W.shape}")
    if b.shape != (2,):
        raise ValueError(f"b must have shape (2,), one bias per class; got {b.shape}")
    reject_inf(W, "W", "the weights must be finite (inf - inf has no value)")
    reject_inf(b, "b", "the biases must be finite (inf - inf has no value)")
    positive = check_int(positive, "positive", what="0 or 1, the integer index of a class")
    if positive not in (0, 1):
        raise ValueError(f"positive must be 0 or 1, got {positive!r}")
    other = 1 - positive
    return W[positive] - W[other], float(b[positive] - b[other])
