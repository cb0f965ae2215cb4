"""Headless Chromium driven through the DevTools protocol over a pipe: enough to open a page, type
and take screenshots.

Why our own ~100 lines rather than Selenium or Playwright: Playwright downloads its own browser
builds (the network again, and a large install), Selenium needs a matching chromedriver package;
both are heavy for four calls. `--remote-debugging-pipe` needs no port and no websocket client:
JSON messages separated by NUL bytes on file descriptors 3 and 4.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

#: Keep the browser off the network: no GPU, no QUIC, no background traffic, and every host name
#: except this machine fails to resolve.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--no-default-browser-check",
    "--mute-audio",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
    "--remote-debugging-pipe",
]


#: The terminal is drawn on a canvas, so its text is not in the page. This keeps, in
#: window.__dqText, the text the app sends over the websocket (escape sequences removed).
WATCH_TERMINAL = r"""
(() => {
  const Native = window.WebSocket;
  const decoder = new TextDecoder();
  window.__dqText = "";
  const keep = (text) => {
    text = text.replace(/\x1b\[[0-9;?<>=]*[ -\/]*[@-~]/g, "").replace(/\x1b[\]P_^][^\x07\x1b]*(\x07|\x1b\\)/g, "");
    window.__dqText = (window.__dqText + text).slice(-400000);
  };
  function Watched(url, protocols) {
    const socket = protocols === undefined ? new Native(url) : new Native(url, protocols);
    socket.addEventListener("message", async (event) => {
      let data = event.data;
      if (data instanceof Blob) data = await data.arrayBuffer();
      keep(typeof data === "string" ? data : decoder.decode(data, {stream: true}));
    });
    return socket;
  }
  Watched.prototype = Native.prototype;
  for (const name of ["CONNECTING", "OPEN", "CLOSING", "CLOSED"]) Watched[name] = Native[name];
  window.WebSocket = Watched;
})();
"""


def _high(fd: int) -> int:
    """The same open file on a descriptor numbered 10 or more."""
    high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return high


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


class Browser:
    """One headless Chromium with a fresh profile; `page()` opens a tab."""

    def __init__(self, timeout: float = 30.0) -> None:
        binary = chromium_path()
        assert binary is not None, "chromium is not installed"
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="dq-chromium-")
        # Pipe ends numbered above 9, so that moving them to 3 and 4 cannot overwrite one another.
        to_browser_r, self._to_browser = (_high(fd) for fd in os.pipe())
        self._from_browser, from_browser_w = (_high(fd) for fd in os.pipe())

        def onto_3_and_4() -> None:  # in the child, before chromium starts
            os.dup2(to_browser_r, 3)
            os.dup2(from_browser_w, 4)

        # close_fds=False keeps 3 and 4; every other descriptor is non-inheritable (PEP 446) anyway.
        self.process = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            close_fds=False,
            preexec_fn=onto_3_and_4,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._next = 0
        self._buffer = b""

    def call(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> dict[str, Any]:
        """Send a command and wait for its answer (events in between are dropped)."""
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        end = time.monotonic() + self.timeout
        while True:
            while b"\0" in self._buffer:
                raw, self._buffer = self._buffer.split(b"\0", 1)
                reply = json.loads(raw)
                if reply.get("id") == self._next:
                    if "error" in reply:
                        raise RuntimeError(f"{method}: {reply['error']}")
                    return dict(reply.get("result", {}))
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no answer to {method} within {self.timeout:.0f}s")
            ready, _, _ = select.select([self._from_browser], [], [], left)
            if ready:
                chunk = os.read(self._from_browser, 1 << 20)
                if not chunk:
                    raise RuntimeError("chromium closed the DevTools pipe")
                self._buffer += chunk

    def page(self, url: str, width: int = 1200, height: int = 800) -> Page:
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, session, target)
        page.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )
        page.call("Page.enable")
        page.call("Page.addScriptToEvaluateOnNewDocument", {"source": WATCH_TERMINAL})
        page.call("Page.navigate", {"url": url})
        return page

    def close(self) -> None:
        with contextlib.suppress(Exception):  # it may already be gone
            self.call("Browser.close")
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
        os.close(self._to_browser)
        os.close(self._from_browser)
        shutil.rmtree(self.profile, ignore_errors=True)


class Page:
    def __init__(self, browser: Browser, session: str, target: str = "") -> None:
        self.browser = browser
        self.session = session
        self.target = target

    def close(self) -> None:
        """Close the tab, as a trainee closing it (or the laptop) would."""
        self.browser.call("Target.closeTarget", {"targetId": self.target})

    def call(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.browser.call(method, params, self.session)

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        return result.get("result", {}).get("value")

    def wait_for(self, expression: str, timeout: float = 30.0) -> None:
        end = time.monotonic() + timeout
        while not self.evaluate(expression):
            if time.monotonic() > end:
                raise TimeoutError(f"the page never made true: {expression}")
            time.sleep(0.1)

    def output(self) -> str:
        """The text the app has sent since the page opened (or since `forget_output`)."""
        return str(self.evaluate("window.__dqText") or "")

    def forget_output(self) -> None:
        self.evaluate("window.__dqText = ''")

    def wait_for_text(self, text: str, timeout: float = 30.0) -> None:
        end = time.monotonic() + timeout
        while text not in self.output():
            if time.monotonic() > end:
                raise TimeoutError(f"the app never showed {text!r}")
            time.sleep(0.1)

    def type(self, text: str) -> None:
        """Type into the focused element (the terminal): text as typed, \\n as the Enter key."""
        for i, part in enumerate(text.split("\n")):
            if i:
                self.key("Enter", "\r", 13)
            if part:
                self.call("Input.insertText", {"text": part})

    def key(self, key: str, text: str, code: int) -> None:
        for kind in ("keyDown", "keyUp"):
            params: dict[str, Any] = {"type": kind, "key": key, "code": key, "windowsVirtualKeyCode": code}
            if kind == "keyDown":
                params["text"] = text
            self.call("Input.dispatchKeyEvent", params)

    def screenshot(self, path: Path) -> Path:
        self.call("Page.bringToFront")  # a tab in the background is not painted
        data = self.call("Page.captureScreenshot", {"format": "png"})["data"]
        path.write_bytes(base64.b64decode(data))
        return path
