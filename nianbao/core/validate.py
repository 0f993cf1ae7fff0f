"""The identities a report's figures must satisfy, as findings.

A broken identity is a finding about the source; the figures stay as printed.
Identities 1–4 hold within one report; identity 5 links an organ's consecutive
years; the narrative's own application count is checked against table 3.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from nianbao.core import keys as K
from nianbao.core.findings import Finding
from nianbao.core.rules import Rule
from nianbao.core.text import squash

Figures = Mapping[str, int | float]

_RECEIVED = re.compile(r"(?:共|累计|全年)?(?:受理|收到|接到|接收)[^。；;，,]{0,24}?申请[^。；;，,\d]{0,12}?(\d+)件")
_SENTENCE = re.compile(r"[。；;\n]")
_NONE_RECEIVED = re.compile(r"(?:未|没有|无)(?:收到|受理|接到|发生)[^。；;，,]{0,16}?申请")


_Identity = tuple[Rule, str, tuple[str, ...], tuple[str, ...]]


@lru_cache(maxsize=4)
def identities(table3_layout: str | None) -> tuple[_Identity, ...]:
    """Identities 1–4 as (rule, message, left keys, right keys) for a table-3 layout."""
    found: list[_Identity] = []
    if table3_layout is not None:
        outcome_rows = list(K.T3_OUTCOME_ROWS) + (
            list(K.T3_OTHER_2021) if table3_layout == K.LAYOUT_2021 else ["other"]
        )
        for c in K.T3_COLUMNS:
            found.append((Rule.IDENTITY_1, f"column {c}: new + carried over ≠ processed + carried forward",
                          (f"t3.new_received.{c}", f"t3.carried_over.{c}"),
                          (f"t3.total_processed.{c}", f"t3.carried_forward.{c}")))
        for c in K.T3_COLUMNS:
            found.append((Rule.IDENTITY_2, f"column {c}: total processed ≠ the sum of the outcomes",
                          (f"t3.total_processed.{c}",), tuple(f"t3.{r}.{c}" for r in outcome_rows)))
        for r in K.t3_rows(table3_layout):
            found.append((Rule.IDENTITY_3, f"row {r}: total ≠ the sum of the applicant columns",
                          (f"t3.{r}.total",), tuple(f"t3.{r}.{c}" for c in K.T3_APPLICANT_COLUMNS)))
    for g in K.T4_GROUPS:
        found.append((Rule.IDENTITY_4, f"table 4 {g}: total ≠ upheld + corrected + other + pending",
                      (f"t4.{g}.total",), tuple(f"t4.{g}.{c}" for c in K.T4_COLUMNS[:-1])))
    return tuple(found)


_TABLE_OF = {Rule.IDENTITY_1: 3, Rule.IDENTITY_2: 3, Rule.IDENTITY_3: 3, Rule.IDENTITY_4: 4}


@lru_cache(maxsize=16)
def _checks(table3_layout: str | None, tables: tuple[int, ...]) -> tuple[_Identity, ...]:
    return tuple(i for i in identities(table3_layout) if _TABLE_OF[i[0]] in tables)


def validate(figures: Figures, table3_layout: str | None, tables: tuple[int, ...] = (3, 4)) -> list[Finding]:
    """Identities 1–4 (those of ``tables``) over one report's figures; identities with a missing key are skipped."""
    found = []
    get = figures.__getitem__
    for rule, message, lhs_keys, rhs_keys in _checks(table3_layout, tables):
        try:
            lhs = sum(map(get, lhs_keys))
            rhs = sum(map(get, rhs_keys))
        except KeyError:
            continue
        if lhs != rhs:
            found.append(Finding(rule, message, keys=[*lhs_keys, *rhs_keys], expected=lhs, actual=rhs))
    return found


def validate_carry_over(figures: Figures, previous: Figures, previous_year: int) -> list[Finding]:
    """Identity 5: this year's carried_over equals last year's carried_forward."""
    found = []
    for c in K.T3_COLUMNS:
        key, prev_key = f"t3.carried_over.{c}", f"t3.carried_forward.{c}"
        if key in figures and prev_key in previous and figures[key] != previous[prev_key]:
            found.append(Finding(Rule.IDENTITY_5, f"column {c}: carried over ≠ carried forward in the {previous_year} report",
                keys=[key, prev_key], expected=previous[prev_key], actual=figures[key],
                evidence={"previous_year": previous_year},
            ))
    return found


def narrative_count(text: str) -> int | None:
    """The count of applications the narrative states, if it states one."""
    s = squash("。".join(sentence for sentence in _SENTENCE.split(text) if "申请" in sentence))
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
    return [Finding(Rule.NARRATIVE_APPLICATIONS, f"the narrative states {stated} applications, table 3 counts {new} new ones",
        keys=["t3.new_received.total"], expected=stated, actual=new,
    )]
