from __future__ import annotations

from phalanx.runtime import clock
from phalanx.runtime.clock import RealClock, VirtualClock


def test_virtual_clock_moves_only_when_sleeping() -> None:
    virtual = VirtualClock(start=100.0)
    assert virtual.now() == 100.0
    virtual.sleep(3600)
    assert virtual.now() == 3700.0


def test_sleep_uses_the_clock_of_the_current_context() -> None:
    virtual = VirtualClock(start=0.0)
    with clock.using(virtual):
        clock.sleep(42)
    assert virtual.now() == 42.0
    assert isinstance(clock.current(), RealClock)
