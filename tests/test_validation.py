"""Bad input raises TypeError or ValueError with a message that names the argument.

Each case is (what is wrong, a call, the exception, a regex that must match the
message); the regex always contains the argument's name.
"""

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

import helpers as H
from helpers import _validate as V
from helpers.calibration import smooth_labels
from helpers.recalibration import temperature_nll, temperature_nll_grad
from helpers.training import (
    train_linear_head,
    train_sigmoid,
    train_sigmoid_regression,
    train_softmax_regression,
)

Z = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])  # (2, 3) logits
LABELS = np.array([0, 2])
NAN = np.nan
INF = np.inf


def f_square(x):
    return (np.asarray(x) ** 2).sum()


CASES = [
    # --- non-numeric input
    ("string x", lambda: H.sigmoid("abc"), TypeError, r"^x must contain real numbers"),
    ("None x", lambda: H.sigmoid_grad(None), TypeError, r"^x must contain real numbers"),
    ("mixed list x", lambda: H.softplus([1.0, "a"]), TypeError, r"^x must contain real numbers"),
    ("ragged x", lambda: H.log_sigmoid([[1.0, 2.0], [3.0]]), TypeError, r"^x must be an array"),
    ("complex x", lambda: H.sigmoid(1 + 2j), TypeError, r"^x must contain real numbers"),
    ("string z", lambda: H.softmax(["a", "b"]), TypeError, r"^z must contain real numbers"),
    ("string p", lambda: H.logit("0.5"), TypeError, r"^p must contain real numbers"),
    ("string g", lambda: H.softmax_vjp(Z, "g"), TypeError, r"^g must contain real numbers"),
    ("string v", lambda: H.softmax_jvp(Z, [["v"]]), TypeError, r"^v must contain real numbers"),
    ("string a", lambda: H.sigmoid_backward([1.0], ["a"]), TypeError, r"^a must contain real"),
    ("string y", lambda: H.bce_with_logits([1.0], ["1"]), TypeError, r"^y must contain real"),
    ("string W", lambda: H.two_class_to_sigmoid("W", [0, 0]), TypeError, r"^W must contain"),
    ("object b", lambda: H.two_class_to_sigmoid(np.eye(2), [None, 1]), TypeError, r"^b must"),
    ("string x scaler", lambda: H.standardize_sigmoid(["1"], ddof=0), TypeError, r"^x must"),
    ("string x gradient", lambda: H.numerical_gradient(f_square, "x"), TypeError, r"^x must"),
    ("string analytic", lambda: H.gradient_check(f_square, [1.0], ["2"]), TypeError, r"^analytic"),
    ("string a rel", lambda: H.relative_error("a", [1.0]), TypeError, r"^a must contain"),
    # --- NaN
    ("NaN x", lambda: H.sigmoid([0.0, NAN]), ValueError, r"^x contains NaN"),
    (
        "NaN x, far into a long array",
        lambda: H.sigmoid_grad(np.r_[np.zeros(40_000), NAN]),
        ValueError,
        r"^x contains NaN",
    ),  # fmt: skip
    ("NaN x softplus", lambda: H.softplus([NAN]), ValueError, r"^x contains NaN"),
    ("NaN z", lambda: H.softmax([1.0, NAN]), ValueError, r"^z contains NaN"),
    ("NaN z logsumexp", lambda: H.logsumexp([[NAN, 1.0]]), ValueError, r"^z contains NaN"),
    ("NaN p", lambda: H.logit([NAN]), ValueError, r"^p contains NaN"),
    ("NaN y", lambda: H.bce_with_logits([0.0], [NAN]), ValueError, r"^y contains NaN"),
    (
        "NaN z CE",
        lambda: H.cross_entropy_with_logits([[NAN, 0.0]], [0]),
        ValueError,
        r"^z contains",
    ),
    # --- infinities softmax cannot take
    ("+inf z", lambda: H.softmax([INF, 0.0]), ValueError, r"^z contains \+inf"),
    (
        "all -inf slice",
        lambda: H.log_softmax([[-INF, -INF], [0.0, 1.0]]),
        ValueError,
        r"^z has a slice that is -inf everywhere along axis 1",
    ),  # fmt: skip
    # --- empty arrays where a reduction needs values
    ("empty z softmax", lambda: H.softmax([]), ValueError, r"^z is empty along axis 0"),
    (
        "empty rows",
        lambda: H.log_softmax(np.empty((3, 0))),
        ValueError,
        r"^z is empty along axis 1",
    ),
    ("empty z lse", lambda: H.logsumexp(np.empty((2, 0)), axis=1), ValueError, r"^z is empty"),
    ("empty z jacobian", lambda: H.softmax_jacobian(np.empty(0)), ValueError, r"^z is empty"),
    ("empty z vjp", lambda: H.softmax_vjp(np.empty(0), np.empty(0)), ValueError, r"^z is empty"),
    ("empty x scaler", lambda: H.standardize_sigmoid([], ddof=0), ValueError, r"^x is empty"),
    (
        "one value, ddof=1",
        lambda: H.standardize_sigmoid([2.0], ddof=1),
        ValueError,
        r"^x needs more than 1 value",
    ),  # fmt: skip
    (
        "no classes CE",
        lambda: H.cross_entropy_with_logits(np.empty((2, 0)), [0, 0]),
        ValueError,
        r"^z is empty along axis 1",
    ),  # fmt: skip
    (
        "mean of no examples CE",
        lambda: H.cross_entropy_with_logits(np.empty((0, 3)), np.empty(0, int)),
        ValueError,
        r"^z is empty: the mean",
    ),  # fmt: skip
    (
        "mean of no examples grad",
        lambda: H.softmax_cross_entropy_grad(np.empty((0, 3)), np.empty(0, int)),
        ValueError,
        r"^z is empty: the mean",
    ),  # fmt: skip
    ("mean of no logits BCE", lambda: H.bce_with_logits([], []), ValueError, r"^z is empty"),
    (
        "mean of no probabilities",
        lambda: H.binary_cross_entropy([], []),
        ValueError,
        r"^p is empty",
    ),
    # --- a scalar where a vector of classes is needed
    ("scalar z", lambda: H.softmax(3.0), ValueError, r"^z must have at least 1 dimension"),
    ("scalar z CE", lambda: H.cross_entropy_with_logits(3.0, 0), ValueError, r"^z must have"),
    ("scalar x scaler", lambda: H.standardize_sigmoid(3.0, ddof=0), ValueError, r"^x must have"),
    # --- axis
    (
        "axis too large",
        lambda: H.softmax(Z, axis=2),
        ValueError,
        r"^axis=2 is out of range for z with 2 dimension",
    ),  # fmt: skip
    ("axis too small", lambda: H.log_softmax(Z, axis=-3), ValueError, r"^axis=-3 is out of range"),
    ("axis lse", lambda: H.logsumexp([1.0, 2.0], axis=1), ValueError, r"^axis=1 is out of range"),
    ("axis vjp", lambda: H.softmax_vjp(Z, Z, axis=5), ValueError, r"^axis=5 is out of range"),
    (
        "axis scaler",
        lambda: H.standardize_sigmoid([1.0, 2.0], ddof=0, axis=1),
        ValueError,
        r"^axis=1 is out of range for x",
    ),  # fmt: skip
    ("float axis", lambda: H.softmax(Z, axis=1.0), TypeError, r"^axis must be an int"),
    ("bool axis", lambda: H.softmax(Z, axis=True), TypeError, r"^axis must be an int"),
    ("tuple axis", lambda: H.logsumexp(Z, axis=(0, 1)), TypeError, r"^axis must be an int"),
    # --- probabilities outside [0, 1]
    (
        "p above 1",
        lambda: H.binary_cross_entropy([1.2], [1.0]),
        ValueError,
        r"^p must lie in \[0, 1\]",
    ),  # fmt: skip
    (
        "p below 0",
        lambda: H.binary_cross_entropy([-0.1, 0.5], [1.0, 0.0]),
        ValueError,
        r"^p must lie in \[0, 1\].*logits",
    ),  # fmt: skip
    ("y above 1 BCE", lambda: H.binary_cross_entropy([0.5], [2.0]), ValueError, r"^y must lie in"),
    ("y above 1 logits", lambda: H.bce_with_logits([0.5], [2.0]), ValueError, r"^y must lie in"),
    ("p logit", lambda: H.logit([0.5, 1.5]), ValueError, r"^p must lie in \[0, 1\]"),
    ("a backward", lambda: H.sigmoid_backward([1.0], [1.5]), ValueError, r"^a must lie in"),
    (
        "one-hot y",
        lambda: H.cross_entropy_with_logits(Z, [[2.0, -1.0, 0.0]] * 2),
        ValueError,
        r"^y must lie in",
    ),  # fmt: skip
    (
        "one-hot rows",
        lambda: H.cross_entropy_with_logits(Z, [[0.5, 0.0, 0.0]] * 2),
        ValueError,
        r"one-hot y must sum to 1",
    ),  # fmt: skip
    # --- labels out of range or of the wrong shape
    (
        "label too large",
        lambda: H.cross_entropy_with_logits(Z, [0, 3]),
        ValueError,
        r"^labels y must be class indices in 0\.\.2",
    ),  # fmt: skip
    (
        "negative label",
        lambda: H.softmax_cross_entropy_grad(Z, [-1, 0]),
        ValueError,
        r"^labels y must be class indices",
    ),  # fmt: skip
    (
        "labels shape",
        lambda: H.cross_entropy_with_logits(Z, [0, 1, 2]),
        ValueError,
        r"^integer labels y must have shape \(2,\)",
    ),  # fmt: skip
    # --- mismatched shapes
    (
        "BCE shapes",
        lambda: H.binary_cross_entropy([0.5, 0.5], [1.0]),
        ValueError,
        r"^p and y must have the same shape",
    ),  # fmt: skip
    ("BCE logits shapes", lambda: H.bce_with_logits(Z, LABELS), ValueError, r"^z and y must have"),
    (
        "vjp shapes",
        lambda: H.softmax_vjp(Z, Z[0]),
        ValueError,
        r"^z and g must have the same shape",
    ),
    ("jvp shapes", lambda: H.softmax_jvp(Z, Z.T), ValueError, r"^z and v must have the same shape"),
    (
        "backward shapes",
        lambda: H.sigmoid_backward([1.0, 2.0], [0.5]),
        ValueError,
        r"^g and a must have the same shape",
    ),  # fmt: skip
    (
        "one-hot shape",
        lambda: H.cross_entropy_with_logits(Z, np.eye(2)),
        ValueError,
        r"^z and y \(one-hot\) must have the same shape",
    ),  # fmt: skip
    (
        "W rows",
        lambda: H.two_class_to_sigmoid(np.ones((3, 2)), [0.0, 0.0]),
        ValueError,
        r"^W must have shape \(2, d\)",
    ),  # fmt: skip
    (
        "b shape",
        lambda: H.two_class_to_sigmoid(np.ones((2, 2)), [0.0, 0.0, 0.0]),
        ValueError,
        r"^b must have shape \(2,\)",
    ),  # fmt: skip
    (
        "relative_error shapes",
        lambda: H.relative_error([1.0, 2.0], [1.0]),
        ValueError,
        r"^a and b must have the same shape",
    ),  # fmt: skip
    (
        "analytic shape",
        lambda: H.gradient_check(f_square, [1.0, 2.0], [2.0]),
        ValueError,
        r"^analytic has shape \(1,\)",
    ),  # fmt: skip
    # --- other arguments
    (
        "zero temperature",
        lambda: H.softmax(Z, temperature=0.0),
        ValueError,
        r"^temperature must be positive",
    ),  # fmt: skip
    ("negative temperature", lambda: H.log_softmax(Z, temperature=-1), ValueError, r"^temperature"),
    ("infinite temperature", lambda: H.softmax(Z, temperature=INF), ValueError, r"^temperature"),
    (
        "string temperature",
        lambda: H.softmax(Z, temperature="hot"),
        TypeError,
        r"^temperature must be a real number",
    ),  # fmt: skip
    ("array temperature", lambda: H.softmax(Z, temperature=np.ones(1)), TypeError, r"^temperature"),
    (
        "reduction",
        lambda: H.bce_with_logits([0.0], [1.0], reduction="avg"),
        ValueError,
        r"^reduction must be one of",
    ),  # fmt: skip
    (
        "reduction CE",
        lambda: H.cross_entropy_with_logits(Z, LABELS, reduction=None),
        ValueError,
        r"^reduction must be one of",
    ),  # fmt: skip
    (
        "reduction grad",
        lambda: H.softmax_cross_entropy_grad(Z, LABELS, reduction="max"),
        ValueError,
        r"^reduction must be one of",
    ),  # fmt: skip
    ("ddof 2", lambda: H.standardize_sigmoid([1.0, 2.0], ddof=2), ValueError, r"^ddof must be 0"),
    ("ddof missing", lambda: H.standardize_sigmoid([1.0, 2.0]), TypeError, r"ddof"),
    (
        "constant feature",
        lambda: H.standardize_sigmoid([[1.0, 2.0], [1.0, 3.0]], ddof=0),
        ValueError,
        r"^x has a constant feature",
    ),  # fmt: skip
    (
        "positive 2",
        lambda: H.two_class_to_sigmoid(np.ones((2, 2)), [0.0, 0.0], positive=2),
        ValueError,
        r"^positive must be 0 or 1",
    ),  # fmt: skip
    (
        "step 0",
        lambda: H.numerical_gradient(f_square, [1.0], h=0.0),
        ValueError,
        r"^h must be positive",
    ),  # fmt: skip
    # --- scalars of the wrong kind (issue 11): the package's own messages
    (
        "positive True",
        lambda: H.two_class_to_sigmoid(np.eye(2), [0, 0], positive=True),
        TypeError,
        r"^positive must be 0 or 1",
    ),
    (
        "positive 1.0",
        lambda: H.two_class_to_sigmoid(np.eye(2), [0, 0], positive=1.0),
        TypeError,
        r"^positive must be 0 or 1",
    ),
    (
        "complex temperature",
        lambda: H.softmax(Z, temperature=1 + 0j),
        TypeError,
        r"^temperature must be a real number",
    ),
    (
        "huge int temperature",
        lambda: H.softmax(Z, temperature=10**400),
        ValueError,
        r"^temperature is too large for a float64 \(about 1e400;",
    ),
    (
        "tol negative",
        lambda: H.gradient_check(f_square, [1.0], [2.0], tol=-1),
        ValueError,
        r"^tol must be non-negative and finite",
    ),
    (
        "tol nan",
        lambda: H.gradient_check(f_square, [1.0], [2.0], tol=NAN),
        ValueError,
        r"^tol must be non-negative and finite",
    ),
    (
        "tol inf",
        lambda: H.gradient_check(f_square, [1.0], [2.0], tol=INF),
        ValueError,
        r"^tol must be non-negative and finite",
    ),
    (
        "tol string",
        lambda: H.gradient_check(f_square, [1.0], [2.0], tol="x"),
        TypeError,
        r"^tol must be a real number",
    ),
    (
        "f returns a string",
        lambda: H.central_difference(lambda x: "a", [1.0]),
        TypeError,
        r"^f must return real numbers",
    ),
    (
        "f returns a string, gradient",
        lambda: H.numerical_gradient(lambda x: "a", [1.0]),
        TypeError,
        r"^f must return real numbers",
    ),
    (
        "float labels",
        lambda: H.cross_entropy_with_logits([[1.0, 2.0]], np.array([1.0])),
        TypeError,
        r"^class labels y must be integers",
    ),
    (
        "float labels grad",
        lambda: H.softmax_cross_entropy_grad(Z, [0.0, 2.0]),
        TypeError,
        r"^class labels y must be integers",
    ),
    (
        "keepdims string",
        lambda: H.logsumexp(Z, keepdims="no"),
        TypeError,
        r"^keepdims must be True or False",
    ),
    (
        "masked z",
        lambda: H.softmax(np.ma.masked_array([1.0, 2.0], mask=[0, 1])),
        TypeError,
        r"^z is a masked array",
    ),
    (
        "masked x",
        lambda: H.sigmoid(np.ma.masked_array([1.0, 2.0], mask=[0, 1])),
        TypeError,
        r"^x is a masked array",
    ),
    (
        "huge jacobian",
        lambda: H.softmax_jacobian(np.broadcast_to(0.0, (100000, 1000))),
        ValueError,
        r"^softmax_jacobian of z with shape \(100000, 1000\) would hold .*GiB.*softmax_vjp",
    ),
    # --- infinities where the result is inf - inf or 0 * inf (issue 11)
    ("inf g vjp", lambda: H.softmax_vjp([0.0, 0.0], [INF, 0.0]), ValueError, r"^g contains inf"),
    ("inf v jvp", lambda: H.softmax_jvp([0.0, 0.0], [INF, 0.0]), ValueError, r"^v contains inf"),
    ("inf g backward", lambda: H.sigmoid_backward([INF], [0.0]), ValueError, r"^g contains inf"),
    (
        "inf W",
        lambda: H.two_class_to_sigmoid([[INF, 0.0], [INF, 0.0]], [0, 0]),
        ValueError,
        r"^W contains inf",
    ),
    (
        "inf x scaler",
        lambda: H.standardize_sigmoid([1.0, 2.0, INF], ddof=0),
        ValueError,
        r"^x contains inf",
    ),
    # --- a temperature the dtype cannot hold (issue 11)
    (
        "tiny temperature float32",
        lambda: H.softmax(np.float32([1, 2]), temperature=1e-46),
        ValueError,
        r"^temperature=1e-46 is outside the range float32 can use.*1\.2e-38",
    ),
    (
        "tiny temperature float16",
        lambda: H.log_softmax(np.float16([1, 2]), temperature=1e-8),
        ValueError,
        r"^temperature=1e-08 is outside the range float16 can use.*6\.1e-05",
    ),
    (
        "huge temperature float16",
        lambda: H.softmax(np.float16([0, 6e4]), temperature=1e5),
        ValueError,
        r"^temperature=100000.0 is outside the range float16 can use",
    ),
    # --- steps that vanish against x (issue 11)
    (
        "h vanishes",
        lambda: H.gradient_check(lambda x: np.sin(x).sum(), [1.0], [0.0], h=1e-17),
        ValueError,
        r"^h=1e-17 is too small for x = 1\.0",
    ),
    (
        "h loses digits",
        lambda: H.numerical_gradient(np.sin, [1e6], h=1e-10),
        ValueError,
        r"^h=1e-10 is too small for x = 1000000\.0",
    ),
    (
        "h vanishes, elementwise",
        lambda: H.central_difference(np.sin, [1e20], h=1e-5),
        ValueError,
        r"^h=1e-05 is too small for x = 1e\+20",
    ),
]


@pytest.mark.parametrize(
    ("call", "error", "match"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_input_is_reported_by_name(call, error, match):
    with pytest.raises(error, match=match):
        call()


@pytest.mark.parametrize(
    "f", [H.sigmoid, H.sigmoid_grad, H.softplus, H.log_sigmoid, H.logit], ids=lambda f: f.__name__
)
def test_empty_input_is_fine_for_elementwise_functions(f):
    # no reduction, nothing to complain about: an empty array comes back
    assert_array_equal(f(np.empty((0, 3))), np.empty((0, 3)))
    assert_array_equal(H.bce_with_logits([], [], reduction="none"), [])


MATH_MODULES = ("sigmoid", "softmax", "losses", "models", "scaling", "gradcheck")
PUBLIC = [
    getattr(H, name)
    for name in H.__all__
    if callable(getattr(H, name))
    and not isinstance(getattr(H, name), type)
    and getattr(H, name).__module__.rsplit(".", 1)[-1] in MATH_MODULES
]


@pytest.mark.parametrize("f", PUBLIC, ids=lambda f: f.__name__)
def test_every_docstring_says_that_nan_raises_on_purpose(f):
    # a teaching choice (NumPy, SciPy and JAX propagate NaN): each function says so
    doc = f.__doc__
    assert "NaN" in doc and "propagate" in doc, f.__name__


@pytest.mark.parametrize("T", [Fraction(1, 3), Decimal("0.25"), 2, np.int64(3), np.float32(0.5)])
def test_temperature_of_any_real_kind_is_taken_as_a_float(T):
    assert_allclose(H.softmax(Z, temperature=T), H.softmax(Z, temperature=float(T)), rtol=0)


# -- one error policy, one validation layer (issue 24.2) -------------------------------------


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: H.softmax(Z, temperature="2"), "temperature"),
        (lambda: train_sigmoid([[1.0], [-1.0]], [1, 0], [0.0], 0.0, lr="2"), "lr"),
        (lambda: smooth_labels([0], 2, "0.1"), "eps"),
        (lambda: smooth_labels([0], 2, 0.1 + 0j), "eps"),
        (lambda: H.fit_temperature(Z, LABELS, iterations=2.9), "iterations"),
        (lambda: H.fit_temperature(Z, LABELS, iterations=True), "iterations"),
        (lambda: H.fit_temperature(Z, LABELS, iterations=None), "iterations"),
        (lambda: smooth_labels([0], 2.0, 0.1), "k"),
        (lambda: train_softmax_regression(np.eye(3), [0, 1, 0], 2, batch_size=1.5), "batch_size"),
        (lambda: train_linear_head(np.eye(2), [[1.0], [0.0]], "sigmoid", epochs=None), "epochs"),
        (lambda: H.gradient_check(f_square, [1.0], [2.0], tol="1e-6"), "tol"),
    ],
)
def test_a_wrong_type_is_a_type_error_naming_the_argument(call, name):
    with pytest.raises(TypeError, match=rf"^{name} must be"):
        call()


def test_every_math_module_checks_arguments_with_the_shared_validators():
    # no private copies left: the validators of the math modules live in helpers._validate
    import inspect

    import helpers

    copies = ("def _labels", "def _eps(", "def _n_bins", "def _rate", "def _decay", "def _count")
    for module in ("calibration", "training", "metrics", "losses", "datasets", "gradcheck"):
        source = inspect.getsource(getattr(__import__(f"helpers.{module}"), module))
        assert not [c for c in copies if c in source], module
        assert "_validate import" in source, module
    assert hasattr(helpers, "softmax")


# -- no silent wrong value (issue 18.3) -------------------------------------------------------


Z2 = np.array([[3.0, 0.0], [3.0, 0.0], [3.0, 0.0], [0.0, 3.0]])
Y2 = np.array([0, 0, 1, 1])


@pytest.mark.parametrize(
    "iterations, error", [(0, ValueError), (-5, ValueError), (2.9, TypeError), (True, TypeError)]
)
def test_fit_temperature_names_a_bad_iteration_count(iterations, error):
    with pytest.raises(error, match="^iterations must be an integer"):
        H.fit_temperature(Z2, Y2, iterations=iterations)


def test_fit_temperature_accepts_a_huge_upper_bound_and_finds_the_same_minimum():
    # hi = 1e300 used to raise OverflowError from T**2
    want = H.fit_temperature(Z2, Y2)
    assert H.fit_temperature(Z2, Y2, hi=1e300, iterations=200) == pytest.approx(want, rel=1e-12)


def test_temperature_derivative_at_a_huge_temperature_is_its_rounded_value():
    # the true value is about 1e-400: it rounds to 0 in float64 (was OverflowError)
    assert temperature_nll_grad(Z2, Y2, 1e200) == 0.0
    assert temperature_nll_grad(Z2, Y2, 1e150) > 0  # positive beyond the minimum, as derived


@pytest.mark.parametrize("T", [1e-310, 0.0, -1.0, np.inf])
def test_a_temperature_out_of_range_is_named_with_its_range(T):
    with pytest.raises(ValueError, match=r"^T must be a positive temperature in \[2\.2e-308"):
        temperature_nll(Z2, Y2, T)
    with pytest.raises(ValueError, match=r"^T must be a positive temperature"):
        temperature_nll_grad(Z2, Y2, T)


def test_a_tiny_normal_temperature_gives_finite_values_not_an_inf_logit_error():
    # z / T used to overflow to +inf and blame z; (z - max z) / T <= 0 cannot overflow
    z = 1e10 * Z2  # z / T = 3e310: inf in float64
    assert temperature_nll(z, [0, 0, 0, 1], 1e-300) == 0.0  # every example right: e^-3e310
    assert temperature_nll(z, [0, 0, 1, 1], 1e-290) == pytest.approx(3e300 / 4, rel=1e-15)


@pytest.mark.parametrize(
    "args, error, message",
    [
        (([0], 2, 1.5), ValueError, r"^eps must lie in \[0, 1\]"),
        (([0], 2, -0.1), ValueError, r"^eps must lie in \[0, 1\]"),
        (([0], 2, "0.1"), TypeError, r"^eps must be a real number"),
        (([0], 2, 0.1j), TypeError, r"^eps must be a real number"),
        (([0], 0, 0.1), ValueError, r"^k must be an integer >= 1"),
        (([2], 2, 0.1), ValueError, r"^y must lie in 0\.\.1"),
    ],
)
def test_smooth_labels_rejects_bad_arguments_by_name(args, error, message):
    with pytest.raises(error, match=message):
        smooth_labels(*args)


@pytest.mark.parametrize("batch_size, error", [(0, ValueError), (-1, ValueError)])
def test_softmax_regression_rejects_a_batch_size_below_one(batch_size, error):
    with pytest.raises(error, match="^batch_size must be an integer >= 1"):
        train_softmax_regression(np.eye(3), [0, 1, 0], 2, batch_size=batch_size)


def test_linear_head_rejects_report_every_zero():
    # was ZeroDivisionError (epoch % 0)
    with pytest.raises(ValueError, match="^report_every must be an integer >= 1"):
        train_linear_head(np.eye(2), [[1.0], [0.0]], "sigmoid", epochs=2, report_every=0)


BLOBS_X = 50 * np.array([[1.0, 2.0], [-1.0, -2.0], [2.0, 1.0], [-2.0, -1.0]])
BLOBS_Y = np.array([1, 0, 1, 0])


@pytest.mark.parametrize(
    "train",
    [
        lambda: train_linear_head(BLOBS_X, BLOBS_Y, "softmax", lr=1e306, epochs=20, verbose=False),
        lambda: train_softmax_regression(BLOBS_X, BLOBS_Y, 2, lr=1e306, epochs=5),
        lambda: train_sigmoid_regression(BLOBS_X, BLOBS_Y[:, None], lr=1e306, epochs=5),
        lambda: train_sigmoid(BLOBS_X, BLOBS_Y, [0.0, 0.0], 0.0, lr=1.0, steps=500, weight_decay=9),
    ],
)
def test_a_diverging_run_says_so_and_points_at_the_learning_rate(train):
    # used to end in "z contains NaN", blaming the data
    with pytest.raises(ValueError, match=r"^training diverged: .*lower lr"):
        train()


def test_divergence_with_weight_decay_names_weight_decay_too():
    with pytest.raises(ValueError, match=r"weight_decay=9\.0.*lower lr \(or weight_decay\)"):
        train_sigmoid(BLOBS_X, BLOBS_Y, [0.0, 0.0], 0.0, lr=1.0, steps=500, weight_decay=9)


@pytest.mark.parametrize(
    "f",
    [
        lambda x: x - x.sum(),  # every output depends on every input
        H.softmax,
        lambda x: np.cumsum(x),
        lambda x: x * x[::-1],
    ],
)
def test_central_difference_refuses_a_function_that_is_not_elementwise(f):
    # used to return a silently wrong "derivative"
    with pytest.raises(ValueError, match="^f is not elementwise"):
        H.central_difference(f, np.linspace(-1.0, 1.0, 6))


def test_central_difference_refuses_a_function_with_another_output_shape():
    with pytest.raises(ValueError, match="^f must be elementwise.*numerical_gradient"):
        H.central_difference(lambda x: np.sum(x**2), [1.0, 2.0])


def test_central_difference_accepts_a_function_returning_a_list():
    got = H.central_difference(lambda x: [float(v) ** 2 for v in x], [1.0, 2.0])
    assert_allclose(got, [2.0, 4.0], rtol=1e-9)


@pytest.mark.parametrize("h, x", [(1e308, 1.0), (1e308, -1e308), (1.7e308, 1e308)])
def test_central_difference_refuses_a_step_that_overflows(h, x):
    # h = 1e308 used to return 0 (dividing by 2h = inf)
    with pytest.raises(ValueError, match=r"^h=1(\.\d+)?e\+308 is too large"):
        H.central_difference(np.sin, [x], h=h)


def test_gradient_check_says_that_f_returned_inf():
    # used to say "b contains NaN" (inf - inf inside the difference)
    with np.errstate(over="ignore"):
        with pytest.raises(ValueError, match="^f returned inf at x"):
            H.gradient_check(lambda x: np.exp(x).sum(), [1000.0], [np.inf])
        with pytest.raises(ValueError, match="^f returned inf at x"):
            H.central_difference(np.exp, [1000.0, 0.0])


def test_logit_of_negative_zero_is_minus_inf_without_a_warning():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):
            out = H.logit(np.array([-0.0, 0.0, 1.0]))
    assert_array_equal(out, [-np.inf, -np.inf, np.inf])


@pytest.mark.parametrize("f", [H.reliability_bins, H.expected_calibration_error])
def test_calibration_rejects_rows_that_do_not_sum_to_one(f):
    with pytest.raises(ValueError, match=r"^each row of p must sum to 1 \(within 1\.0e-06\)"):
        f([[0.6, 0.6], [0.5, 0.5]], [0, 1])
    with pytest.raises(ValueError, match=r"^each row of p must sum to 1"):
        f([[0.2, 0.2], [0.5, 0.5]], [0, 1])
    f([[0.3, 0.7 + 5e-7], [0.5, 0.5]], [0, 1])  # within the stated tolerance


def test_row_sum_tolerance_grows_with_the_classes_and_the_dtype():
    from helpers._validate import row_sum_tolerance

    assert row_sum_tolerance(np.float64, 10) == 1e-6
    assert row_sum_tolerance(np.float32, 10) == pytest.approx(20 * np.finfo(np.float32).eps)
    p = H.softmax(np.linspace(-3, 3, 1000).astype(np.float32).reshape(1, -1))
    H.reliability_bins(p, [0])  # a float32 softmax over 1000 classes is accepted


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: H.standardize_sigmoid([1.0, 2.0], ddof=True), "ddof"),
        (lambda: H.standardize_sigmoid([1.0, 2.0], ddof=1.0), "ddof"),
        (lambda: H.two_class_to_sigmoid(np.eye(2), [0.0, 0.0], positive=1.0), "positive"),
    ],
)
def test_an_integer_choice_given_as_a_bool_or_float_is_a_type_error(call, name):
    # ddof=True used to pass as 1 (True in (0, 1))
    with pytest.raises(TypeError, match=rf"^{name} must be (an integer|0 or 1, the integer)"):
        call()


# -- the shared validators themselves (the explorers are to call these) -----------------------


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: V.check_int(True, "n"), TypeError, r"^n must be an integer, got True"),
        (lambda: V.check_int(2.0, "n"), TypeError, r"^n must be an integer, got 2\.0"),
        (lambda: V.check_int(None, "n"), TypeError, r"^n must be an integer, got None"),
        (lambda: V.check_int("3", "n"), TypeError, r"^n must be an integer, got '3'"),
        (lambda: V.positive_int(0, "k"), ValueError, r"^k must be an integer >= 1, got 0"),
        (lambda: V.nonnegative_int(-1, "steps"), ValueError, r"^steps must be an integer >= 0"),
        (lambda: V.finite_scalar(np.inf, "b"), ValueError, r"^b must be finite"),
        (lambda: V.finite_scalar([1.0, 2.0], "b"), ValueError, r"^b must be a single number"),
        (lambda: V.finite_scalar(1j, "b"), TypeError, r"^b must be a real number"),
        (lambda: V.check_unit_interval(1.5, "eps"), ValueError, r"^eps must lie in \[0, 1\]"),
        (lambda: V.check_bool(1, "verbose"), TypeError, r"^verbose must be True or False"),
        (lambda: V.check_choice("tanh", "head", ("a", "b")), ValueError, r"^head must be one of"),
        (lambda: V.check_seed(-2), ValueError, r"^seed must be an integer >= 0"),
        (lambda: V.finite_vector([[1.0]], "z"), ValueError, r"^z must be a 1-D sequence"),
        (lambda: V.finite_vector([1.0, 2.0], "z", 3), ValueError, r"^z must have exactly 3"),
        (lambda: V.finite_vector([1.0, np.inf], "z"), ValueError, r"^z must contain finite"),
        (lambda: V.positive_vector([1.0, 0.0], "ts"), ValueError, r"^ts must all be positive"),
        (lambda: V.logit_vector([np.inf, 0.0]), ValueError, r"^z must be finite \(-inf allowed"),
        (lambda: V.logit_vector([-np.inf]), ValueError, r"^z must be finite \(-inf allowed"),
        (lambda: V.integer_labels([0.0], "y", 1, 2), TypeError, r"^y must hold integer class"),
        (lambda: V.binary_labels([0, 2], "y", 2), ValueError, r"^y must hold the integer labels"),
        (lambda: V.binary_array([[0.5]], "Y"), ValueError, r"^Y must contain only 0 and 1"),
        (lambda: V.features([[np.inf]]), ValueError, r"^X must be finite"),
        (lambda: V.two_class_params(np.zeros((3, 2)), [0, 0]), ValueError, r"^W must have shape"),
        (lambda: V.probability_matrix([0.5]), ValueError, r"^p must have shape \(n, k\)"),
        (lambda: V.check_reduction("max"), ValueError, r"^reduction must be one of"),
    ],
)
def test_shared_validators_follow_the_one_error_policy(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_shared_validators_return_clean_values():
    assert V.check_int(np.int64(3), "n") == 3 and type(V.check_int(np.int64(3), "n")) is int
    assert V.finite_scalar(np.array(2.5), "b") == 2.5
    assert V.check_seed(None) is None and V.check_seed(np.uint8(7)) == 7
    assert V.finite_vector(np.float32([1, 2]), "z").dtype == np.float32
    assert_array_equal(V.logit_vector([0.0, -np.inf]), [0.0, -np.inf])
    assert V.working_dtype(np.float16) == np.float32 and V.working_dtype(np.float64) == np.float64
