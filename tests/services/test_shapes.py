"""Requests and responses between Step Functions' shapes and boto3's."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest

from phalanx.services.shapes import conform, json_text, sdk_metadata, serialise


@pytest.fixture(scope="module")
def s3() -> Any:
    import boto3

    return boto3.Session(region_name="us-east-1").client("s3").meta.service_model


@pytest.fixture(scope="module")
def apigateway() -> Any:
    import boto3

    return boto3.Session(region_name="us-east-1").client("apigateway").meta.service_model


def test_pascal_case_parameters_find_camel_case_members(apigateway: Any) -> None:
    shape = apigateway.operation_model("GetResource").input_shape
    assert conform({"RestApiId": "a1", "ResourceId": "r1"}, shape) == {
        "restApiId": "a1",
        "resourceId": "r1",
    }


def test_responses_capitalise_members_and_keep_map_keys(s3: Any) -> None:
    shape = s3.operation_model("HeadObject").output_shape
    moment = datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    response = {"LastModified": moment, "Metadata": {"owner-id": "x"}, "ContentLength": 3}
    assert serialise(response, shape) == {
        "LastModified": "2024-01-02T03:04:05.000Z",
        "Metadata": {"owner-id": "x"},
        "ContentLength": 3,
    }


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        pytest.param(b"text", "text", id="utf8-blob-as-text"),
        pytest.param(b"\xff\x00", "/wA=", id="binary-blob-as-base64"),
        pytest.param(io.BytesIO(b'{"a": 1}'), '{"a": 1}', id="streaming-body"),
    ],
)
def test_blobs_become_text_or_base64(value: Any, shown: str) -> None:
    assert serialise(value) == shown


def test_json_fields_are_sent_as_compact_json_text() -> None:
    assert (json_text({"a": [1, 2]}), json_text("as is")) == ('{"a":[1,2]}', "as is")


def test_sdk_metadata_comes_from_the_response_metadata() -> None:
    metadata = sdk_metadata(
        {
            "ResponseMetadata": {
                "RequestId": "r-1",
                "HTTPStatusCode": 200,
                "HTTPHeaders": {"content-type": "application/x-amz-json-1.0"},
            }
        }
    )
    assert metadata == {
        "SdkHttpMetadata": {
            "AllHttpHeaders": {"content-type": ["application/x-amz-json-1.0"]},
            "HttpHeaders": {"content-type": "application/x-amz-json-1.0"},
            "HttpStatusCode": 200,
        },
        "SdkResponseMetadata": {"RequestId": "r-1"},
    }
