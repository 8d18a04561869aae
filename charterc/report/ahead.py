"""Reading ahead: the next batch of a file is read and parsed on a thread while the one
before it is measured.

Both sides spend most of their time in Arrow and numpy, which let go of the GIL, so on a
machine with two cores they overlap. The batches, and an exception the reader raises
(`Irregular`, `UnreadableFile`), come out in the order the reader made them; a consumer
that stops early (an exception of its own, a closed generator) stops the reader too.
"""
from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TypeVar

__all__ = ["read_ahead"]

T = TypeVar("T")

_DONE = object()


def read_ahead(items: Iterator[T], depth: int = 1) -> Iterator[T]:
    """`items`, each made on a thread while the one before it is used (`depth` made ahead
    at most)."""
    ready: queue.Queue[tuple[bool, object]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                if not _put(ready, stop, (True, item)):
                    return
            _put(ready, stop, (True, _DONE))
        except BaseException as exc:   # handed to the consumer, raised there
            _put(ready, stop, (False, exc))
        finally:
            close = getattr(items, "close", None)
            if close is not None:   # a generator's own clean-up runs now, on this thread
                close()

    worker = threading.Thread(target=produce, name="charterc-read-ahead", daemon=True)
    worker.start()
    try:
        while True:
            ok, item = ready.get()
            if not ok:
                assert isinstance(item, BaseException)
                raise item
            if item is _DONE:
                return
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        worker.join()


def _put(ready: queue.Queue[tuple[bool, object]], stop: threading.Event,
         entry: tuple[bool, object]) -> bool:
    """Put `entry` once there is room; False if the consumer has stopped first."""
    while not stop.is_set():
        try:
            ready.put(entry, timeout=0.05)
            return True
        except queue.Full:
            continue
    return False
