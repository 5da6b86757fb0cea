"""Course figures as people with colour-vision deficiencies see them: PNGs in build/a11y/.

    .venv/bin/pip install colorspacious      # not a course dependency: only this check uses it
    .venv/bin/python -m tools.colour_vision  # a few figures (FIGURES); or name cell ids

For each figure (a stored output of a solution notebook, found by its cell id) writes one
PNG with four panels: the original, then simulated deuteranopia, protanopia and
tritanopia (Machado, Oliveira and Fernandes 2009, severity 100, as implemented by
colorspacious's ``sRGB1+CVD`` space). Look at them: every line, bar and marker must stay
distinguishable, and its meaning must not rest on colour alone (line styles, markers,
labels).
"""

from __future__ import annotations

import argparse
import base64
import io
import sys

import numpy as np

from . import notebooks as nbs

OUT = nbs.ROOT / "build" / "a11y"
DEFICIENCIES = ("deuteranomaly", "protanomaly", "tritanomaly")
NAMES = {"deuteranomaly": "deuteranopia", "protanomaly": "protanopia", "tritanomaly": "tritanopia"}
#: Figures that use the most palette colours at once (cell ids in solutions/).
FIGURES = ("cac03ebc", "f889eedb", "f3b61dea", "cebf2bc3")


def stored_png(cell_id: str) -> tuple[str, bytes]:
    """``(notebook stem, PNG bytes)`` of the first image output of the cell ``cell_id``."""
    for path in nbs.solution_paths():
        for cell in nbs.read(path).cells:
            if cell.get("id") != cell_id:
                continue
            for output in cell.get("outputs", []):
                if "image/png" in output.get("data", {}):
                    return path.stem, base64.b64decode(output["data"]["image/png"])
            raise ValueError(f"cell {cell_id} in {path.name} has no image output")
    raise ValueError(f"no solution notebook has a cell with id {cell_id!r}")


def simulate(rgb: np.ndarray, deficiency: str) -> np.ndarray:
    """``rgb`` (H, W, 3 floats in [0, 1]) as seen with ``deficiency`` at severity 100."""
    from colorspacious import cspace_convert

    space = {"name": "sRGB1+CVD", "cvd_type": deficiency, "severity": 100}
    return np.clip(cspace_convert(rgb, space, "sRGB1"), 0.0, 1.0)


def panels(png: bytes, title: str):
    import matplotlib.pyplot as plt

    rgb = plt.imread(io.BytesIO(png))[..., :3]
    fig, axes = plt.subplots(2, 2, figsize=(14, 9), layout="constrained")
    views = [("original", rgb)] + [(NAMES[d], simulate(rgb, d)) for d in DEFICIENCIES]
    for ax, (name, image) in zip(axes.flat, views):
        ax.imshow(image)
        ax.set_title(f"{title}: {name}")
        ax.axis("off")
    return fig


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cells", nargs="*", default=list(FIGURES), help="cell ids of figures")
    args = parser.parse_args(argv)
    try:
        import colorspacious  # noqa: F401
    except ImportError:
        print("needs colorspacious: .venv/bin/pip install colorspacious", file=sys.stderr)
        return 1
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    OUT.mkdir(parents=True, exist_ok=True)
    for cell_id in args.cells:
        stem, png = stored_png(cell_id)
        fig = panels(png, f"{stem} {cell_id}")
        target = OUT / f"cvd-{stem}-{cell_id}.png"
        fig.savefig(target, dpi=80)
        plt.close(fig)
        print(target.relative_to(nbs.ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
