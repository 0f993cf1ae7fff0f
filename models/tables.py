"""The database: raw documents with their fetch provenance, and the reports made of them.

sites ─< crawl_runs
documents (one row per distinct content) ─< fetches (every URL it was seen at)
documents ─ parses (what the parser read, per parser version)
organs ─< organ_aliases (every name an organ was printed under, with its first and last year)
organs ─< reports (one per organ and year) ─< report_sources >─ documents
reports ─< figures, reports ─< findings (findings may also name only an organ, or a site and run)
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class Site(SQLModel, table=True):
    __tablename__ = "sites"
    id: str = Field(primary_key=True, max_length=100)
    name: str
    region: str | None = None
    cms: str | None = None
    start_urls: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    domains: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # The registry's name rules: a printed name → the name it means (see nianbao.core.organs).
    aliases: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class CrawlRun(SQLModel, table=True):
    """One crawl of one site: ``running``, then ``finished``, ``stopped: <reason>`` or ``interrupted``
    (the process died; what it fetched was recorded by the next crawl)."""

    __tablename__ = "crawl_runs"
    id: str = Field(primary_key=True, max_length=64)
    site_id: str = Field(foreign_key="sites.id", index=True)
    year: int | None = None
    status: str = "running"
    started_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None
    stats: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class Document(SQLModel, table=True):
    """One distinct content; its bytes live in the raw store under ``sha256``."""

    __tablename__ = "documents"
    sha256: str = Field(primary_key=True, max_length=64)
    size: int
    format: str
    content_type: str | None = None
    filename: str | None = None
    title: str | None = None
    is_report: bool = False
    organ: str | None = None
    year: int | None = Field(default=None, index=True)
    first_seen_at: datetime = Field(default_factory=utcnow)


class Parse(SQLModel, table=True):
    """A document as the parser read it: stored once per content and parser version, so that
    merging a report never reads raw bytes again. ``loaded`` turns true in the transaction
    that writes what the parse contributes (a report, or a document finding)."""

    __tablename__ = "parses"
    sha256: str = Field(primary_key=True, foreign_key="documents.sha256", max_length=64)
    parser_version: str = Field(index=True)
    parsed_at: datetime = Field(default_factory=utcnow)
    error: str | None = None
    organ: str | None = None
    year: int | None = Field(default=None, index=True)
    result: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    loaded: bool = Field(default=False, index=True)


class Fetch(SQLModel, table=True):
    """A URL and the content it served: the provenance of a document."""

    __tablename__ = "fetches"
    __table_args__ = (UniqueConstraint("url", "sha256"),)
    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(index=True)
    final_url: str
    sha256: str = Field(foreign_key="documents.sha256", index=True)
    site_id: str = Field(foreign_key="sites.id", index=True)
    crawl_run_id: str = Field(foreign_key="crawl_runs.id")
    referrer: str | None = None
    anchor: str | None = None
    status: int
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    size: int
    fetched_at: datetime = Field(default_factory=utcnow)
    checked_at: datetime = Field(default_factory=utcnow)


class Organ(SQLModel, table=True):
    """One organ of one region, whatever names it printed over the years (nianbao.core.organs).

    ``code`` is the division code of a government at county level or above; ``region_code``
    the code of the region the organ belongs to, where the bundled code list has them."""

    __tablename__ = "organs"
    __table_args__ = (UniqueConstraint("region", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    # The site's region as written in the registry ("" when unknown) and the name's key within it.
    region: str = Field(default="", index=True)
    key: str
    name: str
    kind: str
    province: str | None = None
    city: str | None = None
    county: str | None = None
    code: str | None = None
    region_code: str | None = None


class OrganAlias(SQLModel, table=True):
    __tablename__ = "organ_aliases"
    __table_args__ = (UniqueConstraint("organ_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    organ_id: int = Field(foreign_key="organs.id", index=True)
    name: str = Field(index=True)
    first_year: int
    last_year: int


class Report(SQLModel, table=True):
    """One organ's report for one year, however many documents published it; ``organ`` is the
    name the primary source printed."""

    __tablename__ = "reports"
    __table_args__ = (UniqueConstraint("organ_id", "year"),)
    id: int | None = Field(default=None, primary_key=True)
    organ_id: int = Field(foreign_key="organs.id", index=True)
    organ: str = Field(index=True)
    year: int = Field(index=True)
    site_id: str | None = Field(default=None, foreign_key="sites.id", index=True)
    region: str | None = None
    # "2019+" (tables 2–4 of the State Council's template) or "pre2019" (one statistics table).
    table_format: str = "2019+"
    table2_layout: str | None = None
    table3_layout: str | None = None
    published_at: str | None = None
    source_sha256: str = Field(foreign_key="documents.sha256")
    supersedes_sha256: str | None = None
    parser_version: str
    fingerprint: str = ""
    updated_at: datetime = Field(default_factory=utcnow)


class ReportSource(SQLModel, table=True):
    __tablename__ = "report_sources"
    __table_args__ = (UniqueConstraint("report_id", "sha256"),)
    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="reports.id", index=True)
    sha256: str = Field(foreign_key="documents.sha256", index=True)
    role: str
    format: str
    is_correction: bool = False
    figure_count: int = 0
    error_count: int = 0


class Figure(SQLModel, table=True):
    __tablename__ = "figures"
    # The unique index serves every lookup by report too: a second index on report_id only slows loads.
    __table_args__ = (UniqueConstraint("report_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="reports.id")
    key: str = Field(index=True)
    value: float
    raw: str
    source_sha256: str = Field(foreign_key="documents.sha256")
    location: dict[str, int] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    table_no: int | None = None
    row: int | None = None
    col: int | None = None
    page: int | None = None
    # label, order, inferred or ocr: see nianbao.core.extract.METHODS.
    method: str = Field(default="label", index=True)
    parser_version: str


class FindingRow(SQLModel, table=True):
    __tablename__ = "findings"
    id: int | None = Field(default=None, primary_key=True)
    report_id: int | None = Field(default=None, foreign_key="reports.id", index=True)
    organ_id: int | None = Field(default=None, foreign_key="organs.id", index=True)
    site_id: str | None = Field(default=None, foreign_key="sites.id", index=True)
    crawl_run_id: str | None = Field(default=None, foreign_key="crawl_runs.id")
    source_sha256: str | None = None
    rule: str = Field(index=True)
    severity: str
    message: str
    keys: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    expected: Any = Field(default=None, sa_column=Column(JSON))
    actual: Any = Field(default=None, sa_column=Column(JSON))
    evidence: Any = Field(default=None, sa_column=Column(JSON))
    created_at: datetime = Field(default_factory=utcnow)
