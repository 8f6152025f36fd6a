"""Live reload for authors: watch the flow folders, and tell the window when a flow file changed.

Editors save in bursts (temporary file, rename, touch), so changes are gathered for a moment first.
A file that is replaced by a rename drops out of the watch list, so every reload watches anew.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from wizard.core.flow_files import flow_files_in, synonyms_files_in

SETTLE_MS = 300


class FlowWatcher(QObject):
    changed = Signal()

    def __init__(self, directories: list[Path], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.directories = directories
        self.watcher = QFileSystemWatcher(self)
        self.watcher.directoryChanged.connect(self._touched)
        self.watcher.fileChanged.connect(self._touched)
        self.settle = QTimer(self)
        self.settle.setSingleShot(True)
        self.settle.setInterval(SETTLE_MS)
        self.settle.timeout.connect(self._fire)
        self.enabled = True
        self.watch()

    def watch(self) -> None:
        """(Re)build the list of watched folders and flow files."""
        old = self.watcher.files() + self.watcher.directories()
        if old:
            self.watcher.removePaths(old)
        paths = [str(d) for d in self.directories if d.is_dir()]
        for directory in self.directories:
            paths += [str(f) for f in (*flow_files_in(directory), *synonyms_files_in(directory))]
        if paths:
            self.watcher.addPaths(paths)

    def _touched(self, _path: str) -> None:
        if self.enabled:
            self.settle.start()

    def _fire(self) -> None:
        self.watch()
        self.changed.emit()
