"""The optimized integrations Phalanx calls through boto3: which client, operation and names.

Each row is what AWS documents for `arn:aws:states:::<service>:<action>`
("Integrating services with Step Functions"): the API it calls, the prefix
of its errors (`DynamoDB.ConditionalCheckFailedException`,
`SQS.QueueDoesNotExistException`), whether its result carries the Java
SDK's `SdkHttpMetadata`/`SdkResponseMetadata` (DynamoDB, SQS and SNS do, as
recorded against AWS in LocalStack's snapshot tests; EventBridge, Glue,
Athena, Batch, ECS, CodeBuild and Bedrock return the API response alone),
and the parameters it sends as JSON text when given JSON (SQS `MessageBody`,
SNS `Message`, EventBridge `Detail`, Bedrock `Body`).

An optimized integration not in the table (`sagemaker:createTrainingJob`,
`eks:runJob` ...) is called as the API action of the same name, with the
service's own prefix: `Integration.generic`.
"""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True, slots=True)
class Integration:
    """How one optimized integration is called and named."""

    client: str
    operation: str
    prefix: str
    metadata: bool = False
    json_fields: tuple[str, ...] = ()

    @staticmethod
    def generic(service: str, action: str) -> Integration:
        prefix = PREFIXES.get(service, service[:1].upper() + service[1:])
        return Integration(CLIENTS.get(service, service), action[:1].upper() + action[1:], prefix)


CLIENTS = {"states": "stepfunctions", "elasticmapreduce": "emr"}
"""boto3 client names that differ from the integration's service name."""

PREFIXES = {
    "dynamodb": "DynamoDB",
    "sqs": "SQS",
    "sns": "SNS",
    "events": "EventBridge",
    "glue": "Glue",
    "athena": "Athena",
    "batch": "Batch",
    "ecs": "ECS",
    "codebuild": "CodeBuild",
    "bedrock": "Bedrock",
    "lambda": "Lambda",
    "states": "StepFunctions",
    "sagemaker": "SageMaker",
    "elasticmapreduce": "EMR",
    "eks": "EKS",
    "emr-serverless": "EMRServerless",
    "databrew": "DataBrew",
    "glue-databrew": "DataBrew",
}
"""Error prefixes of the optimized integrations, as their documentation names them."""


def _dynamodb(action: str) -> Integration:
    return Integration("dynamodb", action[:1].upper() + action[1:], "DynamoDB", metadata=True)


TABLE: dict[tuple[str, str], Integration] = {
    **{("dynamodb", a): _dynamodb(a) for a in ("getItem", "putItem", "updateItem", "deleteItem")},
    ("sqs", "sendMessage"): Integration(
        "sqs", "SendMessage", "SQS", metadata=True, json_fields=("MessageBody",)
    ),
    ("sns", "publish"): Integration(
        "sns", "Publish", "SNS", metadata=True, json_fields=("Message",)
    ),
    ("events", "putEvents"): Integration("events", "PutEvents", "EventBridge"),
    ("lambda", "invoke"): Integration(
        "lambda", "Invoke", "Lambda", metadata=True, json_fields=("Payload",)
    ),
    ("states", "startExecution"): Integration(
        "stepfunctions", "StartExecution", "StepFunctions", metadata=True, json_fields=("Input",)
    ),
    ("elasticmapreduce", "createCluster"): Integration("emr", "RunJobFlow", "EMR"),
    ("elasticmapreduce", "addStep"): Integration("emr", "AddJobFlowSteps", "EMR"),
    ("elasticmapreduce", "terminateCluster"): Integration("emr", "TerminateJobFlows", "EMR"),
    ("bedrock", "invokeModel"): Integration(
        "bedrock-runtime", "InvokeModel", "Bedrock", json_fields=("Body",)
    ),
}


def integration(service: str, action: str) -> Integration:
    """The row for `service:action`, or the generic one."""
    return TABLE.get((service, action)) or Integration.generic(service, action)
