"""Checks for lesson 00, Start here: the warm-up exercise.

Lesson 00 teaches only the odds p / (1 - p) and NumPy arrays, so every hint
here speaks of those: no later lesson's words (exponentials, axes, keepdims).
"""

from __future__ import annotations

import numpy as np

from ._core import Case, Kind, Mistake, Outcome, comparer, run_check

__all__ = ["check_odds"]


def _odds(p):
    """Reference for the warm-up: the odds p / (1 - p) of a probability."""
    p = np.asarray(p, dtype=float) if np.asarray(p).dtype.kind != "f" else np.asarray(p)
    with np.errstate(divide="ignore"):
        return p / (1 - p)


HINT_NONFINITE = (
    "the odds are finite for every p below 1 (p = 0 gives 0 / 1 = 0): compute p / (1 - p) directly"
)
HINT_SHAPE = (
    "return one odds value per probability, in an array of the same shape as p: "
    "p / (1 - p) works on the whole array at once, without adding anything up"
)

_compare_values = comparer(nonfinite_hint=HINT_NONFINITE)


def _compare(got, want, **kwargs) -> Outcome:
    """compare_arrays, with lesson 00's words for a result of the wrong shape."""
    outcome = _compare_values(got, want, **kwargs)
    if outcome.kind is Kind.SHAPE:
        outcome.hint = HINT_SHAPE
    return outcome


HINT_GENERIC = "compare your code with the formula p / (1 - p), piece by piece"
HINT_WARNING = (
    "a step of your code divided by zero (at p = 0): p / (1 - p) itself never does "
    "for p below 1, so compute it directly"
)
HINT_IN_PLACE = (
    "your function changed the array p it was given: compute a new array from p "
    "(return p / (1 - p)) and leave p as it was"
)


def check_odds(odds, quiet=False) -> bool:
    """Check Exercise 0.1: ``odds(p) = p / (1 - p)``, elementwise."""
    cases = [
        Case("a single probability", (np.array(0.8),)),
        Case("ordinary probabilities", (np.array([0.1, 0.25, 0.5, 0.75]),)),
        Case("a table of probabilities", (np.array([[0.2, 0.4], [0.6, 0.9]]),)),
        Case("p = 0 (odds 0) and p close to 1", (np.array([0.0, 0.999]),)),
        Case("float32 input stays float32", (np.array([0.2, 0.5], dtype=np.float32),)),
    ]
    mistakes = [
        Mistake(
            "that is (1 - p) / p, the odds *against*: swap numerator and denominator",
            lambda p: (1 - p) / p,
        ),
        Mistake("that is p / (1 + p): the denominator is 1 - p", lambda p: p / (1 + p)),
        Mistake(
            "that is the log-odds; the odds are p / (1 - p) without the log",
            lambda p: np.log(p / (1 - p)),
        ),
        Mistake(
            "p / 1 - p means (p / 1) - p: Python divides before it subtracts. "
            "Write the parentheses, p / (1 - p)",
            lambda p: p / 1 - p,
        ),
        Mistake("that is 1 / (1 - p): the numerator is p, p / (1 - p)", lambda p: 1 / (1 - p)),
        *[
            Mistake(
                "you clipped p first, which changes the answer at p = 0 (its odds are exactly "
                "0): p / (1 - p) needs no clipping here",
                lambda p, eps=eps: np.clip(p, eps, 1 - eps) / (1 - np.clip(p, eps, 1 - eps)),
            )
            for eps in (1e-15, 1e-12, 1e-10, 1e-8, 1e-7, 1e-6)
        ],
    ]
    return run_check(
        "Exercise 0.1 odds",
        odds,
        _odds,
        cases,
        arg_names=["p"],
        mistakes=mistakes,
        compare=_compare,
        warning_hint=HINT_WARNING,
        generic_hint=HINT_GENERIC,
        mutation_hint=HINT_IN_PLACE,
        quiet=quiet,
    )
