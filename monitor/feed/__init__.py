"""asyncio networking: the connection pool, the simulator, HTTP side-channels. No Qt."""
