"""Every notebook, run in JupyterLab in headless Chromium, the way a learner runs it.

For each solution and each lesson notebook (a temporary copy with outputs cleared):
open it at /lab/tree/<path>, wait for the kernel, choose Run > Run All Cells in the
menu, wait until the kernel is idle and every code cell has an execution count, then

- no cell shows an error (model: no output of type "error"; screen: no traceback in a
  stderr-rendered output, including the outputs inside widgets). Warnings on stderr are
  fine; the lessons' "not done yet" reports are printed text, not errors;
- every explorer (a cell whose committed solution stored a widget, or that calls an
  ``..._explorer(...)``) renders as widgets with controls, not "Error displaying widget"
  nor the text fallback ``VBox(children=...)``, and shows something (a figure or text);
- moving each of its sliders with the keyboard (focus the handle, ArrowRight) changes
  what it draws (the figure's PNG or the readout text), and raises nothing.

A screenshot per notebook (scrolled to its first explorer) and one per explorer before
and after the sliders moved are written to build/browser/. Times per notebook are
printed at the end of the session.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from tests.browser.lab_server import ROOT, notebook_paths

pytestmark = pytest.mark.browser

NOTEBOOKS = notebook_paths()

OPEN_TIMEOUT_MS = 90_000  # page load + kernel start
RUN_TIMEOUT_MS = 180_000  # Run All Cells, per notebook (the solutions take < 15 s in nbclient)
WIDGET_TIMEOUT_MS = 20_000  # an explorer's controls appear
REDRAW_TIMEOUT_MS = 15_000  # a slider move shows up in the drawing
MAX_SLIDERS = 8  # per explorer
ARROW_PRESSES = 1  # one step: one redraw per slider keeps the suite fast

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
EXPLORER_CALL = re.compile(r"^(?!\s*(def|#|from|import)\b).*\b\w*explorer\w*\s*\(", re.M)
TRACEBACK = re.compile(
    r"Traceback \(most recent call last\)|^\s*\w*(Error|Exception|Interrupt|Exit)\b(:|\s*$)", re.M
)
WARNING = re.compile(r"\b\w*Warning\b")
WIDGET_FALLBACK = re.compile(
    r"\b(VBox|HBox|Box|GridBox|interactive|Output|FloatSlider|IntSlider|FloatLogSlider|"
    r"Label|HTML|HTMLMath|Tab|Accordion|Dropdown|Play)\((children|value|description|outputs|"
    r"layout|options|min|max)="
)
WIDGET_FAILURE_TEXT = (
    "Error displaying widget",
    "Error rendering",
    "A Jupyter widget could not be displayed",
    "Could not render",
    "Loading widget...",
)

# -- JavaScript run in the page -------------------------------------------------------------

PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"

MODEL_JS = """() => {
  // Code cells as the notebook model sees them (window.jupyterapp: --LabApp.expose_app_in_browser).
  const app = window.jupyterapp;
  const widget = app && app.shell.currentWidget;
  if (!widget || !widget.content || !widget.content.model) return null;
  const cells = widget.content.model.cells, result = [];
  for (let i = 0; i < cells.length; i++) {
    const cell = cells.get(i);
    if (cell.type !== 'code') continue;
    const outputs = [];
    for (let j = 0; j < cell.outputs.length; j++) {
      const o = cell.outputs.get(j).toJSON();
      outputs.push({type: o.output_type, name: o.name || null, ename: o.ename || null,
                    evalue: o.evalue || null});
    }
    result.push({count: cell.executionCount, outputs});
  }
  return result;
}"""

DOM_JS = """(panelSelector) => {
  // Code cells as the learner sees them: prompt, top-level outputs, stderr inside widgets.
  const panel = document.querySelector(panelSelector);
  if (!panel) return null;
  return [...panel.querySelectorAll('.jp-Notebook .jp-Cell.jp-CodeCell')].map(cell => ({
    prompt: (cell.querySelector('.jp-InputPrompt') || {textContent: ''}).textContent.trim(),
    outputs: [...cell.querySelectorAll(
        '.jp-Cell-outputArea > .jp-OutputArea-child > .jp-OutputArea-output')].map(o => ({
      mime: o.dataset.mimeType || '',
      widget: !!o.querySelector('.jupyter-widgets'),
      text: (o.innerText || '').slice(0, 4000),
    })),
    widgetStderr: [...cell.querySelectorAll(
        '.jupyter-widgets .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
      )].map(o => (o.innerText || '').slice(0, 4000)),
  }));
}"""

DONE_JS = """([panelSelector, hasModel]) => {
  // Run All is over: kernel idle, nothing queued, and every cell ran (or one failed).
  const panel = document.querySelector(panelSelector);
  if (!panel) return false;
  const indicator = panel.querySelector('.jp-Notebook-ExecutionIndicator');
  if (indicator && indicator.dataset.status !== 'idle') return false;
  const prompts = [...panel.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]
    .map(p => p.textContent.trim());
  if (prompts.some(p => p.includes('*'))) return false;
  if (prompts.every(p => /^\\[\\d+\\]:$/.test(p))) return true;
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  if (hasModel && w && w.content && w.content.model) {
    const cells = w.content.model.cells;
    for (let i = 0; i < cells.length; i++) {
      const c = cells.get(i);
      if (c.type !== 'code') continue;
      for (let j = 0; j < c.outputs.length; j++)
        if (c.outputs.get(j).type === 'error') return true;
    }
  }
  return /Traceback \\(most recent call last\\)/.test(panel.innerText);
}"""

SIGNATURE_JS = """(root) => {
  // What an explorer draws, without its controls: text, figure images (hashed), plain SVG.
  const hash = s => {
    let h = 0;
    for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
    return h;
  };
  const clone = root.cloneNode(true);
  clone.querySelectorAll(['.widget-slider', '.widget-readout', '.widget-dropdown',
      '.widget-checkbox', '.widget-toggle-button', '.widget-toggle-buttons', '.widget-radio',
      '.widget-text', '.widget-button', '.widget-play', '.widget-select',
      '.jp-OutputArea-prompt', '.jp-OutputArea-promptOverlay', '[data-icon]'].join(','))
    .forEach(e => e.remove());
  const images = [...clone.querySelectorAll('img')].map(i => hash(i.getAttribute('src') || ''));
  const svgs = [...clone.querySelectorAll('svg')].map(s => hash(s.outerHTML));
  const text = (clone.textContent || '').replace(/\\s+/g, ' ').trim();
  return {text, images, svgs, key: text + '|' + images.join(',') + '|' + svgs.join(',')};
}"""


# -- helpers ------------------------------------------------------------------------------


def code_sources(nb_path: Path) -> list[str]:
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    return [
        "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
        for c in nb["cells"]
        if c["cell_type"] == "code"
    ]


def expected_explorers(path: str) -> set[int]:
    """Indices (among code cells) of the cells that must show an explorer.

    A cell whose committed solution stored a widget output (the lesson's twin cell is found
    by its identical source), or a cell that calls something named ``..._explorer(...)``.
    """
    sources = code_sources(ROOT / path)
    expected = {i for i, src in enumerate(sources) if EXPLORER_CALL.search(src)}
    solution = ROOT / "solutions" / Path(path).name
    if solution.exists():
        nb = json.loads(solution.read_text(encoding="utf-8"))
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        widget_sources = {
            "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in code
            if any(WIDGET_MIME in o.get("data", {}) for o in c.get("outputs", []))
        }
        expected |= {i for i, src in enumerate(sources) if src in widget_sources}
    return expected


def first_line(src: str) -> str:
    lines = [line for line in src.strip().splitlines() if line.strip()]
    return (lines[0][:70] + (" ..." if len(lines) > 1 else "")) if lines else "(empty)"


def stderr_problem(text: str) -> str | None:
    """None for a warning on stderr; else why this stderr output counts as an error."""
    if TRACEBACK.search(text):
        return "shows an error"
    if WARNING.search(text):
        return None
    return "writes to stderr (not a warning)"


def last_lines(text: str, n: int = 4) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return " | ".join(line.strip()[:160] for line in lines[-n:])


def slug(path: str) -> str:
    return path.replace("/", "__").removesuffix(".ipynb")


class Notebook:
    """One notebook open in one page, with the checks of this module as methods."""

    def __init__(self, page, lab, path: str, shots: Path):
        self.page, self.lab, self.path, self.shots = page, lab, path, shots
        self.sources = code_sources(lab.notebook_dir / path)
        self.problems: list[str] = []
        self.notes: list[str] = []

    def cell_name(self, i: int) -> str:
        return f"code cell {i + 1} `{first_line(self.sources[i])}`"

    # -- open and run -------------------------------------------------------------------
    def open(self) -> None:
        page = self.page
        page.goto(self.lab.url(f"lab/tree/{self.path}?reset"), wait_until="domcontentloaded")
        page.wait_for_selector(f"{PANEL} .jp-Notebook .jp-Cell", timeout=OPEN_TIMEOUT_MS)
        idle = f'{PANEL} .jp-Notebook-ExecutionIndicator[data-status="idle"]'
        self.wait_until(
            lambda: page.locator(idle).count() and self.kernel_state() == "idle",
            OPEN_TIMEOUT_MS,
            "the notebook's kernel did not start",
        )

    def kernel_state(self) -> str | None:
        for session in self.lab.api("GET", "sessions"):
            if session["path"] == self.path and session.get("kernel"):
                return session["kernel"]["execution_state"]
        return None

    def wait_until(self, condition, timeout_ms: int, what: str) -> None:
        """Poll ``condition()``; fail on timeout or on a dialog that blocks the notebook."""
        deadline = time.monotonic() + timeout_ms / 1000
        while not condition():
            dialog = self.page.locator(".jp-Dialog")
            if dialog.count():
                self.screenshot("dialog")
                pytest.fail(f"{self.path}: a dialog blocks the notebook: {dialog.inner_text()!r}")
            if time.monotonic() > deadline:
                self.screenshot("timeout")
                pytest.fail(f"{self.path}: {what} within {timeout_ms / 1000:.0f} s")
            self.page.wait_for_timeout(250)

    def run_all(self) -> None:
        page = self.page
        page.locator("#jp-MainMenu .lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
        page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()
        has_model = page.evaluate(MODEL_JS) is not None
        self.wait_until(
            lambda: page.evaluate(DONE_JS, [PANEL, has_model]),
            RUN_TIMEOUT_MS,
            "Run All Cells did not finish",
        )

    # -- checks ----------------------------------------------------------------------------
    def check_outputs(self, where: str = "") -> list[dict]:
        dom = self.page.evaluate(DOM_JS, PANEL)
        model = self.page.evaluate(MODEL_JS)
        if dom is None or len(dom) != len(self.sources):
            pytest.fail(
                f"{self.path}: found {0 if dom is None else len(dom)} code cells on screen,"
                f" expected {len(self.sources)}"
            )
        for i, cell in enumerate(dom):
            name = self.cell_name(i)
            if not where and not re.fullmatch(r"\[\d+\]:", cell["prompt"]):
                self.problems.append(f"{name} did not run (prompt {cell['prompt']!r})")
            if model is not None:
                for out in model[i]["outputs"]:
                    if out["type"] == "error":
                        self.problems.append(
                            f"{name} raised {out['ename']}: {out['evalue']}{where}"
                        )
            for out in cell["outputs"]:
                text = out["text"]
                if out["mime"] == "application/vnd.jupyter.stderr":
                    why = stderr_problem(text)
                    # errors already reported from the model are not repeated
                    if why and not (model is not None and why == "shows an error"):
                        self.problems.append(f"{name} {why}{where}: {last_lines(text)}")
                for failure in WIDGET_FAILURE_TEXT:
                    if failure in text:
                        self.problems.append(f"{name} shows {failure!r}{where}: {text[:200]!r}")
                if out["mime"] == "text/plain" and WIDGET_FALLBACK.search(text):
                    self.problems.append(
                        f"{name} shows a widget as text instead of the widget{where}: "
                        f"{text[:120]!r}"
                    )
            for text in cell["widgetStderr"]:
                why = stderr_problem(text)
                if why:
                    self.problems.append(
                        f"{name}: inside its widget, {why}{where}: {last_lines(text)}"
                    )
        return dom

    def explorer_cells(self, dom: list[dict]) -> list[int]:
        live = {i for i, cell in enumerate(dom) if any(o["widget"] for o in cell["outputs"])}
        expected = expected_explorers(self.path)
        for i in sorted(expected - live):
            if re.fullmatch(r"\[\d+\]:", dom[i]["prompt"]):
                self.problems.append(f"{self.cell_name(i)} should show an explorer but shows none")
        return sorted(live)

    def check_explorer(self, i: int, k: int) -> None:
        """The k-th explorer, in code cell i: controls render; every slider changes the drawing."""
        page, name = self.page, self.cell_name(i)
        cell = page.locator(f"{PANEL} .jp-Notebook .jp-Cell.jp-CodeCell").nth(i)
        roots = cell.locator(
            ".jp-Cell-outputArea > .jp-OutputArea-child > .jp-OutputArea-output",
            has=page.locator(".jupyter-widgets"),
        )
        for r in range(roots.count()):
            root = roots.nth(r)
            label = f"explorer{k}" + (f"_{r + 1}" if roots.count() > 1 else "")
            try:
                root.locator(".jupyter-widgets").first.wait_for(timeout=WIDGET_TIMEOUT_MS)
            except Exception:
                self.problems.append(f"{name}: its widget never appeared")
                continue
            sliders = root.locator(".widget-slider")
            controls = root.locator(
                ".widget-slider, .widget-dropdown, .widget-checkbox, .widget-toggle-buttons, "
                ".widget-radio, .widget-button, .widget-play, .widget-text"
            )
            if not controls.count():
                self.problems.append(f"{name}: the explorer has no controls")
            root.scroll_into_view_if_needed()
            page.wait_for_timeout(300)  # let the first drawing land
            before = root.evaluate(SIGNATURE_JS)
            if not (before["text"] or before["images"] or before["svgs"]):
                self.problems.append(f"{name}: the explorer draws nothing (no figure, no text)")
            root.screenshot(path=self.shots / f"{slug(self.path)}__{label}_before.png")
            moved = 0
            for s in range(min(sliders.count(), MAX_SLIDERS)):
                moved += self.move_slider(root, sliders.nth(s), name)
            self.wait_idle()
            root.screenshot(path=self.shots / f"{slug(self.path)}__{label}_after.png")
            self.notes.append(f"{label}: {moved}/{sliders.count()} sliders redraw")

    def move_slider(self, root, slider, name: str) -> int:
        page = self.page
        description = slider.locator("label.widget-label").first.inner_text().strip() or "?"
        handle = slider.locator(".noUi-handle").first

        def value() -> str:  # the readout (aria-valuenow is not kept in step by ipywidgets 8)
            readout = slider.locator(".widget-readout")
            shown = readout.first.inner_text().strip() if readout.count() else ""
            return shown or handle.get_attribute("aria-valuenow") or ""

        before = root.evaluate(SIGNATURE_JS)
        value0 = value1 = value()
        handle.focus()
        for key in ("ArrowRight", "ArrowLeft"):  # at the maximum, move left instead
            for _ in range(ARROW_PRESSES):
                handle.press(key)
            page.wait_for_timeout(50)
            value1 = value()
            if value1 != value0:
                break
        else:
            self.problems.append(f"{name}: slider {description!r} does not move with the keyboard")
            return 0
        try:
            page.wait_for_function(
                "([root, key]) => (" + SIGNATURE_JS + ")(root).key !== key",
                arg=[root.element_handle(), before["key"]],
                timeout=REDRAW_TIMEOUT_MS,
                polling=100,
            )
        except Exception:
            self.problems.append(
                f"{name}: moving slider {description!r} from {value0} to {value1} did not "
                f"change the drawing within {REDRAW_TIMEOUT_MS} ms"
            )
            return 0
        self.wait_idle()
        return 1

    def wait_idle(self) -> None:
        """Kernel idle and the page quiet for a moment (redraws have landed)."""
        idle = f'{PANEL} .jp-Notebook-ExecutionIndicator[data-status="idle"]'
        self.page.wait_for_selector(idle, timeout=REDRAW_TIMEOUT_MS)
        self.page.wait_for_timeout(150)

    def check_log_console(self) -> None:
        """Output that no cell owns (e.g. an exception in a widget callback) goes to the log."""
        item = self.page.locator(".jp-LogConsoleStatusItem:not(.lm-mod-hidden)")
        if not (item.count() and item.inner_text().strip()):
            return
        item.click()
        panel = self.page.locator(".jp-LogConsolePanel")
        try:
            panel.locator(".jp-OutputArea-output").first.wait_for(timeout=5_000)
            text = panel.locator(".jp-OutputArea").first.inner_text()
        except Exception:
            text = f"({item.inner_text().strip()} message(s); the log console did not open)"
        self.screenshot("log_console")
        why = stderr_problem(text) or "shows a warning"
        self.problems.append(
            f"the log console (output no cell owns, e.g. from a widget callback) {why}: "
            f"{last_lines(text, 8)}"
        )

    def screenshot(self, label: str = "") -> Path:
        path = self.shots / (slug(self.path) + (f"__{label}" if label else "") + ".png")
        self.page.screenshot(path=path)
        return path


# -- the test --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_notebook_runs_in_jupyterlab(path, lab, context, screenshots, results):
    started = time.perf_counter()
    page = context.new_page()
    console_errors: list[str] = []
    page.on("pageerror", lambda exc: console_errors.append(f"pageerror: {exc}"))
    page.on(
        "console",
        lambda msg: (
            console_errors.append(f"console.{msg.type}: {msg.text}")
            if msg.type == "error"
            else None
        ),
    )
    nb = Notebook(page, lab, path, screenshots)
    phases = {}

    def lap(name):
        phases[name] = time.perf_counter() - started - sum(phases.values())

    try:
        nb.open()
        lap("open")
        nb.run_all()
        lap("run")
        dom = nb.check_outputs()
        explorers = nb.explorer_cells(dom)
        lap("check")
        for k, i in enumerate(explorers, start=1):
            nb.check_explorer(i, k)
        lap("explorers")
        if explorers:
            nb.check_outputs(where=" (after moving the sliders)")
            nb.check_log_console()
            cell = page.locator(f"{PANEL} .jp-Notebook .jp-Cell.jp-CodeCell").nth(explorers[0])
            cell.scroll_into_view_if_needed()
        nb.screenshot()
        if nb.problems:
            error_cell = page.locator(
                f'{PANEL} .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
            )
            if error_cell.count():
                error_cell.last.scroll_into_view_if_needed()
                nb.screenshot("problem")
        if console_errors:
            (screenshots / f"{slug(path)}.console.txt").write_text(
                "\n".join(console_errors) + "\n", encoding="utf-8"
            )
        seconds = time.perf_counter() - started
        results["timings"][path] = seconds
        results["summary"][path] = (
            "(" + " + ".join(f"{k} {v:.1f}" for k, v in phases.items()) + " s) "
            f"{len(nb.sources)} code cells, {len(explorers)} explorer cell(s)"
            + (f"; {'; '.join(nb.notes)}" if nb.notes else "")
            + (f"; {len(nb.problems)} PROBLEM(S)" if nb.problems else "")
        )
        print(f"{path}: {seconds:.1f} s {results['summary'][path]}")
    finally:
        try:
            lab.shutdown_kernels()
        finally:
            page.close()
    assert not nb.problems, f"{path}:\n  - " + "\n  - ".join(nb.problems)
