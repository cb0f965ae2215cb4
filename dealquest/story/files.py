"""Which files of a campaign folder are read, and how one is read: within the folder, bounded, never stuck.

A campaign folder comes from someone else (a download, a shared drive, a trainee). Only regular
files are read: a FIFO would wait for a writer forever, a device such as /dev/zero never ends.
Symlinks, and files or folders that lead outside the campaign folder, are refused, and so are
hard links (a second name of a file that may live anywhere). Sizes are checked on the opened file
and reads are capped, so a file that grows after it was listed is still read only up to the
limit. The count and the total size of the story files are known before any of them is parsed.
A folder that cannot be listed is an error with its path, never silently skipped.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from dealquest.story.diagnostics import (
    DQ004_FILES,
    DQ004_TOTAL,
    DQ008_FOLDER,
    DQ008_HARD_LINK,
    DQ008_LINK,
    DQ008_NOT_REGULAR,
    Diagnostic,
    Location,
)

#: The campaign's story tests: a folder of the campaign that holds no story files.
TESTS_DIR = "tests"

STORY_SUFFIXES = (".yaml", ".yml")
MAX_FILES = 500
#: All the story files of a campaign together: the 10,000-scene benchmark campaign is 28.4 MiB.
MAX_CAMPAIGN_BYTES = 32 * 1024 * 1024
#: Folders inside a campaign folder, however deep: enough for any layout, not for a trap.
MAX_FOLDERS = 2_000


class Refused(Exception):
    """A file that is not read: the reason, in the writer's words."""


class TooLarge(Refused):
    """A file over the size limit."""


_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFLNK: "a symlink",
}


def kind_of(mode: int) -> str:
    return _KINDS.get(stat.S_IFMT(mode), "not a regular file")


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; Refused says why not.

    The file is opened without following a symlink and without waiting (a FIFO opens at once and
    is then refused); its type, links and size are checked on the open descriptor, and at most
    limit + 1 bytes are ever read.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise Refused("it is a symlink") from None
        raise Refused(f"cannot read it: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Refused(f"it is {kind_of(info.st_mode)}, not a regular file")
        if info.st_nlink > 1:
            raise Refused(f"it has {info.st_nlink} names (a hard link), so it may be a file from elsewhere")
        if info.st_size > limit:
            raise TooLarge(f"the file is {info.st_size:,} bytes; the limit is {limit:,}")
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise Refused(f"cannot read it: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        raise TooLarge(f"the file grew past the limit of {limit:,} bytes while it was read")
    return data


@dataclass
class Listing:
    """The story files found, in order, with their sizes; and what was refused on the way."""

    files: list[tuple[Path, str]] = field(default_factory=list)
    total: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)


def _entries(folder: Path, shown: str, listing: Listing) -> list[os.DirEntry[str]] | None:
    try:
        with os.scandir(folder) as found:
            return list(found)
    except OSError as exc:
        listing.diagnostics.append(DQ008_FOLDER.at(Location(shown), reason=exc.strerror or str(exc)))
        return None


def _add(entry: os.DirEntry[str], shown: str, listing: Listing) -> None:
    try:
        info = entry.stat(follow_symlinks=False)
    except OSError as exc:
        listing.diagnostics.append(DQ008_NOT_REGULAR.at(Location(shown), reason=f"cannot read it: {exc.strerror}"))
        return
    if stat.S_ISLNK(info.st_mode):
        listing.diagnostics.append(DQ008_LINK.at(Location(shown)))
    elif not stat.S_ISREG(info.st_mode):
        listing.diagnostics.append(DQ008_NOT_REGULAR.at(Location(shown), reason=f"it is {kind_of(info.st_mode)}"))
    elif info.st_nlink > 1:
        listing.diagnostics.append(DQ008_HARD_LINK.at(Location(shown), links=info.st_nlink))
    else:
        listing.files.append((Path(entry.path), shown))
        listing.total += info.st_size


def story_files(folder: Path, shown: str) -> Listing:
    """The story files of a campaign folder (*.yaml and *.yml, in sub-folders too; not tests/ or
    anything whose name starts with a dot), sorted as paths are; every refusal as a diagnostic."""
    listing = Listing()
    stack = [(folder, Path(shown), True)]
    folders = 0
    while stack:
        here, here_shown, top = stack.pop()
        folders += 1
        if folders > MAX_FOLDERS:
            listing.diagnostics.append(DQ008_FOLDER.at(Location(shown), reason=f"more than {MAX_FOLDERS:,} folders"))
            break
        entries = _entries(here, str(here_shown), listing)
        for entry in entries or ():
            name = entry.name
            if name.startswith(".") or (top and name == TESTS_DIR):
                continue
            entry_shown = here_shown / name
            if entry.is_dir(follow_symlinks=False):
                stack.append((Path(entry.path), entry_shown, False))
            elif entry.is_symlink() and entry.is_dir():
                listing.diagnostics.append(DQ008_LINK.at(Location(str(entry_shown))))
            elif name.endswith(STORY_SUFFIXES):
                _add(entry, str(entry_shown), listing)
    listing.files.sort()
    return _bounded(listing, shown)


def story_test_files(folder: Path, shown: str) -> Listing:
    """The story-test files of a campaign (tests/*.yaml and *.yml), on the same terms as story files.
    A tests/ that is a symlink, or that cannot be listed, is a diagnostic."""
    listing = Listing()
    tests = folder / TESTS_DIR
    tests_shown = str(Path(shown) / TESTS_DIR)
    try:
        info = tests.lstat()
    except FileNotFoundError:
        return listing
    except OSError as exc:
        listing.diagnostics.append(DQ008_FOLDER.at(Location(tests_shown), reason=exc.strerror or str(exc)))
        return listing
    if stat.S_ISLNK(info.st_mode):
        listing.diagnostics.append(DQ008_LINK.at(Location(tests_shown)))
        return listing
    if not stat.S_ISDIR(info.st_mode):
        return listing
    for entry in _entries(tests, tests_shown, listing) or ():
        if entry.name.endswith(STORY_SUFFIXES) and not entry.name.startswith("."):
            _add(entry, str(Path(tests_shown) / entry.name), listing)
    listing.files.sort()
    return _bounded(listing, shown)


def _bounded(listing: Listing, shown: str) -> Listing:
    """No file is parsed when there are too many of them, or too many bytes in all."""
    if len(listing.files) > MAX_FILES:
        listing.diagnostics.append(DQ004_FILES.at(Location(shown), count=len(listing.files), limit=MAX_FILES))
        listing.files = []
    elif listing.total > MAX_CAMPAIGN_BYTES:
        listing.diagnostics.append(DQ004_TOTAL.at(Location(shown), size=listing.total, limit=MAX_CAMPAIGN_BYTES))
        listing.files = []
    return listing
