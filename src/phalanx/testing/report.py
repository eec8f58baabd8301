"""Coverage reports written to files: JSON (the numbers) and HTML (a table per machine)."""

from __future__ import annotations

import html
import json
from pathlib import Path

from phalanx.testing.coverage import Coverage, MachineCoverage

REPORT_KINDS = ("json", "html")


def parse_report(spec: str) -> tuple[str, Path]:
    """`json:FILE` or `html:DIR` as (kind, path); `ValueError` naming what is expected."""
    kind, _, where = spec.partition(":")
    if kind not in REPORT_KINDS or not where:
        raise ValueError(f"{spec!r}: expected json:FILE or html:DIR")
    return kind, Path(where)


def write_report(coverage: Coverage, kind: str, where: Path) -> Path:
    """Write one report; returns the file written (`DIR/index.html` for html)."""
    if kind == "json":
        where.parent.mkdir(parents=True, exist_ok=True)
        where.write_text(json.dumps(coverage.to_dict(), indent=2) + "\n", encoding="utf-8")
        return where
    where.mkdir(parents=True, exist_ok=True)
    target = where / "index.html"
    target.write_text(html_page(coverage), encoding="utf-8")
    return target


def _machine_html(machine: MachineCoverage) -> str:
    rows = "\n".join(
        f'<tr class="{"covered" if item.covered else "missed"}"><td>{html.escape(item.state)}'
        f"</td><td>{html.escape(item.label)}</td><td>{item.verdict}</td></tr>"
        for item in machine.items
    )
    return (
        f"<h2>{html.escape(machine.name)}: {machine.covered}/{machine.total} "
        f"({machine.percent:.1f}%)</h2>\n"
        f"<table><tr><th>state</th><th>item</th><th></th></tr>\n{rows}\n</table>"
    )


def html_page(coverage: Coverage) -> str:
    """A page with one table per machine; what no test reached is marked."""
    body = "\n".join(_machine_html(machine) for machine in coverage.machines)
    return (
        '<!doctype html>\n<html><head><meta charset="utf-8"><title>phalanx coverage</title>\n'
        "<style>body{font-family:sans-serif} td,th{padding:2px 8px;text-align:left}"
        " .missed{background:#fdd} .covered{background:#dfd}</style></head><body>\n"
        f"<h1>phalanx coverage: {coverage.covered}/{coverage.total} "
        f"({coverage.percent:.1f}%)</h1>\n{body}\n</body></html>\n"
    )
