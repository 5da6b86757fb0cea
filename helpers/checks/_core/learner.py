"""Calling the learner's code: on copies, with warnings and mutations recorded.

:func:`call_learner` runs the learner's function on deep copies of a case's inputs
and reports what it returned, which RuntimeWarnings NumPy raised on the way, and
whether it changed an input array in place; the stub's NotImplementedError becomes
:class:`NotDone`. During the call ``np.empty`` and ``np.empty_like`` return arrays
filled with NaN (:func:`empty_filled`), so that an entry the learner's code never writes
reads NaN, not whatever memory held (often the right answer the check had just
computed); a wrong result is asked for again with zeros there (:func:`unstable_outcome`).
When a check fails and the learner's function calls a function from an earlier exercise,
:func:`earlier_fault` runs that exercise's check (quietly) to put the fault where it is.
"""

from __future__ import annotations

import contextlib
import copy
import dis
import functools
import inspect
import numbers
import sys
import types
import warnings

import numpy as np

from .. import _i18n
from .._i18n import trf
from .format import headline, safe_str
from .integrity import _code_of, _nesting, _unwrap
from .outcome import Kind, Outcome

UNSTABLE_HINT = (
    "some entries of your result are never written: np.empty and np.empty_like keep whatever "
    "was in memory. Make sure every entry gets a value: masks that together cover every x "
    "(x >= 0 and x < 0), each written through the mask itself, out[mask] = v "
    "(out[mask][...] = v writes into a copy), or np.where; or start from np.zeros"
)


class NotDone(Exception):
    """The learner's function still raises NotImplementedError (the lesson's stub).

    ``code`` is the code object of the function that raised it: the checked function
    itself, or an earlier exercise's function that it calls.
    """

    def __init__(self, code=None):
        super().__init__()
        self.code = code


def _marker(dtype, kind):
    """What a new entry holds: NaN (-1, the largest unsigned value, True), or zero."""
    if kind == "zeros":
        return 0
    if dtype.kind in "fc":
        return np.nan
    if dtype.kind == "u":
        return np.iinfo(dtype).max
    return True if dtype.kind == "b" else -1


@contextlib.contextmanager
def empty_filled(kind="nan"):
    """``np.empty`` and ``np.empty_like`` that fill their arrays, while the block runs.

    NumPy leaves a new array's memory as it was: ``out = np.empty_like(x)`` whose masks
    ``x > 0`` and ``x < 0`` never write ``x == 0`` reads whatever the allocator handed
    back, often the right answer the check had just computed, and would pass. Here the
    entries start as NaN (``kind="nan"``: -1 for signed integers, the largest value for
    unsigned ones, True for booleans) or as zeros (``kind="zeros"``), the same on every
    machine. Code that writes every entry returns the same result either way. The
    learner's code reaches NumPy through the ``np`` namespace, where these two names are
    swapped; NumPy's own functions are untouched.
    """
    real = {"empty": np.empty, "empty_like": np.empty_like}

    def filled(name):
        def make(*args, **kwargs):
            out = real[name](*args, **kwargs)
            if out.dtype.kind in "fciub":  # numbers and booleans; object arrays stay as made
                out.fill(_marker(out.dtype, kind))
            return out

        return functools.wraps(real[name])(make)

    np.empty, np.empty_like = filled("empty"), filled("empty_like")
    try:
        yield
    finally:
        np.empty, np.empty_like = real["empty"], real["empty_like"]


def call_learner(fn, args, kwargs, *, watch=None, fill="nan"):
    """Call the learner's function on copies of the inputs; report what happened.

    Returns ``(result, warnings_seen, mutated)``, where ``mutated`` is the index of a
    positional argument or the name of a keyword argument changed in place, or None; raises
    :class:`NotDone` for NotImplementedError and re-raises other errors. With
    ``watch`` (a dict of code objects), a call of one of them during the learner's
    call is recorded in ``watch["called"]``. ``np.empty`` and ``np.empty_like`` fill their
    arrays meanwhile (:func:`empty_filled`; ``fill`` is its ``kind``).
    """
    fresh = copy.deepcopy(args)
    fresh_kwargs = copy.deepcopy(kwargs)
    # Overflow, 0/0 and division by zero are reported; underflow is not: exp(-1000)
    # rounding to 0 is what every correct stable formula does on the way.
    with warnings.catch_warnings(record=True) as seen, np.errstate(all="warn", under="ignore"):
        warnings.simplefilter("always")
        try:
            with empty_filled(fill):
                result = _call_watching(fn, fresh, fresh_kwargs, watch)
        except NotImplementedError as exc:
            tb = exc.__traceback__
            while tb is not None and tb.tb_next is not None:
                tb = tb.tb_next
            raise NotDone(tb.tb_frame.f_code if tb is not None else None) from None
    mutated = None
    for i, (before, after) in enumerate(zip(args, fresh)):
        if isinstance(before, np.ndarray) and not np.array_equal(before, after, equal_nan=True):
            mutated = i
            break
    for key, before in kwargs.items():  # a keyword argument: reported by its name
        after = fresh_kwargs.get(key)
        if mutated is None and isinstance(before, np.ndarray):
            if not isinstance(after, np.ndarray) or not np.array_equal(
                before, after, equal_nan=True
            ):
                mutated = key
    messages = [safe_str(w.message) for w in seen if issubclass(w.category, RuntimeWarning)]
    return result, messages, mutated


def same_on_a_second_call(fn, args, kwargs, first) -> bool:
    """Whether ``fn`` returns ``first`` again when ``np.empty`` gives zeros instead of NaN.

    A function that leaves entries of its result unwritten (``np.empty``) returns NaN
    there from :func:`call_learner` and 0.0 now; one that draws random numbers changes
    too. An exception or a warning on the second call counts as "the same": only a
    changed value is evidence.
    """
    try:
        second, _, _ = call_learner(fn, args, kwargs, fill="zeros")
    except Exception:  # NotDone included
        return True
    return _equal(first, second)


def unstable_outcome(fn, case, got, want) -> Outcome | None:
    """The report for a wrong result that changes on a second call, else None.

    Whatever values a never-written entry happened to hold, this is what to fix; it
    replaces the comparison's report.
    """
    if same_on_a_second_call(fn, case.args, case.kwargs, got):
        return None
    return Outcome(
        False,
        "returned different values for the same input on a second call",
        got,
        want,
        UNSTABLE_HINT,
        kind=Kind.UNSTABLE,
    )


def _equal(a, b) -> bool:
    """Whether two results are the same numbers; anything else counts as the same."""
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b))
    try:
        a, b = np.asarray(a), np.asarray(b)
    except Exception:  # not an array of numbers: nothing to compare here
        return True
    if a.dtype.kind not in "biufc" or b.dtype.kind not in "biufc":
        return True
    return a.shape == b.shape and bool(np.array_equal(a, b, equal_nan=True))


def _call_watching(fn, args, kwargs, watch):
    if not watch:
        return fn(*args, **kwargs)
    codes = watch["codes"]

    def profile(frame, event, arg):
        if event == "call" and frame.f_code in codes:
            watch.setdefault("called", codes[frame.f_code])

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        return fn(*args, **kwargs)
    finally:
        sys.setprofile(previous)


_CALL = _call_watching.__code__  # the frame that calls the learner's function


def parameters_of(fn):
    """``inspect.signature(fn).parameters``, or None where there is none to read.

    A learner's object may raise anything when inspected (an ``__getattr__`` that raises,
    a builtin without a signature): the diagnoses that read parameters then do not apply.
    """
    try:
        return inspect.signature(fn).parameters
    except Exception:
        return None


def reordered_parameters(learner_fn, arg_names) -> str | None:
    """A hint when the learner's parameters are the exercise's names in another order.

    The check passes its arguments by position, so ``def f(y, z)`` for the exercise's
    ``f(z, y)`` receives each value under the other's name: every case then fails for a
    reason the values cannot show.
    """
    params = parameters_of(learner_fn)
    if params is None:
        return None
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    names = list(arg_names)
    params = [p.name for p in params.values() if p.kind in positional]
    mine = params[: len(names)]
    if mine == names or sorted(mine) != sorted(names):
        return None
    yours, exercise = ", ".join(mine), ", ".join(names)
    return (
        f"your parameters are ({yours}), the exercise's are ({exercise}): the check passes "
        "the arguments by position, in the exercise's order, so each arrives under another "
        "name. Keep the def line of the stub as it was"
    )


def changed_default(learner_fn, reference_fn, arg_names, case) -> str | None:
    """A hint when ``case`` leaves a parameter to its default and the learner changed it.

    Only the exercise's parameters (``arg_names``) count, when both the learner's function
    and the reference have them with a default; the reference's default is the exercise's
    (tests/test_every_check.py compares it with each stub's def line, and checks that every
    parameter with a default is in ``arg_names``).
    """
    mine, theirs = parameters_of(learner_fn), parameters_of(reference_fn)
    if mine is None or theirs is None:
        return None
    try:
        for i, (name, param) in enumerate(mine.items()):
            passed = i < len(case.args) or name in case.kwargs
            if passed or name not in arg_names or name not in theirs:
                continue
            default, exercise = param.default, theirs[name].default
            # None is a placeholder (``if h is None: h = 1e-5``): its values will tell
            if inspect.Parameter.empty in (default, exercise) or default is None:
                continue
            if isinstance(default, numbers.Real) and isinstance(exercise, numbers.Real):
                differs = bool(default != exercise)  # np.int64(-1) is -1
            else:
                differs = type(default) is not type(exercise) or bool(default != exercise)
            if differs:
                return (
                    f"your def line sets {name}={default!r}, the exercise's {name}={exercise!r}, "
                    f"and this case leaves {name} to its default: keep the def line of the "
                    "stub as it was"
                )
    except Exception:  # a learner's default whose comparison raises: not this diagnosis
        return None
    return None


def raised_by_the_call(exc: BaseException) -> bool:
    """Whether ``exc`` is a TypeError from the call itself: the parameters do not take the
    arguments (an unexpected keyword, too many or too few), before any line of the body ran."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return isinstance(exc, TypeError) and tb is not None and tb.tb_frame.f_code is _CALL


def _globals_called(code) -> list[str]:
    """Global names a function (and the functions nested in it) loads, in order."""
    names = []
    try:
        for ins in dis.get_instructions(code):
            if ins.opname in ("LOAD_GLOBAL", "LOAD_NAME") and ins.argval not in names:
                names.append(ins.argval)
        for const in code.co_consts:
            if isinstance(const, types.CodeType):
                names += [n for n in _globals_called(const) if n not in names]
    except Exception:
        pass
    return names


def _short(label: str) -> str:
    """``"Exercise 1.1"`` -> ``"1.1"``."""
    return label.split()[-1]


def _nested_check(check, fn) -> bool:
    """``check(fn, quiet=True)`` as a diagnosis: never prints, never raises."""
    _nesting[0] += 1
    try:
        return check(fn, quiet=True) is True
    except BaseException as exc:  # noqa: BLE001 - a diagnosis must not end the check
        if isinstance(exc, KeyboardInterrupt):
            raise
        return False
    finally:
        _nesting[0] -= 1


def _label_text(label: str) -> str:
    """``"Exercise 1.1"`` in the checks' language (another label as it is)."""
    number = label.split()[-1] if label.startswith("Exercise ") else None
    return trf(_i18n.EXERCISE_LABEL, number=number) if number else label


def earlier_fault(learner_fn, exercise: str, earlier: dict) -> str | None:
    """The hint when the learner's function calls an earlier exercise's function that fails."""
    if not earlier:
        return None
    try:
        return _find_earlier_fault(learner_fn, exercise, earlier)
    except Exception:  # an object whose attributes raise: no diagnosis, never a crash
        return None


def _find_earlier_fault(learner_fn, exercise: str, earlier: dict) -> str | None:
    fn = _unwrap(learner_fn)
    code, namespace = getattr(fn, "__code__", None), getattr(fn, "__globals__", None)
    if not isinstance(code, types.CodeType) or not isinstance(namespace, dict):
        return None
    for name in _globals_called(code):
        if name in earlier and callable(namespace.get(name)):
            label, check = earlier[name]
            if not _nested_check(check, namespace[name]):
                label = _label_text(label)
                return trf(_i18n.EARLIER_FAULT, name=name, label=label, exercise=exercise)
    return None


def not_done_message(title: str, exercise: str, learner_fn, exc: NotDone, earlier) -> str:
    stub = exc.code
    own = _code_of(learner_fn)
    if stub is not None and own is not None and stub is not own and stub.co_name != exercise:
        name = stub.co_name
        if name in (earlier or {}):
            label = earlier[name][0]
            detail = trf(
                _i18n.NOT_DONE_EARLIER,
                name=name,
                label=_label_text(label),
                exercise=exercise,
                number=_short(label),
            )
            return headline("not_done", title, detail)
        detail = trf(_i18n.NOT_DONE_STUB, name=name, exercise=exercise)
        return headline("not_done", title, detail)
    return headline("not_done", title, trf(_i18n.NOT_DONE))
