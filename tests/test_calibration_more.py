"""Lesson 06, calibration beyond ECE: Brier score and its split, MCE, classwise ECE, binning.

Gold values come from independent formulas written out here (loops over examples, mpmath
sums, the expanded Brier formula), from hand-built cases whose answer follows from the
definition, and from properties that pin the math (the decomposition adds up, a calibrated
construction has zero reliability, order does not matter).
"""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import helpers
from helpers import calibration, recalibration, softmax


def _probs(n, k, seed=0, scale=2.0):
    rng = np.random.default_rng(seed)
    return softmax(scale * rng.normal(size=(n, k)), axis=1), rng.integers(0, k, n)


def _bin(q, M):
    """Bin of q in ((b-1)/M, b/M], 0 in bin 0, by the definition (not by searchsorted)."""
    return max(int(np.ceil(q * M)) - 1, 0)


# -- Brier score ---------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(4))
def test_brier_score_against_mpmath_sum(seed):
    p, y = _probs(40, 5, seed=seed)
    with mpmath.workdps(40):
        gold = (
            sum(
                (mpmath.mpf(float(p[i, j])) - (1 if j == y[i] else 0)) ** 2
                for i in range(40)
                for j in range(5)
            )
            / 40
        )
    assert calibration.brier_score(p, y) == pytest.approx(float(gold), rel=1e-13)


def test_brier_score_equals_its_expanded_form_and_its_bounds():
    p, y = _probs(100, 4, seed=7)
    expanded = np.mean(1 - 2 * p[np.arange(100), y] + np.sum(p**2, axis=1))
    assert calibration.brier_score(p, y) == pytest.approx(expanded, rel=1e-12)
    onehot = np.eye(4)[y]
    assert calibration.brier_score(onehot, y) == 0.0
    assert calibration.brier_score(onehot, (y + 1) % 4) == 2.0


def test_brier_score_is_proper_on_a_known_distribution():
    """The expected score under class frequencies q is smallest when predicting q."""
    y = np.array([0] * 6 + [1] * 3 + [2] * 1)  # frequencies q = (0.6, 0.3, 0.1)
    q = np.array([0.6, 0.3, 0.1])
    best = calibration.brier_score(np.tile(q, (10, 1)), y)
    rng = np.random.default_rng(1)
    for _ in range(20):
        other = rng.dirichlet(np.ones(3))
        assert calibration.brier_score(np.tile(other, (10, 1)), y) > best


def test_helpers_exports_the_new_functions():
    for name in ("brier_score", "brier_decomposition", "max_calibration_error", "classwise_ece"):
        assert getattr(helpers, name) is getattr(calibration, name)
        assert name in helpers.__all__


# -- the decomposition -----------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 60),
    k=st.integers(2, 6),
    M=st.integers(1, 20),
    seed=st.integers(0, 10_000),
)
def test_decomposition_adds_up_to_the_brier_score(n, k, M, seed):
    p, y = _probs(n, k, seed=seed, scale=3.0)
    d = calibration.brier_decomposition(p, y, M)
    assert d.brier == pytest.approx(calibration.brier_score(p, y), rel=1e-12)
    total = d.reliability - d.resolution + d.uncertainty + d.within_bin
    assert total == pytest.approx(d.brier, rel=1e-9, abs=1e-12)
    assert d.reliability >= 0 and d.resolution >= 0


def _decomposition_by_loops(p, y, M):
    n, k = p.shape
    rel = res = wb = 0.0
    unc = 0.0
    for j in range(k):
        o = (y == j).astype(float)
        unc += o.mean() * (1 - o.mean())
        b = np.array([_bin(q, M) for q in p[:, j]])
        for bi in set(b.tolist()):
            m = b == bi
            pb, ob = p[m, j].mean(), o[m].mean()
            rel += m.sum() / n * (pb - ob) ** 2
            res += m.sum() / n * (ob - o.mean()) ** 2
            wb += np.sum((p[m, j] - pb) ** 2 - 2 * (p[m, j] - pb) * (o[m] - ob)) / n
    return rel, res, unc, wb


@pytest.mark.parametrize("M", [1, 3, 10, 15])
def test_decomposition_terms_against_loops_over_bins(M):
    p, y = _probs(120, 4, seed=M)
    d = calibration.brier_decomposition(p, y, M)
    rel, res, unc, wb = _decomposition_by_loops(p, y, M)
    assert d.reliability == pytest.approx(rel, rel=1e-10)
    assert d.resolution == pytest.approx(res, rel=1e-10)
    assert d.uncertainty == pytest.approx(unc, rel=1e-12)
    assert d.within_bin == pytest.approx(wb, rel=1e-8, abs=1e-14)


def test_uncertainty_is_one_minus_the_sum_of_squared_frequencies():
    p, y = _probs(90, 3, seed=2)
    pi = np.bincount(y, minlength=3) / 90
    assert calibration.brier_decomposition(p, y).uncertainty == pytest.approx(1 - np.sum(pi**2))


def test_a_calibrated_constant_forecast_has_zero_reliability_and_no_within_bin_term():
    """Each forecast value alone in its bin and equal to its outcome rate."""
    y = np.array([0] * 6 + [1] * 2)  # class 0 is true 3/4 of the time
    p = np.tile([[0.75, 0.25]], (8, 1))
    d = calibration.brier_decomposition(p, y, n_bins=10)
    assert d.reliability == 0.0
    assert d.within_bin == 0.0
    assert d.resolution == 0.0  # one bin per class: nothing separates the images
    assert d.brier == pytest.approx(d.uncertainty, rel=1e-15)


# -- MCE and classwise ECE ------------------------------------------------------------------


@pytest.mark.parametrize("M", [1, 5, 15])
def test_mce_is_the_largest_gap_of_a_non_empty_bin(M):
    p, y = _probs(80, 4, seed=M + 20)
    c, right = p.max(1), p.argmax(1) == y
    b = np.array([_bin(q, M) for q in c])
    gold = max(abs(right[b == bi].mean() - c[b == bi].mean()) for bi in set(b.tolist()))
    assert calibration.max_calibration_error(p, y, M) == pytest.approx(gold, rel=1e-12)


def test_mce_is_at_least_the_ece_and_one_bin_gives_equality():
    p, y = _probs(200, 6, seed=5)
    assert calibration.max_calibration_error(p, y) >= calibration.expected_calibration_error(p, y)
    assert calibration.max_calibration_error(p, y, 1) == pytest.approx(
        calibration.expected_calibration_error(p, y, 1), rel=1e-12
    )


@pytest.mark.parametrize("M", [1, 4, 15])
def test_classwise_ece_against_a_loop_over_classes_and_bins(M):
    p, y = _probs(100, 5, seed=M + 40)
    n, k = p.shape
    gold = 0.0
    for j in range(k):
        o = (y == j).astype(float)
        b = np.array([_bin(q, M) for q in p[:, j]])
        for bi in set(b.tolist()):
            m = b == bi
            gold += m.sum() / n * abs(o[m].mean() - p[m, j].mean())
    assert calibration.classwise_ece(p, y, M) == pytest.approx(gold / k, rel=1e-10)


def test_classwise_ece_for_two_classes_is_one_column_calibrated_against_the_truth():
    """For k = 2 both columns carry the same gaps, so the mean equals one column's ECE."""
    p, y = _probs(150, 2, seed=3)
    col = calibration.classwise_ece(p, y, 10)
    o, q = (y == 1).astype(float), p[:, 1]
    b = np.array([_bin(v, 10) for v in q])
    gold = sum((b == bi).sum() / 150 * abs(o[b == bi].mean() - q[b == bi].mean()) for bi in set(b))
    # column 0 bins 1 - q; the same images share bins except on bin edges, absent here
    assert col == pytest.approx(gold, rel=1e-9)


# -- histogram binning ------------------------------------------------------------------------


def test_binning_fit_is_the_outcome_rate_per_class_and_bin():
    p, y = _probs(200, 3, seed=11)
    values = recalibration.histogram_binning_fit(p, y, 5)
    for j in range(3):
        b = np.array([_bin(q, 5) for q in p[:, j]])
        for bi in range(5):
            m = b == bi
            if m.any():
                assert values[j, bi] == pytest.approx(np.mean(y[m] == j), rel=1e-15)
            else:
                assert np.isnan(values[j, bi])


def test_binning_apply_gives_probability_distributions():
    p, y = _probs(300, 4, seed=12)
    values = recalibration.histogram_binning_fit(p, y, 15)
    q = recalibration.histogram_binning_apply(p, values)
    assert q.shape == p.shape
    assert np.allclose(q.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    assert ((q >= 0) & (q <= 1)).all()


def test_binning_apply_keeps_probabilities_of_empty_bins_and_of_all_zero_rows():
    values = np.array([[np.nan, 0.0], [np.nan, 0.0]])  # bin 0 empty, bin 1 never positive
    q = recalibration.histogram_binning_apply([[0.3, 0.7], [0.5, 0.5]], values)
    assert np.allclose(q[0], [1.0, 0.0])  # 0.3 keeps 0.3 (empty bin), 0.7 becomes 0
    assert np.allclose(q[1], [0.5, 0.5])  # both become 0: the row keeps its probabilities


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: calibration.brier_score([[0.5, 0.5]], [2]), ValueError, "0..1"),
        (lambda: calibration.brier_score([[0.5, 0.5]], [0.0]), TypeError, "integer"),
        (lambda: calibration.brier_score([[1.5, -0.5]], [0]), ValueError, "p"),
        (lambda: calibration.brier_decomposition([[0.5, 0.5]], [0], 0), ValueError, "n_bins"),
        (lambda: calibration.classwise_ece([0.5, 0.5], [0]), ValueError, "shape"),
        (lambda: calibration.max_calibration_error([[0.5, 0.5]], [0], 0), ValueError, "n_bins"),
        (lambda: recalibration.histogram_binning_fit([["a", "b"]], [0]), TypeError, "p"),
        (
            lambda: recalibration.histogram_binning_apply([[0.5, 0.5]], np.zeros((3, 4))),
            ValueError,
            "values",
        ),
        (
            lambda: recalibration.histogram_binning_apply([[0.5, 0.5]], np.full((2, 4), 2.0)),
            ValueError,
            "values",
        ),
    ],
)
def test_bad_input_raises_naming_the_argument(call, error, message):
    with pytest.raises(error, match=message):
        call()


# -- the two facts of lesson 06 the new cells print ------------------------------------------


def test_temperature_can_reorder_confidence_across_examples():
    k = 100
    A = np.zeros(k)
    A[0] = 1.0
    B = np.full(k, -np.inf)
    B[:2] = [1.0, 0.9]
    for T in (1.0, 0.1):
        gold_A = 1 / (1 + (k - 1) * mpmath.exp(-1 / mpmath.mpf(T)))
        gold_B = 1 / (1 + mpmath.exp(-mpmath.mpf("0.1") / mpmath.mpf(T)))
        assert softmax(A / T).max() == pytest.approx(float(gold_A), rel=1e-13)
        assert softmax(B / T).max() == pytest.approx(float(gold_B), rel=1e-13)
    assert softmax(A).max() < softmax(B).max()
    assert softmax(A / 0.1).max() > softmax(B / 0.1).max()


def test_all_right_validation_data_has_no_temperature_minimum():
    rng = np.random.default_rng(3)
    z = rng.normal(size=(50, 4))
    y = np.argmax(z, axis=1)  # every example right
    slopes = [recalibration.temperature_nll_grad(z, y, T) for T in np.geomspace(1e-3, 1e3, 25)]
    assert min(slopes) > 0
    with pytest.raises(ValueError, match="T <= 0.05"):
        recalibration.fit_temperature(z, y)
