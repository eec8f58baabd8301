"""Refresh the in-repository corpora (tests/data/<corpus>/) from a shared copy.

    python tests/data/refresh.py [--check] [SHARED]

SHARED defaults to `shared/` beside the checkout (`make corpora`). The corpora
are measurement data, so every file is copied byte for byte. A case is left
out only when a repository it was taken from is not known here to allow
redistribution (`LICENCES`, checked by hand at each corpus's source commit;
see tests/data/README.md): the rule looks at a case's source repositories,
never at its name or content. With `--check`, nothing is written and the exit
status says whether tests/data already holds what a refresh would write.

Standard library only: it runs before any virtualenv exists.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent
REPOSITORY = DATA.parents[1]
DEFAULT_SHARED = REPOSITORY.parent / "shared"

CORPORA = ("conformance", "validation", "realworld")
# Files of a corpus folder besides cases/. The validation corpus's
# peer_results.json (other validators' verdicts) is read by no test or bench.
CORPUS_FILES = ("README.md", "index.json")

REDISTRIBUTABLE = frozenset({"Apache-2.0", "MIT", "MIT-0"})

# SPDX identifier of every source repository, read from its LICENSE at the
# commit the corpus records. A repository missing here counts as unknown.
LICENCES: dict[str, str] = {
    # conformance and validation
    "localstack/localstack": "Apache-2.0",
    # validation
    "awslabs/statelint": "Apache-2.0",
    "taro-kayo/statelint": "Apache-2.0",
    "wmfs/statelint": "MIT",
    "aws/amazon-states-language-service": "MIT",
    "aws-cloudformation/cfn-lint": "MIT-0",
    "ChristopheBougere/asl-validator": "Apache-2.0",
    # realworld
    "aws-samples/step-functions-workflows-collection": "MIT-0",
    "aws-samples/serverless-patterns": "MIT-0",
    "aws-samples/aws-stepfunctions-examples": "MIT-0",
    "aws-samples/the-aws-step-functions-workshop": "MIT-0",  # sample code; prose not used
    "aws-samples/serverless-test-samples": "MIT-0",
    "aws-samples/serverless-coffee": "MIT-0",
    "aws-samples/serverless-samples": "MIT-0",
    "aws-samples/aws-step-functions-long-lived-transactions": "MIT-0",
    "aws-samples/aws-step-functions-plagiarism-demo-dotnet": "MIT-0",
    "aws-samples/aws-control-tower-account-setup-using-step-functions": "MIT-0",
    "aws-samples/aws-stepfunctions-ecs-fargate-process": "MIT-0",
    "aws/aws-sam-cli-app-templates": "Apache-2.0",
    "aws-samples/aws-codepipeline-stepfunctions": "Apache-2.0",
    "aws-solutions/aws-control-tower-customizations": "Apache-2.0",
    "aws-solutions/network-orchestration-for-aws-transit-gateway": "Apache-2.0",
    "terraform-aws-modules/terraform-aws-step-functions": "Apache-2.0",
}


def source_repositories(case: Any) -> frozenset[str]:
    """Every `owner/name` a case was taken from, as its corpus records it.

    conformance and realworld: `source.repo`; validation: `source` and each
    `sources[].source`, written `owner/name:path`.
    """
    if not isinstance(case, dict):
        return frozenset()
    found: set[str] = set()
    source = case.get("source")
    if isinstance(source, dict) and isinstance(source.get("repo"), str):
        found.add(source["repo"])
    elif isinstance(source, str):
        found.add(source.split(":", 1)[0])
    for entry in case.get("sources") or ():
        if isinstance(entry, dict) and isinstance(entry.get("source"), str):
            found.add(entry["source"].split(":", 1)[0])
    return frozenset(found)


def refused_repositories(case: Any) -> frozenset[str]:
    """The case's source repositories whose licence does not allow copying it.

    A case with no recorded source is refused as a whole (its licence is unknown).
    """
    repositories = source_repositories(case)
    if not repositories:
        return frozenset({"<no recorded source>"})
    return frozenset(r for r in repositories if LICENCES.get(r) not in REDISTRIBUTABLE)


@dataclass(frozen=True, slots=True)
class Plan:
    """What a refresh of one corpus copies and what it leaves out."""

    corpus: str
    files: tuple[Path, ...]  # relative to the corpus folder
    left_out: Counter[str]  # refused repository -> cases left out


def plan(shared: Path, corpus: str) -> Plan:
    folder = shared / corpus
    files = [Path(name) for name in CORPUS_FILES]
    left_out: Counter[str] = Counter()
    for path in sorted((folder / "cases").glob("*.json")):
        refused = refused_repositories(json.loads(path.read_bytes()))
        if refused:
            left_out.update(refused)
        else:
            files.append(path.relative_to(folder))
    return Plan(corpus, tuple(files), left_out)


def differences(shared: Path, target: Path, corpus_plan: Plan) -> list[str]:
    """Files of `target` that differ from what a refresh would write (empty: up to date)."""
    source = shared / corpus_plan.corpus
    destination = target / corpus_plan.corpus
    wanted = set(corpus_plan.files)
    present = {path.relative_to(destination) for path in destination.rglob("*") if path.is_file()}
    found = [f"extra {destination / p}" for p in sorted(present - wanted)]
    for relative in corpus_plan.files:
        copy = destination / relative
        if not copy.is_file():
            found.append(f"missing {copy}")
        elif copy.read_bytes() != (source / relative).read_bytes():
            found.append(f"differs {copy}")
    return found


def write(shared: Path, target: Path, corpus_plan: Plan) -> None:
    destination = target / corpus_plan.corpus
    if destination.exists():
        shutil.rmtree(destination)
    (destination / "cases").mkdir(parents=True)
    for relative in corpus_plan.files:
        shutil.copyfile(shared / corpus_plan.corpus / relative, destination / relative)


def _summary(corpus_plan: Plan) -> str:
    cases = sum(1 for f in corpus_plan.files if f.parts[0] == "cases")
    line = f"{corpus_plan.corpus}: {cases} cases"
    if corpus_plan.left_out:
        left = ", ".join(
            f"{count} from {repo} ({LICENCES.get(repo, 'licence unknown')})"
            for repo, count in sorted(corpus_plan.left_out.items())
        )
        line += f"; left out by licence: {left}"
    return line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("shared", nargs="?", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--check", action="store_true", help="compare only; write nothing")
    parser.add_argument("--target", type=Path, default=DATA, help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    shared: Path = options.shared
    missing = [f"{c}/cases" for c in CORPORA if not (shared / c / "cases").is_dir()]
    if missing:
        where = f"{shared} has no {', '.join(missing)}" if shared.is_dir() else f"no {shared}"
        print(f"refresh: {where}; nothing to refresh from, tests/data unchanged", file=sys.stderr)
        return 1
    stale: list[str] = []
    for corpus in CORPORA:
        corpus_plan = plan(shared, corpus)
        if options.check:
            stale += differences(shared, options.target, corpus_plan)
        else:
            write(shared, options.target, corpus_plan)
        print(_summary(corpus_plan))
    if stale:
        print("\n".join(stale[:20]), file=sys.stderr)
        print(f"refresh: {len(stale)} file(s) out of date; run `make corpora`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
