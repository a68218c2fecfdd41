"""studio.kernel.memory.gc_paused: the collector is off inside the block and back on after it."""

import gc

import pytest

from studio.kernel.memory import gc_paused


def test_gc_paused_turns_the_collector_back_on_even_after_an_error():
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError), gc_paused():
        assert not gc.isenabled()
        1 / 0  # noqa: B018
    assert gc.isenabled()


def test_gc_paused_leaves_a_collector_that_was_off_off():
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
