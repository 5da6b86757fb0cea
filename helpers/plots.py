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


class LivePlot:
    """An explorer's figure: drawn once, then updated in place on every slider move.

    Parameters
    ----------
    figsize : (float, float)
        Inches, as for :func:`live_figure`.
    axes : (left, bottom, width, height) or callable
        One Axes at this rectangle (figure fractions), or ``build(fig)`` returning
        whatever the drawing functions take as ``axes`` (several Axes, a helper object).
    draw : callable
        ``draw(view, axes) -> handles`` creates the artists for ``view``.
    update : callable, optional
        ``update(handles, view)`` changes their data and text. Without it ``draw`` runs
        on every render and must itself update what it drew before.

    Moving data is cheap; creating ticks, legends and text is what makes a full redraw
    slow. The figure is a :func:`live_figure`: not managed by pyplot (Jupyter shows it
    only when :meth:`show` asks), no layout engine.
    """

    def __init__(self, figsize, axes, draw, update=None):
        if not callable(draw):
            raise TypeError(f"draw must be callable, got {type(draw).__name__}")
        if update is not None and not callable(update):
            raise TypeError(f"update must be callable or None, got {type(update).__name__}")
        if callable(axes):
            build = axes
        else:
            rect = tuple(float(v) for v in axes)
            if len(rect) != 4:
                raise ValueError(f"axes must be (left, bottom, width, height), got {axes!r}")

            def build(fig):
                return fig.add_axes(rect)

        self.fig, self.ax = live_figure(figsize, build)
        self._draw, self._update = draw, update
        self.handles = None

    def render(self, view) -> None:
        """Draw or update for ``view``, without showing anything (what the tests time)."""
        with mpl.rc_context(STYLE):
            if self.handles is None or self._update is None:
                self.handles = self._draw(view, self.ax)
            else:
                self._update(self.handles, view)

    def show(self, view) -> None:
        """Render and display the figure (inside the explorer's Output widget)."""
        from IPython.display import display

        self.render(view)
        display(self.fig)


def numbers(values, fmt: str = "g") -> str:
    """``values`` as a bracketed list for a title or a readout, each in format ``fmt``.

    >>> numbers([0.5, 0.25], ".2f")
    '[0.50, 0.25]'
    """
    return "[" + ", ".join(format(v, fmt) for v in values) + "]"


def slider_explorer(update, description, *, readout_format=".2f", **limits):
    """One float slider, a ``<pre>`` text readout and a figure output, as a ``VBox``.

    ``limits`` are the slider's ``value``, ``min``, ``max`` and ``step``.
    ``update(value)`` redraws the figure for the slider's value and returns the
    readout's text; it runs at once and again on every move (needs a live kernel).
    """
    import ipywidgets as widgets

    slider = widgets.FloatSlider(
        description=description, continuous_update=True, readout_format=readout_format, **limits
    )
    readout = widgets.HTML()

    def draw(value):
        readout.value = f"<pre>{update(value)}</pre>"

    out = widgets.interactive_output(draw, {"value": slider})
    return widgets.VBox([slider, readout, out])
