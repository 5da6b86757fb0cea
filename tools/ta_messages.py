"""The check reports a helper (TA) sees in the room, from the real checks.

``report(spec)`` runs one catalogued wrong answer of tests/test_lesson0N_checks.py through its
check and returns what the check prints. docs/instructors/helpers-in-the-room.md quotes these
reports in blocks marked ``<!-- report: SPEC -->``; tests/test_instructor_guide.py re-runs each
one and fails if the page no longer shows what the check prints.

    python -m tools.ta_messages "lesson01 SIGMOID_WRONG sigma(|x|)"
    python -m tools.ta_messages --refresh docs/instructors/helpers-in-the-room.md

A SPEC is ``lessonNN CATALOGUE KEY``: CATALOGUE a dict of ``{name: (fn, hint)}`` (KEY its
name), or a list of ``(fn, hint)`` / ``(check, fn, hint)`` tuples (KEY the function's name).
"""

from __future__ import annotations

import contextlib
import importlib
import io
import re
import sys
import warnings
from pathlib import Path

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


QUOTED = re.compile(r"(<!-- report: (.+?) -->\n```text\n)(.*?)(\n```)", re.DOTALL)


def refresh(text: str) -> str:
    """Every quoted report block of a page, re-run: the same kinds of line as it quoted.

    A block quotes some lines of a report (the headline, ``problem:``, ``hint:``...); after a
    hint is reworded, the block gets that line as the check prints it now.
    """

    def block(match: re.Match) -> str:
        real = report(match.group(2)).splitlines()
        kinds = {_kind(line) for line in match.group(3).splitlines()}
        kept = [line for line in real if _kind(line) in kinds]
        return match.group(1) + "\n".join(kept) + match.group(4)

    return QUOTED.sub(block, text)


def _kind(line: str) -> str:
    """``"headline"`` for the first line of a report, else its label (``"hint"``, ...)."""
    stripped = line.strip()
    return stripped.split(":", 1)[0] if line.startswith("    ") else "headline"


if __name__ == "__main__":
    sys.path.insert(0, ".")
    if sys.argv[1:2] == ["--refresh"]:  # python -m tools.ta_messages --refresh PAGE.md
        for name in sys.argv[2:]:
            path = Path(name)
            path.write_text(refresh(path.read_text(encoding="utf-8")), encoding="utf-8")
    else:
        for arg in sys.argv[1:]:
            print(f"<!-- report: {arg} -->\n```text\n{report(arg)}\n```\n")
