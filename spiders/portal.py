"""The spider: from a portal's annual-report column to every report on it.

One spider serves every portal; what differs between CMS families is how list
pages link onwards, and that lives in :mod:`spiders.links`. The spider decides
what to fetch (report titles, never look-alikes; only the asked year) and what
not to fetch again (known attachments; conditional requests for known pages).
"""

from __future__ import annotations

from email.message import Message
from urllib.parse import unquote, urlsplit

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import ConnectionRefusedError, DNSLookupError, TCPTimedOutError, TimeoutError

from nianbao.models.catalog import Known
from nianbao.core.metadata import classify_title, column_year, is_annual_report_text, is_lookalike, title_organ, title_year
from nianbao.core.readers import read_document
from nianbao.core.store import RawStore
from nianbao.spiders import links
from nianbao.spiders.registry import SiteEntry

MAX_COLUMN_DEPTH = 2


class PortalSpider(scrapy.Spider):
    name = "portal"

    def __init__(self, site: SiteEntry, run_id: str, year: int | None = None, known: dict[str, Known] | None = None,
                 refresh: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.site = site
        self.run_id = run_id
        self.year = year
        self.known = {} if refresh else (known or {})
        self.allowed_domains = site.allowed_domains
        self.store = RawStore()
        self.failures: list[dict[str, str]] = []

    async def start(self):
        for url in self.site.start_urls:
            yield scrapy.Request(url, callback=self.parse_list, errback=self.failed,
                                 meta={"kind": "list", "depth_column": 0})

    # ---- list pages ------------------------------------------------------------------------------

    def parse_list(self, response):
        if not isinstance(response, TextResponse):
            yield from self._document(response, {"title": "", "anchor": "", "referrer": None, "class": "maybe"})
            return
        self._count("list_pages")
        page = links.read_list(response.text, response.url)
        years = yield from self._entries(page.entries, response.url)
        if self._wants_more(years):
            for url in page.next_pages:
                yield response.follow(url, callback=self.parse_list, errback=self.failed,
                                      meta={"kind": "list", "depth_column": response.meta.get("depth_column", 0)})
        depth = response.meta.get("depth_column", 0)
        if depth < MAX_COLUMN_DEPTH:
            for link in page.subcolumns:
                year = column_year(link.text)
                if self.year and year and year not in (self.year, self.year + 1):
                    continue
                yield scrapy.Request(link.url, callback=self.parse_list, errback=self.failed,
                                     meta={"kind": "list", "depth_column": depth + 1})
        if page.hanweb is not None:
            yield self._hanweb(page.hanweb, page.hanweb.start, response.url)

    def _hanweb(self, proxy: links.HanwebProxy, start: int, referrer: str) -> scrapy.FormRequest:
        url, form = proxy.request(start)
        return scrapy.FormRequest(url, formdata=form, callback=self.parse_hanweb, errback=self.failed,
                                  meta={"kind": "list", "hanweb": proxy, "start": start, "referrer": referrer})

    def parse_hanweb(self, response):
        self._count("list_pages")
        total, entries = links.read_hanweb_records(response.text, response.meta["referrer"])
        years = yield from self._entries(entries, response.meta["referrer"])
        proxy: links.HanwebProxy = response.meta["hanweb"]
        start = proxy.after(response.meta["start"])
        if start <= total and entries and self._wants_more(years):
            yield self._hanweb(proxy, start, response.meta["referrer"])

    def _entries(self, entries: list[links.Link], referrer: str):
        """Requests for the report entries of a list; returns the years the entries name."""
        years = []
        for link in entries:
            kind = classify_title(link.text)
            if kind is None:
                if is_lookalike(link.text):
                    self._count("lookalikes_skipped")
                continue
            year = title_year(link.text)
            if year:
                years.append(year)
            if self.year and year and year != self.year:
                self._count("other_years_skipped")
                continue
            info = {"title": link.text, "anchor": link.text, "referrer": referrer, "class": kind}
            yield from self._fetch(link.url, info, links.is_document_url(link.url))
        return years

    def _wants_more(self, years: list[int]) -> bool:
        """Whether older list pages may still hold the asked year: lists run newest first."""
        return self.year is None or not years or max(years) >= self.year

    # ---- articles and documents --------------------------------------------------------------------

    def _fetch(self, url: str, info: dict, document: bool):
        known = self.known.get(url)
        if document and known is not None and known.sha256 in self.store:
            self._count("known_skipped")
            return
        meta = {"kind": "document" if document else "article", "info": info}
        headers = {}
        if known is not None and not document:
            if known.etag:
                headers["If-None-Match"] = known.etag
            if known.last_modified:
                headers["If-Modified-Since"] = known.last_modified
            meta.update(known=known, handle_httpstatus_list=[304])
        yield scrapy.Request(url, callback=self.parse_document if document else self.parse_article,
                             errback=self.failed, headers=headers, meta=meta)

    def parse_article(self, response):
        info = response.meta["info"]
        if response.status == 304:
            known: Known = response.meta["known"]
            yield {"kind": "unchanged", "url": response.url, "sha256": known.sha256}
            if known.sha256 in self.store:
                stored = HtmlResponse(url=response.url, body=self.store.get(known.sha256))
                yield from self._attachments(stored, known.title or info["title"],
                                             "report" if known.is_report else "maybe")
            return
        if not isinstance(response, TextResponse) or links.is_document_url(response.url):
            yield from self._document(response, info)
            return
        is_report = info["class"] == "report" or is_annual_report_text(links.page_text(response.text))
        if not is_report:
            self._count("lookalikes_by_content")
        yield self._item(response, info, is_report)
        # A page that only points to its attachments (全文详见附件) leaves an ambiguous title
        # to be settled by the attachments' own content.
        yield from self._attachments(response, info["title"], "report" if is_report else "maybe")

    def _attachments(self, response: TextResponse, title: str, kind: str = "report"):
        for link in links.read_attachments(response.text, response.url):
            label = link.text or unquote(urlsplit(link.url).path.rsplit("/", 1)[-1])
            if is_lookalike(label):
                self._count("lookalikes_skipped")
                continue
            info = {"title": title, "anchor": link.text, "referrer": response.url, "class": kind}
            yield from self._fetch(link.url, info, True)

    def parse_document(self, response):
        yield from self._document(response, response.meta["info"])

    def _document(self, response, info: dict):
        is_report = info["class"] == "report"
        if not is_report:
            try:
                doc = read_document(response.body)
                is_report = is_annual_report_text("\n".join(t.text for t in doc.tokens))
            except ValueError:
                is_report = False
            if not is_report:
                self._count("lookalikes_by_content")
        yield self._item(response, info, is_report)

    def _item(self, response, info: dict, is_report: bool) -> dict:
        title = info["title"] or ""
        headers = response.headers
        return {
            "kind": "document",
            "url": response.request.meta.get("redirect_urls", [response.url])[0],
            "final_url": response.url,
            "site_id": self.site.id,
            "crawl_run_id": self.run_id,
            "referrer": info.get("referrer"),
            "anchor": info.get("anchor") or None,
            "status": response.status,
            "content_type": _header(headers, b"Content-Type"),
            "etag": _header(headers, b"ETag"),
            "last_modified": _header(headers, b"Last-Modified"),
            "filename": _filename(response),
            "title": title or None,
            "is_report": is_report,
            "organ": title_organ(title),
            "year": title_year(title),
            "body": response.body,
        }

    # ---- failures ----------------------------------------------------------------------------------

    def failed(self, failure):
        request = failure.request
        if failure.check(IgnoreRequest) and not failure.check(HttpError):
            self._count("ignored")
            return
        name = type(failure.value).__name__
        if failure.check(HttpError):
            reason = f"HTTP {failure.value.response.status}"
        elif failure.check(DNSLookupError) or "DNS" in name:
            reason = "DNS lookup failed"
        elif failure.check(TimeoutError, TCPTimedOutError) or "Timeout" in name:
            reason = "timed out"
        elif failure.check(ConnectionRefusedError) or "ConnectionRefused" in name:
            reason = "connection refused"
        else:
            reason = f"{name}: {failure.value}"
        self.failures.append({"url": request.url, "kind": request.meta.get("kind", "?"), "reason": reason})
        self._count("failures")
        if request.meta.get("kind") == "list":
            self._count("list_page_failures")

    def _count(self, name: str) -> None:
        self.crawler.stats.inc_value(f"nianbao/{name}")

    def closed(self, reason: str) -> None:
        self.crawler.stats.set_value("nianbao/failure_list", self.failures[:500])


def _header(headers, name: bytes) -> str | None:
    value = headers.get(name)
    if value is None:
        return None
    return _decode(value)


def _decode(value: bytes) -> str:
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode("gb18030", "replace")


def _filename(response) -> str | None:
    """The name a servlet gives in Content-Disposition, else the last segment of the final URL."""
    disposition = _header(response.headers, b"Content-Disposition")
    if disposition:
        message = Message()
        message["Content-Disposition"] = disposition
        name = message.get_filename()
        if name:
            return name
    tail = unquote(urlsplit(response.url).path.rsplit("/", 1)[-1])
    return tail or None
