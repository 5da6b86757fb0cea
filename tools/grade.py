"""Re-grade every check cell of an nbgrader assignment outside the students' kernels.

    python -m tools.grade ROOT ASSIGNMENT [--csv PATH] [--db URL] [--source-db URL]

Run it after ``nbgrader autograde ASSIGNMENT`` in the course directory ROOT, before
``generate_feedback`` and ``export``. For each submission
``ROOT/submitted/<student>/ASSIGNMENT/<notebook>.ipynb`` and each check cell of that
notebook (its source taken from the gradebook, not the submission):

1. a fresh isolated worker process (:mod:`tools.grading.sandbox`) runs the
   submission's answer cells, read from the file; the course package is not
   importable there;
2. here, in the grader's process, the course's genuine check
   (``helpers.checks.check_x``) runs on a stand-in for the learner's function that
   forwards each call to the worker; only plain values come back (arrays through
   ``np.save(allow_pickle=False)``), and the comparison with the reference is made
   here, where the submission never ran;
3. the check cell's points if that check passes, else 0, are written to the gradebook as
   the cell's manual score, which ``nbgrader export`` and ``generate_feedback`` use.

Every (student, exercise) whose kernel score (the autograded score nbgrader stored)
differs from the trusted one is printed, and every row is saved to
``ROOT/trusted-grades/ASSIGNMENT.csv`` (or ``--csv``). Exit status: 0 when every cell was
graded (mismatches or not), 2 when a worker failed in a way that cannot be put down to
the submission (it failed before running any student code): those cells keep their old
score and are listed.

Files read inside ROOT: the submitted notebooks and ``gradebook.db`` (``--db`` for
another URL), nothing else; with ``--source-db`` the check cells come from that gradebook
(the instructor's, kept out of a sandboxed autograde's reach);
docs/instructors/grading-integrity.md says how to set that up.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import inspect
import io
import os
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path

os.environ.pop("NBGRADER_EXECUTION", None)  # the grader's own process is trusted: not graded

from tools.grading import extract, sandbox  # noqa: E402
from tools.grading import worker as codec  # noqa: E402

CSV_FOLDER = "trusted-grades"
FIELDS = [
    "student",
    "notebook",
    "cell",
    "check",
    "points",
    "kernel",
    "before",
    "trusted",
    "verdict",
]


# ---------------------------------------------------------------- the learner's stand-in


def _exception(name: str, message: str) -> BaseException:
    """A plain exception of the worker's type name (builtins and NumPy's by class)."""
    import builtins

    import numpy as np

    cls = getattr(builtins, name, None)
    if isinstance(cls, type) and issubclass(cls, (Exception, SystemExit)):
        try:
            return cls(message)
        except Exception:  # noqa: BLE001 - an exception class with another signature
            pass
    if name == "AxisError":
        return np.exceptions.AxisError(message)
    if name == "LinAlgError":
        return np.linalg.LinAlgError(message)
    return type(name, (Exception,), {"__module__": "submission"})(message)


def _object(type_name: str):
    """A stand-in for a value that has no plain encoding (the check sees its type name)."""
    cls = type(type_name, (), {"__repr__": lambda self: f"<{type_name} object>"})
    return cls()


def _signature(spec) -> inspect.Signature | None:
    if not spec:
        return None
    params = []
    try:
        for name, kind, has_default in spec:
            default = None if has_default else inspect.Parameter.empty
            params.append(
                inspect.Parameter(str(name), inspect._ParameterKind(kind), default=default)
            )
        return inspect.Signature(params)
    except (TypeError, ValueError):
        return None


class Session:
    """The grader's side of one worker: calls, callbacks, and what ended it."""

    def __init__(self, worker: sandbox.Worker, allowed_helpers: dict):
        self.worker = worker
        self.helpers = allowed_helpers
        self.ended: str | None = None

    def call(self, name: str, args: tuple, kwargs: dict):
        """``(True, value)`` or ``(False, exception to raise)``, as the learner's function did."""
        if self.ended:
            return False, RuntimeError(f"not run: {self.ended}")
        callables: list = []
        try:
            message = {
                "op": "call",
                "fn": name,
                "args": [codec.encode(a, callables) for a in args],
                "kwargs": {k: codec.encode(v, callables) for k, v in kwargs.items()},
            }
        except codec.Unsupported as exc:
            raise RuntimeError(f"the check passed {exc}, which the grader cannot send") from exc
        try:
            self.worker.send(message)
            while True:
                reply = self.worker.receive(sandbox.CALL_SECONDS)
                if reply.get("op") != "callback":
                    break
                self.worker.send(self._callback(reply, callables))
        except sandbox.SubmissionEnded as exc:
            self.ended = str(exc)
            return False, RuntimeError(f"the graded process ended: {exc}")
        for text in reply.get("warnings", []) or []:
            warnings.warn(str(text), RuntimeWarning, stacklevel=3)
        if reply.get("op") == "error":
            return False, _exception(str(reply.get("type")), str(reply.get("message", "")))
        if reply.get("op") != "result":
            self.ended = "the graded process broke the protocol"
            return False, RuntimeError(self.ended)
        try:
            value = codec.decode(reply["value"], make_object=_object)
            for index, item in (reply.get("mutated") or {}).items():
                target = args[int(index)]
                new = codec.decode(item, make_object=_object)
                if hasattr(target, "shape") and getattr(new, "shape", None) == target.shape:
                    target[...] = new
                elif hasattr(target, "shape") and target.size:
                    target.flat[0] = target.flat[0] + 1  # changed in another shape: still changed
        except (ValueError, TypeError, KeyError, IndexError) as exc:
            return False, RuntimeError(f"the graded process sent an unreadable value ({exc})")
        return True, value

    def _callback(self, message: dict, callables: list) -> dict:
        target = message.get("target")
        if isinstance(target, int) and 0 <= target < len(callables):
            fn = callables[target]
        elif isinstance(target, str) and target.removeprefix("helpers.") in self.helpers:
            fn = self.helpers[target.removeprefix("helpers.")]
        else:
            return {"op": "raise", "type": "NameError", "message": f"no function {target!r}"}
        try:
            args = [codec.decode(a) for a in message.get("args", [])]
            kwargs = {k: codec.decode(v) for k, v in (message.get("kwargs") or {}).items()}
            return {"op": "return", "value": codec.encode(fn(*args, **kwargs))}
        except Exception as exc:  # noqa: BLE001 - the error goes back to the caller
            return {"op": "raise", "type": type(exc).__name__, "message": str(exc)}


def stand_in(session: Session, name: str, spec):
    """A function that behaves, for the check, like the learner's ``name`` in the worker."""

    def learner(*args, **kwargs):
        ok, value = session.call(name, args, kwargs)
        if not ok:
            raise value  # here, so a NotImplementedError reads as "not done yet"
        return value

    learner.__name__ = learner.__qualname__ = name
    signature = _signature(spec)
    if signature is not None:
        learner.__signature__ = signature
    return learner


# ---------------------------------------------------------------- grading one cell


@dataclass
class Row:
    student: str
    notebook: str
    cell: str
    check: str
    points: float
    kernel: float | None
    trusted: float | None
    verdict: str
    before: float | None = None  # the gradebook's score before: manual if set, else kernel
    report: str = field(default="", repr=False)

    @property
    def mismatch(self) -> bool:
        if self.trusted is None:
            return False
        return (self.kernel or 0.0) != self.trusted or (self.before or 0.0) != self.trusted


def public_helpers() -> dict:
    import helpers

    return {
        name: value
        for name, value in vars(helpers).items()
        if not name.startswith("_") and inspect.isfunction(value)
    }


def trusted_check(cells: list[str], call: extract.CheckCall) -> tuple[bool, str]:
    """Run the genuine check on the worker's functions: (passed, the check's report)."""
    import helpers.checks

    check = getattr(helpers.checks, call.check, None)
    if not callable(check) or not call.check.startswith("check_"):
        raise extract.NotACheck(f"there is no course check {call.check!r}")
    forbidden = extract.forbidden_helpers(check)
    lent = extract.LENT.get(call.check, frozenset())
    allowed = {k: v for k, v in public_helpers().items() if k in lent and k not in forbidden}
    with sandbox.Worker() as worker:
        try:
            ready = worker.setup(cells, list(call.names), sorted(allowed))
        except sandbox.SubmissionEnded as exc:  # the answer cells exited, hung or broke it
            return False, f"the graded process ended while running the answer cells: {exc}"
        missing = [n for n in call.names if ready["functions"].get(n) is None]
        if missing:
            errors = "; ".join(ready.get("errors", [])[:2])
            text = f"the answer cells define no function {missing[0]!r}"
            return False, text + (f" ({errors})" if errors else "")
        session = Session(worker, allowed)
        fns = [stand_in(session, n, ready["functions"][n]) for n in call.names]
        out = io.StringIO()
        with contextlib.redirect_stdout(out), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = check(*fns)
        report = out.getvalue().strip()
        if session.ended:
            report += f"\n(the graded process ended: {session.ended})"
        return result is True, report


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0][:200] if text.strip() else ""


def assignment_cells(gradebook, assignment: str) -> dict[str, tuple[set, list]]:
    """``{notebook: (answer cell ids, [(check cell id, points, source)])}`` of an assignment."""
    cells = {}
    for notebook in gradebook.find_assignment(assignment).notebooks:
        answer_ids = {c.name for c in notebook.solution_cells}
        checks = [
            (
                cell.name,
                cell.max_score,
                gradebook.find_source_cell(cell.name, notebook.name, assignment).source,
            )
            for cell in notebook.grade_cells
            if cell.cell_type == "code" and cell.name not in answer_ids
        ]
        cells[notebook.name] = (answer_ids, checks)
    return cells


def grade_assignment(
    root: Path, assignment: str, db_url: str | None = None, source_db_url: str | None = None
) -> list[Row]:
    """Grade every check cell; with ``source_db_url``, take the check cells from that gradebook
    (the instructor's, which no kernel could write) instead of the one autograde used."""
    from nbgrader.api import Gradebook, MissingEntry

    root = Path(root)
    rows: list[Row] = []
    db_url = db_url or f"sqlite:///{root / 'gradebook.db'}"
    with Gradebook(db_url) as gradebook:
        record = gradebook.find_assignment(assignment)
        if source_db_url:
            with Gradebook(source_db_url) as trusted:
                definition = assignment_cells(trusted, assignment)
        else:
            definition = assignment_cells(gradebook, assignment)
        for notebook_name, (answer_ids, check_cells) in definition.items():
            for submission in sorted(record.submissions, key=lambda s: s.student.id):
                student = submission.student.id
                path = root / "submitted" / student / assignment / f"{notebook_name}.ipynb"
                for cell_name, points, source in check_cells:
                    try:  # the answer cells above this check, as the kernel ran them
                        cells = (
                            extract.answer_cells(path, answer_ids, until=cell_name)
                            if path.is_file()
                            else None
                        )
                    except Exception as exc:  # noqa: BLE001 - an unreadable file scores 0
                        cells, unreadable = None, f"{type(exc).__name__}: {exc}"
                    else:
                        unreadable = "no submitted file"
                    try:
                        grade = gradebook.find_grade(cell_name, notebook_name, assignment, student)
                    except MissingEntry:
                        continue
                    row = Row(
                        student,
                        notebook_name,
                        cell_name,
                        "",
                        points,
                        grade.auto_score,
                        None,
                        "",
                        grade.score,
                    )
                    try:
                        call = extract.parse_check(source)
                        row.check = call.check
                        if cells is None:
                            passed, report = False, unreadable
                        else:
                            passed, report = trusted_check(cells, call)
                    except (sandbox.WorkerFailed, extract.NotACheck) as exc:
                        row.verdict, row.report = "not graded", str(exc)
                        rows.append(row)
                        continue
                    row.trusted = float(points) if passed else 0.0
                    row.verdict = "passed" if passed else _first_line(report) or "failed"
                    row.report = report
                    grade.manual_score = row.trusted
                    grade.needs_manual_grade = False
                    gradebook.db.commit()
                    rows.append(row)
    return rows


def _fmt(value) -> str:
    return "-" if value is None else f"{value:g}"


def print_table(rows: list[Row], out=sys.stdout) -> None:
    shown = [r for r in rows if r.mismatch or r.trusted is None]
    graded = sum(r.trusted is not None for r in rows)
    print(f"{graded} check cells graded, {len(shown)} to review", file=out)
    if not shown:
        return
    print(f"{'student':<20} {'cell':<36} {'kernel':>6} {'trusted':>7}  verdict", file=out)
    for r in shown:
        print(
            f"{r.student:<20} {r.cell:<36} {_fmt(r.kernel):>6} {_fmt(r.trusted):>7}  {r.verdict}",
            file=out,
        )


def write_csv(rows: list[Row], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*FIELDS, "mismatch"])
        writer.writeheader()
        for r in rows:
            writer.writerow(
                {
                    "student": r.student,
                    "notebook": r.notebook,
                    "cell": r.cell,
                    "check": r.check,
                    "points": _fmt(r.points),
                    "kernel": _fmt(r.kernel),
                    "before": _fmt(r.before),
                    "trusted": _fmt(r.trusted),
                    "verdict": r.verdict,
                    "mismatch": "yes" if r.mismatch else "no",
                }
            )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="the nbgrader course directory")
    parser.add_argument("assignment", help="e.g. 01_sigmoid")
    parser.add_argument("--csv", type=Path, help=f"default: ROOT/{CSV_FOLDER}/ASSIGNMENT.csv")
    parser.add_argument("--db", help="the gradebook's URL (default: sqlite:///ROOT/gradebook.db)")
    parser.add_argument(
        "--source-db",
        help="take the check cells from this gradebook (the instructor's copy, kept out of "
        "the autograde sandbox) instead of --db",
    )
    args = parser.parse_args(argv)
    if not (args.root / "submitted").is_dir():
        parser.error(f"{args.root} has no submitted/ folder: is it the nbgrader course directory?")
    rows = grade_assignment(args.root, args.assignment, args.db, args.source_db)
    print_table(rows)
    target = args.csv or args.root / CSV_FOLDER / f"{args.assignment}.csv"
    write_csv(rows, target)
    print(f"every row: {target}")
    failed = [r for r in rows if r.trusted is None]
    for r in failed:
        print(f"NOT GRADED {r.student} {r.cell}: {r.report}", file=sys.stderr)
    return 2 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
