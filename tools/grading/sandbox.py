"""Start and talk to one isolated worker (:mod:`tools.grading.worker`).

The worker is ``python -I -S worker.py`` in a new temporary directory outside the course
directory, in its own session (process group), with:

- ``sys.path`` = the standard library and a private folder holding only links to NumPy
  (``numpy`` and ``numpy.libs``): no site-packages, no ``.pth`` files, so neither the
  course package nor anything else installed is importable (the worker checks
  ``import helpers`` fails, and refuses to start otherwise);
- an environment of a few fixed variables (no ``PYTHONPATH``, no ``NBGRADER_*``, no
  proxy variables, one BLAS thread);
- resource limits (``resource.setrlimit``): CPU seconds, address space, file size, no
  core files;
- a wall-clock deadline for every message it owes; past it, the whole process group is
  killed. The group is killed when the worker is done, too, so a process the submission
  forked does not outlive it.

This is not network isolation: a process can still open sockets. Real isolation of the
network (and of the file system) needs a container or a network namespace around the
grader (docs/instructors/grading-integrity.md).
"""

from __future__ import annotations

import json
import os
import resource
import select
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from . import worker as codec

WORKER = Path(codec.__file__)
CPU_SECONDS = 60
ADDRESS_SPACE = 2 * 1024**3
FILE_SIZE = 16 * 1024**2
STARTUP_SECONDS = 60.0  # the answer cells run in this time
CALL_SECONDS = 30.0  # each call of the learner's function


class WorkerFailed(Exception):
    """The worker could not be started or broke the protocol before running the submission."""


class SubmissionEnded(Exception):
    """The worker ended, timed out or broke the protocol while running the submission."""


def _limits() -> None:  # runs in the child between fork and exec
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE, FILE_SIZE))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a too-large write fails instead


def _environment(home: Path) -> dict[str, str]:
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "TMPDIR": str(home),
        "LANG": "C.UTF-8",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }


def _numpy_only(folder: Path) -> Path:
    """A folder with links to NumPy and its bundled libraries, and nothing else."""
    site = folder / "site"
    site.mkdir()
    package = Path(np.__file__).resolve().parent
    for source in (package, package.parent / "numpy.libs"):
        if source.exists():
            (site / source.name).symlink_to(source, target_is_directory=True)
    return site


class Worker:
    """One worker process: ``setup`` the answer cells, then ``call`` functions by name."""

    def __init__(self, *, python: str = sys.executable):
        self.tmp = tempfile.TemporaryDirectory(prefix="course-grade-")
        folder = Path(self.tmp.name)
        home = folder / "work"
        home.mkdir()
        site = _numpy_only(folder)
        boot = (
            "import sys; sys.path[:] = [p for p in sys.path if 'site-packages' not in p"
            f" and 'dist-packages' not in p] + [{str(site)!r}]; "
            f"sys.argv = [{str(WORKER)!r}]; "
            f"exec(compile(open({str(WORKER)!r}).read(), {str(WORKER)!r}, 'exec'))"
        )
        self.home = home
        self.buffer = b""
        self.proc = subprocess.Popen(
            [python, "-I", "-S", "-c", boot],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=home,
            env=_environment(home),
            preexec_fn=_limits,
            start_new_session=True,
        )
        self.started = False

    # -------------------------------------------------------------- messages

    def send(self, message: dict) -> None:
        try:
            self.proc.stdin.write((json.dumps(message) + "\n").encode("utf-8"))
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            self._ended(f"the worker stopped reading ({type(exc).__name__})")

    def receive(self, seconds: float) -> dict:
        deadline = time.monotonic() + seconds
        fd = self.proc.stdout.fileno()
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                self._ended(f"no answer within {seconds:.0f} s (an endless loop or a sleep?)")
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                self._ended(self._exit_text())
            self.buffer += chunk
            if len(self.buffer) > codec.MAX_LINE:
                self._ended("the worker sent a message too large to be an answer")
        line, _, self.buffer = self.buffer.partition(b"\n")
        try:
            message = json.loads(line)
        except ValueError:
            self._ended("the worker sent something that is not a protocol message")
        if not isinstance(message, dict):
            self._ended("the worker sent something that is not a protocol message")
        return message

    def _exit_text(self) -> str:
        try:
            code = self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            return "the worker closed its output"
        if code < 0:
            name = signal.Signals(-code).name
            reason = {"SIGXCPU": " (CPU time limit)", "SIGKILL": ""}.get(name, "")
            return f"the worker was ended by {name}{reason}"
        return f"the worker exited with status {code}"

    def _ended(self, text: str):
        self.close()
        if self.started:
            raise SubmissionEnded(text)
        raise WorkerFailed(f"{text}; log: {self.log_tail()}")

    def log_tail(self) -> str:
        try:
            return (self.home / "worker.log").read_text(errors="replace")[-600:] or "(empty)"
        except OSError:
            return "(none)"

    # -------------------------------------------------------------- the session

    def setup(self, cells: list[str], names: list[str], helpers: list[str]) -> dict:
        self.send({"op": "setup", "cells": cells, "names": names, "helpers": helpers})
        first = self.receive(STARTUP_SECONDS)
        if first.get("op") != "started":
            self._ended(f"the worker did not start: {str(first.get('message', first))[:200]}")
        self.started = True
        ready = self.receive(STARTUP_SECONDS)
        if ready.get("op") != "ready" or not isinstance(ready.get("functions"), dict):
            self._ended("the worker did not report its functions after the answer cells")
        return ready

    def close(self) -> None:
        try:  # the whole group, also what the submission forked, running or not
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
        self.tmp.cleanup()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
