"""Lesson 06 checks: right answers pass; each wrong answer fails with the hint that names it."""

from __future__ import annotations

import numpy as np
import pytest

import helpers
from helpers import calibration, losses, recalibration
from helpers.checks import lesson06 as C
from helpers.checks._core import GENERIC_HINT, spec_of
from tests import test_lesson06_more_checks as _more

# -- right answers, written the way a learner would ----------------------------------------


def ece_loop(p, y, n_bins=15):
    c = p.max(axis=1)
    right = p.argmax(axis=1) == y
    which = np.maximum(np.ceil(c * n_bins).astype(int) - 1, 0)  # ((b-1)/M, b/M]
    total = 0.0
    for b in range(n_bins):
        mask = which == b
        if mask.sum():
            total += mask.sum() / len(c) * abs(right[mask].mean() - c[mask].mean())
    return total


def ece_searchsorted(p, y, n_bins=15):
    c = np.max(p, axis=1)
    edges = np.linspace(0, 1, n_bins + 1)
    which = np.searchsorted(edges[1:-1], c, side="left")
    gaps = [
        np.mean(which == b)
        * abs(np.mean(p.argmax(1)[which == b] == y[which == b]) - c[which == b].mean())
        for b in range(n_bins)
        if np.any(which == b)
    ]
    return np.float64(sum(gaps))


def fit_bisect_T(z, y):
    """Bisection on T itself (not log T), with a stable softmax written by hand."""
    zf = np.where(np.isfinite(z), z, 0.0)

    def d(T):
        u = z / T
        e = np.exp(u - u.max(axis=1, keepdims=True))
        s = e / e.sum(axis=1, keepdims=True)
        return np.mean(z[np.arange(len(y)), y] - (s * zf).sum(axis=1))

    lo, hi = 0.05, 20.0
    if d(lo) >= 0 or d(hi) <= 0:
        raise ValueError("no minimiser inside [0.05, 20]")
    for _ in range(80):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if d(mid) < 0 else (lo, mid)
    return (lo + hi) / 2


def fit_golden_section(z, y):
    """Golden-section search of the NLL itself on log T, after testing the ends."""
    zf, rows = np.where(np.isfinite(z), z, 0.0), np.arange(len(y))

    def nll(log_t):
        u = z / np.exp(log_t)
        m = u.max(axis=1)
        return np.mean(np.log(np.exp(u - m[:, None]).sum(axis=1)) + m - u[rows, y])

    def slope(T):
        return np.mean(z[rows, y] - (calibration.softmax(z / T, axis=1) * zf).sum(axis=1))

    if slope(0.05) >= 0 or slope(20.0) <= 0:
        raise ValueError("no minimiser inside [0.05, 20]")
    a, b, g = np.log(0.05), np.log(20.0), (np.sqrt(5) - 1) / 2
    c, d = b - g * (b - a), a + g * (b - a)
    fc, fd = nll(c), nll(d)
    for _ in range(200):
        if fc < fd:
            b, d, fd = d, c, fc
            c = b - g * (b - a)
            fc = nll(c)
        else:
            a, c, fc = c, d, fd
            d = a + g * (b - a)
            fd = nll(d)
    return float(np.exp((a + b) / 2))


def fit_newton_beta(z, y):
    """Safeguarded Newton on beta = 1/T (the NLL is convex in beta), bisection as fallback."""
    zf, rows = np.where(np.isfinite(z), z, 0.0), np.arange(len(y))

    def grad_and_curvature(beta):  # mean(s.z - z_y) and mean(Var_s z)
        s = calibration.softmax(z * beta, axis=1)
        m = (s * zf).sum(axis=1)
        return np.mean(m - z[rows, y]), np.mean((s * zf**2).sum(axis=1) - m**2)

    lo, hi = 1 / 20.0, 1 / 0.05
    if grad_and_curvature(lo)[0] >= 0 or grad_and_curvature(hi)[0] <= 0:
        raise ValueError("no minimiser inside [0.05, 20]")
    beta = 1.0
    for _ in range(200):
        g, h = grad_and_curvature(beta)
        lo, hi = (beta, hi) if g < 0 else (lo, beta)
        step = beta - g / h if h > 0 else np.nan
        beta = step if lo < step < hi else 0.5 * (lo + hi)
        if hi - lo < 1e-15 * hi:
            break
    return 1.0 / beta


def ls_grad_ok(z, y, eps):
    n, k = z.shape
    e = np.exp(z - z.max(axis=1, keepdims=True))
    s = e / e.sum(axis=1, keepdims=True)
    t = np.full_like(z, eps / k)
    t[np.arange(n), y] += 1 - eps
    return (s - t) / n


def wbce_ok(z, y, pos_weight):
    sp = lambda x: np.logaddexp(0, x)  # noqa: E731
    return np.mean(pos_weight * y * sp(-z) + (1 - y) * sp(z))


RIGHT = [
    (C.check_expected_calibration_error, calibration.expected_calibration_error),
    (C.check_expected_calibration_error, ece_loop),
    (C.check_expected_calibration_error, ece_searchsorted),
    (C.check_fit_temperature, recalibration.fit_temperature),
    (C.check_fit_temperature, fit_bisect_T),
    (C.check_fit_temperature, fit_golden_section),
    (C.check_fit_temperature, fit_newton_beta),
    (C.check_label_smoothing_grad, calibration.label_smoothing_grad),
    (C.check_label_smoothing_grad, ls_grad_ok),
    (C.check_weighted_bce_with_logits, losses.weighted_bce_with_logits),
    (C.check_weighted_bce_with_logits, wbce_ok),
]


@pytest.mark.parametrize(
    "check, fn",
    RIGHT,
    ids=[
        "ece-ref",
        "ece-ceil",
        "ece-searchsorted",
        "T-ref",
        "T-bisect",
        "T-golden",
        "T-newton",
        "ls-ref",
        "ls",
        "w-ref",
        "w",
    ],
)
def test_a_right_answer_passes(check, fn, capsys):
    assert check(fn) is True
    out = capsys.readouterr().out
    assert out.startswith("✅") and "❌" not in out


def test_a_float_returned_as_a_python_float_or_numpy_scalar_passes(capsys):
    assert C.check_expected_calibration_error(lambda p, y, n_bins=15: float(ece_loop(p, y, n_bins)))
    assert C.check_fit_temperature(lambda z, y: np.float64(fit_bisect_T(z, y)))
    assert C.check_weighted_bce_with_logits(lambda z, y, w: float(wbce_ok(z, y, w)))
    assert "❌" not in capsys.readouterr().out


# -- the wrong-answer catalogue -------------------------------------------------------------


def _ece(kind):
    return C._ece_variant(kind)


ECE_WRONG = {
    "a default of 10 bins in the def line": (
        lambda p, y, n_bins=10: calibration.expected_calibration_error(p, y, n_bins),
        "your def line sets n_bins=10, the exercise's n_bins=15",
    ),
    "bins [lo, hi) in a loop (confidence 1 in no bin)": (C._ece_half_open, C.HINT_ECE_HALF_OPEN),
    "the right float64 ECE as np.float32": (
        lambda p, y, n_bins=15: np.float32(calibration.expected_calibration_error(p, y, n_bins)),
        "returned a float32 number",
    ),
    "edges np.linspace(0, 1, n_bins): n_bins - 1 bins": (
        lambda p, y, n_bins=15: calibration.expected_calibration_error(p, y, n_bins - 1),
        "np.linspace(0, 1, n_bins + 1)",
    ),
    "edges (np.digitize)": (_ece("edges"), C.HINT_ECE_EDGES),
    "edges (floor)": (C._ece_floor, C.HINT_ECE_EDGES),
    "unweighted": (_ece("unweighted"), C.HINT_ECE_UNWEIGHTED),
    "divided by M": (_ece("all bins"), C.HINT_ECE_ALL_BINS),
    "signed": (_ece("signed"), C.HINT_ECE_SIGNED),
    "true-class probability": (_ece("true class"), C.HINT_ECE_TRUE_CLASS),
    "squared": (_ece("squared"), C.HINT_ECE_SQUARED),
    "rms": (_ece("rms"), C.HINT_ECE_SQUARED),
    "max (MCE)": (_ece("max"), C.HINT_ECE_MAX),
    "accuracy over n": (_ece("acc over n"), C.HINT_ECE_ACCURACY_MEAN),
    "one bin": (C._one_bin, C.HINT_ECE_ONE_BIN),
    "n_bins ignored": (
        lambda p, y, n_bins=15: calibration.expected_calibration_error(p, y, 10),
        C.HINT_ECE_FIXED_BINS,
    ),
    "binned by correctness, not by confidence": (
        _ece("bin by correct"),
        C.HINT_ECE_BIN_BY_CORRECT,
    ),
    "one value per bin": (
        lambda p, y, n_bins=15: np.zeros(n_bins),
        C.HINT_ONE_NUMBER,
    ),
}


@pytest.mark.parametrize("name", ECE_WRONG)
def test_ece_mistakes_are_named(name, capsys):
    fn, hint = ECE_WRONG[name]
    assert C.check_expected_calibration_error(fn) is False
    out = capsys.readouterr().out
    assert out.startswith("❌") and hint in out, out


T_WRONG = {
    "naive softmax in the end test too: raises on large logits": (
        lambda z, y: _with_end_test(z, y, probs=_naive_probs),
        C.HINT_T_OVERFLOW,
    ),
    "log T returned (a search over log T without np.exp)": (
        lambda z, y: np.log(recalibration.fit_temperature(z, y)),
        C.HINT_T_LOG,
    ),
    "stops too early (12 bisection steps)": (
        lambda z, y: _bisect(z, y, _stable_probs, steps=12),
        "your search stopped short",
    ),
    "a grid of 2,000 temperatures, the NLL's smallest": (
        lambda z, y: _on_grid(z, y, losses.cross_entropy_with_logits),
        "only as fine as its spacing",
    ),
    "a grid of 2,000 temperatures, the ECE's smallest": (
        lambda z, y: _on_grid(
            z, y, lambda u, y: calibration.expected_calibration_error(calibration.softmax(u), y)
        ),
        "not another measure such as the ECE",
    ),
    "naive softmax exp(z / T) in the derivative: nan on large logits": (
        lambda z, y: _bisect(z, y, _naive_probs),
        C.HINT_T_OVERFLOW,
    ),
    "(s * z).sum() with a -inf logit: 0 * -inf = nan": (
        lambda z, y: _bisect(z, y, _stable_probs, mask_inf=False),
        "0 * (-inf)",
    ),
    "returns 1/T": (lambda z, y: 1 / recalibration.fit_temperature(z, y), C.HINT_T_INVERTED),
    "never moved": (lambda z, y: 1.0, C.HINT_T_UNMOVED),
    "sign flipped: lands on the upper end": (lambda z, y: 20.0, C.HINT_T_EDGE),
    "no end test: returns T = 0.05 when every example is right": (
        lambda z, y: _bisect(z, y, _stable_probs),
        C.HINT_T_NO_MINIMUM,
    ),
    "end test > 0 instead of >= 0 (misses an exact 0 at T = 0.05)": (
        lambda z, y: _with_end_test(z, y, strict=True),
        C.HINT_T_NO_MINIMUM_STRICT,
    ),
    "refuses with a RuntimeError, not a ValueError": (
        lambda z, y: _with_end_test(z, y, error=RuntimeError),
        C.HINT_T_NO_MINIMUM_OTHER,
    ),
    "sign flipped in the end test: raises where a minimum exists": (
        lambda z, y: _with_end_test(z, y, sign=-1.0),
        C.HINT_T_END_TEST,
    ),
    "the probabilities softmax(z) used as logits": (
        lambda z, y: _with_end_test(calibration.softmax(z, axis=1), y),
        C.HINT_T_PROBS,
    ),
    "softmax(z / T**2) in the derivative (a typo): a root far from the minimum": (
        lambda z, y: _bisect(z, y, lambda z, T: _stable_probs(z, T * T)),
        "far from 0",
    ),
    "softmax at T = 1 in the derivative": (
        lambda z, y: _bisect(z, y, lambda z, T: calibration.softmax(z, axis=1)),
        C.HINT_T_EDGE,
    ),
}


def _softplus(x):
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


def _stable_probs(z, T):
    return calibration.softmax(z / T, axis=1)


def _naive_probs(z, T):
    with np.errstate(all="ignore"):
        e = np.exp(z / T)
        return e / e.sum(axis=1, keepdims=True)


def _on_grid(z, y, loss):
    """The temperature of a geometric grid over [0.05, 20] where ``loss(z / T, y)`` is least."""
    grid = np.geomspace(0.05, 20.0, 2000)
    return float(grid[np.argmin([loss(z / T, y) for T in grid])])


def _bisect(z, y, probs, steps=100, mask_inf=True):
    zf = np.where(np.isfinite(z), z, 0.0) if mask_inf else z
    lo, hi = np.log(0.05), np.log(20.0)
    for _ in range(steps):
        mid = (lo + hi) / 2
        s = probs(z, np.exp(mid))
        d = np.mean(z[np.arange(len(y)), y] - (s * zf).sum(axis=1))
        lo, hi = (mid, hi) if d < 0 else (lo, mid)
    return float(np.exp((lo + hi) / 2))


def _with_end_test(z, y, strict=False, error=ValueError, sign=1.0, probs=_stable_probs):
    """The lesson's end test, then bisection; ``strict`` uses > 0 where >= 0 is due."""
    zf = np.where(np.isfinite(z), z, 0.0)

    def d(T):
        s = probs(z, T)
        return sign * np.mean(z[np.arange(len(y)), y] - (s * zf).sum(axis=1))

    low = d(0.05) > 0 if strict else d(0.05) >= 0
    if low or d(20.0) <= 0:
        raise error("no minimiser inside [0.05, 20]")
    return _bisect(z, y, probs)


def test_a_learner_who_refuses_with_a_value_error_passes_the_no_minimum_cases(capsys):
    assert C.check_fit_temperature(_with_end_test) is True
    assert "passed all" in capsys.readouterr().out


def test_the_reference_refuses_the_no_minimum_cases():
    (spec,) = C_spec_of(C.check_fit_temperature)
    refused = [c.label for c in spec.cases if spec.reference_fn(*c.args) is C.NO_MINIMUM]
    assert len(refused) == 2 and all("every example right" in label for label in refused)
    for case in spec.cases:
        if "every example right" in case.label:
            with pytest.raises(ValueError):
                recalibration.fit_temperature(*case.args)


def C_spec_of(check):
    from helpers.checks._core import spec_of

    return spec_of(check, None, quiet=True)


@pytest.mark.parametrize("name", T_WRONG)
def test_temperature_mistakes_are_named(name, capsys):
    fn, hint = T_WRONG[name]
    assert C.check_fit_temperature(fn) is False
    out = capsys.readouterr().out
    assert out.startswith("❌") and hint in out, out


def test_naive_softmax_in_the_temperature_fit_is_caught(capsys):
    def naive(z, T):
        with np.errstate(all="ignore"):
            e = np.exp(z / T)
            return e / e.sum(axis=1, keepdims=True)

    assert C.check_fit_temperature(lambda z, y: _bisect(z, y, naive)) is False
    out = capsys.readouterr().out
    assert "large logits" in out, out  # passes the ordinary cases, fails on scale 400


def test_zero_times_minus_inf_in_the_temperature_fit_is_caught(capsys):
    def nan_prone(z, y):
        lo, hi = np.log(0.05), np.log(20.0)
        for _ in range(100):
            mid = (lo + hi) / 2
            s = calibration.softmax(z / np.exp(mid), axis=1)
            with np.errstate(invalid="ignore"):
                d = np.mean(z[np.arange(len(y)), y] - (s * z).sum(axis=1))
            lo, hi = (mid, hi) if d < 0 else (lo, mid)
        return float(np.exp((lo + hi) / 2))

    assert C.check_fit_temperature(nan_prone) is False
    out = capsys.readouterr().out
    assert "ruled out" in out and "❌" in out, out


def _ls(target):
    return C._ls_variant(target)


LS_WRONG = {
    "k = y.max() + 1 (a class no example has is left out)": (
        lambda z, y, eps: (
            (
                calibration.softmax(z, axis=-1)
                - (
                    np.full(z.shape, eps / (y.max() + 1), dtype=z.dtype)
                    + (1 - eps) * np.eye(z.shape[1], dtype=z.dtype)[y]
                )
            )
            / len(y)
        ),
        C.HINT_LS_SHARED_BY_K,
    ),
    "integer labels used as one-hot rows, (1 - eps) * y[:, None] + eps / k": (
        lambda z, y, eps: (
            (calibration.softmax(z, axis=-1) - ((1 - eps) * y[:, None] + eps / z.shape[1]))
            / z.shape[0]
        ),
        C.HINT_LS_LABELS_AS_ONEHOT,
    ),
    "true class gets 1 - eps/k": (
        C._ls_variant(lambda o, e, k: (1 - e / k) * o + e / k * (1 - o)),
        C.HINT_LS_TRUE_CLASS,
    ),
    "smoothing applied to the predictions": (
        lambda z, y, eps: (
            (
                (1 - eps) * calibration.softmax(z, axis=-1)
                + eps / z.shape[-1]
                - np.eye(z.shape[-1], dtype=z.dtype)[y]
            )
            / z.shape[0]
        ),
        "smooth the target",
    ),
    "eps not divided by k": (_ls(lambda o, e, k: (1 - e) * o + e), C.HINT_LS_SHARED_BY_K),
    "eps and 1 - eps swapped": (_ls(lambda o, e, k: e * o + (1 - e) / k), "swapped"),
    "eps/(k-1) convention": (
        _ls(lambda o, e, k: (1 - e) * o + e / (k - 1) * (1 - o)),
        C.HINT_LS_OTHER_CONVENTION,
    ),
    "eps/k not on the true class": (
        _ls(lambda o, e, k: (1 - e) * o + e / k * (1 - o)),
        C.HINT_LS_NOT_ON_TRUE,
    ),
    "one-hot not shrunk": (_ls(lambda o, e, k: o + e / k), C.HINT_LS_NO_SHRINK),
    "only shrunk": (_ls(lambda o, e, k: (1 - e) * o), C.HINT_LS_ONLY_SHRINK),
    "eps ignored": (_ls(lambda o, e, k: o), C.HINT_LS_IGNORED),
    "sign": (lambda z, y, e: -calibration.label_smoothing_grad(z, y, e), C.HINT_LS_SIGN),
    "summed": (
        lambda z, y, e: calibration.label_smoothing_grad(z, y, e) * len(y),
        C.HINT_LS_SUM,
    ),
    "n * k": (
        lambda z, y, e: calibration.label_smoothing_grad(z, y, e) / z.shape[1],
        C.HINT_LS_NK,
    ),
    "right on the first 4 rows only (zeros below)": (
        lambda z, y, e: np.vstack(
            [
                calibration.label_smoothing_grad(z[:4], y[:4], e) * min(len(y), 4) / len(y),
                np.zeros_like(z[4:]),
            ]
        ),
        GENERIC_HINT,
    ),
    "softmax over axis 0": (
        lambda z, y, e: (
            (calibration.softmax(z, axis=0) - calibration.smooth_labels(y, z.shape[1], e)) / len(y)
        ),
        C.HINT_LS_AXIS0,
    ),
}


@pytest.mark.parametrize("name", LS_WRONG)
def test_label_smoothing_mistakes_are_named(name, capsys):
    fn, hint = LS_WRONG[name]
    assert C.check_label_smoothing_grad(fn) is False
    out = capsys.readouterr().out
    assert out.startswith("❌") and hint in out, out


def test_label_smoothing_float64_for_float32_input_is_caught(capsys):
    assert (
        C.check_label_smoothing_grad(lambda z, y, e: ls_grad_ok(z.astype(np.float64), y, e))
        is False
    )
    out = capsys.readouterr().out
    assert "float32" in out and "keep the input's dtype" in out, out


def _sp(x):
    return np.logaddexp(0, x)


W_WRONG = {
    "PyTorch's form without w on the z * y term": (
        lambda z, y, w: np.mean((1 + (w - 1) * y) * _softplus(z) - z * y),
        C.HINT_W_TORCH_FORM_HALF,
    ),
    "probabilities clipped to [1e-7, 1 - 1e-7]": (
        lambda z, y, w: (
            -np.mean(
                w * y * np.log(np.clip(helpers.sigmoid(z), 1e-7, 1 - 1e-7))
                + (1 - y) * np.log(1 - np.clip(helpers.sigmoid(z), 1e-7, 1 - 1e-7))
            )
        ),
        C.HINT_W_CLIPPED,
    ),
    "the right float64 loss as np.float32 (off by at most 6e-8)": (
        lambda z, y, w: (
            np.float32(losses.weighted_bce_with_logits(z, y, w))
            if z.dtype == np.float64
            else losses.weighted_bce_with_logits(z, y, w)
        ),
        "returned a float32 number",
    ),
    "naive logs": (C._naive_wbce, C.HINT_W_NONFINITE),
    "naive log(1 + exp(z)) (0 * inf = nan at z = 1000)": (
        lambda z, y, w: np.mean(w * y * np.log(1 + np.exp(-z)) + (1 - y) * np.log(1 + np.exp(z))),
        "exp(z) overflowed to inf in log(1 + exp(z))",
    ),
    "softplus with np.log(1 + exp(-|z|)) (0 for confidently right examples)": (
        lambda z, y, w: np.mean(
            w * y * (np.maximum(-z, 0) + np.log(1 + np.exp(-np.abs(z))))
            + (1 - y) * (np.maximum(z, 0) + np.log(1 + np.exp(-np.abs(z))))
        ),
        "np.log1p",
    ),
    "the weight inside the simplified form (a negative loss)": (
        lambda z, y, w: np.mean(np.maximum(z, 0) - w * z * y + np.log1p(np.exp(-np.abs(z)))),
        "simplified form",
    ),
    "weight on the negatives": (
        lambda z, y, w: np.mean(y * _sp(-z) + w * (1 - y) * _sp(z)),
        C.HINT_W_NEGATIVE,
    ),
    "weight on both": (
        lambda z, y, w: np.mean(w * (y * _sp(-z) + (1 - y) * _sp(z))),
        C.HINT_W_BOTH,
    ),
    "weighted mean": (
        lambda z, y, w: (
            np.sum(w * y * _sp(-z) + (1 - y) * _sp(z))
            / np.sum(np.broadcast_to(w, z.shape) * y + (1 - y))
        ),
        C.HINT_W_WEIGHTED_MEAN,
    ),
    "weight ignored": (lambda z, y, w: np.mean(y * _sp(-z) + (1 - y) * _sp(z)), C.HINT_W_IGNORED),
    "divided by the weight": (
        lambda z, y, w: np.mean(y * _sp(-z) / w + (1 - y) * _sp(z)),
        C.HINT_W_INVERTED,
    ),
    "sum": (lambda z, y, w: np.sum(w * y * _sp(-z) + (1 - y) * _sp(z)), C.HINT_W_SUM),
    "y swapped": (lambda z, y, w: np.mean(w * (1 - y) * _sp(-z) + y * _sp(z)), C.HINT_W_SWAPPED),
    "the weight inside the log": (
        lambda z, y, w: np.mean(y * (_sp(-z) - np.log(w)) + (1 - y) * _sp(z)),
        C.HINT_W_INSIDE_LOG,
    ),
    "right on the first 4 rows only": (
        lambda z, y, w: np.mean(w * y[:4] * _sp(-z[:4]) + (1 - y[:4]) * _sp(z[:4])),
        GENERIC_HINT,
    ),
    "log1p missing": (
        lambda z, y, w: np.mean(w * y * np.maximum(-z, 0) + (1 - y) * np.maximum(z, 0)),
        C.HINT_W_NO_LOG1P,
    ),
    "one value per example": (
        lambda z, y, w: np.mean(w * y * _sp(-z) + (1 - y) * _sp(z), axis=-1),
        C.HINT_ONE_NUMBER,
    ),
}


@pytest.mark.parametrize("name", W_WRONG)
def test_weighted_bce_mistakes_are_named(name, capsys):
    fn, hint = W_WRONG[name]
    assert C.check_weighted_bce_with_logits(fn) is False
    out = capsys.readouterr().out
    assert out.startswith("❌") and hint in out, out


def test_weighted_bce_overflow_warning_is_reported(capsys):
    def warns(z, y, w):
        return np.mean(w * y * np.log1p(np.exp(-z)) + (1 - y) * np.log1p(np.exp(z)))

    assert C.check_weighted_bce_with_logits(warns) is False
    out = capsys.readouterr().out
    assert "❌" in out and ("overflow" in out or "inf" in out), out


@pytest.mark.parametrize(
    "check",
    [
        C.check_expected_calibration_error,
        C.check_fit_temperature,
        C.check_label_smoothing_grad,
        C.check_weighted_bce_with_logits,
    ],
)
def test_a_stub_is_not_done_yet_and_quiet_is_silent(check, capsys):
    def stub(*args, **kwargs):
        raise NotImplementedError("Exercise 6.x")

    assert check(stub) is False
    assert "not done yet" in capsys.readouterr().out
    assert check(stub, quiet=True) is False
    assert capsys.readouterr().out == ""


def test_every_hint_is_distinct_where_it_names_a_different_slip():
    hints = [v for k, v in vars(C).items() if k.startswith("HINT_")]
    assert len(hints) == len(set(hints))


# ------------------------------------------- the catalogue, for tests/test_check_margins.py
# (check, name, wrong function) and (check, name, accepted function): every entry above.
_TABLES = [
    (C.check_expected_calibration_error, ECE_WRONG),
    (C.check_fit_temperature, T_WRONG),
    (C.check_label_smoothing_grad, LS_WRONG),
    (C.check_weighted_bce_with_logits, W_WRONG),
]
MARGIN_WRONG = [(c, name, fn) for c, wrong in _TABLES for name, (fn, _h) in wrong.items()]
MARGIN_RIGHT = [(check, fn.__name__, fn) for check, fn in RIGHT]
# Exercise 6.5 (tests/test_lesson06_more_checks.py): its tables join lesson 06's here.
MARGIN_WRONG += _more.MARGIN_WRONG
MARGIN_RIGHT += _more.MARGIN_RIGHT


def _bisect_linear(z, y, steps, probes=None):
    """Bisection on T itself (not log T) after the lesson's end test; records its probes."""
    zf = np.where(np.isfinite(z), z, 0.0)

    def d(T):
        s = _stable_probs(z, T)
        value = np.mean(z[np.arange(len(y)), y] - (s * zf).sum(axis=1))
        if probes is not None:
            probes.append(abs(value) / np.mean(np.abs(zf)))
        return value

    if d(0.05) >= 0 or d(20.0) <= 0:
        raise ValueError("no minimum inside [0.05, 20]")
    lo, hi = 0.05, 20.0
    for _ in range(steps):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if d(mid) < 0 else (lo, mid)
    return (lo + hi) / 2


def test_a_search_that_stops_at_a_fixed_width_in_t_is_caught_where_t_is_small(capsys):
    """25 steps on T leave an interval of 6e-7: 1.6e-6 of the best T = 0.087 of case 4.

    Not a wide margin (1.6 times the tolerance), so it is not in the catalogue; but its
    verdict does not depend on the CPU either: the path of a bisection depends only on the
    sign of dNLL/dT at its probes, and none of them lies within 1e-9 (relative) of 0.
    """
    assert C.check_fit_temperature(lambda z, y: _bisect_linear(z, y, 25)) is False
    out = capsys.readouterr().out
    assert "case 4 of 9, strongly underconfident" in out and "stopped short" in out, out
    spec = next(s for s in spec_of(C.check_fit_temperature, None, quiet=True))
    z, y = next(case.args for case in spec.cases if "strongly" in case.label)
    probes = []
    _bisect_linear(z, y, 25, probes)
    assert min(probes) > 1e-9, min(probes)
