"""The engine behind every ``check_*`` function: run, compare, diagnose, report.

A check calls the learner's function on a list of :class:`Case` inputs and
compares each result with the reference implementation from :mod:`helpers`.
It prints one headline line, and on failure the input, what came back, what was
expected and a hint naming the likely mistake. It never raises because of the
learner's code (whatever the learner's function returns or raises; only
KeyboardInterrupt stops a check).

What a check guarantees, and no more: a pass means the answer matched the reference,
within the check's stated tolerance, on every one of the check's cases; every
catalogued wrong answer is rejected by a wide margin on every CPU; an uncatalogued
wrong answer is rejected when it differs from the reference by more than the
tolerance on one of the check's cases. The rule that makes verdicts CPU-independent:
a catalogued wrong answer misses the tolerance by >= 100x or fails structurally
(raises, None, wrong shape or dtype, nan/inf where the answer is finite, wrong exact
labels, a NumPy warning, a mutated input), on every CPU, and every accepted variant
sits well inside the tolerance. tests/test_check_margins.py enforces it, with the
cases, tolerance and reference that :func:`spec_of` records without calling the learner.

One dtype policy for every check: an array answer keeps the input's dtype
(float32 in, float32 out); a single number may come back as a Python float, a
NumPy scalar or a 0-d array, and is judged at the input's precision.

The modules, by concern (each name below is re-exported here):

``outcome``
    The records: :class:`Case`, :class:`Mistake`, :class:`Outcome` and
    :class:`Kind` (which rule decided a case), :data:`GENERIC_HINT`.
``format``
    Safe text for reports (:func:`fmt`, :func:`safe_str`, :func:`type_name`), the
    headline writer :func:`headline` and its reader :func:`parse_headline`
    (used by ``tools/progress.py``), :func:`tolerance_class`.
``compare``
    One result against the reference: :func:`compare_arrays` (a list of small rules,
    :data:`~.compare.RULES`), the factory :func:`comparer`, :func:`matching_mistake`,
    :func:`judged_error`, :func:`quietly` and the shared hints.
``integrity``
    Graded mode: :func:`graded`, :func:`seal`, :func:`integrity_problems`,
    :func:`graded_check`, :class:`CheckFailed`, the codes the learner must not call.
``learner``
    Calling the learner's code: :func:`call_learner`, :class:`NotDone`, the stub and
    earlier-exercise diagnoses.
``raised``
    What an exception from the learner's code usually means: :func:`raised_problem`,
    :func:`exception_hint`, and the hint for parameters that do not take the
    exercise's arguments.
``run``
    The entry points: :func:`run_check` (with ``on_raise``), :func:`run_judge` for a
    check with its own judge, :func:`verdict`, and :func:`spec_of`, which lists the
    :class:`CheckSpec` a check would run without calling the learner's code.

The lesson modules ``lessonNN.py`` build their checks from these names.
"""

from __future__ import annotations

from . import compare, format, integrity, learner, outcome, raised, run
from .compare import (
    DTYPE_HINT,
    INVALID_HINT,
    ONE_NUMBER_POLICIES,
    OVERFLOW_HINT,
    RULES,
    compare_arrays,
    comparer,
    float32_number,
    judged_error,
    matching_mistake,
    quietly,
)
from .format import (
    FAIL,
    PASS,
    STATUS_MARKS,
    TODO,
    Headline,
    fmt,
    fmt_inputs,
    graded_hint,
    headline,
    parse_headline,
    safe_str,
    tolerance_class,
    type_name,
)
from .integrity import (  # noqa: F401 - the private records, shared objects
    _CHECKS,
    _SNAPSHOT,
    CheckFailed,
    _nesting,
    forbidden_codes,
    graded,
    graded_check,
    integrity_problems,
    refuse,
    restore_error_display,
    seal,
)
from .learner import UNSTABLE_HINT, NotDone, call_learner, earlier_fault, not_done_message
from .outcome import GENERIC_HINT, Case, Kind, Mistake, Outcome
from .raised import exception_hint, raised_problem
from .run import (
    CALL_RULES,
    MUTATION_HINT,
    WARNING_HINT,
    CheckSpec,
    Judgement,
    compare_safely,
    run_check,
    run_judge,
    spec_of,
    verdict,
)

# The names these had when the engine was one module.
_type_name, _safe_str, _fmt_inputs = type_name, safe_str, fmt_inputs
_refuse, _forbidden_codes, _restore_error_display = refuse, forbidden_codes, restore_error_display

__all__ = [
    "graded_hint",
    "CALL_RULES",
    "DTYPE_HINT",
    "FAIL",
    "GENERIC_HINT",
    "INVALID_HINT",
    "MUTATION_HINT",
    "UNSTABLE_HINT",
    "ONE_NUMBER_POLICIES",
    "OVERFLOW_HINT",
    "PASS",
    "RULES",
    "STATUS_MARKS",
    "TODO",
    "WARNING_HINT",
    "Case",
    "CheckFailed",
    "CheckSpec",
    "Headline",
    "Judgement",
    "Kind",
    "Mistake",
    "NotDone",
    "Outcome",
    "call_learner",
    "compare",
    "compare_arrays",
    "compare_safely",
    "comparer",
    "earlier_fault",
    "exception_hint",
    "fmt",
    "fmt_inputs",
    "forbidden_codes",
    "format",
    "graded",
    "graded_check",
    "headline",
    "integrity",
    "integrity_problems",
    "float32_number",
    "judged_error",
    "learner",
    "matching_mistake",
    "not_done_message",
    "outcome",
    "raised",
    "parse_headline",
    "quietly",
    "raised_problem",
    "refuse",
    "restore_error_display",
    "run",
    "run_check",
    "run_judge",
    "safe_str",
    "seal",
    "spec_of",
    "tolerance_class",
    "type_name",
    "verdict",
]
