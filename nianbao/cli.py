"""The ``nianbao`` command line."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from nianbao.errors import UnreadableDocument
from nianbao.parse import ParsedReport, parse_file

app = typer.Typer(help="China's government information-disclosure annual reports as data.", no_args_is_help=True)


@app.callback()
def main() -> None:
    """nianbao (年报): collect, parse and validate disclosure annual reports."""


def _summary(report: ParsedReport) -> str:
    rules = Counter(f.rule for f in report.findings)
    lines = [
        f"{report.source}",
        f"  organ: {report.organ or '?'}   year: {report.year or '?'}   format: {report.format}"
        + (f"   published: {report.published_at}" if report.published_at else ""),
        f"  layouts: table 2 {report.table2_layout or '-'}, table 3 {report.table3_layout or '-'}"
        f"   figures: {len(report.figures)}",
    ]
    values = report.values()
    headline = [
        ("new applications", "t3.new_received.total"),
        ("processed", "t3.total_processed.total"),
        ("granted", "t3.granted.total"),
        ("reviews", "t4.review.total"),
        ("lawsuits", "t4.litigation_direct.total"),
    ]
    shown = [f"{label} {values[key]}" for label, key in headline if key in values]
    if shown:
        lines.append("  " + ", ".join(shown))
    if rules:
        lines.append("  findings: " + ", ".join(f"{rule} ×{n}" for rule, n in sorted(rules.items())))
        for finding in report.findings[:10]:
            lines.append(f"    [{finding.severity}] {finding.rule}: {finding.message}")
        if len(report.findings) > 10:
            lines.append(f"    … and {len(report.findings) - 10} more (--json lists all)")
    else:
        lines.append("  findings: none")
    return "\n".join(lines)


@app.command()
def parse(
    files: Annotated[list[Path], typer.Argument(help="Report files: HTML, text, DOCX, PDF, DOC/WPS.")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per document per line.")] = False,
    provenance: Annotated[
        bool, typer.Option("--provenance", help="With --json: each figure's raw text and location, and the narrative.")
    ] = False,
) -> None:
    """Parse annual reports into canonical figures and findings.

    Exits 0 when every file was read (with findings or not), 1 when any could not be.
    """
    failed = 0
    for path in files:
        try:
            report = parse_file(path)
        except UnreadableDocument as exc:
            failed += 1
            typer.echo(f"error: {path}: {exc}", err=True)
            continue
        if as_json:
            sys.stdout.write(json.dumps(report.to_json(provenance), ensure_ascii=False) + "\n")
        else:
            typer.echo(_summary(report))
        sys.stdout.flush()
    if failed:
        raise typer.Exit(1)
