"""ULP error against exact values computed in mpmath, shared by tests and benchmark.

The error of a float ``c`` against an exact real ``v`` is ``|c - v| / ulp(v)``,
all evaluated in mpmath at ``PREC`` bits, so ``v`` is never rounded to float64
first (that would hide up to half an ULP and misjudge results near a power of 2).
``ulp(v)`` is the spacing of float64 (or float32) numbers at ``v``: ``2**(e - p)``
for ``2**(e - 1) <= |v| < 2**e`` and ``p`` significand bits, never less than the
smallest subnormal.
"""

from __future__ import annotations

import mpmath
import numpy as np

PREC = 256  # bits for the exact values; >= 200 as the issue asks

# (significand bits, exponent of the smallest subnormal)
_FORMATS = {np.dtype(np.float64): (53, -1074), np.dtype(np.float32): (24, -149)}

def workprec():
    """Context manager: mpmath at ``PREC`` bits."""
    return mpmath.workprec(PREC)


def ulp(v, dtype=np.float64) -> mpmath.mpf:
    """Spacing of ``dtype`` numbers at the (exact, mpmath) real ``v``."""
    p, emin = _FORMATS[np.dtype(dtype)]
    if v == 0:
        return mpmath.ldexp(1, emin)
    _, e = mpmath.frexp(v)  # v = m * 2**e with 1/2 <= |m| < 1
    return mpmath.ldexp(1, max(int(e) - p, emin))


def ulp_errors(computed, exact, dtype=np.float64) -> np.ndarray:
    """Elementwise ``|computed - exact| / ulp(exact)`` as a float64 array.

    ``computed`` is an array of floats, ``exact`` a same-length sequence of
    mpmath numbers. Infinite or NaN ``computed`` values give ``inf``.
    """
    computed = np.asarray(computed).ravel()
    out = np.empty(computed.size)
    with workprec():
        for i, (c, v) in enumerate(zip(computed.tolist(), exact, strict=True)):
            if not np.isfinite(c):
                out[i] = np.inf
                continue
            out[i] = float(abs(mpmath.mpf(c) - v) / ulp(v, dtype))
    return out


def exact_map(f, xs) -> list:
    """``[f(mpf(x)) for x in xs]`` at ``PREC`` bits (``xs`` float64, converted exactly)."""
    with workprec():
        return [f(mpmath.mpf(x)) for x in np.asarray(xs, dtype=np.float64).ravel().tolist()]


# Exact reference functions (call them inside ``workprec()`` or via ``exact_map``).


def mp_sigmoid(x):
    # 1 / (1 + e^-x), rewritten for x < 0 so the huge e^-x never appears
    return 1 / (1 + mpmath.exp(-x)) if x >= 0 else mpmath.exp(x) / (1 + mpmath.exp(x))


def mp_sigmoid_grad(x):
    e = mpmath.exp(-abs(x))
    return e / (1 + e) ** 2


def mp_logsumexp(row):
    m = max(row)
    return m + mpmath.log(mpmath.fsum(mpmath.exp(r - m) for r in row))


def exact_rows(f, Z):
    """Apply ``f`` to each row (last axis) of ``Z`` converted exactly to mpmath."""
    Z = np.asarray(Z, dtype=np.float64)
    with workprec():
        return [f([mpmath.mpf(v) for v in row]) for row in Z.reshape(-1, Z.shape[-1]).tolist()]


def mp_log_softmax(row):
    lse = mp_logsumexp(row)
    return [r - lse for r in row]


def mp_softmax(row):
    lse = mp_logsumexp(row)
    return [mpmath.exp(r - lse) for r in row]
