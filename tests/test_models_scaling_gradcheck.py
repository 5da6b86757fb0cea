"""helpers.models, helpers.scaling and helpers.gradcheck against independent references."""

import numpy as np
import pytest
import scipy.special as sp
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose, assert_array_equal

from helpers import (
    GradientCheck,
    central_difference,
    gradient_check,
    numerical_gradient,
    relative_error,
    sigmoid,
    sigmoid_grad,
    softmax,
    standardize_sigmoid,
    two_class_to_sigmoid,
)

EPS = np.finfo(np.float64).eps
PROPERTY = settings(derandomize=True, database=None, max_examples=50, deadline=None)
weights = st.floats(-10.0, 10.0)

# --- two classes: softmax model = sigmoid model (lesson 04) ----------------------------


@st.composite
def two_class_models(draw):
    d = draw(st.integers(1, 5))
    W = draw(hnp.arrays(np.float64, (2, d), elements=weights))
    b = draw(hnp.arrays(np.float64, (2,), elements=weights))
    X = draw(hnp.arrays(np.float64, (draw(st.integers(1, 8)), d), elements=weights))
    return W, b, X


def logit_rounding(W, b, X):
    """A bound on how far the two ways of computing z1 - z0 can drift apart by rounding."""
    size = np.abs(X) @ np.abs(W).sum(axis=0) + np.abs(b).sum()
    return 8 * EPS * (size + 1)


@PROPERTY
@given(two_class_models(), st.sampled_from([0, 1]))
def test_converted_sigmoid_model_predicts_what_the_softmax_model_predicts(model, positive):
    W, b, X = model
    w, c = two_class_to_sigmoid(W, b, positive=positive)
    p_sigmoid = sigmoid(X @ w + c)
    p_softmax = softmax(X @ W.T + b)[:, positive]
    # the two logit differences agree up to rounding; sigma' <= 1/4 carries that over
    slack = logit_rounding(W, b, X)
    assert (np.abs(p_sigmoid - p_softmax) <= sigmoid_grad(X @ w + c) * 1.01 * slack + 4 * EPS).all()


@PROPERTY
@given(two_class_models(), hnp.arrays(np.float64, 5, elements=weights), weights)
def test_adding_the_same_vector_to_both_rows_changes_nothing(model, v, c):
    W, b, X = model
    d = W.shape[1]
    shifted = softmax(X @ (W + v[:d]).T + (b + c))
    slack = (logit_rounding(W + v[:d], b + c, X) + logit_rounding(W, b, X)).max()
    assert_allclose(shifted, softmax(X @ W.T + b), rtol=slack, atol=slack)
    w1, c1 = two_class_to_sigmoid(W + v[:d], b + c)
    w0, c0 = two_class_to_sigmoid(W, b)
    assert_allclose(w1, w0, atol=4 * EPS * (np.abs(W).max() + np.abs(v).max()))
    assert abs(c1 - c0) <= 4 * EPS * (np.abs(b).max() + abs(c))


def test_two_class_to_sigmoid_by_hand():
    W, b = np.array([[1.0, 2.0], [3.0, 5.0]]), np.array([0.5, -0.5])
    w, c = two_class_to_sigmoid(W, b)
    assert_array_equal(w, [2.0, 3.0])
    assert c == -1.0 and isinstance(c, float)
    w0, c0 = two_class_to_sigmoid(W, b, positive=0)
    assert_array_equal(w0, -w)
    assert c0 == -c


# --- standardize, then squash (lesson 02) ----------------------------------------------

MEASURE = [0.01, 0.2, 0.5, 0.6, 0.7, 1.0, 2.5, 5.0, 50.0, 5000.0]


def test_course_measure_example():
    x = standardize_sigmoid(MEASURE, ddof=0)
    independent = sp.expit(scipy.stats.zscore(MEASURE, ddof=0))
    assert_allclose(x, independent, rtol=2 * EPS)
    assert_allclose(x[:-1], 0.416, atol=1e-2)  # all but the outlier: about 0.416
    assert_allclose(x[:-2], 0.416, atol=2e-3)  # (50.0 gets 0.424, the rest 0.4163-0.4172)
    assert_allclose(x[-1], 0.953, atol=1e-3)  # the outlier: about 0.953
    assert_array_equal(sigmoid(MEASURE)[-2:], [1.0, 1.0])  # plain sigmoid saturates


def test_course_one_two_three_does_not_sum_to_one():
    x = standardize_sigmoid([1.0, 2.0, 3.0], ddof=1)  # z-scores -1, 0, 1
    assert_allclose(x, sp.expit([-1.0, 0.0, 1.0]), rtol=2 * EPS)
    assert_allclose(x, [0.269, 0.5, 0.731], atol=5e-4)
    assert abs(x.sum() - 1.5) < 1e-15  # a scaler, not a distribution


@pytest.mark.parametrize("ddof", [0, 1])
@pytest.mark.parametrize("axis", [0, 1])
def test_each_feature_is_scaled_on_its_own(ddof, axis):
    rng = np.random.default_rng(5)
    table = np.column_stack([rng.uniform(20, 70, 30), rng.uniform(2000, 60000, 30)])  # age, income
    table = table if axis == 0 else table.T
    out = standardize_sigmoid(table, ddof=ddof, axis=axis)
    assert_allclose(out, sp.expit(scipy.stats.zscore(table, axis=axis, ddof=ddof)), rtol=1e-14)
    assert ((out > 0) & (out < 1)).all()
    # each feature's mean maps to 1/2: same footing whatever the units
    centre = standardize_sigmoid(np.concatenate([table, table.mean(axis, keepdims=True)], axis),
                                 ddof=ddof, axis=axis)  # fmt: skip
    assert_allclose(np.take(centre, -1, axis=axis), 0.5, atol=1e-15)


# --- finite differences ----------------------------------------------------------------


def test_numerical_gradient_of_known_functions():
    x = np.array([0.3, -1.2, 2.0])
    A = np.arange(6.0).reshape(2, 3)
    assert_allclose(numerical_gradient(lambda v: (v**2).sum(), x), 2 * x, rtol=1e-9)
    assert_allclose(numerical_gradient(np.sin, x), np.diag(np.cos(x)), rtol=1e-9, atol=1e-12)
    J = numerical_gradient(lambda v: A @ v, x)
    assert J.shape == (2, 3)
    assert_allclose(J, A, rtol=1e-9, atol=1e-9)
    H = numerical_gradient(lambda M: M.sum(axis=0), np.ones((2, 2)))  # shape f(x) + x
    assert H.shape == (2, 2, 2)


@pytest.mark.parametrize("h", [1e-4, 1e-5, 1e-6])
def test_central_differences_are_second_order(h):
    # error about h^2 |f'''| / 6 plus rounding eps / h
    err = abs(numerical_gradient(np.exp, np.array([1.0]), h=h)[0, 0] - np.e)
    assert err <= np.e * h**2 / 6 * 1.1 + 10 * EPS / h


def test_relative_error():
    a = np.array([1.0, -2.0, 3.0])
    assert relative_error(a, a) == 0.0
    assert relative_error(a, -a) == 1.0
    assert relative_error(a, 2 * a) == relative_error(2 * a, a)
    assert_allclose(relative_error(a, a * (1 + 1e-9)), 1e-9 / (2 + 1e-9), rtol=1e-6)
    assert relative_error([0.0], [0.0]) == 0.0


def test_gradient_check_passes_right_and_fails_wrong_derivatives():
    x = np.linspace(-3.0, 3.0, 7)
    good = gradient_check(sigmoid, x, np.diag(sigmoid_grad(x)))
    bad = gradient_check(sigmoid, x, np.diag(sigmoid(x)))  # a classic slip: sigma for sigma'
    assert isinstance(good, GradientCheck)
    assert good and not bad
    assert good.rel_error < 1e-8 < 0.1 < bad.rel_error
    assert str(good).startswith("gradient check passed") and "FAILED" in str(bad)
    assert not gradient_check(sigmoid, x, np.diag(sigmoid_grad(x)), tol=0.0) or good.rel_error == 0


# --- issue 11: scales at the ends of float64, a checker that cannot be fooled -------------


@pytest.mark.parametrize("scale", [1e200, 1e-200, 1e-305, 1e300])
@pytest.mark.parametrize("ddof", [0, 1])
def test_standardize_sigmoid_does_not_depend_on_the_units(scale, ddof):
    x = np.array([1.0, 2.0, 3.0, 7.0])
    with np.errstate(all="raise"):
        out = standardize_sigmoid(scale * x, ddof=ddof)
    assert_allclose(out, standardize_sigmoid(x, ddof=ddof), rtol=8 * EPS)
    assert_allclose(standardize_sigmoid([1e200, 2e200, 3e200], ddof=0)[[0, 2]], [0.227, 0.773],
                    atol=5e-4)  # fmt: skip


def test_relative_error_is_the_same_at_every_scale():
    third = relative_error([1.0], [2.0])
    assert third == pytest.approx(1 / 3, rel=EPS)
    assert relative_error([1e-170], [2e-170]) == pytest.approx(third, rel=EPS)
    assert relative_error([3e154], [1e154]) == pytest.approx(0.5, rel=EPS)
    assert relative_error([1e308, -1e308], [-1e308, 1e308]) == 1.0
    assert relative_error([5e-324], [-5e-324]) == 1.0


def test_relative_error_with_infinities():
    inf = np.inf
    assert relative_error([inf], [inf]) == 0.0
    assert relative_error([inf, 1.0], [inf, 2.0]) == pytest.approx(1 / 3, rel=EPS)
    assert relative_error([inf], [1.0]) == 1.0
    assert relative_error([inf], [-inf]) == 1.0


def test_gradient_check_fails_a_sign_flip_at_any_scale():
    def f(x):
        return sigmoid(x).sum()

    x = np.array([-400.0])
    assert gradient_check(f, x, sigmoid_grad(x))
    flipped = gradient_check(f, x, -sigmoid_grad(x))
    assert not flipped and flipped.rel_error == 1.0


def test_gradient_check_refuses_a_step_that_vanishes():
    with pytest.raises(ValueError, match=r"x \+ h == x"):
        gradient_check(lambda x: np.sin(x).sum(), [1.0], [0.0], h=1e-17)


def test_differences_are_taken_in_float64():
    x16 = np.float16([1, 2])
    out = central_difference(np.sin, x16)  # was [0, 0]: x + h == x in float16
    assert out.dtype == np.float16  # differenced in float64, returned in x's dtype
    assert_allclose(out, np.cos(x16.astype(np.float64)), rtol=np.finfo(np.float16).eps)
    g = numerical_gradient(lambda x: np.sin(x).sum(), x16)
    assert_allclose(g, np.cos(x16.astype(np.float64)), rtol=1e-9)


def test_the_actual_step_is_used_so_rounding_of_x_plus_h_costs_nothing():
    # near 1e3, x +- h rounds: (x + h) - (x - h) is the step taken, not 2h; dividing by
    # 2h would be off by about spacing(1e3) / 2h = 6e-9 for the identity, whose
    # differences are exact
    x = np.array([1000.0 + 1 / 3])
    assert (x + 1e-5) - (x - 1e-5) != 2e-5
    assert_array_equal(central_difference(lambda v: v, x), [1.0])
    assert_array_equal(numerical_gradient(lambda v: v.sum(), x, h=1e-5), [1.0])


@pytest.mark.parametrize("positive", [np.int64(0), np.int32(1)])
def test_numpy_integer_positive_is_fine(positive):
    w, b = two_class_to_sigmoid([[1.0, 2.0], [3.0, 5.0]], [0.5, -0.5], positive=positive)
    assert_array_equal(w, [2.0, 3.0] if positive == 1 else [-2.0, -3.0])


NOT_TINY = st.floats(-1e3, 1e3).filter(lambda v: v == 0 or abs(v) >= 1e-30)  # c v stays normal


@PROPERTY
@given(
    hnp.arrays(np.float64, 4, elements=NOT_TINY),
    hnp.arrays(np.float64, 4, elements=NOT_TINY),
    st.integers(-900, 900),
)
def test_relative_error_does_not_depend_on_the_scale(a, b, k):
    c = 2.0**k  # a power of two: c * a is exact, so any difference is the norms' doing
    assert relative_error(c * a, c * b) == pytest.approx(relative_error(a, b), rel=4 * EPS, abs=0)
    assert 0.0 <= relative_error(a, b) <= 1.0


def test_an_infinite_coordinate_has_derivative_zero_without_warnings():
    # lesson 03 checks the Jacobian of softmax at a -inf logit: f does not move there
    z = np.array([0.0, -np.inf, 1.0])
    with np.errstate(all="raise"):
        J = numerical_gradient(softmax, z)
    assert_array_equal(J[:, 1], 0.0)
    assert gradient_check(softmax, z, numerical_gradient(softmax, z))
