"""Settings: the appearance and sound options validate, and a bad one resets only itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.core.settings import Settings, SettingsError


def test_theme_and_sound_are_validated(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="theme"):
        Settings(theme="purple").validate()
    with pytest.raises(SettingsError, match=r"\.wav"):
        Settings(alert_sound=str(tmp_path / "ding.mp3")).validate()
    with pytest.raises(SettingsError, match="not found"):
        Settings(alert_sound=str(tmp_path / "gone.wav")).validate()
    wav = tmp_path / "ding.wav"
    wav.write_bytes(b"RIFF")
    assert Settings(theme="dark", alert_sound=str(wav)).validate().alert_sound == str(wav)


def test_a_deleted_sound_file_resets_only_the_sound(tmp_path: Path) -> None:
    saved = {
        "provider": "generic",
        "generic_url": "wss://example.com/q",
        "theme": "dark",
        "alert_sound": str(tmp_path / "deleted.wav"),
        "language": "klingon",
    }
    s, problems = Settings.from_json(saved)
    assert (s.provider, s.generic_url, s.theme) == ("generic", "wss://example.com/q", "dark")
    assert (s.alert_sound, s.language) == ("beep", "auto")
    assert len(problems) == 2
    assert any("deleted.wav" in p for p in problems)
