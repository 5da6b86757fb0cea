"""Lesson 05's crosswalk: SciPy's functions agree with helpers, and SciPy's defaults are as stated.

The lesson's cell that prints the SciPy (and optional PyTorch) differences is not compared by
nbval (its last digits depend on the CPU, and a runtime-only image has no SciPy), so the
agreement it shows is pinned here. PyTorch is optional and only tested when installed.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.special as sp

import helpers

RNG = np.random.default_rng(5)
Z = RNG.normal(scale=4.0, size=(7, 5))
X = np.concatenate([RNG.normal(scale=10.0, size=20), [-800.0, -40.0, 0.0, 40.0, 800.0]])


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_softmax_family_agrees_with_scipy_along_each_axis(axis):
    np.testing.assert_allclose(helpers.softmax(Z, axis=axis), sp.softmax(Z, axis=axis), rtol=1e-13)
    np.testing.assert_allclose(
        helpers.log_softmax(Z, axis=axis), sp.log_softmax(Z, axis=axis), rtol=1e-13, atol=1e-13
    )
    np.testing.assert_allclose(
        helpers.logsumexp(Z, axis=axis), sp.logsumexp(Z, axis=axis), rtol=1e-13
    )


def test_scipy_softmax_default_normalises_the_whole_array():
    """The lesson's trap: scipy.special.softmax has axis=None, helpers' default is the last axis."""
    whole = sp.softmax(Z)
    assert whole.sum() == pytest.approx(1.0, rel=1e-13)
    assert not np.allclose(whole.sum(axis=1), 1.0)
    np.testing.assert_allclose(whole, helpers.softmax(Z.ravel()).reshape(Z.shape), rtol=1e-13)
    np.testing.assert_allclose(helpers.softmax(Z).sum(axis=-1), 1.0, rtol=1e-13)


def test_sigmoid_and_log_sigmoid_agree_with_expit_and_log_expit():
    np.testing.assert_allclose(helpers.sigmoid(X), sp.expit(X), rtol=1e-15, atol=0)
    np.testing.assert_allclose(helpers.log_sigmoid(X), sp.log_expit(X), rtol=1e-14)


def test_the_losses_agree_with_their_definitions_through_scipy():
    y = RNG.integers(0, 5, 7)
    Y = (RNG.random((7, 5)) < 0.4).astype(float)
    ce = np.mean(sp.logsumexp(Z, axis=1) - Z[np.arange(7), y])
    assert float(helpers.cross_entropy_with_logits(Z, y)) == pytest.approx(ce, rel=1e-13)
    bce = np.mean(-(Y * sp.log_expit(Z) + (1 - Y) * sp.log_expit(-Z)))
    assert float(helpers.bce_with_logits(Z, Y)) == pytest.approx(bce, rel=1e-13)


def test_pytorch_agrees_when_installed():
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    y = RNG.integers(0, 5, 7)
    Y = (RNG.random((7, 5)) < 0.4).astype(float)
    t = torch.tensor(Z)
    np.testing.assert_allclose(
        torch.softmax(t, dim=1).numpy(), helpers.softmax(Z, axis=1), rtol=1e-12
    )
    assert F.cross_entropy(t, torch.tensor(y)).item() == pytest.approx(
        float(helpers.cross_entropy_with_logits(Z, y)), rel=1e-12
    )
    assert F.nll_loss(F.log_softmax(t, dim=1), torch.tensor(y)).item() == pytest.approx(
        float(helpers.cross_entropy_with_logits(Z, y)), rel=1e-12
    )
    assert F.binary_cross_entropy_with_logits(t, torch.tensor(Y)).item() == pytest.approx(
        float(helpers.bce_with_logits(Z, Y)), rel=1e-12
    )
