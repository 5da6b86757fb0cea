"""Fixtures for the browser tests: one JupyterLab server and one headless Chromium per session.

Run them with ``.venv/bin/python -m pytest -m browser tests/browser`` (``make test-browser``).
They need Debian's Chromium (``apt-get install chromium``) and the ``browser`` extra
(``pip install -e '.[browser]'``, i.e. Playwright, which drives the installed Chromium and
never downloads a browser). Without them the tests are skipped, except when
``COURSE_REQUIRE_BROWSER=1`` (set by ``.ci/run``): then a missing piece is a failure.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from tests.browser.lab_server import ROOT, LabServer

CHROMIUM = Path(os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = ROOT / "build" / "browser"
VIEWPORT = {"width": 1400, "height": 1000}
REQUIRE = os.environ.get("COURSE_REQUIRE_BROWSER", "") not in ("", "0")

# What the tests measured (seconds per notebook, one-line summaries), printed at the end.
RESULTS = pytest.StashKey[dict]()


def _results(config) -> dict:
    if RESULTS not in config.stash:
        config.stash[RESULTS] = {"timings": {}, "summary": {}, "session": {}}
    return config.stash[RESULTS]


@pytest.fixture(scope="session")
def results(request) -> dict:
    """``results["timings"][path] = seconds``; ``results["summary"][path] = "..."``."""
    return _results(request.config)


def _missing(reason: str):
    if REQUIRE:
        pytest.fail(f"COURSE_REQUIRE_BROWSER is set but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def playwright_api():
    """The Playwright sync API, or a skip (a failure under COURSE_REQUIRE_BROWSER=1)."""
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} not found: install Debian's Chromium (`apt-get install chromium`)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing(
            "Playwright is not installed: "
            "`.venv/bin/pip install -c requirements/constraints.txt -e '.[course,browser]'`"
        )
    return sync_playwright


@pytest.fixture(scope="session")
def lab(playwright_api, results):
    """A running JupyterLab on a temporary copy of solutions/ and lessons/; always stopped."""
    server = LabServer()
    started = time.perf_counter()
    # A SIGTERM (CI timeout, `kill`) becomes a KeyboardInterrupt, so this teardown still runs.
    previous = signal.getsignal(signal.SIGTERM)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.start()
        results["session"]["lab_start_s"] = time.perf_counter() - started
        yield server
    finally:
        server.stop()
        results["session"]["leftover_kernels"] = server.leftover_pids
        signal.signal(signal.SIGTERM, previous)


def _interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


@pytest.fixture(scope="session")
def browser(playwright_api):
    manager = playwright_api().start()
    try:
        chromium = manager.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        manager.stop()


@pytest.fixture(scope="session")
def context(browser):
    """One browser context for the whole session: notebooks open one after another."""
    ctx = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
    ctx.set_default_timeout(30_000)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """build/browser/, emptied of the previous run's screenshots and logs."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in [*SCREENSHOTS.glob("*.png"), *SCREENSHOTS.glob("*.txt")]:
        old.unlink()
    return SCREENSHOTS


def pytest_terminal_summary(terminalreporter):
    results = terminalreporter.config.stash.get(RESULTS, None)
    if not results or not (results["timings"] or results["session"]):
        return
    timings, summary, session = results["timings"], results["summary"], results["session"]
    write = terminalreporter.write_line
    terminalreporter.section("browser tests: JupyterLab + Chromium")
    if "lab_start_s" in session:
        write(f"JupyterLab ready in {session['lab_start_s']:.1f} s")
    for path, seconds in timings.items():
        write(f"  {seconds:6.1f} s  {path:40s} {summary.get(path, '')}")
    if timings:
        write(f"  {sum(timings.values()):6.1f} s  in total over {len(timings)} notebooks")
    leftovers = session.get("leftover_kernels")
    if leftovers:
        write(f"killed kernel processes that outlived the server: {leftovers}")
    write(f"screenshots: {SCREENSHOTS.relative_to(ROOT)}/")
    if timings:
        lines = [f"{s:.1f}\t{p}\t{summary.get(p, '')}" for p, s in timings.items()]
        (SCREENSHOTS / "timings.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
