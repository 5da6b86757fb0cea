"""Every exercise check, whatever it checks, survives the generic wrong answers.

The per-lesson tests feed each check a catalogue of specific mistakes; this
module is the safety net under all of them: for every ``check_*`` in
``helpers.checks``, an unfinished stub, a function that returns nothing or
nonsense, one that raises, and a non-function are each rejected with a report,
never a traceback and never a pass.
"""

from __future__ import annotations

import inspect

import numpy as np
import pytest

from helpers import checks

CHECKS = {
    name: getattr(checks, name)
    for name in checks.__all__
    if name.startswith("check_") and callable(getattr(checks, name))
}


def learner_slots(check) -> int:
    """How many learner functions the check takes (check_prediction_rules takes two)."""
    params = inspect.signature(check).parameters.values()
    return sum(p.default is inspect.Parameter.empty for p in params)


def stub(*args, **kwargs):
    raise NotImplementedError("Exercise N.M: stub")


def returns_none(*args, **kwargs):
    return None


def returns_text(*args, **kwargs):
    return "an answer"


def returns_nan(*args, **kwargs):
    return np.full(3, np.nan)


def raises(*args, **kwargs):
    raise ValueError("something went wrong inside")


WRONG = {
    "stub": (stub, "not done yet"),
    "returns None": (returns_none, ""),
    "returns a string": (returns_text, ""),
    "returns nan": (returns_nan, ""),
    "raises": (raises, ""),
    "not a function": (42, ""),
}


def test_every_exercise_has_a_check():
    assert len(CHECKS) >= 20, sorted(CHECKS)
    for name, fn in CHECKS.items():
        assert "quiet" in inspect.signature(fn).parameters, f"{name} has no quiet= option"


@pytest.mark.parametrize("wrong", WRONG)
@pytest.mark.parametrize("name", CHECKS)
def test_generic_wrong_answers_are_rejected_with_a_report(name, wrong, capsys):
    fn, expected = WRONG[wrong]
    check = CHECKS[name]
    assert check(*[fn] * learner_slots(check)) is False
    out = capsys.readouterr().out
    assert out.startswith(("❌", "⏳")), out
    assert expected in out, out
    assert "Traceback" not in out


@pytest.mark.parametrize("name", CHECKS)
def test_quiet_prints_nothing(name, capsys):
    check = CHECKS[name]
    assert check(*[stub] * learner_slots(check), quiet=True) is False
    assert capsys.readouterr().out == ""
