"""How many worker processes a step should fork for its pieces of work."""

from __future__ import annotations

import multiprocessing as mp
import os


def workers_for(pieces: int, minimum: int) -> int:
    """One process per core (at most 8), or 0 (work in this process) when there are fewer than
    `minimum` pieces, one core, or no fork on this system; starting processes costs time."""
    workers = min(os.cpu_count() or 1, 8)
    if pieces < minimum or workers < 2 or "fork" not in mp.get_all_start_methods():
        return 0
    return workers
