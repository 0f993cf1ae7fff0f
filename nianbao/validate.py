"""The identities a report's figures must satisfy, as findings.

A broken identity is a finding about the source; the figures stay as printed.
Identities 1–4 hold within one report; identity 5 links an organ's consecutive
years; the narrative's own application count is checked against table 3.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from nianbao import keys as K
from nianbao.findings import ERROR, WARNING, Finding
from nianbao.text import squash

Figures = Mapping[str, int | float]

_RECEIVED = re.compile(r"(?:共|累计|全年)?(?:受理|收到|接到|接收)[^。；;，,]{0,24}?申请[^。；;，,\d]{0,12}?(\d+)件")
_NONE_RECEIVED = re.compile(r"(?:未|没有|无)(?:收到|受理|接到|发生)[^。；;，,]{0,16}?申请")


def _identity(rule: str, message: str, lhs_keys: list[str], rhs_keys: list[str], figures: Figures) -> Finding | None:
    if any(k not in figures for k in lhs_keys + rhs_keys):
        return None
    lhs = sum(figures[k] for k in lhs_keys)
    rhs = sum(figures[k] for k in rhs_keys)
    if lhs == rhs:
        return None
    return Finding(rule, ERROR, message, keys=lhs_keys + rhs_keys, expected=lhs, actual=rhs)


def validate(figures: Figures, table3_layout: str | None) -> list[Finding]:
    found: list[Finding | None] = []
    if table3_layout is not None:
        outcome_rows = list(K.T3_OUTCOME_ROWS) + (
            list(K.T3_OTHER_2021) if table3_layout == K.LAYOUT_2021 else ["other"]
        )
        for c in K.T3_COLUMNS:
            found.append(_identity(
                "identity.1", f"column {c}: new + carried over ≠ processed + carried forward",
                [f"t3.new_received.{c}", f"t3.carried_over.{c}"],
                [f"t3.total_processed.{c}", f"t3.carried_forward.{c}"], figures,
            ))
        for c in K.T3_COLUMNS:
            found.append(_identity(
                "identity.2", f"column {c}: total processed ≠ the sum of the outcomes",
                [f"t3.total_processed.{c}"], [f"t3.{r}.{c}" for r in outcome_rows], figures,
            ))
        for r in K.t3_rows(table3_layout):
            found.append(_identity(
                "identity.3", f"row {r}: total ≠ the sum of the applicant columns",
                [f"t3.{r}.total"], [f"t3.{r}.{c}" for c in K.T3_APPLICANT_COLUMNS], figures,
            ))
    for g in K.T4_GROUPS:
        found.append(_identity(
            "identity.4", f"table 4 {g}: total ≠ upheld + corrected + other + pending",
            [f"t4.{g}.total"], [f"t4.{g}.{c}" for c in K.T4_COLUMNS[:-1]], figures,
        ))
    return [f for f in found if f is not None]


def validate_carry_over(figures: Figures, previous: Figures, previous_year: int) -> list[Finding]:
    """Identity 5: this year's carried_over equals last year's carried_forward."""
    found = []
    for c in K.T3_COLUMNS:
        key, prev_key = f"t3.carried_over.{c}", f"t3.carried_forward.{c}"
        if key in figures and prev_key in previous and figures[key] != previous[prev_key]:
            found.append(Finding(
                "identity.5", ERROR,
                f"column {c}: carried over ≠ carried forward in the {previous_year} report",
                keys=[key, prev_key], expected=previous[prev_key], actual=figures[key],
                evidence={"previous_year": previous_year},
            ))
    return found


def narrative_count(text: str) -> int | None:
    """The count of applications the narrative states, if it states one."""
    s = squash(text)
    m = _RECEIVED.search(s)
    if m:
        return int(m.group(1))
    if _NONE_RECEIVED.search(s):
        return 0
    return None


def validate_narrative(text: str, figures: Figures) -> list[Finding]:
    stated = narrative_count(text)
    new = figures.get("t3.new_received.total")
    if stated is None or new is None:
        return []
    plausible = {new, new + figures.get("t3.carried_over.total", 0)}
    if stated in plausible:
        return []
    return [Finding(
        "narrative.applications", WARNING,
        f"the narrative states {stated} applications, table 3 counts {new} new ones",
        keys=["t3.new_received.total"], expected=stated, actual=new,
    )]
