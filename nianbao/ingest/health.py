"""Site health: a crawl that found no report, whose list pages failed, or that reached less than its lists
announced, becomes a finding that says why."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete
from sqlmodel import Session

from nianbao.core.rules import Rule, Scope
from nianbao.models.tables import FindingRow

SITE_RULES = [rule.id for rule in Rule if rule.scope is Scope.SITE]


def diagnose(result: dict[str, Any], had_reports: bool) -> list[tuple[Rule, str, dict[str, Any]]]:
    """(rule, reason, evidence) for each thing a crawl result needs said; empty for a healthy crawl."""
    verdict = _verdict(result, had_reports)
    out = [verdict] if verdict else []
    if verdict is None or verdict[0] is Rule.SITE_LIST_PAGES_FAILED:
        incomplete = result.get("incomplete") or []
        if incomplete:
            out.append((Rule.SITE_LIST_INCOMPLETE, f"{len(incomplete)} list(s) reached less than they announced: "
                        + "; ".join(f"{i['list']}: {i['found']}" for i in incomplete[:3]), {"lists": incomplete}))
        if result.get("year") and not result.get("year_entries"):
            out.append((Rule.SITE_YEAR_NOT_FOUND, f"no report of {result['year']} found in "
                        f"{result.get('list_pages', 0)} list page(s)", {}))
    return out


def _verdict(result: dict[str, Any], had_reports: bool) -> tuple[Rule, str, dict[str, Any]] | None:
    failures = [f for f in result.get("failure_list", []) if f.get("kind") == "list"]
    evidence = {"failures": result.get("failure_list", [])[:20]}
    if result.get("list_pages", 0) == 0:
        reasons = sorted({f["reason"] for f in failures}) or [result.get("error") or "no list page was fetched"]
        kind = ("DNS" if any("DNS" in r for r in reasons) else "HTTP" if any(r.startswith("HTTP") for r in reasons)
                else "network")
        return Rule.SITE_UNREACHABLE, f"{kind}: no list page could be fetched ({'; '.join(reasons)})", evidence
    found = result.get("report_documents", 0) + result.get("unchanged", 0) + result.get("known_skipped", 0)
    if result.get("bounded"):
        # A trap explains an empty or short crawl better than "no reports" does.
        bounds = "; ".join(result.get("bounds") or ["a bound"])
        return (Rule.SITE_CRAWL_BOUNDED, f"{result['bounded']} request(s) dropped over the crawl's bounds ({bounds}), "
                f"{found} report(s) found: a spider trap, or raise NIANBAO_MAX_REQUESTS / NIANBAO_MAX_QUERY_VARIANTS",
                evidence)
    if found == 0 and not result.get("year"):
        if had_reports:
            return (Rule.SITE_CHANGED, f"{result['list_pages']} list page(s) fetched but no report found where "
                    "earlier crawls found some: the site has probably changed", evidence)
        return (Rule.SITE_NO_REPORTS, f"{result['list_pages']} list page(s) fetched, no report found: "
                "not an annual-report column, or an unknown CMS", evidence)
    if failures:
        return (Rule.SITE_LIST_PAGES_FAILED, f"{len(failures)} list page(s) failed: "
                + "; ".join(f"{f['url']}: {f['reason']}" for f in failures[:5]), evidence)
    return None


def record(session: Session, site_id: str, run_id: str | None, result: dict[str, Any], had_reports: bool) -> str | None:
    """Replace the site's health findings by this crawl's (or clear them when the crawl was healthy);
    returns the verdicts as ``rule: reason`` lines."""
    return _replace(session, site_id, run_id, diagnose(result, had_reports))


def record_failure(session: Session, site_id: str, run_id: str | None, reason: str) -> str:
    """The crawl process itself failed: that is the site's health finding until a crawl succeeds."""
    verdict = _replace(session, site_id, run_id, [(Rule.SITE_CRAWL_FAILED, reason, {"failures": []})])
    assert verdict is not None
    return verdict


def _replace(session: Session, site_id: str, run_id: str | None,
             verdicts: list[tuple[Rule, str, dict[str, Any]]]) -> str | None:
    session.execute(delete(FindingRow).where(FindingRow.site_id == site_id, FindingRow.report_id.is_(None),
                                             FindingRow.rule.in_(SITE_RULES)))
    for rule, message, evidence in verdicts:
        session.add(FindingRow(site_id=site_id, crawl_run_id=run_id, rule=rule.id, severity=str(rule.severity),
                               message=message, evidence=evidence))
    return "\n".join(f"{rule.id}: {message}" for rule, message, _ in verdicts) or None
