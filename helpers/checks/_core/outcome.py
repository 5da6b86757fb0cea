"""The records every check passes around: a case to try, a known mistake, an outcome.

:class:`Case` (one input), :class:`Mistake` (a known wrong answer and its hint),
:class:`Outcome` (the verdict on one case) and :class:`Kind` (which rule decided
it: what a lesson tests instead of the English of a message).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

#: The wrong-values hint when no known mistake matches; ``run_check(generic_hint=...)``
#: replaces it with the lesson's own words.
GENERIC_HINT = "compare your formula with the lesson's, term by term"


@dataclass
class Case:
    """One input to try: positional ``args`` and ``kwargs`` for both functions."""

    label: str
    args: tuple
    kwargs: dict = field(default_factory=dict)


@dataclass
class Mistake:
    """A known wrong answer: if the learner's output equals ``wrong(*args)``, say ``hint``."""

    hint: str
    wrong: Callable[..., Any]


class Kind(enum.Enum):
    """Which rule decided a case: what a lesson's ``compare`` tests instead of the message."""

    PASSED = "passed"
    NONE = "returned None"
    TYPE = "not a number or an array of numbers"
    SHAPE = "wrong shape (or one number where an array is due, or the reverse)"
    DTYPE = "wrong dtype"
    NONFINITE = "nan or inf where the answer is finite"
    INFINITIES = "the wrong infinities"
    WRONG_VALUES = "wrong values (a known mistake, or the generic hint)"
    PRECISION = "a float32 number where float64 precision is due"
    UNCOMPARABLE = "a result the comparison could not handle"
    RAISED = "the learner's function raised"
    MUTATED = "the learner's function changed its input"
    UNSTABLE = "different values for the same input (entries never written, or randomness)"
    WARNED = "right values, but NumPy warned"
    SIGNATURE = "a def line that differs from the exercise's (a changed default)"
    FORBIDDEN = "called the reference in graded mode"
    OTHER = "decided by a lesson's own comparison"


@dataclass
class Outcome:
    """The verdict on one case.

    ``kind`` is the :class:`Kind` of the rule that decided it (default: PASSED for
    ``ok``, OTHER otherwise); ``generic`` is True when the hint is the generic one
    (no known mistake matched); ``mistake`` is the :class:`Mistake` that matched.
    """

    ok: bool
    problem: str = ""
    got: Any = None
    expected: Any = None
    hint: str = ""
    err: float = 0.0
    kind: Kind | None = None
    generic: bool = False
    mistake: Mistake | None = None

    def __post_init__(self):
        if self.kind is None:
            self.kind = Kind.PASSED if self.ok else Kind.OTHER
