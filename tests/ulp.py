"""ULP errors against exact values from mpmath, and the fixed sample sets.

Shared by the test suite (moderate sample sizes) and ``benchmarks/bench.py``
(bigger ones). The error of a float ``c`` against an exact real ``v`` is
``|c - v| / ulp(v)``, evaluated in mpmath at ``PREC`` bits: ``v`` is never
rounded to float64 first, which would hide up to half an ULP and misjudge
values next to a power of 2. ``ulp(v)`` is the spacing of the floating-point
format at ``v``: ``2**(e - p)`` for ``2**(e - 1) <= |v| < 2**e`` with ``p``
significand bits, and never less than the smallest subnormal.
"""

from __future__ import annotations

import mpmath
import numpy as np

PREC = 256  # bits for the exact values (the issue asks for at least 200)

# significand bits and exponent of the smallest subnormal of each format
_FORMATS = {np.dtype(np.float64): (53, -1074), np.dtype(np.float32): (24, -149)}


def ulp(v, dtype=np.float64) -> mpmath.mpf:
    """Spacing of ``dtype`` numbers at the exact (mpmath) real ``v``."""
    p, emin = _FORMATS[np.dtype(dtype)]
    if v == 0:
        return mpmath.ldexp(1, emin)
    _, e = mpmath.frexp(v)  # v = m 2**e with 1/2 <= |m| < 1
    return mpmath.ldexp(1, max(int(e) - p, emin))


def ulp_errors(computed, exact, dtype=np.float64, scale=None) -> np.ndarray:
    """Elementwise ``|computed - exact| / ulp(exact)`` as a float64 array.

    ``computed`` holds floats, ``exact`` as many mpmath numbers (same order,
    flattened). With ``scale`` (mpmath numbers, one per value) the error is
    measured in ULPs of ``max(|exact|, |scale|)`` instead. A non-finite
    ``computed`` value gives ``inf``.
    """
    computed = np.asarray(computed).ravel().tolist()
    exact = list(exact)
    scale = [0] * len(exact) if scale is None else list(scale)
    if not len(computed) == len(exact) == len(scale):
        raise ValueError("computed, exact and scale must have the same number of values")
    out = np.empty(len(computed))
    with mpmath.workprec(PREC):
        for i, (c, v, w) in enumerate(zip(computed, exact, scale, strict=True)):
            if not np.isfinite(c):
                out[i] = np.inf if c != v else 0.0  # exact infinities count as exact
                continue
            unit = ulp(max(abs(v), abs(w)), dtype)
            out[i] = float(abs(mpmath.mpf(c) - v) / unit)
    return out


def exact_map(f, xs) -> list:
    """``[f(x) for x in xs]`` at ``PREC`` bits, each float converted exactly."""
    with mpmath.workprec(PREC):
        return [f(mpmath.mpf(x)) for x in np.asarray(xs, dtype=np.float64).ravel().tolist()]


def exact_rows(f, Z) -> list:
    """``f(row)`` for each row (last axis) of ``Z``, the row as exact mpmath numbers."""
    Z = np.asarray(Z, dtype=np.float64)
    with mpmath.workprec(PREC):
        return [f([mpmath.mpf(v) for v in row]) for row in Z.reshape(-1, Z.shape[-1]).tolist()]


# Exact references; call them through exact_map / exact_rows (they need PREC).


def mp_sigmoid(x):
    return 1 / (1 + mpmath.exp(-x))


def mp_sigmoid_grad(x):
    e = mpmath.exp(-abs(x))
    return e / (1 + e) ** 2


def mp_softplus(x):
    return mpmath.log1p(mpmath.exp(x))


def mp_log_sigmoid(x):
    return -mpmath.log1p(mpmath.exp(-x))


def mp_logit(p):
    return mpmath.inf if p == 1 else mpmath.log(p / (1 - p))


def mp_logsumexp(row):
    m = max(row)
    return m + mpmath.log(mpmath.fsum(mpmath.exp(v - m) for v in row))


def mp_log_softmax(row):
    lse = mp_logsumexp(row)
    return [v - lse for v in row]


def mp_softmax(row):
    lse = mp_logsumexp(row)
    return [mpmath.exp(v - lse) for v in row]


# Fixed sample sets: same seed, same values on every machine.


def sigmoid_inputs(n: int, seed: int = 20240601) -> np.ndarray:
    """About ``n`` float64 inputs spanning the whole range, edges included.

    A third near 0 (where most of the curve is), a tenth in -745 < x < -708
    (subnormal results), the rest spread over every binade up to 1.8e308,
    both signs, plus the special points (0, -0, the smallest subnormal, the
    largest float, the thresholds of exp).
    """
    rng = np.random.default_rng(seed)
    special = [0.0, -0.0, 5e-324, -5e-324, 1e-300, -1e-300, 1.0, -1.0, 36.7, -36.7]
    special += [708.4, -708.4, 709.8, -709.8, 744.4, -744.4, 745.2, -745.2]
    special += [np.log(4.0), -np.log(4.0), 1.7976931348623157e308, -1.7976931348623157e308]
    m = max(n - len(special), 10)
    parts = [
        rng.uniform(-40.0, 40.0, m // 3),
        rng.uniform(-1.0, 1.0, m // 10),
        rng.uniform(-745.0, -708.0, m // 10),
        rng.uniform(-745.2, 745.2, m // 10),
    ]
    rest = m - sum(p.size for p in parts)
    parts.append(rng.choice([-1.0, 1.0], rest) * 10.0 ** rng.uniform(-320.0, 308.25, rest))
    return np.concatenate([np.array(special), *parts])


def probability_inputs(n: int, seed: int = 20240602) -> np.ndarray:
    """About ``n`` probabilities in [0, 1]: uniform, near 1/2, near 0 and near 1."""
    rng = np.random.default_rng(seed)
    q = n // 4
    return np.concatenate(
        [
            [0.0, 0.25, 0.3, 0.5, 0.65, 1.0, 5e-324, 1.0 - 2.0**-53],
            rng.uniform(0.0, 1.0, q),
            rng.uniform(0.25, 0.75, q),
            10.0 ** rng.uniform(-320.0, 0.0, q),
            1.0 - 10.0 ** rng.uniform(-16.0, 0.0, n - 3 * q),
        ]
    )


def logit_rows(rows_per_case: int, seed: int = 20240603, ks=(2, 3, 10, 100, 1000)):
    """Batches of logits for the softmax family, as a list of ``(label, Z)``.

    Every number of classes ``k`` in ``ks`` meets every scale from 1e-3 to
    1e5 (``N(0, scale)`` logits; scale 1e3 is the issue's "large-scale
    logits") and three offsets (all logits near 0, near +1e4, near -1e4).
    Rows with 1000 classes are fewer, to keep mpmath's time in check.
    """
    rng = np.random.default_rng(seed)
    cases = []
    for k in ks:
        rows = max(1, rows_per_case // max(1, k // 10))
        for scale in (1e-3, 1.0, 30.0, 1e3, 1e5):
            for offset in (0.0, 1e4, -1e4):
                Z = offset + scale * rng.standard_normal((rows, k))
                cases.append((f"k={k} scale={scale:g} offset={offset:g}", Z))
    return cases


def lse_scale(Z):
    """Per row, ``LSE(z) - max z`` exactly: the larger term that ``LSE = max z + it`` may cancel.

    When ``max z < 0`` the two terms of :math:`\\max z + \\log\\sum e^{z - \\max z}`
    have opposite signs and the sum can be much smaller than either: its
    relative error is then set by the absolute error of the log term (itself
    limited by ``np.exp`` and ``np.log1p``, each good to about 0.5 ULP), so the
    logsumexp bound is stated in ULPs of ``max(|LSE|, LSE - max z)``.
    """
    Z = np.asarray(Z, dtype=np.float64)

    def f(row):
        m = max(row)
        return mpmath.log(mpmath.fsum(mpmath.exp(v - m) for v in row))

    return exact_rows(f, Z)
