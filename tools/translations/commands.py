"""The commands of ``python -m tools.translations``: --check, --update, --start, generate."""

from __future__ import annotations

import argparse
from pathlib import Path

import polib

from .. import notebooks as nbs
from .catalogue import merge, new_catalogue, problems_of, save
from .common import (
    LANGS,
    Paths,
)
from .extract import extract
from .generate import _sources, generate, translate_notebook
from .messages import (
    check_catalogue_problems,
    check_messages,
    compile_check_catalogues,
    update_check_catalogues,
)

# ---------------------------------------------------------------- commands

DESCRIPTION = "Translate the course from gettext catalogues (English solutions/ are the source)."


def check(paths: Paths, langs=LANGS, require=(), say=print) -> int:
    """Report every catalogue's state; 1 if any existing one is not usable (or required)."""
    failed = False
    messages = check_messages()
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
        problems = check_catalogue_problems(lang, messages)
        failed |= bool(problems)
        say(f"{lang}/checks: " + (f"{len(problems)} entries need work" if problems else "complete"))
        for problem in problems:
            say(f"    {lang}/checks: {problem}")
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
    parser = argparse.ArgumentParser(prog="python -m tools.translations", description=DESCRIPTION)
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
