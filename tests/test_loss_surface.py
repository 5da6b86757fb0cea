"""helpers.loss_surface against finite differences, SciPy and the properties lesson 07 proves."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.optimize
import scipy.special

from helpers import loss_surface as LS
from helpers.gradcheck import numerical_gradient


def problem(n=12, k=3, d=3, seed=0, scale=1.0):
    rng = np.random.default_rng(seed)
    X = LS.with_bias(rng.normal(size=(n, d - 1)))
    W = scale * rng.normal(size=(k, d))
    y = rng.integers(0, k, size=n)
    return W, X, y


SHAPES = [(12, 3, 3), (1, 2, 1), (30, 5, 4), (7, 4, 2)]


# -- the loss ------------------------------------------------------------------------------


@pytest.mark.parametrize("n, k, d", SHAPES)
@pytest.mark.parametrize("lam", [0.0, 0.3])
def test_nll_matches_scipy(n, k, d, lam):
    W, X, y = problem(n, k, d, seed=n + k)
    logp = scipy.special.log_softmax(X @ W.T, axis=1)
    want = -logp[np.arange(n), y].mean() + lam / 2 * np.sum(W**2)
    assert LS.softmax_regression_nll(W, X, y, lam) == pytest.approx(want, rel=1e-13)


def test_nll_is_stable_for_huge_logits():
    W, X, y = problem(scale=1e4)
    assert np.isfinite(LS.softmax_regression_nll(W, X, y))


# -- the gradient ------------------------------------------------------------------------


@pytest.mark.parametrize("n, k, d", SHAPES)
@pytest.mark.parametrize("lam", [0.0, 0.3])
def test_gradient_matches_finite_differences(n, k, d, lam):
    W, X, y = problem(n, k, d, seed=3 * n + d)
    numeric = numerical_gradient(lambda V: LS.softmax_regression_nll(V, X, y, lam), W)
    np.testing.assert_allclose(LS.softmax_regression_grad(W, X, y, lam), numeric, atol=1e-8)


def test_gradient_never_moves_the_sum_of_the_rows():
    """Columns of (S - Y)^T X sum to zero over the classes: the redundant direction."""
    W, X, y = problem(30, 5, 4, seed=9)
    np.testing.assert_allclose(LS.softmax_regression_grad(W, X, y).sum(axis=0), 0.0, atol=1e-15)


# -- the Hessian -------------------------------------------------------------------------


@pytest.mark.parametrize("n, k, d", SHAPES)
@pytest.mark.parametrize("lam", [0.0, 0.3])
def test_hessian_matches_finite_differences_of_the_gradient(n, k, d, lam):
    W, X, y = problem(n, k, d, seed=5 * n + k)
    numeric = numerical_gradient(lambda V: LS.softmax_regression_grad(V, X, y, lam), W)
    numeric = numeric.reshape(k * d, k * d)  # d grad[c, j] / d W[c', j']
    np.testing.assert_allclose(LS.softmax_regression_hessian(W, X, lam), numeric, atol=1e-8)


def test_hessian_is_the_sum_of_kronecker_products():
    W, X, _ = problem(9, 4, 3, seed=2)
    S = scipy.special.softmax(X @ W.T, axis=1)
    want = sum(np.kron(np.diag(s) - np.outer(s, s), np.outer(x, x)) for s, x in zip(S, X)) / 9
    np.testing.assert_allclose(LS.softmax_regression_hessian(W, X), want, atol=1e-15)


@pytest.mark.parametrize("seed", range(4))
def test_hessian_is_symmetric_psd_and_flat_along_the_redundant_direction(seed):
    W, X, _ = problem(20, 4, 3, seed=seed)
    k, d = W.shape
    H = LS.softmax_regression_hessian(W, X)
    assert np.array_equal(H, H.T)
    eig = np.linalg.eigvalsh(H)
    assert eig.min() > -1e-14
    v = np.random.default_rng(seed).normal(size=d)
    np.testing.assert_allclose(H @ np.kron(np.ones(k), v), 0.0, atol=1e-14)
    # exactly d directions are flat (X has full column rank, every s_i interior)
    assert np.sum(eig < 1e-10) == d


def test_weight_decay_adds_lambda_to_every_eigenvalue():
    W, X, _ = problem(20, 3, 3, seed=4)
    lam = 0.25
    plain = np.linalg.eigvalsh(LS.softmax_regression_hessian(W, X))
    decayed = np.linalg.eigvalsh(LS.softmax_regression_hessian(W, X, lam))
    np.testing.assert_allclose(decayed, plain + lam, atol=1e-14)
    assert decayed.min() > lam - 1e-14


def test_the_nll_is_constant_along_the_redundant_direction():
    W, X, y = problem(15, 3, 3, seed=6)
    v = np.array([0.7, -2.0, 5.0])
    assert LS.softmax_regression_nll(W + v, X, y) == pytest.approx(
        LS.softmax_regression_nll(W, X, y), rel=1e-13
    )


# -- Newton / IRLS and gradient descent ----------------------------------------------------


def blobs(seed=0):
    rng = np.random.default_rng(seed)
    X = np.concatenate([rng.normal(-1, 1, (40, 2)), rng.normal(1, 1, (40, 2))])
    return LS.with_bias(X), np.repeat([0, 1], 40)


def test_newton_step_is_the_k2_case_with_a_reference_row():
    """With row 0 fixed at 0 the softmax Hessian's row-1 block is the logistic Hessian."""
    X, y = blobs()
    w = np.array([0.3, -0.2, 0.1])
    W = np.stack([np.zeros(3), w])
    H = LS.softmax_regression_hessian(W, X)[3:, 3:]
    g = LS.softmax_regression_grad(W, X, y)[1]
    np.testing.assert_allclose(LS.logistic_newton_step(w, X, y), w - np.linalg.solve(H, g))


@pytest.mark.parametrize("lam", [0.0, 0.1])
def test_newton_converges_to_scipys_minimum(lam):
    X, y = blobs(1)

    def f(w):
        z = X @ w
        return np.mean(np.logaddexp(0, z) - y * z) + lam / 2 * w @ w

    want = scipy.optimize.minimize(f, np.zeros(3), method="BFGS", options={"gtol": 1e-10}).x
    fit = LS.fit_logistic(X, y, np.zeros(3), weight_decay=lam, tol=1e-12)
    np.testing.assert_allclose(fit.w[-1], want, atol=1e-6)
    assert fit.steps_to(1e-12) == len(fit.grad_norm) - 1


def test_newton_converges_quadratically_and_faster_than_gradient_descent():
    X, y = blobs(2)
    newton = LS.fit_logistic(X, y, np.zeros(3), tol=1e-10)
    lr = 1 / np.linalg.eigvalsh(X.T @ X / len(y) / 4).max()  # 1 / (a bound on the curvature)
    gd = LS.fit_logistic(X, y, np.zeros(3), method="gd", lr=lr, tol=1e-10, max_steps=5000)
    assert newton.steps_to(1e-10) < 10 < gd.steps_to(1e-10)
    g = newton.grad_norm
    assert g[-1] < 1e-10 and g[-2] < 1e-3  # the last step squares a small error
    assert np.all(np.diff(gd.grad_norm) < 0)  # a safe rate: the gradient norm keeps falling


def test_steps_to_is_none_when_the_run_stops_short():
    X, y = blobs(3)
    fit = LS.fit_logistic(X, y, np.zeros(3), method="gd", lr=0.1, tol=0.0, max_steps=5)
    assert len(fit.grad_norm) == 6 and fit.steps_to(1e-12) is None


def test_newton_on_separable_data_has_a_singular_hessian_eventually():
    """No minimum: the weights run off and p(1 - p) underflows, unless weight decay is on."""
    X = LS.with_bias([[-2.0], [-1.0], [1.0], [2.0]])
    y = np.array([0, 0, 1, 1])
    fit = LS.fit_logistic(X, y, np.zeros(2), weight_decay=0.1, tol=1e-12)
    assert fit.steps_to(1e-12) is not None
    with pytest.raises(np.linalg.LinAlgError):
        w = np.zeros(2)
        for _ in range(200):
            w = LS.logistic_newton_step(w, X, y)


# -- separable data ---------------------------------------------------------------------


def test_on_separable_data_the_norm_grows_and_the_loss_falls_to_zero():
    X = LS.with_bias([[-2.0], [-1.0], [1.0], [2.0]])
    y = np.array([0, 0, 1, 1])
    run = LS.descent_path(X, y, np.zeros((2, 2)), lr=1.0, steps=3000)
    assert np.all(np.diff(run.weight_norm) > 0)
    assert np.all(np.diff(run.loss) < 0) and run.loss[-1] < 1e-3
    assert run.confidence[-1] > 0.999
    decayed = LS.descent_path(X, y, np.zeros((2, 2)), lr=1.0, steps=3000, weight_decay=0.1)
    np.testing.assert_allclose(
        LS.softmax_regression_grad(decayed.W[-1], X, y, 0.1), 0.0, atol=1e-10
    )  # converged: the MAP weights
    np.testing.assert_allclose(decayed.W[-1].sum(axis=0), 0.0, atol=1e-12)  # rows centred


# -- bad input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call, error, words",
    [
        (
            lambda: LS.softmax_regression_nll(np.zeros((3, 2)), np.ones((4, 3)), [0, 1, 2, 0]),
            ValueError,
            "W must have shape",
        ),
        (
            lambda: LS.softmax_regression_nll(np.zeros((3, 2)), np.ones((4, 2)), [0, 1, 3, 0]),
            ValueError,
            "labels in 0..2",
        ),
        (
            lambda: LS.softmax_regression_nll(np.zeros((3, 2)), np.ones((4, 2)), [0.0, 1, 2, 0]),
            TypeError,
            "y must be integer",
        ),
        (
            lambda: LS.softmax_regression_grad(np.zeros((3, 2)), np.ones((4, 2)), [0, 1]),
            ValueError,
            "y must have shape",
        ),
        (
            lambda: LS.softmax_regression_grad(np.zeros((3, 2)), np.ones(4), [0]),
            ValueError,
            "X must have shape",
        ),
        (
            lambda: LS.softmax_regression_hessian(np.zeros((3, 2)), np.ones((4, 2)), -1.0),
            ValueError,
            "weight_decay",
        ),
        (
            lambda: LS.softmax_regression_hessian(np.zeros((3, 2)), [["a", "b"]]),
            TypeError,
            "X must contain real",
        ),
        (
            lambda: LS.softmax_regression_hessian([[np.nan, 0.0], [0.0, 0.0]], np.ones((1, 2))),
            ValueError,
            "W contains NaN",
        ),
        (
            lambda: LS.logistic_newton_step(np.zeros(3), np.ones((4, 2)), [0, 1, 0, 1]),
            ValueError,
            "w must have shape",
        ),
        (
            lambda: LS.logistic_newton_step(np.zeros(2), np.ones((4, 2)), [0, 1, 2, 1]),
            ValueError,
            "labels in 0..1",
        ),
        (
            lambda: LS.fit_logistic(np.ones((2, 1)), [0, 1], [0.0], method="bfgs"),
            ValueError,
            "method",
        ),
        (
            lambda: LS.fit_logistic(np.ones((2, 1)), [0, 1], [0.0], method="gd"),
            ValueError,
            "lr is required",
        ),
        (lambda: LS.fit_logistic(np.ones((2, 1)), [0, 1], [0.0], lr=0.1), ValueError, "lr is only"),
        (
            lambda: LS.fit_logistic(np.ones((2, 1)), [0, 1], [0.0], max_steps=-1),
            ValueError,
            "max_steps",
        ),
        (
            lambda: LS.descent_path(np.ones((2, 1)), [0, 1], np.zeros((2, 1)), lr=0),
            ValueError,
            "lr",
        ),
        (
            lambda: LS.descent_path(np.ones((2, 1)), [0, 1], np.zeros((2, 1)), lr=1, steps=1.5),
            ValueError,
            "steps",
        ),
        (lambda: LS.with_bias([[np.inf]]), ValueError, "X contains inf"),
    ],
)
def test_bad_input_names_the_argument(call, error, words):
    with pytest.raises(error, match=words):
        call()
