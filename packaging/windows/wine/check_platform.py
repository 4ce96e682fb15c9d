"""The app's Windows behaviour, checked under Wine with the build interpreter.

Run by packaging/smoke_windows.sh as ``python.exe -P check_platform.py <checkout>``: the
same code and libraries the frozen app carries, but with a console to report on.
Checks what differs on Windows: where files go (platformdirs), the token in Windows
Credential Manager (keyring's WinVault backend), the single-instance lock (a named pipe
through QLocalServer), the alert sound (winsound) and Chinese text (font fallback).
Qt's real ``windows`` platform is used (an X server for Wine): it draws with the system's
fonts, as users see them. Prints one line per check and exits non-zero on the first
failure.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def check(name: str, ok: bool, detail: str) -> None:
    print(f"{'ok' if ok else 'FAILED'}: {name}: {detail}", flush=True)
    if not ok:
        sys.exit(1)


def main() -> None:
    sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    sys.path.insert(0, sys.argv[1])
    home = os.environ.pop("ASHARE_MONITOR_HOME", None)  # the user's real folders, below
    from monitor.platform.paths import Paths

    paths = Paths.default()
    local = os.environ["LOCALAPPDATA"]
    check(
        "paths",
        all(str(p).startswith(local) for p in (paths.config, paths.data, paths.logs)),
        f"config {paths.config}, data {paths.data}, logs {paths.logs}",
    )
    if home:
        os.environ["ASHARE_MONITOR_HOME"] = home

    from monitor.platform.secrets import TokenStore

    folder = Path(tempfile.mkdtemp())
    store = TokenStore(folder / "tokens.json")
    backend = type(store.keyring.get_keyring()).__name__ if store.keyring else "none"
    store.set("alltick", "wine-check-token")
    again = TokenStore(folder / "tokens.json").get("alltick")
    check(
        "token",
        backend == "WinVaultKeyring"
        and again == "wine-check-token"
        and not (folder / "tokens.json").exists(),
        f"kept by {backend} (Windows Credential Manager), read back, no file written",
    )
    store.set("alltick", None)

    from PySide6.QtGui import QColor, QFont, QImage, QPainter
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from monitor.ui.single_instance import SingleInstance

    first, second = SingleInstance(folder), SingleInstance(folder)
    won, lost = first.acquire(), second.acquire()
    first.release()
    check("single instance", won and not lost, "a second launch found the first one")

    from monitor.ui.sound import play_alert_sound

    wav = folder / "alert.wav"
    _write_wav(wav)
    check("sound", play_alert_sound(str(wav)) == "file", "a WAV file played with winsound")

    def ink(text: str) -> bytes:
        img = QImage(48, 48, QImage.Format.Format_Grayscale8)
        img.fill(QColor("white"))
        p = QPainter(img)
        p.setFont(QFont(app.font().family(), 24))
        p.drawText(4, 36, text)
        p.end()
        return bytes(img.constBits())

    glyphs = [ink(c) for c in "贵州茅台"]
    blank = ink(" ")
    # Missing glyphs draw as identical boxes (tofu) or nothing: four distinct drawings.
    check(
        "Chinese text",
        len(set(glyphs)) == 4 and blank not in glyphs,
        f"贵州茅台 drawn with {app.font().family()} and its fallbacks",
    )


def _write_wav(path: Path) -> None:
    import struct
    import wave

    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"".join(struct.pack("<h", 0) for _ in range(800)))


if __name__ == "__main__":
    main()
