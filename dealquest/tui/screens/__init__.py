"""The game's screens and modals, one module each."""
