"""Lesson 05 checks: the reference passes; each wrong answer fails with its hint."""

from __future__ import annotations

import numpy as np
import pytest

import helpers
from helpers.checks import lesson05 as C
from helpers.training import grad_logits_reference

# -- reference solutions, written the way a learner would ----------------------------------


def bce_ok(z, y):
    return np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))


def ce_ok(z, y):
    m = z.max(axis=-1, keepdims=True)
    lse = m[:, 0] + np.log(np.sum(np.exp(z - m), axis=-1))
    return np.mean(lse - z[np.arange(len(y)), y])


def ml_ok(p, threshold=0.5):
    return p >= threshold


def mc_ok(p):
    return np.argmax(p, axis=-1)


def grad_ok(z, y, head):
    if head == "sigmoid":
        return (1 / (1 + np.exp(-np.clip(z, -500, 500))) - y) / z.size
    m = z.max(axis=-1, keepdims=True)
    e = np.exp(z - m)
    s = e / e.sum(axis=-1, keepdims=True)
    s[np.arange(len(y)), y] -= 1
    return s / len(y)


SIG = ("sigmoid", "binary_cross_entropy", "threshold")
SOFT = ("softmax", "cross_entropy", "argmax")
ANSWERS = {"spam": SIG, "digit": SOFT, "genres": SIG, "xray": SIG, "iris": SOFT, "apple": SIG}


def choices_ok():
    return dict(ANSWERS)


def stub(*args, **kwargs):
    raise NotImplementedError("Exercise 5.x: stub")


RIGHT = [
    (C.check_bce_with_logits, bce_ok),
    (C.check_cross_entropy_with_logits, ce_ok),
    (C.check_predict_multilabel, ml_ok),
    (C.check_predict_multiclass, mc_ok),
    (C.check_grad_logits, grad_ok),
    (C.check_grad_logits, grad_logits_reference),
    (C.check_my_choices, choices_ok),
]


@pytest.mark.parametrize(
    "check, fn",
    RIGHT,
    ids=["bce", "ce", "multilabel", "multiclass", "grad", "grad_reference", "choices"],
)
def test_a_right_answer_passes(check, fn, capsys):
    assert check(fn) is True
    out = capsys.readouterr().out
    assert out.startswith("✅") and "❌" not in out


def test_other_right_answers_pass(capsys):
    def ml_int(p, threshold=0.5):
        return np.where(p >= threshold, 1, 0)

    def mc_via_softmax(p):
        return np.argmax(np.exp(p - p.max(axis=-1, keepdims=True)), axis=-1)

    def bce_float(z, y):
        return float(bce_ok(z, y)) if z.dtype == np.float64 else bce_ok(z, y)

    def bce_softplus(z, y):
        return np.mean(y * np.logaddexp(0, -z) + (1 - y) * np.logaddexp(0, z))

    def ce_one_hot(z, y):  # picks with a mask instead of multiplying, so -inf is fine
        logp = z - z.max(axis=-1, keepdims=True)
        logp = logp - np.log(np.exp(logp).sum(axis=-1, keepdims=True))
        return -np.mean(logp[np.arange(len(y)), y])

    assert C.check_predict_multilabel(ml_int)
    assert C.check_predict_multiclass(mc_via_softmax)
    assert C.check_bce_with_logits(bce_float)
    assert C.check_bce_with_logits(bce_softplus)
    assert C.check_cross_entropy_with_logits(ce_one_hot)
    spam_softmax = dict(ANSWERS, spam=SOFT)
    assert C.check_my_choices(lambda: spam_softmax)
    assert "lesson 04" in capsys.readouterr().out
    shouty = {k: (h.upper(), f" {loss} ", rule.title()) for k, (h, loss, rule) in ANSWERS.items()}
    assert C.check_my_choices(lambda: shouty)
    assert C.check_prediction_rules(ml_ok, mc_ok)


# -- 5.2 bce_with_logits -------------------------------------------------------------------


def _sigmoid_naive(z):
    return 1 / (1 + np.exp(-z))


def bce_naive(z, y):
    p = _sigmoid_naive(z)
    return np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p)))


def bce_probabilities(z, y):  # the logits used as if they were probabilities
    return np.mean(-(y * np.log(z) + (1 - y) * np.log(1 - z)))


def bce_twice(z, y):
    return bce_ok(_sigmoid_naive(z), y)


def bce_clipped(z, y):
    p = np.clip(_sigmoid_naive(z), 1e-7, 1 - 1e-7)
    return np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p)))


def bce_clamped(z, y):
    with np.errstate(divide="ignore"):
        p = _sigmoid_naive(z)
        lp, lq = np.maximum(np.log(p), -100), np.maximum(np.log(1 - p), -100)
    return np.mean(-(y * lp + (1 - y) * lq))


def bce_where_both_branches(z, y):
    pos = np.where(z >= 0, z + np.log1p(np.exp(-z)), np.log1p(np.exp(z)))  # softplus(z)
    return np.mean(pos - z * y)


def bce_mutates(z, y):
    out = np.maximum(z, 0) - z * y
    z[...] = -np.abs(z)
    return np.mean(out + np.log1p(np.exp(z)))


def bce_naive_softplus(z, y):
    with np.errstate(over="ignore"):
        return np.mean(np.log(1 + np.exp(z)) - z * y)


def bce_naive_softplus_log1p(z, y):
    return np.mean(np.log1p(np.exp(z)) - z * y)


def bce_exp_not_abs(z, y):
    with np.errstate(over="ignore"):
        return np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-z)))


def _sp(x):
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


BCE_WRONG = {
    "softplus(-z) for both terms": (
        lambda z, y: np.mean(y * _sp(-z) + (1 - y) * _sp(-z)),
        C.HINT_BCE_ONE_SOFTPLUS,
    ),
    "logits clipped to [-100, 100], then the stable form": (
        lambda z, y: (lambda c: np.mean(np.maximum(c, 0) - c * y + np.log1p(np.exp(-np.abs(c)))))(
            np.clip(z, -100, 100)
        ),
        C.HINT_BCE_CLAMPED,
    ),
    "the right float64 loss as np.float32 (off by at most 6e-8)": (
        lambda z, y: np.float32(bce_ok(z, y)),
        "returned a float32 number",
    ),
    "stub": (stub, "not done yet"),
    "stable form with np.log(1 + exp(-|z|)) (0 for confidently right examples)": (
        lambda z, y: np.mean(np.maximum(z, 0) - z * y + np.log(1 + np.exp(-np.abs(z)))),
        "np.log1p",
    ),
    "stable form with np.log(1 + exp(-|z|)), other spelling": (
        lambda z, y: np.mean(np.maximum(z, 0) - z * y + np.log(np.exp(-np.abs(z)) + 1)),
        "np.log1p",
    ),
    "naive log(1 + exp(z)), overflow silenced": (bce_naive_softplus, C.HINT_BCE_NAIVE_SOFTPLUS),
    "naive log1p(exp(z))": (bce_naive_softplus_log1p, C.HINT_BCE_NAIVE_SOFTPLUS),
    "stable softplus(z) - z*y (cancels for confidently right examples)": (
        lambda z, y: np.mean(np.logaddexp(0, z) - z * y),
        C.HINT_BCE_SOFTPLUS_CANCELS,
    ),
    "exp(-z) for exp(-|z|)": (bce_exp_not_abs, C.HINT_BCE_EXP_NOT_ABS),
    "just outside the tolerance": (lambda z, y: bce_ok(z, y) * (1 + 3e-7), "❌"),
    "none": (lambda z, y: None, "return` statement"),
    "list": (lambda z, y: [bce_ok(z, y)], "return one number (a float), not a list"),
    "per-element losses": (
        lambda z, y: np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))),
        C.HINT_BCE_ONE_NUMBER,
    ),
    "naive log(sigmoid)": (bce_naive, C.HINT_BCE_NONFINITE),
    "logits as probabilities": (bce_probabilities, C.HINT_BCE_NONFINITE),
    "naive two-term log(1 + exp(z)) (0 * inf = nan at z = 1000)": (
        lambda z, y: np.mean(y * np.log(1 + np.exp(-z)) + (1 - y) * np.log(1 + np.exp(z))),
        "exp(z) overflowed to inf in log(1 + exp(z))",
    ),
    "sigmoid twice": (bce_twice, C.HINT_BCE_TWICE),
    "clipped at 1e-7": (bce_clipped, C.HINT_BCE_CLIPPED),
    "clamped at -100": (bce_clamped, C.HINT_BCE_CLAMPED),
    "sum": (
        lambda z, y: np.sum(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))),
        C.HINT_BCE_SUM,
    ),
    "sum over labels": (
        lambda z, y: np.mean(
            np.sum(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))), axis=-1)
        ),
        C.HINT_BCE_LABEL_SUM,
    ),
    "sum over examples": (
        lambda z, y: np.sum(
            np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))), axis=-1)
        ),
        C.HINT_BCE_EXAMPLE_SUM,
    ),
    "sign of z*y": (lambda z, y: bce_ok(z, -y), C.HINT_BCE_SIGN),
    "y swapped": (lambda z, y: bce_ok(z, 1 - y), C.HINT_BCE_SWAPPED),
    "no log1p term": (lambda z, y: np.mean(np.maximum(z, 0) - z * y), C.HINT_BCE_NO_LOG1P),
    "softmax over labels": (
        lambda z, y: np.mean(
            -np.sum(y * (z - np.log(np.sum(np.exp(z), axis=-1, keepdims=True))), axis=-1)
        ),
        C.HINT_BCE_SOFTMAX,
    ),
    "np.where evaluates both branches": (bce_where_both_branches, "both branches"),
    "mutates z": (bce_mutates, "modified its input `z`"),
    "raises on 1-D input": (
        lambda z, y: bce_ok(z, y) if z.ndim == 2 else z.shape[1],
        "raised IndexError",
    ),
}

# -- 5.3 cross_entropy_with_logits ---------------------------------------------------------


def _log_softmax(z, axis=-1):
    m = z.max(axis=axis, keepdims=True)
    return z - m - np.log(np.sum(np.exp(z - m), axis=axis, keepdims=True))


def ce_naive(z, y):
    e = np.exp(z)
    return -np.mean(np.log(e / e.sum(axis=-1, keepdims=True))[np.arange(len(y)), y])


def ce_log_of_softmax(z, y):  # stable softmax, but the log of a probability that underflowed
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    s = e / e.sum(axis=-1, keepdims=True)
    return -np.mean(np.log(s[np.arange(len(y)), y]))


def ce_one_hot_product(z, y):
    return -np.mean(np.sum(np.eye(z.shape[-1])[y] * _log_softmax(z), axis=-1))


def ce_forgot_max(z, y):
    m = z.max(axis=-1, keepdims=True)
    lse = np.log(np.sum(np.exp(z - m), axis=-1))
    return np.mean(lse - z[np.arange(len(y)), y])


def ce_mutates(z, y):
    z -= z.max(axis=-1, keepdims=True)
    return np.mean(np.log(np.exp(z).sum(axis=-1)) - z[np.arange(len(y)), y])


def ce_global_max(z, y):
    m = z.max()  # one maximum for the whole batch
    with np.errstate(divide="ignore"):
        lse = m + np.log(np.sum(np.exp(z - m), axis=-1))
    return np.mean(lse - z[np.arange(len(y)), y])


CE_WRONG = {
    "nan_to_num on the logits (-inf becomes -1.8e308)": (
        lambda z, y: (lambda u: np.mean(helpers.logsumexp(u, axis=1) - u[np.arange(len(y)), y]))(
            np.nan_to_num(z)
        ),
        "❌",
    ),
    "integer labels used as one-hot weights, y[:, None] * log_softmax": (
        lambda z, y: -np.mean(np.sum(y[:, None] * helpers.log_softmax(z, axis=1), axis=1)),
        C.HINT_CE_LABEL_WEIGHTS,
    ),
    "the right float64 loss as np.float32 (off by at most 6e-8)": (
        lambda z, y: np.float32(ce_ok(z, y)),
        "returned a float32 number",
    ),
    "stub": (stub, "not done yet"),
    "one max for the whole batch": (ce_global_max, C.HINT_CE_GLOBAL_MAX),
    "just outside the tolerance": (lambda z, y: ce_ok(z, y) * (1 + 3e-7), "❌"),
    "none": (lambda z, y: None, "return` statement"),
    "list": (lambda z, y: [ce_ok(z, y)], "return one number (a float), not a list"),
    "per-example losses": (
        lambda z, y: -_log_softmax(z)[np.arange(len(y)), y],
        C.HINT_CE_ONE_NUMBER,
    ),
    "no max subtraction": (ce_naive, C.HINT_CE_NONFINITE),
    "log of softmax": (ce_log_of_softmax, C.HINT_CE_NONFINITE),
    "one-hot times log-probabilities": (ce_one_hot_product, C.HINT_CE_ZERO_TIMES_INF),
    "sum": (lambda z, y: ce_ok(z, y) * len(y), C.HINT_CE_SUM),
    "mean over classes too": (
        lambda z, y: -np.mean(np.eye(z.shape[-1])[y] * np.nan_to_num(_log_softmax(z))),
        C.HINT_CE_MEAN_CLASSES,
    ),
    "logsumexp over axis 0": (
        lambda z, y: -np.mean(_log_softmax(z, axis=0)[np.arange(len(y)), y]),
        C.HINT_CE_AXIS0,
    ),
    "z[:, y]": (lambda z, y: -np.mean(_log_softmax(z)[:, y]), C.HINT_CE_COLUMNS),
    "no log-sum-exp": (lambda z, y: -np.mean(z[np.arange(len(y)), y]), C.HINT_CE_NO_LSE),
    "sign": (lambda z, y: -ce_ok(z, y), C.HINT_CE_SIGN),
    "binary cross-entropy on one-hot": (
        lambda z, y: bce_ok(z, np.eye(z.shape[-1], dtype=z.dtype)[y]),
        C.HINT_CE_BCE,
    ),
    "softmax twice": (
        lambda z, y: ce_ok(np.exp(_log_softmax(z)), y),
        C.HINT_CE_TWICE,
    ),
    "forgot to add the max back": (ce_forgot_max, C.HINT_CE_FORGOT_MAX),
    "mutates z": (ce_mutates, "modified its input `z`"),
    "raises for one example": (
        lambda z, y: ce_ok(z, y) if len(y) > 1 else float(y),
        "raised TypeError",
    ),
}

# -- 5.4 prediction rules ------------------------------------------------------------------


def ml_mutates(p, threshold=0.5):
    p[p < threshold] = 0
    return p > 0


def ml_one_hot(p, threshold=0.5):
    return np.argmax(p, axis=-1)[..., None] == np.arange(p.shape[-1])


def ml_softmax(p, threshold=0.5):
    e = np.exp(p - p.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True) >= threshold


def ml_if(p, threshold=0.5):
    return p >= threshold if np.ndim(threshold) == 0 else p >= float(threshold)  # raises


def ml_threshold_column(p, threshold=0.5):
    return p >= np.reshape(threshold, (-1, 1)) if np.ndim(threshold) else p >= threshold


ML_WRONG = {
    "p rounded to 2 decimals first": (
        lambda p, threshold=0.5: np.round(p, 2) >= threshold,
        "returned wrong decisions",
    ),
    "a masked array's mask (one False when nothing is masked)": (
        lambda p, threshold=0.5: ~np.ma.masked_less(p, threshold).mask,
        "❌",
    ),
    "the logit of the threshold": (
        lambda p, threshold=0.5: p >= np.log(threshold / (1 - threshold)),
        C.HINT_ML_SIGMOID,
    ),
    "the mean of per-label thresholds": (
        lambda p, threshold=0.5: p >= np.mean(threshold),
        C.HINT_ML_MEAN_THRESHOLD,
    ),
    "a sigmoid of the probabilities first": (
        lambda p, threshold=0.5: helpers.sigmoid(p) >= threshold,
        C.HINT_ML_SIGMOID,
    ),
    "np.sign(p - threshold)": (
        lambda p, threshold=0.5: np.sign(p - threshold),
        C.HINT_ML_SIGNS,
    ),
    "stub": (stub, "not done yet"),
    "threshold as a column": (ml_threshold_column, C.HINT_ML_THRESHOLD_SHAPE),
    "none": (lambda p, threshold=0.5: None, "return` statement"),
    "list": (lambda p, threshold=0.5: (p >= threshold).tolist(), "not a Python list"),
    "strict >": (lambda p, threshold=0.5: p > threshold, C.HINT_ML_STRICT),
    "reversed <=": (lambda p, threshold=0.5: p <= threshold, C.HINT_ML_DIRECTION),
    "reversed <": (lambda p, threshold=0.5: p < threshold, C.HINT_ML_DIRECTION),
    "fixed 0.5": (lambda p, threshold=0.5: p >= 0.5, C.HINT_ML_FIXED),
    "np.round": (lambda p, threshold=0.5: np.round(p), C.HINT_ML_FIXED),
    "argmax (softmax rule)": (ml_one_hot, C.HINT_ML_ARGMAX),
    "softmax then threshold": (ml_softmax, C.HINT_ML_SOFTMAX),
    "probabilities, not decisions": (
        lambda p, threshold=0.5: p * (p >= threshold),
        C.HINT_ML_NOT_BINARY,
    ),
    "one decision per row": (lambda p, threshold=0.5: (p >= threshold).any(axis=-1), "shape"),
    "mutates p": (ml_mutates, "modified its input `p`"),
    "raises on per-label thresholds": (ml_if, "raised TypeError"),
}

MC_WRONG = {
    "classes counted from 1": (lambda p: np.argmax(p, axis=-1) + 1, C.HINT_MC_ONE_BASED),
    "argmax with keepdims=True": (
        lambda p: np.argmax(p, axis=-1, keepdims=True),
        C.HINT_MC_KEEPDIMS,
    ),
    "np.max, the largest probability": (lambda p: np.max(p, axis=-1), C.HINT_MC_MAX_VALUE),
    "the last of tied maxima (argmax of the reversed row)": (
        lambda p: np.asarray(p).shape[-1] - 1 - np.argmax(np.asarray(p)[..., ::-1], axis=-1),
        "picks the first of the largest",
    ),
    "threshold at 0.5, then argmax": (
        lambda p: np.argmax(p >= 0.5, axis=-1),
        C.HINT_MC_THRESHOLD_ARGMAX,
    ),
    "stub": (stub, "not done yet"),
    "none": (lambda p: None, "return` statement"),
    "list": (lambda p: np.argmax(p, axis=-1).tolist(), "not a Python list"),
    "argmax over axis 0": (lambda p: np.argmax(p, axis=0), C.HINT_MC_AXIS),
    "argmax over axis 1": (
        lambda p: np.argmax(p, axis=1) if p.ndim > 1 else np.argmax(p),
        C.HINT_MC_AXIS,
    ),
    "argmax without axis": (lambda p: np.argmax(p), C.HINT_MC_FLAT),
    "argmin": (lambda p: np.argmin(p, axis=-1), C.HINT_MC_ARGMIN),
    "threshold rule": (lambda p: p >= 0.5, C.HINT_MC_THRESHOLD),
    "one-hot": (lambda p: ml_one_hot(p).astype(int), C.HINT_MC_ONE_HOT),
    "float indices": (lambda p: np.argmax(p, axis=-1).astype(float), C.HINT_MC_NOT_INT),
    "mutates p": (lambda p: np.argmax(p.sort(axis=-1) or p, axis=-1), "modified its input `p`"),
    "raises on 1-D input": (lambda p: np.argmax(p, axis=1), "raised"),
}

# -- 5.5 grad_logits -----------------------------------------------------------------------


def _sig(z):
    return np.exp(-np.logaddexp(0, -z))


def _soft(z, axis=-1):
    return np.exp(_log_softmax(z, axis=axis))


def _onehot(y, z):
    return np.eye(z.shape[-1], dtype=z.dtype)[y]


def grad_flipped(z, y, head):
    return -grad_ok(z, y, head)


def grad_sum(z, y, head):
    return grad_ok(z, y, head) * (z.size if head == "sigmoid" else len(z))


def grad_sigmoid_over_n(z, y, head):
    return (_sig(z) - y) / len(z) if head == "sigmoid" else grad_ok(z, y, head)


def grad_softmax_over_nk(z, y, head):
    return (_soft(z) - _onehot(y, z)) / z.size if head == "softmax" else grad_ok(z, y, head)


def grad_softmax_for_sigmoid(z, y, head):
    return (_soft(z) - y) / z.size if head == "sigmoid" else grad_ok(z, y, head)


def grad_sigmoid_for_softmax(z, y, head):
    return (_sig(z) - _onehot(y, z)) / len(z) if head == "softmax" else grad_ok(z, y, head)


def grad_chained(z, y, head):
    if head == "sigmoid":
        s = _sig(z)
        return (s - y) * s * (1 - s) / z.size
    return grad_ok(z, y, head)


def grad_axis0(z, y, head):
    return (_soft(z, axis=0) - _onehot(y, z)) / len(z) if head == "softmax" else grad_ok(z, y, head)


def grad_naive_sigmoid(z, y, head):
    return (1 / (1 + np.exp(-z)) - y) / z.size if head == "sigmoid" else grad_ok(z, y, head)


def grad_naive_softmax(z, y, head):
    if head == "sigmoid":
        return grad_ok(z, y, head)
    e = np.exp(z)
    return (e / e.sum(axis=-1, keepdims=True) - _onehot(y, z)) / len(z)


def grad_mutates(z, y, head):
    g = grad_ok(z, y, head)
    z[...] = 0
    return g


def grad_sigmoid_over_k(z, y, head):
    if head == "sigmoid":
        return (1 / (1 + np.exp(-z)) - y) / z.shape[1]
    return grad_ok(z, y, head)


def grad_labels_as_column(z, y, head):
    if head == "softmax":
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return (e / e.sum(axis=1, keepdims=True) - y[:, None]) / len(z)
    return grad_ok(z, y, head)


GRAD_WRONG = {
    "just outside the tolerance": (lambda z, y, h: grad_ok(z, y, h) * (1 + 3e-7), "❌"),
    "stub": (stub, "not done yet"),
    "none": (lambda z, y, head: None, "return` statement"),
    "list": (lambda z, y, head: grad_ok(z, y, head).tolist(), "not a Python list"),
    "scalar": (lambda z, y, head: float(grad_ok(z, y, head).sum()), "without reducing"),
    "sign flipped (y - p)": (grad_flipped, C.HINT_GRAD_SIGN),
    "sigmoid head divided by k": (grad_sigmoid_over_k, C.HINT_GRAD_SIGMOID_K),
    "softmax head minus y[:, None]": (grad_labels_as_column, C.HINT_GRAD_LABELS_AS_COLUMN),
    "no division": (grad_sum, C.HINT_GRAD_SUM),
    "sigmoid divided by n": (grad_sigmoid_over_n, C.HINT_GRAD_SIGMOID_N),
    "softmax divided by n*k": (grad_softmax_over_nk, C.HINT_GRAD_SOFTMAX_NK),
    "softmax for the sigmoid head": (grad_softmax_for_sigmoid, C.HINT_GRAD_WRONG_HEAD),
    "sigmoid for the softmax head": (grad_sigmoid_for_softmax, C.HINT_GRAD_WRONG_HEAD),
    "chained through sigma'": (grad_chained, C.HINT_GRAD_CHAINED),
    "softmax over axis 0": (grad_axis0, C.HINT_GRAD_AXIS0),
    "naive sigmoid warns": (grad_naive_sigmoid, "NumPy warned"),
    "naive softmax overflows": (grad_naive_softmax, "nan"),
    "float64 for float32": (
        lambda z, y, head: grad_ok(z.astype(np.float64), y, head),
        "float32 in, float32 out",
    ),
    "mutates z": (grad_mutates, "modified its input `z`"),
    "raises on one label": (
        lambda z, y, head: grad_ok(z, y, head) if z.shape[1] > 1 else z[:, 1],
        "raised IndexError",
    ),
}

# -- 5.1 my_choices --------------------------------------------------------------------


def _with(**changes):
    answers = dict(ANSWERS, **changes)
    return lambda: answers


CHOICES_WRONG = {
    "stub": (stub, "not done yet"),
    "none": (lambda: None, "expected a dict"),
    "list": (lambda: list(ANSWERS.items()), "expected a dict"),
    "raises": (lambda: {}["spam"], "raised KeyError"),
    "not a function": ("sigmoid", "expected a function"),
    "softmax for genres": (_with(genres=SOFT), C.PROBLEM_HINTS["genres"]),
    "softmax for xray": (_with(xray=SOFT), C.PROBLEM_HINTS["xray"]),
    "softmax for apple": (_with(apple=SOFT), C.PROBLEM_HINTS["apple"]),
    "sigmoid for digits": (_with(digit=SIG), C.PROBLEM_HINTS["digit"]),
    "sigmoid for iris": (_with(iris=SIG), C.PROBLEM_HINTS["iris"]),
    "all sigmoid": (lambda: dict.fromkeys(ANSWERS, SIG), "2 of 6 problems need another head"),
    "all softmax": (lambda: dict.fromkeys(ANSWERS, SOFT), "3 of 6 problems need another head"),
    "mismatched loss": (
        _with(spam=("sigmoid", "cross_entropy", "threshold")),
        C.HINT_MISMATCHED_PAIR,
    ),
    "mismatched loss softmax": (
        _with(digit=("softmax", "binary_cross_entropy", "argmax")),
        C.HINT_MISMATCHED_PAIR,
    ),
    "softmax thresholded": (
        _with(digit=("softmax", "cross_entropy", "threshold")),
        C.HINT_MISMATCHED_PAIR,
    ),
    "sigmoid with argmax": (
        _with(xray=("sigmoid", "binary_cross_entropy", "argmax")),
        C.HINT_MISMATCHED_PAIR,
    ),
    "unknown head": (_with(iris=("relu", "cross_entropy", "argmax")), "the head must be one of"),
    "unknown loss": (_with(iris=("softmax", "mse", "argmax")), "the loss must be one of"),
    "unknown rule": (_with(iris=("softmax", "cross_entropy", "top2")), "the rule must be one of"),
    "a pair, no rule": (_with(iris=("softmax", "cross_entropy")), "give a triple"),
    "not a triple": (_with(iris="softmax"), "give a triple (head, loss, rule)"),
    "missing problem": (lambda: {k: v for k, v in ANSWERS.items() if k != "xray"}, "xray: missing"),
    "unknown id": (_with(cats=SIG), "unknown problem id(s) cats"),
}

CATALOGUE = (
    [(C.check_bce_with_logits, name, fn, hint) for name, (fn, hint) in BCE_WRONG.items()]
    + [(C.check_cross_entropy_with_logits, name, fn, hint) for name, (fn, hint) in CE_WRONG.items()]
    + [(C.check_predict_multilabel, name, fn, hint) for name, (fn, hint) in ML_WRONG.items()]
    + [(C.check_predict_multiclass, name, fn, hint) for name, (fn, hint) in MC_WRONG.items()]
    + [(C.check_grad_logits, name, fn, hint) for name, (fn, hint) in GRAD_WRONG.items()]
    + [(C.check_my_choices, name, fn, hint) for name, (fn, hint) in CHOICES_WRONG.items()]
)


@pytest.mark.parametrize(
    "check, name, fn, hint",
    CATALOGUE,
    ids=[f"{check.__name__.removeprefix('check_')}: {name}" for check, name, _, _ in CATALOGUE],
)
def test_a_wrong_answer_fails_with_its_hint(check, name, fn, hint, capsys):
    assert check(fn) is False
    out = capsys.readouterr().out
    assert out.startswith(("❌", "⏳")), out
    assert hint in out, f"expected hint {hint!r} in:\n{out}"


@pytest.mark.parametrize("check, name, fn, hint", CATALOGUE[:3])
def test_quiet_prints_nothing(check, name, fn, hint, capsys):
    assert check(fn, quiet=True) is False
    assert capsys.readouterr().out == ""


def test_choices_report_counts_and_hints_but_never_gives_an_answer(capsys):
    """Trial is not cheaper than thinking: the report names one problem, never a choice."""
    assert not C.check_my_choices(_with(genres=SOFT, iris=SIG))
    out = capsys.readouterr().out
    assert "2 of 6 problems need another head" in out
    assert f"genres: {C.PROBLEM_HINTS['genres']}" in out
    assert "iris" not in out  # only the first wrong problem gets a hint
    for name in ("'sigmoid'", "'softmax'", "binary_cross_entropy", "argmax", "threshold'"):
        assert name not in out


def test_choices_format_errors_come_before_any_judgement(capsys):
    """A malformed triple is reported alone, so it leaks nothing about the others."""
    assert not C.check_my_choices(_with(genres=SOFT, iris=("softmax", "cross_entropy")))
    out = capsys.readouterr().out
    assert "iris: give a triple" in out and "genres" not in out and "need another" not in out


@pytest.mark.parametrize(
    "as_number",
    [float, np.float64, np.asarray],
    ids=["float(...)", "np.float64(...)", "a 0-d array"],
)
@pytest.mark.parametrize(
    "check, ok",
    [(C.check_bce_with_logits, bce_ok), (C.check_cross_entropy_with_logits, ce_ok)],
    ids=["5.2", "5.3"],
)
def test_one_dtype_policy_a_loss_is_any_single_number(check, ok, as_number, capsys):
    """float(...) of a float32 loss passes: a single number is judged at the input's precision."""
    assert check(lambda z, y: as_number(ok(z, y))) is True
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize(
    "check, ok",
    [
        (C.check_bce_with_logits, bce_ok),
        (C.check_cross_entropy_with_logits, ce_ok),
        (C.check_grad_logits, grad_ok),
    ],
    ids=["5.2", "5.3", "5.5"],
)
def test_an_answer_within_the_tolerance_passes(check, ok, capsys):
    assert check(lambda *args: ok(*args) * (1 + 2e-8)) is True


def test_the_rows_of_different_scale_case_has_the_derived_value():
    """Reference 0.157: row 0 costs log(1 + e^-1000) = 0, row 1 log(1 + e^-1) (labels 0)."""
    z, y = np.array([[1000.0, 0.0], [-1000.0, -1001.0]]), np.array([0, 0])
    assert ce_ok(z, y) == pytest.approx(np.log1p(np.exp(-1.0)) / 2, rel=1e-15)


def test_prediction_rules_reports_both(capsys):
    assert not C.check_prediction_rules(ml_ok, lambda p: np.argmax(p, axis=0))
    out = capsys.readouterr().out
    assert out.count("Exercise 5.4") == 2
    assert (
        "✅ Exercise 5.4 predict_multilabel" in out and "❌ Exercise 5.4 predict_multiclass" in out
    )


def test_grading_mode_raises_after_a_failure(monkeypatch, capsys):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(AssertionError):
        C.check_my_choices(_with(iris=SIG))
    with pytest.raises(AssertionError):
        C.check_bce_with_logits(bce_naive)
    assert (
        C.check_grad_logits(grad_ok) is None
    )  # a pass shows no value: nbgrader reads it as credit


# ------------------------------------------- the catalogue, for tests/test_check_margins.py
# (check, name, wrong function) and (check, name, accepted function): every entry above.
MARGIN_WRONG = [(check, name, fn) for check, name, fn, _ in CATALOGUE]
MARGIN_RIGHT = [(check, fn.__name__, fn) for check, fn in RIGHT]
