"""The alert sound: the system beep, silence, or a WAV file the user chose.

QtMultimedia is not part of PySide6-Essentials, so a WAV file is played with the
platform's own player (``winsound`` on Windows, ``afplay`` on macOS, PulseAudio /
PipeWire / ALSA players on Linux) without blocking the event loop; when none exists
the beep is used and the reason is logged once.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

__all__ = ["SOUND_BEEP", "SOUND_NONE", "play_alert_sound", "player_command"]

log = logging.getLogger(__name__)
SOUND_BEEP, SOUND_NONE = "beep", "none"
_warned = False
_children: list[subprocess.Popen[bytes]] = []  # reaped on the next sound


def player_command(path: Path) -> list[str] | None:
    """The command that plays ``path`` here, or None (Windows plays in-process)."""
    if sys.platform == "darwin":
        return ["afplay", str(path)]
    for player in ("paplay", "pw-play", "aplay"):
        exe = shutil.which(player)
        if exe:
            return [exe, "-q", str(path)] if player == "aplay" else [exe, str(path)]
    return None


def play_alert_sound(setting: str) -> str:
    """Play what ``setting`` asks for; returns what was done (``beep``, ``none``, ``file``)."""
    global _warned  # noqa: PLW0603 (warn once per run)
    if setting == SOUND_NONE:
        return "none"
    path = Path(setting)
    if setting != SOUND_BEEP and path.is_file():
        try:
            if sys.platform == "win32":
                import winsound

                winsound.PlaySound(str(path), winsound.SND_FILENAME | winsound.SND_ASYNC)
                return "file"
            cmd = player_command(path)
            if cmd is not None:
                _children[:] = [c for c in _children if c.poll() is None]
                _children.append(
                    subprocess.Popen(
                        cmd,
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                        start_new_session=True,
                    )
                )
                return "file"
            reason = "no audio player found (paplay, pw-play or aplay)"
        except (OSError, RuntimeError) as e:  # winsound: RuntimeError without a device
            reason = str(e)
        if not _warned:
            log.warning("alert sound %s not played: %s; beeping instead", path, reason)
            _warned = True
    elif setting != SOUND_BEEP and not _warned:
        log.warning("alert sound file %s is missing; beeping instead", path)
        _warned = True
    QApplication.beep()
    return "beep"
