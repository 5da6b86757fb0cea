"""Copy lessons into the learner's own folder without ever overwriting their work.

    python -m tools.workspace lessons my-work

Lessons that are new (not yet in ``my-work/``) are copied; a lesson the learner
already has is left exactly as it is, even if the course has updated it. The
update is then announced, with the command to see it. ``my-work/`` is ignored
by git, so a ``git pull`` never touches it either.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path


def sync(source: Path, target: Path) -> tuple[list[str], list[str]]:
    """Copy new ``*.ipynb`` from ``source`` to ``target``; return (copied, updated upstream)."""
    target.mkdir(parents=True, exist_ok=True)
    copied, updated = [], []
    for lesson in sorted(source.glob("*.ipynb")):
        mine = target / lesson.name
        if not mine.exists():
            shutil.copy2(lesson, mine)
            copied.append(lesson.name)
        elif lesson.stat().st_mtime > mine.stat().st_mtime and (
            lesson.read_bytes() != mine.read_bytes()
        ):
            updated.append(lesson.name)
    return copied, updated


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("target", type=Path)
    args = parser.parse_args(argv)
    copied, updated = sync(args.source, args.target)
    for name in copied:
        print(f"copied {args.source / name} -> {args.target / name}")
    for name in updated:
        print(
            f"note: {args.source / name} has changed since you copied it; your "
            f"{args.target / name} is kept. To start afresh, rename yours and run make lab again."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
