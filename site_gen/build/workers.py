"""How many worker processes a step should fork, and how its work is split among them."""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import shutil
import tempfile
from typing import Callable, Iterator, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")


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
    the one holding the long lists of every exercise kept the others waiting). Few pieces, as each
    has its own start-up cost."""
    pieces, start = [], 0
    while start < len(items):
        step = max(SMALLEST_PIECE, -(-(len(items) - start) // (workers * 2)))
        pieces.append(items[start:start + step])
        start += step
    return pieces


@contextlib.contextmanager
def in_workers(function: Callable[[Sequence[T]], R], items: Sequence[T], workers: int, here_too: bool = False
               ) -> Iterator[Callable[[], list[R]]]:
    """Start forked worker processes, each running `function` on the next piece of `items` (see
    `chunks`) not yet taken, until none is left; gives what waits for every piece's result, in
    order. With `here_too`, one worker fewer is started and this process takes pieces as well once
    it asks for the results: the work starts while this process is busy with other work, and all
    finish it. The workers are stopped on leaving.

    Forked, they share this process's memory until either writes to it. The objects made so far
    are first moved out of the cycle collector's reach (`gc.freeze`): a worker's collections then
    never touch, and so never copy, that memory. Each result comes back in a temporary file, not
    through a pipe: a pipe passes a little at a time, each waiting for this process to be scheduled
    beside the busy workers, which kept a worker sending back a piece's pages from its next one.
    """
    import multiprocessing

    pieces = chunks(items, workers)
    context = multiprocessing.get_context("fork")
    taken = context.Value("i", 0)  # how many pieces have been taken, shared (with a lock)
    folder = tempfile.mkdtemp(prefix="site-gen-")
    gc.freeze()
    started = [context.Process(target=_take_pieces, args=(function, pieces, taken, folder), daemon=True)
               for _ in range(workers - 1 if here_too else workers)]
    try:
        for process in started:
            process.start()

        def results() -> list[R]:
            if here_too:
                _take_pieces(function, pieces, taken, folder, in_worker=False)
            for process in started:
                process.join()
            return [_piece_result(folder, index) for index in range(len(pieces))]

        yield results
    finally:
        for process in started:
            process.terminate()  # they are done unless this process stopped early (content errors)
            process.join()
        gc.unfreeze()
        shutil.rmtree(folder, ignore_errors=True)


def _take_pieces(function: Callable[[Sequence[T]], R], pieces: list[Sequence[T]], taken, folder: str,
                 in_worker: bool = True) -> None:
    """Take the next piece until none is left; each result, or the error raised instead, is put in
    a file named by the piece's number."""
    if in_worker:
        gc.enable()  # the build's process pauses its collector while a build runs; a worker need not
    while True:
        with taken.get_lock():
            index = taken.value
            taken.value = index + 1
        if index >= len(pieces):
            return
        try:
            outcome = (True, function(pieces[index]))
        except Exception as exc:  # raised again where the results are read
            outcome = (False, exc)
        handle, temporary = tempfile.mkstemp(dir=folder)
        with os.fdopen(handle, "wb") as file:
            pickle.dump(outcome, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, f"{folder}/{index}")  # whole or not at all, should a worker be killed


def _piece_result(folder: str, index: int) -> object:
    try:
        with open(f"{folder}/{index}", "rb") as file:
            done, result = pickle.load(file)
    except FileNotFoundError:
        raise RuntimeError("a worker process stopped before finishing its work") from None
    if not done:
        raise result
    return result
