"""The contents manager `make lab` runs: the solved notebooks cannot be saved over.

``my-work/solutions/`` holds read-only copies of the solved notebooks
(:mod:`tools.workspace`). File permissions alone do not protect them from Jupyter when
it runs as root (``--allow-root``, as in many containers): root may write any file, so
Jupyter reported the copies writable and a save succeeded. This contents manager is
JupyterLab's default one with the folders in :attr:`read_only_folders` (``solutions``)
made read-only whoever runs the server: they are reported not writable (JupyterLab
opens them read-only) and saving, renaming, deleting or creating files there is
refused with "403 Forbidden". `make lab` selects it with
``--ServerApp.contents_manager_class=tools.lab_contents.SolutionsReadOnlyContentsManager``.
"""

from __future__ import annotations

from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager
from tornado import web
from traitlets import List, Unicode


class SolutionsReadOnlyContentsManager(AsyncLargeFileManager):
    """JupyterLab's default contents manager, with the solutions folder read-only."""

    read_only_folders = List(
        Unicode(),
        default_value=["solutions"],
        help="Folders (relative to the server's root) that nothing may be saved into.",
    ).tag(config=True)

    def is_read_only(self, path: str) -> bool:
        """Whether the API path ``path`` is one of the read-only folders or inside one."""
        path = (path or "").strip("/")
        return any(
            path == folder.strip("/") or path.startswith(folder.strip("/") + "/")
            for folder in self.read_only_folders
        )

    def _refuse(self, path: str):
        return web.HTTPError(
            403,
            f"{path} is a read-only solution: your answers belong in your own copy, "
            "in the folder above",
        )

    def is_writable(self, path):
        return not self.is_read_only(path) and super().is_writable(path)

    async def save(self, model, path=""):
        if self.is_read_only(path):
            raise self._refuse(path)
        return await super().save(model, path)

    async def delete_file(self, path):
        if self.is_read_only(path):
            raise self._refuse(path)
        return await super().delete_file(path)

    async def rename_file(self, old_path, new_path):
        for path in (old_path, new_path):
            if self.is_read_only(path):
                raise self._refuse(path)
        return await super().rename_file(old_path, new_path)
