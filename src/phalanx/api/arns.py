"""Step Functions ARNs and resource names: build them, read them, refuse bad ones as AWS does.

arn:aws:states:us-east-1:123456789012:stateMachine:orders          a state machine
arn:aws:states:us-east-1:123456789012:stateMachine:orders:3        its version 3
arn:aws:states:us-east-1:123456789012:stateMachine:orders:PROD     its alias PROD
arn:aws:states:us-east-1:123456789012:stateMachine:orders/label    a Distributed Map state
arn:aws:states:us-east-1:123456789012:activity:approve             an activity
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from phalanx.api.errors import invalid_arn, invalid_name, validation

STATE_MACHINE = "stateMachine"
ACTIVITY = "activity"
EXECUTION = "execution"
RESOURCE_TYPES = (STATE_MACHINE, ACTIVITY, EXECUTION, "express", "mapRun")

# Names of machines, activities (and executions): 1-80 characters, none of these (AWS API
# reference, CreateStateMachine `name`): white space, brackets < > { } [ ], wildcards ? *,
# special characters " # % \ ^ | ~ ` $ & , ; : /, control characters U+0000-001F and
# U+007F-009F, U+FFFE-FFFF, surrogates U+D800-DFFF and U+10FFFF.
_FORBIDDEN_IN_NAME = re.compile(
    r"[\s<>{}\[\]?*\"#%\\^|~`$&,;:/\x00-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff\U0010ffff]"
)
# Alias names (the model's CharacterRestrictedName): letters, digits, _ - . and not only
# digits, so that an alias ARN never reads as a version ARN.
ALIAS_NAME_PATTERN = r"^(?=.*[a-zA-Z_\-\.])[a-zA-Z0-9_\-\.]+$"
_VERSION = re.compile(r"[1-9][0-9]*")


@dataclass(frozen=True, slots=True)
class Arn:
    """A Step Functions ARN, read: `qualifier` is a version number, an alias or None."""

    partition: str
    region: str
    account: str
    resource_type: str
    name: str
    qualifier: str | None = None
    label: str | None = None

    @property
    def base(self) -> str:
        """The ARN of the unqualified resource (the machine of a version or alias)."""
        return build(self.region, self.account, self.resource_type, self.name, self.partition)

    @property
    def is_version(self) -> bool:
        return self.qualifier is not None and _VERSION.fullmatch(self.qualifier) is not None

    @property
    def is_alias(self) -> bool:
        return self.qualifier is not None and not self.is_version


def build(region: str, account: str, resource_type: str, name: str, partition: str = "aws") -> str:
    return f"arn:{partition}:states:{region}:{account}:{resource_type}:{name}"


def parse(arn: str, *allowed: str) -> Arn:
    """Read `arn`, whose resource type must be one of `allowed`; else AWS's InvalidArn."""
    parts = arn.split(":")
    if len(parts) < 7 or parts[0] != "arn" or parts[2] != "states" or not parts[6]:
        raise invalid_arn(f"Invalid ARN prefix: {arn}")
    _, partition, _, region, account, resource_type, *rest = parts
    if resource_type not in allowed:
        raise invalid_arn(f"Resource type not valid in this context: {resource_type}")
    name, label = rest[0], None
    if "/" in name:
        name, label = name.split("/", 1)
    qualifier = rest[1] if len(rest) > 1 else None
    if len(rest) > 2 or qualifier == "" or not name:
        raise invalid_arn(f"Invalid ARN: {arn}")
    return Arn(partition, region, account, resource_type, name, qualifier, label)


def state_machine(arn: str, *, version: bool = False, alias: bool = False) -> Arn:
    """A state machine ARN; a version or alias qualifier only where the operation allows it.

    Map-state labels (`machine/label`) are refused with ValidationException, as
    AWS does for every operation but DescribeStateMachine.
    """
    parsed = parse(arn, STATE_MACHINE)
    if parsed.label is not None:
        raise validation(f"Qualified state machine ARNs with a label are not supported here: {arn}")
    if parsed.is_version and not version:
        raise validation(f"A state machine version ARN is not valid here: {arn}")
    if parsed.is_alias and not alias:
        raise validation(f"A state machine alias ARN is not valid here: {arn}")
    return parsed


def require_name(name: str) -> str:
    """A machine or activity name AWS accepts, or InvalidName quoting it."""
    if _FORBIDDEN_IN_NAME.search(name):
        raise invalid_name(name)
    return name


def require_role_arn(arn: str) -> str:
    """An IAM role ARN in shape (any account; local runs assume no role)."""
    parts = arn.split(":")
    if len(parts) < 6 or parts[0] != "arn" or not parts[5]:
        raise invalid_arn(f"Invalid ARN prefix: {arn}")
    return arn
