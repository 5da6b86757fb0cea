"""`make site`: a static HTML version of the course in build/site/, no kernel needed.

    python -m tools.site              # build/site/index.html
    python -m tools.site --cdn        # no npm: MathJax, require.js, reveal.js from CDNs

Layout of the site::

    index.html                    the course map: lessons, objectives, time, downloads
    lessons/NN_name.html          each solution notebook with its stored outputs and figures,
                                  with previous / index / next links
    slides/NN_name.slides.html    the reveal.js decks of tools/slides.py
    notebooks/lessons/*.ipynb     downloads: the exercise notebooks
    notebooks/solutions/*.ipynb   downloads: the solved notebooks
    instructors/*.html            the instructor guide (docs/instructors/*.md)
    vendor/                       MathJax, require.js, jQuery, reveal.js (see tools/slides.py)

Widgets are not rendered (no kernel, no widget state is stored): each explorer's
output is replaced by a note to run it in JupyterLab; every lesson draws its
figures statically too. ``broken_links(site)`` lists every internal
``href``/``src`` that does not resolve to a file; the build fails on any.
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import notebooks as nbs
from . import slides

GUIDE = nbs.ROOT / "docs" / "instructors"
COURSE_TITLE = "Sigmoid and Softmax, derived and built by hand"

# --------------------------------------------------------------------------- lesson facts


@dataclass
class LessonInfo:
    """What a lesson's first cell states: title, objectives, prerequisites, time."""

    name: str  # "01_sigmoid"
    number: str  # "01"
    title: str  # "The sigmoid and its derivative"
    objectives: list[str] = field(default_factory=list)
    prerequisites: str = ""
    time: str = ""  # as written, e.g. "60–75 minutes"
    minutes: tuple[int, ...] = ()  # (60, 75) or (10,)
    exercises: list[str] = field(default_factory=list)  # ["Exercise 1.1: sigmoid", ...]

    @property
    def time_short(self) -> str:
        """``"70 minutes"`` from ``"70 minutes: about 35 minutes of reading, ..."``."""
        return re.split(r"[:(]", self.time, maxsplit=1)[0].strip().rstrip(",;")


_TIME = re.compile(
    r"(\d+)\s*(?:[-–—]|to)\s*(\d+)\s*(min|hour|h\b)|(\d+)\s*(min|hour|h\b)", re.IGNORECASE
)


def minutes(text: str) -> tuple[int, ...]:
    """``"60–75 minutes"`` -> ``(60, 75)``; ``"about 1 hour"`` -> ``(60,)``; ``""`` -> ``()``."""
    match = _TIME.search(text)
    if not match:
        return ()
    if match.group(1):
        values, unit = (match.group(1), match.group(2)), match.group(3)
    else:
        values, unit = (match.group(4),), match.group(5)
    scale = 1 if unit.lower().startswith("min") else 60
    return tuple(int(v) * scale for v in values)


def _after_label(line: str, label: str) -> str:
    match = re.search(label + r"[^\w(]*(.*)$", line, re.IGNORECASE)
    return match.group(1).strip().rstrip(".").strip("* ") if match else ""


def _plain(markdown: str) -> str:
    """Inline markdown to plain-ish text (for the index page and the guide test)."""
    text = re.sub(r"\*\*|__|`", "", markdown)
    return re.sub(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])", r"\1", text).strip()  # *emphasis*


def lesson_info(path: Path) -> LessonInfo:
    nb = nbs.read(path)
    first = next((c.source for c in nb.cells if c.cell_type == "markdown"), "")
    number, _, _ = path.stem.partition("_")
    heading = slides.title(nb)
    info = LessonInfo(name=path.stem, number=number, title=re.sub(r"^\d+\s*[·.:-]\s*", "", heading))
    lines = first.splitlines()
    section = None
    for line in lines:
        stripped = line.strip()
        lowered = stripped.lower()
        if "objective" in lowered and not stripped.startswith(("-", "*  ")):
            section = "objectives"
            continue
        if "prerequisite" in lowered and not stripped.startswith("- "):
            section = "prerequisites"
            info.prerequisites = _plain(_after_label(stripped, "prerequisites?"))
            continue
        if "estimated time" in lowered:
            section = None
            info.time = _plain(_after_label(stripped, "estimated time"))
            continue
        if re.match(r"^[-*]\s+", stripped):
            item = _plain(re.sub(r"^[-*]\s+", "", stripped)).rstrip(";.")
            if section == "objectives":
                info.objectives.append(item)
            elif section == "prerequisites":
                info.prerequisites += ("; " if info.prerequisites else "") + item
        elif stripped and section == "objectives" and info.objectives:
            section = None
    info.minutes = minutes(info.time)
    info.exercises = [
        t for c in nb.cells if c.cell_type == "code" and (t := nbs.exercise_title(c.source))
    ]
    return info


# --------------------------------------------------------------------------- links

_REF = re.compile(r"""\b(?:href|src)\s*=\s*["']([^"']*)["']""", re.IGNORECASE)


def internal_refs(page: str) -> list[str]:
    """Every href/src that points into the site (not http(s), mailto, data, or #fragment)."""
    refs = []
    for ref in _REF.findall(page):
        if not ref or ref.startswith(("#", "mailto:", "data:", "javascript:")):
            continue
        if slides._remote(ref):
            continue
        refs.append(ref)
    return refs


def broken_links(site: Path) -> list[str]:
    """``"page.html -> target"`` for every internal link that does not resolve to a file."""
    broken = []
    for page in sorted(site.rglob("*.html")):
        for ref in internal_refs(page.read_text(encoding="utf-8")):
            target = (page.parent / unquote(urlsplit(ref).path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file() or not target.is_relative_to(site.resolve()):
                broken.append(f"{page.relative_to(site)} -> {ref}")
    return broken


# --------------------------------------------------------------------------- pages

CSS = """
body { font-family: system-ui, sans-serif; max-width: 72rem; margin: 0 auto; padding: 0 1rem;
       line-height: 1.5; color: #222; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #ccc; padding: .4rem .6rem; text-align: left;
         vertical-align: top; }
th { background: #f3f3f3; }
td ul { margin: 0; padding-left: 1.1rem; }
code { background: #f3f3f3; padding: 0 .2rem; }
pre { background: #f6f6f6; padding: .6rem; overflow-x: auto; }
"""
NAV_CSS = """
.course-nav { display: flex; justify-content: space-between; gap: 1rem; padding: .6rem 1rem;
              margin: 0 0 1rem; background: #f3f3f3; border-bottom: 1px solid #ccc;
              font-family: system-ui, sans-serif; font-size: 15px; }
.course-nav a { text-decoration: none; }
"""


MATHJAX_CONFIG = (
    '<script type="text/x-mathjax-config">MathJax.Hub.Config({tex2jax: {inlineMath: '
    "[['$', '$'], ['\\\\(', '\\\\)']], processEscapes: true}, messageStyle: 'none'});</script>\n"
)


def _page(title: str, body: str, css_extra: str = "", mathjax_url: str | None = None) -> str:
    mathjax = f'{MATHJAX_CONFIG}<script src="{mathjax_url}"></script>\n' if mathjax_url else ""
    return (
        "<!DOCTYPE html>\n<html lang='en'>\n<head>\n<meta charset='utf-8'>\n"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>\n"
        f"<title>{html.escape(title)}</title>\n<style>{CSS}{NAV_CSS}{css_extra}</style>\n"
        f"{mathjax}</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def _nav(infos: list[LessonInfo], i: int, up: str = "../index.html") -> str:
    def link(j: int, arrow_left: bool) -> str:
        if not 0 <= j < len(infos):
            return "<span></span>"
        label = f"{infos[j].number} {html.escape(infos[j].title)}"
        label = f"← {label}" if arrow_left else f"{label} →"
        return f'<a href="{infos[j].name}.html">{label}</a>'

    name = infos[i].name
    middle = (
        f'<span><a href="{up}">Course index</a> · '
        f'<a href="../notebooks/lessons/{name}.ipynb" download>exercise notebook</a> · '
        f'<a href="../notebooks/solutions/{name}.ipynb" download>solution notebook</a> · '
        f'<a href="../slides/{name}.slides.html">slides</a></span>'
    )
    return f'<nav class="course-nav">{link(i - 1, True)}{middle}{link(i + 1, False)}</nav>'


_NOTEBOOK_LINK = re.compile(r'href="(?![a-z]+:)[^"#]*?(\d\d_[a-z0-9_]+)\.ipynb(#[^"]*)?"')


def _relink_notebooks(page: str, known: set[str]) -> str:
    """Links between notebooks (``01_sigmoid.ipynb``) point to their pages in the site."""

    def repl(match: re.Match) -> str:
        name, fragment = match.group(1), match.group(2) or ""
        return f'href="{name}.html{fragment}"' if name in known else match.group(0)

    return _NOTEBOOK_LINK.sub(repl, page)


def html_exporter(prefix: str | None):
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    template = "{%- extends 'index.html.j2' -%}\n" + slides.NO_MERMAID + "\n"
    exporter = HTMLExporter(extra_loaders=[DictLoader({"course_page.html.j2": template})])
    exporter.template_file = "course_page.html.j2"
    for name, value in slides.vendor_urls(prefix).items():
        setattr(exporter, name, value)
    return exporter


def build_lesson_pages(site: Path, paths: list[Path], infos: list[LessonInfo], prefix) -> None:
    out = site / "lessons"
    out.mkdir(parents=True, exist_ok=True)
    exporter = html_exporter(prefix)
    known = {info.name for info in infos}
    for i, (path, info) in enumerate(zip(paths, infos)):
        nb = slides.without_widgets(nbs.read(path))
        body, _ = exporter.from_notebook_node(
            nb, resources={"metadata": {"name": f"{info.number} · {info.title}"}}
        )
        nav = _nav(infos, i)
        body = re.sub(r"(<body[^>]*>)", lambda m, nav=nav: m.group(1) + "\n" + nav, body, count=1)
        body = body.replace("</body>", nav + "\n</body>", 1)
        body = body.replace("</head>", f"<style>{NAV_CSS}</style>\n</head>", 1)
        body = _relink_notebooks(body, known)
        (out / f"{info.name}.html").write_text(body, encoding="utf-8")


def write_index(site: Path, infos: list[LessonInfo], guide: bool, mathjax_url: str) -> None:
    rows = []
    for info in infos:
        objectives = "".join(f"<li>{html.escape(o)}</li>" for o in info.objectives)
        rows.append(
            "<tr>"
            f'<td>{info.number}</td><td><a href="lessons/{info.name}.html">'
            f"{html.escape(info.title)}</a></td>"
            f"<td><ul>{objectives}</ul></td>"
            f"<td>{html.escape(info.time_short)}</td>"
            f'<td><a href="notebooks/lessons/{info.name}.ipynb" download>exercises</a><br>'
            f'<a href="notebooks/solutions/{info.name}.ipynb" download>solution</a><br>'
            f'<a href="slides/{info.name}.slides.html">slides</a></td>'
            "</tr>"
        )
    guide_link = (
        '<p><b>Teaching this course?</b> Read the <a href="instructors/index.html">instructor '
        "guide</a>: session plans, misconceptions, self-test answers, running it at scale and "
        "grading with nbgrader.</p>"
        if guide
        else ""
    )
    body = f"""<h1>{html.escape(COURSE_TITLE)}</h1>
<p>Each lesson derives the mathematics step by step, builds it in NumPy, and lets you explore it
with sliders. This site shows the <b>solved</b> notebooks with their outputs and figures; to do the
exercises, download the exercise notebook (or run the course with <code>make lab</code>) and run it
in JupyterLab. Interactive explorers need a live kernel and do not appear here.</p>
{guide_link}
<table>
<thead><tr><th>#</th><th>Lesson</th><th>Objectives</th><th>Time</th><th>Downloads</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
<p><a href="slides/index.html">All slide decks</a>. Code under the MIT licence, lesson content
under CC BY 4.0.</p>
"""
    page = _page(COURSE_TITLE, body, mathjax_url=mathjax_url)  # objectives carry $...$ math
    (site / "index.html").write_text(page, encoding="utf-8")


_MD_LINK = re.compile(r'(href|src)="(?![a-z]+:|#)([^"#]*)(#[^"]*)?"')


def _guide_link(target: str, fragment: str, known: set[str]) -> str:
    """Map a link that works on GitHub (in docs/instructors/) to its place in the site."""
    path = Path(target)
    if path.suffix == ".md" and len(path.parts) == 1:
        return ("index" if path.stem == "README" else path.stem) + ".html" + fragment
    if path.suffix == ".ipynb" and path.stem in known:
        if path.parent.name == "lessons":
            return f"../notebooks/lessons/{path.name}"
        return f"../lessons/{path.stem}.html{fragment}"
    return target + fragment


def build_guide(site: Path, infos: list[LessonInfo]) -> bool:
    pages = sorted(GUIDE.glob("*.md"))
    if not pages:
        return False
    import mistune

    render = mistune.create_markdown(plugins=["table", "strikethrough"])
    out = site / "instructors"
    out.mkdir(parents=True, exist_ok=True)
    known = {info.name for info in infos}
    for md in pages:
        text = md.read_text(encoding="utf-8")
        body = render(text)
        body = _MD_LINK.sub(
            lambda m: f'{m.group(1)}="{_guide_link(m.group(2), m.group(3) or "", known)}"', body
        )
        nav = (
            '<nav class="course-nav"><a href="../index.html">Course index</a>'
            '<a href="index.html">Instructor guide</a></nav>'
        )
        title = next((ln[2:] for ln in text.splitlines() if ln.startswith("# ")), md.stem)
        name = "index" if md.stem == "README" else md.stem
        (out / f"{name}.html").write_text(_page(title, nav + body), encoding="utf-8")
    return True


def build_site(site: Path, vendor: Path | None, notebooks: list[Path] | None = None) -> list[str]:
    """Build the whole site into ``site``; return the broken internal links (should be [])."""
    paths = nbs.solution_paths() if notebooks is None else notebooks
    if site.exists():
        shutil.rmtree(site)
    site.mkdir(parents=True)
    prefix = None
    if vendor is not None:
        slides.copy_vendor(vendor, site / "vendor")
        prefix = "../vendor"
    infos = [lesson_info(p) for p in paths]
    build_lesson_pages(site, paths, infos, prefix)
    decks = slides.build_decks(site / "slides", paths, prefix)
    slides.write_index(site / "slides", decks, paths)
    for kind, folder in (("lessons", nbs.LESSONS), ("solutions", nbs.SOLUTIONS)):
        (site / "notebooks" / kind).mkdir(parents=True)
        for path in paths:
            source = folder / path.name
            if source.exists():
                shutil.copy2(source, site / "notebooks" / kind / path.name)
    guide = build_guide(site, infos)
    mathjax = (
        f"vendor/{slides.MATHJAX_JS}{slides.MATHJAX_CONFIG}"
        if vendor is not None
        else html_exporter(None).mathjax_url
    )
    write_index(site, infos, guide, mathjax)
    return broken_links(site)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=slides.BUILD / "site")
    parser.add_argument("--cdn", action="store_true", help="load libraries from CDNs (no npm)")
    args = parser.parse_args(argv)
    vendor = None if args.cdn else slides.fetch_vendor()
    broken = build_site(args.out, vendor)
    for link in broken:
        print(f"broken link: {link}", file=sys.stderr)
    print(
        f"wrote {args.out / 'index.html'}" + (f" with {len(broken)} broken links" if broken else "")
    )
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
