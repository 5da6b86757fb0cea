"""The isolated worker of ``tools.grade``: runs a submission's answer cells, then calls them.

This file runs as a script in a fresh ``python -I -S`` process (see
:func:`tools.grading.sandbox.start`), so it may import only the standard library and
NumPy: the course package is not on its ``sys.path``, and the worker refuses to start if
``import helpers`` works. It also serves as the codec module the grader imports, so both
sides encode values the same way.

The protocol is one JSON object per line on the worker's original stdin and stdout (the
submission's own ``print`` goes to a log file, never to the grader). Values travel as
tagged JSON; arrays and NumPy scalars as ``np.save(..., allow_pickle=False)`` bytes in
base64. Nothing is pickled, in either direction.

    grader -> worker  {"op": "setup", "cells": [...], "names": [...], "helpers": [...]}
    worker -> grader  {"op": "ready", "functions": {name: signature or null}, "errors": [...]}
    grader -> worker  {"op": "call", "fn": name, "args": [...], "kwargs": {...}}
    worker -> grader  {"op": "callback", "target": ..., "args": [...], "kwargs": {...}}  (0 or more)
    grader -> worker  {"op": "return", "value": ...} or {"op": "raise", ...}           (each)
    worker -> grader  {"op": "result", "value": ..., "warnings": [...], "mutated": {...}}
                      or {"op": "error", "type": name, "message": text, "warnings": [...]}

A callback evaluates, in the grader, a callable the check passed in (Exercise 1.5's ``f``)
or a :mod:`helpers` function the exercise may use (``helpers.sigmoid`` in Exercise 4.2);
the exercise's own reference is never among them.
"""

from __future__ import annotations

import base64
import io
import json
import os
import signal
import stat
import sys
import warnings

import numpy as np

MAX_DEPTH = 20
MAX_LINE = 256 * 1024 * 1024  # bytes of one protocol message


class Unsupported(Exception):
    """A value that has no plain encoding (a function, an object of the learner's class)."""


def _array_bytes(value) -> str:
    buffer = io.BytesIO()
    np.save(buffer, value, allow_pickle=False)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _array_from(text: str):
    return np.load(io.BytesIO(base64.b64decode(text)), allow_pickle=False)


def encode(value, callables=None, depth=0):
    """``value`` as tagged JSON. ``callables`` (a list) collects functions, sent by number."""
    if depth > MAX_DEPTH:
        raise Unsupported("nested too deeply")
    if value is None:
        return ["none"]
    if isinstance(value, np.generic):  # before float: np.float64 is a float subclass
        try:
            return ["np", _array_bytes(np.asarray(value))]
        except ValueError as exc:
            raise Unsupported(f"a NumPy {type(value).__name__}") from exc
    if isinstance(value, bool):
        return ["bool", value]
    if isinstance(value, int):
        return ["int", str(int(value))]
    if isinstance(value, float):
        return ["float", repr(float(value))]
    if isinstance(value, complex):
        return ["complex", repr(value.real), repr(value.imag)]
    if isinstance(value, str):
        return ["str", str(value)]
    if isinstance(value, np.ndarray):
        try:
            return ["nd", _array_bytes(np.asarray(value))]
        except ValueError as exc:  # object arrays cannot be saved without pickle
            raise Unsupported(f"an array of dtype {value.dtype}") from exc
    if isinstance(value, (list, tuple)):
        tag = "list" if isinstance(value, list) else "tuple"
        return [tag, [encode(v, callables, depth + 1) for v in value]]
    if isinstance(value, dict):
        return [
            "dict",
            [
                [encode(k, callables, depth + 1), encode(v, callables, depth + 1)]
                for k, v in value.items()
            ],
        ]
    if callable(value) and callables is not None:
        callables.append(value)
        return ["callable", len(callables) - 1, getattr(value, "__name__", "function")]
    raise Unsupported(f"a {type(value).__name__}")


def encode_or_object(value):
    """Like :func:`encode`, but an unsupported value becomes ``["object", type name]``."""
    try:
        return encode(value)
    except Unsupported:
        return ["object", type(value).__name__]


def decode(item, make_callable=None, make_object=None):
    """The inverse of :func:`encode`; callables and objects through the two factories."""
    tag = item[0]
    if tag == "none":
        return None
    if tag == "bool":
        return bool(item[1])
    if tag == "int":
        return int(item[1])
    if tag == "float":
        return float(item[1])
    if tag == "complex":
        return complex(float(item[1]), float(item[2]))
    if tag == "str":
        return str(item[1])
    if tag == "nd":
        return _array_from(item[1])
    if tag == "np":
        return _array_from(item[1])[()]
    if tag in ("list", "tuple"):
        values = [decode(v, make_callable, make_object) for v in item[1]]
        return values if tag == "list" else tuple(values)
    if tag == "dict":
        return {
            decode(k, make_callable, make_object): decode(v, make_callable, make_object)
            for k, v in item[1]
        }
    if tag == "callable" and make_callable is not None:
        return make_callable(int(item[1]), str(item[2]))
    if tag == "object" and make_object is not None:
        return make_object(str(item[1]))
    raise ValueError(f"cannot decode a value tagged {tag!r}")


# ------------------------------------------------------------------ the worker process


class _Channel:
    def __init__(self, read_fd: int, write_fd: int):
        self.reader = os.fdopen(read_fd, "rb", buffering=1 << 16)
        self.write_fd = write_fd

    def send(self, message: dict) -> None:
        data = (json.dumps(message) + "\n").encode("utf-8")
        view = memoryview(data)
        while view:
            written = os.write(self.write_fd, view)
            view = view[written:]

    def receive(self) -> dict:
        line = self.reader.readline(MAX_LINE)
        if not line:
            os._exit(0)  # the grader is gone
        return json.loads(line)


def _strip_magics(source: str) -> str:
    """IPython magics and shell escapes have no meaning here: they become comments."""
    if source.lstrip().startswith("%%"):
        return ""
    lines = []
    for line in source.splitlines():
        stripped = line.lstrip()
        if stripped.startswith(("%", "!")):
            line = line[: len(line) - len(stripped)] + "pass  # " + stripped
        lines.append(line)
    return "\n".join(lines)


def _signature(fn):
    """The parameter names, kinds and whether each has a default: enough for the checks."""
    import inspect

    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return None
    return [[p.name, int(p.kind), p.default is not inspect.Parameter.empty] for p in params]


def _remote_error(channel, reply):
    name, message = str(reply.get("type", "Exception")), str(reply.get("message", ""))
    import builtins

    cls = getattr(builtins, name, None)
    if isinstance(cls, type) and issubclass(cls, Exception):
        return cls(message)
    return type(name, (Exception,), {})(message)


def _callback(channel, target):
    def call(*args, **kwargs):
        try:
            message = {
                "op": "callback",
                "target": target,
                "args": [encode(a) for a in args],
                "kwargs": {k: encode(v) for k, v in kwargs.items()},
            }
        except Unsupported as exc:
            raise TypeError(f"cannot pass {exc} to {target!r} while grading") from None
        channel.send(message)
        reply = channel.receive()
        if reply.get("op") == "return":
            return decode(reply["value"])
        raise _remote_error(channel, reply)

    call.__name__ = str(target).split(".")[-1]
    return call


class _Helpers:
    """Stands for the course package: the allowed functions, evaluated by the grader."""

    def __init__(self, channel, names):
        for name in names:
            object.__setattr__(self, name, _callback(channel, f"helpers.{name}"))
        object.__setattr__(self, "_names", frozenset(names))

    def __getattr__(self, name):
        raise AttributeError(
            f"helpers.{name} is not available while this exercise is graded "
            "(graded work computes the answer itself)"
        )

    def __repr__(self):
        return "<the course's helpers, as the grader lends them>"


def _call(channel, namespace, message):
    fn = namespace.get(message["fn"])
    counter = [0]

    def make_callable(number, name):
        counter[0] += 1
        stub = _callback(channel, number)
        stub.__name__ = name
        return stub

    args = [decode(a, make_callable) for a in message["args"]]
    kwargs = {k: decode(v, make_callable) for k, v in message["kwargs"].items()}
    before = [a.copy() if isinstance(a, np.ndarray) else None for a in args]
    with warnings.catch_warnings(record=True) as seen, np.errstate(all="warn", under="ignore"):
        warnings.simplefilter("always")
        try:
            result = fn(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - the learner's error is the answer
            if isinstance(exc, KeyboardInterrupt):
                raise
            error = exc
        else:
            error = None
    texts = []
    for w in seen:
        if issubclass(w.category, RuntimeWarning):
            try:
                texts.append(str(w.message))
            except Exception:  # noqa: BLE001
                texts.append("a RuntimeWarning")
    if error is not None:
        try:
            text = str(error)
        except Exception:  # noqa: BLE001
            text = "(an exception whose message cannot be shown)"
        return {"op": "error", "type": type(error).__name__, "message": text, "warnings": texts}
    mutated = {}
    for i, (old, new) in enumerate(zip(before, args)):
        if old is not None and not np.array_equal(old, new, equal_nan=True):
            mutated[str(i)] = encode_or_object(new)
    return {
        "op": "result",
        "value": encode_or_object(result),
        "warnings": texts,
        "mutated": mutated,
    }


# ------------------------------------------------------------------ the jail (audit hook)

# Events a submission never needs; each is refused outright once the answer cells start.
_REFUSED = (
    "subprocess.Popen",
    "os.system",
    "os.exec",
    "os.posix_spawn",
    "os.spawn",
    "os.fork",
    "os.forkpty",
    "pty.spawn",
    "os.kill",
    "os.killpg",
    "signal.pthread_kill",
    "os.symlink",
    "os.link",
    "os.chdir",
    "os.chroot",
    "socket.connect",
    "socket.bind",
    "socket.sendto",
    "socket.sendmsg",
    "sqlite3.connect",
    "resource.setrlimit",
    "resource.prlimit",
    "sys.settrace",
    "sys.setprofile",
    "sys._current_frames",
    "gc.get_objects",
    "gc.get_referrers",
    "gc.get_referents",
)
_REFUSED_PREFIXES = ("ctypes.", "sys.monitoring.", "cpython.remove_remote")
_REFUSED_IMPORTS = frozenset(
    {
        "_posixsubprocess",
        "_xxsubinterpreters",
        "_sqlite3",
        "_ctypes",
        "ctypes",
        "gc",
        "_tracemalloc",
        "posix",
        "_signal",
        "signal",
    }
)
# Events whose first argument (and the second for a rename) is a path that must be in
# the worker's own folder: writing, deleting or changing files anywhere else is refused.
_WRITES = frozenset(
    {
        "os.remove",
        "os.rmdir",
        "os.rename",
        "os.truncate",
        "os.chmod",
        "os.chown",
        "os.utime",
        "os.mkdir",
        "os.mkfifo",
        "os.mknod",
        "os.setxattr",
        "os.removexattr",
        "shutil.rmtree",
        "shutil.move",
        "shutil.copyfile",
    }
)


def _jail(home: str, roots: tuple, stdlib: str) -> None:
    """An audit hook, installed before the answer cells run, that confines the submission.

    It may read NumPy (``roots``) and the standard library (``stdlib``, not a
    ``site-packages`` or ``dist-packages`` folder inside it), and read and write its own
    folder (``home``, the working directory); it may not open any other file (so not the
    course package, the course directory, the gradebook or other submissions) nor a
    directory, start processes, fork, send signals, open network connections, use
    ``ctypes``, ``gc`` or tracing to reach the hook itself, or raise its resource limits.
    A refused operation raises ``PermissionError`` in the submission. An audit hook
    cannot be removed from Python; this one keeps every value it uses in default
    arguments and calls only C functions, so patching a module or ``builtins`` changes
    nothing in it.
    """
    home = home.rstrip("/") + "/"
    roots = tuple(p.rstrip("/") + "/" for p in roots)
    stdlib = stdlib.rstrip("/") + "/"

    def hook(
        event,
        args,
        _refused=frozenset(_REFUSED),
        _prefixes=_REFUSED_PREFIXES,
        _imports=_REFUSED_IMPORTS,
        _writes=_WRITES,
        _home=home,
        _roots=roots,
        _stdlib=stdlib,
        _write_o=os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND,
        _stat=os.stat,
        _isdir=stat.S_ISDIR,
        _str=str,
        _bytes=bytes,
        _int=int,
        _type=type,
        _error=PermissionError,
    ):
        if event in _refused or event.startswith(_prefixes):
            raise _error(f"{event} is not allowed while grading")
        if event == "import":
            if args[0] in _imports:
                raise _error(f"import {args[0]} is not allowed while grading")
            return
        if event == "open":
            path, mode, flags = args[0], args[1], args[2]
            writing = bool(_type(flags) is _int and flags & _write_o) or (
                _type(mode) is _str and ("w" in mode or "a" in mode or "+" in mode or "x" in mode)
            )
            paths = (path,)
        elif event in _writes:
            writing = True
            paths = args[:2] if event in ("os.rename", "shutil.move") else args[:1]
        else:
            return
        for path in paths:
            if _type(path) is _int:  # a descriptor: checked when it was opened
                continue
            if _type(path) is _bytes:
                path = path.decode("utf-8", "surrogateescape")
            if _type(path) is not _str or not path or "\x00" in path:
                raise _error("only plain str paths may be opened while grading")
            full = path if path[0] == "/" else _home + path
            if "/../" in full + "/" or "/./" in full + "/" or "//" in full:
                raise _error(f"{path!r}: paths with . or .. are not allowed while grading")
            inside = full.startswith(_home) or (
                not writing
                and (
                    full.startswith(_roots)
                    or (full.startswith(_stdlib) and "-packages/" not in full[len(_stdlib) :])
                )
            )
            if not inside:
                raise _error(f"{path!r} is outside what a graded answer may open")
            if event == "open":
                try:
                    is_dir = _isdir(_stat(full).st_mode)
                except OSError:
                    is_dir = False
                if is_dir:
                    raise _error(f"{path!r}: opening a directory is not allowed while grading")

    sys.addaudithook(hook)
    # Signals through a pid file descriptor raise no audit event: the functions go, and
    # re-importing their modules is refused above (_REFUSED_IMPORTS).
    for module, name in (
        (os, "pidfd_open"),
        (sys.modules.get("posix"), "pidfd_open"),
        (signal, "pidfd_send_signal"),
        (sys.modules.get("_signal"), "pidfd_send_signal"),
    ):
        if module is not None and hasattr(module, name):
            delattr(module, name)


def main() -> None:
    # The protocol keeps private copies of stdin/stdout; the submission's prints go to a log.
    channel = _Channel(os.dup(0), os.dup(1))
    log = os.open("worker.log", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(log, 1)
    os.dup2(log, 2)
    sys.stdout = io.TextIOWrapper(os.fdopen(1, "wb", buffering=0), write_through=True)
    sys.stderr = io.TextIOWrapper(os.fdopen(2, "wb", buffering=0), write_through=True)
    try:
        import helpers  # noqa: F401
    except ImportError:
        pass
    else:
        channel.send({"op": "broken", "message": "the course package is importable"})
        os._exit(3)
    setup = channel.receive()
    lent = _Helpers(channel, setup.get("helpers", []))
    sys.modules["helpers"] = lent  # `import helpers` in an answer cell gets the same
    namespace = {
        "__name__": "__main__",
        "__builtins__": __builtins__,
        "np": np,
        "numpy": np,
        "helpers": lent,
    }
    import inspect  # noqa: F401 - for _signature, before the jail

    package = os.path.dirname(np.__file__)  # the private site folder's link to NumPy
    real = os.path.realpath(package)
    roots = (
        package,
        os.path.dirname(package),
        real,
        os.path.join(os.path.dirname(real), "numpy.libs"),
    )
    _jail(os.getcwd(), roots, os.path.dirname(os.path.realpath(os.__file__)))
    errors = []
    channel.send({"op": "started"})
    for i, source in enumerate(setup["cells"]):
        try:
            code = compile(_strip_magics(source), f"<answer cell {i + 1}>", "exec")
            exec(code, namespace)  # noqa: S102 - this process exists to run the submission
        except BaseException as exc:  # noqa: BLE001 - a broken cell is part of the answer
            if isinstance(exc, KeyboardInterrupt):
                raise
            errors.append(f"answer cell {i + 1}: {type(exc).__name__}: {exc}"[:300])
    functions = {}
    for name in setup["names"]:
        value = namespace.get(name)
        functions[name] = _signature(value) if callable(value) else None
    channel.send({"op": "ready", "functions": functions, "errors": errors})
    while True:
        message = channel.receive()
        if message.get("op") != "call":
            os._exit(0)
        if not callable(namespace.get(message["fn"])):
            reply = {
                "op": "error",
                "type": "NameError",
                "message": f"name {message['fn']!r} is not defined",
                "warnings": [],
            }
        else:
            reply = _call(channel, namespace, message)
        channel.send(reply)


if __name__ == "__main__":
    main()
