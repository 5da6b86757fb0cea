"""The checks of lesson 02 accept right answers and reject a catalogue of wrong ones.

Every wrong implementation below is a mistake learners make. For each, the check
must return False, print a report containing the expected hint, and never raise.
"""

from __future__ import annotations

import numpy as np
import pytest

import helpers
from helpers.checks import (
    check_log_softmax,
    check_logsumexp,
    check_softmax,
    check_softmax_with_temperature,
    check_standardize_sigmoid,
)

# ------------------------------------------------------- right answers


def softmax_ok(z, axis=-1):
    m = z.max(axis=axis, keepdims=True)
    e = np.exp(z - m)
    return e / e.sum(axis=axis, keepdims=True)


def softmax_t_ok(z, temperature, axis=-1):
    return softmax_ok(z / temperature, axis=axis)


def logsumexp_ok(z, axis=-1):
    m = z.max(axis=axis, keepdims=True)
    out = m + np.log(np.exp(z - m).sum(axis=axis, keepdims=True))
    return np.squeeze(out, axis=axis)


def log_softmax_ok(z, axis=-1):
    t = z - z.max(axis=axis, keepdims=True)
    return t - np.log(np.exp(t).sum(axis=axis, keepdims=True))


def log_softmax_textbook(z, axis=-1):
    return z - np.expand_dims(logsumexp_ok(z, axis=axis), axis)


def scaler_ok(x, ddof):
    return helpers.sigmoid((x - x.mean(axis=0)) / x.std(axis=0, ddof=ddof))


def scaler_naive_sigmoid(x, ddof):
    u = (x - x.mean(axis=0)) / x.std(axis=0, ddof=ddof)
    return 1 / (1 + np.exp(-u))


RIGHT = [
    (check_softmax, lambda z, axis=-1: helpers.softmax(z, axis=axis)),
    (check_softmax, softmax_ok),
    (
        check_softmax_with_temperature,
        lambda z, temperature, axis=-1: helpers.softmax(z, axis=axis, temperature=temperature),
    ),
    (check_softmax_with_temperature, softmax_t_ok),
    (check_logsumexp, lambda z, axis=-1: helpers.logsumexp(z, axis=axis)),
    (check_logsumexp, logsumexp_ok),
    (check_log_softmax, lambda z, axis=-1: helpers.log_softmax(z, axis=axis)),
    (check_log_softmax, log_softmax_ok),
    (check_log_softmax, log_softmax_textbook),
    (check_standardize_sigmoid, lambda x, ddof: helpers.standardize_sigmoid(x, ddof=ddof)),
    (check_standardize_sigmoid, scaler_ok),
    (check_standardize_sigmoid, scaler_naive_sigmoid),
]


@pytest.mark.parametrize("check, fn", RIGHT)
def test_right_answers_pass(check, fn, capsys):
    assert check(fn) is True
    out = capsys.readouterr().out
    assert out.startswith("✅") and "passed all" in out


# ------------------------------------------------------- wrong answers: softmax


def stub(*args, **kwargs):
    raise NotImplementedError("Exercise 2.x")


def sm_none(z, axis=-1):
    softmax_ok(z, axis)


def sm_list(z, axis=-1):
    return softmax_ok(z, axis).tolist()


def sm_scalar(z, axis=-1):
    return float(softmax_ok(z, axis).max())


def sm_raises_on_batches(z, axis=-1):
    if z.ndim > 1:
        raise ValueError("only vectors")
    return softmax_ok(z, axis)


def sm_rejects_neg_inf(z, axis=-1):
    if np.isinf(z).any():
        raise ValueError("logits must be finite")
    return softmax_ok(z, axis)


def sm_naive(z, axis=-1):
    e = np.exp(z)
    return e / e.sum(axis=axis, keepdims=True)


def sm_mean_shift(z, axis=-1):
    e = np.exp(z - z.mean(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def sm_divide_by_max(z, axis=-1):
    e = np.exp(z / z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def sm_mutates(z, axis=-1):
    z -= z.max(axis=axis, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=axis, keepdims=True)


def sm_no_keepdims_max(z, axis=-1):
    e = np.exp(z - z.max(axis=axis))
    return e / e.sum(axis=axis, keepdims=True)


def sm_no_keepdims_sum(z, axis=-1):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis)


def sm_no_keepdims_square_only(z, axis=-1):
    """Right on every non-square input; the square case alone exposes the lost keepdims."""
    if z.ndim == 2 and z.shape[0] == z.shape[1]:
        return sm_no_keepdims_max(z, axis)
    return softmax_ok(z, axis)


def sm_ignores_axis(z, axis=-1):
    return softmax_ok(z, axis=-1)


def sm_sum_along_0(z, axis=-1):
    """The max along ``axis``, the sum along axis 0 whatever ``axis`` is."""
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def sm_max_along_last(z, axis=-1):
    """The sum along ``axis``, the max along the last axis whatever ``axis`` is."""
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def sm_min_shift(z, axis=-1):
    e = np.exp(z - z.min(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def lse_min_shift(z, axis=-1):
    m = z.min(axis=axis, keepdims=True)
    return np.squeeze(m, axis=axis) + np.log(np.sum(np.exp(z - m), axis=axis))


def lsm_min_shift(z, axis=-1):
    m = z.min(axis=axis, keepdims=True)
    return z - m - np.log(np.sum(np.exp(z - m), axis=axis, keepdims=True))


def t_min_shift(z, temperature, axis=-1):
    return sm_min_shift(z / temperature, axis)


def sm_unshifted_denominator(z, axis=-1):
    m = z.max(axis=axis, keepdims=True)
    return np.exp(z - m) / np.sum(np.exp(z), axis=axis, keepdims=True)


def sm_np_maximum(z, axis=-1):
    e = np.exp(z - np.maximum(z, axis))
    return e / e.sum(axis=axis, keepdims=True)


def lse_log1p(z, axis=-1):
    m = z.max(axis=axis, keepdims=True)
    return np.squeeze(m, axis=axis) + np.log1p(np.sum(np.exp(z - m), axis=axis))


def lsm_log_sigmoid(z, axis=-1):
    return -np.logaddexp(0, -z)


def lsm_divided(z, axis=-1):
    m = z.max(axis=axis, keepdims=True)
    return (z - m) / np.log(np.sum(np.exp(z - m), axis=axis, keepdims=True))


def sm_whole_array(z, axis=-1):
    e = np.exp(z - z.max())
    return e / e.sum()


def sm_abs_max(z, axis=-1):
    """Shift by each row's largest |z|: all-negative rows underflow to 0/0."""
    e = np.exp(z - np.abs(z).max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def sm_global_max(z, axis=-1):
    e = np.exp(z - z.max())
    return e / e.sum(axis=axis, keepdims=True)


def sm_float64(z, axis=-1):
    return softmax_ok(z.astype(np.float64), axis)


def sm_sum_without_axis(z, axis=-1):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / np.sum(e)


def sm_over_max(z, axis=-1):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / np.max(e, axis=axis, keepdims=True)


def sm_scaler(z, axis=-1):
    """Section 7's confusion: 'softmax normalization' submitted as softmax."""
    mean = z.mean(axis=axis, keepdims=True)
    return helpers.sigmoid((z - mean) / z.std(axis=axis, keepdims=True))


def sm_scaler_sample_std(z, axis=-1):
    mean = z.mean(axis=axis, keepdims=True)
    return helpers.sigmoid((z - mean) / z.std(axis=axis, ddof=1, keepdims=True))


def sm_no_exp(z, axis=-1):
    return z / z.sum(axis=axis, keepdims=True)


def sm_sigmoid(z, axis=-1):
    return helpers.sigmoid(z)


# ------------------------------------------------------- wrong answers: temperature


def t_times(z, temperature, axis=-1):
    return softmax_ok(z * temperature, axis)


def t_ignored(z, temperature, axis=-1):
    return softmax_ok(z, axis)


def t_precedence(z, temperature, axis=-1):
    m = z.max(axis=axis, keepdims=True)
    e = np.exp(z - m / temperature)
    return e / e.sum(axis=axis, keepdims=True)


def t_numerator_only(z, temperature, axis=-1):
    t = z - z.max(axis=axis, keepdims=True)
    return np.exp(t / temperature) / np.exp(t).sum(axis=axis, keepdims=True)


def t_naive(z, temperature, axis=-1):
    e = np.exp(z / temperature)
    return e / e.sum(axis=axis, keepdims=True)


def t_float64_constant(z, temperature, axis=-1):
    return softmax_ok(z / np.float64(temperature), axis)


def t_mutates(z, temperature, axis=-1):
    z /= temperature
    return softmax_ok(z, axis)


def _abs_max(z, axis):
    return np.abs(z).max(axis=axis, keepdims=True)


def t_abs_max(z, temperature, axis=-1):
    e = np.exp((z - _abs_max(z, axis)) / temperature)
    return e / e.sum(axis=axis, keepdims=True)


def lse_abs_max(z, axis=-1):
    a = _abs_max(z, axis)
    return np.squeeze(a + np.log(np.exp(z - a).sum(axis=axis, keepdims=True)), axis=axis)


def lsm_abs_max(z, axis=-1):
    a = _abs_max(z, axis)
    return z - a - np.log(np.exp(z - a).sum(axis=axis, keepdims=True))


def t_power(z, temperature, axis=-1):
    return softmax_ok(z, axis) ** (1 / temperature)


def t_power_renormalised(z, temperature, axis=-1):
    """Right on paper; nan at small T when no class dominates (every power underflows)."""
    p = softmax_ok(z, axis) ** (1 / temperature)
    return p / p.sum(axis=axis, keepdims=True)


def t_probabilities_over_t(z, temperature, axis=-1):
    return softmax_ok(z, axis) / temperature


def t_softmax_of_probabilities(z, temperature, axis=-1):
    return softmax_ok(softmax_ok(z, axis) / temperature, axis)


def t_sum_along_0(z, temperature, axis=-1):
    return sm_sum_along_0(z / temperature, axis)


def t_sign(z, temperature, axis=-1):
    e = np.exp(-(z - z.max(axis=axis, keepdims=True)) / temperature)
    return e / e.sum(axis=axis, keepdims=True)


def t_sign_naive_shift(z, temperature, axis=-1):
    return softmax_ok(-z / temperature, axis)


def t_unscaled_max(z, temperature, axis=-1):
    e = np.exp(z / temperature - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def t_ignores_axis(z, temperature, axis=-1):
    return softmax_ok(z / temperature, axis=-1)


def t_no_keepdims(z, temperature, axis=-1):
    return sm_no_keepdims_sum(z / temperature, axis)


# ------------------------------------------------------- wrong answers: logsumexp


def lse_no_max_back(z, axis=-1):
    m = z.max(axis=axis, keepdims=True)
    return np.squeeze(np.log(np.exp(z - m).sum(axis=axis, keepdims=True)), axis=axis)


def lse_keepdims(z, axis=-1):
    m = z.max(axis=axis, keepdims=True)
    return m + np.log(np.exp(z - m).sum(axis=axis, keepdims=True))


def lse_naive(z, axis=-1):
    return np.log(np.exp(z).sum(axis=axis))


def lse_max_only(z, axis=-1):
    return z.max(axis=axis)


def lse_mean(z, axis=-1):
    m = z.max(axis=axis, keepdims=True)
    return np.squeeze(m + np.log(np.exp(z - m).mean(axis=axis, keepdims=True)), axis=axis)


def lse_ignores_axis(z, axis=-1):
    return logsumexp_ok(z, axis=-1)


def lse_ignores_axis_square_only(z, axis=-1):
    if z.ndim == 2 and z.shape[0] == z.shape[1]:
        return logsumexp_ok(z, axis=-1)
    return logsumexp_ok(z, axis)


def lse_global_max(z, axis=-1):
    m = z.max()
    return m + np.log(np.exp(z - m).sum(axis=axis))


def lse_loose_keepdims(z, axis=-1):
    m = z.max(axis=axis)
    return m + np.log(np.exp(z - m).sum(axis=axis))


def lse_float64(z, axis=-1):
    return logsumexp_ok(z.astype(np.float64), axis)


def lse_squeeze_without_axis(z, axis=-1):
    m = z.max(axis=axis, keepdims=True)
    return np.squeeze(m + np.log(np.exp(z - m).sum(axis=axis, keepdims=True)))


def lse_minus(z, axis=-1):
    m = z.max(axis=axis, keepdims=True)
    return np.squeeze(m - np.log(np.exp(z - m).sum(axis=axis, keepdims=True)), axis=axis)


def lse_flipped_exponent(z, axis=-1):
    m = z.max(axis=axis, keepdims=True)
    return np.squeeze(m + np.log(np.exp(m - z).sum(axis=axis, keepdims=True)), axis=axis)


def lse_negated(z, axis=-1):
    return -logsumexp_ok(z, axis)


def lse_list(z, axis=-1):
    return logsumexp_ok(z, axis).tolist()


# ------------------------------------------------------- wrong answers: log_softmax


def lsm_log_of_softmax(z, axis=-1):
    return np.log(softmax_ok(z, axis))


def lsm_no_lse(z, axis=-1):
    return z - z.max(axis=axis, keepdims=True)


def lsm_unshifted(z, axis=-1):
    m = z.max(axis=axis, keepdims=True)
    return z - np.log(np.exp(z - m).sum(axis=axis, keepdims=True))


def lsm_softmax(z, axis=-1):
    return softmax_ok(z, axis)


def lsm_sign(z, axis=-1):
    return -log_softmax_ok(z, axis)


def lsm_naive(z, axis=-1):
    return z - np.log(np.exp(z).sum(axis=axis, keepdims=True))


def lsm_no_keepdims(z, axis=-1):
    return z - logsumexp_ok(z, axis)


def lsm_ignores_axis(z, axis=-1):
    return log_softmax_ok(z, axis=-1)


def lsm_mutates(z, axis=-1):
    z -= z.max(axis=axis, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=axis, keepdims=True))


def lsm_float64(z, axis=-1):
    return log_softmax_ok(z.astype(np.float64), axis)


def lsm_plus(z, axis=-1):
    t = z - z.max(axis=axis, keepdims=True)
    return t + np.log(np.exp(t).sum(axis=axis, keepdims=True))


def lsm_shift_flipped(z, axis=-1):
    t = z.max(axis=axis, keepdims=True) - z
    return t - np.log(np.exp(-t).sum(axis=axis, keepdims=True))


def lsm_global_max(z, axis=-1):
    t = z - z.max()
    return t - np.log(np.exp(t).sum(axis=axis, keepdims=True))


# ------------------------------------------------------- wrong answers: the scaler


def ss_default_ddof(x, ddof):
    return helpers.sigmoid((x - x.mean(axis=0)) / x.std(axis=0))


def ss_swapped(x, ddof):
    return helpers.sigmoid((x - x.mean(axis=0)) / x.std(axis=0, ddof=1 - ddof))


def ss_no_sigmoid(x, ddof):
    return (x - x.mean(axis=0)) / x.std(axis=0, ddof=ddof)


def ss_not_centred(x, ddof):
    return helpers.sigmoid(x / x.std(axis=0, ddof=ddof))


def ss_whole_table(x, ddof):
    return helpers.sigmoid((x - x.mean()) / x.std(ddof=ddof))


def ss_per_row(x, ddof):
    a = x.ndim - 1
    return helpers.sigmoid(
        (x - x.mean(axis=a, keepdims=True)) / x.std(axis=a, ddof=ddof, keepdims=True)
    )


def ss_per_row_no_keepdims(x, ddof):
    a = x.ndim - 1
    return helpers.sigmoid((x - x.mean(axis=a)) / x.std(axis=a, ddof=ddof))


def ss_variance(x, ddof):
    return helpers.sigmoid((x - x.mean(axis=0)) / x.var(axis=0, ddof=ddof))


def ss_plain_sigmoid(x, ddof):
    return helpers.sigmoid(x)


def ss_softmax(x, ddof):
    return helpers.softmax(x, axis=0)


def ss_minmax(x, ddof):
    return (x - x.min(axis=0)) / (x.max(axis=0) - x.min(axis=0))


def ss_mutates(x, ddof):
    x -= x.mean(axis=0)
    return helpers.sigmoid(x / x.std(axis=0, ddof=ddof))


def ss_float64(x, ddof):
    return scaler_ok(x.astype(float), ddof)


def ss_ddof_positional(x, ddof):
    """np.std(x, ddof): the second positional argument of np.std is axis."""
    return helpers.sigmoid((x - np.mean(x, 0)) / np.std(x, ddof))


def ss_vectors_only(x, ddof):
    assert x.ndim == 1, "x must be a vector"
    return scaler_ok(x, ddof)


def _square_only(wrong, right):
    """Right on every non-square input; only a square batch exposes the lost keepdims."""

    def fn(z, *args, axis=-1):
        if z.ndim == 2 and z.shape[0] == z.shape[1]:
            return wrong(z, *args, axis=axis)
        return right(z, *args, axis=axis)

    fn.__name__ = f"{wrong.__name__}_square_only"
    return fn


def t_loose_max(z, temperature, axis=-1):
    e = np.exp((z - z.max(axis=axis)) / temperature)
    return e / e.sum(axis=axis, keepdims=True)


def lsm_loose_max(z, axis=-1):
    t = z - z.max(axis=axis)
    return t - np.log(np.exp(t).sum(axis=axis, keepdims=True))


def sm_python_max(z, axis=-1):
    e = np.exp(z - max(z))
    return e / e.sum(axis=axis, keepdims=True)


def sm_default_axis_1(z, axis=1):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


WRONG = [
    # check, wrong implementation, substring of the report
    (check_softmax, stub, "not done yet"),
    (check_softmax, sm_none, "forget the `return`"),
    (check_softmax, sm_list, "not a Python list"),
    (check_softmax, sm_scalar, "returned a single number"),
    (check_softmax, sm_raises_on_batches, "this input is valid"),
    (check_softmax, sm_python_max, "Python's own max, min or sorted"),
    (check_softmax, sm_default_axis_1, "your def line sets axis=1, the exercise's axis=-1"),
    (check_softmax, sm_rejects_neg_inf, "this input is valid"),
    (check_softmax, sm_naive, "subtract the max first"),
    (check_softmax, sm_mean_shift, "subtract the max first"),
    (check_softmax, sm_divide_by_max, "you divided by the maximum"),
    (check_softmax, sm_mutates, "modified its input `z`"),
    (check_softmax, sm_no_keepdims_max, "keepdims"),
    (check_softmax, sm_no_keepdims_sum, "keepdims"),
    (check_softmax, sm_no_keepdims_square_only, "you dropped keepdims=True"),
    (check_softmax, sm_ignores_axis, "wrong axis"),
    (check_softmax, sm_min_shift, "you subtracted the minimum"),
    (check_softmax, sm_unshifted_denominator, "the denominator is not"),
    (check_softmax, sm_np_maximum, "np.maximum(z, axis) is elementwise"),
    (check_logsumexp, lse_log1p, "np.log1p(s) is log(1 + s)"),
    (check_log_softmax, lsm_log_sigmoid, "the log-sigmoid of each logit"),
    (check_log_softmax, lsm_divided, "you divided by the log-sum-exp"),
    (check_softmax_with_temperature, t_min_shift, "you subtracted the minimum"),
    (check_logsumexp, lse_min_shift, "you subtracted the minimum"),
    (check_log_softmax, lsm_min_shift, "you subtracted the minimum"),
    (check_softmax, sm_sum_along_0, "summed along a fixed axis"),
    (check_softmax, sm_max_along_last, "maximum along a fixed axis"),
    (check_softmax, sm_whole_array, "whole array: sum along `axis`"),
    (check_softmax, sm_global_max, "maximum of the whole array"),
    (check_softmax, sm_abs_max, "largest |z|"),
    (check_softmax_with_temperature, t_abs_max, "largest |z|"),
    (check_logsumexp, lse_abs_max, "largest |z|"),
    (check_log_softmax, lsm_abs_max, "largest |z|"),
    (check_softmax, sm_float64, "float32 in, float32 out"),
    (check_softmax, sm_no_exp, "without the exponential"),
    (check_softmax, sm_sum_without_axis, "np.sum(e) without axis="),
    (check_softmax, sm_over_max, "divided by the largest exponential"),
    (check_softmax, sm_scaler, "standardize-then-sigmoid scaler"),
    (check_softmax, sm_scaler_sample_std, "standardize-then-sigmoid scaler"),
    (check_softmax, sm_sigmoid, "sigmoid applied to each entry"),
    (check_softmax_with_temperature, stub, "not done yet"),
    (check_softmax_with_temperature, t_times, "you multiplied by T"),
    (check_softmax_with_temperature, t_ignored, "had no effect"),
    (check_softmax_with_temperature, t_precedence, "not z - m / T"),
    (check_softmax_with_temperature, t_numerator_only, "numerator only"),
    (check_softmax_with_temperature, t_naive, "subtract the max first"),
    (check_softmax_with_temperature, t_float64_constant, "float32 in, float32 out"),
    (check_softmax_with_temperature, t_mutates, "modified its input `z`"),
    (check_softmax_with_temperature, t_power, "normalised again"),
    (check_softmax_with_temperature, t_power_renormalised, "0 / 0 is nan"),
    (check_softmax_with_temperature, t_ignores_axis, "wrong axis"),
    (check_softmax_with_temperature, t_no_keepdims, "keepdims"),
    (check_softmax_with_temperature, t_probabilities_over_t, "divided the probabilities by T"),
    (check_softmax_with_temperature, t_softmax_of_probabilities, "softmax(softmax(z) / T)"),
    (check_softmax_with_temperature, t_sum_along_0, "summed along a fixed axis"),
    (check_softmax_with_temperature, t_sign, "softmax(-z / T)"),
    (check_softmax_with_temperature, t_sign_naive_shift, "softmax(-z / T)"),
    (check_softmax_with_temperature, t_unscaled_max, "subtracted max(z) from z / T"),
    (check_logsumexp, stub, "not done yet"),
    (check_logsumexp, lse_no_max_back, "add the maximum back"),
    (check_logsumexp, lse_keepdims, "drop the reduced axis"),
    (check_logsumexp, lse_naive, "exp() of a large number overflowed"),
    (check_logsumexp, lse_max_only, "the maximum alone"),
    (check_logsumexp, lse_mean, "averaged instead of summing"),
    (check_logsumexp, lse_ignores_axis, "which axis you reduce over"),
    (check_logsumexp, lse_ignores_axis_square_only, "wrong axis"),
    (check_logsumexp, lse_global_max, "maximum of the whole array"),
    (check_logsumexp, lse_loose_keepdims, "keepdims"),
    (check_logsumexp, lse_float64, "float32 in, float32 out"),
    (check_logsumexp, lse_list, "not a Python list"),
    (check_logsumexp, lse_squeeze_without_axis, "np.squeeze without axis="),
    (check_logsumexp, lse_minus, "sign is flipped"),
    (check_logsumexp, lse_flipped_exponent, "sign inside exp is flipped"),
    (check_logsumexp, lse_negated, "that is -LSE(z)"),
    (check_log_softmax, stub, "not done yet"),
    (check_log_softmax, lsm_log_of_softmax, "that is log(softmax(z))"),
    (check_log_softmax, lsm_no_lse, "subtracted the max but not"),
    (check_log_softmax, lsm_unshifted, "subtract it from z - m"),
    (check_log_softmax, lsm_softmax, "that is softmax itself"),
    (check_log_softmax, lsm_sign, "sign is flipped"),
    (check_log_softmax, lsm_naive, "subtract the max first"),
    (check_log_softmax, lsm_no_keepdims, "keepdims"),
    (check_log_softmax, lsm_ignores_axis, "wrong axis"),
    (check_log_softmax, lsm_mutates, "modified its input `z`"),
    (check_log_softmax, lsm_float64, "float32 in, float32 out"),
    (check_log_softmax, lsm_global_max, "maximum of the whole array"),
    (check_log_softmax, lsm_plus, "you added log(sum(exp(z - m)))"),
    (check_log_softmax, _square_only(lsm_loose_max, log_softmax_ok), "you dropped keepdims=True"),
    (
        check_softmax_with_temperature,
        _square_only(t_loose_max, softmax_t_ok),
        "you dropped keepdims=True",
    ),
    (check_logsumexp, _square_only(lse_loose_keepdims, logsumexp_ok), "you dropped keepdims=True"),
    (check_log_softmax, lsm_shift_flipped, "sign of z - m is flipped"),
    (check_standardize_sigmoid, stub, "not done yet"),
    (check_standardize_sigmoid, ss_default_ddof, "other standard deviation"),
    (check_standardize_sigmoid, ss_swapped, "other standard deviation"),
    (check_standardize_sigmoid, ss_no_sigmoid, "did not squash"),
    (check_standardize_sigmoid, ss_not_centred, "did not subtract the mean"),
    (check_standardize_sigmoid, ss_whole_table, "whole table"),
    (check_standardize_sigmoid, ss_per_row, "per row"),
    (
        check_standardize_sigmoid,
        lambda x, ddof: helpers.sigmoid((x.mean(axis=0) - x) / x.std(axis=0, ddof=ddof)),
        "the sign is flipped: (mean - x) / std",
    ),
    (
        check_standardize_sigmoid,
        lambda x, ddof: helpers.sigmoid((x - x.mean()) / x.std(axis=0, ddof=ddof)),
        "the mean is of the whole table",
    ),
    (
        check_standardize_sigmoid,
        lambda x, ddof: helpers.sigmoid((x - x.mean(axis=0)) / x.std(ddof=ddof)),
        "the standard deviation is of the whole table",
    ),
    (
        check_standardize_sigmoid,
        lambda x, ddof: helpers.softmax((x - x.mean(axis=0)) / x.std(axis=0, ddof=ddof), axis=0),
        "the softmax of the standardised values",
    ),
    (check_standardize_sigmoid, ss_per_row_no_keepdims, "keepdims"),
    (check_standardize_sigmoid, ss_variance, "not the variance"),
    (check_standardize_sigmoid, ss_plain_sigmoid, "sigmoid of the raw values"),
    (check_standardize_sigmoid, ss_softmax, "softmax function"),
    (check_standardize_sigmoid, ss_minmax, "min-max"),
    (check_standardize_sigmoid, ss_mutates, "modified its input `x`"),
    (check_standardize_sigmoid, ss_float64, "float32 in, float32 out"),
    (check_standardize_sigmoid, ss_vectors_only, "this input is valid"),
    (check_standardize_sigmoid, ss_ddof_positional, "np.std(x, ddof) passes ddof as"),
]


@pytest.mark.parametrize(
    "check, fn, hint", WRONG, ids=[f"{c.__name__}-{f.__name__}" for c, f, _ in WRONG]
)
def test_wrong_answers_are_caught(check, fn, hint, capsys):
    assert check(fn) is False  # and it did not raise
    out = capsys.readouterr().out
    assert hint in out, out
    if hint != "not done yet":
        assert out.startswith("❌") and "expected:" in out


@pytest.mark.parametrize("check", [c for c, _ in RIGHT[::2]])
@pytest.mark.parametrize("thing", [None, 42, "softmax"])
def test_not_a_function(check, thing, capsys):
    assert check(thing) is False
    assert "expected a function" in capsys.readouterr().out


@pytest.mark.parametrize("check, fn", RIGHT)
def test_quiet_prints_nothing(check, fn, capsys):
    assert check(fn, quiet=True) is True
    assert capsys.readouterr().out == ""


def test_the_report_never_shows_the_reference_code(capsys):
    check_softmax(sm_naive)
    out = capsys.readouterr().out
    assert "def " not in out and "_shifted" not in out


def test_checks_fail_loudly_under_nbgrader(monkeypatch, capsys):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(AssertionError):
        check_softmax(sm_naive)
    assert check_softmax(softmax_ok) is None  # a pass shows no value: nbgrader reads it as credit


REFERENCES = [
    (check_softmax, lambda z, axis=-1: helpers.softmax(z, axis=axis)),
    (
        check_softmax_with_temperature,
        lambda z, temperature, axis=-1: helpers.softmax(z, axis=axis, temperature=temperature),
    ),
    (check_logsumexp, lambda z, axis=-1: helpers.logsumexp(z, axis=axis)),
    (check_log_softmax, lambda z, axis=-1: helpers.log_softmax(z, axis=axis)),
    (check_standardize_sigmoid, lambda x, ddof: helpers.standardize_sigmoid(x, ddof=ddof)),
]


@pytest.mark.parametrize("check, reference", REFERENCES, ids=lambda c: getattr(c, "__name__", ""))
@pytest.mark.parametrize("factor", [1 + 3e-5, 1 - 3e-5])
def test_a_near_miss_fails(check, reference, factor, capsys):
    """Just outside the tolerance (1e-7 for float64, 1e-5 for float32) is a fail, not a pass."""

    def near_miss(*args, **kwargs):
        out = reference(*args, **kwargs)
        return (out * np.asarray(factor, dtype=out.dtype)).astype(out.dtype)

    assert check(near_miss) is False
    assert capsys.readouterr().out.startswith("❌")


def test_a_near_miss_in_float64_alone_fails(capsys):
    """1e-6 off is ten times the float64 tolerance: the first (float64) case rejects it."""
    assert check_softmax(lambda z, axis=-1: helpers.softmax(z, axis=axis) * (1 + 1e-6)) is False
    assert "failed on case 1 " in capsys.readouterr().out


# ------------------------------------------- the catalogue, for tests/test_check_margins.py
# (check, name, wrong function) and (check, name, accepted function): every entry above.
MARGIN_WRONG = [(check, fn.__name__, fn) for check, fn, _ in WRONG]
MARGIN_RIGHT = [(check, getattr(fn, "__name__", "lambda"), fn) for check, fn in RIGHT]
