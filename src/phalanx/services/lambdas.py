"""Lambda functions not declared locally, invoked in AWS (or an emulator) through boto3.

The local invoker runs the functions the run declares; one it does not
know is invoked with Lambda's Invoke API instead, when the run may call
AWS. The answer is the same `LambdaResponse` either way, so the engine
shapes `lambda:invoke` results and function-ARN results as it always does.
"""

from __future__ import annotations

import json

from phalanx.engine.effects import InvokeLambda, LambdaResponse
from phalanx.runtime.lambdas import Invoker
from phalanx.services.clients import Connection
from phalanx.services.failures import failure


class AwsFallbackInvoker:
    """`local` first; a function it does not have is invoked through `connection`."""

    def __init__(self, local: Invoker, connection: Connection) -> None:
        self.local = local
        self.connection = connection

    def invoke(self, request: InvokeLambda) -> LambdaResponse:
        response = self.local.invoke(request)
        if not response.not_found:
            return response
        client = self.connection.client("lambda")
        try:
            answer = client.invoke(
                FunctionName=request.function,
                Payload=json.dumps(request.payload).encode(),
                LogType="Tail",
            )
        except Exception as error:
            if type(error).__name__ == "ResourceNotFoundException":
                return response
            failed = failure(error, "Lambda", sdk=False, service="AWSLambda")
            return LambdaResponse(error=failed.error, cause=failed.cause)
        payload = answer["Payload"].read().decode("utf-8", errors="replace") or "null"
        meta = answer.get("ResponseMetadata", {})
        return LambdaResponse(
            payload=payload,
            function_error=answer.get("FunctionError"),
            request_id=str(meta.get("RequestId", response.request_id)),
            executed_version=str(answer.get("ExecutedVersion", "$LATEST")),
        )
