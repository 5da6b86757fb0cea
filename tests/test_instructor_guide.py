"""The instructor guide (docs/instructors/) agrees with the notebooks it describes.

- every lesson in solutions/ has a guide page ``docs/instructors/NN_name.md``, and every
  ``NN_*.md`` page is a lesson;
- every notebook the guide names (``NN_name.ipynb``) exists, in solutions/ and lessons/;
- every ``Exercise N.M`` the guide names exists, with the name the notebook gives it
  (``Exercise 1.2: sigmoid_grad`` or ``Exercise 1.2 (`sigmoid_grad`)``);
- every exercise of a lesson is named on that lesson's page;
- the times in the course-at-a-glance table, in the top-level README's course map and
  on each page are the notebook's stated "Estimated time";
- every relative link in the guide resolves to a file in the repository;
- every decimal number a lesson page quotes (outside "Extra exercises", which pose new
  problems) is printed or written in that lesson's notebook or its checks module, to the
  precision quoted: when a lesson's outputs change, its page must change too.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tools import notebooks as nbs
from tools import site

GUIDE = nbs.ROOT / "docs" / "instructors"
PATHS = nbs.solution_paths()
NAMES = [p.stem for p in PATHS]
INFOS = {p.stem: site.lesson_info(p) for p in PATHS}

NOTEBOOK_REF = re.compile(r"\b(\d\d_[a-z0-9_]+)\.ipynb\b")
EXERCISE_REF = re.compile(r"Exercise (\d+\.\d+)(?::\s*`?([A-Za-z_]\w*)`?|\s+\(`([A-Za-z_]\w*)`\))?")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def guide_pages() -> list[Path]:
    return sorted(GUIDE.glob("*.md"))


def exercises() -> dict[str, str]:
    """``{"1.2": "sigmoid_grad", ...}`` from the ``# Exercise N.M: name`` cells."""
    found = {}
    for info in INFOS.values():
        for title in info.exercises:
            number, name = re.match(r"Exercise (\d+\.\d+): (\S+)", title).groups()
            found[number] = name
    return found


def test_guide_exists():
    assert (GUIDE / "README.md").is_file()
    assert (GUIDE / "running-at-scale.md").is_file()


@pytest.mark.parametrize("name", NAMES)
def test_every_lesson_has_a_page(name):
    assert (GUIDE / f"{name}.md").is_file(), f"docs/instructors/{name}.md is missing"


def test_every_lesson_page_is_a_lesson():
    pages = {p.stem for p in guide_pages() if re.match(r"\d\d_", p.name)}
    assert pages <= set(NAMES), f"guide pages without a notebook: {sorted(pages - set(NAMES))}"


@pytest.mark.parametrize("page", guide_pages(), ids=lambda p: p.name)
def test_named_notebooks_exist(page):
    for stem in NOTEBOOK_REF.findall(page.read_text(encoding="utf-8")):
        assert stem in NAMES, f"{page.name} names {stem}.ipynb, which is not in solutions/"
        assert (nbs.LESSONS / f"{stem}.ipynb").is_file(), f"lessons/{stem}.ipynb is missing"


@pytest.mark.parametrize("page", guide_pages(), ids=lambda p: p.name)
def test_named_exercises_exist_with_their_names(page):
    known = exercises()
    for number, name_a, name_b in EXERCISE_REF.findall(page.read_text(encoding="utf-8")):
        assert number in known, f"{page.name} names Exercise {number}, which no notebook has"
        name = name_a or name_b
        if name:
            assert name == known[number], (
                f"{page.name} calls Exercise {number} `{name}`; the notebook says `{known[number]}`"
            )


@pytest.mark.parametrize("name", NAMES)
def test_page_covers_every_exercise_of_its_lesson(name):
    page = GUIDE / f"{name}.md"
    if not page.is_file():
        pytest.skip("no page (reported by test_every_lesson_has_a_page)")
    text = page.read_text(encoding="utf-8")
    for title in INFOS[name].exercises:
        number, function = re.match(r"Exercise (\d+\.\d+): (\S+)", title).groups()
        assert f"Exercise {number}" in text, f"{page.name} does not mention Exercise {number}"
        assert function in text, f"{page.name} does not name `{function}`"


def _table_times(readme: Path) -> dict[str, tuple[int, ...]]:
    """Lesson number -> minutes, from a README table's "Time" column."""
    rows = [
        [c.strip() for c in line.strip().strip("|").split("|")]
        for line in readme.read_text(encoding="utf-8").splitlines()
        if line.lstrip().startswith("|")
    ]
    header = next(r for r in rows if "Time" in r)
    column = header.index("Time")
    return {
        r[0].strip("*"): site.minutes(r[column])
        for r in rows
        if re.fullmatch(r"\**\d\d\**", r[0]) and len(r) > column
    }


@pytest.mark.parametrize("name", NAMES)
def test_times_agree_with_the_notebook(name):
    info = INFOS[name]
    assert info.minutes, f"{name}: no 'Estimated time' in its first cell"
    for readme in (GUIDE / "README.md", nbs.ROOT / "README.md"):
        table = _table_times(readme)
        assert table.get(info.number) == info.minutes, (
            f"{readme.relative_to(nbs.ROOT)} gives {table.get(info.number)} minutes for {name}; "
            f"the notebook says {info.time!r}"
        )
    page = GUIDE / f"{name}.md"
    if page.is_file():
        line = next(
            (ln for ln in page.read_text(encoding="utf-8").splitlines() if "time" in ln.lower()),
            "",
        )
        assert site.minutes(line) == info.minutes, (
            f"{page.name}: first line about time {line!r} disagrees with {info.time!r}"
        )


@pytest.mark.parametrize(
    "page",
    [*guide_pages(), nbs.ROOT / "README.md"],
    ids=lambda p: str(p.relative_to(nbs.ROOT)),
)
def test_relative_links_resolve(page):
    for target in LINK.findall(page.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue
        path = (page.parent / target.split("#")[0]).resolve()
        assert path.exists(), f"{page.name} links to {target}, which does not exist"


NUMBER = re.compile(r"(?<![\w.])-?(?:\d+\.\d+(?:e[-+]?\d+)?|\d+e[-+]?\d+)")


def _numbers(text: str) -> list[str]:
    text = text.replace("−", "-").replace("\u2009", "")
    text = re.sub(r"10\^\{?(-?\d+)\}?", r"1e\1", text)  # LaTeX 10^{-12} -> 1e-12
    return NUMBER.findall(text)


def _notebook_numbers(name: str) -> list[float]:
    nb = nbs.read(nbs.SOLUTIONS / f"{name}.ipynb")
    parts = []
    for cell in nb.cells:
        parts.append(cell.source)
        for out in cell.get("outputs", []):
            parts.append(out.get("text", "") or out.get("data", {}).get("text/plain", ""))
    checks = nbs.ROOT / "helpers" / "checks" / f"lesson{name[:2]}.py"
    if checks.exists():
        parts.append(checks.read_text(encoding="utf-8"))
    return [float(t) for t in _numbers("\n".join(parts))]


def _agrees(token: str, pool: list[float]) -> bool:
    """``token`` (as quoted, e.g. "0.0397" or "3.875e-07") is some pool value rounded."""
    mantissa, _, exponent = token.partition("e")
    decimals = len(mantissa.partition(".")[2])
    tol = 0.5 * 10.0 ** (int(exponent or 0) - decimals) * (1 + 1e-9)
    value = abs(float(token))
    return any(abs(value - abs(p)) <= tol for p in pool)


@pytest.mark.parametrize("name", NAMES)
def test_quoted_numbers_come_from_the_notebook(name):
    page = GUIDE / f"{name}.md"
    if not page.is_file():
        pytest.skip("no page (reported by test_every_lesson_has_a_page)")
    quoted = page.read_text(encoding="utf-8").split("## Extra exercises")[0]
    pool = _notebook_numbers(name)
    stale = [t for t in _numbers(quoted) if not _agrees(t, pool)]
    assert not stale, (
        f"{page.name} quotes {stale}, which neither solutions/{name}.ipynb nor its checks "
        "print or state: update the page"
    )
