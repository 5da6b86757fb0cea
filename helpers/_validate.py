"""Input validation shared by the reference implementations: the one place every check lives.

Every public function in :mod:`helpers` turns bad input into a ``TypeError`` or
``ValueError`` whose message names the offending argument, instead of letting a
silent ``nan`` or a traceback from deep inside NumPy reach the learner. The policy,
applied by every validator below:

- ``TypeError`` for a value of the wrong *type*: a string, a complex number,
  ``None``, or a bool where a number is due; a float where an integer is due;
- ``ValueError`` for a value of the right type that is out of range or of the
  wrong shape;
- the message starts with the argument's name.

NaN input raises ``ValueError``. This is a deliberate teaching choice: NumPy,
SciPy, JAX and PyTorch propagate NaN instead, which is right for a library but
hides, in a lesson, the step where the NaN was born.

These validators are public (no leading underscore) so that the explorers and
checks can use them instead of keeping copies.
"""

from __future__ import annotations

import numbers
from decimal import Decimal

import numpy as np

__all__ = [
    "logits_and_labels",
    "as_float_array",
    "working_dtype",
    "reject_nan",
    "reject_inf",
    "check_axis",
    "real_scalar",
    "finite_scalar",
    "check_positive",
    "check_nonnegative",
    "check_tolerance",
    "check_unit_interval",
    "check_int",
    "nonnegative_int",
    "positive_int",
    "check_bool",
    "check_choice",
    "check_seed",
    "check_same_shape",
    "check_probabilities",
    "finite_array",
    "finite_vector",
    "positive_vector",
    "positive_weights",
    "logit_vector",
    "integer_labels",
    "binary_array",
    "binary_labels",
    "features",
    "features_and_binary_labels",
    "two_class_params",
    "probability_matrix",
    "probability_rows",
    "row_sum_tolerance",
    "REDUCTIONS",
    "check_reduction",
    "reduce",
]


# -- arrays ----------------------------------------------------------------------------------


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


def working_dtype(dtype) -> np.dtype:
    """The dtype to compute sums and divisions in: float32 for float16, else ``dtype`` itself.

    float16 holds at most 65504, so a sum of 65,520 ones, or the count ``n = 70_000``
    a mean divides by, overflows to ``inf``. As PyTorch does for half precision, the
    functions of :mod:`helpers` accumulate float16 input in float32 and round the
    result back to float16 once.
    """
    dtype = np.dtype(dtype)
    return np.dtype(np.float32) if dtype == np.float16 else dtype


def reject_nan(arr: np.ndarray, name: str) -> None:
    """``ValueError`` if ``arr`` holds a NaN."""
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


def check_same_shape(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    """``ValueError`` naming both arguments if the shapes differ."""
    if a.shape != b.shape:
        raise ValueError(
            f"{name_a} and {name_b} must have the same shape, got {a.shape} and {b.shape}"
        )


def check_probabilities(p: np.ndarray, name: str) -> None:
    """``ValueError`` unless every entry of ``p`` lies in [0, 1]."""
    if p.size and (p.min() < 0 or p.max() > 1):
        raise ValueError(
            f"{name} must lie in [0, 1] (probabilities); got values in "
            f"[{p.min():.3g}, {p.max():.3g}] - did you pass logits?"
        )


def finite_array(x, name: str, *, ndim: int | None = None) -> np.ndarray:
    """A real float array with no NaN and no inf (of ``ndim`` dimensions if given)."""
    arr = as_float_array(x, name)
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension(s), got shape {arr.shape}")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} must be finite (no inf)")
    return arr


def finite_vector(x, name: str, size: int | None = None, *, min_size: int = 1) -> np.ndarray:
    """A finite 1-D float vector of ``min_size`` or more entries (exactly ``size`` if given).

    Its float dtype is kept (integers become float64).
    """
    arr = as_float_array(x, name)
    if arr.ndim != 1 or arr.size < min_size:
        raise ValueError(
            f"{name} must be a 1-D sequence of at least {min_size} number(s), got shape {arr.shape}"
        )
    if size is not None and arr.size != size:
        raise ValueError(f"{name} must have exactly {size} entries, got {arr.size}")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} must contain finite numbers only (no inf)")
    return arr


def positive_vector(x, name: str, *, min_size: int = 1) -> np.ndarray:
    """A 1-D vector of positive, finite numbers (temperatures, weights), float dtype kept."""
    arr = finite_vector(x, name, min_size=min_size)
    if (arr <= 0).any():
        raise ValueError(f"{name} must all be positive, got a smallest value of {arr.min()!r}")
    return arr


def positive_weights(w, name: str, shape: tuple) -> np.ndarray:
    """Positive, finite weights that broadcast against an array of ``shape``."""
    w = as_float_array(w, name)
    if (w <= 0).any() or not np.isfinite(w).all():
        raise ValueError(f"{name} must be positive and finite")
    try:
        np.broadcast_shapes(w.shape, shape)
    except ValueError:
        raise ValueError(
            f"{name} of shape {w.shape} does not broadcast against z of shape {shape}: "
            "give one number, or one per label (shape (k,))"
        ) from None
    return w


def logit_vector(z, name: str = "z") -> np.ndarray:
    """A non-empty 1-D float64 array of logits: finite or ``-inf``, at least one finite."""
    arr = as_float_array(z, name)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array of logits, got shape {arr.shape}")
    if (arr == np.inf).any() or not np.isfinite(arr).any():
        raise ValueError(f"{name} must be finite (-inf allowed, with at least one finite logit)")
    return arr.astype(np.float64, copy=False)


# -- scalars ----------------------------------------------------------------------------------


def real_scalar(value, name: str) -> float:
    """A real number (int, float, NumPy scalar, ``Fraction``, ``Decimal``) as a Python float.

    ``TypeError`` for anything else, bools, strings, complex numbers and ``None`` included.
    """
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


def finite_scalar(value, name: str) -> float:
    """A finite real number as a Python float (a 0-d array of one is accepted too)."""
    if isinstance(value, np.ndarray) or isinstance(value, (list, tuple)):
        if np.ndim(value) != 0:
            raise ValueError(f"{name} must be a single number, got shape {np.shape(value)}")
        value = np.asarray(value)[()]
    v = real_scalar(value, name)
    if not np.isfinite(v):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return v


def check_positive(value, name: str) -> float:
    """A strictly positive, finite real scalar (a temperature, a step size)."""
    v = real_scalar(value, name)
    if not (np.isfinite(v) and v > 0):
        raise ValueError(f"{name} must be positive and finite, got {value!r}")
    return v


def check_nonnegative(value, name: str) -> float:
    """A non-negative, finite real scalar (a tolerance, a weight decay)."""
    v = real_scalar(value, name)
    if not (np.isfinite(v) and v >= 0):
        raise ValueError(f"{name} must be non-negative and finite, got {value!r}")
    return v


check_tolerance = check_nonnegative  # the name the gradient checker uses


def check_unit_interval(value, name: str) -> float:
    """A real scalar in [0, 1] (a smoothing weight, a threshold)."""
    v = real_scalar(value, name)
    if not 0 <= v <= 1:
        raise ValueError(f"{name} must lie in [0, 1], got {value!r}")
    return v


def check_int(value, name: str, minimum: int | None = None, *, what: str = "an integer") -> int:
    """An integer (Python or NumPy) of at least ``minimum``, as a Python int.

    ``TypeError`` for a bool, a float (even ``2.0``), ``None`` or a string: a count
    that arrives as ``2.9`` is a slip worth reporting, not rounding. ``what``
    describes the expected value in that message.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be {what}, got {value!r}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def nonnegative_int(value, name: str) -> int:
    """An integer >= 0 (a number of steps or epochs)."""
    return check_int(value, name, 0)


def positive_int(value, name: str) -> int:
    """An integer >= 1 (a number of bins, classes, a batch size)."""
    return check_int(value, name, 1)


def check_bool(value, name: str) -> bool:
    """``True`` or ``False`` (NumPy bools too); ``TypeError`` for anything else."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def check_choice(value, name: str, choices) -> None:
    """``ValueError`` unless ``value`` is one of ``choices``."""
    if not any(value is c or (isinstance(value, str) and value == c) for c in choices):
        raise ValueError(f"{name} must be one of {tuple(choices)}, got {value!r}")


def check_seed(seed, name: str = "seed"):
    """A seed for ``np.random.default_rng``: ``None``, an integer >= 0, or a Generator."""
    if seed is None or isinstance(seed, (np.random.Generator, np.random.SeedSequence)):
        return seed
    return nonnegative_int(seed, name)


# -- labels and targets ---------------------------------------------------------------------


def integer_labels(y, name: str, n: int, k: int) -> np.ndarray:
    """``n`` integer class indices in ``0..k-1``, shape ``(n,)``."""
    y = np.asarray(y)
    if y.dtype.kind not in "iu":
        raise TypeError(f"{name} must hold integer class indices, got dtype {y.dtype}")
    if y.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},), one class per row, got {y.shape}")
    if n and (y.min() < 0 or y.max() >= k):
        raise ValueError(f"{name} must lie in 0..{k - 1}, got values in [{y.min()}, {y.max()}]")
    return y


def binary_array(a, name: str) -> np.ndarray:
    """A 1-D or 2-D array of 0/1 decisions (bool, int or float), returned as bool."""
    a = np.asarray(a)
    if a.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be an array of 0/1 values, got dtype {a.dtype}")
    if a.ndim not in (1, 2):
        raise ValueError(
            f"{name} must have shape (n, k), one row per example, or (n,) for one label; "
            f"got {a.shape}"
        )
    if a.dtype.kind != "b" and not np.isin(a, (0, 1)).all():
        raise ValueError(f"{name} must contain only 0 and 1 (or False and True)")
    return a.astype(bool)


def binary_labels(y, name: str, n: int) -> np.ndarray:
    """``n`` integer labels 0 and 1 (bools allowed), as int64 of shape ``(n,)``."""
    y = np.asarray(y)
    if y.dtype.kind not in "biu":
        raise TypeError(f"{name} must hold the integer labels 0 and 1, got dtype {y.dtype}")
    if y.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},), one label per row of X; got {y.shape}")
    if not np.isin(y, (0, 1)).all():
        raise ValueError(f"{name} must hold the integer labels 0 and 1")
    return y.astype(np.int64)


def features(X, name: str = "X") -> np.ndarray:
    """A finite float64 feature matrix of shape ``(n, d)`` with ``n >= 1``."""
    X = as_float_array(X, name)
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError(f"{name} must have shape (n, d) with n >= 1, got {X.shape}")
    if not np.isfinite(X).all():
        raise ValueError(f"{name} must be finite (no inf)")
    return X.astype(np.float64, copy=False)


def features_and_binary_labels(X, y):
    """Features ``(n, d)`` and 0/1 integer labels ``(n,)``, checked against each other."""
    X = features(X, "X")
    return X, binary_labels(y, "y", X.shape[0])


def two_class_params(W, b, d: int | None = None):
    """Two-class softmax parameters ``W`` (2, d) and ``b`` (2,), finite, as float64."""
    W = finite_array(W, "W").astype(np.float64, copy=False)
    if W.ndim != 2 or W.shape[0] != 2 or (d is not None and W.shape[1] != d):
        want = f"(2, {d})" if d is not None else "(2, d)"
        raise ValueError(f"W must have shape {want}, one row per class; got {W.shape}")
    b = finite_array(b, "b").astype(np.float64, copy=False)
    if b.shape != (2,):
        raise ValueError(f"b must have shape (2,), one bias per class; got {b.shape}")
    return W, b


def probability_matrix(p, name: str = "p") -> np.ndarray:
    """Per-label probabilities of shape ``(n, k)``, each in [0, 1] (rows need not sum to 1)."""
    p = as_float_array(p, name)
    if p.ndim != 2:
        raise ValueError(f"{name} must have shape (n, k), one row per example, got {p.shape}")
    check_probabilities(p, name)
    return p


def row_sum_tolerance(dtype, k: int) -> float:
    """How far a row of ``k`` probabilities may sum from 1: ``max(1e-6, 2 k eps)``.

    ``eps`` is the machine epsilon of ``dtype`` (2.2e-16 for float64, 1.2e-7 for
    float32, 9.8e-4 for float16): a softmax row carries up to about ``k`` roundings.
    """
    return max(1e-6, 2 * k * float(np.finfo(dtype).eps))


def probability_rows(p, name: str = "p") -> np.ndarray:
    """Class probabilities of shape ``(n, k)``, ``n >= 1``, ``k >= 2``, rows summing to 1.

    Each row must sum to 1 within :func:`row_sum_tolerance` (``1e-6`` for float64
    and float32 with up to 4 classes; more for many classes or float16).
    """
    p = as_float_array(p, name)
    if p.ndim != 2 or p.shape[0] == 0 or p.shape[1] < 2:
        raise ValueError(f"{name} must have shape (n, k) with n >= 1 and k >= 2, got {p.shape}")
    check_probabilities(p, name)
    tol = row_sum_tolerance(p.dtype, p.shape[1])
    off = np.abs(p.sum(axis=1, dtype=working_dtype(p.dtype)) - 1)
    if (off > tol).any():
        i = int(np.argmax(off))
        raise ValueError(
            f"each row of {name} must sum to 1 (within {tol:.1e}); row {i} sums to "
            f"{float(p[i].sum(dtype=np.float64)):.6g} - are these probabilities of one "
            "class per example (softmax outputs)?"
        )
    return p


# -- reductions ------------------------------------------------------------------------------


REDUCTIONS = ("mean", "sum", "none")


def check_reduction(reduction, choices=REDUCTIONS) -> str:
    """``ValueError`` unless ``reduction`` is one of ``choices``."""
    if not isinstance(reduction, str) or reduction not in choices:
        raise ValueError(f"reduction must be one of {tuple(choices)}, got {reduction!r}")
    return reduction


def reduce(loss: np.ndarray, reduction: str, name: str):
    """Mean or sum of every element of ``loss``, or ``loss`` itself (``'none'``).

    The mean of float16 losses is accumulated in float32 (NumPy's ``mean`` does);
    the mean of no elements raises, naming the input ``name``.
    """
    if reduction == "mean":
        if loss.size == 0:
            raise ValueError(f"{name} is empty: the mean over no examples is undefined")
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def logits_and_labels(z, y):
    """Logits ``(n, k)``, ``k >= 2``, finite or -inf, and their ``n`` integer class labels."""
    z = as_float_array(z, "z")
    if z.ndim != 2 or z.shape[0] == 0 or z.shape[1] < 2:
        raise ValueError(f"z must have shape (n, k) with n >= 1 and k >= 2, got {z.shape}")
    if np.isposinf(z).any():
        raise ValueError("z contains +inf; logits must be finite or -inf")
    return z, integer_labels(y, "y", *z.shape)
