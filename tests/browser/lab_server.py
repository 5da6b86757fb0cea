"""A throwaway JupyterLab server for the browser tests.

``LabServer`` copies the course notebooks into a temporary directory (outputs
cleared, so that only what the browser produces is on screen and the committed
notebooks are never touched), starts ``python -m jupyter lab`` from this very
environment on 127.0.0.1 with a free port and a random token, and waits until
``/api/status`` answers. Every Jupyter directory (config, data, runtime,
settings, workspaces, IPython) points into the temporary directory, so the
learner's own Jupyter setup neither changes the test nor is changed by it.

``stop()`` shuts the kernels down through the REST API, then terminates the
server (SIGTERM, then SIGKILL after a grace period) and finally kills any
kernel process still alive whose connection file lies in this server's
runtime directory: nothing is left running.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_DIRS = ("solutions", "lessons")
# The Chinese and Russian solved notebooks run too (their lessons share the English code).
TRANSLATED_DIRS = ("solutions/zh", "solutions/ru")

# JupyterLab user settings for a quiet, deterministic UI:
# - every cell stays in the DOM (no virtual scrolling), so the tests see all outputs;
# - the notebook's own kernel starts without a "Select Kernel" dialog;
# - no news / update pop-ups (and no network access for them).
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {
        "windowingMode": "none",
        "autoStartDefaultKernel": True,
    },
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that was free a moment ago.

    >>> 1024 <= free_port() < 65536
    True
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def notebook_paths(root: Path = ROOT) -> list[str]:
    """Relative paths of every solution then every lesson notebook, sorted.

    >>> all(p.endswith(".ipynb") for p in notebook_paths())
    True
    """
    return [
        f"{d}/{p.name}"
        for d in (*NOTEBOOK_DIRS, *TRANSLATED_DIRS)
        for p in sorted((root / d).glob("*.ipynb"))
        if not p.name.startswith(".")
    ]


def copy_notebooks(target: Path, root: Path = ROOT) -> None:
    """Copy solutions/ and lessons/ (with their translations) into ``target`` with every
    output cleared."""
    for d in NOTEBOOK_DIRS:
        if not (root / d).is_dir():
            continue
        shutil.copytree(
            root / d, target / d, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")
        )
        for nb_path in (target / d).rglob("*.ipynb"):
            nb = json.loads(nb_path.read_text(encoding="utf-8"))
            for cell in nb.get("cells", []):
                if cell.get("cell_type") == "code":
                    cell["outputs"] = []
                    cell["execution_count"] = None
            nb.get("metadata", {}).pop("widgets", None)  # stored widget state
            nb_path.write_text(json.dumps(nb, indent=1, ensure_ascii=False), encoding="utf-8")


class LabServer:
    """``with LabServer() as lab: lab.url("lab/tree/x.ipynb")`` - see the module docstring."""

    def __init__(self, startup_timeout: float = 90.0, root: Path = ROOT):
        self.root = root
        self.startup_timeout = startup_timeout
        self.host = "127.0.0.1"
        self.port = free_port(self.host)
        self.token = secrets.token_hex(24)
        self.base = f"http://{self.host}:{self.port}"
        self.proc: subprocess.Popen | None = None
        self._tmp: tempfile.TemporaryDirectory | None = None
        self.log_path: Path | None = None
        self.leftover_pids: list[int] = []

    # -- paths and URLs ---------------------------------------------------------------
    @property
    def tmp(self) -> Path:
        assert self._tmp is not None, "server not started"
        return Path(self._tmp.name)

    @property
    def notebook_dir(self) -> Path:
        return self.tmp / "notebooks"

    @property
    def runtime_dir(self) -> Path:
        return self.tmp / "jupyter" / "runtime"

    def url(self, path: str) -> str:
        sep = "&" if "?" in path else "?"
        return f"{self.base}/{path.lstrip('/')}{sep}token={self.token}"

    # -- REST API ----------------------------------------------------------------------
    def api(self, method: str, path: str, timeout: float = 10.0):
        request = urllib.request.Request(
            f"{self.base}/api/{path.lstrip('/')}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
            data=b"" if method in ("POST", "PUT") else None,
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        """Delete every session and kernel (a notebook's kernel dies with its session)."""
        for session in self.api("GET", "sessions"):
            self.api("DELETE", f"sessions/{session['id']}")
        for kernel in self.api("GET", "kernels"):
            self.api("DELETE", f"kernels/{kernel['id']}")

    # -- lifecycle -----------------------------------------------------------------------
    def _env(self) -> dict[str, str]:
        jupyter = self.tmp / "jupyter"
        env = dict(os.environ)
        env.pop("MPLBACKEND", None)  # the kernel must use the inline backend, not Agg
        env.update(
            JUPYTER_CONFIG_DIR=str(jupyter / "config"),
            JUPYTER_DATA_DIR=str(jupyter / "data"),
            JUPYTER_RUNTIME_DIR=str(self.runtime_dir),
            JUPYTERLAB_SETTINGS_DIR=str(jupyter / "lab-settings"),
            JUPYTERLAB_WORKSPACES_DIR=str(jupyter / "lab-workspaces"),
            IPYTHONDIR=str(jupyter / "ipython"),
            JUPYTER_PLATFORM_DIRS="1",
            PYTHONDONTWRITEBYTECODE="1",
        )
        return env

    def _write_settings(self) -> None:
        settings = self.tmp / "jupyter" / "lab-settings"
        for name, value in LAB_SETTINGS.items():
            path = settings / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(value), encoding="utf-8")

    def start(self) -> LabServer:
        self._tmp = tempfile.TemporaryDirectory(prefix="course-lab-")
        self.notebook_dir.mkdir()
        copy_notebooks(self.notebook_dir, self.root)
        self._write_settings()
        self.log_path = self.tmp / "jupyter-lab.log"
        cmd = [
            sys.executable,
            *("-m", "jupyter", "lab", "--no-browser"),
            f"--ServerApp.ip={self.host}",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.notebook_dir}",
            "--ServerApp.open_browser=False",
            "--ServerApp.allow_root=True",  # CI containers run as root
            "--LabApp.news_url=",
            "--LabApp.expose_app_in_browser=True",  # window.jupyterapp: read cell models
        ]
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                cmd,
                cwd=self.notebook_dir,
                env=self._env(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"jupyter lab exited with {self.proc.returncode}:\n{self.log_tail()}"
                )
            try:
                self.api("GET", "status", timeout=2)
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                time.sleep(0.25)
        raise TimeoutError(
            f"jupyter lab not ready after {self.startup_timeout:.0f} s:\n{self.log_tail()}"
        )

    def log_tail(self, n: int = 40) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])

    def kernel_pids(self) -> list[int]:
        """Live processes whose command line names this server's runtime directory."""
        marker = str(self.runtime_dir).encode()
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                if marker in (entry / "cmdline").read_bytes():
                    pids.append(int(entry.name))
            except OSError:
                continue
        return pids

    def stop(self, grace: float = 10.0) -> None:
        try:
            if self.proc is not None and self.proc.poll() is None:
                try:
                    self.shutdown_kernels()
                except Exception:  # the server may be wedged; it is killed below anyway
                    pass
                self.proc.terminate()
                try:
                    self.proc.wait(grace)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait(grace)
            # Kernels run in their own session: kill any that outlived the server.
            self.leftover_pids = self.kernel_pids()
            for pid in self.leftover_pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        finally:
            if self._tmp is not None:
                self._tmp.cleanup()
                self._tmp = None

    def __enter__(self) -> LabServer:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()
