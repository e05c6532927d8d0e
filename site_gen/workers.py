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


SMALLEST_PIECE = 8  # items: below this a piece's start-up cost outweighs the balance it brings


def chunks(items: Sequence[T], workers: int) -> list[Sequence[T]]:
    """The items in pieces handed out as workers finish, each a share of what is left, so the
    last ones are small: a worker then never waits long for another at the end (with equal pieces,
    one holding the long lists of every exercise left a worker idle for 0.7 s at 10,000 exercises).
    Few pieces, as each has its own start-up cost."""
    pieces, start = [], 0
    while start < len(items):
        step = max(SMALLEST_PIECE, -(-(len(items) - start) // (workers * 2)))
        pieces.append(items[start:start + step])
        start += step
    return pieces


def worker_pool(workers: int) -> multiprocessing.pool.Pool:
    """Forked worker processes, which share this process's memory until either writes to it.

    The objects made so far are first moved out of the cycle collector's reach (`gc.freeze`): a
    worker's collections then never touch, and so never copy, the memory it shares with this one.
    """
    import multiprocessing

    gc.freeze()
    return multiprocessing.get_context("fork").Pool(workers, initializer=gc.enable)
