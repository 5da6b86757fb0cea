"""Copy lessons into the learner's own folder without ever overwriting their work.

    python -m tools.workspace lessons my-work [--solutions solutions]

Lessons that are new (not yet in ``my-work/``) are copied; a lesson the learner
already has is left exactly as it is, even if the course has updated it. The
update is then announced, with what to do to take it. ``my-work/`` is ignored
by git, so a ``git pull`` never touches it either.

Whether a lesson changed upstream is decided by content, not by dates: the
SHA-256 of every lesson is recorded in ``my-work/.course-copies.json`` when it
is copied, and a later run compares the course's current lesson with that
record. Saving your own copy (which changes its date and its content) can
therefore neither hide an update nor invent one.

With ``--solutions``, the solved notebooks are also put in ``my-work/solutions/``
as read-only copies, refreshed (replaced) on every run: one click away in JupyterLab
for a stuck learner. File modes do not stop root, so `make lab` also runs the server
with :class:`tools.lab_contents.SolutionsReadOnlyContentsManager`, which refuses to
save, rename or delete anything in ``solutions/`` whoever runs it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import stat
import sys
from pathlib import Path

RECORD = ".course-copies.json"
READ_ONLY = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _load_record(target: Path) -> dict[str, str]:
    try:
        record = json.loads((target / RECORD).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}
    return record if isinstance(record, dict) else {}


def sync(source: Path, target: Path, names: set[str] | None = None) -> tuple[list[str], list[str]]:
    """Copy new ``*.ipynb`` from ``source`` to ``target``; return (copied, updated upstream).

    "Updated upstream" means: the course's lesson differs from the version that was
    copied (by content hash). A copy made before hashes were recorded gets its record
    now, from the current lesson, so it is announced from the next change on.
    """
    if not source.is_dir():
        raise SystemExit(f"error: no lessons folder {source}/ (run this from the course folder)")
    target.mkdir(parents=True, exist_ok=True)
    record = _load_record(target)
    copied, updated = [], []
    for lesson in sorted(source.glob("*.ipynb")):
        if names is not None and lesson.name not in names:
            continue
        mine = target / lesson.name
        now = digest(lesson)
        if not mine.exists():
            shutil.copyfile(lesson, mine)
            record[lesson.name] = now
            copied.append(lesson.name)
        elif lesson.name not in record:
            record[lesson.name] = now
        elif record[lesson.name] != now:
            updated.append(lesson.name)
    (target / RECORD).write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")
    return copied, updated


def refresh_solutions(source: Path, target: Path, only: set[str] | None = None) -> list[str]:
    """Put read-only copies of ``source/*.ipynb`` in ``target`` (replacing older copies)."""
    target.mkdir(parents=True, exist_ok=True)
    names = []
    for solution in sorted(source.glob("*.ipynb")):
        if only is not None and solution.name not in only:
            continue
        copy = target / solution.name
        if copy.exists():
            if copy.read_bytes() == solution.read_bytes():
                continue
            copy.chmod(copy.stat().st_mode | stat.S_IWUSR)
            copy.unlink()
        shutil.copyfile(solution, copy)
        copy.chmod(READ_ONLY)
        names.append(solution.name)
    return names


def sources(lang: str | None, source: Path) -> list[tuple[Path, set[str]]]:
    """Where each lesson comes from: ``source/lang`` for those translated, ``source`` for the rest.

    A lesson not yet translated comes in English, so a learner always gets the whole course
    (and one line says which lessons are in English).
    """
    everything = {p.name for p in source.glob("*.ipynb")}
    translated = {p.name for p in (source / lang).glob("*.ipynb")} if lang else set()
    if lang and not translated:
        print(f"note: no {lang} lessons in {source}/{lang}/ yet; using the English lessons")
    elif lang and everything - translated:
        english = ", ".join(sorted(everything - translated))
        print(f"note: not yet translated into {lang}, so in English: {english}")
    plan = [(source / lang, translated)] if translated else []
    return plan + [(source, everything - translated)]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument(
        "--solutions", type=Path, help="also refresh read-only copies in TARGET/solutions/"
    )
    parser.add_argument(
        "--lang", help="COURSE_LANG: the lessons translated into LANG, English for the rest"
    )
    args = parser.parse_args(argv)
    if not args.source.is_dir():
        raise SystemExit(
            f"error: no lessons folder {args.source}/ (run this from the course folder)"
        )
    lang = args.lang if args.lang and args.lang != "en" else None
    refreshed = []
    for folder, names in sources(lang, args.source):
        copied, updated = sync(folder, args.target, names)
        for name in copied:
            print(f"copied {folder / name} -> {args.target / name}")
        for name in updated:
            print(
                f"note: {folder / name} has changed since you copied it; your "
                f"{args.target / name} is kept. To take the new version, rename yours "
                "(e.g. add '-old' to its name) and run make lab again."
            )
        if args.solutions is not None:
            solved = args.solutions / folder.relative_to(args.source)
            refreshed += refresh_solutions(solved, args.target / "solutions", names)
    if args.solutions is not None:
        if refreshed:
            print(f"solved notebooks (read-only) in {args.target / 'solutions'}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
