"""Checks for lesson 02, Softmax: from scores to a probability distribution.

Exercises 2.1 ``softmax``, 2.2 ``softmax_with_temperature``, 2.3 ``logsumexp``,
2.4 ``log_softmax`` and 2.5 ``standardize_sigmoid``. Each check compares the
learner's function with the reference in :mod:`helpers` on ordinary inputs,
batches along either axis (non-square, so a wrong axis changes the shape, and
square, so only the values change), large logits, ``-inf`` logits and float32.
"""

from __future__ import annotations

import numpy as np

from ..scaling import standardize_sigmoid as _standardize_sigmoid
from ..sigmoid import sigmoid as _sigmoid
from ..softmax import log_softmax as _log_softmax
from ..softmax import logsumexp as _logsumexp
from ..softmax import softmax as _softmax
from ._core import Case, Kind, Mistake, Outcome, comparer, raised_problem, run_check

__all__ = [
    "check_softmax",
    "check_softmax_with_temperature",
    "check_logsumexp",
    "check_log_softmax",
    "check_standardize_sigmoid",
]

# ------------------------------------------------------------------ test data


def _data():
    rng = np.random.default_rng(20240202)
    return {
        "row": np.array([1.0, 2.0, 3.0]),
        "quoted": np.array([2.0, 1.0, 0.1]),
        "batch": np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 0.0]]),  # (2, 3): shapes tell axes apart
        "square": np.array([[1.0, 2.0, 4.0], [0.0, -1.0, 3.0], [2.0, 2.5, -2.0]]),  # (3, 3)
        "equal_large": np.array([1000.0, 1000.0]),
        "large": np.round(rng.normal(scale=1e3, size=(3, 4)), 1),  # 1e3-scale logits
        "mixed_rows": np.array([[0.0, 1.0, 2.0], [1000.0, 1001.0, 1002.0]]),
        "neg_inf": np.array([0.0, -np.inf, 1.0]),
        "very_negative": np.array([0.0, -10000.0]),
        "all_negative": np.array([-1000.0, -1000.5]),
        "cube": np.round(rng.normal(size=(2, 3, 4)), 2),  # 3-D, axis=1 in the middle
        "fortran": np.asfortranarray(np.round(rng.normal(size=(4, 3)), 2)),  # F-ordered
        "f32": np.array([1.0, 2.0, 3.0], dtype=np.float32),
        "f32_large": np.array([100.0, 101.0, 102.0], dtype=np.float32),  # exp(100) overflows
        "one_row": np.array([[0.5, -1.0, 2.0]]),  # (1, 3): a squeeze without axis drops n
        "near_1400": np.array([1420.0, 1421.0, 1419.0]),  # e^(z/2) overflows, e^(z/2 - m) not
    }


# ------------------------------------------------------------ check helpers


def _axis(case_axis, ndim):
    return case_axis % ndim


def _on_axis(fn, target):
    """A mistake: ``fn`` applied along axis ``target`` instead of the requested one."""

    def wrong(z, *args, axis=-1):
        if z.ndim < 2 or target >= z.ndim or target == _axis(axis, z.ndim):
            raise ValueError("not a wrong axis here")
        return fn(z, *args, axis=target)

    return wrong


# --------------------------------------------------- wrong softmax variants


def _exp_shifted(z, axis, keep_max=True):
    m = z.max(axis=axis, keepdims=keep_max)
    return np.exp(z - m)


def _softmax_loose_max(z, axis=-1):
    e = _exp_shifted(z, axis, keep_max=False)
    return e / e.sum(axis=axis, keepdims=True)


def _softmax_loose_sum(z, axis=-1):
    e = _exp_shifted(z, axis)
    return e / e.sum(axis=axis)


def _softmax_loose_both(z, axis=-1):
    e = _exp_shifted(z, axis, keep_max=False)
    return e / e.sum(axis=axis)


def _softmax_whole_array(z, axis=-1):
    e = np.exp(z - z.max())
    return e / e.sum()


def _softmax_shifted(z, shift, axis=-1):
    """exp(z - shift), normalised along ``axis``: softmax when the shift is each slice's max."""
    e = np.exp(z - shift)
    return e / e.sum(axis=axis, keepdims=True)


def _softmax_global_max(z, axis=-1):
    return _softmax_shifted(z, z.max(), axis)


def _softmax_divided_by_max(z, axis=-1):
    e = np.exp(z / z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _softmax_sum_no_axis(z, axis=-1):
    e = _exp_shifted(z, axis)
    return e / e.sum()


def _softmax_over_max(z, axis=-1):
    e = _exp_shifted(z, axis)  # e / e.max() is exp(z - m) itself: largest entry 1
    return e / e.max(axis=axis, keepdims=True)


def _standardized_sigmoid(z, axis=-1, ddof=0):
    mean = z.mean(axis=axis, keepdims=True)
    return _sigmoid((z - mean) / z.std(axis=axis, ddof=ddof, keepdims=True))


def _no_exp(z, axis=-1):
    return z / z.sum(axis=axis, keepdims=True)


def _softmax_call(z, axis=-1):
    return _softmax(z, axis=axis)


def _softmax_abs_max(z, axis=-1):
    return _softmax_shifted(z, np.abs(z).max(axis=axis, keepdims=True), axis)


def _mixed_axes(max_axis=None, sum_axis=None):
    """A mistake: the max or the sum along a fixed axis (``None``: the requested one)."""

    def wrong(z, axis=-1):
        requested = _axis(axis, z.ndim)
        along_max = requested if max_axis is None else max_axis
        along_sum = requested if sum_axis is None else sum_axis
        if z.ndim < 2 or max(along_max, along_sum) >= z.ndim or along_max == along_sum:
            raise ValueError("the max and the sum run along the same axis here")
        e = np.exp(z - z.max(axis=along_max, keepdims=True))
        return e / e.sum(axis=along_sum, keepdims=True)

    return wrong


_KEEPDIMS_HINT = (
    "you dropped keepdims=True: without it the maxima or sums broadcast against "
    "the wrong axis; write z.max(axis=axis, keepdims=True) and e.sum(axis=axis, keepdims=True)"
)
_AXIS_HINT = (
    "you normalised along the wrong axis: pass `axis` on to max and sum; "
    "each slice along `axis` must sum to 1"
)
_SUM_FIXED_AXIS_HINT = (
    "you summed along a fixed axis, not along `axis`, so the slices along `axis` do not "
    "sum to 1: pass the axis to the sum as well as to the max, e.sum(axis=axis, keepdims=True)"
)
_MAX_FIXED_AXIS_HINT = (
    "you took the maximum along a fixed axis, not along `axis`: the entries of one slice "
    "are then shifted by different amounts, and shift invariance allows one shift per "
    "slice. Use z.max(axis=axis, keepdims=True)"
)
_LSE_AXIS_HINT = (
    "you reduced along the wrong axis: pass `axis` on to max and sum, so that each slice "
    "along `axis` gives one log-sum-exp"
)
_LOG_AXIS_HINT = (
    "you normalised along the wrong axis: pass `axis` on to max and the log-sum-exp; "
    "np.exp of each slice along `axis` must sum to 1"
)
_SUM_NO_AXIS_HINT = (
    "np.sum(e) without axis= adds up the whole array, so every slice is divided by the "
    "same grand total: sum along `axis`, e.sum(axis=axis, keepdims=True)"
)
_OVER_MAX_HINT = (
    "you divided by the largest exponential, so the largest entry is 1 and the slice does "
    "not sum to 1: divide by the sum, e / e.sum(axis=axis, keepdims=True)"
)
_SCALER_HINT = (
    "that is the standardize-then-sigmoid scaler ('softmax normalization', section 7), "
    "sigmoid((z - mean) / std): a feature scaler, not softmax; softmax is "
    "exp(z - m) / sum(exp(z - m))"
)


def _softmax_unshifted_denominator(z, axis=-1):
    m = z.max(axis=axis, keepdims=True)
    return np.exp(z - m) / np.exp(z).sum(axis=axis, keepdims=True)


def _softmax_maximum(z, axis=-1):
    return _softmax_shifted(z, np.maximum(z, axis), axis)  # elementwise: z against axis


def _softmax_mistakes():
    mistakes = [
        Mistake(
            "the numerator is shifted and the denominator is not: exp(z - m) / sum(exp(z)) is "
            "softmax times exp(-m). Shift both, e = exp(z - m), then e / e.sum(...)",
            _softmax_unshifted_denominator,
        ),
        Mistake(
            "np.maximum(z, axis) is elementwise: it compares each z with the number axis. "
            "The largest value along an axis is np.max(z, axis=axis, keepdims=True)",
            _softmax_maximum,
        ),
        Mistake(_KEEPDIMS_HINT, _softmax_loose_max),
        Mistake(_KEEPDIMS_HINT, _softmax_loose_sum),
        Mistake(_KEEPDIMS_HINT, _softmax_loose_both),
        Mistake(
            "you normalised over the whole array: sum along `axis` only "
            "(e.sum(axis=axis, keepdims=True)), so that every slice sums to 1",
            _softmax_whole_array,
        ),
        Mistake(_SUM_NO_AXIS_HINT, _softmax_sum_no_axis),
        Mistake(
            "you divided by the maximum; shift invariance allows subtracting it: "
            "exp(z - max), not exp(z / max)",
            _softmax_divided_by_max,
        ),
        Mistake(_OVER_MAX_HINT, _softmax_over_max),
        Mistake(_SCALER_HINT, lambda z, axis=-1: _standardized_sigmoid(z, axis, ddof=0)),
        Mistake(_SCALER_HINT, lambda z, axis=-1: _standardized_sigmoid(z, axis, ddof=1)),
        Mistake(
            "that is z / sum(z), without the exponential: exponentiate first, "
            "then normalise (z / sum(z) is not even positive for negative logits)",
            _no_exp,
        ),
        Mistake(
            "that is the sigmoid applied to each entry: softmax normalises, "
            "exp(z_i) / sum_j exp(z_j)",
            lambda z, axis=-1: _sigmoid(z),
        ),
    ]
    mistakes += [Mistake(_AXIS_HINT, _on_axis(_softmax_call, t)) for t in range(3)]
    mistakes += _mixed_axes_mistakes()
    return mistakes


def _mixed_axes_mistakes(temperature=False):
    """Max or sum along a fixed axis 0, 1 or 2 (for 2.2, of ``z / T``), the other one right."""
    variants = [(_SUM_FIXED_AXIS_HINT, _mixed_axes(sum_axis=t)) for t in range(3)]
    variants += [(_MAX_FIXED_AXIS_HINT, _mixed_axes(max_axis=t)) for t in range(3)]
    if not temperature:
        return [Mistake(hint, wrong) for hint, wrong in variants]
    return [
        Mistake(hint, lambda z, t, axis=-1, wrong=wrong: wrong(z / t, axis))
        for hint, wrong in variants
    ]


# ------------------------------------------------------------------ 2.1


_GLOBAL_MAX_HINT = (
    "you subtracted the maximum of the whole array: rows with much smaller logits "
    "then underflow to 0/0; subtract the maximum of each slice, "
    "z.max(axis=axis, keepdims=True)"
)
_ABS_MAX_HINT = (
    "you subtracted each slice's largest |z|, not its largest z: when a very negative (or "
    "-inf) logit is larger in size than the slice's maximum, every exp(z - max|z|) "
    "underflows to 0, giving 0/0 or log(0). Subtract the maximum itself, "
    "z.max(axis=axis, keepdims=True)"
)


_MIN_SHIFT_HINT = (
    "you subtracted the minimum: z - min(z) >= 0, so exp overflows once the logits lie more "
    "than about 709 apart. Subtract the maximum, z.max(axis=axis, keepdims=True): then every "
    "exponent is <= 0"
)


def _lse_min_shift(z, axis=-1):
    m = z.min(axis=axis, keepdims=True)
    return np.squeeze(m, axis=axis) + np.log(np.sum(np.exp(z - m), axis=axis))


def _softmax_min_shift(z, axis=-1):
    return _softmax_shifted(z, z.min(axis=axis, keepdims=True), axis)


def _batch_and_scale_cases(d, axis0_note=""):
    """The cases Exercises 2.1 and 2.3 share, in their order: both axes, square batches, scale."""
    return [
        Case(
            "one very negative logit beside small ones, [-800, 5, 4]",
            (np.array([-800.0, 5.0, 4.0]),),
        ),
        Case("a batch of shape (2, 3), axis=-1", (d["batch"],), {"axis": -1}),
        Case(f"the same batch, axis=0{axis0_note}", (d["batch"],), {"axis": 0}),
        Case("a square batch (3, 3), axis=-1", (d["square"],), {"axis": -1}),
        Case("a square batch (3, 3), axis=0", (d["square"],), {"axis": 0}),
        Case("equal large logits [1000, 1000]", (d["equal_large"],)),
        Case("logits of size 1e3, axis=1", (d["large"],), {"axis": 1}),
        Case("rows of very different size", (d["mixed_rows"],), {"axis": -1}),
    ]


def check_softmax(softmax, quiet=False) -> bool:
    """Check Exercise 2.1: ``softmax(z, axis=-1)``, stable, along any axis."""
    d = _data()
    cases = [
        Case("ordinary logits", (d["row"],)),
        Case("the often-quoted example", (d["quoted"],)),
        Case("a single logit (softmax of one number is 1)", (np.array([5.0]),)),
        *_batch_and_scale_cases(d, " (columns sum to 1)"),
        Case("a -inf logit (probability exactly 0)", (d["neg_inf"],)),
        Case("a logit of -10000", (d["very_negative"],)),
        Case("only very negative logits", (d["all_negative"],)),
        Case("a single very negative logit", (np.array([-1000.0]),)),
        Case("float32 logits stay float32", (d["f32"],)),
        Case("float32 logits around 100", (d["f32_large"],)),
        Case("a 3-D array, axis=1", (d["cube"],), {"axis": 1}),
        Case("a Fortran-ordered batch, axis=0", (d["fortran"],), {"axis": 0}),
    ]
    return run_check(
        "Exercise 2.1 softmax",
        softmax,
        _softmax_call,
        cases,
        arg_names=["z", "axis"],
        mistakes=[
            Mistake(_GLOBAL_MAX_HINT, _softmax_global_max),
            Mistake(_ABS_MAX_HINT, _softmax_abs_max),  # same 0/0 as above where both fail
            Mistake(_MIN_SHIFT_HINT, _softmax_min_shift),
            *_softmax_mistakes(),
        ],
        quiet=quiet,
    )


# ------------------------------------------------------------------ 2.2


def _softmax_t(z, temperature, axis=-1):
    return _softmax(z, axis=axis, temperature=temperature)


def _t_times(z, temperature, axis=-1):
    return _softmax(z * temperature, axis=axis)


def _t_ignored(z, temperature, axis=-1):
    return _softmax(z, axis=axis)


def _t_numerator_only(z, temperature, axis=-1):
    t = z - z.max(axis=axis, keepdims=True)
    return np.exp(t / temperature) / np.exp(t).sum(axis=axis, keepdims=True)


def _t_probabilities_divided(z, temperature, axis=-1):
    return _softmax(z, axis=axis) / temperature


def _t_softmax_of_probabilities(z, temperature, axis=-1):
    return _softmax(_softmax(z, axis=axis) / temperature, axis=axis)


def _t_sign(z, temperature, axis=-1):
    return _softmax(-z, axis=axis, temperature=temperature)


def _t_unscaled_max(z, temperature, axis=-1):
    e = np.exp(z / temperature - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _t_power_unnormalised(z, temperature, axis=-1):
    return _softmax(z, axis=axis) ** (1 / temperature)


def _t_power_renormalised(z, temperature, axis=-1):
    p = _softmax(z, axis=axis) ** (1 / temperature)
    return p / p.sum(axis=axis, keepdims=True)


def check_softmax_with_temperature(softmax_with_temperature, quiet=False) -> bool:
    """Check Exercise 2.2: ``softmax_with_temperature(z, temperature, axis=-1)``, softmax(z / T)."""
    d = _data()
    cases = [
        Case("T = 1 (plain softmax)", (d["row"], 1.0)),
        Case("T = 2 (flatter)", (d["row"], 2.0)),
        Case("T = 0.5 (sharper)", (d["row"], 0.5)),
        Case("T = 10 (nearly uniform)", (d["quoted"], 10.0)),
        Case("logits near 1400, T = 2 (z / T is above 709)", (d["near_1400"], 2.0)),
        Case("T = 0.001 (nearly one-hot)", (d["row"], 0.001)),
        Case(
            "T = 0.001, no class dominates (logits 0, 0.1, 0.2)",
            (np.array([0.0, 0.1, 0.2]), 0.001),
        ),
        Case("a batch (2, 3), T = 2, axis=0", (d["batch"], 2.0), {"axis": 0}),
        Case("a square batch, T = 0.5, axis=-1", (d["square"], 0.5), {"axis": -1}),
        Case("equal large logits, T = 0.5", (d["equal_large"], 0.5)),
        Case("logits of size 1e3, T = 3, axis=1", (d["large"], 3.0), {"axis": 1}),
        Case("rows of very different size, T = 0.25", (d["mixed_rows"], 0.25)),
        Case("a -inf logit, T = 2", (d["neg_inf"], 2.0)),
        Case("a single logit, T = 0.1", (np.array([7.0]), 0.1)),
        Case("float32 logits stay float32, T = 2", (d["f32"], 2.0)),
        Case("a 3-D array, T = 4, axis=1", (d["cube"], 4.0), {"axis": 1}),
    ]
    mistakes = [
        Mistake(
            "you multiplied by T: the temperature divides, softmax(z / T), "
            "so T > 1 flattens and T < 1 sharpens",
            _t_times,
        ),
        Mistake(
            "the result equals softmax(z) at T = 1: the temperature had no effect "
            "(check the parentheses: (z - m) / T, not z - m / T)",
            _t_ignored,
        ),
        Mistake(
            "you divided by T in the numerator only: use the same z / T in the "
            "numerator and in every term of the sum",
            _t_numerator_only,
        ),
        Mistake(
            "you divided the probabilities by T: the temperature divides the logits "
            "before the exponential, softmax(z / T), and the result still sums to 1",
            _t_probabilities_divided,
        ),
        Mistake(
            "you applied the temperature to the probabilities, softmax(softmax(z) / T): "
            "a softmax of numbers between 0 and 1 is much flatter (no ratio above e = 2.72), "
            "even at T = 1. The temperature divides the logits, once: softmax(z / T)",
            _t_softmax_of_probabilities,
        ),
        Mistake(
            "the sign is flipped: that is softmax(-z / T), which gives the smallest logit "
            "the largest probability; exponentiate +(z - m) / T",
            _t_sign,
        ),
        Mistake(
            "you subtracted max(z) from z / T: the shift must be the maximum of z / T, "
            "i.e. (z - m) / T; z / T - m is still huge for small T, so exp overflows "
            "(or, for large T, every term underflows to 0)",
            _t_unscaled_max,
        ),
        Mistake(
            "softmax(z) ** (1 / T) must be normalised again to sum to 1",
            _t_power_unnormalised,
        ),
        Mistake(
            "softmax(z) ** (1 / T), normalised again, equals softmax(z / T) on paper, but for a "
            "small T each probability below 1 raised to 1 / T underflows to 0 when no class "
            "dominates (0.37 ** 1000 is 1e-435, below the smallest float), and 0 / 0 is nan. "
            "Divide the logits instead: exp((z - m) / T), normalised",
            _t_power_renormalised,
        ),
        Mistake(_KEEPDIMS_HINT, lambda z, t, axis=-1: _softmax_loose_max(z / t, axis)),
        Mistake(_KEEPDIMS_HINT, lambda z, t, axis=-1: _softmax_loose_sum(z / t, axis)),
        Mistake(_KEEPDIMS_HINT, lambda z, t, axis=-1: _softmax_loose_both(z / t, axis)),
    ]
    mistakes += [Mistake(_AXIS_HINT, _on_axis(_softmax_t, t)) for t in range(3)]
    mistakes += _mixed_axes_mistakes(temperature=True)
    global_max = Mistake(_GLOBAL_MAX_HINT, lambda z, t, axis=-1: _softmax_global_max(z / t, axis))
    return run_check(
        "Exercise 2.2 softmax_with_temperature",
        softmax_with_temperature,
        _softmax_t,
        cases,
        arg_names=["z", "temperature", "axis"],
        mistakes=[
            global_max,
            Mistake(_ABS_MAX_HINT, lambda z, t, axis=-1: _softmax_abs_max(z / t, axis)),
            Mistake(_MIN_SHIFT_HINT, lambda z, t, axis=-1: _softmax_min_shift(z / t, axis)),
            *mistakes,
        ],
        earlier={"softmax": ("Exercise 2.1", check_softmax)},
        forbid=(_softmax,),  # graded: softmax_with_temperature is not helpers.softmax
        quiet=quiet,
    )


# ------------------------------------------------------------------ 2.3


def _lse(z, axis=-1):
    return _logsumexp(z, axis=axis)


def _lse_without_max(z, axis=-1):
    m = z.max(axis=axis, keepdims=True)
    return np.squeeze(np.log(np.exp(z - m).sum(axis=axis, keepdims=True)), axis=axis)


def _lse_max_only(z, axis=-1):
    return z.max(axis=axis)


def _lse_loose_max(z, axis=-1):
    m = z.max(axis=axis)
    return m + np.log(np.exp(z - m).sum(axis=axis))


def _lse_abs_max(z, axis=-1):
    a = np.abs(z).max(axis=axis, keepdims=True)
    return np.squeeze(a + np.log(np.exp(z - a).sum(axis=axis, keepdims=True)), axis=axis)


def _lse_global_max(z, axis=-1):
    m = z.max()
    return m + np.log(np.exp(z - m).sum(axis=axis))


def _lse_mean(z, axis=-1):
    m = z.max(axis=axis, keepdims=True)
    return np.squeeze(m + np.log(np.exp(z - m).mean(axis=axis, keepdims=True)), axis=axis)


def _lse_minus(z, axis=-1):
    m = z.max(axis=axis, keepdims=True)
    return np.squeeze(m - np.log(np.exp(z - m).sum(axis=axis, keepdims=True)), axis=axis)


def _lse_flipped_exponent(z, axis=-1):
    m = z.max(axis=axis, keepdims=True)
    return np.squeeze(m + np.log(np.exp(m - z).sum(axis=axis, keepdims=True)), axis=axis)


_SQUEEZE_HINT = (
    "np.squeeze without axis= removes every axis of length 1, here also the batch axis: "
    "write np.squeeze(result, axis=axis) to drop only the reduced one"
)


#: The comparison of every check here (compare_arrays with its defaults).
_compare_values = comparer()


def _compare_lse(got, want, *, case, **kwargs):
    """Also name the two shape slips: the reduced axis kept, or every length-1 axis squeezed."""
    want_arr = np.asarray(want)
    if (
        isinstance(got, (np.ndarray, np.generic))
        and np.ndim(got) < want_arr.ndim
        and np.shape(got) == np.squeeze(want_arr).shape
    ):
        return Outcome(
            False,
            f"returned shape {np.shape(got)}, expected {want_arr.shape}",
            got,
            want_arr,
            _SQUEEZE_HINT,
        )
    if isinstance(got, np.ndarray) and got.ndim == want_arr.ndim + 1:
        axis = case.kwargs.get("axis", -1) % got.ndim
        if got.shape == np.expand_dims(want_arr, axis).shape:
            return Outcome(
                False,
                f"returned shape {got.shape}, expected {want_arr.shape}",
                got,
                want_arr,
                "drop the reduced axis from the result (keepdims=False): one value per "
                "slice, e.g. np.squeeze(result, axis=axis)",
            )
    return _compare_values(got, want, case=case, **kwargs)


def check_logsumexp(logsumexp, quiet=False) -> bool:
    """Check Exercise 2.3: ``logsumexp(z, axis=-1)``, stable, the axis reduced away."""
    d = _data()
    cases = [
        Case("ordinary logits", (d["row"],)),
        Case("two zeros (log 2)", (np.array([0.0, 0.0]),)),
        Case("a single logit", (np.array([5.0]),)),
        *_batch_and_scale_cases(d),
        Case("only very negative logits", (d["all_negative"],)),
        Case("a -inf logit", (d["neg_inf"],)),
        Case("a logit of -10000", (d["very_negative"],)),
        Case("float32 logits stay float32", (d["f32"],)),
        Case("float32 logits around 100", (d["f32_large"],)),
        Case("a float32 batch stays float32", (d["batch"].astype(np.float32),)),
        Case("a 3-D array, axis=1", (d["cube"],), {"axis": 1}),
        Case("a batch of one example, shape (1, 3): the result has shape (1,)", (d["one_row"],)),
    ]
    mistakes = [
        Mistake(
            "you subtracted the maximum of the whole array: rows with much smaller "
            "logits then give log(0) = -inf; use the maximum of each slice",
            _lse_global_max,
        ),
        Mistake(_ABS_MAX_HINT, _lse_abs_max),
        Mistake(_MIN_SHIFT_HINT, _lse_min_shift),  # before the flipped exponent: both give inf
        Mistake(
            "np.log1p(s) is log(1 + s): it adds 1 to the sum before the log. The log-sum-exp "
            "is m + np.log(s) with s = sum(exp(z - m))",
            lambda z, axis=-1: (
                np.squeeze(z.max(axis=axis, keepdims=True), axis=axis)
                + np.log1p(np.sum(np.exp(z - z.max(axis=axis, keepdims=True)), axis=axis))
            ),
        ),
        Mistake(
            "the sign is flipped: LSE(z) = m + log(sum(exp(z - m))), "
            "and it is never below the maximum",
            _lse_minus,
        ),
        Mistake(
            "the sign inside exp is flipped: exponentiate z - m (every exponent <= 0), not m - z",
            _lse_flipped_exponent,
        ),
        Mistake(
            "the sign is flipped: that is -LSE(z); LSE(z) = m + log(sum(exp(z - m)))",
            lambda z, axis=-1: -_logsumexp(z, axis=axis),
        ),
        Mistake(
            "you forgot to add the maximum back: LSE(z) = m + log(sum(exp(z - m)))",
            _lse_without_max,
        ),
        Mistake(
            "that is the maximum alone; add log(sum(exp(z - m))), which is between 0 and log k",
            _lse_max_only,
        ),
        Mistake(_KEEPDIMS_HINT, _lse_loose_max),
        Mistake(
            "you averaged instead of summing: log-sum-exp sums the exponentials",
            _lse_mean,
        ),
    ]
    mistakes += [Mistake(_LSE_AXIS_HINT, _on_axis(_lse, t)) for t in range(3)]
    return run_check(
        "Exercise 2.3 logsumexp",
        logsumexp,
        _lse,
        cases,
        arg_names=["z", "axis"],
        mistakes=mistakes,
        compare=_compare_lse,
        quiet=quiet,
    )


# ------------------------------------------------------------------ 2.4


def _log_sm(z, axis=-1):
    return _log_softmax(z, axis=axis)


def _log_sm_no_lse(z, axis=-1):
    return z - z.max(axis=axis, keepdims=True)


def _log_sm_lse_unshifted(z, axis=-1):
    m = z.max(axis=axis, keepdims=True)
    return z - np.log(np.exp(z - m).sum(axis=axis, keepdims=True))


def _log_sm_plus(z, axis=-1):
    t = z - z.max(axis=axis, keepdims=True)
    return t + np.log(np.exp(t).sum(axis=axis, keepdims=True))


def _log_sm_shift_flipped(z, axis=-1):
    t = z - z.max(axis=axis, keepdims=True)
    return -t - np.log(np.exp(t).sum(axis=axis, keepdims=True))


def _log_sm_loose_max(z, axis=-1):
    t = z - z.max(axis=axis)  # without keepdims: broadcasts silently on a square batch
    return t - np.log(np.exp(t).sum(axis=axis, keepdims=True))


def _log_sm_loose(z, axis=-1):
    return z - _logsumexp(z, axis=axis)


def _compare_log_softmax(got, want, **kwargs):
    """Name the classic failure first: log(softmax(z)) is -inf where a probability underflowed."""
    want_arr = np.asarray(want)
    case = kwargs["case"]
    if isinstance(got, np.ndarray) and got.shape == want_arr.shape and got.dtype.kind == "f":
        with np.errstate(all="ignore"):
            log_of_p = np.log(_softmax(*case.args, **case.kwargs))
        underflowed = np.isneginf(log_of_p) & np.isfinite(want_arr)
        if underflowed.any() and np.array_equal(np.isneginf(got), np.isneginf(log_of_p)):
            return Outcome(
                False,
                "returned -inf where the answer is finite",
                got,
                want_arr,
                "that is log(softmax(z)): the probability underflowed to 0 and log(0) = -inf; "
                "never form the probabilities: (z - m) - log(sum(exp(z - m)))",
            )
    return _compare_values(got, want, **kwargs)


def _log_sm_abs_max(z, axis=-1):
    a = np.abs(z).max(axis=axis, keepdims=True)
    return z - a - np.log(np.exp(z - a).sum(axis=axis, keepdims=True))


def check_log_softmax(log_softmax, quiet=False) -> bool:
    """Check Exercise 2.4: ``log_softmax(z, axis=-1)`` without taking the log of a probability."""
    d = _data()
    cases = [
        Case("ordinary logits", (d["row"],)),
        Case("the often-quoted example", (d["quoted"],)),
        Case("a single logit (log 1 = 0)", (np.array([3.0]),)),
        Case("a batch of shape (2, 3), axis=-1", (d["batch"],), {"axis": -1}),
        Case("the same batch, axis=0", (d["batch"],), {"axis": 0}),
        Case("a square batch (3, 3), axis=-1", (d["square"],), {"axis": -1}),
        Case("a logit of -10000", (d["very_negative"],)),
        Case("equal large logits [1000, 1000]", (d["equal_large"],)),
        Case("logits of size 1e3, axis=1", (d["large"],), {"axis": 1}),
        Case("rows of very different size", (d["mixed_rows"],), {"axis": -1}),
        Case("only very negative logits", (d["all_negative"],)),
        Case("a -inf logit (log-probability -inf)", (d["neg_inf"],)),
        Case("float32 logits stay float32", (d["f32"],)),
        Case("float32 logits around 100", (d["f32_large"],)),
        Case("a 3-D array, axis=1", (d["cube"],), {"axis": 1}),
    ]
    mistakes = [
        Mistake(
            _MIN_SHIFT_HINT,
            lambda z, axis=-1: z - np.expand_dims(_lse_min_shift(z, axis=axis), axis),
        ),
        Mistake(
            "that is the log-sigmoid of each logit, -log(1 + exp(-z)): log-softmax subtracts "
            "the log-sum-exp of the whole slice, z - LSE(z)",
            lambda z, axis=-1: -np.logaddexp(0, -z),
        ),
        Mistake(
            "you divided by the log-sum-exp: log(a / b) = log a - log b, so subtract it, "
            "(z - m) - log(sum(exp(z - m)))",
            lambda z, axis=-1: (
                (z - z.max(axis=axis, keepdims=True))
                / np.log(
                    np.sum(np.exp(z - z.max(axis=axis, keepdims=True)), axis=axis, keepdims=True)
                )
            ),
        ),
        Mistake(
            "you subtracted the max but not log(sum(exp(z - m))): "
            "log-softmax is (z - m) - log(sum(exp(z - m)))",
            _log_sm_no_lse,
        ),
        Mistake(
            "you subtracted log(sum(exp(z - m))) from z; subtract it from z - m "
            "(or add the max back into the log-sum-exp)",
            _log_sm_lse_unshifted,
        ),
        Mistake(
            "that is softmax itself: log-softmax is its logarithm, values <= 0",
            _softmax_call,
        ),
        Mistake(
            "the sign is flipped: log-probabilities are <= 0, z - LSE(z), not LSE(z) - z",
            lambda z, axis=-1: -_log_softmax(z, axis=axis),
        ),
        Mistake(
            "you added log(sum(exp(z - m))): subtract it, (z - m) - log(sum(exp(z - m))); "
            "log-probabilities are <= 0",
            _log_sm_plus,
        ),
        Mistake(
            "the sign of z - m is flipped: log-softmax is (z - m) - log(sum(exp(z - m))), "
            "not (m - z) - ...",
            _log_sm_shift_flipped,
        ),
        Mistake(_KEEPDIMS_HINT, _log_sm_loose),
        Mistake(_KEEPDIMS_HINT, _log_sm_loose_max),
    ]
    mistakes += [Mistake(_LOG_AXIS_HINT, _on_axis(_log_sm, t)) for t in range(3)]
    global_max = Mistake(
        "you subtracted the maximum of the whole array: rows with much smaller "
        "logits then give log(0); use the maximum of each slice",
        lambda z, axis=-1: z - z.max() - np.log(np.exp(z - z.max()).sum(axis, keepdims=True)),
    )
    return run_check(
        "Exercise 2.4 log_softmax",
        log_softmax,
        _log_sm,
        cases,
        arg_names=["z", "axis"],
        mistakes=[global_max, Mistake(_ABS_MAX_HINT, _log_sm_abs_max), *mistakes],
        compare=_compare_log_softmax,
        earlier={
            "logsumexp": ("Exercise 2.3", check_logsumexp),
            "softmax": ("Exercise 2.1", check_softmax),
        },
        quiet=quiet,
    )


# ------------------------------------------------------------------ 2.5


def _scaler(x, ddof):
    return _standardize_sigmoid(x, ddof=ddof)


def _centred(x, ddof, axis=0, total=False):
    if total:
        return (x - x.mean()) / x.std(ddof=ddof)
    return (x - x.mean(axis=axis, keepdims=True)) / x.std(axis=axis, ddof=ddof, keepdims=True)


def _scaler_ddof_swapped(x, ddof):
    return _sigmoid(_centred(x, 1 - ddof))


def _scaler_no_sigmoid(x, ddof):
    return _centred(x, ddof)


def _scaler_not_centred(x, ddof):
    return _sigmoid(x / x.std(axis=0, ddof=ddof, keepdims=True))


def _scaler_whole_table(x, ddof):
    if x.ndim < 2:
        raise ValueError("only for tables")
    return _sigmoid(_centred(x, ddof, total=True))


def _scaler_per_row(x, ddof):
    if x.ndim < 2:
        raise ValueError("only for tables")
    return _sigmoid(_centred(x, ddof, axis=1))


def _scaler_variance(x, ddof):
    return _sigmoid((x - x.mean(axis=0)) / x.var(axis=0, ddof=ddof))


def _minmax(x, ddof):
    return (x - x.min(axis=0)) / (x.max(axis=0) - x.min(axis=0))


_DDOF_AS_AXIS_HINT = (
    "this function has no axis argument, so the AxisError comes from a positional ddof: "
    "np.std(x, ddof) passes ddof as np.std's second argument, which is axis; "
    "write x.std(axis=0, ddof=ddof)"
)


def _axis_error_report(exc, case):
    """An AxisError here is ddof passed where np.std expects the axis: name that slip."""
    if isinstance(exc, np.exceptions.AxisError):
        return Outcome(False, raised_problem(exc), None, None, _DDOF_AS_AXIS_HINT, kind=Kind.RAISED)
    return None


def check_standardize_sigmoid(standardize_sigmoid, quiet=False) -> bool:
    """Check Exercise 2.5: ``standardize_sigmoid(x, ddof)``, the scaler, per column."""
    measure = np.array([0.01, 0.2, 0.5, 0.6, 0.7, 1.0, 2.5, 5.0, 50.0, 5000.0])
    people = np.array(  # age, income: very different scales, one feature per column
        [[23.0, 2400.0], [35.0, 18000.0], [41.0, 52000.0], [58.0, 31000.0], [67.0, 9500.0]]
    )
    square = np.array([[1.0, 10.0, -3.0], [2.0, 30.0, 0.0], [4.0, 20.0, 9.0]])
    cases = [
        Case("population std (ddof=0)", (np.array([1.0, 2.0, 3.0]), 0)),
        Case("sample std (ddof=1)", (np.array([1.0, 2.0, 3.0]), 1)),
        Case("the measure with an outlier, ddof=0", (measure, 0)),
        Case("the measure with an outlier, ddof=1", (measure, 1)),
        Case("age and income columns (5, 2), ddof=1", (people, 1)),
        Case("a square table (3, 3), ddof=0", (square, 0)),
        Case("two values, ddof=1", (np.array([0.0, 1.0]), 1)),
        Case("values far from 0", (np.array([1e6, 1e6 + 1.0, 1e6 + 3.0]), 0)),
        Case("float32 values stay float32", (np.array([1.0, 2.0, 4.0], dtype=np.float32), 0)),
    ]
    mistakes = [
        Mistake(
            "you used the other standard deviation: ddof=0 divides by n (population), "
            "ddof=1 by n - 1 (sample); pass ddof=ddof to np.std (its default is 0)",
            _scaler_ddof_swapped,
        ),
        Mistake(
            "you standardised but did not squash: apply the sigmoid to (x - mean) / std",
            _scaler_no_sigmoid,
        ),
        Mistake(
            "you did not subtract the mean: sigmoid((x - mean) / std)",
            _scaler_not_centred,
        ),
        Mistake(
            "you used the mean and std of the whole table: compute them per feature "
            "(per column, axis=0), so that age and income are each put on their own scale",
            _scaler_whole_table,
        ),
        Mistake(
            "you computed the statistics per row: each column is one feature, use axis=0",
            _scaler_per_row,
        ),
        Mistake("divide by the standard deviation, not the variance", _scaler_variance),
        Mistake(
            "that is the sigmoid of the raw values: standardise first, (x - mean) / std",
            lambda x, ddof: _sigmoid(x),
        ),
        Mistake(
            "that is the softmax function, which makes the column sum to 1; the scaler "
            "squashes each standardised value on its own",
            lambda x, ddof: _softmax(x, axis=0),
        ),
        Mistake("that is min-max scaling; this scaler is sigmoid((x - mean) / std)", _minmax),
        Mistake(
            "the sign is flipped: (mean - x) / std puts large values near 0; "
            "standardise as (x - mean) / std",
            lambda x, ddof: _sigmoid(-_centred(x, ddof)),
        ),
        Mistake(
            "that is the softmax of the standardised values, which makes each column sum to 1: "
            "the scaler applies the sigmoid to each standardised value on its own",
            lambda x, ddof: _softmax(_centred(x, ddof), axis=0),
        ),
        Mistake(
            "the mean is of the whole table (x.mean() without axis): compute it per column, "
            "x.mean(axis=0, keepdims=True), as the standard deviation",
            lambda x, ddof: _sigmoid((x - x.mean()) / x.std(axis=0, ddof=ddof, keepdims=True)),
        ),
        Mistake(
            "the standard deviation is of the whole table (x.std() without axis): compute it "
            "per column, x.std(axis=0, ddof=ddof, keepdims=True), as the mean",
            lambda x, ddof: _sigmoid((x - x.mean(axis=0, keepdims=True)) / x.std(ddof=ddof)),
        ),
    ]
    return run_check(
        "Exercise 2.5 standardize_sigmoid",
        standardize_sigmoid,
        _scaler,
        cases,
        arg_names=["x", "ddof"],
        mistakes=mistakes,
        compare=_compare_values,
        on_raise=_axis_error_report,
        quiet=quiet,
    )
