"""Bulk work without the cyclic garbage collector: loading a campaign, exploring its states.

Both make millions of objects that live on, and no reference cycles. While they grow, Python's
collector walks all of them again and again: for a 10,000-scene campaign that was more than half
of the loading time, and it grew faster than the campaign. Reference counting still frees what
is dropped; the collector runs again afterwards.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Switch the cyclic collector off for the block (as it was before, after it)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
