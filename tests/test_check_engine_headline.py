"""The headline: one writer (what every check prints first) and one reader (tools.progress)."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import checks
from helpers.checks._core import STATUS_MARKS, Headline, headline, parse_headline

TITLES = ["Exercise 1.1 sigmoid", "Exercise 5.4 predict_multilabel", "Exercise 12.10 big_one"]
DETAILS = [
    "passed all 9 cases (each within relative error 1e-07 of the reference)",
    "failed on case 3 of 9, large inputs: exp overflows",
    "not done yet. Replace `raise NotImplementedError` with your code: then run it.",
    "",
]


@pytest.mark.parametrize("status", sorted(STATUS_MARKS))
@pytest.mark.parametrize("title", TITLES)
@pytest.mark.parametrize("detail", DETAILS)
def test_writer_and_reader_round_trip(status, title, detail):
    line = headline(status, title, detail)
    assert line.startswith(STATUS_MARKS[status] + " ")
    parsed = parse_headline(line)
    number, name = title.split()[1], title.split()[2]
    assert parsed == Headline(status, title, number, name, detail)
    assert parse_headline(line + "\n") == parsed


def test_a_title_that_names_no_exercise():
    parsed = parse_headline(headline("failed", "check", "not graded, because x"))
    assert (parsed.status, parsed.title, parsed.exercise, parsed.name) == (
        "failed",
        "check",
        "",
        "check",
    )


@pytest.mark.parametrize(
    "line",
    [
        "",
        "Exercise 1.1 sigmoid: passed",
        "    hint:     ✅ not at the start",
        "❌ the check above failed (a graded check cell scores 0 for it)",
        "✅",
        None,
        3,
    ],
)
def test_other_lines_are_not_headlines(line):
    assert parse_headline(line) is None


def test_unknown_status_is_refused():
    with pytest.raises(ValueError, match="status"):
        headline("passing", "Exercise 1.1 sigmoid", "x")


def _first_line(capsys):
    return capsys.readouterr().out.splitlines()[0]


def test_what_the_checks_print_reads_back(capsys):
    from helpers.sigmoid import sigmoid

    checks.check_sigmoid(sigmoid)
    passed = parse_headline(_first_line(capsys))
    assert (passed.status, passed.exercise, passed.name) == ("passed", "1.1", "sigmoid")

    checks.check_sigmoid(lambda x: 1 / (1 + np.exp(-x)))
    failed = parse_headline(_first_line(capsys))
    assert (failed.status, failed.exercise, failed.name) == ("failed", "1.1", "sigmoid")
    assert failed.detail.startswith("failed on case")

    def stub(x):
        raise NotImplementedError

    checks.check_sigmoid(stub)
    not_done = parse_headline(_first_line(capsys))
    assert (not_done.status, not_done.exercise) == ("not_done", "1.1")

    checks.check_my_choices(lambda: {})  # a judge prints the same headline
    judged = parse_headline(_first_line(capsys))
    assert (judged.status, judged.exercise, judged.name) == ("failed", "5.1", "my_choices")
