"""Workshop decks: one reveal.js deck per timed plan of docs/instructors/session-plans.md.

    python -m tools.workshop --tag          # (re)tag the solution cells each plan teaches
    python -m tools.slides                  # builds build/slides/workshop-*.html too

Each plan (``PLANS``: the 3-hour workshop, sessions 1 and 2 of the 2 x 90-minute plan)
names whole rows of the lesson pages' session plans by their minutes ("01 §1–§4 (page
0–45)"). The sections those rows teach are the deck: the cells of those sections carry the
plan's tag (cell metadata ``tags``: ``workshop-3h``, ``session-1``, ``session-2``) in
solutions/, and the deck is made of the tagged cells, in the plan's order, never copied by
hand. ``--tag`` writes the tags from the plan (tags only: no other change to a cell, ids
kept); tests/test_workshop.py checks that the tags and the plan agree.

The decks use larger type than the lesson decks (body and code 24 px on the 1280 x 720
canvas, at most 14 code lines per slide) and carry speaker notes on every slide with the
plan's minute marks: where the class should be, what the lesson page says to do there, and
for an exercise how long learners type and when to reveal the solution.
"""

from __future__ import annotations

import argparse
import copy
import html
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from . import deck_layout
from . import notebooks as nbs
from .deck_notes import GUIDE, _match_section

PLANS_PAGE = GUIDE / "session-plans.md"
# tag -> (title of the plan's block in session-plans.md, session number or None, deck title)
PLANS = {
    "workshop-3h": ("Plan A", None, "Sigmoid and softmax: the 3-hour workshop"),
    "session-1": ("Plan B", 1, "Sigmoid and softmax, session 1 of 2: the two functions"),
    "session-2": ("Plan B", 2, "Sigmoid and softmax, session 2 of 2: gradients and heads"),
}
WORKSHOP_METRICS = deck_layout.Metrics(text_px=24, code_px=24, max_code_lines=14)
# After the lesson decks' CSS (tools/slides.py DECK_CSS): every text at 24 px or more.
WORKSHOP_CSS = """
:root { --jp-code-font-size: 24px; --jp-content-font-size1: 24px; --jp-ui-font-size1: 24px; }
.reveal .jp-RenderedHTMLCommon { font-size: 24px; line-height: 1.35; }
.reveal .jp-RenderedHTMLCommon h1 { font-size: 46px; }
.reveal .jp-RenderedHTMLCommon h2 { font-size: 36px; }
.reveal .jp-RenderedHTMLCommon h3 { font-size: 28px; }
.reveal .jp-RenderedHTMLCommon table { font-size: 24px; }
.reveal .jp-CodeCell pre, .reveal .jp-OutputArea pre, .reveal .highlight pre {
  font-size: 24px !important; line-height: 1.3 !important; }
.reveal .jp-RenderedHTMLCommon code { font-size: 1em; }
.reveal p.deck-cont { font-size: 24px; }
.reveal p.deck-solution { font-size: 30px; }
.reveal .MJXc-display { font-size: 88%; }  /* wide displayed formulas (04's boxed pair) */
"""


@dataclass
class Segment:
    """A lesson page row taught in a plan, at the plan's minutes."""

    lesson: str  # "01"
    start: int  # minutes into the plan
    end: int
    what: str  # the plan row's "What"
    section_text: str  # the lesson page row's "Section" column
    todo: str  # the lesson page row's "What you do"
    sections: list[str]  # the notebook's ``## `` titles that row teaches


def _rows(text: str) -> list[list[str]]:
    return [
        [c.strip() for c in line.strip().strip("|").split("|")]
        for line in text.splitlines()
        if line.lstrip().startswith("|") and not re.fullmatch(r"\|?[\s:|-]+\|?", line.strip())
    ]


def plan_block(tag: str) -> str:
    """The text of ``tag``'s plan (or session) in session-plans.md."""
    title, session, _ = PLANS[tag]
    text = PLANS_PAGE.read_text(encoding="utf-8")
    block = text.split(f"## {title}")[1].split("\n## ")[0]
    if session is not None:
        block = block.split("### Session")[session]
    return block


def plan_rows(tag: str) -> list[list[str]]:
    """The plan's timed rows: ``[minutes, what, lesson segments, live exercises]``."""
    return [r for r in _rows(plan_block(tag)) if re.fullmatch(r"\d+–\d+", r[0])]


def lesson_path(number: str) -> Path:
    return next(p for p in nbs.solution_paths() if p.stem.startswith(number))


def lesson_page_rows(number: str) -> list[tuple[int, int, str, str]]:
    """``[(start, end, section column, what you do)]`` of the lesson page's session plan."""
    page = GUIDE / f"{lesson_path(number).stem}.md"
    table = page.read_text(encoding="utf-8").split("## Session plan")[1].split("\n## ")[0]
    found = []
    for row in _rows(table):
        span = re.fullmatch(r"(\d+)–(\d+)", row[0])
        if span:
            found.append((int(span[1]), int(span[2]), row[1], " | ".join(row[2:])))
    return found


def section_titles(nb) -> list[str]:
    return [
        m.group(1).strip()
        for c in nb.cells
        if c.cell_type == "markdown"
        for m in [deck_layout.SECTION.match(c.source.split("\n")[0])]
        if m
    ]


def schedule(tag: str) -> list[Segment]:
    """Every lesson page row the plan teaches, with its minutes in the plan."""
    segments = []
    for row in plan_rows(tag):
        clock = int(row[0].split("–")[0])
        lesson = None
        for part in row[2].split(";") if len(row) > 2 else []:
            named = re.match(r"\s*(\d\d)\b", part)
            lesson = named.group(1) if named else lesson
            for a, b in re.findall(r"\(page (\d+)–(\d+)\)", part):
                titles = section_titles(nbs.read(lesson_path(lesson)))
                for start, end, where, todo in lesson_page_rows(lesson):
                    if int(a) <= start and end <= int(b):
                        found = [_match_section(p, titles) for p in where.split(";")]
                        segments.append(
                            Segment(
                                lesson,
                                clock,
                                clock + end - start,
                                row[1].replace("*", ""),
                                where.replace("*", ""),
                                todo,
                                [t for t in dict.fromkeys(found) if t],
                            )
                        )
                        clock += end - start
    return segments


_DOCSTRING = re.compile(r'^(\s*)"""(.*?)\n.*?"""[ \t]*$', re.S | re.M)


def short_docstrings(source: str) -> str:
    """Every multi-line docstring cut to its summary line (slides have 14 code lines)."""
    return _DOCSTRING.sub(lambda m: f'{m.group(1)}"""{m.group(2).strip()}"""', source)


def _draws_a_figure(cell) -> bool:
    return (
        cell.cell_type == "code"
        and nbs.BEGIN_SOLUTION not in cell.source
        and any("image/png" in o.get("data", {}) for o in cell.get("outputs", []))
    )


def _optional(cell) -> bool:
    """An *Optional, deeper* box: never in a workshop deck."""
    return cell.cell_type == "markdown" and "optional, deeper" in cell.source[:200].lower()


def cells_of_sections(nb, titles: list[str]) -> list:
    """The cells of the ``## `` sections named (header to the next header), no optional box."""
    chosen, inside = [], False
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            heading = deck_layout.SECTION.match(cell.source.split("\n")[0])
            if heading:
                inside = heading.group(1).strip() in titles
        if inside and not _optional(cell):
            chosen.append(cell)
    return chosen


def wanted_tags() -> dict[str, dict[str, set[str]]]:
    """``{lesson file stem: {cell id: {tags}}}`` as the plans ask."""
    wanted: dict[str, dict[str, set[str]]] = {}
    for tag in PLANS:
        for segment in schedule(tag):
            path = lesson_path(segment.lesson)
            for cell in cells_of_sections(nbs.read(path), segment.sections):
                wanted.setdefault(path.stem, {}).setdefault(cell.id, set()).add(tag)
    return wanted


def write_tags() -> list[Path]:
    """Set exactly the plans' tags on the solution cells (other tags untouched)."""
    wanted = wanted_tags()
    changed = []
    for path in nbs.solution_paths():
        nb = nbs.read(path)
        before = nbs.dumps(nb)
        for cell in nb.cells:
            tags = [t for t in cell.metadata.get("tags", []) if t not in PLANS]
            tags += sorted(wanted.get(path.stem, {}).get(cell.id, set()))
            if tags:
                cell.metadata["tags"] = tags
            else:
                cell.metadata.pop("tags", None)
        if nbs.dumps(nb) != before:
            nbs.write(nb, path)
            changed.append(path)
    return changed


def _note(segment: Segment, tag: str, kind: str, exercise: str = "") -> str:
    minutes = f"**Min {segment.start}–{segment.end}** of {PLANS[tag][2].split(': ')[-1]}"
    where = f"({segment.what}; lesson {segment.lesson}: {segment.section_text})"
    if kind == "task":
        number = re.search(r"Exercise (\d+\.\d+)", exercise)
        todo = re.search(r"(\d+) minutes for", segment.todo)
        typing = f"{todo.group(1)} minutes" if todo else "a few minutes"
        return (
            f"{minutes} {where}. **Live exercise {number.group(1) if number else ''}**: "
            f"learners type now, {typing}; circulate; when most are done, run a wrong answer "
            "and read its ❌ report aloud before moving on to the solution slide."
        )
    if kind == "solution":
        return (
            f"{minutes} {where}. Solution: press → once more to reveal the code only when the "
            "class is done; run the check and point at its line; say which mistake the hint "
            "would have named."
        )
    if kind == "first":
        return f"{minutes} {where}. {segment.todo}"
    return f"{minutes} {where}. Still this segment: keep to the clock; the lesson page: " + (
        segment.todo[:300] + ("…" if len(segment.todo) > 300 else "")
    )


def workshop_notebook(tag: str):
    """The plan's deck notebook (tagged cells, in the plan's order) and the slide keys."""
    import nbformat

    deck = nbformat.v4.new_notebook()
    title = PLANS[tag][2]
    rows = plan_rows(tag)
    agenda = "\n".join(f"- {r[0]} min · {r[1].replace('*', '')}" for r in rows)
    deck.cells.append(nbformat.v4.new_markdown_cell(f"# {title}\n\n{agenda}"))
    owner: dict[str, Segment] = {}  # the deck's section title -> its segment
    done: set[tuple[str, str]] = set()
    for segment in schedule(tag):
        nb = nbs.read(lesson_path(segment.lesson))
        if not deck.metadata:
            deck.metadata = copy.deepcopy(nb.metadata)
        fresh = [t for t in segment.sections if (segment.lesson, t) not in done]
        done |= {(segment.lesson, t) for t in fresh}
        for cell in cells_of_sections(nb, fresh):
            if tag not in cell.metadata.get("tags", []):
                continue
            cell = copy.deepcopy(cell)
            if _draws_a_figure(cell):  # the figure, not the plotting code
                cell.source = ""
            if nbs.BEGIN_SOLUTION in cell.source:  # the learners have the full docstring
                cell.source = short_docstrings(cell.source)
            heading = (
                deck_layout.SECTION.match(cell.source.split("\n")[0])
                if cell.cell_type == "markdown"
                else None
            )
            if heading:  # "## 3 · Title" -> "## 01 §3 · Title": unique across lessons
                name = f"{segment.lesson} §{heading.group(1).strip()}"
                cell.source = f"## {name}" + cell.source[len(heading.group(0)) :]
                owner[name] = segment
            deck.cells.append(cell)
    deck.metadata.pop("widgets", None)
    return deck, owner


def _stub_title(source: str) -> str | None:
    """The exercise title a lesson stub raises (``nbs.LESSON_STUB``), or None."""
    match = nbs.LESSON_STUB.search(source)
    return match.group(0).split('"')[1] if match else None


def add_notes(deck, owner: dict[str, Segment], tag: str):
    """A speaker note on every slide that has none, with the plan's minute marks: the
    segment's minutes, and on its later slides the minute the class should be at (the
    segment's time spread evenly over its slides)."""
    import nbformat

    starts = [
        i
        for i, c in enumerate(deck.cells)
        if c.metadata.get("slideshow", {}).get("slide_type") == "slide"
    ]
    pages, segment_of, current = [], [], None
    for n, i in enumerate(starts):
        cells = deck.cells[i : starts[n + 1] if n + 1 < len(starts) else len(deck.cells)]
        text = "\n".join(c.source for c in cells if c.cell_type == "markdown")
        for name in owner:
            if f"## {name}" in text or html.escape(name, quote=False) in text:
                current = owner[name]
        pages.append(cells)
        segment_of.append(current)
    count = {id(s): segment_of.count(s) for s in segment_of if s is not None}
    out, position = list(deck.cells[: starts[0]] if starts else []), {}
    for cells, segment in zip(pages, segment_of):
        out += cells
        if segment is not None:
            position[id(segment)] = position.get(id(segment), 0) + 1
        if any(c.metadata.get("slideshow", {}).get("slide_type") == "notes" for c in cells):
            continue
        solution = cells[0].metadata.get("slideshow", {}).get("data", {}).get("course_solution")
        task = next((title for c in cells if (title := _stub_title(c.source))), None)
        if segment is None:
            note = "Welcome; the agenda with its minute marks. Formula sheet handed out?"
        elif solution:
            note = _note(segment, tag, "solution", solution)
        elif task:
            note = _note(segment, tag, "task", task)
        elif position[id(segment)] == 1:
            note = _note(segment, tag, "first")
        else:
            k, n = position[id(segment)], count[id(segment)]
            at = segment.start + round((k - 1) * (segment.end - segment.start) / n)
            note = (
                f"**Min {segment.start}–{segment.end}**, slide {k} of {n} of this segment: be "
                f"at about minute {at}. ({segment.what}; lesson {segment.lesson}: "
                f"{segment.section_text}.) The lesson page for this segment: "
                + segment.todo[:240]
                + ("…" if len(segment.todo) > 240 else "")
            )
        cell = nbformat.v4.new_markdown_cell(note)
        cell.metadata["slideshow"] = {"slide_type": "notes"}
        out.append(cell)
    deck.cells = out
    return deck


def workshop_deck_notebook(tag: str):
    deck, owner = workshop_notebook(tag)
    with deck_layout.using(WORKSHOP_METRICS):
        laid_out = deck_layout.deck_notebook(deck, {})
    return add_notes(laid_out, owner, tag)


def deck_file(tag: str) -> str:
    return f"workshop-{tag.removeprefix('workshop-')}.html"


def build_workshop_decks(out: Path, prefix: str | None = "vendor") -> list[tuple[Path, str]]:
    """Write one deck per plan into ``out``; return ``[(deck, title)]``."""
    from . import slides

    exporter = slides.slides_exporter(prefix, css=slides.DECK_CSS + WORKSHOP_CSS)
    built = []
    for tag, (_, _, title) in PLANS.items():
        nb = slides.without_widgets(workshop_deck_notebook(tag))
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
        body = slides.plain_symbols(body)
        if prefix is not None and (refs := slides.external_refs(body)):
            raise SystemExit(f"{tag}: the deck still loads {refs}")
        path = out / deck_file(tag)
        path.write_text(body, encoding="utf-8")
        built.append((path, title))
    return built


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tag", action="store_true", help="write the plans' tags into solutions/")
    args = parser.parse_args(argv)
    if args.tag:
        for path in write_tags():
            print(f"tagged {path.relative_to(nbs.ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
