"""WCAG 2.1 AA in Chromium: axe-core over every page of both sites and every deck.

Builds both sites (``python -m tools.site``: lesson pages, guide pages, indexes and the
decks each site carries) and the decks of ``make slides`` into a temporary folder, with
the real vendored reveal.js and MathJax, then injects axe-core (pinned in
:data:`tools.slides.AXE`, fetched once with npm into .cache/, offline afterwards) into
every page and runs its WCAG 2.0/2.1 A and AA rules. A serious or critical violation
fails the test, listed as rule, page and element. A deck is checked on its title slide
and on the first slide with code, with a figure, with a formula and with a table, and its
last slide (each slide is a fresh axe run: reveal.js hides the others).

``COURSE_A11Y_BUILT=1`` checks what ``make site slides`` left in build/ instead of
building again (quicker while fixing a page).

Also: tabbing through a lesson page and a deck moves the focus to elements with a
visible focus indicator (an outline of at least 2 px, or a box shadow), and MathJax
leaves a MathML copy of every formula for screen readers (its AssistiveMML extension).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.browser.conftest import REQUIRE, SCREENSHOTS
from tools import notebooks as nbs
from tools import site, slides

pytestmark = pytest.mark.browser

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")
VIEWPORT = {"width": slides.SLIDE_WIDTH, "height": slides.SLIDE_HEIGHT}
USE_BUILT = os.environ.get("COURSE_A11Y_BUILT", "") not in ("", "0")

RUN_AXE = """async ([tags, slideOnly]) => {
  if (window.MathJax && MathJax.Hub) { await new Promise(done => MathJax.Hub.Queue(done)); }
  const where = slideOnly ? Reveal.getCurrentSlide() : document;
  const result = await axe.run(where, {runOnly: {type: 'tag', values: tags},
                                          resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({impact: n.impact, target: n.target.join(' '),
                              html: n.html.slice(0, 120),
                              summary: (n.failureSummary || '').split('\\n').slice(1, 2).join('')}))
  }));
}"""

# The slides worth checking in a deck: title, first code, figure, formula and table, last.
PICK_SLIDES = """() => {
  const all = Reveal.getHorizontalSlides();
  const first = sel => all.findIndex(s => s.querySelector(sel));
  const picked = [0, first('.highlight'), first('img'), first('.MathJax, script[type^="math"]'),
                  first('table'), all.length - 1];
  return [...new Set(picked.filter(i => i >= 0))];
}"""

FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  // at least 2 px (WCAG 2.2's focus appearance): Chromium's own 1 px ring is easy to miss
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  const shadow = s.boxShadow && s.boxShadow !== 'none';
  return {tag: el.tagName, text: (el.textContent || el.getAttribute('aria-label') || '')
          .trim().slice(0, 40), visible: outline || shadow,
          style: s.outlineStyle + ' ' + s.outlineWidth + ' / ' + s.boxShadow};
}"""


def _build(out: Path) -> Path:
    try:
        for audience in site.AUDIENCES:
            site.main(["--out", str(out / f"site-{audience}"), "--audience", audience])
        slides.main(["--out", str(out / "slides")])
    except SystemExit as stop:  # no npm, no network and no cache
        if stop.code in (0, None):
            return out
        if REQUIRE:
            pytest.fail(f"COURSE_REQUIRE_BROWSER is set but {stop}", pytrace=False)
        pytest.skip(str(stop))
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A folder holding site-instructor/, site-student/ and slides/."""
    if USE_BUILT:
        return nbs.ROOT / "build"
    return _build(tmp_path_factory.mktemp("a11y"))


@pytest.fixture(scope="module")
def axe_js() -> str:
    try:
        return slides.fetch_axe().read_text(encoding="utf-8")
    except SystemExit as stop:
        if REQUIRE:
            pytest.fail(f"COURSE_REQUIRE_BROWSER is set but {stop}", pytrace=False)
        pytest.skip(str(stop))


def _pages(built: Path) -> list[Path]:
    found = sorted(p for p in built.rglob("*.html") if "vendor" not in p.relative_to(built).parts)
    assert found, f"nothing built in {built}"
    return found


def _describe(page: str, where: str, violations: list[dict]) -> list[str]:
    lines = []
    for v in violations:
        nodes = [n for n in v["nodes"] if n["impact"] in BLOCKING] or v["nodes"]
        if v["impact"] not in BLOCKING:
            continue
        for n in nodes[:5]:
            lines.append(
                f"{v['id']} ({v['impact']}) on {page}{where}: {n['target']} {n['summary']} "
                f"{n['html']}"
            )
        if len(nodes) > 5:
            lines.append(f"  ... and {len(nodes) - 5} more {v['id']} on {page}{where}")
    return lines


@pytest.fixture(scope="module")
def audited(browser, built, axe_js) -> dict[str, list[str]]:
    """``{page relative to the build folder: [one line per serious/critical violation]}``."""
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
    context.set_default_timeout(60_000)
    page = context.new_page()
    found: dict[str, list[str]] = {}
    try:
        for path in _pages(built):
            name = str(path.relative_to(built))
            page.goto(path.as_uri())
            page.add_script_tag(content=axe_js)
            lines: list[str] = []
            if path.name.endswith(".slides.html"):
                page.wait_for_function("window.Reveal && Reveal.isReady()")
                for n, i in enumerate(page.evaluate(PICK_SLIDES)):
                    page.evaluate(f"Reveal.slide({i})")
                    # the whole page on the title slide, then only the slide shown
                    violations = page.evaluate(RUN_AXE, [TAGS, n > 0])
                    lines += _describe(name, f" slide {i + 1}", violations)
            else:
                lines += _describe(name, "", page.evaluate(RUN_AXE, [TAGS, False]))
            if lines:
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                shot = SCREENSHOTS / ("a11y-" + name.replace("/", "-") + ".png")
                page.screenshot(path=str(shot))
            found[name] = lines
    finally:
        context.close()
    return found


@pytest.mark.parametrize("group", ["site-instructor", "site-student", "slides"])
def test_no_serious_or_critical_axe_violation(audited, group):
    pages = {name: lines for name, lines in audited.items() if name.startswith(group + "/")}
    assert pages, f"no page of {group} was checked"
    failing = [line for lines in pages.values() for line in lines]
    assert not failing, f"{len(failing)} serious/critical violations in {group}:\n" + "\n".join(
        failing[:60]
    )


def _tab_through(page, presses: int) -> list[dict]:
    seen = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS)
        if state is not None:
            seen.append(state)
    return seen


def test_tabbing_through_a_lesson_page_shows_where_the_focus_is(browser, built):
    page = browser.new_page(viewport=VIEWPORT)
    try:
        page.goto((built / "site-student" / "lessons" / "01_sigmoid.html").as_uri())
        seen = _tab_through(page, 12)
    finally:
        page.close()
    assert len(seen) >= 6, f"only {len(seen)} of 12 Tab presses reached an element"
    hidden = [s for s in seen if not s["visible"]]
    assert not hidden, f"focus without a visible indicator: {hidden}"
    assert any(s["tag"] == "A" for s in seen), "the navigation links are not reachable"


def test_deck_controls_work_from_the_keyboard_with_a_visible_focus(browser, built):
    page = browser.new_page(viewport=VIEWPORT)
    try:
        page.goto((built / "slides" / "02_softmax.slides.html").as_uri())
        page.wait_for_function("window.Reveal && Reveal.isReady()")
        page.keyboard.press("ArrowRight")
        moved = page.evaluate("Reveal.getIndices().h")
        page.keyboard.press("ArrowLeft")
        back = page.evaluate("Reveal.getIndices().h")
        seen = _tab_through(page, 8)
    finally:
        page.close()
    assert (moved, back) == (1, 0), "the arrow keys do not move through the deck"
    assert seen, "no element of the deck takes the keyboard focus"
    hidden = [s for s in seen if not s["visible"]]
    assert not hidden, f"focus without a visible indicator: {hidden}"


@pytest.mark.parametrize(
    "page_path", ["site-student/lessons/01_sigmoid.html", "slides/01_sigmoid.slides.html"]
)
def test_formulas_have_assistive_mathml(browser, built, page_path):
    page = browser.new_page(viewport=VIEWPORT)
    try:
        page.goto((built / page_path).as_uri())
        page.wait_for_function("window.MathJax && MathJax.Hub && MathJax.isReady")
        counts = page.evaluate(
            """async () => {
              await new Promise(done => MathJax.Hub.Queue(done));
              if (window.Reveal) {  // typeset every slide, not only the current one
                await new Promise(done => MathJax.Hub.Queue(['Typeset', MathJax.Hub], done));
              }
              const typeset = document.querySelectorAll('.MathJax_CHTML, .mjx-chtml.MathJax_CHTML');
              const mml = document.querySelectorAll('.MJX_Assistive_MathML math');
              const first = mml.length ? mml[0].outerHTML.slice(0, 200) : '';
              return {typeset: typeset.length, mathml: mml.length, first: first};
            }"""
        )
    finally:
        page.close()
    assert counts["typeset"] > 0, f"MathJax typeset no formula on {page_path}"
    assert counts["mathml"] >= counts["typeset"], (
        f"{page_path}: {counts['typeset']} formulas but {counts['mathml']} MathML copies"
    )
    assert "<mi" in counts["first"] or "<mn" in counts["first"], counts["first"]


def test_no_built_figure_keeps_nbconvert_s_placeholder_alt_text(built):
    from helpers.plots import NO_ALT

    pages = _pages(built)
    figures = sum(p.read_text(encoding="utf-8").count("<img") for p in pages)
    # an <img> whose alt is the placeholder (a page may quote the placeholder in its prose)
    img_alts = re.compile(r"<img\b[^>]*\balt=(['\"])(.*?)\1", re.DOTALL)
    placeholders = [
        str(p.relative_to(built))
        for p in pages
        if any(NO_ALT in alt for _, alt in img_alts.findall(p.read_text(encoding="utf-8")))
    ]
    bare = [
        str(p.relative_to(built))
        for p in pages
        if re.search(r"<img\b(?![^>]*\balt=)[^>]*>", p.read_text(encoding="utf-8"))
    ]
    assert not bare, f"figures with no alt attribute at all on {bare}"
    assert figures > 0, "no figure in the built pages"
    assert not placeholders, f"figures without a text alternative on {placeholders}"
