"""Cold start: seconds from starting a process to its first painted screen, read off a terminal.

The program runs in a pseudo-terminal of 100x32, as a player's terminal would run it. The clock
starts just before the process is created and stops when the terminal has received the screen's
own text (`marker`) and its footer's last word (Textual writes a frame top to bottom, and the
footer is its last row), so what is timed is process start, imports, set-up and the first frame.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Sequence

_ESCAPES = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b.")
FOOTER_END = b"palette"  # the footer's `^p palette`, at the end of the bottom row


def first_paint(
    command: Sequence[str], marker: bytes, env: dict[str, str] | None = None, timeout: float = 30.0
) -> float:
    """Seconds from starting `command` to its first frame with `marker` and the footer."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 32, 100, 0, 0))
    environment = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "32", **(env or {})}
    for name in ("TEXTUAL", "TEXTUAL_DEVTOOLS", "NO_COLOR"):
        environment.pop(name, None)
    began = time.perf_counter()
    process = subprocess.Popen(
        list(command), stdin=follower, stdout=follower, stderr=follower, env=environment, start_new_session=True
    )
    os.close(follower)
    seen = b""
    try:
        while time.perf_counter() - began < timeout:
            ready, _, _ = select.select([leader], [], [], 0.25)
            if not ready:
                if process.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(leader, 1 << 20)
            except OSError:
                break
            seen += chunk
            text = _ESCAPES.sub(b"", seen)
            if marker in text and FOOTER_END in text[text.index(marker) :]:
                return time.perf_counter() - began
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        os.close(leader)
    tail = _ESCAPES.sub(b"", seen)[-600:].decode("utf-8", "replace")
    raise RuntimeError(f"{' '.join(command)} showed no first frame in {timeout:.0f}s; it printed: {tail!r}")
