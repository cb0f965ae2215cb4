"""The terminal game: a Textual app that shows the engine's state and sends the player's choices.

Nothing outside this package imports Textual; `dealquest.cli.main` imports it only to play.
"""
