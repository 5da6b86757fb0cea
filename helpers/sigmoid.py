r"""The logistic sigmoid and its family: derivative, inverse, softplus.

Derived in lesson 01 (``solutions/01_sigmoid.ipynb``).

All functions work elementwise on arrays of any shape, keep the floating dtype
(float16, float32, float64; integers become float64), and never overflow: each
is written in terms of :math:`e^{-|x|} \in [0, 1]`, the lesson's trick.

NaN input raises ``ValueError`` instead of propagating as it does in NumPy,
SciPy and JAX. That is a deliberate choice of this teaching library: the cell
where a NaN is born is the cell that reports it.
"""

from __future__ import annotations

import numpy as np

from ._validate import as_float_array, check_probabilities, check_same_shape, reject_inf

__all__ = ["sigmoid", "sigmoid_grad", "sigmoid_backward", "logit", "softplus", "log_sigmoid"]


def _exp_neg_abs(x):
    r""":math:`e^{-|x|} \in [0, 1]`: the one exponential the family needs; it never overflows."""
    return np.exp(-np.abs(x))


def _sigmoid_neg_abs(x):
    r""":math:`q = \sigma(-|x|) = e / (1 + e) \le 1/2`, with :math:`e = e^{-|x|}`.

    ``e / (1 + e)`` rounds twice. One step of the identity :math:`q = e - e q`
    (multiply out :math:`q (1 + e) = e`) shrinks the error of that first
    estimate by the factor :math:`e \le 1`, so only the rounding of ``exp``
    and of the last subtraction remain.
    """
    e = _exp_neg_abs(x)
    q = e / (1 + e)  # first estimate
    return e - e * q


def sigmoid(x):
    r"""Logistic sigmoid :math:`\sigma(x) = 1 / (1 + e^{-x})`, computed stably.

    Parameters
    ----------
    x : array_like of any shape
        Real inputs (logits); ``-inf`` and ``inf`` give 0 and 1.

    Returns
    -------
    ndarray of the same shape and floating dtype as ``x``
        Values in :math:`[0, 1]`; the open interval :math:`(0, 1)` wherever the
        result is representable.

    Raises
    ------
    ValueError
        If ``x`` contains NaN (on purpose: NumPy, SciPy and JAX propagate it;
        see the module notes).

    Notes
    -----
    With :math:`e = e^{-|x|} \in (0, 1]` both branches only ever exponentiate a
    non-positive number, so nothing overflows:

    .. math::

        \sigma(x) = \begin{cases}
            \dfrac{1}{1 + e}, & x \ge 0, \\[1ex]
            \dfrac{e}{1 + e}, & x < 0.
        \end{cases}

    The second branch is the first multiplied by :math:`e^{x}/e^{x}`, and the
    two are tied by the symmetry :math:`\sigma(x) = 1 - \sigma(-x)`. The code
    computes :math:`q = \sigma(-|x|) = e / (1 + e) \le 1/2` and returns
    :math:`q` for :math:`x < 0` and :math:`1 - q` for :math:`x \ge 0`. Because
    ``e / (1 + e)`` rounds twice, :math:`q` gets one correction step from the
    identity :math:`q = e - e q`, which shrinks the error of the first
    estimate by the factor :math:`e`.

    For :math:`x < \log(\text{smallest normal float64}) \approx -708.40` the
    result is subnormal and still correct to the last representable digit
    (the naive ``1 / (1 + exp(-x))`` overflows with a ``RuntimeWarning`` and
    returns 0 from about :math:`-709.78` on); it reaches 0 below about
    :math:`-745.13`. Measured error: at most 2 ULP over the whole float64
    range (``benchmarks/bench.py``, ``tests/test_sigmoid.py``).

    Derived in lesson 01.

    References
    ----------
    .. [1] Goodfellow, I., Bengio, Y., Courville, A. (2016). *Deep Learning*,
       section 3.10, "Useful properties of common functions" (the sigmoid,
       softplus and their identities). MIT Press.
    .. [2] Cramer, J. S. (2002). The origins of logistic regression. Tinbergen
       Institute Discussion Paper 2002-119/4 (the logistic function's history).

    Examples
    --------
    >>> sigmoid([1.0, 2.0, 3.0])
    array([0.73105858, 0.88079708, 0.95257413])
    >>> sigmoid(0.0)
    array(0.5)
    >>> float(sigmoid(-745.0)) > 0   # subnormal, not 0
    True
    >>> round(float(np.log(np.finfo(np.float64).smallest_normal)), 2)   # where subnormals start
    -708.4
    """
    x = as_float_array(x, "x")
    q = _sigmoid_neg_abs(x)  # sigma(-|x|) <= 1/2
    return np.where(x >= 0, 1 - q, q)  # sigma(x) = 1 - sigma(-x)


def sigmoid_grad(x):
    r"""Derivative of the sigmoid, :math:`\sigma'(x) = \sigma(x)\,(1 - \sigma(x))`.

    Parameters
    ----------
    x : array_like of any shape
        The *input* of the sigmoid (not its output; for that see
        :func:`sigmoid_backward`).

    Returns
    -------
    ndarray of the same shape and floating dtype as ``x``
        Values in :math:`[0, 1/4]`, maximal at ``x = 0``. Exactly 0 at
        :math:`\pm\infty` and for :math:`|x| > 1075 \log 2 \approx 745.13`,
        where the true value :math:`\approx e^{-|x|}` is below half the
        smallest subnormal float64; positive everywhere else.

    Raises
    ------
    ValueError
        If ``x`` contains NaN (on purpose: NumPy, SciPy and JAX propagate it).

    Notes
    -----
    Using :math:`1 - \sigma(x) = \sigma(-x)` and :math:`e = e^{-|x|}`,

    .. math::

        \sigma'(x) = \sigma(x)\,\sigma(-x) = \frac{e}{(1 + e)^2},

    which is even in :math:`x`; the code computes it as :math:`q - q^2` with
    :math:`q = \sigma(-|x|)`, as in :func:`sigmoid`. Computing ``s * (1 - s)``
    from a rounded ``s = sigmoid(x)`` gives exactly 0 beyond
    :math:`x \approx 37`, because ``1 - s`` cancels to nothing, while the true
    value is about :math:`e^{-x}`; this form keeps full relative accuracy
    (at most 4 ULP) everywhere, subnormal results included.

    Derived in lesson 01.

    Examples
    --------
    >>> sigmoid_grad([0.0, 2.0])
    array([0.25      , 0.10499359])
    >>> float(sigmoid_grad(40.0))   # not 0
    4.248354255291589e-18
    >>> sigmoid_grad([746.0, np.inf])   # below the smallest subnormal
    array([0., 0.])
    """
    x = as_float_array(x, "x")
    q = _sigmoid_neg_abs(x)  # sigma(-|x|); sigma' is even
    return q - q * q  # sigma(x) sigma(-x) = q (1 - q)


def sigmoid_backward(g, a):
    r"""Backward step through a sigmoid node: :math:`\partial L/\partial z`.

    Parameters
    ----------
    g : array_like
        Upstream gradient :math:`\partial L / \partial a`; finite.
    a : array_like, same shape as ``g``
        The *saved output* :math:`a = \sigma(z)` of the forward pass.

    Returns
    -------
    ndarray
        :math:`\partial L/\partial z = g \, a\,(1 - a)`, elementwise.

    Raises
    ------
    ValueError
        If ``g`` contains inf (where :math:`a` is 0 or 1 the product would be
        :math:`\infty \cdot 0`), if ``a`` lies outside :math:`[0, 1]`, or if
        either contains NaN (on purpose: NumPy would propagate it).

    Notes
    -----
    The forward pass already computed :math:`a`, so the backward pass reuses
    it instead of recomputing an exponential. (Where :math:`a` has rounded to
    1 this returns 0; :func:`sigmoid_grad` is the accurate choice when the
    input :math:`z` is at hand.)

    Derived in lesson 01.

    Examples
    --------
    >>> sigmoid_backward([1.0, 2.0], [0.5, 0.9])
    array([0.25, 0.18])
    """
    g = as_float_array(g, "g")
    a = as_float_array(a, "a")
    check_same_shape(g, a, "g", "a")
    reject_inf(
        g, "g", "upstream gradients must be finite (inf * a (1 - a) is inf * 0 at a = 0 or 1)"
    )
    check_probabilities(a, "a")
    return g * a * (1 - a)


def logit(p):
    r"""Inverse of the sigmoid, the log-odds :math:`\log\frac{p}{1-p}`.

    Parameters
    ----------
    p : array_like of any shape
        Probabilities in :math:`[0, 1]`. ``logit(0) = -inf`` and
        ``logit(1) = inf`` (no warning).

    Returns
    -------
    ndarray of the same shape and floating dtype as ``p``

    Raises
    ------
    ValueError
        If any ``p`` lies outside :math:`[0, 1]`, or is NaN (on purpose:
        NumPy and SciPy propagate it).

    Notes
    -----
    Near :math:`p = 1/2` the ratio :math:`p/(1-p)` is close to 1 and its log
    loses relative accuracy, so for :math:`p \ge 1/4` we use

    .. math::

        \log\frac{p}{1-p} = \pm\operatorname{log1p}\!\left(
            \frac{|2p - 1|}{\min(p,\, 1 - p)}\right),
        \qquad \pm = \operatorname{sign}(2p - 1),

    where :math:`2p - 1` and :math:`\min(p, 1 - p)` are both exact, so only
    the division rounds before the ``log1p`` (it is :math:`\operatorname{logit}(p)
    = -\operatorname{logit}(1 - p)` applied on the side where :math:`p < 1/2`).
    :math:`\sigma(\operatorname{logit}(p)) = p`.

    Derived in lesson 01.

    Examples
    --------
    >>> logit([0.25, 0.5, 0.9])
    array([-1.09861229,  0.        ,  2.19722458])
    """
    p = as_float_array(p, "p")
    check_probabilities(p, "p")
    p = p + 0.0  # -0.0 becomes +0.0: min(p, q) = -0.0 would make 1 / min = -inf, log1p a nan
    q = 1 - p  # exact for p >= 1/2
    with np.errstate(divide="ignore", over="ignore"):  # p = 0 or 1 give -inf, inf
        far = np.log(p / q)  # used for p < 1/4
        near = np.log1p(np.abs(2 * p - 1) / np.minimum(p, q))
    return np.where(p < 0.25, far, np.copysign(near, p - 0.5))


def softplus(x):
    r"""Softplus :math:`\log(1 + e^{x})`, the smooth ReLU whose derivative is :math:`\sigma`.

    Parameters
    ----------
    x : array_like of any shape

    Returns
    -------
    ndarray of the same shape and floating dtype as ``x``
        Non-negative values (positive where representable);
        ``softplus(x) - max(x, 0)`` lies in :math:`[0, \log 2]`.

    Raises
    ------
    ValueError
        If ``x`` contains NaN (on purpose: NumPy, SciPy and JAX propagate it).

    Notes
    -----
    .. math::

        \log(1 + e^{x}) = \max(x, 0) + \operatorname{log1p}(e^{-|x|}),

    which never overflows and stays accurate for very negative :math:`x`,
    where the value is about :math:`e^{x}`.
    :math:`\frac{d}{dx}\operatorname{softplus}(x) = \sigma(x)`.

    Derived in lesson 01.

    Examples
    --------
    >>> softplus([-1000.0, 0.0, 1000.0])
    array([0.00000000e+00, 6.93147181e-01, 1.00000000e+03])
    """
    x = as_float_array(x, "x")
    return np.maximum(x, 0) + np.log1p(_exp_neg_abs(x))


def log_sigmoid(x):
    r"""Log of the sigmoid, :math:`\log\sigma(x) = -\operatorname{softplus}(-x)`.

    Parameters
    ----------
    x : array_like of any shape

    Returns
    -------
    ndarray of the same shape and floating dtype as ``x``
        Non-positive values; about :math:`x` for very negative :math:`x`.

    Raises
    ------
    ValueError
        If ``x`` contains NaN (on purpose: NumPy, SciPy and JAX propagate it).

    Notes
    -----
    :math:`\log\sigma(x) = -\log(1 + e^{-x}) = \min(x, 0) - \operatorname{log1p}(e^{-|x|})`.
    Taking ``log(sigmoid(x))`` instead gives ``-inf`` once the sigmoid
    underflows (:math:`x < -745.13`); this form never does. It is the building
    block of binary cross-entropy with logits.

    Derived in lesson 01.

    Examples
    --------
    >>> log_sigmoid([-1000.0, 0.0])
    array([-1.00000000e+03, -6.93147181e-01])
    """
    x = as_float_array(x, "x")
    return np.minimum(x, 0) - np.log1p(_exp_neg_abs(x))
