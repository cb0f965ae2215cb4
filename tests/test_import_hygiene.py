"""The core never imports Textual: `dealquest validate` must not pay for it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CORE = [
    "dealquest.model",
    "dealquest.loader",
    "dealquest.checks",
    "dealquest.engine",
    "dealquest.scoring",
    "dealquest.rules",
    "dealquest.campaigns",
    "dealquest.cli",
]


def test_core_modules_do_not_import_textual() -> None:
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in CORE)
        + "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_validate_and_list_do_not_import_textual() -> None:
    code = (
        "import sys\n"
        "from dealquest.cli import main\n"
        "from tests.conftest import MINI\n"
        "main(['validate', str(MINI)]); main(['list'])\n"
        "assert not any(m.startswith('textual') for m in sys.modules), 'textual imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
