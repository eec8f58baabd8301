"""`phalanx validate`: check ASL files, Python modules and CloudFormation templates.

    phalanx validate [--format text|json|jsonl] [--type STANDARD|EXPRESS] FILE...

Text output reads like a compiler's, one line per diagnostic::

    flow.asl.json:12:7: error MISSING_TRANSITION_TARGET /States/checkRoll/Default: ...

Exit status: 0 when every machine is OK, 1 when any FAILs, 2 on unusable
input (missing file, unreadable module, text that is not JSON, a file
holding no state machine).

`phalanx.loading` reads the files, `phalanx.validation` judges them; this
module prints.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from phalanx.cli.problems import EXIT_OK, EXIT_UNUSABLE, failure_status
from phalanx.errors import LoadError
from phalanx.loading import load_sources
from phalanx.loading.report import record, render_records, render_text, summary
from phalanx.validation import ValidationResult, validate


@click.command("validate")
@click.argument("files", nargs=-1, required=True)
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json", "jsonl"]),
    default="text",
    show_default=True,
    help="text: one line per diagnostic; json: the AWS-shaped result; "
    'jsonl: one result per line with a "file" field.',
)
@click.option(
    "--type",
    "machine_type",
    type=click.Choice(["STANDARD", "EXPRESS"], case_sensitive=False),
    help="Machine type; EXPRESS forbids .sync and .waitForTaskToken integrations  "
    "[default: the machine's declared type, else STANDARD]",
)
@click.option(
    "--ignore", multiple=True, metavar="CODE", help="Silence a warning code (repeatable)."
)
@click.option(
    "--severity",
    type=click.Choice(["ERROR", "WARNING"]),
    default="WARNING",
    show_default=True,
    help="ERROR hides warnings.",
)
@click.option(
    "--placeholders/--no-placeholders",
    default=True,
    show_default=True,
    help="Treat ${...} deploy-time substitutions as valid values.",
)
def validate_command(
    files: tuple[str, ...],
    output: str,
    machine_type: str | None,
    ignore: tuple[str, ...],
    severity: str,
    placeholders: bool,
) -> None:
    """Check state machine definitions as AWS would, before you deploy them."""
    status = EXIT_OK
    records: list[dict[str, Any]] = []
    results: list[ValidationResult] = []
    for path in files:
        try:
            sources = load_sources(path, placeholders=placeholders)
        except LoadError as error:
            click.echo(str(error), err=True)
            status = EXIT_UNUSABLE
            continue
        for source in sources:
            result = validate(
                source.definition,
                # --type wins; else the type the machine (or its template) declares.
                machine_type=(machine_type or source.machine_type).upper(),
                severity="ERROR" if severity == "ERROR" else "WARNING",
                ignore=ignore,
                placeholders=source.placeholders,
                max_results=10_000,
            )
            results.append(result)
            if not result.ok:
                status = max(status, failure_status(result.diagnostics))
            if output == "text":
                for line in render_text(source, result.diagnostics):
                    click.echo(line)
            else:
                records.append(record(source, result))
    if output != "text":
        text = render_records(records, output)
        if text:
            click.echo(text)
    elif results:
        # Nothing was checked when every file was unusable: no count to give.
        click.echo(summary(results), err=True)
    sys.exit(status)


if __name__ == "__main__":  # pragma: no cover
    validate_command()
