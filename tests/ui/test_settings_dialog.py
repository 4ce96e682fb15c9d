"""The settings dialog: a plan per AllTick tier, only the chosen provider's fields editable."""

from __future__ import annotations

from monitor.core.settings import Settings
from monitor.ui.dialogs import SettingsDialog


def test_plan_choice_and_fields_follow_the_provider(qtbot) -> None:  # type: ignore[no-untyped-def]
    dlg = SettingsDialog(Settings(), None, "the keyring")
    qtbot.addWidget(dlg)
    assert dlg.provider.currentData() == "simulator"
    assert not dlg.alltick_url.isEnabled() and not dlg.token.isEnabled()
    assert not dlg.generic_url.isEnabled() and not dlg.plan.isEnabled()
    dlg.provider.setCurrentIndex(dlg.provider.findData("alltick"))
    assert dlg.alltick_url.isEnabled() and dlg.token.isEnabled() and dlg.plan.isEnabled()
    assert dlg.plan.currentData() == "all-cn" and not dlg.max_codes.isEnabled()
    assert "3,000" in dlg.plan.currentText()
    dlg.plan.setCurrentIndex(dlg.plan.findData("free"))
    assert dlg.value().plan == "free" and dlg.value().provider == "alltick"
    dlg.plan.setCurrentIndex(dlg.plan.findData("custom"))
    assert dlg.max_codes.isEnabled()
    dlg.provider.setCurrentIndex(dlg.provider.findData("generic"))
    assert dlg.generic_url.isEnabled() and not dlg.alltick_url.isEnabled()
