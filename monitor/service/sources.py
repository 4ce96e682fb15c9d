"""Where quotes come from, as the user chooses in Settings: one class per source.

A source turns the settings (and the token store) into a :class:`FeedConfig` for a
provider session, starting whatever it needs first (the embedded simulator starts its
local server) and stopping it afterwards. Adding a source is one class here plus one
entry in :data:`SOURCES`; nothing else in the application asks which one is in use —
it asks the source (``simulated``, ``feed_keys``, ``bucket_seconds``).
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from monitor.core.master import SymbolMaster
from monitor.core.plans import plan_named
from monitor.core.settings import Settings
from monitor.feed.config import FeedConfig
from monitor.feed.replay import ReplayServer
from monitor.feed.simulator import SimConfig, Simulator
from monitor.platform.secrets import TokenStore

__all__ = ["SOURCES", "Source", "needs_restart", "source_for"]

SIM_TOKEN = "embedded-simulator"


class Source:
    """A provider as Settings offers it. Subclasses fill in :meth:`open`."""

    name: ClassVar[str]
    simulated: ClassVar[bool] = False
    token_key: ClassVar[str | None] = None  # the token store's key for this source
    # Settings whose change needs a new provider session.
    feed_keys: ClassVar[tuple[str, ...]] = ("ca_file",)

    def __init__(self, settings: Settings, tokens: TokenStore) -> None:
        self.listing: SymbolMaster | None = (
            None  # the current A-share listing (the simulator models it)
        )
        self.settings = settings
        self.tokens = tokens

    @property
    def bucket_seconds(self) -> float:
        """Sparkline/chart bucket: real feeds use one point per minute."""
        return 60.0

    async def open(self) -> FeedConfig:
        raise NotImplementedError

    async def close(self) -> None:
        """Stop what :meth:`open` started (nothing for a remote provider)."""


class SimulatorSource(Source):
    """The embedded simulator: a real local server speaking AllTick's protocol."""

    name = "simulator"
    simulated = True
    feed_keys = ("sim_symbols", "sim_rate")

    def __init__(self, settings: Settings, tokens: TokenStore) -> None:
        super().__init__(settings, tokens)
        self.sim: Simulator | None = None

    async def open(self) -> FeedConfig:
        s = self.settings
        self.sim = Simulator(
            SimConfig(
                port=0,
                symbols=s.sim_symbols,
                rate=s.sim_rate,
                token=SIM_TOKEN,
                listing=self.listing,
            )
        )
        await self.sim.start()
        # The embedded simulator's own plan: K-line batches five a second (a real
        # provider's spacing comes from its plan; see FeedConfig.kline_interval).
        return FeedConfig.for_url(
            self.sim.url("alltick"),
            token=SIM_TOKEN,
            kline_interval=0.2,
            http_base=self.sim.http_base,
            symbol_list=True,  # the simulator's own API (AllTick's has none)
        )

    async def close(self) -> None:
        if self.sim is not None:
            await self.sim.stop()
            self.sim = None


class AllTickSource(Source):
    """AllTick's stock WebSocket and HTTP API, within the chosen plan's limits."""

    name = "alltick"
    token_key = "alltick"
    feed_keys = ("alltick_url", "alltick_http_url", "plan", "max_codes", "ca_file")

    async def open(self) -> FeedConfig:
        s = self.settings
        limits = (
            {"max_codes": s.max_codes}
            if s.plan == "custom"
            else FeedConfig.plan_limits(plan_named(s.plan))
        )
        return FeedConfig.for_url(
            s.alltick_url,
            "alltick",
            self.tokens.get("alltick"),
            ca_file=s.ca_file or None,
            http_base=s.alltick_http_url.strip() or None,
            **limits,
        )


class BatchSource(Source):
    """A server speaking the seed article's batch-subscribe JSON."""

    name = "generic"  # its token travels in the URL, moved to the token store on save
    feed_keys = ("generic_url", "ca_file")

    async def open(self) -> FeedConfig:
        s = self.settings
        token = self.tokens.get("generic")  # moved out of the URL on save
        return FeedConfig.for_url(s.generic_url, "generic", token, ca_file=s.ca_file or None)


class RelaySource(Source):
    """A team relay's gateway: the batch protocol, fed from the team's one upstream."""

    name = "relay"
    feed_keys = ("relay_url", "ca_file")

    async def open(self) -> FeedConfig:
        s = self.settings
        return FeedConfig.for_url(s.relay_url, "generic", ca_file=s.ca_file or None)


class ReplaySource(Source):
    """A recorded day, played by a local replay server over the batch protocol.

    Not a Settings choice: the window opens a recorded file with it (File › Open
    recorded day); leaving it returns to the source the settings choose.
    """

    name = "replay"

    def __init__(
        self,
        settings: Settings,
        tokens: TokenStore,
        *,
        path: Path,
        speed: float | None,
        start: str | None = None,
    ) -> None:
        super().__init__(settings, tokens)
        self.path = path
        self.speed = speed
        self.start = start  # HH:MM:SS of the recorded day to start at
        self.server: ReplayServer | None = None

    @property
    def bucket_seconds(self) -> float:
        return 60.0  # a recorded real day: one point per minute, as live

    async def open(self) -> FeedConfig:
        self.server = ReplayServer(self.path, port=0, speed=self.speed, start=self.start)
        await self.server.start()
        return FeedConfig.for_url(self.server.url, "generic")

    async def close(self) -> None:
        if self.server is not None:
            await self.server.stop()
            self.server = None


SOURCES: dict[str, type[Source]] = {
    SimulatorSource.name: SimulatorSource,
    AllTickSource.name: AllTickSource,
    BatchSource.name: BatchSource,
    RelaySource.name: RelaySource,
}  # ReplaySource is opened with a file, not chosen in Settings


def source_for(settings: Settings, tokens: TokenStore) -> Source:
    """The source the settings choose (settings are validated: the name is known)."""
    return SOURCES[settings.provider](settings, tokens)


def needs_restart(old: Settings, new: Settings) -> bool:
    """Whether going from ``old`` to ``new`` needs a new provider session."""
    if old.provider != new.provider:
        return True
    return any(getattr(old, k) != getattr(new, k) for k in SOURCES[new.provider].feed_keys)
