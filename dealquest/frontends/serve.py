"""`dealquest serve`: the game in a browser, one independent game per tab, through textual-serve.

textual-serve starts one process per browser tab with a fixed command; ours is `dealquest play`
with `--sign-in`, so each tab asks its trainee's name (and the campaign and mode the trainer left
open) and records to the shared results store. textual-serve is an optional extra:
`pip install 'dealquest[serve]'`.

textual-serve trusts its browser; a classroom server cannot. On top of it, this module:
answers only requests whose `Host` is one of the server's own names (DNS rebinding) and opens a
game only for a websocket whose `Origin` is one of them (a page on another site cannot play);
caps the terminal size and the size of a websocket message; ends the game's process when its
socket closes (killing it when it does not quit in time); caps the number of games at once; never
lists a folder and never writes a request header into the page.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import ipaddress
import json
import logging
import re
import shlex
import socket
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from dealquest.training import Mode

if TYPE_CHECKING:
    from aiohttp import web

INSTALL_HINT = "pip install 'dealquest[serve]'  (or: pip install 'textual-serve>=1.1.3')"

#: The largest terminal a tab may ask for, in cells: a 4K screen at a small font is about 550 x 150.
MAX_COLUMNS, MAX_ROWS = 500, 200
MIN_COLUMNS, MIN_ROWS = 10, 5
#: The largest websocket message from a browser: keys, pastes and resizes are far smaller.
MAX_MESSAGE_BYTES = 64 * 1024
#: How long a game may take to quit once its tab is gone, and to take a message, before it is killed.
QUIT_GRACE_SECONDS = 3.0
WRITE_TIMEOUT_SECONDS = 10.0
DEFAULT_MAX_GAMES = 30

log = logging.getLogger("dealquest.serve")


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


def is_wildcard(host: str) -> bool:
    """Whether the address means every interface of the machine (0.0.0.0, ::)."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        return host == ""


def tab_command(
    store: Path | str, campaign_folder: Path | None = None, mode: Mode | None = None, seed: int | None = None
) -> str:
    """The command each browser tab runs: a signed-in, recorded game (shell-quoted; run without a shell).
    A server's URL (it may hold a password) is not on it: the tabs read $DEALQUEST_RESULTS."""
    words = [sys.executable, "-m", "dealquest", "play"]
    if campaign_folder is not None:
        words.append(str(campaign_folder.resolve()))
    words += ["--sign-in", *(["--results", str(store.resolve())] if isinstance(store, Path) else [])]
    if mode is not None:
        words += ["--mode", mode]
    if seed is not None:
        words += ["--seed", str(seed)]
    return shlex.join(words)


def terminal_size(width: object, height: object) -> tuple[int, int]:
    """A terminal size asked for by a browser, as whole cells within the caps (80 x 24 when unreadable)."""
    return _cells(width, 80, MIN_COLUMNS, MAX_COLUMNS), _cells(height, 24, MIN_ROWS, MAX_ROWS)


def _cells(value: object, default: int, low: int, high: int) -> int:
    if isinstance(value, str):
        value = int(value) if value.isascii() and value.isdigit() and len(value) <= 9 else default
    if not isinstance(value, int) or isinstance(value, bool):
        return default
    return min(max(value, low), high)


# ---------------------------------------------------------------------------------------------- names


def _netloc(host: str, port: int) -> str:
    """host:port as a browser writes it in Host and Origin (no port for 80, IPv6 in brackets)."""
    shown = f"[{host.strip('[]')}]" if ":" in host else host
    return shown.lower() if port == 80 else f"{shown.lower()}:{port}"


def origin_of(url: str) -> str | None:
    """The origin (scheme://host[:port]) of an http(s) URL, as a browser sends it; None when it is not one."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/"):
        return None
    if parts.query or parts.fragment or parts.username or parts.password:
        return None
    default = 80 if parts.scheme == "http" else 443
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{parts.scheme}://{host}" + ("" if port in (None, default) else f":{port}")


def machine_names() -> set[str]:
    """The names and addresses by which other machines may reach this one: its host name, its full
    name, the addresses they resolve to and the address of the default route."""
    names: set[str] = set()
    with contextlib.suppress(OSError):
        names |= {socket.gethostname(), socket.getfqdn()}
    for name in list(names):
        with contextlib.suppress(OSError, UnicodeError):
            names |= {str(info[4][0]) for info in socket.getaddrinfo(name, None)}
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))  # a documentation address: nothing is sent, the route is looked up
        names.add(str(probe.getsockname()[0]))
    return {n.lower() for n in names if n}


@dataclass(frozen=True)
class Guard:
    """Who the server answers: the Host values it accepts, the page origins that may open a game,
    and how many games may run at once."""

    hosts: frozenset[str]
    origins: frozenset[str]
    max_games: int = DEFAULT_MAX_GAMES
    #: a Host value -> the websocket address the page uses (our text, never the request's)
    websockets: dict[str, str] = field(default_factory=dict, compare=False)

    @classmethod
    def for_address(
        cls, host: str, port: int, allow_origins: Iterable[str] = (), max_games: int = DEFAULT_MAX_GAMES
    ) -> Guard:
        """Loopback names always; the configured host when bound wider (this machine's names and
        addresses for 0.0.0.0 or ::); and the origins given with --allow-origin."""
        names = {"localhost", "127.0.0.1", "::1"}
        if is_wildcard(host):
            names |= machine_names()
        elif not is_loopback(host):
            names.add(host.lower())
        websockets = {netloc: f"ws://{netloc}/ws" for netloc in (_netloc(name, port) for name in names)}
        origins = {f"http://{netloc}" for netloc in websockets}
        for given in allow_origins:
            origin = origin_of(given)
            if origin is None:
                raise ValueError(f"--allow-origin must be an address such as http://room-12:8000, not {given!r}")
            origins.add(origin)
            scheme, netloc = origin.split("://", 1)
            websockets[netloc] = f"{'wss' if scheme == 'https' else 'ws'}://{netloc}/ws"
        return cls(frozenset(websockets), frozenset(origins), max_games, websockets)

    def host_allowed(self, host: str | None) -> bool:
        return host is not None and host.lower() in self.hosts

    def origin_allowed(self, origin: str | None) -> bool:
        return origin is not None and origin.lower().rstrip("/") in self.origins

    def addresses(self) -> list[str]:
        """The addresses a browser may use, for the start message."""
        return sorted(f"http://{h}" for h in self.hosts)


# ---------------------------------------------------------------------------------------------- pages


def offline_page(page: str, static_url: str) -> str:
    """The page without its web-font link: the font comes from textual-serve's own static files, so a
    classroom without internet (or with a slow one) loads at once and no request leaves the room."""
    font = (
        '<style>@font-face { font-family: "Roboto Mono"; '
        f'src: url("{html.escape(static_url)}fonts/RobotoMono-VariableFont_wght.ttf") format("truetype"); }}</style>'
    )
    return re.sub(r"<link[^>]*fonts\.googleapis\.com[^>]*>", lambda _: font, page)


def notice_page(title: str, text: str) -> str:
    """A small page that says why there is no game (the server is full, the address is not allowed)."""
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>DealQuest</title>'
        "<style>body{background:#0c181f;color:#eee;font-family:sans-serif;max-width:40em;margin:4em auto}</style>"
        f"</head><body><h1>{html.escape(title)}</h1><p>{html.escape(text)}</p></body></html>"
    )


# ---------------------------------------------------------------------------------------------- server


def _end_with_parent() -> None:
    """In a game's process before it starts: on Linux, be killed when the server dies, however it dies."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL


def serve(command: str, host: str, port: int, guard: Guard, title: str = "DealQuest") -> None:
    """Serve the command until Ctrl+C; OSError when the address cannot be bound."""
    import aiohttp_jinja2
    import jinja2
    from aiohttp import WSMsgType, web
    from textual_serve.app_service import AppService
    from textual_serve.server import Server

    class Game(AppService):
        """One tab's game: its own process (no shell), which ends when the tab does."""

        async def _open_app_process(self, width: int = 80, height: int = 24) -> asyncio.subprocess.Process:
            self._process = process = await asyncio.create_subprocess_exec(
                *shlex.split(self.command),
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                env=self._build_environment(width=width, height=height),
                preexec_fn=_end_with_parent,
            )
            assert process.stdin is not None
            self._stdin = process.stdin
            return process

        async def _write(self, packet: bytes) -> bool:
            try:
                self.stdin.write(packet)
                await asyncio.wait_for(self.stdin.drain(), WRITE_TIMEOUT_SECONDS)
            except TimeoutError:  # the game stopped reading: it is stuck, and nobody can play it
                self.kill()
                return False
            except (RuntimeError, OSError, AssertionError):
                return False
            return True

        async def send_bytes(self, data: bytes) -> bool:
            return await self._write(self.encode_packet(b"D", data))

        async def send_meta(self, data: dict[str, str | int | bool | None]) -> bool:
            return await self._write(self.encode_packet(b"M", json.dumps(data).encode("utf-8")))

        def kill(self) -> None:
            process = self._process
            if process is not None and process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()

        async def stop(self) -> None:
            """Ask the game to quit; kill it when it has not within the grace period."""
            task, process = self._task, self._process
            if task is None or process is None:
                return
            self._task = None
            await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
            await self.send_meta({"type": "quit"})
            try:
                await asyncio.wait_for(process.wait(), QUIT_GRACE_SECONDS)
            except TimeoutError:
                self.kill()
                await process.wait()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    class TabServer(Server):
        def __init__(self) -> None:
            super().__init__(command, host=host, port=port, title=title)
            self.games: set[Game] = set()  # the running games, to end them when the server stops
            self.slots = 0  # games running or starting; a slot is taken before the first await

        async def _make_app(self) -> web.Application:
            app = web.Application(middlewares=[self.check_host], client_max_size=MAX_MESSAGE_BYTES)
            aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
            app.add_routes(
                [
                    web.get("/", self.page, name="index"),
                    web.get("/ws", self.open_game, name="websocket"),
                    web.static("/static", self.statics_path, show_index=False, follow_symlinks=False, name="static"),
                ]
            )
            app.on_startup.append(self.on_startup)
            app.on_shutdown.append(self.on_shutdown)
            return app

        @web.middleware
        async def check_host(self, request: web.Request, handler: Any) -> web.StreamResponse:
            if not guard.host_allowed(request.headers.get("Host")):
                return web.Response(
                    status=421,
                    text="This DealQuest server answers only to its own addresses; "
                    "start it with --allow-origin to add one.\n",
                )
            response: web.StreamResponse = await handler(request)
            return response

        async def on_startup(self, app: web.Application) -> None:
            pass  # dealquest's own start message says where to go

        async def on_shutdown(self, app: web.Application) -> None:
            for game in list(self.games):
                game.kill()

        async def page(self, request: web.Request) -> web.StreamResponse:
            if self.slots >= guard.max_games:
                return web.Response(status=503, text=full_page(guard.max_games), content_type="text/html")
            # The websocket address is built from the server's own name for the Host the browser used:
            # the page never contains text that came from the request.
            websocket_url = guard.websockets[request.headers["Host"].lower()]
            font_size = _cells(request.query.get("fontsize", "16"), 16, 6, 64)
            context = {
                "font_size": font_size,
                "app_websocket_url": websocket_url,
                "config": {"static": {"url": "/static/"}},
                "application": {"name": self.title},
            }
            page = aiohttp_jinja2.render_string("app_index.html", request, context)
            return web.Response(text=offline_page(page, "/static/"), content_type="text/html")

        async def open_game(self, request: web.Request) -> web.StreamResponse:
            if not guard.origin_allowed(request.headers.get("Origin")):
                return web.Response(status=403, text="This page may not open a DealQuest game.\n")
            if self.slots >= guard.max_games:
                return web.Response(status=503, text=f"All {guard.max_games} games of this server are in use.\n")
            width, height = terminal_size(request.query.get("width"), request.query.get("height"))
            websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE_BYTES)

            async def close() -> None:
                await websocket.close()

            game = Game(
                self.command,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=close,
                download_manager=self.download_manager,
            )
            self.slots += 1
            self.games.add(game)
            try:
                await websocket.prepare(request)
                await game.start(width, height)
                await self.relay(websocket, game)
            except asyncio.CancelledError:
                await websocket.close()
            except Exception as error:  # one tab's failure is logged, the server goes on
                log.exception(error)
            finally:
                try:
                    await game.stop()
                finally:
                    self.slots -= 1
                    self.games.discard(game)
            return websocket

        async def relay(self, websocket: web.WebSocketResponse, game: Game) -> None:
            """The browser's messages to the game; anything malformed is dropped."""
            async for message in websocket:
                if message.type != WSMsgType.TEXT:
                    continue
                try:
                    envelope = json.loads(message.data)
                except ValueError:
                    continue
                if not isinstance(envelope, list) or not envelope or not isinstance(envelope[0], str):
                    continue
                kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
                if kind == "stdin" and isinstance(data, str):
                    await game.send_bytes(data.encode("utf-8", "replace"))
                elif kind == "resize" and isinstance(data, dict):
                    await game.set_terminal_size(*terminal_size(data.get("width"), data.get("height")))
                elif kind == "ping" and isinstance(data, str | int) and len(str(data)) <= 64:
                    await websocket.send_json(["pong", data])
                elif kind == "blur":
                    await game.blur()
                elif kind == "focus":
                    await game.focus()

    TabServer().serve()


def full_page(max_games: int) -> str:
    return notice_page(
        "This DealQuest session is full",
        f"All {max_games} games this server allows are being played. Try again when a trainee has "
        "finished, or ask the trainer to start the server with a larger --max-games.",
    )
