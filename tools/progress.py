"""Progress at a glance: which exercises pass, fail or are not started, lesson by lesson.

    python -m tools.progress                      # my-work/ (what `make progress` runs)
    python -m tools.progress path/to/folder       # any folder of lesson notebooks
    python -m tools.progress submitted/ --recursive   # an instructor: every student's folder

For every lesson notebook (``NN_name.ipynb``) in the folder, a COPY is executed in
a fresh kernel; the learner's files are never written. Only what the checks need
runs: the setup cell, the exercise cells, every cell that only imports, defines or
assigns (a learner's own helpers: ``def``, ``ONE = 1.0``, ``f = lambda ...``), and
the check cells. Figures, explorers and demonstrations are skipped. Each copy runs
in a worker process started with "forkserver" (Linux, macOS: forked from a
single-threaded server that imported NumPy and the course package once) or "spawn"
(Windows), never forked from this process; its working directory and its home are a
new temporary folder, deleted afterwards. Several notebooks run at once (``--jobs``).

The verdicts are the genuine checks': each ``check_x(...)`` call of a check cell runs
the check that :mod:`helpers.checks` captured when the setup cell imported it (an
answer cell that redefines ``check_x`` or prints a pass line changes nothing), and a
notebook that replaced NumPy functions or the checks is refused as grading refuses it.

Each exercise is reported as

- ``✅ passed``;
- ``❌ failed``, with the first line of the check's report (or of the error);
- ``⏳ not started``: the exercise cell still raises NotImplementedError;
- ``⏳ waiting``: written, but it calls an earlier exercise that is still a stub.

With ``--recursive`` every notebook below the folder is reported under its path
(``alice/01_sigmoid/01_sigmoid.ipynb`` in nbgrader's ``submitted/`` layout), and a
last table counts each student's passed exercises (a student is the first folder
below the one given). Beware: ``--recursive`` runs every student's code with your rights
(your files, your network, your credentials); the temporary home and folder stop
accidents, not intent, so run it in a container or a throwaway account. It is a
progress view, not a second opinion on grades: grades come from nbgrader's autograde.
The exit status is 0 when the notebooks could be run,
even if exercises fail; 1 when there was nothing to report.
"""

from __future__ import annotations

import argparse
import ast
import copy
import multiprocessing
import os
import shutil
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import nbformat

from . import notebooks as nbs

LESSON, EXERCISE, CHECK, STUB = nbs.NAME, nbs.EXERCISE, nbs.CHECK, nbs.STUB
SKIP_DIRS = {".ipynb_checkpoints", "__pycache__", ".git"}


@dataclass
class Exercise:
    number: str
    name: str
    status: str  # "passed", "failed", "not started", "waiting", "not run"
    detail: str = ""

    @property
    def mark(self) -> str:
        return {"passed": "✅", "failed": "❌"}.get(self.status, "⏳")


@dataclass
class Report:
    path: Path
    exercises: list[Exercise]
    error: str = ""


# ---------------------------------------------------------------- which cells run


#: Names whose use makes a cell a figure, an explorer or a display: never needed by a check.
_DISPLAY_NAMES = {"plt", "display", "interact", "widgets", "explorers", "plots"}


def _only_definitions(source: str) -> bool:
    """A cell of imports, definitions and assignments only (``ONE = 1.0``, ``f = lambda ...``).

    An assignment that uses a figure or an explorer (``fig = plt.figure()``) is not one.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    kinds = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    assignments = (ast.Assign, ast.AnnAssign)
    for node in tree.body:
        if isinstance(node, assignments):
            used = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
            used |= {n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)}
            if used & _DISPLAY_NAMES or any("explorer" in name for name in used):
                return False
        elif not isinstance(node, kinds):
            return False
    return bool(tree.body)


def _role(cell) -> str:
    """ "exercise", "check", "definitions" or "" for a code cell."""
    meta = cell.metadata.get("nbgrader", {})
    if meta.get("solution") or EXERCISE.search(cell.source):
        return "exercise"
    if (meta.get("grade") and not meta.get("solution")) or CHECK.search(cell.source):
        return "check"
    if _only_definitions(cell.source) or "helpers.checks" in cell.source:
        return "definitions"
    return ""


def runnable_copy(nb):
    """A copy of ``nb`` with only the cells the checks need: setup, exercises, definitions."""
    nb = copy.deepcopy(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    setup = code[0] if code else None
    keep = [c for c in code if c is setup or _role(c)]
    for cell in keep:
        cell.outputs = []
        cell.execution_count = None
        cell.metadata["progress_setup"] = cell is setup
        cell.metadata["progress_check"] = cell is not setup and _role(cell) == "check"
    nb.cells = keep
    return nb


# ---------------------------------------------------------------- running a copy


#: How the worker processes start: never by forking this (possibly threaded) process.
#: "forkserver" (Linux, macOS) forks each worker from a single-threaded server that has
#: imported NumPy and the course package once; "spawn" (Windows) starts a fresh Python.
START_METHOD = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
#: What the fork server imports once, so that each notebook starts in well under a second.
PRELOAD = [
    "numpy",
    "matplotlib.pyplot",
    "IPython.core.interactiveshell",
    "IPython.utils.capture",
    "nbformat",
    "helpers.checks",
    "helpers.explorers",
    "helpers.plots",
    "tools.progress",
]
_CONTEXT: list = []


def _context():
    if not _CONTEXT:
        context = multiprocessing.get_context(START_METHOD)
        if START_METHOD == "forkserver":
            context.set_forkserver_preload(PRELOAD)  # a missing module is skipped
        _CONTEXT.append(context)
    return _CONTEXT[0]


def execute_copy(path: Path, timeout: int = 300) -> tuple[object, str]:
    """Execute the runnable copy of the notebook at ``path``; return ``(notebook, error)``.

    The copy runs in a worker process (:data:`START_METHOD`), in an IPython shell like
    a kernel's, with a new temporary folder as its working directory and its home
    (deleted afterwards): each notebook starts from the same clean state, nothing one
    notebook changes reaches another, and no kernel has to start. This is no sandbox:
    the code runs with the caller's rights.
    """
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # not a notebook, or a damaged one
        return None, f"could not read it ({type(exc).__name__}: {_first_line(str(exc))})"
    nb = runnable_copy(nb)
    context = _context()
    workdir = tempfile.mkdtemp(prefix="progress-")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(
        target=_run_cells, args=(nb, send, _child_environment(workdir), workdir), daemon=True
    )
    try:
        child.start()
        send.close()
        if not receive.poll(timeout):
            child.kill()
            return None, f"could not run it (still running after {timeout} s)"
        outcome, payload = receive.recv()
    except EOFError:
        return None, "could not run it (the Python process running it died)"
    finally:
        child.join(5)
        if child.is_alive():
            child.kill()
            child.join(5)
        receive.close()
        shutil.rmtree(workdir, ignore_errors=True)
    if outcome != "ok":
        return None, f"could not run it ({payload})"
    return nbformat.reads(payload, as_version=4), ""


def _child_environment(workdir: str) -> dict[str, str]:
    """The worker's environment: ours, never graded, with the temporary folder as home."""
    env = dict(os.environ)
    env.pop("NBGRADER_EXECUTION", None)  # progress is never graded
    env["MPLBACKEND"] = "Agg"
    env.update(HOME=workdir, USERPROFILE=workdir, IPYTHONDIR=os.path.join(workdir, ".ipython"))
    env["MPLCONFIGDIR"] = os.path.join(workdir, ".matplotlib")
    return env


def _preload() -> None:
    """In this process: never graded, figures without a display (the workers inherit it)."""
    os.environ.pop("NBGRADER_EXECUTION", None)  # progress is never graded
    os.environ["MPLBACKEND"] = "Agg"


def _run_cells(nb, send, env, workdir) -> None:
    """In the worker: run every cell of ``nb`` in a fresh IPython shell, store its outputs.

    Check cells do not run as written: each ``check_x(...)`` call in them calls the
    genuine check captured when the setup cell imported :mod:`helpers.checks` (an
    answer cell may have redefined the name), and the cell's output is that check's
    own headline, whatever the learner's code printed meanwhile.
    """
    try:
        os.environ.clear()
        os.environ.update(env)
        os.chdir(workdir)
        sys.stdin = open(os.devnull)  # a cell waiting for input() gets EOFError
        from IPython.core.interactiveshell import InteractiveShell
        from IPython.utils.capture import capture_output
        from traitlets.config import Config

        config = Config()
        config.HistoryManager.enabled = False
        shell = InteractiveShell.instance(config=config)
        genuine = None
        for cell in nb.cells:
            if cell.metadata.get("progress_check") and genuine is not None:
                cell.outputs = _genuine_check_outputs(shell, cell.source, genuine)
                continue
            with capture_output(display=False) as captured:
                result = shell.run_cell(cell.source, store_history=False)
            cell.outputs = []
            if captured.stdout:
                cell.outputs.append(
                    nbformat.v4.new_output("stream", name="stdout", text=captured.stdout)
                )
            exc = result.error_before_exec or result.error_in_exec
            if exc is not None:
                cell.outputs.append(_error_output(exc))
            if cell.metadata.get("progress_setup"):
                genuine = _genuine_checks()
        send.send(("ok", nbformat.writes(nb)))
    except BaseException as exc:  # noqa: BLE001 - whatever happens, the parent hears of it
        send.send(("error", f"{type(exc).__name__}: {_first_line(_safe_text(exc))}"))
    finally:
        send.close()
        os._exit(0)  # no atexit handlers of the parent's copy


def _error_output(exc: BaseException):
    return nbformat.v4.new_output(
        "error", ename=type(exc).__name__, evalue=_safe_text(exc), traceback=[]
    )


def _genuine_checks() -> dict | None:
    """The checks as :mod:`helpers.checks` captured them at import (before any answer cell)."""
    module = sys.modules.get("helpers.checks._core.integrity")
    return dict(module._CHECKS) if module is not None else None


def _check_calls(source: str) -> list[ast.Call]:
    """The ``check_x(...)`` calls that a check cell makes at its top level."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    return [
        node.value
        for node in tree.body
        if isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Name)
        and node.value.func.id.startswith("check_")
    ]


def _genuine_check_outputs(shell, source: str, genuine: dict) -> list:
    """Run each check call of a check cell with the genuine check; its headline is the output."""
    from IPython.utils.capture import capture_output

    from helpers.checks._core import format as report
    from helpers.checks._core import integrity

    lines, outputs = [], []
    for call in _check_calls(source):
        name = call.func.id
        try:
            with capture_output(
                display=False
            ):  # what evaluating the arguments prints is not a report
                args = [_evaluate(shell, a) for a in call.args]
                kwargs = {k.arg: _evaluate(shell, k.value) for k in call.keywords if k.arg}
        except BaseException as exc:  # noqa: BLE001 - a learner's name that does not exist
            outputs.append(_error_output(exc))
            break
        check = genuine.get(name)
        if check is None:
            outputs.append(_error_output(NameError(f"there is no check called {name!r}")))
            break
        with capture_output(display=False) as captured:
            problems = integrity.integrity_problems()
            try:
                ok = False if problems else check(*args, **kwargs)
                error = None
            except BaseException as exc:  # noqa: BLE001 - reported like a cell's error
                ok, error = False, exc
        if problems:
            integrity.refuse(name, problems, lines.append)
            continue
        if error is not None:
            outputs.append(_error_output(error))
            break
        heads = [line for line in captured.stdout.splitlines() if report.parse_headline(line)]
        line = heads[-1] if heads else ""  # the check's own headline is the last one it prints
        status = report.parse_headline(line).status if line else None
        title = report.parse_headline(line).title if line else name
        if ok is True and status != "passed":
            line = report.headline("passed", title, "passed")
        elif ok is not True and status in (None, "passed"):
            line = report.headline("failed", title, "failed")
        lines.append(line)
    if lines:
        outputs.insert(
            0, nbformat.v4.new_output("stream", name="stdout", text="\n".join(lines) + "\n")
        )
    return outputs


def _evaluate(shell, node: ast.expr):
    return eval(compile(ast.Expression(node), "<check cell>", "eval"), shell.user_ns)


def _safe_text(exc: BaseException) -> str:
    try:
        return str(exc)
    except Exception:
        return "(its message cannot be shown)"


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return ""


def _output_text(cell) -> tuple[str, str]:
    """(printed text, error line) of a code cell's outputs."""
    text, error = [], ""
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            text.append(out.get("text", ""))
        elif out.get("output_type") == "error" and not error:
            error = f"{out.get('ename', 'Error')}: {_first_line(out.get('evalue', ''))}"
    return "".join(text), error


def exercises_of(nb) -> list[Exercise]:
    """Read each exercise's status from its check cell's report in an executed copy."""
    sources: dict[str, tuple[str, str]] = {}  # number -> (name, exercise source)
    results = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        role = _role(cell)
        if role == "exercise":
            for number, name in nbs.exercises_in(cell.source):
                sources[number] = (name, cell.source)
        elif role == "check":
            match = CHECK.search(cell.source)
            number = match.group(1) if match else "?"
            name, source = sources.get(number, ("?", ""))
            results += _judge(number, name, source, cell)
    return results


def _judge(number: str, name: str, source: str, cell) -> list[Exercise]:
    from helpers.checks._core.format import parse_headline  # the checks' own headline format

    text, error = _output_text(cell)
    reports = [(line, parse_headline(line)) for line in text.splitlines()]
    reports = [(line, head) for line, head in reports if head is not None]
    if not reports:
        if error:
            return [Exercise(number, name, "failed", error)]
        return [Exercise(number, name, "not run", "the check printed nothing")]
    found = []
    for line, head in reports:  # a cell may hold two checks (5.4)
        label = head.name if head.exercise else name
        if head.status == "passed":
            found.append(Exercise(number, label, "passed"))
        elif head.status == "failed":
            found.append(Exercise(number, label, "failed", line))
        elif STUB.search(_own_function(source, label)):
            found.append(Exercise(number, label, "not started"))
        else:
            found.append(Exercise(number, label, "waiting", line))
    return found


def _own_function(source: str, name: str) -> str:
    """The source of ``def name`` in an exercise cell (the whole cell if it is not found)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return ast.get_source_segment(source, node) or source
    return source


def report_for(path: Path, timeout: int = 300) -> Report:
    nb, error = execute_copy(path, timeout)
    if nb is None:
        return Report(path, [], error)
    exercises = exercises_of(nb)
    setup_error = next(
        (_output_text(c)[1] for c in nb.cells if c.metadata.get("progress_setup")), ""
    )
    if setup_error:
        return Report(path, exercises, f"its setup cell failed: {setup_error}")
    if not exercises:
        return Report(path, [], "no exercises found in it")
    return Report(path, exercises)


# ---------------------------------------------------------------- finding and printing


def lesson_notebooks(folder: Path, recursive: bool = False) -> list[Path]:
    if recursive:
        found = [
            p
            for p in folder.rglob("*.ipynb")
            if LESSON.match(p.name) and not SKIP_DIRS & set(p.relative_to(folder).parts)
        ]
    else:
        found = [p for p in folder.glob("*.ipynb") if LESSON.match(p.name)]
    return sorted(found)


def run_all(paths: list[Path], jobs: int, timeout: int = 300) -> list[Report]:
    """A report for every notebook, ``jobs`` of them running at a time, in ``paths`` order."""
    _preload()
    if jobs <= 1 or len(paths) <= 1:
        return [report_for(p, timeout) for p in paths]
    with ThreadPoolExecutor(max_workers=jobs) as pool:  # each thread waits on its own child
        return list(pool.map(lambda p: report_for(p, timeout), paths))


def format_reports(reports: list[Report], folder: Path, recursive: bool = False) -> str:
    lines = []
    width = max((len(f"{e.number} {e.name}") for r in reports for e in r.exercises), default=10)
    for report in reports:
        lines.append(str(report.path.relative_to(folder)))
        if report.error:
            lines.append(f"  ❌ {report.error}")
        for e in report.exercises:
            label = f"{e.number} {e.name}".ljust(width)
            detail = f": {e.detail}" if e.detail and e.status != "passed" else ""
            if e.status == "failed" and e.detail.startswith("❌"):
                detail = ": " + e.detail.removeprefix("❌").strip()
            lines.append(f"  {e.mark} {label}  {e.status}{detail}")
    every = [e for r in reports for e in r.exercises]
    counts = {s: sum(e.status == s for e in every) for s in ("passed", "failed")}
    rest = len(every) - counts["passed"] - counts["failed"]
    lines.append("")
    lines.append(
        f"{counts['passed']} of {len(every)} exercises passed, {counts['failed']} failed, "
        f"{rest} not started or waiting"
        + (
            f"; {sum(bool(r.error) for r in reports)} notebook(s) could not be run"
            if any(r.error for r in reports)
            else ""
        )
    )
    if recursive:
        lines += ["", "per student (first folder below the one given): passed / exercises"]
        students: dict[str, list[Exercise]] = {}
        for report in reports:
            parts = report.path.relative_to(folder).parts
            key = parts[0] if len(parts) > 1 else "."
            students.setdefault(key, []).extend(report.exercises)
        for student, exercises in sorted(students.items()):
            passed = sum(e.status == "passed" for e in exercises)
            lines.append(f"  {student}: {passed} / {len(exercises)}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=Path("my-work"))
    parser.add_argument(
        "--recursive", "-r", action="store_true", help="every lesson notebook below the folder"
    )
    parser.add_argument(
        "--jobs", "-j", type=int, default=min(4, os.cpu_count() or 1), help="parallel kernels"
    )
    parser.add_argument("--timeout", type=int, default=300, help="seconds per notebook")
    args = parser.parse_args(argv)
    folder = args.folder
    if not folder.is_dir():
        hint = " (make lab copies the lessons there)" if folder == Path("my-work") else ""
        print(f"no folder {folder}/{hint}")
        return 1
    paths = lesson_notebooks(folder, args.recursive)
    if not paths:
        where = "below" if args.recursive else "in"
        print(f"no lesson notebooks (NN_name.ipynb) {where} {folder}/")
        return 1
    print(f"checking {len(paths)} notebook(s) in {folder}/ (copies; your files are not changed)")
    reports = run_all(paths, args.jobs, args.timeout)
    print(format_reports(reports, folder, args.recursive))
    return 0


if __name__ == "__main__":
    sys.exit(main())
