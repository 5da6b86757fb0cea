r"""Finite-difference gradient checking.

Used in lessons 01 and 03 to verify every derivative the course derives. A
learner trusts their own derivatives on this checker's word, so it is built
never to say "passed" for a wrong one: differences are taken in float64 and
divided by the step actually taken, a step that vanishes against ``x`` is
refused, and norms are taken after scaling, so that neither underflow nor
overflow can make two different arrays look equal.

NaN input raises ``ValueError`` instead of propagating as it does in NumPy: a
deliberate choice of this teaching library.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._validate import as_float_array, check_positive, check_tolerance

__all__ = [
    "central_difference",
    "numerical_gradient",
    "relative_error",
    "gradient_check",
    "GradientCheck",
]


def _evaluate(f, x):
    """``f(x)`` as a float64 array, or the package's own error if ``f`` returns no numbers.

    A list or tuple of numbers is accepted (it goes through ``np.asarray``).
    """
    out = f(x)
    try:
        fx = np.asarray(out)
    except ValueError as exc:  # a ragged sequence
        raise TypeError(
            f"f must return an array of numbers, got {type(out).__name__} ({exc})"
        ) from None
    if fx.dtype.kind not in "biuf":
        raise TypeError(f"f must return real numbers, got {fx.dtype} values from f(x)")
    return fx.astype(np.float64, copy=False)


def _difference(up, down, x_has_inf, where):
    """``up - down``, refusing values of ``f`` that are not finite.

    A difference of infinities is ``nan`` (or a meaningless ``inf``). Where ``x``
    itself holds an infinity (a ``-inf`` logit, say), ``f`` may be infinite there
    and not move: equal values then count as a difference of 0. Otherwise an
    infinite value of ``f`` raises ``ValueError``.
    """
    finite = np.isfinite(up) & np.isfinite(down)
    if finite.all():
        return up - down
    still = (up == down) & ~np.isnan(up)
    if not x_has_inf or not (finite | still).all():
        bad = up if not np.isfinite(up).all() else down
        value = bad[~np.isfinite(bad)].flat[0]
        raise ValueError(
            f"f returned {value} at {where}: a finite difference needs finite values of f "
            "(the difference of an overflowed value has no digits); check f near x, or "
            "rewrite it so that it does not overflow"
        )
    with np.errstate(invalid="ignore"):
        return np.where(still, 0.0, up - down)


def _shifted_points(x, h):
    """``(x + h, x - h, step)`` in float64, refusing a step that vanishes against ``x``.

    ``step = (x + h) - (x - h)`` is the step actually taken: ``x + h`` rounds,
    so it is not exactly ``2h``, and dividing by it removes that error. Where
    ``h`` is so small against ``|x|`` that it keeps fewer than two correct
    digits (or none: ``x + h == x``), the difference would measure rounding,
    not the derivative, and this raises. Entries of ``x`` at +-inf are kept:
    ``f`` sees the same infinity on both sides, and the nominal ``2h`` is used.
    """
    if not np.isfinite(2 * h):
        raise ValueError(
            f"h={h!r} is too large: 2h overflows float64; use about 1e-6 * max(1, |x|)"
        )
    with np.errstate(over="ignore"):
        xp, xm = x + h, x - h
    if not ((np.isfinite(xp) & np.isfinite(xm)) | np.isinf(x)).all():
        raise ValueError(f"h={h!r} is too large: x + h or x - h overflows float64 for some x")
    with np.errstate(invalid="ignore"):  # inf - inf where x is infinite, replaced by 2h
        step = np.where(np.isfinite(x), xp - xm, 2 * h)
    bad = np.abs(step - 2 * h) > 0.02 * h  # the step is off by more than 1%
    if bad.any():
        x0 = float(x[bad].flat[np.argmax(np.abs(x[bad]))])
        smallest = 100 * float(np.spacing(abs(x0)))
        vanish = "x + h == x" if x0 + h == x0 else "x + h keeps fewer than 2 digits of h"
        raise ValueError(
            f"h={h!r} is too small for x = {x0!r}: {vanish} in float64; "
            f"use h >= {smallest:.1e} there (about 1e-6 * max(1, |x|) is a good choice)"
        )
    return xp, xm, step


def central_difference(f, x, h=1e-5):
    r"""Derivative of an elementwise function ``f`` at every point of ``x``.

    Parameters
    ----------
    f : callable
        Elementwise: ``f(x)[i]`` depends on ``x[i]`` only (sigmoid, softplus, ...).
    x : array_like of any shape
    h : float > 0, default 1e-5

    Returns
    -------
    ndarray, same shape and floating dtype as ``x``
        :math:`(f(x + h) - f(x - h)) / 2h`, computed in float64 (``f`` is
        called with float64 arrays) and returned in ``x``'s dtype.

    Raises
    ------
    ValueError
        If ``h`` vanishes against ``x`` (``x + h == x``, or keeps fewer than
        two digits of ``h``) or is so large that ``x + h`` overflows; if ``x``
        contains NaN (on purpose: NumPy would propagate it); if ``f`` is seen not to
        be elementwise (see Notes); or if ``f`` returns inf or NaN at a finite
        ``x +- h``.
    TypeError
        If ``f`` does not return real numbers (a list of numbers is fine).

    Notes
    -----
    ``f`` must be elementwise, and this is tested, not assumed: ``f(x)`` must have
    ``x``'s shape, and ``f`` is evaluated once more with only the even-numbered
    entries of ``x`` (in flat order) moved by ``h``. Each even-numbered output must
    then equal that of ``f(x + h)`` and each odd-numbered output that of ``f(x)``
    (within 16 ULP); otherwise some output depends on an input of the other parity,
    and this raises (use :func:`numerical_gradient`, which moves one entry at a
    time). An ``f`` whose outputs depend only on inputs of their own parity is not
    detected. ``f`` is called four times (twice when ``x`` holds one value).

    Taylor's theorem gives :math:`f(x \pm h) = f(x) \pm h f'(x) + \tfrac{h^2}{2} f''(x)
    \pm \tfrac{h^3}{6} f^{(3)}(x) + \dots`; subtracting cancels the even terms, so the
    error is :math:`O(h^2)`, against :math:`O(h)` for the one-sided difference.
    The division is by the step actually taken, :math:`(x + h) - (x - h)`,
    which differs from :math:`2h` by the rounding of :math:`x \pm h`.

    Derived in lesson 01.

    Examples
    --------
    >>> central_difference(lambda x: x ** 3, [1.0, 2.0]).round(6)
    array([ 3., 12.])
    >>> central_difference(np.sin, np.float16([1.0, 2.0]))   # float64 inside
    array([ 0.5405, -0.4163], dtype=float16)
    """
    x = as_float_array(x, "x")
    h = check_positive(h, "h")
    x64 = x.astype(np.float64)
    xp, xm, step = _shifted_points(x64, h)
    up, down = _evaluate(f, xp), _evaluate(f, xm)
    _check_elementwise(f, x64, xp, up, down)
    diff = _difference(up, down, bool(np.isinf(x64).any()), "x + h or x - h")
    return (diff / step).astype(x.dtype, copy=False)


def _same(a, b):
    """Where ``a`` equals ``b`` within 16 ULP, or either is not finite (checked elsewhere)."""
    with np.errstate(invalid="ignore", over="ignore"):
        close = np.abs(a - b) <= 16 * np.spacing(np.maximum(np.abs(a), np.abs(b)))
    return close | (a == b) | ~np.isfinite(a) | ~np.isfinite(b)


def _check_elementwise(f, x, xp, up, down):
    """Refuse an ``f`` that is not elementwise: see :func:`central_difference`, Notes."""
    if up.shape != x.shape or down.shape != x.shape:
        raise ValueError(
            f"f must be elementwise, returning one value per entry of x: f(x + h) has shape "
            f"{up.shape} but x has shape {x.shape}; for a function with other outputs use "
            "numerical_gradient(f, x)"
        )
    if x.size < 2:
        return
    even = (np.arange(x.size) % 2 == 0).reshape(x.shape)
    mixed = _evaluate(f, np.where(even, xp, x))
    centre = _evaluate(f, x)
    if mixed.shape != x.shape or centre.shape != x.shape:
        raise ValueError(f"f must return an array of x's shape {x.shape} every time it is called")
    ok = np.where(even, _same(mixed, up), _same(mixed, centre))
    if not ok.all():
        i = int(np.flatnonzero(~ok)[0])
        raise ValueError(
            "f is not elementwise: moving only the even-numbered entries of x changed output "
            f"{i} (flat index) against f(x) and f(x + h), so that output depends on other "
            "entries of x (a sum, a max, a normalisation?); central_difference needs an "
            "elementwise f, use numerical_gradient(f, x) for any other"
        )


def numerical_gradient(f, x, h=1e-6):
    r"""Central-difference derivative of ``f`` at ``x``.

    Parameters
    ----------
    f : callable
        Maps an array of ``x``'s shape to an array (or scalar) ``f(x)``.
    x : array_like
        The point; float64 is used for the differences.
    h : float > 0, default 1e-6
        The step.

    Returns
    -------
    ndarray of float64, shape ``f(x).shape + x.shape``
        :math:`\partial f_i / \partial x_j`: the gradient for a scalar ``f``,
        the Jacobian for a vector ``f``.

    Raises
    ------
    ValueError
        If ``h`` vanishes against an entry of ``x`` or overflows it (see
        :func:`central_difference`), ``x`` contains NaN (on purpose: NumPy would
        propagate it), or ``f`` returns inf or NaN at a shifted point. (Where ``x``
        itself holds an infinity, an infinite value of ``f`` that is the same on both
        sides counts as not moving: difference 0.)
    TypeError
        If ``f`` does not return real numbers.

    Notes
    -----
    .. math::

        \frac{\partial f}{\partial x_j} \approx
        \frac{f(x + h e_j) - f(x - h e_j)}{2h},

    whose error is :math:`O(h^2)` (truncation) plus
    :math:`O(\varepsilon / h)` (rounding), so :math:`h \approx 10^{-6}` gives
    about 10 correct digits in float64. As in :func:`central_difference`, the
    division is by the step actually taken.

    Examples
    --------
    >>> numerical_gradient(lambda x: (x ** 2).sum(), [1.0, 2.0]).round(6)
    array([2., 4.])
    """
    x = as_float_array(x, "x").astype(np.float64)
    h = check_positive(h, "h")
    xp, xm, step = _shifted_points(x, h)
    f0 = _evaluate(f, x)
    out = np.empty(f0.shape + x.shape)
    moved = x.copy()
    x_has_inf = bool(np.isinf(x).any())
    for j in np.ndindex(x.shape):
        moved[j] = xp[j]
        up = _evaluate(f, moved)
        moved[j] = xm[j]
        down = _evaluate(f, moved)
        moved[j] = x[j]
        out[(...,) + j] = _difference(up, down, x_has_inf, f"x +- h at entry {j} of x") / step[j]
    return out


def relative_error(a, b):
    r"""Relative difference :math:`\|a - b\| / (\|a\| + \|b\|)`, 0 when both are 0.

    Parameters
    ----------
    a, b : array_like of the same shape

    Returns
    -------
    float in :math:`[0, 1]`
        0 for identical arrays, 1 for ``b = -a``; about 1e-8 or less when an
        analytic gradient agrees with central differences. The same at every
        scale: ``relative_error(c a, c b) = relative_error(a, b)`` for
        ``c > 0``.

    Raises
    ------
    ValueError
        If the shapes differ, or either contains NaN (on purpose: NumPy would
        propagate it).

    Notes
    -----
    Both arrays are divided by the largest :math:`|a_i|, |b_i|` before the
    norms are taken. Without that, squares below about 1e-308 flush to 0
    (two different gradients of size 1e-170 would compare as equal) and
    squares above 1.8e308 overflow (a nan for arrays of size 1e155).
    Entries where ``a`` and ``b`` hold the same infinity count as equal and
    are left out; an infinity against anything else gives 1, the largest
    value.

    Examples
    --------
    >>> relative_error([1.0, 2.0], [1.0, 2.0])
    0.0
    >>> relative_error([1e-170], [2e-170]) == relative_error([1.0], [2.0])
    True
    """
    a = as_float_array(a, "a").astype(np.float64)
    b = as_float_array(b, "b").astype(np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    infinite = np.isinf(a) | np.isinf(b)
    if (a[infinite] != b[infinite]).any():
        return 1.0
    a, b = a[~infinite], b[~infinite]
    scale = max(np.abs(a).max(initial=0.0), np.abs(b).max(initial=0.0))
    if scale == 0:
        return 0.0
    a, b = a / scale, b / scale  # the largest entry is 1 in size: no underflow, no overflow
    return float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b)))


class GradientCheck(NamedTuple):
    """Result of :func:`gradient_check`: ``bool(result)`` says whether it passed."""

    rel_error: float
    tol: float

    def __bool__(self):
        return self.rel_error <= self.tol

    def __str__(self):
        verdict = "passed" if self else "FAILED"
        return (
            f"gradient check {verdict}: relative error {self.rel_error:.1e} "
            f"(tolerance {self.tol:.0e})"
        )


def gradient_check(f, x, analytic, h=1e-6, tol=1e-6):
    r"""Compare an analytic derivative with central differences.

    Parameters
    ----------
    f : callable
        The function, as for :func:`numerical_gradient`.
    x : array_like
        The point.
    analytic : array_like of shape ``f(x).shape + x.shape``
        Your derivative at ``x`` (gradient or Jacobian).
    h : float > 0, default 1e-6
        The step; refused if it vanishes against ``x``.
    tol : float >= 0, default 1e-6
        Largest relative error (:func:`relative_error`) that passes.

    Returns
    -------
    GradientCheck
        ``rel_error`` and ``tol``; truthy when it passed; prints as one line.

    Raises
    ------
    ValueError
        If ``h`` vanishes against ``x``, ``tol`` is negative or not finite,
        the shapes disagree, ``f`` returns inf or NaN (see
        :func:`numerical_gradient`), or an input contains NaN (on purpose: NumPy
        would propagate it).
    TypeError
        If ``tol`` or ``h`` is not a real number, or ``f`` returns no numbers.

    Notes
    -----
    The relative error is scaled before the norms are taken, so a gradient
    of size 1e-174 (the sigmoid's at -400) is compared as carefully as one of
    size 1: a sign slip gives 1 and fails at every scale.

    Examples
    --------
    >>> bool(gradient_check(lambda x: (x ** 2).sum(), [1.0, 2.0], [2.0, 4.0]))
    True
    """
    tol = check_tolerance(tol, "tol")
    numeric = numerical_gradient(f, x, h)
    analytic = as_float_array(analytic, "analytic")
    if analytic.shape != numeric.shape:
        raise ValueError(
            f"analytic has shape {analytic.shape}, but f(x).shape + x.shape is {numeric.shape}"
        )
    return GradientCheck(relative_error(analytic, numeric), tol)
