"""Lesson 07 checks: right answers pass; each wrong answer fails with the hint that names it.

Every catalogued wrong answer also misses the check's tolerance by at least 100x on some
case (or fails structurally: a wrong shape, nan where the answer is finite), measured with
the engine's own ``judged_error``: far beyond the last-bit differences between CPUs.
"""

from __future__ import annotations

import numpy as np
import pytest

import helpers
from helpers.checks import lesson07 as C
from helpers.checks._core import judged_error

# -- Exercise 7.1 nll_grad ---------------------------------------------------------------


def grad_reference(W, X, y):
    S = helpers.softmax(X @ W.T)  # (n, k)
    S[np.arange(len(y)), y] -= 1.0
    return S.T @ X / len(y)


def grad_loop(W, X, y):
    """Example by example, as the derivation reads: (s_i - y_i) x_i^T."""
    G = np.zeros_like(W)
    for x, label in zip(X, y, strict=True):
        s = helpers.softmax(W @ x)
        s[label] -= 1.0
        G += np.outer(s, x)
    return G / len(y)


def grad_onehot(W, X, y):
    Y = np.eye(W.shape[0])[y]
    return (helpers.softmax(X @ W.T) - Y).T @ X / X.shape[0]


def grad_stub(W, X, y):
    raise NotImplementedError("Exercise 7.1: nll_grad")


def grad_sign(W, X, y):
    return -grad_reference(W, X, y)


def grad_sum(W, X, y):
    return grad_reference(W, X, y) * len(y)


def grad_no_labels(W, X, y):
    return helpers.softmax(X @ W.T).T @ X / len(y)


def grad_transposed(W, X, y):
    return grad_reference(W, X, y).T


def grad_axis0(W, X, y):
    S = helpers.softmax(X @ W.T, axis=0)
    S[np.arange(len(y)), y] -= 1.0
    return S.T @ X / len(y)


def grad_nk(W, X, y):
    return grad_reference(W, X, y) / W.shape[0]


def grad_naive(W, X, y):
    E = np.exp(X @ W.T)
    S = E / E.sum(axis=1, keepdims=True)
    S[np.arange(len(y)), y] -= 1.0
    return S.T @ X / len(y)


def grad_mutates(W, X, y):
    X -= 0.0 * X + X.mean(axis=0) * 0  # touches X in place
    X[0, 0] += 1.0
    return grad_reference(W, X, y)


def grad_list(W, X, y):
    return grad_reference(W, X, y).tolist()


def grad_logits_x_w(W, X, y):
    """z = X @ W (no transpose): right shape only when k = d, as in case 1."""
    S = helpers.softmax(X @ W)
    S[np.arange(len(y)), y] -= 1.0
    return S.T @ X / len(y)


def grad_over_k(W, X, y):
    return grad_reference(W, X, y) * len(y) / len(W)


def grad_over_d(W, X, y):
    return grad_reference(W, X, y) * len(y) / X.shape[1]


def grad_global_max(W, X, y):
    Z = X @ W.T
    E = np.exp(Z - Z.max())
    S = E / E.sum(axis=1, keepdims=True)
    S[np.arange(len(y)), y] -= 1.0
    return S.T @ X / len(y)


def grad_sigmoid(W, X, y):
    S = helpers.sigmoid(X @ W.T)
    S[np.arange(len(y)), y] -= 1.0
    return S.T @ X / len(y)


def grad_extra_bias(W, X, y):
    Xb = helpers.with_bias(X)
    S = helpers.softmax(X @ W.T)
    S[np.arange(len(y)), y] -= 1.0
    return S.T @ Xb / len(y)


def grad_drops_bias(W, X, y):
    return grad_reference(W, X, y)[:, :-1]


def grad_k_from_labels(W, X, y):
    Y = np.eye(y.max() + 1)[y]
    return (helpers.softmax(X @ W.T) - Y).T @ X / len(y)


def grad_true_class_only(W, X, y):
    S = helpers.softmax(X @ W.T, axis=1)
    G = np.zeros_like(S)
    G[np.arange(len(y)), y] = S[np.arange(len(y)), y] - 1
    return G.T @ X / len(y)


GRAD_MISTAKES = [
    (grad_stub, "not done yet"),
    (grad_sign, "gradient of the log-likelihood"),
    (grad_sum, "n times the answer"),
    (grad_no_labels, "left out the one-hot labels"),
    (grad_transposed, "X^T (S - Y) / n, the transpose"),
    (grad_axis0, "over the examples (axis 0)"),
    (grad_nk, "n * k"),
    (grad_naive, "either exp() overflowed"),
    (grad_mutates, "modified its input `X`"),
    (grad_list, "not a Python list"),
    (grad_logits_x_w, "the logits are X @ W.T"),
    (grad_over_k, "you divided by k = len(W)"),
    (grad_over_d, "or by d = X.shape[1], the number of features (both are 3 in this case)"),
    (grad_global_max, "the max of the whole array was subtracted"),
    (grad_sigmoid, "sigmoids of each logit on its own"),
    (grad_extra_bias, "one column too many"),
    (grad_drops_bias, "one column short"),
    (grad_k_from_labels, "k is W's row count, not y's"),
    (grad_true_class_only, "only the true class's row got a gradient"),
]


# -- Exercise 7.2 nll_hessian ----------------------------------------------------------


def hess_reference(W, X):
    S = helpers.softmax(X @ W.T)
    return sum(
        np.kron(np.diag(s) - np.outer(s, s), np.outer(x, x)) for s, x in zip(S, X, strict=True)
    ) / len(X)


def hess_einsum(W, X):
    S = helpers.softmax(X @ W.T)  # (n, k)
    k, d = W.shape
    J = np.einsum("ic,ce->ice", S, np.eye(k)) - np.einsum("ic,ie->ice", S, S)  # (n, k, k)
    H = np.einsum("ice,ij,il->cjel", J, X, X) / len(X)  # (k, d, k, d)
    return H.reshape(k * d, k * d)


def hess_stub(W, X):
    raise NotImplementedError("Exercise 7.2: nll_hessian")


def _per_example(jac, pair=np.kron, scale=True):
    def wrong(W, X):
        S = helpers.softmax(X @ W.T)
        H = sum(pair(jac(s), np.outer(x, x)) for s, x in zip(S, X, strict=True))
        return H / len(X) if scale else H

    return wrong


hess_diag_only = _per_example(np.diag)
hess_plus = _per_example(lambda s: np.diag(s) + np.outer(s, s))
hess_swapped = _per_example(lambda s: np.diag(s) - np.outer(s, s), pair=lambda A, B: np.kron(B, A))
hess_sum = _per_example(lambda s: np.diag(s) - np.outer(s, s), scale=False)
hess_block_diagonal = _per_example(lambda s: np.diag(s * (1 - s)))


def hess_mean_s(W, X):
    s = helpers.softmax(X @ W.T).mean(axis=0)
    return np.kron(np.diag(s) - np.outer(s, s), X.T @ X / len(X))


def hess_4d(W, X):
    k, d = W.shape
    return hess_reference(W, X).reshape(k, d, k, d)


def hess_naive(W, X):
    E = np.exp(X @ W.T)
    S = E / E.sum(axis=1, keepdims=True)
    return sum(
        np.kron(np.diag(s) - np.outer(s, s), np.outer(x, x)) for s, x in zip(S, X, strict=True)
    ) / len(X)


def hess_negated(W, X):
    return -hess_reference(W, X)


def hess_axes_swapped(W, X):
    S = helpers.softmax(X @ W.T)
    k, d = W.shape
    J = np.einsum("ic,ce->ice", S, np.eye(k)) - np.einsum("ic,ie->ice", S, S)
    return np.einsum("ice,ij,il->cejl", J, X, X).reshape(k * d, k * d) / len(X)


def hess_axis0(W, X):
    S = helpers.softmax(X @ W.T, axis=0)
    return sum(np.kron(np.diag(s) - np.outer(s, s), np.outer(x, x)) for s, x in zip(S, X)) / len(X)


def hess_dot_s(W, X):
    k, d = W.shape
    H = np.zeros((k * d, k * d))
    for x in X:
        s = helpers.softmax(W @ x)
        H += np.kron(np.diag(s) - s @ s, np.outer(x, x))
    return H / len(X)


def hess_dot_x(W, X):
    k, d = W.shape
    H = np.zeros((k * d, k * d))
    for x in X:
        s = helpers.softmax(W @ x)
        H += (np.diag(s) - np.outer(s, s)).repeat(d, 0).repeat(d, 1) * (x @ x)
    return H / len(X)


HESS_MISTAKES = [
    (hess_axis0, "normalised over the examples (axis 0)"),
    (hess_stub, "not done yet"),
    (hess_diag_only, "you kept only diag(s) kron x x^T"),
    (hess_plus, "minus sign"),
    (hess_swapped, "Kronecker factors are swapped"),
    (hess_sum, "n times the answer"),
    (hess_mean_s, "you averaged first"),
    (hess_block_diagonal, "only the diagonal blocks"),
    (hess_4d, "returned shape"),
    (hess_naive, "either exp() overflowed"),
    (hess_negated, "that is minus the Hessian"),
    (hess_axes_swapped, "in the wrong places"),
    (hess_dot_s, "s @ s is one number"),
    (hess_dot_x, "x @ x is one number"),
]


# -- Exercise 7.3 map_grad -------------------------------------------------------------


def map_reference(W, X, y, weight_decay):
    return grad_reference(W, X, y) + weight_decay * W


def map_stub(W, X, y, weight_decay):
    raise NotImplementedError("Exercise 7.3: map_grad")


def map_none(W, X, y, weight_decay):
    return grad_reference(W, X, y)


def map_half(W, X, y, weight_decay):
    return grad_reference(W, X, y) + weight_decay / 2 * W


def map_double(W, X, y, weight_decay):
    return grad_reference(W, X, y) + 2 * weight_decay * W


def map_sign(W, X, y, weight_decay):
    return grad_reference(W, X, y) - weight_decay * W


def map_over_n(W, X, y, weight_decay):
    return grad_reference(W, X, y) + weight_decay * W / len(y)


def map_no_bias(W, X, y, weight_decay):
    V = W.copy()
    V[:, -1] = 0.0
    return grad_reference(W, X, y) + weight_decay * V


def map_l1(W, X, y, weight_decay):
    return grad_reference(W, X, y) + weight_decay * np.sign(W)


def map_penalty_only(W, X, y, weight_decay):
    return weight_decay * W


def map_value(W, X, y, weight_decay):
    return grad_reference(W, X, y) + weight_decay / 2 * np.sum(W**2)


def map_value_no_half(W, X, y, weight_decay):
    return grad_reference(W, X, y) + weight_decay * np.sum(W**2)


def map_decay_factor(W, X, y, weight_decay):
    return grad_reference(W, X, y) + (1 - weight_decay) * W


def map_extra_bias(W, X, y, weight_decay):
    return grad_extra_bias(W, X, y) + weight_decay * np.hstack([W, W[:, -1:]])


def map_squared(W, X, y, weight_decay):
    return grad_reference(W, X, y) + weight_decay * W**2


def map_norm(W, X, y, weight_decay):
    return grad_reference(W, X, y) + weight_decay * np.linalg.norm(W)


def map_update(W, X, y, weight_decay):
    return W - (grad_reference(W, X, y) + weight_decay * W)


MAP_MISTAKES = [
    (map_stub, "not done yet"),
    (map_none, "you left out the penalty"),
    (map_half, "cancels the 1/2"),
    (map_double, "that is 2 lambda W"),
    (map_sign, "+ lambda W"),
    (map_over_n, "divided by n"),
    (map_no_bias, "bias column was left out"),
    (map_l1, "Laplace prior"),
    (map_penalty_only, "❌"),
    (map_value, "the penalty's value"),
    (map_value_no_half, "the penalty's value"),
    (map_decay_factor, "is not a gradient"),
    (map_extra_bias, "one column too many"),
    (map_squared, "lambda W**2 squares each entry"),
    (map_norm, "lambda ||W|| is one number"),
    (map_update, "that is a descent step"),
]


# -- Exercise 7.4 newton_step ----------------------------------------------------------


def _g_H(w, X, y):
    p = helpers.sigmoid(X @ w)
    return X.T @ (p - y) / len(y), (X.T * (p * (1 - p))) @ X / len(y)


def newton_reference(w, X, y):
    g, H = _g_H(w, X, y)
    return w - np.linalg.solve(H, g)


def newton_irls(w, X, y):
    """The weighted least-squares form: w = (X^T R X)^{-1} X^T R t, t = X w - (p - y) / r."""
    p = helpers.sigmoid(X @ w)
    r = p * (1 - p)
    t = X @ w - (p - y) / r
    return np.linalg.solve((X.T * r) @ X, (X.T * r) @ t)


def newton_inv_sums(w, X, y):
    p = helpers.sigmoid(X @ w)
    return w - np.linalg.inv(X.T @ np.diag(p * (1 - p)) @ X) @ (X.T @ (p - y))


def newton_stub(w, X, y):
    raise NotImplementedError("Exercise 7.4: newton_step")


def newton_gd(w, X, y):
    return w - _g_H(w, X, y)[0]


def newton_plus(w, X, y):
    g, H = _g_H(w, X, y)
    return w + np.linalg.solve(H, g)


def newton_unweighted(w, X, y):
    g, _ = _g_H(w, X, y)
    return w - np.linalg.solve(X.T @ X / len(y), g)


def newton_p_weights(w, X, y):
    p = helpers.sigmoid(X @ w)
    g = X.T @ (p - y) / len(y)
    return w - np.linalg.solve((X.T * p) @ X / len(y), g)


def newton_mixed_scale(w, X, y):
    g, H = _g_H(w, X, y)
    return w - np.linalg.solve(H * len(y), g)


def newton_diag(w, X, y):
    g, H = _g_H(w, X, y)
    return w - g / np.diag(H)


def newton_step_only(w, X, y):
    g, H = _g_H(w, X, y)
    return -np.linalg.solve(H, g)


def newton_times_h(w, X, y):
    g, H = _g_H(w, X, y)
    return w - H @ g


def newton_weights_squared(w, X, y):
    p = helpers.sigmoid(X @ w)
    g = X.T @ (p - y) / len(y)
    return w - np.linalg.solve((X.T * (1 - p) ** 2) @ X / len(y), g)


def newton_fits_labels(w, X, y):
    p = helpers.sigmoid(X @ w)
    R = p * (1 - p)
    return np.linalg.solve((X.T * R) @ X, (X.T * R) @ y)


def newton_n_by_n(w, X, y):
    p = helpers.sigmoid(X @ w)
    g = X.T @ (p - y) / len(y)
    H = (X * (p * (1 - p))[:, None]) @ X.T / len(y)  # X R X^T: (n, n)
    return w - np.linalg.solve(H, g)


NEWTON_MISTAKES = [
    (newton_stub, "not done yet"),
    (newton_gd, "gradient-descent step"),
    (newton_plus, "the wrong way"),
    (newton_unweighted, "least squares' Hessian"),
    (newton_p_weights, "not p"),
    (newton_mixed_scale, "scaled differently"),
    (newton_diag, "diagonal of H only"),
    (newton_step_only, "the step -H^{-1} g alone"),
    (newton_times_h, "you multiplied the gradient by H"),
    (newton_weights_squared, "not (1 - p)^2"),
    (newton_fits_labels, "fits the labels y by weighted least squares"),
    (newton_n_by_n, "np.linalg.solve(A, b) do not fit"),
]


def grad_einsum_axis0(W, X, y):
    """A learner's variant: logits as (k, n), softmax over axis 0, einsum at the end."""
    S = helpers.softmax(W @ X.T, axis=0)  # (k, n)
    S[y, np.arange(len(y))] -= 1.0
    return np.einsum("kn,nd->kd", S, X) / X.shape[0]


def hess_blocks(W, X):
    """Block (c, e) is X^T diag(s_c ([c = e] - s_e)) X / n."""
    S = helpers.softmax(X @ W.T)
    k, d = W.shape
    H = np.empty((k * d, k * d))
    for c in range(k):
        for e in range(k):
            w = S[:, c] * ((c == e) - S[:, e])
            H[c * d : (c + 1) * d, e * d : (e + 1) * d] = (X.T * w) @ X / len(X)
    return H


def newton_unscaled_lstsq(w, X, y):
    """Neither g nor H divided by n (the step is the same), solved as weighted least squares."""
    p = helpers.sigmoid(X @ w)
    r = p * (1 - p)
    t = X @ w - (p - y) / r
    return np.linalg.lstsq(X * np.sqrt(r)[:, None], np.sqrt(r) * t, rcond=None)[0]


def newton_cholesky(w, X, y):
    p = helpers.sigmoid(X @ w)
    L = np.linalg.cholesky((X.T * (p * (1 - p))) @ X)
    return w - np.linalg.solve(L.T, np.linalg.solve(L, X.T @ (p - y)))


RIGHT = [
    (C.check_nll_grad, grad_reference),
    (C.check_nll_grad, grad_loop),
    (C.check_nll_grad, grad_onehot),
    (C.check_nll_grad, grad_einsum_axis0),
    (C.check_nll_grad, lambda W, X, y: helpers.softmax_cross_entropy_grad(X @ W.T, y).T @ X),
    (C.check_nll_hessian, hess_reference),
    (C.check_nll_hessian, hess_einsum),
    (C.check_nll_hessian, hess_blocks),
    (C.check_map_grad, map_reference),
    (C.check_newton_step, newton_reference),
    (C.check_newton_step, newton_irls),
    (C.check_newton_step, newton_inv_sums),
    (C.check_newton_step, newton_unscaled_lstsq),
    (C.check_newton_step, newton_cholesky),
]

CATALOGUE = (
    [(C.check_nll_grad, f, hint) for f, hint in GRAD_MISTAKES]
    + [(C.check_nll_hessian, f, hint) for f, hint in HESS_MISTAKES]
    + [(C.check_map_grad, f, hint) for f, hint in MAP_MISTAKES]
    + [(C.check_newton_step, f, hint) for f, hint in NEWTON_MISTAKES]
)
IDS = [f.__name__ for _, f, _ in CATALOGUE]


@pytest.mark.parametrize(
    "check, fn", RIGHT, ids=[f"{c.__name__}-{i}" for i, (c, _) in enumerate(RIGHT)]
)
def test_a_right_answer_passes(check, fn, capsys):
    assert check(fn) is True
    assert capsys.readouterr().out.startswith("✅")


@pytest.mark.parametrize("check, wrong, hint", CATALOGUE, ids=IDS)
def test_each_wrong_answer_is_named(check, wrong, hint, capsys):
    assert check(wrong) is False
    out = capsys.readouterr().out
    assert out.startswith(("❌", "⏳")), out
    assert hint in out, out
    assert "Traceback" not in out


@pytest.mark.parametrize("check, wrong, hint", CATALOGUE, ids=IDS)
def test_quiet_checks_never_raise_and_print_nothing(check, wrong, hint, capsys):
    assert check(wrong, quiet=True) is False
    assert capsys.readouterr().out == ""


def _recorded(check, monkeypatch):
    """The reference, the cases and the tolerances the check hands to ``run_check``."""
    seen = {}

    def spy(title, learner_fn, reference_fn, cases, **kwargs):
        seen.update(reference=reference_fn, cases=cases, kwargs=kwargs)
        return True

    monkeypatch.setattr(C, "run_check", spy)
    check(grad_stub, quiet=True)
    return seen


def _miss(wrong, reference, case, rtol, atol) -> float:
    """How far a wrong answer is from the right one, in rtol units (inf: structural)."""
    want = np.asarray(reference(*case.args, **case.kwargs))
    try:
        with np.errstate(all="ignore"):
            got = np.asarray(
                wrong(*[np.copy(a) if isinstance(a, np.ndarray) else a for a in case.args])
            )
    except Exception:
        return np.inf
    if got.shape != want.shape or got.dtype.kind != "f":
        return np.inf
    if not np.array_equal(np.isfinite(got), np.isfinite(want)):
        return np.inf
    return judged_error(got, want, rtol, atol) / rtol


NOT_ARRAYS = {grad_stub, hess_stub, map_stub, newton_stub, grad_list}


@pytest.mark.parametrize(
    "check, wrong",
    [(c, f) for c, f, _ in CATALOGUE if f not in NOT_ARRAYS and f is not grad_mutates],
    ids=[f.__name__ for c, f, _ in CATALOGUE if f not in NOT_ARRAYS and f is not grad_mutates],
)
def test_every_wrong_answer_misses_by_100x_or_structurally(check, wrong, monkeypatch):
    seen = _recorded(check, monkeypatch)
    rtol = seen["kwargs"].get("rtol", 1e-7)
    atol = seen["kwargs"].get("atol", 1e-12)
    worst = max(_miss(wrong, seen["reference"], case, rtol, atol) for case in seen["cases"])
    assert worst >= 100, f"{wrong.__name__} misses by only {worst:.1f} x rtol"


@pytest.mark.parametrize(
    "check", [C.check_nll_grad, C.check_nll_hessian, C.check_map_grad, C.check_newton_step]
)
def test_just_outside_the_tolerance_fails_and_just_inside_passes(check, monkeypatch, capsys):
    seen = _recorded(check, monkeypatch)
    monkeypatch.undo()
    reference = seen["reference"]
    assert check(lambda *a: reference(*a) * (1 + 1e-5)) is False
    assert check(lambda *a: reference(*a) * (1 + 1e-9)) is True


def test_map_grad_blames_a_failing_nll_grad(capsys):
    """7.3 built on a wrong 7.1 (as in the notebook: both global functions) names 7.1."""
    namespace = {"grad_sign": grad_sign}
    exec(
        "nll_grad = grad_sign\n"
        "def map_grad(W, X, y, weight_decay):\n"
        "    return nll_grad(W, X, y) + weight_decay * W\n",
        namespace,
    )
    assert C.check_map_grad(namespace["map_grad"]) is False
    assert "the fault is in your `nll_grad` from Exercise 7.1" in capsys.readouterr().out


@pytest.mark.parametrize(
    "check", [C.check_nll_grad, C.check_nll_hessian, C.check_map_grad, C.check_newton_step]
)
@pytest.mark.parametrize("not_a_function", [None, 0.5, "W"])
def test_not_a_function(check, not_a_function, capsys):
    assert check(not_a_function) is False
    assert "expected a function" in capsys.readouterr().out


def test_a_failed_check_raises_under_nbgrader(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(AssertionError):
        C.check_newton_step(newton_gd, quiet=True)


# -- the role-play's adversary: near-misses and routes around the reference --------------


def grad_finite_differences(W, X, y):
    return helpers.numerical_gradient(lambda V: helpers.softmax_regression_nll(V, X, y), W)


def grad_float32_inside(W, X, y):
    W32, X32 = W.astype(np.float32), X.astype(np.float32)
    S = helpers.softmax(X32 @ W32.T)
    S[np.arange(len(y)), y] -= 1
    return (S.T @ X32 / len(y)).astype(np.float64)


def hess_finite_differences(W, X):
    k, d = W.shape
    y0 = np.zeros(len(X), dtype=np.int64)  # the Hessian does not depend on the labels
    G = helpers.numerical_gradient(lambda V: grad_reference(V, X, y0), W)
    return G.reshape(k * d, k * d)


@pytest.mark.parametrize(
    "check, fn",
    [
        (C.check_nll_grad, grad_finite_differences),
        (C.check_nll_grad, grad_float32_inside),
        (C.check_nll_hessian, hess_finite_differences),
    ],
    ids=["grad_fd", "grad_float32", "hess_fd"],
)
def test_an_approximate_answer_fails_by_far_and_is_named(check, fn, monkeypatch, capsys):
    """Finite differences and float32 arithmetic are close, but miss by >= 100x rtol somewhere."""
    seen = _recorded(check, monkeypatch)
    rtol, atol = seen["kwargs"].get("rtol", 1e-7), seen["kwargs"].get("atol", 1e-12)
    worst = max(_miss(fn, seen["reference"], case, rtol, atol) for case in seen["cases"])
    assert worst >= 100, worst
    monkeypatch.undo()
    assert check(fn) is False
    assert "close, but not to float64 precision" in capsys.readouterr().out


@pytest.mark.parametrize(
    "check, source",
    [
        (C.check_nll_grad, "lambda W, X, y: W - descent_path(X, y, W, lr=1.0, steps=1).W[1]"),
        (
            C.check_map_grad,
            "lambda W, X, y, lam: (W - descent_path(X, y, W, lr=1.0, steps=1, "
            "weight_decay=lam).W[1])",
        ),
        (
            C.check_newton_step,
            "lambda w, X, y: fit_logistic(X, y, w, method='newton', max_steps=1, tol=0.0).w[1]",
        ),
    ],
    ids=["grad_via_descent_path", "map_via_descent_path", "newton_via_fit_logistic"],
)
def test_graded_work_cannot_route_around_the_reference(check, source, monkeypatch, capsys):
    """In graded mode, the helpers that compute the answer inside are refused like the reference."""
    from helpers.loss_surface import descent_path, fit_logistic

    fn = eval(source, {"descent_path": descent_path, "fit_logistic": fit_logistic})
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(AssertionError):
        check(fn)
    assert "calls " in capsys.readouterr().out


# What tests/test_check_margins.py measures for every lesson: each catalogued wrong answer
# misses by a wide margin (or fails structurally), each right one sits well inside.
MARGIN_WRONG = [(check, fn.__name__, fn) for check, fn, _hint in CATALOGUE]
MARGIN_RIGHT = [(check, getattr(fn, "__name__", "lambda"), fn) for check, fn in RIGHT]
