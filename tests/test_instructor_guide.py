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


# --------------------------------------------------------------------------- teaching a class

PLANS = GUIDE / "session-plans.md"
QUIZ = GUIDE / "quiz.md"
SELF_CHECK = GUIDE / "prerequisite-self-check.md"
EXERCISE_NUMBER = re.compile(r"(?<![\d.])(\d+)\.(\d+)(?:\s*[–-]\s*(?:\1\.)?(\d+))?(?![\d.])")


def _exercise_numbers(text: str) -> set[str]:
    """``{"1.3", "1.4", ...}`` from "1.3", "Exercise 1.3" and ranges like "1.3–1.6"."""
    found = set()
    for major, first, last in EXERCISE_NUMBER.findall(text):
        for minor in range(int(first), int(last or first) + 1):
            found.add(f"{major}.{minor}")
    return found


def _plan_sections() -> dict[str, str]:
    text = PLANS.read_text(encoding="utf-8")
    common = text.split("\n## ")[0]
    return {
        part.split("\n")[0]: common + "\n" + part
        for part in text.split("\n## ")[1:]
        if part.startswith("Plan ")
    }


def test_three_session_plans():
    plans = _plan_sections()
    titles = " | ".join(plans)
    for kind in ("3-hour workshop", "two sessions of 90 minutes", "full course"):
        assert kind in titles, f"session-plans.md has no plan for a {kind}: {titles}"
    for title, text in plans.items():
        assert "Break" in text or "break" in text, f"{title}: no breaks"
        assert "Homework" in text, f"{title}: nothing set as homework"
    for title in (t for t in plans if "full course" not in t):
        assert "**Cut**" in plans[title], f"{title}: does not say what is cut"


@pytest.mark.parametrize("plan", sorted(_plan_sections()) if PLANS.exists() else [])
def test_every_exercise_is_live_or_homework_in_each_plan(plan):
    """Each plan places every exercise of every lesson (06 and later included)."""
    placed = _exercise_numbers(_plan_sections()[plan])
    missing = sorted(set(exercises()) - placed)
    assert not missing, f"{plan}: exercises neither live nor homework: {missing}"


def test_full_course_plan_teaches_every_lesson():
    plan = next(t for k, t in _plan_sections().items() if "full course" in k)
    table = plan.split("| Session |")[1]
    for name in NAMES:
        number = name[:2]
        assert re.search(rf"\b{number}\b", table), f"the full-course plan never teaches {name}"


def test_plan_minutes_add_up():
    """Plan A's rows cover 0-180 without gaps; plan B's sessions each 0-90."""
    text = PLANS.read_text(encoding="utf-8")
    for block, end in ((text.split("## Plan A")[1].split("## Plan B")[0], 180),):
        spans = [tuple(map(int, m)) for m in re.findall(r"^\| (\d+)–(\d+) \|", block, re.M)]
        assert spans[0][0] == 0 and spans[-1][1] == end
        assert all(a[1] == b[0] for a, b in zip(spans, spans[1:])), spans
    for session in text.split("## Plan B")[1].split("## Plan C")[0].split("### Session")[1:]:
        spans = [tuple(map(int, m)) for m in re.findall(r"^\| (\d+)–(\d+) \|", session, re.M)]
        assert spans[0][0] == 0 and spans[-1][1] == 90, spans
        assert all(a[1] == b[0] for a, b in zip(spans, spans[1:])), spans


def test_course_total_is_the_sum_of_the_notebooks():
    total = sum(max(info.minutes) for info in INFOS.values())
    readme = (GUIDE / "README.md").read_text(encoding="utf-8")
    assert f"({total}\nminutes in all" in readme or f"({total} minutes in all" in readme, (
        f"docs/instructors/README.md should say the lessons take {total} minutes in all"
    )


def test_quiz_answers_map_to_lesson_objectives():
    text = QUIZ.read_text(encoding="utf-8")
    questions = re.findall(
        r"^(\d+)\. ", text.split("## Questions")[1].split("## Answer key")[0], re.M
    )
    rows = re.findall(r"^\| (\d+) \|.*\| lesson (\d\d): \"([^\"]+)\" \|$", text, re.M)
    assert [r[0] for r in rows] == questions, "every question needs exactly one answer row"
    covered = set()
    for number, lesson, phrase in rows:
        name = next(n for n in NAMES if n.startswith(lesson))
        objectives = " ".join(INFOS[name].objectives).lower()
        assert phrase.lower() in objectives, (
            f"quiz answer {number}: {phrase!r} is not in lesson {lesson}'s objectives"
        )
        covered.add(lesson)
    assert {"01", "02", "03", "04", "05"} <= covered


def test_self_check_folds_every_answer():
    text = SELF_CHECK.read_text(encoding="utf-8")
    groups = text.split("\n## ")[1:]
    assert groups
    questions = 0
    for group in groups:
        asked = re.findall(r"^(\d+)\. ", group.split("<details>")[0], re.M)
        answered = re.findall(r"^(\d+)\. ", group.split("<details>")[1], re.M)
        assert asked and asked == answered, (
            f"group {group[:20]!r}: questions {asked}, answers {answered}"
        )
        questions += len(asked)
    assert 8 <= questions <= 20, "a 10-minute self-check"
    links = [t for t in LINK.findall(text) if not re.match(r"[a-z]+:", t)]
    assert set(links) <= {"formula-sheet.html"}, "learner pages link only to learner pages"
