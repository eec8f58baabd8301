"""Names that CloudFormation accepts and that don't collide between users."""

from __future__ import annotations

import getpass
import re

_STACK_NAME_MAX = 128  # CloudFormation: [a-zA-Z][-a-zA-Z0-9]*, at most 128 characters


def user_scoped_name(base: str, user: str | None = None) -> str:
    """`base` made unique to the current user and valid as a stack name.

    Like Sparta's `UserScopedStackName`: `user_scoped_name("roll-die")` gives
    `roll-die-alice` for user alice. Characters CloudFormation refuses become
    hyphens; the result starts with a letter and fits in 128 characters.
    """
    if user is None:
        try:
            user = getpass.getuser()
        except (KeyError, OSError):
            user = "user"
    base_part, user_part = _clean(base), _clean(user)
    if not base_part or not base_part[0].isalpha():
        base_part = f"phalanx-{base_part}".rstrip("-")
    suffix = f"-{user_part[: _STACK_NAME_MAX // 2]}" if user_part else ""
    # Cut the base, not the user: two users' names must never collide.
    return base_part[: _STACK_NAME_MAX - len(suffix)].rstrip("-") + suffix


def _clean(text: str) -> str:
    return re.sub(r"-{2,}", "-", re.sub(r"[^A-Za-z0-9-]", "-", text)).strip("-")
