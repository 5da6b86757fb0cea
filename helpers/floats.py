"""Floating-point formats and exact values: the numerics behind lesson 01's low-precision figures.

- :func:`exact_sigmoid`, :func:`round_exactly`, :func:`correctly_rounded_sigmoid`: what a
  float sigmoid *should* return, computed with :mod:`decimal` (independent of the CPU's
  ``exp``), so that the lesson can print CPU-independent numbers;
- :func:`ulp_distance`: how many floats apart two results are;
- :func:`bfloat16_round`, :func:`round_to_format`, :data:`FORMATS`, :func:`format_limits`:
  float16, bfloat16, float32 and float64, and where the sigmoid breaks in each.

Moved here from :mod:`helpers.explorers.lesson01`, which re-exports every name.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, localcontext

import numpy as np

from ._validate import real_scalar

__all__ = [
    "FORMATS",
    "FormatLimits",
    "bfloat16_round",
    "correctly_rounded_sigmoid",
    "exact_sigmoid",
    "format_limits",
    "round_exactly",
    "round_to_format",
    "ulp_distance",
]


# ------------------------------------------- exact values, for CPU-independent output


def exact_sigmoid(x: float, digits: int = 60) -> Decimal:
    r""":math:`\sigma(x)` to ``digits`` significant digits, with :mod:`decimal` (no float rounding).

    The float ``x`` converts to a Decimal exactly; ``exp`` in :mod:`decimal` is
    correctly rounded at the context's precision. The lesson uses it to print what a
    float sigmoid *should* return, independently of the CPU's ``exp``.

    Examples
    --------
    >>> print(f"{exact_sigmoid(-720.0):.6e}")
    2.032231e-313
    """
    x = real_scalar(x, "x")
    if not math.isfinite(x):
        raise ValueError(f"x must be finite, got {x!r}")
    with localcontext() as ctx:
        ctx.prec = digits
        return 1 / (1 + Decimal(-x).exp())


def round_exactly(value: Decimal, dtype=np.float64):
    """The float of ``dtype`` nearest to ``value`` (ties to even), subnormals included.

    ``float(Decimal)`` is correctly rounded to float64; for float32 and float16 the
    neighbours of a first guess are compared exactly, so no double rounding occurs.

    Examples
    --------
    >>> bool(round_exactly(Decimal("0.1"), np.float32) == np.float32(0.1))
    True
    """
    dtype = np.dtype(dtype).type
    if dtype not in (np.float16, np.float32, np.float64):
        raise ValueError(f"dtype must be float16, float32 or float64, got {dtype!r}")
    guess = dtype(float(value))
    if dtype is np.float64 or not np.isfinite(guess):
        return guess
    cands = [np.nextafter(guess, dtype(-np.inf)), guess, np.nextafter(guess, dtype(np.inf))]

    def key(c):
        even = int(np.asarray(c).view(f"u{np.dtype(dtype).itemsize}")) & 1
        return (abs(Decimal(float(c)) - value), even)

    return min(cands, key=key)


def correctly_rounded_sigmoid(x, dtype=np.float64) -> np.ndarray:
    r""":math:`\sigma(x)` rounded once, to the nearest float of ``dtype``: the ideal result.

    Examples
    --------
    >>> correctly_rounded_sigmoid([37.0, 38.0])
    array([1., 1.])
    >>> correctly_rounded_sigmoid([37.0]) < 1.0
    array([ True])
    """
    x = np.asarray(x, dtype=np.float64)
    flat = [round_exactly(exact_sigmoid(float(v)), dtype) for v in x.reshape(-1)]
    return np.array(flat, dtype=dtype).reshape(x.shape)


def ulp_distance(a, b) -> np.ndarray:
    """How many floats of their (common) dtype lie between ``a`` and ``b``: 0 when equal.

    Uses that the bit patterns of non-negative floats are ordered like their values.

    Examples
    --------
    >>> int(ulp_distance(np.float64(1.0), np.nextafter(1.0, 2.0)))
    1
    """
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype != b.dtype or a.dtype.kind != "f":
        raise ValueError(f"a and b must be floats of one dtype, got {a.dtype} and {b.dtype}")
    if (a < 0).any() or (b < 0).any() or not (np.isfinite(a).all() and np.isfinite(b).all()):
        raise ValueError("ulp_distance needs finite, non-negative values")
    unsigned = f"u{a.dtype.itemsize}"
    ia = a.astype(a.dtype, copy=True).view(unsigned).astype(np.int64)
    ib = b.astype(b.dtype, copy=True).view(unsigned).astype(np.int64)
    return np.abs(ia - ib)


# ------------------------------------------------------------ low precision formats


def bfloat16_round(x) -> np.ndarray:
    r"""Round float32 values to bfloat16, returned as float32 (NumPy has no bfloat16).

    bfloat16 is the top half of a float32: the same 8 exponent bits (so the same range,
    up to about :math:`3.4 \times 10^{38}`) but 8 significant bits instead of 24
    (:math:`\varepsilon = 2^{-7}`). Rounding to nearest, ties to even, on the bit
    pattern: add ``0x7FFF`` plus the lowest kept bit, then clear the low 16 bits; a
    carry moves into the exponent as it should, and past the largest bfloat16 gives inf.
    nan stays nan.

    Examples
    --------
    >>> bfloat16_round(np.float32(1.0) + np.float32(2.0**-8))  # a tie: to even, 1.0
    array(1., dtype=float32)
    >>> float(bfloat16_round(np.float32(1.0) + np.float32(3 * 2.0**-9)))
    1.0078125
    """
    x = np.array(x, dtype=np.float32)  # a copy: the bits are changed below
    bits = x.view(np.uint32)
    lowest_kept = (bits >> np.uint32(16)) & np.uint32(1)
    finite = np.isfinite(x)
    rounded = (bits + np.uint32(0x7FFF) + lowest_kept) & np.uint32(0xFFFF0000)
    bits[...] = np.where(finite, rounded, bits)
    return x


#: Significant bits p (so eps = 2^(1 - p)) and the largest finite value of each format.
FORMATS = {
    "float16": (11, float(np.finfo(np.float16).max)),
    "bfloat16": (8, float(np.array(0x7F7F0000, dtype=np.uint32).view(np.float32))),
    "float32": (24, float(np.finfo(np.float32).max)),
    "float64": (53, float(np.finfo(np.float64).max)),
}


def round_to_format(x, name: str) -> np.ndarray:
    """Round float64 values to the format ``name`` (a key of :data:`FORMATS`), as float64.

    float16 and float32 round once from float64 (NumPy's casts); bfloat16 rounds via
    float32 (:func:`bfloat16_round`), which can differ from a single rounding only for a
    float64 value within 2^-24 (relative) of a bfloat16 tie.
    """
    x = np.asarray(x, dtype=np.float64)
    if name == "bfloat16":
        return bfloat16_round(x.astype(np.float32)).astype(np.float64)
    if name not in FORMATS:
        raise ValueError(f"name must be one of {sorted(FORMATS)}, got {name!r}")
    with np.errstate(over="ignore"):
        return x.astype(name).astype(np.float64)


@dataclass(frozen=True)
class FormatLimits:
    r"""Where the sigmoid breaks in one floating-point format.

    Attributes
    ----------
    name : str
    eps : float
        :math:`2^{1-p}`, the gap between 1 and the next float.
    largest : float
        The largest finite value.
    exp_overflow : float
        :math:`\log(\text{largest})`: ``exp(-x)`` is inf for :math:`x <` ``-exp_overflow``.
    sigmoid_one : float
        :math:`\log(4/\varepsilon - 1)`: from here on the correctly rounded
        :math:`\sigma(x)` is exactly 1, because :math:`1 - \sigma(x) = 1/(1 + e^{x})`
        is at most half the gap :math:`\varepsilon/2` below 1.
    """

    name: str
    eps: float
    largest: float
    exp_overflow: float
    sigmoid_one: float


def format_limits(name: str) -> FormatLimits:
    """:class:`FormatLimits` for one of float16, bfloat16, float32, float64.

    Examples
    --------
    >>> lim = format_limits("float16")
    >>> round(lim.exp_overflow, 2), round(lim.sigmoid_one, 2)
    (11.09, 8.32)
    """
    if name not in FORMATS:
        raise ValueError(f"name must be one of {sorted(FORMATS)}, got {name!r}")
    p, largest = FORMATS[name]
    eps = 2.0 ** (1 - p)
    return FormatLimits(name, eps, largest, math.log(largest), math.log(4 / eps - 1))
