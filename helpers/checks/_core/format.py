"""Formatting for reports: safe strings, the one-line headline and its reader.

Everything a check prints goes through here. :func:`fmt` and :func:`safe_str`
never raise, whatever the learner's value does in its ``__repr__`` or ``__str__``.
The headline is the first line of every report::

    ✅ Exercise 1.1 sigmoid: passed all 9 cases (each within relative error 1e-07 ...)
    ❌ Exercise 1.1 sigmoid: failed on case 3 of 9, large negative inputs
    ⏳ Exercise 1.1 sigmoid: not done yet. Replace `raise NotImplementedError` ...

:func:`headline` writes it and :func:`parse_headline` reads it back (``tools/progress.py``
reads check output with it), so the two cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .. import _i18n
from .._i18n import tr, trf

PASS, FAIL, TODO = "✅", "❌", "⏳"

#: The headline's status words and their marks.
STATUS_MARKS = {"passed": PASS, "failed": FAIL, "not_done": TODO}
_MARK_STATUS = {mark: status for status, mark in STATUS_MARKS.items()}


def type_name(value) -> str:
    try:
        return str(type(value).__name__)
    except Exception:  # a metaclass can make even this raise
        return "object"


def safe_str(value) -> str:
    """``str(value)``, or a description when its ``__str__`` raises."""
    try:
        return str(value)
    except Exception as exc:
        return f"<a {type_name(value)} whose message cannot be shown: {type_name(exc)}>"


def fmt(value, limit=300) -> str:
    """A one-line, length-limited repr for reports (arrays abbreviated, 8 digits).

    Never raises: an object whose ``repr`` raises, or an integer too long to print,
    is described instead.
    """
    try:
        if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
            digits = int(value.bit_length() * 0.30103) + 1
            text = f"<an integer with about {digits} digits>"
        elif isinstance(value, (np.ndarray, np.generic)):
            with np.printoptions(precision=8, threshold=12, edgeitems=3):
                text = repr(np.asarray(value))
        elif type(value) is dict:
            text = "{" + ", ".join(f"{k}={fmt(v, 80)}" for k, v in value.items()) + "}"
        else:
            text = repr(value)
        if not isinstance(text, str):
            raise TypeError("repr did not return a string")
    except Exception as exc:
        text = f"<a {type_name(value)} whose repr raised {type_name(exc)}>"
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def fmt_inputs(names: Sequence[str], case) -> str:
    """``x=array([...]), axis=-1``: a case's inputs for the report's ``input:`` line."""
    parts = [f"{n}={fmt(a, 120)}" for n, a in zip(names, case.args)]
    parts += [f"{k}={fmt(v, 60)}" for k, v in case.kwargs.items()]
    return ", ".join(parts)


# ---------------------------------------------------------------- the headline


def headline(status: str, title: str, detail: str) -> str:
    """The first line of a report: ``"<mark> <title>: <detail>"``.

    ``status`` is ``"passed"``, ``"failed"`` or ``"not_done"``; ``title`` is the
    check's title (``"Exercise 1.1 sigmoid"``), ``detail`` the rest of the line.
    The structure (mark, title, ``": "``) is the same in every language; the title
    is written in the checks' language (:func:`title_text`), the detail is the
    caller's, already translated.
    """
    if status not in STATUS_MARKS:
        raise ValueError(f"status must be one of {sorted(STATUS_MARKS)}, got {status!r}")
    return f"{STATUS_MARKS[status]} {title_text(title)}: {detail}"


def title_text(title: str) -> str:
    """A check's title in the checks' language: "Exercise 1.1 sigmoid" -> "练习 1.1 sigmoid"."""
    exercise = _EXERCISE_TITLE.match(title) if isinstance(title, str) else None
    if exercise is None:
        return tr(title) if isinstance(title, str) else title
    return trf(_i18n.EXERCISE_TITLE, number=exercise["number"], name=exercise["name"])


@dataclass(frozen=True)
class Headline:
    """A headline read back: ``status`` (passed / failed / not_done), ``title``,
    ``exercise`` (``"1.1"``, or ``""`` when the title names none), ``name`` (the
    exercise's function name, the title's last word) and ``detail``."""

    status: str
    title: str
    exercise: str
    name: str
    detail: str


_HEADLINE = re.compile(
    "^(?P<mark>[" + "".join(STATUS_MARKS.values()) + r"]) (?P<title>[^:\n]+?): (?P<detail>.*)$"
)
_EXERCISE_TITLE = re.compile(r"^Exercise (?P<number>\d+\.\d+) (?P<name>\w+)$")
# Any language: the word for "Exercise" (one word, or none), the number, the function's name.
_ANY_EXERCISE_TITLE = re.compile(r"^(?:\w+ ?)?(?P<number>\d+\.\d+) (?P<name>\w+)$")


def parse_headline(line: str) -> Headline | None:
    """Read a line written by :func:`headline`; None when it is not a headline.

    The title of every check is ``"Exercise N.M name"`` (in Chinese ``"练习 N.M name"``,
    in Russian ``"Упражнение N.M name"``: any one word before the number); the mark and
    the ``": "`` after the title are the same in every language. Another title (``"check"``)
    reads back with ``exercise == ""`` and its last word as ``name``.
    """
    if not isinstance(line, str):
        return None
    match = _HEADLINE.match(line.rstrip("\r\n"))
    if match is None:
        return None
    title = match["title"]
    exercise = _ANY_EXERCISE_TITLE.match(title)
    return Headline(
        status=_MARK_STATUS[match["mark"]],
        title=title,
        exercise=exercise["number"] if exercise else "",
        name=exercise["name"] if exercise else title.split()[-1],
        detail=match["detail"],
    )


def tolerance_class(rtol: float) -> str:
    """What a pass guarantees: the check's fixed tolerance, never the measured error.

    The measured error depends on the last bits of ``exp`` and ``log``, which differ
    between CPUs (SIMD kernels, libm); the tolerance does not, so a stored pass line
    reproduces on every machine.
    """
    return trf(_i18n.TOLERANCE, rtol=f"{rtol:.0e}")


# ---------------------------------------------------------------- graded hints

# In graded mode a hint says what is wrong, not the corrected code: a clause that gives the
# fix (an imperative such as "use", "write", "keep" with code in it or right after it) is
# left out, with the code that follows it.
_HINT_CLAUSE = re.compile(r"(?<=[.:;])\s+|,\s+(?=(?:so|then|or|and)\s)|\s+\((?=use\b)")
_HINT_FIX = re.compile(
    r"\b(?:use|write|keep|compute|only ever|do not clip|subtract|call|return|replace|convert|"
    r"sum along|multiply|take|apply|divide by|solve|the answer is)\b",
    re.IGNORECASE,
)
_HINT_CODE = re.compile(r"[\w)]\s*[-+*/=]\s*[\w(]|\w\(|`|\*\*|\bnp\.|=")


def graded_hint(hint: str) -> str:
    """``hint`` without the clauses that print the fix's code (graded feedback)."""
    clauses = _HINT_CLAUSE.split(hint)
    kept, dropping = [], False
    for i, clause in enumerate(clauses):
        fix, code = bool(_HINT_FIX.search(clause)), bool(_HINT_CODE.search(clause))
        following = clauses[i + 1] if i + 1 < len(clauses) else ""
        if fix and (code or _HINT_CODE.search(following)):
            dropping = True
        elif dropping and not (fix or code):
            dropping = False
        if not dropping:
            kept.append(clause)
    text = " ".join(kept).rstrip(" .:;,(")
    return text if len(text) >= 12 else "compare your formula with the lesson's derivation"
