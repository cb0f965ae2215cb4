"""DealQuest's own files on disk: where they live, how they are written, what happens to damaged ones.

Light on purpose (no Pydantic, no YAML, no Textual): the app reads its settings through this
before it paints the title screen.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

HOME_ENV = "DEALQUEST_HOME"


def home() -> Path:
    """The folder for DealQuest's own files: $DEALQUEST_HOME, else the platform's user data folder."""
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path("dealquest", appauthor=False)


def write_atomically(path: Path, text: str) -> None:
    """Write text to path so that a crash leaves the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    _sync_folder(path.parent)


def write_crash_log(text: str) -> Path:
    """Keep the details of an unexpected error in a new file of `logs/` in DealQuest's folder (the
    system's temporary folder when that cannot be written); its path."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    for folder in (home() / "logs", Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f"dealquest-crash-{stamp}-", suffix=".log", dir=folder)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            return Path(name)
        except OSError:
            continue
    raise OSError("no folder for the crash log can be written")


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable where the platform allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def set_aside(path: Path) -> Path | None:
    """Rename a damaged save to a name not in use, so it is neither lost nor overwritten."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    for n in range(1000):
        suffix = f".{n}" if n else ""
        target = path.with_name(f"{path.stem}.damaged-{stamp}{suffix}.json.bak")
        try:
            os.link(path, target)  # fails rather than overwrite an existing file
        except FileExistsError:
            continue
        except OSError:
            if target.exists():
                continue
            try:
                os.replace(path, target)
            except OSError:
                return None
            return target
        with contextlib.suppress(OSError):
            os.unlink(path)
        return target
    return None
