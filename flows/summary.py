"""The run summary shown as a Prefect markdown artifact and printed by the CLI."""

from __future__ import annotations

from typing import Any

from nianbao.core import coverage


def markdown(crawls: list[dict[str, Any]], ingest: dict[str, Any] | None, health: dict[str, str],
             covered: list[dict[str, Any]] | None = None) -> str:
    lines = ["# nianbao run", ""]
    if crawls:
        lines += ["| site | list pages | documents found | new | unchanged | reports new | reports updated | failures |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|"]
        sites = (ingest or {}).get("sites", {})
        for r in crawls:
            unchanged = r.get("documents_unchanged", 0) + r.get("known_skipped", 0)
            new = r.get("documents_new", 0)
            counts = sites.get(r["site"], {})
            lines.append(f"| {r['site']} | {r.get('list_pages', 0)} | {new + unchanged} | {new} | {unchanged} | "
                         f"{counts.get('reports_new', 0)} | {counts.get('reports_updated', 0)} | "
                         f"{r.get('failures', 0)} |")
        lines.append("")
    if health:
        lines += ["## Site health", ""] + [f"- **{site}**: {message}" for site, message in sorted(health.items())] + [""]
    failures = [(r["site"], f) for r in crawls for f in r.get("failure_list", [])]
    if failures:
        lines += ["## Failures", ""] + [f"- {site}: {f['kind']} {f['url']}: {f['reason']}" for site, f in failures[:50]]
        lines.append("")
    if ingest is not None:
        lines += ["## Ingest", "",
                  f"{ingest['documents']} documents parsed ({ingest['unreadable']} unreadable, "
                  f"{ingest['unidentified']} without organ or year); reports: {ingest['reports_new']} new, "
                  f"{ingest['reports_updated']} updated, {ingest['reports_unchanged']} unchanged.", ""]
        if ingest["findings"]:
            lines += ["| finding rule | count |", "|---|---:|"]
            lines += [f"| {rule} | {n} |" for rule, n in sorted(ingest["findings"].items())]
            lines.append("")
    if covered:
        lines.append(coverage.markdown(covered))
    return "\n".join(lines)
