"""helpers.softmax against gold: mpmath (ULP), scipy.special, finite differences.

Bounds from the issue: log_softmax within 8 ULP wherever |output| >= 1e-3,
logsumexp within 2 ULP (of the larger of its two terms, see
``tests/ulp.py:lse_scale``), softmax rows summing to 1 within 1e-15, no NaN
for large logits, and probability exactly 0 for a ``-inf`` logit.
"""

import functools
import sys
from decimal import Decimal
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import scipy.special as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose, assert_array_equal

from helpers import (
    gradient_check,
    log_softmax,
    logsumexp,
    numerical_gradient,
    sigmoid,
    softmax,
    softmax_jacobian,
    softmax_jvp,
    softmax_vjp,
)
from tests import ulp as U

EPS = np.finfo(np.float64).eps
PROPERTY = settings(derandomize=True, database=None, max_examples=50, deadline=None)

CASES = U.logit_rows(2)  # k in 2..1000, scales 1e-3..1e5, offsets 0 and +-1e4
CASE_IDS = [label for label, _ in CASES]


def logits(max_k=12, lo=-1e3, hi=1e3):
    """Hypothesis strategy: one row or a small batch of finite logits."""
    shape = st.one_of(
        st.tuples(st.integers(1, max_k)), st.tuples(st.integers(1, 4), st.integers(1, max_k))
    )
    return hnp.arrays(np.float64, shape, elements=st.floats(lo, hi))


# --- accuracy against mpmath -----------------------------------------------------------


@functools.cache
def exact(case):
    """Exact log-sum-exp, its log term, log-softmax and softmax of ``CASES[case]``."""
    Z = CASES[case][1]
    lse = U.exact_rows(U.mp_logsumexp, Z)
    with mpmath.workprec(U.PREC):
        log_term = [m - max(row) for row, m in zip(Z.tolist(), lse, strict=True)]  # lse_scale
        log_s = [mpmath.mpf(v) - m for row, m in zip(Z.tolist(), lse, strict=True) for v in row]
        s = [float(mpmath.exp(v)) for v in log_s]
    return lse, log_term, log_s, np.array(s)


@pytest.mark.parametrize("case", range(len(CASES)), ids=CASE_IDS)
def test_log_softmax_within_8_ulp_where_output_is_not_tiny(case):
    out = log_softmax(CASES[case][1])
    errors = U.ulp_errors(out, exact(case)[2])
    counted = np.abs(out.ravel()) >= 1e-3
    assert errors[counted].max(initial=0.0) <= 8.0


@pytest.mark.parametrize("case", range(len(CASES)), ids=CASE_IDS)
def test_logsumexp_within_2_ulp(case):
    lse, log_term, _, _ = exact(case)
    errors = U.ulp_errors(logsumexp(CASES[case][1]), lse, scale=log_term)
    assert errors.max() <= 2.0


@pytest.mark.parametrize("case", range(len(CASES)), ids=CASE_IDS)
def test_softmax_close_to_exact_and_sums_to_one(case):
    s = softmax(CASES[case][1])
    # absolute error: a few ULP of 1 (a tiny probability is not relatively accurate,
    # because z - max z is rounded before exp)
    assert_allclose(s.ravel(), exact(case)[3], rtol=0, atol=4 * EPS)
    assert np.abs(s.sum(axis=-1) - 1).max() <= 1e-15


def test_logsumexp_relative_ulp_when_max_is_not_negative():
    # no cancellation between max z and the log term: plain relative ULP
    Z = np.abs(np.random.default_rng(7).standard_normal((300, 3)))
    errors = U.ulp_errors(logsumexp(Z), U.exact_rows(U.mp_logsumexp, Z))
    assert errors.max() <= 2.0


def test_textbook_log_softmax_is_worse_on_large_logits():
    # the reason for the log1p form: t - log(sum(exp(t))) loses many ULP at scale 1e3
    Z = 1e3 * np.random.default_rng(8).standard_normal((20, 10))
    t = Z - Z.max(axis=-1, keepdims=True)
    textbook = t - np.log(np.exp(t).sum(axis=-1, keepdims=True))
    exact = [v for row in U.exact_rows(U.mp_log_softmax, Z) for v in row]
    counted = np.abs(textbook.ravel()) >= 1e-3
    ours = U.ulp_errors(log_softmax(Z), exact)[counted].max()
    theirs = U.ulp_errors(textbook, exact)[counted].max()
    assert ours <= 8.0 < theirs


# --- course facts, against scipy and mpmath --------------------------------------------


def test_course_known_values():
    s = softmax([1, 2, 3])
    assert_allclose(s, [0.09003057, 0.24472847, 0.66524096], atol=5e-9)  # lesson 02's numbers
    assert_allclose(s, sp.softmax([1.0, 2.0, 3.0]), rtol=2 * EPS)
    exact = [float(v) for v in U.exact_rows(U.mp_softmax, [[1.0, 2.0, 3.0]])[0]]
    assert_allclose(s, exact, rtol=2 * EPS)
    s = softmax([2.0, 1.0, 0.1])  # often quoted as [0.7, 0.2, 0.1]
    assert_allclose(s, [0.659, 0.242, 0.099], atol=5e-4)
    assert_allclose(s, sp.softmax([2.0, 1.0, 0.1]), rtol=2 * EPS)


def test_large_and_very_negative_logits():
    assert_array_equal(softmax([1000.0, 1000.0]), [0.5, 0.5])
    assert_array_equal(softmax([1.0, 2.0, -10000.0])[-1], 0.0)
    assert_allclose(softmax([1.0, 2.0, -10000.0])[:2], sp.softmax([1.0, 2.0]), rtol=2 * EPS)
    assert_array_equal(log_softmax([0.0, -10000.0]), [0.0, -10000.0])
    with mpmath.workprec(U.PREC):  # LSE([1000, 1000]) = 1000 + log 2
        assert float(logsumexp([1000.0, 1000.0])) == float(1000 + mpmath.log(2))
    Z = 1e3 * np.random.default_rng(9).standard_normal((50, 20))  # scale 1e3: no NaN
    for f in (softmax, log_softmax, logsumexp):
        assert not np.isnan(f(Z)).any()


def test_minus_inf_logit_gets_probability_exactly_zero():
    z = np.array([[-np.inf, 0.0, 1.0], [2.0, -np.inf, -np.inf]])
    s = softmax(z)
    assert s[0, 0] == 0.0 and (s[1, 1:] == 0.0).all() and s[1, 0] == 1.0
    assert_allclose(s[0, 1:], sp.softmax([0.0, 1.0]), rtol=2 * EPS)
    assert_array_equal(log_softmax(z)[z == -np.inf], -np.inf)
    assert_array_equal(logsumexp([-np.inf, 0.0]), 0.0)
    g = np.ones_like(z)
    assert np.isfinite(softmax_vjp(z, g)).all()
    assert_array_equal(softmax_jacobian(z)[0, 0], 0.0)  # no flow through a dead logit


def test_gap_beyond_the_float_range_is_silent():
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        assert_array_equal(softmax([1e308, -1e308]), [1.0, 0.0])
        assert_array_equal(softmax([0.0, 1e300], temperature=1e-10), [0.0, 1.0])


# --- against scipy.special: values, axes, batches --------------------------------------

SHAPES_AXES = [((7,), 0), ((5, 6), 1), ((5, 6), 0), ((5, 6), -1), ((2, 3, 4), 1), ((2, 3, 4), -3)]


@pytest.mark.parametrize(("shape", "axis"), SHAPES_AXES)
def test_matches_scipy_along_any_axis(shape, axis):
    z = 3 * np.random.default_rng(10).standard_normal(shape)
    assert_allclose(softmax(z, axis=axis), sp.softmax(z, axis=axis), rtol=4 * EPS, atol=0)
    # scipy's log_softmax is the textbook form, a few ULP less accurate than ours
    assert_allclose(log_softmax(z, axis=axis), sp.log_softmax(z, axis=axis), rtol=1e-13, atol=1e-14)
    assert_allclose(logsumexp(z, axis=axis), sp.logsumexp(z, axis=axis), rtol=4 * EPS)
    kept = logsumexp(z, axis=axis, keepdims=True)
    assert_allclose(kept, sp.logsumexp(z, axis=axis, keepdims=True), rtol=4 * EPS)


@pytest.mark.parametrize("axis", [0, 1])
def test_batches_larger_than_a_cache_block(axis):
    # more elements than one block of helpers.softmax, cut along the other axis
    z = 5 * np.random.default_rng(11).standard_normal((300, 700))
    assert_allclose(softmax(z, axis=axis), sp.softmax(z, axis=axis), rtol=4 * EPS)
    assert_allclose(log_softmax(z, axis=axis), sp.log_softmax(z, axis=axis), rtol=1e-13, atol=1e-14)
    assert_allclose(softmax(z.T, axis=1 - axis), softmax(z, axis=axis).T, rtol=0)


def test_temperature():
    z = np.array([1.0, 2.0, 3.0, -1.0])
    assert_allclose(softmax(z, temperature=2.5), sp.softmax(z / 2.5), rtol=4 * EPS)
    assert_allclose(log_softmax(z, temperature=0.5), sp.log_softmax(z / 0.5), rtol=1e-14)
    assert_array_equal(softmax(z, temperature=1e-3), [0.0, 0.0, 1.0, 0.0])  # argmax
    assert_allclose(softmax(z, temperature=1e9), np.full(4, 0.25), rtol=1e-8)  # uniform


def test_softmax_of_a_single_number_is_one():
    assert_array_equal(softmax([42.0]), [1.0])
    assert_array_equal(softmax(np.arange(5.0)[:, None], axis=1), np.ones((5, 1)))


# --- properties ------------------------------------------------------------------------


@PROPERTY
@given(logits())
def test_rows_are_distributions(z):
    s = softmax(z)
    assert ((s >= 0) & (s <= 1)).all()
    assert np.abs(s.sum(axis=-1) - 1).max() <= 1e-15
    ls = log_softmax(z)
    assert (ls <= 0).all()
    assert_allclose(np.exp(ls), s, rtol=1e-13, atol=4 * EPS)


@PROPERTY
@given(logits(lo=-1e4, hi=1e4))
def test_logsumexp_is_a_smooth_maximum(z):
    m = z.max(axis=-1)
    lse = logsumexp(z)
    assert (lse >= m).all()
    assert (lse <= m + np.log(z.shape[-1]) + 4 * EPS * np.abs(m)).all()


@PROPERTY
@given(
    hnp.arrays(np.int64, st.integers(1, 10), elements=st.integers(-(2**20), 2**20)),
    st.integers(-(2**20), 2**20),
)
def test_shift_invariance_exact(k, c):
    # logits on a grid of 1/16: adding c is exact, and so is z - max z, so nothing changes
    z = k / 16.0
    assert_array_equal(softmax(z + c), softmax(z))
    assert_array_equal(log_softmax(z + c), log_softmax(z))


@PROPERTY
@given(logits(lo=-100.0, hi=100.0), st.floats(-1e3, 1e3))
def test_shift_invariance_general(z, c):
    # z + c rounds; the change in the logits is at most eps (|z| + |c|)
    slack = 4 * EPS * (np.abs(z).max() + abs(c))
    assert_allclose(softmax(z + c), softmax(z), rtol=2 * slack + 8 * EPS, atol=1e-300)


@PROPERTY
@given(st.floats(-1e3, 1e3), st.floats(-1e3, 1e3))
def test_two_class_softmax_is_sigmoid_of_the_difference(z0, z1):
    d = z1 - z0  # the rounded difference is what both sides see
    s = softmax([z0, z1])
    assert_allclose(s, [sigmoid(-d), sigmoid(d)], rtol=8 * EPS, atol=1e-300)
    # lesson 04's warning: it is not sigmoid(z1) of the raw logit (they differ by
    # about sigma' * z0, at least 6e-4 here)
    if abs(z0) >= 0.1 and max(abs(z1), abs(d)) <= 5:
        assert not np.isclose(s[1], sigmoid(z1), rtol=1e-6, atol=0)


@PROPERTY
@given(st.floats(-700.0, 700.0))
def test_softmax_of_z_and_zero_is_sigmoid_of_z(z):
    assert_allclose(softmax([z, 0.0])[0], sigmoid(z), rtol=4 * EPS, atol=1e-300)


# --- the Jacobian, VJP and JVP ---------------------------------------------------------

JAC_POINTS = [
    np.array([1.0, 2.0, 3.0]),
    np.array([0.0, 0.0]),
    np.array([-1.0, 0.5, 2.0, -3.0, 0.0]),
    np.array([10.0, -10.0, 0.0, 5.0]),
]


@pytest.mark.parametrize("z", JAC_POINTS, ids=lambda z: f"k={z.size}")
def test_jacobian_matches_finite_differences_and_formula(z):
    J = softmax_jacobian(z)
    check = gradient_check(softmax, z, J, tol=1e-8)
    assert check, str(check)
    s = sp.softmax(z)  # independent: diag(s) - s s^T from scipy's softmax
    assert_allclose(J, np.diag(s) - np.outer(s, s), rtol=1e-14, atol=1e-17)


@PROPERTY
@given(logits(max_k=8, lo=-50.0, hi=50.0))
def test_jacobian_symmetric_zero_row_sums_positive_semidefinite(z):
    J = softmax_jacobian(z)
    s = softmax(z)
    assert J.shape == z.shape + z.shape[-1:]
    assert_array_equal(J, np.swapaxes(J, -1, -2))
    # |sum_j J_ij| <= 2 s_i, so rounding the k terms and their sum costs about k eps s_i
    row_sums = J.sum(axis=-1)
    assert (np.abs(row_sums) <= 4 * EPS * s * (z.shape[-1] + 1)).all()
    assert (np.linalg.eigvalsh(J) >= -4 * EPS).all()
    first = z.reshape(-1, z.shape[-1])[0]  # and it is the derivative
    assert_allclose(numerical_gradient(softmax, first), softmax_jacobian(first), atol=1e-8)


def lesson_einsum_vjp(z, g):
    """Lesson 03's dense route: batched Jacobian with einsum, then contract."""
    s = sp.softmax(z, axis=-1)
    k = z.shape[-1]
    J = np.einsum("ij,jk->ijk", s, np.eye(k)) - np.einsum("ij,ik->ijk", s, s)
    return np.einsum("ijk,ik->ij", J, g)


def test_batched_jacobian_matches_the_einsum_construction():
    rng = np.random.default_rng(12)
    z, g = rng.standard_normal((6, 5)), rng.standard_normal((6, 5))
    J = softmax_jacobian(z)
    s = sp.softmax(z, axis=-1)
    assert_allclose(J, np.einsum("ij,jk->ijk", s, np.eye(5)) - np.einsum("ij,ik->ijk", s, s),
                    rtol=1e-14, atol=1e-17)  # fmt: skip
    assert softmax_jacobian(np.zeros((2, 3, 4))).shape == (2, 3, 4, 4)
    assert_allclose(softmax_vjp(z, g), lesson_einsum_vjp(z, g), rtol=1e-12, atol=1e-15)
    assert_allclose(softmax_jvp(z, g), np.einsum("ijk,ik->ij", J, g), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize(("shape", "axis"), SHAPES_AXES)
def test_vjp_along_any_axis_matches_finite_differences(shape, axis):
    rng = np.random.default_rng(13)
    z, g = rng.standard_normal(shape), rng.standard_normal(shape)
    dz = softmax_vjp(z, g, axis=axis)
    numeric = numerical_gradient(lambda z_: np.sum(g * softmax(z_, axis=axis)), z)
    assert_allclose(dz, numeric, rtol=1e-7, atol=1e-9)
    assert_array_equal(softmax_jvp(z, g, axis=axis), dz)  # J is symmetric
    h = 1e-6  # and J g is the derivative of softmax along the direction g
    along_g = (softmax(z + h * g, axis=axis) - softmax(z - h * g, axis=axis)) / (2 * h)
    assert_allclose(softmax_jvp(z, g, axis=axis), along_g, rtol=1e-7, atol=1e-9)
    assert_allclose(dz.sum(axis=axis), 0.0, atol=1e-15)  # shifting all logits: no change


def test_softmax_is_the_gradient_of_logsumexp():
    for z in JAC_POINTS:
        check = gradient_check(logsumexp, z, softmax(z), tol=1e-8)
        assert check, str(check)


# --- dtypes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "f",
    [
        softmax,
        log_softmax,
        logsumexp,
        softmax_jacobian,
        lambda z: softmax_vjp(z, np.ones_like(z)),
        lambda z: softmax_jvp(z, np.ones_like(z)),
    ],
    ids=["softmax", "log_softmax", "logsumexp", "jacobian", "vjp", "jvp"],
)
def test_float32_in_float32_out(f):
    z = np.random.default_rng(14).standard_normal((4, 6))
    out = f(z.astype(np.float32))
    assert out.dtype == np.float32
    exact64 = f(z.astype(np.float32).astype(np.float64))
    assert_allclose(out, exact64, rtol=2e-6, atol=2e-7)


def test_integers_become_float64():
    assert softmax([1, 2, 3]).dtype == np.float64
    assert logsumexp([[1, 2], [3, 4]]).shape == (2,)


# --- issue 11: infinities, temperatures and sizes at the edge ----------------------------


def test_logsumexp_of_slices_with_infinities_matches_scipy():
    Z = np.array([[1.0, np.inf], [-np.inf, -np.inf], [0.0, 0.0], [-np.inf, 3.0]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        out = logsumexp(Z, axis=-1)
        kept = logsumexp(Z, axis=-1, keepdims=True)
    assert_array_equal(out[:2], [np.inf, -np.inf])
    assert_allclose(out, sp.logsumexp(Z, axis=-1), rtol=2 * EPS)
    assert kept.shape == (4, 1)
    assert_array_equal(logsumexp(Z.T, axis=0), out)
    # softmax of such slices stays an error: it is 0/0 or inf/inf there
    for row in Z[:2]:
        with pytest.raises(ValueError, match=r"^z "):
            softmax(row)


@pytest.mark.parametrize("keepdims", [True, False, np.True_, np.False_])
def test_logsumexp_keepdims_takes_booleans(keepdims):
    assert logsumexp(np.zeros((2, 3)), keepdims=keepdims).ndim == (2 if keepdims else 1)


@pytest.mark.parametrize(
    "T",
    [
        Fraction(1, 2),
        Decimal("0.5"),
        np.float32(0.5),
        np.float16(0.5),
    ],
    ids=repr,
)
def test_temperature_accepts_exact_real_numbers(T):
    z = np.array([1.0, 2.0, 3.0])
    assert_array_equal(softmax(z, temperature=T), softmax(z, temperature=0.5))
    assert_array_equal(log_softmax(z, temperature=T), log_softmax(z, temperature=0.5))


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_smallest_usable_temperature_gives_the_one_hot_limit(dtype):
    T = float(np.finfo(dtype).smallest_normal)
    z = np.array([[1.0, 2.0, 0.0], [3.0, 3.0, -1.0]], dtype=dtype)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        s = softmax(z, temperature=T)
        ls = log_softmax(z, temperature=T)
    assert s.dtype == dtype
    assert_array_equal(s, [[0.0, 1.0, 0.0], [0.5, 0.5, 0.0]])  # ties share the mass
    assert_allclose(ls[0], np.array([-1.0, 0.0, -2.0]) / T, rtol=np.finfo(dtype).eps)  # (z - m) / T
    assert_allclose(ls[1, :2], np.log(0.5), rtol=np.finfo(dtype).eps)
    # the largest usable temperature gives the uniform limit
    assert_allclose(
        softmax(z, temperature=float(np.finfo(dtype).max)), 1 / 3, rtol=np.finfo(dtype).eps
    )


def test_softmax_jacobian_refuses_an_absurd_size_before_computing(monkeypatch):
    def no_softmax(*args, **kwargs):
        raise AssertionError("softmax was computed before the size was checked")

    monkeypatch.setattr(sys.modules["helpers.softmax"], "softmax", no_softmax)
    z = np.broadcast_to(0.0, (100000, 1000))  # no memory behind it
    with pytest.raises(ValueError, match=r"(?s)745 GiB.*softmax_vjp"):
        softmax_jacobian(z)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_gaps_that_overflow_after_dividing_by_a_small_temperature_give_probability_zero(dtype):
    big = float(np.finfo(dtype).max) / 2
    z = np.array([0.0, big, big], dtype=dtype)  # (z - m) / T overflows to -inf for the first
    with np.errstate(over="ignore"):
        T = 1e-3  # a usable temperature in every dtype
        assert np.isinf(np.array(-big, dtype) / np.array(T, dtype))
    with np.errstate(invalid="raise", divide="raise"):
        s = softmax(z, temperature=T)
        ls = log_softmax(z, temperature=T)
    assert_array_equal(s, [0.0, 0.5, 0.5])
    assert ls[0] == -np.inf
    assert_allclose(ls[1:], np.log(0.5), rtol=np.finfo(dtype).eps)


# -- float16: accumulated in float32, rounded once (issue 18.3) ------------------------------


def _float16_of(want64):
    """The float64 reference rounded to float16, and one float16 step there."""
    want = np.asarray(want64, dtype=np.float64).astype(np.float16)
    return want.astype(np.float64), np.spacing(np.abs(want)).astype(np.float64)


def _assert_float16_close(got, want64):
    want, step = _float16_of(want64)
    assert got.dtype == np.float16
    assert (np.abs(got.astype(np.float64) - want) <= step).all()


def test_float16_softmax_of_65520_zeros_sums_to_one():
    # the float16 sum of 65,520 ones is inf: every probability used to be 0
    z = np.zeros(65_520, dtype=np.float16)
    s = softmax(z)
    _assert_float16_close(s, softmax(z.astype(np.float64)))
    assert abs(s.sum(dtype=np.float64) - 1) < 1e-3  # 1/65520 is subnormal in float16


@pytest.mark.parametrize("k", [70_000, 100_003])
def test_float16_log_softmax_and_logsumexp_over_more_classes_than_float16_counts(k):
    # used to give -inf and inf
    z = np.linspace(-0.01, 0.0, k).astype(np.float16)  # the sum of exp is about k > 65504
    z64 = z.astype(np.float64)
    _assert_float16_close(log_softmax(z), log_softmax(z64))
    _assert_float16_close(logsumexp(z), logsumexp(z64))
    _assert_float16_close(softmax(z), softmax(z64))


def test_float16_vjp_over_more_classes_than_float16_counts():
    z = np.zeros(70_000, dtype=np.float16)
    g = np.ones(70_000, dtype=np.float16)
    g[0] = 2
    _assert_float16_close(softmax_vjp(z, g), softmax_vjp(z.astype(np.float64), g.astype(float)))
