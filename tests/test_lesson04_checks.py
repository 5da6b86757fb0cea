"""The checks of lesson 04 accept the reference and reject a catalogue of known mistakes.

Each wrong implementation is a small function; its check must return False, print
a report containing the expected hint, and never raise.
"""

from __future__ import annotations

import numpy as np
import pytest

import helpers
from helpers.checks import (
    check_matching_hyperparameters,
    check_sigmoid_predict,
    check_softmax_to_sigmoid,
)

# -- Exercise 4.1 softmax_to_sigmoid ------------------------------------------------


def to_sigmoid_reference(W, b):
    return W[1] - W[0], float(b[1] - b[0])


def to_sigmoid_swapped(W, b):
    return b[1] - b[0], W[1] - W[0]


def to_sigmoid_stub(W, b):
    raise NotImplementedError("Exercise 4.1: softmax_to_sigmoid")


def to_sigmoid_class0(W, b):
    return W[0] - W[1], float(b[0] - b[1])


def to_sigmoid_no_bias(W, b):
    return W[1] - W[0], 0.0


def to_sigmoid_only_w(W, b):
    return W[1] - W[0]


def to_sigmoid_stacked(W, b):
    return W


def to_sigmoid_stacked_pair(W, b):
    return W, b


def to_sigmoid_row1(W, b):
    return W[1], float(b[1])


def to_sigmoid_columns(W, b):
    return W[:, 1] - W[:, 0], float(b[1] - b[0])


def to_sigmoid_half(W, b):
    return (W[1] - W[0]) / 2, float(b[1] - b[0]) / 2


def to_sigmoid_bias_sign(W, b):
    return W[1] - W[0], float(b[0] - b[1])


def to_sigmoid_bias_only_b1(W, b):
    return W[1] - W[0], float(b[1])


def to_sigmoid_mutates(W, b):
    W[1] -= W[0]
    return W[1].copy(), float(b[1] - b[0])


def to_sigmoid_float64(W, b):
    W = W.astype(np.float64)
    return W[1] - W[0], float(b[1] - b[0])


def to_sigmoid_list(W, b):
    return list(W[1] - W[0]), float(b[1] - b[0])


def to_sigmoid_none(W, b):
    w = W[1] - W[0]  # noqa: F841 (forgot the return)


def to_sigmoid_scalar(W, b):
    return float(b[1] - b[0])


def to_sigmoid_raises(W, b):
    if W.shape[1] != 2:
        raise ValueError("only two features")
    return W[1] - W[0], float(b[1] - b[0])


def to_sigmoid_bias_array(W, b):
    return W[1] - W[0], b[1:] - b[:1]


def to_sigmoid_both_biases(W, b):
    return W[1] - W[0], b


def to_sigmoid_triple(W, b):
    return W[1] - W[0], float(b[1] - b[0]), 1


def to_sigmoid_sum(W, b):
    return W[0] + W[1], float(b[0] + b[1])


def to_sigmoid_sum_weights_only(W, b):
    return W[0] + W[1], float(b[1] - b[0])


def to_sigmoid_huge_bias(W, b):
    return W[1] - W[0], 10**400


def to_sigmoid_mean(W, b):
    return W.mean(axis=0), float(b.mean())


def to_sigmoid_two_features_named(W, b):
    return np.array([W[1, 0] - W[0, 0], W[1, 1] - W[0, 1]], dtype=W.dtype), b[1] - b[0]


def to_sigmoid_object_array(W, b):
    return np.array([W[1] - W[0], b[1] - b[0]], dtype=object)


TO_SIGMOID_MISTAKES = [
    (to_sigmoid_two_features_named, "for any number of features"),
    (to_sigmoid_object_array, "one NumPy array (dtype=object)"),
    (to_sigmoid_stub, "not done yet"),
    (to_sigmoid_class0, "predicts class 0"),
    (to_sigmoid_no_bias, "left out the bias"),
    (to_sigmoid_only_w, "return the bias too"),
    (to_sigmoid_stacked, "whole W"),
    (to_sigmoid_stacked_pair, "shape of W"),
    (to_sigmoid_row1, "alone are right only when"),
    (to_sigmoid_columns, "ROW per class"),
    (to_sigmoid_swapped, "the weights come first"),
    (to_sigmoid_half, "half the difference"),
    (to_sigmoid_bias_sign, "bias predicts class 0"),
    (to_sigmoid_bias_only_b1, "b1 alone"),
    (to_sigmoid_mutates, "modified its input `W`"),
    (to_sigmoid_float64, "float32 in, float32 out"),
    (to_sigmoid_list, "Python list"),
    (to_sigmoid_none, "returned None"),
    (to_sigmoid_scalar, "not a pair"),
    (to_sigmoid_raises, "raised ValueError"),
    (to_sigmoid_bias_array, "single number"),
    (to_sigmoid_both_biases, "two biases"),
    (to_sigmoid_triple, "exactly two things"),
    (to_sigmoid_sum, "that is w0 + w1"),
    (to_sigmoid_sum_weights_only, "that is w0 + w1"),
    (to_sigmoid_huge_bias, "the bias has the wrong value"),
    (to_sigmoid_mean, "compare your formula"),
]


def test_softmax_to_sigmoid_accepts_the_reference(capsys):
    assert check_softmax_to_sigmoid(to_sigmoid_reference) is True
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize(
    "as_number",
    [float, np.float64, np.asarray, lambda v: v],
    ids=["python float", "np.float64", "0-d array", "numpy scalar of the input dtype"],
)
def test_one_dtype_policy_a_bias_is_any_single_number(as_number, capsys):
    """float(...) of a float32 difference passes: a number is judged at the input's precision."""
    assert check_softmax_to_sigmoid(lambda W, b: (W[1] - W[0], as_number(b[1] - b[0]))) is True
    assert "✅" in capsys.readouterr().out


def test_a_bias_just_outside_the_tolerance_fails(capsys):
    assert check_softmax_to_sigmoid(lambda W, b: (W[1] - W[0], float(b[1] - b[0]) + 1e-3)) is False
    assert "the bias has the wrong value" in capsys.readouterr().out


def test_weights_just_outside_the_tolerance_fail(capsys):
    wrong = lambda W, b: ((W[1] - W[0]) * (1 + 1e-4), float(b[1] - b[0]))  # noqa: E731
    assert check_softmax_to_sigmoid(wrong) is False
    assert "❌" in capsys.readouterr().out


def test_softmax_to_sigmoid_accepts_the_helper(capsys):
    assert check_softmax_to_sigmoid(lambda W, b: helpers.two_class_to_sigmoid(W, b)) is True
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize(
    "wrong, hint", TO_SIGMOID_MISTAKES, ids=[f.__name__ for f, _ in TO_SIGMOID_MISTAKES]
)
def test_softmax_to_sigmoid_rejects(wrong, hint, capsys):
    assert check_softmax_to_sigmoid(wrong) is False
    out = capsys.readouterr().out
    assert hint in out, out
    assert "✅" not in out


# -- Exercise 4.2 sigmoid_predict ---------------------------------------------------


def predict_reference(X, w, b):
    return helpers.sigmoid(X @ w + b)


def predict_stub(X, w, b):
    raise NotImplementedError("Exercise 4.2: sigmoid_predict")


def predict_class0(X, w, b):
    return helpers.sigmoid(-(X @ w + b))


def predict_no_bias(X, w, b):
    return helpers.sigmoid(X @ w)


def predict_minus_bias(X, w, b):
    return helpers.sigmoid(X @ w - b)


def predict_logit(X, w, b):
    return X @ w + b


def predict_softmax_one_logit(X, w, b):
    return helpers.softmax((X @ w + b)[:, None])


def predict_softmax_one_logit_flat(X, w, b):
    return helpers.softmax((X @ w + b)[:, None])[:, 0]


def predict_softmax_over_batch(X, w, b):
    return helpers.softmax(X @ w + b)


def predict_transposed(X, w, b):
    return helpers.sigmoid(X.T @ w + b)


def predict_column_w(X, w, b):
    return helpers.sigmoid(X @ w[:, None] + b)


def predict_reshaped_column(X, w, b):
    return helpers.sigmoid(X @ w + b).reshape(-1, 1)


def predict_naive(X, w, b):
    return 1 / (1 + np.exp(-(X @ w + b)))


def predict_naive_silenced(X, w, b):
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-(X @ w + b)))


def predict_expit(X, w, b):
    import scipy.special

    return scipy.special.expit(X @ w + b)


def predict_tanh(X, w, b):
    return 0.5 * (1 + np.tanh((X @ w + b) / 2))


def predict_float64(X, w, b):
    return helpers.sigmoid((X @ w + b).astype(np.float64))


def predict_float64_bias(X, w, b):
    return helpers.sigmoid(X @ w + np.asarray(b, dtype=np.float64))


def predict_list(X, w, b):
    return list(helpers.sigmoid(X @ w + b))


def predict_scalar(X, w, b):
    return float(helpers.sigmoid(X @ w + b).mean())


def predict_none(X, w, b):
    helpers.sigmoid(X @ w + b)


def predict_mutates(X, w, b):
    X -= X.mean(axis=0)
    return helpers.sigmoid(X @ w + b)


def predict_raises(X, w, b):
    assert X.shape[0] > 1, "need several examples"
    return helpers.sigmoid(X @ w + b)


PREDICT_MISTAKES = [
    (predict_stub, "not done yet"),
    (predict_class0, "P(class 0)"),
    (predict_no_bias, "left out the bias"),
    (predict_minus_bias, "not X @ w - b"),
    (predict_logit, "apply the sigmoid"),
    (predict_softmax_one_logit, "always 1"),
    (predict_softmax_one_logit_flat, "always 1"),
    (predict_softmax_over_batch, "across the examples"),
    (predict_transposed, "shapes do not fit"),
    (predict_column_w, "a column w (w[:, None])"),
    (predict_reshaped_column, "reshape(-1, 1)"),
    (predict_naive, "overflow"),
    (predict_naive_silenced, "naive 1 / (1 + np.exp(-z))"),
    (predict_expit, "scipy.special.expit"),
    (predict_tanh, "❌"),
    (predict_float64, "float32 in, float32 out"),
    (predict_float64_bias, "float32 in, float32 out"),
    (predict_list, "Python list"),
    (predict_scalar, "single number"),
    (predict_none, "returned None"),
    (predict_mutates, "modified its input `X`"),
    (predict_raises, "raised AssertionError"),
]


def test_sigmoid_predict_accepts_the_reference(capsys):
    assert check_sigmoid_predict(predict_reference) is True
    assert "✅" in capsys.readouterr().out


def test_sigmoid_predict_accepts_the_softmax_route(capsys):
    """Predicting through a two-class softmax with logits [0, z] is just as right."""

    def via_softmax(X, w, b):
        z = X @ w + b
        return helpers.softmax(np.stack([np.zeros_like(z), z], axis=-1))[:, 1]

    assert check_sigmoid_predict(via_softmax) is True
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize(
    "wrong, hint", PREDICT_MISTAKES, ids=[f.__name__ for f, _ in PREDICT_MISTAKES]
)
def test_sigmoid_predict_rejects(wrong, hint, capsys):
    assert check_sigmoid_predict(wrong) is False
    out = capsys.readouterr().out
    assert hint in out, out
    assert "✅" not in out


@pytest.mark.parametrize("factor", [1 + 3e-7, 1 - 3e-7])
def test_sigmoid_predict_just_outside_the_tolerance_fails(factor, capsys):
    """Near miss: 3e-7 relative is outside the check's 1e-7 (float64 cases come first)."""
    assert check_sigmoid_predict(lambda X, w, b: helpers.sigmoid(X @ w + b) * factor) is False
    assert "❌" in capsys.readouterr().out


def test_sigmoid_predict_within_the_tolerance_passes(capsys):
    assert check_sigmoid_predict(lambda X, w, b: helpers.sigmoid(X @ w + b) * (1 + 2e-8)) is True


def test_transposed_x_on_a_square_input_gets_its_own_hint(capsys):
    """When n == d, X.T @ w does not raise: the square case names the transpose."""

    def transposed_when_square(X, w, b):
        if X.shape[0] == X.shape[1]:
            return helpers.sigmoid(X.T @ w + b)
        return helpers.sigmoid(X @ w + b)

    assert check_sigmoid_predict(transposed_when_square) is False
    assert "X.T @ w mixes examples and features" in capsys.readouterr().out


# -- Exercise 4.3 matching_hyperparameters --------------------------------------------


def hyper_reference(lr_sigmoid, weight_decay_sigmoid):
    return lr_sigmoid / 2, 2 * weight_decay_sigmoid


def hyper_stub(lr_sigmoid, weight_decay_sigmoid):
    raise NotImplementedError("Exercise 4.3: matching_hyperparameters")


def hyper_same(lr_sigmoid, weight_decay_sigmoid):
    return lr_sigmoid, weight_decay_sigmoid


def hyper_same_decay(lr_sigmoid, weight_decay_sigmoid):
    return lr_sigmoid / 2, weight_decay_sigmoid


def hyper_half_decay(lr_sigmoid, weight_decay_sigmoid):
    return lr_sigmoid / 2, weight_decay_sigmoid / 2


def hyper_decay_times_rate(lr_sigmoid, weight_decay_sigmoid):
    return lr_sigmoid / 2, weight_decay_sigmoid * lr_sigmoid  # lr_sigmoid = 0.3 in case 2


def hyper_four_decay(lr_sigmoid, weight_decay_sigmoid):
    return lr_sigmoid / 2, 4 * weight_decay_sigmoid


def hyper_same_rate_double_decay(lr_sigmoid, weight_decay_sigmoid):
    return lr_sigmoid, 2 * weight_decay_sigmoid


def hyper_decay_only(lr_sigmoid, weight_decay_sigmoid):
    return lr_sigmoid / 4, 4 * weight_decay_sigmoid  # same lr * lambda, wrong rate


def hyper_double(lr_sigmoid, weight_decay_sigmoid):
    return 2 * lr_sigmoid, weight_decay_sigmoid / 2


def hyper_quarter(lr_sigmoid, weight_decay_sigmoid):
    return lr_sigmoid / 4, 2 * weight_decay_sigmoid


def hyper_floor_division(lr_sigmoid, weight_decay_sigmoid):
    return lr_sigmoid // 2, 2 * weight_decay_sigmoid


def hyper_swapped(lr_sigmoid, weight_decay_sigmoid):
    return 2 * weight_decay_sigmoid, lr_sigmoid / 2


def hyper_rounded(lr_sigmoid, weight_decay_sigmoid):
    return round(lr_sigmoid / 2, 2), 2 * weight_decay_sigmoid  # 0.001 / 2 rounds to 0.0


def hyper_float32(lr_sigmoid, weight_decay_sigmoid):
    return np.float32(lr_sigmoid) / 2, np.float32(weight_decay_sigmoid) * 2


def hyper_constant(lr_sigmoid, weight_decay_sigmoid):
    return 0.25, 0.0  # right only for section 5's run


def hyper_almost(lr_sigmoid, weight_decay_sigmoid):
    return 0.5 * lr_sigmoid, 2.01 * weight_decay_sigmoid


def hyper_negative(lr_sigmoid, weight_decay_sigmoid):
    return -lr_sigmoid / 2, 2 * weight_decay_sigmoid


def hyper_negative_decay(lr_sigmoid, weight_decay_sigmoid):
    return lr_sigmoid / 2, -2 * weight_decay_sigmoid - 0.1


def hyper_rate_only(lr_sigmoid, weight_decay_sigmoid):
    return lr_sigmoid / 2


def hyper_none(lr_sigmoid, weight_decay_sigmoid):
    lr_sigmoid / 2  # noqa: B018 (forgot the return)


def hyper_array(lr_sigmoid, weight_decay_sigmoid):
    return np.array([lr_sigmoid / 2, 2 * weight_decay_sigmoid])


def hyper_huge(lr_sigmoid, weight_decay_sigmoid):
    return 10**400, 2 * weight_decay_sigmoid


def hyper_raises(lr_sigmoid, weight_decay_sigmoid):
    if isinstance(lr_sigmoid, int):
        raise TypeError("lr must be a float")
    return lr_sigmoid / 2, 2 * weight_decay_sigmoid


HYPER_MISTAKES = [
    (hyper_stub, "not done yet"),
    (hyper_same, "twice as fast"),
    (hyper_same_decay, "the learning rate is right, the weight decay is not"),
    (hyper_half_decay, "your lambda is half the sigmoid's"),
    (hyper_decay_times_rate, "your lambda is 0.3 x the sigmoid's"),
    (hyper_four_decay, "your lambda is 4 x the sigmoid's"),
    (hyper_same_rate_double_decay, "twice as fast"),
    (hyper_decay_only, "wrong factor"),
    (hyper_double, "doubling makes it worse"),
    (hyper_quarter, "wrong factor"),
    (hyper_floor_division, "floor division"),
    (hyper_swapped, "the pair is swapped"),
    (hyper_float32, "keep float64"),
    (hyper_rounded, "round(0.0005, 2) == 0.0"),
    (hyper_constant, "the two runs part at step"),
    (hyper_almost, "the two runs part at step"),
    (hyper_negative, "positive"),
    (hyper_negative_decay, ">= 0"),
    (hyper_rate_only, "return two numbers"),
    (hyper_none, "returned None"),
    (hyper_array, "return two numbers"),
    (hyper_huge, "the learning rate is inf"),
    (hyper_raises, "raised TypeError"),
]


def test_matching_hyperparameters_accepts_the_reference(capsys):
    assert check_matching_hyperparameters(hyper_reference) is True
    assert "✅" in capsys.readouterr().out


def test_matching_hyperparameters_accepts_numpy_scalars_and_lists(capsys):
    assert check_matching_hyperparameters(lambda lr, wd: [np.float64(lr) * 0.5, wd * 2]) is True
    assert "✅" in capsys.readouterr().out


def test_the_reference_pair_is_what_the_derivation_says():
    """One step of each model by hand: w1 - w0 moves like w' when lr/2 and 2 lambda are used."""
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(7, 3)), np.array([0, 1, 1, 0, 1, 0, 0])
    w, lr, lam = rng.normal(size=3), 0.3, 0.7
    g = (helpers.sigmoid(X @ w) - y) / len(y)  # dBCE/dz, bias 0
    w_sigmoid = w - lr * (X.T @ g + lam * w)
    W = np.stack([-w / 2, w / 2])
    G = helpers.softmax_cross_entropy_grad(X @ W.T, y)  # (7, 2), divided by n
    lr_s, lam_s = hyper_reference(lr, lam)
    W_next = W - lr_s * (G.T @ X + lam_s * W)
    np.testing.assert_allclose(W_next[1] - W_next[0], w_sigmoid, rtol=1e-12)


@pytest.mark.parametrize("wrong, hint", HYPER_MISTAKES, ids=[f.__name__ for f, _ in HYPER_MISTAKES])
def test_matching_hyperparameters_rejects(wrong, hint, capsys):
    assert check_matching_hyperparameters(wrong) is False
    out = capsys.readouterr().out
    assert hint in out, out
    assert "✅" not in out
    assert "Traceback" not in out


def test_hyperparameter_report_names_the_step_and_the_size(capsys):
    check_matching_hyperparameters(hyper_same)
    out = capsys.readouterr().out
    assert "part at step 1: max |w_sigmoid - (w1 - w0)| = " in out
    assert "at step 60" in out


def test_a_rate_just_off_fails(capsys):
    """Near miss: a rate 1e-6 relative off parts from the sigmoid run within 60 steps."""
    assert check_matching_hyperparameters(lambda lr, wd: (lr / 2 * (1 + 1e-6), 2 * wd)) is False
    assert "part at step" in capsys.readouterr().out


# -- every check, every wrong answer: never raises, quiet prints nothing --------------

ALL = (
    [(check_softmax_to_sigmoid, f) for f, _ in TO_SIGMOID_MISTAKES]
    + [(check_sigmoid_predict, f) for f, _ in PREDICT_MISTAKES]
    + [(check_matching_hyperparameters, f) for f, _ in HYPER_MISTAKES]
)


@pytest.mark.parametrize("check, wrong", ALL, ids=[f.__name__ for _, f in ALL])
def test_quiet_checks_never_raise_and_print_nothing(check, wrong, capsys):
    assert check(wrong, quiet=True) is False
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(
    "check", [check_softmax_to_sigmoid, check_sigmoid_predict, check_matching_hyperparameters]
)
@pytest.mark.parametrize("not_a_function", [None, 0.5, "lr / 2"])
def test_not_a_function(check, not_a_function, capsys):
    assert check(not_a_function) is False
    assert "expected a function" in capsys.readouterr().out


def test_a_failed_check_raises_under_nbgrader(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(AssertionError):
        check_matching_hyperparameters(hyper_same, quiet=True)


# ------------------------------------------- the catalogue, for tests/test_check_margins.py
# (check, name, wrong function) and (check, name, accepted function): every entry above.
def _predict_via_softmax(X, w, b):
    z = X @ w + b
    return helpers.softmax(np.stack([np.zeros_like(z), z], axis=-1))[:, 1]


MARGIN_WRONG = [(check, f.__name__, f) for check, f in ALL]
MARGIN_RIGHT = [
    (check_softmax_to_sigmoid, "reference", to_sigmoid_reference),
    (check_softmax_to_sigmoid, "helper", lambda W, b: helpers.two_class_to_sigmoid(W, b)),
    (check_sigmoid_predict, "reference", predict_reference),
    (check_sigmoid_predict, "via softmax", _predict_via_softmax),
    (check_matching_hyperparameters, "reference", hyper_reference),
]
