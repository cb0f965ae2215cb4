"""The core never imports Textual: `dealquest validate` must not pay for it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: Packages that may import Textual: the full-screen app, and the browser front end that serves it.
TEXTUAL_HOMES = ("dealquest.tui", "dealquest.frontends.serve")


def core_modules() -> list[str]:
    """Every module of the package outside the Textual homes, found by walking the source tree."""
    names = []
    for path in sorted((ROOT / "dealquest").rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        name = ".".join(parts)
        if not any(name == home or name.startswith(home + ".") for home in TEXTUAL_HOMES):
            names.append(name)
    return names


def test_the_walk_finds_every_layer() -> None:
    found = {name.split(".")[1] for name in core_modules() if name.count(".") >= 1}
    assert {"story", "play", "authoring", "training", "frontends", "userdata", "cli"} <= found
    assert len(core_modules()) >= 35


def test_no_module_outside_the_tui_imports_textual() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {core_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == ""


def test_validate_and_list_do_not_import_textual() -> None:
    code = (
        "import sys\n"
        "from dealquest.cli.main import main\n"
        "from tests.conftest import MINI\n"
        "main(['validate', str(MINI)]); main(['list'])\n"
        "assert not any(m.startswith('textual') for m in sys.modules), 'textual imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)


def test_training_commands_do_not_import_textual(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from dealquest.cli.main import main\n"
        "from tests.conftest import MINI\n"
        f"store = {str(tmp_path / 'r.sqlite')!r}\n"
        "main(['play', str(MINI), '--plain', '--trainee', 'Ana', '--results', store, '--choices', '1,1,2'])\n"
        "main(['report', '--results', store]); main(['results', 'export', '--format', 'xapi', '--results', store])\n"
        "assert not any(m.startswith('textual.') or m == 'textual' for m in sys.modules), 'textual imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)


def test_schema_and_playtest_do_not_import_textual() -> None:
    code = (
        "import sys, contextlib, io\n"
        "from dealquest.cli.main import main\n"
        "from tests.conftest import MINI\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['schema']); main(['playtest', str(MINI), '--runs', '20', '--exhaustive'])\n"
        "assert not any(m.startswith('textual.') or m == 'textual' for m in sys.modules), 'textual imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)


def test_the_title_screen_imports_neither_pydantic_nor_yaml() -> None:
    # The title screen is painted before the campaigns are loaded: starting the game costs about
    # what starting Textual costs (benchmarks/run.py measures it). The parser is built as `dealquest` does.
    code = (
        "import sys\n"
        "from dealquest.cli.main import _parser\n"
        "_parser().parse_args([])\n"
        "from dealquest.tui.app import DealQuestApp\n"
        "DealQuestApp(library=[])\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'yaml', 'markdown_it'))\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == ""
