"""helpers.sigmoid against gold: mpmath (ULP), scipy.special, finite differences.

Accuracy bounds are the issue's: sigmoid within 2 ULP and sigmoid_grad within
4 ULP of the exact value over the whole float64 range; ``tests/ulp.py`` says
how ULP errors are measured.
"""

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
    log_sigmoid,
    logit,
    numerical_gradient,
    sigmoid,
    sigmoid_backward,
    sigmoid_grad,
    softplus,
)
from tests import ulp as U

EPS = np.finfo(np.float64).eps
TINY = 5e-324  # the smallest subnormal
PROPERTY = settings(derandomize=True, database=None, max_examples=50, deadline=None)
finite = st.floats(allow_nan=False, allow_infinity=False)
moderate = st.floats(-30.0, 30.0)

X = U.sigmoid_inputs(3000)  # the whole float64 range, -745 < x < -708 included

ELEMENTWISE = [sigmoid, sigmoid_grad, softplus, log_sigmoid]


# --- accuracy against mpmath (exact at 256 bits) ---------------------------------------


@pytest.mark.parametrize(
    ("f", "exact", "bound"),
    [
        (sigmoid, U.mp_sigmoid, 2.0),
        (sigmoid_grad, U.mp_sigmoid_grad, 4.0),
        (softplus, U.mp_softplus, 2.0),
        (log_sigmoid, U.mp_log_sigmoid, 2.0),
    ],
    ids=lambda v: getattr(v, "__name__", str(v)),
)
def test_ulp_error_over_the_whole_float64_range(f, exact, bound):
    errors = U.ulp_errors(f(X), U.exact_map(exact, X))
    worst = int(np.argmax(errors))
    assert errors[worst] <= bound, f"{errors[worst]:.2f} ULP at x = {X[worst]!r}"


def test_logit_ulp_error():
    p = U.probability_inputs(2000)
    errors = U.ulp_errors(logit(p), U.exact_map(U.mp_logit, p))
    worst = int(np.argmax(errors))
    assert errors[worst] <= 2.0, f"{errors[worst]:.2f} ULP at p = {p[worst]!r}"


def test_ulp_measure_itself():
    # one ULP of 1 is eps; half an ULP below a power of two is a quarter of eps
    with mpmath.workprec(U.PREC):
        one = mpmath.mpf(1)
        assert U.ulp(one) == mpmath.mpf(EPS)
        assert U.ulp(one - mpmath.mpf(EPS) / 4) == mpmath.mpf(EPS) / 2
        assert U.ulp(mpmath.mpf(0)) == mpmath.mpf(TINY)
    assert_array_equal(U.ulp_errors([1.0, 1.0 + EPS], [1, 1]), [0.0, 1.0])


# --- the subnormal range and the extremes ----------------------------------------------


def test_sigmoid_is_subnormal_and_correct_below_minus_708():
    x = np.linspace(-745.0, -708.5, 200)
    s = sigmoid(x)
    assert (s > 0).all() and (s < np.finfo(np.float64).tiny).all()  # subnormal, not 0
    errors = U.ulp_errors(s, U.exact_map(U.mp_sigmoid, x))
    assert errors.max() <= 1.0  # subnormal spacing is coarse: within one step


def test_sigmoid_grad_keeps_relative_accuracy_where_s_times_1_minus_s_is_zero():
    x = np.array([37.5, 40.0, 100.0, 700.0, -40.0])
    s = sigmoid(x)
    assert (s[:-1] * (1 - s[:-1]) == 0).all()  # the textbook form has lost everything
    exact = U.exact_map(U.mp_sigmoid_grad, x)
    assert U.ulp_errors(sigmoid_grad(x), exact).max() <= 4.0
    assert_allclose(sigmoid_grad(x), np.exp(-np.abs(x)), rtol=1e-15)  # about e^-|x|


EXTREMES = np.array(
    [0.0, -0.0, TINY, -TINY, 1e-300, 709.8, -709.8, 745.2, -745.2, 1e300, -1e300]
    + [np.finfo(np.float64).max, -np.finfo(np.float64).max, np.inf, -np.inf]
)


@pytest.mark.parametrize("f", ELEMENTWISE, ids=lambda f: f.__name__)
def test_no_overflow_nan_or_warning_at_the_extremes(f):
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        out = f(EXTREMES[:-2])  # every finite extreme
    assert np.isfinite(out).all()


def test_sigmoid_limits_and_range():
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        s = sigmoid(EXTREMES)
    assert ((s >= 0) & (s <= 1)).all()
    assert_array_equal(sigmoid([np.inf, -np.inf, 0.0, -0.0]), [1.0, 0.0, 0.5, 0.5])


# --- against scipy.special and the course's published values ---------------------------


def test_course_known_values():
    s = sigmoid([1, 2, 3])
    assert_allclose(s, [0.73105858, 0.88079708, 0.95257413], atol=5e-9)  # lesson 01's numbers
    assert_allclose(s, sp.expit([1.0, 2.0, 3.0]), rtol=2 * EPS)
    assert_allclose(s, [float(mpmath.mpf(1) / (1 + mpmath.exp(-k))) for k in (1, 2, 3)], rtol=EPS)


@pytest.mark.parametrize(
    ("mine", "gold"),
    [
        (sigmoid, sp.expit),
        (log_sigmoid, sp.log_expit),
        (softplus, lambda x: np.logaddexp(0.0, x)),
        (sigmoid_grad, lambda x: sp.expit(x) * sp.expit(-x)),
    ],
    ids=["expit", "log_expit", "logaddexp", "expit*expit"],
)
def test_matches_scipy_where_scipy_is_accurate(mine, gold):
    x = np.random.default_rng(1).uniform(-700.0, 700.0, 2000)
    assert_allclose(mine(x), gold(x), rtol=1e-14, atol=0)


def test_logit_matches_scipy():
    p = np.random.default_rng(2).uniform(0.0, 1.0, 2000)
    assert_allclose(logit(p), sp.logit(p), rtol=1e-14, atol=1e-15)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        assert_array_equal(logit([0.0, 0.5, 1.0]), [-np.inf, 0.0, np.inf])


# --- derivatives against finite differences --------------------------------------------

POINTS = np.linspace(-8.0, 8.0, 17) + 0.25


@pytest.mark.parametrize(
    ("f", "derivative", "x"),
    [
        (sigmoid, sigmoid_grad, POINTS),
        (softplus, sigmoid, POINTS),
        (log_sigmoid, lambda x: sigmoid(-np.asarray(x)), POINTS),
        (logit, lambda p: 1 / (np.asarray(p) * (1 - np.asarray(p))), np.linspace(0.05, 0.95, 13)),
    ],
    ids=["sigmoid'", "softplus'", "log_sigmoid'", "logit'"],
)
def test_derivatives_match_central_differences(f, derivative, x):
    check = gradient_check(f, x, np.diag(derivative(x)), tol=1e-8)
    assert check, str(check)


def test_sigmoid_grad_matches_differences_of_scipy_expit():
    # independent of helpers.gradcheck; central differences are good to ~1e-10 here
    h = 1e-6
    numeric = (sp.expit(POINTS + h) - sp.expit(POINTS - h)) / (2 * h)
    assert_allclose(sigmoid_grad(POINTS), numeric, rtol=1e-8, atol=1e-10)


def test_sigmoid_backward_is_the_chain_rule():
    rng = np.random.default_rng(3)
    z, g = rng.uniform(-4.0, 4.0, 12), rng.standard_normal(12)
    dz = sigmoid_backward(g, sigmoid(z))
    assert_allclose(dz, g * sigmoid_grad(z), rtol=1e-14)
    numeric = numerical_gradient(lambda z_: np.sum(g * sigmoid(z_)), z)
    assert_allclose(dz, numeric, rtol=1e-7, atol=1e-10)


def test_sigmoid_backward_from_a_rounded_output_is_zero_where_sigmoid_grad_is_not():
    # documented limit of working from the saved output a = 1.0
    assert sigmoid_backward([1.0], sigmoid([40.0]))[0] == 0.0
    assert sigmoid_grad(40.0) > 0


# --- properties ------------------------------------------------------------------------


@PROPERTY
@given(finite)
def test_symmetry_one_minus_sigma_is_sigma_of_minus_x(x):
    # sigmoid(|x|) is 1 - sigmoid(-|x|) rounded once, so they agree to half an ULP of 1
    assert abs(float(sigmoid(-x)) - (1.0 - float(sigmoid(x)))) <= EPS / 2


@PROPERTY
@given(hnp.arrays(np.float64, st.integers(1, 50), elements=finite))
def test_range_and_evenness(x):
    s, d = sigmoid(x), sigmoid_grad(x)
    assert ((s >= 0) & (s <= 1)).all()
    assert ((d >= 0) & (d <= 0.25)).all()
    assert_array_equal(d, sigmoid_grad(-x))  # sigma' is even, exactly
    inside = np.abs(x) < 36.0  # where both 0 and 1 are still out of reach
    assert ((s[inside] > 0) & (s[inside] < 1)).all()


@PROPERTY
@given(hnp.arrays(np.float64, st.integers(2, 50), elements=st.floats(-800.0, 800.0)))
def test_monotone(x):
    x = np.sort(x)
    s = sigmoid(x)
    assert (np.diff(s) >= -2 * np.spacing(s[1:])).all()  # non-decreasing up to rounding


@PROPERTY
@given(moderate)
def test_tanh_form_and_gradient_identity(x):
    s = float(sigmoid(x))
    assert abs(s - (1 + np.tanh(x / 2)) / 2) <= 2 * EPS
    assert_allclose(sigmoid_grad(x), s * float(sigmoid(-x)), rtol=8 * EPS)


@PROPERTY
@given(st.floats(0.0, 1.0))
def test_sigmoid_inverts_logit(p):
    z = float(logit(p))
    back = float(sigmoid(z))
    if not np.isfinite(z):  # p = 0 or 1
        assert back == p
    else:  # the relative error of p is about |z| times that of logit(p)
        assert abs(back - p) <= 4 * EPS * p * (1 + abs(z)) + TINY


def test_maximum_slope_is_a_quarter_at_zero():
    assert sigmoid_grad(0.0) == 0.25
    assert sigmoid_grad(np.linspace(-5, 5, 1001)).max() == 0.25


# --- dtypes, shapes, layouts -----------------------------------------------------------

ALL_ELEMENTWISE = [*ELEMENTWISE, logit]


@pytest.mark.parametrize(
    ("f", "exact"),
    [
        (sigmoid, U.mp_sigmoid),
        (sigmoid_grad, U.mp_sigmoid_grad),
        (softplus, U.mp_softplus),
        (log_sigmoid, U.mp_log_sigmoid),
        (logit, U.mp_logit),
    ],
    ids=lambda v: getattr(v, "__name__", str(v)),
)
def test_float32_in_float32_out(f, exact):
    rng = np.random.default_rng(6)
    x = rng.uniform(0.0, 1.0, 300) if f is logit else rng.uniform(-100.0, 100.0, 300)
    x32 = x.astype(np.float32)
    out = f(x32)
    assert out.dtype == np.float32
    # within 4 float32 ULP of the exact value at the float32 input
    errors = U.ulp_errors(out, U.exact_map(exact, x32), dtype=np.float32)
    assert errors.max() <= 4.0, f"{errors.max():.2f} float32 ULP at x = {x32[errors.argmax()]!r}"


@pytest.mark.parametrize("f", ALL_ELEMENTWISE, ids=lambda f: f.__name__)
def test_integers_become_float64_and_shapes_are_kept(f):
    assert f([0, 1]).dtype == np.float64
    assert f(0.5).shape == ()
    x = np.random.default_rng(4).uniform(0.05, 0.95, (2, 3, 4))
    assert f(x).shape == (2, 3, 4)


@pytest.mark.parametrize("f", [sigmoid, sigmoid_grad], ids=lambda f: f.__name__)
def test_long_and_strided_input(f):
    # a long array, and non-contiguous views
    x = np.random.default_rng(5).uniform(-50.0, 50.0, (3, 40_001))
    out = f(x)
    assert_array_equal(out[:, ::7], f(x[:, ::7]))
    assert_array_equal(f(x.T), out.T)
    assert_array_equal(out[1], f(x[1].copy()))


# --- issue 11: what the docstrings promise is what the code does --------------------------

TINY_NORMAL = np.finfo(np.float64).smallest_normal


def test_sigmoid_subnormal_range_starts_where_the_docstring_says():
    x0 = float(mpmath.log(TINY_NORMAL))  # sigma(x) ~ e^x < smallest normal for x < x0
    assert f"{x0:.2f}" == "-708.40"
    assert "-708.40" in sigmoid.__doc__
    assert sigmoid(x0 + 1e-9) >= TINY_NORMAL > sigmoid(x0 - 1e-9) > 0


def test_sigmoid_grad_is_exactly_zero_far_out_as_documented():
    # the largest |x| where sigma'(x) ~ e^{-|x|} still rounds to the smallest subnormal
    edge = float(mpmath.log(2) * 1075)  # e^{-|x|} = 2^-1075, half the smallest subnormal
    assert 745 < edge < 746
    far = np.array([-np.inf, -edge - 1e-9, -746.0, 746.0, edge + 1e-9, np.inf])
    assert_array_equal(sigmoid_grad(far), 0.0)
    assert (sigmoid_grad(np.array([-745.0, 745.0])) > 0).all()
    assert sigmoid_grad(0.0) == 0.25 == sigmoid_grad(X).max()
    doc = sigmoid_grad.__doc__
    assert "[0, 1/4]" in doc and "745" in doc and "(0, 1/4]" not in doc


def test_sigmoid_reference_is_not_a_softmax_paper():
    assert "Bridle" not in sigmoid.__doc__


def test_sigmoid_backward_refuses_an_infinite_upstream_gradient():
    with pytest.raises(ValueError, match=r"^g contains inf"):
        sigmoid_backward([np.inf], [0.0])
    assert_array_equal(sigmoid_backward([1.0, -2.0], [0.0, 1.0]), [0.0, 0.0])


@pytest.mark.parametrize("f", [sigmoid, sigmoid_grad, softplus, log_sigmoid, logit])
def test_nan_raises_and_the_docstring_says_so(f):
    with pytest.raises(ValueError, match="NaN"):
        f([0.5, np.nan])
    assert "NaN" in f.__doc__ and "propagate" in f.__doc__
