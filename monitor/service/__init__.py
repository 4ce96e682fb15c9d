"""The application, Qt-free: provider sessions and the use cases built on them."""
