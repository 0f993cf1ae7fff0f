"""The ``nianbao`` command line."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from nianbao.core.errors import UnreadableDocument
from nianbao.core.parse import ParsedReport, parse_file

app = typer.Typer(help="China's government information-disclosure annual reports as data.", no_args_is_help=True)
server_app = typer.Typer(help="The local Prefect server the runs report to, and its UI.", no_args_is_help=True)
db_app = typer.Typer(help="The database's schema.", no_args_is_help=True)
app.add_typer(server_app, name="server")
app.add_typer(db_app, name="db")


def main() -> None:
    """The command line, with the errors a user can act on printed as one line each."""
    from nianbao.flows.server import ServerError
    from nianbao.models.db import DatabaseBusy, SchemaError

    try:
        app(prog_name="nianbao")
    except (SchemaError, DatabaseBusy, ServerError) as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)


@app.callback()
def _root() -> None:
    """nianbao (年报): collect, parse and validate disclosure annual reports."""


def _crawl_line(result: dict) -> str:
    line = (f"{result['site']}: {result['list_pages']} list pages, {result['requests']} requests, "
            f"{result['documents_new']} new and {result['documents_unchanged'] + result['known_skipped']} unchanged "
            f"documents ({result['report_documents']} report documents), {result['failures']} failures"
            f" in {result['seconds']} s")
    for failure in result["failure_list"][:10]:
        line += f"\n  failed {failure['kind']}: {failure['url']}: {failure['reason']}"
    return line


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


def _settings(pairs: list[str]) -> dict[str, object]:
    from nianbao.spiders.settings import overrides

    try:
        return overrides(pairs)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="-s") from exc


def _sites(site_ids: list[str], url: str | None, name: str | None):
    from nianbao.spiders import registry

    try:
        if url:
            if site_ids:
                raise typer.BadParameter("give --site or --url, not both")
            return [registry.for_url(url, name)]
        sites = registry.load()
        if site_ids:
            return [registry.find(site_id) for site_id in site_ids]
        if not sites:
            raise registry.RegistryError(f"the registry {registry.registry_path()} lists no sites")
        return sites
    except registry.RegistryError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc


Sites = Annotated[list[str], typer.Option("--site", help="A registry site id (repeatable); default: every site.")]
Url = Annotated[str | None, typer.Option(help="A portal's annual-report column, or its home page to find the columns from, without a registry entry.")]
Name = Annotated[str | None, typer.Option(help="With --url: the portal's name.")]
Delay = Annotated[float, typer.Option(help="Seconds between requests to a site (AutoThrottle may wait longer).")]
Settings = Annotated[list[str], typer.Option("-s", help="A Scrapy setting, NAME=VALUE (repeatable).")]


@app.command()
def crawl(
    site: Sites = [],
    url: Url = None,
    name: Name = None,
    year: Annotated[int | None, typer.Option(help="Only reports of this year, walking list pages back as far as it needs.")] = None,
    delay: Delay = 1.0,
    refresh: Annotated[bool, typer.Option(help="Download known documents again instead of skipping them.")] = False,
    setting: Settings = [],
    run_id: Annotated[str | None, typer.Option(help="The crawl run's id (one site only).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON summary per site per line.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Scrapy's log at INFO.")] = False,
) -> None:
    """Find and download every annual report on portals, into the raw store and the database."""
    from nianbao.ingest.crawls import crawl as run_crawl
    from nianbao.models.db import prepare, writing

    sites = _sites(site, url, name)
    overrides = {"LOG_LEVEL": "INFO" if verbose else "WARNING", **_settings(setting)}
    prepare()
    with writing() as db:
        results = run_crawl(db, sites, year=year, delay=delay, refresh=refresh, overrides=overrides, run_id=run_id)
    for result in results:
        if as_json:
            sys.stdout.write(json.dumps(result, ensure_ascii=False, default=str) + "\n")
        else:
            typer.echo(_crawl_line(result))
    if any(r["list_pages"] == 0 for r in results):
        raise typer.Exit(1)


_EXPORTS = ("reports", "figures", "findings", "documents", "organs", "coverage")


def _rows(table: str, year: int | None, wide: bool = False) -> list[dict]:
    from nianbao.models import queries
    from nianbao.models.catalog import document_rows
    from nianbao.models.db import session

    query = {"reports": queries.wide_report_rows if wide else queries.report_rows, "figures": queries.figure_rows,
             "findings": queries.finding_rows, "documents": document_rows, "organs": queries.organ_rows,
             "coverage": queries.coverage_rows}
    with session() as db:
        return query[table](db, year)


@app.command()
def export(
    table: Annotated[str, typer.Argument(help="reports, figures, findings, documents, organs or coverage.")],
    fmt: Annotated[str, typer.Option("--format", help="jsonl, csv, xlsx or parquet.")] = "jsonl",
    year: Annotated[int | None, typer.Option(help="Only this reported year.")] = None,
    wide: Annotated[bool, typer.Option("--wide", help="reports only: one row per report, a column per key.")] = False,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="A file instead of standard output.")] = None,
) -> None:
    """Write a table out as flat rows, each with where its numbers came from."""
    from nianbao.core.export import BINARY, FORMATS, key_labels, write_rows

    if table not in _EXPORTS:
        raise typer.BadParameter(f"{table!r}: one of {', '.join(_EXPORTS)}", param_hint="TABLE")
    if fmt not in FORMATS:
        raise typer.BadParameter(f"{fmt!r}: one of {', '.join(FORMATS)}", param_hint="--format")
    if fmt in BINARY and output is None:
        raise typer.BadParameter(f"{fmt} is written to a file: give --output", param_hint="--output")
    if wide and table != "reports":
        raise typer.BadParameter("--wide shapes the reports table only", param_hint="--wide")
    types = {row["key"]: row["type"] for row in key_labels()} if wide else None
    write_rows(_rows(table, year, wide), fmt, output, sheet=table, types=types)


def _print_run(result: dict) -> None:
    from nianbao.flows.summary import markdown

    typer.echo(markdown(result.get("crawls", []), result.get("ingest"), result.get("health", {}),
                        result.get("coverage")))


def _say(message: str) -> None:
    typer.echo(message, err=True)


@contextmanager
def _prefect() -> Iterator[str]:
    """Flows run against the Prefect server of :mod:`nianbao.flows.server`; yields its UI address."""
    from nianbao.flows.server import ensure

    url = ensure(_say)
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: url}):
        yield url.removesuffix("/api")


def _flow_run(flow: Callable[..., Any], **params: Any) -> Any:
    with _prefect() as ui:
        result = flow(**params)
    _print_run(result if "crawls" in result or "ingest" in result else {"ingest": result})
    _say(f"the run in the Prefect UI: {ui}/runs")
    return result


@app.command()
def run(
    site: Sites = [],
    url: Url = None,
    name: Name = None,
    year: Annotated[int | None, typer.Option(help="Only this reported year.")] = None,
    delay: Delay = 1.0,
    setting: Settings = [],
) -> None:
    """The pipeline: crawl, then parse, merge, validate and load what is new (a Prefect flow run)."""
    _sites(site, url, name)
    from nianbao.flows.pipeline import pipeline_flow

    _flow_run(pipeline_flow, sites=site or None, url=url, name=name, year=year, delay=delay, settings=setting or None)


@app.command()
def ingest(year: Annotated[int | None, typer.Option(help="Only documents of this reported year.")] = None) -> None:
    """Parse, merge, validate and load stored documents not yet ingested (a Prefect flow run)."""
    from nianbao.flows.ingest import ingest_flow

    _flow_run(ingest_flow, year=year)


@app.command()
def backfill(
    year: Annotated[int, typer.Option(help="The reported year to fetch again.")],
    site: Sites = [],
    delay: Delay = 1.0,
) -> None:
    """Crawl and ingest one year, walking list pages back as far as that year needs."""
    _sites(site, None, None)
    from nianbao.flows.pipeline import backfill_flow

    result = _flow_run(backfill_flow, year=year, sites=site or None, delay=delay)
    if not result["ingest"]["reports_new"] + result["ingest"]["reports_updated"] + result["ingest"][
            "reports_unchanged"]:
        _say(f"no report of {year} was found")


@app.command()
def demo(port: Annotated[int, typer.Option(help="Port of the demo portal on 127.0.0.1.")] = 8765) -> None:
    """Serve the demo portal, run the whole pipeline on it, and show what came out."""
    import os

    from nianbao.core import config
    from nianbao.demo.portal import Portal
    from nianbao.demo.server import DemoServer
    from nianbao.models.db import upgrade

    home = config.home()
    home.mkdir(parents=True, exist_ok=True)
    # The demo's own data directory: brought to this version's schema without asking.
    upgrade()
    try:
        served = DemoServer(Portal(), port=port)
    except OSError as exc:
        typer.echo(f"error: cannot serve the demo portal on 127.0.0.1:{port} ({exc.strerror}); "
                   "pick another with --port", err=True)
        raise typer.Exit(2) from exc
    with served as server, _prefect() as ui:
        registry_file = home / "demo-sites.toml"
        registry_file.write_text(server.portal.registry_toml(server.url), encoding="utf-8")
        os.environ["NIANBAO_REGISTRY"] = str(registry_file)
        typer.echo(f"demo portal at {server.url}; running the pipeline (Prefect, at {ui}) …")
        from nianbao.flows.pipeline import pipeline_flow

        result = pipeline_flow(delay=0.0, settings=["RETRY_BACKOFF_BASE=0.2"])
    _print_run(result)
    exports = home / "exports"
    exports.mkdir(exist_ok=True)
    from nianbao.core.export import write_rows

    for table in _EXPORTS:
        write_rows(_rows(table, None), "csv", exports / f"{table}.csv")
    write_rows(_rows("reports", None, wide=True), "csv", exports / "reports-wide.csv")
    findings = Counter(f["rule"] for f in _rows("findings", None))
    typer.echo("\n## Findings by rule\n")
    for rule, n in sorted(findings.items()):
        typer.echo(f"- {rule}: {n}")
    from nianbao.core.config import database_url

    typer.echo(f"\ndatabase: {database_url()}\nraw documents: {config.raw_dir()}\nexports: {exports}/"
               f"{{{','.join(_EXPORTS)},reports-wide}}.csv")
    typer.echo(f"\nthe runs in the Prefect UI: {ui}/runs  (the server keeps running; `nianbao server stop` stops it)")


@app.command()
def portal(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1.")] = 8765,
) -> None:
    """Serve the demo portal (the three sites of spiders/sites.toml) until interrupted."""
    import time

    from nianbao.demo.portal import Portal
    from nianbao.demo.server import DemoServer

    try:
        served = DemoServer(Portal(), port=port)
    except OSError as exc:
        typer.echo(f"error: cannot serve on 127.0.0.1:{port} ({exc.strerror})", err=True)
        raise typer.Exit(2) from exc
    with served as server:
        typer.echo(f"demo portal at {server.url} (Ctrl-C stops it)")
        for site in server.portal.registry(server.url):
            typer.echo(f"  {site['id']}: {' '.join(site['start_urls'])}")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


@server_app.command("start")
def server_start() -> None:
    """Start the local Prefect server in the background (or find it running) and print its address."""
    from nianbao.flows import server

    url = server.start(_say)
    typer.echo(f"Prefect UI: {url.removesuffix('/api')}\nexport PREFECT_API_URL={url}")


@server_app.command("stop")
def server_stop() -> None:
    """Stop the local Prefect server."""
    from nianbao.flows import server

    typer.echo("stopped" if server.stop() else "no local Prefect server was running")


@server_app.command("status")
def server_status() -> None:
    """Whether the local Prefect server runs, and where."""
    from nianbao.flows import server

    url = server.running()
    typer.echo(f"running: {url.removesuffix('/api')}" if url else "not running")
    if not url:
        raise typer.Exit(1)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create the database, or migrate it to this version's schema."""
    from nianbao.core.config import database_url
    from nianbao.models import db

    typer.echo(f"{database_url()}: at schema revision {db.upgrade()}")


@db_app.command("status")
def db_status() -> None:
    """The database's schema revision and the one this version needs."""
    from nianbao.models import db

    at = db.revision()
    typer.echo(f"schema revision {at or 'none (no database yet)'}; this version needs {db.head()}")
    if at != db.head():
        raise typer.Exit(1)
