"""Running a check: every case, one report, one verdict.

:func:`run_check` calls the learner's function on each :class:`Case`, judges the
result with a ``compare`` function (:func:`~.compare.compare_arrays` or one made by
:func:`~.compare.comparer`) and prints the headline (and, on failure, the input,
what came back, what was expected and a hint). Each case goes through a fixed list
of small rules (:data:`CALL_RULES`): the checks and NumPy still genuine (graded
mode), the reference not called (graded mode), the inputs unchanged, then the values
(and NumPy's warnings). A lesson changes the report of an exception with
``on_raise``. :func:`run_judge` runs a check that judges a value by its own rules
(no reference function), with the same preamble, headline and verdict.
:func:`spec_of` says what a check would run, without running the learner's code.
"""

from __future__ import annotations

import contextvars
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .. import _i18n
from .._i18n import tr, trf
from .compare import INVALID_HINT, compare_arrays
from .format import (
    fmt,
    fmt_inputs,
    graded_hint,
    headline,
    tolerance_class,
    type_name,
)
from .integrity import (
    CheckFailed,
    _nesting,
    forbidden_codes,
    graded,
    integrity_problems,
    refuse,
    restore_error_display,
)
from .learner import (
    NotDone,
    call_learner,
    changed_default,
    earlier_fault,
    not_done_message,
    reordered_parameters,
    unstable_outcome,
)
from .outcome import GENERIC_HINT, Case, Kind, Mistake, Outcome
from .raised import raised_hint, raised_problem

WARNING_HINT = (
    "an intermediate step overflowed or divided by zero: a stable formula "
    "never exponentiates a large positive number"
)
MUTATION_HINT = "work on a new array (x - m, not x -= m): the caller's data must not change"


# ---------------------------------------------------------------- recording what a check runs


@dataclass(frozen=True)
class CheckSpec:
    """What one :func:`run_check` call of a check would run (see :func:`spec_of`)."""

    title: str
    cases: tuple
    reference_fn: Callable
    rtol: float
    atol: float
    compare: Callable
    mistakes: tuple
    arg_names: tuple = ()


_RECORDING: contextvars.ContextVar[list | None] = contextvars.ContextVar(
    "helpers_checks_recording", default=None
)


def spec_of(check: Callable, *args, **kwargs) -> list[CheckSpec]:
    """The :class:`CheckSpec` of every :func:`run_check` call that ``check(*args, **kwargs)`` makes.

    The learner's function is never called: while recording, :func:`run_check`
    notes its title, cases, reference, tolerances, ``compare`` and mistakes and
    returns True at once (so a check that runs several parts records them all), and
    :func:`run_judge` records nothing and returns True. Pass any learner function
    (``spec_of(check_sigmoid, None)`` works). Tests and tools use it, for example to
    measure every catalogued mistake's margin against the check's tolerance.
    """
    token = _RECORDING.set([])
    try:
        check(*args, **kwargs)
        return list(_RECORDING.get())
    finally:
        _RECORDING.reset(token)


# ---------------------------------------------------------------- one case


@dataclass
class _Run:
    """The settings of one :func:`run_check` call, shared by its rules."""

    title: str
    learner_fn: Any
    reference_fn: Callable
    arg_names: Sequence[str]
    mistakes: Sequence[Mistake]
    rtol: float
    atol: float
    compare: Callable
    warning_hint: str
    invalid_hint: str
    mutation_hint: str
    on_raise: Callable | None
    say: Callable
    watch: dict | None = None

    @property
    def exercise(self) -> str:
        return self.title.split()[-1]


@dataclass
class _Call:
    """One call of the learner's function that returned: the case and what came of it."""

    case: Case
    want: Any
    got: Any
    warned: list
    mutated: int | str | None


class _Stop(Exception):
    """End the check now with a failed verdict: its report has been printed."""


def _refused(title: str, say) -> bool:
    """Graded mode: refuse (printing why) when NumPy, the checks or the references changed."""
    if graded():
        problems = integrity_problems()
        if problems:
            refuse(title, problems, say)
            return True
    return False


def _rule_still_genuine(run: _Run, call: _Call) -> Outcome | None:
    """Graded mode: NumPy, the checks and the references are still the captured ones."""
    if _refused(run.title, run.say):
        raise _Stop
    return None


def _rule_reference_not_called(run: _Run, call: _Call) -> Outcome | None:
    if run.watch and "called" in run.watch:
        called = run.watch["called"]
        return Outcome(
            False,
            f"calls {called}, the reference this exercise is checked against",
            None,
            call.want,
            "graded work computes the answer itself: write the formula instead of "
            f"calling {called}",
            kind=Kind.FORBIDDEN,
        )
    return None


def _arg_name(arg_names, which) -> str:
    """A mutated argument's name: a keyword's own, or the positional name from ``arg_names``."""
    if isinstance(which, str):
        return which
    return arg_names[which] if which < len(arg_names) else f"argument {which + 1}"


def _rule_inputs_unchanged(run: _Run, call: _Call) -> Outcome | None:
    if call.mutated is not None:
        return Outcome(
            False,
            f"modified its input `{_arg_name(run.arg_names, call.mutated)}` in place",
            None,
            call.want,
            run.mutation_hint,
            kind=Kind.MUTATED,
        )
    return None


def _rule_defaults_kept(run: _Run, call: _Call) -> Outcome | None:
    """A case that relies on a default gets the exercise's: the learner may not change it."""
    hint = changed_default(run.learner_fn, run.reference_fn, run.arg_names, call.case)
    if hint is None:
        return None
    return Outcome(
        False, "changed a default of the exercise", call.got, call.want, hint, kind=Kind.SIGNATURE
    )


def _rule_values(run: _Run, call: _Call) -> Outcome:
    """The comparison's verdict; right values computed with a NumPy warning still fail.

    A wrong result is asked for again, with ``np.empty`` giving zeros instead of NaN
    (:func:`~.learner.unstable_outcome`): one that changes has entries it never wrote, and
    that is the report, whatever the values happened to be.
    """
    outcome = compare_safely(
        run.compare, call.got, call.want, run.rtol, run.atol, run.mistakes, call.case
    )
    if not outcome.ok:
        outcome = unstable_outcome(run.learner_fn, call.case, call.got, call.want) or outcome
    if outcome.ok and call.warned:
        warning = call.warned[0]
        return Outcome(
            False,
            f"gave the right values but NumPy warned: {fmt(warning, 100)}",
            call.got,
            call.want,
            run.invalid_hint if "invalid value" in warning else run.warning_hint,
            kind=Kind.WARNED,
        )
    return outcome


#: The rules for a call of the learner's function that returned, in order; the first
#: that returns an Outcome decides the case.
CALL_RULES = (
    _rule_still_genuine,
    _rule_reference_not_called,
    _rule_inputs_unchanged,
    _rule_defaults_kept,
    _rule_values,
)


def _raised(run: _Run, exc: BaseException, case: Case, want) -> Outcome:
    """The learner's function raised on a valid input: the lesson's report, else the default."""
    try:
        outcome = run.on_raise(exc, case) if run.on_raise is not None else None
    except Exception:  # an exception the lesson's diagnosis cannot read: the default report
        outcome = None
    if isinstance(outcome, Outcome):
        if outcome.expected is None:
            outcome.expected = want
        if outcome.kind is Kind.OTHER:
            outcome.kind = Kind.RAISED
        return outcome
    hint = changed_default(run.learner_fn, run.reference_fn, run.arg_names, case) or raised_hint(
        exc, run.learner_fn, run.reference_fn, run.arg_names, case
    )
    return Outcome(False, raised_problem(exc), None, want, hint, kind=Kind.RAISED)


def _judge_case(run: _Run, earlier, case: Case) -> Outcome:
    """Run the learner's function on one case and judge it (raises _Stop when the check ends)."""
    want = run.reference_fn(*case.args, **case.kwargs)
    try:
        got, warned, mutated = call_learner(run.learner_fn, case.args, case.kwargs, watch=run.watch)
    except NotDone as exc:
        run.say(not_done_message(run.title, run.exercise, run.learner_fn, exc, earlier))
        raise _Stop from None
    except BaseException as exc:  # the learner's code raised on valid input
        if isinstance(exc, KeyboardInterrupt):  # the learner stops the check
            raise
        return _raised(run, exc, case, want)
    call = _Call(case, want, got, warned, mutated)
    for rule in CALL_RULES:
        outcome = rule(run, call)
        if outcome is not None:
            return outcome
    raise AssertionError("the last rule always decides")  # pragma: no cover


def _report_failure(run, n, total, case, outcome, generic_hint, earlier) -> None:
    hint = outcome.hint
    if generic_hint is not None and (outcome.generic or hint == GENERIC_HINT):
        hint = generic_hint
    hint = (
        earlier_fault(run.learner_fn, run.exercise, earlier)
        or reordered_parameters(run.learner_fn, run.arg_names)
        or hint
    )
    say = run.say
    label = tr(case.label)
    say(headline("failed", run.title, trf(_i18n.FAILED_ON_CASE, n=n, total=total, label=label)))
    say(trf(_i18n.REPORT_INPUT, text=fmt_inputs(run.arg_names, case)))
    say(trf(_i18n.REPORT_PROBLEM, text=tr(outcome.problem)))
    if outcome.got is not None:
        say(trf(_i18n.REPORT_GOT, text=fmt(outcome.got)))
    say(trf(_i18n.REPORT_EXPECTED, text=fmt(outcome.expected)))
    say(trf(_i18n.REPORT_HINT, text=tr(graded_hint(hint) if graded() else hint)))


# ---------------------------------------------------------------- the entry points


def run_check(
    title: str,
    learner_fn,
    reference_fn,
    cases: Sequence[Case],
    *,
    arg_names: Sequence[str],
    mistakes: Sequence[Mistake] = (),
    rtol: float = 1e-7,
    atol: float = 1e-12,
    compare=compare_arrays,
    warning_hint: str = WARNING_HINT,
    invalid_hint: str = INVALID_HINT,
    generic_hint: str | None = None,
    mutation_hint: str = MUTATION_HINT,
    earlier: dict | None = None,
    forbid: Sequence[Callable] = (),
    on_raise: Callable[[BaseException, Case], Outcome | None] | None = None,
    quiet: bool = False,
) -> bool:
    """Run ``learner_fn`` on every case against ``reference_fn`` and report.

    Parameters
    ----------
    title : str
        ``"Exercise 1.1 sigmoid"``: starts the headline; its last word is the
        exercise's function name.
    learner_fn, reference_fn : callable
    cases : list of Case
        Ordinary, edge and adversarial inputs, in that order.
    arg_names : list of str
        Names of the positional arguments, for the report.
    mistakes : list of Mistake
        Known wrong answers and the hint for each.
    compare : callable
        ``compare(got, want, rtol=, atol=, mistakes=, case=) -> Outcome``; build one
        with :func:`~.compare.comparer`.
    warning_hint : str
        The hint when the values are right but NumPy warned (RuntimeWarning) of an
        overflow or a division by zero.
    invalid_hint : str
        The hint when the warning was "invalid value" (a nan on the way).
    mutation_hint : str
        The hint when the learner's function changed its input array in place.
    generic_hint : str, optional
        The hint for wrong values that match no known mistake, in the lesson's words
        (default :data:`GENERIC_HINT`).
    earlier : dict, optional
        ``{"sigmoid": ("Exercise 1.1", check_sigmoid)}``: learner functions of earlier
        exercises that this one may call, with their checks. A stub among them is
        named as such, and when this check fails and the learner's function calls one
        whose own check fails, the report puts the fault there.
    forbid : list of callable
        In graded mode, functions the learner's function must not call, besides the
        reference itself and the :mod:`helpers` function named like the exercise.
    on_raise : callable, optional
        ``on_raise(exc, case) -> Outcome | None``, called when the learner's function
        raises an ordinary exception (or SystemExit) on a case: an Outcome replaces
        the default report (its ``expected`` defaults to the reference's answer, its
        kind to ``Kind.RAISED``; :func:`raised_problem` writes the usual problem
        line); None (or an ``on_raise`` that itself raises) keeps the default.
        NotImplementedError is always "not done yet".
    quiet : bool
        Print nothing (used by tests and by the earlier-exercise diagnosis).

    Returns
    -------
    bool
        True if every case passed (in graded mode: None, or CheckFailed raised).
        While :func:`spec_of` records, True at once: nothing is run.
    """
    recording = _RECORDING.get()
    if recording is not None:
        recording.append(
            CheckSpec(
                title,
                tuple(cases),
                reference_fn,
                rtol,
                atol,
                compare,
                tuple(mistakes),
                tuple(arg_names),
            )
        )
        return True
    say = (lambda *a: None) if quiet else print
    if not callable(learner_fn):
        say(headline("failed", title, trf(_i18n.NOT_A_FUNCTION, got=fmt(learner_fn, 60))))
        return verdict(False)
    run = _Run(
        title,
        learner_fn,
        reference_fn,
        arg_names,
        mistakes,
        rtol,
        atol,
        compare,
        warning_hint,
        invalid_hint,
        mutation_hint,
        on_raise,
        say,
    )
    if _refused(title, say):
        return verdict(False)
    if graded():
        run.watch = {"codes": forbidden_codes(title, reference_fn, forbid)}
    for n, case in enumerate(cases, start=1):
        try:
            outcome = _judge_case(run, earlier, case)
        except _Stop:
            return verdict(False)
        if not outcome.ok:
            _report_failure(run, n, len(cases), case, outcome, generic_hint, earlier)
            return verdict(False)
    detail = trf(_i18n.PASSED, total=len(cases), tolerance=tolerance_class(rtol))
    say(headline("passed", title, detail))
    return verdict(True, title=title, say=say)


@dataclass
class Judgement:
    """What a judge of :func:`run_judge` decides: pass or fail, the headline's text after
    the title, and the report's further lines (each printed as given)."""

    ok: bool
    detail: str
    lines: Sequence[str] = ()


def run_judge(
    title: str,
    judge: Callable[[Any], Judgement],
    learner_fn,
    *,
    call_hint: str | None = None,
    quiet: bool = False,
) -> bool:
    """Run a check that judges the learner's value by its own rules (no reference to compare).

    Calls ``learner_fn()`` (no arguments) as :func:`run_check` calls a learner's
    function: a non-function, the stub, an exception, graded-mode integrity are
    reported the same way, and every learner value printed goes through :func:`fmt`.
    Then ``judge(value)`` returns a :class:`Judgement`; a judge that raises on a
    strange value is reported as a failure, never a crash. ``call_hint`` is the hint
    when the learner's function raises (default: run it in a new cell).
    """
    if _RECORDING.get() is not None:
        return True
    say = (lambda *a: None) if quiet else print
    exercise = title.split()[-1]
    if not callable(learner_fn):
        say(headline("failed", title, trf(_i18n.NOT_A_FUNCTION, got=fmt(learner_fn, 60))))
        return verdict(False)
    if _refused(title, say):
        return verdict(False)
    try:
        got, _, _ = call_learner(learner_fn, (), {})
    except NotDone as exc:
        say(not_done_message(title, exercise, learner_fn, exc, None))
        return verdict(False)
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        say(headline("failed", title, raised_problem(exc)))
        hint = tr(call_hint) if call_hint else trf(_i18n.RUN_IN_NEW_CELL, exercise=exercise)
        say(trf(_i18n.REPORT_HINT, text=hint))
        return verdict(False)
    if _refused(title, say):
        return verdict(False)
    try:
        judgement = judge(got)
        if not isinstance(judgement, Judgement):
            raise TypeError("a judge returns a Judgement")
    except Exception as exc:
        detail = trf(_i18n.CANNOT_BE_JUDGED, got=fmt(got, 80), error=type_name(exc))
        hint = trf(_i18n.REPORT_HINT, text=tr("return what the exercise asks for"))
        judgement = Judgement(False, detail, [hint])
    say(headline("passed" if judgement.ok else "failed", title, tr(judgement.detail)))
    for line in judgement.lines:
        say(_judgement_line(line))
    return verdict(judgement.ok, title=title, say=say)


def _judgement_line(line: str) -> str:
    """A judge's further line in the checks' language: its indented label and its text."""
    label = re.match(r"^( +\w+(?: \w+)*:\s+)(.*)$", line, re.DOTALL)
    if label is None:
        return tr(line)
    if label[1] == "    hint:     ":
        return trf(_i18n.REPORT_HINT, text=tr(label[2]))
    return tr(line)


def compare_safely(compare, got, want, rtol, atol, mistakes, case) -> Outcome:
    """``compare(...)``, but a result that breaks the comparison is a report, not a crash."""
    try:
        outcome = compare(got, want, rtol=rtol, atol=atol, mistakes=mistakes, case=case)
    except Exception as exc:
        return Outcome(
            False,
            f"returned a {type_name(got)} that cannot be compared ({type_name(exc)})",
            got,
            want,
            "return a NumPy array of numbers, as the exercise's docstring says",
            kind=Kind.UNCOMPARABLE,
        )
    if not isinstance(outcome, Outcome):  # a comparison must decide
        return Outcome(
            False,
            "could not be compared",
            got,
            want,
            "return a NumPy array",
            kind=Kind.UNCOMPARABLE,
        )
    return outcome


def verdict(ok: bool, *, title: str = "check", say=print) -> bool | None:
    """What a check returns: ``ok``; in graded mode, None for a pass and CheckFailed for a fail.

    nbgrader scores a test cell zero when it raises, and otherwise reads the cell's
    value as partial credit, so a displayed ``True`` makes it warn. A pass is
    granted only if NumPy, the checks and their references are still genuine.
    Checks run inside a check (the earlier-exercise diagnosis) just return ``ok``.
    """
    if not graded() or _nesting[0] > 0:
        return ok
    if not ok:
        restore_error_display()
        raise CheckFailed("the check above failed (a graded check cell scores 0 for it)")
    problems = integrity_problems()
    if problems:
        refuse(title, problems, say)
        restore_error_display()
        raise CheckFailed("not graded: the checks or NumPy were changed (see above)")
    return None
