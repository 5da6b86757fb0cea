"""Every slide of every deck fits 1280 x 720 in Chromium, walked with the arrow key.

Builds the decks (`python -m tools.slides`, with the real vendored reveal.js and MathJax:
from the cache, fetched once with npm if missing) into a temporary folder, opens each deck
in headless Chromium at a 1280 x 720 viewport (so reveal.js scales by exactly 1), and
presses ArrowRight from the first slide to the last. For every slide:

- the arrow key moved exactly one slide on (no vertical sub-slides are skipped) and the
  walk visits ``Reveal.getTotalSlides()`` slides;
- everything on it, after MathJax has settled (the deck re-typesets each slide on arrival;
  the walk waits for that re-render, ``window.courseMathSettled``, and for MathJax's queue
  to empty before it measures), lies within 1280 x 720 (no element's box
  below or right of the slide), and no code or output block is wider than its box; the
  body of a folded ``<details>`` (self-test answers) is not on screen until clicked, so
  only its summary line counts;
- no line of an exercise's solution (the lines of a solution region that the learners'
  notebook in lessons/ does not contain) is on screen, except on the exercise's
  "Solution" slide after its fragment was revealed by one more key press: arriving on
  that slide shows only the heading. (The walk presses ArrowRight until every slide and
  every fragment was shown; each press shows one fragment or moves one slide on.)

A screenshot of each slide that fails is written to build/browser/. The formula sheet
(docs/instructors/formula-sheet.html) prints on one A4 and on one Letter page.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.browser.conftest import REQUIRE, SCREENSHOTS
from tools import notebooks as nbs
from tools import site, slides

pytestmark = pytest.mark.browser

PATHS = nbs.solution_paths()
VIEWPORT = {"width": slides.SLIDE_WIDTH, "height": slides.SLIDE_HEIGHT}

MEASURE = """async () => {
  // Settle first: reveal.js lays the slide out, the deck re-typesets its formulas on arrival
  // (window.courseMathSettled, see tools/slides.py), then anything else MathJax queued.
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  await (window.courseMathSettled || Promise.resolve());
  await new Promise(done => MathJax.Hub.Queue(done));
  await new Promise(done => requestAnimationFrame(done));
  const slide = Reveal.getCurrentSlide();
  const box = document.querySelector('.reveal .slides').getBoundingClientRect();
  const scale = Reveal.getScale();
  let bottom = 0, right = 0;
  const wide = [];
  for (const el of slide.querySelectorAll('*')) {
    if (el.closest('aside.notes')) continue;  // speaker notes are not on the slide
    const folded = el.closest('details:not([open])');  // answers folded until clicked
    if (folded && !el.closest('summary') && el !== folded) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    bottom = Math.max(bottom, (r.bottom - box.top) / scale);
    right = Math.max(right, (r.right - box.left) / scale);
    if ((el.tagName === 'PRE' || el.classList.contains('jp-OutputArea-output'))
        && el.scrollWidth > el.clientWidth + 1) wide.push(el.tagName);
  }
  const shown = [];  // the text on screen: not in a fragment that is still hidden
  const walker = document.createTreeWalker(slide, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const parent = walker.currentNode.parentElement;
    if (parent.closest('aside.notes') || parent.closest('.fragment:not(.visible)')) continue;
    if (parent.closest('details:not([open])') && !parent.closest('summary')) continue;
    shown.push(walker.currentNode.textContent);
  }
  const hidden = slide.querySelectorAll('.fragment:not(.visible)').length;
  return {index: Reveal.getIndices().h, bottom: Math.round(bottom), right: Math.round(right),
          wide: wide.length, scale: scale, solution: slide.dataset.courseSolution || null,
          hidden: hidden, text: shown.join(' ')};
}"""


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    out = tmp_path_factory.mktemp("slides")
    try:
        slides.main(["--out", str(out)])
    except SystemExit as stop:  # no npm, no network and no cache
        if REQUIRE:
            pytest.fail(f"COURSE_REQUIRE_BROWSER is set but {stop}", pytrace=False)
        pytest.skip(str(stop))
    return out


@pytest.fixture(scope="module")
def walked(browser, decks):
    """``{deck name: [measurement per slide, in the order the arrow key visits them]}``."""
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
    context.set_default_timeout(60_000)
    page = context.new_page()
    found = {}
    try:
        for path in PATHS:
            deck = decks / slides.deck_name(path)
            page.goto(deck.as_uri())
            page.wait_for_function("window.Reveal && Reveal.isReady()")
            total = page.evaluate("Reveal.getTotalSlides()")
            seen = [page.evaluate(MEASURE)]
            while seen[-1]["index"] < total - 1 or seen[-1]["hidden"]:
                page.keyboard.press("ArrowRight")  # the next fragment, or the next slide
                seen.append(page.evaluate(MEASURE))
                assert len(seen) < 4 * total, f"{path.stem}: the arrow key is stuck"
            for m in seen:
                m["total"] = total
                if m["bottom"] > VIEWPORT["height"] or m["right"] > VIEWPORT["width"] or m["wide"]:
                    page.evaluate(f"Reveal.slide({m['index']})")
                    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(SCREENSHOTS / f"slide-{path.stem}-{m['index']}.png"))
            found[path.stem] = seen
    finally:
        context.close()
    return found


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_arrow_key_walks_every_slide_in_order(walked, path):
    seen = walked[path.stem]
    slides_seen = [m["index"] for m in seen if not m["hidden"]]  # each with all of it shown
    assert slides_seen == list(range(seen[0]["total"]))
    for before, after in zip(seen, seen[1:]):
        assert after["index"] - before["index"] in (0, 1), "a slide was skipped"
        if after["index"] == before["index"]:
            assert after["hidden"] < before["hidden"], "a key press that changed nothing"
    assert all(m["scale"] == 1 for m in seen), "the deck is scaled: not 1280 x 720"


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_every_slide_fits_1280x720(walked, path):
    too_big = [
        f"slide {m['index'] + 1}: {m['right']} x {m['bottom']} px, {m['wide']} clipped blocks"
        f" ({_normal(m['text'])[:50]!r})"
        for m in walked[path.stem]
        if m["bottom"] > VIEWPORT["height"] or m["right"] > VIEWPORT["width"] or m["wide"]
    ]
    assert not too_big, f"{path.stem}: " + "; ".join(too_big)


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_no_solution_is_visible_before_it_is_revealed(walked, path):
    secret = [_normal(line) for line in site.solution_only_lines(path)]
    assert secret or not nbs.read(path).cells, path
    shown_at = {}
    for m in walked[path.stem]:
        text = _normal(m["text"])
        leaked = [line for line in secret if line in text]
        if m["solution"] and not m["hidden"]:  # revealed: the key was pressed for it
            shown_at[m["solution"]] = m["index"]
            continue
        if m["solution"]:
            assert m["text"].strip().startswith("Solution"), "a solution slide without heading"
        assert not leaked, f"{path.stem} slide {m['index'] + 1} shows solution lines {leaked}"
    for title in site.exercise_titles(path):
        assert title in shown_at, f"{path.stem}: no solution slide for {title}"


# The English formula sheet and its translations (translations/<lang>/docs/).
SHEETS = [
    site.GUIDE / "formula-sheet.html",
    *sorted(nbs.ROOT.glob("translations/*/docs/formula-sheet.html")),
]


def _sheet_id(sheet: Path) -> str:
    return "en" if sheet.parent == site.GUIDE else sheet.parent.parent.name


def _fonts_for(sheet: Path) -> None:
    """A Chinese sheet measured without a CJK font would measure empty boxes, not the page."""
    if _sheet_id(sheet) == "zh" and not shutil.which("fc-list"):
        pytest.skip("no fontconfig to find a CJK font")
    if _sheet_id(sheet) == "zh":
        found = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout
        if not found.strip():
            message = (
                "no CJK font (apt-get install fonts-noto-cjk): the zh sheet cannot be measured"
            )
            if REQUIRE:
                pytest.fail(message, pytrace=False)
            pytest.skip(message)


@pytest.mark.parametrize("sheet", SHEETS, ids=_sheet_id)
@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_formula_sheet_prints_on_one_page(browser, paper, sheet):
    """Chromium's print to PDF (what `chromium --headless --print-to-pdf` does) gives 1 page."""
    _fonts_for(sheet)
    page = browser.new_page()
    try:
        page.goto(sheet.as_uri())
        pdf = page.pdf(format=paper)
    finally:
        page.close()
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
    assert pages == 1, (
        f"the formula sheet {sheet.name} ({_sheet_id(sheet)}) prints on {pages} {paper} pages"
    )


@pytest.mark.parametrize("sheet", SHEETS, ids=_sheet_id)
@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_formula_sheet_never_breaks_a_formula(browser, paper, sheet):
    """Laid out for print at the paper's width, every formula (``.m``) is on one line (an
    inline box broken across lines has one client rectangle per line) and inside its column."""
    _fonts_for(sheet)
    width = {"A4": 794, "Letter": 816}[paper]  # CSS px at 96 dpi
    page = browser.new_page(viewport={"width": width, "height": 1100})
    try:
        page.emulate_media(media="print")
        page.goto(sheet.as_uri())
        broken = page.evaluate(
            """() => [...document.querySelectorAll('.m')].filter(e => {
                 const r = e.getBoundingClientRect();
                 const c = e.closest('section').getBoundingClientRect();
                 return e.getClientRects().length > 1 || r.right > c.right + 1;
               }).map(e => e.textContent)"""
        )
    finally:
        page.close()
    assert not broken, f"formulas broken or overflowing on {paper}: {broken}"


# --------------------------------------------------------------------------- workshop decks

TEXT_SIZES = """() => {
  const slide = Reveal.getCurrentSlide();
  const small = [];
  const walker = document.createTreeWalker(slide, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, parent = node.parentElement;
    if (!node.textContent.trim() || parent.closest('aside.notes, .MathJax_CHTML, mjx-container'))
      continue;
    if (parent.closest('[class*="MJX"], script, style, svg')) continue;
    const r = parent.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    const px = parseFloat(getComputedStyle(parent).fontSize);
    if (px < 24) small.push(px + 'px: ' + node.textContent.trim().slice(0, 30));
  }
  return small;
}"""


@pytest.fixture(scope="module")
def workshop_walk(browser, decks):
    """``{tag: [per slide: {fit measurement, small texts, has notes}]}`` after MathJax settles."""
    from tools import workshop

    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
    context.set_default_timeout(60_000)
    page = context.new_page()
    found = {}
    try:
        for tag in workshop.PLANS:
            page.goto((decks / workshop.deck_file(tag)).as_uri())
            page.wait_for_function("window.Reveal && Reveal.isReady()")
            total = page.evaluate("Reveal.getTotalSlides()")
            seen = []
            for _ in range(4 * total):
                m = page.evaluate(MEASURE)
                m["small"] = page.evaluate(TEXT_SIZES)
                m["notes"] = page.evaluate(
                    "() => !!(Reveal.getCurrentSlide().querySelector('aside.notes')"
                    " || '').textContent.trim()"
                )
                m["total"] = total
                seen.append(m)
                if m["index"] >= total - 1 and not m["hidden"]:
                    break
                page.keyboard.press("ArrowRight")
            found[tag] = seen
    finally:
        context.close()
    return found


def _workshop_tags():
    from tools import workshop

    return list(workshop.PLANS)


@pytest.mark.parametrize("tag", _workshop_tags())
def test_workshop_deck_fits_and_its_text_is_24px(workshop_walk, tag):
    seen = workshop_walk[tag]
    assert [m["index"] for m in seen if not m["hidden"]] == list(range(seen[0]["total"]))
    too_big = [
        f"slide {m['index'] + 1}: {m['right']} x {m['bottom']} px ({_normal(m['text'])[:40]!r})"
        for m in seen
        if m["bottom"] > VIEWPORT["height"] or m["right"] > VIEWPORT["width"] or m["wide"]
    ]
    assert not too_big, f"{tag}: " + "; ".join(too_big)
    small = [f"slide {m['index'] + 1}: {m['small'][:2]}" for m in seen if m["small"]]
    assert not small, f"{tag}: text under 24 px: " + "; ".join(small[:5])


@pytest.mark.parametrize("tag", _workshop_tags())
def test_workshop_deck_has_notes_on_most_slides(workshop_walk, tag):
    """Speaker notes with the plan's minute marks, exercise and solution slides included."""
    slides_ = {m["index"]: m for m in workshop_walk[tag] if not m["hidden"]}
    with_notes = [i for i, m in slides_.items() if m["notes"]]
    assert len(with_notes) >= 0.8 * len(slides_), f"{tag}: {len(with_notes)}/{len(slides_)}"
    for kind in ("solution",):
        marked = [i for i, m in slides_.items() if m[kind]]
        assert marked and all(slides_[i]["notes"] for i in marked), f"{tag}: {kind} slides"
