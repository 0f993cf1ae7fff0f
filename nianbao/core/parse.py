"""One document in, one :class:`ParsedReport` out: the parser's public entry point."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nianbao.core import config
from nianbao.core.document import Document
from nianbao.core.errors import UnreadableDocument
from nianbao.core.extract import Figure, extract
from nianbao.core.findings import Finding
from nianbao.core.keys import PRE2019, TABLE_FORMAT
from nianbao.core.legacy import is_pre2019, read_legacy, validate_legacy
from nianbao.core.metadata import find_published, find_title, find_year
from nianbao.core.readers import ocr, read_document
from nianbao.core.rules import Rule
from nianbao.core.validate import validate, validate_narrative

# Changes whenever a document would be read differently: stored parses of another
# version are parsed again. tests/test_parser_version.py fails when the output on
# its corpus changes while the release stays the same.
PARSER_RELEASE = "2026.12.7"
# Scans are read only where the ocr extra is installed: installing it parses stored documents again.
PARSER_VERSION = PARSER_RELEASE + ("+ocr" if ocr.installed() else "")
MAX_DOCUMENT_BYTES = config.settings().max_document_bytes
_HEAD_LINES = 40
_HEAD_TOKENS = 400


@dataclass
class ParsedReport:
    source: str
    format: str
    organ: str | None = None
    year: int | None = None
    published_at: str | None = None
    title: str | None = None
    table_format: str = TABLE_FORMAT
    table2_layout: str | None = None
    table3_layout: str | None = None
    figures: dict[str, Figure] = field(default_factory=dict)
    sections: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    parser_version: str = PARSER_VERSION

    def values(self) -> dict[str, int | float]:
        return {k: f.value for k, f in self.figures.items()}

    def to_json(self, provenance: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "source": self.source,
            "format": self.format,
            "organ": self.organ,
            "year": self.year,
            "published_at": self.published_at,
            "table_format": self.table_format,
            "table2_layout": self.table2_layout,
            "table3_layout": self.table3_layout,
            "figures": self.values(),
            "methods": {k: f.method for k, f in self.figures.items()},
            "findings": [f.to_dict() for f in self.findings],
        }
        if provenance:
            out["provenance"] = {k: {"raw": f.raw, "location": f.location, "method": f.method}
                                 for k, f in self.figures.items()}
            out["sections"] = self.sections
        return out

    def to_record(self) -> dict[str, Any]:
        """Everything the parse found, as JSON-ready data (:meth:`from_record` reads it back)."""
        return {"source": self.source, "format": self.format, "organ": self.organ, "year": self.year,
                "published_at": self.published_at, "title": self.title, "table_format": self.table_format, "table2_layout": self.table2_layout,
                "table3_layout": self.table3_layout, "parser_version": self.parser_version,
                "figures": {k: [f.value, f.raw, f.location, f.method] for k, f in self.figures.items()},
                "sections": self.sections, "findings": [f.to_dict() for f in self.findings]}

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> ParsedReport:
        figures = {k: Figure(*fields) for k, fields in data["figures"].items()}
        findings = [Finding(Rule(f["rule"]), f.get("message", ""), f.get("keys", []), f.get("expected"),
                            f.get("actual"), f.get("evidence", {})) for f in data["findings"]]
        return cls(data["source"], data["format"], data["organ"], data["year"], data["published_at"], data["title"],
                   data.get("table_format", TABLE_FORMAT), data["table2_layout"], data["table3_layout"], figures, data["sections"], findings,
                   data["parser_version"])


def _head_lines(doc: Document) -> list[str]:
    """The document's first lines, a table row's cells joined into one."""
    lines: list[list[str]] = []
    last = None
    for tok in doc.tokens[:_HEAD_TOKENS]:
        if tok.row != last:
            if len(lines) >= _HEAD_LINES:
                break
            lines.append([])
            last = tok.row
        lines[-1].append(tok.text)
    return ["".join(parts) for parts in lines]


def parse_document(doc: Document, source: str) -> ParsedReport:
    report = ParsedReport(source=source, format=doc.format, findings=list(doc.findings))
    if not doc.has_text:
        return report
    head = _head_lines(doc)
    title = find_title(head, doc.title_hints)
    ext = extract(doc.tokens)
    report.sections = ext.sections
    # A 2019+ table 3 opens with 本年新收…; only documents without it can be pre-2019 ones.
    pre2019 = "t3.new_received.total" not in ext.figures and is_pre2019(doc.tokens)
    if pre2019:
        report.table_format = PRE2019
        report.figures, legacy_findings = read_legacy(doc.tokens)
        legacy_findings.insert(0, Finding(Rule.REPORT_PRE2019, "a pre-2019 report: its statistics table is read "
                                          f"into {len(report.figures)} legacy.* figures, none into the 2019+ keys"))
    else:
        report.figures = ext.figures
        report.table2_layout = ext.table2_layout
        report.table3_layout = ext.table3_layout
    if title is not None:
        report.title, report.organ, report.year = title.title, title.organ, title.year
    if report.year is None:
        report.year = find_year(ext.sections.get("one", "")) or find_year("\n".join(head))
    report.published_at = doc.published_at or find_published(head)
    if doc.ocr:
        report.findings += _drop_unverified(report)
    values = report.values()
    if pre2019:
        report.findings += legacy_findings + validate_legacy(values)
        return report
    report.findings += ext.findings
    report.findings += validate(values, ext.table3_layout)
    report.findings += validate_narrative(ext.sections.get("one", ""), values)
    return report


def _drop_unverified(report: ParsedReport) -> list[Finding]:
    """OCR figures of tables 3 and 4 stand only where the identities vouch for them."""
    broken = validate(report.values(), report.table3_layout)
    keys = sorted({k for f in broken for k in f.keys if k in report.figures})
    if not keys:
        return []
    for key in keys:
        del report.figures[key]
    return [Finding(Rule.OCR_UNVERIFIED, f"{len(keys)} figures read by OCR are in rows or columns whose identities "
                    "do not hold; they are left out", keys=keys, evidence={"identities": sorted({f.rule.id for f in broken})})]


def parse_bytes(data: bytes, source: str = "<bytes>") -> ParsedReport:
    """Parse a document held in memory; raises :class:`UnreadableDocument`."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise UnreadableDocument(f"{len(data)} bytes is more than the {MAX_DOCUMENT_BYTES}-byte limit for a report")
    return parse_document(read_document(data), source)


def parse_file(path: str | os.PathLike[str]) -> ParsedReport:
    """Parse a file; its size is checked before a byte of it is read."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise UnreadableDocument(f"{size} bytes is more than the {MAX_DOCUMENT_BYTES}-byte limit for a report")
        if p.is_dir():
            raise UnreadableDocument("a directory, not a file")
        data = p.read_bytes()
    except OSError as exc:
        raise UnreadableDocument(exc.strerror or str(exc)) from exc
    return parse_bytes(data, str(path))


def parse_stored(sha256: str, root: str | None = None) -> tuple[str, dict[str, Any] | None, str | None]:
    """Parse one document of the raw store: (sha256, :meth:`ParsedReport.to_record`, None) or
    (sha256, None, why it cannot be read). Runs in worker processes: takes and returns plain data."""
    from nianbao.core.store import RawStore

    try:
        return sha256, parse_bytes(RawStore(Path(root) if root else None).get(sha256), source=sha256).to_record(), None
    except UnreadableDocument as exc:
        return sha256, None, str(exc)
    except OSError as exc:
        return sha256, None, f"the stored copy cannot be read: {exc.strerror or exc}"
