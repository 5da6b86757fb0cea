"""The check engine's hooks: on_raise, Outcome.kind, comparer(), run_judge, spec_of.

These replace what the lessons used to fake (a ``_Raised`` wrapper per lesson, matching
the engine's English text, comparers built two ways, a hand-written preamble), so the
tests also hold the lessons to them: no lesson module may match the engine's text again.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import numpy as np
import pytest

import helpers.checks as checks
from helpers.checks import _core
from helpers.checks._core import (
    GENERIC_HINT,
    Case,
    CheckFailed,
    CheckSpec,
    Judgement,
    Kind,
    Mistake,
    Outcome,
    compare_arrays,
    comparer,
    raised_problem,
    run_check,
    run_judge,
    spec_of,
)

CHECKS_DIR = Path(checks.__file__).parent


def reference(x):
    return 2 * np.asarray(x, dtype=float)


CASES = [Case("two numbers", (np.array([1.0, 2.0]),)), Case("three", (np.array([0.0, 1, 3]),))]


def run(learner, **kwargs):
    return run_check("Exercise 9.1 double", learner, reference, CASES, arg_names=["x"], **kwargs)


# ---------------------------------------------------------------- on_raise


def test_on_raise_replaces_the_report_and_gets_the_case(capsys):
    seen = []

    def on_raise(exc, case):
        seen.append((type(exc), case.label))
        return Outcome(False, raised_problem(exc), None, None, "the lesson's own words")

    def learner(x):
        raise KeyError("boom")

    assert run(learner, on_raise=on_raise) is False
    out = capsys.readouterr().out
    assert seen == [(KeyError, "two numbers")]
    assert "problem:  raised KeyError: \"'boom'\"" in out, out
    assert "hint:     the lesson's own words" in out
    assert "expected: array([2., 4.])" in out  # filled in with the reference's answer


def test_on_raise_returning_none_keeps_the_default_report(capsys):
    def learner(x):
        raise ZeroDivisionError("no")

    assert run(learner, on_raise=lambda exc, case: None) is False
    out = capsys.readouterr().out
    assert "problem:  raised ZeroDivisionError: 'no'" in out
    assert "run your function on it in a new cell" in out


def test_on_raise_is_not_asked_about_the_stub(capsys):
    called = []

    def learner(x):
        raise NotImplementedError

    run(learner, on_raise=lambda exc, case: called.append(exc))
    assert called == []
    assert capsys.readouterr().out.startswith("⏳ Exercise 9.1 double: not done yet")


def test_on_raise_outcome_gets_the_raised_kind():
    outcomes = []

    def compare(*a, **k):  # never reached: the learner raises
        raise AssertionError

    def on_raise(exc, case):
        outcome = Outcome(False, "p", None, None, "h")
        outcomes.append(outcome)
        return outcome

    run(lambda x: 1 / 0, on_raise=on_raise, compare=compare, quiet=True)
    assert outcomes[0].kind is Kind.RAISED


def test_no_lesson_keeps_a_raised_wrapper():
    for path in sorted(CHECKS_DIR.glob("lesson0*.py")):
        source = path.read_text(encoding="utf-8")
        assert "class _Raised" not in source, path.name
        assert "_explain_shape_errors" not in source, path.name


# ---------------------------------------------------------------- Outcome.kind


@pytest.mark.parametrize(
    "got, want, kind",
    [
        (None, np.array([1.0]), Kind.NONE),
        ([1.0], np.array([1.0]), Kind.TYPE),
        ("1.0", np.array([1.0]), Kind.TYPE),
        (True, np.array(1.0), Kind.TYPE),
        (np.array([1, 2]), np.array([1.0, 2.0]), Kind.DTYPE),
        (np.array([1.0, 2.0], dtype=np.float32), np.array([1.0, 2.0]), Kind.DTYPE),
        (np.array([1.0, 2.0]), np.array([[1.0, 2.0]]), Kind.SHAPE),
        (3.0, np.array([1.0, 2.0]), Kind.SHAPE),
        (np.array([np.nan, 2.0]), np.array([1.0, 2.0]), Kind.NONFINITE),
        (np.array([np.inf, 2.0]), np.array([-np.inf, 2.0]), Kind.INFINITIES),
        (np.array([1.5, 2.0]), np.array([1.0, 2.0]), Kind.WRONG_VALUES),
        (np.float32(0.1), np.array(0.1), Kind.PRECISION),
        (np.array([1.0, 2.0]), np.array([1.0, 2.0]), Kind.PASSED),
    ],
)
def test_every_rule_names_its_kind(got, want, kind):
    rtol = 1e-12 if kind is Kind.PRECISION else 1e-7  # float32 is right to about 6e-8
    outcome = compare_arrays(got, want, rtol=rtol, case=Case("c", (want,)))
    assert outcome.kind is kind, (outcome.problem, outcome.kind)
    assert outcome.ok is (kind is Kind.PASSED)


def test_generic_and_mistake_are_told_apart_without_reading_the_text():
    want = np.array([1.0, 2.0])
    case = Case("c", (want,))
    known = Mistake("you tripled", lambda x: 3 * x)
    matched = compare_arrays(3 * want, want, mistakes=[known], case=case)
    assert matched.kind is Kind.WRONG_VALUES and matched.mistake is known
    assert not matched.generic and matched.hint == "you tripled"
    unknown = compare_arrays(5 * want, want, mistakes=[known], case=case)
    assert unknown.kind is Kind.WRONG_VALUES and unknown.mistake is None
    assert unknown.generic and unknown.hint == GENERIC_HINT


def test_run_check_outcomes_have_kinds(capsys):
    kinds = []

    def compare(got, want, **kwargs):
        outcome = compare_arrays(got, want, **kwargs)
        kinds.append(outcome.kind)
        return outcome

    def mutates(x):
        x *= 2
        return x

    run(mutates, compare=compare, quiet=True)
    assert kinds == []  # a mutation is decided before the values are compared
    assert run(lambda x: reference(x), compare=compare, quiet=True) is True
    assert kinds == [Kind.PASSED, Kind.PASSED]


def _string_tests_on_outcomes(tree: ast.AST) -> list[str]:
    """``<x>.problem.startswith(...)``, ``"..." in <x>.hint`` and the like: text matching."""
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("startswith", "endswith")
            and isinstance(node.func.value, ast.Attribute)
            and node.func.value.attr in ("problem", "hint")
        ):
            found.append(ast.unparse(node))
        if isinstance(node, ast.Compare) and any(
            isinstance(op, (ast.In, ast.NotIn, ast.Eq, ast.NotEq)) for op in node.ops
        ):
            operands = [node.left, *node.comparators]
            if any(isinstance(o, ast.Attribute) and o.attr == "problem" for o in operands):
                found.append(ast.unparse(node))
    return found


def test_no_lesson_check_matches_the_engines_text():
    for path in sorted(CHECKS_DIR.glob("lesson0*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert _string_tests_on_outcomes(tree) == [], path.name


def test_the_text_matcher_finds_what_the_lessons_used_to_do():
    old = 'ok = outcome.problem.startswith("returned shape") or outcome.problem == "x"'
    assert len(_string_tests_on_outcomes(ast.parse(old))) == 2


# ---------------------------------------------------------------- comparer()


def test_comparer_by_default_is_compare_arrays():
    compare = comparer()
    want = np.array([1.0, 2.0], dtype=np.float32)
    case = Case("c", (want,))
    for got in (want * (1 + 3e-6), want * 1.1, [1.0], None, want.astype(np.float64)):
        a = compare(got, want, rtol=1e-7, atol=1e-12, mistakes=(), case=case)
        b = compare_arrays(got, want, rtol=1e-7, atol=1e-12, case=case)
        assert (a.ok, a.problem, a.hint, a.kind) == (b.ok, b.problem, b.hint, b.kind)


def test_comparer_passes_its_options_on():
    compare = comparer(rtol32=1e-2, nonfinite_hint="the lesson's nan hint")
    want = np.array([1.0, 2.0], dtype=np.float32)
    case = Case("c", (want,))
    assert compare(want * np.float32(1.001), want, rtol=1e-7, atol=0.0, case=case).ok
    nan = compare(np.array([np.nan, 2], dtype=np.float32), want, rtol=1e-7, atol=0.0, case=case)
    assert nan.hint == "the lesson's nan hint"
    assert compare.options == {"one_number": "dtype", "rtol32": 1e-2, "nonfinite_hint": nan.hint}


def test_comparer_refuses_unknown_options_and_policies():
    with pytest.raises(TypeError, match="rtol33"):
        comparer(rtol33=1.0)
    with pytest.raises(ValueError, match="one_number"):
        comparer(one_number="loose")


def test_the_float64_one_number_policy():
    compare = comparer(one_number="float64", rtol32=1e-4, one_number_hint="one number, please")
    want = np.float64(0.25)
    f64 = Case("float64 input", (np.array([0.5, 1.0]),))
    f32 = Case("float32 input", (np.array([0.5, 1.0], dtype=np.float32),))
    assert compare(np.array([0.25]), want, rtol=1e-7, atol=0.0, case=f64).ok  # one element
    assert compare(1 / 4, want, rtol=1e-7, atol=0.0, case=f64).ok
    assert not compare(0.25 * (1 + 1e-5), want, rtol=1e-7, atol=0.0, case=f64).ok
    assert compare(0.25 * (1 + 1e-5), want, rtol=1e-7, atol=0.0, case=f32).ok  # rtol32
    many = compare(np.array([0.25, 0.25]), want, rtol=1e-7, atol=0.0, case=f64)
    assert (many.ok, many.kind, many.hint) == (False, Kind.SHAPE, "one number, please")


def test_no_lesson_builds_a_comparer_with_partial():
    for path in sorted(CHECKS_DIR.glob("lesson0*.py")):
        source = path.read_text(encoding="utf-8")
        assert "partial(compare_arrays" not in source, path.name
        assert "np.ndim(want) == 0" not in source, path.name


# ---------------------------------------------------------------- run_judge


def _judge(value) -> Judgement:
    if value == 42:
        return Judgement(True, "the answer", ["    note: well done"])
    return Judgement(False, f"not the answer: {value}", ["    hint:     think again"])


def test_run_judge_pass_and_fail(capsys):
    assert run_judge("Exercise 9.2 answer", _judge, lambda: 42) is True
    assert capsys.readouterr().out == "✅ Exercise 9.2 answer: the answer\n    note: well done\n"
    assert run_judge("Exercise 9.2 answer", _judge, lambda: 41) is False
    assert capsys.readouterr().out.splitlines() == [
        "❌ Exercise 9.2 answer: not the answer: 41",
        "    hint:     think again",
    ]


class Unprintable:
    def __repr__(self):
        raise RuntimeError("no repr")

    def __str__(self):
        raise RuntimeError("no str")

    def __eq__(self, other):
        raise RuntimeError("no eq")

    __hash__ = object.__hash__


def test_run_judge_never_crashes_on_a_strange_value(capsys):
    assert run_judge("Exercise 9.2 answer", _judge, Unprintable) is False  # judge raises
    out = capsys.readouterr().out
    assert out.startswith("❌ Exercise 9.2 answer: returned <a Unprintable whose repr raised")
    assert "cannot be judged (RuntimeError)" in out

    class Odd(Exception):
        def __str__(self):
            raise RuntimeError

    def raises():
        raise Odd

    assert run_judge("Exercise 9.2 answer", _judge, raises) is False
    out = capsys.readouterr().out
    assert out.startswith("❌ Exercise 9.2 answer: raised Odd: ")
    assert "run answer() in a new cell to see the traceback" in out


def test_run_judge_preamble(capsys):
    assert run_judge("Exercise 9.2 answer", _judge, 42) is False
    assert capsys.readouterr().out.startswith("❌ Exercise 9.2 answer: expected a function, got 42")

    def stub():
        raise NotImplementedError

    assert run_judge("Exercise 9.2 answer", _judge, stub) is False
    assert capsys.readouterr().out.startswith("⏳ Exercise 9.2 answer: not done yet.")


def test_run_judge_in_graded_mode(monkeypatch, capsys):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert run_judge("Exercise 9.2 answer", _judge, lambda: 42) is None
    with pytest.raises(CheckFailed):
        run_judge("Exercise 9.2 answer", _judge, lambda: 41)


def test_check_my_choices_runs_through_run_judge(capsys):
    source = inspect.getsource(checks.check_my_choices)
    assert "run_judge(" in source and "call_learner" not in source
    assert checks.check_my_choices(lambda: Unprintable()) is False
    assert "expected a dict" in capsys.readouterr().out


# ---------------------------------------------------------------- spec_of


def test_spec_of_records_without_calling_the_learner(capsys):
    calls = []

    def learner(*args, **kwargs):
        calls.append(args)
        raise AssertionError("the learner must not run")

    specs = spec_of(checks.check_sigmoid, learner)
    assert calls == [] and capsys.readouterr().out == ""
    assert len(specs) == 1 and isinstance(specs[0], CheckSpec)
    spec = specs[0]
    assert spec.title == "Exercise 1.1 sigmoid" and len(spec.cases) > 3
    assert all(isinstance(c, Case) for c in spec.cases)
    assert all(isinstance(m, Mistake) for m in spec.mistakes)
    want = spec.reference_fn(*spec.cases[0].args, **spec.cases[0].kwargs)
    outcome = spec.compare(
        want, want, rtol=spec.rtol, atol=spec.atol, mistakes=spec.mistakes, case=spec.cases[0]
    )
    assert outcome.ok


def test_spec_of_every_check():
    names = [n for n in checks.__all__ if n.startswith("check_")]
    for name in names:
        check = getattr(checks, name)
        learners = [
            None
            for p in inspect.signature(check).parameters.values()
            if p.default is inspect.Parameter.empty
        ]
        specs = spec_of(check, *learners)
        if name == "check_my_choices":  # a judge, no reference to compare with
            assert specs == []
            continue
        assert specs, name
        for spec in specs:
            assert spec.title.startswith("Exercise ") and spec.cases, name
            assert spec.rtol > 0 and callable(spec.compare) and callable(spec.reference_fn)


def test_spec_of_leaves_checks_running_afterwards(capsys):
    spec_of(checks.check_sigmoid, None)
    assert checks.check_sigmoid(None, quiet=True) is False  # not a function: runs and fails


def test_spec_of_is_documented_in_the_engine():
    assert "spec_of" in (_core.__doc__ or "")


# ---------------------------------------------------------------- the split


def test_no_engine_module_over_600_lines():
    for path in sorted((CHECKS_DIR / "_core").glob("*.py")):
        lines = path.read_text(encoding="utf-8").count("\n")
        assert lines <= 600, f"{path.name} has {lines} lines"


#: Every public name of the one-module engine (helpers/checks/_core.py before the split).
OLD_PUBLIC_NAMES = (
    "PASS FAIL TODO GENERIC_HINT Case Mistake Outcome NotDone CheckFailed fmt judged_error "
    "quietly matching_mistake OVERFLOW_HINT INVALID_HINT DTYPE_HINT compare_arrays graded seal "
    "integrity_problems graded_check call_learner run_check exception_hint tolerance_class verdict"
).split()


@pytest.mark.parametrize("name", OLD_PUBLIC_NAMES)
def test_every_old_name_is_still_imported_from_the_engine(name):
    assert hasattr(_core, name), f"helpers.checks._core.{name} is gone"
    assert name in _core.__all__


def test_an_exception_the_lesson_cannot_read_gets_the_default_report(capsys):
    class Unreadable(Exception):
        def __str__(self):
            raise RuntimeError("no message")

    def learner(x):
        raise Unreadable

    def on_raise(exc, case):
        return Outcome(False, str(exc), None, None, "never shown")  # str(exc) raises

    assert run(learner, on_raise=on_raise) is False
    out = capsys.readouterr().out
    assert "problem:  raised Unreadable: '<a Unreadable whose message cannot be shown" in out, out
    assert "never shown" not in out


# ---------------------------------------------------------------- entries never written


def test_np_empty_is_filled_only_while_the_learner_runs():
    """NaN (or zeros) in every new entry inside the block; NumPy's own function after it."""
    x = np.array([-1.0, 0.0, 1.0])
    real = np.empty_like
    with _core.learner.empty_filled("nan"):
        assert np.isnan(np.empty_like(x)).all() and np.isnan(np.empty((2, 2))).all()
        assert (np.empty(3, dtype=int) == -1).all() and (np.empty(2, np.uint8) == 255).all()
        assert np.empty(2, dtype=bool).all() and np.empty(2, dtype=object).shape == (2,)
    with _core.learner.empty_filled("zeros"):
        assert (np.empty_like(x) == 0).all()
    assert np.empty_like is real


def test_an_entry_never_written_is_reported_as_such(capsys):
    def learner(x):  # x == 0 is in neither mask: np.empty_like's memory shows through
        out = np.empty_like(x)
        out[x > 0] = 2 * x[x > 0]
        out[x < 0] = 2 * x[x < 0]
        return out

    for _ in range(3):  # whatever the check computed before, the verdict is the same
        assert run(learner) is False
        out = capsys.readouterr().out
        assert "returned different values for the same input on a second call" in out
        assert _core.UNSTABLE_HINT in out


def test_a_function_that_draws_random_numbers_is_reported_as_unstable(capsys):
    rng = np.random.default_rng(0)
    assert run(lambda x: 2 * x + rng.normal(size=x.shape)) is False
    assert "on a second call" in capsys.readouterr().out


def test_a_deterministic_wrong_answer_keeps_its_own_report(capsys):
    assert run(lambda x: 3 * x) is False
    out = capsys.readouterr().out
    assert "returned the wrong values" in out and "second call" not in out
