"""Every finding rule nianbao can report: its id, severity, scope and meaning, in one place.

Findings name their rule by member (``Rule.TABLE_MISSING``); the database, the
JSON output and the exports carry the rule's ``id`` (``table.missing``). The
README's findings table is this catalogue printed (``python -m nianbao.core.rules``)
and a test keeps the two equal.
"""

from __future__ import annotations

from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Scope(StrEnum):
    """What a finding is about: one report, one stored document, one portal, one organ."""

    REPORT = "report"
    DOCUMENT = "document"
    SITE = "site"
    ORGAN = "organ"


class Rule(StrEnum):
    """A rule is its id wherever a string is wanted: ``Rule.TABLE_MISSING == "table.missing"``."""

    IDENTITY_1 = ("identity.1", Severity.ERROR, Scope.REPORT,
                  "for a table-3 column, new + carried over ≠ processed + carried forward")
    IDENTITY_2 = ("identity.2", Severity.ERROR, Scope.REPORT,
                  "for a table-3 column, processed ≠ the sum of the outcomes")
    IDENTITY_3 = ("identity.3", Severity.ERROR, Scope.REPORT,
                  "a table-3 row's total ≠ the sum of its six applicant columns")
    IDENTITY_4 = ("identity.4", Severity.ERROR, Scope.REPORT,
                  "a table-4 group's total ≠ the sum of its four results")
    IDENTITY_5 = ("identity.5", Severity.ERROR, Scope.REPORT,
                  "this year's carried-over applications ≠ the carried-forward ones of the organ's report "
                  "of the year before")
    NARRATIVE_APPLICATIONS = ("narrative.applications", Severity.WARNING, Scope.REPORT,
                              "the narrative's count of applications (共受理…件, 未收到…申请) differs from table 3")
    TABLE_MISSING = ("table.missing", Severity.ERROR, Scope.REPORT,
                     "a whole table was not found; its keys are absent")
    TABLE_ROW_MISSING = ("table.row_missing", Severity.ERROR, Scope.REPORT,
                         "a row was not found; its keys are absent")
    TABLE_ROW_INCOMPLETE = ("table.row_incomplete", Severity.ERROR, Scope.REPORT,
                            "a row had fewer values than columns; its keys are absent, the raw values are the evidence")
    TABLE_EXTRA_VALUES = ("table.extra_values", Severity.WARNING, Scope.REPORT, "values with no column")
    TABLE_READ_BY_ORDER = ("table.read_by_order", Severity.INFO, Scope.REPORT,
                           "labels and values came apart (a conversion): the table was read in its fixed row order, "
                           "the one reading its identities allow; its figures say `order` or `inferred`")
    TABLE_AMBIGUOUS = ("table.ambiguous", Severity.ERROR, Scope.REPORT,
                       "several readings of a table satisfy its identities and disagree; the figures they disagree "
                       "on are left out")
    TABLE_DETACHED = ("table.detached", Severity.ERROR, Scope.REPORT,
                      "values printed apart from their labels and no reading satisfies the identities; only figures "
                      "printed beside their own labels are kept, the raw values are the evidence")
    REPORT_PRE2019 = ("report.pre2019", Severity.INFO, Scope.REPORT,
                      "a report in the pre-2019 format (one statistics table): read into `legacy.*` keys, never "
                      "into the 2019+ keys")
    LEGACY_SUM = ("legacy.sum", Severity.ERROR, Scope.REPORT,
                  "in a pre-2019 statistics table, a total ≠ the sum of its parts")
    TABLE_DUPLICATE_MISMATCH = ("table.duplicate_mismatch", Severity.WARNING, Scope.REPORT,
                                "a table printed twice with different numbers (the first is kept)")
    TIMELINESS_LATE = ("timeliness.late", Severity.WARNING, Scope.REPORT,
                       "published after its statutory deadline (条例 第四十九、五十条); the evidence names the organ's "
                       "kind, the deadline, the rule applied and the days late")
    TIMELINESS_UNKNOWN = ("timeliness.unknown", Severity.INFO, Scope.REPORT,
                          "no readable publication date: whether the deadline was met is unknown")
    ORGAN_AMBIGUOUS = ("organ.ambiguous", Severity.WARNING, Scope.REPORT,
                       "the printed organ name could mean several organs of the site's region (白沙 for 白沙镇 and "
                       "白沙街道); the report is kept under an organ of its own, never merged with either")
    COVERAGE_MISSING_YEAR = ("coverage.missing_year", Severity.WARNING, Scope.ORGAN,
                             "the organ published reports for years before and after this one but none for it")
    SOURCES_DISAGREE = ("sources.disagree", Severity.WARNING, Scope.REPORT,
                        "another source of the report prints different figures; the primary's stand")
    DOCUMENT_NO_TEXT_LAYER = ("document.no_text_layer", Severity.ERROR, Scope.DOCUMENT,
                              "a PDF without a text layer (a scan): no figures read, none guessed")
    DOCUMENT_OCR = ("document.ocr", Severity.INFO, Scope.DOCUMENT,
                    "a PDF without a text layer, read by OCR: its figures say `ocr`")
    OCR_UNVERIFIED = ("ocr.unverified", Severity.ERROR, Scope.REPORT,
                      "figures read by OCR in a table whose identities do not hold: left out, since a misread "
                      "digit cannot be told from a source's own error")
    DOCUMENT_NEEDS_LIBREOFFICE = ("document.needs_libreoffice", Severity.ERROR, Scope.DOCUMENT,
                                  "a DOC, WPS or RTF document and no LibreOffice to convert it")
    DOCUMENT_UNREADABLE = ("document.unreadable", Severity.ERROR, Scope.DOCUMENT,
                           "a stored document that cannot be read at all; the message says why")
    DOCUMENT_UNIDENTIFIED = ("document.unidentified", Severity.ERROR, Scope.DOCUMENT,
                             "neither a document nor its title names the organ and year it reports on")
    SITE_UNREACHABLE = ("site.unreachable", Severity.ERROR, Scope.SITE,
                        "no list page of the portal could be fetched (DNS, HTTP status, connection)")
    SITE_CHANGED = ("site.changed", Severity.ERROR, Scope.SITE,
                    "list pages fetched but no report found where earlier crawls found some")
    SITE_NO_REPORTS = ("site.no_reports", Severity.WARNING, Scope.SITE, "list pages fetched, no report found")
    SITE_CRAWL_BOUNDED = ("site.crawl_bounded", Severity.WARNING, Scope.SITE,
                          "the crawl hit a bound (requests per crawl, query strings per list page path): a spider "
                          "trap, or a portal larger than the bound; what it found is kept")
    SITE_LIST_INCOMPLETE = ("site.list_incomplete", Severity.WARNING, Scope.SITE,
                            "a list announced more records or pages than the crawl reached; the evidence names the "
                            "list, announced versus found, and the pagination that could not be followed")
    SITE_YEAR_NOT_FOUND = ("site.year_not_found", Severity.WARNING, Scope.SITE,
                           "a crawl for one year found no report of that year")
    SITE_LIST_PAGES_FAILED = ("site.list_pages_failed", Severity.WARNING, Scope.SITE, "some list pages failed")
    SITE_CRAWL_FAILED = ("site.crawl_failed", Severity.ERROR, Scope.SITE,
                         "the crawl process failed or ran out of time, after its retries; what it fetched is kept")

    def __new__(cls, id: str, severity: Severity, scope: Scope, meaning: str) -> Rule:
        rule = str.__new__(cls, id)
        rule._value_ = id
        rule.severity = severity
        rule.scope = scope
        rule.meaning = meaning
        return rule

    @property
    def id(self) -> str:
        return self.value


def markdown() -> str:
    """The catalogue as the README's findings table."""
    lines = ["| rule | severity | about | meaning |", "|---|---|---|---|"]
    lines += [f"| `{r.id}` | {r.severity} | {r.scope} | {r.meaning} |" for r in Rule]
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown())
