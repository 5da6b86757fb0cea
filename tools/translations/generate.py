"""Generation of solutions/<lang>/ and lessons/<lang>/ from English notebooks and catalogues."""

from __future__ import annotations

import copy
from pathlib import Path

import polib

from .. import notebooks as nbs
from .catalogue import problems_of
from .common import (
    LANGS,
    SET_LANGUAGE,
    SETUP_MARK,
    Paths,
)
from .extract import _code_texts, extract

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
    from .. import make_lessons

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
                    from ..execute import execute as run

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
