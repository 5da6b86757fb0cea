"""The language of the checks' messages: English by default, Chinese or Russian on request.

    from helpers.checks._i18n import set_language, tr, trf
    set_language("zh")      # or COURSE_LANG=zh in the environment before the kernel starts
    tr("did you forget the `return` statement?")            # an exact English message
    trf("failed on case {n} of {total}", n=2, total=5)       # an English template

Messages are looked up with the standard library's :mod:`gettext` in the catalogues
``helpers/checks/locale/<lang>/LC_MESSAGES/checks.mo`` (compiled from ``checks.po`` by
``python -m tools.translations``). A message with no translation, a language without
a compiled catalogue, or a translated template whose fields do not match the English
one all fall back to the English text: a missing translation never breaks a check.

An explicit :func:`set_language` wins over ``COURSE_LANG``; ``set_language(None)``
returns to ``COURSE_LANG`` (or English when it is unset). An unknown ``COURSE_LANG``
value is ignored (English), since the environment is not the learner's code.
"""

from __future__ import annotations

import gettext
import os
import re
from pathlib import Path

LANGUAGES = ("en", "zh", "ru")
DOMAIN = "checks"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
ENV_VAR = "COURSE_LANG"

# The engine's report lines, as templates for trf(): helpers/checks/_core uses these names,
# so that translators see each line once, with named fields. A headline is always
# "<mark> <title>: <detail>" (format.headline writes the structure, the same in every
# language, so tools/progress.py reads it in any language); these templates are its parts.
EXERCISE_TITLE = "Exercise {number} {name}"
EXERCISE_LABEL = "Exercise {number}"
PASSED = "passed all {total} cases ({tolerance})"
TOLERANCE = "each within relative error {rtol} of the reference"
FAILED_ON_CASE = "failed on case {n} of {total}, {label}"
REPORT_INPUT = "    input:    {text}"
REPORT_PROBLEM = "    problem:  {text}"
REPORT_GOT = "    got:      {text}"
REPORT_EXPECTED = "    expected: {text}"
REPORT_HINT = "    hint:     {text}"
NOT_DONE = (
    "not done yet. Replace `raise NotImplementedError` with your code, then run this check again."
)
NOT_DONE_EARLIER = (
    "not done yet: your `{name}` from {label} is still a stub, "
    "and {exercise} calls it; finish {number} first."
)
NOT_DONE_STUB = (
    "not done yet: your `{name}` is still a stub (it raises "
    "NotImplementedError), and {exercise} calls it; write it first."
)
NOT_A_FUNCTION = "expected a function, got {got}"
RAISED = "raised {exception}: {message}"
RUN_IN_NEW_CELL = "run {exercise}() in a new cell to see the traceback"
CANNOT_BE_JUDGED = "returned {got}, which cannot be judged ({error})"
EARLIER_FAULT = (
    "the fault is in your `{name}` from {label}, which {exercise} calls: "
    "its check fails. Run the check of {label}, fix `{name}`, run its cell "
    "again, then this check"
)
REFUSED = (
    "not graded, because {problem}. Graded work must leave NumPy "
    "and the course's checks as they are: remove the code that changes them, restart "
    "the kernel and run all cells."
)
TEMPLATES = (
    EXERCISE_TITLE,
    EXERCISE_LABEL,
    PASSED,
    TOLERANCE,
    FAILED_ON_CASE,
    REPORT_INPUT,
    REPORT_PROBLEM,
    REPORT_GOT,
    REPORT_EXPECTED,
    REPORT_HINT,
    NOT_DONE,
    NOT_DONE_EARLIER,
    NOT_DONE_STUB,
    NOT_A_FUNCTION,
    RAISED,
    RUN_IN_NEW_CELL,
    CANNOT_BE_JUDGED,
    EARLIER_FAULT,
    REFUSED,
)

_chosen: list[str | None] = [None]  # set by set_language; None: follow COURSE_LANG
_catalogues: dict[str, gettext.NullTranslations] = {}
_patterns: dict[str, list] = {}


def set_language(lang: str | None) -> None:
    """Print the checks' messages in ``lang`` ("en", "zh" or "ru"); None follows COURSE_LANG."""
    if lang is not None and not isinstance(lang, str):
        raise TypeError(f"lang must be a str such as 'zh', not {type(lang).__name__}")
    if lang is not None and lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(map(repr, LANGUAGES))}, not {lang!r}")
    _chosen[0] = lang


def current_language() -> str:
    """The language messages are printed in now: set_language's, else COURSE_LANG's, else "en"."""
    if _chosen[0] is not None:
        return _chosen[0]
    env = os.environ.get(ENV_VAR, "").strip().lower()
    return env if env in LANGUAGES else "en"


def _catalogue(lang: str) -> gettext.NullTranslations:
    if lang not in _catalogues:
        if lang == "en":
            _catalogues[lang] = gettext.NullTranslations()
        else:
            _catalogues[lang] = gettext.translation(
                DOMAIN, localedir=LOCALE_DIR, languages=[lang], fallback=True
            )
    return _catalogues[lang]


def tr(text: str) -> str:
    """``text`` (an English message) in the current language, or ``text`` itself.

    An exact entry of the catalogue wins. Otherwise, when ``text`` is an instance of a
    translated template (the catalogue's entries with ``{fields}``, which
    ``python -m tools.translations --messages`` extracts from the f-strings that build
    messages), the template's translation is filled with the same field values.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    lang = current_language()
    if not text or lang == "en":
        return text
    found = _catalogue(lang).gettext(text)
    if found != text:
        return found
    return _from_template(lang, text)


def _template_pattern(template: str):
    """A regex reading ``template``'s fields back from a message, or None."""
    import string

    parts, names = [], []
    try:
        for literal, field, spec, conv in string.Formatter().parse(template):
            parts.append(re.escape(literal))
            if field is not None:
                if not field.isidentifier() or spec or conv or field in names:
                    return None
                names.append(field)
                parts.append(f"(?P<{field}>.*?)")
    except ValueError:
        return None
    if not names:
        return None
    return re.compile("".join(parts) + r"\Z", re.DOTALL)


def _templates(lang: str) -> list:
    if lang not in _patterns:
        catalogue = _catalogue(lang)
        found = []
        for msgid, msgstr in getattr(catalogue, "_catalog", {}).items():
            if isinstance(msgid, str) and msgid and "{" in msgid and msgstr != msgid:
                pattern = _template_pattern(msgid)
                literal = re.sub(r"\{[^{}]*\}", "", msgid)
                # "{pid}: {reason}" would match any line with a colon: a template with few
                # words of its own ("w: {problem}") is used only when a field is a message
                thin = len(re.findall("[A-Za-z]", literal)) < 6
                if pattern is not None:
                    found.append((len(literal), thin, pattern, msgid, msgstr))
        found.sort(key=lambda item: (item[1], -item[0]))  # the most specific template first
        _patterns[lang] = found
    return _patterns[lang]


# A field filled with English prose means the template matched too much of an untranslated
# message ("return {kind}" against any hint that starts with "return"): keep the English.
_PROSE = re.compile(r"[A-Za-z]{2,} [A-Za-z]{2,} [A-Za-z]{2,}")


def _field(lang: str, value: str, depth: int) -> str | None:
    """A template field's value as the translation shows it: a message of the catalogue in
    its translation ("{pid}: {hint}" with a lesson's hint; "returned {what}" with "a tuple of
    length 3", itself from a template), a quoted value (a repr, NumPy's warning text) as it
    is, other English prose None (the template matched too much)."""
    found = _catalogue(lang).gettext(value) if value else value
    if found == value and depth < 3:
        found = _from_template(lang, value, depth + 1)
    if found != value:
        return found
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value
    return None if _PROSE.search(value) else value


def _from_template(lang: str, text: str, depth: int = 0) -> str:
    for _, thin, pattern, _msgid, msgstr in _templates(lang):
        match = pattern.match(text)
        if match is None:
            continue
        groups = match.groupdict()
        fields = {name: _field(lang, value, depth) for name, value in groups.items()}
        if None in fields.values():
            continue
        if thin and all(fields[name] == value for name, value in groups.items()):
            continue  # nothing in it was a message: the template matched by its punctuation
        try:
            return msgstr.format(**fields)
        except (KeyError, IndexError, ValueError, AttributeError):
            return text
    return text


def trf(template: str, /, **fields) -> str:
    """``template`` translated, then ``.format(**fields)``; English when the translation breaks.

    A translation may reorder the ``{fields}`` but must keep the same ones; if it
    names a field that is not given (or is otherwise malformed), the English
    template is used, so a catalogue error costs the translation, never the report.
    """
    lang = current_language()
    translated = template if lang == "en" else _catalogue(lang).gettext(template)
    if translated != template:
        try:
            return translated.format(**fields)
        except (KeyError, IndexError, ValueError, AttributeError):
            pass
    return template.format(**fields)


def reload_catalogues() -> None:
    """Forget the loaded catalogues (after ``python -m tools.translations`` recompiles them)."""
    _catalogues.clear()
    _patterns.clear()
