"""AWS errors become one line saying what to do."""

from __future__ import annotations

import pytest
from botocore.exceptions import (
    ClientError,
    EndpointConnectionError,
    InvalidRegionError,
    NoCredentialsError,
    NoRegionError,
    ProfileNotFound,
    SSLError,
)

from phalanx.deploy.errors import DeployError, explain


def _client_error(code: str, message: str, operation: str = "CreateChangeSet") -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": message}}, operation)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        pytest.param(
            ClientError(
                {
                    "Error": {
                        "Code": "NoSuchBucket",
                        "Message": "The specified bucket does not exist",
                        "BucketName": "my-code",
                    }
                },
                "PutObject",
            ),
            "bucket my-code does not exist: create it (aws s3 mb s3://my-code) or pass another "
            "--s3-bucket (PutObject)",
            id="no-bucket",
        ),
        pytest.param(
            _client_error(
                "NoSuchBucket", "The specified bucket does not exist", "GetBucketLocation"
            ),
            "the bucket does not exist: create it (aws s3 mb) or pass another "
            "--s3-bucket (GetBucketLocation)",
            id="no-bucket-unnamed",
        ),
        pytest.param(
            _client_error("AccessDenied", "not authorized to perform: iam:CreateRole"),
            "missing permission: not authorized to perform: iam:CreateRole; grant it to the "
            "caller (phalanx names the caller at the start of provision) or use another "
            "--profile (CreateChangeSet)",
            id="permission",
        ),
        pytest.param(
            _client_error(
                "ValidationError",
                "Stack:arn:x is in ROLLBACK_COMPLETE state and can not be updated.",
            ),
            "Stack:arn:x is in ROLLBACK_COMPLETE state and can not be updated.: the stack failed "
            "to create; run phalanx delete, then provision again",
            id="failed-stack",
        ),
        pytest.param(
            _client_error(
                "ValidationError",
                "Stack:arn:x is in UPDATE_ROLLBACK_FAILED state and can not be updated.",
            ),
            "Stack:arn:x is in UPDATE_ROLLBACK_FAILED state and can not be updated.: run aws "
            "cloudformation continue-update-rollback --stack-name STACK (add --resources-to-skip "
            "for resources that cannot roll back), then provision again",
            id="stuck-rollback",
        ),
        pytest.param(
            _client_error("PermanentRedirect", "redirect", "PutObject"),
            "the bucket is in another region: pass that region with --region (PutObject)",
            id="wrong-region",
        ),
        pytest.param(
            _client_error("ValidationError", "Stack with id s does not exist", "DescribeStacks"),
            "Stack with id s does not exist: provision it first, or check --stack-name and "
            "--region",
            id="no-stack",
        ),
        pytest.param(
            _client_error("Weird", "something odd"),
            "Weird (CreateChangeSet): something odd",
            id="unknown-code",
        ),
        pytest.param(
            NoCredentialsError(),
            "no AWS credentials found: set AWS_PROFILE or pass --profile, or configure "
            "credentials (aws configure)",
            id="no-credentials",
        ),
        pytest.param(
            NoRegionError(), "no AWS region: pass --region or set AWS_REGION", id="no-region"
        ),
        pytest.param(
            ProfileNotFound(profile="x"),
            "The config profile (x) could not be found: check --profile against ~/.aws/config",
            id="no-profile",
        ),
        pytest.param(
            EndpointConnectionError(endpoint_url="http://127.0.0.1:1"),
            'cannot reach AWS (Could not connect to the endpoint URL: "http://127.0.0.1:1"): '
            "check the network, --region and --endpoint-url",
            id="unreachable",
        ),
        pytest.param(
            ClientError(
                {
                    "Error": {"Code": "PermanentRedirect", "Message": "redirect"},
                    "ResponseMetadata": {"HTTPHeaders": {"x-amz-bucket-region": "eu-west-3"}},
                },
                "PutObject",
            ),
            "the bucket is in eu-west-3: pass --region eu-west-3 (PutObject)",
            id="wrong-region-named",
        ),
        pytest.param(
            InvalidRegionError(region_name="us east"),
            "Provided region_name 'us east' doesn't match a supported format.: check --region "
            "(e.g. us-east-1)",
            id="bad-region",
        ),
        pytest.param(
            SSLError(endpoint_url="https://127.0.0.1:5123", error="wrong version number"),
            "cannot reach AWS (SSL validation failed for https://127.0.0.1:5123 wrong version "
            "number): check the network, --region and --endpoint-url",
            id="https-on-http-port",
        ),
        pytest.param(DeployError("as is"), "as is", id="ours"),
    ],
)
def test_explain_gives_one_line_with_what_to_do(error: Exception, expected: str) -> None:
    text = explain(error)
    assert text == expected
    assert "\n" not in text
