"""Site health: a crawl that found no report, or whose list pages failed, becomes a finding that says why."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete
from sqlmodel import Session

from nianbao.core.rules import Rule, Scope
from nianbao.models.tables import FindingRow

SITE_RULES = [rule.id for rule in Rule if rule.scope is Scope.SITE]


def diagnose(result: dict[str, Any], had_reports: bool) -> tuple[Rule, str] | None:
    """(rule, reason) for a crawl result that needs one, else None."""
    failures = [f for f in result.get("failure_list", []) if f.get("kind") == "list"]
    if result.get("list_pages", 0) == 0:
        reasons = sorted({f["reason"] for f in failures}) or [result.get("error") or "no list page was fetched"]
        kind = ("DNS" if any("DNS" in r for r in reasons) else "HTTP" if any(r.startswith("HTTP") for r in reasons)
                else "network")
        return Rule.SITE_UNREACHABLE, f"{kind}: no list page could be fetched ({'; '.join(reasons)})"
    found = result.get("report_documents", 0) + result.get("unchanged", 0) + result.get("known_skipped", 0)
    if result.get("bounded"):
        # A trap explains an empty or short crawl better than "no reports" does.
        bounds = "; ".join(result.get("bounds") or ["a bound"])
        return (Rule.SITE_CRAWL_BOUNDED, f"{result['bounded']} request(s) dropped over the crawl's bounds ({bounds}), "
                f"{found} report(s) found: a spider trap, or raise NIANBAO_MAX_REQUESTS / NIANBAO_MAX_QUERY_VARIANTS")
    if found == 0:
        if had_reports:
            return (Rule.SITE_CHANGED, f"{result['list_pages']} list page(s) fetched but no report found where "
                    "earlier crawls found some: the site has probably changed")
        return (Rule.SITE_NO_REPORTS, f"{result['list_pages']} list page(s) fetched, no report found: "
                "not an annual-report column, or an unknown CMS")
    if failures:
        return (Rule.SITE_LIST_PAGES_FAILED,
                f"{len(failures)} list page(s) failed: " + "; ".join(f"{f['url']}: {f['reason']}" for f in failures[:5]))
    return None


def record(session: Session, site_id: str, run_id: str | None, result: dict[str, Any], had_reports: bool) -> str | None:
    """Replace the site's health finding by this crawl's (or clear it when the crawl was healthy);
    returns the verdict as ``rule: reason``."""
    return _replace(session, site_id, run_id, diagnose(result, had_reports), result.get("failure_list", []))


def record_failure(session: Session, site_id: str, run_id: str | None, reason: str) -> str:
    """The crawl process itself failed: that is the site's health finding until a crawl succeeds."""
    verdict = _replace(session, site_id, run_id, (Rule.SITE_CRAWL_FAILED, reason), [])
    assert verdict is not None
    return verdict


def _replace(session: Session, site_id: str, run_id: str | None, verdict: tuple[Rule, str] | None,
             failures: list[dict[str, Any]]) -> str | None:
    session.execute(delete(FindingRow).where(FindingRow.site_id == site_id, FindingRow.report_id.is_(None),
                                             FindingRow.rule.in_(SITE_RULES)))
    if verdict is None:
        return None
    rule, message = verdict
    session.add(FindingRow(site_id=site_id, crawl_run_id=run_id, rule=rule.id, severity=str(rule.severity),
                           message=message, evidence={"failures": failures[:20]}))
    return f"{rule.id}: {message}"
