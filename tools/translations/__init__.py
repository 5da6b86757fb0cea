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

# The package: common (languages, paths), extract (texts and their validation), catalogue
# (PO files), generate (translated notebooks), messages (the checks' catalogues),
# commands (the command line; ``python -m tools.translations`` runs commands.main).
from .catalogue import merge, new_catalogue, problems_of, save
from .commands import check, main, start, update
from .common import (
    BIBLIOGRAPHY,
    LANGS,
    LANGUAGE_NAMES,
    LOCALE,
    PLURAL_FORMS,
    SET_LANGUAGE,
    SETUP_MARK,
    STRUCTURAL_COMMENT,
    STUDENT_KIND,
    Paths,
)
from .extract import MIN_SHARE, Unit, extract, invariants, letters_in_language, validate
from .generate import generate, translate_code, translate_notebook
from .messages import (
    check_catalogue_problems,
    check_messages,
    compile_check_catalogues,
    engine_messages,
    update_check_catalogues,
)

__all__ = [
    "BIBLIOGRAPHY",
    "LANGS",
    "LANGUAGE_NAMES",
    "LOCALE",
    "PLURAL_FORMS",
    "SET_LANGUAGE",
    "SETUP_MARK",
    "STRUCTURAL_COMMENT",
    "STUDENT_KIND",
    "Paths",
    "MIN_SHARE",
    "Unit",
    "extract",
    "letters_in_language",
    "invariants",
    "validate",
    "merge",
    "new_catalogue",
    "problems_of",
    "save",
    "generate",
    "translate_code",
    "translate_notebook",
    "check_catalogue_problems",
    "check_messages",
    "compile_check_catalogues",
    "engine_messages",
    "update_check_catalogues",
    "check",
    "main",
    "start",
    "update",
]
