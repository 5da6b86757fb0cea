"""`make slides` and `make site`: complete decks, offline pages, no broken internal links,
no solution on the student site, no solution on a deck's task slides.

Building a whole site (every solution exported twice by nbconvert, as a page and
as a deck) takes 10-15 s of CPU, and there are two sites (instructor, student), so the
tests that need them are marked ``teacher``
(`make test-teacher`, CI): they build into a temporary folder against a stand-in
vendor folder (empty files with the names the pages load), so they need neither
npm nor the network. One more teacher test fetches the pinned packages from npm and
checks that every file the pages load is in them. The rest (in `make test`) are
fast: the offline detector, the time parser, the first-cell reader, that every
``## `` section cell starts a slide, the deck layout (flat slides, task before solution),
the one-line message without npm or network, and that a site build refuses to delete a
folder it did not make. tests/browser/test_slides_fit.py measures the decks in Chromium.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest

from tools import deck_pack, site, site_languages, slides
from tools import notebooks as nbs
from tools.translations import LANGS

PATHS = nbs.solution_paths()
NAMES = [p.stem for p in PATHS]
TRANSLATED = {lang: site_languages.translated_solutions(lang) for lang in LANGS}


@pytest.fixture(scope="module")
def vendor(tmp_path_factory):
    return slides.fake_vendor(tmp_path_factory.mktemp("vendor-cache"))


@pytest.fixture(scope="module")
def built(tmp_path_factory, vendor):  # every test that uses it is marked teacher
    root = tmp_path_factory.mktemp("site") / "site-instructor"
    broken = site.build_site(root, vendor)
    return root, broken


@pytest.fixture(scope="module")
def student(tmp_path_factory, vendor):  # every test that uses it is marked teacher
    root = tmp_path_factory.mktemp("site") / "site-student"
    broken = site.build_site(root, vendor, audience="student")
    return root, broken


# --------------------------------------------------------------------------- decks


@pytest.mark.teacher
@pytest.mark.parametrize("name", NAMES)
def test_deck_has_a_section_per_slide(built, name):
    root, _ = built
    deck = (root / "slides" / f"{name}.slides.html").read_text(encoding="utf-8")
    sections = len(re.findall(r"<section\b", deck))
    expected = slides.slide_cells(nbs.read(nbs.SOLUTIONS / f"{name}.ipynb"))
    assert expected >= 3, f"{name}: fewer than 3 cells are marked as slides"
    assert sections >= expected, f"{name}: {sections} <section>s for {expected} slide cells"


@pytest.mark.teacher
@pytest.mark.parametrize("name", NAMES)
def test_deck_is_offline(built, name):
    root, _ = built
    deck = (root / "slides" / f"{name}.slides.html").read_text(encoding="utf-8")
    assert slides.external_refs(deck) == []


@pytest.mark.teacher
@pytest.mark.parametrize("name", NAMES)
def test_deck_loads_reveal_and_mathjax_from_vendor(built, name):
    root, _ = built
    deck = (root / "slides" / f"{name}.slides.html").read_text(encoding="utf-8")
    for ref in slides.REFERENCED:
        assert f"../vendor/{ref}" in deck, f"{name}: does not load {ref} from vendor/"


# --------------------------------------------------------------------------- site


@pytest.mark.teacher
def test_site_has_no_broken_internal_links(built):
    root, broken = built
    assert broken == []
    assert site.broken_links(root) == []


@pytest.mark.teacher
def test_site_pages_are_offline(built):
    root, _ = built
    for page in root.rglob("*.html"):
        if "vendor" in page.parts:
            continue
        assert slides.external_refs(page.read_text(encoding="utf-8")) == [], page


@pytest.mark.teacher
def test_index_lists_every_lesson_with_its_time(built):
    root, _ = built
    index = (root / "index.html").read_text(encoding="utf-8")
    for path in PATHS:
        info = site.lesson_info(path)
        assert f'href="lessons/{info.name}.html"' in index
        assert f'href="notebooks/lessons/{info.name}.ipynb"' in index
        assert f'href="slides/{info.name}.slides.html"' in index
        assert info.time_short and info.time_short in index
        assert site.minutes(info.time_short) == info.minutes


@pytest.mark.teacher
@pytest.mark.parametrize("i", range(len(NAMES)))
def test_lesson_pages_link_prev_index_next(built, i):
    root, _ = built
    page = (root / "lessons" / f"{NAMES[i]}.html").read_text(encoding="utf-8")
    assert 'href="../index.html"' in page
    if i > 0:
        assert f'href="{NAMES[i - 1]}.html"' in page
    if i + 1 < len(NAMES):
        assert f'href="{NAMES[i + 1]}.html"' in page
    assert "<img" in page or NAMES[i].startswith("00"), "figures are missing"


@pytest.mark.teacher
def test_instructor_guide_is_in_the_site(built):
    root, _ = built
    if not site.GUIDE.exists():
        pytest.skip("no docs/instructors/ yet")
    assert (root / "instructors" / "index.html").is_file()
    for name in NAMES:
        assert (root / "instructors" / f"{name}.html").is_file()


# --------------------------------------------------------------------------- helpers


@pytest.mark.parametrize(
    "page, remote",
    [
        ('<script src="https://cdn.x/a.js"></script>', True),
        ('<script src="vendor/a.js"></script>', False),
        ('<link rel="stylesheet" href="//cdn.x/a.css">', True),
        ("<style>@import url(https://fonts.x/css);</style>", True),
        ("<script>require(['https://unpkg.com/reveal.js/dist/reveal.js'])</script>", True),
        ("<script type=module>import m from 'https://cdn.x/m.mjs';</script>", True),
        ('<a href="https://example.org">a link is not loaded</a>', False),
        ("<script>// see https://github.com/x\nvar a = 1;</script>", False),
        ('<img src="data:image/png;base64,AAAA">', False),
    ],
)
def test_external_refs(page, remote):
    assert bool(slides.external_refs(page)) is remote


@pytest.mark.parametrize(
    "text, expected",
    [
        ("10 minutes", (10,)),
        ("60–75 minutes", (60, 75)),
        ("about 45-60 min", (45, 60)),
        ("60 to 90 minutes (two sessions)", (60, 90)),
        ("1 hour", (60,)),
        ("", ()),
    ],
)
def test_minutes(text, expected):
    assert site.minutes(text) == expected


@pytest.mark.parametrize("path", PATHS, ids=NAMES)
def test_lesson_info_reads_the_first_cell(path):
    info = site.lesson_info(path)
    assert info.title and info.objectives and info.prerequisites and info.minutes
    assert info.number == path.name[:2]


@pytest.mark.teacher
def test_vendor_from_npm_has_every_file_the_pages_load(tmp_path):
    """Needs npm and the network (the npm registry); CI runs it with `-m teacher`."""
    import shutil

    if shutil.which("npm") is None:
        pytest.skip("npm is not installed")
    cache = slides.fetch_vendor(tmp_path / "vendor")
    for ref in slides.REFERENCED:
        assert (cache / ref).stat().st_size > 0, ref
    for package in slides.PACKAGES:
        assert (cache / package.name / "package.json").is_file()


@pytest.mark.parametrize("path", PATHS, ids=NAMES)
def test_every_section_starts_a_slide(path):
    """A `## ` section header that is not a slide makes one huge slide of the section before."""
    nb = nbs.read(path)
    loose = [
        cell.source.splitlines()[0]
        for cell in nb.cells
        if cell.cell_type == "markdown"
        and cell.source.startswith("## ")
        and cell.metadata.get("slideshow", {}).get("slide_type") not in ("slide", "subslide")
    ]
    assert not loose, f"{path.name}: set slide_type 'slide' on the cells starting {loose}"
    buried = [
        line
        for cell in nb.cells
        if cell.cell_type == "markdown"
        for line in cell.source.splitlines()[1:]
        if line.startswith("## ")
    ]
    assert not buried, f"{path.name}: start a new cell (a new slide) at {buried}"


@pytest.mark.teacher
def test_explorers_are_a_note_not_a_widget_repr(built):
    root, _ = built
    for page in [*root.glob("lessons/*.html"), *root.glob("slides/*.slides.html")]:
        text = page.read_text(encoding="utf-8")
        assert "VBox(children" not in text, f"{page.name} shows a widget's repr"


def test_without_widgets_replaces_only_widget_outputs():
    import nbformat

    nb = nbformat.v4.new_notebook()
    widget = nbformat.v4.new_output(
        "execute_result", data={slides.WIDGET_MIME: {"model_id": "x"}, "text/plain": "VBox()"}
    )
    text = nbformat.v4.new_output("stream", text="p = 0.5\n")
    nb.cells.append(nbformat.v4.new_code_cell("explorer()", outputs=[widget, text]))
    outputs = slides.without_widgets(nb).cells[0].outputs
    assert "Interactive explorer" in outputs[0]["data"]["text/html"]
    assert slides.WIDGET_MIME not in outputs[0]["data"]
    assert outputs[1]["text"] == "p = 0.5\n"


# --------------------------------------------------------------------------- deck layout


@functools.cache
def _deck(name: str, student: bool = False):
    return slides.deck_notebook(nbs.read(nbs.SOLUTIONS / f"{name}.ipynb"), {}, student=student)


@pytest.mark.parametrize("path", PATHS, ids=NAMES)
def test_deck_is_flat_and_shows_each_task_before_its_solution(path):
    """Only top-level slides (arrow keys walk all of them); no solution markers; each
    exercise's stub comes on a slide before the one headed by its solution, whose code is
    a fragment (shown on one more key press)."""
    deck = _deck(path.stem)
    kinds = {c.metadata.get("slideshow", {}).get("slide_type") for c in deck.cells}
    assert kinds <= {"slide", "-", "notes", "fragment"}, kinds
    text = "\n".join(c.source for c in deck.cells)
    assert nbs.BEGIN_SOLUTION not in text and nbs.END_SOLUTION not in text
    assert nbs.BEGIN_HIDDEN not in text
    starts = [
        i for i, c in enumerate(deck.cells) if c.metadata["slideshow"]["slide_type"] == "slide"
    ]
    for title in site.exercise_titles(path):
        stub = next(
            i for i, c in enumerate(deck.cells) if f'NotImplementedError("{title}")' in c.source
        )
        answer = next(
            i
            for i in starts
            if deck.cells[i].metadata["slideshow"].get("data", {}).get("course_solution") == title
        )
        assert stub < answer, f"{title}: the solution slide comes before the task"
        assert any(stub < i <= answer for i in starts), f"{title}: task and solution share a slide"
    fragments = [
        i for i, c in enumerate(deck.cells) if c.metadata["slideshow"]["slide_type"] == "fragment"
    ]
    for i in fragments:  # only a solution's code waits for a key press
        slide = max(j for j in starts if j <= i)
        assert deck.cells[slide].metadata["slideshow"].get("data"), "a fragment on a task slide"
    assert len(fragments) == len(site.exercise_titles(path))
    for line in site.solution_only_lines(path):
        first = next(i for i, c in enumerate(deck.cells) if line in c.source)
        slide = max(i for i in starts if i <= first)
        assert deck.cells[slide].metadata["slideshow"].get("data"), f"{line!r} on a task slide"
        if slide in [max(j for j in starts if j <= f) for f in fragments]:
            assert any(slide < f <= first for f in fragments), f"{line!r} shown before its fragment"


@pytest.mark.parametrize("path", PATHS, ids=NAMES)
def test_student_deck_has_no_solution(path):
    deck = _deck(path.stem, student=True)
    text = "\n".join(c.source for c in deck.cells)
    for line in site.solution_only_lines(path):
        assert line not in text
    for cell in deck.cells:
        assert not cell.metadata.get("slideshow", {}).get("data")


@pytest.mark.parametrize("path", PATHS, ids=NAMES)
def test_packed_slides_stay_within_the_estimate(path):
    """The estimator's budget holds for every slide that has more than one block."""
    for page in slides.pack(slides.deck_blocks(nbs.read(path))):
        if len(page) > 1:
            slack = deck_pack.LEAD_IN_SLACK if deck_pack._leads_in(page[0]) else 0
            assert sum(b.height for b in page) <= slides.BUDGET + slack


@pytest.mark.parametrize("name", [n for n in NAMES if (site.GUIDE / f"{n}.md").is_file()])
def test_speaker_notes_come_from_the_guide(name):
    """The session plan's rows, the live-coding notes and the misconceptions become notes."""
    nb = nbs.read(nbs.SOLUTIONS / f"{name}.ipynb")
    notes = slides.guide_notes(name, nb)
    assert notes.get("title"), f"{name}: no notes for the title slide"
    guide = (site.GUIDE / f"{name}.md").read_text(encoding="utf-8")
    joined = "\n".join(notes.values())
    rows = [
        r
        for r in guide.split("## Session plan")[1].split("\n## ")[0].splitlines()
        if re.match(r"\| ?\d", r)
    ]
    for row in rows:
        assert row.split("|")[1].strip() in joined, f"{name}: plan row {row[:40]!r} is in no note"
    sections = {c.source.split("\n")[0][3:].strip() for c in nb.cells if c.source.startswith("## ")}
    assert set(notes) <= sections | {"title"}, "notes for a slide the deck does not have"
    assert not re.search(r"\]\((?![a-z]+:)", joined), "a guide-relative link in the notes"


def test_markdown_blocks_keep_math_lists_and_details_whole():
    text = "para\n\n$$\na\n\nb\n$$\n\n- item\n\n  more\n\n<details>\n\nx\n\n</details>"
    assert slides.markdown_blocks(text) == [
        "para",
        "$$\na\n\nb\n$$",
        "- item\n\n  more",
        "<details>\n\nx\n\n</details>",
    ]


# --------------------------------------------------------------------------- vendor, offline


def test_vendor_cache_survives_make_clean():
    makefile = (nbs.ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\nclean:")[1].split("\n\n")[0]
    removed = [w for line in recipe.splitlines() if "rm -rf" in line for w in line.split()[2:]]
    cache = slides.VENDOR_CACHE.resolve()
    build = slides.BUILD.resolve()
    assert not cache.is_relative_to(build), "the vendor cache is inside build/"
    for word in removed:
        target = (nbs.ROOT / word).resolve()
        assert not cache.is_relative_to(target), f"make clean deletes {word}, the vendor cache"


@pytest.mark.parametrize("npm", ["missing", "failing"])
def test_make_slides_without_network_says_what_it_needs_in_one_line(
    tmp_path, monkeypatch, capsys, npm
):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    if npm == "failing":  # what npm does offline: an error, exit status 1
        fake = bin_dir / "npm"
        fake.write_text("#!/bin/sh\necho 'npm error code ENOTFOUND' >&2\nexit 1\n")
        fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setattr(slides, "VENDOR_CACHE", tmp_path / "cache")
    with pytest.raises(SystemExit) as stop:
        slides.main(["--out", str(tmp_path / "out")])
    message = str(stop.value.code)  # Python prints it to stderr as the only line
    assert "\n" not in message and "needs reveal.js, MathJax" in message
    assert ("ENOTFOUND" if npm == "failing" else "not installed") in message
    assert capsys.readouterr().out == ""
    assert not (tmp_path / "out").exists()


# --------------------------------------------------------------------------- site safety


def test_site_refuses_to_delete_a_folder_it_did_not_build(tmp_path):
    precious = tmp_path / "thesis"
    precious.mkdir()
    (precious / "chapter1.tex").write_text("months of work")
    with pytest.raises(SystemExit, match="refusing to delete"):
        site.main(["--out", str(precious), "--cdn"])
    with pytest.raises(SystemExit, match="refusing to delete"):
        site.build_site(precious, None)
    assert (precious / "chapter1.tex").read_text() == "months of work"


def test_site_replaces_a_folder_it_built(tmp_path):
    old = tmp_path / "site"
    old.mkdir()
    (old / site.MARKER).write_text("{}")
    (old / "stale.html").write_text("old")
    site.clear_site(old)
    assert not old.exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    site.clear_site(empty)  # an empty folder is fine
    site.clear_site(tmp_path / "missing")


# --------------------------------------------------------------------------- student site


def _site_text(root):
    """(file, text) for every page and notebook of a site, HTML reduced to its text."""
    import html as html_module
    import json

    for path in sorted(root.rglob("*")):
        if not path.is_file() or "vendor" in path.relative_to(root).parts:
            continue
        if path.suffix == ".html":
            page = path.read_text(encoding="utf-8")
            page = re.sub(r"<(script|style)\b.*?</\1>", "", page, flags=re.S | re.I)
            yield path, html_module.unescape(re.sub(r"<[^>]+>", "", page))
        elif path.suffix == ".ipynb":
            nb = json.loads(path.read_text(encoding="utf-8"))
            yield path, "\n".join("".join(c["source"]) for c in nb["cells"])


@pytest.mark.teacher
def test_student_site_has_no_solution_code(student):
    root, broken = student
    assert broken == []
    every = [*PATHS, *(p for paths in TRANSLATED.values() for p in paths)]
    secret = {line for path in every for line in site.solution_only_lines(path)}
    assert secret
    for path, text in _site_text(root):
        lines = {ln.strip() for ln in text.splitlines()}
        leaked = sorted(secret & lines) + sorted(s for s in secret if len(s) > 25 and s in text)
        assert not leaked, f"{path.relative_to(root)} shows solution lines {leaked[:3]}"


@pytest.mark.teacher
def test_student_site_has_no_guide_and_no_answer_keys(student):
    root, _ = student
    assert not (root / "instructors").exists()
    assert not (root / "notebooks" / "solutions").exists()
    assert (json_marker := root / site.MARKER).is_file() and "student" in json_marker.read_text()
    titles = [
        next(ln[2:] for ln in p.read_text(encoding="utf-8").splitlines() if ln.startswith("# "))
        for p in site.GUIDE.glob("*.md")
        if p.name not in site.LEARNER_PAGES
    ]
    for path, text in _site_text(root):
        for title in titles:
            assert title not in text, f"{path.relative_to(root)} carries the guide page {title!r}"
        assert "instructor notes" not in text.lower(), path
        assert "answer key" not in text.lower(), f"{path.relative_to(root)} has an answer key"
    assert "Student site" in (root / "index.html").read_text(encoding="utf-8")
    for name in site.LEARNER_PAGES:
        if (site.GUIDE / name).is_file():
            assert (root / "learners" / (Path(name).stem + ".html")).is_file()


@pytest.mark.teacher
def test_student_site_keeps_the_figures_but_not_the_check_reports(student):
    root, _ = student
    for name in NAMES[1:]:
        page = (root / "lessons" / f"{name}.html").read_text(encoding="utf-8")
        assert "<img" in page, f"{name}: the student page lost its figures"
        assert "passed all" not in page, f"{name}: a check's report on the solved exercise"


@pytest.mark.teacher
def test_check_marks_are_svg_not_emoji(built, student):
    for root, _ in (built, student):
        for page in root.rglob("*.html"):
            if "vendor" in page.parts:
                continue
            text = re.sub(
                r"<script\b.*?</script>", "", page.read_text(encoding="utf-8"), flags=re.S
            )
            for emoji in ("\u2705", "\u274c", "\u23f3"):
                assert emoji not in text, f"{page.name} still has {emoji!r}"
    lesson00 = (built[0] / "lessons" / f"{NAMES[0]}.html").read_text(encoding="utf-8")
    assert 'aria-label="passed"' in lesson00


@pytest.mark.teacher
def test_instructor_decks_have_solution_slides_and_notes(built):
    root, _ = built
    for path in PATHS:
        deck = (root / "slides" / slides.deck_name(path)).read_text(encoding="utf-8")
        assert "### BEGIN SOLUTION" not in deck and "navigationMode" in deck
        for title in site.exercise_titles(path):
            assert f'data-course-solution="{title}"' in deck
        if (site.GUIDE / f"{path.stem}.md").is_file():
            assert '<aside class="notes">' in deck, f"{path.stem}: no speaker notes"


def test_plain_symbols_replaces_emoji_outside_scripts_only():
    page = "<title>✅</title><pre>✅ passed ❌ failed ⏳ not done</pre><script>s = '✅'</script>"
    out = slides.plain_symbols(page)
    assert out.count("<svg") == 3
    assert 'aria-label="passed"' in out and 'aria-label="not done yet"' in out
    assert "<title>✅</title>" in out and "s = '✅'" in out


def test_student_notebook_keeps_demos_and_drops_answers():
    path = PATHS[1]
    solution = nbs.read(path)
    student_nb = site.student_notebook(solution)
    assert len(student_nb.cells) == len(solution.cells)
    kept_figure = False
    for mine, theirs in zip(student_nb.cells, solution.cells):
        grading = theirs.metadata.get("nbgrader", {})
        if grading.get("solution") or grading.get("grade"):
            assert not mine.get("outputs"), "an exercise or its check kept its output"
            assert nbs.BEGIN_SOLUTION not in mine.source
        elif mine.cell_type == "code":
            assert mine.outputs == theirs.outputs
            kept_figure |= any("image/png" in o.get("data", {}) for o in mine.outputs)
    assert kept_figure, "the demos' figures should stay"


@pytest.mark.teacher
def test_guide_html_in_markdown_is_rendered_not_escaped(built, student):
    """<details> (folded answers) and <kbd> in the guide's markdown must stay HTML."""
    pages = [*built[0].glob("instructors/*.html"), *student[0].glob("learners/*.html")]
    assert pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for tag in ("details", "summary", "kbd"):
            assert f"&lt;{tag}&gt;" not in text, f"{page.name} shows <{tag}> as text"


def test_a_table_taller_than_a_slide_is_cut_between_rows_with_its_header():
    table = ["| a | b |", "|---|---|"] + [f"| {i} | {'x' * 90} |" for i in range(40)]
    parts = slides.markdown_blocks("\n".join(table))
    assert len(parts) > 1
    for part in parts:
        assert part.startswith("| a | b |\n|---|---|\n")
        assert slides.markdown_height(part) <= slides.BUDGET
    rows = [ln for part in parts for ln in part.splitlines()[2:]]
    assert rows == table[2:]


def test_slides_refuse_a_folder_they_did_not_build(tmp_path):
    precious = tmp_path / "talk"
    (precious / "vendor").mkdir(parents=True)
    (precious / "vendor" / "my-notes.txt").write_text("months of work")
    (precious / "01_sigmoid.slides.html").write_text("my own deck")
    with pytest.raises(SystemExit, match="refusing to build into"):
        slides.main(["--out", str(precious), "--cdn", str(PATHS[0])])
    assert (precious / "vendor" / "my-notes.txt").read_text() == "months of work"
    assert (precious / "01_sigmoid.slides.html").read_text() == "my own deck"
    with pytest.raises(SystemExit, match="refusing to delete"):
        slides.copy_vendor(slides.fake_vendor(tmp_path / "cache"), precious / "vendor")
    assert (precious / "vendor" / "my-notes.txt").read_text() == "months of work"


def test_slides_rebuild_their_own_folder(tmp_path):
    out = tmp_path / "decks"
    cache = slides.fake_vendor(tmp_path / "cache")
    for _ in range(2):  # the second build replaces the first, marker and vendor copy included
        slides.claim_out(out)
        slides.copy_vendor(cache, out / "vendor")
    assert (out / slides.BUILD_MARKER).is_file()
    assert (out / "vendor" / slides.REFERENCED[0]).is_file()


@pytest.mark.teacher
def test_student_site_never_mentions_what_it_does_not_have(student):
    """No solutions/ folder, solution notebook, solution slide or speaker notes: the student
    build has none (lesson 00's pointers to them are rewritten, tools/webpage.py)."""
    from tools import webpage

    root, _ = student
    for path, text in _site_text(root):
        found = webpage.STUDENT_ABSENT.findall(text)
        assert not found, f"{path.relative_to(root)} mentions {sorted(set(found))}"


def test_student_rewrites_all_apply_to_lesson_00():
    """Each rewrite still finds its sentence in lesson 00 (or it would silently do nothing)."""
    from tools import webpage

    text = "\n".join(c.source for c in nbs.read(PATHS[0]).cells if c.cell_type == "markdown")
    for old, _ in webpage.STUDENT_REWRITES:
        assert old in text, f"lesson 00 no longer says {old[:60]!r}: update STUDENT_REWRITES"
    assert not webpage.STUDENT_ABSENT.search(webpage.for_students(text))


# --------------------------------------------------------------------------- layout defects


def _slides_of(deck) -> list[list]:
    """The deck's cells grouped by slide (speaker notes left out)."""
    pages: list[list] = []
    for cell in deck.cells:
        kind = cell.metadata.get("slideshow", {}).get("slide_type")
        if kind == "slide" or not pages:
            pages.append([])
        if kind != "notes":
            pages[-1].append(cell)
    return pages


@pytest.mark.parametrize("path", PATHS, ids=NAMES)
def test_no_check_verdict_under_a_report(path):
    """A check returns True or False below its report line; the deck shows the report only."""
    for cell in _deck(path.stem).cells:
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/plain", "")
            assert not (output.get("output_type") == "execute_result" and text == "True"), (
                f"a stray True under {cell.source[:40]!r}"
            )


@pytest.mark.parametrize("path", PATHS, ids=NAMES)
def test_a_solution_slide_holds_only_its_solution_and_check(path):
    """Nothing after an exercise's check shares its solution slide, so the fragment press
    never reveals the next heading; and no slide ends in a lone heading."""
    for page in _slides_of(_deck(path.stem)):
        first = page[0]
        if first.metadata["slideshow"].get("data", {}).get("course_solution"):
            markdown = [c for c in page[1:] if c.cell_type == "markdown"]
            if markdown and 'class="deck-answer"' in markdown[0].source:
                continue  # a derivation's model answer: markdown is the solution itself
            assert not markdown, f"{path.stem}: {markdown[0].source[:40]!r} on a solution slide"
        last = page[-1]
        if last.cell_type == "markdown" and len(page) > 1:
            text = last.source.strip()
            lone = "\n" not in text and (text.startswith("#") or text.endswith(":"))
            assert not lone, f"{path.stem}: a slide ends with {text[:50]!r}"


@pytest.mark.parametrize("path", PATHS, ids=NAMES)
def test_no_code_wall_and_no_fold(path):
    """At most 20 code lines per block; self-test answers are slides, not a <details>."""
    for cell in _deck(path.stem).cells:
        if cell.cell_type == "code":
            assert cell.source.count("\n") < 20, f"{path.stem}: {cell.source[:40]!r} is a wall"
        else:  # a short inline answer (a predict task's) may stay folded
            assert not cell.source.lstrip().startswith("<details"), f"{path.stem}: a fold"


@pytest.mark.teacher
def test_workshop_decks_on_the_instructor_site_only(built, student):
    from tools import workshop

    for tag in workshop.PLANS:
        name = workshop.deck_file(tag)
        assert (built[0] / "slides" / name).is_file(), name
        assert f'href="{name}"' in (built[0] / "slides" / "index.html").read_text("utf-8")
        assert not (student[0] / "slides" / name).exists(), name


def test_instructor_pages_label_model_answers_instead_of_showing_markers():
    """A derivation's model answer reads "Model answer", not a '### BEGIN SOLUTION' heading."""
    from tools import webpage

    nb = webpage.model_answers_labelled(nbs.read(nbs.SOLUTIONS / "01_sigmoid.ipynb"))
    answers = [c.source for c in nb.cells if "**Model answer**" in c.source]
    assert answers, "lesson 01 has a derivation graded by hand"
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            assert nbs.BEGIN_SOLUTION not in cell.source and nbs.END_SOLUTION not in cell.source


@pytest.mark.parametrize("tool", ["vendor", "site", "slides"])
def test_every_tool_that_writes_a_folder_refuses_one_it_did_not_make(tool, tmp_path):
    """One rule (tools.notebooks.refuse_unless_ours) for copy_vendor, clear_site, claim_out."""
    from tools import vendor

    act = {
        "vendor": lambda target: vendor.copy_vendor(tmp_path / "cache", target),
        "site": site.clear_site,
        "slides": slides.claim_out,
    }[tool]
    (tmp_path / "cache").mkdir()
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine")
    with pytest.raises(SystemExit, match="is a file"):
        act(a_file)
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "thesis.tex").write_text("mine")
    with pytest.raises(SystemExit, match=r"refusing to .*not made by tools\."):
        act(theirs)
    assert (theirs / "thesis.tex").read_text() == "mine"
    act(tmp_path / "new")  # an absent folder is fine


# --------------------------------------------------------------------------- languages


def _switch_targets(page: str) -> dict[str, str]:
    nav = re.search(r'<nav class="languages"[^>]*>(.*?)</nav>', page, re.S)
    assert nav, "no language switch"
    links = re.findall(r'href="([^"]+)" hreflang="(\w+)"', nav.group(1))
    return {lang: href for href, lang in links}


@pytest.mark.teacher
@pytest.mark.parametrize("audience", ["instructor", "student"])
def test_every_translated_lesson_has_its_page_and_a_switch_both_ways(built, student, audience):
    root, broken = built if audience == "instructor" else student
    assert broken == []
    assert any(TRANSLATED.values()), "no translated notebook: nothing to test"
    for lang, paths in TRANSLATED.items():
        if not paths:
            continue
        index = (root / f"index.{lang}.html").read_text(encoding="utf-8")
        assert f"<html lang='{lang}'>" in index
        only_english = site_languages.UI[lang]["untranslated"].split("{")[0]
        assert (only_english in index) == (len(paths) < len(PATHS)), "the index's claim is stale"
        assert _switch_targets(index)["en"] == "index.html"
        assert _switch_targets((root / "index.html").read_text(encoding="utf-8"))[lang] == (
            f"index.{lang}.html"
        )
        for path in paths:
            mine = root / "lessons" / f"{path.stem}.{lang}.html"
            page = mine.read_text(encoding="utf-8")
            assert f"<html lang='{lang}'>" in page, mine.name
            assert _switch_targets(page)["en"] == f"{path.stem}.html"
            english = (root / "lessons" / f"{path.stem}.html").read_text(encoding="utf-8")
            assert _switch_targets(english)[lang] == mine.name
            assert f'href="lessons/{mine.name}"' in index, f"index.{lang}.html misses {mine.name}"
            title = slides.title(nbs.read(path))
            assert site.html.escape(title) in page  # the page shows the translated notebook
            solution = root / "notebooks" / "solutions" / lang / path.name
            assert solution.is_file() == (audience == "instructor")
    untranslated = [
        n for n in NAMES if not any(p.stem == n for paths in TRANSLATED.values() for p in paths)
    ]
    for name in untranslated:  # no switch that would lead to a missing page
        english = (root / "lessons" / f"{name}.html").read_text(encoding="utf-8")
        assert '<nav class="languages"' not in english, name


@pytest.mark.teacher
def test_translated_learner_pages_are_on_both_sites(built, student):
    for lang in LANGS:
        docs = nbs.ROOT / "translations" / lang / site_languages.DOCS
        pages = sorted([*docs.glob("*.md"), *docs.glob("*.html")]) if docs.is_dir() else []
        for root, _ in (built, student):
            index = (root / f"index.{lang}.html").read_text(encoding="utf-8")
            for page in pages:
                out = root / "learners" / lang / f"{page.stem}.html"
                assert f"lang='{lang}'" in out.read_text(encoding="utf-8").replace('"', "'")
                label = site_languages.UI[lang][
                    page.stem
                ]  # a title in the language, not a file name
                assert f'href="learners/{lang}/{page.stem}.html">{label}</a>' in index


def test_the_switch_names_each_language_in_itself_and_marks_the_current_one():
    nav = site_languages.switch({"en": "a.html", "zh": "a.zh.html", "ru": "a.ru.html"}, "ru")
    assert '<span aria-current="true">Русский</span>' in nav
    assert nav.count(" · ") == 2  # separated as in the READMEs
    assert '<a href="a.zh.html" hreflang="zh" lang="zh">中文</a>' in nav
    assert '<a href="a.html" hreflang="en" lang="en">English</a>' in nav
    assert 'aria-label="Язык"' in nav
    assert site_languages.switch({"en": "a.html"}, "en") == ""  # one language: no switch


@pytest.mark.teacher
def test_every_formula_sheet_on_the_sites_stands_alone(built, student):
    """The sheets share docs/instructors/formula-sheet.css; each site page carries it inline."""
    pages = [built[0] / "instructors" / "formula-sheet.html"]
    pages += [student[0] / "learners" / "formula-sheet.html"]
    pages += sorted(built[0].glob("learners/*/formula-sheet.html"))
    pages += sorted(student[0].glob("learners/*/formula-sheet.html"))
    assert len(pages) == 2 + 2 * len([lang for lang in TRANSLATED if TRANSLATED[lang]])
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "formula-sheet.css" not in text.split("</head>")[0], page
        assert "@page { margin: 10mm; }" in text, page
