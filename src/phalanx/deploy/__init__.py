"""Ship a project to AWS: package, CloudFormation template, provision (boto3).

Layers, each usable alone: `package` builds the zip, `template` writes the
stack, `provision`/`stack`/`execute` drive AWS through `aws.Connection`.
boto3 is imported only by `aws`, and only when a command talks to AWS.
"""

from phalanx.deploy.errors import DeployError, explain
from phalanx.deploy.package import Package, build
from phalanx.deploy.template import Built, TemplateContext, build_template, render

__all__ = [
    "Built",
    "DeployError",
    "Package",
    "TemplateContext",
    "build",
    "build_template",
    "explain",
    "render",
]
