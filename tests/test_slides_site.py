"""`make slides` and `make site`: complete decks, offline pages, no broken internal links.

Building the whole site (every solution exported twice by nbconvert, as a page and
as a deck) takes 10-15 s of CPU, so the tests that need it are marked ``teacher``
(`make test-teacher`, CI): they build into a temporary folder against a stand-in
vendor folder (empty files with the names the pages load), so they need neither
npm nor the network. One more teacher test fetches the pinned packages from npm and
checks that every file the pages load is in them. The rest (in `make test`) are
fast: the offline detector, the time parser, the first-cell reader, and that every
``## `` section cell starts a slide.
"""

from __future__ import annotations

import re

import pytest

from tools import notebooks as nbs
from tools import site, slides

PATHS = nbs.solution_paths()
NAMES = [p.stem for p in PATHS]


@pytest.fixture(scope="module")
def built(tmp_path_factory):  # every test that uses it is marked teacher
    base = tmp_path_factory.mktemp("site")
    vendor = slides.fake_vendor(base / "vendor-cache")
    root = base / "site"
    broken = site.build_site(root, vendor)
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
