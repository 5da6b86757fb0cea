"""Numerical quality and speed of the reference implementations, beside scipy.

Run with ``make bench`` (``.venv/bin/python benchmarks/bench.py``). Prints one
line per figure, PASS or FAIL against the bound from the course's issue, and
exits with status 1 if any figure fails. ``--quick`` uses smaller samples and
fewer repeats (a smoke test; the bounds are the same).

Two kinds of figure. Accuracy bounds and the speed bounds that follow from
the algorithm (``softmax_vjp`` is O(k) against the dense Jacobian's O(k^2);
``softmax`` runs the same NumPy passes as ``scipy.special.softmax``) are
enforced on every machine. Speed against a differently built competitor
(``scipy.special.expit`` is one compiled loop; ours is a few NumPy passes) is
machine-specific: it is printed as ``INFO`` with the CPU and NumPy's SIMD
level, never failed. Run it also with ``NPY_DISABLE_CPU_FEATURES="X86_V4
X86_V3"`` to see NumPy's baseline kernels (another CPU class).

Accuracy is measured against exact values from mpmath at 256 bits, in ULPs
evaluated in mpmath (``tests/ulp.py``, shared with the test suite, which runs
the same measurements on smaller fixed samples). Speed is measured in one
process, the contenders interleaved, best of several repeats, and reported as
ratios, which survive a busy machine far better than absolute times.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import scipy.special as sp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from helpers import log_softmax, logsumexp, sigmoid, sigmoid_grad, softmax, softmax_vjp  # noqa: E402
from tests import ulp as U  # noqa: E402

RESULTS: list[bool] = []


def report(ok: bool, figure: str, detail: str = "") -> None:
    RESULTS.append(bool(ok))
    print(f"  {'PASS' if ok else 'FAIL'}  {figure}")
    if detail:
        print(f"        {detail}")


def inform(figure: str, detail: str = "") -> None:
    """A machine-specific figure: printed, never failed."""
    print(f"  INFO  {figure}")
    if detail:
        print(f"        {detail}")


def machine() -> str:
    """CPU model name and the SIMD level NumPy's kernels use on it."""
    name = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            name = next(line.split(":", 1)[1].strip() for line in f if "model name" in line)
    except (OSError, StopIteration):
        pass
    try:  # the dispatch targets NumPy enables at run time (NPY_DISABLE_CPU_FEATURES removes some)
        import numpy._core._multiarray_umath as um

        baseline = "+".join(um.__cpu_baseline__) or "none"
        on = [t for t in um.__cpu_dispatch__ if um.__cpu_features__.get(t)]
    except (ImportError, AttributeError):
        baseline, on = "unknown", []
    return f"{name}; numpy {np.__version__}, baseline {baseline}, dispatch {'+'.join(on) or 'none'}"


def fmt_ulp(e: float) -> str:
    return "inf" if not np.isfinite(e) else (f"{e:.2f}" if e < 1e4 else f"{e:.1e}")


def quietly(f, *args):
    """f(*args) with floating-point warnings recorded, not printed: (result, warned)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = f(*args)
    return out, any(issubclass(w.category, RuntimeWarning) for w in caught)


def naive_sigmoid(x):
    return 1 / (1 + np.exp(-x))


def naive_sigmoid_quiet(x):
    with np.errstate(over="ignore"):  # exp(-x) overflows below -709.78
        return naive_sigmoid(x)


# --- accuracy --------------------------------------------------------------------------


def bench_sigmoid(n: int) -> None:
    x = U.sigmoid_inputs(n)
    exact = U.exact_map(U.mp_sigmoid, x)
    ours = U.ulp_errors(sigmoid(x), exact)
    scipy_err = U.ulp_errors(sp.expit(x), exact)
    naive, naive_warned = quietly(naive_sigmoid, x)
    naive_err = U.ulp_errors(naive, exact)
    sub = (x > -745.0) & (x < -708.0)
    report(
        ours.max() <= 2.0,
        f"sigmoid: max error {fmt_ulp(ours.max())} ULP over {x.size:,} inputs spanning float64 "
        f"(bound 2); {fmt_ulp(ours[sub].max())} ULP on the {sub.sum():,} in -745 < x < -708",
        f"scipy.special.expit: {fmt_ulp(scipy_err.max())} ULP overall, returns 0 for "
        f"{(sp.expit(x[sub]) == 0).mean():.0%} of -745 < x < -708; naive 1/(1+exp(-x)): "
        f"{fmt_ulp(naive_err.max())} ULP" + (", with RuntimeWarning" if naive_warned else ""),
    )

    # no inf, nan or warning for any finite input, extremes included
    finite = np.concatenate([x, [np.finfo(float).max, -np.finfo(float).max, 5e-324, -5e-324]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        try:
            (s, warned), raised = quietly(sigmoid, finite), None
        except FloatingPointError as exc:
            s, warned, raised = np.array([np.nan]), True, exc
    ok = not warned and np.isfinite(s).all() and ((s >= 0) & (s <= 1)).all()
    report(
        ok,
        f"sigmoid: no inf, nan or warning for {finite.size:,} finite inputs up to +-1.8e308",
        f"raised {raised!r}" if raised else "",
    )

    exact_grad = U.exact_map(U.mp_sigmoid_grad, x)
    ours = U.ulp_errors(sigmoid_grad(x), exact_grad)
    s_ = sp.expit(x)
    textbook = U.ulp_errors(s_ * (1 - s_), exact_grad)
    report(
        ours.max() <= 4.0,
        f"sigmoid_grad: max error {fmt_ulp(ours.max())} ULP over the same inputs (bound 4)",
        f"s*(1-s) from scipy's expit: {fmt_ulp(textbook.max())} ULP "
        f"(it is exactly 0 for x > 37, where the true value is about exp(-x))",
    )


def bench_softmax_family(rows_per_case: int) -> None:
    cases = U.logit_rows(rows_per_case)
    worst = {"ls": 0.0, "ls_text": 0.0, "ls_scipy": 0.0, "lse": 0.0, "lse_scipy": 0.0}
    worst_rel_pos, sums, n_values, n_rows = 0.0, 0.0, 0, 0
    for _, Z in cases:
        lse_exact = U.exact_rows(U.mp_logsumexp, Z)
        log_term = U.lse_scale(Z)
        log_s = U.exact_rows(U.mp_log_softmax, Z)
        flat = [v for row in log_s for v in row]
        out = log_softmax(Z)
        counted = np.abs(out.ravel()) >= 1e-3
        t = Z - Z.max(axis=-1, keepdims=True)
        textbook = t - np.log(np.exp(t).sum(axis=-1, keepdims=True))
        for key, value in (("ls", out), ("ls_text", textbook), ("ls_scipy", sp.log_softmax(Z, -1))):
            err = U.ulp_errors(value, flat)[counted]
            worst[key] = max(worst[key], err.max(initial=0.0))
        for key, value in (("lse", logsumexp(Z)), ("lse_scipy", sp.logsumexp(Z, axis=-1))):
            worst[key] = max(worst[key], U.ulp_errors(value, lse_exact, scale=log_term).max())
        pos = Z.max(axis=-1) >= 0  # no cancellation: plain relative ULP
        if pos.any():
            rel = U.ulp_errors(logsumexp(Z[pos]), [v for v, p in zip(lse_exact, pos) if p])
            worst_rel_pos = max(worst_rel_pos, rel.max())
        sums = max(sums, np.abs(softmax(Z).sum(axis=-1) - 1).max())
        n_values, n_rows = n_values + Z.size, n_rows + Z.shape[0]

    report(
        worst["ls"] <= 8.0,
        f"log_softmax: max error {fmt_ulp(worst['ls'])} ULP where |output| >= 1e-3 "
        f"({n_values:,} values, k = 2..1000, scales 1e-3..1e5; bound 8)",
        f"textbook t - log(sum(exp(t))): {fmt_ulp(worst['ls_text'])} ULP; "
        f"scipy.special.log_softmax: {fmt_ulp(worst['ls_scipy'])} ULP",
    )
    report(
        worst["lse"] <= 2.0,
        f"logsumexp: max error {fmt_ulp(worst['lse'])} ULP of max(|LSE|, LSE - max z) over "
        f"{n_rows:,} rows (bound 2); {fmt_ulp(worst_rel_pos)} ULP relative where max z >= 0",
        f"scipy.special.logsumexp: {fmt_ulp(worst['lse_scipy'])} ULP. When max z < 0 the two "
        "terms of max z + log(sum exp(z - max z)) cancel, so the error is stated in ULPs of the "
        "larger one (np.exp and np.log1p are themselves only good to ~0.5-0.7 ULP)",
    )

    rng = np.random.default_rng(1)
    big = 1e3 * rng.standard_normal((2000, 50))
    s = softmax(big)
    sums = max(sums, np.abs(s.sum(axis=-1) - 1).max())
    pair, pair_warned = quietly(softmax, [1000.0, 1000.0])
    naive_pair, _ = quietly(lambda z: np.exp(z) / np.exp(z).sum(), np.array([1000.0, 1000.0]))
    dead = softmax([[-np.inf, 0.0, 1.0], [3.0, -np.inf, 2.0]])
    checks = {
        f"rows sum to 1 within {sums:.1e} (bound 1e-15)": sums <= 1e-15,
        "no nan at scale 1e3": not np.isnan(s).any(),
        f"[1000, 1000] -> {pair.tolist()}": pair.tolist() == [0.5, 0.5] and not pair_warned,
        "a -inf logit gets exactly 0": dead[0, 0] == 0.0 and dead[1, 1] == 0.0,
    }
    report(
        all(checks.values()),
        "softmax: " + "; ".join(checks),
        f"naive exp(z)/sum(exp(z)) on [1000, 1000]: {naive_pair.tolist()}",
    )


# --- speed -----------------------------------------------------------------------------


def best_times(contenders: dict, repeats: int, tries: dict | None = None) -> dict:
    """Best CPU and wall time of each callable over ``repeats`` interleaved rounds.

    ``tries`` gives a cheap contender several timed calls per round, so that
    its best time comes from as many samples as the costly one's.

    Returns ``{name: (cpu_seconds, wall_seconds)}``. The ratios use CPU time
    (``time.process_time``): every contender here runs on one thread, so it
    is the time the work needs, and unlike wall time it does not count the
    moments another process had the core.
    """
    for f in contenders.values():  # warm up: page in code, fill allocator caches
        f()
    cpu = dict.fromkeys(contenders, np.inf)
    wall = dict.fromkeys(contenders, np.inf)
    for _ in range(repeats):
        for name, f in contenders.items():
            for _ in range((tries or {}).get(name, 1)):
                w0, c0 = time.perf_counter(), time.process_time()
                f()
                c1, w1 = time.process_time(), time.perf_counter()
                cpu[name], wall[name] = min(cpu[name], c1 - c0), min(wall[name], w1 - w0)
    return {name: (cpu[name], wall[name]) for name in contenders}


def settled_times(
    contenders: dict, ours: str, theirs: str, repeats: int, bound: float, tries: dict | None = None
) -> tuple[dict, int]:
    """:func:`best_times`, measured again (up to twice) while the ratio misses ``bound``.

    A best-of-N time can only be too slow, never too fast: a busy machine
    (another job on the second core, a page-cache flush) inflates it. So a
    ratio below the bound is only reported after more rounds confirm it; the
    minima are taken over all rounds measured. Returns the times and the
    number of rounds they are the best of.
    """
    t, rounds = best_times(contenders, repeats, tries), repeats
    for _ in range(2):
        if t[theirs][0] / t[ours][0] >= bound:
            break
        again = best_times(contenders, repeats, tries)
        t = {k: (min(t[k][0], again[k][0]), min(t[k][1], again[k][1])) for k in t}
        rounds += repeats
    return t, rounds


def speed_line(t: dict, ours: str, theirs: str, repeats: int) -> tuple[float, str]:
    """CPU-time ratio theirs / ours, and a detail line with both clocks."""
    (c_ours, w_ours), (c_theirs, w_theirs) = t[ours], t[theirs]
    return c_theirs / c_ours, (
        f"best of {repeats} rounds, CPU time {c_ours * 1e3:.2f} ms vs {c_theirs * 1e3:.2f} ms; "
        f"wall time {w_ours * 1e3:.2f} ms vs {w_theirs * 1e3:.2f} ms "
        f"(ratio {w_theirs / w_ours:.2f})"
    )


def lesson_einsum_vjp(z, g):
    """Lesson 03's dense route from the logits: batched Jacobian by einsum, contracted."""
    s = softmax(z)
    J = np.einsum("ij,jk->ijk", s, np.eye(z.shape[1])) - np.einsum("ij,ik->ijk", s, s)
    return np.einsum("ijk,ik->ij", J, g)


SOFTMAX_BOUND = 0.5  # same NumPy passes as scipy's: at most 2x slower on any CPU
VJP_BOUND = 10.0  # O(k) against O(k^2) at k = 100: 40-50x measured, bound far below


def bench_speed(repeats: int, scale: int) -> None:
    rng = np.random.default_rng(2)
    Z = 3 * rng.standard_normal((4096 // scale, 1000))
    assert np.allclose(softmax(Z), sp.softmax(Z, axis=-1), rtol=1e-14, atol=0)
    t, rounds = settled_times(
        {"ours": lambda: softmax(Z), "scipy": lambda: sp.softmax(Z, axis=-1)},
        "ours",
        "scipy",
        repeats,
        bound=SOFTMAX_BOUND,
    )
    ratio, detail = speed_line(t, "ours", "scipy", rounds)
    report(
        ratio >= SOFTMAX_BOUND,
        f"softmax on {Z.shape} float64, last axis: {ratio:.2f}x the speed of "
        f"scipy.special.softmax, the same NumPy passes (bound >= {SOFTMAX_BOUND})",
        detail,
    )

    z, g = rng.standard_normal((4096 // scale, 100)), rng.standard_normal((4096 // scale, 100))
    assert np.allclose(softmax_vjp(z, g), lesson_einsum_vjp(z, g), rtol=1e-12, atol=1e-15)
    few = max(3, repeats // 2)
    t, rounds = settled_times(
        {"vjp": lambda: softmax_vjp(z, g), "dense": lambda: lesson_einsum_vjp(z, g)},
        "vjp",
        "dense",
        few,
        bound=VJP_BOUND,
        tries={"vjp": 10},
    )
    ratio, detail = speed_line(t, "vjp", "dense", rounds)
    report(
        ratio >= VJP_BOUND,
        f"softmax_vjp at n={z.shape[0]}, k=100: {ratio:.0f}x faster than the batched einsum "
        f"Jacobian contracted with g, both from the logits (bound >= {VJP_BOUND:.0f})",
        detail,
    )

    x = 10 * rng.standard_normal(4_000_000 // scale)
    t = best_times(
        {
            "ours": lambda: sigmoid(x),
            "scipy": lambda: sp.expit(x),
            "naive": lambda: naive_sigmoid_quiet(x),
        },
        repeats,
    )
    ratio, detail = speed_line(t, "ours", "scipy", repeats)
    inform(
        f"sigmoid on {x.size:,} float64 values: {ratio:.2f}x the speed of scipy.special.expit, "
        f"{t['naive'][0] / t['ours'][0]:.2f}x that of the naive 1/(1+exp(-x)) (machine-specific, "
        "not enforced)",
        detail + "; expit is one compiled loop, ours the lesson's ten NumPy passes; ours "
        "stays within 2 ULP into the subnormal range, where both others return 0",
    )


def _head_contenders(Z, Y, y, bce, ce) -> dict:
    return {
        "sigmoids": lambda: sigmoid(Z),
        "softmax": lambda: softmax(Z, axis=1),
        "bce": lambda: bce(Z, Y),
        "ce": lambda: ce(Z, y),
    }


def bench_heads(repeats: int, scale: int) -> None:
    """Lesson 05's "Which one is faster?": k sigmoids against one k-way softmax, and their losses.

    Both heads make k exponentials per row; the softmax adds two reductions (max, sum), the
    sigmoid's loss k logarithms where cross-entropy has one. Reported, never enforced.
    """
    from helpers import bce_with_logits, cross_entropy_with_logits

    rng = np.random.default_rng(5)
    for k in (10, 1000):
        n = (400_000 // k) // scale
        Z = 3 * rng.standard_normal((n, k))
        y = rng.integers(0, k, n)
        Y = (rng.random((n, k)) < 0.5).astype(np.float64)
        t = best_times(
            _head_contenders(Z, Y, y, bce_with_logits, cross_entropy_with_logits), repeats
        )
        ms = {name: cpu * 1e3 for name, (cpu, _) in t.items()}
        inform(
            f"heads on ({n}, {k}) float64: k sigmoids {ms['sigmoids']:.2f} ms, one softmax per row "
            f"{ms['softmax']:.2f} ms (sigmoids / softmax {ms['sigmoids'] / ms['softmax']:.2f}); "
            f"losses from logits: BCE {ms['bce']:.2f} ms, cross-entropy {ms['ce']:.2f} ms "
            f"(BCE / CE {ms['bce'] / ms['ce']:.2f}) (machine-specific, not enforced)",
            f"best of {repeats} rounds, CPU time; both heads make n*k exponentials, the softmax "
            "adds a max and a sum per row, BCE makes n*k logarithms where cross-entropy makes n",
        )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small samples, few repeats")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    n, rows, repeats, scale = (4_000, 4, 3, 4) if args.quick else (40_000, 24, 9, 1)

    print("Numerical quality (exact values from mpmath at 256 bits, errors in ULP)")
    bench_sigmoid(n)
    bench_softmax_family(rows)
    print("Speed (float64, one process, interleaved, best of several runs, ratios of CPU time)")
    print(f"  on {machine()}")
    bench_speed(repeats, scale)
    bench_heads(repeats, scale)

    failed = RESULTS.count(False)
    verdict = "all enforced figures pass" if not failed else f"{failed} figure(s) FAIL"
    print(f"{verdict} ({len(RESULTS)} figures, {time.perf_counter() - start:.0f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
