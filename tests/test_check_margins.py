"""Every check verdict is the same on every CPU: the catalogue is judged by a wide margin.

The rule (issue 18, stated in the engine's docstring): a catalogued wrong answer misses
the check's tolerance by at least 100x on one of its cases, or fails there for a
structural reason that does not depend on the last bits of ``exp`` or ``log`` (it
raises, returns None or a non-array, the wrong shape or dtype (a float32 number for a
float64 one included), nan or inf where the
answer is finite, wrong labels where the answer is exact, NumPy warns, or it changes
its input). Every accepted variant stays well inside the tolerance on every case:
within 1/100 of it for float64 answers, 1/10 for float32 ones (a float32 result
carries rounding errors of a few 6e-8 steps against a tolerance of 1e-5), with two named
exceptions whose float32 rounding is inherent to a right formula (``FLOAT32_ROUNDING``).

The wrong answers and accepted variants are the per-lesson tests' own tables
(``MARGIN_WRONG`` and ``MARGIN_RIGHT`` at the end of each tests/test_lesson0N_checks.py);
the cases, tolerance and reference come from the check itself through
:func:`helpers.checks._core.spec_of`, which records what ``run_check`` would judge.
Run also under ``NPY_DISABLE_CPU_FEATURES="X86_V4"`` and ``"X86_V4 X86_V3"`` (AVX2 and
SSE dispatch on an AVX-512 machine): an entry whose margin depends on the libm fails.
"""

from __future__ import annotations

import copy
import importlib
import inspect
import warnings

import numpy as np
import pytest

from helpers.checks._core import judged_error, spec_of
from helpers.checks._core.learner import changed_default, empty_filled

LESSONS = ["01", "02", "03", "04", "05", "06", "07"]
MODULES = {n: importlib.import_module(f"tests.test_lesson{n}_checks") for n in LESSONS}

WIDE = 100.0  # a wrong answer misses the tolerance by at least this factor
INSIDE64, INSIDE32 = 100.0, 10.0  # an accepted variant stays this far inside it
# Accepted variants whose own float32 rounding takes more of the tolerance (the check must
# accept them: the formula is right, the loss is the format's), with the factor they keep:
FLOAT32_ROUNDING = {
    # z - logsumexp(z): logsumexp near 100 is rounded to a float32 step of 7.6e-6 before
    # the subtraction; measured 0.51 of the tolerance at AVX-512, AVX2 and SSE dispatch.
    "log_softmax_textbook": 1.5,
    # g * a - g * a * a: a subtraction of float32 products (no exp or log, so the same
    # bits on every CPU); measured 0.17 of the tolerance.
    "backward_expanded": 4.0,
}
# Accepted float64 variants limited by their method, not by rounding alone, with the factor
# they keep: a search on the function's values (not its derivative's sign) locates a
# minimum only to about sqrt(eps) = 1.5e-8 relative, where the NLL is flat to 1 ulp;
# measured 0.027 of 6.2's tolerance (1e-6) at AVX-512, AVX2 and SSE dispatch alike.
FLAT_MINIMUM = {"fit_golden_section": 20.0}

# Checks that are not judged against a tolerance: 5.1 compares named choices exactly.
NOT_NUMERIC = {"check_my_choices"}
# Entries that pin the tolerance itself (3 rtol off on purpose), not learners' mistakes:
# tests/test_every_check.py covers those for every check.
NEAR_MISSES = ("just outside the tolerance",)
# Relative offsets tried to find the tolerance a check's comparer applies to a case.
_STEPS = [10.0 ** (e / 4) for e in range(-48, -7)]  # 1e-12 ... 1e-2, four per decade


def _entries(table: str) -> list:
    rows = []
    for n, module in MODULES.items():
        for check, name, fn in getattr(module, table):
            if name.startswith(NEAR_MISSES):
                continue
            rows.append(pytest.param(check, fn, name, id=f"{n} {check.__name__[6:]}: {name}"))
    return rows


def _call(fn, case):
    """``(result, problem)``: the learner-style call on copies, with NumPy warnings recorded."""
    args, kwargs = copy.deepcopy(case.args), copy.deepcopy(case.kwargs)
    with warnings.catch_warnings(record=True) as seen, np.errstate(all="warn", under="ignore"):
        warnings.simplefilter("always")
        try:
            with empty_filled("nan"):  # as the engine calls it: an entry never written is NaN
                got = fn(*args, **kwargs)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # noqa: BLE001 - any exception is structural
            return None, f"raises {type(exc).__name__}"
    for before, after in zip([*case.args, *case.kwargs.values()], [*args, *kwargs.values()]):
        if isinstance(before, np.ndarray) and not np.array_equal(before, after, equal_nan=True):
            return got, "changes its input"
    if any(issubclass(w.category, RuntimeWarning) for w in seen):
        return got, "NumPy warns"
    return got, None


_CACHE: dict = {}


def _reference(spec, case):
    """The reference's answer for a case (computed once per session: some cases are large)."""
    key = ("want", spec.title, case.label)
    if key not in _CACHE:
        args, kwargs = copy.deepcopy(case.args), copy.deepcopy(case.kwargs)
        _CACHE[key] = spec.reference_fn(*args, **kwargs)
    return _CACHE[key]


def _applied_rtol(spec, case, want, loosest: bool) -> float:
    """The tolerance found by :func:`_find_rtol`, once per check, case and bound."""
    key = ("rtol", spec.title, case.label, loosest)
    if key not in _CACHE:
        _CACHE[key] = _find_rtol(spec, case, want, loosest)
    return _CACHE[key]


def _find_rtol(spec, case, want, loosest: bool) -> float:
    """The relative tolerance the check's comparer applies to this case, found by trying.

    ``want`` scaled by ``1 + f`` for growing f: the last f that passes is a lower bound
    of the tolerance, the first that fails an upper bound. Wrong answers are measured
    against the upper bound (``loosest``), accepted variants against the lower one.
    """
    if isinstance(want, tuple):
        return max(_find_rtol(spec, case, w, loosest) for w in want)
    want = np.asarray(want)
    if want.dtype.kind != "f" or not np.any(np.isfinite(want) & (want != 0)):
        return spec.rtol

    def passes(f):
        near = want * want.dtype.type(1 + f)
        try:
            return spec.compare(
                near, want, rtol=spec.rtol, atol=spec.atol, mistakes=(), case=case
            ).ok
        except Exception:
            return None

    below = None
    for above in _STEPS:
        ok = passes(above)
        if ok is None:
            return spec.rtol
        if not ok:
            break
        below = above
    else:
        return spec.rtol
    if below is None:
        return above if loosest else spec.rtol
    for _ in range(12):  # bisect (geometrically) to about 0.2%
        middle = (below * above) ** 0.5
        below, above = (middle, above) if passes(middle) else (below, middle)
    return above if loosest else below


def _judge(got, want, rtol, atol, tol32=None, float32_inputs=False):
    """``(structural problem or None, judged error in units of the tolerance)``.

    A float32 number for a float64 answer is structural when no input is float32 (the
    engine's rule: with a float32 input, a float32 number may answer a float64 reference).
    """
    if isinstance(want, tuple):
        if not isinstance(got, (tuple, list)) or len(got) != len(want):
            return "not a tuple of the right length", 0.0
        worst = 0.0
        for g, w in zip(got, want):
            problem, err = _judge(g, w, rtol, atol, tol32, float32_inputs)
            if problem:
                return problem, err
            worst = max(worst, err)
        return None, worst
    if got is None:
        return "returns None", 0.0
    want = np.asarray(want)
    if isinstance(got, (list, tuple)) and want.ndim > 0:
        return "returns a list", 0.0
    try:
        got = np.asarray(got)
    except Exception:
        return "not an array", 0.0
    if got.dtype.kind not in "biuf":
        return f"dtype {got.dtype}", 0.0
    if (
        want.ndim == 0
        and want.dtype == np.float64
        and got.dtype == np.float32
        and not float32_inputs
    ):
        return "a float32 number for a float64 answer", 0.0
    if got.shape != want.shape:
        return "wrong shape", 0.0
    if want.dtype.kind != "f":
        if want.dtype.kind in "iu" and got.dtype.kind not in "iu":
            return f"dtype {got.dtype} for class indices", 0.0
        if got.dtype.kind == "f" and not np.isin(got, (0, 1)).all():
            return "not 0/1 decisions", 0.0
        return (None, 0.0) if np.array_equal(got, want) else ("wrong labels (exact)", 0.0)
    if want.ndim > 0 and got.dtype != want.dtype:
        return f"dtype {got.dtype} for {want.dtype}", 0.0
    if got.dtype.kind != "f":
        got = got.astype(np.float64)
    finite = np.isfinite(want)
    if not np.array_equal(np.isfinite(got), finite) or not np.array_equal(
        got[~finite], want[~finite], equal_nan=True
    ):
        return "nan or inf where the answer differs", 0.0
    return None, judged_error(got, want, rtol, atol) / rtol


def _float32_inputs(case) -> bool:
    return any(isinstance(a, np.ndarray) and a.dtype == np.float32 for a in case.args)


def _judge_case(spec, case, got, want, *, loosest):
    """:func:`_judge` at the tolerance the check applies to ``case`` (its loosest or tightest)."""
    rtol = _applied_rtol(spec, case, want, loosest=loosest)
    atol = spec.atol * (rtol / spec.rtol)
    return _judge(got, want, rtol, atol, float32_inputs=_float32_inputs(case))


def _raises(want):
    """The exception a case asks for (its reference's answer is a ``Raises``), or None."""
    exception = getattr(want, "exception", None)
    return exception if isinstance(exception, type) else None


def _specs(check):
    params = inspect.signature(check).parameters.values()
    learners = [None] * sum(p.default is inspect.Parameter.empty for p in params)
    specs = spec_of(check, *learners, quiet=True)
    assert specs or check.__name__ in NOT_NUMERIC, f"{check.__name__} records no spec"
    return specs


@pytest.mark.parametrize("check, fn, name", _entries("MARGIN_WRONG"))
def test_a_catalogued_wrong_answer_misses_by_a_wide_margin(check, fn, name):
    specs = _specs(check)
    if not specs:
        pytest.skip(f"{check.__name__} is judged exactly, not against a tolerance")
    worst, seen = 0.0, []
    for spec in specs:
        for case in spec.cases:
            want = _reference(spec, case)
            got, problem = _call(fn, case)
            if changed_default(fn, spec.reference_fn, spec.arg_names, case):
                return  # another default in the def line: structural, as the engine rules
            if _raises(want) is not None:
                if problem != f"raises {_raises(want).__name__}":
                    return  # a value (or another exception) where an exception is due
                continue
            if problem is None:
                problem, err = _judge_case(spec, case, got, want, loosest=True)
                worst = max(worst, err)
            if problem:
                return  # rejected for a structural reason, the same on every CPU
            seen.append(f"{case.label}: {err:.3g}")
    assert worst >= WIDE, (
        f"misses the tolerance by only {worst:.3g}x at worst (needs {WIDE:g}x): " + "; ".join(seen)
    )


@pytest.mark.parametrize("check, fn, name", _entries("MARGIN_RIGHT"))
def test_an_accepted_variant_sits_well_inside_the_tolerance(check, fn, name):
    specs = _specs(check)
    if not specs:
        pytest.skip(f"{check.__name__} is judged exactly, not against a tolerance")
    for spec in specs:
        for case in spec.cases:
            want = _reference(spec, case)
            got, problem = _call(fn, case)
            assert not changed_default(fn, spec.reference_fn, spec.arg_names, case), case.label
            if _raises(want) is not None:  # a case with no answer: the function must refuse
                assert problem == f"raises {_raises(want).__name__}", f"{case.label}: {problem}"
                continue
            assert problem is None, f"{case.label}: {problem}"
            problem, err = _judge_case(spec, case, got, want, loosest=False)
            assert problem is None, f"{case.label}: {problem}"
            parts = want if isinstance(want, tuple) else (want,)
            float32 = any(np.asarray(w).dtype == np.float32 for w in parts)
            inside = (
                FLOAT32_ROUNDING.get(name, INSIDE32)
                if float32
                else FLAT_MINIMUM.get(name, INSIDE64)
            )
            assert err <= 1 / inside, f"{case.label}: {err:.3g} of the tolerance"


def test_the_tables_cover_every_lesson():
    for n, module in MODULES.items():
        assert len(module.MARGIN_WRONG) >= 10 and len(module.MARGIN_RIGHT) >= 3, n


def test_spec_of_records_without_calling_the_learner():
    from helpers.checks import check_sigmoid
    from helpers.checks._core import spec_of

    calls = []
    (spec,) = spec_of(check_sigmoid, lambda x: calls.append(x))
    assert calls == []
    assert spec.title == "Exercise 1.1 sigmoid" and spec.cases and spec.rtol > 0
    for name in ("reference_fn", "atol", "compare", "mistakes"):
        assert hasattr(spec, name)
