"""Checks for lesson 03, The softmax Jacobian: J, batched J, the VJP, the fused gradient."""

from __future__ import annotations

import re

import numpy as np

from ..losses import softmax_cross_entropy_grad
from ..softmax import softmax, softmax_jacobian, softmax_vjp
from ._core import (
    Case,
    Kind,
    Mistake,
    Outcome,
    comparer,
    exception_hint,
    raised_problem,
    run_check,
)

__all__ = [
    "check_softmax_jacobian",
    "check_softmax_jacobian_batched",
    "check_softmax_vjp",
    "check_softmax_cross_entropy_grad",
]

# Hints, named so that the tests can look for them.


def _s(z):
    return softmax(z, axis=-1)


def _outer(z):
    s = _s(z)
    return s[..., :, None] * s[..., None, :]


def _diag(z):
    s = _s(z)
    return s[..., :, None] * np.eye(s.shape[-1], dtype=s.dtype)


HINT_DTYPE = (
    "keep the input's dtype (float32 in, float32 out): a float64 array or number in the "
    "formula upcasts the result, e.g. np.eye(k) or np.zeros(...) without dtype=, or a "
    "np.float64(...) constant such as / np.float64(n); write np.eye(k, dtype=s.dtype) and "
    "divide by the plain integer n"
)


def _compare(shape_hint=None, nonfinite_hints=None):
    """A ``compare`` for run_check: lesson-specific diagnoses, then :func:`compare_arrays`.

    ``shape_hint(got_shape, want_shape)`` names the mistake behind a wrong
    shape (or returns None); ``nonfinite_hints`` maps a case label to the hint
    for a nan/inf answer on that case. float32 answers get float32 tolerances.
    """

    def compare(got, want, *, rtol, atol, mistakes, case):
        want = np.asarray(want)
        if (
            isinstance(got, np.ndarray)
            and got.shape == want.shape
            and want.dtype == np.float32
            and got.dtype == np.float64
        ):
            return Outcome(
                False, f"returned dtype {got.dtype}, expected {want.dtype}", got, want, HINT_DTYPE
            )
        if isinstance(got, np.floating):  # a NumPy float scalar: shape (), as a 0-d array
            got = np.asarray(got)
        if isinstance(got, np.ndarray) and got.dtype.kind == "f":
            hint = None
            if got.shape != want.shape and shape_hint is not None:
                hint = shape_hint(got.shape, want.shape)
            elif got.shape == want.shape and nonfinite_hints and case.label in nonfinite_hints:
                if (~np.isfinite(got) & np.isfinite(want)).any():
                    hint = nonfinite_hints[case.label]
            if hint is not None:
                return Outcome(False, _problem(got, want), got, want, hint)
        return _compare_values(got, want, rtol=rtol, atol=atol, mistakes=mistakes, case=case)

    return compare


_compare_values = comparer(rtol32=1e-5, atol32=1e-6)


def _batched_raise_report(exc, case):
    """A broadcasting error in 3.2 names the array slip behind it (see :func:`_raised_hint`)."""
    if not isinstance(exc, Exception):  # SystemExit: the engine's own report
        return None
    want_shape = np.shape(softmax_jacobian(*case.args, **case.kwargs))
    hint = _raised_hint(exc, want_shape)
    return Outcome(False, raised_problem(exc), None, None, hint, kind=Kind.RAISED)


_SHAPES = re.compile(r"\(([\d,\s]*)\)")


HINT_NP_DIAG_2D = (
    "np.diag on a 2-D array extracts its diagonal (a 1-D vector) instead of building a "
    "diagonal matrix (section 5's trap 2): for a batch use np.einsum('ia,ab->iab', s, eye) "
    "or s[:, :, None] * eye"
)
HINT_NP_OUTER = (
    "np.outer flattens a 2-D input into one long vector: for a batch of outer products "
    "use np.einsum('ia,ib->iab', s, s)"
)


def _raised_hint(exc: Exception, want_shape: tuple) -> str:
    """Name the array slip behind a broadcasting error from the shapes it quotes."""
    text = str(exc)
    if "could not be broadcast" in text and len(want_shape) == 3:
        n, k = want_shape[0], want_shape[-1]
        shapes = {
            tuple(int(d) for d in group.replace(",", " ").split())
            for group in _SHAPES.findall(text)
        }
        if (n * k, n * k) in shapes:
            return HINT_NP_OUTER
        if (min(n, k),) in shapes:
            return HINT_NP_DIAG_2D
    return exception_hint(exc)


def _problem(got, want):
    if got.shape != want.shape:
        return f"returned shape {got.shape}, expected {want.shape}"
    return "returned nan or inf where the answer is finite"


HINT_SIGN = (
    "the sign is flipped: J = diag(s) - s s^T, so the diagonal entries s_i(1 - s_i) are >= 0"
)
HINT_NO_DIAG = "only the off-diagonal part -s_i s_j: add diag(s), the delta_ij term"
HINT_DIAG_ONLY = "only diag(s): subtract the outer product s s^T as well"
HINT_DIAG_SIGMOID = "only the i = j case s_i(1 - s_i): the off-diagonal entries are -s_i s_j, not 0"
HINT_OUTER_ONLY = "that is +s s^T alone: J = diag(s) - s s^T"
HINT_ELEMENTWISE = (
    "s * s is elementwise, shape (k,), and broadcasts across the rows; "
    "the outer product s s^T is np.outer(s, s) or s[:, None] * s[None, :]"
)
HINT_INNER = (
    "np.sum(s * s) (or s @ s) is the inner product, a single number; "
    "the outer product s s^T is np.outer(s, s), a (k, k) matrix"
)
HINT_LOGITS = "you used the logits z where the probabilities s = softmax(z) belong"
HINT_LOG_DERIVATIVE = (
    "eye - s[None, :] is delta_ij - s_j, the derivative of log s_i: multiply row i by s_i, "
    "s[:, None] * (np.eye(k) - s[None, :]), which is diag(s) - s s^T"
)
HINT_OUTER_ONE_MINUS = (
    "the off-diagonal entries are -s_i s_j: the outer product is s s^T, not s (1 - s)^T "
    "(1 - s belongs only to the diagonal, s_i(1 - s_i))"
)
HINT_EYE_NOT_DIAG = (
    "the diagonal term is diag(s), s_i delta_ij, not the identity delta_ij: "
    "J = diag(s) - s s^T, so the diagonal entries are s_i(1 - s_i)"
)
HINT_DIAG_TWICE = (
    "-s_i^2 is subtracted twice on the diagonal: diag(s * (1 - s)) already holds it, and "
    "s s^T subtracts it again. Use diag(s) - s s^T"
)
HINT_OFF_DIAGONAL_SIGN = (
    "the off-diagonal entries are -s_i s_j, negative: raising one logit lowers every other "
    "probability. J = diag(s) - s s^T"
)
HINT_ROW_INDEX = (
    "s_i (delta_ij - s_i) uses the row's probability twice: the subtracted term is s_j, "
    "the column's, J_ij = s_i (delta_ij - s_j) = s[:, None] * (np.eye(k) - s[None, :])"
)
HINT_S_NOT_NORMALISED = (
    "your s does not sum to 1: e = exp(z - max(z)) must be divided by its own sum, "
    "s = e / e.sum() (the same shift in the numerator and the denominator)"
)
HINT_SIGMOID_S = (
    "s is softmax(z), one distribution over the k classes, not sigmoid(z) of each logit"
)


def _jacobian_from(s):
    """diag(s) - s s^T for one probability vector ``s`` (a mistake's wrong ``s``)."""
    return np.diag(s) - np.outer(s, s)


def _jacobian_mistakes():
    return [
        Mistake(HINT_SIGN, lambda z: _outer(z) - _diag(z)),
        Mistake(HINT_NO_DIAG, lambda z: -_outer(z)),
        Mistake(HINT_DIAG_ONLY, lambda z: _diag(z)),
        Mistake(HINT_DIAG_SIGMOID, lambda z: _diag(z) * (1 - _s(z))[..., None]),
        Mistake(HINT_OUTER_ONLY, lambda z: _outer(z)),
        Mistake(HINT_ELEMENTWISE, lambda z: np.diag(_s(z)) - _s(z) * _s(z)),
        Mistake(HINT_INNER, lambda z: np.diag(_s(z)) - np.sum(_s(z) * _s(z))),
        Mistake(HINT_LOGITS, lambda z: np.diag(z) - np.outer(z, z)),
        Mistake(HINT_LOG_DERIVATIVE, lambda z: np.eye(_s(z).shape[-1]) - _s(z)[None, :]),
        Mistake(HINT_OUTER_ONE_MINUS, lambda z: np.diag(_s(z)) - np.outer(_s(z), 1 - _s(z))),
        Mistake(HINT_EYE_NOT_DIAG, lambda z: np.eye(_s(z).shape[-1]) - np.outer(_s(z), _s(z))),
        Mistake(HINT_DIAG_TWICE, lambda z: np.diag(_s(z) * (1 - _s(z))) - np.outer(_s(z), _s(z))),
        Mistake(
            HINT_OFF_DIAGONAL_SIGN,
            lambda z: np.diag(_s(z) - 2 * _s(z) ** 2) + np.outer(_s(z), _s(z)),
        ),
        Mistake(
            HINT_ROW_INDEX, lambda z: _s(z)[:, None] * (np.eye(_s(z).shape[-1]) - _s(z)[:, None])
        ),
        Mistake(HINT_SIGMOID_S, lambda z: _jacobian_from(1 / (1 + np.exp(-z)))),
        Mistake(HINT_S_NOT_NORMALISED, lambda z: _jacobian_from(np.exp(z - z.max()))),
        Mistake(
            HINT_S_NOT_NORMALISED,
            lambda z: _jacobian_from(np.exp(z - z.max()) / np.exp(z).sum()),
        ),
    ]


HINT_ONE_PER_LOGIT = (
    "one value per logit is the diagonal at most: the Jacobian has an entry for every "
    "pair (output i, input j), shape (k, k)"
)


def _jacobian_shape_hint(got, want):
    if got == want[:1]:
        return HINT_ONE_PER_LOGIT
    return None


def check_softmax_jacobian(softmax_jacobian_fn, quiet=False) -> bool:
    """Check Exercise 3.1: ``softmax_jacobian(z)``, shape (k,) -> (k, k)."""
    f32 = np.float32
    cases = [
        Case("ordinary logits [1, 2, 3]", (np.array([1.0, 2.0, 3.0]),)),
        Case("two equal logits", (np.array([0.0, 0.0]),)),
        Case("six random logits", (np.random.default_rng(3).normal(0.0, 2.0, size=6),)),
        Case("a single logit (softmax is constant 1, so J = [[0]])", (np.array([5.0]),)),
        Case("large logits: subtract the max before exp", (np.array([1000.0, 1000.0, 999.0]),)),
        Case(
            "large negative logits: subtract the max before exp",
            (np.array([-1000.0, -1001.0, -1002.5]),),
        ),
        Case("1e3-scale logits", (np.array([1000.0, 999.0, 998.5, -1000.0]),)),
        Case("a -inf logit (probability exactly 0)", (np.array([0.0, -np.inf, 1.0]),)),
        Case("a non-contiguous view", (np.arange(12.0)[::4] / 3,)),
        Case("float32 logits give a float32 Jacobian", (np.array([1.0, 2.0, 3.0], dtype=f32),)),
    ]
    return run_check(
        "Exercise 3.1 softmax_jacobian",
        softmax_jacobian_fn,
        softmax_jacobian,
        cases,
        arg_names=["z"],
        mistakes=_jacobian_mistakes(),
        compare=_compare(_jacobian_shape_hint),
        quiet=quiet,
    )


# ---------------------------------------------------------------- Exercise 3.2


HINT_BATCH_FIRST = (
    "the batch index must come first: J[i] is example i's (k, k) Jacobian, "
    "einsum output 'iab' (i the example), shape (n, k, k)"
)
HINT_SUMMED_BATCH = (
    "einsum summed over the batch index i because 'i' is missing from the output: "
    "keep it, 'ia,ib->iab' (any letters: 'ij,ik->ijk' is the same)"
)


def _batched_shape_hint(got, want):
    n, k = want[0], want[-1]
    if got == (k, k):
        return HINT_SUMMED_BATCH
    if got == (n * k, n * k):
        return HINT_NP_OUTER
    if sorted(got) == sorted(want):
        return HINT_BATCH_FIRST
    return None


def _diag_summed(Z):
    s = _s(Z)
    return np.einsum("ij,jk->jk", s, np.eye(s.shape[-1], dtype=s.dtype))


def _loose_s(z, keep_max=False, keep_sum=False):
    """softmax along the last axis with keepdims dropped from the max and/or the sum."""
    e = np.exp(z - np.max(z, axis=-1, keepdims=keep_max))
    return e / np.sum(e, axis=-1, keepdims=keep_sum)


_LOOSE = [dict(keep_sum=True), dict(keep_max=True), dict()]  # max, sum or both lost keepdims


def _global_max_s(z):
    e = np.exp(z - np.max(z))
    return e / np.sum(e, axis=-1, keepdims=True)


def _from_s(s):
    return s[..., :, None] * np.eye(s.shape[-1], dtype=s.dtype) - s[..., :, None] * s[..., None, :]


def _column_softmax_jacobian(Z):
    s = softmax(Z, axis=0)
    return s[:, :, None] * np.eye(s.shape[-1]) - s[:, :, None] * s[:, None, :]


def _eye_times_s(Z):
    s = _s(Z)
    return np.eye(s.shape[-1]) * s - s[:, :, None] * s[:, None, :]


HINT_GLOBAL_MAX = (
    "you subtracted the maximum of the whole batch: in a row whose logits lie far below it "
    "every exp underflows to 0 and 0/0 gives nan; subtract each row's own max, "
    "np.max(z, axis=-1, keepdims=True)"
)
HINT_SOFTMAX_KEEPDIMS = (
    "the softmax inside lost keepdims: np.max(z, axis=-1) and np.sum(e, axis=-1) have shape "
    "(n,), which on a square batch broadcasts along the wrong axis without any error; "
    "keep the axis with keepdims=True (shape (n, 1))"
)
HINT_COLUMN_SOFTMAX = (
    "softmax ran down the columns (axis=0): each row is one example, "
    "so normalise along axis=-1 with keepdims=True"
)
HINT_EYE_TIMES_S = (
    "np.eye(k) * s multiplies entry (a, b) by s[a, b], which is not a diagonal tensor: "
    "build it as s[:, :, None] * np.eye(k), shape (n, k, k)"
)


def check_softmax_jacobian_batched(softmax_jacobian_batched_fn, quiet=False) -> bool:
    """Check Exercise 3.2: ``softmax_jacobian_batched(Z)``, shape (n, k) -> (n, k, k)."""
    rng = np.random.default_rng(32)
    f32 = np.float32
    mistakes = _jacobian_mistakes()[:6] + [
        Mistake(HINT_COLUMN_SOFTMAX, _column_softmax_jacobian),
        Mistake(HINT_EYE_TIMES_S, _eye_times_s),
        # J[i] is symmetric, so 'jik' and 'jki' cover every order with the batch not first
        Mistake(HINT_BATCH_FIRST, lambda Z: np.einsum("ijk->jik", softmax_jacobian(Z))),
        Mistake(HINT_BATCH_FIRST, lambda Z: np.einsum("ijk->jki", softmax_jacobian(Z))),
        Mistake(
            HINT_LOGITS,
            lambda Z: Z[:, :, None] * np.eye(Z.shape[-1]) - np.einsum("ij,ik->ijk", Z, Z),
        ),
        Mistake(HINT_SUMMED_BATCH, lambda Z: _diag(Z) - np.einsum("ij,ik->jk", _s(Z), _s(Z))),
        Mistake(HINT_SUMMED_BATCH, lambda Z: _diag_summed(Z) - _outer(Z)),
        Mistake(HINT_NP_DIAG_2D, lambda Z: np.diag(_s(Z)) - _outer(Z)),
        Mistake(HINT_GLOBAL_MAX, lambda Z: _from_s(_global_max_s(Z))),
        *[
            Mistake(HINT_SOFTMAX_KEEPDIMS, lambda Z, kw=kw: _from_s(_loose_s(Z, **kw)))
            for kw in _LOOSE
        ],
    ]
    cases = [
        Case("three examples, three classes", (rng.normal(0.0, 1.5, size=(3, 3)),)),
        Case("two examples, three classes", (np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]),)),
        Case("four examples, five classes", (rng.normal(0.0, 2.0, size=(4, 5)),)),
        Case("one example (n = 1)", (np.array([[0.5, -1.0, 2.0, 0.0]]),)),
        Case("one class (k = 1): every J is [[0]]", (np.array([[3.0], [-2.0]]),)),
        Case(
            "large logits: subtract each row's own max before exp (keepdims=True)",
            (np.array([[1000.0, 1000.0, 999.0], [-1000.0, -1001.0, -999.5]]),),
        ),
        Case(
            "rows on very different scales: subtract each row's own max (keepdims=True), "
            "not the max of the whole batch",
            (np.array([[0.0, 1.0, 2.0], [900.0, 901.0, 899.0]]),),
        ),
        Case("a -inf logit", (np.array([[0.0, -np.inf, 1.0], [2.0, 1.0, 0.0]]),)),
        Case(
            "a non-contiguous view (every other column)",
            (np.arange(12.0).reshape(2, 6)[:, ::2] / 4,),
        ),
        Case(
            "float32 logits stay float32 (np.eye(k, dtype=s.dtype) if you use an identity)",
            (np.array([[1.0, 2.0, 3.0], [0.5, 0.0, -0.5]], dtype=f32),),
        ),
    ]
    return run_check(
        "Exercise 3.2 softmax_jacobian_batched",
        softmax_jacobian_batched_fn,
        softmax_jacobian,
        cases,
        arg_names=["Z"],
        mistakes=mistakes,
        compare=_compare(_batched_shape_hint),
        earlier={"softmax_jacobian": ("Exercise 3.1", check_softmax_jacobian)},
        on_raise=_batched_raise_report,
        quiet=quiet,
    )


# ---------------------------------------------------------------- Exercise 3.3


HINT_NO_SUM_TERM = "you dropped the term sum(g * s): the VJP is s * (g - sum(g * s))"
HINT_VJP_SIGN = "the sign is flipped: the VJP is s * (g - sum(g * s))"
HINT_VJP_DIAGONAL = (
    "g * s * (1 - s) uses only the diagonal of J; the off-diagonal entries "
    "-s_i s_j give the term -s * sum(g * s)"
)
HINT_VJP_SUM_G = "the sum inside is weighted by s: sum(g * s), not sum(g)"
HINT_VJP_AXIS0 = (
    "you summed over the batch (axis=0): sum over each example's k classes, "
    "axis=-1 with keepdims=True"
)
HINT_VJP_ALL = "you summed over the whole batch: sum each row separately, axis=-1, keepdims=True"
HINT_VJP_KEEPDIMS = (
    "the row sums lost their axis, so they broadcast along the wrong axis: "
    "use keepdims=True (shape (n, 1))"
)
HINT_VJP_SWAPPED = (
    "g and s are swapped: the VJP is s * (g - sum(g * s)), the probabilities outside and the "
    "upstream gradient inside"
)
HINT_VJP_NO_OUTER_S = "the factor s outside is missing: the VJP is s * (g - sum(g * s))"
HINT_VJP_MEAN_G = (
    "the plain mean of g is not the weighted sum: the VJP subtracts sum(g * s), the average "
    "of g under the probabilities s"
)
HINT_VJP_EXTRA_S = (
    "sum(g * s) is one number per row and is subtracted as it is: s * (g - sum(g * s)), "
    "without a second factor s"
)
HINT_VJP_DOT = (
    "for 2-D arrays np.dot(g, s) (or g @ s) is a matrix product: take the sum per row, "
    "np.sum(g * s, axis=-1, keepdims=True)"
)


def _vjp_mistakes():
    def gs(z, g, **kw):
        return np.sum(g * _s(z), **kw)

    return [
        Mistake(HINT_NO_SUM_TERM, lambda z, g: _s(z) * g),
        Mistake(HINT_VJP_SIGN, lambda z, g: -softmax_vjp(z, g)),
        Mistake(HINT_VJP_DIAGONAL, lambda z, g: g * _s(z) * (1 - _s(z))),
        Mistake(HINT_VJP_SUM_G, lambda z, g: _s(z) * (g - np.sum(g, axis=-1, keepdims=True))),
        Mistake(HINT_VJP_AXIS0, lambda z, g: _s(z) * (g - gs(z, g, axis=0, keepdims=True))),
        Mistake(HINT_VJP_AXIS0, lambda z, g: _s(z) * (g - gs(z, g, axis=0))),
        Mistake(HINT_VJP_ALL, lambda z, g: _s(z) * (g - gs(z, g))),
        Mistake(HINT_VJP_KEEPDIMS, lambda z, g: _s(z) * (g - gs(z, g, axis=-1))),
        Mistake(HINT_VJP_DOT, lambda z, g: _s(z) * (g - np.dot(g, _s(z)))),
        Mistake(HINT_VJP_DOT, lambda z, g: _s(z) * (g - np.dot(g, _s(z).T))),
        Mistake(HINT_LOGITS, lambda z, g: z * (g - np.sum(g * z, axis=-1, keepdims=True))),
        Mistake(HINT_VJP_SWAPPED, lambda z, g: g * (_s(z) - gs(z, g, axis=-1, keepdims=True))),
        Mistake(HINT_VJP_NO_OUTER_S, lambda z, g: g - gs(z, g, axis=-1, keepdims=True)),
        Mistake(HINT_VJP_MEAN_G, lambda z, g: _s(z) * (g - np.mean(g, axis=-1, keepdims=True))),
        Mistake(
            HINT_VJP_EXTRA_S, lambda z, g: _s(z) * (g - gs(z, g, axis=-1, keepdims=True) * _s(z))
        ),
        Mistake(
            HINT_COLUMN_SOFTMAX,
            lambda z, g: (
                softmax(z, axis=0) * (g - np.sum(g * softmax(z, axis=0), axis=-1, keepdims=True))
            ),
        ),
        Mistake(
            HINT_GLOBAL_MAX,
            lambda z, g: _global_max_s(z) * (g - np.sum(g * _global_max_s(z), -1, keepdims=True)),
        ),
        *[
            Mistake(
                HINT_SOFTMAX_KEEPDIMS,
                lambda z, g, kw=kw: (
                    _loose_s(z, **kw) * (g - np.sum(g * _loose_s(z, **kw), axis=-1, keepdims=True))
                ),
            )
            for kw in _LOOSE
        ],
    ]


def _vjp_shape_hint(got, want):
    if len(want) == 2 and got == want[:1]:
        return "you returned one number per example: return s * (...), one value per class"
    return None


#: Classes in 3.3's memory case: k^2 float64 numbers are 2.9e14 bytes, more than a 64-bit
#: process can address (128 TiB on x86-64, 256 TiB with 48-bit ARM), so a dense route fails
#: at once with MemoryError on every machine, even one that overcommits memory. The O(k)
#: inputs are 48 MB each.
_BIG_K = 6_000_000


def check_softmax_vjp(softmax_vjp_fn, quiet=False) -> bool:
    """Check Exercise 3.3: ``softmax_vjp(z, g)``, z and g of shape (k,) or (n, k)."""
    rng = np.random.default_rng(33)
    f32 = np.float32
    cases = [
        Case("one vector", (np.array([1.0, 2.0, 3.0]), np.array([0.5, -1.0, 2.0]))),
        Case(
            "a constant upstream gradient (the VJP is 0)",
            (np.array([0.3, -1.2, 2.0, 0.0]), np.full(4, 2.5)),
        ),
        Case(
            "a square batch (n = k = 3)",
            (rng.normal(0.0, 1.5, size=(3, 3)), rng.normal(size=(3, 3))),
        ),
        Case(
            "a batch of four examples, five classes",
            (rng.normal(0.0, 2.0, size=(4, 5)), rng.normal(size=(4, 5))),
        ),
        Case("one class (k = 1)", (np.array([[3.0], [-2.0]]), np.array([[1.0], [4.0]]))),
        Case(
            "large logits: subtract each row's own max before exp (keepdims=True)",
            (np.array([[1000.0, 1000.0, 999.0], [-1000.0, -1001.0, -999.5]]), np.eye(2, 3)),
        ),
        Case(
            "rows on very different scales: subtract each row's own max (keepdims=True)",
            (np.array([[0.0, 1.0, 2.0], [900.0, 901.0, 899.0]]), np.ones((2, 3)) - np.eye(2, 3)),
        ),
        Case(
            "a -inf logit",
            (np.array([0.0, -np.inf, 1.0]), np.array([1.0, 2.0, 3.0])),
        ),
        Case(
            "1e3-scale upstream gradient",
            (np.array([0.5, 0.0, -0.5]), np.array([1000.0, -2000.0, 500.0])),
        ),
        Case(
            "float32 inputs give a float32 result",
            (
                np.array([[1.0, 2.0, 3.0], [0.0, 0.5, 0.0]], dtype=f32),
                np.array([[1.0, 0.0, -1.0], [2.0, 0.0, 1.0]], dtype=f32),
            ),
        ),
        Case(
            f"k = {_BIG_K:,} classes: O(k) memory (a k x k Jacobian would need 288 TB)",
            (np.linspace(-3.0, 3.0, _BIG_K), np.cos(np.arange(_BIG_K) / 7.0)),
        ),
    ]
    return run_check(
        "Exercise 3.3 softmax_vjp",
        softmax_vjp_fn,
        softmax_vjp,
        cases,
        arg_names=["z", "g"],
        mistakes=_vjp_mistakes(),
        compare=_compare(_vjp_shape_hint),
        quiet=quiet,
    )


# ---------------------------------------------------------------- Exercise 3.4


def _onehot(y, z):
    return np.eye(z.shape[-1], dtype=z.dtype)[y]


def _ce_columns(z, y):
    onehot = np.zeros_like(z)
    onehot[:, y] = 1
    return (_s(z) - onehot) / len(z)


def _ce_rows(z, y):
    onehot = np.zeros_like(z)
    onehot[y] = 1
    return (_s(z) - onehot) / len(z)


def _ce_dlds(z, y):
    with np.errstate(divide="ignore"):
        return -_onehot(y, z) / _s(z) / len(z)


HINT_CE_SUMMED = (
    "you summed (or averaged) over the batch: return one gradient row per example, "
    "shape (n, k); the 1/n of the mean goes into every row"
)
HINT_CE_LOSS = (
    "one number: the loss, or the gradient reduced over every entry (its mean is 0, since "
    "each row of s - y sums to 0). Return the gradient with respect to every logit, "
    "shape (n, k)"
)

HINT_CE_PER_EXAMPLE = (
    "one number per example, shape (n,): the loss of each example, or the gradient summed "
    "over the classes (each row of s - y sums to 0). Return the gradient with respect to "
    "every logit, shape (n, k)"
)


def _ce_shape_hint(got, want):
    if got == want[1:]:
        return HINT_CE_SUMMED
    if got == want[:1]:
        return HINT_CE_PER_EXAMPLE
    if got == ():
        return HINT_CE_LOSS
    return None


CASE_UNDERFLOW = (
    "confidently wrong: the true class's probability underflows to 0, "
    "so never divide by s (the fused gradient is s - y)"
)


HINT_CE_SIGN = "the sign is flipped: the gradient is (s - y) / n; it points away from the target"
HINT_CE_NO_MEAN = "that is the gradient of the summed loss: the mean over n examples divides by n"
HINT_CE_DIV_K = "divide by n, the number of examples (rows), not by k, the number of classes"
HINT_CE_DIV_NK = "divide by n, the number of examples, not by n * k, the number of entries"
HINT_CE_COLUMNS = (
    "onehot[:, y] = 1 sets the columns y in every row: set one entry per row, "
    "onehot[np.arange(n), y] = 1 (or np.eye(k)[y])"
)
HINT_CE_ROWS = "onehot[y] = 1 sets whole rows: set one entry per row, onehot[np.arange(n), y] = 1"
HINT_CE_LABEL_VALUE = (
    "s - y[:, None] subtracts the label number from every class: y holds class indices; "
    "turn them into one-hot rows first"
)
HINT_CE_DLDS = (
    "that is dL/ds = -y / s, the gradient with respect to the probabilities: "
    "chain it through the Jacobian, and it collapses to (s - y) / n"
)
HINT_CE_UNDERFLOW = (
    "the probability of the true class underflowed to 0 and -y / s divided by it: "
    "use the fused form (s - y) / n, which never divides by s"
)
HINT_CE_ONE_BASED = (
    "the labels are 0-based (class 0 is the first column): onehot[np.arange(n), y] = 1, not y - 1"
)
HINT_CE_LOG_S = "use the probabilities s = softmax(z), not log s: the gradient is (s - y) / n"
HINT_CE_PREDICTED = (
    "the 1 goes at the true label y, not at the predicted class argmax(z): "
    "onehot[np.arange(n), y] = 1"
)
HINT_CE_LOGITS = "use the probabilities s = softmax(z), not the logits z"


def check_softmax_cross_entropy_grad(softmax_cross_entropy_grad_fn, quiet=False) -> bool:
    """Check Exercise 3.4: ``softmax_cross_entropy_grad(z, y)``, the mean over n examples."""
    rng = np.random.default_rng(34)
    f32 = np.float32

    def fused(z, y):
        return (_s(z) - _onehot(y, z)) / len(z)

    mistakes = [
        Mistake(HINT_CE_SIGN, lambda z, y: -fused(z, y)),
        Mistake(HINT_CE_NO_MEAN, lambda z, y: fused(z, y) * len(z)),
        Mistake(HINT_CE_SIGN, lambda z, y: -fused(z, y) * len(z)),
        Mistake(HINT_CE_DIV_K, lambda z, y: fused(z, y) * len(z) / z.shape[-1]),
        Mistake(HINT_CE_DIV_NK, lambda z, y: fused(z, y) / z.shape[-1]),
        Mistake(HINT_CE_COLUMNS, _ce_columns),
        Mistake(HINT_CE_COLUMNS, lambda z, y: _ce_columns(z, y) * len(z)),
        Mistake(HINT_CE_ROWS, _ce_rows),
        Mistake(HINT_CE_LABEL_VALUE, lambda z, y: (_s(z) - y[:, None]) / len(z)),
        Mistake(HINT_CE_LABEL_VALUE, lambda z, y: _s(z) - y[:, None]),
        Mistake(HINT_CE_DLDS, _ce_dlds),
        Mistake(HINT_CE_DLDS, lambda z, y: _ce_dlds(z, y) * len(z)),
        Mistake(HINT_CE_LOGITS, lambda z, y: (z - _onehot(y, z)) / len(z)),
        Mistake(
            HINT_CE_ONE_BASED,
            lambda z, y: (_s(z) - np.eye(z.shape[-1], dtype=z.dtype)[y - 1]) / len(z),
        ),
        Mistake(HINT_CE_LOG_S, lambda z, y: (np.log(_s(z)) - _onehot(y, z)) / len(z)),
        Mistake(
            HINT_CE_PREDICTED,
            lambda z, y: (_s(z) - _onehot(np.argmax(z, axis=-1), z)) / len(z),
        ),
        Mistake(HINT_COLUMN_SOFTMAX, lambda z, y: (softmax(z, axis=0) - _onehot(y, z)) / len(z)),
        Mistake(HINT_GLOBAL_MAX, lambda z, y: (_global_max_s(z) - _onehot(y, z)) / len(z)),
        *[
            Mistake(
                HINT_SOFTMAX_KEEPDIMS,
                lambda z, y, kw=kw: (_loose_s(z, **kw) - _onehot(y, z)) / len(z),
            )
            for kw in _LOOSE
        ],
    ]
    cases = [
        Case(
            "four examples, three classes",
            (rng.normal(0.0, 1.5, size=(4, 3)), np.array([0, 2, 1, 2])),
        ),
        Case("one example", (np.array([[1.0, 2.0, 3.0]]), np.array([2]))),
        Case("a square batch (n = k = 3)", (rng.normal(size=(3, 3)), np.array([2, 0, 1]))),
        Case(
            "five examples, four classes, repeated labels",
            (rng.normal(0.0, 2.0, size=(5, 4)), np.array([1, 1, 3, 0, 1])),
        ),
        Case("one class (k = 1): the gradient is 0", (np.array([[3.0], [-2.0]]), np.array([0, 0]))),
        Case(
            "large logits: subtract each row's own max before exp (keepdims=True)",
            (np.array([[1000.0, 1000.0, 999.0], [-1000.0, -1001.0, -999.5]]), np.array([2, 0])),
        ),
        Case(
            "rows on very different scales: subtract each row's own max (keepdims=True)",
            (np.array([[0.0, 1.0, 2.0], [900.0, 901.0, 899.0]]), np.array([0, 1])),
        ),
        Case(
            CASE_UNDERFLOW,
            (np.array([[0.0, 800.0, -5.0], [1.0, 2.0, 3.0]]), np.array([0, 2])),
        ),
        Case(
            "a -inf logit on a wrong class",
            (np.array([[0.0, -np.inf, 1.0], [2.0, 1.0, 0.0]]), np.array([2, 0])),
        ),
        Case(
            "float32 logits give a float32 gradient (np.eye(k, dtype=z.dtype)[y])",
            (np.array([[1.0, 2.0, 3.0], [0.5, 0.0, -0.5]], dtype=f32), np.array([0, 1])),
        ),
    ]
    return run_check(
        "Exercise 3.4 softmax_cross_entropy_grad",
        softmax_cross_entropy_grad_fn,
        softmax_cross_entropy_grad,
        cases,
        arg_names=["z", "y"],
        mistakes=mistakes,
        compare=_compare(_ce_shape_hint, {CASE_UNDERFLOW: HINT_CE_UNDERFLOW}),
        quiet=quiet,
    )
