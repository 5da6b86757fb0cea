"""Checks for lesson 05, Multi-label vs multi-class.

5.1 ``my_choices`` (head, loss and decision rule for six problems), 5.2 ``bce_with_logits``,
5.3 ``cross_entropy_with_logits``, 5.4 the prediction rules ``predict_multilabel``
and ``predict_multiclass``, 5.5 ``grad_logits``. References: :mod:`helpers.losses`
(including :func:`helpers.losses.bce_with_logits_grad` for the sigmoid head's gradient).
"""

from __future__ import annotations

import numpy as np

from ..losses import (
    bce_with_logits,
    bce_with_logits_grad,
    cross_entropy_with_logits,
    softmax_cross_entropy_grad,
)
from ..sigmoid import sigmoid, softplus
from ..softmax import log_softmax, logsumexp, softmax
from ..training import grad_logits_reference
from ._core import (
    OVERFLOW_HINT,
    Case,
    Judgement,
    Kind,
    Mistake,
    Outcome,
    comparer,
    fmt,
    matching_mistake,
    raised_problem,
    run_check,
    run_judge,
    safe_str,
)

__all__ = [
    "check_my_choices",
    "check_bce_with_logits",
    "check_cross_entropy_with_logits",
    "check_predict_multilabel",
    "check_predict_multiclass",
    "check_prediction_rules",
    "check_grad_logits",
]

# -- hints (named, so the tests can look for them) ---------------------------------------

PROBLEM_HINTS = {
    "spam": (
        "spam or not is a single yes/no question per email (lesson 04: two equivalent "
        "heads can answer it)"
    ),
    "digit": (
        "can one handwritten digit be a 3 and a 7 at the same time? When exactly one class "
        "is true, raising one class's probability should lower the others'"
    ),
    "genres": (
        "can a film be a comedy and a romance at once, or none of the 20 genres? "
        "Think about whether one genre's probability should push the others down"
    ),
    "xray": (
        "can one X-ray show no finding, one, or several at once (an effusion and an "
        "enlarged heart)? Which head can say 'two at once' and 'none of the above'?"
    ),
    "iris": (
        "can one flower belong to two species? If exactly one answer is always true, "
        "should the probabilities compete and sum to 1?"
    ),
    "apple": (
        "the sentence asks two questions, fruit? and brand?: can both be yes (a pun), "
        "or neither? Are the two answers tied to each other?"
    ),
}


PROBLEM_IDS = tuple(PROBLEM_HINTS)
HEAD_NAMES = ("sigmoid", "softmax")
LOSS_NAMES = ("binary_cross_entropy", "cross_entropy")
RULE_NAMES = ("threshold", "argmax")
#: The three choices that belong together, one triple per head.
_TRIPLES = {
    "sigmoid": ("sigmoid", "binary_cross_entropy", "threshold"),
    "softmax": ("softmax", "cross_entropy", "argmax"),
}


# -- shared machinery -------------------------------------------------------------------


def _matching_hint(got, mistakes, case):
    """The hint of the first mistake whose output equals ``got``, or None."""
    found = matching_mistake(got, mistakes, case, atol=1e-12)
    return found.hint if found is not None else None


def _value_comparer(one_number_hint=None, nonfinite_hint=OVERFLOW_HINT):
    """compare_arrays with float32 tolerances and a hint for an array where one number is due."""
    return comparer(
        rtol32=2e-5,
        atol32=1e-6,
        nonfinite_hint=nonfinite_hint,
        one_number_hint=one_number_hint,
    )


def _f32(*arrays):
    return tuple(np.asarray(a, dtype=np.float32) for a in arrays)


# -- 5.1 my_choices ----------------------------------------------------------------------

#: The heads that fit each problem (spam: both, lesson 04).
_ANSWERS = {
    "spam": {"sigmoid", "softmax"},
    "digit": {"softmax"},
    "genres": {"sigmoid"},
    "xray": {"sigmoid"},
    "iris": {"softmax"},
    "apple": {"sigmoid"},
}


_PARTS = ("head", "loss", "rule")


def _form_problem(value):
    """Why ``value`` is not a (head, loss, rule) triple of known names, or None."""
    if not isinstance(value, (tuple, list)) or len(value) != 3:
        return f"give a triple (head, loss, rule), e.g. ('...', '...', '...'); got {fmt(value, 60)}"
    for item, names, what in zip(value, (HEAD_NAMES, LOSS_NAMES, RULE_NAMES), _PARTS):
        if not isinstance(item, str) or item.strip().lower() not in names:
            return f"the {what} must be one of {names}; got {fmt(item, 40)}"
    return None


def _normalised(value):
    return tuple(v.strip().lower() for v in value)


HINT_MISMATCHED_PAIR = (
    "the head, the loss and the rule must belong together: one sigmoid per label goes with "
    "binary cross-entropy and a threshold per label; a softmax over the classes goes with "
    "(categorical) cross-entropy and the argmax"
)


def _judge_choices(got) -> Judgement:
    """The judge of 5.1: the form of every answer first, then the heads, counted."""
    if not isinstance(got, dict):
        return Judgement(
            False,
            f"returned {fmt(got, 80)}, expected a dict",
            [
                "    hint:     return a dict {problem id: (head, loss, rule)} "
                f"with the ids {PROBLEM_IDS}"
            ],
        )
    unknown = sorted(safe_str(k) for k in got if k not in PROBLEM_HINTS)
    if unknown:
        return Judgement(
            False,
            f"unknown problem id(s) {', '.join(unknown)}",
            [f"    hint:     the ids are {PROBLEM_IDS}"],
        )
    for pid in PROBLEM_IDS:  # the form first: these reports give nothing away
        reason = "missing: give a (head, loss, rule) triple" if pid not in got else None
        reason = reason or _form_problem(got[pid])
        if reason is None and _normalised(got[pid]) not in _TRIPLES.values():
            reason = HINT_MISMATCHED_PAIR
        if reason:
            return Judgement(False, f"{pid}: {reason}")
    wrong = [pid for pid in PROBLEM_IDS if _normalised(got[pid])[0] not in _ANSWERS[pid]]
    if wrong:
        n = len(wrong)
        return Judgement(
            False,
            f"{n} of {len(PROBLEM_IDS)} problems need another head (and with it loss and rule)"
            if n > 1
            else f"1 of {len(PROBLEM_IDS)} problems needs another head (and with it loss and rule)",
            [
                f"    to reconsider first, {wrong[0]}: {PROBLEM_HINTS[wrong[0]]}",
                "    ask of every problem: can two of its answers be true at once?",
            ],
        )
    spam_softmax = _normalised(got["spam"])[0] == "softmax"
    return Judgement(
        True,
        f"all {len(PROBLEM_IDS)} problems have the right head, loss and rule",
        [
            "    note: a two-class softmax for spam is right (lesson 04: it equals one "
            "sigmoid); one sigmoid output is the usual, leaner choice"
        ]
        if spam_softmax
        else [],
    )


def check_my_choices(my_choices, quiet=False) -> bool:
    """Check Exercise 5.1: ``my_choices()`` maps each problem id to a (head, loss, rule) triple.

    Format slips and triples whose parts do not belong together are named per
    problem (they reveal nothing). Wrong choices are only counted, with a
    conceptual hint for the first of them: the report never says which choice
    is right, so trying both heads costs more runs than thinking.
    """
    return run_judge("Exercise 5.1 my_choices", _judge_choices, my_choices, quiet=quiet)


# -- 5.2 bce_with_logits -----------------------------------------------------------------


def _naive_bce(z, y, eps=0.0, clamp=None):
    p = 1 / (1 + np.exp(-z))
    if eps:
        p = np.clip(p, eps, 1 - eps)
    log_p, log_q = np.log(p), np.log(1 - p)
    if clamp is not None:
        log_p, log_q = np.maximum(log_p, clamp), np.maximum(log_q, clamp)
    return np.mean(-(y * log_p + (1 - y) * log_q))


def _bce_terms(z, y):
    return bce_with_logits(z, y, reduction="none")


WARNING_HINT = (
    "an intermediate step overflowed or divided by zero: a stable formula never "
    "exponentiates a large positive number (np.where computes both branches, so the "
    "branch it discards can still overflow)"
)
HINT_BCE_NONFINITE = (
    "inf or nan: either log(sigmoid(z)) hit log(0), because sigmoid(z) rounds to exactly 0 "
    "or 1 for large |z| (already at z = 40), or exp(z) overflowed to inf in log(1 + exp(z)) "
    "(for z above 709; 0 * inf is then nan), or the logits z were used as if they were "
    "probabilities (a log of a negative number). Compute from z with the stable form "
    "max(z, 0) - z*y + log(1 + exp(-|z|)), using np.log1p"
)
HINT_BCE_TWICE = (
    "you applied the sigmoid first and then a loss that applies it again: "
    "bce_with_logits takes the logits z themselves"
)
HINT_BCE_CLIPPED = (
    "you clipped the probabilities (as Keras does with eps = 1e-7, or sklearn with 1e-15), "
    "which caps the loss of a confidently wrong prediction (at -log(eps)): compute from "
    "the logits instead, no clipping needed"
)
HINT_BCE_CLAMPED = (
    "the loss is capped at 100: by clamping each log at -100 (PyTorch's BCELoss does) or by "
    "clipping the logits to [-100, 100]. Compute from the logits as they are: the stable form "
    "never needs a cap"
)
HINT_BCE_ONE_SOFTPLUS = (
    "both terms use softplus(-z), so y drops out: the y = 1 term is softplus(-z) = "
    "-log sigmoid(z), the y = 0 term is softplus(z) = -log(1 - sigmoid(z))"
)
HINT_BCE_SUM = "that is the sum of the losses: return the mean over every element (n * k of them)"
HINT_BCE_LABEL_SUM = (
    "you summed over the labels and averaged over the examples, a fine loss, but k times "
    "this exercise's one: take the mean over all n * k elements (PyTorch's default)"
)
HINT_BCE_EXAMPLE_SUM = (
    "you averaged over the labels but summed over the examples: take the mean over all elements"
)
HINT_BCE_SIGN = (
    "the sign of the z*y term is flipped: the loss is max(z, 0) - z*y + log1p(exp(-|z|))"
)
HINT_BCE_SWAPPED = "you swapped y and 1 - y: the y = 1 term is -log(sigmoid(z))"
HINT_BCE_NO_LOG1P = (
    "the term log(1 + exp(-|z|)) is missing: max(z, 0) - z*y alone is only its large-|z| limit"
)
HINT_BCE_LOG_NOT_LOG1P = (
    "np.log(1 + e) with e = exp(-|z|) rounds 1 + e to exactly 1 once e < 1.1e-16 (|z| > 37): "
    "a confidently right example (z = 40 with y = 1) then costs 0 instead of about "
    "e^-40 = 4.2e-18, and a batch of them has loss 0. Use np.log1p(e), which keeps those digits"
)
HINT_BCE_SOFTPLUS_CANCELS = (
    "softplus(z) - z*y is right on paper, but for a confidently right example (z = 40 with "
    "y = 1) it subtracts two numbers near 40, and the loss of about e^-40 = 4.2e-18 cancels "
    "to 0. Use max(z, 0) - z*y + log1p(exp(-|z|)): the large parts cancel exactly before "
    "the small term is added"
)
HINT_BCE_NAIVE_SOFTPLUS = (
    "np.log(1 + np.exp(z)) is softplus written naively: exp(z) overflows to inf once "
    "z > 709 (here z = 1000). Use the stable max(z, 0) + log1p(exp(-|z|))"
)
HINT_BCE_EXP_NOT_ABS = (
    "exp(-z) where the formula has exp(-|z|): for negative z, exp(-z) is large (it overflows "
    "at z = -1000) and the term is wrong. Take the absolute value, np.exp(-np.abs(z))"
)
HINT_BCE_SOFTMAX = (
    "that is a softmax cross-entropy over the labels: in multi-label each label has its own "
    "sigmoid and its own binary loss"
)
HINT_BCE_ONE_NUMBER = (
    "the loss is one number: the mean over all n * k elements, not one value per example"
)


def check_bce_with_logits(bce_with_logits_fn, quiet=False) -> bool:
    """Check Exercise 5.2: ``bce_with_logits(z, y)``, the mean over all elements."""
    cases = [
        Case(
            "3 examples x 2 labels",
            (
                # one label against its logit's sign (z = 0.5, y = 0): with every label on its
                # logit's side, exp(-z) for exp(-|z|) and softplus(-z) for both terms agree
                np.array([[2.0, -1.0], [0.5, 3.0], [-2.0, 0.0]]),
                np.array([[1.0, 0], [0, 1], [0, 0]]),
            ),
        ),
        Case(
            "4 examples x 3 labels",
            (
                np.array([[0.3, -0.7, 1.2], [-2.5, 0.1, 0.0], [4.0, -3.0, 0.8], [-0.2, 1.5, -1.1]]),
                np.array([[0.0, 1, 1], [0, 0, 1], [1, 0, 1], [1, 1, 0]]),
            ),
        ),
        Case(
            "a 1-D vector (one label per example)",
            (np.array([1.5, -0.3, 4.0, -2.5]), np.array([1.0, 0.0, 1.0, 1.0])),
        ),
        Case(
            "confident and wrong: z = 40 with y = 0, z = -40 with y = 1",
            (np.array([[40.0, -40.0]]), np.array([[0.0, 1.0]])),
        ),
        Case(
            "huge logits z = +-1000",
            (np.array([[1000.0, -1000.0], [-1000.0, 1000.0]]), np.array([[1.0, 0], [1, 0]])),
        ),
        Case(
            "confidently right: z = 40, -45, 50 with matching labels (loss about e^-40, not 0)",
            (np.array([[40.0, -45.0, 50.0]]), np.array([[1.0, 0.0, 1.0]])),
        ),
        Case(
            "float32 stays float32",
            _f32([[0.5, -1.5, 2.0], [3.0, 0.0, -0.25]], [[1, 0, 0], [1, 1, 0]]),
        ),
        Case("a single element", (np.array([[0.0]]), np.array([[1.0]]))),
    ]

    def per_example_sum(z, y):
        return _bce_terms(z, y).sum(axis=-1).mean()

    def per_label_mean_summed(z, y):
        return _bce_terms(z, y).mean(axis=-1).sum()

    mistakes = [
        Mistake(
            HINT_BCE_LOG_NOT_LOG1P,  # first: the clamped and the no-log1p forms also give 0 there
            lambda z, y: np.mean(np.maximum(z, 0) - z * y + np.log(1 + np.exp(-np.abs(z)))),
        ),
        Mistake(HINT_BCE_TWICE, lambda z, y: bce_with_logits(sigmoid(z), y)),
        Mistake(HINT_BCE_CLIPPED, lambda z, y: _naive_bce(z, y, eps=1e-7)),
        Mistake(HINT_BCE_CLIPPED, lambda z, y: _naive_bce(z, y, eps=1e-15)),
        Mistake(HINT_BCE_CLAMPED, lambda z, y: _naive_bce(z, y, clamp=-100.0)),
        Mistake(HINT_BCE_SUM, lambda z, y: bce_with_logits(z, y, reduction="sum")),
        Mistake(HINT_BCE_LABEL_SUM, per_example_sum),
        Mistake(HINT_BCE_EXAMPLE_SUM, per_label_mean_summed),
        Mistake(HINT_BCE_SIGN, lambda z, y: np.mean(softplus(z) + z * y)),
        Mistake(HINT_BCE_SWAPPED, lambda z, y: bce_with_logits(z, 1 - y)),
        Mistake(HINT_BCE_ONE_SOFTPLUS, lambda z, y: np.mean(softplus(-z) + 0 * y)),
        Mistake(HINT_BCE_ONE_SOFTPLUS, lambda z, y: np.mean(softplus(z) + 0 * y)),
        Mistake(HINT_BCE_NO_LOG1P, lambda z, y: np.mean(np.maximum(z, 0) - z * y)),
        Mistake(HINT_BCE_SOFTPLUS_CANCELS, lambda z, y: np.mean(softplus(z) - z * y)),
        Mistake(HINT_BCE_NAIVE_SOFTPLUS, lambda z, y: np.mean(np.log(1 + np.exp(z)) - z * y)),
        Mistake(HINT_BCE_NAIVE_SOFTPLUS, lambda z, y: np.mean(np.log1p(np.exp(z)) - z * y)),
        Mistake(
            HINT_BCE_EXP_NOT_ABS,
            lambda z, y: np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-z))),
        ),
        Mistake(
            HINT_BCE_SOFTMAX, lambda z, y: np.mean(-np.sum(y * log_softmax(z, axis=-1), axis=-1))
        ),
        Mistake(HINT_BCE_SOFTMAX, lambda z, y: np.mean(-y * log_softmax(z, axis=-1))),
    ]
    return run_check(
        "Exercise 5.2 bce_with_logits",
        bce_with_logits_fn,
        bce_with_logits,
        cases,
        arg_names=["z", "y"],
        mistakes=mistakes,
        atol=1e-300,  # relative: a loss of 1.4e-18 computed as 0 is 100% off
        compare=_value_comparer(HINT_BCE_ONE_NUMBER, HINT_BCE_NONFINITE),
        warning_hint=WARNING_HINT,
        quiet=quiet,
    )


# -- 5.3 cross_entropy_with_logits -------------------------------------------------------


def _pick(a, y):
    return a[np.arange(len(y)), y]


HINT_CE_NONFINITE = (
    "inf or nan: exp of a large logit overflowed, or log(softmax) took the log of a "
    "probability that rounded to 0. Use log-sum-exp: LSE(z) - z[true class], with "
    "LSE(z) = m + log(sum(exp(z - m))) and m the row's maximum"
)
HINT_CE_ZERO_TIMES_INF = (
    "nan from 0 * -inf: multiplying a one-hot row by log-probabilities that contain -inf "
    "(a logit of -inf is legal). Pick the true class's entry instead: z[np.arange(n), y]"
)
HINT_CE_SUM = "that is the sum over the examples: return the mean over the n examples"
HINT_CE_MEAN_CLASSES = (
    "you also averaged over the k classes (np.mean of a one-hot product): each example's "
    "loss is a sum over its classes, then take the mean over the n examples only"
)
HINT_CE_AXIS0 = (
    "the log-sum-exp ran over the examples (axis=0): each example normalises over its own "
    "k classes, axis=-1 (or axis=1)"
)
HINT_CE_COLUMNS = (
    "z[:, y] picks whole columns, an (n, n) array: pick one entry per row with z[np.arange(n), y]"
)
HINT_CE_LABEL_WEIGHTS = (
    "y holds class numbers, not one-hot rows: y[:, None] * log_softmax(z) weights every class "
    "by the label's number. Pick the true class's entry, log_softmax(z)[np.arange(n), y]"
)
HINT_CE_NO_LSE = "the log-sum-exp term is missing: the loss is LSE(z) - z[true class]"
HINT_CE_SIGN = "the sign is flipped: the loss is -log softmax(z)[y] = LSE(z) - z[y], never negative"
HINT_CE_BCE = (
    "that is binary cross-entropy on one-hot targets (a sigmoid per class): for exclusive "
    "classes use the softmax cross-entropy"
)
HINT_CE_TWICE = (
    "you applied softmax and then a loss that applies it again: the loss takes the logits z"
)
HINT_CE_FORGOT_MAX = (
    "you subtracted the max m inside the exponent but did not add it back: "
    "LSE(z) = m + log(sum(exp(z - m)))"
)
HINT_CE_GLOBAL_MAX = (
    "one maximum for the whole batch (z.max() without an axis): a row far below the batch's "
    "maximum underflows, its exp(z - m) are all 0 and log(0) = -inf. Subtract each row's "
    "own maximum, z.max(axis=1, keepdims=True)"
)
HINT_CE_ONE_NUMBER = (
    "the loss is one number: the mean over the n examples, not one value per example"
)


def check_cross_entropy_with_logits(cross_entropy_with_logits_fn, quiet=False) -> bool:
    """Check Exercise 5.3: ``cross_entropy_with_logits(z, y)``, the mean over examples."""
    cases = [
        Case(
            "4 examples x 3 classes",
            (
                np.array([[1.0, 2.0, 3.0], [2.0, 1.0, 0.1], [0.0, 0.0, 0.0], [1.0, 7.0, 2.0]]),
                np.array([2, 0, 1, 1]),
            ),
        ),
        Case("one example", (np.array([[1.0, 7.0, 2.0]]), np.array([0]))),
        Case(
            "5 examples x 2 classes",
            (
                np.array([[0.5, -0.5], [2.0, 1.0], [-1.0, 3.0], [0.0, 0.0], [4.0, -2.0]]),
                np.array([0, 1, 1, 0, 1]),
            ),
        ),
        Case(
            "large logits (1e3 scale)",
            (np.array([[1000.0, 1000.0, 0.0], [1000.0, 0.0, -1000.0]]), np.array([0, 2])),
        ),
        Case(
            "rows of very different scale: [[1000, 0], [-1000, -1001]]",
            (np.array([[1000.0, 0.0], [-1000.0, -1001.0]]), np.array([0, 0])),
        ),
        Case(
            "a logit of -inf for a wrong class",
            (np.array([[0.0, -np.inf, 1.0], [2.0, 0.5, -np.inf]]), np.array([0, 1])),
        ),
        Case(
            "the true class ruled out (logit -inf): the loss is inf",
            (np.array([[0.0, -np.inf, 1.0], [2.0, 0.5, 0.0]]), np.array([1, 0])),
        ),
        Case(
            "float32 stays float32",
            (np.array([[0.2, -1.0, 3.0], [1.5, 1.5, 0.0]], dtype=np.float32), np.array([2, 0])),
        ),
    ]

    def axis0(z, y):
        return -np.mean(_pick(z - logsumexp(z, axis=0, keepdims=True), y))

    def global_max(z, y):
        m = z.max()  # one number for the whole batch
        lse = m + np.log(np.sum(np.exp(z - m), axis=-1))
        return np.mean(lse - _pick(z, y))

    def forgot_max(z, y):
        m = z.max(axis=-1)
        return -np.mean(_pick(z, y) - (logsumexp(z, axis=-1) - m))

    mistakes = [
        Mistake(HINT_CE_SUM, lambda z, y: cross_entropy_with_logits(z, y, reduction="sum")),
        Mistake(HINT_CE_MEAN_CLASSES, lambda z, y: cross_entropy_with_logits(z, y) / z.shape[-1]),
        Mistake(HINT_CE_AXIS0, axis0),
        Mistake(HINT_CE_COLUMNS, lambda z, y: -np.mean(log_softmax(z, axis=-1)[:, y])),
        Mistake(HINT_CE_NO_LSE, lambda z, y: -np.mean(_pick(z, y))),
        Mistake(HINT_CE_SIGN, lambda z, y: -cross_entropy_with_logits(z, y)),
        Mistake(
            HINT_CE_BCE, lambda z, y: bce_with_logits(z, np.eye(z.shape[-1], dtype=z.dtype)[y])
        ),
        Mistake(HINT_CE_TWICE, lambda z, y: cross_entropy_with_logits(softmax(z, axis=-1), y)),
        Mistake(HINT_CE_FORGOT_MAX, forgot_max),
        Mistake(HINT_CE_GLOBAL_MAX, global_max),
        Mistake(
            HINT_CE_LABEL_WEIGHTS,
            lambda z, y: -np.mean(np.sum(y[:, None] * log_softmax(z, axis=-1), axis=-1)),
        ),
    ]
    zero_times_inf = [
        Mistake(
            HINT_CE_ZERO_TIMES_INF,
            lambda z, y: (
                -np.mean(np.sum(np.eye(z.shape[-1])[y] * log_softmax(z, axis=-1), axis=-1))
            ),
        )
    ]
    return run_check(
        "Exercise 5.3 cross_entropy_with_logits",
        cross_entropy_with_logits_fn,
        cross_entropy_with_logits,
        cases,
        arg_names=["z", "y"],
        mistakes=[*zero_times_inf, *mistakes],
        compare=_value_comparer(HINT_CE_ONE_NUMBER, HINT_CE_NONFINITE),
        warning_hint=WARNING_HINT,
        quiet=quiet,
    )


# -- 5.4 the prediction rules ------------------------------------------------------------


def _predict_multilabel(p, threshold=0.5):
    return np.asarray(p) >= threshold


def _predict_multiclass(p):
    return np.argmax(p, axis=-1)


def _threshold_shape_report(exc, case):
    """A broadcast error with one threshold per label: the thresholds' shape is the slip."""
    threshold = case.kwargs.get("threshold", case.args[1] if len(case.args) > 1 else 0.5)
    if isinstance(exc, ValueError) and np.ndim(threshold) > 0 and "broadcast" in safe_str(exc):
        return Outcome(
            False, raised_problem(exc), None, None, HINT_ML_THRESHOLD_SHAPE, kind=Kind.RAISED
        )
    return None


_compare_values = comparer()


HINT_ML_NOT_BINARY = (
    "return the decisions (True/False or 0/1), not probabilities: p >= threshold, elementwise"
)
HINT_ML_THRESHOLD_SHAPE = (
    "a per-label threshold has shape (k,), one per column of p (n, k): it already lines up "
    "with the last axis, so compare p >= threshold as they are (threshold[:, None] or "
    ".reshape(-1, 1) puts the labels on the example axis)"
)
HINT_MC_AXIS = (
    "the argmax ran over the wrong axis: the classes are on the last axis, so use axis=-1 "
    "(one class index per example)"
)
HINT_MC_FLAT = (
    "np.argmax without an axis flattens the whole array: give axis=-1 to get one class per row"
)
HINT_MC_THRESHOLD = (
    "a threshold per class is the multi-label rule: for exclusive classes predict the one "
    "class with the largest probability (argmax), as an integer index"
)
HINT_MC_ONE_HOT = "return the class index (0..k-1) of each row, not a one-hot row"
HINT_MC_NOT_INT = "class indices are integers: np.argmax already returns them, do not convert"
HINT_MC_KEEPDIMS = (
    "a column of shape (n, 1), as keepdims=True leaves it: return one class index per "
    "example, shape (n,), np.argmax(p, axis=-1)"
)
HINT_MC_MAX_VALUE = (
    "that is the largest probability of each row, np.max: the prediction is its position, "
    "the class index np.argmax(p, axis=-1)"
)
HINT_ML_SIGNS = (
    "those are signs (-1, 0, 1), as np.sign(p - threshold) gives: return the decisions "
    "p >= threshold (True/False or 0/1)"
)


def _compare_decisions(kind):
    """Compare 0/1 decisions (``kind="bool"``) or class indices (``kind="int"``)."""

    def compare(got, want, *, rtol, atol, mistakes, case):
        want = np.asarray(want)
        if got is None or isinstance(got, (list, tuple)):
            return _compare_values(got, want, rtol=rtol, atol=atol, case=case)
        if isinstance(got, (bool, int, float)) and not isinstance(got, np.generic):
            got = np.asarray(got)
        if not isinstance(got, (np.ndarray, np.generic)):
            return Outcome(
                False, f"returned a {type(got).__name__}", got, want, "return a NumPy array"
            )
        got = np.asarray(got)
        if got.dtype.kind not in "biuf":
            return Outcome(
                False,
                f"returned an array of dtype {got.dtype}",
                got,
                want,
                "return numbers or booleans",
            )
        if got.shape != want.shape:
            hint = _matching_hint(got, mistakes, case)
            if hint is None and kind == "int" and got.ndim == 0:
                hint = HINT_MC_FLAT
            if hint is None and kind == "int" and got.shape == want.shape + (1,):
                hint = HINT_MC_KEEPDIMS
            if hint is None and kind == "int" and got.shape == want.shape + case.args[0].shape[-1:]:
                hint = HINT_MC_ONE_HOT if got.dtype.kind in "biu" else HINT_MC_THRESHOLD
            if hint is None and kind == "int":
                hint = HINT_MC_AXIS
            return Outcome(
                False,
                f"returned shape {got.shape}, expected {want.shape}",
                got,
                want,
                hint or "return one decision per probability: the same shape as p",
            )
        if kind == "bool" and got.dtype.kind != "b" and not np.isin(got, (0, 1)).all():
            signs = np.isin(got, (-1, 0, 1)).all() and (got == -1).any()
            return Outcome(
                False,
                "returned values other than 0 and 1",
                got,
                want,
                HINT_ML_SIGNS if signs else HINT_ML_NOT_BINARY,
            )
        if kind == "int":
            if got.dtype.kind == "b":
                return Outcome(False, "returned True/False", got, want, HINT_MC_THRESHOLD)
            if got.dtype.kind == "f":
                p = np.asarray(case.args[0])
                largest = np.array_equal(got, np.max(p, axis=-1))
                hint = HINT_MC_MAX_VALUE if largest else HINT_MC_NOT_INT
                return Outcome(False, f"returned dtype {got.dtype}", got, want, hint)
        same = (
            np.array_equal(got.astype(bool), want) if kind == "bool" else np.array_equal(got, want)
        )
        if same:
            return Outcome(True)
        n_wrong = int(np.sum(got.astype(want.dtype) != want))
        return Outcome(
            False,
            f"returned wrong decisions: {n_wrong} of {want.size}"
            if kind == "bool"
            else f"returned wrong class indices: {n_wrong} of {want.size}",
            got,
            want,
            _matching_hint(got, mistakes, case) or "compare your rule with the one stated above",
        )

    return compare


def _one_hot_argmax(p, threshold=0.5):
    p = np.asarray(p)
    return np.argmax(p, axis=-1)[..., None] == np.arange(p.shape[-1])


HINT_ML_STRICT = (
    "at p exactly equal to the threshold your rule says no: this course's rule is "
    "p >= threshold (ties count as positive)"
)
HINT_ML_DIRECTION = (
    "the comparison points the wrong way: a label is predicted when its probability is "
    "at least the threshold"
)
HINT_ML_FIXED = (
    "you ignored the `threshold` argument (0.5 hard-coded, or np.round): compare with it"
)
HINT_ML_ARGMAX = (
    "that predicts exactly one label per row (argmax), the multi-class rule: in multi-label "
    "each label is decided on its own, so a row may get none, one or several"
)
HINT_ML_SIGMOID = (
    "every label came out predicted, as if p were logits compared with 0: sigmoid(p) >= 1/2 "
    "for every p >= 0, and so is p >= log(t / (1 - t)) at t = 0.5. p is already a "
    "probability: compare p itself with the threshold"
)
HINT_ML_MEAN_THRESHOLD = (
    "you reduced the per-label thresholds to one number: compare each label with its own, "
    "p >= threshold broadcasts a (k,) threshold over the rows"
)
HINT_ML_SOFTMAX = (
    "you put the probabilities through a softmax first: that makes the labels compete; "
    "compare each p with the threshold as it is"
)


def check_predict_multilabel(predict_multilabel, quiet=False) -> bool:
    """Check Exercise 5.4, first part: ``predict_multilabel(p, threshold)``, p >= threshold."""
    p = np.array([[0.1, 0.6, 0.8], [0.7, 0.2, 0.55], [0.05, 0.3, 0.45], [0.9, 0.95, 0.7]])
    cases = [
        Case("4 examples x 3 labels, default threshold", (p,)),
        Case("threshold 0.3, one p exactly 0.3", (p,), {"threshold": 0.3}),
        Case("p exactly at the threshold 0.5", (np.array([[0.5, 0.49, 0.51], [0.2, 0.5, 0.5]]),)),
        Case("threshold 0.8, some p exactly 0.8", (p,), {"threshold": 0.8}),
        Case("one threshold per label", (p,), {"threshold": np.array([0.2, 0.5, 0.75])}),
        Case("no label at all ('none of the above')", (np.array([[0.01, 0.2, 0.4]]),)),
        Case("every label predicted", (np.array([[0.6, 0.9, 0.51], [0.7, 0.55, 0.99]]),)),
        Case(
            "p just below the threshold: 0.499, 0.4999, 0.49999 (not rounded up)",
            (np.array([[0.499, 0.4999, 0.49999], [0.501, 0.5, 0.2]]),),
        ),
        Case("one example, p of shape (k,)", (np.array([0.6, 0.3, 0.9]),)),
        Case("float32 probabilities", (np.array([[0.25, 0.75], [0.5, 0.125]], dtype=np.float32),)),
    ]
    mistakes = [
        # first: on the per-label case the mean threshold (0.48) decides as 0.5 does
        Mistake(HINT_ML_MEAN_THRESHOLD, lambda p, threshold=0.5: p >= np.mean(threshold)),
        Mistake(HINT_ML_MEAN_THRESHOLD, lambda p, threshold=0.5: p >= np.max(threshold)),
        Mistake(HINT_ML_MEAN_THRESHOLD, lambda p, threshold=0.5: p >= np.min(threshold)),
        Mistake(HINT_ML_FIXED, lambda p, threshold=0.5: np.asarray(p) >= 0.5),
        Mistake(HINT_ML_FIXED, lambda p, threshold=0.5: np.round(p)),
        Mistake(HINT_ML_STRICT, lambda p, threshold=0.5: np.asarray(p) > threshold),
        Mistake(HINT_ML_DIRECTION, lambda p, threshold=0.5: np.asarray(p) <= threshold),
        Mistake(HINT_ML_DIRECTION, lambda p, threshold=0.5: np.asarray(p) < threshold),
        Mistake(HINT_ML_ARGMAX, _one_hot_argmax),
        Mistake(
            HINT_ML_SOFTMAX, lambda p, threshold=0.5: softmax(np.asarray(p), axis=-1) >= threshold
        ),
        Mistake(HINT_ML_SIGMOID, lambda p, threshold=0.5: sigmoid(np.asarray(p)) >= threshold),
    ]
    return run_check(
        "Exercise 5.4 predict_multilabel",
        predict_multilabel,
        _predict_multilabel,
        cases,
        arg_names=["p", "threshold"],
        mistakes=mistakes,
        compare=_compare_decisions("bool"),
        on_raise=_threshold_shape_report,
        quiet=quiet,
    )


HINT_MC_ONE_BASED = (
    "those are the class numbers plus 1: classes are numbered from 0 here, as np.argmax "
    "numbers them, so do not add 1"
)
HINT_MC_ARGMIN = "that is the least likely class: predict the most likely one, np.argmax"
HINT_MC_THRESHOLD_ARGMAX = (
    "you thresholded at 0.5 and then took the argmax of the decisions: a row where no class "
    "reaches 0.5 becomes class 0 and ties go to the first. For exclusive classes take the "
    "argmax of the probabilities themselves"
)


def check_predict_multiclass(predict_multiclass, quiet=False) -> bool:
    """Check Exercise 5.4, second part: ``predict_multiclass(p)``, argmax over the last axis."""
    cases = [
        Case(
            "4 examples x 3 classes",
            (np.array([[0.2, 0.5, 0.3], [0.7, 0.2, 0.1], [0.1, 0.1, 0.8], [0.3, 0.4, 0.3]]),),
        ),
        Case(
            "3 examples x 3 classes (a square array)",
            (np.array([[0.1, 0.3, 0.6], [0.5, 0.4, 0.1], [0.2, 0.7, 0.1]]),),
        ),
        Case("logits work too", (np.array([[1.0, 7.0, 2.0], [-3.0, -1.0, -2.0]]),)),
        Case("one example, p of shape (k,)", (np.array([0.2, 0.8]),)),
        Case(
            "a batch of batches, shape (2, 2, 3)",
            (np.array([[[0.1, 0.2, 0.7], [0.6, 0.3, 0.1]], [[0.3, 0.4, 0.3], [0.2, 0.2, 0.6]]]),),
        ),
        Case("float32 input", (np.array([[0.6, 0.4], [0.4, 0.6]], dtype=np.float32),)),
        Case(
            "ties: the first of the largest entries wins, as in np.argmax",
            (np.array([[0.4, 0.4, 0.2], [0.2, 0.4, 0.4], [0.25, 0.25, 0.5]]),),
        ),
    ]
    mistakes = [
        Mistake(
            "on a tie this course's rule (like np.argmax) picks the first of the largest "
            "entries; yours picks another one of them",
            lambda p: np.asarray(p).shape[-1] - 1 - np.argmax(np.asarray(p)[..., ::-1], axis=-1),
        ),
        Mistake(HINT_MC_AXIS, lambda p: np.argmax(p, axis=0)),
        Mistake(HINT_MC_AXIS, lambda p: np.argmax(p, axis=1)),
        Mistake(HINT_MC_FLAT, lambda p: np.argmax(p)),
        Mistake(HINT_MC_ARGMIN, lambda p: np.argmin(p, axis=-1)),
        Mistake(HINT_MC_THRESHOLD, lambda p: np.asarray(p) >= 0.5),
        Mistake(HINT_MC_THRESHOLD_ARGMAX, lambda p: np.argmax(np.asarray(p) >= 0.5, axis=-1)),
        Mistake(HINT_MC_ONE_HOT, _one_hot_argmax),
        Mistake(HINT_MC_ONE_BASED, lambda p: np.argmax(p, axis=-1) + 1),
    ]
    return run_check(
        "Exercise 5.4 predict_multiclass",
        predict_multiclass,
        _predict_multiclass,
        cases,
        arg_names=["p"],
        mistakes=mistakes,
        compare=_compare_decisions("int"),
        quiet=quiet,
    )


def check_prediction_rules(predict_multilabel, predict_multiclass, quiet=False) -> bool:
    """Check Exercise 5.4: both prediction rules (one report line each)."""
    first = check_predict_multilabel(predict_multilabel, quiet=quiet)
    second = check_predict_multiclass(predict_multiclass, quiet=quiet)
    return first and second


# -- 5.5 grad_logits ---------------------------------------------------------------------


def _one_hot(y, z):
    return np.eye(z.shape[-1], dtype=z.dtype)[y]


def _head_only(head, fn):
    """A mistake that applies only to one head (raises otherwise, so it is skipped)."""

    def wrong(z, y, h):
        if h != head:
            raise ValueError("not this head")
        return fn(z, y)

    return wrong


HINT_GRAD_SIGN = (
    "the sign is flipped: the gradient is (p - y) / N. Its negative, y - p, is the "
    "direction gradient descent steps in, not the gradient"
)
HINT_GRAD_SUM = "that is the gradient of the summed loss: divide by the number of terms in the mean"
HINT_GRAD_SIGMOID_N = (
    "for the sigmoid head the mean runs over all n * k elements (as in bce_with_logits), "
    "so divide by z.size, not by n"
)
HINT_GRAD_SOFTMAX_NK = (
    "for the softmax head the mean runs over the n examples (the k classes of one example "
    "form one loss), so divide by n, not by n * k"
)
HINT_GRAD_WRONG_HEAD = (
    "you used the other head's function: 'sigmoid' means one sigmoid per label, "
    "'softmax' one softmax per row"
)
HINT_GRAD_CHAINED = (
    "you multiplied by sigma'(z) = p(1 - p): with cross-entropy that factor cancels, "
    "the gradient with respect to the logits is just (p - y) / N"
)
HINT_GRAD_AXIS0 = "the softmax ran over the examples (axis=0): normalise each row, axis=-1"
HINT_GRAD_SIGMOID_K = (
    "for the sigmoid head the mean runs over all n * k elements, so divide by "
    "z.size = n * k, not by k alone"
)
HINT_GRAD_LABELS_AS_COLUMN = (
    "for the softmax head y holds class indices, not one-hot rows: y[:, None] subtracts the "
    "index itself from every probability. Subtract 1 at each true class, "
    "onehot[np.arange(n), y] = 1"
)


def check_grad_logits(grad_logits, quiet=False) -> bool:
    """Check Exercise 5.5: ``grad_logits(z, y, head)``, the gradient of the mean loss."""
    Y2 = np.array([[1.0, 0.0], [1.0, 1.0], [0.0, 0.0]])
    cases = [
        Case(
            "sigmoid head, 3 examples x 2 labels",
            (np.array([[2.0, -1.0], [0.5, 3.0], [-2.0, 0.0]]), Y2, "sigmoid"),
        ),
        Case(
            "softmax head, 4 examples x 3 classes",
            (
                np.array([[1.0, 2.0, 3.0], [2.0, 1.0, 0.1], [0.0, 0.0, 0.0], [1.0, 7.0, 2.0]]),
                np.array([2, 0, 1, 1]),
                "softmax",
            ),
        ),
        Case(
            "sigmoid head, 2 examples x 4 labels",
            (
                np.array([[0.3, -0.7, 1.2, 0.0], [-2.5, 0.1, 4.0, -1.0]]),
                np.array([[0.0, 1, 1, 0], [0, 0, 1, 1]]),
                "sigmoid",
            ),
        ),
        Case("softmax head, one example", (np.array([[0.5, -1.0, 2.0]]), np.array([1]), "softmax")),
        Case(
            "sigmoid head, one label per example (n, 1)",
            (np.array([[1.5], [-0.3], [4.0]]), np.array([[1.0], [0.0], [0.0]]), "sigmoid"),
        ),
        Case(
            "sigmoid head, huge logits +-1000",
            (
                np.array([[1000.0, -1000.0], [-1000.0, 1000.0]]),
                np.array([[1.0, 0], [1, 0]]),
                "sigmoid",
            ),
        ),
        Case(
            "softmax head, large logits (1e3 scale)",
            (
                np.array([[1000.0, 1000.0, 0.0], [1000.0, 0.0, -1000.0]]),
                np.array([0, 2]),
                "softmax",
            ),
        ),
        Case(
            "softmax head, a logit of -inf for a wrong class",
            (np.array([[0.0, -np.inf, 1.0]]), np.array([2]), "softmax"),
        ),
        Case(
            "sigmoid head, float32 stays float32",
            (*_f32([[0.5, -1.5, 2.0], [3.0, 0.0, -0.25]], [[1, 0, 0], [1, 1, 0]]), "sigmoid"),
        ),
        Case(
            "softmax head, float32 stays float32",
            (
                np.array([[0.2, -1.0, 3.0], [1.5, 1.5, 0.0]], dtype=np.float32),
                np.array([2, 0]),
                "softmax",
            ),
        ),
    ]
    n = lambda z: z.shape[0]  # noqa: E731
    mistakes = [
        Mistake(HINT_GRAD_SIGN, lambda z, y, h: -grad_logits_reference(z, y, h)),
        Mistake(
            HINT_GRAD_SIGMOID_N,
            _head_only("sigmoid", lambda z, y: (sigmoid(z) - y) / n(z)),
        ),
        Mistake(HINT_GRAD_SUM, _head_only("sigmoid", lambda z, y: sigmoid(z) - y)),
        Mistake(HINT_GRAD_SUM, _head_only("softmax", lambda z, y: softmax(z) - _one_hot(y, z))),
        Mistake(
            HINT_GRAD_SOFTMAX_NK,
            _head_only("softmax", lambda z, y: (softmax(z) - _one_hot(y, z)) / z.size),
        ),
        Mistake(
            HINT_GRAD_SIGMOID_K, _head_only("sigmoid", lambda z, y: (sigmoid(z) - y) / z.shape[1])
        ),
        Mistake(
            HINT_GRAD_LABELS_AS_COLUMN,
            _head_only("softmax", lambda z, y: (softmax(z) - y[:, None]) / n(z)),
        ),
        Mistake(
            HINT_GRAD_WRONG_HEAD,
            _head_only("sigmoid", lambda z, y: (softmax(z) - y) / z.size),
        ),
        Mistake(
            HINT_GRAD_WRONG_HEAD,
            _head_only("softmax", lambda z, y: (sigmoid(z) - _one_hot(y, z)) / n(z)),
        ),
        Mistake(
            HINT_GRAD_CHAINED,
            _head_only(
                "sigmoid", lambda z, y: (sigmoid(z) - y) * sigmoid(z) * sigmoid(-z) / z.size
            ),
        ),
        Mistake(
            HINT_GRAD_AXIS0,
            _head_only("softmax", lambda z, y: (softmax(z, axis=0) - _one_hot(y, z)) / n(z)),
        ),
    ]
    return run_check(
        "Exercise 5.5 grad_logits",
        grad_logits,
        grad_logits_reference,
        cases,
        arg_names=["z", "y", "head"],
        mistakes=mistakes,
        compare=_value_comparer(),
        warning_hint=WARNING_HINT,
        forbid=(bce_with_logits_grad, softmax_cross_entropy_grad),
        quiet=quiet,
    )
