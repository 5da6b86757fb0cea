"""Extraction of the translatable texts of a notebook, and validation of a translation."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections import Counter
from dataclasses import dataclass, field

from .. import webpage
from .common import (
    STRUCTURAL_COMMENT,
    STUDENT_KIND,
)

# ---------------------------------------------------------------- extraction


@dataclass(frozen=True)
class Unit:
    """One translatable text: ``ctxt`` is its cell id, ``kind`` markdown/comment/print/docstring.

    ``wrap`` is what surrounds a string's text in the code (``('f"', '"')``): a translation
    must still be a valid literal between them. It is not part of the unit's identity.
    """

    ctxt: str
    msgid: str
    kind: str
    wrap: tuple[str, str] = field(default=("", ""), compare=False)


def _char_col(lines: list[str], row: int, byte_col: int) -> int:
    return len(lines[row - 1].encode("utf-8")[:byte_col].decode("utf-8"))


def _pieces(node) -> list:
    """The string literals of a printed expression: ``"a" + f"b {x}"``, ``"a" if c else "b"``,
    ``"{} items".format(n)``; not strings used as values (``fmt(x, "float")``)."""
    if isinstance(node, (ast.Constant, ast.JoinedStr)):
        return [node] if isinstance(node, ast.JoinedStr) or isinstance(node.value, str) else []
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _pieces(node.left) + _pieces(node.right)
    if isinstance(node, ast.IfExp):
        return _pieces(node.body) + _pieces(node.orelse)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return _pieces(node.func.value) if node.func.attr == "format" else []
    return []


def _readable_spans(source: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """(start, end) as (row, character column) of each string a learner reads: the pieces of
    print() arguments, and docstrings. An implicitly concatenated literal is one span."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython magics: comments only
        return []
    lines = source.splitlines()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id == "print":
                found += [piece for arg in node.args for piece in _pieces(arg)]
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Module)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                if isinstance(body[0].value.value, str):
                    found.append(body[0].value)
    return [
        (
            (lit.lineno, _char_col(lines, lit.lineno, lit.col_offset)),
            (lit.end_lineno, _char_col(lines, lit.end_lineno, lit.end_col_offset)),
        )
        for lit in found
    ]


def _string_tokens(source: str, tokens: list):
    """``(start, end, text)`` of every string literal token, f-strings whole on every Python
    (3.12 tokenizes an f-string as FSTRING_START ... FSTRING_END)."""
    lines = source.splitlines(keepends=True)
    fstart, fend = getattr(tokenize, "FSTRING_START", -1), getattr(tokenize, "FSTRING_END", -1)
    depth, begin = 0, None
    for tok in tokens:
        if tok.type == tokenize.STRING and depth == 0:
            yield tok.start, tok.end, tok.string
        elif tok.type == fstart:
            begin = tok.start if depth == 0 else begin
            depth += 1
        elif tok.type == fend:
            depth -= 1
            if depth == 0:
                (srow, scol), (erow, ecol) = begin, tok.end
                if srow == erow:
                    text = lines[srow - 1][scol:ecol]
                else:
                    text = lines[srow - 1][scol:] + "".join(lines[srow : erow - 1])
                    text += lines[erow - 1][:ecol]
                yield begin, tok.end, text


_STRING_PARTS = re.compile(r"^([A-Za-z]*)('''|\"\"\"|'|\")(.*)\2$", re.DOTALL)


def _code_texts(source: str) -> list:
    """``(start, end, prefix, text, suffix, kind)`` of every translatable token, in order."""
    spans = _readable_spans(source)
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return []
    found = []
    for tok in tokens:
        if tok.type == tokenize.COMMENT:
            body = tok.string[1:].strip()
            if not body or STRUCTURAL_COMMENT.match(tok.string) or tok.string.startswith("#!"):
                continue
            lead = tok.string[: len(tok.string) - len(tok.string[1:].lstrip())]
            found.append(
                (tok.start, tok.end, lead, tok.string[len(lead) :].rstrip(), "", "comment")
            )
    for start, end, string in _string_tokens(source, tokens):
        match = _STRING_PARTS.match(string)
        if match is None or not any(a <= start < b for a, b in spans):
            continue
        prefix, quote, text = match.groups()
        if not re.search(r"[^\W\d_]", re.sub(r"\{[^{}]*\}", "", text)):
            continue  # no letters outside {fields}: nothing to translate
        kind = "docstring" if quote in ('"""', "'''") else "print"
        found.append((start, end, prefix + quote, text, quote, kind))
    return sorted(found, key=lambda t: t[0])


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
            for _start, _end, prefix, text, suffix, kind in _code_texts(cell.source):
                unit = Unit(
                    cell.id, text, kind, (prefix, suffix) if kind != "comment" else ("", "")
                )
                if unit not in units:
                    units.append(unit)
    return units


# ---------------------------------------------------------------- validation

_MATH = re.compile(r"\$\$.+?\$\$|\$[^$\n]+?\$", re.DOTALL)
_CODE = re.compile(r"`[^`\n]+`")
_LINK = re.compile(r"\]\(([^)\s]+)\)|href=\"([^\"]+)\"")
_FIELD = re.compile(r"\{[A-Za-z_][^{}]*\}")
_DETAILS = re.compile(r"</?(?:details|summary)\b[^>]*>", re.IGNORECASE)
# HTML the lessons use (a "<a list whose repr raised ...>" in a message is not a tag)
_TAG = re.compile(
    r"</?(a(?=\s+href)|abbr|b|br|code|div|em|hr|i|img|kbd|li|mark|ol|p|pre|s|samp|small|span|"
    r"strong|sub|sup|table|td|th|tr|u|ul|var)\b[^>]*>",
    re.IGNORECASE,
)
_TEXT = re.compile(r"\\text\{[^{}]*\}")  # words inside maths: translated, the maths kept
_NUMBER = re.compile(r"(?<![A-Za-z0-9_.])\d+(?:\.\d+)?")


def invariants(text: str) -> dict[str, object]:
    """What a translation must keep: maths (the words of its ``\\text{...}`` may change), code
    spans, links, fields, HTML tags, numbers."""
    rest = _CODE.sub(" ", _MATH.sub(" ", text))
    return {
        "maths ($...$)": Counter(_TEXT.sub(r"\\text{}", m) for m in _MATH.findall(text)),
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
