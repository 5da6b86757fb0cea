r"""Lesson 01, The sigmoid and its derivative: figures, demonstrations, the sigma(w x + b) explorer.

Pure functions compute what each figure shows (tested in pytest); ``plot_*``
functions draw them and return the Figure; :func:`affine_sigmoid_explorer`
wires two sliders to :func:`affine_sigmoid` and :func:`draw_affine_sigmoid`.

The lesson needs the standard normal CDF for the probit comparison; the
``helpers`` math modules do not have it, so :func:`normal_cdf` and
:func:`normal_sf` live here (``math.erfc``, no SciPy at run time).

Demonstration helpers that are not reference math also live here:
:func:`correctly_rounded_sigmoid` and :func:`ulp_distance` (exact decimal arithmetic,
so that the lesson prints what the format allows, the same on every CPU, rather than
the last bits of this CPU's ``exp``); :func:`bfloat16_round`, :func:`round_to_format`
and :func:`format_limits` for float16 and bfloat16; :func:`loss_gradients` for
squared error against cross-entropy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .. import plots
from .._validate import finite_scalar, positive_int
from ..floats import (  # re-exported: lesson 01 calls them lesson01.<name>
    FORMATS,
    FormatLimits,
    bfloat16_round,
    correctly_rounded_sigmoid,
    exact_sigmoid,
    format_limits,
    round_exactly,
    round_to_format,
    ulp_distance,
)
from ..gradcheck import central_difference, relative_error
from ..sigmoid import log_sigmoid, logit, sigmoid, sigmoid_grad, softplus

__all__ = [
    "FORMATS",
    "PROBIT_SCALE",
    "STEP_SIZES",
    "STEP_SIZE_POINTS",
    "AffineSigmoid",
    "FormatLimits",
    "bfloat16_round",
    "correctly_rounded_sigmoid",
    "exact_sigmoid",
    "first_one",
    "format_limits",
    "loss_gradients",
    "plot_loss_gradients",
    "plot_low_precision",
    "round_exactly",
    "round_to_format",
    "ulp_distance",
    "affine_sigmoid",
    "affine_sigmoid_explorer",
    "draw_affine_sigmoid",
    "explorer_figure",
    "difference_errors",
    "normal_cdf",
    "normal_sf",
    "plot_affine_sigmoid_family",
    "plot_logistic_vs_probit",
    "plot_sigmoid_and_derivative",
    "plot_softplus",
    "plot_step_size_error",
    "plot_tanh_relation",
    "plot_vanishing_gradient",
    "saturation_threshold",
    "sigmoid_chain_gradient",
]

C = plots.PALETTE

#: :math:`\sqrt{\pi/8}`: :math:`\Phi(\lambda x)` has the sigmoid's slope 1/4 at 0.
PROBIT_SCALE = math.sqrt(math.pi / 8)

#: The steps h and the points x of Figure 6 (:func:`plot_step_size_error`).
STEP_SIZES = np.logspace(-13, -1, 37)
STEP_SIZES.flags.writeable = False
STEP_SIZE_POINTS = (-4.0, -2.0, -0.5, 0.0, 1.0, 3.0)

_erfc = np.vectorize(math.erfc, otypes=[float])


def _grid(x, name: str = "x") -> np.ndarray:
    """A 1-D float array of finite values, or ValueError naming the argument."""
    x = np.asarray(x, dtype=float)
    if x.ndim != 1 or x.size < 2:
        raise ValueError(f"{name} must be a 1-D array of at least 2 points, got shape {x.shape}")
    if not np.isfinite(x).all():
        raise ValueError(f"{name} must contain only finite values")
    return x


# ---------------------------------------------------------------- pure functions


def normal_cdf(x):
    r"""Standard normal CDF :math:`\Phi(x) = \tfrac12 \operatorname{erfc}(-x/\sqrt2)`.

    Written with ``erfc`` rather than :math:`\tfrac12(1 + \operatorname{erf}(x/\sqrt2))`
    so that the far left tail keeps its digits (``1 + erf`` cancels there).

    Examples
    --------
    >>> normal_cdf([0.0, 1.959963984540054]).round(6)
    array([0.5  , 0.975])
    """
    x = np.asarray(x, dtype=float)
    return 0.5 * _erfc(-x / math.sqrt(2.0))


def normal_sf(x):
    r"""Upper tail :math:`1 - \Phi(x) = \Phi(-x)`, accurate far into the tail.

    Examples
    --------
    >>> print(f"{float(normal_sf(10.0)):.6e}")
    7.619853e-24
    """
    return normal_cdf(-np.asarray(x, dtype=float))


def saturation_threshold(fraction: float = 0.1) -> float:
    r"""The :math:`x > 0` where :math:`\sigma'(x)` has fallen to ``fraction`` of its peak 1/4.

    Solving :math:`a(1 - a) = f/4` for :math:`a = \sigma(x) > 1/2` gives
    :math:`a = (1 + \sqrt{1 - f})/2`, so :math:`x = \operatorname{logit}(a)`.
    Beyond :math:`\pm` this value the unit is *saturated*.

    Examples
    --------
    >>> round(saturation_threshold(0.1), 4)
    3.6369
    """
    fraction = finite_scalar(fraction, "fraction")
    if not 0 < fraction < 1:
        raise ValueError(f"fraction must lie strictly between 0 and 1, got {fraction!r}")
    return float(logit(np.array((1 + math.sqrt(1 - fraction)) / 2)))


def sigmoid_chain_gradient(x0: float, n_layers: int) -> np.ndarray:
    r"""Derivative of a stack of sigmoids :math:`a_n = \sigma(\sigma(\cdots\sigma(x_0)))`.

    With :math:`a_0 = x_0` and :math:`a_k = \sigma(a_{k-1})`, the chain rule gives
    :math:`\frac{da_n}{dx_0} = \prod_{k=1}^{n} \sigma'(a_{k-1}) \le 4^{-n}`.

    Returns
    -------
    ndarray of shape (n_layers,)
        Entry ``k - 1`` is :math:`da_k/dx_0` after ``k`` layers.

    Examples
    --------
    >>> sigmoid_chain_gradient(0.0, 2).round(6)
    array([0.25    , 0.058751])
    """
    x0 = finite_scalar(x0, "x0")
    n_layers = positive_int(n_layers, "n_layers")
    a = np.empty(n_layers + 1)
    a[0] = x0
    for k in range(1, n_layers + 1):
        a[k] = sigmoid(a[k - 1])
    return np.cumprod(sigmoid_grad(a[:-1]))


def difference_errors(x, hs):
    r"""Relative error of central and forward differences of the sigmoid, for each step ``h``.

    Compares :math:`(\sigma(x+h) - \sigma(x-h))/2h` and :math:`(\sigma(x+h) - \sigma(x))/h`
    with :func:`helpers.sigmoid_grad` at the points ``x``, one relative error
    (:func:`helpers.relative_error`) per step.

    Returns
    -------
    (central, forward) : two ndarrays of shape ``hs.shape``

    Examples
    --------
    >>> central, forward = difference_errors([-1.0, 0.5, 2.0], [1e-2, 1e-5])
    >>> bool(central[1] < central[0] < forward[0])
    True
    """
    x = np.atleast_1d(np.asarray(x, dtype=float))
    if x.ndim != 1 or not np.isfinite(x).all():
        raise ValueError("x must be a finite number or a 1-D array of finite numbers")
    hs = np.asarray(hs, dtype=float)
    if hs.ndim != 1 or not (np.isfinite(hs) & (hs > 0)).all():
        raise ValueError("hs must be a 1-D array of positive finite step sizes")
    exact = sigmoid_grad(x)
    central = np.array([relative_error(central_difference(sigmoid, x, h), exact) for h in hs])
    forward = np.array([relative_error((sigmoid(x + h) - sigmoid(x)) / h, exact) for h in hs])
    return central, forward


@dataclass(frozen=True)
class AffineSigmoid:
    r"""What the explorer shows for one setting of ``w`` and ``b``.

    Attributes
    ----------
    x : ndarray of shape (n,)
        The grid.
    a : ndarray of shape (n,)
        :math:`\sigma(w x + b)`.
    slope : ndarray of shape (n,)
        :math:`\frac{d}{dx}\sigma(w x + b) = w\,\sigma'(w x + b)`.
    w, b : float
    midpoint : float or None
        :math:`-b/w`, where the curve crosses 1/2 (None when ``w == 0``: flat).
    max_slope : float
        :math:`w/4`, the slope at the midpoint.
    """

    x: np.ndarray
    a: np.ndarray
    slope: np.ndarray
    w: float
    b: float
    midpoint: float | None
    max_slope: float

    def readout(self) -> str:
        """One line: the midpoint and the slope there (the steepest point, for either sign of w).

        Examples
        --------
        >>> affine_sigmoid(2.0, -1.0).readout()
        'w = 2.00, b = -1.00: midpoint -b/w = 0.500, slope at the midpoint w/4 = 0.500'
        """
        head = f"w = {self.w:.2f}, b = {self.b:.2f}: midpoint -b/w = "
        if self.midpoint is None:
            return head + "none (w = 0: flat), slope 0 everywhere"
        return head + f"{self.midpoint:.3f}, slope at the midpoint w/4 = {self.max_slope:.3f}"


def affine_sigmoid(w: float, b: float, x=None) -> AffineSigmoid:
    r"""Compute :math:`\sigma(w x + b)`, its derivative in :math:`x`, midpoint and peak slope.

    Parameters
    ----------
    w, b : float
        Weight and bias.
    x : array_like of shape (n,), optional
        The grid; default 401 points on [-6, 6].

    Notes
    -----
    By the chain rule :math:`\frac{d}{dx}\sigma(wx + b) = w\,\sigma'(wx + b)`, largest
    where :math:`wx + b = 0`, i.e. at :math:`x = -b/w`, with value :math:`w/4`.

    Examples
    --------
    >>> out = affine_sigmoid(1.0, 0.0, [-1.0, 0.0, 1.0])
    >>> out.a.round(6), out.slope.round(6), out.midpoint, out.max_slope
    (array([0.268941, 0.5     , 0.731059]), array([0.196612, 0.25    , 0.196612]), 0.0, 0.25)
    """
    w, b = finite_scalar(w, "w"), finite_scalar(b, "b")
    x = np.linspace(-6.0, 6.0, 401) if x is None else _grid(x, "x")
    z = w * x + b
    return AffineSigmoid(
        x=x,
        a=sigmoid(z),
        slope=w * sigmoid_grad(z),
        w=w,
        b=b,
        midpoint=None if w == 0 else -b / w + 0.0,  # + 0.0 turns -0.0 into 0.0
        max_slope=w / 4,
    )


# ------------------------------------------------------------------------ drawing


def explorer_figure():
    """An empty two-panel figure for the explorer, with fixed margins.

    A plain :class:`~matplotlib.figure.Figure` (not registered with pyplot, so
    nothing needs closing) on an Agg canvas, without constrained layout: fixed
    margins make every redraw cheap.
    """

    return plots.live_figure(EXPLORER_SIZE, _explorer_axes)


EXPLORER_SIZE = (7.0, 4.4)


def _explorer_axes(fig):
    top, bottom = fig.subplots(2, 1, sharex=True)
    fig.subplots_adjust(left=0.1, right=0.98, top=0.93, bottom=0.11, hspace=0.08)
    return top, bottom


def draw_affine_sigmoid(data: AffineSigmoid, ax_top, ax_bottom, *, slope_limit=None) -> None:
    """Draw one :class:`AffineSigmoid`: the curve on top, its derivative below.

    On empty axes this creates the artists; on axes it drew before, it only
    updates their data and the title, so a slider redraw stays well under
    100 ms (no new lines, ticks or legends). Labels are plain text, no legend:
    the tangent at the midpoint is dotted, the midpoint and the peak slope are
    black dots, and the title carries the numbers.
    """
    if data.midpoint is not None and data.x[0] <= data.midpoint <= data.x[-1]:
        m, k = data.midpoint, data.max_slope
        half = 0.5 / abs(k)  # the tangent runs from a = 0 to a = 1
        tangent = ([m - half, m + half], [0.5 - k * half, 0.5 + k * half])
        mid, peak = ([m], [0.5]), ([m], [k])
    else:
        tangent = mid = peak = ([], [])
    limit = slope_limit if slope_limit is not None else max(0.3, 1.15 * abs(data.max_slope))
    title = data.readout() + "  (dotted: tangent)"
    if len(ax_top.lines) == 3 and len(ax_bottom.lines) == 2:  # drawn before: update
        curve, tangent_line, mid_dot = ax_top.lines
        slope_line, peak_dot = ax_bottom.lines
        curve.set_data(data.x, data.a)
        tangent_line.set_data(*tangent)
        mid_dot.set_data(*mid)
        slope_line.set_data(data.x, data.slope)
        peak_dot.set_data(*peak)
        ax_bottom.set_ylim(-limit, limit)
        ax_top.set_title(title, fontsize=9)
        return
    ax_top.plot(data.x, data.a, color=C["blue"], lw=2)
    ax_top.plot(*tangent, ":", color=C["black"])
    ax_top.plot(*mid, "o", color=C["black"], ms=5)
    ax_bottom.plot(data.x, data.slope, color=C["vermillion"], lw=2)
    ax_bottom.plot(*peak, "o", color=C["black"], ms=5)
    lo, hi = data.x[0], data.x[-1]
    ax_top.set(xlim=(lo, hi), ylim=(-0.05, 1.05), yticks=[0, 0.5, 1], ylabel="a = σ(wx + b)")
    ax_bottom.set(xlim=(lo, hi), ylim=(-limit, limit), xlabel="x", ylabel="da/dx = w σ'(wx + b)")
    ax_top.set_title(title, fontsize=9)


def affine_sigmoid_explorer():
    """Sliders for ``w`` and ``b`` redrawing sigma(w x + b) and its derivative (live kernel)."""
    import ipywidgets as widgets

    w = widgets.FloatSlider(value=1.0, min=-5.0, max=5.0, step=0.1, description="w")
    b = widgets.FloatSlider(value=0.0, min=-5.0, max=5.0, step=0.1, description="b")
    readout = widgets.Label()
    live = plots.LivePlot(  # one figure; draw_affine_sigmoid updates what it drew before
        EXPLORER_SIZE,
        _explorer_axes,
        lambda data, axes: draw_affine_sigmoid(data, *axes, slope_limit=1.35),
    )

    def draw(w, b):
        data = affine_sigmoid(w, b)
        readout.value = data.readout()
        live.show(data)

    out = widgets.interactive_output(draw, {"w": w, "b": b})
    return widgets.VBox([widgets.HBox([w, b]), readout, out])


def plot_affine_sigmoid_family(settings=((1.0, 0.0), (3.0, 0.0), (1.0, 2.0), (-2.0, 1.0))):
    """Static version of the explorer: several (w, b) settings in one figure."""
    fig, (top, bottom) = plots.figure(2, 1, sharex=True, figsize=(7.0, 4.8))
    for (w, b), color in zip(settings, plots.COLORS):
        d = affine_sigmoid(w, b)
        label = f"w = {w:g}, b = {b:g}"
        top.plot(d.x, d.a, color=color, lw=2, label=label)
        bottom.plot(d.x, d.slope, color=color, lw=2, label=label)
        if d.midpoint is not None:
            top.plot([d.midpoint], [0.5], "o", color=color, ms=5)
            bottom.plot([d.midpoint], [d.max_slope], "o", color=color, ms=5)
    top.set(
        ylabel=r"$\sigma(wx+b)$",
        ylim=(-0.05, 1.05),
        title="w sets the slope at the midpoint (w/4), b shifts the midpoint to -b/w",
    )
    bottom.set(xlabel="x", ylabel=r"$w\,\sigma'(wx+b)$")
    top.legend(loc="center left", fontsize=8)  # the curves keep clear of it (x < -3.5)
    return fig


def plot_sigmoid_and_derivative(fraction: float = 0.1):
    """The sigmoid and its derivative, with the saturation regions shaded."""
    x = np.linspace(-8, 8, 401)
    x_sat = saturation_threshold(fraction)
    fig, ax = plots.figure(figsize=(7.0, 3.8))
    for lo, hi in ((-8, -x_sat), (x_sat, 8)):
        ax.axvspan(lo, hi, color=C["sky"], alpha=0.18, lw=0)
    ax.plot(x, sigmoid(x), color=C["blue"], lw=2, label=r"$\sigma(x)$")
    ax.plot(
        x,
        sigmoid_grad(x),
        color=C["vermillion"],
        lw=2,
        label=r"$\sigma'(x) = \sigma(x)\,(1-\sigma(x))$",
    )
    ax.plot([0], [0.5], "o", color=C["blue"], ms=5)
    ax.plot([0], [0.25], "o", color=C["vermillion"], ms=5)
    ax.annotate(r"$\sigma(0) = 1/2$", (0, 0.5), xytext=(0.45, 0.44))
    ax.annotate(r"$\sigma'(0) = 1/4$ (the maximum)", (0, 0.25), xytext=(0.45, 0.285))
    ax.text(
        -7.8,
        0.62,
        f"saturated:\n$\\sigma'(x) < {fraction:g} \\cdot 1/4$\nfor $x < {-x_sat:.2f}$",
        fontsize=8.5,
        color=C["black"],
    )
    ax.text(
        x_sat + 0.2,
        0.62,
        f"saturated:\n$\\sigma'(x) < {fraction:g} \\cdot 1/4$\nfor $x > {x_sat:.2f}$",
        fontsize=8.5,
        color=C["black"],
    )
    ax.set(
        xlim=(-8, 8),
        ylim=(-0.03, 1.03),
        xlabel="x",
        ylabel="value",
        title="The sigmoid and its derivative; shaded: saturation",
    )
    ax.legend(loc="center left", bbox_to_anchor=(0.0, 0.88), fontsize=9)
    return fig


def plot_tanh_relation():
    """Left: sigma(x) and (1 + tanh(x/2)) / 2 coincide; right: tanh next to sigma."""
    x = np.linspace(-6, 6, 241)
    fig, (left, right) = plots.figure(1, 2, figsize=(8.0, 3.4))
    left.plot(x, sigmoid(x), color=C["blue"], lw=3, alpha=0.6, label=r"$\sigma(x)$")
    left.plot(
        x,
        (1 + np.tanh(x / 2)) / 2,
        "--",
        color=C["orange"],
        lw=2,
        label=r"$(1 + \tanh(x/2))\,/\,2$",
    )
    left.set(xlabel="x", ylabel="value", title="The same curve", ylim=(-0.05, 1.05))
    left.legend(loc="upper left", fontsize=9)
    right.plot(x, np.tanh(x), color=C["green"], lw=2, label=r"$\tanh(x)$, slope 1 at 0")
    right.plot(x, sigmoid(x), color=C["blue"], lw=2, label=r"$\sigma(x)$, slope 1/4 at 0")
    right.axhline(0, color=C["black"], lw=0.8)
    right.set(xlabel="x", ylabel="value", title=r"tanh: range $(-1, 1)$, centred at 0")
    right.legend(loc="upper left", fontsize=9)
    return fig


def plot_logistic_vs_probit():
    """Left: sigmoid and normal CDF; right: their upper tails on a log scale."""
    x = np.linspace(-6, 6, 241)
    fig, (left, right) = plots.figure(1, 2, figsize=(8.4, 3.6))
    left.plot(x, sigmoid(x), color=C["blue"], lw=2, label=r"logistic $\sigma(x)$")
    left.plot(
        x,
        normal_cdf(PROBIT_SCALE * x),
        "--",
        color=C["vermillion"],
        lw=2,
        label=r"probit $\Phi(\lambda x)$, $\lambda = \sqrt{\pi/8}$",
    )
    left.plot(x, normal_cdf(x), ":", color=C["purple"], lw=2, label=r"$\Phi(x)$, unscaled")
    left.set(
        xlabel="x",
        ylabel="probability",
        title="Same S shape (same slope 1/4 at 0)",
        ylim=(-0.05, 1.05),
    )
    left.legend(loc="upper left", fontsize=8)
    t = np.linspace(0, 16, 161)
    # "~": the ratio of the two sides tends to 1 as x grows (Mills' ratio for the normal tail)
    right.semilogy(t, sigmoid(-t), color=C["blue"], lw=2, label=r"$1 - \sigma(x) \sim e^{-x}$")
    right.semilogy(
        t,
        normal_sf(PROBIT_SCALE * t),
        "--",
        color=C["vermillion"],
        lw=2,
        label=r"$1 - \Phi(\lambda x) \sim \dfrac{e^{-\lambda^2 x^2/2}}{\sqrt{2\pi}\,\lambda x}$",
    )
    right.set(
        xlabel="x", ylabel="upper tail (log scale)", title="Different tails", ylim=(1e-20, 1.0)
    )
    right.legend(loc="lower left", fontsize=10)
    return fig


def plot_softplus():
    """Left: softplus, ReLU and log-sigmoid; right: the slope of softplus is the sigmoid."""
    x = np.linspace(-5, 5, 201)
    fig, (left, right) = plots.figure(1, 2, figsize=(8.4, 3.5))
    left.plot(x, softplus(x), color=C["blue"], lw=2, label=r"softplus $\log(1 + e^{x})$")
    left.plot(x, np.maximum(x, 0), ":", color=C["black"], lw=1.5, label=r"ReLU $\max(x, 0)$")
    left.plot(
        x, log_sigmoid(x), color=C["green"], lw=2, label=r"$\log\sigma(x) = -\mathrm{softplus}(-x)$"
    )
    left.set(xlabel="x", ylabel="value", title="Softplus: a smooth ReLU")
    left.legend(loc="upper left", fontsize=8)
    xs = np.linspace(-5, 5, 21)
    right.plot(x, sigmoid(x), color=C["blue"], lw=2, label=r"$\sigma(x)$")
    right.plot(
        xs,
        central_difference(softplus, xs),
        "o",
        color=C["orange"],
        ms=5,
        label="slope of softplus\n(central differences)",
    )
    right.set(xlabel="x", ylabel="slope", title=r"$\frac{d}{dx}\,\mathrm{softplus}(x) = \sigma(x)$")
    right.legend(loc="upper left", fontsize=8)
    return fig


def plot_vanishing_gradient(n_layers: int = 12, starts=(0.0, 3.0, 6.0)):
    """Gradient through a stack of sigmoids against the bound (1/4)^n, log scale."""
    n = np.arange(1, n_layers + 1)
    fig, ax = plots.figure(figsize=(7.0, 3.8))
    ax.semilogy(n, 0.25**n, "-", color=C["black"], lw=1.5, label=r"bound $(1/4)^n$")
    markers = "osD^v"
    for x0, color, marker in zip(starts, plots.COLORS, markers):
        ax.semilogy(
            n,
            sigmoid_chain_gradient(x0, n_layers),
            marker + "-",
            color=color,
            ms=4,
            label=f"$da_n/dx_0$, start $x_0 = {x0:g}$",
        )
    ax.semilogy(
        n,
        np.ones_like(n, dtype=float),
        "--",
        color=C["purple"],
        lw=1.5,
        label="ReLU on an active path: 1",
    )
    ax.set(
        xlabel="number of stacked sigmoids n",
        ylabel="gradient (log scale)",
        title=r"Vanishing gradient: $\prod_k \sigma'(a_{k-1}) \leq 4^{-n}$",
        xticks=n,
        ylim=(1e-11, 5),
    )
    ax.legend(loc="lower left", fontsize=8)
    return fig


def plot_step_size_error(x=STEP_SIZE_POINTS, hs=STEP_SIZES):
    """Relative error of central and forward differences against the step h (log-log).

    The dotted line is the rounding error estimate eps / h, eps the float64 machine epsilon.
    """
    hs = np.asarray(hs, dtype=float)
    central, forward = difference_errors(np.asarray(x, dtype=float), hs)
    eps = np.finfo(np.float64).eps
    fig, ax = plots.figure(figsize=(7.0, 3.8))
    ax.loglog(hs, central, "o-", color=C["blue"], ms=3, label=r"central $(f(x+h) - f(x-h))/2h$")
    ax.loglog(hs, forward, "s-", color=C["orange"], ms=3, label=r"forward $(f(x+h) - f(x))/h$")
    ax.loglog(
        hs, eps / hs, ":", color=C["black"], lw=1, label=r"rounding $\approx \varepsilon / h$"
    )
    ax.set(
        xlabel="step h",
        ylabel="relative error vs sigmoid_grad",
        title=r"Truncation ($h^2$ or $h$) falls, rounding ($\varepsilon/h$) grows",
        ylim=(1e-13, 1),
    )
    ax.legend(loc="upper center", fontsize=8)
    return fig


def first_one(name: str, x) -> float:
    """The first ``x`` (ascending grid) where the sigmoid, rounded to format ``name``, is 1.0."""
    x = _grid(x, "x")
    stored = round_to_format(sigmoid(x), name)
    hits = np.flatnonzero(stored == 1.0)
    return float(x[hits[0]]) if hits.size else math.nan


def plot_low_precision(names=("float16", "bfloat16", "float32", "float64")):
    r""":math:`1 - \sigma(x)` as each format stores :math:`\sigma(x)`, on a log scale.

    Each curve is :math:`1 - \operatorname{round}(\sigma(x))`, computed exactly in float64;
    it steps down through the few floats below 1 and ends (dot) where the stored
    :math:`\sigma(x)` becomes 1.0 (dotted line: :math:`\log(4/\varepsilon - 1)`).
    """
    x = np.linspace(0.0, 40.0, 4001)
    fig, ax = plots.figure(figsize=(7.0, 3.8))
    exact = sigmoid(-x)  # 1 - sigma(x), accurate
    ax.semilogy(x, exact, color=C["black"], lw=1, label=r"exact $1 - \sigma(x)$")
    colors = dict(zip(FORMATS, (C["vermillion"], C["orange"], C["green"], C["blue"])))
    for name in sorted(names, key=lambda n: -FORMATS[n][0]):  # coarsest format drawn last, on top
        gap = 1.0 - round_to_format(sigmoid(x), name)  # exact: Sterbenz
        limit = format_limits(name).sigmoid_one
        shown = np.where(gap > 0, gap, np.nan)
        last = np.flatnonzero(gap > 0)[-1]
        label = f"{name}: stored as 1.0 from x = {limit:.2f}"
        ax.semilogy(x, shown, color=colors[name], lw=2, label=label)
        ax.plot([x[last]], [gap[last]], "o", color=colors[name], ms=6)
        ax.axvline(limit, color=colors[name], ls=":", lw=1.2)
    ax.set(
        xlim=(0, 40),
        ylim=(1e-18, 1),
        xlabel="x",
        ylabel=r"$1 - \sigma(x)$ as stored (log scale)",
        title=r"Where each format stores $\sigma(x)$ as exactly 1",
    )
    ax.legend(loc="lower left", fontsize=8)
    return fig


# ------------------------------------------------ squared error vs cross-entropy


def loss_gradients(z, y: float):
    r"""dL/dz through a sigmoid output :math:`a = \sigma(z)`, for two losses.

    Squared error :math:`L = (a - y)^2/2` gives :math:`(a - y)\,a(1 - a)`; binary
    cross-entropy :math:`L = -y\log a - (1 - y)\log(1 - a)` gives :math:`a - y`
    (its :math:`1/(a(1 - a))` cancels the sigmoid's derivative).

    Returns
    -------
    (squared, cross_entropy) : two ndarrays of the shape of ``z``

    Examples
    --------
    >>> sq, ce = loss_gradients([0.0], 1.0)
    >>> float(sq[0]), float(ce[0])
    (-0.125, -0.5)
    """
    z = np.asarray(z, dtype=np.float64)
    y = finite_scalar(y, "y")
    if not 0 <= y <= 1:
        raise ValueError(f"y must lie in [0, 1], got {y!r}")
    a = sigmoid(z)
    return (a - y) * sigmoid_grad(z), a - y


def plot_loss_gradients(y: float = 1.0):
    """|dL/dz| of squared error and cross-entropy as the logit moves the wrong way (target 1)."""
    z = np.linspace(6.0, -12.0, 361)
    squared, cross = loss_gradients(z, y)
    fig, (left, right) = plots.figure(1, 2, figsize=(8.4, 3.5))
    for ax, log in ((left, False), (right, True)):
        plot = ax.semilogy if log else ax.plot
        plot(z, np.abs(cross), color=C["blue"], lw=2, label=r"cross-entropy $|a - y|$")
        plot(
            z,
            np.abs(squared),
            "--",
            color=C["vermillion"],
            lw=2,
            label=r"squared $|(a-y)\,a(1-a)|$",
        )
        ax.axvspan(-12, -2, color=C["sky"], alpha=0.15, lw=0)
        ax.set(xlim=(6, -12), xlabel="logit z (target y = 1; right: confidently wrong)")
    left.set(ylabel=r"$|\partial L / \partial z|$", title="Gradient size", ylim=(-0.03, 1.05))
    left.text(-2.3, 0.55, "confidently\nwrong", fontsize=8.5)
    right.set(ylabel="log scale", title="Squared error fades like $e^{z}$", ylim=(1e-6, 2))
    left.legend(loc="upper left", fontsize=8)
    return fig
