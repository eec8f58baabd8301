"""The Step Functions API over AWS's JSON 1.0 protocol, served from the store.

boto3, the AWS CLI and the JavaScript SDK talk to it unchanged with only the
endpoint set; any credentials are accepted::

    phalanx serve --port 8083
    boto3.client("stepfunctions", endpoint_url="http://127.0.0.1:8083",
                 region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")

`protocol` turns one HTTP request into one reply; `dispatch` holds the table of
operations, whose handlers live one family per module (`machines`, `versions`,
`aliases`, `activities`, `tags`, `definitions`); `server` runs it all.
"""

from __future__ import annotations

from phalanx.api.context import Service
from phalanx.api.dispatch import OPERATIONS
from phalanx.api.server import ApiServer, serve

__all__ = ["OPERATIONS", "ApiServer", "Service", "serve"]
