"""Generate lessons/ from solutions/: the solution notebook is the single source.

Like nbgrader's ``generate_assignment`` (ClearSolutions, ClearHiddenTests,
ClearOutput), with one difference: the stub names its exercise, so a learner
who runs a later cell sees which exercise is still open.

    python -m tools.make_lessons           # write lessons/
    python -m tools.make_lessons --check   # exit 1 if lessons/ is stale

Translated solutions in solutions/<lang>/ (tools/translations/) give lessons/<lang>/.
"""

from __future__ import annotations

import argparse
import copy
import sys

from . import notebooks as nbs

KEEP_CELL_METADATA = ("nbgrader", "slideshow", "tags", "jupyter", "editable", "deletable")


def _replace_regions(source: str, begin: str, end: str, stub) -> str:
    """Replace every ``begin ... end`` region; ``stub(indent)`` gives the new lines."""
    out, inside = [], False
    for line in source.splitlines():
        stripped = line.strip()
        if stripped == begin:
            if inside:
                raise ValueError(f"nested {begin!r}")
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            out.extend(stub(indent))
        elif stripped == end:
            if not inside:
                raise ValueError(f"{end!r} without {begin!r}")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ValueError(f"{begin!r} without {end!r}")
    return "\n".join(out)


def stub_source(source: str, cell_type: str) -> str:
    """The lesson version of one cell's source."""
    source = _replace_regions(source, nbs.BEGIN_HIDDEN, nbs.END_HIDDEN, lambda indent: [])
    if nbs.BEGIN_SOLUTION not in source and nbs.END_SOLUTION not in source:
        return source
    if cell_type == "markdown":
        return _replace_regions(
            source, nbs.BEGIN_SOLUTION, nbs.END_SOLUTION, lambda indent: ["YOUR ANSWER HERE"]
        )
    title = nbs.exercise_title(source)
    if title is None:
        raise ValueError("a solution cell must start with a line '# Exercise N.M: name'")
    return _replace_regions(
        source,
        nbs.BEGIN_SOLUTION,
        nbs.END_SOLUTION,
        lambda indent: [f"{indent}# YOUR CODE HERE", f"{indent}{nbs.lesson_stub(title)}"],
    )


def make_lesson(solution):
    """Return the lesson notebook generated from a solution notebook."""
    lesson = copy.deepcopy(solution)
    lesson.metadata.pop("widgets", None)
    for cell in lesson.cells:
        cell.source = stub_source(cell.source, cell.cell_type)
        cell.metadata = {k: v for k, v in cell.metadata.items() if k in KEEP_CELL_METADATA}
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.pop("attachments", None) if cell.cell_type == "code" else None
    return lesson


def folders() -> list[tuple]:
    """(solutions folder, lessons folder): the English ones, then each translation's."""
    pairs = [(nbs.SOLUTIONS, nbs.LESSONS)]
    for sub in sorted(p for p in nbs.SOLUTIONS.iterdir() if p.is_dir() and len(p.name) == 2):
        pairs.append((sub, nbs.LESSONS / sub.name))  # solutions/zh -> lessons/zh
    return pairs


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale lessons")
    args = parser.parse_args(argv)
    stale, orphans = [], []
    for solutions, lessons in folders():
        lessons.mkdir(exist_ok=True)
        prefix = lessons.relative_to(nbs.LESSONS.parent)
        sources = sorted(p for p in solutions.glob("*.ipynb") if nbs.NAME.match(p.name))
        for path in sources:
            target = lessons / path.name
            text = nbs.dumps(make_lesson(nbs.read(path)))
            if target.exists() and target.read_text(encoding="utf-8") == text:
                continue
            stale.append(f"{prefix}/{target.name}")
            if not args.check:
                target.write_text(text, encoding="utf-8")
        names = {p.name for p in lessons.glob("*.ipynb")} - {p.name for p in sources}
        orphans += [f"{prefix}/{name}" for name in sorted(names)]
    if args.check:
        for name in stale:
            print(f"{name} differs from what `make lessons` generates")
        for name in orphans:
            print(f"{name} has no solution notebook")
        return 1 if stale or orphans else 0
    for name in stale:
        print(f"wrote {name}")
    for name in orphans:
        print(f"warning: {name} has no solution notebook", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
