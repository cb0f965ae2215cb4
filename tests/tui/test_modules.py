"""The app sits on top of its screens: they talk to it with messages and never import it."""

from __future__ import annotations

import ast
from pathlib import Path

import dealquest.tui

TUI = Path(dealquest.tui.__file__).parent


def imported(path: Path) -> set[str]:
    """Every module a file imports, anywhere in it (also under TYPE_CHECKING or inside functions)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_screen_widget_or_helper_imports_the_app() -> None:
    modules = [p for p in TUI.rglob("*.py") if p != TUI / "app.py"]
    assert len(modules) > 10  # the screens, the widgets and the helpers are all there
    offenders = [str(p.relative_to(TUI)) for p in modules if "dealquest.tui.app" in imported(p)]
    assert offenders == []


def test_the_app_is_only_reached_through_the_command_line() -> None:
    package = TUI.parent
    users = sorted(
        str(p.relative_to(package))
        for p in package.rglob("*.py")
        if p != TUI / "app.py" and "dealquest.tui.app" in imported(p)
    )
    assert users == ["cli/main.py"]
