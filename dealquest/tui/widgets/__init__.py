"""The game's own widgets, one module each."""
