"""The workshop decks (tools/workshop.py) are made from the cells tagged for each plan, and
the tags in solutions/ are exactly what the plans in session-plans.md teach."""

from __future__ import annotations

import re

import pytest

from tools import notebooks as nbs
from tools import workshop

TAGS = list(workshop.PLANS)


def test_tags_in_the_solutions_are_the_plans():
    """`python -m tools.workshop --tag` would change nothing; lessons carry the same tags."""
    wanted = workshop.wanted_tags()
    for path in nbs.solution_paths():
        lesson = nbs.read(nbs.LESSONS / path.name)
        lesson_tags = {c.id: set(c.metadata.get("tags", [])) & set(TAGS) for c in lesson.cells}
        for cell in nbs.read(path).cells:
            have = set(cell.metadata.get("tags", [])) & set(TAGS)
            assert have == wanted.get(path.stem, {}).get(cell.id, set()), (
                f"{path.name} cell {cell.id}: tags {sorted(have)}; the plans ask for "
                f"{sorted(wanted.get(path.stem, {}).get(cell.id, set()))}: run "
                "python -m tools.workshop --tag"
            )
            assert lesson_tags.get(cell.id, set()) == have, f"lessons/{path.name} {cell.id}"


@pytest.mark.parametrize("tag", TAGS)
def test_the_deck_is_the_tagged_cells_of_the_plan(tag):
    deck, owner = workshop.workshop_notebook(tag)
    tagged = {
        c.id
        for p in nbs.solution_paths()
        for c in nbs.read(p).cells
        if tag in c.metadata.get("tags", [])
    }
    ids = [c.get("id") for c in deck.cells[1:]]
    assert set(ids) == tagged, "the deck is not exactly the tagged cells"
    assert len(ids) == len(set(ids)), "a cell appears twice"
    sections = {s for s in owner}
    assert sections, tag
    live = set()
    for row in workshop.plan_rows(tag):
        live |= set(re.findall(r"\d+\.\d+", row[3] if len(row) > 3 else ""))
    text = "\n".join(c.source for c in deck.cells)
    for number in live:
        assert f"# Exercise {number}:" in text, f"{tag}: live Exercise {number} is not in the deck"


@pytest.mark.parametrize("tag", TAGS)
def test_every_slide_has_a_note_with_minute_marks(tag):
    deck = workshop.workshop_deck_notebook(tag)
    slides, noted, marks = 0, 0, 0
    for cell in deck.cells:
        kind = cell.metadata.get("slideshow", {}).get("slide_type")
        slides += kind == "slide"
        if kind == "notes":
            noted += 1
            marks += bool(re.search(r"\*\*Min \d+–\d+\*\*", cell.source))
    assert noted == slides and marks >= slides - 1, (tag, slides, noted, marks)


@pytest.mark.parametrize("tag", TAGS)
def test_workshop_code_blocks_are_short(tag):
    deck = workshop.workshop_deck_notebook(tag)
    for cell in deck.cells:
        if cell.cell_type == "code":
            assert cell.source.count("\n") < 14, cell.source[:60]


def test_short_docstrings_keep_the_summary():
    source = 'def f(x):\n    """Sum it.\n\n    Parameters\n    ----------\n    """\n    return x\n'
    assert workshop.short_docstrings(source) == 'def f(x):\n    """Sum it."""\n    return x\n'
