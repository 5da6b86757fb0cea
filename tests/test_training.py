"""helpers.training: the gradient-descent loops of lessons 04 and 05, against the derivations."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import helpers
from helpers import datasets, training

X, Y = datasets.toy_blobs()
W_INIT = np.array([-1.0, 0.5])
B_INIT = 0.5


def _bce_mean(params, X, y):
    w, b = params[:-1], params[-1]
    return float(helpers.bce_with_logits(X @ w + b, y.astype(float)))


def _ce_mean(params, X, y):
    W, b = params[:-2].reshape(2, -1), params[-2:]
    return float(helpers.cross_entropy_with_logits(X @ W.T + b, y))


@pytest.fixture(scope="module")
def runs():
    sig = training.train_sigmoid(X, Y, W_INIT, B_INIT, lr=0.5, steps=200)
    W, b = training.symmetric_init(W_INIT, B_INIT)
    same = training.train_softmax(X, Y, W, b, lr=0.5, steps=200)
    half = training.train_softmax(X, Y, W, b, lr=0.25, steps=200)
    return sig, same, half


def test_symmetric_init_has_the_right_difference_and_zero_sum():
    w = np.array([2.0, -1.0, 0.25])
    W, b = training.symmetric_init(w, 0.5)
    np.testing.assert_array_equal(W[1] - W[0], w)
    np.testing.assert_array_equal(W[0] + W[1], 0.0)
    w2, b2 = helpers.two_class_to_sigmoid(W, b)
    np.testing.assert_array_equal(w2, w)
    assert b2 == 0.5


def test_symmetric_init_keeps_float32():
    W, b = training.symmetric_init(np.array([1.0, 2.0], np.float32), 1.0)
    assert W.dtype == np.float32 and b.dtype == np.float32


def test_sigmoid_step_is_gradient_descent_on_bce():
    run = training.train_sigmoid(X, Y, W_INIT, B_INIT, lr=0.3, steps=1)
    start = np.r_[W_INIT, B_INIT]
    grad = helpers.numerical_gradient(lambda p: _bce_mean(p, X, Y), start)
    np.testing.assert_allclose(np.r_[run.w[1], run.b[1]], start - 0.3 * grad, rtol=1e-7)
    assert run.loss[0] == pytest.approx(_bce_mean(start, X, Y), rel=1e-14)


def test_softmax_step_is_gradient_descent_on_cross_entropy():
    W, b = np.array([[0.3, -0.2], [1.0, 0.4]]), np.array([0.1, -0.5])
    run = training.train_softmax(X, Y, W, b, lr=0.3, steps=1)
    start = np.r_[W.ravel(), b]
    grad = helpers.numerical_gradient(lambda p: _ce_mean(p, X, Y), start)
    np.testing.assert_allclose(np.r_[run.W[1].ravel(), run.b[1]], start - 0.3 * grad, rtol=1e-7)


def test_run_shapes(runs):
    sig, same, _ = runs
    assert sig.w.shape == (201, 2) and sig.b.shape == (201,) and sig.loss.shape == (201,)
    assert same.W.shape == (201, 2, 2) and same.b.shape == (201, 2) and same.loss.shape == (201,)
    assert sig.lr == 0.5 and same.lr == 0.5


def test_losses_decrease(runs):
    for run in runs:
        assert (np.diff(run.loss) <= 1e-12).all()


def test_half_learning_rate_agrees_at_every_step(runs):
    sig, _, half = runs
    gap = training.run_gap(sig, half)
    assert gap.shape == (201,) and gap.max() < 1e-13
    assert training.first_divergence(gap) is None
    np.testing.assert_allclose(half.loss, sig.loss, rtol=1e-13)  # BCE == two-class CE


def test_same_learning_rate_disagrees_from_the_first_step(runs):
    sig, same, _ = runs
    gap = training.run_gap(sig, same)
    assert gap[0] == 0 and training.first_divergence(gap) == 1 and gap[1] > 0.1


def test_the_difference_moves_twice_as_fast(runs):
    sig, same, _ = runs
    w_diff, b_diff = same.as_sigmoid()
    np.testing.assert_allclose(w_diff[1] - w_diff[0], 2 * (sig.w[1] - sig.w[0]), rtol=1e-12)
    assert b_diff[1] - b_diff[0] == pytest.approx(2 * (sig.b[1] - sig.b[0]), rel=1e-12)


def test_the_sum_of_the_rows_never_moves():
    W = np.array([[3.0, -2.0], [3.0 + W_INIT[0], -2.0 + W_INIT[1]]])
    b = np.array([1.0, 1.0 + B_INIT])
    run = training.train_softmax(X, Y, W, b, lr=0.25, steps=50)
    np.testing.assert_allclose(run.W[:, 0] + run.W[:, 1], np.tile(W[0] + W[1], (51, 1)), atol=1e-12)
    np.testing.assert_allclose(run.b.sum(axis=1), b.sum(), atol=1e-12)
    # a lopsided start with the same difference still matches the sigmoid run
    sig = training.train_sigmoid(X, Y, W_INIT, B_INIT, lr=0.5, steps=50)
    assert training.run_gap(sig, run).max() < 1e-12


def test_zero_steps_records_the_start():
    run = training.train_sigmoid(X, Y, W_INIT, B_INIT, lr=0.5, steps=0)
    np.testing.assert_array_equal(run.w, [W_INIT])


@pytest.mark.parametrize(
    "kwargs, name, error",
    [
        ({"X": np.zeros(5)}, "X", ValueError),
        ({"X": np.full((200, 2), np.nan)}, "X", ValueError),
        ({"y": np.zeros(3, dtype=int)}, "y", ValueError),
        ({"y": np.full(200, 2)}, "y", ValueError),
        ({"y": np.zeros(200)}, "y", TypeError),  # float labels: the wrong type
        ({"w": np.zeros(3)}, "w", ValueError),
        ({"b": np.zeros(2)}, "b", ValueError),
        ({"lr": 0.0}, "lr", ValueError),
        ({"lr": -0.1}, "lr", ValueError),
        ({"lr": np.inf}, "lr", ValueError),
        ({"lr": True}, "lr", TypeError),
        ({"lr": [0.1]}, "lr", TypeError),
        ({"lr": "2"}, "lr", TypeError),  # was ValueError, while softmax said TypeError
        ({"steps": -1}, "steps", ValueError),
        ({"steps": 2.0}, "steps", TypeError),
    ],
)
def test_train_sigmoid_rejects_bad_input(kwargs, name, error):
    args = {"X": X, "y": Y, "w": W_INIT, "b": B_INIT, "lr": 0.5, "steps": 3} | kwargs
    with pytest.raises(error, match=rf"^{name}\b"):
        training.train_sigmoid(**args)


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"W": np.zeros((3, 2))}, "W"),
        ({"W": np.zeros((2, 3))}, "W"),
        ({"b": np.zeros(3)}, "b"),
        ({"lr": 0}, "lr"),
        ({"y": np.ones((200, 2), dtype=int)}, "y"),
    ],
)
def test_train_softmax_rejects_bad_input(kwargs, name):
    args = {"X": X, "y": Y, "W": np.zeros((2, 2)), "b": np.zeros(2), "lr": 0.5, "steps": 3}
    with pytest.raises(ValueError, match=rf"\b{name}\b"):
        training.train_softmax(**(args | kwargs))


def test_run_gap_needs_matching_runs():
    sig = training.train_sigmoid(X, Y, W_INIT, B_INIT, lr=0.5, steps=3)
    soft = training.train_softmax(X, Y, *training.symmetric_init(W_INIT, B_INIT), lr=0.25, steps=4)
    with pytest.raises(ValueError, match="sigmoid_run and softmax_run"):
        training.run_gap(sig, soft)


def test_first_divergence():
    assert training.first_divergence([0.0, 1e-16, 1e-3]) == 2
    assert training.first_divergence([0.0, 1e-16]) is None
    assert training.first_divergence([0.0, np.nan]) == 1
    assert training.first_divergence([0.0, 1e-6], tol=1e-5) is None
    with pytest.raises(ValueError, match="gap"):
        training.first_divergence(np.zeros((2, 2)))


def test_bce_grad_matches_finite_differences_of_the_reference_loss():
    rng = np.random.default_rng(1)
    z = rng.normal(size=(4, 3)) * 3
    y = (rng.random((4, 3)) < 0.5).astype(float)
    numeric = helpers.numerical_gradient(lambda t: helpers.bce_with_logits(t, y), z)
    np.testing.assert_allclose(helpers.bce_with_logits_grad(z, y), numeric, rtol=1e-6, atol=1e-10)


def test_bce_grad_is_stable_and_keeps_float32():
    g = helpers.bce_with_logits_grad(np.array([[1000.0, -1000.0]]), np.array([[0.0, 0.0]]))
    np.testing.assert_array_equal(g, [[0.5, 0.0]])
    z32 = np.array([[0.5, -2.0]], dtype=np.float32)
    assert helpers.bce_with_logits_grad(z32, np.array([[1.0, 0.0]])).dtype == np.float32
    with pytest.raises(ValueError, match="y"):
        helpers.bce_with_logits_grad(np.zeros((2, 2)), np.zeros((2, 3)))


def test_grad_reference_dispatches_to_the_right_head():
    z = np.array([[1.0, -1.0, 0.5], [0.0, 2.0, -3.0]])
    np.testing.assert_allclose(
        training.grad_logits_reference(z, np.array([2, 1]), "softmax"),
        helpers.softmax_cross_entropy_grad(z, np.array([2, 1])),
    )
    Y = np.array([[1.0, 0, 1], [0, 0, 0]])
    np.testing.assert_allclose(
        training.grad_logits_reference(z, Y, "sigmoid"), (helpers.sigmoid(z) - Y) / 6
    )
    with pytest.raises(ValueError, match="head"):
        training.grad_logits_reference(z, Y, "relu")


def test_training_prints_four_decimals_at_fixed_epochs_and_lowers_the_loss(capsys):
    X, y = datasets.make_multiclass_data(120)
    head = training.train_linear_head(X, y, "softmax", lr=1.0, epochs=50, report_every=25)
    lines = capsys.readouterr().out.splitlines()
    assert [line[:10] for line in lines] == ["epoch    0", "epoch   25", "epoch   50"]
    assert lines[0] == "epoch    0  loss 1.0986"  # log 3 at zero weights
    assert head.losses.shape == (51,)
    assert head.losses[-1] < 0.5 * head.losses[0]
    assert np.all(np.diff(head.losses) <= 1e-12)  # full-batch GD with a small step


def test_one_training_step_is_the_chain_rule_by_hand():
    X, Y = datasets.make_multilabel_data(50)
    head = training.train_linear_head(X, Y, "sigmoid", lr=0.5, epochs=1, verbose=False)
    G = (helpers.sigmoid(np.zeros((50, 3))) - Y) / Y.size
    np.testing.assert_allclose(head.W, -0.5 * X.T @ G)
    np.testing.assert_allclose(head.b, -0.5 * G.sum(axis=0))
    p = head.predict_proba(X)
    assert p.shape == (50, 3) and not np.allclose(p.sum(axis=1), 1)


def test_softmax_head_on_soft_targets_and_bad_arguments():
    X, Y = datasets.make_multilabel_data(80)
    T, keep = datasets.softmax_targets(Y)
    head = training.train_linear_head(X[keep], T, "softmax", epochs=20, verbose=False)
    np.testing.assert_allclose(head.predict_proba(X).sum(axis=1), 1.0)
    with pytest.raises(ValueError, match="head"):
        training.train_linear_head(X, Y, "tanh")
    with pytest.raises(ValueError, match="X"):
        training.train_linear_head(X[:, 0], Y, "sigmoid")
    with pytest.raises(ValueError, match="Y"):
        training.train_linear_head(X, Y[:10], "sigmoid")
    with pytest.raises(ValueError, match="epochs"):
        training.train_linear_head(X, Y, "sigmoid", epochs=-1)


# -- the math imports no pictures -----------------------------------------------------------


@pytest.mark.parametrize(
    "module", ["helpers.checks", "helpers.metrics", "helpers.training", "helpers.datasets"]
)
def test_math_and_checks_import_no_plotting_and_no_widgets(module):
    code = (
        f"import {module}, sys\n"
        "for name in ('matplotlib', 'ipywidgets', 'helpers.explorers', 'helpers.plots'):\n"
        "    assert name not in sys.modules, name\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


# -- weight decay -------------------------------------------------------------------------


def test_weight_decay_step_is_gradient_descent_on_the_penalised_loss():
    """One step with decay equals a finite-difference step on BCE + (lam/2)||w||^2."""
    lam, lr = 0.3, 0.2
    run = training.train_sigmoid(X, Y, W_INIT, B_INIT, lr=lr, steps=1, weight_decay=lam)
    start = np.r_[W_INIT, B_INIT]

    def penalised(p):
        return _bce_mean(p, X, Y) + lam / 2 * float(p[:-1] @ p[:-1])

    grad = helpers.numerical_gradient(penalised, start)
    np.testing.assert_allclose(np.r_[run.w[1], run.b[1]], start - lr * grad, rtol=1e-7)
    assert run.loss[0] == pytest.approx(_bce_mean(start, X, Y), rel=1e-14)  # no penalty


def test_softmax_weight_decay_step_is_gradient_descent_on_the_penalised_loss():
    lam, lr = 0.3, 0.2
    W, b = training.symmetric_init(W_INIT, B_INIT)
    run = training.train_softmax(X, Y, W, b, lr=lr, steps=1, weight_decay=lam)
    start = np.r_[W.ravel(), b]

    def penalised(p):
        return _ce_mean(p, X, Y) + lam / 2 * float(p[:-2] @ p[:-2])

    grad = helpers.numerical_gradient(penalised, start)
    np.testing.assert_allclose(np.r_[run.W[1].ravel(), run.b[1]], start - lr * grad, rtol=1e-7)


def test_half_rate_and_twice_the_decay_agree_at_every_step():
    sig = training.train_sigmoid(X, Y, W_INIT, B_INIT, lr=0.5, steps=100, weight_decay=0.2)
    W, b = training.symmetric_init(W_INIT, B_INIT)
    twice = training.train_softmax(X, Y, W, b, lr=0.25, steps=100, weight_decay=0.4)
    same = training.train_softmax(X, Y, W, b, lr=0.25, steps=100, weight_decay=0.2)
    assert training.first_divergence(training.run_gap(sig, twice)) is None
    assert training.first_divergence(training.run_gap(sig, same)) == 1


@pytest.mark.parametrize(
    "bad, error",
    [
        (-0.1, ValueError),
        (np.nan, ValueError),
        (np.inf, ValueError),
        ("0.1", TypeError),
        (True, TypeError),
        ([0.1], TypeError),
    ],
)
def test_weight_decay_is_validated(bad, error):
    with pytest.raises(error, match="^weight_decay"):
        training.train_sigmoid(X, Y, W_INIT, B_INIT, lr=0.5, steps=1, weight_decay=bad)
    W, b = training.symmetric_init(W_INIT, B_INIT)
    with pytest.raises(error, match="^weight_decay"):
        training.train_softmax(X, Y, W, b, lr=0.5, steps=1, weight_decay=bad)


# -- one linear-model class, one training-loop style (issue 24.2) ----------------------------


def test_moved_names_live_only_where_they_now_live():
    from helpers import calibration, losses, metrics, recalibration

    for name, module in {
        "weighted_bce_with_logits": losses,
        "weighted_bce_with_logits_grad": losses,
        "pos_weight_from_counts": metrics,
        "choose_thresholds": metrics,
        "LinearModel": training,
        "train_softmax_regression": training,
        "train_sigmoid_regression": training,
        "temperature_nll": recalibration,
        "fit_temperature": recalibration,
        "histogram_binning_fit": recalibration,
    }.items():
        assert name in module.__all__, name
        assert not hasattr(calibration, name), f"calibration.{name}: a second name for it"
    assert training.grad_logits_reference is losses.grad_logits_reference


def test_every_trainer_returns_the_one_linear_model():
    from helpers import datasets

    X, Y = datasets.make_multilabel_data(60)
    Xc, yc = datasets.make_multiclass_data(60)
    models = [
        training.train_linear_head(X, Y, "sigmoid", epochs=3, verbose=False),
        training.train_linear_head(Xc, yc, "softmax", epochs=3, verbose=False),
        training.train_softmax_regression(Xc, yc, 3, epochs=2),
        training.train_sigmoid_regression(X, Y, epochs=2),
    ]
    for model in models:
        assert type(model) is training.LinearModel
        assert model.W.shape == (2, 3) and model.b.shape == (3,)
        assert model.losses.shape == (len(model.history["train loss"]),)
        p = model.predict_proba(X)
        assert p.shape == (60, 3) and ((p >= 0) & (p <= 1)).all()
    assert models[0].losses.shape == (4,)  # full batch: before each step, then the final loss
    assert models[2].losses.shape == (2,)  # minibatches: one mean per epoch
    np.testing.assert_allclose(models[1].predict_proba(Xc).sum(axis=1), 1.0)
    with pytest.raises(ValueError, match="^T must be positive"):
        models[2].predict_proba(Xc, T=0.0)


def test_the_finite_difference_step_and_the_iteration_count_have_different_names():
    from helpers import gradcheck

    assert hasattr(gradcheck, "_shifted_points") and not hasattr(gradcheck, "_steps")
    assert not hasattr(training, "_steps")


def test_no_math_module_is_over_600_lines():
    from pathlib import Path

    import helpers

    for path in Path(helpers.__file__).parent.glob("*.py"):
        assert len(path.read_text().splitlines()) <= 600, path.name
