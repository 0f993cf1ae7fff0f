"""One report from several documents: whose figures stand, and where the others disagree.

The rule, in order:

1. A correction (更正, 修正, 修订) supersedes every source that is not one;
   among several corrections the one published, then fetched, last stands.
2. Among the rest: the source with the most figures; then the fewest error
   findings; then by format — HTML, DOCX, text, then PDF (word positions can
   split a cell where markup cannot); then the lowest sha256, so the choice never
   depends on the order documents were crawled in.
3. A source without figures (a page that only links its attachment) is an
   index source: kept as provenance, never compared.

Every other source with figures is an alternate; where its figures differ from
the primary's, a ``sources.disagree`` finding lists the keys and both values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nianbao.core.findings import Finding
from nianbao.core.parse import ParsedReport
from nianbao.core.rules import Rule

_CORRECTION = re.compile(r"更正|修正|修订")
_FORMAT_RANK = {"html": 0, "docx": 1, "text": 2, "pdf": 3}

PRIMARY, ALTERNATE, SUPERSEDED, INDEX = "primary", "alternate", "superseded", "index"


@dataclass
class Source:
    sha256: str
    report: ParsedReport
    title: str | None = None
    fetched_at: str = ""

    @property
    def is_correction(self) -> bool:
        return any(_CORRECTION.search(t) for t in (self.title, self.report.title) if t)

    @property
    def errors(self) -> int:
        return sum(f.is_error for f in self.report.findings)


@dataclass
class Merged:
    primary: Source
    roles: dict[str, str]
    sources: dict[str, Source]
    supersedes: str | None = None
    findings: list[Finding] = field(default_factory=list)


def _rank(source: Source) -> tuple:
    return (-len(source.report.figures), source.errors, _FORMAT_RANK.get(source.report.format, 9), source.sha256)


def merge(sources: list[Source]) -> Merged:
    if not sources:
        raise ValueError("a report needs at least one source")
    with_figures = [s for s in sources if s.report.figures] or list(sources)
    corrections = [s for s in with_figures if s.is_correction]
    superseded: list[Source] = []
    if corrections and len(corrections) < len(with_figures):
        superseded = [s for s in with_figures if not s.is_correction]
        latest = max((s.report.published_at or "", s.fetched_at) for s in corrections)
        candidates = [s for s in corrections if (s.report.published_at or "", s.fetched_at) == latest]
    else:
        candidates = with_figures
    primary = min(candidates, key=_rank)
    roles = {}
    for source in sources:
        if source is primary:
            roles[source.sha256] = PRIMARY
        elif source in superseded:
            roles[source.sha256] = SUPERSEDED
        elif not source.report.figures:
            roles[source.sha256] = INDEX
        else:
            roles[source.sha256] = ALTERNATE
    merged = Merged(primary, roles, {s.sha256: s for s in sources},
                    min(superseded, key=_rank).sha256 if superseded else None)
    base = primary.report.values()
    for source in sources:
        if roles[source.sha256] != ALTERNATE:
            continue
        other = source.report.values()
        keys = sorted(k for k in base.keys() & other.keys() if base[k] != other[k])
        if keys:
            merged.findings.append(Finding(Rule.SOURCES_DISAGREE, f"{len(keys)} figure(s) differ between the report's sources; the primary's stand",
                keys=keys, expected={k: base[k] for k in keys}, actual={k: other[k] for k in keys},
                evidence={"primary": primary.sha256, "source": source.sha256},
            ))
    return merged
