"""A model of the whole A-share market for the simulator (pure, numpy, seeded).

The real listing's codes and names (the one the app ships), with well-known large
caps at plausible price levels; beyond the listing's size, or without it, valid codes
across SSE main/STAR, SZSE main/ChiNext and BSE (920xxx) in the boards' real
proportions with generated names, a few ST names (±5 %), and a handful of indices (which
exercise the 000001.SH / 000001.SZ collision). Prices start as a session in progress
(a common move, each name's own, a few names sealed at their limits — :class:`DayShape`,
calibrated against a reported session) and walk in real time, printed in 0.01 steps
inside each board's daily limits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from monitor.core.kline import Bar
from monitor.core.market_rules import limit_pct
from monitor.core.master import SymbolInfo, SymbolMaster
from monitor.core.symbols import board_of, limit_prices

__all__ = ["DAY", "FAMOUS", "INDICES", "DayShape", "SimMarket", "build_universe"]

# Real names and rough price levels of well-known large caps (prices are only plausible).
FAMOUS: tuple[tuple[str, str, float], ...] = (
    ("600519.SH", "贵州茅台", 1450.0),
    ("601318.SH", "中国平安", 52.0),
    ("600036.SH", "招商银行", 42.0),
    ("000001.SZ", "平安银行", 11.5),
    ("000002.SZ", "万科A", 6.8),
    ("000858.SZ", "五粮液", 125.0),
    ("300750.SZ", "宁德时代", 260.0),
    ("002594.SZ", "比亚迪", 330.0),
    ("601398.SH", "工商银行", 7.2),
    ("600900.SH", "长江电力", 29.0),
    ("000333.SZ", "美的集团", 75.0),
    ("002415.SZ", "海康威视", 30.0),
    ("688981.SH", "中芯国际", 95.0),
    ("601012.SH", "隆基绿能", 18.0),
    ("600276.SH", "恒瑞医药", 55.0),
    ("000651.SZ", "格力电器", 41.0),
    ("601166.SH", "兴业银行", 21.0),
    ("600030.SH", "中信证券", 27.0),
    ("300059.SZ", "东方财富", 24.0),
    ("601888.SH", "中国中免", 65.0),
    ("600887.SH", "伊利股份", 28.0),
    ("000725.SZ", "京东方A", 4.3),
    ("002475.SZ", "立讯精密", 40.0),
    ("688111.SH", "金山办公", 290.0),
    ("300760.SZ", "迈瑞医疗", 230.0),
    ("601899.SH", "紫金矿业", 17.0),
    ("600028.SH", "中国石化", 6.0),
    ("601857.SH", "中国石油", 8.5),
    ("601988.SH", "中国银行", 5.4),
    ("601288.SH", "农业银行", 5.6),
    ("600000.SH", "浦发银行", 10.5),
    ("000568.SZ", "泸州老窖", 130.0),
    ("600309.SH", "万华化学", 70.0),
    ("002714.SZ", "牧原股份", 42.0),
    ("603259.SH", "药明康德", 60.0),
    ("601633.SH", "长城汽车", 24.0),
    ("600104.SH", "上汽集团", 15.0),
    ("000063.SZ", "中兴通讯", 35.0),
    ("002230.SZ", "科大讯飞", 50.0),
    ("601728.SH", "中国电信", 7.0),
    ("600941.SH", "中国移动", 105.0),
    ("600585.SH", "海螺水泥", 24.0),
    ("002352.SZ", "顺丰控股", 40.0),
    ("601328.SH", "交通银行", 7.5),
    ("600048.SH", "保利发展", 8.5),
    ("000100.SZ", "TCL科技", 4.5),
    ("601919.SH", "中远海控", 15.0),
    ("600031.SH", "三一重工", 18.0),
    ("688041.SH", "海光信息", 140.0),
    ("300274.SZ", "阳光电源", 75.0),
)

INDICES: tuple[tuple[str, str, float], ...] = (
    ("000001.SH", "上证指数", 3350.0),
    ("399001.SZ", "深证成指", 10600.0),
    ("399006.SZ", "创业板指", 2150.0),
    ("000300.SH", "沪深300", 3900.0),
    ("000688.SH", "科创50", 1000.0),
    ("899050.BJ", "北证50", 1350.0),
)

# board -> (code prefixes, share of the universe), close to the real listing counts.
_LAYOUT: tuple[tuple[tuple[str, ...], float], ...] = (
    (("600", "601", "603", "605"), 0.315),
    (("688",), 0.108),
    (("000", "001", "002", "003"), 0.277),
    (("300", "301"), 0.252),
    (("920",), 0.048),
)
_SUFFIX = {"920": "BJ", "688": "SH", "600": "SH", "601": "SH", "603": "SH", "605": "SH"}

_HEAD = "华中东南西北新金天海恒长国宏安瑞泰永凯嘉鼎盛兴联合通信达光明正大汇丰宝鑫隆昌远航"
_MID = "科电能源材机械化工药业信网数智创云芯星银证汽车钢铁建材环保农牧食品旅游传媒物流"
_TAIL = ("股份", "科技", "集团", "电子", "医药", "能源", "材料", "智能", "控股", "实业")


def _code_suffix(prefix: str) -> str:
    return _SUFFIX.get(prefix, "SZ")


def build_universe(
    n_symbols: int, rng: np.random.Generator, listing: SymbolMaster | None = None
) -> list[tuple[SymbolInfo, float]]:
    """``n_symbols`` instruments (indices and famous names first) with a previous close.

    With a ``listing`` (the real one the app ships) the rest are real codes and names
    drawn from it; codes beyond it, or without one, are generated.
    """
    out: list[tuple[SymbolInfo, float]] = []
    used: set[str] = set()

    def add(symbol: str, name: str, prev: float) -> None:
        used.add(symbol)
        st = name.startswith(("ST", "*ST"))
        out.append((SymbolInfo(symbol, name, board_of(symbol), st, prev), prev))

    def price() -> float:
        return float(np.clip(np.round(rng.lognormal(2.6, 0.8), 2), 1.5, 400.0))

    for sym, name, prev in INDICES + FAMOUS:
        if len(out) >= n_symbols:
            return out
        now = name
        if listing is not None and (sym, name, prev) in FAMOUS:
            if sym not in listing:
                continue  # delisted since: not in the market modelled
            now = listing.name(sym) or name  # its name now (ST on or off)
        add(sym, now, prev)
    if listing is not None:
        real = [i for i in listing if i.symbol not in used and i.board.value != "index"]
        want = min(n_symbols - len(out), len(real))
        picks: list[int] = []
        if want:
            picks = sorted(int(i) for i in rng.choice(len(real), size=want, replace=False))
        for i in picks:
            add(real[i].symbol, real[i].name, price())
    remaining = n_symbols - len(out)
    names: set[str] = {name for _, name, _ in FAMOUS}
    for prefixes, share in _LAYOUT:
        want = round(remaining * share)
        candidates = [f"{p}{i:03d}" for p in prefixes for i in range(1000)]
        chosen = rng.choice(len(candidates), size=min(want, len(candidates)), replace=False)
        for i in sorted(chosen.tolist()):
            code = candidates[i]
            symbol = f"{code}.{_code_suffix(code[:3])}"
            if symbol in used or len(out) >= n_symbols:
                continue
            for _ in range(20):
                name = (
                    _HEAD[rng.integers(len(_HEAD))]
                    + _MID[rng.integers(len(_MID))]
                    + _TAIL[rng.integers(len(_TAIL))]
                )
                if name not in names:
                    break
            names.add(name)
            if code[:3] in ("600", "601", "603", "000", "002") and rng.random() < 0.025:
                name = ("*ST" if rng.random() < 0.4 else "ST") + name[:2]
            add(symbol, name, price())
    # Rounding of the shares (or a listing filling most boards) may leave slots: fill them
    # with free Shenzhen codes, valid ones only.
    spare = (
        f"{p}{n:03d}.SZ"
        for p in ("003", "001", "301", "302", "002", "000", "300")
        for n in range(1000)
    )
    for symbol in spare:
        if len(out) >= n_symbols:
            break
        if symbol not in used:
            add(symbol, f"深市{len(out):05d}", 10.0)
    return out


@dataclass(slots=True)
class _Prices:
    last: npt.NDArray[np.float64]
    open: npt.NDArray[np.float64]
    high: npt.NDArray[np.float64]
    low: npt.NDArray[np.float64]
    volume: npt.NDArray[np.float64]
    turnover: npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class DayShape:
    """What a simulated session looks like; calibrated in docs/simulator.md.

    Targets are one reported session (Choice statistics as reported at
    chinastockmarketnews.com/post/615962: of 4,669 tradable A-shares 1,958 up,
    2,590 down, 121 flat, 90 at limit-up, 23 at limit-down); ``bench/simulator_day.py``
    measures what the simulator produces against them.
    """

    market_move: float = -0.004  # the day's common move (the reported day was a down day)
    spread: float = 0.02  # scale of each name's own move (Student t, 4 degrees of freedom)
    limit_up_share: float = 0.019  # names sealed at limit-up all session
    limit_down_share: float = 0.005
    sigma: float = 1.25e-4  # per √second: ≈ 1.5 % over a 4-hour session


DAY = DayShape()


class SimMarket:
    """The simulated market: one shared price path that every client sees."""

    def __init__(
        self,
        n_symbols: int = 5500,
        seed: int = 1,
        listing: SymbolMaster | None = None,
    ) -> None:
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        universe = build_universe(n_symbols, self.rng, listing)
        self.master = SymbolMaster(info for info, _ in universe)
        self.symbols = [info.symbol for info, _ in universe]
        self.index = {s: i for i, s in enumerate(self.symbols)}
        n = len(self.symbols)
        self.prev_close = np.array([p for _, p in universe], np.float64)
        up = np.full(n, np.inf)
        down = np.zeros(n)
        for i, (info, prev) in enumerate(universe):
            lim = limit_prices(prev, limit_pct(info.board, st=info.st))
            if lim is not None:
                up[i], down[i] = lim
        self.limit_up, self.limit_down = up, down
        self.is_index = np.array([info.board.value == "index" for info, _ in universe])
        fair = self._opening_state(self.prev_close, down, up)
        self.fair = fair  # the unrounded price path; trades print it in 0.01 steps
        self.sigma = np.where(self.is_index, DAY.sigma / 3.0, DAY.sigma)
        self.last_trade_ms = np.zeros(n, np.int64)
        start = np.clip(np.round(fair, 2), np.maximum(down, 0.01), up)
        self.px = _Prices(
            last=start.copy(),
            open=start.copy(),
            high=start.copy(),
            low=start.copy(),
            volume=np.zeros(n),
            turnover=np.zeros(n),
        )
        self.seq = np.zeros(n, np.int64)
        self.trade_volume = np.full(n, 100.0)  # the latest trade's volume per symbol

    def _opening_state(
        self,
        prev: npt.NDArray[np.float64],
        down: npt.NDArray[np.float64],
        up: npt.NDArray[np.float64],
    ) -> npt.NDArray[np.float64]:
        """Prices as a session in progress: a common move, a spread, names sealed at limits."""
        n = len(prev)
        rng = self.rng
        change = DAY.market_move + DAY.spread * rng.standard_t(4, n) / np.sqrt(2.0)
        # Indices move with the day, each a little its own way.
        change[self.is_index] = DAY.market_move + rng.normal(0.0, 0.003, int(self.is_index.sum()))
        fair = np.clip(prev * (1.0 + change), down + 0.01, np.minimum(up - 0.01, prev * 3))
        draw = rng.random(n)
        limited = ~self.is_index & np.isfinite(up)
        self.pinned = limited & ((draw < DAY.limit_up_share) | (draw > 1.0 - DAY.limit_down_share))
        sealed_up = self.pinned & (draw < 0.5)
        fair[sealed_up] = up[sealed_up]
        fair[self.pinned & ~sealed_up] = down[self.pinned & ~sealed_up]
        return np.asarray(fair, np.float64)

    def __len__(self) -> int:
        return len(self.symbols)

    def step(
        self, k: int, now_ms: int, subset: npt.NDArray[np.int64] | None = None
    ) -> npt.NDArray[np.int64]:
        """Trade ``k`` randomly chosen symbols (from ``subset`` if given); returns their rows.

        Each gets a new price (0.01 steps, inside its limits), a trade volume in lots
        of 100, and a sequence number that grows with time, so a restarted simulator
        still sends sequence numbers above the ones a client has already seen.
        """
        pool_size = len(self.symbols) if subset is None else len(subset)
        if k <= 0 or pool_size == 0:
            return np.empty(0, np.int64)
        pick = self.rng.integers(0, pool_size, size=k)
        idx = pick if subset is None else subset[pick]
        idx = np.unique(idx)
        px = self.px
        # A random walk in real time: each trade moves the price by the time since the
        # symbol's last one, so the day's spread does not depend on the tick rate.
        last_ms = self.last_trade_ms[idx]
        dt_s = np.where(last_ms > 0, np.clip((now_ms - last_ms) / 1000.0, 0.02, 60.0), 1.0)
        self.last_trade_ms[idx] = now_ms
        shock = self.rng.normal(0.0, 1.0, len(idx)) * self.sigma[idx] * np.sqrt(dt_s)
        shock[self.pinned[idx]] = 0.0
        lo, hi = np.maximum(self.limit_down[idx], 0.01), self.limit_up[idx]
        fair = np.clip(self.fair[idx] * np.exp(shock), lo, hi)
        self.fair[idx] = fair
        new = np.clip(np.round(fair, 2), lo, hi)
        px.last[idx] = new
        np.maximum.at(px.high, idx, new)
        np.minimum.at(px.low, idx, new)
        lots = self.rng.integers(1, 60, len(idx)).astype(np.float64) * 100.0
        self.trade_volume[idx] = lots
        px.volume[idx] += lots
        px.turnover[idx] += lots * new
        self.seq[idx] = np.maximum(self.seq[idx] + 1, now_ms * 1000)
        return idx.astype(np.int64)

    def order_book(self, r: int) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
        """Five bid and five ask levels around row ``r``'s last price, in 0.01 steps
        inside its limits (sizes in shares, whole lots). Sealed at limit-up there are
        only bids (a big queue to buy); at limit-down only asks — as on the exchange."""
        last = float(self.px.last[r])
        up, down = float(self.limit_up[r]), float(self.limit_down[r])
        lots = self.rng.integers(1, 400, 10) * 100.0
        bids = [(round(last - 0.01 * i, 2), float(lots[i])) for i in range(5)]
        asks = [(round(last + 0.01 * (i + 1), 2), float(lots[5 + i])) for i in range(5)]
        if last >= up:
            asks, bids[0] = [], (last, float(lots[0]) * 100.0)
        elif last <= down:
            bids, asks = [], [(round(last + 0.01 * i, 2), float(lots[5 + i])) for i in range(5)]
            asks[0] = (last, float(lots[5]) * 100.0)
        bids = [(p, v) for p, v in bids if p >= max(down, 0.01)]
        asks = [(p, v) for p, v in asks if p <= up]
        return bids, asks

    def daily_history(self, r: int, days: list[dt.date]) -> list[Bar]:
        """Row ``r``'s daily bars on ``days`` (oldest first), ending at its previous
        close: a seeded walk backwards, the same on every call, each day's range and
        volume plausible for its board's limits."""
        rng = np.random.default_rng((self.seed, r))
        n = len(days)
        close = float(self.prev_close[r])
        sigma = 0.004 if self.is_index[r] else 0.022
        out: list[Bar] = []
        for i in range(n - 1, -1, -1):
            move = float(np.clip(rng.normal(0.0, sigma), -0.095, 0.095))
            open_ = close / (1.0 + move) * (1.0 + float(rng.normal(0.0, sigma / 3)))
            hi = max(open_, close) * (1.0 + abs(float(rng.normal(0.0, sigma / 2))))
            lo = min(open_, close) * (1.0 - abs(float(rng.normal(0.0, sigma / 2))))
            vol = float(rng.integers(20_000, 400_000)) * 100.0
            c2, o2, h2, l2 = (round(x, 2) for x in (close, open_, hi, lo))
            out.append(Bar(days[i], o2, max(h2, o2, c2), min(l2, o2, c2), c2, vol, vol * c2))
            close = close / (1.0 + move)
        out.reverse()
        return out
