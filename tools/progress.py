"""Progress at a glance: which exercises pass, fail or are not started, lesson by lesson.

    python -m tools.progress                      # my-work/ (what `make progress` runs)
    python -m tools.progress path/to/folder       # any folder of lesson notebooks
    python -m tools.progress submitted/ --recursive   # an instructor: every student's folder

For every lesson notebook (``NN_name.ipynb``) in the folder, a COPY is executed in
a fresh kernel; the learner's files are never written. Only what the checks need
runs: the setup cell, the exercise cells, every cell that only imports or defines
(a learner's own helper functions), and the check cells. Figures, explorers and
demonstrations are skipped, and each copy runs in a forked process that starts
with NumPy and the course package already imported, so a whole course takes
seconds; several notebooks run at once (``--jobs``).

Each exercise is reported as

- ``✅ passed``;
- ``❌ failed``, with the first line of the check's report (or of the error);
- ``⏳ not started``: the exercise cell still raises NotImplementedError;
- ``⏳ waiting``: written, but it calls an earlier exercise that is still a stub.

With ``--recursive`` every notebook below the folder is reported under its path
(``alice/01_sigmoid/01_sigmoid.ipynb`` in nbgrader's ``submitted/`` layout), and a
last table counts each student's passed exercises (a student is the first folder
below the one given). The exit status is 0 when the notebooks could be run,
even if exercises fail; 1 when there was nothing to report.
"""

from __future__ import annotations

import argparse
import ast
import copy
import multiprocessing
import os
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


def _only_definitions(source: str) -> bool:
    """A cell of imports, function and class definitions only (no work done at top level)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    kinds = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    return bool(tree.body) and all(isinstance(node, kinds) for node in tree.body)


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
    nb.cells = keep
    return nb


# ---------------------------------------------------------------- running a copy


def execute_copy(path: Path, timeout: int = 300) -> tuple[object, str]:
    """Execute the runnable copy of the notebook at ``path``; return ``(notebook, error)``.

    The copy runs in a forked child process, in an IPython shell like a kernel's,
    with NumPy, matplotlib and the course package already imported by the parent
    (:func:`_preload`): each notebook starts from the same clean state, nothing
    one notebook changes reaches another, and no kernel has to start.
    """
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # not a notebook, or a damaged one
        return None, f"could not read it ({type(exc).__name__}: {_first_line(str(exc))})"
    nb = runnable_copy(nb)
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_run_cells, args=(nb, send), daemon=True)
    child.start()
    send.close()
    try:
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
        receive.close()
    if outcome != "ok":
        return None, f"could not run it ({payload})"
    return nbformat.reads(payload, as_version=4), ""


def _preload() -> None:
    """Import once, in the parent, what every lesson's setup cell imports (forks share it)."""
    os.environ.pop("NBGRADER_EXECUTION", None)  # progress is never graded
    os.environ["MPLBACKEND"] = "Agg"
    import IPython.core.interactiveshell  # noqa: F401
    import matplotlib.pyplot  # noqa: F401
    import numpy  # noqa: F401

    try:
        import helpers.checks  # noqa: F401
        import helpers.explorers  # noqa: F401
        import helpers.plots  # noqa: F401
    except Exception:  # the notebooks' own setup cells will report it
        pass


def _run_cells(nb, send) -> None:
    """In the child: run every cell of ``nb`` in a fresh IPython shell, store its outputs."""
    try:
        from IPython.core.interactiveshell import InteractiveShell
        from IPython.utils.capture import capture_output
        from traitlets.config import Config

        sys.stdin = open(os.devnull)  # a cell waiting for input() gets EOFError
        os.chdir(tempfile.mkdtemp(prefix="progress-"))
        config = Config()
        config.HistoryManager.enabled = False
        shell = InteractiveShell.instance(config=config)
        for cell in nb.cells:
            with capture_output(display=False) as captured:
                result = shell.run_cell(cell.source, store_history=False)
            cell.outputs = []
            if captured.stdout:
                cell.outputs.append(
                    nbformat.v4.new_output("stream", name="stdout", text=captured.stdout)
                )
            exc = result.error_before_exec or result.error_in_exec
            if exc is not None:
                cell.outputs.append(
                    nbformat.v4.new_output(
                        "error",
                        ename=type(exc).__name__,
                        evalue=_safe_text(exc),
                        traceback=[],
                    )
                )
        send.send(("ok", nbformat.writes(nb)))
    except BaseException as exc:  # noqa: BLE001 - whatever happens, the parent hears of it
        send.send(("error", f"{type(exc).__name__}: {_first_line(_safe_text(exc))}"))
    finally:
        send.close()
        os._exit(0)  # no atexit handlers of the copied parent


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
