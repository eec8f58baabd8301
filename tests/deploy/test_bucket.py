"""The code bucket: its region from HeadBucket, and no permission asked that is not needed.

A scripted S3 client stands in for a caller whose policy allows only
HeadBucket, HeadObject (s3:GetObject) and PutObject: moto grants everything.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from phalanx.deploy import provision
from phalanx.deploy.aws import Connection
from phalanx.deploy.errors import DeployError
from phalanx.deploy.package import Package
from phalanx.deploy.progress import StepLog


def _error(code: str, operation: str, region: str | None = None) -> ClientError:
    headers = {"x-amz-bucket-region": region} if region else {}
    return ClientError(
        {
            "Error": {"Code": code, "Message": code},
            "ResponseMetadata": {"HTTPHeaders": headers},
        },
        operation,
    )


class NarrowS3:
    """Allows HeadBucket, HeadObject and PutObject; denies everything else."""

    def __init__(self, region: str = "us-east-1", head_error: ClientError | None = None) -> None:
        self.region = region
        self.head_error = head_error
        self.put: list[str] = []

    def head_bucket(self, Bucket: str) -> dict[str, Any]:
        if self.head_error is not None:
            raise self.head_error
        return {"ResponseMetadata": {"HTTPHeaders": {"x-amz-bucket-region": self.region}}}

    def head_object(self, Bucket: str, Key: str) -> dict[str, Any]:
        if Key in self.put:
            return {}
        raise _error("404", "HeadObject")

    def put_object(self, Bucket: str, Key: str, **_: Any) -> dict[str, Any]:
        self.put.append(Key)
        return {}

    def get_bucket_location(self, **_: Any) -> dict[str, Any]:
        raise _error("AccessDenied", "GetBucketLocation")

    def get_bucket_versioning(self, **_: Any) -> dict[str, Any]:
        raise _error("AccessDenied", "GetBucketVersioning")

    def list_objects_v2(self, **_: Any) -> dict[str, Any]:
        raise _error("AccessDenied", "ListObjectsV2")


def _conn(s3: NarrowS3) -> Connection:
    return Connection(region="us-east-1", clients={"s3": s3})


def test_a_caller_without_location_versioning_or_listing_rights_still_uploads() -> None:
    s3 = NarrowS3()
    lines: list[str] = []
    log = StepLog(lines.append, lambda: 0.0)
    provision._check_bucket(_conn(s3), "b", "us-east-1", log)
    package = Package(b"zip", "ab" * 32, {}, (), None)
    provision._upload(_conn(s3), "b", "k.zip", package, log, dry_run=False)
    provision._upload(_conn(s3), "b", "k.zip", package, log, dry_run=False)
    text = "\n".join(lines)
    assert "s3://b in us-east-1, versioning unknown (no s3:GetBucketVersioning)" in text
    assert s3.put == ["k.zip"]
    assert "s3://b/k.zip unchanged, not uploaded" in text


def test_the_region_comes_from_head_bucket() -> None:
    with pytest.raises(DeployError, match="bucket b is in eu-west-3, the stack in us-east-1"):
        provision._check_bucket(
            _conn(NarrowS3("eu-west-3")), "b", "us-east-1", StepLog(print, lambda: 0.0)
        )


def test_a_redirect_names_the_bucket_region() -> None:
    s3 = NarrowS3(head_error=_error("301", "HeadBucket", region="ap-south-1"))
    assert provision.bucket_region(_conn(s3), "b") == "ap-south-1"


def test_a_bucket_the_caller_may_not_use_says_which_permissions() -> None:
    s3 = NarrowS3(head_error=_error("403", "HeadBucket", region="us-east-1"))
    with pytest.raises(DeployError) as raised:
        provision.bucket_region(_conn(s3), "b")
    assert str(raised.value) == (
        "access denied to bucket b (in us-east-1): the caller needs s3:ListBucket, "
        "s3:GetObject and s3:PutObject on it; check --profile and --s3-bucket"
    )


@pytest.mark.parametrize(
    ("region", "url"),
    [
        pytest.param("eu-west-1", "https://b.s3.eu-west-1.amazonaws.com/", id="aws"),
        pytest.param("cn-north-1", "https://b.s3.cn-north-1.amazonaws.com.cn/", id="china"),
    ],
)
def test_a_big_template_url_uses_the_partitions_domain(region: str, url: str) -> None:
    class Sts:
        meta = type("Meta", (), {"region_name": region})

    s3 = NarrowS3(region)
    conn = Connection(region=region, clients={"s3": s3, "sts": Sts()})
    source = provision._template_source(conn, "b", "s", "x" * 60_000)
    assert source["TemplateURL"].startswith(url + "phalanx/s/template-")
    assert s3.put == [source["TemplateURL"].removeprefix(url)]
