"""The recorder: subscribers see finished executions; with none, nothing is built."""

from __future__ import annotations

from phalanx import Pass, StateMachine
from phalanx.runtime.recorder import Recorded, publish, subscribe

MACHINE = StateMachine.of(Pass("P"))


def _record() -> Recorded:
    return Recorded(MACHINE, "SUCCEEDED", (), ())


def test_without_subscribers_the_record_is_never_built() -> None:
    built: list[Recorded] = []

    def record() -> Recorded:
        built.append(_record())
        return built[-1]

    publish(record)
    assert built == []


def test_every_subscriber_sees_one_record_until_it_unsubscribes() -> None:
    seen: list[Recorded] = []
    unsubscribe = subscribe(seen.append)
    publish(_record)
    unsubscribe()
    publish(_record)
    assert [r.status for r in seen] == ["SUCCEEDED"]
