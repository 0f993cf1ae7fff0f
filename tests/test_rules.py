"""The rule catalogue: one place for every finding rule, printed in the README, each rule in use."""

import re
from pathlib import Path

from nianbao.core.rules import Rule, Scope, Severity, markdown

ROOT = Path(__file__).parent.parent
CODE = [p for folder in ("nianbao", "flows", "spiders", "models") for p in (ROOT / folder).rglob("*.py")
        if p.name != "rules.py"]


def test_the_readme_prints_the_catalogue():
    assert markdown() in (ROOT / "README.md").read_text(encoding="utf-8")


def test_a_rule_is_its_id():
    assert Rule.TABLE_MISSING == "table.missing"
    assert Rule("identity.5") is Rule.IDENTITY_5
    assert Rule.IDENTITY_5.severity is Severity.ERROR and Rule.SITE_NO_REPORTS.scope is Scope.SITE


def test_every_rule_is_reported_somewhere():
    used = {m for p in CODE for m in re.findall(r"Rule\.([A-Z0-9_]+)", p.read_text(encoding="utf-8"))}
    assert {r.name for r in Rule} - used == set()


def test_no_rule_is_spelled_as_a_loose_string():
    ids = "|".join(re.escape(r.id) for r in Rule)
    loose = [f"{p.relative_to(ROOT)}: {m}" for p in CODE
             for m in re.findall(rf"[\"']({ids})[\"']", p.read_text(encoding="utf-8"))]
    assert loose == []
