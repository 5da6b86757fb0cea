"""Lesson 03, The softmax Jacobian: heatmaps of J, its eigenvalues, the cost of building it.

Pure functions compute what each figure shows (:func:`jacobian_state`,
:func:`jacobian_spectrum`, :func:`jacobian_bytes`, :func:`measure_costs`);
drawing functions take that data and return a Figure or draw on given Axes;
:func:`jacobian_explorer` only wires four sliders to them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from matplotlib.ticker import LogLocator, NullLocator

from .. import plots
from .._validate import positive_int
from ..softmax import softmax, softmax_jacobian, softmax_vjp

__all__ = [
    "JacobianState",
    "jacobian_state",
    "draw_jacobian",
    "explorer_figure",
    "plot_jacobian_heatmaps",
    "jacobian_readout",
    "jacobian_explorer",
    "jacobian_spectrum",
    "plot_eigenvalues",
    "plot_gradient_checks",
    "jacobian_bytes",
    "vjp_bytes",
    "CostTable",
    "measure_costs",
    "plot_costs",
    "LossGradients",
    "squared_error_vs_cross_entropy",
    "plot_squared_error_vs_cross_entropy",
]

#: Every entry of a softmax Jacobian lies in [-1/4, 1/4] (lesson 03 derives it),
#: so one fixed colour scale serves every heatmap and zero is always white.
J_LIMIT = 0.25


def _logits(z, name="z") -> np.ndarray:
    """A 1-D array of real logits, finite or -inf (at least one finite)."""
    try:
        z = np.asarray(z, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a 1-D array of numbers, got {z!r}") from None
    if z.ndim != 1 or z.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array of logits, got shape {z.shape}")
    if np.isnan(z).any() or (z == np.inf).any() or not np.isfinite(z).any():
        raise ValueError(f"{name} must be finite (-inf allowed, with at least one finite logit)")
    return z


# ------------------------------------------------------------- heatmaps of J


def _entry(v: float) -> str:
    """Three decimals, with no "-0.000" for tiny negative entries."""
    return f"{round(float(v), 3) + 0.0:.3f}"


@dataclass(frozen=True)
class JacobianState:
    """What the Jacobian explorer shows for one logit vector."""

    z: np.ndarray  # (k,) logits
    s: np.ndarray  # (k,) softmax(z)
    J: np.ndarray  # (k, k) diag(s) - s s^T


def jacobian_state(z) -> JacobianState:
    """Softmax probabilities and Jacobian of one logit vector.

    Parameters
    ----------
    z : array_like of shape (k,)

    Returns
    -------
    JacobianState
        ``z``, ``s = softmax(z)`` and ``J = diag(s) - s s^T``.

    Examples
    --------
    >>> st = jacobian_state([0.0, 0.0])
    >>> st.s
    array([0.5, 0.5])
    >>> st.J
    array([[ 0.25, -0.25],
           [-0.25,  0.25]])
    """
    z = _logits(z)
    return JacobianState(z=z, s=softmax(z), J=softmax_jacobian(z))


def _text_colour(v: float) -> str:
    return "white" if abs(v) > 0.6 * J_LIMIT else "black"


def draw_jacobian(state: JacobianState, ax_bar, ax_heat):
    """Draw ``s`` as bars on ``ax_bar`` and ``J`` as an annotated heatmap on ``ax_heat``.

    The first call builds the artists; later calls with the same k only update
    them (bar heights, image data, labels), which keeps a slider redraw fast.
    Returns the heatmap's image (for a colorbar).
    """
    k = state.s.size
    heat = ax_heat.images[0] if ax_heat.images else None
    if heat is None or heat.get_array().shape != (k, k) or len(ax_bar.patches) != k:
        return _build_jacobian_axes(state, ax_bar, ax_heat)
    for rect, label, p in zip(ax_bar.patches, ax_bar.texts, state.s):
        rect.set_height(p)
        label.set_y(p + 0.02)
        label.set_text(f"{p:.2f}")
    heat.set_data(state.J)
    for text, v in zip(ax_heat.texts, state.J.ravel()):
        text.set_text(_entry(v))
        text.set_color(_text_colour(v))
    return heat


def _build_jacobian_axes(state, ax_bar, ax_heat):
    k = state.s.size
    labels = [str(i) for i in range(k)]  # 0-based, as NumPy indexes s and J
    ax_bar.clear()
    ax_bar.bar(labels, state.s, color=plots.PALETTE["blue"])
    ax_bar.set_ylim(0, 1.08)
    ax_bar.set_xlabel("class i")
    ax_bar.set_ylabel("probability $s_i$")
    ax_bar.set_title("s = softmax(z)")
    for i, p in enumerate(state.s):
        ax_bar.text(i, p + 0.02, f"{p:.2f}", ha="center", va="bottom", fontsize=8)

    ax_heat.clear()
    ax_heat.grid(False)
    image = ax_heat.imshow(state.J, cmap="RdBu_r", vmin=-J_LIMIT, vmax=J_LIMIT)
    ax_heat.set_xticks(range(k), labels)
    ax_heat.set_yticks(range(k), labels)
    ax_heat.set_xlabel("input: logit $z_j$")
    ax_heat.set_ylabel("output: $s_i$")
    ax_heat.set_title(r"$J_{ij} = \partial s_i / \partial z_j$")
    for i in range(k):
        for j in range(k):
            v = state.J[i, j]
            ax_heat.text(
                j, i, _entry(v), ha="center", va="center", color=_text_colour(v), fontsize=8
            )
    return image


def explorer_figure():
    """The explorer's figure: bars and heatmap side by side, with a fixed layout and a colorbar.

    A fixed layout (no layout engine) and artists updated in place keep each
    slider redraw cheap. Returns ``(fig, ax_bar, ax_heat)``; the figure is not
    managed by pyplot, so it never piles up or shows twice.
    """

    fig, (ax_bar, ax_heat) = plots.live_figure(EXPLORER_SIZE, _explorer_axes)
    return fig, ax_bar, ax_heat


EXPLORER_SIZE = (8.0, 3.4)


def _explorer_axes(fig):
    ax_bar, ax_heat = fig.subplots(1, 2)
    fig.subplots_adjust(left=0.08, right=0.9, bottom=0.15, top=0.88, wspace=0.35)
    image = draw_jacobian(jacobian_state(np.zeros(4)), ax_bar, ax_heat)
    fig.colorbar(image, ax=ax_heat, shrink=0.85, label=r"$J_{ij}$")
    return ax_bar, ax_heat


def _check_one_name_each(logit_sets, names, name):
    """At least one logit vector and, when ``names`` is given, one entry of it per vector."""
    if not logit_sets:
        raise ValueError("logit_sets must hold at least one logit vector")
    if names is not None and len(names) != len(logit_sets):
        raise ValueError(f"{name} must have {len(logit_sets)} entries, got {len(names)}")


def plot_jacobian_heatmaps(logit_sets, titles=None):
    """One heatmap of J per logit vector, on a shared diverging scale centred at 0.

    Parameters
    ----------
    logit_sets : sequence of array_like of shape (k,)
    titles : sequence of str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    states = [jacobian_state(z) for z in logit_sets]
    _check_one_name_each(states, titles, "titles")
    n = len(states)
    fig, axes = plots.figure(1, n, figsize=(3.0 * n + 1.0, 3.6), squeeze=False)
    for m, (ax, st) in enumerate(zip(axes[0], states)):
        ax.grid(False)
        image = ax.imshow(st.J, cmap="RdBu_r", vmin=-J_LIMIT, vmax=J_LIMIT)
        k = st.s.size
        ticks = [str(i) for i in range(k)]  # 0-based, as NumPy indexes J
        ax.set_xticks(range(k), ticks)
        ax.set_yticks(range(k), ticks)
        ax.set_xlabel("input: logit $z_j$")
        if m == 0:
            ax.set_ylabel("output: $s_i$")
        head = f"{titles[m]}\n" if titles is not None else ""
        z_text, s_text = plots.numbers(st.z), plots.numbers(st.s, ".2f")
        ax.set_title(f"{head}z = {z_text}\ns = {s_text}", fontsize=9)
        for i in range(k):
            for j in range(k):
                v = st.J[i, j]
                colour = "white" if abs(v) > 0.6 * J_LIMIT else "black"
                ax.text(j, i, _entry(v), ha="center", va="center", color=colour, fontsize=8)
    bar = fig.colorbar(image, ax=axes[0].tolist(), shrink=0.85)
    bar.set_label(r"$J_{ij} = \partial s_i / \partial z_j$ (red > 0, blue < 0)")
    return fig


def jacobian_readout(state: JacobianState) -> str:
    """One line for the explorer: s, the diagonal of J and its largest entry.

    Examples
    --------
    >>> jacobian_readout(jacobian_state([0.0, 0.0]))
    's = [0.500, 0.500]  |  diag(J) = [0.250, 0.250]  |  max |J_ij| = 0.250 (always <= 1/4)'
    """
    s = ", ".join(f"{v:.3f}" for v in state.s)
    d = ", ".join(_entry(v) for v in np.diag(state.J))
    return (
        f"s = [{s}]  |  diag(J) = [{d}]  |  "
        f"max |J_ij| = {np.abs(state.J).max():.3f} (always <= 1/4)"
    )


def jacobian_explorer(z0=(2.0, 1.0, 0.1, -1.0)):
    """Four logit sliders; the probabilities and the Jacobian heatmap redraw (live kernel).

    Returns
    -------
    ipywidgets.VBox
        The sliders, a one-line readout and the figure output.
    """
    import ipywidgets as widgets

    z0 = _logits(z0, "z0")
    if z0.size != 4 or not np.isfinite(z0).all():
        raise ValueError(f"z0 must hold 4 finite logits, got {z0.size}")
    sliders = {  # z0 .. z3: 0-based, as the lesson and NumPy index the logits
        f"z{i}": widgets.FloatSlider(
            value=float(v), min=-6.0, max=6.0, step=0.1, description=f"logit z{i}"
        )
        for i, v in enumerate(z0)
    }
    readout = widgets.Label()
    live = plots.LivePlot(  # draw_jacobian updates the artists it drew before
        EXPLORER_SIZE, _explorer_axes, lambda state, axes: draw_jacobian(state, *axes)
    )

    def draw(**z):
        state = jacobian_state([z[name] for name in sliders])
        readout.value = jacobian_readout(state)
        live.show(state)

    out = widgets.interactive_output(draw, sliders)
    controls = widgets.HBox(
        [widgets.VBox(list(sliders.values())[:2]), widgets.VBox(list(sliders.values())[2:])]
    )
    return widgets.VBox([controls, readout, out])


# ------------------------------------------------------------------ eigenvalues


def jacobian_spectrum(z):
    r"""Eigenvalues (ascending) of the softmax Jacobian and the eigenvector of the smallest.

    Parameters
    ----------
    z : array_like of shape (k,)

    Returns
    -------
    eigenvalues : ndarray of shape (k,)
        All >= 0 up to rounding; the smallest is 0 (J is singular).
    v0 : ndarray of shape (k,)
        Unit eigenvector of the smallest eigenvalue, sign chosen so that its
        sum is positive: :math:`\mathbf{1}/\sqrt{k}` when every :math:`s_i > 0`.

    Examples
    --------
    >>> lam, v0 = jacobian_spectrum([0.0, 0.0])
    >>> (lam + 0.0).round(8), v0.round(8)
    (array([0. , 0.5]), array([0.70710678, 0.70710678]))
    """
    J = softmax_jacobian(_logits(z))
    lam, vecs = np.linalg.eigh(J)  # J is symmetric: real eigenvalues, ascending
    v0 = vecs[:, 0]
    return lam, v0 if v0.sum() >= 0 else -v0


def plot_eigenvalues(logit_sets, labels=None):
    r"""The sorted eigenvalues of J for several logit vectors (one marker row each).

    The eigenvalues are indexed from 0 in ascending order, so the one at index 0
    is the zero eigenvalue of the direction :math:`\mathbf{1}`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    logit_sets = [_logits(z) for z in logit_sets]
    _check_one_name_each(logit_sets, labels, "labels")
    fig, ax = plots.figure(figsize=(7.0, 3.6))
    markers = "osD^v"
    for m, z in enumerate(logit_sets):
        lam, _ = jacobian_spectrum(z)
        lam = lam + 0.0  # -0.0 -> 0.0
        label = labels[m] if labels is not None else f"z = {plots.numbers(z)}"
        ax.plot(
            np.arange(lam.size) + 0.08 * (m - (len(logit_sets) - 1) / 2),
            lam,
            marker=markers[m % len(markers)],
            linestyle="-",
            linewidth=1,
            color=plots.COLORS[m % len(plots.COLORS)],
            label=label,
        )
    ax.axhline(0, color=plots.PALETTE["black"], linewidth=0.8)
    k_max = max(z.size for z in logit_sets)
    ax.set_xticks(range(k_max))
    ax.set_xlabel("eigenvalue index (ascending, from 0)")
    ax.set_ylabel(r"eigenvalue $\lambda$ of $J$")
    ax.set_title("Eigenvalues of J: all >= 0 (positive semi-definite), the smallest is 0")
    ax.legend(loc="upper left", fontsize=8)
    return fig


# ------------------------------------------------------------ gradient checks


def plot_gradient_checks(names, rel_errors, tol=1e-6):
    """Relative errors of gradient checks as horizontal bars (log scale) with the tolerance.

    Parameters
    ----------
    names : sequence of str
    rel_errors : sequence of float >= 0
        From :func:`helpers.gradient_check` (``.rel_error``).
    tol : float > 0
        The pass/fail line.

    Returns
    -------
    matplotlib.figure.Figure
    """
    errors = np.asarray(rel_errors, dtype=np.float64)
    if errors.ndim != 1 or errors.size == 0 or errors.size != len(names):
        raise ValueError("rel_errors must hold one number per name")
    if not np.isfinite(errors).all() or (errors < 0).any():
        raise ValueError("rel_errors must be finite and >= 0")
    if not tol > 0:
        raise ValueError(f"tol must be positive, got {tol!r}")
    fig, ax = plots.figure(figsize=(7.0, 0.45 * errors.size + 1.6))
    shown = np.maximum(errors, 1e-17)  # an exact 0 still gets a visible bar
    y = np.arange(errors.size)[::-1]
    colours = [plots.PALETTE["green"] if e <= tol else plots.PALETTE["vermillion"] for e in errors]
    ax.barh(y, shown, color=colours, left=1e-17)
    ax.set_xscale("log")
    ax.set_xlim(1e-17, max(1.0, 3.0 * float(shown.max())))
    ax.axvline(tol, color=plots.PALETTE["black"], linestyle="--", linewidth=1)
    ax.text(tol * 1.5, y.max() + 0.45, f"tolerance {tol:g}", fontsize=8, va="center")
    ax.set_yticks(y, list(names))
    ax.set_xlabel("relative error: analytic vs central differences")
    ax.set_ylabel("derivative checked")
    ax.set_title("Gradient checks (green: passed, red: failed)")
    ax.grid(axis="y", visible=False)
    return fig


# ----------------------------------------------------------------- cost of J


def jacobian_bytes(k, n=1, dtype=np.float64) -> int:
    """Bytes of ``n`` dense (k, k) Jacobians: ``n * k**2 * itemsize``.

    Examples
    --------
    >>> jacobian_bytes(50_000) / 1e9   # one example, a 50,000-word vocabulary, in GB
    20.0
    """
    k, n = positive_int(k, "k"), positive_int(n, "n")
    return n * k * k * np.dtype(dtype).itemsize


def vjp_bytes(k, n=1, dtype=np.float64) -> int:
    """Bytes of the VJP's result, ``n * k * itemsize`` (its temporaries are the same size).

    Examples
    --------
    >>> vjp_bytes(50_000) / 1e3   # kB
    400.0
    """
    k, n = positive_int(k, "k"), positive_int(n, "n")
    return n * k * np.dtype(dtype).itemsize


@dataclass(frozen=True)
class CostTable:
    """Memory (bytes) and measured time (seconds) of the dense Jacobian route and the VJP."""

    ks: np.ndarray
    dense_bytes: np.ndarray
    vjp_bytes: np.ndarray
    dense_seconds: np.ndarray
    vjp_seconds: np.ndarray


def measure_costs(ks, repeats=3, seed=0) -> CostTable:
    """Time ``J = softmax_jacobian(z); J @ g`` against ``softmax_vjp(z, g)`` for each k.

    Parameters
    ----------
    ks : sequence of positive int
        Vocabulary sizes; keep the largest at a few thousand (k = 3000 builds 72 MB).
    repeats : int >= 1
        Each time is the best of ``repeats`` runs.
    seed : int

    Returns
    -------
    CostTable
        Bytes are exact (from ``nbytes``); seconds vary from run to run.
    """
    ks = np.asarray([positive_int(k, "ks") for k in ks])
    if ks.size == 0:
        raise ValueError("ks must hold at least one size")
    repeats = positive_int(repeats, "repeats")
    rng = np.random.default_rng(seed)
    dense_b, vjp_b, dense_t, vjp_t = [], [], [], []
    for k in ks:
        z, g = rng.normal(size=k), rng.normal(size=k)
        best_dense = best_vjp = np.inf
        for _ in range(repeats):
            start = time.perf_counter()
            J = softmax_jacobian(z)  # (k, k)
            dz_dense = J @ g
            best_dense = min(best_dense, time.perf_counter() - start)
            start = time.perf_counter()
            dz = softmax_vjp(z, g)  # (k,)
            best_vjp = min(best_vjp, time.perf_counter() - start)
        dense_b.append(J.nbytes)
        vjp_b.append(dz.nbytes)
        dense_t.append(best_dense)
        vjp_t.append(best_vjp)
        del J, dz_dense
    return CostTable(ks, np.array(dense_b), np.array(vjp_b), np.array(dense_t), np.array(vjp_t))


def _bytes_label(b: float) -> str:
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if b >= size:
            return f"{b / size:.3g} {unit}"
    return f"{b:.0f} B"


def plot_costs(table: CostTable, vocab=50_000):
    """Log-log memory (left, extrapolated to ``vocab``) and measured time (right) against k.

    The time panel also has two dashed guide lines, proportional to :math:`k^2`
    (slope 2) and :math:`k` (slope 1), each drawn through its route's time at the
    largest measured k and over the top 1.5 decades of k, where the dense route's
    cost is no longer a fixed overhead.

    Returns
    -------
    matplotlib.figure.Figure
    """
    vocab = positive_int(vocab, "vocab")
    blue, orange = plots.PALETTE["blue"], plots.PALETTE["orange"]
    fig, (ax_mem, ax_time) = plots.figure(1, 2, figsize=(9.0, 3.8))

    ks_all = np.geomspace(table.ks.min(), vocab, 50)
    ax_mem.loglog(ks_all, ks_all**2 * 8, color=blue, linestyle=":", linewidth=1)
    ax_mem.loglog(ks_all, ks_all * 8, color=orange, linestyle=":", linewidth=1)
    ax_mem.loglog(table.ks, table.dense_bytes, "o-", color=blue, label=r"dense $J$: $8k^2$ bytes")
    ax_mem.loglog(table.ks, table.vjp_bytes, "s-", color=orange, label=r"VJP: $8k$ bytes")
    for b, colour in ((jacobian_bytes(vocab), blue), (vjp_bytes(vocab), orange)):
        ax_mem.plot([vocab], [b], marker="*", markersize=12, color=colour)
        ax_mem.annotate(  # right of the star, where no line runs
            _bytes_label(b),
            (vocab, b),
            textcoords="offset points",
            xytext=(9, 0),
            ha="left",
            va="center",
            color=colour,
        )
    ax_mem.set_xlim(right=vocab * 12)  # room for those labels
    ax_mem.set_xlabel("number of classes k")
    ax_mem.set_ylabel("bytes per example (float64)")
    ax_mem.set_title(f"Memory (dotted: extrapolated to k = {vocab:,})")
    ax_mem.legend(loc="upper left", fontsize=8)

    ax_time.loglog(table.ks, table.dense_seconds, "o-", color=blue, label="build J, then J @ g")
    ax_time.loglog(table.ks, table.vjp_seconds, "s-", color=orange, label="VJP: s * (g - g.s)")
    k_top = table.ks.max()  # guides through the largest measurement of each route
    k_guide = np.geomspace(max(table.ks.min(), k_top / 30), k_top, 20)
    for seconds, power, colour, label in (
        (table.dense_seconds, 2, blue, r"$\propto k^2$ (slope 2)"),
        (table.vjp_seconds, 1, orange, r"$\propto k$ (slope 1)"),
    ):
        anchor = seconds[np.argmax(table.ks)]
        ax_time.loglog(
            k_guide,
            anchor * (k_guide / k_top) ** power,
            color=colour,
            linestyle="--",
            linewidth=1,
            alpha=0.8,
            label=label,
        )
    ax_time.set_xlabel("number of classes k")
    ax_time.set_ylabel("seconds (best of repeats)")
    ax_time.set_title("Measured time on this machine")
    ax_time.legend(loc="upper left", fontsize=8)
    for ax in (ax_mem, ax_time):  # decades only: many log ticks make the figure slow to draw
        ax.xaxis.set_minor_locator(NullLocator())
        ax.yaxis.set_minor_locator(NullLocator())
    ax_mem.yaxis.set_major_locator(LogLocator(numticks=6))
    return fig


# ------------------------------------------- squared error vs cross-entropy


@dataclass(frozen=True)
class LossGradients:
    """Gradients with respect to the logits as one wrong logit rises (true class 0)."""

    u: np.ndarray  # (m,) the logit of the wrong class 1; the other logits are 0
    s: np.ndarray  # (m, k) softmax([0, u, 0, ...])
    ce: np.ndarray  # (m, k) cross-entropy -log s_0: s - y
    mse: np.ndarray  # (m, k) squared error 0.5 * ||s - y||^2: J (s - y), through the VJP

    @property
    def ce_norm(self) -> np.ndarray:
        return np.linalg.norm(self.ce, axis=1)

    @property
    def mse_norm(self) -> np.ndarray:
        return np.linalg.norm(self.mse, axis=1)

    def readout(self, at) -> str:
        """The two gradient sizes at the grid points nearest to each value in ``at``."""
        lines = []
        for u in at:
            i = int(np.argmin(np.abs(self.u - u)))
            lines.append(
                f"wrong logit u = {self.u[i]:5.1f}: s_true = {self.s[i, 0]:.2e}, "
                f"|grad| cross-entropy = {self.ce_norm[i]:.3f}, "
                f"squared error = {self.mse_norm[i]:.1e}"
            )
        return "\n".join(lines)


def squared_error_vs_cross_entropy(u, k=3) -> LossGradients:
    r"""The gradient of each loss with respect to the logits z = [0, u, 0, ...], true class 0.

    Cross-entropy :math:`-\log s_0` has the gradient :math:`s - y`; the squared error
    :math:`\tfrac12 \lVert s - y \rVert^2` has :math:`J^\top (s - y) = J (s - y)`, the
    vector-Jacobian product with upstream gradient :math:`s - y`. As the wrong logit
    ``u`` grows the prediction becomes confidently wrong, :math:`J \to 0`, and only
    the cross-entropy gradient stays large.

    Parameters
    ----------
    u : sequence of float, shape (m,)
        Values of the wrong class's logit.
    k : int >= 2
        Number of classes.

    Examples
    --------
    >>> g = squared_error_vs_cross_entropy([0.0, 20.0])
    >>> g.ce_norm.round(3), g.mse_norm < 1e-7
    (array([0.816, 1.414]), array([False,  True]))
    """
    u = _logits(u, "u")
    k = int(k)
    if k < 2:
        raise ValueError(f"k must be at least 2, got {k}")
    Z = np.zeros((u.size, k))  # (m, k)
    Z[:, 1] = u
    y = np.zeros(k)
    y[0] = 1.0  # the true class is 0
    s = softmax(Z, axis=-1)
    ce = s - y
    mse = softmax_vjp(Z, s - y)  # (s - y) is dL/ds for the squared error
    return LossGradients(u, s, ce, mse)


def plot_squared_error_vs_cross_entropy(u=None, k=3):
    """Left: the probability of the true class; right: the two gradient sizes, log scale.

    Returns the Figure.
    """
    u = np.linspace(-6.0, 16.0, 221) if u is None else u
    g = squared_error_vs_cross_entropy(u, k=k)
    fig, (ax1, ax2) = plots.figure(1, 2, figsize=(9.0, 3.6))
    ax1.plot(g.u, g.s[:, 0], color=plots.PALETTE["blue"], lw=2, label="true class 0")
    ax1.plot(g.u, g.s[:, 1], color=plots.PALETTE["vermillion"], lw=2, label="wrong class 1")
    ax1.set_xlabel("logit u of the wrong class (the others at 0)")
    ax1.set_ylabel("probability")
    ax1.set_title("The prediction turns confidently wrong")
    ax1.legend(loc="center right", fontsize=8)
    ax2.semilogy(g.u, g.ce_norm, color=plots.PALETTE["green"], lw=2, label="cross-entropy: s - y")
    ax2.semilogy(
        g.u,
        g.mse_norm,
        color=plots.PALETTE["orange"],
        lw=2,
        ls="--",
        label="squared error: J(s - y)",
    )
    ax2.set_ylim(1e-8, 5.0)
    ax2.set_xlabel("logit u of the wrong class")
    ax2.set_ylabel("size of the gradient |dL/dz|")
    ax2.set_title("Only cross-entropy keeps pushing")
    ax2.legend(loc="lower left", fontsize=8)
    return fig
