"""Packing a lesson's blocks into slides that fit 1280 x 720.

:func:`pack` fills slides greedily with the blocks :func:`tools.deck_layout.deck_blocks` cut,
in order, by their estimated heights (the browser test measures the real ones). A lead-in
("... prints:", a heading alone, a caption) is never left at the bottom of a slide: it travels
with what it introduces, which is cut (a table between rows, a code cell apart from its
outputs) when the two together would not fit. The metrics in use are
``tools.deck_layout.M`` (``deck_layout.using`` swaps them for the workshop decks).
"""

from __future__ import annotations

from . import deck_layout as _layout
from .deck_layout import (
    Block,
    _code_cell,
    _is_table,
    _md_cell,
    code_height,
    markdown_height,
)


def _leads_in(block: Block) -> bool:
    """A markdown block that introduces what follows ("... prints:"), or a heading alone
    ("### Exercise 1.1", "**Answers**"): it never ends a slide on its own."""
    if block.cell.cell_type != "markdown":
        return False
    text = block.cell.source.strip()
    lone_heading = "\n" not in text and (
        text.startswith("#") or (text.startswith("**") and text.endswith("**"))
    )
    return text.endswith(":") or lone_heading


def _has_figure(block: Block) -> bool:
    return any("image/png" in o.get("data", {}) for o in block.cell.get("outputs", []))


def _is_caption(block: Block) -> bool:
    """A figure's caption ("*Figure 1.* ..."): it stays under its figure."""
    text = block.cell.source.lstrip() if block.cell.cell_type == "markdown" else ""
    return text.startswith(("*Figure", "_Figure", "**Figure"))


LEAD_IN_SLACK = 60  # px a lead-in may add over the budget to stay with what it introduces


def _split_to_fit(block: Block, room: int) -> list[Block]:
    """``block`` cut so that its first part is at most ``room`` px: a table between rows
    (each part repeats the header), a code cell apart from its outputs. Any other block,
    or one whose first part would still not fit, comes back whole."""
    cell = block.cell
    lines = cell.source.split("\n")
    parts: list[Block] = []
    if cell.cell_type == "markdown" and _is_table(lines):
        head, rows, limit, chunk = lines[:2], lines[2:], room, []
        for row in rows:
            if chunk and markdown_height("\n".join(head + chunk + [row])) > limit:
                text = "\n".join(head + chunk)
                parts.append(Block(_md_cell(text), markdown_height(text), section=block.section))
                chunk, limit = [], _layout.M.budget - 60
            chunk.append(row)
        text = "\n".join(head + chunk)
        parts.append(Block(_md_cell(text), markdown_height(text), section=block.section))
    elif cell.cell_type == "code" and cell.source.strip() and cell.get("outputs"):
        code = Block(
            _code_cell(cell.source),
            code_height(cell.source),
            section=block.section,
            solution=block.solution,
        )
        rest = Block(
            _code_cell("", cell.outputs, True),
            block.height - code.height,
            section=block.section,
            solution=block.solution,
        )
        parts = [code, rest]
    if len(parts) < 2 or parts[0].height > room:
        return [block]
    parts[0].new_slide = block.new_slide
    return parts


def _chain_end(blocks: list[Block], i: int) -> int:
    """Index of the block that the lead-ins from ``i`` on introduce (``i`` itself if
    ``blocks[i]`` is no lead-in): a heading, then "... prints:", then the code."""
    j = i
    while j + 1 < len(blocks) and not blocks[j + 1].new_slide:
        caption_above = _is_caption(blocks[j]) and _has_figure(blocks[j + 1])
        if not (_leads_in(blocks[j]) or caption_above):
            break
        j += 1
    return j


def _keep_lead_ins_with_what_follows(blocks: list[Block]) -> list[Block]:
    """A run of lead-ins and the block they introduce must fit on one slide (with the
    "(continued)" line and LEAD_IN_SLACK); when the introduced block is too tall for that,
    it is cut (``_split_to_fit``) so that its first part joins the lead-ins."""
    out = list(blocks)
    i = 0
    while i < len(out):
        if (
            _is_caption(out[i])
            and i + 1 < len(out)
            and _has_figure(out[i + 1])
            and out[i + 1].cell.source.strip()
            and not out[i + 1].new_slide
            and out[i].height + out[i + 1].height > _layout.M.budget - int(34 * _layout.M.scale)
            and len(parts := _split_to_fit(out[i + 1], _layout.M.budget)) == 2
        ):
            # a caption above a cell that draws its figure, too tall together: the code
            # goes first, the caption then sits directly above the figure, on its slide
            out[i : i + 2] = [parts[0], out[i], parts[1]]
            i += 1
        j = _chain_end(out, i)
        if j > i:
            room = _layout.M.budget + LEAD_IN_SLACK - int(34 * _layout.M.scale)
            room -= sum(b.height for b in out[i:j])
            if out[j].height > room:
                out[j : j + 1] = _split_to_fit(out[j], room)
        i = j + 1
    return out


def pack(blocks: list[Block]) -> list[list[Block]]:
    """Greedy: a block goes on the current slide if the estimated heights still fit; a
    lead-in (a sentence ending in a colon, a heading alone, or a run of them) moves to the
    next slide with what it introduces, and stays with it there even if the run's estimate
    is up to LEAD_IN_SLACK over the budget (the estimates are conservative; the browser
    test measures), so it never ends a slide; a block too tall to join its lead-ins is cut
    first (``_keep_lead_ins_with_what_follows``). A figure's caption stays under its
    figure."""
    blocks = _keep_lead_ins_with_what_follows(blocks)
    slides_: list[list[Block]] = []
    used = 0
    held = False  # the last block placed is a lead-in that the next block must join
    for i, block in enumerate(blocks):
        after = blocks[i + 1] if i + 1 < len(blocks) else None
        end = _chain_end(blocks, i)
        glued = end > i
        need = sum(b.height for b in blocks[i : end + 1])
        if after is not None and _is_caption(after) and _has_figure(block):
            glued, need = True, block.height + after.height
        joins = held and not block.new_slide
        joins = joins or (
            _is_caption(block)
            and bool(slides_)
            and bool(slides_[-1])
            and _has_figure(slides_[-1][-1])
            and used + block.height <= _layout.M.budget + LEAD_IN_SLACK
        )
        if not joins and (
            not slides_ or block.new_slide or (slides_[-1] and used + need > _layout.M.budget)
        ):
            slides_.append([])
            used = 0
            if not block.new_slide and block.section:
                used = int(34 * _layout.M.scale)  # the "(continued)" line
        slides_[-1].append(block)
        used += block.height
        held = glued and used + after.height <= _layout.M.budget + LEAD_IN_SLACK
    return slides_
