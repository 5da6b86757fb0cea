r"""Finite-difference gradient checking.

Used in lessons 01 and 03 to verify every derivative the course derives.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._validate import as_float_array, check_positive

__all__ = [
    "central_difference",
    "numerical_gradient",
    "relative_error",
    "gradient_check",
    "GradientCheck",
]


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
    ndarray, same shape as ``x``
        :math:`(f(x + h) - f(x - h)) / 2h`.

    Notes
    -----
    Taylor's theorem gives :math:`f(x \pm h) = f(x) \pm h f'(x) + \tfrac{h^2}{2} f''(x)
    \pm \tfrac{h^3}{6} f^{(3)}(x) + \dots`; subtracting cancels the even terms, so the
    error is :math:`O(h^2)`, against :math:`O(h)` for the one-sided difference.

    Derived in lesson 01.

    Examples
    --------
    >>> central_difference(lambda x: x ** 3, [1.0, 2.0]).round(6)
    array([ 3., 12.])
    """
    x = as_float_array(x, "x")
    h = check_positive(h, "h")
    return (np.asarray(f(x + h)) - np.asarray(f(x - h))) / (2 * h)


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
    ndarray of shape ``f(x).shape + x.shape``
        :math:`\partial f_i / \partial x_j`: the gradient for a scalar ``f``,
        the Jacobian for a vector ``f``.

    Notes
    -----
    .. math::

        \frac{\partial f}{\partial x_j} \approx
        \frac{f(x + h e_j) - f(x - h e_j)}{2h},

    whose error is :math:`O(h^2)` (truncation) plus
    :math:`O(\varepsilon / h)` (rounding), so :math:`h \approx 10^{-6}` gives
    about 10 correct digits in float64.

    Examples
    --------
    >>> numerical_gradient(lambda x: (x ** 2).sum(), [1.0, 2.0]).round(6)
    array([2., 4.])
    """
    x = as_float_array(x, "x").astype(np.float64)
    h = check_positive(h, "h")
    f0 = np.asarray(f(x), dtype=np.float64)
    out = np.empty(f0.shape + x.shape)
    xp = x.copy()
    for j in np.ndindex(x.shape):
        xp[j] = x[j] + h
        up = np.asarray(f(xp), dtype=np.float64)
        xp[j] = x[j] - h
        down = np.asarray(f(xp), dtype=np.float64)
        xp[j] = x[j]
        out[(...,) + j] = (up - down) / (2 * h)
    return out


def relative_error(a, b):
    r"""Relative difference :math:`\|a - b\| / \max(\|a\| + \|b\|, 10^{-300})`.

    0 for identical arrays, 1 for ``b = -a``; about 1e-8 or less when an
    analytic gradient agrees with central differences.

    Examples
    --------
    >>> relative_error([1.0, 2.0], [1.0, 2.0])
    0.0
    """
    a = as_float_array(a, "a")
    b = as_float_array(b, "b")
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-300))


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
    h : float, default 1e-6
    tol : float, default 1e-6
        Largest relative error that passes.

    Returns
    -------
    GradientCheck
        ``rel_error`` and ``tol``; truthy when it passed; prints as one line.

    Examples
    --------
    >>> bool(gradient_check(lambda x: (x ** 2).sum(), [1.0, 2.0], [2.0, 4.0]))
    True
    """
    numeric = numerical_gradient(f, x, h)
    analytic = as_float_array(analytic, "analytic")
    if analytic.shape != numeric.shape:
        raise ValueError(
            f"analytic has shape {analytic.shape}, but f(x).shape + x.shape is {numeric.shape}"
        )
    return GradientCheck(relative_error(analytic, numeric), float(tol))
