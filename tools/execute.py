"""Execute notebooks in place on a fresh kernel, top to bottom, and store outputs.

    python -m tools.execute solutions/01_sigmoid.ipynb [...]

No timing metadata is recorded, so re-running changes a notebook only where
its outputs change.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from nbclient import NotebookClient

from . import notebooks as nbs


def execute(path: Path, timeout: int = 120) -> float:
    nb = nbs.read(path)
    start = time.perf_counter()
    NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    nb.metadata.pop("widgets", None)  # no widget state in the repository
    nbs.write(nb, path)
    return time.perf_counter() - start


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    args = parser.parse_args(argv)
    for path in args.paths:
        print(f"executing {path} ...", end=" ", flush=True)
        print(f"{execute(path):.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
