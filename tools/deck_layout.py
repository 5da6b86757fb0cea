"""Deck layout: a solution notebook cut into blocks and packed into 1280 x 720 slides.

Used by tools/slides.py; see the comment below for the rules.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import html
import re
from dataclasses import dataclass

from . import notebooks as nbs

# --------------------------------------------------------------------------- deck layout
#
# A notebook cell can be far taller than a slide. The deck is therefore not the notebook
# as it is: ``deck_notebook`` cuts every cell into blocks (markdown paragraphs, code
# chunks, outputs), estimates each block's height on a 1280 x 720 slide with the CSS
# below, and packs them into slides greedily, every slide a top-level ``slide`` (no
# vertical sub-slides, so the arrow keys walk every slide in order). An exercise shows
# its task (the lesson's stub) on one slide and the solution on the next one, under a
# "Solution" heading; the solution's code is a fragment that appears on one more key
# press, so nothing of the answer is on screen before the lecturer asks for it.
# Speaker notes come from the lesson's page in the instructor guide (``guide_notes``).
# tests/browser/test_slides_fit.py measures every slide in Chromium.

SLIDE_WIDTH, SLIDE_HEIGHT = 1280, 720
BUDGET = 610  # px of estimated content per slide (the browser test measures the real height)
TEXT_LINE, TEXT_CHARS = 27, 100  # markdown: px per line, characters per line (conservative)
CODE_LINE, CODE_CHARS = 20, 118  # code and text outputs at 15 px monospace
FIGURE_MAX = (1180, 460)  # a figure is shown at most this wide and tall (px)
FIGURE_ZOOM = 1.6  # and enlarged up to this factor, to be legible from the back row


@dataclass(frozen=True)
class Metrics:
    """Font sizes of a deck (px on the 1280 x 720 canvas) and what the estimates derive from
    them; the constants above are those of the lesson decks (body 19 px, code 15 px)."""

    text_px: int = 19
    code_px: int = 15
    budget: int = BUDGET
    max_code_lines: int = 20  # a code block longer than this is cut between slides

    @property
    def scale(self) -> float:
        return self.text_px / 19

    @property
    def text_line(self) -> int:
        return round(TEXT_LINE * self.scale)

    @property
    def text_chars(self) -> int:
        return int(TEXT_CHARS / self.scale)

    @property
    def code_line(self) -> int:
        return round(CODE_LINE * self.code_px / 15)

    @property
    def code_chars(self) -> int:
        return int(CODE_CHARS * 15 / self.code_px)


LESSON_METRICS = Metrics()
M = LESSON_METRICS  # the metrics in use (``using`` swaps them for one build)


@contextlib.contextmanager
def using(metrics: Metrics):
    """Lay decks out with ``metrics`` inside the ``with`` block."""
    global M
    previous, M = M, metrics
    try:
        yield metrics
    finally:
        M = previous


SECTION = re.compile(r"^##\s+(.*)$")  # a section heading
_SECTION = SECTION
_ITEM = re.compile(r"^(?:[-*+]|\d+\.)\s+")


def _wrapped(line: str, width: int) -> int:
    return max(1, -(-len(line) // width))


def _plain_md(line: str) -> str:
    """Roughly what a markdown line shows: no link targets, no markup characters."""
    line = re.sub(r"\]\([^)]*\)", "]", line)
    line = re.sub(r"<[^>]+>", "", line)
    return re.sub(r"[*_`\\]|\\[a-zA-Z]+", "", line)


def markdown_blocks(source: str) -> list[str]:
    """Split markdown at blank lines, never inside a fence, $$ math, <details> or a list item."""
    blocks: list[list[str]] = []
    current: list[str] = []
    fence = math = False
    depth = 0
    for line in source.split("\n"):
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            fence = not fence
        if not fence:
            if stripped.count("$$") % 2:
                math = not math
            depth += len(re.findall(r"<details\b", stripped)) - stripped.count("</details>")
        if not stripped and not fence and not math and depth <= 0:
            if current:
                blocks.append(current)
                current = []
            continue
        current.append(line)
    if current:
        blocks.append(current)
    merged: list[list[str]] = []
    for block in blocks:  # an indented block continues the list item above it
        if merged and block[0][:1] in (" ", "\t"):
            merged[-1] += [""] + block
        else:
            merged.append(block)
    out = []
    for block in merged:  # a long list is cut between its items
        text = "\n".join(block)
        starts = [i for i, ln in enumerate(block) if _ITEM.match(ln)]
        if len(starts) > 1 and markdown_height(text) > M.budget // 2:
            cuts = [0, *starts[1:], len(block)]
            out += ["\n".join(block[a:b]) for a, b in zip(cuts, cuts[1:])]
        elif _is_table(block) and markdown_height(text) > M.budget - 60:
            out += _split_table(block)
        else:
            out.append(text)
    return out


def _is_table(lines: list[str]) -> bool:
    return len(lines) > 3 and all(ln.lstrip().startswith("|") for ln in lines)


def _split_table(lines: list[str]) -> list[str]:
    """A table taller than a slide, cut between rows; each part repeats the header."""
    head, rows = lines[:2], lines[2:]
    parts: list[list[str]] = [[]]
    for row in rows:
        if parts[-1] and markdown_height("\n".join(head + parts[-1] + [row])) > M.budget - 60:
            parts.append([])
        parts[-1].append(row)
    return ["\n".join(head + part) for part in parts]


def markdown_height(block: str) -> int:
    """Estimated px of one markdown block on a slide (see DECK_CSS)."""
    lines = block.split("\n")
    if block.lstrip().startswith("<details"):
        summary = re.search(r"<summary>(.*?)</summary>", block, re.S)
        text = _plain_md(summary.group(1)) if summary else "details"
        return 10 + M.text_line * _wrapped(text, M.text_chars)
    height = 8
    in_math = False
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("$$") or in_math:
            opening = stripped.startswith("$$") and not in_math
            if stripped.count("$$") % 2:
                in_math = not in_math
            rows = 1 + stripped.count("\\\\")
            tall = "\\frac" in stripped or "\\sum" in stripped or "\\begin" in stripped
            height += int(M.scale * (rows * (46 if tall else 36) + (10 if opening else 0)))
            continue
        if stripped.startswith("|"):
            if re.fullmatch(r"\|?[\s:|-]+\|?", stripped):
                continue
            cells = [c for c in stripped.strip("|").split("|")]
            widest = max(len(_plain_md(c)) for c in cells)
            per_cell = max(8, 150 // max(1, len(cells)))
            height += int(M.scale * (6 + 23 * _wrapped("x" * widest, int(per_cell / M.scale))))
            continue
        if stripped.startswith("# "):
            height += int(M.scale * 64) * _wrapped(stripped, int(60 / M.scale))
        elif stripped.startswith("## "):
            height += int(M.scale * 52) * _wrapped(stripped, int(75 / M.scale))
        elif stripped.startswith("### "):
            height += int(M.scale * 40) * _wrapped(stripped, int(95 / M.scale))
        elif stripped.startswith("<img") or stripped.startswith("!["):
            height += FIGURE_MAX[1]
        elif stripped:
            tall = 1.2 if "$" in stripped else 1.0
            height += int(M.text_line * tall * _wrapped(_plain_md(stripped), M.text_chars))
    return height


def code_height(text: str) -> int:
    return 14 + M.code_line * sum(_wrapped(line, M.code_chars) for line in text.split("\n"))


def _png_size(data: str) -> tuple[int, int]:
    raw = base64.b64decode(data[:64])
    return int.from_bytes(raw[16:20], "big"), int.from_bytes(raw[20:24], "big")


def figure_size(output) -> tuple[int, int]:
    """Display size of a PNG output: enlarged (at most FIGURE_ZOOM) or shrunk into FIGURE_MAX."""
    width, height = _png_size(output["data"]["image/png"])
    scale = min(FIGURE_ZOOM, FIGURE_MAX[0] / width, FIGURE_MAX[1] / height)
    return int(width * scale), int(height * scale)


def _output_text(output) -> str:
    if output.get("output_type") == "stream":
        return output.get("text", "")
    if output.get("output_type") == "error":
        return "\n".join(output.get("traceback", []))
    return output.get("data", {}).get("text/plain", "")


def output_height(output) -> int:
    data = output.get("data", {})
    if "image/png" in data:
        return figure_size(output)[1] + 10
    if "text/html" in data:
        page = data["text/html"]
        rows = len(re.findall(r"<tr\b", page))
        text = _plain_md(page)
        return 16 + max(rows * 30, M.text_line * _wrapped(text, M.text_chars))
    return code_height(_output_text(output).rstrip("\n")) - 4


def _split_lines(text: str, budget: int) -> list[str]:
    """Cut text into chunks whose code_height fits ``budget``, preferring blank lines."""
    lines = text.split("\n")
    chunks, current = [], []
    for line in lines:
        too_long = len(current) >= M.max_code_lines
        if current and (too_long or code_height("\n".join([*current, line])) > budget):
            cut = len(current)
            blanks = [i for i, ln in enumerate(current) if not ln.strip() and i > len(current) // 2]
            if blanks:
                cut = blanks[-1]
            chunks.append("\n".join(current[:cut]).strip("\n"))
            current = [ln for ln in current[cut:]]
            while current and not current[0].strip():
                current.pop(0)
        current.append(line)
    if current:
        chunks.append("\n".join(current).strip("\n"))
    return [c for c in chunks if c.strip()]


@dataclass
class Block:
    """One piece of a slide: a new cell (markdown or code) and its estimated height."""

    cell: dict
    height: int
    new_slide: bool = False  # must start a slide (a section header, a solution)
    section: str = ""  # the ``## `` title this block belongs to
    solution: str = ""  # "Exercise 1.1: sigmoid" for the blocks of that exercise's solution


def _md_cell(source: str, **metadata):
    import nbformat

    cell = nbformat.v4.new_markdown_cell(source)
    cell.metadata.update(metadata)
    return cell


def _code_cell(source: str, outputs=(), hide_input: bool = False):
    import nbformat

    cell = nbformat.v4.new_code_cell(source, outputs=list(outputs))
    if hide_input:
        cell.metadata["tags"] = ["deck-output-only"]
    return cell


def _without_markers(source: str) -> str:
    skip = {nbs.BEGIN_SOLUTION, nbs.END_SOLUTION}
    return "\n".join(ln for ln in source.split("\n") if ln.strip() not in skip)


def _code_blocks(source: str, outputs: list, section: str) -> list[Block]:
    blocks = []
    if source.strip():
        chunks = _split_lines(source, M.budget - 40)
        for chunk in chunks:
            blocks.append(Block(_code_cell(chunk), code_height(chunk), section=section))
    for output in outputs:
        if "image/png" in output.get("data", {}):
            width, height = figure_size(output)
            output = copy.deepcopy(output)
            meta = output.setdefault("metadata", {}).setdefault("image/png", {})
            meta.update(width=width, height=height)  # keeps the figure's alt text
        text = _output_text(output)
        if output.get("output_type") == "stream" and output_height(output) > M.budget - 40:
            for chunk in _split_lines(text.rstrip("\n"), M.budget - 40):
                part = copy.deepcopy(output)
                part["text"] = chunk + "\n"
                blocks.append(
                    Block(_code_cell("", [part], True), output_height(part), section=section)
                )
            continue
        blocks.append(Block(_code_cell("", [output], True), output_height(output), section=section))
    if blocks and source.strip():  # the first output stays with the code that made it
        first = next((i for i, b in enumerate(blocks) if b.cell.metadata.get("tags")), None)
        if first is not None and blocks[first - 1].height + blocks[first].height <= M.budget:
            code = blocks[first - 1]
            code.cell.outputs = blocks[first].cell.outputs
            code.height += blocks[first].height
            del blocks[first]
    return blocks


_DETAILS = re.compile(
    r"^\s*<details\b[^>]*>\s*(?:<summary>(.*?)</summary>)?(.*?)</details>\s*$", re.S
)


def _unfolded(text: str) -> str | None:
    """A ``<details>`` block (self-test answers) as plain markdown: its summary in bold,
    then its body; None for any other block. On a slide the answers get slides of their
    own instead of a fold that overflows when opened."""
    match = _DETAILS.match(text)
    if not match:
        return None
    summary = re.sub(r"\s*\(.*?\)\s*$", "", (match.group(1) or "Answers").strip())
    return f"**{summary}**\n\n{match.group(2).strip()}"


def _is_check_verdict(output) -> bool:
    """The ``True`` / ``False`` a check cell returns below its report."""
    text = output.get("data", {}).get("text/plain", "")
    return output.get("output_type") == "execute_result" and text in ("True", "False")


def _markdown_answer_blocks(cell, section: str, student: bool) -> list[Block]:
    """A manually graded markdown answer: its stub, then (instructors) the model answer."""
    from .make_lessons import stub_source

    task = stub_source(cell.source, "markdown")
    blocks = [
        Block(_md_cell(t), markdown_height(t), section=section) for t in markdown_blocks(task)
    ]
    if student:
        return blocks
    name = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "answer")
    header = _md_cell(f'<p class="deck-answer"><b>Model answer · {html.escape(name)}</b></p>')
    answer = [Block(header, 40, new_slide=True, section=section)]
    answer += [
        Block(_md_cell(t), markdown_height(t), section=section)
        for t in markdown_blocks(_without_markers(cell.source))
    ]
    for block in answer:
        block.solution = name
    return blocks + answer


def deck_blocks(nb, student: bool = False) -> list[Block]:
    """The notebook as a flat list of blocks, exercises split into task and solution.

    A solution's slide ends with its check: what follows starts a new slide, so the next
    fragment press never reveals the next exercise's heading with it. A check's returned
    ``True`` is not shown (its report line says the same)."""
    from .make_lessons import stub_source

    blocks: list[Block] = []
    section = ""
    previous_was_exercise = False
    close_solution = False

    def add(new: list[Block]) -> None:
        nonlocal close_solution
        if new and close_solution:
            new[0].new_slide = True
            close_solution = False
        blocks.extend(new)

    for cell in nb.cells:
        kind = cell.get("metadata", {}).get("slideshow", {}).get("slide_type")
        if kind in ("skip", "notes"):
            continue
        if cell.cell_type == "markdown" and nbs.BEGIN_SOLUTION in cell.source:
            # a derivation graded by hand: the task shows the stub; instructors get the
            # model answer on a slide of its own, marked as a solution (no fragment)
            add(_markdown_answer_blocks(cell, section, student))
            previous_was_exercise = False
            close_solution = not student  # what follows a model answer starts a new slide
            continue
        if cell.cell_type == "markdown":
            if previous_was_exercise and not student:
                close_solution = True
            parts = []
            for text in markdown_blocks(cell.source):
                unfolded = _unfolded(text)
                if unfolded is None:
                    parts.append((text, False))
                else:
                    inner = markdown_blocks(unfolded)
                    parts += [(t, j == 0) for j, t in enumerate(inner)]
            for i, (text, own_slide) in enumerate(parts):
                title = _SECTION.match(text.split("\n")[0])
                if title:
                    section = title.group(1).strip()
                add(
                    [
                        Block(
                            _md_cell(text),
                            markdown_height(text),
                            new_slide=bool(title)
                            or own_slide
                            or (i == 0 and text.startswith("# ")),
                            section=section,
                        )
                    ]
                )
            previous_was_exercise = False
            continue
        if cell.cell_type != "code":
            continue
        source = cell.source
        is_exercise = nbs.BEGIN_SOLUTION in source
        is_check = bool(cell.get("metadata", {}).get("nbgrader", {}).get("grade"))
        if previous_was_exercise and not is_check and not student:
            close_solution = True
        if is_exercise:
            title = nbs.exercise_title(source) or "Exercise"
            task = stub_source(source, "code")
            add(_code_blocks(task, [], section))
            if student:
                previous_was_exercise = True
                continue
            header = _md_cell(f'<p class="deck-solution">Solution · {html.escape(title)}</p>')
            solution = [
                Block(header, int(40 * M.scale), new_slide=True, section=section),
                *_code_blocks(_without_markers(stub_source_hidden(source)), [], section),
            ]
            for block in solution:
                block.solution = title
            close_solution = False
            blocks.extend(solution)
            previous_was_exercise = True
            continue
        outputs = [o for o in cell.get("outputs", []) if not (is_check and _is_check_verdict(o))]
        if student and previous_was_exercise and is_check:
            outputs = []  # the check's report on the solved exercise
        check_of_solution = previous_was_exercise and is_check and not student
        add(_code_blocks(stub_source_hidden(source), outputs, section))
        if check_of_solution:
            close_solution = True
        previous_was_exercise = False
    return blocks


def stub_source_hidden(source: str) -> str:
    """``source`` without nbgrader's hidden-test regions."""
    from .make_lessons import _replace_regions

    return _replace_regions(source, nbs.BEGIN_HIDDEN, nbs.END_HIDDEN, lambda indent: [])


def deck_notebook(nb, notes: dict[str, str] | None = None, student: bool = False):
    """A copy of ``nb`` laid out as slides that fit 1280 x 720 (see the comment above)."""
    import nbformat

    notes = notes or {}
    deck = nbformat.v4.new_notebook(metadata=copy.deepcopy(nb.metadata))
    deck.metadata.pop("widgets", None)
    from .deck_pack import pack  # packing reads this module's metrics

    for n, page in enumerate(pack(deck_blocks(nb, student=student))):
        first = page[0]
        cells = [b.cell for b in page]
        starts_section = bool(_SECTION.match(first.cell.source.split("\n")[0])) or n == 0
        solution = "deck-solution" in first.cell.source
        if not starts_section and not solution and first.section:
            label = html.escape(first.section, quote=False)
            cells.insert(0, _md_cell(f'<p class="deck-cont">{label} (continued)</p>'))
        key = "title" if n == 0 else (first.section if starts_section else None)
        for i, cell in enumerate(cells):
            cell.metadata["slideshow"] = {"slide_type": "slide" if i == 0 else "-"}
        solution = next((b.solution for b in page if b.solution), "")
        if solution:  # <section data-course-solution="Exercise 1.1: sigmoid">
            cells[0].metadata["slideshow"]["data"] = {"course_solution": solution}
            if "deck-solution" in first.cell.source and len(cells) > 1:
                # the heading first; the code (and the rest of the slide) on the next key press
                cells[1].metadata["slideshow"]["slide_type"] = "fragment"
        if key is not None and notes.get(key):
            note = _md_cell(notes[key])
            note.metadata["slideshow"] = {"slide_type": "notes"}
            cells.append(note)
        deck.cells += cells
    return deck
