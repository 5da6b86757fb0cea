"""The libraries the decks and sites load, served from disk (``vendor/``) instead of CDNs.

- reveal.js, MathJax 2 (nbconvert's templates call the MathJax 2 API), require.js and
  jQuery come from the npm registry at pinned versions (``npm pack``), checked against the
  registry's sha512 integrity recorded below, and unpacked (only the files the pages use)
  into ``.cache/vendor/`` once (outside build/, so `make clean` keeps it;
  ``COURSE_VENDOR_CACHE`` moves it); later builds reuse it. Without npm or network and
  without the cache, the build stops with one line saying what it needs.
- mermaid is not used by any lesson; ``NO_MERMAID`` removes its ``<script type="module">``.
- The reveal theme is ``white``: its fonts ship with reveal.js (``simple`` imports Google
  Fonts).

Used by tools/slides.py (the decks) and tools/site.py (the two sites).
"""

from __future__ import annotations

import base64
import fnmatch
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import notebooks as nbs

BUILD = nbs.ROOT / "build"
# Outside build/, so `make clean` keeps it; .cache/.gitignore (written on first use) hides it
# from git. COURSE_VENDOR_CACHE points elsewhere (a shared folder, a USB stick).
CACHE = nbs.ROOT / ".cache"
VENDOR_CACHE = Path(os.environ.get("COURSE_VENDOR_CACHE") or CACHE / "vendor")


@dataclass(frozen=True)
class Package:
    """One npm package: pinned version, registry integrity, the files we keep."""

    name: str
    version: str
    integrity: str
    keep: tuple[str, ...]  # fnmatch patterns relative to the package root

    @property
    def spec(self) -> str:
        return f"{self.name}@{self.version}"


PACKAGES = (
    Package(
        "reveal.js",
        "4.0.2",  # the version nbconvert 7's reveal template is written for
        "sha512-LWZSUenufF1gpD7npxJ7KfoQQFKgc1D6XrLTFgKlwWNP1BQ74hT48KONFWMAw+8R/QUeaScCLCLrBVHDfFIEiw==",
        (
            "LICENSE",
            "package.json",
            "dist/reveal.css",
            "dist/reveal.js",
            "dist/theme/*.css",
            "dist/theme/fonts/*",
            "plugin/notes/*",
        ),
    ),
    Package(
        "mathjax",
        "2.7.9",  # nbconvert's templates configure MathJax through the 2.x API
        "sha512-NOGEDTIM9+MrsqnjPEjVGNx4q0GQxqm61yQwSK+/5S59i26wId5IC5gNu9/bu8+CCVl5p9G2IHcAl/wJa+5+BQ==",
        (
            "LICENSE",
            "package.json",
            "MathJax.js",
            "config/TeX-AMS_CHTML-full.js",
            "config/Safe.js",
            "extensions/[A-Za-z]*.js",
            "extensions/TeX/*",
            "jax/input/TeX/*",
            "jax/element/*",
            "jax/output/CommonHTML/*",
            "fonts/HTML-CSS/TeX/woff/*",
        ),
    ),
    Package(
        "requirejs",
        "2.3.7",
        "sha512-DouTG8T1WanGok6Qjg2SXuCMzszOo0eHeH9hDZ5Y4x8Je+9JB38HdTLT4/VA8OaUhBa0JPVHJ0pyBkM1z+pDsw==",
        ("package.json", "README.md", "require.js"),
    ),
    Package(
        "jquery",
        "3.7.1",
        "sha512-m4avr8yL8kmFN8psrbFFFmB/If14iN5o9nw/NgnnM+kybDJpRsAynV2BsfpTYrTRysYUdADVD7CkUUizgkpLfg==",
        ("LICENSE.txt", "package.json", "dist/jquery.min.js"),
    ),
)

# axe-core, for the accessibility test only (tests/browser/test_a11y.py): cached next to the
# vendor folder, never copied into a site or deck.
AXE = Package(
    "axe-core",
    "4.14.1",
    "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==",
    ("LICENSE", "package.json", "axe.min.js"),
)
AXE_CACHE = VENDOR_CACHE.parent / "test-vendor"
AXE_JS = "axe-core/axe.min.js"

# The files a page refers to, relative to vendor/ (tests use these to fake a vendor folder).
REVEAL_THEME = "white"
REQUIRE_JS = "requirejs/require.js"
JQUERY_JS = "jquery/dist/jquery.min.js"
MATHJAX_JS = "mathjax/MathJax.js"
MATHJAX_CONFIG = "?config=TeX-AMS_CHTML-full,Safe"
REVEAL_FILES = (
    "reveal.js/dist/reveal.css",
    f"reveal.js/dist/theme/{REVEAL_THEME}.css",
    "reveal.js/dist/reveal.js",
    "reveal.js/plugin/notes/notes.js",
)
REFERENCED = (REQUIRE_JS, JQUERY_JS, MATHJAX_JS, *REVEAL_FILES)

# No mermaid: the lessons have no diagrams, and mermaid is a 3 MB module from a CDN.
NO_MERMAID = "{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}"


# --------------------------------------------------------------------------- vendor


def _integrity(path: Path) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()


def _extract(tgz: Path, package: Package, target: Path) -> int:
    count = 0
    with tarfile.open(tgz) as tar:
        for member in tar.getmembers():
            relative = member.name.removeprefix("package/")
            if member.isfile() and any(fnmatch.fnmatch(relative, p) for p in package.keep):
                member.name = relative
                tar.extract(member, target, filter="data")
                count += 1
    return count


NEEDS = (
    "make slides needs reveal.js, MathJax, require.js and jQuery once: run it with network "
    "access (npm fetches them from the npm registry into {cache}), or copy that folder from "
    "a machine that has it, or build with `python -m tools.slides --cdn` ({why})"
)


def _ignore_cache(cache: Path) -> None:
    """Keep the cache out of git without touching the repository's .gitignore."""
    if cache.parent == CACHE and not (CACHE / ".gitignore").exists():
        (CACHE / ".gitignore").write_text("# made by tools/slides.py\n*\n")


def _npm_pack(npm: str, package: Package, tmp: str, cache: Path) -> Path:
    try:
        out = subprocess.run(
            [npm, "pack", package.spec, "--json", "--pack-destination", tmp],
            check=True,
            capture_output=True,
            text=True,
            timeout=300,
        ).stdout
        return Path(tmp) / json.loads(out)[0]["filename"]
    except (subprocess.SubprocessError, OSError, ValueError, LookupError) as error:
        lines = (getattr(error, "stderr", None) or str(error)).strip().splitlines()
        detail = next((ln for ln in lines if "ERR" in ln or "error" in ln.lower()), "")
        raise SystemExit(
            NEEDS.format(cache=cache, why=f"npm pack {package.spec} failed: {detail}"[:200])
        ) from None


def fetch_vendor(cache: Path | None = None, npm: str = "npm") -> Path:
    """Download the pinned packages with ``npm pack`` into ``cache`` (once) and return it.

    Without npm or without network, exits with one line saying what is needed.
    """
    cache = VENDOR_CACHE if cache is None else cache
    fetch_packages(PACKAGES, cache, npm)
    missing = [f for f in REFERENCED if not (cache / f).is_file()]
    if missing:
        raise SystemExit(f"vendor folder {cache} lacks {missing}: delete it and run again")
    return cache


def fetch_axe(cache: Path | None = None, npm: str = "npm") -> Path:
    """axe-core's ``axe.min.js`` (pinned :data:`AXE`), fetched with npm once, then offline."""
    cache = AXE_CACHE if cache is None else cache
    fetch_packages((AXE,), cache, npm)
    return cache / AXE_JS


def fetch_packages(packages, cache: Path, npm: str = "npm") -> None:
    """``npm pack`` each pinned package into ``cache/<name>`` unless already there."""
    cache.mkdir(parents=True, exist_ok=True)
    _ignore_cache(cache)
    for package in packages:
        target = cache / package.name
        stamp = target / ".version"
        if stamp.exists() and stamp.read_text() == package.spec:
            continue
        if shutil.which(npm) is None:
            raise SystemExit(NEEDS.format(cache=cache, why="npm, from Node.js, is not installed"))
        shutil.rmtree(target, ignore_errors=True)
        with tempfile.TemporaryDirectory() as tmp:
            tgz = _npm_pack(npm, package, tmp, cache)
            got = _integrity(tgz)
            if got != package.integrity:
                raise SystemExit(f"{package.spec}: integrity {got} != pinned {package.integrity}")
            count = _extract(tgz, package, target)
        stamp.write_text(package.spec)
        print(f"vendored {package.spec}: {count} files into {target}")


VENDOR_MARKER = ".course-vendor"


def copy_vendor(cache: Path, target: Path) -> None:
    """Copy the vendored libraries next to the pages that use them.

    An existing ``target`` is replaced only if an earlier ``copy_vendor`` made it (it holds
    VENDOR_MARKER) or it is empty; anything else is refused (SystemExit), never deleted.
    """
    nbs.delete_if_ours(
        target,
        VENDOR_MARKER,
        kind="vendor folder",
        tool="tools.vendor",
        advice="delete it yourself",
    )
    shutil.copytree(cache, target, ignore=shutil.ignore_patterns(".version"))
    (target / VENDOR_MARKER).write_text("made by tools/vendor.py copy_vendor\n")


def fake_vendor(target: Path) -> Path:
    """An empty stand-in with the referenced file names (for tests without npm)."""
    for name in REFERENCED:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_text("")
    return target


def vendor_urls(prefix: str | None) -> dict[str, str]:
    """Exporter settings loading every library from ``prefix`` (None: nbconvert's CDNs)."""
    if prefix is None:
        return {}
    return {
        "require_js_url": f"{prefix}/{REQUIRE_JS}",
        "jquery_url": f"{prefix}/{JQUERY_JS}",
        "mathjax_url": f"{prefix}/{MATHJAX_JS}{MATHJAX_CONFIG}",
    }
