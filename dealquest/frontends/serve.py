"""`dealquest serve`: the game in a browser, one independent game per tab, through textual-serve.

textual-serve starts one process per browser tab with a fixed command; ours is `dealquest play`
with `--sign-in`, so each tab asks its trainee's name (and the campaign and mode the trainer left
open) and records to the shared results store. textual-serve is an optional extra:
`pip install 'dealquest[serve]'`.
"""

from __future__ import annotations

import ipaddress
import re
import shlex
import sys
from pathlib import Path

from dealquest.training import Mode

INSTALL_HINT = "pip install 'dealquest[serve]'  (or: pip install 'textual-serve>=1.1.3')"


def available() -> bool:
    """Whether textual-serve can be imported."""
    try:
        import textual_serve.server  # noqa: F401
    except ImportError:
        return False
    return True


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach the host address."""
    if host.lower() in ("localhost", "localhost.localdomain", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def tab_command(
    store: Path, campaign_folder: Path | None = None, mode: Mode | None = None, seed: int | None = None
) -> str:
    """The shell command each browser tab runs: a signed-in, recorded game."""
    words = [sys.executable, "-m", "dealquest", "play"]
    if campaign_folder is not None:
        words.append(str(campaign_folder.resolve()))
    words += ["--sign-in", "--results", str(store.resolve())]
    if mode is not None:
        words += ["--mode", mode]
    if seed is not None:
        words += ["--seed", str(seed)]
    return shlex.join(words)


_WEB_FONT = re.compile(r"<link[^>]*fonts\.googleapis\.com[^>]*>")


def offline_page(page: str, static_url: str) -> str:
    """The page without its web-font link: the font comes from textual-serve's own static files, so a
    classroom without internet (or with a slow one) loads at once and no request leaves the room."""
    font = (
        '<style>@font-face { font-family: "Roboto Mono"; '
        f'src: url("{static_url}fonts/RobotoMono-VariableFont_wght.ttf") format("truetype"); }}</style>'
    )
    return _WEB_FONT.sub(lambda _: font, page)


def serve(command: str, host: str, port: int, title: str = "DealQuest") -> None:
    """Serve the command until Ctrl+C; OSError when the address cannot be bound."""
    from aiohttp import web
    from textual_serve.server import Server

    class TabServer(Server):
        """Links the page to the address the browser used, so a classroom can reach it by IP or name."""

        async def handle_index(self, request: web.Request) -> web.StreamResponse:
            # textual-serve builds the page's websocket address from one public URL fixed at start;
            # behind 0.0.0.0 that address is useless to other machines, so take it from the request.
            self.public_url = f"{request.scheme}://{request.host}"
            response = await super().handle_index(request)
            if isinstance(response, web.Response) and response.text:
                response.text = offline_page(response.text, f"{self.public_url}/static/")
            return response

    server = TabServer(command, host=host, port=port, title=title)
    server.serve()
