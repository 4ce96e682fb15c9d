"""A-Share Monitor: real-time China A-share quotes over batch-subscribed WebSockets.

``monitor.core`` is pure Python (no Qt, no network), ``monitor.feed`` is asyncio,
``monitor.ui`` is Qt; data flows socket -> codec -> quote book -> table.
"""

__version__ = "0.1.0"
