"""helpers.calibration and helpers.data: the math of lesson 06 against gold values and properties.

Gold values come from scipy (logsumexp), mpmath (50 digits), central differences and
derivations written out in the test; nothing is a typed-in number the code did not compute.
"""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
from scipy.special import logsumexp as scipy_lse

from helpers import (
    bce_with_logits,
    calibration,
    data,
    losses,
    metrics,
    recalibration,
    softmax,
    softmax_cross_entropy_grad,
    training,
)

RNG = np.random.default_rng(2017)


def _probs(n, k, seed=0, scale=2.0):
    rng = np.random.default_rng(seed)
    return softmax(scale * rng.normal(size=(n, k)), axis=1), rng.integers(0, k, n)


# -- ECE and reliability bins ------------------------------------------------------------------


def _ece_by_definition(p, y, M):
    """Each example's gap is its bin's |acc - conf|; ECE is the mean over examples."""
    c = p.max(axis=1)
    right = p.argmax(axis=1) == y
    b = np.array([max(int(np.ceil(ci * M)) - 1, 0) for ci in c])  # ((b-1)/M, b/M]
    per_example = [abs(right[b == bi].mean() - c[b == bi].mean()) for bi in b]
    return float(np.mean(per_example))


@pytest.mark.parametrize("M", [1, 2, 7, 15, 40])
def test_ece_equals_its_definition(M):
    p, y = _probs(300, 6, seed=M)
    assert calibration.expected_calibration_error(p, y, M) == pytest.approx(
        _ece_by_definition(p, y, M), rel=1e-12, abs=1e-15
    )


def test_one_bin_ece_is_the_gap_between_accuracy_and_mean_confidence():
    p, y = _probs(200, 4, seed=3)
    acc = np.mean(p.argmax(1) == y)
    assert calibration.expected_calibration_error(p, y, 1) == pytest.approx(
        abs(acc - p.max(1).mean()), rel=1e-12
    )


def test_ece_of_a_calibrated_construction_is_zero_and_of_a_wrong_one_is_its_gap():
    p = np.tile([[0.75, 0.25]], (8, 1))
    assert calibration.expected_calibration_error(p, np.array([0] * 6 + [1] * 2)) == 0.0
    assert calibration.expected_calibration_error(p, np.array([0] * 4 + [1] * 4)) == 0.25


def test_edges_belong_to_the_lower_bin():
    bins = calibration.reliability_bins([[0.5, 0.5], [0.25, 0.75], [0.0, 1.0]], [0, 1, 1], 4)
    assert bins.count.tolist() == [0, 1, 1, 1]  # 0.5 in (0.25, 0.5], 0.75 in (0.5, 0.75]


def test_ece_is_invariant_to_the_order_of_examples_and_bounded():
    p, y = _probs(150, 5, seed=9)
    order = RNG.permutation(150)
    a = calibration.expected_calibration_error(p, y)
    assert a == pytest.approx(calibration.expected_calibration_error(p[order], y[order]), rel=1e-12)
    assert 0 <= a <= 1


def test_reliability_weights_and_gaps():
    p, y = _probs(100, 3, seed=4)
    bins = calibration.reliability_bins(p, y, 10)
    assert bins.weight.sum() == pytest.approx(1.0)
    assert np.isnan(bins.gap[bins.count == 0]).all()


@pytest.mark.parametrize(
    "args, message",
    [
        (([[0.5, 0.5]], [0], 0), "n_bins"),
        (([[0.5, 0.5]], [2], 5), "0..1"),
        (([[0.5, 0.5]], [0.0], 5), "integer"),
        (([[1.5, -0.5]], [0], 5), r"\[0, 1\]"),
        (([0.5, 0.5], [0], 5), "shape"),
    ],
)
def test_ece_rejects_bad_input_with_its_own_message(args, message):
    with pytest.raises((ValueError, TypeError), match=message):
        calibration.expected_calibration_error(*args)


# -- temperature scaling -----------------------------------------------------------------------


def test_temperature_nll_against_scipy_and_mpmath():
    z, y = RNG.normal(size=(20, 5)) * 4, RNG.integers(0, 5, 20)
    for T in (0.3, 1.0, 2.5):
        gold = np.mean(scipy_lse(z / T, axis=1) - z[np.arange(20), y] / T)
        assert recalibration.temperature_nll(z, y, T) == pytest.approx(gold, rel=1e-13)
    mpmath.mp.dps = 50
    row, T = [1000.0, -3.0, 999.0], 0.7
    gold = mpmath.log(sum(mpmath.exp(mpmath.mpf(v) / T) for v in row)) - mpmath.mpf(row[2]) / T
    assert recalibration.temperature_nll([row], [2], T) == pytest.approx(float(gold), rel=1e-14)


@pytest.mark.parametrize("T", [0.2, 0.9, 3.0])
def test_temperature_derivative_against_central_differences(T):
    z, y = RNG.normal(size=(30, 4)) * 3, RNG.integers(0, 4, 30)
    h = 1e-5 * T
    numeric = (
        recalibration.temperature_nll(z, y, T + h) - recalibration.temperature_nll(z, y, T - h)
    ) / (2 * h)
    assert recalibration.temperature_nll_grad(z, y, T) == pytest.approx(numeric, rel=1e-6)


def test_temperature_derivative_with_a_ruled_out_class_is_finite():
    z = np.array([[0.0, -np.inf, 2.0], [1.0, 0.5, -np.inf]])
    g = recalibration.temperature_nll_grad(z, [0, 1], 1.3)
    finite = recalibration.temperature_nll_grad(np.where(np.isinf(z), -1e6, z), [0, 1], 1.3)
    assert np.isfinite(g) and g == pytest.approx(finite, rel=1e-12)


def test_fit_temperature_solves_the_two_class_case_exactly():
    # 3 of 4 right with margin 3: the NLL is minimal where sigma(3 / T) = 3/4
    z = [[3.0, 0.0], [3.0, 0.0], [3.0, 0.0], [0.0, 3.0]]
    assert recalibration.fit_temperature(z, [0, 0, 1, 1]) == pytest.approx(3 / np.log(3), rel=1e-12)


def test_fitted_temperature_is_a_minimum_and_recovers_a_planted_temperature():
    rng = np.random.default_rng(5)
    z = 3 * rng.normal(size=(4000, 4))
    y = np.array([rng.choice(4, p=row) for row in softmax(z / 2.0, axis=1)])
    T = recalibration.fit_temperature(z, y)
    assert abs(recalibration.temperature_nll_grad(z, y, T)) < 1e-10
    assert T == pytest.approx(2.0, rel=0.1)  # sampling noise of 4000 labels


def test_temperature_keeps_every_prediction():
    z = RNG.normal(size=(50, 7))
    for T in (0.1, 0.5, 4.0):
        assert np.array_equal(np.argmax(z, 1), np.argmax(softmax(z / T, axis=1), 1))


def test_fit_temperature_says_when_there_is_no_minimum_inside():
    z = np.array([[2.0, 0.0], [0.0, 2.0]])  # all right: the NLL keeps falling as T -> 0
    with pytest.raises(ValueError, match="smallest at T <="):
        recalibration.fit_temperature(z, [0, 1])
    with pytest.raises(ValueError, match="positive"):
        recalibration.temperature_nll(z, [0, 1], -1.0)


# -- label smoothing ---------------------------------------------------------------------------


def test_smoothed_rows_sum_to_one_and_match_the_definition():
    t = calibration.smooth_labels([2, 0], 4, 0.2)
    np.testing.assert_allclose(t.sum(axis=1), 1.0)
    assert t[0, 2] == pytest.approx(1 - 0.2 + 0.2 / 4) and t[0, 0] == pytest.approx(0.2 / 4)


def test_label_smoothing_loss_is_pytorchs_mix_of_two_cross_entropies():
    # -sum t log s = (1 - eps) * CE(y) + eps * mean_j(-log s_j): PyTorch's label_smoothing
    z, y, eps = RNG.normal(size=(6, 5)), RNG.integers(0, 5, 6), 0.15
    logp = z - scipy_lse(z, axis=1, keepdims=True)
    gold = np.mean((1 - eps) * -logp[np.arange(6), y] + eps * np.mean(-logp, axis=1))
    assert calibration.label_smoothing_cross_entropy(z, y, eps) == pytest.approx(gold, rel=1e-13)


def test_label_smoothing_gradient_against_central_differences_and_eps_zero():
    z, y = RNG.normal(size=(5, 4)), RNG.integers(0, 4, 5)
    g = calibration.label_smoothing_grad(z, y, 0.1)
    h = 1e-6
    for i, j in [(0, 0), (2, 3), (4, 1)]:
        e = np.zeros_like(z)
        e[i, j] = h
        f = lambda zz: calibration.label_smoothing_cross_entropy(zz, y, 0.1)  # noqa: E731
        assert g[i, j] == pytest.approx((f(z + e) - f(z - e)) / (2 * h), rel=1e-6, abs=1e-10)
    np.testing.assert_allclose(
        calibration.label_smoothing_grad(z, y, 0.0), softmax_cross_entropy_grad(z, y), rtol=1e-14
    )
    np.testing.assert_allclose(g.sum(axis=1), 0.0, atol=1e-16)  # shift invariance


def test_label_smoothing_gradient_vanishes_at_the_preferred_gap():
    eps, k = 0.1, 10
    gap = np.log((1 - eps + eps / k) / (eps / k))
    z = np.zeros((1, k))
    z[0, 3] = gap
    np.testing.assert_allclose(calibration.label_smoothing_grad(z, [3], eps), 0.0, atol=1e-15)


def test_label_smoothing_keeps_float32_and_rejects_bad_eps():
    z = np.ones((2, 3), dtype=np.float32)
    assert calibration.label_smoothing_grad(z, [0, 1], 0.1).dtype == np.float32
    with pytest.raises(ValueError, match="eps"):
        calibration.label_smoothing_grad(z, [0, 1], 1.5)


# -- weighted BCE --------------------------------------------------------------------------------


def test_weight_one_is_the_plain_loss():
    z, y = RNG.normal(size=(7, 3)) * 5, (RNG.random((7, 3)) < 0.4).astype(float)
    assert losses.weighted_bce_with_logits(z, y, 1.0) == pytest.approx(
        bce_with_logits(z, y), rel=1e-14
    )


def test_weighted_bce_against_mpmath():
    mpmath.mp.dps = 50
    z, y, w = np.array([[-30.0, 2.5, 40.0]]), np.array([[1.0, 0.0, 1.0]]), np.array([3.0, 0.5, 9.0])

    def gold(zi, yi, wi):
        s = 1 / (1 + mpmath.exp(-mpmath.mpf(zi)))
        return -(wi * yi * mpmath.log(s) + (1 - yi) * mpmath.log(1 - s))

    expected = float(sum(gold(*t) for t in zip(z[0], y[0], w)) / 3)
    assert losses.weighted_bce_with_logits(z, y, w) == pytest.approx(expected, rel=1e-14)


def test_weighted_bce_gradient_against_central_differences():
    z, y = RNG.normal(size=(4, 3)), (RNG.random((4, 3)) < 0.5).astype(float)
    w = np.array([2.0, 0.5, 7.0])
    g = losses.weighted_bce_with_logits_grad(z, y, w)
    h = 1e-6
    for i, j in [(0, 0), (1, 2), (3, 1)]:
        e = np.zeros_like(z)
        e[i, j] = h
        f = lambda zz: float(losses.weighted_bce_with_logits(zz, y, w))  # noqa: E731
        assert g[i, j] == pytest.approx((f(z + e) - f(z - e)) / (2 * h), rel=1e-6)


def test_the_weighted_minimiser_is_shifted_as_derived():
    # for a group positive with probability q, w q softplus(-z) + (1 - q) softplus(z) is
    # smallest where sigma(z) = w q / (w q + 1 - q): the gradient vanishes there
    q, w = 0.1, 9.0
    p = w * q / (w * q + 1 - q)
    z = np.log(p / (1 - p))
    g = q * losses.weighted_bce_with_logits_grad([z], [1.0], w, "sum") + (
        1 - q
    ) * losses.weighted_bce_with_logits_grad([z], [0.0], w, "sum")
    assert abs(g[0]) < 1e-15


def test_weighted_bce_is_finite_for_huge_logits_and_keeps_float32():
    z = np.array([[1000.0, -1000.0]])
    assert np.isfinite(losses.weighted_bce_with_logits(z, [[0.0, 1.0]], [2.0, 3.0]))
    z32 = np.ones((2, 2), dtype=np.float32)
    w32 = np.array([2.0, 3.0], dtype=np.float32)
    assert losses.weighted_bce_with_logits(z32, np.eye(2), w32).dtype == np.float32


@pytest.mark.parametrize("w, message", [(-1.0, "positive"), ([1.0, 2.0, 3.0], "broadcast")])
def test_weighted_bce_rejects_bad_weights(w, message):
    with pytest.raises(ValueError, match=message):
        losses.weighted_bce_with_logits(np.zeros((2, 2)), np.eye(2), w)


def test_pos_weight_balances_the_total_weight_of_each_label():
    Y = (RNG.random((50, 3)) < [0.1, 0.5, 0.8]).astype(float)
    w = metrics.pos_weight_from_counts(Y)
    np.testing.assert_allclose(w * Y.sum(axis=0), (1 - Y).sum(axis=0))


def test_chosen_thresholds_maximise_validation_f1():
    rng = np.random.default_rng(8)
    Y = (rng.random((200, 3)) < 0.3).astype(float)
    p = np.clip(0.35 * Y + 0.65 * rng.random((200, 3)), 0, 1)
    t = metrics.choose_thresholds(p, Y)
    grid = np.linspace(0.01, 0.99, 99)
    for j in range(3):
        best = max(metrics.f1_score(p[:, j] >= g, Y[:, j]) for g in grid)
        assert metrics.f1_score(p[:, j] >= t[j], Y[:, j]) == pytest.approx(best, abs=1e-12)


# -- training ----------------------------------------------------------------------------------


def test_one_full_batch_epoch_is_one_gradient_step():
    X, y = RNG.random((12, 5)), RNG.integers(0, 3, 12)
    model = training.train_softmax_regression(X, y, k=3, epochs=1, lr=0.7, batch_size=12, eps=0.2)
    G = calibration.label_smoothing_grad(np.zeros((12, 3)), y, 0.2)
    np.testing.assert_allclose(model.W, -0.7 * X.T @ G, rtol=1e-14, atol=1e-15)  # rows shuffled
    np.testing.assert_allclose(model.b, -0.7 * G.sum(axis=0), rtol=1e-14, atol=1e-15)


def test_training_is_deterministic_and_lowers_the_loss():
    s = data.digit_splits()
    a = training.train_softmax_regression(s.X_train, s.y_train, epochs=3, seed=4)
    b = training.train_softmax_regression(s.X_train, s.y_train, epochs=3, seed=4)
    assert np.array_equal(a.W, b.W)
    assert a.history["train loss"][-1] < a.history["train loss"][0]


def test_sigmoid_training_one_full_batch_step():
    X, Y = RNG.random((10, 4)), (RNG.random((10, 2)) < 0.3).astype(float)
    w = np.array([3.0, 1.0])
    m = training.train_sigmoid_regression(X, Y, pos_weight=w, epochs=1, lr=0.5, batch_size=10)
    G = losses.weighted_bce_with_logits_grad(np.zeros((10, 2)), Y, w, "sum") / 10
    np.testing.assert_allclose(m.W, -0.5 * X.T @ G, rtol=1e-14, atol=1e-15)


# -- data ------------------------------------------------------------------------------------------


def test_digits_load_and_split_without_overlap():
    X, y = data.load_digits()
    assert X.shape == (1797, 64) and set(np.unique(y)) == set(range(10))
    s = data.digit_splits(n_val=300, n_test=200, seed=1)
    parts = [s.X_train, s.X_val, s.X_test]
    assert sum(len(p) for p in parts) == 1797
    assert 0 <= min(p.min() for p in parts) and max(p.max() for p in parts) <= 1
    rows = {tuple(r) for r in np.vstack(parts) * 16}
    assert rows == {tuple(r) for r in X}  # a permutation of the whole set (all rows distinct)


def test_attributes_follow_the_digit():
    Y = data.digit_attributes(np.arange(10))
    for j, name in enumerate(data.ATTRIBUTES):
        assert np.flatnonzero(Y[:, j]).tolist() == sorted(data.ATTRIBUTES[name])
    with pytest.raises(ValueError, match="unknown"):
        data.digit_attributes([1], ["odd"])
