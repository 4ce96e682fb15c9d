"""The floating ticker (悬浮窗): a small frameless strip that stays on top of other work.

Code / name / last / change % of a watchlist's first symbols (the list shown when it
was opened, or one chosen from its menu), in a row or a column. Drag it anywhere; it
remembers its place and screen. Right-click for the list, layout, transparency and
click-through (then it ignores the mouse entirely: turn it off from the tray icon or
the shortcut). It is its own top-level window, so it stays while the main window is
minimised or hidden to the tray. Discreet mode: its colours are the discreet greys.
A price that is not current is greyed, as in the table.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QContextMenuEvent, QGuiApplication, QMouseEvent
from PySide6.QtWidgets import QBoxLayout, QFrame, QLabel, QMenu, QWidget

from monitor.service.monitor import MonitorService
from monitor.ui.cell_style import Palette

__all__ = ["FloatingTicker", "TickerControl"]

MAX_SYMBOLS = 12
OPACITIES = (1.0, 0.85, 0.7, 0.55)


class FloatingTicker(QFrame):
    closed = Signal()

    def __init__(
        self,
        service: MonitorService,
        list_label: Callable[[str], str],
        parent: QWidget | None = None,
    ) -> None:
        # No parent window: a Tool window owned by the main one would hide with it.
        super().__init__(parent)
        self.setWindowFlags(
            Qt.WindowType.Tool
            | Qt.WindowType.FramelessWindowHint
            | Qt.WindowType.WindowStaysOnTopHint
        )
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.service = service
        self.list_label = list_label
        self.colors = Palette()
        self.muted = "#888888"
        self._drag: QPoint | None = None
        cfg = dict(service.settings.ui.get("ticker") or {})
        self.list_name: str | None = cfg.get("list") if isinstance(cfg.get("list"), str) else None
        self.vertical = bool(cfg.get("vertical", False))
        self.click_through = bool(cfg.get("click_through", False))
        op = cfg.get("opacity", 1.0)
        self.opacity = float(op) if isinstance(op, int | float) and 0.3 <= op <= 1.0 else 1.0
        self.labels: list[QLabel] = []
        self.box = QBoxLayout(
            QBoxLayout.Direction.TopToBottom if self.vertical else QBoxLayout.Direction.LeftToRight,
            self,
        )
        self.box.setContentsMargins(8, 3, 8, 3)
        self.box.setSpacing(14)
        self.setFrameShape(QFrame.Shape.Box)
        self._place(cfg)
        self._apply_flags()
        self.retranslate()

    # --- settings --------------------------------------------------------------------
    def _save(self) -> None:
        screen = self.screen()
        cfg = {
            "list": self.list_name,
            "vertical": self.vertical,
            "click_through": self.click_through,
            "opacity": self.opacity,
            "x": self.x(),
            "y": self.y(),
            "screen": screen.name() if screen is not None else "",
            "open": self.isVisible(),
        }
        ui = self.service.settings.ui
        if ui.get("ticker") != cfg:
            self.service.update_settings(ui={**ui, "ticker": cfg})

    def _place(self, cfg: dict[str, object]) -> None:
        """Back where it was, on the same screen if that screen is still there."""
        x, y = cfg.get("x"), cfg.get("y")
        screens = QGuiApplication.screens()
        named = next((s for s in screens if s.name() == cfg.get("screen")), None)
        target = named or QGuiApplication.primaryScreen()
        area = target.availableGeometry() if target is not None else None
        if isinstance(x, int) and isinstance(y, int) and area is not None:
            spot = QPoint(x, y)
            if area.contains(spot + QPoint(10, 10)):
                self.move(spot)
                return
        if area is not None:  # top right of the screen (kept inside by keep_on_screen)
            self.move(area.right() - 420, area.top() + 80)

    def _apply_flags(self) -> None:
        visible = self.isVisible()
        self.setWindowFlag(Qt.WindowType.WindowTransparentForInput, self.click_through)
        self.setWindowOpacity(self.opacity)
        if visible:
            self.show()  # changing window flags hides a window

    def set_click_through(self, on: bool) -> None:
        self.click_through = on
        self._apply_flags()
        self._save()

    def set_opacity(self, value: float) -> None:
        self.opacity = value
        self.setWindowOpacity(value)
        self._save()

    def set_vertical(self, on: bool) -> None:
        self.vertical = on
        self.box.setDirection(
            QBoxLayout.Direction.TopToBottom if on else QBoxLayout.Direction.LeftToRight
        )
        self.adjustSize()
        self._save()

    def set_list(self, name: str | None) -> None:
        self.list_name = name
        self.refresh()
        self._save()

    # --- from the window -------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Floating ticker"))
        self.setAccessibleName(self.tr("Floating ticker"))
        self.setAccessibleDescription(
            self.tr(
                "Last price and change of the chosen list; drag to move, right-click for options"
            )
        )
        self.refresh()

    def apply_look(self, palette: Palette, background: str, muted: str) -> None:
        self.colors, self.muted = palette, muted
        self.setStyleSheet(
            f"FloatingTicker {{ background: {background}; border: 1px solid {muted} }}"
        )
        self.refresh()

    def symbols(self) -> list[str]:
        lists = self.service.watchlists
        name = self.list_name if self.list_name in lists.lists else None
        if name is None and lists.names():
            name = lists.names()[0]
        return lists.get(name)[:MAX_SYMBOLS] if name is not None else []

    def refresh(self) -> None:
        syms = self.symbols()
        while len(self.labels) < len(syms):
            label = QLabel(self)
            label.setTextFormat(Qt.TextFormat.RichText)
            self.box.addWidget(label)
            self.labels.append(label)
        book = self.service.book
        limit_ms = self.service.settings.stale_seconds * 1000.0
        now_ms = time.time() * 1000.0
        for i, label in enumerate(self.labels):
            label.setVisible(i < len(syms))
            if i >= len(syms):
                continue
            sym = syms[i]
            name = self.service.master.name(sym) or sym
            q = book.quote(sym)
            if q is None or q.last is None:
                label.setText(f"{name} <span style='color:{self.muted}'>—</span>")
                continue
            r = book.row_of(sym)
            received = float(book.received_ms[r]) if r is not None else 0.0
            stale = received > 0 and now_ms - received > limit_ms
            pct = q.change_pct
            if stale or pct is None or math.isnan(pct):
                color = self.muted
            else:
                c = self.colors.up if pct > 0 else self.colors.down if pct < 0 else self.colors.flat
                color = c.name()
            pct_text = f"{pct:+.2f}%" if pct is not None else ""
            label.setText(
                f"{name} <span style='color:{color}'><b>{q.last:.2f}</b> {pct_text}</span>"
            )
        self.adjustSize()
        self.keep_on_screen()

    def keep_on_screen(self) -> None:
        """Wholly on its screen: a row wider than the screen turns into a column, and a
        strip reaching past an edge moves back inside."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        area = screen.availableGeometry()
        if not self.vertical and self.width() > area.width() - 20:
            self.vertical = True  # for this screen; the saved choice is left as it was
            self.box.setDirection(QBoxLayout.Direction.TopToBottom)
            self.box.activate()
            self.adjustSize()
        x = max(min(self.x(), area.right() - self.width()), area.left())
        y = max(min(self.y(), area.bottom() - self.height()), area.top())
        if (x, y) != (self.x(), self.y()):
            self.move(x, y)

    # --- mouse -----------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._drag = event.globalPosition().toPoint() - self.frameGeometry().topLeft()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag is not None:
            self.move(event.globalPosition().toPoint() - self._drag)
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag is not None:
            self._drag = None
            self._save()
        super().mouseReleaseEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        self.options_menu().exec(event.globalPos())

    def options_menu(self) -> QMenu:
        menu = QMenu(self)
        lists = QMenu(self.tr("List"), menu)
        for name in self.service.watchlists.names():
            a = lists.addAction(self.list_label(name), partial(self.set_list, name))
            a.setCheckable(True)
            a.setChecked(name == self.symbols_list())
        menu.addMenu(lists)
        vertical = menu.addAction(self.tr("Vertical"), lambda: self.set_vertical(not self.vertical))
        vertical.setCheckable(True)
        vertical.setChecked(self.vertical)
        through = menu.addAction(
            self.tr("Click-through (ignore the mouse)"),
            lambda: self.set_click_through(not self.click_through),
        )
        through.setCheckable(True)
        through.setChecked(self.click_through)
        opacity = QMenu(self.tr("Opacity"), menu)
        group = QActionGroup(opacity)
        for value in OPACITIES:
            a = QAction(f"{value:.0%}", opacity)
            a.setCheckable(True)
            a.setChecked(abs(value - self.opacity) < 0.01)
            a.triggered.connect(lambda _c=False, v=value: self.set_opacity(v))
            group.addAction(a)
            opacity.addAction(a)
        menu.addMenu(opacity)
        menu.addSeparator()
        menu.addAction(self.tr("Close"), self.close)
        return menu

    def symbols_list(self) -> str | None:
        lists = self.service.watchlists
        if self.list_name in lists.lists:
            return self.list_name
        return lists.names()[0] if lists.names() else None

    def closeEvent(self, event: object) -> None:
        self._save_closed()
        self.closed.emit()
        super().closeEvent(event)  # type: ignore[arg-type]

    def _save_closed(self) -> None:
        ui = self.service.settings.ui
        cfg = dict(ui.get("ticker") or {})
        if cfg.get("open"):
            cfg["open"] = False
            self.service.update_settings(ui={**ui, "ticker": cfg})

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        self.refresh()
        self._save()


class TickerControl(QObject):
    """Opens, closes and feeds the floating ticker for the main window (and its tray)."""

    def __init__(self, window: QWidget, service: MonitorService, list_label: Callable[[str], str]):
        super().__init__(window)
        self.window = window
        self.service = service
        self.list_label = list_label
        self.ticker: FloatingTicker | None = None
        self._look: tuple[Palette, str, str] | None = None
        self.has_tray = False  # the tray menu is the way back from click-through

    def restore(self) -> None:
        """Open it at start if it was open when the app last quit."""
        cfg = self.service.settings.ui.get("ticker")
        if isinstance(cfg, dict) and cfg.get("open"):
            # Click-through comes back only where the tray can turn it off again.
            self.open(keep_click_through=self.has_tray)

    def open(
        self, list_name: str | None = None, *, keep_click_through: bool = False
    ) -> FloatingTicker:
        """Show the ticker. Opened by hand it never ignores the mouse: the shortcut is
        always a way back from click-through."""
        if self.ticker is None:
            self.ticker = FloatingTicker(self.service, self.list_label)
            self.ticker.closed.connect(self._closed)
            if self._look is not None:
                self.ticker.apply_look(*self._look)
        if self.ticker.click_through and not keep_click_through:
            self.ticker.set_click_through(False)
        if list_name is not None:
            self.ticker.list_name = list_name
        self.ticker.show()
        self.ticker.raise_()
        return self.ticker

    def toggle(self, list_name: str | None = None) -> None:
        if self.ticker is not None and self.ticker.isVisible():
            self.ticker.close()
        else:
            self.open(list_name)

    def _toggle_from_tray(self) -> None:
        self.toggle()

    def set_click_through(self, on: bool) -> None:
        if self.ticker is not None:
            self.ticker.set_click_through(on)

    def _closed(self) -> None:
        if self.ticker is not None:
            self.ticker.deleteLater()
            self.ticker = None

    def refresh(self) -> None:
        if self.ticker is not None and self.ticker.isVisible():
            self.ticker.refresh()

    def apply_look(self, palette: Palette, background: str, muted: str) -> None:
        self._look = (palette, background, muted)
        if self.ticker is not None:
            self.ticker.apply_look(palette, background, muted)

    def retranslate(self) -> None:
        if self.ticker is not None:
            self.ticker.retranslate()

    def shutdown(self) -> None:
        """The app quits: put the ticker away, remembering it was open for next time."""
        if self.ticker is not None:
            self.ticker.hide()
            self.ticker.deleteLater()
            self.ticker = None

    def tray_menu(self, show_window: Callable[[], object], quit_app: Callable[[], object]) -> QMenu:
        """The tray icon's menu: the window, the ticker (and its click-through), quit."""
        menu = QMenu(self.window)
        self._tray_actions = [
            menu.addAction(self.tr("Show the window"), show_window),
            menu.addAction(self.tr("Floating ticker"), self._toggle_from_tray),
            menu.addAction(
                self.tr("Ticker click-through"),
                lambda: self.set_click_through(
                    not (self.ticker is not None and self.ticker.click_through)
                ),
            ),
        ]
        menu.addSeparator()
        menu.addAction(self.tr("Quit"), quit_app)
        menu.aboutToShow.connect(self._check_tray)
        return menu

    def _check_tray(self) -> None:
        _show, ticker, through = self._tray_actions
        for a in (ticker, through):
            a.setCheckable(True)
        ticker.setChecked(self.ticker is not None and self.ticker.isVisible())
        through.setEnabled(self.ticker is not None)
        through.setChecked(self.ticker is not None and self.ticker.click_through)
