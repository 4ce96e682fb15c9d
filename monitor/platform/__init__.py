"""The machine the app runs on: folders, the token store, shipped resources, desktop
integration and the display check. Below the feed, beside nothing Qt: it may use only
:mod:`monitor.core`."""
