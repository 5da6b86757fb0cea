"""`make site`: two static HTML versions of the course, no kernel needed.

    python -m tools.site                  # both: build/site-instructor/, build/site-student/
    python -m tools.site --out DIR        # the instructor site only, into DIR
    python -m tools.site --out DIR --audience student
    python -m tools.site --cdn            # no npm: MathJax, require.js, reveal.js from CDNs

The **instructor site** is the whole course::

    index.html                    the course map: lessons, objectives, time, downloads
    lessons/NN_name.html          each solution notebook with its stored outputs and figures,
                                  with previous / index / next links
    slides/NN_name.slides.html    the reveal.js decks of tools/slides.py (with solution slides
                                  and speaker notes), and the workshop decks (workshop-*.html)
    notebooks/lessons/*.ipynb     downloads: the exercise notebooks
    notebooks/solutions/*.ipynb   downloads: the solved notebooks
    instructors/*.html            the instructor guide (docs/instructors/*.md, *.html)
    vendor/                       MathJax, require.js, jQuery, reveal.js (see tools/slides.py)

The **student site** has the same lessons with every exercise as the learner gets it (the
stub, no output) and no output of the check after it, decks without solution slides or
notes, the exercise notebooks only, and of docs/instructors/ only the pages written for
learners (``LEARNER_PAGES``: the prerequisite self-check and the formula sheet) under
``learners/``. No solution, answer key or guide page reaches it (tests/test_slides_site.py).

Widgets are not rendered (no kernel, no widget state is stored): each explorer's
output is replaced by a note to run it in JupyterLab; every lesson draws its
figures statically too. ``broken_links(site)`` lists every internal
``href``/``src`` that does not resolve to a file; the build fails on any. The checks'
emoji become inline SVG badges (``slides.plain_symbols``), so they show on machines
without an emoji font. Each build writes ``MARKER`` into its folder, and a later build
deletes a folder only if it holds that file.
"""

from __future__ import annotations

import argparse
import functools
import html
import json
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import a11y, slides, webpage
from . import notebooks as nbs

GUIDE, COURSE_TITLE = nbs.GUIDE, nbs.COURSE_TITLE
AUDIENCES = ("instructor", "student")
MARKER = ".course-site.json"  # written into every site this module builds
# Guide pages written for learners: the only ones on the student site (under learners/).
LEARNER_PAGES = ("prerequisite-self-check.md", "formula-sheet.html", "learner-setup.md")

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
        if webpage.is_remote(ref):
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
pre { background: #f6f6f6; padding: .6rem; }
pre code { background: none; padding: 0; }
"""
NAV_CSS = """
.course-nav { display: flex; justify-content: space-between; gap: 1rem; padding: .6rem 1rem;
              margin: 0 0 1rem; background: #f3f3f3; border-bottom: 1px solid #ccc;
              font-family: system-ui, sans-serif; font-size: 15px; }
"""


MATHJAX_CONFIG = (
    '<script type="text/x-mathjax-config">MathJax.Hub.Config({tex2jax: {inlineMath: '
    "[['$', '$'], ['\\\\(', '\\\\)']], processEscapes: true}, messageStyle: 'none'});</script>\n"
)


def _page(title: str, body: str, css_extra: str = "", mathjax_url: str | None = None) -> str:
    mathjax = (
        f'{MATHJAX_CONFIG}{a11y.MATHJAX_CONFIG}<script src="{mathjax_url}"></script>\n'
        if mathjax_url
        else ""
    )
    return (
        "<!DOCTYPE html>\n<html lang='en'>\n<head>\n<meta charset='utf-8'>\n"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>\n"
        f"<title>{html.escape(title)}</title>\n<style>{CSS}{NAV_CSS}{a11y.CSS}{css_extra}</style>\n"
        f"{mathjax}</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def _nav(infos: list[LessonInfo], i: int, up: str = "../index.html", student: bool = False) -> str:
    def link(j: int, arrow_left: bool) -> str:
        if not 0 <= j < len(infos):
            return "<span></span>"
        label = f"{infos[j].number} {html.escape(infos[j].title)}"
        label = f"← {label}" if arrow_left else f"{label} →"
        return f'<a href="{infos[j].name}.html">{label}</a>'

    name = infos[i].name
    solution = (
        ""
        if student
        else f' · <a href="../notebooks/solutions/{name}.ipynb" download>solution notebook</a>'
    )
    middle = (
        f'<span><a href="{up}">Course index</a> · '
        f'<a href="../notebooks/lessons/{name}.ipynb" download>exercise notebook</a>{solution} · '
        f'<a href="../slides/{name}.slides.html">slides</a></span>'
    )
    return f'<nav class="course-nav">{link(i - 1, True)}{middle}{link(i + 1, False)}</nav>'


# --------------------------------------------------------------------------- student versions


def student_notebook(solution):
    """The solution notebook as a learner may see it: every exercise the lesson's stub, with
    no output, no output of the check that grades it, no hidden tests; all else as stored."""
    from .make_lessons import make_lesson

    lesson = make_lesson(solution)
    for mine, theirs in zip(lesson.cells, solution.cells):
        grading = theirs.get("metadata", {}).get("nbgrader", {})
        if mine.cell_type == "code" and not (grading.get("solution") or grading.get("grade")):
            mine.outputs = theirs.get("outputs", [])
            mine.execution_count = theirs.get("execution_count")
    return lesson


@functools.cache
def _public_lines() -> frozenset[str]:
    from .make_lessons import make_lesson

    lines = set()
    for path in nbs.solution_paths():
        for cell in make_lesson(nbs.read(path)).cells:
            lines.update(ln.strip() for ln in cell.source.splitlines())
    return frozenset(lines)


def solution_only_lines(path: Path) -> list[str]:
    """Lines of ``path``'s solution regions that no learner notebook contains (stripped).

    What must never reach students: a line also in some lessons/ notebook is public anyway.
    """
    public = _public_lines()
    secret, inside = [], False
    for cell in nbs.read(path).cells:
        for line in cell.source.splitlines():
            stripped = line.strip()
            if stripped in (nbs.BEGIN_SOLUTION, nbs.END_SOLUTION):
                inside = stripped == nbs.BEGIN_SOLUTION
                continue
            if inside and len(stripped) >= 6 and re.search(r"\w", stripped):
                if stripped not in public and stripped not in secret:
                    secret.append(stripped)
    return secret


def exercise_titles(path: Path) -> list[str]:
    """``["Exercise 1.1: sigmoid", ...]``: the exercises that have a solution region."""
    return [
        title
        for cell in nbs.read(path).cells
        if cell.cell_type == "code" and nbs.BEGIN_SOLUTION in cell.source
        if (title := nbs.exercise_title(cell.source))
    ]


# --------------------------------------------------------------------------- safety


def clear_site(site: Path) -> None:
    """Delete ``site`` if this module built it (it holds MARKER); refuse anything else."""
    nbs.delete_if_ours(
        site,
        MARKER,
        kind="site folder",
        tool="tools.site",
        advice="choose a new or empty folder, or delete it yourself",
    )


def _write_marker(site: Path, audience: str) -> None:
    stamp = {"built_by": "python -m tools.site", "audience": audience}
    (site / MARKER).write_text(json.dumps(stamp) + "\n", encoding="utf-8")


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

    template = (
        "{%- extends 'index.html.j2' -%}\n"
        + slides.NO_MERMAID
        + a11y.TEMPLATE_BLOCKS
        + "{%- block html_head_css -%}<style>"
        + a11y.CSS
        + "</style>{%- endblock html_head_css -%}\n"
    )
    exporter = HTMLExporter(extra_loaders=[DictLoader({"course_page.html.j2": template})])
    exporter.template_file = "course_page.html.j2"
    for name, value in slides.vendor_urls(prefix).items():
        setattr(exporter, name, value)
    return exporter


def build_lesson_pages(
    site: Path, paths: list[Path], infos: list[LessonInfo], prefix, student: bool = False
) -> None:
    out = site / "lessons"
    out.mkdir(parents=True, exist_ok=True)
    exporter = html_exporter(prefix)
    known = {info.name for info in infos}
    for i, (path, info) in enumerate(zip(paths, infos)):
        nb = nbs.read(path)
        if student:
            nb = webpage.student_markdown(student_notebook(nb))
        else:
            nb = webpage.model_answers_labelled(nb)
        page = render_lesson_page(
            exporter, nb, f"{info.number} · {info.title}", _nav(infos, i, student=student)
        )
        (out / f"{info.name}.html").write_text(_relink_notebooks(page, known), encoding="utf-8")


def render_lesson_page(exporter, nb, title: str, nav: str) -> str:
    """One lesson as a web page: the notebook without widgets, ``nav`` above and below."""
    from . import slides

    body, _ = exporter.from_notebook_node(
        slides.without_widgets(nb), resources={"metadata": {"name": title}}
    )
    body = re.sub(r"(<body[^>]*>)", lambda m, nav=nav: m.group(1) + "\n" + nav, body, count=1)
    body = body.replace("</body>", nav + "\n</body>", 1)
    body = body.replace("</head>", f"<style>{NAV_CSS}</style>\n</head>", 1)
    return slides.plain_symbols(body)


def write_index(
    site: Path, infos: list[LessonInfo], guide: bool, mathjax_url: str, student: bool = False
) -> None:
    rows = []
    for info in infos:
        shown = [webpage.for_students("- " + o)[2:] for o in info.objectives] if student else []
        objectives = "".join(f"<li>{html.escape(o)}</li>" for o in shown or info.objectives)
        solution = (
            ""
            if student
            else f'<a href="notebooks/solutions/{info.name}.ipynb" download>solution</a><br>'
        )
        rows.append(
            "<tr>"
            f'<td>{info.number}</td><td><a href="lessons/{info.name}.html">'
            f"{html.escape(info.title)}</a></td>"
            f"<td><ul>{objectives}</ul></td>"
            f"<td>{html.escape(info.time_short)}</td>"
            f'<td><a href="notebooks/lessons/{info.name}.ipynb" download>exercises</a><br>'
            f"{solution}"
            f'<a href="slides/{info.name}.slides.html">slides</a></td>'
            "</tr>"
        )
    if student:
        banner = "Student site"
        intro = (
            "This site shows every lesson with its figures and outputs, and each exercise as "
            "you get it: do them in JupyterLab (download the exercise notebook, or run the "
            "course with <code>make lab</code>). Interactive explorers need a live kernel and "
            "do not appear here."
        )
        links = {
            "prerequisite-self-check.html": "the prerequisite self-check (10 minutes, before "
            "the course)",
            "formula-sheet.html": "the one-page formula sheet (print it)",
            "learner-setup.html": "setting up your computer, with the install check",
        }
        present = [
            f'<a href="learners/{name}">{label}</a>'
            for name, label in links.items()
            if (site / "learners" / name).is_file()
        ]
        extra = f"<p><b>For learners:</b> {'; '.join(present)}.</p>" if present else ""
    else:
        banner = "Instructor site"
        intro = (
            "Each lesson derives the mathematics step by step, builds it in NumPy, and lets you "
            "explore it with sliders. This site shows the <b>solved</b> notebooks with their "
            "outputs and figures, decks with solution slides and speaker notes, and the "
            "instructor guide: do not give its address to students; publish the student site "
            "(<code>build/site-student/</code>) for them."
        )
        extra = (
            '<p><b>Teaching this course?</b> Read the <a href="instructors/index.html">'
            "instructor guide</a>: session plans (3-hour workshop, 2 x 90 minutes, full "
            "course), workshop decks, the prerequisite self-check, the pre/post quiz with its "
            "answer key, the formula sheet, misconceptions, the classroom kit (learner setup, "
            "a page for helpers, a day-of checklist, a survey), running it at scale and grading "
            "with nbgrader.</p>"
            if guide
            else ""
        )
    body = f"""<p class="audience">{banner}</p>
<h1>{html.escape(COURSE_TITLE)}</h1>
<p>{intro}</p>
{extra}
<table>
<thead><tr><th>#</th><th>Lesson</th><th>Objectives</th><th>Time</th><th>Downloads</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
<p><a href="slides/index.html">All slide decks</a>. Code under the MIT licence, lesson content
under CC BY 4.0.</p>
"""
    css = ".audience { font: bold 14px system-ui, sans-serif; color: #555; margin: 1rem 0 0; }"
    page = _page(f"{COURSE_TITLE} ({banner.lower()})", body, css, mathjax_url=mathjax_url)
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


def build_guide(site: Path, infos: list[LessonInfo], student: bool = False) -> bool:
    """Render docs/instructors/ into ``instructors/`` (student: only LEARNER_PAGES, into
    ``learners/``). Markdown pages become HTML; HTML pages are copied as they are."""
    pages = sorted([*GUIDE.glob("*.md"), *GUIDE.glob("*.html")])
    if student:
        pages = [p for p in pages if p.name in LEARNER_PAGES]
    if not pages:
        return False
    out = site / ("learners" if student else "instructors")
    out.mkdir(parents=True, exist_ok=True)
    known = {info.name for info in infos}
    home = "" if student else '<a href="index.html">Instructor guide</a>'
    nav = f'<nav class="course-nav"><a href="../index.html">Course index</a>{home}</nav>'

    def link(m: re.Match) -> str:
        return f'{m.group(1)}="{_guide_link(m.group(2), m.group(3) or "", known)}"'

    for page in pages:
        name = "index" if page.stem == "README" else page.stem
        (out / f"{name}.html").write_text(guide_page(page, nav, link), encoding="utf-8")
    return True


def guide_page(page: Path, nav: str, link=None) -> str:
    """A guide page (docs/instructors/ or a translation) as a site page: markdown rendered, titled
    by its first heading, ``nav`` on top, links rewritten by ``link``; an HTML page kept as it is,
    its stylesheet inlined. The checks' emoji become badges in both."""
    text = page.read_text(encoding="utf-8")
    if page.suffix == ".html":
        return slides.plain_symbols(webpage.inline_stylesheets(text, page.parent))
    body = webpage.render_markdown(text)
    if link is not None:
        body = _MD_LINK.sub(link, body)
    title = next((ln[2:] for ln in text.splitlines() if ln.startswith("# ")), page.stem)
    return slides.plain_symbols(_page(title, nav + body))


def build_site(
    site: Path,
    vendor: Path | None,
    notebooks: list[Path] | None = None,
    audience: str = "instructor",
) -> list[str]:
    """Build the ``audience`` site into ``site``; return the broken internal links (should
    be []). Refuses (SystemExit) to delete an existing folder it did not build."""
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {AUDIENCES}, got {audience!r}")
    student = audience == "student"
    paths = nbs.solution_paths() if notebooks is None else notebooks
    clear_site(site)
    site.mkdir(parents=True)
    _write_marker(site, audience)
    prefix = None
    if vendor is not None:
        slides.copy_vendor(vendor, site / "vendor")
        prefix = "../vendor"
    infos = [lesson_info(p) for p in paths]
    build_lesson_pages(site, paths, infos, prefix, student=student)
    decks = slides.build_decks(site / "slides", paths, prefix, student=student)
    workshops = []
    if not student and notebooks is None:  # the workshop decks show solutions: instructors only
        from .workshop import build_workshop_decks

        workshops = build_workshop_decks(site / "slides", prefix)
    slides.write_index(site / "slides", decks, paths, student=student, extra=workshops)
    kinds = (
        (("lessons", nbs.LESSONS),)
        if student
        else (
            ("lessons", nbs.LESSONS),
            ("solutions", nbs.SOLUTIONS),
        )
    )
    for kind, folder in kinds:
        (site / "notebooks" / kind).mkdir(parents=True)
        for path in paths:
            source = folder / path.name
            if source.exists() and student:  # lesson 00 without its pointers to solutions/
                nbs.write(
                    webpage.student_markdown(nbs.read(source)),
                    site / "notebooks" / kind / path.name,
                )
            elif source.exists():
                shutil.copy2(source, site / "notebooks" / kind / path.name)
    guide = build_guide(site, infos, student=student)
    mathjax = (
        f"vendor/{slides.MATHJAX_JS}{slides.MATHJAX_CONFIG}"
        if vendor is not None
        else html_exporter(None).mathjax_url
    )
    write_index(site, infos, guide, mathjax, student=student)
    if notebooks is None:  # the translations of the course's own lessons
        from .site_languages import build_languages

        build_languages(site, prefix, student, {info.name: info.minutes for info in infos})
    return broken_links(site)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, help="build one site into this folder (default: both into build/)"
    )
    parser.add_argument("--audience", choices=AUDIENCES, default="instructor")
    parser.add_argument("--cdn", action="store_true", help="load libraries from CDNs (no npm)")
    args = parser.parse_args(argv)
    if args.out is None:
        targets = [(slides.BUILD / f"site-{a}", a) for a in AUDIENCES]
    else:
        targets = [(args.out, args.audience)]
    for out, _ in targets:  # refuse before any work
        if out.exists() and any(out.iterdir()) and not (out / MARKER).is_file():
            clear_site(out)
    vendor = None if args.cdn else slides.fetch_vendor()
    status = 0
    for out, audience in targets:
        broken = build_site(out, vendor, audience=audience)
        for link in broken:
            print(f"broken link: {link}", file=sys.stderr)
        note = f" with {len(broken)} broken links" if broken else ""
        print(f"{audience} site: {out / 'index.html'}{note}")
        status = status or (1 if broken else 0)
    return status


if __name__ == "__main__":
    sys.exit(main())
