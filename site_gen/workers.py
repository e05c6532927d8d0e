"""How many worker processes a step should fork, and how its work is split among them."""

from __future__ import annotations

import gc
import os
from typing import TYPE_CHECKING, Sequence, TypeVar

if TYPE_CHECKING:
    import multiprocessing.pool

T = TypeVar("T")


def workers_for(pieces: int, minimum: int) -> int:
    """One process per core (at most 8), or 0 (work in this process) when there are fewer than
    `minimum` pieces, one core, or no fork on this system; starting processes costs time."""
    workers = min(os.cpu_count() or 1, 8)
    if pieces < minimum or workers < 2:
        return 0
    import multiprocessing  # here: most rebuilds start no worker, and the import takes milliseconds

    return workers if "fork" in multiprocessing.get_all_start_methods() else 0


def chunks(items: Sequence[T], workers: int) -> list[Sequence[T]]:
    """The items in a few pieces per worker: each piece has its own start-up cost, and with several
    pieces no worker is left waiting for the slowest."""
    step = max(1, -(-len(items) // (workers * 4)))
    return [items[start:start + step] for start in range(0, len(items), step)]


def worker_pool(workers: int) -> multiprocessing.pool.Pool:
    """Forked worker processes, which share this process's memory until either writes to it.

    The objects made so far are first moved out of the cycle collector's reach (`gc.freeze`): a
    worker's collections then never touch, and so never copy, the memory it shares with this one.
    """
    import multiprocessing

    gc.freeze()
    return multiprocessing.get_context("fork").Pool(workers, initializer=gc.enable)
