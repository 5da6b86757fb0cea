"""Input validation shared by the reference implementations.

Every public function in :mod:`helpers` turns bad input into a ``TypeError`` or
``ValueError`` whose message names the offending argument, instead of letting a
silent ``nan`` or a traceback from deep inside NumPy reach the learner.

NaN input raises ``ValueError``. This is a deliberate teaching choice: NumPy,
SciPy, JAX and PyTorch propagate NaN instead, which is right for a library but
hides, in a lesson, the step where the NaN was born.
"""

from __future__ import annotations

import numbers
from decimal import Decimal

import numpy as np


def as_float_array(x, name: str, *, min_ndim: int = 0, check_nan: bool = True) -> np.ndarray:
    """Return ``x`` as a floating-point ndarray, keeping its float dtype.

    Integers and booleans become float64. Complex, object and string input
    raise ``TypeError``, and so does a masked array (its mask would be
    silently dropped); a NaN raises ``ValueError`` (unless the caller checks
    for NaN itself with ``check_nan=False``).
    """
    if isinstance(x, np.ma.MaskedArray):
        raise TypeError(
            f"{name} is a masked array, and helpers does not honour masks; pass "
            f"{name}.compressed() (the unmasked values) or {name}.filled(value) explicitly"
        )
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError) as exc:  # ragged nested lists
        raise TypeError(f"{name} must be an array of numbers ({exc})") from None
    if arr.dtype.kind in "biu":
        arr = arr.astype(np.float64)
    elif arr.dtype.kind != "f":
        raise TypeError(f"{name} must contain real numbers, got an array of dtype {arr.dtype}")
    if arr.ndim < min_ndim:
        raise ValueError(
            f"{name} must have at least {min_ndim} dimension(s), got a scalar; "
            f"wrap a single value in a list, e.g. [{arr.item()!r}]"
        )
    if check_nan:
        reject_nan(arr, name)
    return arr


def reject_nan(arr: np.ndarray, name: str) -> None:
    if np.isnan(arr).any():
        raise ValueError(
            f"{name} contains NaN; clean the input first (helpers raises on NaN on purpose, "
            "where NumPy would propagate it)"
        )


def reject_inf(arr: np.ndarray, name: str, why: str) -> None:
    """Refuse infinite entries where the result would be ``inf - inf`` or ``0 * inf``."""
    if np.isinf(arr).any():
        raise ValueError(f"{name} contains inf; {why}")


def check_axis(axis, arr: np.ndarray, name: str) -> int:
    """Normalise ``axis`` for ``arr`` and insist the reduction has values."""
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"axis must be an int, got {axis!r}")
    if not -arr.ndim <= axis < arr.ndim:
        raise ValueError(f"axis={axis} is out of range for {name} with {arr.ndim} dimension(s)")
    axis = int(axis) % arr.ndim
    if arr.shape[axis] == 0:
        raise ValueError(f"{name} is empty along axis {axis}; need at least one value")
    return axis


def real_scalar(value, name: str) -> float:
    """A real number (int, float, NumPy scalar, ``Fraction``, ``Decimal``) as a Python float."""
    real = isinstance(value, (numbers.Real, Decimal, np.integer, np.floating))
    if isinstance(value, (bool, np.bool_)) or not real:
        raise TypeError(f"{name} must be a real number, got {value!r}")
    try:
        return float(value)
    except OverflowError:  # an int or Fraction beyond float64
        digits = len(str(abs(int(value)))) - 1
        raise ValueError(
            f"{name} is too large for a float64 (about 1e{digits}; the largest is about 1.8e308)"
        ) from None


def check_positive(value, name: str) -> float:
    """A strictly positive, finite real scalar (a temperature, a step size)."""
    v = real_scalar(value, name)
    if not (np.isfinite(v) and v > 0):
        raise ValueError(f"{name} must be positive and finite, got {value!r}")
    return v


def check_tolerance(value, name: str) -> float:
    """A non-negative, finite real scalar (a tolerance)."""
    v = real_scalar(value, name)
    if not (np.isfinite(v) and v >= 0):
        raise ValueError(f"{name} must be non-negative and finite, got {value!r}")
    return v


def check_same_shape(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    if a.shape != b.shape:
        raise ValueError(
            f"{name_a} and {name_b} must have the same shape, got {a.shape} and {b.shape}"
        )


def check_probabilities(p: np.ndarray, name: str) -> None:
    if p.size and (p.min() < 0 or p.max() > 1):
        raise ValueError(
            f"{name} must lie in [0, 1] (probabilities); got values in "
            f"[{p.min():.3g}, {p.max():.3g}] - did you pass logits?"
        )
