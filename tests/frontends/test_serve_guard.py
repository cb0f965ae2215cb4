"""`dealquest serve` against what a hostile page, a rebinding DNS name or a greedy client would try.

Each case runs against a real `dealquest serve` on 127.0.0.1 (one server for the module, two games at
most) with aiohttp as the client, and checks what the server's processes do, through /proc.
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from dealquest.cli.main import main
from dealquest.frontends import serve

from .serving import Served, running_server, wait_until

aiohttp = pytest.importorskip("aiohttp")

pytestmark = pytest.mark.skipif(not serve.available(), reason="textual-serve is not installed (pip install '.[serve]')")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with running_server(tmp_path_factory.mktemp("serve"), "--max-games", "2") as server:
        yield server


@pytest.fixture(autouse=True)
def no_games_left(request: pytest.FixtureRequest) -> Iterator[None]:
    """Each test starts and ends with no game running, so the next one has both slots."""
    yield
    if "served" in request.fixturenames:
        server: Served = request.getfixturevalue("served")
        wait_until(lambda: not server.games(), "the games of the test to end", timeout=15)


@asynccontextmanager
async def game(
    served: Served, query: str = "", origin: str | None = None
) -> AsyncIterator[tuple[aiohttp.ClientWebSocketResponse, int]]:
    """A websocket as the page opens it, and the process id of the game it started."""
    before = set(served.games())
    async with aiohttp.ClientSession() as session:
        socket = await session.ws_connect(
            f"{served.url}ws{query}", headers={"Origin": origin or served.origin}, autoping=True
        )
        try:
            started: list[int] = []

            def one_more() -> bool:
                started[:] = [pid for pid in served.games() if pid not in before]
                return bool(started)

            await asyncio.to_thread(wait_until, one_more, "the tab's game to start", 15)
            yield socket, started[0]
        finally:
            await socket.close()


async def get(served: Served, path: str = "", host: str | None = None) -> tuple[int, str]:
    headers = {"Host": host} if host is not None else {}
    async with aiohttp.ClientSession() as session, session.get(served.url + path, headers=headers) as response:
        return response.status, await response.text()


async def handshake_status(served: Served, headers: dict[str, str]) -> int:
    async with aiohttp.ClientSession() as session:
        try:
            socket = await session.ws_connect(served.url + "ws", headers=headers)
        except aiohttp.WSServerHandshakeError as refused:
            return int(refused.status)
        await socket.close()
        return 101


async def pong(socket: aiohttp.ClientWebSocketResponse, token: str) -> None:
    """Ping the server and read past the screen output until its answer: it is still serving the tab."""
    await socket.send_json(["ping", token])
    while True:
        message = await socket.receive(timeout=10)
        assert message.type in (aiohttp.WSMsgType.TEXT, aiohttp.WSMsgType.BINARY), message
        if message.type == aiohttp.WSMsgType.TEXT and message.json() == ["pong", token]:
            return


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmRSS for {pid}")


def gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


# ------------------------------------------------------------------------------------------ names


@pytest.mark.parametrize(
    "origin", ["http://evil.example", "null", "http://127.0.0.1.evil.example", "http://127.0.0.1:1", None]
)
async def test_a_page_on_another_site_cannot_open_a_game(served: Served, origin: str | None) -> None:
    headers = {} if origin is None else {"Origin": origin}
    assert await handshake_status(served, headers) == 403
    assert served.games() == []


@pytest.mark.parametrize("host", ["evil.example", "rebound.example:{port}", "127.0.0.1:1", ""])
async def test_only_the_servers_own_names_are_answered(served: Served, host: str) -> None:
    """DNS rebinding: a name the attacker controls, pointed at 127.0.0.1, reaches nothing."""
    status, _ = await get(served, host=host.format(port=served.port))
    assert status in (400, 421)
    assert await handshake_status(served, {"Host": host.format(port=served.port), "Origin": served.origin}) in (
        400,
        421,
    )
    assert served.games() == []


async def test_the_loopback_names_are_answered(served: Served) -> None:
    for host in ("127.0.0.1", "localhost", "[::1]", "LOCALHOST"):
        status, page = await get(served, host=f"{host}:{served.port}")
        assert status == 200
        assert f'data-session-websocket-url="ws://{host.lower()}:{served.port}/ws"' in page


async def test_the_page_never_repeats_a_request_header(served: Served) -> None:
    hostile = f'127.0.0.1:{served.port}"></style><script>alert(1)</script>'
    status, page = await get(served, host=hostile)
    assert status in (400, 421) and "<script>alert" not in page and "evil" not in page
    status, page = await get(served, "?fontsize=16%22%3E%3Cscript%3E")
    assert status == 200 and "<script>" not in page.split("</head>")[1]
    assert "fonts.googleapis.com" not in page  # the font comes from the server itself


@pytest.mark.parametrize("path", ["static/", "static/js/", "static/fonts/", "static/css/", "static"])
async def test_no_folder_is_listed(served: Served, path: str) -> None:
    status, page = await get(served, path)
    assert status in (403, 404) and "textual.js" not in page and "Index of" not in page


async def test_the_page_and_its_script_are_served(served: Served) -> None:
    assert (await get(served, "static/js/textual.js"))[0] == 200


# ------------------------------------------------------------------------------------------ sizes


async def test_a_tab_cannot_ask_for_a_huge_terminal(served: Served) -> None:
    async with game(served, "?width=80&height=999999999") as (socket, pid):
        environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        assert f"ROWS={serve.MAX_ROWS}".encode() in environ and b"COLUMNS=80" in environ
        await asyncio.sleep(0.5)  # let it draw its first screen
        before = rss_mib(pid)
        await socket.send_json(["resize", {"width": 999_999_999, "height": 999_999_999}])
        await socket.send_json(["resize", {"width": "x", "height": -5}])
        await socket.send_json(["resize", {"width": 10**400, "height": True}])
        await asyncio.sleep(1.5)  # uncapped, the game grew by ~300 MB a second
        assert rss_mib(pid) < before + 100
        await pong(socket, "42")


async def test_malformed_messages_are_dropped_and_the_game_goes_on(served: Served) -> None:
    async with game(served) as (socket, pid):
        long_ping = '["ping", "' + "x" * 99 + '"]'
        for junk in ("not json", "[]", "{}", "[1, 2]", '["stdin", 5]', '["resize", "big"]', long_ping):
            await socket.send_str(junk)
        await socket.send_bytes(b"\x00" * 100)
        await pong(socket, "7")
        assert not gone(pid)


async def test_a_message_over_the_cap_closes_the_socket_and_ends_the_game(served: Served) -> None:
    async with game(served) as (socket, pid):
        await socket.send_json(["stdin", "x" * (serve.MAX_MESSAGE_BYTES + 1)])
        ended = (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
        while (await socket.receive(timeout=10)).type not in ended:
            pass
        assert socket.close_code == 1009  # message too big
        await asyncio.to_thread(wait_until, lambda: gone(pid), "the game to end", 10)


# ------------------------------------------------------------------------------------------ lifetimes


async def test_a_game_ends_when_its_tab_closes(served: Served) -> None:
    async with game(served) as (_, pid):
        pass
    await asyncio.to_thread(wait_until, lambda: gone(pid), "the game to end", 10)


async def test_a_game_that_does_not_answer_is_killed_when_its_tab_closes(served: Served) -> None:
    """The runaway game of the report kept growing after its tab was gone; a stopped one stands in for it."""
    async with game(served) as (_, pid):
        os.kill(pid, signal.SIGSTOP)
    await asyncio.to_thread(wait_until, lambda: gone(pid), "the game to be killed", serve.QUIT_GRACE_SECONDS + 10)


async def test_a_full_server_says_so_and_opens_again(served: Served) -> None:
    async with game(served) as (_, first), game(served) as (_, second):
        assert first != second
        status, page = await get(served)
        assert status == 503 and "This DealQuest session is full" in page and "--max-games" in page
        assert await handshake_status(served, {"Origin": served.origin}) == 503
        assert len(served.games()) == 2
    await asyncio.to_thread(wait_until, lambda: not served.games(), "both games to end", 15)
    # The server frees a game's place once it has seen the game end, a moment after the process has gone.
    deadline = asyncio.get_running_loop().time() + 10
    while (status := (await get(served))[0]) == 503 and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.1)
    assert status == 200


# ------------------------------------------------------------------------------------------ settings


@pytest.mark.parametrize(
    ("asked", "cells"),
    [
        (("80", "24"), (80, 24)),
        (("999999999", "999999999"), (serve.MAX_COLUMNS, serve.MAX_ROWS)),
        (("-5", "0"), (80, serve.MIN_ROWS)),
        (("1e9", "²"), (80, 24)),
        ((None, None), (80, 24)),
        ((10**400, True), (serve.MAX_COLUMNS, 24)),
        ((3, 2), (serve.MIN_COLUMNS, serve.MIN_ROWS)),
    ],
)
def test_terminal_sizes_are_capped(asked: tuple[object, object], cells: tuple[int, int]) -> None:
    assert serve.terminal_size(*asked) == cells


def test_the_names_a_server_answers_to() -> None:
    local = serve.Guard.for_address("127.0.0.1", 8000)
    assert local.hosts == {"127.0.0.1:8000", "localhost:8000", "[::1]:8000"}
    assert local.origin_allowed("http://localhost:8000") and not local.origin_allowed("http://localhost:8001")
    named = serve.Guard.for_address("10.1.2.3", 80, ["https://room-12.school/", "http://Proxy:8080"])
    assert {"10.1.2.3", "room-12.school", "proxy:8080"} <= named.hosts
    assert named.websockets["room-12.school"] == "wss://room-12.school/ws"
    assert named.origin_allowed("https://room-12.school") and named.origin_allowed("http://10.1.2.3")
    assert not named.origin_allowed("http://room-12.school")
    wide = serve.Guard.for_address("0.0.0.0", 8000)
    assert "127.0.0.1:8000" in wide.hosts and "0.0.0.0:8000" not in wide.hosts


@pytest.mark.parametrize(
    "options",
    [
        ["--allow-origin", "room-12"],
        ["--allow-origin", "ftp://room-12"],
        ["--allow-origin", "http://room-12/page"],
        ["--max-games", "0"],
    ],
)
def test_bad_serve_options_are_one_line_and_exit_2(
    options: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", "--results", str(tmp_path / "r.sqlite"), *options]) == 2
    err = capsys.readouterr().err
    assert err.startswith("dealquest serve: ") and err.count("\n") == 1
