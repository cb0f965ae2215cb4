"""The player's settings that outlast a run (for now, the theme): one small JSON file.

`settings.json` lives in DealQuest's home folder, next to the saves. A damaged file is set aside
under a new name (never overwritten) and the defaults are used, with a message saying so. Light on
purpose: the app reads it before it paints the title screen.
"""

from __future__ import annotations

import json
from pathlib import Path

from .files import home, set_aside, write_atomically

MAX_BYTES = 64_000


def settings_path() -> Path:
    return home() / "settings.json"


def load_settings() -> tuple[dict[str, str], str | None]:
    """The settings saved so far, and a problem to tell the player about (None when all is well)."""
    path = settings_path()
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ValueError("too large")
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
    except FileNotFoundError:
        return {}, None
    except OSError as exc:
        return {}, f"could not read {path}: {exc.strerror or exc}; using the default settings"
    except ValueError:  # not JSON, not UTF-8, not an object
        kept = set_aside(path)
        where = f"set aside as {kept.name}" if kept is not None else "left as it is"
        return {}, f"{path} was damaged: it was {where}, and the default settings are used"
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}, None


def save_setting(name: str, value: str) -> str | None:
    """Remember one setting; the reason when it could not be written, else None."""
    settings, _ = load_settings()
    settings[name] = value
    try:
        write_atomically(settings_path(), json.dumps(settings, indent=2, sort_keys=True) + "\n")
    except OSError as exc:
        return f"could not save the settings to {settings_path()}: {exc.strerror or exc}"
    return None
