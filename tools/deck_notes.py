"""Speaker notes for the decks, drawn from the instructor guide (docs/instructors/NN_name.md)."""

from __future__ import annotations

import re
from pathlib import Path

from . import notebooks as nbs
from .deck_layout import SECTION as _SECTION

GUIDE = nbs.GUIDE
_WORD = re.compile(r"[a-z][a-z0-9-]{2,}")
_STOP = {"the", "and", "for", "with", "from", "its", "one", "two", "what", "how", "why"}


def _guide_section(text: str, heading: str) -> str:
    """The body of the guide page's ``## heading...`` section (heading matched by prefix)."""
    match = re.search(rf"^## {re.escape(heading)}[^\n]*\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    return match.group(1).strip() if match else ""


def _items(body: str) -> list[str]:
    """Top-level list items (``- `` or ``1. ``) of a markdown section, continuation joined."""
    items: list[str] = []
    for line in body.split("\n"):
        if re.match(r"^(?:[-*]|\d+\.)\s+", line):
            items.append(re.sub(r"^(?:[-*]|\d+\.)\s+", "", line))
        elif items and line.startswith(" ") and line.strip():
            items[-1] += " " + line.strip()
    return items


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP}


def _match_section(part: str, sections: list[str]) -> str | None:
    """The notebook section a plan row's "Section" entry names: by number, else by words."""
    part = part.replace("*", "").strip()
    number = re.match(r"(\d+)\b", part)
    if number:
        for title in sections:
            if re.match(rf"{number.group(1)}\s*·", title):
                return title
    if part.lower().startswith("exercise"):
        return None
    wanted = _words(part)
    best, score = None, 0.0
    for title in sections:
        have = _words(title)
        if wanted and have:
            overlap = len(wanted & have) / len(wanted)
            if overlap > score:
                best, score = title, overlap
    return best if score >= 0.5 else None


def guide_notes(name: str, nb, guide: Path = GUIDE) -> dict[str, str]:
    """Speaker notes per slide key (``"title"`` or a ``## `` section title) from the guide.

    Each session-plan row goes to the section(s) its "Section" column names, with its
    minutes; each "What to live-code" item that names a section ("Section 3") goes there,
    the rest to the title slide; the misconceptions go to the title slide (headlines) and
    to the lesson's own "Misconceptions" slide (in full).
    """
    page = guide / f"{name}.md"
    if not page.is_file():
        return {}
    text = page.read_text(encoding="utf-8")
    sections = [
        m.group(1).strip()
        for c in nb.cells
        if c.cell_type == "markdown"
        for m in [_SECTION.match(c.source.split("\n")[0])]
        if m
    ]
    notes: dict[str, list[str]] = {}

    def add(key: str, line: str) -> None:
        notes.setdefault(key, []).append(line)

    plan = _guide_section(text, "Session plan")
    for row in plan.split("\n"):
        cells = [c.strip() for c in row.strip().strip("|").split("|")]
        if len(cells) < 3 or not re.match(r"\d", cells[0]):
            continue
        minutes, what, todo = cells[0], cells[1], " | ".join(cells[2:])
        targets = [t for part in what.split(";") if (t := _match_section(part, sections))]
        line = f"**{minutes} min · {what}.** {todo}"
        for target in dict.fromkeys(targets) or ["title"]:
            add(target, line)
    for item in _items(_guide_section(text, "What to live-code")):
        mentioned = re.search(r"Section (\d+)", item)
        target = _match_section(mentioned.group(1), sections) if mentioned else None
        add(target or "title", "**Live-code:** " + item)
    misconceptions = _items(_guide_section(text, "Where learners get stuck"))
    if misconceptions:
        heads = [m.group(1) for i in misconceptions if (m := re.match(r"\*\*(.+?)\*\*", i))]
        if heads:
            add("title", "**Watch for:** " + "; ".join(heads))
        mis = next((s for s in sections if "misconception" in s.lower()), None)
        for item in misconceptions:
            add(mis or "title", "- " + item)
    # Links relative to docs/instructors/ mean nothing next to a deck: keep their text.
    local = re.compile(r"\[([^\]]+)\]\((?![a-z]+:)[^)]*\)")
    return {key: local.sub(r"\1", "\n\n".join(lines)) for key, lines in notes.items()}
