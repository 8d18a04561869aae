"""report/ahead.py: items made on a thread come out in order, with the maker's exception
where it was raised, and a consumer that stops stops the maker."""
from __future__ import annotations

import threading
import time

import pytest

from charterc.report.ahead import read_ahead


def test_the_items_come_out_in_order():
    assert list(read_ahead(iter(range(1000)), depth=3)) == list(range(1000))


def test_the_makers_exception_is_raised_after_the_items_before_it():
    def made():
        yield 1
        yield 2
        raise ValueError("row 3 is not plain")

    got = []
    with pytest.raises(ValueError, match="row 3"):
        for item in read_ahead(made()):
            got.append(item)
    assert got == [1, 2]


def test_a_consumer_that_stops_stops_the_maker():
    made, finished = [], threading.Event()

    def endless():
        try:
            n = 0
            while True:
                made.append(n)
                yield n
                n += 1
        finally:
            finished.set()

    items = read_ahead(endless())
    assert next(items) == 0
    items.close()   # as a `for` left by an exception does
    assert finished.wait(5)
    count = len(made)
    time.sleep(0.1)
    assert len(made) == count <= 3   # nothing more is made, and no more than depth ahead
