"""phalanx.testing, now a package, offers every name it offered as a module, and the new ones."""

from __future__ import annotations

import phalanx.testing
from tests.test_exported_members import _isort_key

BEFORE_THE_PACKAGE = {
    "MockConfigFile",
    "MockError",
    "MockedCall",
    "Mocks",
    "Returns",
    "StateMocks",
    "Throws",
    "assert_path",
}


def test_every_name_of_the_former_module_is_still_there() -> None:
    assert set(phalanx.testing.__all__) >= BEFORE_THE_PACKAGE


def test_all_is_sorted_and_every_name_exists() -> None:
    names = phalanx.testing.__all__
    assert names == sorted(names, key=_isort_key)
    for name in names:
        assert hasattr(phalanx.testing, name), name


def test_coverage_replay_and_mocks_from_history_are_offered() -> None:
    assert {"Coverage", "replay", "mocks_from_history", "mock_config"} <= set(
        phalanx.testing.__all__
    )
