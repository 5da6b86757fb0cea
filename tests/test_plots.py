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


# ------------------------------------------------------------- text alternatives

import base64  # noqa: E402

import nbformat  # noqa: E402

from tools import notebooks as nbs  # noqa: E402

_PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360f8cfc0000003010100c9fe92ef0000000049454e44ae426082"
    )
).decode()


def _image_outputs(nb):
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if "image/png" in output.get("data", {}):
                yield cell, output


@pytest.mark.parametrize("path", nbs.solution_paths(), ids=lambda p: p.stem)
def test_every_figure_in_the_solutions_has_a_text_alternative(path):
    figures = list(_image_outputs(nbs.read(path)))
    for cell, output in figures:
        alt = output.get("metadata", {}).get("image/png", {}).get("alt", "")
        assert len(alt.split()) >= 8, f"{path.name} cell {cell.id}: no text alternative"
        assert alt != plots.NO_ALT
        assert "plots.show(" in cell.source, f"{path.name} cell {cell.id}: alt not next to code"


def test_show_stores_the_alt_text_in_the_png_metadata(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, **kw: shown.append((obj, kw)))
    fig, ax = plots.figure()
    plots.show(fig, alt="  A test figure: nothing but axes.  ")
    assert shown == [
        (fig, {"metadata": {"image/png": {"alt": "A test figure: nothing but axes."}}})
    ]
    assert fig.number not in plt.get_fignums(), "show closes the figure, as plt.show() does"


@pytest.mark.parametrize(
    "fig, alt, error",
    [
        (None, None, TypeError),
        (None, 3, TypeError),
        (None, "   ", ValueError),
        (None, plots.NO_ALT, ValueError),
        ("figure", "a figure", TypeError),
    ],
)
def test_show_rejects_a_missing_alt_or_a_non_figure(fig, alt, error):
    with pytest.raises(error, match="^(alt|fig) "):
        plots.show(fig, alt=alt)


def _notebook_with_a_figure(alt: str):
    nb = nbformat.v4.new_notebook()
    output = nbformat.v4.new_output(
        "display_data", data={"image/png": _PNG}, metadata={"image/png": {"alt": alt}}
    )
    nb.cells.append(nbformat.v4.new_code_cell("plots.show(fig, alt=...)", outputs=[output]))
    return nb


def test_site_pages_and_decks_write_the_alt_text_into_the_img_tag():
    from tools import site, slides

    alt = 'A sigmoid "S" & its slope'
    for exporter in (site.html_exporter(None), slides.slides_exporter(None)):
        page, _ = exporter.from_notebook_node(_notebook_with_a_figure(alt))
        assert _img_alts(page) == [alt], type(exporter).__name__
        assert plots.NO_ALT not in page


def _img_alts(page: str) -> list[str]:
    from html.parser import HTMLParser

    found = []

    class Images(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "img":
                found.append(dict(attrs).get("alt"))

    Images().feed(page)
    return found
