"""RedriveExecution client tokens kept in the store: the last 10, for 15 minutes."""

from __future__ import annotations

from pathlib import Path

from phalanx.store import Database, redrive_tokens

ARN = "arn:aws:states:us-east-1:123456789012:execution:m:e1"
WINDOW = 900.0


def _remember(db: Database, token: str, when: float) -> None:
    with db.atomic() as connection:
        redrive_tokens.remember(connection, ARN, token, when, keep=10, since=when - WINDOW)


def _answered(db: Database, token: str, now: float, arn: str = ARN) -> float | None:
    with db.atomic(write=False) as connection:
        return redrive_tokens.answered(connection, arn, token, now - WINDOW)


def test_a_token_answers_its_redrive_date_for_its_execution_only(tmp_path: Path) -> None:
    with Database.open(tmp_path / "phalanx.db") as db:
        _remember(db, "once", 100.0)
        assert _answered(db, "once", 200.0) == 100.0
        assert _answered(db, "once", 200.0, ARN.replace("e1", "e2")) is None
        assert _answered(db, "never", 200.0) is None


def test_a_token_answers_for_fifteen_minutes(tmp_path: Path) -> None:
    with Database.open(tmp_path / "phalanx.db") as db:
        _remember(db, "once", 100.0)
        assert _answered(db, "once", 100.0 + WINDOW) == 100.0
        assert _answered(db, "once", 100.0 + WINDOW + 1) is None


def test_only_the_last_ten_tokens_of_an_execution_answer(tmp_path: Path) -> None:
    with Database.open(tmp_path / "phalanx.db") as db:
        for number in range(11):
            _remember(db, f"token-{number}", 100.0 + number)
        assert _answered(db, "token-0", 120.0) is None
        assert [_answered(db, f"token-{n}", 120.0) for n in (1, 10)] == [101.0, 110.0]
