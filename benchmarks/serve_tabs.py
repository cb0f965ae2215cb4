"""`dealquest serve` under a classroom's load: many tabs at once, each signed in, each playing.

    python benchmarks/serve_tabs.py                       # 60 tabs, 20 choices each, printed
    python benchmarks/serve_tabs.py --tabs 6 --choices 8 --json

A real `dealquest serve` on 127.0.0.1 (a free port, a temporary SQLite results store, sign-in, the
launch campaign in assessment mode, seed 1) and one client per tab that speaks textual-serve's
protocol as its page does: fetch the page, open the websocket it names (with the terminal's size),
send `resize` and `ping`, type with `stdin` messages, and read the game's screen as the bytes the
game writes. Each tab signs in as its own trainee and makes CHOICES choices by their number keys,
waiting THINK seconds (seeded, random within the range) after each screen arrives, as a reader
would. A choice is timed from the moment its key is sent to the moment the screen it leads to has
arrived: the output since the key, escape sequences removed, shows that screen's own text (the
scene's title and "Decision N+1" under it, or the handoff card's "Play as" and its number). The
route of each tab is worked out beforehand with the game's own engine (the same seed, so the same
chance events), so the client knows which screen must come and the store can be checked against it.

Beside it, in the same run, the floors: one tab alone on the same server (before the many tabs and
after them, pooled: the latency floor), and a bare Textual app (benchmarks/floor_app.py, a Static
and a Footer) served the same way by the same number of tabs (the memory floor per tab). Memory is
each game's proportional set size (PSS, /proc/PID/smaps_rollup: shared pages split between the
processes sharing them, so the figures add up), read while every tab is still open after its last
choice. Afterwards the results store must hold exactly each trainee's route: nothing lost, nothing
twice. Linux only (it reads /proc). Bounded: every wait has a timeout, the whole run has one, and
every process it started is ended (killed if need be) when it ends, however it ends.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import contextlib
import json
import os
import random
import re
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402  (textual-serve's own dependency: the serve extra brings it)

from dealquest.play import engine  # noqa: E402
from dealquest.play.turns import handoff_after  # noqa: E402
from dealquest.story.campaign import Campaign  # noqa: E402
from dealquest.story.library import bundled  # noqa: E402
from dealquest.story.loader import load_campaign  # noqa: E402
from dealquest.story.model import Role, Scene  # noqa: E402
from dealquest.training.store import open_store  # noqa: E402
from dealquest.tui.pages import HANDOFF_TITLE  # noqa: E402

PYTHON = sys.executable
SEED = 1
COLUMNS, ROWS = 100, 32  # a laptop browser window at textual-serve's default font
#: How long one screen may take to arrive, and a game to start, before the run is called failed.
SCREEN_TIMEOUT = 60.0
START_TIMEOUT = 120.0
#: Escape sequences (CSI, OSC/DCS/APC/PM strings, charset and keypad selections): what is left is the
#: text the game wrote, in the order it wrote it.
ESCAPES = re.compile(
    rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[\]P_^][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78NOM]"
)


class LoadError(Exception):
    """The run could not be completed as planned: a screen that never came, a game that closed."""


def screen_text(raw: bytes) -> str:
    """The text in a stretch of the game's output, escape sequences removed."""
    return ESCAPES.sub(b"", raw).decode("utf-8", "replace")


# ------------------------------------------------------------------------------------------- routes


@dataclass(frozen=True)
class Screen:
    """What a key press must bring: every pattern found in the output written since the press."""

    name: str
    patterns: tuple[re.Pattern[str], ...]

    def shown(self, text: str) -> bool:
        return all(p.search(text) for p in self.patterns)


def decision_line(number: int) -> re.Pattern[str]:
    """The page's subtitle names the decision on screen ("... · Decision 7")."""
    return re.compile(rf"Decision {number}(?!\d)")


def scene_screen(campaign: Campaign, state: engine.GameState) -> Screen:
    scene = engine.current(campaign, state)
    assert isinstance(scene, Scene), f"the route reached an ending at decision {state.turn + 1}"
    title = engine.text(state, scene.title)
    # The title stands in the page's top border; a long one is cut at the border's end, so its start.
    head = re.compile("╭─ " + re.escape(title[:24]))
    return Screen(f"scene {scene.id}", (head, decision_line(state.turn + 1)))


def card_screen(state: engine.GameState, to: Role) -> Screen:
    # The card's title in its top border ("Play as ..." is its option, which may be below the fold).
    head = re.compile("╭─ " + re.escape(HANDOFF_TITLE[to][:24]))
    return Screen("handoff card", (head, decision_line(state.turn + 1)))


@dataclass(frozen=True)
class Press:
    """A choice's key, the screen it leads to, and, after a handoff card, the scene Enter leads to."""

    key: str
    scene: str
    choice: int
    next: Screen
    after_card: Screen | None


@dataclass(frozen=True)
class Route:
    trainee: str
    first: Screen
    presses: tuple[Press, ...]


def plan(campaign: Campaign, trainee: str, choices: int, rng: random.Random) -> Route:
    """CHOICES choices by their number keys, picked at random among the available ones (among the first
    nine: the keys), such that the run has not ended after the last: each leads to a scene or a card."""
    for _attempt in range(1000):
        state = engine.new_game(campaign, SEED)
        first = scene_screen(campaign, state)
        presses: list[Press] = []
        while len(presses) < choices and not state.ended:
            shown = engine.choices(campaign, state)[:9]
            keys = [(n, view.index) for n, view in enumerate(shown, 1) if view.available]
            if not keys:
                break
            number, index = rng.choice(keys)
            step = engine.choose(campaign, state, index)
            if step.state.ended:
                break
            card = handoff_after(campaign, step)
            scene = scene_screen(campaign, step.state)
            next_screen = scene if card is None else card_screen(step.state, card.to)
            presses.append(Press(str(number), state.scene, index, next_screen, None if card is None else scene))
            state = step.state
        if len(presses) == choices:
            return Route(trainee, first, tuple(presses))
    raise LoadError(f"no route of {choices} choices found in {campaign.id}")


# --------------------------------------------------------------------------------------------- tabs


@dataclass
class Tab:
    """One browser tab's websocket: everything the game writes is kept, stamped with when it came."""

    socket: aiohttp.ClientWebSocketResponse
    output: bytearray = field(default_factory=bytearray)
    arrived: float = 0.0
    closed: bool = False
    news: asyncio.Event = field(default_factory=asyncio.Event)
    reader: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        try:
            async for message in self.socket:
                if message.type == aiohttp.WSMsgType.BINARY:
                    self.output += message.data
                    self.arrived = time.perf_counter()
                    self.news.set()
        finally:
            self.closed = True
            self.news.set()

    async def send(self, kind: str, data: Any) -> float:
        """Forget the output so far and send a message; the time it was sent."""
        self.output.clear()
        sent = time.perf_counter()
        await self.socket.send_json([kind, data])
        return sent

    async def press(self, keys: str) -> float:
        return await self.send("stdin", keys)

    async def until(self, screen: Screen, timeout: float = SCREEN_TIMEOUT) -> float:
        """When the output since the last message sent first showed the screen."""
        end = time.monotonic() + timeout
        while True:
            self.news.clear()
            if screen.shown(screen_text(bytes(self.output))):
                return self.arrived
            if self.closed:
                raise LoadError(f"the game closed before showing the {screen.name}")
            left = end - time.monotonic()
            if left <= 0:
                tail = screen_text(bytes(self.output))[-300:]
                raise LoadError(f"the {screen.name} did not arrive within {timeout:.0f} s; last output: {tail!r}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.news.wait(), left)

    async def close(self) -> None:
        await self.socket.close()
        if self.reader is not None:
            with contextlib.suppress(asyncio.CancelledError, aiohttp.ClientError):
                await asyncio.wait_for(self.reader, 10)


async def open_tab(session: aiohttp.ClientSession, base: str) -> Tab:
    """What the page does: fetch it, open the websocket it names with the terminal's size, say the
    size again and ping (textual.js does both when the socket opens)."""
    end = time.monotonic() + SCREEN_TIMEOUT
    while True:  # a full server (503) frees a game's slot a moment after its tab closed: load again
        async with session.get(base + "/") as response:
            page = await response.text()
        if response.status == 200:
            break
        if response.status != 503 or time.monotonic() > end:
            raise LoadError(f"the page answered {response.status}: {page[:200]}")
        await asyncio.sleep(0.2)
    found = re.search(r'data-session-websocket-url="([^"]+)"', page)
    if found is None:
        raise LoadError("the page names no websocket")
    socket_url = f"{found[1]}?width={COLUMNS}&height={ROWS}"
    websocket = await session.ws_connect(socket_url, headers={"Origin": base}, autoping=True, heartbeat=None)
    tab = Tab(websocket)
    tab.start()
    await websocket.send_json(["resize", {"width": COLUMNS, "height": ROWS}])
    await websocket.send_json(["ping", str(int(time.time() * 1000))])
    return tab


@dataclass
class Played:
    trainee: str
    latencies: list[float] = field(default_factory=list)
    sent: list[float] = field(default_factory=list)  # when each choice's key was sent (perf_counter)


async def think(rng: random.Random, seconds: tuple[float, float]) -> None:
    low, high = seconds
    if high > 0:
        await asyncio.sleep(rng.uniform(low, high))


async def sign_in(tab: Tab, route: Route) -> None:
    await tab.until(Screen("sign-in", (re.compile("Your name"),)), START_TIMEOUT)
    await tab.press(route.trainee + "\r")
    await tab.until(route.first, START_TIMEOUT)


async def play(tab: Tab, route: Route, seconds: tuple[float, float], rng: random.Random) -> Played:
    """The route's choices, each timed from its key to the screen it leads to."""
    played = Played(route.trainee)
    for press in route.presses:
        await think(rng, seconds)
        sent = await tab.press(press.key)
        played.latencies.append(await tab.until(press.next) - sent)
        played.sent.append(sent)
        if press.after_card is not None:  # the handoff card: read it, Enter goes on to the scene
            await think(rng, seconds)
            await tab.press("\r")
            await tab.until(press.after_card)
    return played


# ------------------------------------------------------------------------------------------ servers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def server(command: list[str], port: int, env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    """A server process (in its own process group, with its games) until the block ends; then ended."""
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        end = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                raise LoadError(f"the server exited with {process.returncode}: {shlex.join(command)}")
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if time.monotonic() > end:
                raise LoadError("the server did not listen in time")
            time.sleep(0.1)
        yield process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(15)
        with contextlib.suppress(ProcessLookupError):  # any game left behind in the group
            os.killpg(process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(5)


def dealquest_server(port: int, store: Path, home: Path, max_games: int) -> list[str]:
    return [
        PYTHON,
        "-m",
        "dealquest",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--campaign",
        "launch",
        "--mode",
        "assessment",
        "--seed",
        str(SEED),
        "--results",
        str(store),
        "--max-games",
        str(max_games),
    ]


def floor_server(port: int, max_games: int) -> list[str]:
    """The bare Textual app behind the same server code as DealQuest's tabs (dealquest.frontends.serve)."""
    code = (
        "import shlex, sys\n"
        "from dealquest.frontends import serve\n"
        "port, games = int(sys.argv[1]), int(sys.argv[2])\n"
        "command = shlex.join([sys.executable, sys.argv[3]])\n"
        "serve.serve(command, '127.0.0.1', port, serve.Guard.for_address('127.0.0.1', port, (), games))\n"
    )
    return [PYTHON, "-c", code, str(port), str(max_games), str(HERE / "floor_app.py")]


# ----------------------------------------------------------------------------------------- memory


def pss_kib(pid: int) -> int:
    """The process's proportional set size in KiB (0 when it is gone)."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    return 0


def cpu_seconds(pid: int) -> float:
    """User and system CPU time the process has used."""
    with contextlib.suppress(OSError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return 0.0


def games_of(server_pid: int) -> list[int]:
    """The server's running children: one game per open tab."""
    found = []
    for task in Path(f"/proc/{server_pid}/task").iterdir():
        with contextlib.suppress(OSError):
            found += [int(c) for c in (task / "children").read_text().split()]
    return [pid for pid in found if pss_kib(pid) > 0]


async def wait_for_games(server_pid: int, count: int, timeout: float = 30.0) -> list[int]:
    end = time.monotonic() + timeout
    while len(games := games_of(server_pid)) != count:
        if time.monotonic() > end:
            raise LoadError(f"{len(games)} games running, not {count}")
        await asyncio.sleep(0.1)
    return games


@dataclass
class Memory:
    server_mib: float
    tabs_mib: list[float]

    @property
    def per_tab(self) -> float:
        return statistics.fmean(self.tabs_mib)

    @property
    def total(self) -> float:
        return self.server_mib + sum(self.tabs_mib)


def memory(server_pid: int, games: list[int]) -> Memory:
    return Memory(pss_kib(server_pid) / 1024, [pss_kib(pid) / 1024 for pid in games])


# -------------------------------------------------------------------------------------------- runs


async def solo(base: str, route: Route, seconds: tuple[float, float], seed: int) -> Played:
    async with aiohttp.ClientSession() as session:
        tab = await open_tab(session, base)
        try:
            await sign_in(tab, route)
            return await play(tab, route, seconds, random.Random(seed))
        finally:
            await tab.close()


async def classroom(
    base: str, routes: list[Route], seconds: tuple[float, float], server_pid: int
) -> tuple[list[Played], Memory, float, float]:
    """Every tab opened and signed in, then all play at once; the memory with every tab still open
    after its last choice, the CPU time the games used while playing, and how long signing in took."""
    limits = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=limits) as session:
        tabs = await asyncio.gather(*(open_tab(session, base) for _ in routes))
        try:
            began = time.perf_counter()
            await asyncio.gather(*(sign_in(tab, route) for tab, route in zip(tabs, routes, strict=True)))
            signed_in = time.perf_counter() - began
            games = await wait_for_games(server_pid, len(routes))
            await settled(games)
            cpu_before = sum(cpu_seconds(pid) for pid in games) + cpu_seconds(server_pid)
            played = await asyncio.gather(
                *(
                    play(tab, route, seconds, random.Random(n))
                    for n, (tab, route) in enumerate(zip(tabs, routes, strict=True))
                )
            )
            cpu = sum(cpu_seconds(pid) for pid in games) + cpu_seconds(server_pid) - cpu_before
            await asyncio.sleep(1.0)  # the last frames written and the games idle, as between choices
            held = memory(server_pid, games)
        finally:
            await asyncio.gather(*(tab.close() for tab in tabs), return_exceptions=True)
    return list(played), held, cpu, signed_in


async def settled(games: list[int], timeout: float = 60.0) -> None:
    """Until the games are idle (under a tenth of a core between them): a tab goes on setting up
    for a moment after its first scene is painted, and a class reads its first scene for a minute
    before anyone chooses. The sign-in itself is timed on its own."""
    end = time.monotonic() + timeout
    before = sum(cpu_seconds(pid) for pid in games)
    while time.monotonic() < end:
        await asyncio.sleep(1.0)
        now = sum(cpu_seconds(pid) for pid in games)
        if now - before < 0.1:
            return
        before = now


async def bare_tabs(base: str, count: int, server_pid: int) -> Memory:
    """COUNT tabs of the bare app, each shown and its page turned twice (n), then their memory."""
    text = Screen("bare app", (re.compile("A minimal Textual app"),))
    limits = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=limits) as session:
        tabs = await asyncio.gather(*(open_tab(session, base) for _ in range(count)))
        try:
            await asyncio.gather(*(tab.until(text, START_TIMEOUT) for tab in tabs))
            for turn in (1, 2):
                turned = Screen(f"bare app turn {turn}", (re.compile(f"turn {turn}"),))
                for tab in tabs:
                    await tab.press("n")
                await asyncio.gather(*(tab.until(turned) for tab in tabs))
            games = await wait_for_games(server_pid, count)
            await asyncio.sleep(1.0)
            return memory(server_pid, games)
        finally:
            await asyncio.gather(*(tab.close() for tab in tabs), return_exceptions=True)


def recorded(store: Path, routes: list[Route]) -> tuple[int, list[str]]:
    """The choices the store holds, and what differs from the routes (lost, extra or other choices)."""
    wanted = {route.trainee: [(p.scene, p.choice) for p in route.presses] for route in routes}
    got: dict[str, list[tuple[str, int]]] = {}
    with open_store(store, create=False, readonly=True) as opened:
        for run in opened.runs():
            got.setdefault(run.trainee, []).extend((d.scene, d.choice) for d in run.decisions)
    problems = []
    count = sum(len(held) for held in got.values())
    for trainee, choices in wanted.items():
        held = got.pop(trainee, [])
        if held != choices:
            problems.append(f"{trainee}: {len(held)} choices recorded of {len(choices)}, or not the ones made")
    problems += [f"{trainee}: recorded, but never played" for trainee in got]
    return count, problems


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


@dataclass
class Result:
    tabs: int
    choices: int
    think: tuple[float, float]
    seconds: float
    solo: list[float]
    many: list[float]
    memory: Memory
    bare: Memory
    cpu_per_choice: float
    signed_in: float
    recorded: int
    expected: int
    problems: list[str]

    def as_json(self) -> dict[str, Any]:
        return {
            "tabs": self.tabs,
            "choices": self.choices,
            "think": list(self.think),
            "seconds": self.seconds,
            "solo": self.solo,
            "many": self.many,
            "server_mib": self.memory.server_mib,
            "tabs_mib": self.memory.tabs_mib,
            "bare_server_mib": self.bare.server_mib,
            "bare_tabs_mib": self.bare.tabs_mib,
            "cpu_per_choice": self.cpu_per_choice,
            "signed_in": self.signed_in,
            "recorded": self.recorded,
            "expected": self.expected,
            "problems": self.problems,
        }


async def measure(tabs: int, choices: int, seconds: tuple[float, float], work: Path) -> Result:
    """The whole run: one tab alone, TABS at once, one alone again; then the bare app's TABS tabs."""
    started = time.monotonic()
    # Byte-compiled, as pip leaves an installed package: a game does not compile DealQuest's modules
    # every time it starts (PYTHONDONTWRITEBYTECODE, or a read-only checkout, would make it).
    compileall.compile_dir(ROOT / "dealquest", quiet=1)
    campaign = next(load_campaign(f).campaign for f in bundled() if f.name == "launch")
    assert campaign is not None
    rng = random.Random(SEED)
    routes = [plan(campaign, f"Trainee {n:02d}", choices, rng) for n in range(1, tabs + 1)]
    # one tab alone before the many and one after, half the choices each: the floor's samples span
    # the run, so load from elsewhere on the machine weighs on the floor as on the tabs
    alone = [plan(campaign, f"Alone {n}", max(1, choices // 2), rng) for n in (1, 2)]
    store, home = work / "results.sqlite", work / "home"
    home.mkdir(parents=True, exist_ok=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with server(dealquest_server(port, store, home, tabs), port, {"DEALQUEST_HOME": str(home)}) as process:
        first = await solo(base, alone[0], seconds, 1001)
        await wait_for_games(process.pid, 0)  # its slot free again
        many, held, cpu, signed_in = await classroom(base, routes, seconds, process.pid)
        await wait_for_games(process.pid, 0)
        last = await solo(base, alone[1], seconds, 1002)
    count, problems = recorded(store, routes + alone)
    port = free_port()
    with server(floor_server(port, tabs), port, {"DEALQUEST_HOME": str(home)}) as process:
        bare = await bare_tabs(f"http://127.0.0.1:{port}", tabs, process.pid)
    return Result(
        tabs=tabs,
        choices=choices,
        think=seconds,
        seconds=time.monotonic() - started,
        solo=first.latencies + last.latencies,
        many=[t for p in many for t in p.latencies],
        memory=held,
        bare=bare,
        cpu_per_choice=cpu / (tabs * choices),
        signed_in=signed_in,
        recorded=count,
        expected=sum(len(route.presses) for route in routes + alone),
        problems=problems,
    )


def run(tabs: int, choices: int, seconds: tuple[float, float], limit: float) -> Result:
    """measure(), in a temporary folder, within LIMIT seconds in all."""
    with tempfile.TemporaryDirectory(prefix="dealquest-tabs-") as tmp:
        return asyncio.run(asyncio.wait_for(measure(tabs, choices, seconds, Path(tmp)), limit))


def show(result: Result) -> str:
    ms = 1000
    solo95, many95 = percentile(result.solo, 0.95), percentile(result.many, 0.95)
    solo50, many50 = percentile(result.solo, 0.5), percentile(result.many, 0.5)
    lines = [
        f"{result.tabs} tabs x {result.choices} choices, {result.think[0]:g}-{result.think[1]:g} s to read each screen,"
        f" in {result.seconds:.0f} s",
        f"choice -> next screen p50: {result.tabs} tabs {many50 * ms:.1f} ms, one tab alone {solo50 * ms:.1f} ms "
        f"({many50 / solo50:.2f}x)",
        f"choice -> next screen p95: {result.tabs} tabs {many95 * ms:.1f} ms, one tab alone {solo95 * ms:.1f} ms "
        f"({many95 / solo95:.2f}x; target <= 3x)",
        f"memory per tab (PSS): {result.memory.per_tab:.1f} MiB (max {max(result.memory.tabs_mib):.1f}), "
        f"bare served Textual app {result.bare.per_tab:.1f} MiB ({result.memory.per_tab / result.bare.per_tab:.2f}x;"
        " target <= 1.3x)",
        f"server: {result.memory.server_mib:.1f} MiB, in all with its {result.tabs} games "
        f"{result.memory.total / 1024:.2f} GiB (bare: server {result.bare.server_mib:.1f} MiB, "
        f"in all {result.bare.total / 1024:.2f} GiB)",
        f"CPU per choice (games and server): {result.cpu_per_choice * ms:.1f} ms; "
        f"all {result.tabs} tabs opened and signed in at once in {result.signed_in:.1f} s",
        f"choices recorded: {result.recorded} of {result.expected}"
        + ("" if not result.problems else "; " + "; ".join(result.problems[:5])),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tabs", type=int, default=60)
    parser.add_argument("--choices", type=int, default=20)
    parser.add_argument("--think", type=float, nargs=2, default=(4.0, 8.0), metavar=("LOW", "HIGH"))
    parser.add_argument("--limit", type=float, default=900.0, help="seconds the whole run may take")
    parser.add_argument("--json", action="store_true", help="print one JSON object (for benchmarks/run.py)")
    args = parser.parse_args(argv)
    try:
        result = run(args.tabs, args.choices, tuple(args.think), args.limit)
    except (LoadError, TimeoutError, aiohttp.ClientError) as failed:
        print(f"serve_tabs: {failed or 'the run took longer than --limit'}", file=sys.stderr)
        return 1
    print(json.dumps(result.as_json()) if args.json else show(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
