"""Every exercise check, whatever it checks, survives the generic wrong answers.

The per-lesson tests feed each check a catalogue of specific mistakes; this
module is the safety net under all of them: for every ``check_*`` in
``helpers.checks``, an unfinished stub, a function that returns nothing or
nonsense, one that raises, and a non-function are each rejected with a report,
never a traceback and never a pass.
"""

from __future__ import annotations

import inspect
import sys

import matplotlib
import numpy as np
import pytest

from helpers import checks
from helpers.checks._core import run_check, spec_of
from tools import nbgrader_course, progress
from tools import notebooks as nbs

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


class LearnersOwnSignal(BaseException):
    """A learner's exception class derived from BaseException, not Exception."""


def raises_base_exception(*args, **kwargs):
    raise LearnersOwnSignal("stop")


def raises_generator_exit(*args, **kwargs):
    raise GeneratorExit


WRONG = {
    "stub": (stub, "not done yet"),
    "returns None": (returns_none, ""),
    "returns a string": (returns_text, ""),
    "returns nan": (returns_nan, ""),
    "raises": (raises, ""),
    "raises a BaseException subclass": (raises_base_exception, "raised LearnersOwnSignal"),
    "raises GeneratorExit": (raises_generator_exit, "raised GeneratorExit"),
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


def test_keyboard_interrupt_still_stops_a_check():
    def interrupted(x):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        checks.check_sigmoid(interrupted, quiet=True)


class RaisingAttributes:
    """Callable, wrong, and every attribute lookup beyond its class raises."""

    def __call__(self, x):
        return np.zeros_like(x)

    def __getattr__(self, name):
        raise RuntimeError(f"no {name} here")


def test_an_object_whose_attributes_raise_gets_a_report(capsys):
    """The earlier-exercise diagnosis of 1.2 looks at the function's code: it must not crash."""
    assert checks.check_sigmoid_grad(RaisingAttributes()) is False
    out = capsys.readouterr().out
    assert out.startswith("❌"), out


def test_mutating_a_keyword_argument_is_reported(capsys):
    def changes_threshold(p, threshold=0.5):
        result = np.asarray(p) >= threshold
        if isinstance(threshold, np.ndarray):
            threshold[...] = 0.0
        return result

    assert checks.check_predict_multilabel(changes_threshold) is False
    out = capsys.readouterr().out
    assert "modified its input `threshold` in place" in out, out


@pytest.mark.parametrize("name", CHECKS)
def test_quiet_prints_nothing(name, capsys):
    check = CHECKS[name]
    assert check(*[stub] * learner_slots(check), quiet=True) is False
    assert capsys.readouterr().out == ""


# ------------------------------------------------------------- near misses pin every tolerance


def _recorded_runs() -> dict:
    """Every ``run_check`` call each check makes, recorded by a stand-in: title -> arguments."""
    runs = {}

    def spy(title, learner_fn, reference_fn, cases, **kwargs):
        runs[title] = (reference_fn, cases, kwargs)
        return True

    for check in CHECKS.values():
        module = sys.modules[check.__module__]
        real = module.run_check
        module.run_check = spy
        try:
            check(*[stub] * learner_slots(check), quiet=True)
        except Exception:  # a check that does not go through run_check: not array-valued
            pass
        finally:
            module.run_check = real
    return runs


def _scaled(value, factor):
    """``value`` with every float64 number multiplied by ``factor`` (float32 left alone)."""
    if isinstance(value, tuple):
        return tuple(_scaled(v, factor) for v in value)
    if isinstance(value, float):
        return value * factor
    if isinstance(value, (np.ndarray, np.floating)) and value.dtype == np.float64:
        return (value * factor).astype(np.float64)
    return value


def _float64_magnitude(value) -> float:
    """The largest finite float64 magnitude in a result (0 if it has none)."""
    if isinstance(value, tuple):
        return max((_float64_magnitude(v) for v in value), default=0.0)
    if isinstance(value, float):
        value = np.float64(value)
    if isinstance(value, (np.ndarray, np.floating)) and value.dtype == np.float64:
        finite = np.asarray(value)[np.isfinite(value)]
        return float(np.max(np.abs(finite), initial=0.0))
    return 0.0


RUNS = _recorded_runs()
ARRAY_VALUED = {
    title: run
    for title, run in RUNS.items()
    if any(
        _float64_magnitude(run[0](*c.args, **c.kwargs))
        > 10 * run[2].get("atol", 1e-12) / run[2].get("rtol", 1e-7)
        for c in run[1]
    )
}


def test_the_near_miss_tests_cover_the_array_valued_checks():
    assert len(ARRAY_VALUED) >= 18, sorted(ARRAY_VALUED)


def _near(title: str, factor_in_rtol: float, capsys) -> tuple[bool, str]:
    reference_fn, cases, kwargs = ARRAY_VALUED[title]
    rtol = kwargs.get("rtol", 1e-7)
    factor = 1 + factor_in_rtol * rtol

    def answer(*args, **kw):
        value = reference_fn(*args, **kw)
        if isinstance(getattr(value, "exception", None), type):  # the answer is to refuse
            raise value.exception(repr(value))
        return _scaled(value, factor)

    kwargs = {k: v for k, v in kwargs.items() if k != "quiet"}
    ok = run_check(title, answer, reference_fn, cases, **kwargs)
    return ok, capsys.readouterr().out


@pytest.mark.parametrize("title", ARRAY_VALUED)
def test_an_answer_just_outside_the_tolerance_fails(title, capsys):
    """Every float64 number 10 rtol off: the check must notice (1000x looser would not)."""
    ok, out = _near(title, 10.0, capsys)
    assert ok is False, out
    assert out.startswith("❌"), out


@pytest.mark.parametrize("title", ARRAY_VALUED)
def test_an_answer_comfortably_inside_the_tolerance_passes(title, capsys):
    ok, out = _near(title, 0.1, capsys)
    assert ok is True, out


# ------------------------------------------------------------- honest work passes in graded mode


@pytest.mark.parametrize("path", nbs.solution_paths(), ids=lambda p: p.stem)
def test_the_solutions_pass_their_graded_checks(path, monkeypatch, capsys):
    """Setup, answers and graded check cells of each solution, as nbgrader runs them.

    No false alarm of the integrity check, and no honest answer taken for a call of
    the exercise's own reference (4.2's answer calls helpers.sigmoid, and may).
    """
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    namespace = {"__name__": "__main__"}
    # The setup cell sets the course style and print options: keep them out of later tests.
    with matplotlib.rc_context(), np.printoptions():
        for cell in progress.runnable_copy(nbs.read(path)).cells:
            source = cell.source
            if nbgrader_course._CHECK_TITLE.search(source):
                source = nbgrader_course.graded_source(source)
            exec(compile(source, f"<{path.name}>", "exec"), namespace)
    out = capsys.readouterr().out
    assert "❌" not in out and "⏳" not in out, out
    assert out.count("✅") >= 1, out


def _exercise_defs():
    """Every function an exercise cell of the English solutions defines, with its defaults."""
    import ast

    for path in nbs.solution_paths():
        for cell in nbs.read(path).cells:
            if cell.cell_type != "code" or not nbs.exercise_title(cell.source):
                continue
            for node in ast.walk(ast.parse(cell.source)):
                if isinstance(node, ast.FunctionDef):
                    args = node.args.args
                    defaults = dict(
                        zip(
                            [a.arg for a in args[len(args) - len(node.args.defaults) :]],
                            [ast.literal_eval(d) for d in node.args.defaults],
                        )
                    )
                    yield path.name, node.name, defaults


def test_each_reference_has_the_defaults_of_the_exercise_s_def_line():
    """The engine holds a learner to the reference's defaults (a changed default fails), so
    the reference's must be those of the stub's def line, for every name they share."""
    compared = []
    for notebook, name, defaults in _exercise_defs():
        check = CHECKS.get(f"check_{name}")
        if check is None or not defaults:
            continue
        specs = spec_of(check, *[None] * learner_slots(check), quiet=True)
        for spec in specs:
            params = inspect.signature(spec.reference_fn).parameters
            # the engine holds a learner to a default only for the exercise's own parameters
            assert set(defaults) <= set(spec.arg_names), (notebook, name, spec.arg_names)
            for arg, default in defaults.items():
                if arg in params and params[arg].default is not inspect.Parameter.empty:
                    assert params[arg].default == default, (notebook, name, arg)
                    compared.append((name, arg))
    assert {("central_difference", "h"), ("expected_calibration_error", "n_bins")} <= set(
        compared
    ), compared
