"""Pre-workshop install check: run it at home, before the first session.

    make check-install                 # in the course's .venv (creates it first if needed)
    python -m tools.check_install      # in any environment (conda: after `conda activate`)

It prints one line per item, ``ok`` or ``FAIL`` with what to do, and exits with status 0
only if every item passed:

- the Python version (pyproject.toml's ``requires-python``);
- every package the lessons import (pyproject.toml's pinned ``dependencies``) and
  JupyterLab: installed at the pinned version, and importable;
- the course's own package (``import helpers``);
- a Jupyter kernel starts and runs a line of Python;
- ipywidgets works: a slider is created inside that kernel, and JupyterLab's widget
  support (``jupyterlab_widgets``) is installed, so the explorers will draw.

docs/instructors/learner-setup.md says what each FAIL line means and how to fix it.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
# distribution name -> module name, where they differ
MODULES = {"ipykernel": "ipykernel", "jupyterlab": "jupyterlab"}
FIX = "run `make install` (pip) or `conda env update -f environment.yml` (conda), then check again"


def pins(pyproject: Path = PYPROJECT) -> dict[str, str]:
    """``{"numpy": "2.4.6", ...}``: the lessons' dependencies and JupyterLab, as pinned."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    wanted = list(project["dependencies"])
    wanted += [r for r in project["optional-dependencies"]["course"] if r.startswith("jupyterlab")]
    found = {}
    for requirement in wanted:
        name, _, version = requirement.partition("==")
        found[name.strip()] = version.strip()
    return found


def required_python(pyproject: Path = PYPROJECT) -> tuple[int, int]:
    spec = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["requires-python"]
    major, minor = re.match(r">=\s*(\d+)\.(\d+)", spec).groups()
    return int(major), int(minor)


def check_python(version=None, needed=None) -> tuple[bool, str]:
    version = tuple(version or sys.version_info[:3])
    needed = needed or required_python()
    shown = ".".join(map(str, version))
    wanted = f"{needed[0]}.{needed[1]}+"
    if version[:2] >= needed:
        return True, f"Python {shown} (the course needs {wanted})"
    return False, (
        f"Python {shown} is too old: the course needs {wanted}; install a newer Python "
        "(python.org, or conda) and create the environment again with it"
    )


def check_package(name: str, version: str) -> tuple[bool, str]:
    try:
        installed = importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return False, f"{name} is not installed (the course pins {version}): {FIX}"
    if installed != version:
        return False, f"{name} {installed} is installed, the course pins {version}: {FIX}"
    module = MODULES.get(name, name.replace("-", "_"))
    try:
        importlib.import_module(module)
    except Exception as error:  # an installed package that does not import: say why
        first = str(error).splitlines()[0] if str(error) else ""
        return (
            False,
            f"{name} {installed} is installed but `import {module}` fails: "
            f"{type(error).__name__}: {first}",
        )
    return True, f"{name} {installed}"


def check_helpers() -> tuple[bool, str]:
    try:
        importlib.import_module("helpers")
    except Exception as error:
        return False, (
            f"the course package does not import ({type(error).__name__}: {error}): install it "
            "from the course folder with `pip install -e .` (make install does)"
        )
    return True, "the course package (import helpers)"


KERNEL_CODE = (
    "import ipywidgets\n"
    "slider = ipywidgets.IntSlider(value=3)\n"
    "print('kernel', 1 + 1, 'slider', slider.value)"
)


def check_kernel(kernel_name: str = "python3", timeout: float = 120) -> list[tuple[bool, str]]:
    """Start a kernel, run one line, make a slider in it; two result lines."""
    try:
        from jupyter_client.manager import start_new_kernel
    except ImportError:
        return [(False, f"jupyter_client is missing, so no kernel can start: {FIX}")] * 2
    try:
        manager, client = start_new_kernel(  # the kernel's own log lines are not ours
            kernel_name=kernel_name, startup_timeout=timeout, stderr=subprocess.DEVNULL
        )
    except Exception as error:
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        return [
            (False, f"the Jupyter kernel {kernel_name!r} does not start ({message}): {FIX}"),
            (False, "ipywidgets not checked: no kernel"),
        ]
    try:
        out: list[str] = []
        reply = client.execute_interactive(
            KERNEL_CODE,
            timeout=timeout,
            output_hook=lambda msg: (
                out.append(msg.get("content", {}).get("text", ""))
                if msg.get("msg_type") == "stream"
                else None
            ),
        )
        status = reply.get("content", {}).get("status")
    except Exception as error:
        status, out = f"error ({type(error).__name__})", []
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    text = "".join(out)
    results = [
        (True, f"a Jupyter kernel ({kernel_name}) starts and runs Python")
        if "kernel 2" in text
        else (False, f"the kernel started but did not run Python (status {status}): {FIX}")
    ]
    if "slider 3" not in text:
        results.append((False, f"ipywidgets does not work in the kernel (status {status}): {FIX}"))
        return results
    try:
        version = importlib.metadata.version("jupyterlab_widgets")
    except importlib.metadata.PackageNotFoundError:
        results.append(
            (
                False,
                f"jupyterlab_widgets is missing, so explorers will not draw in JupyterLab: {FIX}",
            )
        )
        return results
    results.append(
        (True, f"ipywidgets: a slider works in the kernel; jupyterlab_widgets {version}")
    )
    return results


def run(
    kernel_name: str = "python3", packages: dict[str, str] | None = None
) -> list[tuple[bool, str]]:
    results = [check_python()]
    for name, version in (pins() if packages is None else packages).items():
        results.append(check_package(name, version))
    results.append(check_helpers())
    results += check_kernel(kernel_name)
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kernel", default="python3", help="the kernel to start (default python3)")
    args = parser.parse_args(argv)
    results = run(args.kernel)
    for ok, line in results:
        print(f"{'ok  ' if ok else 'FAIL'}  {line}")
    failed = sum(not ok for ok, _ in results)
    if failed:
        print(
            f"{failed} of {len(results)} checks failed: see the FAIL lines (and learner-setup.md)"
        )
        return 1
    print(f"all {len(results)} checks passed: you are ready for the workshop")
    return 0


if __name__ == "__main__":
    sys.exit(main())
