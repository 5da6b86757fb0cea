"""The class links in the docs are the ones tools/links.py makes, and they open real notebooks;
binder/ pins the course runtime exactly as the root environment.yml does."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tools import links
from tools import notebooks as nbs

SCALE = nbs.ROOT / "docs" / "instructors" / "running-at-scale.md"
README = nbs.ROOT / "README.md"
REPO = "https://github.com/OWNER/REPO"
FIRST = "lessons/00_start_here.ipynb"


def _links(path, marker):
    return re.findall(r"https://[^\s)\]`]*" + re.escape(marker) + r"[^\s)\]`]*", path.read_text())


def test_the_documented_nbgitpuller_links_are_what_the_tool_makes():
    found = _links(SCALE, "git-pull")
    assert links.nbgitpuller_link("HUB", REPO, FIRST) in found
    assert links.nbgitpuller_link("HUB", REPO, FIRST, encoded=True) in found
    assert len(found) == 2, found


def test_the_binder_badges_are_what_the_tool_makes():
    want = links.binder_link("OWNER/REPO", FIRST)
    for page in (README, SCALE):
        found = _links(page, "mybinder.org/v2")
        assert found == [want], f"{page.name}: {found}"


@pytest.mark.parametrize("encoded", [False, True])
@pytest.mark.parametrize("path", nbs.solution_paths(), ids=lambda p: p.stem)
def test_an_nbgitpuller_link_opens_the_lesson_inside_the_clone(path, encoded):
    url = links.nbgitpuller_link(
        "hub.example.org", REPO + ".git", f"lessons/{path.name}", encoded=encoded
    )
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "https",
        "hub.example.org",
        "/hub/user-redirect/git-pull",
    )
    query = {k: v[0] for k, v in parse_qs(parts.query, strict_parsing=True).items()}
    assert query == {
        "repo": REPO + ".git",
        "urlpath": f"lab/tree/REPO/lessons/{path.name}",
        "branch": "main",
    }
    notebook = query["urlpath"].removeprefix("lab/tree/REPO/")
    assert (nbs.ROOT / notebook).is_file()


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: links.nbgitpuller_link("https://hub.example.org", REPO, FIRST), "host name"),
        (lambda: links.nbgitpuller_link("hub.example.org", "https://github.com/", FIRST), "repo"),
        (lambda: links.binder_link("https://github.com/OWNER/REPO", FIRST), "owner/name"),
    ],
)
def test_bad_arguments_are_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_the_command_prints_both_links_for_every_lesson(capsys):
    assert links.main(["--hub", "hub.example.org", "--repo", "https://github.com/org/course"]) == 0
    out = capsys.readouterr().out
    for path in nbs.solution_paths():
        assert f"lab/tree/course/lessons/{path.name}" in out
        assert f"mybinder.org/v2/gh/org/course/main?urlpath=lab/tree/lessons/{path.name}" in out


# --------------------------------------------------------------------------- Binder

BINDER = nbs.ROOT / "binder"
#: Needed by learners on Binder; everything else in the root environment.yml is for tests.
RUNTIME = {"python", "pip", "jupyterlab", "nbformat", "nbclient", "nbconvert"}
TEST_ONLY = {"nbval", "pytest", "pytest-xdist", "hypothesis", "scipy", "mpmath", "ruff"}


def _conda_pins(path) -> dict[str, str]:
    """``{"numpy": "2.4.6", "pip": ""}`` from an environment.yml's conda dependencies."""
    yaml = pytest.importorskip("yaml")
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    pins = {}
    for dep in spec["dependencies"]:
        if isinstance(dep, str):
            name, _, version = dep.partition("=")
            pins[name.strip().lower()] = version.strip()
    return pins


def _pip_section(path) -> list[str]:
    import yaml

    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [p for dep in spec["dependencies"] if isinstance(dep, dict) for p in dep.get("pip", [])]


def test_binder_pins_the_runtime_exactly_as_the_root_environment():
    root = _conda_pins(nbs.ROOT / "environment.yml")
    binder = _conda_pins(BINDER / "environment.yml")
    import tomllib

    project = tomllib.loads((nbs.ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    runtime = RUNTIME | {d.split("==")[0].lower() for d in project["project"]["dependencies"]}
    assert set(binder) == runtime, f"binder/ has {sorted(binder)}, the runtime is {sorted(runtime)}"
    for name, version in binder.items():
        assert root.get(name) == version, (
            f"binder/environment.yml pins {name}={version}, the root environment.yml "
            f"{name}={root.get(name)}"
        )
    assert not set(binder) & TEST_ONLY


def test_binder_environment_is_cacheable_and_postbuild_installs_the_package():
    """The environment file does not install the repository (that would make repo2docker
    copy the whole repository first and rebuild the conda layer on every push)."""
    assert _pip_section(BINDER / "environment.yml") == []
    post = BINDER / "postBuild"
    assert post.stat().st_mode & 0o111, "binder/postBuild must be executable"
    commands = [ln.strip() for ln in post.read_text().splitlines() if ln.strip()[:1] not in "#"]
    assert any(re.search(r"pip install .*--no-deps .*-e \.$", c) for c in commands), commands
