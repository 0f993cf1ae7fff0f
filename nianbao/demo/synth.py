"""Synthetic figure sets that satisfy the identities, and ways to break them.

Used to render test documents and the demo portal's reports from known figures.
"""

from __future__ import annotations

import random
from collections.abc import Iterable

from nianbao.core import keys as K
from nianbao.core.rules import Rule

Figures = dict[str, int | float]


def free_t3_rows(t3_layout: str) -> list[str]:
    """Rows whose figures are chosen; new_received, total_processed and the total column follow."""
    return [r for r in K.t3_rows(t3_layout) if r not in ("new_received", "total_processed")]


def derive(figures: Figures, t3_layout: str) -> Figures:
    """Fill in every figure the identities determine from the free ones."""
    out = dict(figures)
    outcomes = list(K.T3_OUTCOME_ROWS) + (list(K.T3_OTHER_2021) if t3_layout == K.LAYOUT_2021 else ["other"])
    for c in K.T3_APPLICANT_COLUMNS:
        processed = sum(out[f"t3.{r}.{c}"] for r in outcomes)
        out[f"t3.total_processed.{c}"] = processed
        forward = out[f"t3.carried_forward.{c}"]
        over = min(out[f"t3.carried_over.{c}"], processed + forward)
        out[f"t3.carried_over.{c}"] = over
        out[f"t3.new_received.{c}"] = processed + forward - over
    for r in K.t3_rows(t3_layout):
        out[f"t3.{r}.total"] = sum(out[f"t3.{r}.{c}"] for c in K.T3_APPLICANT_COLUMNS)
    for g in K.T4_GROUPS:
        out[f"t4.{g}.total"] = sum(out[f"t4.{g}.{c}"] for c in K.T4_COLUMNS[:-1])
    return out


def free_keys(t2_layout: str, t3_layout: str, procurement: bool = False) -> list[str]:
    t3 = [f"t3.{r}.{c}" for r in free_t3_rows(t3_layout) for c in K.T3_APPLICANT_COLUMNS]
    t4 = [f"t4.{g}.{c}" for g in K.T4_GROUPS for c in K.T4_COLUMNS[:-1]]
    return K.t2_keys(t2_layout, procurement) + t3 + t4


def random_figures(rng: random.Random, t2_layout: str, t3_layout: str, procurement: bool = False,
                   zero_share: float = 0.6) -> Figures:
    """A consistent figure set; most cells are 0, as in real county reports."""
    figures: Figures = {}
    for key in free_keys(t2_layout, t3_layout, procurement):
        if rng.random() < zero_share:
            figures[key] = 0
        elif K.is_decimal_key(key):
            figures[key] = rng.randrange(1, 10_000_000) / 100
        elif key.endswith(".change"):
            figures[key] = rng.randint(-20, 20)
        else:
            figures[key] = rng.randint(1, 300 if key.startswith("t2.") else 40)
    return derive(figures, t3_layout)


BREAKABLE_RULES = (Rule.IDENTITY_1, Rule.IDENTITY_2, Rule.IDENTITY_3, Rule.IDENTITY_4)


def break_identity(figures: Figures, rule: Rule, amount: int = 1) -> tuple[Figures, list[str]]:
    """Change figures so that exactly ``rule`` breaks; returns the new set and the keys changed."""
    changes: dict[Rule, Iterable[str]] = {
        Rule.IDENTITY_1: ("t3.carried_forward.natural_person", "t3.carried_forward.total"),
        Rule.IDENTITY_2: ("t3.total_processed.natural_person", "t3.total_processed.total",
                       "t3.new_received.natural_person", "t3.new_received.total"),
        Rule.IDENTITY_3: ("t3.carried_over.total", "t3.carried_forward.total"),
        Rule.IDENTITY_4: ("t4.review.total",),
    }
    out = dict(figures)
    touched = list(changes[rule])
    for key in touched:
        out[key] = out[key] + amount
    return out, touched


def layouts_for(year: int) -> tuple[str, str]:
    """The table layouts a report of ``year`` uses: the 2019 forms until 2020, the 2021 forms after."""
    layout = K.LAYOUT_2019 if year <= 2020 else K.LAYOUT_2021
    return layout, layout


def series(rng: random.Random, years: Iterable[int]) -> dict[int, Figures]:
    """One organ's consistent figures over consecutive years: each year's carried-over
    applications are the previous year's carried-forward ones (identity 5)."""
    out: dict[int, Figures] = {}
    previous: Figures | None = None
    for year in sorted(years):
        t2, t3 = layouts_for(year)
        figures = random_figures(rng, t2, t3)
        if previous is not None:
            for c in K.T3_APPLICANT_COLUMNS:
                over = previous[f"t3.carried_forward.{c}"]
                figures[f"t3.carried_over.{c}"] = over
                # derive() caps carried-over at processed + carried-forward; keep it reachable.
                shortfall = over - figures[f"t3.total_processed.{c}"] - figures[f"t3.carried_forward.{c}"]
                figures[f"t3.carried_forward.{c}"] += max(0, shortfall)
            figures = derive(figures, t3)
        out[year] = previous = figures
    return out


def legacy_figures(rng: random.Random, zero_share: float = 0.3) -> Figures:
    """Figures of a pre-2019 statistics table whose totals equal the sums of their parts."""
    from nianbao.core import legacy

    def draw(key: str) -> int | float:
        if rng.random() < zero_share:
            return 0
        return round(rng.uniform(0, 500), 2) if key in legacy.DECIMAL_KEYS else rng.randint(0, 300)

    figures = {key: draw(key) for key in legacy.KEYS}
    for total, parts in reversed(legacy.SUMS):
        group = total.rsplit(".", 1)[0]
        figures[total] = sum(figures[f"{group}.{p}"] for p in parts)
    return figures
