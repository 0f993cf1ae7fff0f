"""Site health: a crawl that found no report, or whose list pages failed, becomes a finding that says why."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, select

from nianbao.models.tables import Fetch, FindingRow
from nianbao.core.findings import ERROR, WARNING


def diagnose(result: dict[str, Any], had_reports: bool) -> tuple[str, str, str] | None:
    """(rule, severity, reason) for a crawl summary that needs one, else None."""
    failures = [f for f in result.get("failure_list", []) if f.get("kind") == "list"]
    if result.get("list_pages", 0) == 0:
        reasons = sorted({f["reason"] for f in failures}) or [result.get("error") or "no list page was fetched"]
        kind = ("DNS" if any("DNS" in r for r in reasons) else "HTTP" if any(r.startswith("HTTP") for r in reasons)
                else "network")
        return "site.unreachable", ERROR, f"{kind}: no list page could be fetched ({'; '.join(reasons)})"
    found = (result.get("report_documents", 0) + result.get("documents_unchanged", 0) + result.get("known_skipped", 0))
    if found == 0:
        if had_reports:
            return ("site.changed", ERROR, f"{result['list_pages']} list page(s) fetched but no report found where "
                    "earlier crawls found some: the site has probably changed")
        return ("site.no_reports", WARNING, f"{result['list_pages']} list page(s) fetched, no report found: "
                "parse (not an annual-report column, or an unknown CMS)")
    if failures:
        return ("site.list_pages_failed", WARNING,
                f"{len(failures)} list page(s) failed: " + "; ".join(f"{f['url']}: {f['reason']}" for f in failures[:5]))
    return None


def record(session: Session, site_id: str, run_id: str, result: dict[str, Any]) -> FindingRow | None:
    """Replace the site's health finding by this crawl's (or clear it when the crawl was healthy)."""
    had_reports = session.exec(select(Fetch.id).where(Fetch.site_id == site_id).limit(1)).first() is not None
    session.execute(delete(FindingRow).where(FindingRow.site_id == site_id, FindingRow.report_id.is_(None),
                                             FindingRow.rule.like("site.%")))
    verdict = diagnose(result, had_reports)
    row = None
    if verdict is not None:
        rule, severity, message = verdict
        row = FindingRow(site_id=site_id, crawl_run_id=run_id if result.get("run_id") else None, rule=rule,
                         severity=severity, message=message, evidence={"failures": result.get("failure_list", [])[:20]})
        session.add(row)
    session.commit()
    return row
