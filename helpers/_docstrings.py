"""Docstring sections that one piece of code owns, placed in numpydoc's order.

A decorator that gives functions a behaviour (``training._reports_divergence``: a diverging
run raises) also documents it, so the sentence is written once and every function it wraps
says the same thing.
"""

from __future__ import annotations

import textwrap

# numpydoc's section order
ORDER = (
    "Parameters",
    "Returns",
    "Yields",
    "Receives",
    "Other Parameters",
    "Raises",
    "Warns",
    "Warnings",
    "See Also",
    "Notes",
    "References",
    "Examples",
)


def with_section(doc: str | None, title: str, body: str) -> str:
    """``doc`` with the section ``title`` holding ``body``, where numpydoc orders it.

    ``body`` is written without indentation; it takes the docstring's. A docstring that
    already has the section is an error (two owners for one section).
    """
    if title not in ORDER:
        raise ValueError(f"title must be a numpydoc section, one of {ORDER}, got {title!r}")
    lines = (doc or "").split("\n")
    rest = [line for line in lines[1:] if line.strip()]
    indent = min((len(ln) - len(ln.lstrip()) for ln in rest), default=4) * " "
    headers = {
        ln.strip(): i
        for i, ln in enumerate(lines[:-1])
        if ln.strip() in ORDER and lines[i + 1].strip() == "-" * len(ln.strip())
    }
    if title in headers:
        raise ValueError(f"the docstring already has a {title} section")
    later = [headers[t] for t in ORDER[ORDER.index(title) + 1 :] if t in headers]
    section = [indent + title, indent + "-" * len(title)]
    section += textwrap.indent(body, indent).split("\n") + [""]
    if later:
        at = min(later)
        return "\n".join(lines[:at] + section + lines[at:])
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines + [""] + section[:-1] + [indent])
