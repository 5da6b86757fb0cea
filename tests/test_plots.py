"""helpers.plots: the shared palette, style and figure factories."""

from __future__ import annotations

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from helpers import plots


def test_palette_is_okabe_ito_and_valid_colours():
    assert len(plots.COLORS) == 8 and len(set(plots.COLORS)) == 8
    assert all(mcolors.is_color_like(c) for c in plots.COLORS)
    assert plots.PALETTE["blue"] == "#0072B2" and plots.PALETTE["vermillion"] == "#D55E00"


def test_live_figure_is_styled_not_managed_by_pyplot_and_cheap_to_redraw():
    before = plt.get_fignums()
    fig, ax = plots.live_figure((4.0, 3.0), lambda f: f.add_axes((0.1, 0.1, 0.8, 0.8)))
    assert plt.get_fignums() == before, "a live figure must not be registered with pyplot"
    assert isinstance(fig.canvas, FigureCanvasAgg)
    assert fig.get_layout_engine() is None, "no layout solver on every redraw"
    assert not ax.spines["top"].get_visible(), "the course style applies to its axes"
    assert tuple(fig.get_size_inches()) == pytest.approx((4.0, 3.0))


def test_live_figure_without_build_returns_no_parts():
    fig, parts = plots.live_figure((2.0, 2.0))
    assert parts is None and fig.axes == []


def test_figure_uses_constrained_layout_and_the_style():
    fig, ax = plots.figure()
    try:
        assert fig.get_layout_engine() is not None
        assert not ax.spines["right"].get_visible()
    finally:
        plt.close(fig)
