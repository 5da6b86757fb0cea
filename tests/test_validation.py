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
