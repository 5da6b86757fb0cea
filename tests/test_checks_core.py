"""The check engine: precise reports, never a crash, never a pass for a wrong answer."""

from __future__ import annotations

import math

import numpy as np
import pytest

import helpers
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


def own_answer(x):
    """A correct answer written out (graded mode rejects passing the reference itself)."""
    return np.exp(-np.abs(x))


def test_under_nbgrader_a_failure_raises_so_the_cell_scores_zero(monkeypatch, capsys):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(AssertionError):
        run(stub)
    assert run(own_answer) is None  # a pass shows no value: nbgrader reads it as partial credit


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
        (lambda x: reference(x) - np.ones(x.shape[-1] + 1), "do not line up"),
        (lambda x: reference(x) if x > 0 else x, "np.where(condition, a, b)"),
        (lambda x: reference(x).sum(axis=3), "no axis argument"),
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


# ------------------------------------------------------------- the engine never crashes


class BadRepr:
    def __repr__(self):
        raise RuntimeError("no repr for you")


class BadStr(Exception):
    def __str__(self):
        raise RuntimeError("no message either")


class NoArray:
    def __array__(self, *args, **kwargs):
        raise TypeError("cannot be an array")


def raises_bad_str(x):
    raise BadStr()


def exits(x):
    raise SystemExit(3)


def number_reference(x):
    return np.sum(np.exp(-np.abs(x)))  # a 0-d float, like the losses of lesson 05


ODD_RESULTS = {
    "repr raises": (lambda x: BadRepr(), "returned a BadRepr"),
    "array of objects whose repr raises": (
        lambda x: np.array([BadRepr()] * x.size, dtype=object).reshape(x.shape),
        "dtype object",
    ),
    "exception whose str raises": (raises_bad_str, "raised BadStr"),
    "10**400": (lambda x: 10**400, "single number"),
    "numpy cannot convert it": (lambda x: NoArray(), "returned a NoArray"),
    "sys.exit()": (exits, "raised SystemExit"),
}


@pytest.mark.parametrize("name", ODD_RESULTS)
def test_odd_results_get_a_report_never_a_traceback(name, capsys):
    fn, problem = ODD_RESULTS[name]
    assert run(fn) is False
    out = capsys.readouterr().out
    assert out.startswith("❌ Exercise 9.1 f: failed on case 1 of 3"), out
    assert problem in out and "hint:" in out, out


@pytest.mark.parametrize(
    "value, problem",
    [
        (10**400, "integer too large for a float"),
        (10**5000, "integer too large for a float"),  # longer than Python prints
        (True, "returned a boolean"),
        (BadRepr(), "returned a BadRepr"),
    ],
    ids=["10**400", "10**5000", "a bool", "repr raises"],
)
def test_odd_single_numbers_get_a_report(value, problem, capsys):
    cases = [Case("two values", (np.array([0.5, -1.0]),))]
    result = run_check("Exercise 9.3 n", lambda x: value, number_reference, cases, arg_names=["x"])
    assert result is False
    out = capsys.readouterr().out
    assert problem in out and "Traceback" not in out, out


def test_fmt_never_raises():
    from helpers.checks._core import fmt

    assert "whose repr raised RuntimeError" in fmt(BadRepr())
    assert "about 5001 digits" in fmt(10**5000)
    assert fmt(np.arange(100)).startswith("array([ 0, 1, 2, ...")


def test_a_comparison_that_breaks_on_the_result_is_a_report(capsys):
    def fragile_compare(got, want, **kwargs):
        return Mistake  # not an Outcome: the comparison could not decide

    def crashing_compare(got, want, **kwargs):
        raise TypeError("unsupported operand")

    for compare in (fragile_compare, crashing_compare):
        assert (
            run_check(
                "Exercise 9.1 f", reference, reference, CASES, arg_names=["x"], compare=compare
            )
            is False
        )
        out = capsys.readouterr().out
        assert out.startswith("❌") and "hint:" in out, out


# ------------------------------------------------------------- hints name the right cause


def batch_jacobian(S):
    return np.einsum("ij,ik->ijk", S, S)  # (n, k, k)


def test_outer_on_a_batch_is_not_blamed_on_keepdims(capsys):
    S = np.array([[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]])
    cases = [Case("a batch of 2", (S,))]
    assert not run_check(
        "Exercise 9.4 j", lambda S: np.outer(S, S), batch_jacobian, cases, arg_names=["S"]
    )
    out = capsys.readouterr().out
    assert "returned shape (6, 6), expected (2, 3, 3)" in out and "keepdims" not in out, out


def test_a_reduced_axis_is_named_with_its_position(capsys):
    S = np.array([[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]])
    cases = [Case("a batch of 2", (S,))]
    assert not run_check(
        "Exercise 9.4 j",
        lambda S: batch_jacobian(S).sum(axis=1),
        batch_jacobian,
        cases,
        arg_names=["S"],
    )
    out = capsys.readouterr().out
    assert "axis 1 (of length 3) is missing" in out and "keepdims=True" in out, out


def test_a_wrongly_shaped_threshold_is_not_blamed_on_keepdims(capsys):
    def reference_rule(p, t):
        return p >= t  # t of shape (k,): one threshold per label

    p = np.array([[0.2, 0.7, 0.5], [0.9, 0.1, 0.4], [0.5, 0.5, 0.5], [0.3, 0.6, 0.8]])
    t = np.array([0.5, 0.6, 0.3])
    cases = [Case("4 examples, 3 labels", (p, t))]
    assert not run_check(
        "Exercise 9.5 r", lambda p, t: p >= t[:, None], reference_rule, cases, arg_names=["p", "t"]
    )
    out = capsys.readouterr().out
    assert "raised ValueError" in out and "(4,3)" in out.replace(" ", ""), out
    assert "keepdims" not in out and "do not line up" in out, out


def test_a_sum_without_keepdims_in_a_broadcast_is_named(capsys):
    def softmax_rows(z):
        e = np.exp(z - z.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)

    z = np.array([[1.0, 2.0, 3.0], [0.0, 1.0, 0.0]])
    cases = [Case("2 rows of 3", (z,))]
    assert not run_check(
        "Exercise 9.6 s",
        lambda z: np.exp(z) / np.exp(z).sum(axis=-1),
        softmax_rows,
        cases,
        arg_names=["z"],
    )
    out = capsys.readouterr().out
    assert "do not line up" in out and "keepdims=True" in out, out


def test_the_axis_error_hint_fits_the_signature(capsys):
    def std_ddof(x, ddof):
        return (x - x.mean()) / x.std(ddof=ddof)

    cases = [Case("ddof = 1", (np.array([1.0, 2.0, 4.0]), 1))]
    assert not run_check(
        "Exercise 9.7 z",
        lambda x, ddof: (x - x.mean()) / np.std(x, ddof),
        std_ddof,
        cases,
        arg_names=["x", "ddof"],
    )
    out = capsys.readouterr().out
    assert "AxisError" in out and "no axis argument" in out and "you were given" not in out, out

    def lse(z, axis=-1):
        return np.log(np.exp(z).sum(axis=axis))

    cases = [Case("one row", (np.array([1.0, 2.0]),))]
    assert not run_check(
        "Exercise 9.8 l",
        lambda z, axis=-1: np.log(np.exp(z).sum(axis=1)),
        lse,
        cases,
        arg_names=["z"],
    )
    assert "use the `axis` argument you were given" in capsys.readouterr().out


def test_minus_inf_is_reported_as_minus_inf(capsys):
    assert not run(lambda x: np.full(x.shape, -np.inf, dtype=x.dtype))
    out = capsys.readouterr().out
    assert "returned -inf where the answer is finite" in out, out
    assert not run(lambda x: np.full(x.shape, np.inf, dtype=x.dtype))
    assert "returned inf where the answer is finite" in capsys.readouterr().out


def test_the_generic_hint_is_neutral_and_each_check_can_word_it(capsys):
    def off(x):
        return reference(x) * 1.5

    assert not run(off)
    out = capsys.readouterr().out
    assert "the lesson's, term by term" in out and "derivation above" not in out, out
    assert not run(off, generic_hint="compare with p / (1 - p)")
    out = capsys.readouterr().out
    assert "hint:     compare with p / (1 - p)" in out, out


def test_the_float32_hint_speaks_only_of_dtypes(capsys):
    assert not run(lambda x: reference(x).astype(np.float64))
    out = capsys.readouterr().out
    assert "avoid np.float64(...) constants and astype" in out and "1 + e" not in out, out


LESSON00_WRONG = {
    "odds against": lambda p: (1 - p) / p,
    "p / (1 + p)": lambda p: p / (1 + p),
    "log-odds": lambda p: np.log(p / (1 - p)),
    "off by a factor": lambda p: 2 * p / (1 - p),
    "a single number": lambda p: float(np.sum(p / (1 - p))),
    "a list": lambda p: list(np.atleast_1d(p / (1 - p))),
    "float64 for float32": lambda p: (p / (1 - p)).astype(np.float64),
    "summed": lambda p: np.sum(p / (1 - p), axis=-1),
    "in place": lambda p: np.divide(p, 1 - p, out=p),
    "warns": lambda p: 1 / ((1 - p) / p),
    "nan": lambda p: p / (1 - p) * np.nan,
    "-inf": lambda p: np.full_like(p, -np.inf),
    "raises": lambda p: p[5, 5],
}

#: Words of later lessons that a lesson 00 hint must not use.
LATER_WORDS = [
    "1 + e",
    "x - m",
    "exp(",
    "exponent",
    "softmax",
    "sigmoid",
    "keepdims",
    "einsum",
    "derivation",
]


LESSON00_NAMED = {
    "p / 1 - p": (lambda p: p / 1 - p, "Python divides before it subtracts"),
    "1 / (1 - p)": (lambda p: 1 / (1 - p), "the numerator is p"),
    "clipped to [1e-7, 1 - 1e-7]": (
        lambda p: np.clip(p, 1e-7, 1 - 1e-7) / (1 - np.clip(p, 1e-7, 1 - 1e-7)),
        "you clipped p first",
    ),
}


@pytest.mark.parametrize("name", LESSON00_NAMED)
def test_lesson00_names_precedence_numerator_and_clipping(name, capsys):
    fn, hint = LESSON00_NAMED[name]
    assert check_odds(fn) is False
    out = capsys.readouterr().out
    assert hint in out.split("hint:")[-1], out
    for word in LATER_WORDS:
        assert word not in out.split("hint:")[-1]


@pytest.mark.parametrize("name", LESSON00_WRONG)
def test_lesson00_hints_use_only_words_lesson00_taught(name, capsys):
    assert check_odds(LESSON00_WRONG[name]) is False
    out = capsys.readouterr().out
    hint = out.split("hint:")[-1]
    assert out.startswith("❌") and hint.strip(), out
    for word in LATER_WORDS:
        assert word not in hint, f"{word!r} in {hint!r}"


# ------------------------------------------------------------- one dtype policy


@pytest.mark.parametrize(
    "convert",
    [float, np.float32, np.asarray, lambda v: np.float64(v)],
    ids=["Python float", "NumPy float32 scalar", "0-d array", "NumPy float64 scalar"],
)
def test_a_single_number_may_come_in_any_form_judged_at_the_input_precision(convert, capsys):
    cases = [
        Case("float64 input", (np.array([0.5, -1.0, 2.0]),)),
        Case("float32 input", (np.array([0.5, -1.0], dtype=np.float32),)),
    ]

    def answer(x):
        value = np.sum(np.exp(-np.abs(x)))
        if x.dtype == np.float64 and convert is np.float32:
            return value  # float32 precision is not enough for a float64 input: see below
        return convert(value)

    assert run_check("Exercise 9.3 n", answer, number_reference, cases, arg_names=["x"]) is True


def test_a_float32_number_for_a_float64_input_is_named(capsys):
    cases = [Case("float64 input", (np.array([0.5, -1.0, 2.0]),))]
    assert not run_check(
        "Exercise 9.3 n",
        lambda x: np.float32(number_reference(x)),
        number_reference,
        cases,
        arg_names=["x"],
        rtol=1e-12,
    )
    out = capsys.readouterr().out
    assert "float32 number" in out and "float64 precision" in out, out


@pytest.mark.parametrize("rtol", [1e-7, 1e-5])
def test_a_float32_number_fails_even_inside_the_tolerance(rtol, capsys):
    """np.float32 of the right float64 answer is off by at most 6e-8: the dtype decides."""
    cases = [Case("float64 input", (np.array([0.5, -1.0, 2.0]),))]
    learner = lambda x: np.float32(number_reference(x))  # noqa: E731
    error = abs(float(learner(cases[0].args[0])) / number_reference(cases[0].args[0]) - 1)
    assert 0 < error < rtol  # the values alone would pass
    assert not run_check(
        "Exercise 9.3 n", learner, number_reference, cases, arg_names=["x"], rtol=rtol
    )
    assert "returned a float32 number" in capsys.readouterr().out


@pytest.mark.parametrize(
    "value",
    ["0.3", {"loss": 0.3}, 0.3j, (v for v in [0.3])],
    ids=["str", "dict", "complex", "generator"],
)
def test_a_non_number_where_one_number_is_due_is_asked_for_one_number(value, capsys):
    cases = [Case("float64 input", (np.array([0.5, -1.0, 2.0]),))]
    assert not run_check(
        "Exercise 9.3 n", lambda x: value, number_reference, cases, arg_names=["x"]
    )
    out = capsys.readouterr().out
    assert "hint:     return one number (a float)" in out and "NumPy array" not in out, out


def test_an_array_answer_keeps_the_input_dtype(capsys):
    assert not run(lambda x: reference(x.astype(np.float64)))
    assert "returned dtype float64, expected float32" in capsys.readouterr().out


# ------------------------------------------------------------- exercises that build on earlier ones


def notebook(source: str) -> dict:
    """Run ``source`` as a notebook would: one namespace whose globals the functions share."""
    namespace = {"np": np}
    exec(compile(source, "<notebook cell>", "exec"), namespace)
    return namespace


STUB = """
def {name}({args}):
    raise NotImplementedError("Exercise {number}: {name}")
"""
SIGMOID_TANH = """
def sigmoid(x):
    return (1 + np.tanh(x / 2)) / 2
"""
SIGMOID_GRAD_USING_SIGMOID = """
def sigmoid_grad(x):
    s = sigmoid(x)
    return s * (1 - s)
"""
DERIVATIVE_ERROR_USING_CD = """
def derivative_error(f, f_prime, x, h=1e-5):
    numeric = central_difference(f, x, h)
    exact = f_prime(x)
    return np.abs(numeric - exact) / np.maximum(np.abs(numeric) + np.abs(exact), 1e-300)
"""
SOFTMAX_T_USING_SOFTMAX = """
def softmax_with_temperature(z, temperature, axis=-1):
    return softmax(z / temperature, axis=axis)
"""


def test_an_earlier_stub_is_named_as_the_reason(capsys):
    from helpers.checks import check_sigmoid_grad

    ns = notebook(STUB.format(name="sigmoid", args="x", number="1.1") + SIGMOID_GRAD_USING_SIGMOID)
    assert check_sigmoid_grad(ns["sigmoid_grad"]) is False
    out = capsys.readouterr().out
    assert out.startswith("⏳ Exercise 1.2 sigmoid_grad: not done yet: your `sigmoid` from "), out
    assert "Exercise 1.1 is still a stub, and sigmoid_grad calls it; finish 1.1 first" in out, out


def test_the_own_stub_is_still_the_plain_not_done(capsys):
    from helpers.checks import check_sigmoid_grad

    ns = notebook(STUB.format(name="sigmoid_grad", args="x", number="1.2"))
    assert check_sigmoid_grad(ns["sigmoid_grad"]) is False
    assert "Replace `raise NotImplementedError`" in capsys.readouterr().out


def test_an_inaccurate_earlier_function_takes_the_blame(capsys):
    from helpers.checks import check_sigmoid_grad

    ns = notebook(SIGMOID_TANH + SIGMOID_GRAD_USING_SIGMOID)
    assert check_sigmoid_grad(ns["sigmoid_grad"]) is False
    out = capsys.readouterr().out
    assert "the fault is in your `sigmoid` from Exercise 1.1, which sigmoid_grad calls" in out, out


def test_a_correct_earlier_function_is_not_blamed(capsys):
    from helpers.checks import check_sigmoid_grad

    good = "\ndef sigmoid(x):\n    return helpers_sigmoid(x)\n"
    ns = notebook(good + "\ndef sigmoid_grad(x):\n    return sigmoid(x)\n")
    ns["helpers_sigmoid"] = __import__("helpers").sigmoid
    assert check_sigmoid_grad(ns["sigmoid_grad"]) is False
    out = capsys.readouterr().out
    assert "fault is in your" not in out and "hint:" in out, out


@pytest.mark.parametrize(
    "source, check_name, earlier",
    [
        (
            STUB.format(name="central_difference", args="f, x, h=1e-5", number="1.5")
            + DERIVATIVE_ERROR_USING_CD,
            "check_derivative_error",
            "`central_difference` from Exercise 1.5 is still a stub",
        ),
        (
            STUB.format(name="softmax", args="z, axis=-1", number="2.1") + SOFTMAX_T_USING_SOFTMAX,
            "check_softmax_with_temperature",
            "`softmax` from Exercise 2.1 is still a stub",
        ),
        (
            "\ndef softmax(z, axis=-1):\n    return np.exp(z) / np.sum(np.exp(z), axis=axis, "
            "keepdims=True)\n" + SOFTMAX_T_USING_SOFTMAX,
            "check_softmax_with_temperature",
            "the fault is in your `softmax` from Exercise 2.1",
        ),
    ],
    ids=["1.6 with a 1.5 stub", "2.2 with a 2.1 stub", "2.2 with a naive 2.1"],
)
def test_dependent_exercises_name_the_earlier_one(source, check_name, earlier, capsys):
    from helpers import checks

    ns = notebook(source)
    learner = ns[check_name.removeprefix("check_")]
    assert getattr(checks, check_name)(learner) is False
    out = capsys.readouterr().out
    assert earlier in out, out


# ------------------------------------------------------------- graded mode cannot be faked


@pytest.fixture
def graded(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")


def test_graded_failure_shows_one_line_without_grader_frames(graded, capsys):
    from helpers.checks._core import CheckFailed

    with pytest.raises(CheckFailed) as info:
        run(lambda x: reference(x) * 2)
    rendered = info.value._render_traceback_()
    assert len(rendered) == 1 and "the check above failed" in rendered[0]
    assert "/" not in rendered[0] and "File" not in rendered[0]


def test_graded_mode_cannot_be_switched_off_by_the_notebook(monkeypatch, capsys):
    from helpers.checks._core import integrity

    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.setattr(integrity, "_GRADED_AT_IMPORT", True)  # as when the setup cell ran graded
    with pytest.raises(AssertionError):
        run(lambda x: reference(x) * 2)


def test_graded_mode_refuses_a_replaced_numpy_function(graded, monkeypatch, capsys):
    monkeypatch.setattr(np, "allclose", lambda *a, **k: True)
    with pytest.raises(AssertionError):
        run(lambda x: reference(x) * 2)
    out = capsys.readouterr().out
    assert "not graded, because numpy.allclose has been replaced" in out, out


def test_graded_mode_refuses_a_replaced_reference(graded, monkeypatch, capsys):
    from helpers.checks import check_sigmoid, lesson01

    def sigmoid(x):
        return (1 + np.tanh(x / 2)) / 2

    monkeypatch.setattr(lesson01, "_sigmoid", sigmoid)
    with pytest.raises(AssertionError):
        check_sigmoid(sigmoid)
    out = capsys.readouterr().out
    assert "helpers.checks.lesson01._sigmoid has been replaced" in out, out


def test_graded_check_runs_the_genuine_check_whatever_the_names_hold(graded, monkeypatch, capsys):
    from helpers import checks
    from helpers.checks import lesson01

    def sigmoid(x):
        return (1 + np.tanh(x / 2)) / 2  # wrong in the far tail

    with pytest.raises(AssertionError):
        checks.graded_check("check_sigmoid", sigmoid)
    assert "❌ Exercise 1.1 sigmoid: failed" in capsys.readouterr().out
    monkeypatch.setattr(lesson01, "check_sigmoid", lambda f: None)
    with pytest.raises(AssertionError):
        checks.graded_check("check_sigmoid", sigmoid)
    assert "lesson01.check_sigmoid has been replaced" in capsys.readouterr().out


def test_graded_mode_rejects_calling_the_reference(graded, capsys):
    import helpers
    from helpers.checks import check_logsumexp, check_sigmoid

    with pytest.raises(AssertionError):
        check_sigmoid(lambda x: helpers.sigmoid(x))
    out = capsys.readouterr().out
    assert "calls helpers.sigmoid, the reference this exercise is checked against" in out, out
    with pytest.raises(AssertionError):
        check_logsumexp(lambda z, axis=-1: helpers.logsumexp(z, axis=axis))
    assert "calls helpers.logsumexp" in capsys.readouterr().out


def test_outside_grading_calling_the_reference_is_not_policed(capsys):
    import helpers
    from helpers.checks import check_sigmoid

    assert check_sigmoid(lambda x: helpers.sigmoid(x)) is True


def test_graded_mode_accepts_honest_work_that_uses_other_helpers(graded, capsys):
    import helpers
    from helpers.checks import check_sigmoid_grad

    def sigmoid_grad(x):
        s = helpers.sigmoid(-np.abs(x))  # another exercise's reference: allowed
        return s * (1 - s)  # sigma' is even; s <= 1/2, so 1 - s does not cancel

    assert check_sigmoid_grad(sigmoid_grad) is None


def test_graded_earlier_diagnosis_does_not_raise_inside_the_check(graded, capsys):
    from helpers.checks import check_sigmoid_grad

    ns = notebook(SIGMOID_TANH + SIGMOID_GRAD_USING_SIGMOID)
    with pytest.raises(AssertionError):
        check_sigmoid_grad(ns["sigmoid_grad"])
    assert "the fault is in your `sigmoid`" in capsys.readouterr().out


def test_graded_failure_undoes_a_hidden_error_display(graded, capsys):
    """set_custom_exc would swallow the failing check's exception, and with it the zero."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        shell.set_custom_exc((AssertionError,), lambda *args, **kwargs: None)
        shell.showtraceback = lambda *args, **kwargs: None
        with pytest.raises(AssertionError):
            run(lambda x: reference(x) * 2)
        assert shell.custom_exceptions == ()
        assert "showtraceback" not in vars(shell)
    finally:
        InteractiveShell.clear_instance()


def test_graded_check_outside_grading_is_the_plain_check(capsys):
    from helpers import checks

    assert checks.graded_check("check_odds", lambda p: p / (1 - p)) is True
    assert checks.graded_check("check_odds", lambda p: (1 - p) / p) is False
    assert "odds *against*" in capsys.readouterr().out


def test_a_mistake_that_gives_the_right_answer_on_the_case_is_not_named(capsys):
    """A slip is only named where it shows: on a case where the mistake's output equals
    the right answer, an answer that is off (here by 5e-7) must not be blamed on it."""
    cases = [Case("no negative inputs", (np.array([0.5, 1.0, 2.0]),))]
    mistakes = [Mistake("you took |x|: keep the sign", lambda x: np.abs(x) ** 2)]
    ok = run_check(
        "Exercise 9.3 square",
        lambda x: x**2 * (1 + 5e-7),
        lambda x: x**2,
        cases,
        arg_names=["x"],
        mistakes=mistakes,
    )
    out = capsys.readouterr().out
    assert ok is False, out
    assert "keep the sign" not in out, out


def test_a_nan_on_the_way_is_not_called_an_overflow(capsys):
    """np.where(s > 0, s * z, 0) with z = -inf: right values, but 0 * -inf warned 'invalid'."""

    def masked_late(z):
        s = np.exp(z)
        return np.where(s > 0, s * z, 0.0)

    def reference(z):
        return np.where(np.isneginf(z), 0.0, np.exp(z) * np.where(np.isneginf(z), 0.0, z))

    cases = [Case("a ruled-out entry", (np.array([0.0, -1.0, -np.inf]),))]
    ok = run_check("Exercise 9.4 f", masked_late, reference, cases, arg_names=["z"])
    out = capsys.readouterr().out
    assert ok is False, out
    assert "invalid value" in out and "0 * inf" in out and "overflowed" not in out, out


def test_a_list_where_one_number_is_due_is_told_to_return_one_number(capsys):
    cases = [Case("ordinary", (np.array([1.0, 2.0]),))]
    ok = run_check(
        "Exercise 9.5 mean", lambda x: [float(np.mean(x))], np.mean, cases, arg_names=["x"]
    )
    out = capsys.readouterr().out
    assert ok is False and "return one number (a float), not a list" in out, out


@pytest.mark.parametrize(
    "learner, hint",
    [
        (lambda x: 1 / (1 + math.exp(-x)), "math.exp, math.log and float() take a single number"),
        (lambda x: np.std(x, 0, 1) * x, "pass it by name, np.std(x, axis=0, ddof=ddof)"),
        (lambda x: helpers.softmax(x, dim=0), "not dim=... (PyTorch's word)"),
        (
            lambda x: helpers.softmax(x, axes=0),
            "a function your code calls has no parameter named axes",
        ),
    ],
    ids=["math.exp on an array", "ddof by position into dtype", "dim=", "another keyword"],
)
def test_common_type_errors_get_their_own_hint(learner, hint, capsys):
    cases = [Case("float64 input", (np.array([0.5, -1.0, 2.0]),))]
    assert not run_check("Exercise 9.3 n", learner, np.exp, cases, arg_names=["x"])
    assert hint in capsys.readouterr().out


SIGNATURE_HINT = "the check calls your function with the exercise's parameters (x, h), and yours"


@pytest.mark.parametrize(
    "learner",
    [lambda x: x, lambda x, h, extra: x, lambda x, step=1.0: x],
    ids=["too few parameters", "one too many", "another name for h"],
)
def test_parameters_that_do_not_take_the_arguments_are_named_as_such(learner, capsys):
    cases = [Case("h by name", (np.array([0.5, 1.0]),), {"h": 0.1})]
    assert not run_check("Exercise 9.6 g", learner, lambda x, h: x, cases, arg_names=["x"])
    out = capsys.readouterr().out
    assert SIGNATURE_HINT in out and "TypeError" in out, out


def test_a_type_error_inside_the_body_is_not_blamed_on_the_parameters(capsys):
    def learner(x, h):
        return (lambda a: a)(x, h)  # the body calls something with the wrong arguments

    cases = [Case("h by name", (np.array([0.5, 1.0]),), {"h": 0.1})]
    assert not run_check("Exercise 9.6 g", learner, lambda x, h: x, cases, arg_names=["x"])
    out = capsys.readouterr().out
    assert "TypeError" in out and "exercise's parameters" not in out, out


def test_a_one_hot_built_with_np_eye_n_is_named_by_its_square_shape(capsys):
    def learner(z, y):
        return z - np.eye(len(y))[y]  # one column per example instead of per class

    cases = [Case("4 examples x 3 classes", (np.zeros((4, 3)), np.array([0, 2, 1, 0])))]
    assert not run_check(
        "Exercise 9.7 g", learner, lambda z, y: z - np.eye(3)[y], cases, arg_names=["z", "y"]
    )
    out = capsys.readouterr().out
    assert "np.eye(n)[y] made it with n = 4 columns" in out and "k = 3" in out, out


HALF = np.float64(0.5)  # a default that is a NumPy number


def test_a_changed_default_fails_only_for_the_exercise_s_own_parameters(capsys):
    def reference(x, h=0.5, axis=-1):
        return x + h

    cases = [Case("h left to its default", (np.array([1.0, 2.0]),))]
    changed = run_check(
        "Exercise 9.8 g", lambda x, h=0.25: x + 0.5, reference, cases, arg_names=["x", "h"]
    )
    out = capsys.readouterr().out
    assert changed is False and "your def line sets h=0.25, the exercise's h=0.5" in out, out
    # axis is the reference's own parameter, not the exercise's: a learner's is theirs
    added = run_check(
        "Exercise 9.8 g", lambda x, h=0.5, axis=0: x + h, reference, cases, arg_names=["x", "h"]
    )
    assert added is True, capsys.readouterr().out
    # the same default as a NumPy number, and None as a placeholder, are not changes
    for same in (
        lambda x, h=HALF: x + h,
        lambda x, h=None: x + (0.5 if h is None else h),
    ):
        assert run_check("Exercise 9.8 g", same, reference, cases, arg_names=["x", "h"]) is True
    assert "❌" not in capsys.readouterr().out
