"""Links that open the course for a class: nbgitpuller (JupyterHub) and Binder.

    python -m tools.links --hub hub.example.org --repo https://github.com/org/course

prints, for every lesson, the nbgitpuller link that clones (or updates) the course
into each learner's home on the hub and opens that lesson, and the Binder link.
docs/instructors/running-at-scale.md shows the same links with placeholders;
tests/test_links.py checks that they are exactly what this module makes.
"""

from __future__ import annotations

import argparse
from urllib.parse import quote, urlencode, urlsplit

from tools import notebooks as nbs


def _repo_name(repo_url: str) -> str:
    path = urlsplit(repo_url).path.rstrip("/")
    name = path.rsplit("/", 1)[-1]
    name = name.removesuffix(".git")
    if not name:
        raise ValueError(
            f"repo must be a repository URL like https://github.com/org/name, got {repo_url!r}"
        )
    return name


def nbgitpuller_link(
    hub: str, repo_url: str, notebook: str, *, branch: str = "main", encoded: bool = False
) -> str:
    """``https://HUB/hub/user-redirect/git-pull?repo=...&urlpath=lab/tree/NAME/NOTEBOOK&branch=...``.

    nbgitpuller clones ``repo_url`` into a folder named after the repository, so
    ``urlpath`` opens ``notebook`` inside that folder in JupyterLab. With
    ``encoded=True`` the query values are percent-encoded, as nbgitpuller's own
    link generator writes them (safer in an LMS that rewrites ``/`` or ``:``).
    """
    if "://" in hub:
        raise ValueError(
            f"hub is a host name such as hub.example.org, without https://; got {hub!r}"
        )
    urlpath = f"lab/tree/{_repo_name(repo_url)}/{notebook}"
    params = {"repo": repo_url, "urlpath": urlpath, "branch": branch}
    if encoded:
        query = urlencode(params, quote_via=quote, safe="")
    else:
        query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"https://{hub}/hub/user-redirect/git-pull?{query}"


def binder_link(slug: str, notebook: str, *, branch: str = "main") -> str:
    """mybinder.org link that builds ``slug`` (``owner/name`` on GitHub) and opens ``notebook``."""
    if slug.count("/") != 1 or "://" in slug:
        raise ValueError(f"slug is the GitHub owner/name, e.g. org/course; got {slug!r}")
    return f"https://mybinder.org/v2/gh/{slug}/{branch}?urlpath=lab/tree/{notebook}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--hub", required=True, help="the JupyterHub's host name, e.g. hub.example.org"
    )
    parser.add_argument("--repo", required=True, help="the course repository's URL on GitHub")
    parser.add_argument("--branch", default="main")
    args = parser.parse_args(argv)
    slug = "/".join(urlsplit(args.repo).path.strip("/").removesuffix(".git").split("/")[-2:])
    for path in nbs.solution_paths():
        notebook = f"lessons/{path.name}"
        print(path.stem)
        print("  JupyterHub:", nbgitpuller_link(args.hub, args.repo, notebook, branch=args.branch))
        print("  Binder:    ", binder_link(slug, notebook, branch=args.branch))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
