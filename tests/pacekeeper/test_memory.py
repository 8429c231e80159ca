"""Deferring the cyclic garbage collector (pacekeeper.memory)."""

import gc
import threading

import pytest

from pacekeeper.memory import collection_deferred


def test_the_collector_waits_inside_and_collects_again_after():
    assert gc.isenabled()
    with collection_deferred():
        assert not gc.isenabled()
        with collection_deferred():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer one still runs
    assert gc.isenabled()


def test_an_error_inside_still_lets_it_collect_again():
    with pytest.raises(ValueError), collection_deferred():
        raise ValueError
    assert gc.isenabled()


def test_it_collects_again_only_when_the_last_thread_is_out():
    inside, leave = threading.Event(), threading.Event()

    def other():
        with collection_deferred():
            inside.set()
            leave.wait(5)

    thread = threading.Thread(target=other)
    thread.start()
    inside.wait(5)
    with collection_deferred():
        pass
    assert not gc.isenabled()  # the other thread is still inside
    leave.set()
    thread.join(5)
    assert gc.isenabled()


def test_a_collector_turned_off_before_stays_off():
    gc.disable()
    try:
        with collection_deferred():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
