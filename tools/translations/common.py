"""The languages, the paths and the markers every part of tools.translations shares."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .. import notebooks as nbs

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
STUDENT_KIND = "markdown, as the student site words it"
# A lesson's bibliography: titles of works stay in their language, as textbooks print them.
BIBLIOGRAPHY = re.compile(r"^#+\s*Further reading", re.MULTILINE)
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
