"""The checks of lesson 04 accept the reference and reject a catalogue of known mistakes.

Each wrong implementation is a small function; its check must return False, print
a report containing the expected hint, and never raise.
"""

from __future__ import annotations

import numpy as np
import pytest

import helpers
from helpers.checks import (
    check_matching_learning_rate,
    check_sigmoid_predict,
    check_softmax_to_sigmoid,
)

# -- Exercise 4.1 softmax_to_sigmoid ------------------------------------------------


def to_sigmoid_reference(W, b):
    return W[1] - W[0], float(b[1] - b[0])


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


def to_sigmoid_mean(W, b):
    return W.mean(axis=0), float(b.mean())


TO_SIGMOID_MISTAKES = [
    (to_sigmoid_stub, "not done yet"),
    (to_sigmoid_class0, "predicts class 0"),
    (to_sigmoid_no_bias, "left out the bias"),
    (to_sigmoid_only_w, "return the bias too"),
    (to_sigmoid_stacked, "whole W"),
    (to_sigmoid_stacked_pair, "shape of W"),
    (to_sigmoid_row1, "alone are right only when"),
    (to_sigmoid_columns, "ROW per class"),
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
    (to_sigmoid_mean, "compare your formula"),
]


def test_softmax_to_sigmoid_accepts_the_reference(capsys):
    assert check_softmax_to_sigmoid(to_sigmoid_reference) is True
    assert "✅" in capsys.readouterr().out


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


def predict_naive(X, w, b):
    return 1 / (1 + np.exp(-(X @ w + b)))


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
    (predict_column_w, "do not turn w into a column"),
    (predict_naive, "overflow"),
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


def test_transposed_x_on_a_square_input_gets_its_own_hint(capsys):
    """When n == d, X.T @ w does not raise: the square case names the transpose."""

    def transposed_when_square(X, w, b):
        if X.shape[0] == X.shape[1]:
            return helpers.sigmoid(X.T @ w + b)
        return helpers.sigmoid(X @ w + b)

    assert check_sigmoid_predict(transposed_when_square) is False
    assert "X.T @ w mixes examples and features" in capsys.readouterr().out


# -- Exercise 4.3 matching_learning_rate ----------------------------------------------


def rate_reference(lr_sigmoid):
    return lr_sigmoid / 2


def rate_stub(lr_sigmoid):
    raise NotImplementedError("Exercise 4.3: matching_learning_rate")


def rate_same(lr_sigmoid):
    return lr_sigmoid


def rate_double(lr_sigmoid):
    return 2 * lr_sigmoid


def rate_quarter(lr_sigmoid):
    return lr_sigmoid / 4


def rate_floor_division(lr_sigmoid):
    return lr_sigmoid // 2


def rate_constant(lr_sigmoid):
    return 0.25  # right only for the lesson's lr = 0.5


def rate_almost(lr_sigmoid):
    return 0.51 * lr_sigmoid


def rate_negative(lr_sigmoid):
    return -lr_sigmoid / 2


def rate_none(lr_sigmoid):
    lr_sigmoid / 2  # noqa: B018 (forgot the return)


def rate_list(lr_sigmoid):
    return [lr_sigmoid / 2]


def rate_array(lr_sigmoid):
    return np.array([lr_sigmoid / 2])


def rate_raises(lr_sigmoid):
    if isinstance(lr_sigmoid, int):
        raise TypeError("lr must be a float")
    return lr_sigmoid / 2


RATE_MISTAKES = [
    (rate_stub, "not done yet"),
    (rate_same, "twice as fast"),
    (rate_double, "doubling makes it worse"),
    (rate_quarter, "wrong factor"),
    (rate_floor_division, "floor division"),
    (rate_constant, "faster still"),
    (rate_almost, "the two runs part at step 1"),
    (rate_negative, "positive"),
    (rate_none, "returned None"),
    (rate_list, "return one number"),
    (rate_array, "return one number"),
    (rate_raises, "raised TypeError"),
]


def test_matching_learning_rate_accepts_the_reference(capsys):
    assert check_matching_learning_rate(rate_reference) is True
    assert "✅" in capsys.readouterr().out


def test_matching_learning_rate_accepts_a_numpy_scalar(capsys):
    assert check_matching_learning_rate(lambda lr: np.float64(lr) * 0.5) is True
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, hint", RATE_MISTAKES, ids=[f.__name__ for f, _ in RATE_MISTAKES])
def test_matching_learning_rate_rejects(wrong, hint, capsys):
    assert check_matching_learning_rate(wrong) is False
    out = capsys.readouterr().out
    assert hint in out, out
    assert "✅" not in out


def test_learning_rate_report_names_the_step_and_the_size(capsys):
    check_matching_learning_rate(rate_same)
    out = capsys.readouterr().out
    assert "part at step 1: max |w_sigmoid - (w1 - w0)| = " in out
    assert "at step 60" in out


# -- every check, every wrong answer: never raises, quiet prints nothing --------------

ALL = (
    [(check_softmax_to_sigmoid, f) for f, _ in TO_SIGMOID_MISTAKES]
    + [(check_sigmoid_predict, f) for f, _ in PREDICT_MISTAKES]
    + [(check_matching_learning_rate, f) for f, _ in RATE_MISTAKES]
)


@pytest.mark.parametrize("check, wrong", ALL, ids=[f.__name__ for _, f in ALL])
def test_quiet_checks_never_raise_and_print_nothing(check, wrong, capsys):
    assert check(wrong, quiet=True) is False
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(
    "check", [check_softmax_to_sigmoid, check_sigmoid_predict, check_matching_learning_rate]
)
@pytest.mark.parametrize("not_a_function", [None, 0.5, "lr / 2"])
def test_not_a_function(check, not_a_function, capsys):
    assert check(not_a_function) is False
    assert "expected a function" in capsys.readouterr().out


def test_a_failed_check_raises_under_nbgrader(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(AssertionError):
        check_matching_learning_rate(rate_same, quiet=True)
