"""How the window looks: theme, language (and its number style), volume unit and
discreet mode — applied to every panel at once and saved in the settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from monitor.ui.i18n import TRANSLATIONS, resolve_language
from monitor.ui.quote_model import Palette
from monitor.ui.theme import Look, apply_app_palette, resolve_theme

if TYPE_CHECKING:
    from monitor.ui.main_window import MainWindow

__all__ = ["Appearance"]


class Appearance(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window

    def apply_look(self) -> None:
        """Repaint everything in the current theme / discreet state."""
        look = self.w.look
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_app_palette(app, look.dark)
        s = self.w.service.settings
        self.w.model.set_palette(Palette(s.red_up, dark=look.dark, discreet=look.discreet))
        self.w.pane.apply_look(look)
        self.w.bottom.apply_look(look, self.w.model.palette)
        # Holdings are nobody else's business: hidden in discreet mode unless asked for.
        shown = not look.discreet or bool(self.w.service.settings.ui.get("holdings_in_discreet"))
        tabs = self.w.bottom
        tabs.setTabVisible(tabs.indexOf(tabs.holdings), shown)
        if look.discreet:  # an alert notice on show names a stock and its condition
            self.w.pane.alert_banner.hide()
            self.w.statusBar().clearMessage()
        self.w.acts["holdings_in_discreet"].setChecked(
            bool(self.w.service.settings.ui.get("holdings_in_discreet"))
        )
        self.w.tickers.apply_look(self.w.model.palette, look.chart["background"], look.muted_text)
        self.w.breadth.apply_look(
            self.w.model.palette, look.muted_text, discreet=look.discreet, lang=self.w.lang
        )
        self.w.entry.sim_badge.setStyleSheet(look.badge)
        self.w.status.apply_look(look)

    def check_menus(self) -> None:
        s = self.w.service.settings
        self.w.menus.check(s.theme, s.language, self.w.discreet, s.record_ticks)

    def set_theme(self, theme: str, *, save: bool = True) -> None:
        if save:
            self.w.service.update_settings(theme=theme)
        self.w.look = Look(dark=resolve_theme(theme) == "dark", discreet=self.w.discreet)
        self.apply_look()
        self.check_menus()

    def set_language(self, pref: str) -> None:
        self.w.service.update_settings(language=pref)
        self.apply_language(pref)
        self.check_menus()

    def apply_language(self, pref: str) -> None:
        self.w.lang = resolve_language(pref)
        if not TRANSLATIONS.apply(self.w.lang):
            self.w.statusBar().showMessage(self.tr("The Chinese translation is missing"), 8000)
        self.w.model.set_lang(self.w.lang)  # number style: 万/亿 or K/M/B
        self.w.retranslate()

    def set_volume_unit(self, unit: str) -> None:
        """``lots`` (手), ``shares``, or ``auto`` (lots in Chinese, shares in English); saved."""
        self.w.service.update_settings(ui={**self.w.service.settings.ui, "volume_unit": unit})
        self.apply_volume_unit()

    def apply_volume_unit(self) -> None:
        unit = self.w.service.settings.ui.get("volume_unit", "auto")
        lots = unit == "lots" or (unit != "shares" and self.w.lang == "zh")
        self.w.model.set_volume_lots(lots)
        self.w.bottom.set_units(lots=lots, lang=self.w.lang)

    def toggle_holdings_in_discreet(self) -> None:
        ui = self.w.service.settings.ui
        self.w.service.update_settings(
            ui={**ui, "holdings_in_discreet": not ui.get("holdings_in_discreet", False)}
        )
        self.apply_look()

    def toggle_discreet(self) -> None:
        self.set_discreet(not self.w.discreet)

    def set_discreet(self, on: bool) -> None:
        """No red/green, muted greys; with the setting, a small always-on-top window."""
        if on == self.w.discreet:
            return
        self.w.discreet = on
        self.w.service.update_settings(ui={**self.w.service.settings.ui, "discreet": on})
        self.w.look = Look(dark=self.w.look.dark, discreet=on)
        self.apply_look()
        if on and self.w.service.settings.discreet_compact:
            self.w.compact_mode.enter()
        elif not on:
            self.w.compact_mode.leave()
        self.w._update_title()
        if self.w.tray is not None:
            self.w.tray.setToolTip(self.w.windowTitle())
        self.check_menus()
