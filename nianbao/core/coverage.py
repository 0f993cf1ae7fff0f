"""Which organ published which year: the gaps a coverage check reports.

A year is *missing* for an organ when it published reports for years before and
after it but none for it. Years before its first report or after its last are not
missing: the organ may not have existed yet, or may have been merged away, and
nothing in the reports says which.
"""

from __future__ import annotations

from collections.abc import Iterable


def missing_years(years: Iterable[int]) -> list[int]:
    """The years between an organ's first and last report that have no report."""
    have = set(years)
    if not have:
        return []
    return [year for year in range(min(have), max(have) + 1) if year not in have]


def cell(year: int, have: set[int]) -> str:
    """What a coverage table shows for one organ and year: published, missing, or outside its years."""
    if year in have:
        return "published"
    if have and min(have) < year < max(have):
        return "missing"
    return ""


# Regions with more organs than this list only the organs with a missing year.
FULL_TABLE_UP_TO = 60
_MARK = {"published": "✓", "missing": "✗ missing", "": ""}


def markdown(rows: list[dict]) -> str:
    """Coverage rows (organ, kind, one column per year) as markdown, a section per region."""
    if not rows:
        return ""
    years = [k for k in rows[0] if k.isdigit()]
    regions: dict[str, list[dict]] = {}
    for row in rows:
        regions.setdefault(row["region"] or "(region unknown)", []).append(row)
    lines = ["## Coverage: organs × years", ""]
    for region, organs in regions.items():
        gaps = sum(r["missing"] for r in organs)
        lines += [f"### {region}", "", f"{len(organs)} organs, {sum(r['published'] for r in organs)} reports, "
                  f"{gaps} missing year(s) between published ones.", ""]
        shown = organs if len(organs) <= FULL_TABLE_UP_TO else [r for r in organs if r["missing"]]
        if shown:
            lines += ["| organ | kind | " + " | ".join(years) + " |", "|---|---|" + "---|" * len(years)]
            lines += [f"| {r['organ']} | {r['kind']} | " + " | ".join(_MARK[r[y]] for y in years) + " |" for r in shown]
            lines.append("")
    return "\n".join(lines)
