"""`make slides`: one reveal.js deck per solution notebook, usable offline.

    python -m tools.slides            # build/slides/NN_name.slides.html and build/slides/vendor/
    python -m tools.slides --out DIR  # elsewhere
    python -m tools.slides --cdn      # no npm: load the libraries from their CDNs

The decks are nbconvert's ``--to slides`` output of the solution notebooks (with
their stored outputs); ``slideshow.slide_type`` in the cell metadata says where a
slide starts. nbconvert's templates load reveal.js, MathJax 2, require.js, jQuery
and mermaid from CDNs. Here every one of them is served from ``vendor/`` next to
the decks instead, so the folder can be copied to a lecture-hall laptop and
presented without a network:

- reveal.js, MathJax 2 (the templates call the MathJax 2 API), require.js and
  jQuery come from the npm registry at pinned versions (``npm pack``), checked
  against the registry's sha512 integrity recorded below, and unpacked (only the
  files the decks use) into ``build/vendor/`` once; later builds reuse it.
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
import fnmatch
import hashlib
import html
import json
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
VENDOR_CACHE = BUILD / "vendor"


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
TEMPLATE = "{%- extends 'index.html.j2' -%}\n" + NO_MERMAID + "\n"


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


def fetch_vendor(cache: Path = VENDOR_CACHE, npm: str = "npm") -> Path:
    """Download the pinned packages with ``npm pack`` into ``cache`` (once) and return it."""
    cache.mkdir(parents=True, exist_ok=True)
    for package in PACKAGES:
        target = cache / package.name
        stamp = target / ".version"
        if stamp.exists() and stamp.read_text() == package.spec:
            continue
        if shutil.which(npm) is None:
            raise SystemExit(
                f"npm is needed once to fetch {package.spec} into {cache}; install Node.js, "
                "or build with --cdn"
            )
        shutil.rmtree(target, ignore_errors=True)
        with tempfile.TemporaryDirectory() as tmp:
            out = subprocess.run(
                [npm, "pack", package.spec, "--json", "--pack-destination", tmp],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            tgz = Path(tmp) / json.loads(out)[0]["filename"]
            got = _integrity(tgz)
            if got != package.integrity:
                raise SystemExit(f"{package.spec}: integrity {got} != pinned {package.integrity}")
            count = _extract(tgz, package, target)
        stamp.write_text(package.spec)
        print(f"vendored {package.spec}: {count} files into {target}")
    missing = [f for f in REFERENCED if not (cache / f).is_file()]
    if missing:
        raise SystemExit(f"vendor folder {cache} lacks {missing}")
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

    exporter = SlidesExporter(extra_loaders=[DictLoader({"course_slides.html.j2": TEMPLATE})])
    exporter.template_file = "course_slides.html.j2"
    exporter.reveal_theme = REVEAL_THEME
    exporter.reveal_scroll = True  # long code cells scroll instead of being cut off
    exporter.reveal_number = "c/t"
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


def build_decks(out: Path, notebooks: list[Path], prefix: str | None = "vendor") -> list[Path]:
    """Write one deck per notebook into ``out``, loading the libraries from ``prefix`` (a URL
    relative to the decks, where the caller put the vendor folder; None: from the CDNs)."""
    out.mkdir(parents=True, exist_ok=True)
    exporter = slides_exporter(prefix)
    decks = []
    for path in notebooks:
        nb = without_widgets(nbs.read(path))
        _check_no_mermaid(nb)
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title(nb)}})
        if prefix is not None and (refs := external_refs(body)):
            raise SystemExit(f"{path.name}: the deck still loads {refs}")
        deck = out / deck_name(path)
        deck.write_text(body, encoding="utf-8")
        decks.append(deck)
    return decks


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
        "notebooks. Keys: arrows to move, <kbd>Esc</kbd> for the overview, <kbd>S</kbd> for "
        "speaker notes, <kbd>F</kbd> for full screen.</p>\n"
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
