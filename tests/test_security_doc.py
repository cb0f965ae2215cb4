"""SECURITY.md promises only what the tests show: every test it names exists, in the file it names."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = re.compile(r"`((?:tests/[\w/.-]*)?(?:::\w+)?)(?:\[[^\]`]*\])?`")


def references() -> list[tuple[int, str, str | None]]:
    """(line, file, test name or None) of each test reference; `::name` is in the last file named."""
    found: list[tuple[int, str, str | None]] = []
    last_file = ""
    for number, line in enumerate((ROOT / "SECURITY.md").read_text(encoding="utf-8").splitlines(), start=1):
        for match in REFERENCE.finditer(line):
            text = match.group(1)
            if not text or not (text.startswith("tests/") or text.startswith("::")):
                continue
            file, _, name = text.partition("::")
            if file:
                last_file = file
            found.append((number, file or last_file, name or None))
    return found


def test_security_md_names_tests() -> None:
    assert len({(f, n) for _, f, n in references() if n}) >= 30  # the parser finds them


def test_every_test_security_md_names_exists() -> None:
    missing = []
    for line, file, name in references():
        path = ROOT / file
        if not path.exists():
            missing.append(f"SECURITY.md:{line}: no {file}")
        elif name is not None:
            source = path.read_text(encoding="utf-8") if path.is_file() else ""
            if not re.search(rf"^(?:async )?def {re.escape(name)}\(", source, re.M):
                missing.append(f"SECURITY.md:{line}: no test {name} in {file}")
    assert not missing, "\n".join(missing)
