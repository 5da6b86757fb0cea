"""`make slides`: one reveal.js deck per solution notebook, usable offline.

    python -m tools.slides            # build/slides/NN_name.slides.html and build/slides/vendor/
    python -m tools.slides --out DIR  # elsewhere
    python -m tools.slides --cdn      # no npm: load the libraries from their CDNs

The decks are nbconvert's ``--to slides`` output of the solution notebooks (with their
stored outputs), after ``deck_notebook`` has laid each notebook out as 1280 x 720 slides
(see "deck layout" below: cells cut into blocks of estimated height and packed, figures
sized, every slide top-level so the arrow keys walk them all, an exercise's task before
its solution slide, speaker notes from docs/instructors/NN_name.md). The notebook's own
``slideshow`` metadata only says where sections start. nbconvert's templates load
reveal.js, MathJax 2, require.js, jQuery and mermaid from CDNs. Here every one of them is
served from ``vendor/`` next to the decks instead, so the folder can be copied to a
lecture-hall laptop and presented without a network:

- reveal.js, MathJax 2 (the templates call the MathJax 2 API), require.js and
  jQuery come from the npm registry at pinned versions (``npm pack``), checked
  against the registry's sha512 integrity recorded below, and unpacked (only the
  files the decks use) into ``.cache/vendor/`` once (outside build/, so `make clean`
  keeps it; ``COURSE_VENDOR_CACHE`` moves it); later builds reuse it. Without npm or
  network and without the cache, the build stops with one line saying what it needs.
- mermaid is not used by any lesson; its ``<script type="module">`` is removed
  (a build fails if a notebook contains a mermaid diagram).
- The reveal theme is ``white``: its fonts ship with reveal.js (``simple``
  imports Google Fonts).

``external_refs(html)`` lists every URL a page would fetch from the network;
the build fails unless it is empty, so "offline" is checked, not claimed.
"""

from __future__ import annotations

import argparse
import base64
import copy
import fnmatch
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import notebooks as nbs

BUILD = nbs.ROOT / "build"
# Outside build/, so `make clean` keeps it; .cache/.gitignore (written on first use) hides it
# from git. COURSE_VENDOR_CACHE points elsewhere (a shared folder, a USB stick).
CACHE = nbs.ROOT / ".cache"
VENDOR_CACHE = Path(os.environ.get("COURSE_VENDOR_CACHE") or CACHE / "vendor")


@dataclass(frozen=True)
class Package:
    """One npm package: pinned version, registry integrity, the files we keep."""

    name: str
    version: str
    integrity: str
    keep: tuple[str, ...]  # fnmatch patterns relative to the package root

    @property
    def spec(self) -> str:
        return f"{self.name}@{self.version}"


PACKAGES = (
    Package(
        "reveal.js",
        "4.0.2",  # the version nbconvert 7's reveal template is written for
        "sha512-LWZSUenufF1gpD7npxJ7KfoQQFKgc1D6XrLTFgKlwWNP1BQ74hT48KONFWMAw+8R/QUeaScCLCLrBVHDfFIEiw==",
        (
            "LICENSE",
            "package.json",
            "dist/reveal.css",
            "dist/reveal.js",
            "dist/theme/*.css",
            "dist/theme/fonts/*",
            "plugin/notes/*",
        ),
    ),
    Package(
        "mathjax",
        "2.7.9",  # nbconvert's templates configure MathJax through the 2.x API
        "sha512-NOGEDTIM9+MrsqnjPEjVGNx4q0GQxqm61yQwSK+/5S59i26wId5IC5gNu9/bu8+CCVl5p9G2IHcAl/wJa+5+BQ==",
        (
            "LICENSE",
            "package.json",
            "MathJax.js",
            "config/TeX-AMS_CHTML-full.js",
            "config/Safe.js",
            "extensions/[A-Za-z]*.js",
            "extensions/TeX/*",
            "jax/input/TeX/*",
            "jax/element/*",
            "jax/output/CommonHTML/*",
            "fonts/HTML-CSS/TeX/woff/*",
        ),
    ),
    Package(
        "requirejs",
        "2.3.7",
        "sha512-DouTG8T1WanGok6Qjg2SXuCMzszOo0eHeH9hDZ5Y4x8Je+9JB38HdTLT4/VA8OaUhBa0JPVHJ0pyBkM1z+pDsw==",
        ("package.json", "README.md", "require.js"),
    ),
    Package(
        "jquery",
        "3.7.1",
        "sha512-m4avr8yL8kmFN8psrbFFFmB/If14iN5o9nw/NgnnM+kybDJpRsAynV2BsfpTYrTRysYUdADVD7CkUUizgkpLfg==",
        ("LICENSE.txt", "package.json", "dist/jquery.min.js"),
    ),
)

# The files a page refers to, relative to vendor/ (tests use these to fake a vendor folder).
REVEAL_THEME = "white"
REQUIRE_JS = "requirejs/require.js"
JQUERY_JS = "jquery/dist/jquery.min.js"
MATHJAX_JS = "mathjax/MathJax.js"
MATHJAX_CONFIG = "?config=TeX-AMS_CHTML-full,Safe"
REVEAL_FILES = (
    "reveal.js/dist/reveal.css",
    f"reveal.js/dist/theme/{REVEAL_THEME}.css",
    "reveal.js/dist/reveal.js",
    "reveal.js/plugin/notes/notes.js",
)
REFERENCED = (REQUIRE_JS, JQUERY_JS, MATHJAX_JS, *REVEAL_FILES)

# No mermaid: the lessons have no diagrams, and mermaid is a 3 MB module from a CDN.
NO_MERMAID = "{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}"


# --------------------------------------------------------------------------- vendor


def _integrity(path: Path) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()


def _extract(tgz: Path, package: Package, target: Path) -> int:
    count = 0
    with tarfile.open(tgz) as tar:
        for member in tar.getmembers():
            relative = member.name.removeprefix("package/")
            if member.isfile() and any(fnmatch.fnmatch(relative, p) for p in package.keep):
                member.name = relative
                tar.extract(member, target, filter="data")
                count += 1
    return count


NEEDS = (
    "make slides needs reveal.js, MathJax, require.js and jQuery once: run it with network "
    "access (npm fetches them from the npm registry into {cache}), or copy that folder from "
    "a machine that has it, or build with `python -m tools.slides --cdn` ({why})"
)


def _ignore_cache(cache: Path) -> None:
    """Keep the cache out of git without touching the repository's .gitignore."""
    if cache.parent == CACHE and not (CACHE / ".gitignore").exists():
        (CACHE / ".gitignore").write_text("# made by tools/slides.py\n*\n")


def _npm_pack(npm: str, package: Package, tmp: str, cache: Path) -> Path:
    try:
        out = subprocess.run(
            [npm, "pack", package.spec, "--json", "--pack-destination", tmp],
            check=True,
            capture_output=True,
            text=True,
            timeout=300,
        ).stdout
        return Path(tmp) / json.loads(out)[0]["filename"]
    except (subprocess.SubprocessError, OSError, ValueError, LookupError) as error:
        lines = (getattr(error, "stderr", None) or str(error)).strip().splitlines()
        detail = next((ln for ln in lines if "ERR" in ln or "error" in ln.lower()), "")
        raise SystemExit(
            NEEDS.format(cache=cache, why=f"npm pack {package.spec} failed: {detail}"[:200])
        ) from None


def fetch_vendor(cache: Path | None = None, npm: str = "npm") -> Path:
    """Download the pinned packages with ``npm pack`` into ``cache`` (once) and return it.

    Without npm or without network, exits with one line saying what is needed.
    """
    cache = VENDOR_CACHE if cache is None else cache
    cache.mkdir(parents=True, exist_ok=True)
    _ignore_cache(cache)
    for package in PACKAGES:
        target = cache / package.name
        stamp = target / ".version"
        if stamp.exists() and stamp.read_text() == package.spec:
            continue
        if shutil.which(npm) is None:
            raise SystemExit(NEEDS.format(cache=cache, why="npm, from Node.js, is not installed"))
        shutil.rmtree(target, ignore_errors=True)
        with tempfile.TemporaryDirectory() as tmp:
            tgz = _npm_pack(npm, package, tmp, cache)
            got = _integrity(tgz)
            if got != package.integrity:
                raise SystemExit(f"{package.spec}: integrity {got} != pinned {package.integrity}")
            count = _extract(tgz, package, target)
        stamp.write_text(package.spec)
        print(f"vendored {package.spec}: {count} files into {target}")
    missing = [f for f in REFERENCED if not (cache / f).is_file()]
    if missing:
        raise SystemExit(f"vendor folder {cache} lacks {missing}: delete it and run again")
    return cache


def copy_vendor(cache: Path, target: Path) -> None:
    """Copy the vendored libraries next to the pages that use them."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(cache, target, ignore=shutil.ignore_patterns(".version"))


def fake_vendor(target: Path) -> Path:
    """An empty stand-in with the referenced file names (for tests without npm)."""
    for name in REFERENCED:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_text("")
    return target


# --------------------------------------------------------------------------- offline check

_SCRIPT_SRC = re.compile(r"<script\b[^>]*\bsrc\s*=\s*[\"']([^\"']+)", re.I)
_LINK_HREF = re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"']([^\"']+)", re.I)
_IMG_SRC = re.compile(r"<(?:img|iframe|source|video|audio)\b[^>]*\bsrc\s*=\s*[\"']([^\"']+)", re.I)
_CSS_URL = re.compile(r"(?:@import\s+|url\()\s*[\"']?(https?:)?//[^\"')\s]+", re.I)
_SCRIPT_BODY = re.compile(r"<script\b[^>]*>(.*?)</script>", re.I | re.S)
_JS_URL = re.compile(r"[\"'`]((?:https?:)?//[^\"'`\s]+)[\"'`]")


def _remote(url: str) -> bool:
    return url.startswith(("http://", "https://", "//"))


def external_refs(page: str) -> list[str]:
    """URLs that loading ``page`` would fetch from the network (scripts, styles, images, CSS).

    Hyperlinks (``<a href>``) are not fetched and are not listed.
    """
    found = [u for rx in (_SCRIPT_SRC, _LINK_HREF, _IMG_SRC) for u in rx.findall(page)]
    refs = [u for u in found if _remote(u)]
    refs += [m.group(0) for m in _CSS_URL.finditer(page)]
    for body in _SCRIPT_BODY.findall(page):
        refs += [u for u in _JS_URL.findall(body) if not u.startswith("//")]
    return sorted(set(refs))


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

DECK_CSS = f"""
:root {{ --jp-code-font-size: 15px; --jp-code-line-height: 1.3; --jp-content-font-size1: 19px;
  --jp-ui-font-size1: 19px; --jp-cell-prompt-width: 0px; }}
.reveal .slides {{ text-align: left; }}
.reveal .slides > section {{ padding: 0 !important; left: 0 !important; }}
.reveal .slides > section > section {{ width: {SLIDE_WIDTH}px !important; left: 0 !important;
  padding: 14px 30px 0 !important; box-sizing: border-box; }}
.reveal .jp-RenderedHTMLCommon {{ font-size: 19px; line-height: 1.4; }}
.reveal .jp-RenderedHTMLCommon p, .reveal .jp-RenderedHTMLCommon ul,
.reveal .jp-RenderedHTMLCommon ol {{ margin: 0 0 8px; }}
.reveal .jp-RenderedHTMLCommon h1, .reveal .jp-RenderedHTMLCommon h2,
.reveal .jp-RenderedHTMLCommon h3 {{ text-transform: none; line-height: 1.2; }}
.reveal .jp-RenderedHTMLCommon h1 {{ font-size: 38px; margin: 4px 0 12px; }}
.reveal .jp-RenderedHTMLCommon h2 {{ font-size: 30px; margin: 2px 0 10px; }}
.reveal .jp-RenderedHTMLCommon h3 {{ font-size: 23px; margin: 2px 0 8px; }}
.reveal .jp-RenderedHTMLCommon table {{ font-size: 16px; margin: 4px 0 8px; }}
.reveal .jp-RenderedHTMLCommon td, .reveal .jp-RenderedHTMLCommon th {{ padding: 2px 8px; }}
.reveal .jp-InputPrompt, .reveal .jp-OutputPrompt {{ display: none !important; }}
.reveal .jp-Cell {{ padding: 0 !important; margin: 0 0 6px; }}
.reveal .jp-CodeCell pre, .reveal .jp-OutputArea pre, .reveal .highlight pre {{
  font-size: 15px !important; line-height: 1.3 !important; white-space: pre-wrap;
  word-break: break-word; margin: 0; width: auto; box-shadow: none; }}
.reveal .jp-RenderedHTMLCommon code {{ font-size: 0.9em; }}
.reveal .highlight {{ margin: 0 !important; padding: 4px 8px; }}
.reveal .jp-OutputArea-output img {{ max-width: {FIGURE_MAX[0]}px; max-height: {FIGURE_MAX[1]}px;
  width: auto; height: auto; margin: 0; }}
.reveal .jp-OutputArea-output {{ padding-top: 2px; }}
.reveal p.deck-cont {{ font-size: 16px; color: #666; margin: 0 0 6px; }}
.reveal p.deck-solution {{ font-size: 22px; font-weight: bold; color: #0a6b36; margin: 0 0 8px; }}
.reveal details {{ margin: 0 0 8px; }}
"""

FOOTER_JS = f"""{{% block footer_js %}}
<script>
require({{waitSeconds: 15}},
  ["{{{{ reveal_url_prefix }}}}/dist/reveal.js",
   "{{{{ reveal_url_prefix }}}}/plugin/notes/notes.js"],
  function (Reveal, RevealNotes) {{
    window.Reveal = Reveal;  // for tests/browser/test_slides_fit.py
    Reveal.initialize({{
      controls: true, progress: true, history: true, transition: "none",
      slideNumber: "c/t", plugins: [RevealNotes],
      width: {SLIDE_WIDTH}, height: {SLIDE_HEIGHT}, margin: 0, center: false,
      navigationMode: "linear", hash: true
    }});
    Reveal.on("slidechanged", function () {{
      if (window.MathJax && MathJax.Hub) {{ MathJax.Hub.Rerender(Reveal.getCurrentSlide()); }}
    }});
  }});
</script>
{{% endblock footer_js %}}
"""

DECK_TEMPLATE = (
    "{%- extends 'index.html.j2' -%}\n"
    + NO_MERMAID
    + "\n{%- block html_head_css -%}<style>"
    + DECK_CSS
    + "</style>{%- endblock html_head_css -%}\n"
    + FOOTER_JS
)

_SECTION = re.compile(r"^##\s+(.*)$")
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
        if len(starts) > 1 and markdown_height(text) > BUDGET // 2:
            cuts = [0, *starts[1:], len(block)]
            out += ["\n".join(block[a:b]) for a, b in zip(cuts, cuts[1:])]
        elif _is_table(block) and markdown_height(text) > BUDGET - 60:
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
        if parts[-1] and markdown_height("\n".join(head + parts[-1] + [row])) > BUDGET - 60:
            parts.append([])
        parts[-1].append(row)
    return ["\n".join(head + part) for part in parts]


def markdown_height(block: str) -> int:
    """Estimated px of one markdown block on a slide (see DECK_CSS)."""
    lines = block.split("\n")
    if block.lstrip().startswith("<details"):
        summary = re.search(r"<summary>(.*?)</summary>", block, re.S)
        text = _plain_md(summary.group(1)) if summary else "details"
        return 10 + TEXT_LINE * _wrapped(text, TEXT_CHARS)
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
            height += rows * (46 if tall else 36) + (10 if opening else 0)
            continue
        if stripped.startswith("|"):
            if re.fullmatch(r"\|?[\s:|-]+\|?", stripped):
                continue
            cells = [c for c in stripped.strip("|").split("|")]
            widest = max(len(_plain_md(c)) for c in cells)
            per_cell = max(8, 150 // max(1, len(cells)))
            height += 6 + 23 * _wrapped("x" * widest, per_cell)
            continue
        if stripped.startswith("# "):
            height += 64 * _wrapped(stripped, 60)
        elif stripped.startswith("## "):
            height += 52 * _wrapped(stripped, 75)
        elif stripped.startswith("### "):
            height += 40 * _wrapped(stripped, 95)
        elif stripped.startswith("<img") or stripped.startswith("!["):
            height += FIGURE_MAX[1]
        elif stripped:
            tall = 1.2 if "$" in stripped else 1.0
            height += int(TEXT_LINE * tall * _wrapped(_plain_md(stripped), TEXT_CHARS))
    return height


def code_height(text: str) -> int:
    return 14 + CODE_LINE * sum(_wrapped(line, CODE_CHARS) for line in text.split("\n"))


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
        return 16 + max(rows * 30, TEXT_LINE * _wrapped(text, TEXT_CHARS))
    return code_height(_output_text(output).rstrip("\n")) - 4


def _split_lines(text: str, budget: int) -> list[str]:
    """Cut text into chunks whose code_height fits ``budget``, preferring blank lines."""
    lines = text.split("\n")
    chunks, current = [], []
    for line in lines:
        if current and code_height("\n".join([*current, line])) > budget:
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
        chunks = _split_lines(source, BUDGET - 40)
        for chunk in chunks:
            blocks.append(Block(_code_cell(chunk), code_height(chunk), section=section))
    for output in outputs:
        if "image/png" in output.get("data", {}):
            width, height = figure_size(output)
            output = copy.deepcopy(output)
            output.setdefault("metadata", {})["image/png"] = {"width": width, "height": height}
        text = _output_text(output)
        if output.get("output_type") == "stream" and output_height(output) > BUDGET - 40:
            for chunk in _split_lines(text.rstrip("\n"), BUDGET - 40):
                part = copy.deepcopy(output)
                part["text"] = chunk + "\n"
                blocks.append(
                    Block(_code_cell("", [part], True), output_height(part), section=section)
                )
            continue
        blocks.append(Block(_code_cell("", [output], True), output_height(output), section=section))
    if blocks and source.strip():  # the first output stays with the code that made it
        first = next((i for i, b in enumerate(blocks) if b.cell.metadata.get("tags")), None)
        if first is not None and blocks[first - 1].height + blocks[first].height <= BUDGET:
            code = blocks[first - 1]
            code.cell.outputs = blocks[first].cell.outputs
            code.height += blocks[first].height
            del blocks[first]
    return blocks


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
    """The notebook as a flat list of blocks, exercises split into task and solution."""
    from .make_lessons import stub_source

    blocks: list[Block] = []
    section = ""
    previous_was_exercise = False
    for cell in nb.cells:
        kind = cell.get("metadata", {}).get("slideshow", {}).get("slide_type")
        if kind in ("skip", "notes"):
            continue
        if cell.cell_type == "markdown" and nbs.BEGIN_SOLUTION in cell.source:
            # a derivation graded by hand: the task shows the stub; instructors get the
            # model answer on a slide of its own, marked as a solution (no fragment)
            blocks += _markdown_answer_blocks(cell, section, student)
            previous_was_exercise = False
            continue
        if cell.cell_type == "markdown":
            for i, text in enumerate(markdown_blocks(cell.source)):
                title = _SECTION.match(text.split("\n")[0])
                if title:
                    section = title.group(1).strip()
                blocks.append(
                    Block(
                        _md_cell(text),
                        markdown_height(text),
                        new_slide=bool(title) or (i == 0 and text.startswith("# ")),
                        section=section,
                    )
                )
            previous_was_exercise = False
            continue
        if cell.cell_type != "code":
            continue
        source = cell.source
        is_exercise = nbs.BEGIN_SOLUTION in source
        if is_exercise:
            title = nbs.exercise_title(source) or "Exercise"
            task = stub_source(source, "code")
            blocks += _code_blocks(task, [], section)
            if student:
                previous_was_exercise = True
                continue
            header = _md_cell(f'<p class="deck-solution">Solution · {html.escape(title)}</p>')
            solution = [
                Block(header, 40, new_slide=True, section=section),
                *_code_blocks(_without_markers(stub_source_hidden(source)), [], section),
            ]
            for block in solution:
                block.solution = title
            blocks += solution
            previous_was_exercise = True
            continue
        outputs = cell.get("outputs", [])
        if (
            student
            and previous_was_exercise
            and cell.get("metadata", {}).get("nbgrader", {}).get("grade")
        ):
            outputs = []  # the check's report on the solved exercise
        blocks += _code_blocks(stub_source_hidden(source), outputs, section)
        previous_was_exercise = False
    return blocks


def stub_source_hidden(source: str) -> str:
    """``source`` without nbgrader's hidden-test regions."""
    from .make_lessons import _replace_regions

    return _replace_regions(source, nbs.BEGIN_HIDDEN, nbs.END_HIDDEN, lambda indent: [])


def _leads_in(block: Block) -> bool:
    """A markdown block that introduces what follows ("... prints:")."""
    return block.cell.cell_type == "markdown" and block.cell.source.rstrip().endswith(":")


def pack(blocks: list[Block]) -> list[list[Block]]:
    """Greedy: a block goes on the current slide if the estimated heights still fit; a
    lead-in sentence ending in a colon moves to the next slide with what it introduces."""
    slides_: list[list[Block]] = []
    used = 0
    for i, block in enumerate(blocks):
        after = blocks[i + 1] if i + 1 < len(blocks) else None
        glued = after is not None and not after.new_slide and _leads_in(block)
        need = block.height + (after.height if glued else 0)
        if not slides_ or block.new_slide or (slides_[-1] and used + need > BUDGET):
            slides_.append([])
            used = 0
            if not block.new_slide and block.section:
                used = 34  # the "(continued)" line
        slides_[-1].append(block)
        used += block.height
    return slides_


def deck_notebook(nb, notes: dict[str, str] | None = None, student: bool = False):
    """A copy of ``nb`` laid out as slides that fit 1280 x 720 (see the comment above)."""
    import nbformat

    notes = notes or {}
    deck = nbformat.v4.new_notebook(metadata=copy.deepcopy(nb.metadata))
    deck.metadata.pop("widgets", None)
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


# --------------------------------------------------------------------------- speaker notes

GUIDE = nbs.ROOT / "docs" / "instructors"
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


# --------------------------------------------------------------------------- decks


def _check_no_mermaid(nb) -> None:
    for cell in nb.cells:
        if cell.cell_type == "markdown" and "```mermaid" in cell.source:
            raise SystemExit("a notebook uses mermaid: vendor it in tools/slides.py first")


def vendor_urls(prefix: str | None) -> dict[str, str]:
    """Exporter settings loading every library from ``prefix`` (None: nbconvert's CDNs)."""
    if prefix is None:
        return {}
    return {
        "require_js_url": f"{prefix}/{REQUIRE_JS}",
        "jquery_url": f"{prefix}/{JQUERY_JS}",
        "mathjax_url": f"{prefix}/{MATHJAX_JS}{MATHJAX_CONFIG}",
    }


def slides_exporter(vendor_prefix: str | None = "vendor"):
    from jinja2 import DictLoader
    from nbconvert import SlidesExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    loader = DictLoader({"course_slides.html.j2": DECK_TEMPLATE})
    exporter = SlidesExporter(extra_loaders=[loader])
    exporter.template_file = "course_slides.html.j2"
    exporter.reveal_theme = REVEAL_THEME
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_input_tags={"deck-output-only"}), enabled=True
    )
    if vendor_prefix is not None:
        exporter.reveal_url_prefix = f"{vendor_prefix}/reveal.js"
    for name, value in vendor_urls(vendor_prefix).items():
        setattr(exporter, name, value)
    return exporter


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


def deck_name(notebook: Path) -> str:
    return notebook.stem + ".slides.html"


def slide_cells(nb) -> int:
    """How many cells start a slide or subslide (each becomes a ``<section>``)."""
    return sum(
        cell.get("metadata", {}).get("slideshow", {}).get("slide_type") in ("slide", "subslide")
        for cell in nb.cells
    )


def build_decks(
    out: Path, notebooks: list[Path], prefix: str | None = "vendor", student: bool = False
) -> list[Path]:
    """Write one deck per notebook into ``out``, loading the libraries from ``prefix`` (a URL
    relative to the decks, where the caller put the vendor folder; None: from the CDNs).

    ``student=True``: no solution slides, no check reports of solved exercises, no notes.
    """
    out.mkdir(parents=True, exist_ok=True)
    exporter = slides_exporter(prefix)
    decks = []
    for path in notebooks:
        source = without_widgets(nbs.read(path))
        _check_no_mermaid(source)
        notes = {} if student else guide_notes(path.stem, source)
        nb = deck_notebook(source, notes, student=student)
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title(source)}})
        body = plain_symbols(body)
        if prefix is not None and (refs := external_refs(body)):
            raise SystemExit(f"{path.name}: the deck still loads {refs}")
        deck = out / deck_name(path)
        deck.write_text(body, encoding="utf-8")
        decks.append(deck)
    return decks


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


def write_index(out: Path, decks: list[Path], notebooks: list[Path]) -> Path:
    items = "\n".join(
        f'<li><a href="{d.name}">{html.escape(title(nbs.read(n)))}</a></li>'
        for d, n in zip(decks, notebooks)
    )
    page = out / "index.html"
    page.write_text(
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<title>Slides: Sigmoid and Softmax, derived and built by hand</title></head>\n"
        "<body><h1>Slides</h1>\n<p>One reveal.js deck per lesson, made from the solution "
        "notebooks, each slide 1280 x 720. Keys: arrows (or space) walk every slide in order; "
        "an exercise shows its task, the next slide a Solution heading whose code appears on "
        "one more key press; <kbd>Esc</kbd> for the "
        "overview, <kbd>S</kbd> for the speaker view with notes from the instructor guide, "
        "<kbd>F</kbd> for full screen.</p>\n"
        f"<ul>\n{items}\n</ul></body></html>\n",
        encoding="utf-8",
    )
    return page


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=BUILD / "slides")
    parser.add_argument("--cdn", action="store_true", help="load libraries from CDNs (no npm)")
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: solutions/*.ipynb")
    args = parser.parse_args(argv)
    notebooks = args.notebooks or nbs.solution_paths()
    if not args.cdn:
        copy_vendor(fetch_vendor(), args.out / "vendor")
    decks = build_decks(args.out, notebooks, None if args.cdn else "vendor")
    write_index(args.out, decks, notebooks)
    for deck in decks:
        print(f"wrote {deck.relative_to(Path.cwd()) if deck.is_relative_to(Path.cwd()) else deck}")
    where = "online: libraries from CDNs" if args.cdn else "offline: libraries in vendor/"
    print(f"{len(decks)} decks ({where}); open {args.out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
