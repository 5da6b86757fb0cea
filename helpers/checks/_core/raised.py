"""What an exception from the learner's code usually means: the report's problem and hint.

:func:`raised_problem` writes the problem line (``raised ValueError: <its message>``).
:func:`raised_hint` writes the hint: that the function's parameters do not take the
exercise's arguments, when the call itself failed; else :func:`exception_hint`, what
usually causes that exception in an exercise on arrays (a broadcast that needs
``keepdims``, ``if`` on an array, an axis that does not exist, ...). A lesson replaces
both with ``run_check(..., on_raise=...)``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from .. import _i18n
from .._i18n import trf
from .compare import _without
from .format import fmt, safe_str, type_name
from .learner import parameters_of, raised_by_the_call
from .outcome import Case


def raised_problem(exc: BaseException) -> str:
    """The report's problem line for an exception: ``raised ValueError: <its message>``."""
    return trf(_i18n.RAISED, exception=type_name(exc), message=fmt(safe_str(exc), 160))


def raised_hint(
    exc: BaseException, learner_fn, reference_fn, arg_names: Sequence[str], case: Case
) -> str:
    """The hint for an exception from the learner's function on a valid input."""
    if raised_by_the_call(exc):
        names = ", ".join([*arg_names, *(k for k in case.kwargs if k not in arg_names)])
        return (
            f"the check calls your function with the exercise's parameters ({names}), and "
            "yours do not take them: keep the def line of the stub as it was, with its "
            "parameter names and defaults"
        )
    return exception_hint(exc, has_axis=_has_axis(learner_fn, reference_fn, arg_names, case))


def _has_axis(learner_fn, reference_fn, arg_names: Sequence[str], case: Case) -> bool:
    """Whether the exercise takes an ``axis`` argument: its names or its case say so, or
    both the learner's and the reference's signatures have one (a learner may add one; a
    reference may have one the exercise's stub does not)."""
    if "axis" in arg_names or "axis" in case.kwargs:
        return True
    both = [parameters_of(fn) for fn in (learner_fn, reference_fn)]
    return all(params is not None and "axis" in params for params in both)


_SHAPES = re.compile(r"\(([\d, ]*)\)")
_UNEXPECTED_KEYWORD = re.compile(r"unexpected keyword argument '(\w+)'")


def _broadcast_hint(text: str) -> str:
    shapes = [
        tuple(int(d) for d in group.replace(" ", "").split(",") if d)
        for group in _SHAPES.findall(text)
    ]
    for a in shapes:
        for b in shapes:
            if len(a) == len(b) == 2 and a[0] == b[0] == b[1] != a[1]:
                n, k = a
                return (
                    f"shapes {a} and {b} do not line up: {b} is square, one column per "
                    f"example. If it is a one-hot, np.eye(n)[y] made it with n = {n} columns; "
                    f"it needs one per class, np.eye(k)[y] with k = {k}"
                )
            if any(b == _without(a, i) for i in range(len(a))):
                return (
                    f"shapes {a} and {b} do not line up: {b} is {a} without one axis. If {b} "
                    "comes from a sum or max, keep that axis with keepdims=True; if it holds "
                    "one value per row, give it the axis back, v[:, None]; if it holds class "
                    "labels, make them one-hot rows first, np.eye(k)[y]"
                )
    listed = " and ".join(str(s) for s in shapes) if shapes else "the operands' shapes"
    return (
        f"shapes {listed} do not line up: NumPy matches shapes from the last axis, where "
        "each pair of lengths must be equal or 1; print the .shape of each operand"
    )


def exception_hint(exc: BaseException, *, has_axis: bool = True) -> str:
    """What usually causes ``exc`` in an exercise on arrays, for the report's hint line."""
    text = safe_str(exc)
    if "could not be broadcast" in text:
        return _broadcast_hint(text)
    if "truth value of an array" in text:
        return (
            "`if`, `and`/`or`, or Python's own max, min or sorted on an array (they compare "
            "whole arrays with `if`): choose elementwise with np.where(condition, a, b) or a "
            "boolean mask, and use np.max, np.min or np.sort with axis=..."
        )
    if isinstance(exc, np.exceptions.AxisError):
        if has_axis:
            return "the axis does not exist for this input: use the `axis` argument you were given"
        return (
            "your code names an axis this input does not have. This exercise has no axis "
            "argument: check every axis=... you wrote, and any number passed by position to a "
            "NumPy function whose second parameter is axis"
        )
    if "solve" in text and "core dimension" in text:
        return (
            "the shapes given to np.linalg.solve(A, b) do not fit: A must be square, (m, m), "
            "and b (m,) or (m, j); print the .shape of each"
        )
    if isinstance(exc, (ValueError, IndexError)) and ("matmul" in text or "align" in text):
        return "matrix shapes do not fit: print the .shape of each operand of @"
    if isinstance(exc, TypeError) and "list" in text:
        return "the input may arrive as a list: convert it first with np.asarray(x)"
    if isinstance(exc, TypeError) and ("converted to Python scalars" in text):
        return (
            "a function for one number got an array: math.exp, math.log and float() take a "
            "single number; use np.exp and np.log, which work on every entry"
        )
    if isinstance(exc, TypeError) and "as a data type" in text:
        return (
            "a number landed where NumPy expects a dtype: np.std(x, 0, ddof) passes ddof as "
            "the dtype argument; pass it by name, np.std(x, axis=0, ddof=ddof)"
        )
    keyword = _UNEXPECTED_KEYWORD.search(text) if isinstance(exc, TypeError) else None
    if keyword and keyword.group(1) == "dim":
        return (
            "NumPy and helpers name the axis axis=..., not dim=... (PyTorch's word): "
            "for example helpers.softmax(z, axis=1)"
        )
    if keyword:
        name = keyword.group(1)
        return (
            f"a function your code calls has no parameter named {name}: look up its "
            "parameters with help() on that function"
        )
    if isinstance(exc, SystemExit):
        return "your function ended the program (sys.exit or exit): return a value instead"
    if isinstance(exc, MemoryError):
        return (
            "your function builds something of size k^2 (or larger) for an input of k "
            "numbers, more than any computer's memory here: use the O(k) formula"
        )
    return "this input is valid; run your function on it in a new cell to see the traceback"
