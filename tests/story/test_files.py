"""Reading a campaign folder: only regular files inside it, bounded before parsing, never stuck.

The cases of issue 17: a FIFO or a link to /dev/zero among the story files or the tests, a
symlinked tests/ folder, a hard link to a file outside, folders that cannot be listed, more files
or more bytes than the limits, a file swapped for a larger one after it was listed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

from dealquest.story import files
from dealquest.story.files import MAX_CAMPAIGN_BYTES, MAX_FILES, Refused, TooLarge, read_regular
from dealquest.story.loader import load_campaign
from dealquest.story.yamlsource import MAX_FILE_BYTES, MAX_NODES, parse_text, read_file

from ..conftest import MINI

ROOT = Path(__file__).resolve().parents[2]


def dealquest(*args: str, timeout: float = 60, unprivileged: bool = False) -> subprocess.CompletedProcess[str]:
    """Run the real command; with `unprivileged`, without root's power to read any folder."""
    command = [sys.executable, "-m", "dealquest", *args]
    if unprivileged and os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: folder permissions cannot be tested")
        drop = "-dac_override,-dac_read_search"
        command = [setpriv, f"--inh-caps={drop}", f"--bounding-set={drop}", *command]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )


def codes(folder: Path) -> list[tuple[str, str]]:
    """(code, file name) of each error of loading the folder."""
    return [(d.code, Path(d.file).name) for d in load_campaign(folder).diagnostics if d.severity == "error"]


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A story file outside the campaign, with an error in it that would show if it were parsed."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "secret.yaml").write_text("scenes: [{id: Secret}]\n")
    return folder


# ------------------------------------------------------------------------------------- special files


def test_a_fifo_among_the_story_files_is_refused_without_waiting(mini_copy: Path) -> None:
    os.mkfifo(mini_copy / "pipe.yaml")
    result = dealquest("validate", str(mini_copy), timeout=30)  # it hung for good before
    assert result.returncode == 1
    assert "pipe.yaml: error[DQ008]: not read: it is a named pipe (FIFO)" in result.stdout


def test_a_fifo_in_tests_is_refused_without_waiting(mini_copy: Path) -> None:
    os.mkfifo(mini_copy / "tests" / "pipe.yaml")
    result = dealquest("playtest", str(mini_copy), "--runs", "10", timeout=30)
    assert "tests/pipe.yaml: error[DQ008]: not read: it is a named pipe (FIFO)" in result.stdout


def test_a_link_to_dev_zero_is_refused(mini_copy: Path) -> None:
    (mini_copy / "zero.yaml").symlink_to("/dev/zero")
    assert ("DQ008", "zero.yaml") in codes(mini_copy)
    with pytest.raises(Refused, match="a device"):
        read_regular(Path("/dev/zero"), MAX_FILE_BYTES)


@pytest.mark.parametrize("make", [os.mkfifo, lambda p: os.mkdir(p)], ids=["fifo", "folder"])
def test_reading_anything_but_a_regular_file_is_refused_at_once(tmp_path: Path, make: object) -> None:
    path = tmp_path / "thing.yaml"
    make(path)  # type: ignore[operator]
    with pytest.raises(Refused, match="not a regular file"):
        read_regular(path, MAX_FILE_BYTES)
    _, diagnostics = read_file(path, "thing.yaml")
    assert [d.code for d in diagnostics] == ["DQ008"]


# ------------------------------------------------------------------------------------- links


def test_a_symlinked_tests_folder_is_refused_and_nothing_outside_is_parsed(mini_copy: Path, outside: Path) -> None:
    shutil.rmtree(mini_copy / "tests")
    (mini_copy / "tests").symlink_to(outside, target_is_directory=True)
    result = dealquest("playtest", str(mini_copy), "--runs", "10")
    assert "tests: error[DQ008]: a symlink is not read" in result.stdout
    assert "secret" not in result.stdout.lower() and result.returncode == 1


def test_a_symlinked_sub_folder_is_refused(mini_copy: Path, outside: Path) -> None:
    (mini_copy / "branches").symlink_to(outside, target_is_directory=True)
    assert ("DQ008", "branches") in codes(mini_copy)
    assert not any(name == "secret.yaml" for _, name in codes(mini_copy))


def test_a_hard_link_to_a_file_outside_is_refused(mini_copy: Path, outside: Path) -> None:
    os.link(outside / "secret.yaml", mini_copy / "linked.yaml")
    found = load_campaign(mini_copy).diagnostics
    assert [(d.code, Path(d.file).name) for d in found if d.severity == "error"] == [("DQ008", "linked.yaml")]
    assert "2 names (a hard link)" in found[0].message
    os.replace(mini_copy / "linked.yaml", mini_copy / "tests" / "linked.yaml")
    result = dealquest("playtest", str(mini_copy), "--runs", "10")
    assert "tests/linked.yaml: error[DQ008]: not read: the file has 2 names (a hard link)" in result.stdout


# ------------------------------------------------------------------------------------- folders


def test_a_sub_folder_that_cannot_be_listed_is_an_error_with_its_path(mini_copy: Path) -> None:
    branch = mini_copy / "branch"
    branch.mkdir()
    (branch / "broken.yaml").write_text("scenes: [{id: Broken}]\n")
    branch.chmod(0)
    try:
        result = dealquest("validate", str(mini_copy), unprivileged=True)
    finally:
        branch.chmod(0o755)
    assert result.returncode == 1  # it said "0 errors" though the branch inside had errors
    assert f"{mini_copy / 'branch'}: error[DQ008]: cannot list the folder: Permission denied" in result.stdout


def test_a_campaign_folder_that_cannot_be_listed_is_an_error(mini_copy: Path) -> None:
    mini_copy.chmod(0o311)  # campaign.yaml can be opened by name, but the folder cannot be listed
    try:
        validated = dealquest("validate", str(mini_copy), unprivileged=True)
        played = dealquest("play", str(mini_copy), "--plain", "--choices", "1", unprivileged=True)
    finally:
        mini_copy.chmod(0o755)
    assert validated.returncode == 1 and "cannot list the folder: Permission denied" in validated.stdout
    assert played.returncode == 1 and "cannot list the folder" in played.stderr  # it listed no reason before


# ------------------------------------------------------------------------------------- sizes


def test_too_many_files_are_refused_before_any_is_parsed(mini_copy: Path) -> None:
    for i in range(MAX_FILES):
        (mini_copy / f"extra_{i:03}.yaml").write_text("scenes: [\n")  # each a syntax error, if parsed
    started = time.perf_counter()
    found = codes(mini_copy)
    assert found == [("DQ004", "mini")]  # no DQ001: nothing was parsed (it took 53 s and 1.26 GB)
    assert time.perf_counter() - started < 10


def test_too_many_bytes_in_all_are_refused_before_any_is_parsed(mini_copy: Path) -> None:
    for i in range(MAX_CAMPAIGN_BYTES // MAX_FILE_BYTES + 1):
        with open(mini_copy / f"big_{i}.yaml", "wb") as sparse:  # no disk used: holes
            sparse.truncate(MAX_FILE_BYTES - 1)
    found = load_campaign(mini_copy).diagnostics
    assert [d.code for d in found] == ["DQ004"] and "the limit is 33,554,432" in found[0].message


def test_a_file_swapped_for_a_larger_one_after_listing_is_not_read_past_the_limit(mini_copy: Path) -> None:
    listing = files.story_files(mini_copy, "mini")
    assert not listing.diagnostics
    path, shown = listing.files[-1]
    with open(mini_copy / "huge.tmp", "wb") as sparse:
        sparse.truncate(48 * 1024 * 1024)
    os.replace(mini_copy / "huge.tmp", path)  # after the listing, before the read
    _, diagnostics = read_file(path, shown)
    assert [d.code for d in diagnostics] == ["DQ004"] and "50,331,648 bytes" in diagnostics[0].message
    with pytest.raises(TooLarge):
        read_regular(path, MAX_FILE_BYTES)


def test_a_file_of_two_million_values_is_refused_without_building_them() -> None:
    text = "a: [" + "1," * (2 * 1024 * 1024 - 4) + "1]\n"
    tracemalloc.start()
    _, diagnostics = parse_text(text, "values.yaml")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [d.code for d in diagnostics] == ["DQ006"] and f"more than {MAX_NODES:,} values" in diagnostics[0].message
    assert peak < 50 * 1024 * 1024  # bytes; building the nodes first took 670 MB


def test_the_bundled_campaigns_and_their_tests_are_all_read() -> None:
    from dealquest.story.library import bundled

    for folder in [MINI, *bundled()]:
        listing = files.story_files(folder, folder.name)
        assert listing.diagnostics == [] and listing.files
        tests = files.story_test_files(folder, folder.name)
        assert tests.diagnostics == []


def test_a_list_of_two_hundred_thousand_junk_items_is_one_error(mini_copy: Path) -> None:
    (mini_copy / "junk.yaml").write_text("scenes: [" + "1," * 199_999 + "1]\n")
    found = [d for d in load_campaign(mini_copy).diagnostics if d.severity == "error"]
    assert [d.code for d in found] == ["DQ013"] and "at most 5000 items" in found[0].message  # were 1.39 million


def test_past_a_thousand_errors_the_rest_of_the_campaign_is_not_read(mini_copy: Path) -> None:
    for i in range(4):
        (mini_copy / f"bad_{i}.yaml").write_text("scenes:\n" + "  - {id: Bad}\n" * 400)
    found = load_campaign(mini_copy).diagnostics
    stop = [d for d in found if d.code == "DQ004"]
    assert len(stop) == 1 and "more than 1,000 errors: the other" in stop[0].message
    assert not any(Path(d.file).name == "bad_3.yaml" for d in found)


def test_past_the_limit_of_choices_and_branches_the_rest_is_not_read(
    mini_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dealquest.story import loader

    monkeypatch.setattr(loader, "MAX_MOVES", 3)  # the mini campaign's first file has more than 3
    found = load_campaign(mini_copy)
    assert not found.ok
    assert any(d.code == "DQ004" and "more than 3 choices and chance branches" in d.message for d in found.diagnostics)
