"""Findings: what the parser, the validator and the crawler have to say, each under a catalogued rule."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from nianbao.core.rules import Rule, Severity


@dataclass
class Finding:
    rule: Rule
    message: str
    keys: list[str] = field(default_factory=list)
    expected: Any = None
    actual: Any = None
    evidence: dict[str, Any] = field(default_factory=dict)

    @property
    def severity(self) -> Severity:
        return self.rule.severity

    @property
    def is_error(self) -> bool:
        return self.rule.severity == Severity.ERROR

    def to_dict(self) -> dict[str, Any]:
        out = {"rule": self.rule.id, "severity": str(self.rule.severity), "message": self.message,
               "keys": self.keys, "expected": self.expected, "actual": self.actual, "evidence": self.evidence}
        return {k: v for k, v in out.items() if v not in (None, [], {})}
