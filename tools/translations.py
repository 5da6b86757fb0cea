"""Translate the course from gettext catalogues: English solutions/ stay the only source.

    python -m tools.translations                  # compile, then generate every complete lesson
    python -m tools.translations --update         # merge English changes into every catalogue
    python -m tools.translations --start zh 01_sigmoid   # begin a catalogue ("all": every lesson)
    python -m tools.translations --check [--require zh]  # CI: exit 1 on stale or broken entries
    python -m tools.translations --validate       # only the maths/code/link checks, as a report

Catalogues are ``translations/<lang>/<NN_name>.po`` (standard PO files: Poedit and
Weblate open them). Every entry's ``msgctxt`` is the id of the cell it comes from.
A markdown cell is one entry (its whole source). A code cell gives one entry per
comment and per string a learner reads: the string arguments of ``print()`` and
docstrings, found with :mod:`tokenize` and :mod:`ast`, never by a regex on code.
Strings the code uses as values, plot labels (figure text stays English: CJK would
render as boxes without a CJK font) and the structural comments ``# Exercise N.M: ...``,
``# Check Exercise N.M``, ``### BEGIN/END ...`` and pragmas are never translated.

``--check`` fails (exit 1) when an existing catalogue lacks an entry (English
added), has one untranslated, fuzzy (English changed under it) or failing
validation, naming the lesson, language and cell ids; and when a complete
catalogue's generated notebook is missing or older than the catalogue. A lesson without a
catalogue, and a language without any, is reported as "not started" and does not
fail, so CI stays green before translations exist; ``--require LANG`` makes it fail.

Generating (no option) compiles ``helpers/checks/locale/<lang>/LC_MESSAGES/checks.po``
to ``.mo``, then writes ``solutions/<lang>/<name>`` for every lesson whose catalogue is
complete (markdown, comments and strings replaced, code otherwise byte-identical,
cell ids and metadata kept, the setup cell also selects the checks' language),
executes it (outputs stored) and writes ``lessons/<lang>/`` with tools.make_lessons.
A translated notebook whose sources are unchanged is not executed again.
"""

from __future__ import annotations

import argparse
import ast
import copy
import datetime
import io
import re
import sys
import tokenize
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import polib

from . import notebooks as nbs

LANGS = ("zh", "ru")
LANGUAGE_NAMES = {"zh": "Chinese (Simplified)", "ru": "Russian"}
PLURAL_FORMS = {
    "zh": "nplurals=1; plural=0;",
    "ru": (
        "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
        "(n%100<10 || n%100>=20) ? 1 : 2);"
    ),
}
SETUP_MARK = "# Setup"
SET_LANGUAGE = 'from helpers.checks import set_language\n\nset_language("{lang}")'
STRUCTURAL_COMMENT = re.compile(
    r"^#\s*(Exercise \d+\.\d+:|Check Exercise \d+\.\d+|##|noqa|type:|fmt:|ruff:|pragma)"
)


@dataclass(frozen=True)
class Paths:
    root: Path

    @property
    def solutions(self) -> Path:
        return self.root / "solutions"

    @property
    def lessons(self) -> Path:
        return self.root / "lessons"

    @property
    def translations(self) -> Path:
        return self.root / "translations"

    def catalogue(self, lang: str, name: str) -> Path:
        return self.translations / lang / (Path(name).stem + ".po")

    def english(self) -> list[Path]:
        return sorted(p for p in self.solutions.glob("*.ipynb") if nbs.NAME.match(p.name))


LOCALE = nbs.ROOT / "helpers" / "checks" / "locale"


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
    """Every translatable text of a notebook, in order, without duplicates."""
    units: list[Unit] = []
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.source.strip():
            units.append(Unit(cell.id, cell.source, "markdown"))
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


# ---------------------------------------------------------------- catalogues


def new_catalogue(lang: str, name: str) -> polib.POFile:
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": f"sigmoid-softmax-course {Path(name).stem}",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": datetime.date.today().isoformat(),
        "PO-Revision-Date": datetime.date.today().isoformat(),
        "Last-Translator": "",
        "Language-Team": LANGUAGE_NAMES.get(lang, lang),
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": PLURAL_FORMS.get(lang, "nplurals=2; plural=(n != 1);"),
    }
    return po


def _entry(unit: Unit) -> polib.POEntry:
    return polib.POEntry(msgctxt=unit.ctxt, msgid=unit.msgid, msgstr="", comment=unit.kind)


def merge(po: polib.POFile, units: list[Unit]) -> dict[str, int]:
    """Bring ``po`` up to ``units`` like msgmerge; return counts of what changed.

    Unchanged English keeps its entry. Within one cell, English that changed is
    paired in order with the cell's vanished entries: the new entry is fuzzy and
    keeps the old translation and ``#| msgid`` (the previous English). Entries
    with nothing left to pair are obsolete (``#~``); new English is untranslated.
    """
    live = [e for e in po if not e.obsolete]
    by_key = {(e.msgctxt, e.msgid): e for e in live}
    matched = set()
    entries, counts = [], Counter()
    pending = []
    for unit in units:
        old = by_key.get((unit.ctxt, unit.msgid))
        if old is not None:
            matched.add(id(old))
            old.comment = unit.kind
            entries.append(old)
        else:
            entries.append(None)
            pending.append((len(entries) - 1, unit))
    leftovers = {}
    for e in live:
        if id(e) not in matched:
            leftovers.setdefault(e.msgctxt, []).append(e)
    for index, unit in pending:
        candidates = leftovers.get(unit.ctxt, [])
        entry = _entry(unit)
        if candidates:
            old = candidates.pop(0)
            if old.msgstr:
                entry.msgstr = old.msgstr
                entry.flags = ["fuzzy"]
                entry.previous_msgid = old.msgid
                counts["fuzzy"] += 1
            else:
                counts["new"] += 1
        else:
            counts["new"] += 1
        entries[index] = entry
    obsolete = [e for group in leftovers.values() for e in group if e.msgstr]
    for e in obsolete:
        e.obsolete = True
    if obsolete:
        counts["obsolete"] += len(obsolete)
    kept_obsolete = [e for e in po if e.obsolete]
    po[:] = entries + [e for e in kept_obsolete if e not in entries]
    return dict(counts)


def problems_of(po: polib.POFile, units: list[Unit]) -> list[str]:
    """Why a catalogue cannot be used: missing, untranslated, fuzzy or invalid entries."""
    found = []
    have = {(e.msgctxt, e.msgid): e for e in po if not e.obsolete}
    for unit in units:
        entry = have.get((unit.ctxt, unit.msgid))
        if entry is None:
            found.append(f"cell {unit.ctxt}: English {unit.kind} with no entry (run --update)")
        elif "fuzzy" in entry.flags:
            found.append(f"cell {unit.ctxt}: fuzzy, the English changed under the translation")
        elif not entry.msgstr:
            found.append(f"cell {unit.ctxt}: untranslated {unit.kind}")
        else:
            for problem in validate(entry.msgid, entry.msgstr) + _code_safety(unit, entry.msgstr):
                found.append(f"cell {unit.ctxt}: {problem}")
    return found


def _code_safety(unit: Unit, msgstr: str) -> list[str]:
    """A comment or string translation must not break the code it goes into."""
    if unit.kind == "markdown":
        return []
    problems = []
    if msgstr.count("\n") != unit.msgid.count("\n"):
        problems.append(f"{unit.kind}: the translation must keep the number of lines")
    for char in "\"'\\":
        if unit.kind != "comment" and msgstr.count(char) != unit.msgid.count(char):
            problems.append(f"{unit.kind}: quotes and backslashes must stay as in the English")
            break
    return problems


def save(po: polib.POFile, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    po.wrapwidth = 0
    po.save(str(path))


# ---------------------------------------------------------------- generation


def translate_code(source: str, table: dict[str, str]) -> str:
    """``source`` with its comments and readable strings replaced; every other byte kept."""
    lines = source.splitlines(keepends=True)
    edits = sorted(_code_texts(source), key=lambda t: t[0], reverse=True)
    for (srow, scol), (erow, ecol), prefix, text, suffix, _kind in edits:
        new = table.get(text)
        if not new or new == text:
            continue
        head = lines[srow - 1][:scol]
        tail = lines[erow - 1][ecol:]
        lines[srow - 1 : erow] = [head + prefix + new + suffix + tail]
    return "".join(lines)


def translate_notebook(nb, po: polib.POFile, lang: str):
    """The translated solution notebook (a copy); ``po`` must be complete."""
    out = copy.deepcopy(nb)
    tables: dict[str, dict[str, str]] = {}
    for e in po:
        if not e.obsolete and e.msgstr:
            tables.setdefault(e.msgctxt, {})[e.msgid] = e.msgstr
    setup_done = False
    for cell in out.cells:
        table = tables.get(cell.id, {})
        if cell.cell_type == "markdown":
            cell.source = table.get(cell.source, cell.source)
        elif cell.cell_type == "code":
            is_setup = not setup_done and cell.source.lstrip().startswith(SETUP_MARK)
            cell.source = translate_code(cell.source, table)
            if is_setup:
                cell.source = cell.source.rstrip("\n") + "\n\n" + SET_LANGUAGE.format(lang=lang)
                setup_done = True
    out.metadata.setdefault("course", {})["language"] = lang
    return out


def _sources(nb) -> list[tuple[str, str, str]]:
    return [(c.id, c.cell_type, c.source) for c in nb.cells]


def generate(
    paths: Paths, langs=LANGS, execute: bool = True, force: bool = False, say=print
) -> list[Path]:
    """Write solutions/<lang>/ and lessons/<lang>/ for every complete catalogue.

    A translated solution whose sources are unchanged is kept as it is, unless ``force``
    (``make solutions``: the outputs may have changed with the helpers).
    """
    from . import make_lessons

    written = []
    for lang in langs:
        for english in paths.english():
            po_path = paths.catalogue(lang, english.name)
            if not po_path.exists():
                continue
            nb = nbs.read(english)
            po = polib.pofile(str(po_path), wrapwidth=0)
            problems = problems_of(po, extract(nb))
            if problems:
                say(
                    f"skipped {lang}/{english.name}: catalogue incomplete ({len(problems)} entries)"
                )
                continue
            target = paths.solutions / lang / english.name
            translated = translate_notebook(nb, po, lang)
            if not force and target.exists() and _sources(nbs.read(target)) == _sources(translated):
                say(f"up to date: {target.relative_to(paths.root)}")
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                for cell in translated.cells:
                    if cell.cell_type == "code":
                        cell.outputs, cell.execution_count = [], None
                nbs.write(translated, target)
                if execute:
                    from .execute import execute as run

                    run(target)
                say(f"wrote {target.relative_to(paths.root)}")
                written.append(target)
            lesson = paths.lessons / lang / english.name
            lesson.parent.mkdir(parents=True, exist_ok=True)
            text = nbs.dumps(make_lessons.make_lesson(nbs.read(target)))
            if not lesson.exists() or lesson.read_text(encoding="utf-8") != text:
                lesson.write_text(text, encoding="utf-8")
                say(f"wrote {lesson.relative_to(paths.root)}")
    return written


# ---------------------------------------------------------------- the checks' messages


def _fields_template(node: ast.JoinedStr) -> str:
    parts = []
    for value in node.values:
        if isinstance(value, ast.Constant):
            parts.append(str(value.value).replace("{", "{{").replace("}", "}}"))
        else:
            name = re.sub(r"\W+", "_", ast.unparse(value.value)).strip("_") or "value"
            parts.append("{" + name + "}")
    return "".join(parts)


def engine_messages() -> dict[str, str]:
    """The engine's report texts (strings and f-string templates of _core.py), by line,
    and the lines the lesson modules print themselves."""
    path = nbs.ROOT / "helpers" / "checks" / "_core.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: dict[str, str] = {}
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.Module)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    for node in ast.walk(tree):  # patterns searched for, not printed: '"x" in text', "a b".split()
        if isinstance(node, ast.Compare):
            docstrings.update(id(n) for n in [node.left, *node.comparators])
        if isinstance(node, ast.Attribute):
            docstrings.add(id(node.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = _fields_template(node)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) in docstrings:
                continue
            text = node.value
        else:
            continue
        if len(text.split()) >= 2 and re.search(r"[a-z]{3}", text):
            found.setdefault(text, f"helpers/checks/_core.py:{node.lineno}")
    # parts of f-strings are also Constants: keep only whole messages
    wholes = [t for t in found if "{" in t]
    found = {t: w for t, w in found.items() if not any(t != x and t in x for x in wholes)}
    # the lines a lesson module prints itself (say(...) or print(...) outside run_check)
    for module in sorted((nbs.ROOT / "helpers" / "checks").glob("lesson*.py")):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("say", "print"):
                for arg in node.args[:1]:
                    if isinstance(arg, ast.JoinedStr):
                        text = _fields_template(arg)
                    elif isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        text = arg.value
                    else:
                        continue
                    where = f"helpers/checks/{module.name}:{node.lineno}"
                    found.setdefault(text, where)
    return found


def check_messages() -> dict[str, str]:
    """Every message the checks can print: msgid -> where it comes from.

    Introspection, not a parse of the lesson modules: every HINT_* constant, every
    Mistake hint and Case label built when each ``check_*`` runs (with run_check
    replaced by a recorder, so nothing is really checked), the hints passed to
    run_check, and the engine's texts from :func:`engine_messages`.
    """
    import helpers.checks as checks
    from helpers.checks import _core

    found: dict[str, str] = {}

    def add(text, where):
        if isinstance(text, str) and text.strip():
            found.setdefault(text, where)

    current = [""]  # the check being run, for the "where" comments
    modules = {
        name: getattr(checks, name) for name in sorted(dir(checks)) if name.startswith("lesson")
    }
    for mod_name, module in modules.items():
        for key, value in sorted(vars(module).items()):
            if key.isupper() and "HINT" in key and isinstance(value, (str, dict, list, tuple)):
                # HINT_X = "...", PROBLEM_HINTS = {...}
                values = value.values() if isinstance(value, dict) else value
                for text in [value] if isinstance(value, str) else values:
                    add(text, f"{mod_name}.{key}")

        class RecCase(_core.Case):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                add(self.label, f"{current[0]} case")

        class RecMistake(_core.Mistake):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                add(self.hint, f"{current[0]} mistake")

        def recorder(title, *args, **kwargs):
            add(title, f"{current[0]} title")
            for key, value in kwargs.items():
                if key.endswith("hint"):
                    add(value, f"{current[0]} {key}")
            return True

        saved = {k: vars(module).get(k) for k in ("Case", "Mistake", "run_check")}
        try:
            module.Case, module.Mistake, module.run_check = RecCase, RecMistake, recorder
            for name in module.__all__:
                current[0] = f"{mod_name}.{name}"
                try:
                    getattr(module, name)(lambda *a, **k: None, quiet=True)
                except Exception:  # a check that needs a real function: its HINT_* remain
                    pass
        finally:
            for key, value in saved.items():
                if value is not None:
                    setattr(module, key, value)
    for key, value in vars(_core).items():
        if key.isupper() and key.endswith("HINT") and isinstance(value, str):
            add(value, f"_core.{key}")
    from helpers.checks import _i18n

    for key, value in vars(_i18n).items():
        if key.isupper() and isinstance(value, str) and value in _i18n.TEMPLATES:
            add(value, f"_i18n.{key} (engine report line)")
    for text, where in engine_messages().items():
        add(text, where)
    return found


def update_check_catalogues(langs=LANGS, say=print) -> None:
    """Write locale/checks.pot and merge it into every language's checks.po, then compile."""
    messages = check_messages()
    pot = new_catalogue("", "checks")
    del pot.metadata["Language"]
    for msgid, where in messages.items():
        pot.append(polib.POEntry(msgid=msgid, msgstr="", occurrences=[], comment=where))
    old = LOCALE / "checks.pot"
    same = old.exists() and [(e.msgid, e.comment) for e in polib.pofile(str(old))] == [
        (e.msgid, e.comment) for e in pot
    ]
    if not same:  # unchanged messages keep the file (and its date) as it is
        save(pot, old)
        say(f"wrote {LOCALE.relative_to(nbs.ROOT)}/checks.pot ({len(pot)} messages)")
    for lang in langs:
        path = LOCALE / lang / "LC_MESSAGES" / "checks.po"
        po = (
            polib.pofile(str(path), wrapwidth=0) if path.exists() else new_catalogue(lang, "checks")
        )
        have = {e.msgid: e for e in po if not e.obsolete}
        entries = []
        for msgid, where in messages.items():
            entry = have.pop(msgid, None) or polib.POEntry(msgid=msgid, msgstr="")
            entry.comment = where
            entries.append(entry)
        for e in have.values():
            if e.msgstr:
                e.obsolete = True
                entries.append(e)
        po[:] = entries
        save(po, path)
    compile_check_catalogues(langs, say)


def compile_check_catalogues(langs=LANGS, say=print) -> None:
    for lang in langs:
        path = LOCALE / lang / "LC_MESSAGES" / "checks.po"
        if path.exists():
            po = polib.pofile(str(path), wrapwidth=0)
            po.save_as_mofile(str(path.with_suffix(".mo")))
            done = sum(1 for e in po if e.translated() and not e.obsolete)
            live = sum(1 for e in po if not e.obsolete)
            say(f"compiled checks.mo for {lang}: {done} of {live} messages translated")


# ---------------------------------------------------------------- commands


def check(paths: Paths, langs=LANGS, require=(), say=print) -> int:
    """Report every catalogue's state; 1 if any existing one is not usable (or required)."""
    failed = False
    for lang in langs:
        folder = paths.translations / lang
        started = folder.is_dir() and any(folder.glob("*.po"))
        if not started:
            say(f"{lang}: not started (no translations/{lang}/*.po)")
            failed |= lang in require
            continue
        for english in paths.english():
            po_path = paths.catalogue(lang, english.name)
            if not po_path.exists():
                say(f"{lang}/{english.stem}: not started")
                failed |= lang in require
                continue
            po = polib.pofile(str(po_path), wrapwidth=0)
            problems = problems_of(po, extract(nbs.read(english)))
            if problems:
                failed = True
                say(f"{lang}/{english.stem}: {len(problems)} entries need work")
                for problem in problems:
                    say(f"    {lang}/{english.stem}: {problem}")
            elif not _generated(paths, lang, english, po):
                failed = True
                say(
                    f"{lang}/{english.stem}: complete, but solutions/{lang}/{english.name} is "
                    "missing or older than its catalogue: run python -m tools.translations"
                )
            else:
                say(f"{lang}/{english.stem}: complete")
    return 1 if failed else 0


def _generated(paths: Paths, lang: str, english: Path, po: polib.POFile) -> bool:
    """Whether solutions/<lang>/<name> is what the English notebook and ``po`` give."""
    target = paths.solutions / lang / english.name
    if not target.exists():
        return False
    fresh = translate_notebook(nbs.read(english), po, lang)
    return _sources(nbs.read(target)) == _sources(fresh)


def update(paths: Paths, langs=LANGS, say=print) -> None:
    for lang in langs:
        for english in paths.english():
            po_path = paths.catalogue(lang, english.name)
            if po_path.exists():
                po = polib.pofile(str(po_path), wrapwidth=0)
                counts = merge(po, extract(nbs.read(english)))
                save(po, po_path)
                say(f"updated {po_path.relative_to(paths.root)}: {counts or 'no change'}")


def start(paths: Paths, lang: str, names: list[str], say=print) -> None:
    wanted = {Path(n).stem for n in names}
    for english in paths.english():
        po_path = paths.catalogue(lang, english.name)
        if ("all" in wanted or english.stem in wanted) and not po_path.exists():
            po = new_catalogue(lang, english.name)
            merge(po, extract(nbs.read(english)))
            save(po, po_path)
            say(f"started {po_path.relative_to(paths.root)} ({len(po)} entries)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--update", action="store_true", help="merge English changes (msgmerge)")
    action.add_argument("--check", action="store_true", help="exit 1 on stale or broken entries")
    action.add_argument("--validate", action="store_true", help="report validation problems")
    action.add_argument("--start", nargs="+", metavar=("LANG", "LESSON"), help="new catalogues")
    action.add_argument("--messages", action="store_true", help="only the checks' catalogues")
    parser.add_argument("--require", action="append", default=[], choices=LANGS)
    parser.add_argument("--lang", action="append", choices=LANGS, help="only this language")
    parser.add_argument("--no-execute", action="store_true", help="generate without executing")
    parser.add_argument("--force", action="store_true", help="re-execute unchanged notebooks too")
    parser.add_argument("--root", type=Path, default=nbs.ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    paths, langs = Paths(args.root), tuple(args.lang or LANGS)
    if args.check or args.validate:
        return check(paths, langs, require=tuple(args.require))
    if args.start:
        if args.start[0] not in LANGS or len(args.start) < 2:
            parser.error(f"--start LANG LESSON...: LANG is one of {', '.join(LANGS)}")
        start(paths, args.start[0], args.start[1:])
        return 0
    if args.update:
        update(paths, langs)
        update_check_catalogues(langs)
        return 0
    if args.messages:
        update_check_catalogues(langs)
        return 0
    compile_check_catalogues(langs)
    generate(paths, langs, execute=not args.no_execute, force=args.force)
    return 0


if __name__ == "__main__":
    sys.exit(main())
