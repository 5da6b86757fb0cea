"""The project's metadata agrees with itself: pins, environment.yml, installed versions."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def _canon(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(requirements) -> dict[str, str]:
    out = {}
    for req in requirements:
        name, _, pinned = req.partition("==")
        assert pinned, f"{req!r} is not pinned with =="
        out[_canon(name.split("[")[0])] = pinned.strip()
    return out


PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
DIRECT = _pins(PYPROJECT["dependencies"])
for extra in PYPROJECT["optional-dependencies"].values():
    DIRECT.update(_pins(extra))
CONSTRAINTS = _pins(
    line
    for line in (ROOT / "requirements/constraints.txt").read_text().splitlines()
    if line.strip() and not line.startswith("#")
)
ENV = yaml.safe_load((ROOT / "environment.yml").read_text())


def _conda_pins() -> dict[str, str]:
    pins = {}
    for dep in ENV["dependencies"]:
        if isinstance(dep, str) and "=" in dep:
            name, _, ver = dep.partition("=")
            pins[_canon(name)] = ver
    return pins


def test_every_direct_dependency_is_in_the_constraints_at_the_same_version():
    for name, pinned in DIRECT.items():
        assert CONSTRAINTS.get(name) == pinned, (
            f"{name}: pyproject {pinned}, constraints {CONSTRAINTS.get(name)}"
        )


def test_environment_yml_lists_the_pip_pins():
    conda = _conda_pins()
    python = conda.pop("python")
    assert PYPROJECT["requires-python"] == f">={python}"
    course = set(_pins(PYPROJECT["dependencies"])) | set(
        _pins(PYPROJECT["optional-dependencies"]["course"])
    )
    assert set(conda) == course, "environment.yml and pyproject [course] list different packages"
    for name, ver in conda.items():
        assert DIRECT[name] == ver, f"{name}: environment.yml {ver}, pyproject {DIRECT[name]}"


def test_environment_yml_installs_the_project_itself():
    pip_section = next(d["pip"] for d in ENV["dependencies"] if isinstance(d, dict))
    assert "--editable ." in pip_section or "-e ." in pip_section


@pytest.mark.parametrize(
    "name",
    sorted(_pins(PYPROJECT["dependencies"]) | _pins(PYPROJECT["optional-dependencies"]["course"])),
)
def test_installed_version_matches_the_pin(name):
    try:
        installed = version(name)
    except PackageNotFoundError:
        pytest.fail(f"{name} is not installed; run `make install`")
    assert installed == DIRECT[name], (
        f"{name} {installed} is installed but the course pins {DIRECT[name]}; "
        "stored notebook outputs may not reproduce. Run `make install`."
    )


def _make_dry_run(target: str) -> str:
    """The commands ``make -n target`` would run, with the install step taken as done."""
    import subprocess

    return subprocess.run(
        ["make", "-n", "-o", ".venv/.installed-course", target],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_make_lab_serves_on_localhost_with_token_auth():
    commands = _make_dry_run("lab")
    lab = next(line for line in commands.splitlines() if "jupyter lab" in line)
    assert "--ServerApp.ip=127.0.0.1" in lab
    assert "0.0.0.0" not in commands and "token=" not in commands.replace(" ", "")
    assert "tools.workspace lessons my-work" in commands, "the learner's copy comes first"
    assert "--ServerApp.root_dir=my-work" in lab, "JupyterLab opens on the learner's copies"
    assert "--solutions solutions" in commands, "the solved notebooks stay one click away"


def test_make_lab_as_root_allows_root_but_keeps_localhost_and_the_token():
    commands = _make_dry_run("lab")
    lab = next(line for line in commands.splitlines() if "jupyter lab" in line)
    if os.geteuid() == 0:
        assert "--allow-root" in lab and "note: running as root" in commands
    else:
        assert "--allow-root" not in lab
    assert "--ServerApp.ip=127.0.0.1" in lab and "token" not in lab.lower()


def test_make_test_runs_the_whole_suite():
    assert "-m tools.run_tests" in _make_dry_run("test")


def test_readme_starts_with_the_two_commands():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    block = lines[lines.index("```sh") + 1 : lines.index("```")]
    assert [line.split()[:2] for line in block] == [["make", "lab"], ["make", "test"]]
    assert lines.index("```sh") <= 3, "the commands come right after the title"


TIMERS = {"perf_counter", "process_time", "time", "monotonic", "perf_counter_ns", "thread_time"}


def _calls_a_timer(node: ast.AST) -> bool:
    return any(
        isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and n.func.attr in TIMERS
        and isinstance(n.func.value, ast.Name)
        and n.func.value.id == "time"
        for n in ast.walk(node)
    )


def _bound_names(target: ast.AST) -> set[str]:
    """Names an assignment target binds: `a`, `a, b`; for `d[k]` or `o.x`, `d` or `o`."""
    if isinstance(target, ast.Name):
        return {target.id}
    if isinstance(target, (ast.Tuple, ast.List)):
        return set().union(*map(_bound_names, target.elts))
    if isinstance(target, (ast.Subscript, ast.Attribute, ast.Starred)):
        return _bound_names(target.value)
    return set()


def stopwatch_assertions(source: str) -> list[int]:
    """Line numbers of asserts that depend on a clock reading.

    Directly, or through a local name or a function's return value derived from
    one (per function: a name reused in another test is not tainted).
    """
    tree = ast.parse(source)
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
    timing_functions: set[str] = set()
    found: set[int] = set()
    for _ in range(3):  # names derived from names derived from a clock
        for fn in functions:
            timed: set[str] = set()

            def tainted(node: ast.AST, timed=timed) -> bool:
                names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
                return _calls_a_timer(node) or bool(names & (timed | timing_functions))

            for _ in range(3):
                for node in ast.walk(fn):
                    if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                        if node.value is not None and tainted(node.value):
                            targets = (
                                node.targets if isinstance(node, ast.Assign) else [node.target]
                            )
                            timed |= {name for t in targets for name in _bound_names(t)}
                    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                        grows = node.func.attr in ("append", "extend")
                        if grows and any(map(tainted, node.args)):
                            if isinstance(node.func.value, ast.Name):
                                timed.add(node.func.value.id)
            for node in ast.walk(fn):
                if isinstance(node, ast.Return) and node.value is not None and tainted(node.value):
                    timing_functions.add(fn.name)
                if isinstance(node, ast.Assert) and tainted(node.test):
                    found.add(node.lineno)
    return sorted(found)


def test_the_stopwatch_detector_finds_a_timing_assertion():
    source = (
        "import time\n"
        "def test_fast():\n"
        "    times = []\n"
        "    for _ in range(3):\n"
        "        start = time.process_time()\n"
        "        times.append(time.process_time() - start)\n"
        "    assert sorted(times)[1] < 0.1\n"
        "    assert 1 + 1 == 2\n"
    )
    assert stopwatch_assertions(source) == [7]


@pytest.mark.parametrize(
    "path", sorted((ROOT / "tests").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT))
)
def test_no_test_asserts_a_duration(path):
    """A shared hub node or a busy laptop is slow: durations are benchmark figures (make bench)."""
    lines = stopwatch_assertions(path.read_text(encoding="utf-8"))
    assert not lines, f"{path.name}: assertions on a clock reading at lines {lines}"


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["check", "format"])
def test_ruff_is_clean(command):
    """`make lint` in CI runs after the long suites; a lint slip should fail fast, here."""
    ruff = Path(sys.executable).with_name("ruff")
    if not ruff.exists():
        pytest.skip("ruff is not installed next to this Python (install the course extra)")
    result = subprocess.run(
        [str(ruff), *command, "."], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-1000:]


# ---------------------------------------------------------------- tools share their conventions


def _own_conventions(tree: ast.AST, conventions) -> list[str]:
    """What a tool defines that tools/notebooks.py owns: a pattern, the title, the guide path."""
    patterns, title = conventions
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "compile"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            text = node.args[0].value
            if text in patterns or "Exercise" in text or "NotImplementedError" in text:
                found.append(f"re.compile({text!r})")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and title in node.value:
            found.append(f"the course title in {node.value[:60]!r}")
        elif (
            isinstance(node, ast.BinOp)
            and isinstance(node.op, ast.Div)
            and isinstance(node.right, ast.Constant)
            and node.right.value == "instructors"
        ):
            found.append("the guide folder docs/instructors")
    return found


def _conventions():
    sys.path.insert(0, str(ROOT))
    try:
        from tools import notebooks as nbs
    finally:
        sys.path.remove(str(ROOT))
    patterns = {p.pattern for p in (nbs.NAME, nbs.EXERCISE, nbs.CHECK, nbs.STUB, nbs.LESSON_STUB)}
    return patterns, nbs.COURSE_TITLE


@pytest.mark.parametrize(
    "path",
    sorted(p for p in (ROOT / "tools").glob("*.py") if p.name != "notebooks.py"),
    ids=lambda p: p.name,
)
def test_no_tool_defines_its_own_notebook_conventions(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert _own_conventions(tree, _conventions()) == [], path.name


def test_the_convention_detector_finds_a_copy():
    old = (
        'EXERCISE = re.compile(r"^# Exercise (\\d+\\.\\d+): *(\\w+)", re.MULTILINE)\n'
        'TITLE = "<title>Slides: Sigmoid and Softmax, derived and built by hand</title>"\n'
        'GUIDE = ROOT / "docs" / "instructors"\n'
    )
    assert len(_own_conventions(ast.parse(old), _conventions())) == 3
