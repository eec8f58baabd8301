"""A smoke test through the JavaScript SDK (`@aws-sdk/client-sfn`), endpoint set, nothing else.

Skipped where node or the package is missing, except in CI (`CI` set), whose
`.ci/run` installs the package in the checkout: there a missing one fails.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.api.conftest import PASS, ROLE
from tests.api.server import RunningServer

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
const sfn = require("@aws-sdk/client-sfn");
const [url, definition, roleArn] = process.argv.slice(1);
const client = new sfn.SFNClient({
  endpoint: url, region: "us-east-1", credentials: {accessKeyId: "x", secretAccessKey: "x"},
});
(async () => {
  const created = await client.send(
    new sfn.CreateStateMachineCommand({name: "from-js", definition, roleArn}));
  const described = await client.send(
    new sfn.DescribeStateMachineCommand({stateMachineArn: created.stateMachineArn}));
  let error = null;
  try {
    await client.send(new sfn.DescribeStateMachineCommand(
      {stateMachineArn: created.stateMachineArn + "-absent"}));
  } catch (e) {
    error = {name: e.name, modelled: e instanceof sfn.StateMachineDoesNotExist};
  }
  console.log(JSON.stringify({
    arn: created.stateMachineArn,
    dateIsDate: created.creationDate instanceof Date,
    definition: described.definition,
    error,
  }));
})().catch((e) => { console.error(e); process.exit(1); });
"""


def _node() -> str:
    missing = pytest.fail if os.environ.get("CI") else pytest.skip
    node = shutil.which("node")
    if node is None:
        missing("node is not installed")
    assert node is not None
    found = subprocess.run(
        [node, "-e", "require.resolve('@aws-sdk/client-sfn')"], cwd=ROOT, capture_output=True
    )
    if found.returncode != 0:
        missing("@aws-sdk/client-sfn is not installed (npm install @aws-sdk/client-sfn)")
    return node


def test_the_javascript_sdk_creates_describes_and_gets_modelled_errors(
    server: RunningServer,
) -> None:
    node = _node()
    result = subprocess.run(
        [node, "-e", SCRIPT, server.url, PASS, ROLE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["arn"].endswith(":stateMachine:from-js")
    assert answer["dateIsDate"] is True
    assert answer["definition"] == PASS
    assert answer["error"] == {"name": "StateMachineDoesNotExist", "modelled": True}
