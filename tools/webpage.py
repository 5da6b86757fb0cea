"""HTML helpers shared by the decks (tools/slides.py) and the sites (tools/site.py).

- ``external_refs`` lists every URL a page would fetch from the network (the builds fail
  unless it is empty, so "offline" is checked, not claimed); ``is_remote`` tells a URL
  that leaves the machine from a relative one.
- ``without_widgets`` replaces widget outputs (a ``VBox(...)`` repr without a kernel) by a
  short note; ``plain_symbols`` turns the checks' emoji into inline SVG badges.
- ``title`` reads a notebook's ``# `` heading.
"""

from __future__ import annotations

import copy
import functools
import re
from pathlib import Path

from . import notebooks as nbs

_SCRIPT_SRC = re.compile(r"<script\b[^>]*\bsrc\s*=\s*[\"']([^\"']+)", re.I)
_LINK_HREF = re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"']([^\"']+)", re.I)
_IMG_SRC = re.compile(r"<(?:img|iframe|source|video|audio)\b[^>]*\bsrc\s*=\s*[\"']([^\"']+)", re.I)
_CSS_URL = re.compile(r"(?:@import\s+|url\()\s*[\"']?(https?:)?//[^\"')\s]+", re.I)
_SCRIPT_BODY = re.compile(r"<script\b[^>]*>(.*?)</script>", re.I | re.S)
_JS_URL = re.compile(r"[\"'`]((?:https?:)?//[^\"'`\s]+)[\"'`]")


def is_remote(url: str) -> bool:
    """True for a URL fetched over the network (``http://``, ``https://``, ``//host``)."""
    return url.startswith(("http://", "https://", "//"))


def external_refs(page: str) -> list[str]:
    """URLs that loading ``page`` would fetch from the network (scripts, styles, images, CSS).

    Hyperlinks (``<a href>``) are not fetched and are not listed.
    """
    found = [u for rx in (_SCRIPT_SRC, _LINK_HREF, _IMG_SRC) for u in rx.findall(page)]
    refs = [u for u in found if is_remote(u)]
    refs += [m.group(0) for m in _CSS_URL.finditer(page)]
    for body in _SCRIPT_BODY.findall(page):
        refs += [u for u in _JS_URL.findall(body) if not u.startswith("//")]
    return sorted(set(refs))


WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = (
    '<p style="padding:.5em 1em;border-left:4px solid #0072B2;background:#eef5fb">'
    "<b>Interactive explorer.</b> Its sliders need a live kernel: run this cell in JupyterLab."
    "</p>"
)


def without_widgets(nb):
    """Replace each widget output (a ``VBox(...)`` repr without a kernel) by a short note."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_MIME in data:
                output["data"] = {"text/html": WIDGET_NOTE, "text/plain": "[interactive explorer]"}
    return nb


# The checks print emoji; lab machines without an emoji font show empty boxes. On the site
# and in the decks each becomes a small inline SVG badge with the same meaning.
def _badge(fill: str, path: str, label: str) -> str:
    return (
        f'<svg class="mark" role="img" aria-label="{label}" viewBox="0 0 16 16" width="1em" '
        f'height="1em" style="vertical-align:-0.125em"><title>{label}</title>'
        f'<circle cx="8" cy="8" r="8" fill="{fill}"/>{path}</svg>'
    )


_STROKE = 'fill="none" stroke="#fff" stroke-width="2.2" stroke-linecap="round"'
SYMBOLS = {
    "\u2705": _badge("#1a7f37", f'<path d="M4.2 8.4l2.5 2.5 5-5.3" {_STROKE}/>', "passed"),
    "\u274c": _badge("#c62828", f'<path d="M5 5l6 6M11 5l-6 6" {_STROKE}/>', "failed"),
    "\u23f3": _badge(
        "#b26a00",
        f'<path d="M5 4h6M5 12h6M5.6 4.2L8 8l2.4-3.8M5.6 11.8L8 8l2.4 3.8" {_STROKE}/>',
        "not done yet",
    ),
    "\u26a0\ufe0f": _badge("#b26a00", f'<path d="M8 4v5M8 11.6v.2" {_STROKE}/>', "warning"),
    "\u26a0": _badge("#b26a00", f'<path d="M8 4v5M8 11.6v.2" {_STROKE}/>', "warning"),
}
_SCRIPT = re.compile(r"(<script\b.*?</script>|<title>.*?</title>)", re.S | re.I)


@functools.cache
def _markdown():
    import mistune

    return mistune.create_markdown(escape=False, plugins=["table", "strikethrough"])


def render_markdown(text: str) -> str:
    """Our own trusted markdown (the guide, the learner pages) as HTML: its <details> and
    <kbd> stay HTML, not text; tables and strikethrough as on GitHub."""
    return _markdown()(text)


_STYLESHEET = re.compile(r'<link rel="stylesheet" href="(?![a-z]+:)([^"]+)">')


def inline_stylesheets(page: str, folder: Path) -> str:
    """``page`` with each local ``<link rel="stylesheet">`` replaced by the file's contents
    (resolved from ``folder``), so the page stands alone once copied into a site."""

    def inline(match: re.Match) -> str:
        return "<style>\n" + (folder / match.group(1)).read_text(encoding="utf-8") + "</style>"

    return _STYLESHEET.sub(inline, page)


def plain_symbols(page: str) -> str:
    """Replace the checks' emoji by inline SVG badges, outside scripts and <title>."""
    parts = _SCRIPT.split(page)
    for i in range(0, len(parts), 2):
        for emoji, svg in SYMBOLS.items():
            parts[i] = parts[i].replace(emoji, svg)
    return "".join(parts)


def title(nb) -> str:
    """``"01 · The sigmoid and its derivative"`` from the first ``# `` heading."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return "Untitled"


# --------------------------------------------------------------------------- student text
#
# The student build (site and decks) has no solution notebooks, no solution slides and no
# speaker notes, but lesson 00 tells learners where the solutions are (true for `make lab`
# and a hub). The student build replaces those sentences; tests/test_slides_site.py checks
# that no page of the student site still mentions what it does not have (so a rewording in
# lesson 00 that this table misses fails there, instead of leaking silently).
STUDENT_REWRITES = (
    (
        "- find the solution notebook when you are stuck",
        "- know what to do when you are stuck",
    ),
    (
        "The solved notebooks are one folder away: `solutions/` in JupyterLab's file browser, "
        "under the same file name (`solutions/00_start_here.ipynb` for this one), with every "
        "exercise solved and every output shown. They open read-only, and the JupyterLab that "
        "`make lab` starts refuses to save, rename or delete anything there (even when it runs "
        "as root), so your answers never end up in a solution by mistake; each `make lab` "
        "replaces those copies with the current solutions. (On a JupyterHub or Binder, the "
        "course's `solutions/` folder sits next to `lessons/`.) Try first; then compare.",
        "When you are stuck, read the check's hint and the section above the exercise again, "
        "then ask your instructor or a helper: the solved notebooks are not on this site.",
    ),
    ("; `my-work/solutions/` holds read-only solved twins.", "."),
    (
        "4. In the `solutions/` folder beside your copies (`my-work/solutions/00_start_here"
        ".ipynb`, read-only), under the same file name; on a hub, in the course's `solutions/` "
        "folder.",
        "4. Not on this site: read the check's hint, then ask your instructor or a helper.",
    ),
    (
        '\n- **"I can work in the solution notebook."** The copies in `my-work/solutions/` '
        "are read-only references; your answers belong in your own copy in `my-work/`, which "
        "nothing overwrites.",
        "",
    ),
)
# What a page of the student build must not mention (it does not have these).
STUDENT_ABSENT = re.compile(
    r"solutions/|solution notebook|solved twin|speaker (?:view|notes)|solution slide", re.I
)


def for_students(text: str) -> str:
    """``text`` with STUDENT_REWRITES applied (markdown or plain text)."""
    for old, new in STUDENT_REWRITES:
        text = text.replace(old, new)
    return text


def student_markdown(nb):
    """``nb`` with every markdown cell passed through ``for_students`` (ids kept)."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = for_students(cell.source)
    return nb


def model_answers_labelled(nb):
    """A copy of ``nb`` whose markdown model answers (derivations graded by hand) read as such.

    nbgrader's solution markers are lines like ``### BEGIN SOLUTION``, which markdown would
    show as headings: the instructor page shows "Model answer" instead, and no end marker.
    """
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown" and nbs.BEGIN_SOLUTION in cell.source:
            lines = []
            for line in cell.source.splitlines():
                if line.strip() == nbs.BEGIN_SOLUTION:
                    lines.append("**Model answer** (graded by hand; students see a stub):")
                elif line.strip() != nbs.END_SOLUTION:
                    lines.append(line)
            cell.source = "\n".join(lines)
    return nb
