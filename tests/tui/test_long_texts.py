"""A story text of thousands of Markdown blocks shows at once: a 13 KB list in an ending froze the
debrief for 36 s (a widget per item), and the play page's own renderer was quadratic in blocks."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from dealquest.tui.markdown import MAX_MARKDOWN_BLOCKS, needs_light_rendering, story_content

from ..conftest import MINI, WINNING_SEED
from .conftest import make_app, on_screen, screen_text, wait_for
from .test_play import pick

LONG_LIST = "".join(f"- item {i}\\n" for i in range(1500))  # 16 KB (texts stop at 20,000), 1,500 blocks


def long_texts(tmp_path: Path) -> Path:
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    for name in ("campaign.yaml", "sales.yaml"):
        path = folder / name
        text = path.read_text()
        text = text.replace("text: The pilot turns into a contract.", f'text: "{LONG_LIST}"')
        text = text.replace("summary: A five-scene campaign the tests play through.", f'summary: "{LONG_LIST}"')
        text = text.replace("text: The buyer picks up.", f'text: "{LONG_LIST}"')
        path.write_text(text)
    return folder


def test_the_page_renderer_is_linear_in_blocks() -> None:
    started = time.perf_counter()
    content = story_content(LONG_LIST.replace("\\n", "\n"))
    assert content.plain.count("•") == 1500
    assert time.perf_counter() - started < 5  # seconds; 0.1 s here, 6 s before
    assert needs_light_rendering("- x\n" * (MAX_MARKDOWN_BLOCKS + 1))
    assert not needs_light_rendering("- x\n" * MAX_MARKDOWN_BLOCKS)


async def test_a_long_list_shows_on_the_title_the_page_and_the_debrief(tmp_path: Path) -> None:
    folder = long_texts(tmp_path)
    app = make_app(folder=None, library=[folder], seed=WINNING_SEED)
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "TitleScreen")
        await wait_for(pilot, lambda: "item 0" in screen_text(app), timeout=20)
    app = make_app(folder=folder, seed=WINNING_SEED)
    async with app.run_test(size=(100, 32)) as pilot:
        await on_screen(pilot, "PlayScreen")
        await pick(pilot, "1")
        await wait_for(pilot, lambda: "item 0" in screen_text(app), timeout=20)
        await pick(pilot, "1")
        await pick(pilot, "2")
        await on_screen(pilot, "DebriefScreen")
        await wait_for(pilot, lambda: "item 0" in screen_text(app), timeout=20)
