"""How many worker processes a step should fork, and how its work is split among them."""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import shutil
import sys
import tempfile
import threading
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
    one holding the long lists of every exercise left a worker idle for 0.7 s at 10,000 exercises).
    Few pieces, as each has its own start-up cost."""
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
    it calls for the results: work started before this process is free for it, then finished by
    all. The workers are stopped on leaving.

    Forked, they share this process's memory until either writes to it. The objects made so far
    are first moved out of the cycle collector's reach (`gc.freeze`): a worker's collections then
    never touch, and so never copy, that memory. Each result comes back in a temporary file, not
    through a pipe: a pipe passes 64 KB at a time, each waiting for this process to be scheduled
    beside the busy workers, so a worker sending back the 5 MB of pages of a piece waited up to
    46 ms before its next one (at 1,000 exercises the render step took 0.63-0.71 s, 0.62-0.63 s
    with files).
    """
    import multiprocessing

    pieces = chunks(items, workers)
    context = multiprocessing.get_context("fork")
    taken = context.Value("i", 0)  # how many pieces have been taken, shared (with a lock)
    folder = tempfile.mkdtemp(prefix="site-gen-")
    gc.freeze()
    started = [context.Process(target=_take_pieces, args=(function, pieces, taken, folder, True), daemon=True)
               for _ in range(workers - 1 if here_too else workers)]
    try:
        for process in started:
            process.start()

        def results() -> list[R]:
            if here_too:
                _take_pieces(function, pieces, taken, folder)
            for process in started:
                process.join()
            return [_piece_result(folder, index) for index in range(len(pieces))]

        yield results
    finally:
        for process in started:
            process.terminate()  # they are done unless this process stopped early (content errors)
            process.join()
        shutil.rmtree(folder, ignore_errors=True)


def _take_pieces(function: Callable[[Sequence[T]], R], pieces: list[Sequence[T]], taken, folder: str,
                 worker: bool = False) -> None:
    """Take the next piece until none is left; each result, or the error raised instead, is put
    in a file named by the piece's number."""
    if worker:
        gc.enable()  # this process's collector is paused while a build runs; a worker's need not be
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


@contextlib.contextmanager
def alongside(function: Callable[[], None]) -> Iterator[None]:
    """Run `function` in a forked process while the block runs, and wait for it on leaving: for
    work that only writes files of its own (in a thread where there is no fork)."""
    if not hasattr(os, "fork"):
        thread = threading.Thread(target=function)
        thread.start()
        try:
            yield
        finally:
            thread.join()
        return
    process = os.fork()
    if process == 0:
        status = 1
        try:
            function()
            status = 0
        except BaseException as exc:  # told here: this process ends without Python's own report
            print(f"site-gen: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
        finally:
            os._exit(status)
    try:
        yield
    finally:
        _, status = os.waitpid(process, 0)
    if status:
        raise RuntimeError(f"{getattr(function, '__qualname__', 'work')} failed in its own process (see above)")
