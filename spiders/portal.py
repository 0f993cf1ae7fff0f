"""The spider: from a portal's annual-report column to every report on it.

One spider serves every portal; what differs between CMS families is how list
pages link onwards, and that lives in :mod:`nianbao.spiders.families`. The spider
keeps count of what each list announced against what it reached, and decides
what to fetch (report titles, never look-alikes; only the asked year) and what
not to fetch again (known attachments; conditional requests for known pages).
"""

from __future__ import annotations

import asyncio
from email.message import Message
from urllib.parse import unquote, urlsplit

import scrapy
from nianbao.spiders import families, links
from nianbao.spiders.journal import FAILURE, Journal
from nianbao.spiders.run import CrawlJob, Known
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, JsonRequest, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import ConnectionRefusedError, DNSLookupError, TCPTimedOutError, TimeoutError

from nianbao.core.encoding import decode
from nianbao.core.errors import UnreadableDocument
from nianbao.core.metadata import (
    classify_title,
    column_year,
    is_annual_report_text,
    is_lookalike,
    title_organ,
    title_year,
)
from nianbao.core.readers import read_document
from nianbao.core.readers.html import embedded_markup
from nianbao.core.store import RawStore

MAX_COLUMN_DEPTH = 2
# Steps from a home page through its navigation to an annual-report column, and links followed per step.
MAX_DISCOVERY_DEPTH = 3
MAX_DISCOVERY_LINKS = 8
# Pages up to this many characters are read on the reactor thread (a few milliseconds at most).
INLINE_PAGE_CHARS = 200_000


class PortalSpider(scrapy.Spider):
    name = "portal"

    def __init__(self, job: CrawlJob, journal: Journal, **kwargs):
        super().__init__(**kwargs)
        self.site = job.site
        self.run_id = job.run_id
        self.year = job.year
        self.known = {} if job.refresh else job.known
        self.recheck_days = 0.0
        self.journal = journal
        self.allowed_domains = job.site.allowed_domains
        self.store = RawStore()
        self.failures: list[dict[str, str]] = []
        self.families: set[str] = set()
        self.lists_seen: set[str] = set()
        # The lists where report entries were found, or the column above them: where later crawls can start.
        self.roots: set[str] = set()
        # Per list (a start URL or a sub-column): pages and entries reached, and what the list announced.
        self.columns: dict[str, dict] = {}

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.recheck_days = crawler.settings.getfloat("NIANBAO_RECHECK_DAYS", 30.0)
        return spider

    async def start(self):
        for url in self.site.start_urls:
            yield scrapy.Request(url, callback=self.parse_list, errback=self.failed,
                                 meta={"kind": "list", "depth_column": 0, "root": url, "discovery": 0})

    # ---- list pages ------------------------------------------------------------------------------

    async def parse_list(self, response):
        if not isinstance(response, TextResponse):
            yield await self._document(response, {"title": "", "anchor": "", "referrer": None, "class": "maybe"})
            return
        self._count("list_pages")
        text = _text(response)
        page = families.read_list(text, response.url, self.site.cms)
        for request in self._list(page, response.url, response.meta.get("column") or response.url,
                                  response.meta.get("depth_column", 0), response.meta.get("root") or response.url,
                                  response.meta.get("discovery")):
            yield request

    def _list(self, page: families.ListPage, url: str, column: str, depth: int, root: str,
              discovery: int | None = None):
        """Requests for what a list page leads to: its entries, its next pages, its sub-columns, its API.

        A page that is no column (no report entries, pager, list API or sub-columns) reached from a start
        URL is a step on the way from a home page: its disclosure-platform links are followed, within
        bounds, and each list found that way is a column root of its own."""
        self.families.add(page.family)
        self.lists_seen.add(url)
        state = self._column(column)
        state["pages"] += 1
        state["entries"] += len(page.entries)
        if page.announced is not None:
            state["announced"] = state["announced"] or page.announced
        state["unfollowed"] += [u for u in page.unfollowed if u not in state["unfollowed"]][:5]
        titled = page.titled()
        if titled:
            self.roots.add(root)
        hub = not (titled or page.next_pages or page.more_pages or page.requests or page.subcolumns)
        if hub and discovery is not None and discovery < MAX_DISCOVERY_DEPTH:
            for link in page.platforms[:MAX_DISCOVERY_LINKS]:
                yield scrapy.Request(link.url, callback=self.parse_list, errback=self.failed,
                                     meta={"kind": "list", "depth_column": 0, "root": link.url,
                                           "discovery": discovery + 1})
        for frame in page.frames:
            if frame not in self.lists_seen:
                self.lists_seen.add(frame)
                yield scrapy.Request(frame, callback=self.parse_list, errback=self.failed,
                                     meta={"kind": "list", "depth_column": depth, "column": column, "root": root})
        years: list[int] = []
        yield from self._entries(page.entries, url, years)
        more = self._wants_more(years)
        state["stopped"] = state["stopped"] or not more
        if more:
            for next_url in self._pages(page):
                yield scrapy.Request(next_url, callback=self.parse_list, errback=self.failed,
                                     meta={"kind": "list", "depth_column": depth, "column": column, "root": root})
            for api in page.requests:
                # An API that lists one of several columns of the page is a list of its own.
                yield self._api(api, api.state.get("column") or column, root)
        if depth < MAX_COLUMN_DEPTH:
            for link in page.subcolumns:
                year = column_year(link.text)
                if self.year and year and year not in (self.year, self.year + 1):
                    continue
                yield scrapy.Request(link.url, callback=self.parse_list, errback=self.failed,
                                     meta={"kind": "list", "depth_column": depth + 1,
                                           "root": link.url if hub else root})

    def _pages(self, page: families.ListPage) -> list[str]:
        """The list's pages not yet asked for: every one it names at once, or for one year only the next,
        page by page, since lists run newest first and the walk stops once past the year."""
        ahead = [u for u in page.next_pages + page.more_pages if u not in self.lists_seen]
        if self.year is not None:
            ahead = [u for u in page.next_pages if u not in self.lists_seen] or ahead[:1]
        self.lists_seen.update(ahead)
        return ahead

    def _column(self, column: str) -> dict:
        return self.columns.setdefault(column, {"pages": 0, "entries": 0, "announced": None, "unfollowed": [],
                                                "stopped": False})

    def _api(self, api: families.ApiRequest, column: str, root: str) -> scrapy.Request:
        meta = {"kind": "list", "api": api, "column": column, "root": root}
        if api.json is not None:
            return JsonRequest(api.url, data=api.json, callback=self.parse_api, errback=self.failed, meta=meta)
        if api.form is None:
            return scrapy.Request(api.url, callback=self.parse_api, errback=self.failed, meta=meta)
        return scrapy.FormRequest(api.url, formdata=api.form, callback=self.parse_api, errback=self.failed, meta=meta)

    def parse_api(self, response):
        self._count("list_pages")
        api: families.ApiRequest = response.meta["api"]
        records = families.FAMILIES[api.family].records(_text(response), api)
        state = self._column(response.meta["column"])
        state["entries"] += len(records.links)
        if records.total is not None:
            state["announced"] = families.Announced(records.total, None, f"{api.family} API total")
        if any(classify_title(link.text) is not None for link in records.links):
            self.roots.add(response.meta["root"])
        years: list[int] = []
        yield from self._entries(records.links, api.referrer, years)
        if records.next is not None and self._wants_more(years):
            yield self._api(records.next, response.meta["column"], response.meta["root"])
        elif records.next is not None:
            state["stopped"] = True

    def _entries(self, entries: list[links.Link], referrer: str, years: list[int]):
        """Requests for the report entries of a list; ``years`` gets the years the entries name."""
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
            if self.year and year == self.year:
                self._count("year_entries")
            info = {"title": link.text, "anchor": link.text, "referrer": referrer, "class": kind}
            yield from self._fetch(link.url, info, links.is_document_url(link.url))

    def _wants_more(self, years: list[int]) -> bool:
        """Whether older list pages may still hold the asked year: lists run newest first."""
        return self.year is None or not years or max(years) >= self.year

    # ---- articles and documents --------------------------------------------------------------------

    def _fetch(self, url: str, info: dict, document: bool):
        known = self.known.get(url)
        if known is not None and known.sha256 in self.store and (
                document or (known.fresh(self.recheck_days) and known.title == info["title"])):
            # Attachments do not change under one URL; a page seen unchanged lately, listed under the same
            # title, is checked again only every NIANBAO_RECHECK_DAYS, so an unchanged list costs one request.
            # Its stored copy still names its attachments: a crawl killed between the two fetched the page only.
            self._count("known_skipped")
            if not document:
                yield from self._stored_attachments(url, known, info["title"])
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

    async def parse_article(self, response):
        info = response.meta["info"]
        if response.status == 304:
            known: Known = response.meta["known"]
            self._count("unchanged")
            yield {"kind": "unchanged", "url": response.url, "sha256": known.sha256}
            if known.sha256 in self.store:
                for request in self._stored_attachments(response.url, known, info["title"]):
                    yield request
            return
        if not isinstance(response, TextResponse) or links.is_document_url(response.url):
            yield await self._document(response, info)
            return
        text = _text(response)
        # A page of ordinary size is read faster than a worker thread takes it and hands it back; only a long
        # one would hold up other downloads, and is read off the reactor thread.
        if len(text) <= INLINE_PAGE_CHARS:
            has_report_text, attached = _judge(text, response.url)
        else:
            has_report_text, attached = await asyncio.to_thread(_judge, text, response.url)
        if not has_report_text and not attached:
            # Judged by what it holds, not by the link that led here: a year sub-column titled like a report is a list.
            page = families.read_list(text, response.url, self.site.cms)
            if _is_list(page):
                self._count("list_pages")
                self._count("lists_by_content")
                for request in self._list(page, response.url, response.url, MAX_COLUMN_DEPTH, response.url):
                    yield request
                return
        is_report = info["class"] == "report" or has_report_text
        if not is_report:
            self._count("lookalikes_by_content")
        yield self._item(response, info, is_report)
        # A page that only points to its attachments (全文详见附件) leaves an ambiguous title
        # to be settled by the attachments' own content.
        for request in self._attachments(attached, response.url, info["title"], "report" if is_report else "maybe"):
            yield request

    def _stored_attachments(self, url: str, known: Known, title: str):
        stored = HtmlResponse(url=url, body=self.store.get(known.sha256))
        if isinstance(stored, TextResponse):
            yield from self._attachments(links.read_attachments(_text(stored), url), url, known.title or title,
                                         "report" if known.is_report else "maybe")

    def _attachments(self, attached: list[links.Link], referrer: str, title: str, kind: str = "report"):
        for link in attached:
            label = link.text or unquote(urlsplit(link.url).path.rsplit("/", 1)[-1])
            if is_lookalike(label):
                self._count("lookalikes_skipped")
                continue
            info = {"title": title, "anchor": link.text, "referrer": referrer, "class": kind}
            yield from self._fetch(link.url, info, True)

    async def parse_document(self, response):
        yield await self._document(response, response.meta["info"])

    async def _document(self, response, info: dict) -> dict:
        is_report = info["class"] == "report"
        if not is_report:
            # Reading a whole document takes long enough to stall every other download: off the reactor thread.
            is_report = await asyncio.to_thread(self._reads_as_report, response.body)
            if not is_report:
                self._count("lookalikes_by_content")
        return self._item(response, info, is_report)

    def _reads_as_report(self, body: bytes) -> bool:
        try:
            doc = read_document(body)
        except UnreadableDocument:
            self._count("unreadable")
            return False
        return is_annual_report_text("\n".join(t.text for t in doc.tokens))

    def _item(self, response, info: dict, is_report: bool) -> dict:
        title = info["title"] or ""
        headers = response.headers
        return {
            "kind": "document",
            "url": response.request.meta.get("redirect_urls", [response.url])[0],
            "final_url": response.url,
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
        failure_record = {"url": request.url, "kind": request.meta.get("kind", "?"), "reason": reason}
        self.failures.append(failure_record)
        self.journal.write(FAILURE, **failure_record)
        self._count("failures")
        if request.meta.get("kind") == "list":
            self._count("list_page_failures")

    def _count(self, name: str) -> None:
        self.crawler.stats.inc_value(f"nianbao/{name}")

    def closed(self, reason: str) -> None:
        stats = self.crawler.stats
        stats.set_value("nianbao/failure_list", self.failures[:500])
        stats.set_value("nianbao/families", sorted(self.families))
        stats.set_value("nianbao/columns", sorted(self.roots))
        stats.set_value("nianbao/incomplete", [i for i in map(_incomplete, self.columns.items()) if i][:50])


def _judge(text: str, url: str) -> tuple[bool, list[links.Link]]:
    """Whether a page carries a report's text, and the attachments it links to; a page its script draws
    from an embedded record is judged by that record's markup."""
    shown, attached = links.read_page(text, url)
    if is_annual_report_text(shown):
        return True, attached
    markup = embedded_markup(text)
    if markup is not None:
        drawn, attached = links.read_page(markup, url)
        return is_annual_report_text(drawn), attached
    return False, attached


def _is_list(page: families.ListPage) -> bool:
    """A list page: a pager, a list API, or several entries titled like reports."""
    return bool(page.next_pages or page.more_pages or page.requests) or page.titled() >= 3


def _incomplete(item: tuple[str, dict]) -> dict | None:
    """A list that announced more than the crawl reached, unless the crawl stopped early on purpose."""
    column, state = item
    announced: families.Announced | None = state["announced"]
    if state["stopped"] or announced is None:
        return None
    short = []
    if announced.pages and state["pages"] < announced.pages:
        short.append(f"{announced.pages} pages announced, {state['pages']} reached")
    if announced.records and state["entries"] < announced.records:
        short.append(f"{announced.records} records announced, {state['entries']} links found")
    if not short:
        return None
    return {"list": column, "announced": announced.source, "found": "; ".join(short),
            "unfollowed": state["unfollowed"]}


def _header(headers, name: bytes) -> str | None:
    value = headers.get(name)
    return None if value is None else decode(value)


def _text(response: TextResponse) -> str:
    """The page as text, decoded as the readers decode the same bytes (not by Scrapy's own detection)."""
    return decode(response.body, _header(response.headers, b"Content-Type"))


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
