"""`make slides`: one reveal.js deck per solution notebook, usable offline.

    python -m tools.slides            # build/slides/NN_name.slides.html and build/slides/vendor/
    python -m tools.slides --out DIR  # elsewhere
    python -m tools.slides --cdn      # no npm: load the libraries from their CDNs

It also writes one workshop deck per timed plan of docs/instructors/session-plans.md
(build/slides/workshop-3h.html, workshop-session-1.html, workshop-session-2.html; see
tools/workshop.py), unless notebooks are named on the command line.

The decks are nbconvert's ``--to slides`` output of the solution notebooks (with their
stored outputs), after ``deck_notebook`` has laid each notebook out as 1280 x 720 slides
(cells cut into blocks of estimated height and packed, figures sized, every slide
top-level so the arrow keys walk them all, an exercise's task before its solution slide,
speaker notes from docs/instructors/NN_name.md). nbconvert's templates load reveal.js,
MathJax 2, require.js, jQuery and mermaid from CDNs; here every one of them is served from
``vendor/`` next to the decks instead, so the folder can be copied to a lecture-hall laptop
and presented without a network (``external_refs`` of every deck must be empty).

Where things are:

- tools/vendor.py       the pinned npm packages, the ``.cache/vendor/`` cache, copying it
- tools/webpage.py      HTML helpers shared with tools/site.py (offline check, emoji badges,
                        widget notes, titles)
- tools/deck_layout.py  cutting a notebook into blocks (and their estimated heights)
- tools/deck_pack.py    packing the blocks into slides that fit
- tools/deck_notes.py   speaker notes from the instructor guide
- this module           the reveal.js template and CSS, building decks and their index

``--out DIR`` builds into DIR only if DIR is new, empty or an earlier build of this module
(it holds BUILD_MARKER); any other folder is refused, never deleted or overwritten.
"""

from __future__ import annotations

import argparse
import html
import sys
from pathlib import Path

from . import a11y
from . import notebooks as nbs
from . import vendor as _vendor

# Re-exported: the vendoring, HTML helpers, layout and notes live in their own modules.
from .deck_layout import (  # noqa: E402,F401
    BUDGET,
    FIGURE_MAX,
    SLIDE_HEIGHT,
    SLIDE_WIDTH,
    Block,
    deck_blocks,
    deck_notebook,
    markdown_blocks,
    markdown_height,
)
from .deck_notes import GUIDE, guide_notes  # noqa: E402,F401
from .deck_pack import pack  # noqa: E402,F401
from .vendor import (  # noqa: E402,F401
    AXE,
    AXE_CACHE,
    AXE_JS,
    BUILD,
    MATHJAX_CONFIG,
    MATHJAX_JS,
    NO_MERMAID,
    PACKAGES,
    REFERENCED,
    REVEAL_THEME,
    VENDOR_CACHE,
    copy_vendor,
    fake_vendor,
    fetch_axe,
    fetch_packages,
    vendor_urls,
)
from .webpage import (  # noqa: E402,F401
    SYMBOLS,
    WIDGET_MIME,
    WIDGET_NOTE,
    external_refs,
    plain_symbols,
    student_markdown,
    title,
    without_widgets,
)

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
    // MathJax re-typesets the slide that arrives (it was measured while hidden). Automatic
    // line breaking is off (MATHJAX_NO_LINEBREAKS), so the second render equals the first;
    // window.courseMathSettled resolves once it is done (tests/browser/test_slides_fit.py).
    window.courseMathSettled = Promise.resolve();
    Reveal.on("slidechanged", function () {{
      if (window.MathJax && MathJax.Hub) {{
        const slide = Reveal.getCurrentSlide();
        window.courseMathSettled = new Promise(function (done) {{
          MathJax.Hub.Queue(["Rerender", MathJax.Hub, slide], [done]);
        }});
      }}
    }});
  }});
</script>
{{% endblock footer_js %}}
"""

# nbconvert's MathJax configuration turns automatic line breaking on: a formula is broken
# to the width of its container, and re-typesetting on arrival broke short inline formulas
# into a narrow column. This runs after every text/x-mathjax-config block (the "End Config"
# hook) and before any typesetting, so it wins whatever those blocks say; it is set before
# MathJax.js loads (window.MathJax with AuthorInit is MathJax 2's documented way).
MATHJAX_NO_LINEBREAKS = """<script>
window.MathJax = {AuthorInit: function () {
  MathJax.Hub.Register.StartupHook("End Config", function () {
    MathJax.Hub.Config({CommonHTML: {linebreaks: {automatic: false}},
                        "HTML-CSS": {linebreaks: {automatic: false}},
                        SVG: {linebreaks: {automatic: false}}});
  });
}};
</script>"""


def deck_template(css: str = DECK_CSS) -> str:
    """The deck's nbconvert template with ``css`` (DECK_CSS, or more after it)."""
    return (
        "{%- extends 'index.html.j2' -%}\n"
        + NO_MERMAID
        + a11y.TEMPLATE_BLOCKS
        + "\n{%- block html_head_js_requirejs -%}{{ super() }}"
        + MATHJAX_NO_LINEBREAKS
        + "{%- endblock html_head_js_requirejs -%}\n"
        + "\n{%- block html_head_css -%}<style>"
        + css
        + a11y.CSS
        + "</style>{%- endblock html_head_css -%}\n"
        + FOOTER_JS
    )


DECK_TEMPLATE = deck_template()


# --------------------------------------------------------------------------- decks


def _check_no_mermaid(nb) -> None:
    for cell in nb.cells:
        if cell.cell_type == "markdown" and "```mermaid" in cell.source:
            raise SystemExit("a notebook uses mermaid: vendor it in tools/slides.py first")


def slides_exporter(vendor_prefix: str | None = "vendor", css: str = DECK_CSS):
    from jinja2 import DictLoader
    from nbconvert import SlidesExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    loader = DictLoader({"course_slides.html.j2": deck_template(css)})
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
        if student:
            source = student_markdown(source)
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


def write_index(
    out: Path, decks: list[Path], notebooks: list[Path], student: bool = False, extra=()
) -> Path:
    """The decks' index page. ``student``: the keys only (the student decks have no
    solution slides and no speaker notes). ``extra``: more ``(deck, title)`` links."""
    items = "\n".join(
        [
            f'<li><a href="{d.name}">{html.escape(title(nbs.read(n)))}</a></li>'
            for d, n in zip(decks, notebooks)
        ]
        + [f'<li><a href="{d.name}">{html.escape(label)}</a></li>' for d, label in extra]
    )
    if student:
        about = (
            "One reveal.js deck per lesson, each slide 1280 x 720. Keys: arrows (or space) "
            "walk every slide in order; <kbd>Esc</kbd> for the overview, <kbd>F</kbd> for "
            "full screen."
        )
    else:
        about = (
            "One reveal.js deck per lesson, made from the solution notebooks, each slide "
            "1280 x 720. Keys: arrows (or space) walk every slide in order; an exercise shows "
            "its task, the next slide a Solution heading whose code appears on one more key "
            "press; <kbd>Esc</kbd> for the overview, <kbd>S</kbd> for the speaker view with "
            "notes from the instructor guide, <kbd>F</kbd> for full screen."
        )
    page = out / "index.html"
    page.write_text(
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>Slides: {html.escape(nbs.COURSE_TITLE)}</title></head>\n"
        f"<body><h1>Slides</h1>\n<p>{about}</p>\n"
        f"<ul>\n{items}\n</ul></body></html>\n",
        encoding="utf-8",
    )
    return page


def fetch_vendor(cache: Path | None = None, npm: str = "npm") -> Path:
    """``tools.vendor.fetch_vendor`` into ``cache`` (default: this module's VENDOR_CACHE)."""
    return _vendor.fetch_vendor(VENDOR_CACHE if cache is None else cache, npm)


BUILD_MARKER = ".built-by-tools-slides"


def claim_out(out: Path, create: bool = True) -> None:
    """Make ``out`` ours: create it, or accept it if empty or built here before (it holds
    BUILD_MARKER); refuse (SystemExit) any other folder, and never delete anything in it.
    ``create=False`` only checks."""
    nbs.refuse_unless_ours(
        out,
        BUILD_MARKER,
        kind="folder",
        action="build into",
        tool="tools.slides",
        advice="choose a new or empty folder, or empty it yourself",
    )
    if not create:
        return
    out.mkdir(parents=True, exist_ok=True)
    (out / BUILD_MARKER).write_text("built by python -m tools.slides\n", encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=BUILD / "slides")
    parser.add_argument("--cdn", action="store_true", help="load libraries from CDNs (no npm)")
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: solutions/*.ipynb")
    args = parser.parse_args(argv)
    notebooks = args.notebooks or nbs.solution_paths()
    claim_out(args.out, create=False)  # refuse before any work
    cache = None if args.cdn else fetch_vendor()
    claim_out(args.out)
    if cache is not None:
        copy_vendor(cache, args.out / "vendor")
    decks = build_decks(args.out, notebooks, None if args.cdn else "vendor")
    workshops = []
    if not args.notebooks:  # the workshop decks take cells from every lesson
        from .workshop import build_workshop_decks

        workshops = build_workshop_decks(args.out, None if args.cdn else "vendor")
    write_index(args.out, decks, notebooks, extra=workshops)
    for deck in [*decks, *(w for w, _ in workshops)]:
        print(f"wrote {deck.relative_to(Path.cwd()) if deck.is_relative_to(Path.cwd()) else deck}")
    where = "online: libraries from CDNs" if args.cdn else "offline: libraries in vendor/"
    print(f"{len(decks) + len(workshops)} decks ({where}); open {args.out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
