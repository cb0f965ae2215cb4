"""The player's settings that outlast a run (for now, the theme): one small JSON file.

`settings.json` lives in DealQuest's home folder, next to the saves. A damaged file is set aside
under a new name (never overwritten) and the defaults are used, with a message saying so. Light on
purpose: the app reads it before it paints the title screen.
"""

from __future__ import annotations

import json
import stat
from pathlib import Path

from dealquest.userdata.files import home, set_aside, write_atomically

MAX_BYTES = 64_000


def settings_path() -> Path:
    return home() / "settings.json"


def load_settings() -> tuple[dict[str, str], str | None]:
    """The settings saved so far, and a problem to tell the player about (None when all is well)."""
    settings, problem, _ = _read()
    return settings, problem


def _read() -> tuple[dict[str, str], str | None, bool]:
    """The settings, a problem to tell, and whether a new file may be written in the file's place."""
    path = settings_path()
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a folder, a pipe (reading it would wait forever) ...
            return {}, f"{path} is not a file; using the default settings", False
        if info.st_size > MAX_BYTES:
            raise ValueError("too large")
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
    except FileNotFoundError:
        return {}, None, True
    except OSError as exc:  # unreadable: left alone, and never written over
        return {}, f"could not read {path}: {exc.strerror or exc}; using the default settings", False
    except (ValueError, RecursionError):  # not JSON, not UTF-8, not an object, nested too deep
        kept = set_aside(path)
        if kept is None:
            return {}, f"{path} is damaged and could not be set aside; using the default settings", False
        return {}, f"{path} was damaged: it was set aside as {kept.name}, and the default settings are used", True
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}, None, True


def save_setting(name: str, value: str) -> str | None:
    """Remember one setting; the reason when it could not be written, else None. A settings file
    that cannot be read is not written over: what it holds may matter to someone."""
    settings, problem, writable = _read()
    if not writable:
        return problem
    settings[name] = value
    try:
        write_atomically(settings_path(), json.dumps(settings, indent=2, sort_keys=True) + "\n")
    except OSError as exc:
        return f"could not save the settings to {settings_path()}: {exc.strerror or exc}"
    return None
