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
from pathlib import Path

LANGUAGES = ("en", "zh", "ru")
DOMAIN = "checks"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
ENV_VAR = "COURSE_LANG"

# The engine's report lines, as templates for trf(): the wiring of helpers/checks/_core
# uses these names, so that translators see each line once, with named fields.
PASSED = "{mark} {title}: passed all {total} cases ({tolerance})"
TOLERANCE = "each within relative error {rtol} of the reference"
FAILED_ON_CASE = "{mark} {title}: failed on case {n} of {total}, {label}"
REPORT_INPUT = "    input:    {text}"
REPORT_PROBLEM = "    problem:  {text}"
REPORT_GOT = "    got:      {text}"
REPORT_EXPECTED = "    expected: {text}"
REPORT_HINT = "    hint:     {text}"
NOT_DONE = (
    "{mark} {title}: not done yet. Replace `raise NotImplementedError` with your code, "
    "then run this check again."
)
NOT_A_FUNCTION = "{mark} {title}: expected a function, got {got}"
TEMPLATES = (
    PASSED,
    TOLERANCE,
    FAILED_ON_CASE,
    REPORT_INPUT,
    REPORT_PROBLEM,
    REPORT_GOT,
    REPORT_EXPECTED,
    REPORT_HINT,
    NOT_DONE,
    NOT_A_FUNCTION,
)

_chosen: list[str | None] = [None]  # set by set_language; None: follow COURSE_LANG
_catalogues: dict[str, gettext.NullTranslations] = {}


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
    """``text`` (an exact English message) in the current language, or ``text`` itself."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    return _catalogue(current_language()).gettext(text) if text else text


def trf(template: str, /, **fields) -> str:
    """``template`` translated, then ``.format(**fields)``; English when the translation breaks.

    A translation may reorder the ``{fields}`` but must keep the same ones; if it
    names a field that is not given (or is otherwise malformed), the English
    template is used, so a catalogue error costs the translation, never the report.
    """
    translated = tr(template)
    if translated is not template and translated != template:
        try:
            return translated.format(**fields)
        except (KeyError, IndexError, ValueError, AttributeError):
            pass
    return template.format(**fields)


def reload_catalogues() -> None:
    """Forget the loaded catalogues (after ``python -m tools.translations`` recompiles them)."""
    _catalogues.clear()
