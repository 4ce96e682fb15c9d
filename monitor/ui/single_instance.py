"""One window per user: a second launch raises the running one and exits.

Two copies would each open the token's connections, and AllTick cuts the extras
(Free and Basic plans allow one). A ``QLockFile`` in the config folder decides who
runs (it survives a crash: a lock whose process is gone is stale and taken over); a
``QLocalServer`` named after that folder lets a second launch ask the first to show
itself. The lock file's first line is the running process id, which the command
line reads to warn before it opens the same token's connections.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

__all__ = ["SingleInstance"]

LOCK_NAME = "ashare-monitor.lock"


class SingleInstance(QObject):
    """``acquire()`` in the first process; ``raise_requested`` fires on a second launch."""

    raise_requested = Signal()

    def __init__(self, config_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        config_dir.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256(str(config_dir.resolve()).encode()).hexdigest()[:12]
        self.key = f"ashare-monitor-{digest}"
        self.lock = QLockFile(str(config_dir / LOCK_NAME))
        self.server: QLocalServer | None = None

    def acquire(self) -> bool:
        """True if this process is the one to run; else the running one was asked to show."""
        if self.lock.tryLock(200) or self.lock.error() != QLockFile.LockError.LockFailedError:
            # Locked, or the lock could not be made at all (a read-only or full config
            # folder): then run — better two windows than none.
            QLocalServer.removeServer(self.key)  # a socket file left by a crash
            self.server = QLocalServer(self)
            self.server.newConnection.connect(self._on_connection)
            self.server.listen(self.key)
            return True
        sock = QLocalSocket()
        sock.connectToServer(self.key)
        if sock.waitForConnected(1000):
            sock.write(b"raise\n")
            sock.waitForBytesWritten(1000)
            sock.disconnectFromServer()
        return False

    def release(self) -> None:
        if self.server is not None:
            self.server.close()
        self.lock.unlock()

    def _on_connection(self) -> None:
        assert self.server is not None
        while (conn := self.server.nextPendingConnection()) is not None:
            conn.disconnected.connect(conn.deleteLater)
            self.raise_requested.emit()
