"""Shared look for every figure in the course: palette, style, figure factory.

Figures and explorers for each lesson live in :mod:`helpers.explorers`; this
module only holds what they share. The palette is Okabe and Ito's, which stays
distinguishable for the common forms of colour blindness.
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt

#: Okabe-Ito colour-blind-safe palette, in the order figures use it.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "sky": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
}
COLORS = list(PALETTE.values())

#: Second cues for series that differ only by colour, in the order of :data:`COLORS`:
#: under simulated tritanopia the palette's blue and green look alike, and under
#: deuteranopia and protanopia its orange and vermillion (tools/colour_vision.py), so a
#: figure with three or more series gives lines a style and bars a hatch as well.
LINESTYLES = ["-", "--", "-.", ":"]
HATCHES = ["", "//", "..", "xx"]

STYLE = {
    "axes.prop_cycle": mpl.cycler(color=COLORS),
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.figsize": (7.0, 3.6),
    "figure.dpi": 90,
    "savefig.dpi": 110,
    "font.size": 10,
    "legend.frameon": False,
    "image.cmap": "cividis",
}


def use_course_style() -> None:
    """Apply the course style to every later figure (the setup cell of each lesson calls it)."""
    mpl.rcParams.update(STYLE)


def figure(nrows: int = 1, ncols: int = 1, **kwargs):
    """``plt.subplots`` with the course style; returns ``(fig, axes)``."""
    with mpl.rc_context(STYLE):
        return plt.subplots(nrows, ncols, layout="constrained", **kwargs)


def live_figure(figsize, build=None):
    """A figure an explorer redraws on every slider move; returns ``(fig, build(fig))``.

    A plain :class:`~matplotlib.figure.Figure` on an Agg canvas: not registered
    with pyplot, so Jupyter never shows a stray copy and nothing needs closing,
    and without a layout engine, so a redraw does not re-run the layout solver.
    ``build(fig)`` creates the axes (under the course style) and returns them.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with mpl.rc_context(STYLE):
        fig = Figure(figsize=figsize)
        FigureCanvasAgg(fig)
        parts = build(fig) if build is not None else None
    return fig, parts


#: nbconvert's stand-in when an image has no text alternative; no course figure keeps it.
NO_ALT = "No description has been provided for this image"


def show(fig=None, *, alt: str) -> None:
    """Display ``fig`` (default: the current pyplot figure) with ``alt`` as its text alternative.

    ``alt`` says what the figure shows and what it finds (one or two sentences, the
    finding of its caption). It is stored in the output's metadata as
    ``metadata["image/png"]["alt"]``, which the course's site and deck templates write into
    the ``<img alt="...">``. The PNG is the one ``plt.show()`` would give (same inline
    backend); the figure is closed afterwards, as ``plt.show()`` does.
    """
    from IPython.display import display

    if not isinstance(alt, str):
        raise TypeError(f"alt must be a str, got {type(alt).__name__}")
    if not alt.strip() or alt.strip() == NO_ALT:
        raise ValueError("alt must describe the figure and its finding, got an empty text")
    if fig is None:
        fig = plt.gcf()
    elif not isinstance(fig, mpl.figure.Figure):
        raise TypeError(f"fig must be a matplotlib Figure or None, got {type(fig).__name__}")
    display(fig, metadata={"image/png": {"alt": alt.strip()}})
    plt.close(fig)
