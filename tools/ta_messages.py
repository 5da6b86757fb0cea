"""The check reports a helper (TA) sees in the room, from the real checks.

``report(spec)`` runs one catalogued wrong answer of tests/test_lesson0N_checks.py through its
check and returns what the check prints. docs/instructors/helpers-in-the-room.md quotes these
reports in blocks marked ``<!-- report: SPEC -->``; tests/test_instructor_guide.py re-runs each
one and fails if the page no longer shows what the check prints.

    python -m tools.ta_messages "lesson01 SIGMOID_WRONG sigma(|x|)"

A SPEC is ``lessonNN CATALOGUE KEY``: CATALOGUE a dict of ``{name: (fn, hint)}`` (KEY its
name), or a list of ``(fn, hint)`` / ``(check, fn, hint)`` tuples (KEY the function's name).
"""

from __future__ import annotations

import contextlib
import importlib
import io
import sys
import warnings

# the check each catalogue goes with, where the catalogue does not say
CHECKS = {
    ("lesson01", "SIGMOID_WRONG"): "check_sigmoid",
    ("lesson01", "GRAD_WRONG"): "check_sigmoid_grad",
    ("lesson03", "JACOBIAN_WRONG"): "check_softmax_jacobian",
    ("lesson03", "CE_WRONG"): "check_softmax_cross_entropy_grad",
    ("lesson04", "TO_SIGMOID_MISTAKES"): "check_softmax_to_sigmoid",
    ("lesson04", "PREDICT_MISTAKES"): "check_sigmoid_predict",
    ("lesson05", "CHOICES_WRONG"): "check_my_choices",
}


def wrong_answer(spec: str):
    """``(check, wrong function)`` for a SPEC."""
    lesson, catalogue_name, key = spec.split(" ", 2)
    tests = importlib.import_module(f"tests.test_{lesson}_checks")
    checks = importlib.import_module(f"helpers.checks.{lesson}")
    catalogue = getattr(tests, catalogue_name)
    if isinstance(catalogue, dict):
        fn = catalogue[key][0]
        check = getattr(checks, CHECKS[(lesson, catalogue_name)])
        return check, fn
    for entry in catalogue:
        if len(entry) == 3 and getattr(entry[1], "__name__", "") == key:
            return entry[0], entry[1]
        if len(entry) == 2 and getattr(entry[0], "__name__", "") == key:
            return getattr(checks, CHECKS[(lesson, catalogue_name)]), entry[0]
    raise KeyError(f"{spec}: no such wrong answer")


def report(spec: str) -> str:
    """What the check prints for that wrong answer (stripped)."""
    check, fn = wrong_answer(spec)
    out = io.StringIO()
    with contextlib.redirect_stdout(out), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(fn)
    return out.getvalue().strip()


if __name__ == "__main__":
    sys.path.insert(0, ".")
    for arg in sys.argv[1:]:
        print(f"<!-- report: {arg} -->\n```text\n{report(arg)}\n```\n")
