"""The sites in Chinese and Russian: translated lesson pages, an index per language, a switch.

For every language of ``tools.translations`` with generated notebooks (``solutions/<lang>/``),
``tools.site`` calls :func:`build_languages`, which adds to a site::

    index.<lang>.html                  the lessons translated so far, in that language
    lessons/NN_name.<lang>.html        the translated notebook (the student site: as a learner
                                       gets it), with previous / index / next in that language
    notebooks/{lessons,solutions}/<lang>/NN_name.ipynb   downloads (solutions: instructors only)
    learners/<lang>/*.html             the translated learner pages (translations/<lang>/docs/)

and puts a language switch (``English · 中文 · Русский``) at the top of every page that has a
translation: the English index and lesson pages, and each translated page. A link is there
only when its target page exists, so a lesson not translated yet has no switch to a 404.
The decks and the instructor guide stay in English; the translated pages link to the English
decks and say so.
"""

from __future__ import annotations

import html
import os
import re
import shutil
from pathlib import Path

from . import notebooks as nbs
from .translations.common import LANGS

ROOT = nbs.ROOT
NAMES = {"en": "English", "zh": "中文", "ru": "Русский"}
DOCS = "docs"  # translations/<lang>/docs/: the translated learner pages

# The few words of the site's own pages (the lessons come from the gettext catalogues).
UI = {
    "zh": {
        "course": "Sigmoid 与 Softmax：亲手推导，亲手实现",
        "student": "学生版网站",
        "instructor": "教师版网站",
        "intro": (
            "每节课先一步步推导数学，再用 NumPy 实现，最后用滑块探索。请在 JupyterLab 中做练习："
            "<code>make lab COURSE_LANG=zh</code>。"
        ),
        "untranslated": "以下课程暂时只有英文版：{lessons}。",
        "lesson": "课程",
        "time": "时间",
        "minutes": "{n} 分钟",
        "downloads": "下载",
        "index": "课程目录",
        "exercises": "练习 notebook",
        "solution": "答案 notebook",
        "slides": "幻灯片（英文）",
        "learners": "给学习者",
        "language": "语言",
        "prerequisite-self-check": "预备知识自测",
        "formula-sheet": "公式速查表",
    },
    "ru": {
        "course": "Сигмоида и софтмакс: выводим и реализуем своими руками",
        "student": "Сайт для студентов",
        "instructor": "Сайт для преподавателей",
        "intro": (
            "В каждом уроке математика выводится шаг за шагом, затем реализуется на NumPy и "
            "исследуется с помощью ползунков. Упражнения выполняйте в JupyterLab: "
            "<code>make lab COURSE_LANG=ru</code>."
        ),
        "untranslated": "Пока только на английском: {lessons}.",
        "lesson": "Урок",
        "time": "Время",
        "minutes": "{n} мин",
        "downloads": "Файлы",
        "index": "Оглавление курса",
        "exercises": "блокнот с упражнениями",
        "solution": "блокнот с решениями",
        "slides": "слайды (на английском)",
        "learners": "Для студентов",
        "language": "Язык",
        "prerequisite-self-check": "входная самопроверка",
        "formula-sheet": "шпаргалка с формулами",
    },
}
SWITCH_CSS = """
.languages { font: 15px system-ui, sans-serif; padding: .4rem 1rem; margin: 0; }
.languages a, .languages span { margin: 0 .3rem; }
"""


def translated_solutions(lang: str) -> list[Path]:
    """The generated notebooks of ``lang`` (``solutions/<lang>/NN_name.ipynb``), in order."""
    return sorted(p for p in (nbs.SOLUTIONS / lang).glob("*.ipynb") if nbs.NAME.match(p.name))


def page_name(name: str, lang: str) -> str:
    """``01_sigmoid.html`` for English, ``01_sigmoid.zh.html`` for a translation."""
    return f"{name}.html" if lang == "en" else f"{name}.{lang}.html"


def index_name(lang: str) -> str:
    return "index.html" if lang == "en" else f"index.{lang}.html"


def switch(hrefs: dict[str, str], current: str) -> str:
    """The language switch: the current language as text, each other one as a link."""
    items = []
    for lang in ("en", *LANGS):
        if lang == current:
            items.append(f'<span aria-current="true">{NAMES[lang]}</span>')
        elif lang in hrefs:
            items.append(
                f'<a href="{hrefs[lang]}" hreflang="{lang}" lang="{lang}">{NAMES[lang]}</a>'
            )
    if len(items) < 2:
        return ""
    label = "Language" if current == "en" else UI[current]["language"]
    return f'<nav class="languages" aria-label="{label}">{" · ".join(items)}</nav>'


def _set_lang(page: str, lang: str) -> str:
    """Give the page's ``<html>`` element the language of its text."""
    page, n = re.subn(r"<html(\s[^>]*)?\s+lang=['\"][^'\"]*['\"]", rf"<html\1 lang='{lang}'", page)
    return page if n else re.sub(r"<html\b", f"<html lang='{lang}'", page, count=1)


def _after_body(page: str, snippet: str) -> str:
    page = page.replace("</head>", f"<style>{SWITCH_CSS}</style>\n</head>", 1)
    return re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + "\n" + snippet, page, count=1)


def _nav(lang: str, names: list[str], titles: dict[str, str], i: int, student: bool) -> str:
    ui = UI[lang]

    def link(j: int, left: bool) -> str:
        if not 0 <= j < len(names):
            return "<span></span>"
        label = html.escape(titles[names[j]])
        label = f"← {label}" if left else f"{label} →"
        return f'<a href="{page_name(names[j], lang)}">{label}</a>'

    name = names[i]
    links = [
        f'<a href="../{index_name(lang)}">{ui["index"]}</a>',
        _download(f"../notebooks/lessons/{lang}/{name}.ipynb", ui["exercises"]),
    ]
    if not student:
        links.append(_download(f"../notebooks/solutions/{lang}/{name}.ipynb", ui["solution"]))
    links.append(f'<a href="../slides/{name}.slides.html" hreflang="en">{ui["slides"]}</a>')
    middle = f"<span>{' · '.join(links)}</span>"
    return f'<nav class="course-nav">{link(i - 1, True)}{middle}{link(i + 1, False)}</nav>'


def _download(href: str, label: str) -> str:
    return f'<a href="{href}" download>{label}</a>'


def _row(lang: str, name: str, title: str, minutes: tuple[int, ...], student: bool) -> str:
    """One lesson in the translated index: number, title, time, downloads."""
    ui = UI[lang]
    time = ui["minutes"].format(n=minutes[-1]) if minutes else ""
    links = [_download(f"notebooks/lessons/{lang}/{name}.ipynb", ui["exercises"])]
    if not student:
        links.append(_download(f"notebooks/solutions/{lang}/{name}.ipynb", ui["solution"]))
    title = html.escape(re.sub(r"^\d+\s*[·.:-]\s*", "", title))
    return (
        f'<tr><td>{name[:2]}</td><td><a href="lessons/{page_name(name, lang)}">{title}</a></td>'
        f"<td>{time}</td><td>{'<br>'.join(links)}</td></tr>"
    )


def student_version(nb, lang: str, name: str):
    """A translated notebook's markdown as the student site words it: each cell that
    ``webpage.for_students`` rewords in English takes the catalogue's translation of the
    reworded English (its ``STUDENT_KIND`` entry; ``--check`` requires one)."""
    import polib

    from . import webpage
    from .translations.common import Paths

    english = nbs.read(nbs.SOLUTIONS / name)
    po = polib.pofile(str(Paths(ROOT).catalogue(lang, name)))
    table = {(e.msgctxt, e.msgid): e.msgstr for e in po if not e.obsolete and e.msgstr}
    sources = {c.id: c.source for c in english.cells if c.cell_type == "markdown"}
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.id in sources:
            reworded = webpage.for_students(sources[cell.id])
            if reworded != sources[cell.id]:
                cell.source = table[(cell.id, reworded)]
    return nb


def _copy_downloads(site: Path, lang: str, file: str, student: bool) -> None:
    kinds = [("lessons", nbs.LESSONS)] + ([] if student else [("solutions", nbs.SOLUTIONS)])
    for kind, folder in kinds:
        source = folder / lang / file
        if source.is_file():
            target = site / "notebooks" / kind / lang / file
            target.parent.mkdir(parents=True, exist_ok=True)
            if student:  # lesson 00 without its pointers to solutions/, as in English
                nbs.write(student_version(nbs.read(source), lang, file), target)
            else:
                shutil.copy2(source, target)


def _learner_pages(site: Path, lang: str) -> dict[str, str]:
    """Render ``translations/<lang>/docs/`` into ``learners/<lang>/``; return {stem: href}."""
    from . import site as site_module

    source = ROOT / "translations" / lang / DOCS
    pages = sorted([*source.glob("*.md"), *source.glob("*.html")]) if source.is_dir() else []
    out = site / "learners" / lang
    home = f'<a href="../../{index_name(lang)}">{UI[lang]["index"]}</a>'
    found = {}
    for page in pages:
        out.mkdir(parents=True, exist_ok=True)
        text = site_module.guide_page(page, f'<nav class="course-nav">{home}</nav>')
        (out / f"{page.stem}.html").write_text(_set_lang(text, lang), encoding="utf-8")
        found[page.stem] = f"learners/{lang}/{page.stem}.html"
    return found


def _write_index(
    site: Path, lang: str, rows: list[str], learners: dict[str, str], student, untranslated
) -> None:
    from . import site as site_module

    ui = UI[lang]
    extra = ""
    if learners:
        links = "; ".join(f'<a href="{href}">{ui.get(k, k)}</a>' for k, href in learners.items())
        extra = f"<p><b>{ui['learners']}:</b> {links}.</p>"
    intro = ui["intro"]
    if untranslated:
        intro += " " + ui["untranslated"].format(lessons=", ".join(untranslated))
    body = f"""<p class="audience">{ui["student" if student else "instructor"]}</p>
<h1>{html.escape(ui["course"])}</h1>
<p>{intro}</p>
{extra}
<table>
<thead><tr><th>#</th><th>{ui["lesson"]}</th><th>{ui["time"]}</th><th>{ui["downloads"]}</th></tr>
</thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
"""
    page = site_module._page(ui["course"], body, ".audience { font: bold 14px system-ui; }")
    (site / index_name(lang)).write_text(_set_lang(page, lang), encoding="utf-8")


def build_languages(
    site: Path, prefix, student: bool, minutes: dict[str, tuple[int, ...]], langs=LANGS
) -> dict[str, list[str]]:
    """Add every generated translation to ``site``; return {lang: [lesson names]} built.
    ``minutes``: each English lesson's time, by name (``site.lesson_info``)."""
    from . import site as site_module
    from . import slides, webpage

    built: dict[str, list[str]] = {}
    exporter = site_module.html_exporter(prefix)
    for lang in langs:
        paths = translated_solutions(lang)
        if not paths:
            continue
        names = [p.stem for p in paths]
        notebooks = {p.stem: nbs.read(p) for p in paths}
        titles = {name: slides.title(nb) for name, nb in notebooks.items()}
        rows = []
        for i, path in enumerate(paths):
            nb = notebooks[path.stem]
            if student:
                nb = student_version(site_module.student_notebook(nb), lang, path.name)
            else:
                nb = webpage.model_answers_labelled(nb)
            nav = _nav(lang, names, titles, i, student)
            page = site_module.render_lesson_page(exporter, nb, titles[path.stem], nav)
            target = site / "lessons" / page_name(path.stem, lang)
            target.write_text(_set_lang(page, lang), encoding="utf-8")
            _copy_downloads(site, lang, path.name, student)
            rows.append(_row(lang, path.stem, titles[path.stem], minutes[path.stem], student))
        untranslated = [name[:2] for name in minutes if name not in names]
        _write_index(site, lang, rows, _learner_pages(site, lang), student, untranslated)
        built[lang] = names
    _add_switches(site, built)
    return built


def _add_switches(site: Path, built: dict[str, list[str]]) -> None:
    """Put the switch on every page that exists in more than one language."""
    pages = {"index": {"en": "index.html", **{lang: index_name(lang) for lang in built}}}
    for lang, names in built.items():
        for name in names:
            where = pages.setdefault(name, {"en": f"lessons/{page_name(name, 'en')}"})
            where[lang] = f"lessons/{page_name(name, lang)}"
    for where in pages.values():
        for lang, rel in where.items():
            path = site / rel
            if len(where) < 2 or not path.is_file():
                continue
            hrefs = {
                other: Path(os.path.relpath(site / target, path.parent)).as_posix()
                for other, target in where.items()
            }
            page = path.read_text(encoding="utf-8")
            path.write_text(_after_body(page, switch(hrefs, lang)), encoding="utf-8")
