"""Checks for lesson 06, Sigmoid and softmax in practice: calibration on real data.

6.1 ``expected_calibration_error``, 6.2 ``fit_temperature``, 6.3 ``label_smoothing_grad``,
6.4 ``weighted_bce_with_logits``. References: :mod:`helpers.calibration`.
"""

from __future__ import annotations

import numpy as np

from ..calibration import expected_calibration_error, label_smoothing_grad
from ..losses import weighted_bce_with_logits
from ..recalibration import fit_temperature, temperature_nll_grad
from ..sigmoid import sigmoid, softplus
from ..softmax import softmax
from ._core import Case, Kind, Mistake, Outcome, comparer, fmt, raised_problem, run_check

__all__ = [
    "check_expected_calibration_error",
    "check_fit_temperature",
    "check_label_smoothing_grad",
    "check_weighted_bce_with_logits",
]

# -- hints (named, so the tests can look for them) ---------------------------------------


# -- shared machinery -------------------------------------------------------------------


HINT_ONE_NUMBER = "return one number (a float), not an array"


def _scalar_comparer(nonfinite_hint, rtol32=1e-4):
    """Compare one number: any real scalar (float, 0-d array) is fine; float32 input widens rtol."""
    return comparer(
        one_number="float64",
        rtol32=rtol32,
        nonfinite_hint=nonfinite_hint,
        one_number_hint=HINT_ONE_NUMBER,
    )


def _array_comparer():
    return comparer(rtol32=2e-5, atol32=1e-7)


def _f32(*arrays):
    return tuple(np.asarray(a, dtype=np.float32) for a in arrays)


# -- 6.1 expected_calibration_error -----------------------------------------------------


def _conf_correct(p, y):
    p = np.asarray(p, dtype=np.float64)
    return p.max(axis=1), (np.argmax(p, axis=1) == np.asarray(y)).astype(np.float64)


def _binned(c, correct, n_bins, side="left"):
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    which = np.searchsorted(edges[1:-1], c, side=side)
    count = np.bincount(which, minlength=n_bins)
    full = count > 0
    conf = np.bincount(which, weights=c, minlength=n_bins)[full] / count[full]
    acc = np.bincount(which, weights=correct, minlength=n_bins)[full] / count[full]
    return count[full] / len(c), acc, conf


def _ece_variant(kind):
    def wrong(p, y, n_bins=15):
        c, correct = _conf_correct(p, y)
        if kind == "true class":
            c = np.asarray(p, dtype=np.float64)[np.arange(len(c)), np.asarray(y)]
        if kind == "bin by correct":
            which = np.searchsorted(np.linspace(0.0, 1.0, n_bins + 1)[1:-1], correct)
            return float(
                sum(
                    np.mean(which == b) * abs(np.mean(c[which == b]) - np.mean(correct[which == b]))
                    for b in range(n_bins)
                    if np.any(which == b)
                )
            )
        w, acc, conf = _binned(c, correct, n_bins, "right" if kind == "edges" else "left")
        gap = acc - conf
        if kind == "unweighted":
            return float(np.mean(np.abs(gap)))
        if kind == "all bins":
            return float(np.sum(np.abs(gap)) / n_bins)
        if kind == "signed":
            return float(np.sum(w * gap))
        if kind == "squared":
            return float(np.sum(w * gap**2))
        if kind == "rms":
            return float(np.sqrt(np.sum(w * gap**2)))
        if kind == "max":
            return float(np.max(np.abs(gap)))
        if kind == "acc over n":
            acc_n = acc * w  # the bin's right answers divided by n instead of by its count
            return float(np.sum(w * np.abs(acc_n - conf)))
        return float(np.sum(w * np.abs(gap)))  # "true class", "edges"

    return wrong


def _ece_floor(p, y, n_bins=15):
    c, correct = _conf_correct(p, y)
    which = np.minimum(np.floor(c * n_bins).astype(int), n_bins - 1)
    count = np.bincount(which, minlength=n_bins)
    full = count > 0
    conf = np.bincount(which, weights=c, minlength=n_bins)[full] / count[full]
    acc = np.bincount(which, weights=correct, minlength=n_bins)[full] / count[full]
    return float(np.sum(count[full] / len(c) * np.abs(acc - conf)))


def _ece_half_open(p, y, n_bins=15):
    """Bins [lo, hi): an edge goes up, and a confidence of exactly 1 falls in no bin."""
    c, correct = _conf_correct(p, y)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        inside = (c >= lo) & (c < hi)
        if inside.any():
            total += inside.mean() * abs(correct[inside].mean() - c[inside].mean())
    return float(total)


def _one_bin(p, y, n_bins=15):
    c, correct = _conf_correct(p, y)
    return float(abs(correct.mean() - c.mean()))


def _random_predictions(n, k, seed, scale=3.0):
    rng = np.random.default_rng(seed)
    z = scale * rng.normal(size=(n, k))
    p = softmax(z, axis=1)
    y = np.array([rng.choice(k, p=row) for row in softmax(z / 2, axis=1)])
    return p, y


HINT_ECE_UNWEIGHTED = (
    "you averaged the bins' gaps with equal weights: weight each bin by its share of the "
    "examples, |B_b| / n, so that a bin with 2 examples counts less than one with 200"
)
HINT_ECE_ALL_BINS = (
    "you divided by the number of bins M: the weights are |B_b| / n (empty bins weigh 0), not 1 / M"
)
HINT_ECE_SIGNED = (
    "the absolute value is missing: an overconfident bin and an underconfident bin must not "
    "cancel; sum |B_b| / n * |acc - conf|"
)
HINT_ECE_TRUE_CLASS = (
    "the confidence is the largest probability of the row (the predicted class's), "
    "not the probability of the true class"
)
HINT_ECE_EDGES = (
    "a confidence exactly on a bin edge b/M belongs to the lower bin, ((b-1)/M, b/M], as in "
    "Guo et al.; np.digitize(c, edges) and np.floor(c * M) put it in the upper one. Use "
    "np.searchsorted(edges[1:-1], c, side='left') with the same edges the check uses "
    "(np.linspace(0, 1, M + 1)); c * M can round across an edge (0.1 * 3 > 0.3)"
)
HINT_ECE_HALF_OPEN = (
    "with bins [lo, hi) a confidence on an edge goes to the upper bin, and a confidence of "
    "exactly 1 falls in no bin at all. The bins are (lo, hi], the first one [0, 1/M]: "
    "np.searchsorted(edges[1:-1], c, side='left')"
)
HINT_ECE_SQUARED = (
    "you squared the gaps (a root-mean-square error): ECE uses |acc - conf|, not (acc - conf)**2"
)
HINT_ECE_MAX = (
    "that is the maximum calibration error (the largest gap over the bins): ECE is the "
    "weighted mean of the gaps"
)
HINT_ECE_ONE_BIN = (
    "that is |accuracy - mean confidence| over all examples, one bin: sort the examples "
    "into n_bins bins by confidence first"
)
HINT_ECE_BIN_BY_CORRECT = (
    "you sorted the examples into bins by their correctness (0 or 1): the bins group the "
    "examples by their confidence c = max_j p_j"
)
HINT_ECE_FIXED_BINS = (
    "the number of bins is not the one asked for: use the n_bins argument (and keep the def "
    "line's default, n_bins=15)"
)
HINT_ECE_ACCURACY_MEAN = (
    "the accuracy of a bin is the fraction of its examples that are right (argmax == y), "
    "divided by the bin's count, not by n"
)


def check_expected_calibration_error(expected_calibration_error_fn, quiet=False) -> bool:
    """Check Exercise 6.1: ``expected_calibration_error(p, y, n_bins=15)``, one float."""
    p6 = np.array(
        [
            [0.7, 0.2, 0.1],
            [0.1, 0.85, 0.05],
            [0.45, 0.35, 0.2],
            [0.3, 0.28, 0.42],
            [0.05, 0.05, 0.9],
            [0.82, 0.1, 0.08],
        ]
    )
    y6 = np.array([0, 1, 1, 2, 2, 2])
    ties = np.array([[0.5, 0.25, 0.25], [0.25, 0.75, 0.0], [0.0, 0.0, 1.0], [0.5, 0.5, 0.0]])
    p_big, y_big = _random_predictions(500, 10, seed=61)
    cases = [
        Case("6 examples x 3 classes, 5 bins", (p6, y6), {"n_bins": 5}),
        Case("the same 6 examples, 7 bins", (p6, y6), {"n_bins": 7}),
        Case(
            "confidences exactly on bin edges (0.5, 0.75, 1), 4 bins",
            (ties, np.array([0, 1, 1, 1])),
            {"n_bins": 4},
        ),
        Case(
            "calibrated: confidence 0.75, 3 of 4 right, 10 bins",
            (np.tile([[0.75, 0.25]], (4, 1)), np.array([0, 0, 0, 1])),
            {"n_bins": 10},
        ),
        Case("500 examples x 10 classes, 7 bins", (p_big, y_big), {"n_bins": 7}),
        Case("the default n_bins = 15", (p_big[:60], y_big[:60])),
        Case("one example", (np.array([[0.2, 0.8]]), np.array([0])), {"n_bins": 3}),
        Case("float32 probabilities", (p6.astype(np.float32), y6), {"n_bins": 4}),
    ]
    mistakes = [
        Mistake(HINT_ECE_EDGES, _ece_variant("edges")),
        Mistake(HINT_ECE_EDGES, _ece_floor),
        Mistake(  # after the edge mistakes: on the bin-edge case all three agree
            "np.linspace(0, 1, n_bins) gives n_bins edges, that is n_bins - 1 bins: the edges "
            "of n_bins bins are np.linspace(0, 1, n_bins + 1)",
            lambda p, y, n_bins=15: expected_calibration_error(p, y, n_bins - 1),
        ),
        Mistake(HINT_ECE_UNWEIGHTED, _ece_variant("unweighted")),
        Mistake(HINT_ECE_ALL_BINS, _ece_variant("all bins")),
        Mistake(HINT_ECE_SIGNED, _ece_variant("signed")),
        Mistake(HINT_ECE_HALF_OPEN, _ece_half_open),
        Mistake(HINT_ECE_TRUE_CLASS, _ece_variant("true class")),
        Mistake(HINT_ECE_SQUARED, _ece_variant("squared")),
        Mistake(HINT_ECE_SQUARED, _ece_variant("rms")),
        Mistake(HINT_ECE_MAX, _ece_variant("max")),
        Mistake(HINT_ECE_ACCURACY_MEAN, _ece_variant("acc over n")),
        Mistake(HINT_ECE_FIXED_BINS, lambda p, y, n_bins=15: expected_calibration_error(p, y, 15)),
        Mistake(HINT_ECE_FIXED_BINS, lambda p, y, n_bins=15: expected_calibration_error(p, y, 10)),
        Mistake(HINT_ECE_ONE_BIN, _one_bin),
        Mistake(HINT_ECE_BIN_BY_CORRECT, _ece_variant("bin by correct")),
    ]
    return run_check(
        "Exercise 6.1 expected_calibration_error",
        expected_calibration_error_fn,
        expected_calibration_error,
        cases,
        arg_names=["p", "y", "n_bins"],
        mistakes=mistakes,
        compare=_scalar_comparer(
            "the ECE of probabilities is finite: check for a 0/0 in an empty bin"
        ),
        quiet=quiet,
    )


# -- 6.2 fit_temperature ----------------------------------------------------------------


def _sampled_labels(z, T_true, seed):
    rng = np.random.default_rng(seed)
    return np.array([rng.choice(z.shape[1], p=row) for row in softmax(z / T_true, axis=1)])


HINT_T_NONFINITE = (
    "nan or inf: softmax(z / T) overflowed for a small T (subtract each row's maximum), or "
    "0 * (-inf) gave nan where a class is ruled out (z = -inf, s = 0): leave those terms out"
)


_compare_temperature_values = _scalar_comparer(HINT_T_NONFINITE)


HINT_T_EDGE = (
    "T sits at an end of the search interval: the derivative's sign is probably flipped "
    "(it is mean(z_y - s.z) / T**2 with s = softmax(z / T)), or s was computed at T = 1 "
    "instead of at the current T"
)
HINT_T_NAN_RULED_OUT = (
    "T landed at an end of the interval only where a class is ruled out (z = -inf, s = 0): "
    "there s * z is 0 * (-inf) = nan, every comparison with nan is False, and the search "
    "always moves the same way. Leave those terms out: np.where(np.isinf(z), 0, z) before "
    "multiplying"
)

#: exp overflows float64 above this, so these logits overflow exp(z / T) for every T <= 1.
_EXP_OVERFLOWS = 709.78


def _overflows_exp(z) -> bool:
    """Whether some finite logit of ``z`` overflows exp(z / T) for every T <= 1."""
    z = np.asarray(z, dtype=np.float64)
    return bool(np.max(np.abs(z[np.isfinite(z)]), initial=0.0) > _EXP_OVERFLOWS)


HINT_T_OVERFLOW = (
    "on logits this large exp(z / T) overflows to inf for T near 1, inf / inf is nan, and "
    "every comparison with nan is False: your search (or your end test) then always takes the "
    "same branch. Subtract each row's maximum before exp, as the stable softmax of lesson 02 "
    "does: e = np.exp((z - z.max(axis=1, keepdims=True)) / T)"
)


class Raises:
    """The expected answer of a case with no answer: the function must raise ``exception``."""

    def __init__(self, exception, why):
        self.exception, self.why = exception, why

    def __repr__(self):
        return f"{self.exception.__name__} ({self.why})"


NO_MINIMUM = Raises(ValueError, "no minimiser inside [0.05, 20]: every example is right")


def _fit_temperature_or_raises(z, y):
    """The reference, with its ValueError for "no minimiser inside [0.05, 20]" as a value."""
    try:
        return fit_temperature(z, y)
    except ValueError:
        return NO_MINIMUM


HINT_T_NO_MINIMUM = (
    "every example here is classified right, so dNLL/dT = mean(z_y - s.z) / T**2 is >= 0 "
    "on all of [0.05, 20]: the NLL keeps falling as T -> 0 and no T inside is its minimum "
    '(the lesson\'s "When there is no minimum"). Before bisecting, test the derivative at '
    "both ends and raise a ValueError when it is >= 0 at T = 0.05 or <= 0 at T = 20, "
    "instead of returning an end of the interval"
)
HINT_T_NO_MINIMUM_STRICT = (
    HINT_T_NO_MINIMUM + ". Here the derivative at T = 0.05 is exactly 0 (softmax(z / 0.05) "
    "rounds to one-hot), so the test must be >= 0, not > 0"
)
HINT_T_NO_MINIMUM_OTHER = (
    "right to refuse: no T in [0.05, 20] minimises the NLL here. Raise a ValueError (as "
    "helpers.fit_temperature does), the error for an argument with no valid answer"
)
HINT_T_END_TEST = (
    "this case has a minimum inside [0.05, 20], yet your function raised a ValueError: the "
    "end test fired wrongly. The derivative mean(z_y - s.z) / T**2 must be < 0 at T = 0.05 "
    "and > 0 at T = 20 here: check its sign (z_y minus the softmax-weighted mean logit) "
    "and that s is softmax(z / T) at the T being tested"
)


def _on_raise_temperature(exc, case) -> Outcome | None:
    """A ValueError is the answer where no minimiser exists; elsewhere, name the end test."""
    want = _fit_temperature_or_raises(*case.args)
    if want is NO_MINIMUM:
        if isinstance(exc, ValueError):
            return Outcome(True, expected=want, kind=Kind.PASSED)
        return Outcome(
            False, raised_problem(exc), None, want, HINT_T_NO_MINIMUM_OTHER, kind=Kind.RAISED
        )
    if type(exc) is ValueError and "broadcast" not in str(exc):  # NumPy's shape errors
        hint = HINT_T_OVERFLOW if _overflows_exp(case.args[0]) else HINT_T_END_TEST
        return Outcome(False, raised_problem(exc), None, want, hint, kind=Kind.RAISED)
    return None


def _compare_no_minimum(got, want, case) -> Outcome:
    z, y = case.args
    with np.errstate(all="ignore"):
        exact_zero = float(temperature_nll_grad(np.asarray(z, dtype=np.float64), y, 0.05)) == 0
    return Outcome(
        False,
        f"returned {fmt(got, 60)} where no temperature in [0.05, 20] minimises the NLL",
        got,
        want,
        HINT_T_NO_MINIMUM_STRICT if exact_zero else HINT_T_NO_MINIMUM,
        kind=Kind.WRONG_VALUES,
    )


def _compare_temperature(got, want, *, rtol, atol, mistakes, case) -> Outcome:
    """Also say when the search stopped early (by how much) or met 0 * (-inf)."""
    if want is NO_MINIMUM:
        return _compare_no_minimum(got, want, case)
    outcome = _compare_temperature_values(
        got, want, rtol=rtol, atol=atol, mistakes=mistakes, case=case
    )
    if outcome.ok:
        return outcome
    try:
        T = float(np.asarray(got, dtype=np.float64).reshape(()))
    except Exception:  # not one number: the report above says so
        return outcome
    z, y = case.args
    if outcome.generic and np.isfinite(T) and np.isclose(np.exp(T), float(want), rtol=1e-4):
        outcome.hint = HINT_T_LOG
        return outcome
    at_edge = bool(np.isclose(T, 0.05, rtol=1e-3) or np.isclose(T, 20.0, rtol=1e-3))
    edge_mistake = outcome.mistake is not None and outcome.mistake.hint == HINT_T_EDGE
    if at_edge and edge_mistake and np.isneginf(z).any():
        outcome.hint = HINT_T_NAN_RULED_OUT
        return outcome
    if at_edge and edge_mistake and _overflows_exp(z):
        outcome.hint = HINT_T_OVERFLOW
        return outcome
    if outcome.generic and np.isfinite(T) and 0.05 <= T <= 20.0:
        with np.errstate(all="ignore"):
            grad = float(temperature_nll_grad(np.asarray(z, dtype=np.float64), y, T))
        if abs(T - float(want)) > 0.01 * float(
            want
        ):  # far off: a wrong derivative, not a slow search
            outcome.hint = (
                f"at your T = {T:.6g} the derivative of the NLL with respect to T is {grad:.2g}, "
                f"far from 0 (the minimum is at T = {float(want):.6g}): your search follows "
                "another function. Check the derivative term by term: mean(z_y - s.z) / T**2 "
                "with the logits z (not probabilities) and s = softmax(z / T)"
            )
            return outcome
        outcome.hint = (
            f"your search stopped short: at your T = {T:.6g} the derivative of the NLL with "
            f"respect to T is still {grad:.2g} (0 at the minimum, T = {float(want):.6g}). Run it "
            "for more steps or to a tighter tolerance (a grid of T values is only as fine as its "
            "spacing), and make sure it minimises the NLL, not another measure such as the ECE"
        )
        return outcome
    return outcome


WARNING_HINT = (
    "an intermediate step overflowed or divided by zero: a stable formula never "
    "exponentiates a large positive number (np.where computes both branches, so the "
    "branch it discards can still overflow)"
)
HINT_T_LOG = (
    "that is log T: exp of your value is the temperature. If the search ran over log T "
    "(to keep T positive), return np.exp of where it ended"
)
HINT_T_INVERTED = (
    "that is 1/T: the model's probabilities are softmax(z / T), dividing the logits by T, "
    "so a T above 1 softens them"
)
HINT_T_PROBS = (
    "you fitted the temperature to the probabilities softmax(z) as if they were logits: "
    "temperature scaling divides the logits, softmax(z / T), so use z itself"
)
HINT_T_UNMOVED = (
    "you returned T = 1, the starting value: the search never moved. Find where the "
    "derivative of the NLL with respect to T changes sign"
)


def check_fit_temperature(fit_temperature_fn, quiet=False) -> bool:
    """Check Exercise 6.2: ``fit_temperature(z, y)``, the T in [0.05, 20] minimising the NLL.

    Where no T inside minimises it (every example right), the function must raise a
    ValueError, as :func:`helpers.fit_temperature` does and the lesson says.
    """
    rng = np.random.default_rng(62)
    z_over = 4.0 * rng.normal(size=(200, 5))
    y_over = _sampled_labels(z_over, 3.0, seed=1)  # labels noisier than the logits claim
    z_under = 0.8 * rng.normal(size=(150, 4))
    y_under = _sampled_labels(z_under, 0.4, seed=2)  # labels surer than the logits claim
    z_small = 0.5 * np.random.default_rng(6).normal(size=(150, 4))
    y_small = _sampled_labels(z_small, 0.1, seed=6)  # far surer: the best T is near 0.087
    z_big = 400.0 * rng.normal(size=(100, 3))  # z / T overflows exp() for T near 1
    y_big = _sampled_labels(z_big, 12.0, seed=3)
    z_inf = 3.0 * rng.normal(size=(40, 4))
    z_inf[::3, 1] = -np.inf  # class 1 ruled out in every third example
    y_inf = _sampled_labels(np.where(np.isinf(z_inf), -1e9, z_inf), 2.0, seed=4)
    four = np.array([[3.0, 0.0], [3.0, 0.0], [3.0, 0.0], [0.0, 3.0]])
    z_right = 2.0 * rng.normal(size=(30, 4))
    y_right = np.argmax(z_right, axis=1)  # every example right: the NLL falls as T -> 0
    cases = [
        Case("4 examples, 3 right, all at p = 0.95", (four, np.array([0, 0, 1, 1]))),
        Case("overconfident: 200 examples x 5 classes", (z_over, y_over)),
        Case("underconfident: 150 examples x 4 classes", (z_under, y_under)),
        # a search that stops at a fixed width in T (not in log T) misses most here
        Case("strongly underconfident: the best T is below 0.1", (z_small, y_small)),
        Case("large logits (scale 400)", (z_big, y_big)),
        Case("a class ruled out (logit -inf) in some rows", (z_inf, y_inf)),
        Case("float32 logits", (z_over[:80].astype(np.float32), y_over[:80])),
        Case("every example right: no minimum inside [0.05, 20]", (z_right, y_right)),
        Case(
            "every example right by a wide gap: dNLL/dT is exactly 0 at T = 0.05",
            (four[[0, 1, 3]], np.array([0, 0, 1])),
        ),
    ]
    mistakes = [
        Mistake(HINT_T_INVERTED, lambda z, y: 1.0 / fit_temperature(z, y)),
        Mistake(HINT_T_UNMOVED, lambda z, y: 1.0),
        Mistake(HINT_T_PROBS, lambda z, y: fit_temperature(softmax(np.asarray(z), axis=1), y)),
        *[Mistake(HINT_T_EDGE, lambda z, y, e=e: e) for e in (0.05, 20.0, 0.01, 0.1, 10.0, 100.0)],
    ]
    return run_check(
        "Exercise 6.2 fit_temperature",
        fit_temperature_fn,
        _fit_temperature_or_raises,
        cases,
        arg_names=["z", "y"],
        mistakes=mistakes,
        rtol=1e-6,
        compare=_compare_temperature,
        on_raise=_on_raise_temperature,
        warning_hint=WARNING_HINT,
        quiet=quiet,
    )


# -- 6.3 label_smoothing_grad -----------------------------------------------------------


def _onehot(y, z):
    return np.eye(z.shape[-1], dtype=z.dtype)[y]


def _ls_variant(target):
    def wrong(z, y, eps):
        z = np.asarray(z)
        k, n = z.shape[-1], z.shape[0]
        t = target(_onehot(y, z), eps, k)
        return (softmax(z, axis=-1) - t.astype(z.dtype)) / n

    return wrong


HINT_LS_OTHER_CONVENTION = (
    "you put 1 - eps on the true class and eps/(k - 1) on the others: a valid variant, but "
    "this lesson (as Szegedy et al. and PyTorch) uses (1 - eps) * onehot + eps / k, so the "
    "true class gets 1 - eps + eps/k"
)
HINT_LS_NOT_ON_TRUE = (
    "the eps/k share goes to every class, the true one included: y_smooth = "
    "(1 - eps) * onehot + eps / k (its rows sum to 1)"
)
HINT_LS_NO_SHRINK = (
    "the one-hot part must shrink to (1 - eps) * onehot before eps / k is added: "
    "your target rows sum to 1 + eps"
)
HINT_LS_ONLY_SHRINK = (
    "you shrank the one-hot row to (1 - eps) but did not spread eps / k over all the classes"
)
HINT_LS_TRUE_CLASS = (
    "the true class gets 1 - eps + eps/k, not 1 - eps/k: y_smooth = (1 - eps) * onehot + eps / k "
    "(the one-hot part shrinks by eps, then every class gets eps / k)"
)
HINT_LS_IGNORED = "that is the gradient without smoothing (s - onehot) / n: use the eps argument"
HINT_LS_SIGN = "the sign is flipped: the gradient is (softmax(z) - y_smooth) / n"
HINT_LS_SUM = "that is the gradient of the summed loss: divide by n, the number of examples"
HINT_LS_NK = "divide by n (the mean runs over the examples), not by n * k"
HINT_LS_AXIS0 = "the softmax ran over the examples (axis=0): normalise each row, axis=-1"
HINT_LS_SHARED_BY_K = (
    "eps is shared by all k classes, k = z.shape[1] (not the number of distinct labels in y): "
    "add eps / k to each, so that each target row sums to 1"
)
HINT_LS_LABELS_AS_ONEHOT = (
    "y holds class numbers, not one-hot rows: (1 - eps) * y[:, None] scales the class "
    "number. Build the one-hot first, np.eye(k)[y], then (1 - eps) * onehot + eps / k"
)


def check_label_smoothing_grad(label_smoothing_grad_fn, quiet=False) -> bool:
    """Check Exercise 6.3: ``label_smoothing_grad(z, y, eps)``, (softmax(z) - y_smooth) / n."""
    z4 = np.array([[1.0, 2.0, 3.0], [2.0, 1.0, 0.1], [0.0, 0.0, 0.0], [1.0, 7.0, 2.0]])
    y4 = np.array([2, 0, 1, 1])
    rng = np.random.default_rng(63)
    z60, y60 = 3.0 * rng.normal(size=(60, 10)), rng.integers(0, 10, 60)
    cases = [
        Case("4 examples x 3 classes, eps = 0.1", (z4, y4, 0.1)),
        Case(
            "one example x 5 classes, eps = 0.2",
            (np.array([[0.5, -1.0, 2.0, 0.0, 1.5]]), np.array([3]), 0.2),
        ),
        Case("eps = 0: no smoothing", (z4, y4, 0.0)),
        Case("eps = 1: a uniform target", (z4, y4, 1.0)),
        Case(
            "large logits (1e3 scale)",
            (np.array([[1000.0, 1000.0, 0.0], [1000.0, 0.0, -1000.0]]), np.array([0, 2]), 0.1),
        ),
        Case("a logit of -inf", (np.array([[0.0, -np.inf, 1.0, 2.0]]), np.array([2]), 0.1)),
        Case("60 examples x 10 classes, eps = 0.05", (z60, y60, 0.05)),
        Case("float32 stays float32", (z4.astype(np.float32), y4, 0.1)),
    ]

    def ignored(z, y, eps):
        return (softmax(z, axis=-1) - _onehot(y, z)) / z.shape[0]

    mistakes = [
        Mistake(
            "you smoothed the predictions, (1 - eps) * softmax(z) + eps / k: smooth the target "
            "instead, y_smooth = (1 - eps) * onehot + eps / k, and return "
            "(softmax(z) - y_smooth) / n",
            lambda z, y, eps: (
                (((1 - eps) * softmax(z, axis=-1) + eps / z.shape[-1]) - _onehot(y, z)) / z.shape[0]
            ),
        ),
        Mistake(HINT_LS_SHARED_BY_K, _ls_variant(lambda o, e, k: (1 - e) * o + e)),
        Mistake(
            HINT_LS_SHARED_BY_K,
            lambda z, y, eps: (
                (softmax(z, axis=-1) - ((1 - eps) * _onehot(y, z) + eps / (np.max(y) + 1)))
                / z.shape[0]
            ),
        ),
        Mistake(
            "eps and 1 - eps are swapped: the one-hot part keeps 1 - eps, and eps / k goes to "
            "every class",
            _ls_variant(lambda o, e, k: e * o + (1 - e) / k),
        ),
        Mistake(
            HINT_LS_OTHER_CONVENTION,
            _ls_variant(lambda o, e, k: (1 - e) * o + e / (k - 1) * (1 - o)),
        ),
        Mistake(HINT_LS_NOT_ON_TRUE, _ls_variant(lambda o, e, k: (1 - e) * o + e / k * (1 - o))),
        Mistake(HINT_LS_NO_SHRINK, _ls_variant(lambda o, e, k: o + e / k)),
        Mistake(HINT_LS_TRUE_CLASS, _ls_variant(lambda o, e, k: (1 - e / k) * o + e / k * (1 - o))),
        Mistake(HINT_LS_ONLY_SHRINK, _ls_variant(lambda o, e, k: (1 - e) * o)),
        Mistake(HINT_LS_IGNORED, ignored),
        Mistake(HINT_LS_SIGN, lambda z, y, eps: -label_smoothing_grad(z, y, eps)),
        Mistake(HINT_LS_SUM, lambda z, y, eps: label_smoothing_grad(z, y, eps) * z.shape[0]),
        Mistake(HINT_LS_NK, lambda z, y, eps: label_smoothing_grad(z, y, eps) / z.shape[-1]),
        Mistake(
            HINT_LS_AXIS0,
            lambda z, y, eps: (
                (softmax(z, axis=0) - ((1 - eps) * _onehot(y, z) + eps / z.shape[-1])) / z.shape[0]
            ),
        ),
        Mistake(
            HINT_LS_LABELS_AS_ONEHOT,
            lambda z, y, eps: (
                (softmax(z, axis=-1) - ((1 - eps) * np.asarray(y)[:, None] + eps / z.shape[-1]))
                / z.shape[0]
            ),
        ),
    ]
    return run_check(
        "Exercise 6.3 label_smoothing_grad",
        label_smoothing_grad_fn,
        label_smoothing_grad,
        cases,
        arg_names=["z", "y", "eps"],
        mistakes=mistakes,
        compare=_array_comparer(),
        warning_hint=WARNING_HINT,
        quiet=quiet,
    )


# -- 6.4 weighted_bce_with_logits -------------------------------------------------------


def _softplus_log(x):
    """softplus with np.log(1 + e) for log1p: 0 beyond |x| = 37 on the small side."""
    return np.maximum(x, 0) + np.log(1 + np.exp(-np.abs(x)))


def _wbce(z, y, w, *, pos=True, neg=False, mean="all", softplus_fn=softplus):
    z, y = np.asarray(z), np.asarray(y)
    w = np.asarray(w, dtype=z.dtype)
    a = softplus_fn(-z) * (w if pos else 1)
    b = softplus_fn(z) * (w if neg else 1)
    terms = y * a + (1 - y) * b
    if mean == "sum":
        return terms.sum()
    if mean == "weights":
        return terms.sum() / np.sum(np.broadcast_to(w, z.shape) * y + (1 - y))
    return terms.mean()


def _wbce_inside_log(z, y, w):
    z, y = np.asarray(z), np.asarray(y)
    w = np.asarray(w, dtype=z.dtype)
    return np.mean(y * (softplus(-z) - np.log(w)) + (1 - y) * softplus(z))


def _naive_wbce(z, y, w):
    p = sigmoid(z)
    return np.mean(-(w * y * np.log(p) + (1 - y) * np.log(1 - p)))


HINT_W_NEGATIVE = (
    "the weight multiplies the wrong term: pos_weight scales the positive examples' term "
    "y * softplus(-z), not the (1 - y) * softplus(z) term"
)
HINT_W_BOTH = (
    "you weighted both terms (the whole loss): only the positive term y * softplus(-z) "
    "gets pos_weight"
)
HINT_W_WEIGHTED_MEAN = (
    "you divided by the sum of the weights: PyTorch's BCEWithLogitsLoss takes the plain "
    "mean over all n * k elements"
)
HINT_W_IGNORED = "you ignored pos_weight: multiply the positive term y * softplus(-z) by it"
HINT_W_INVERTED = "you divided by pos_weight: multiply the positive term by it"
HINT_W_SUM = "that is the sum of the losses: return the mean over every element (n * k of them)"
HINT_W_SWAPPED = "you swapped y and 1 - y: the y = 1 term is softplus(-z) = -log(sigmoid(z))"
HINT_W_LOG_NOT_LOG1P = (
    "np.log(1 + e) with e = exp(-|z|) rounds 1 + e to exactly 1 once e < 1.1e-16 (|z| > 37): "
    "a confidently right example (z = 40 with y = 1) then costs 0 instead of about "
    "e^-40 = 4.2e-18. Use np.log1p(e) in softplus(x) = max(x, 0) + log1p(exp(-|x|))"
)
HINT_W_TORCH_FORM_HALF = (
    "(1 + (w - 1) y) softplus(z) - z y leaves the weight off the last term: w y softplus(-z) "
    "= w y (softplus(z) - z), so the loss is (1 + (w - 1) y) softplus(z) - w z y"
)
HINT_W_CLIPPED = (
    "you clipped the probabilities (as Keras does with eps = 1e-7), which caps the loss of a "
    "confidently wrong prediction (at -log(eps)): compute from the logits with softplus, no "
    "clipping needed"
)
HINT_W_INSIDE_SIMPLIFIED = (
    "the weight went into the simplified form max(z, 0) - z*y + log1p(exp(-|z|)), which "
    "merges the y and 1 - y terms, so weighting one of its pieces gives a wrong (here "
    "negative) loss. Weight the positive term of the unsimplified form: "
    "pos_weight * y * softplus(-z) + (1 - y) * softplus(z)"
)
HINT_W_INSIDE_LOG = (
    "the weight went inside the log, -y * log(pos_weight * sigmoid(z)) = y * (softplus(-z) "
    "- log(pos_weight)), which only subtracts a constant: pos_weight multiplies the term, "
    "pos_weight * y * softplus(-z)"
)
HINT_W_NO_LOG1P = (
    "the log(1 + exp(-|z|)) part of softplus is missing: softplus(x) = max(x, 0) + log1p(exp(-|x|))"
)
HINT_W_NONFINITE = (
    "inf or nan for a large |z|: either log(sigmoid(z)) hit log(0) because sigmoid(z) rounded "
    "to 0 or 1, or exp(z) overflowed to inf in log(1 + exp(z)) (0 * inf is then nan). "
    "Compute from z with softplus(x) = max(x, 0) + log1p(exp(-|x|)): "
    "pos_weight * y * softplus(-z) + (1 - y) * softplus(z)"
)


def _clipped_wbce(z, y, w, eps=1e-7):
    p = np.clip(sigmoid(np.asarray(z, dtype=np.float64)), eps, 1 - eps)
    return float(-np.mean(w * y * np.log(p) + (1 - y) * np.log(1 - p)))


def check_weighted_bce_with_logits(weighted_bce_with_logits_fn, quiet=False) -> bool:
    """Check Exercise 6.4: ``weighted_bce_with_logits(z, y, pos_weight)``, a mean over elements."""
    z = np.array([[2.0, -1.0], [0.5, 3.0], [-2.0, 0.0]])
    y = np.array([[1.0, 0.0], [1.0, 1.0], [0.0, 0.0]])
    z3 = np.array([[0.3, -0.7, 1.2], [-2.5, 0.1, 0.0], [4.0, -3.0, 0.8], [-0.2, 1.5, -1.1]])
    y3 = np.array([[0.0, 1, 1], [0, 0, 1], [1, 0, 1], [1, 1, 0]])
    rng = np.random.default_rng(64)
    z50 = 2.0 * rng.normal(size=(50, 5))
    y50 = (rng.random((50, 5)) < 0.2).astype(np.float64)
    cases = [
        Case("3 examples x 2 labels, one weight per label", (z, y, np.array([3.0, 0.5]))),
        Case("4 examples x 3 labels, one weight for all", (z3, y3, 4.0)),
        Case("pos_weight = 1: the plain loss", (z3, y3, 1.0)),
        Case("50 examples x 5 labels", (z50, y50, np.array([4.0, 1.0, 0.5, 9.0, 2.0]))),
        Case(
            "a 1-D vector (one label)",
            (np.array([1.5, -0.3, 4.0, -2.5]), np.array([1.0, 0, 1, 1]), 9.0),
        ),
        Case(
            "confident and wrong: z = 40 with y = 0, z = -40 with y = 1",
            (np.array([[40.0, -40.0]]), np.array([[0.0, 1.0]]), np.array([2.0, 5.0])),
        ),
        Case(
            "huge logits z = +-1000",
            (
                np.array([[1000.0, -1000.0], [-1000.0, 1000.0]]),
                np.array([[1.0, 0], [1, 0]]),
                np.array([2.0, 3.0]),
            ),
        ),
        Case(
            "confidently right: z = 40, -45 with matching labels (loss about e^-40, not 0)",
            (np.array([[40.0, -45.0]]), np.array([[1.0, 0.0]]), np.array([2.0, 5.0])),
        ),
        Case(
            "float32 stays float32",
            (
                *_f32([[0.5, -1.5, 2.0], [3.0, 0.0, -0.25]], [[1, 0, 0], [1, 1, 0]]),
                np.array([2.0, 1.0, 8.0], dtype=np.float32),
            ),
        ),
    ]
    mistakes = [
        Mistake(
            HINT_W_LOG_NOT_LOG1P,  # first: the clamped and the no-log1p forms also give 0 there
            lambda z, y, w: _wbce(z, y, w, softplus_fn=_softplus_log),
        ),
        Mistake(HINT_W_NONFINITE, _naive_wbce),
        Mistake(HINT_W_NEGATIVE, lambda z, y, w: _wbce(z, y, w, pos=False, neg=True)),
        Mistake(HINT_W_BOTH, lambda z, y, w: _wbce(z, y, w, pos=True, neg=True)),
        Mistake(HINT_W_WEIGHTED_MEAN, lambda z, y, w: _wbce(z, y, w, mean="weights")),
        Mistake(HINT_W_IGNORED, lambda z, y, w: _wbce(z, y, w, pos=False)),
        Mistake(HINT_W_INVERTED, lambda z, y, w: _wbce(z, y, 1 / np.asarray(w, dtype=np.float64))),
        Mistake(HINT_W_SUM, lambda z, y, w: _wbce(z, y, w, mean="sum")),
        Mistake(HINT_W_SWAPPED, lambda z, y, w: _wbce(z, 1 - np.asarray(y), w)),
        Mistake(HINT_W_INSIDE_LOG, _wbce_inside_log),
        Mistake(
            HINT_W_NO_LOG1P,
            lambda z, y, w: np.mean(w * y * np.maximum(-z, 0) + (1 - y) * np.maximum(z, 0)),
        ),
        Mistake(
            HINT_W_INSIDE_SIMPLIFIED,
            lambda z, y, w: np.mean(np.maximum(z, 0) - w * z * y + np.log1p(np.exp(-np.abs(z)))),
        ),
        Mistake(
            HINT_W_TORCH_FORM_HALF,
            lambda z, y, w: np.mean((1 + (np.asarray(w) - 1) * y) * softplus(z) - z * y),
        ),
        Mistake(HINT_W_CLIPPED, _clipped_wbce),
    ]
    return run_check(
        "Exercise 6.4 weighted_bce_with_logits",
        weighted_bce_with_logits_fn,
        weighted_bce_with_logits,
        cases,
        arg_names=["z", "y", "pos_weight"],
        mistakes=mistakes,
        atol=1e-300,  # relative: a loss of 1e-17 computed as 0 is 100% off
        compare=_array_value_comparer(),
        warning_hint=WARNING_HINT,
        quiet=quiet,
    )


def _array_value_comparer():
    """One number in z's dtype (float32 in, float32 out); an array gets the one-number hint."""
    return comparer(
        rtol32=2e-5,
        atol32=1e-6,
        nonfinite_hint=HINT_W_NONFINITE,
        one_number_hint=HINT_ONE_NUMBER,
    )
