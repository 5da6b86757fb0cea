"""helpers.datasets: the seeded toy data of lessons 04 and 05."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import datasets

X, Y = datasets.toy_blobs()


def test_toy_blobs_is_deterministic_and_labelled():
    X2, Y2 = datasets.toy_blobs()
    assert X.shape == (200, 2) and Y.shape == (200,)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(Y, Y2)
    assert Y.dtype == np.int64 and (Y[:100] == 0).all() and (Y[100:] == 1).all()
    # the blobs sit around their centres
    np.testing.assert_allclose(X[Y == 0].mean(axis=0), [-1.0, -0.5], atol=0.3)
    np.testing.assert_allclose(X[Y == 1].mean(axis=0), [1.0, 0.75], atol=0.3)


@pytest.mark.parametrize(
    "n, error", [(0, ValueError), (-1, ValueError), (2.5, TypeError), (True, TypeError)]
)
def test_toy_blobs_rejects_bad_sizes(n, error):
    with pytest.raises(error, match="^n_per_class must be an integer"):
        datasets.toy_blobs(n)


@pytest.mark.parametrize("make", [datasets.toy_blobs, datasets.make_multilabel_data])
@pytest.mark.parametrize(
    "seed, error, message",
    [
        (-1, ValueError, r"^seed must be an integer >= 0, got -1"),
        (1.5, TypeError, r"^seed must be an integer, got 1.5"),
        ("0", TypeError, r"^seed must be an integer"),
    ],
)
def test_generators_reject_a_bad_seed_with_their_own_message(make, seed, error, message):
    # toy_blobs(seed=-1) used to surface NumPy's "expected non-negative integer"
    with pytest.raises(error, match=message):
        make(seed=seed)


def test_multilabel_data_is_fixed_and_has_real_co_occurrence():
    X, Y = datasets.make_multilabel_data()
    X2, Y2 = datasets.make_multilabel_data()
    assert X.shape == (600, 2) and Y.shape == (600, 3)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(Y, Y2)
    per_row = Y.sum(axis=1)
    assert 0.1 < np.mean(per_row == 0) < 0.3  # "none of the above" exists
    assert np.mean(per_row >= 2) > 0.25  # co-occurrence is common
    # label 2 comes with labels 0 and 1: P(0 and 1 | 2) far above P(0 and 1)
    both = (Y[:, 0] == 1) & (Y[:, 1] == 1)
    assert both[Y[:, 2] == 1].mean() > 2 * both.mean()


def test_multiclass_data_has_exactly_one_class_per_row():
    X, y = datasets.make_multiclass_data()
    assert X.shape == (600, 2) and y.shape == (600,) and y.dtype.kind == "i"
    assert set(np.unique(y)) == {0, 1, 2}
    assert np.bincount(y).min() > 150


def test_softmax_targets_spread_the_mass_and_drop_empty_rows():
    Y = np.array([[1.0, 1, 0], [0, 0, 0], [1, 1, 1], [0, 1, 0]])
    T, keep = datasets.softmax_targets(Y)
    np.testing.assert_array_equal(keep, [True, False, True, True])
    np.testing.assert_allclose(T.sum(axis=1), 1.0)
    np.testing.assert_allclose(T[1], [1 / 3] * 3)
    with pytest.raises(ValueError, match="Y"):
        datasets.softmax_targets(np.ones(3))


@pytest.mark.parametrize("make", [datasets.make_multilabel_data, datasets.make_multiclass_data])
@pytest.mark.parametrize(
    "n, error", [(0, ValueError), (-3, ValueError), (2.5, TypeError), (True, TypeError)]
)
def test_generators_reject_bad_sizes(make, n, error):
    with pytest.raises(error, match="^n must be an integer"):
        make(n)


def test_softmax_targets_rejects_values_other_than_0_and_1():
    with pytest.raises(ValueError, match="only 0 and 1"):
        datasets.softmax_targets(np.array([[0.5, 0.5]]))


def test_toy_blobs_are_two_unit_variance_gaussians_around_their_centres():
    X, y = datasets.toy_blobs(n_per_class=4000, seed=1)
    for label, centre in ((0, [-1.0, -0.5]), (1, [1.0, 0.75])):
        pts = X[y == label]
        np.testing.assert_allclose(pts.mean(axis=0), centre, atol=0.05)  # 4 standard errors
        np.testing.assert_allclose(pts.std(axis=0), 1.0, atol=0.05)
