"""The lesson catalogues: create, merge English changes (msgmerge), report problems, save."""

from __future__ import annotations

import ast
import datetime
from collections import Counter
from pathlib import Path

import polib

from .common import (
    BIBLIOGRAPHY,
    LANGUAGE_NAMES,
    PLURAL_FORMS,
)
from .extract import MIN_SHARE, SCRIPTS, Unit, letters_in_language, validate

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
            problems = validate(entry.msgid, entry.msgstr) + _code_safety(unit, entry.msgstr)
            problems += _untranslated_prose(unit, entry.msgstr, po.metadata.get("Language", ""))
            for problem in problems:
                found.append(f"cell {unit.ctxt}: {problem}")
    return found


def _untranslated_prose(unit: Unit, msgstr: str, lang: str) -> list[str]:
    """A markdown translation must be mostly in the language (``MIN_SHARE`` of its letters);
    a bibliography is exempt (its titles stay in their own language)."""
    if not unit.kind.startswith("markdown") or lang not in SCRIPTS:
        return []
    if BIBLIOGRAPHY.match(unit.msgid):
        return []
    mine, letters = letters_in_language(msgstr, lang)
    if letters and mine < MIN_SHARE * letters:
        return [f"only {mine} of its {letters} letters are in {lang}: translate the prose"]
    return []


def _code_safety(unit: Unit, msgstr: str) -> list[str]:
    """A comment or string translation must not break the code it goes into."""
    if unit.kind.startswith("markdown"):
        return []
    problems = []
    if msgstr.count("\n") != unit.msgid.count("\n"):
        problems.append(f"{unit.kind}: the translation must keep the number of lines")
    if unit.kind == "comment":
        return problems
    if msgstr.count("\\") != unit.msgid.count("\\"):
        problems.append(f"{unit.kind}: backslashes must stay as in the English")
    prefix, suffix = unit.wrap
    if not suffix:  # where the literal is unknown: keep every quote
        if any(msgstr.count(q) != unit.msgid.count(q) for q in "\"'"):
            problems.append(f"{unit.kind}: quotes must stay as in the English")
        return problems
    try:
        node = ast.parse(prefix + msgstr + suffix, mode="eval").body
    except SyntaxError:
        node = None
    if not isinstance(node, (ast.Constant, ast.JoinedStr)):
        problems.append(
            f"{unit.kind}: not a valid Python string between {prefix}...{suffix} "
            f"(a {suffix[0]} must not end it early: use typographic quotes)"
        )
    return problems


def save(po: polib.POFile, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    po.wrapwidth = 0
    po.save(str(path))
