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


# --------------------------------------------------------------------------- plans that add up
#
# Each plan's lesson segments name whole rows of the lesson pages' "Session plan" tables by
# their minutes there ("01 §1–§4 (page 0–45)"); a plan's row lasts exactly their sum.

PAGE_REF = re.compile(r"\(page (\d+)–(\d+)\)")
NAMED_EXERCISES = re.compile(r"Exercises? ((?:\d+\.\d+(?:\s*(?:,|–|-|and)\s*(?=\d))?)+)")


def _rows(text: str) -> list[list[str]]:
    return [
        [c.strip() for c in line.strip().strip("|").split("|")]
        for line in text.splitlines()
        if line.lstrip().startswith("|") and not re.fullmatch(r"\|?[\s:|-]+\|?", line.strip())
    ]


def _named_exercises(text: str) -> set[str]:
    return {e for m in NAMED_EXERCISES.findall(text) for e in _exercise_numbers(m)}


def lesson_plan_rows(number: str) -> list[tuple[int, int, str]]:
    """``[(start, end, row text), ...]`` of lesson ``number``'s page "Session plan" table."""
    name = next(n for n in NAMES if n.startswith(number))
    text = (GUIDE / f"{name}.md").read_text(encoding="utf-8")
    table = text.split("## Session plan")[1].split("\n## ")[0]
    found = []
    for row in _rows(table):
        span = re.fullmatch(r"(\d+)–(\d+)", row[0])
        if span:
            found.append((int(span.group(1)), int(span.group(2)), " ".join(row[1:])))
    return found


def segment_refs(cell: str) -> list[tuple[str, int, int]]:
    """``[("01", 0, 45), ...]``: the lesson rows a plan's cell names, lesson inherited."""
    refs, lesson = [], None
    for part in cell.split(";"):
        named = re.match(r"\s*(\d\d)\b", part)
        lesson = named.group(1) if named else lesson
        for start, end in PAGE_REF.findall(part):
            assert lesson, f"a page range without a lesson number: {part!r}"
            refs.append((lesson, int(start), int(end)))
    return refs


def _page_minutes(lesson: str, start: int, end: int) -> tuple[int, set[str]]:
    """Minutes of the named rows (whole rows only) and the exercises those rows teach."""
    rows = lesson_plan_rows(lesson)
    assert rows, f"lesson {lesson}'s page has no session plan table"
    assert all(a[1] == b[0] for a, b in zip(rows, rows[1:])), f"lesson {lesson}: gaps {rows}"
    starts, ends = {r[0] for r in rows}, {r[1] for r in rows}
    assert start in starts and end in ends and start < end, (
        f"lesson {lesson} (page {start}–{end}) is not a run of whole rows of its page's plan "
        f"(rows start at {sorted(starts)}, end at {sorted(ends)})"
    )
    taught = [r for r in rows if start <= r[0] and r[1] <= end]
    return end - start, set().union(*(_named_exercises(r[2]) for r in taught))


def _plan_block(title: str) -> str:
    text = PLANS.read_text(encoding="utf-8")
    return text.split(f"## {title}")[1].split("\n## ")[0]


def timed_plans() -> dict[str, tuple[int, list[list[str]], str]]:
    """``{plan name: (slot minutes, table rows, text after the table)}`` for A and B."""
    plans = {"Plan A": (180, _plan_block("Plan A"))}
    for n, session in enumerate(_plan_block("Plan B").split("### Session")[1:], 1):
        plans[f"Plan B session {n}"] = (90, session)
    return {
        name: (slot, [r for r in _rows(block) if re.fullmatch(r"\d+–\d+", r[0])], block)
        for name, (slot, block) in plans.items()
    }


@pytest.mark.parametrize("plan", sorted(timed_plans()) if PLANS.exists() else [])
def test_each_plan_fits_its_slot_with_a_question_buffer(plan):
    slot, rows, block = timed_plans()[plan]
    tally = {"teaching": 0, "break": 0, "questions": 0}
    for row in rows:
        start, end = map(int, row[0].split("–"))
        what, segments, live = row[1], row[2], row[3] if len(row) > 3 else ""
        refs = segment_refs(segments)
        if refs:
            minutes, taught = 0, set()
            for ref in refs:
                page_minutes, exercises_there = _page_minutes(*ref)
                minutes += page_minutes
                taught |= exercises_there
            assert end - start == minutes, (
                f"{plan}, row {row[0]} ({what}): {end - start} minutes planned, but the lesson "
                f"pages' rows it names ({refs}) take {minutes}"
            )
            live_here = _exercise_numbers(live)
            assert live_here <= taught, (
                f"{plan}, row {row[0]}: live exercises {sorted(live_here - taught)} are not in "
                f"the lesson rows it names {refs}"
            )
            tally["teaching"] += minutes
        elif "Questions" in what:
            tally["questions"] += end - start
        elif "Break" in what:
            tally["break"] += end - start
        elif "quiz" in what.lower():
            assert end - start == 5, f"{plan}: the quiz takes 5 minutes, not {end - start}"
            tally["teaching"] += 5
        else:
            pytest.fail(
                f"{plan}, row {row[0]} ({what}): neither lesson rows, quiz, break nor buffer"
            )
    assert sum(tally.values()) == slot, f"{plan}: {tally} does not add up to {slot}"
    assert tally["questions"] >= 10 * slot // 90, (
        f"{plan}: {tally['questions']} minutes of questions; the guide asks for at least 10 "
        "per 90 minutes"
    )
    stated = "Teaching {teaching} minutes, break{s} {break}, questions {questions} (buffer)"
    sentence = stated.format(s="s" if tally["break"] > 5 else "", **tally)
    assert sentence in " ".join(block.split()), f"{plan} should state: {sentence!r}"


@pytest.mark.parametrize("plan", sorted(timed_plans()) if PLANS.exists() else [])
def test_plans_have_lessons_with_hands_on_time(plan):
    """Every lesson a plan teaches has a live exercise; the workshop formats do 3.1 and 4.1."""
    _, rows, _ = timed_plans()[plan]
    for row in rows:
        if segment_refs(row[2]):
            assert _exercise_numbers(row[3]), f"{plan}, row {row[0]}: no hands-on exercise"
    live = set().union(*(_exercise_numbers(r[3]) for r in rows if len(r) > 3))
    if plan == "Plan A":
        assert {"3.1", "4.1"} <= live, f"{plan}: the Jacobian and the conversion are not live"
    if plan.startswith("Plan B"):
        both = set().union(
            *(_exercise_numbers(r[3]) for rs in timed_plans().values() for r in rs[1] if len(r) > 3)
        )
        assert {"3.1", "4.1"} <= both


def test_full_course_sessions_add_up():
    rows = [r for r in _rows(_plan_block("Plan C")) if re.fullmatch(r"\d+", r[0])]
    assert rows
    header = next(r for r in _rows(_plan_block("Plan C")) if r[0] == "Session")
    col = {name: header.index(name) for name in ("Teaching", "Break", "Questions")}
    live_col = header.index("Live exercises")
    pages: dict[str, list[tuple[int, int]]] = {}
    for row in rows:
        refs = segment_refs(row[1])
        minutes, taught = 0, set()
        for ref in refs:
            page_minutes, exercises_there = _page_minutes(*ref)
            minutes += page_minutes
            taught |= exercises_there
            pages.setdefault(ref[0], []).append(ref[1:])
        minutes += 5 if "post-quiz" in row[1] else 0
        teaching, pause, questions = (int(row[col[k]]) for k in ("Teaching", "Break", "Questions"))
        assert teaching == minutes, f"session {row[0]}: teaching {teaching}, its rows {minutes}"
        assert teaching + pause + questions == 90, f"session {row[0]} does not fill 90 minutes"
        assert questions >= 10, f"session {row[0]}: only {questions} minutes for questions"
        live = _exercise_numbers(row[live_col])
        assert live <= taught, f"session {row[0]}: live {sorted(live - taught)} not taught there"
    for number in (n[:2] for n in NAMES):  # every row of every lesson page, exactly once
        spans = sorted(pages.get(number, []))
        rows_there = lesson_plan_rows(number)
        assert spans and spans[0][0] == 0 and spans[-1][1] == rows_there[-1][1], (
            f"the full course does not teach all of lesson {number}: {spans}"
        )
        assert all(a[1] == b[0] for a, b in zip(spans, spans[1:])), (number, spans)


def test_segment_refs_parse_and_reject_partial_rows():
    assert segment_refs("01 §1 (page 0–10); §3 (page 10–30); 02 §1 (page 0–8)") == [
        ("01", 0, 10),
        ("01", 10, 30),
        ("02", 0, 8),
    ]
    with pytest.raises(AssertionError, match="whole rows"):
        _page_minutes("01", 0, 12)


# --------------------------------------------------------------------------- classroom kit

KIT = (
    "learner-setup.md",
    "helpers-in-the-room.md",
    "day-of-checklist.md",
    "post-workshop-survey.md",
)


@pytest.mark.parametrize("page", KIT)
def test_classroom_kit_pages_exist_and_are_linked_from_the_guide(page):
    assert (GUIDE / page).is_file(), page
    assert f"]({page})" in (GUIDE / "README.md").read_text(encoding="utf-8"), page


REPORT = re.compile(r"<!-- report: (.+?) -->\n```text\n(.*?)\n```", re.S)


def test_helpers_page_quotes_what_the_checks_print():
    """Each quoted report is the real check's output on that catalogued wrong answer."""
    from tools import ta_messages

    text = (GUIDE / "helpers-in-the-room.md").read_text(encoding="utf-8")
    blocks = REPORT.findall(text)
    assert len(blocks) >= 10
    quoted_exercises = set()
    for spec, quoted in blocks:
        real = [ln.rstrip() for ln in ta_messages.report(spec).splitlines()]
        for line in quoted.splitlines():
            assert line.rstrip() in real, f"{spec}: the check no longer prints {line!r}"
        quoted_exercises |= _exercise_numbers(quoted.splitlines()[0])
    plan_a = _plan_block("Plan A")
    live = set().union(*(_exercise_numbers(r[3]) for r in _rows(plan_a) if len(r) > 3))
    assert live - {"3.4"} <= quoted_exercises, sorted(live - quoted_exercises)


def test_survey_items_quote_lesson_objectives():
    text = (GUIDE / "post-workshop-survey.md").read_text(encoding="utf-8")
    found = re.findall(r'lesson (\d\d): "([^"]+)"', text)
    assert len(found) >= 6
    for lesson, phrase in found:
        name = next(n for n in NAMES if n.startswith(lesson))
        assert phrase.lower() in " ".join(INFOS[name].objectives).lower(), (lesson, phrase)


def test_learner_setup_states_the_install_checks_count():
    from tools import check_install

    text = (GUIDE / "learner-setup.md").read_text(encoding="utf-8")
    count = 4 + len(check_install.pins())  # python, each pin, helpers, kernel, widgets
    assert f"all {count} checks passed" in text
