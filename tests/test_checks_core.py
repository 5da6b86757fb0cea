"""The check engine: precise reports, never a crash, never a pass for a wrong answer."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.checks import check_odds
from helpers.checks._core import Case, Mistake, run_check


def reference(x):
    return np.exp(-np.abs(x))


CASES = [
    Case("ordinary", (np.array([0.5, -1.0, 2.0]),)),
    Case("float32 stays float32", (np.array([1.0, -2.0], dtype=np.float32),)),
    Case("a table", (np.array([[0.0, 1.0], [-3.0, 4.0]]),)),
]
MISTAKES = [Mistake("forgot the minus sign", lambda x: np.exp(np.abs(x)))]


def run(fn, **kwargs):
    return run_check(
        "Exercise 9.1 f", fn, reference, CASES, arg_names=["x"], mistakes=MISTAKES, **kwargs
    )


def stub(x):
    raise NotImplementedError("Exercise 9.1: f")


def mutates(x):
    x[...] = -np.abs(x)
    return np.exp(x)


def warns(x):
    with np.errstate(over="warn"):
        np.exp(np.float64(1000.0))
    return reference(x)


class Weird:
    pass


WRONG = {
    "stub": (stub, "not done yet"),
    "none": (lambda x: None, "return` statement"),
    "list": (lambda x: list(reference(x)), "not a Python list"),
    "scalar": (lambda x: float(reference(x).sum()), "without reducing"),
    "reduced": (lambda x: reference(x).sum(axis=-1), "reduc"),
    "keepdims lost": (
        lambda x: reference(x).sum(axis=-1) if x.ndim == 2 else reference(x),
        "keepdims",
    ),
    "transposed": (lambda x: reference(x).T if x.ndim == 2 else reference(x), "wrong values"),
    "nan": (lambda x: reference(x) * np.nan, "nan"),
    "float64 out": (lambda x: reference(x).astype(np.float64), "keep the input's dtype"),
    "mutates": (mutates, "in place"),
    "raises": (lambda x: 1 / 0, "ZeroDivisionError"),
    "known mistake": (lambda x: np.exp(np.abs(x)), "forgot the minus sign"),
    "warns": (warns, "NumPy warned"),
    "strings": (lambda x: np.array(["a"] * x.size).reshape(x.shape), "dtype"),
    "object": (lambda x: Weird(), "Weird"),
    "not callable": (42, "expected a function"),
}


def test_the_reference_passes(capsys):
    assert run(reference) is True
    out = capsys.readouterr().out
    assert out.startswith("✅ Exercise 9.1 f: passed all 3 cases")
    assert out.count("\n") == 1, "a pass is reported in one line"


@pytest.mark.parametrize("name", WRONG)
def test_wrong_answers_fail_with_a_precise_report(name, capsys):
    fn, hint = WRONG[name]
    assert run(fn) is False
    out = capsys.readouterr().out
    assert hint in out, out
    if name != "stub" and name != "not callable":
        assert out.startswith("❌ Exercise 9.1 f: failed on case")
        assert "input:" in out and "expected:" in out and "hint:" in out


def test_quiet_prints_nothing(capsys):
    assert run(stub, quiet=True) is False
    assert capsys.readouterr().out == ""


def test_under_nbgrader_a_failure_raises_so_the_cell_scores_zero(monkeypatch, capsys):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(AssertionError):
        run(stub)
    assert run(reference) is None  # a pass shows no value: nbgrader reads it as partial credit


def test_the_pass_line_states_the_tolerance_not_the_measured_error(capsys):
    """The measured error depends on the CPU's exp/log; the pass line must not."""
    run(lambda x: reference(x) * (1 + 3e-13))
    near = capsys.readouterr().out
    run(reference)
    exact = capsys.readouterr().out
    assert near == exact, (near, exact)
    assert "each within relative error 1e-07 of the reference" in exact, exact


def test_lesson00_check_accepts_the_answer_and_rejects_the_odds_against(capsys):
    assert check_odds(lambda p: p / (1 - p)) is True
    assert check_odds(lambda p: (1 - p) / p) is False
    assert "odds *against*" in capsys.readouterr().out


def test_underflow_on_the_way_is_not_a_warning(capsys):
    def via_underflow(x):
        np.exp(np.array(-1000.0))  # rounds to 0: what every stable formula does
        return reference(x)

    assert run(via_underflow) is True


@pytest.mark.parametrize(
    "fn, hint",
    [
        (lambda x: reference(x) - np.ones(x.shape[-1] + 1), "keepdims"),
        (lambda x: reference(x) if x > 0 else x, "np.where(condition, a, b)"),
        (lambda x: reference(x).sum(axis=3), "axis does not exist"),
    ],
    ids=["broadcast without keepdims", "if on an array", "axis out of range"],
)
def test_an_exception_gets_the_hint_for_its_usual_cause(fn, hint, capsys):
    assert run(fn) is False
    out = capsys.readouterr().out
    assert "raised" in out and hint in out, out


def test_a_known_mistake_is_matched_relatively_not_absolutely(capsys):
    """A tiny wrong answer (all zeros) is not the mistake that gives 1e-10 of the answer."""
    tiny = Mistake("a mistake scaled down by 1e-10", lambda x: reference(x) * 1e-10)
    assert not run_check(
        "Exercise 9.1 f",
        lambda x: np.zeros_like(x),
        reference,
        CASES,
        arg_names=["x"],
        mistakes=[tiny],
    )
    out = capsys.readouterr().out
    assert "scaled down" not in out and "term by term" in out, out


def test_a_mistake_that_gives_nan_is_named_before_the_generic_overflow_hint(capsys):
    def nan_mistake(x):
        return np.where(x < 0, np.nan, reference(x))

    named = Mistake("negative inputs go through log", nan_mistake)
    assert not run_check(
        "Exercise 9.1 f", nan_mistake, reference, CASES, arg_names=["x"], mistakes=[named]
    )
    out = capsys.readouterr().out
    assert "returned nan where the answer is finite" in out and "go through log" in out, out


def test_the_pass_line_judges_near_zero_values_absolutely(capsys):
    """4e-300 computed as 0 is within atol: the pass line must not read '1e0 relative error'."""

    def tiny(x):
        return np.full_like(x, 4e-300)

    assert (
        run_check("Exercise 9.2 g", lambda x: np.zeros_like(x), tiny, CASES, arg_names=["x"])
        is True
    )
    out = capsys.readouterr().out
    assert "passed all" in out and "1e+00" not in out, out
