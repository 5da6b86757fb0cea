"""helpers.losses against gold: formulas with scipy.special, mpmath, finite differences."""

import mpmath
import numpy as np
import pytest
import scipy.special as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

import helpers as _H
from helpers import (
    bce_with_logits,
    bce_with_logits_grad,
    binary_cross_entropy,
    cross_entropy_with_logits,
    gradient_check,
    numerical_gradient,
    sigmoid,
    softmax,
    softmax_cross_entropy_grad,
)
from helpers.calibration import label_smoothing_grad as _ls_grad
from tests import ulp as U

EPS = np.finfo(np.float64).eps
PROPERTY = settings(derandomize=True, database=None, max_examples=50, deadline=None)
RNG_SEED = 20240610


def batch(n=8, k=4, seed=RNG_SEED):
    rng = np.random.default_rng(seed)
    return 2 * rng.standard_normal((n, k)), rng.integers(0, k, n)


def gold_bce_with_logits(z, y):
    """-[y log sigma(z) + (1 - y) log sigma(-z)] with scipy's log_expit."""
    return -(y * sp.log_expit(z) + (1 - y) * sp.log_expit(-z))


def gold_cross_entropy(z, y):
    """-log softmax(z)[y] with scipy's log_softmax, one value per row."""
    return -np.take_along_axis(sp.log_softmax(z, axis=-1), y[:, None], axis=-1)[:, 0]


# --- binary cross-entropy on probabilities ---------------------------------------------


def test_binary_cross_entropy_matches_the_formula():
    rng = np.random.default_rng(1)
    p, y = rng.uniform(0.01, 0.99, 50), rng.uniform(0.0, 1.0, 50)
    gold = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert_allclose(binary_cross_entropy(p, y, reduction="none"), gold, rtol=1e-14)
    assert_allclose(binary_cross_entropy(p, y), gold.mean(), rtol=1e-14)
    assert_allclose(binary_cross_entropy(p, y, reduction="sum"), gold.sum(), rtol=1e-14)


def test_binary_cross_entropy_at_certain_predictions():
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        losses = binary_cross_entropy([0.0, 1.0, 0.0, 1.0], [0.0, 1.0, 1.0, 0.0], reduction="none")
    assert_array_equal(losses, [0.0, 0.0, np.inf, np.inf])  # confident and wrong: the true inf


# --- binary cross-entropy with logits --------------------------------------------------


def test_bce_with_logits_matches_scipy_and_the_probability_form():
    rng = np.random.default_rng(2)
    z, y = rng.uniform(-30.0, 30.0, 200), rng.uniform(0.0, 1.0, 200)
    assert_allclose(bce_with_logits(z, y, reduction="none"), gold_bce_with_logits(z, y), rtol=1e-13)
    z = z / 3  # where sigmoid(z) has not rounded to 1, the two losses agree
    assert_allclose(
        bce_with_logits(z, y, reduction="none"),
        binary_cross_entropy(sigmoid(z), y, reduction="none"),
        rtol=1e-11,
    )


@pytest.mark.parametrize("y", [0.0, 1.0])
def test_bce_with_logits_ulp_error(y):
    # for 0/1 labels the loss is softplus(-z) or softplus(z): relative accuracy everywhere
    z = np.concatenate([np.linspace(-40.0, 40.0, 321), [-800.0, -1e5, 1e5, 800.0]])
    sign = 1 if y == 0 else -1
    exact = U.exact_map(lambda v: mpmath.log1p(mpmath.exp(sign * v)), z)
    errors = U.ulp_errors(bce_with_logits(z, np.full_like(z, y), reduction="none"), exact)
    assert errors.max() <= 2.0, f"{errors.max():.2f} ULP at z = {z[errors.argmax()]}"


def test_bce_with_logits_extreme_logits():
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        l = bce_with_logits([40.0, -1000.0, 1000.0, 1000.0], [1.0, 1.0, 0.0, 1.0], reduction="none")
    assert_allclose(l[:3], [np.exp(-40.0), 1000.0, 1000.0], rtol=1e-15)  # small loss kept
    assert l[3] == 0.0


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_bce_with_logits_grad_matches_finite_differences(reduction):
    rng = np.random.default_rng(3)
    z, y = rng.uniform(-6.0, 6.0, (3, 4)), rng.uniform(0.0, 1.0, (3, 4))
    analytic = bce_with_logits_grad(z, y, reduction=reduction)
    check = gradient_check(lambda z_: bce_with_logits(z_, y, reduction=reduction), z, analytic)
    assert check, str(check)
    assert_allclose(bce_with_logits_grad(z, y, reduction="none"), sigmoid(z) - y, rtol=1e-15)


def test_bce_with_logits_grad_is_finite_for_huge_logits_and_keeps_float32():
    g = bce_with_logits_grad(np.array([1000.0, -1000.0]), np.array([0.0, 0.0]), reduction="none")
    assert_array_equal(g, [1.0, 0.0])
    z32 = np.array([[2.0, -3.0]], dtype=np.float32)
    assert bce_with_logits_grad(z32, np.array([[1.0, 0.0]])).dtype == np.float32


@pytest.mark.parametrize(
    "z, y, reduction, message",
    [
        (np.zeros((2, 2)), np.zeros((2, 3)), "mean", "shape"),
        (np.zeros(2), np.array([0.0, 2.0]), "mean", "y"),
        (np.zeros(0), np.zeros(0), "mean", "empty"),
        (np.zeros(2), np.zeros(2), "average", "reduction"),
    ],
)
def test_bce_with_logits_grad_rejects_bad_input(z, y, reduction, message):
    with pytest.raises(ValueError, match=message):
        bce_with_logits_grad(z, y, reduction=reduction)


def test_multi_label_batch_reduces_over_every_element():
    rng = np.random.default_rng(4)
    z, y = rng.standard_normal((5, 3)), rng.integers(0, 2, (5, 3)).astype(float)
    none = bce_with_logits(z, y, reduction="none")
    assert none.shape == (5, 3)
    assert_allclose(bce_with_logits(z, y), none.mean(), rtol=1e-15)
    assert_allclose(bce_with_logits(z, y, reduction="sum"), none.sum(), rtol=1e-15)


# --- cross-entropy with logits ---------------------------------------------------------


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_matches_scipy_for_labels_and_one_hot(reduction):
    z, y = batch()
    gold = gold_cross_entropy(z, y)
    gold = {"mean": gold.mean(), "sum": gold.sum(), "none": gold}[reduction]
    assert_allclose(cross_entropy_with_logits(z, y, reduction=reduction), gold, rtol=1e-14)
    one_hot = np.eye(z.shape[1])[y]
    assert_allclose(cross_entropy_with_logits(z, one_hot, reduction=reduction), gold, rtol=1e-14)


def test_cross_entropy_with_soft_targets_and_a_single_example():
    z = np.array([1.0, 2.0, 3.0])
    q = np.array([0.2, 0.3, 0.5])
    assert_allclose(cross_entropy_with_logits(z, q), -(q * sp.log_softmax(z)).sum(), rtol=1e-14)
    assert_allclose(cross_entropy_with_logits(z, 2), -sp.log_softmax(z)[2], rtol=1e-14)
    assert np.ndim(cross_entropy_with_logits(z, 2, reduction="none")) == 0


def test_cross_entropy_with_minus_inf_logits():
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        l = cross_entropy_with_logits([[-np.inf, 0.0], [-np.inf, 0.0]], [1, 0], reduction="none")
        one_hot = cross_entropy_with_logits([[-np.inf, 0.0]], [[0.0, 1.0]], reduction="none")
    assert_array_equal(l, [0.0, np.inf])
    assert_array_equal(one_hot, [0.0])


def test_cross_entropy_large_logits_stay_finite():
    z = np.array([[1000.0, 0.0, -1000.0], [0.0, 1e4, 0.0]])
    assert_allclose(cross_entropy_with_logits(z, np.array([0, 0]), reduction="none"), [0.0, 1e4])


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_fused_gradient_matches_finite_differences(reduction):
    z, y = batch(n=5, k=3)
    g = softmax_cross_entropy_grad(z, y, reduction=reduction)
    loss = cross_entropy_with_logits
    if reduction == "none":  # each row's gradient of its own loss; rows are independent
        numeric = numerical_gradient(lambda z_: loss(z_, y, reduction="sum"), z)
    else:
        numeric = numerical_gradient(lambda z_: loss(z_, y, reduction=reduction), z)
    assert_allclose(g, numeric, rtol=1e-7, atol=1e-9)
    n = 1 if reduction != "mean" else z.shape[0]
    assert_allclose(g * n, softmax(z) - np.eye(3)[y], rtol=1e-15, atol=1e-16)  # s - y


def test_fused_gradient_for_one_example_and_soft_targets():
    z, q = np.array([0.5, -1.0, 2.0]), np.array([0.1, 0.6, 0.3])
    g = softmax_cross_entropy_grad(z, q)
    assert_allclose(g, sp.softmax(z) - q, rtol=1e-14)
    check = gradient_check(lambda z_: cross_entropy_with_logits(z_, q), z, g)
    assert check, str(check)


# --- binary = two-class (lesson 04) ----------------------------------------------------


@PROPERTY
@given(st.floats(-50.0, 50.0), st.floats(-50.0, 50.0), st.sampled_from([0, 1]))
def test_binary_cross_entropy_equals_two_class_cross_entropy(z0, z1, label):
    two_class = float(cross_entropy_with_logits([z0, z1], label))
    binary = float(bce_with_logits(z1 - z0, float(label)))
    # both see the rounded difference z1 - z0; the tolerance covers that rounding
    assert_allclose(binary, two_class, rtol=1e-13, atol=1e-13)


# --- dtypes and empty sums -------------------------------------------------------------


def test_float32_losses_stay_float32():
    z, y = batch()
    z32 = z.astype(np.float32)
    assert cross_entropy_with_logits(z32, y).dtype == np.float32
    assert softmax_cross_entropy_grad(z32, y).dtype == np.float32
    t = (y % 2).astype(np.float32)
    assert bce_with_logits(z32[:, 0], t).dtype == np.float32
    assert binary_cross_entropy(sigmoid(z32[:, 0]), t).dtype == np.float32


def test_sum_over_an_empty_batch_is_zero():
    assert bce_with_logits(np.empty(0), np.empty(0), reduction="sum") == 0.0
    empty = np.empty((0, 3))
    assert cross_entropy_with_logits(empty, np.empty(0, dtype=int), reduction="sum") == 0.0
    assert cross_entropy_with_logits(empty, np.empty(0, int), reduction="none").shape == (0,)


# --- issue 11: infinite logits, signed zeros, what the docstrings promise -----------------


def test_bce_with_logits_at_infinite_logits_is_the_limit_without_warnings():
    z = np.array([np.inf, -np.inf, np.inf, -np.inf])
    y = np.array([1.0, 0.0, 0.0, 1.0])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        out = bce_with_logits(z, y, reduction="none")
        mean = bce_with_logits(z, y)
    assert_array_equal(out, [0.0, 0.0, np.inf, np.inf])  # y softplus(-z) + (1-y) softplus(z)
    assert not np.signbit(out).any()
    assert mean == np.inf
    # soft labels at an infinite logit cost inf; finite logits keep the definition
    assert bce_with_logits([np.inf], [0.5], reduction="none")[0] == np.inf
    zz = np.array([-30.0, -1.0, 0.0, 2.0, 30.0])
    for t in (0.0, 0.3, 1.0):
        expected = [
            float(t * mpmath.log1p(mpmath.exp(-v)) + (1 - t) * mpmath.log1p(mpmath.exp(v)))
            for v in zz
        ]
        assert_allclose(
            bce_with_logits(zz, np.full(5, t), reduction="none"), expected, rtol=4 * EPS
        )


def test_binary_cross_entropy_perfect_prediction_is_plus_zero_and_no_clamp():
    out = binary_cross_entropy([1.0, 0.0], [1.0, 0.0], reduction="none")
    assert_array_equal(out, [0.0, 0.0])
    assert not np.signbit(out).any()  # +0.0, not -0.0
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        wrong = binary_cross_entropy([0.0, 1.0], [1.0, 0.0], reduction="none")
    assert_array_equal(wrong, [np.inf, np.inf])  # PyTorch's BCELoss clamps the log at -100
    doc = binary_cross_entropy.__doc__
    assert "-100" in doc and "+0.0" in doc


def test_integral_float_labels_get_a_message_about_integers():
    with pytest.raises(TypeError, match=r"class labels y must be integers.*astype\(int\)"):
        cross_entropy_with_logits(np.zeros((3, 4)), np.array([1.0, 0.0, 3.0]))


# -- the weighted BCE (moved here from helpers.calibration) ----------------------------------


@pytest.mark.parametrize("w", [0.1, 1.0, 3.0])
def test_weighted_bce_at_infinite_logits_with_the_matching_label_is_zero(w):
    # was nan: (1 - y) * softplus(inf) = 0 * inf
    z, y = np.array([np.inf, -np.inf]), np.array([1.0, 0.0])
    assert_array_equal(_H.weighted_bce_with_logits(z, y, w, reduction="none"), [0.0, 0.0])
    assert_array_equal(_H.bce_with_logits(z, y, reduction="none"), [0.0, 0.0])
    wrong = _H.weighted_bce_with_logits(z, 1 - y, w, reduction="none")
    assert_array_equal(wrong, [np.inf, np.inf])


@pytest.mark.parametrize("w", [0.1, 0.3, 3.0])
def test_weighted_bce_gradient_at_infinite_logits_with_the_matching_label_is_zero(w):
    # (1 + (w - 1) y) sigma(z) - w y rounded to -2.8e-17 for w = 0.1 at z = inf, y = 1
    z, y = np.array([np.inf, -np.inf]), np.array([1.0, 0.0])
    assert_array_equal(_H.weighted_bce_with_logits_grad(z, y, w, reduction="sum"), [0.0, 0.0])
    assert_array_equal(_H.weighted_bce_with_logits_grad(z, 1 - y, w, "sum"), [1.0, -w])


def test_weighted_bce_gradient_has_reduction_none():
    z = np.array([[0.5, -2.0], [3.0, 0.0]])
    y = np.array([[1.0, 0.0], [0.0, 1.0]])
    none = _H.weighted_bce_with_logits_grad(z, y, [2.0, 0.5], reduction="none")
    assert_array_equal(none, _H.weighted_bce_with_logits_grad(z, y, [2.0, 0.5], "sum"))
    assert_allclose(none / z.size, _H.weighted_bce_with_logits_grad(z, y, [2.0, 0.5]), rtol=0)
    with pytest.raises(ValueError, match="^reduction must be one of"):
        _H.weighted_bce_with_logits_grad(z, y, 2.0, reduction="max")


def _within_one_float16_step(got, want64):
    want = want64.astype(np.float16)
    assert got.dtype == np.float16
    step = np.spacing(np.abs(want)).astype(np.float64)
    assert (np.abs(got.astype(np.float64) - want.astype(np.float64)) <= step).all()


N16 = 70_000  # above float16's largest value, 65504


@pytest.mark.parametrize(
    "grad",
    [
        lambda z, y: _H.bce_with_logits_grad(z, y[:, None].astype(np.float16)),
        lambda z, y: _H.weighted_bce_with_logits_grad(z, y[:, None].astype(np.float16), 2.0),
    ],
)
def test_float16_mean_gradients_over_more_examples_than_float16_counts(grad):
    # n = 70,000 used to round to inf in float16: every gradient became 0
    z = np.zeros((N16, 1), dtype=np.float16)
    y = (np.arange(N16) % 2).astype(np.int64)
    g = grad(z, y)
    g64 = grad(z.astype(np.float64), y)
    assert (g != 0).all()
    _within_one_float16_step(g, g64.astype(np.float64))


def test_float16_softmax_gradients_over_more_examples_than_float16_counts():
    z = np.zeros((N16, 2), dtype=np.float16)
    y = (np.arange(N16) % 2).astype(np.int64)
    for grad in (softmax_cross_entropy_grad, lambda z, y: _ls_grad(z, y, 0.1)):
        g = grad(z, y)
        assert (g != 0).all()
        _within_one_float16_step(g, grad(z.astype(np.float64), y))


def test_float16_cross_entropy_over_70000_classes_is_finite_and_right():
    z = np.zeros((1, N16), dtype=np.float16)
    loss = cross_entropy_with_logits(z, [3])
    _within_one_float16_step(np.asarray(loss), np.asarray(np.log(N16)))
    g = softmax_cross_entropy_grad(z, [3])
    _within_one_float16_step(g, softmax_cross_entropy_grad(z.astype(np.float64), [3]))
