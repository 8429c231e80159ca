"""The serving process's memory settings (pacekeeper.process)."""

import gc

from pacekeeper.process import YOUNG_OBJECTS, settled


def test_a_settled_process_freezes_what_is_loaded_and_collects_young_objects_less_often():
    before = gc.get_threshold()
    with settled():
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (YOUNG_OBJECTS, *before[1:])
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
