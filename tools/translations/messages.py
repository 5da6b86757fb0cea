"""The checks' messages: extract into locale/checks.pot, merge into each checks.po, compile."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import polib

from .. import notebooks as nbs
from .catalogue import new_catalogue, save
from .common import (
    LANGS,
    LOCALE,
)
from .extract import validate

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
    """The engine's report texts (strings and f-string templates of helpers/checks/_core/),
    by line, the lines the lesson modules print themselves (or give run_judge), and every
    other string and f-string template of a lesson module (the problems and hints its own
    comparers build: ``Outcome(False, f"returned {n} ...", ..., "hint")``)."""
    found: dict[str, str] = {}
    for path in sorted((nbs.ROOT / "helpers" / "checks" / "_core").glob("*.py")):
        _module_texts(path, found)
    for module in sorted((nbs.ROOT / "helpers" / "checks").glob("lesson*.py")):
        _printed_texts(module, found)
        _module_texts(module, found)  # the problems and hints a comparer builds itself
    return found


def _texts_of(node) -> list[str]:
    """The message(s) an argument can be: a string, an f-string template, either branch of
    ``a if c else b``, the items of a list."""
    if isinstance(node, ast.JoinedStr):
        return [_fields_template(node)]
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _texts_of(node.body) + _texts_of(node.orelse)
    if isinstance(node, (ast.List, ast.Tuple)):
        return [text for elt in node.elts for text in _texts_of(elt)]
    return []


def _printed_texts(module: Path, found: dict[str, str]) -> None:
    """The lines a lesson module prints itself (say/print) and its run_judge Judgements."""
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", "")
        args = []
        if name in ("say", "print"):
            args = node.args[:1]
        elif name == "Judgement":
            args = node.args[1:3]
        for text in (text for arg in args for text in _texts_of(arg)):
            text = text.removeprefix("    hint:     ")
            found.setdefault(text, f"helpers/checks/{module.name}:{node.lineno}")


def _module_texts(path: Path, found: dict[str, str]) -> None:
    """Strings and f-string templates of one engine module (not docstrings or patterns)."""
    where = path.relative_to(nbs.ROOT).as_posix()
    tree = ast.parse(path.read_text(encoding="utf-8"))
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
        if isinstance(node, ast.JoinedStr):  # its parts are Constants too: only the whole
            docstrings.update(id(n) for n in node.values)
        # not printed to a learner: exception messages (a programming error, in English),
        # regular expressions, and the headline's own structure (the same in every language)
        if isinstance(node, ast.Raise) or (
            isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "compile"
        ):
            docstrings.update(id(n) for n in ast.walk(node))
        enum = isinstance(node, ast.ClassDef) and any("Enum" in ast.unparse(b) for b in node.bases)
        if enum:  # names of outcomes, for code and instructors: never printed
            docstrings.update(id(n) for n in ast.walk(node))
        if isinstance(node, ast.FunctionDef) and node.name == "headline":
            docstrings.update(id(n) for n in ast.walk(node) if isinstance(n, ast.JoinedStr))
    for node in ast.walk(tree):
        if id(node) in docstrings:
            continue
        if isinstance(node, ast.JoinedStr):
            text = _fields_template(node)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        else:
            continue
        if len(text.split()) >= 2 and re.search(r"[a-z]{3}", text):
            found.setdefault(text, f"{where}:{node.lineno}")


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


def check_catalogue_problems(lang: str, messages: dict[str, str] | None = None) -> list[str]:
    """What keeps ``lang``'s checks.po from translating every message the checks print now.

    A message the code has and the catalogue lacks (an English hint edited or added: run
    ``--messages``), one not yet translated or marked fuzzy, a translation that changes the
    message's fields, code or numbers (:func:`~.extract.validate`), and a compiled checks.mo
    that differs from its checks.po (run ``--messages`` to compile).
    """
    import gettext

    messages = check_messages() if messages is None else messages
    folder = LOCALE / lang / "LC_MESSAGES"
    if not (folder / "checks.po").exists():
        return [f"no {folder.relative_to(nbs.ROOT)}/checks.po"]
    po = polib.pofile(str(folder / "checks.po"), wrapwidth=0)
    live = {e.msgid: e for e in po if not e.obsolete}
    problems = [
        f"not in the catalogue (run --messages): {m[:70]!r}" for m in messages if m not in live
    ]
    problems += [
        f"{'fuzzy' if e.fuzzy else 'untranslated'}: {e.msgid[:70]!r} ({e.comment})"
        for m, e in live.items()
        if m in messages and (e.fuzzy or not e.msgstr)
    ]
    problems += [
        f"{problem}: {e.msgid[:70]!r}"
        for e in live.values()
        if e.translated()
        for problem in validate(e.msgid, e.msgstr)
    ]
    with open(folder / "checks.mo", "rb") as f:
        mo = gettext.GNUTranslations(f)
    stale = [
        e for e in live.values() if mo.gettext(e.msgid) != (e.msgstr if e.translated() else e.msgid)
    ]
    if stale:
        problems.append(f"checks.mo is older than checks.po ({len(stale)} entries; run --messages)")
    return problems


def compile_check_catalogues(langs=LANGS, say=print) -> None:
    for lang in langs:
        path = LOCALE / lang / "LC_MESSAGES" / "checks.po"
        if path.exists():
            po = polib.pofile(str(path), wrapwidth=0)
            po.save_as_mofile(str(path.with_suffix(".mo")))
            done = sum(1 for e in po if e.translated() and not e.obsolete)
            live = sum(1 for e in po if not e.obsolete)
            say(f"compiled checks.mo for {lang}: {done} of {live} messages translated")
