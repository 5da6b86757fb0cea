"""Extraction of the translatable texts of a notebook, and validation of a translation."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections import Counter
from dataclasses import dataclass

from .. import webpage
from .common import (
    STRUCTURAL_COMMENT,
    STUDENT_KIND,
)

# ---------------------------------------------------------------- extraction


@dataclass(frozen=True)
class Unit:
    """One translatable text: ``ctxt`` is its cell id, ``kind`` markdown/comment/print/docstring."""

    ctxt: str
    msgid: str
    kind: str


def _readable_literals(source: str) -> set[tuple[int, int]]:
    """(row, character column) of the string literals a learner reads: print() args, docstrings."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython magics: comments only
        return set()
    lines = source.splitlines()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id == "print":
                found += [a for a in node.args if isinstance(a, (ast.Constant, ast.JoinedStr))]
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Module)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.append(body[0].value)
    spots = set()
    for lit in found:
        if isinstance(lit, ast.Constant) and not isinstance(lit.value, str):
            continue
        line = lines[lit.lineno - 1].encode("utf-8")
        spots.add((lit.lineno, len(line[: lit.col_offset].decode("utf-8"))))
    return spots


_STRING_PARTS = re.compile(r"^([A-Za-z]*)('''|\"\"\"|'|\")(.*)\2$", re.DOTALL)


def _code_texts(source: str):
    """Yield ``(start, end, prefix, text, suffix, kind)`` for every translatable token."""
    spots = _readable_literals(source)
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return
    for tok in tokens:
        if tok.type == tokenize.COMMENT:
            body = tok.string[1:].strip()
            if not body or STRUCTURAL_COMMENT.match(tok.string) or tok.string.startswith("#!"):
                continue
            lead = tok.string[: len(tok.string) - len(tok.string[1:].lstrip())]
            yield tok.start, tok.end, lead, tok.string[len(lead) :].rstrip(), "", "comment"
        elif tok.type == tokenize.STRING and tok.start in spots:
            match = _STRING_PARTS.match(tok.string)
            if match is None:
                continue
            prefix, quote, text = match.groups()
            letters = re.sub(r"\{[^{}]*\}", "", text)
            if not re.search(r"[^\W\d_]", letters):
                continue
            kind = "docstring" if quote * 1 in ('"""', "'''") else "print"
            yield tok.start, tok.end, prefix + quote, text, quote, kind


def extract(nb) -> list[Unit]:
    """Every translatable text of a notebook, in order, without duplicates.

    A markdown cell that the student site rewords (``webpage.STUDENT_REWRITES``: lesson 00's
    pointers to the solutions) has a second entry, of kind ``STUDENT_KIND``, with that wording.
    """
    units: list[Unit] = []
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.source.strip():
            units.append(Unit(cell.id, cell.source, "markdown"))
            student = webpage.for_students(cell.source)
            if student != cell.source:  # the student site's wording of this cell (webpage.py)
                units.append(Unit(cell.id, student, STUDENT_KIND))
        elif cell.cell_type == "code":
            for *_, text, _suffix, kind in _code_texts(cell.source):
                unit = Unit(cell.id, text, kind)
                if unit not in units:
                    units.append(unit)
    return units


# ---------------------------------------------------------------- validation

_MATH = re.compile(r"\$\$.+?\$\$|\$[^$\n]+?\$", re.DOTALL)
_CODE = re.compile(r"`[^`\n]+`")
_LINK = re.compile(r"\]\(([^)\s]+)\)|href=\"([^\"]+)\"")
_FIELD = re.compile(r"\{[A-Za-z_][^{}]*\}")
_DETAILS = re.compile(r"</?(?:details|summary)\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)\b[^>]*>")
_NUMBER = re.compile(r"(?<![A-Za-z0-9_.])\d+(?:\.\d+)?")


def invariants(text: str) -> dict[str, object]:
    """What a translation must keep: maths, code spans, links, fields, HTML tags, numbers."""
    rest = _CODE.sub(" ", _MATH.sub(" ", text))
    return {
        "maths ($...$)": Counter(_MATH.findall(text)),
        "code spans (`...`)": Counter(_CODE.findall(_MATH.sub(" ", text))),
        "link targets": Counter(a or b for a, b in _LINK.findall(text)),
        "{fields}": Counter(_FIELD.findall(rest)),
        "<details>/<summary> structure": _DETAILS.findall(text),
        "HTML tags": Counter(_TAG.findall(_DETAILS.sub(" ", rest))),
        "numbers": Counter(_NUMBER.findall(_LINK.sub(" ", _TAG.sub(" ", rest)))),
    }


_FENCE = re.compile(r"^```.*?^```", re.DOTALL | re.MULTILINE)
_URL = re.compile(r"<?https?://\S+")
SCRIPTS = {"zh": re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]"), "ru": re.compile(r"[\u0400-\u04ff]")}
MIN_SHARE = 0.5  # of a translated markdown cell's letters, in the language's own script


def letters_in_language(text: str, lang: str) -> tuple[int, int]:
    """(letters in ``lang``'s script, all letters) of the prose of ``text``: maths, code
    spans and blocks, link targets, URLs and HTML tags are not prose and are not counted."""
    prose = _FENCE.sub(" ", text)
    for pattern in (_MATH, _CODE, _LINK, _URL, _TAG):
        prose = pattern.sub(" ", prose)
    letters = [ch for ch in prose if ch.isalpha()]
    return sum(1 for ch in letters if SCRIPTS[lang].match(ch)), len(letters)


def validate(msgid: str, msgstr: str) -> list[str]:
    """The invariants ``msgstr`` breaks, as readable lines; empty when it keeps them all."""
    want, got = invariants(msgid), invariants(msgstr)
    problems = []
    for key, value in want.items():
        if got[key] != value:
            if isinstance(value, Counter):
                lost = sorted((value - got[key]).elements())
                added = sorted((got[key] - value).elements())
                problems.append(f"{key}: lost {lost}, added {added}")
            else:
                problems.append(f"{key}: {value} became {got[key]}")
    return problems
