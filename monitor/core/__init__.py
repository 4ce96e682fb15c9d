"""Pure Python domain core: symbols, quotes, book, codecs, export. No Qt, no network."""
