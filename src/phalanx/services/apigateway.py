"""`arn:aws:states:::apigateway:invoke`: call an API Gateway stage, signed as Step Functions does.

Not an API action but an HTTP call to `https://<ApiEndpoint>/<Stage>/<Path>`
(developer guide, "Call API Gateway with Step Functions"): `Method`,
`Headers` and `QueryParameters` (each name with a list of values),
`RequestBody` as JSON, and `AuthType`: `NO_AUTH`, or `IAM_ROLE` /
`RESOURCE_POLICY`, signed with Signature Version 4 for `execute-api` with
the run's credentials. The result is `{"Headers", "ResponseBody",
"StatusCode", "StatusText"}` (the body parsed when it is JSON), as recorded
against AWS; a status outside 2xx fails with `ApiGateway.<status>` and that
result as JSON text in the cause.

An `ApiEndpoint` with a scheme is used as given; a loopback host
(`localhost`, `127.0.0.1`) is called over plain HTTP, so a local stand-in
can serve it; any other host over HTTPS.
"""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

from phalanx.engine.effects import CallService, ServiceResponse
from phalanx.services.clients import Connection
from phalanx.services.failures import runtime
from phalanx.services.http import exchange

_LOOPBACK = ("localhost", "127.0.0.1", "[::1]")


def url_of(parameters: dict[str, Any]) -> str:
    """The URL `ApiEndpoint`, `Stage`, `Path` and `QueryParameters` name."""
    endpoint = str(parameters["ApiEndpoint"]).rstrip("/")
    if "://" not in endpoint:
        host = endpoint.split("/", 1)[0].rsplit(":", 1)[0]
        endpoint = ("http://" if host in _LOOPBACK else "https://") + endpoint
    parts = [str(parameters[key]).strip("/") for key in ("Stage", "Path") if parameters.get(key)]
    url = "/".join([endpoint, *parts])
    query = parameters.get("QueryParameters") or {}
    if query:
        url += "?" + urllib.parse.urlencode(
            [(name, value) for name, values in query.items() for value in _listed(values)]
        )
    return url


def _listed(values: Any) -> list[str]:
    return [str(v) for v in values] if isinstance(values, list) else [str(values)]


class ApiGatewayTask:
    """Calls `apigateway:invoke` endpoints with `connection`'s credentials."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def __call__(self, request: CallService) -> ServiceResponse:
        parameters = request.parameters if isinstance(request.parameters, dict) else {}
        if not isinstance(parameters.get("ApiEndpoint"), str):
            return runtime(f"State '{request.state}': apigateway:invoke needs an ApiEndpoint")
        method = str(parameters.get("Method", "GET")).upper()
        url = url_of(parameters)
        headers = {
            str(name): ", ".join(_listed(values))
            for name, values in (parameters.get("Headers") or {}).items()
        }
        body = parameters.get("RequestBody")
        data = None if body is None else json.dumps(body).encode()
        if data is not None:
            headers.setdefault("Content-Type", "application/json")
        if parameters.get("AuthType") in ("IAM_ROLE", "RESOURCE_POLICY"):
            headers = self._signed(method, url, headers, data)
        try:
            reply = exchange(method, url, headers, data)
        except OSError as error:
            return ServiceResponse(
                error="ApiGateway.SdkClientException",
                cause=f"Unable to execute HTTP request: {getattr(error, 'reason', error)}",
            )
        result = reply.shown()
        if not 200 <= reply.status < 300:
            return ServiceResponse(error=f"ApiGateway.{reply.status}", cause=json.dumps(result))
        return ServiceResponse(output=result)

    def _signed(
        self, method: str, url: str, headers: dict[str, str], data: bytes | None
    ) -> dict[str, str]:
        """`headers` with a Signature Version 4 signature for `execute-api`."""
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest

        credentials = self.connection.session.get_credentials()
        if credentials is None:
            return headers
        signed = AWSRequest(method=method, url=url, data=data, headers=headers)
        SigV4Auth(
            credentials.get_frozen_credentials(), "execute-api", self.connection.region
        ).add_auth(signed)
        return dict(signed.headers.items())
