"""What a disclosure page links to, in the ways the common CMS families write it.

Plain functions over a page's text and URL, so they are tested on saved pages
without Scrapy:

- TRS WCM: list pages ``index.html``, ``index_1.html``… whose pagination is a
  script call, ``createPageHTML(5, 0, "index", "html")``, not links.
- Hanweb JCMS: records in a ``<script type="text/xml">`` datastore and the rest
  loaded by POST from ``/module/web/jpage/dataproxy.jsp`` as XML.
- Disclosure platforms (xxgk): year and department/town sub-columns, plain
  "下一页" links.
- Everywhere: titles cut short with ``...`` (the full one in ``title``),
  attachment links written only inside script strings, downloads through
  ``downfile.jsp``-style servlets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit

import lxml.etree
import lxml.html

from nianbao.core.metadata import column_year, looks_like_organ
from nianbao.core.text import clean

DOCUMENT_EXTENSIONS = ("pdf", "doc", "docx", "wps", "xls", "xlsx", "et", "rtf", "ofd", "txt")
_DOC_PATH = re.compile(r"\.(?:" + "|".join(DOCUMENT_EXTENSIONS) + r")$", re.IGNORECASE)
_SERVLET = re.compile(r"(?:downfile|download|filedown|attachment)[^/]*\.(?:jsp|do|aspx?|php)$|/download(?:/|$)", re.IGNORECASE)
_CREATE_PAGE = re.compile(r"createPage(?:HTML)?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*[\"']([^\"']+)[\"']\s*,\s*[\"']([^\"']+)[\"']")
_NEXT = re.compile(r"^(?:下一?页|后一页|下页|>|›|»|next)$", re.IGNORECASE)
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.DOTALL)
_SCRIPT_ANCHOR = re.compile(r"""href\s*=\s*\\?["']([^"'\\]+)\\?["'][^>]*>([^<]*)<""", re.IGNORECASE)
_SCRIPT_URL = re.compile(r"""["']([^"'\s<>]+\.(?:""" + "|".join(DOCUMENT_EXTENSIONS) + r"""))["']""", re.IGNORECASE)
_PROXY = re.compile(r"""[\w./-]*/module/web/jpage/dataproxy\.jsp""")
_JS_PARAM = re.compile(r"param\s*:\s*\{([^}]*)\}", re.DOTALL)
_JS_PAIR = re.compile(r"""(\w+)\s*:\s*["']?([^,"'}]*)["']?""")
_PER_PAGE = re.compile(r"perPage\s*:\s*['\"]?(\d+)")
_RECORD = re.compile(r"<record[\s>]", re.IGNORECASE)
_TOTAL = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>", re.IGNORECASE)
_ELLIPSIS = re.compile(r"(?:\.{2,}|…+)$")


@dataclass(frozen=True)
class Link:
    url: str
    text: str


@dataclass(frozen=True)
class HanwebProxy:
    """The POST that loads a Hanweb column's records ``start``…``start + group - 1``."""

    url: str
    params: dict[str, str]
    per_page: int
    start: int

    def request(self, start: int | None = None) -> tuple[str, dict[str, str]]:
        start = self.start if start is None else start
        end = start + 3 * self.per_page - 1
        return f"{self.url}?startrecord={start}&endrecord={end}&perpage={self.per_page}", self.params

    def after(self, start: int) -> int:
        return start + 3 * self.per_page


@dataclass
class ListPage:
    entries: list[Link] = field(default_factory=list)
    next_pages: list[str] = field(default_factory=list)
    subcolumns: list[Link] = field(default_factory=list)
    hanweb: HanwebProxy | None = None


def is_document_url(url: str) -> bool:
    """An attachment rather than a page: a document extension, or a download servlet."""
    parts = urlsplit(url)
    if _DOC_PATH.search(unquote(parts.path)):
        return True
    if _SERVLET.search(parts.path):
        return True
    return any(_DOC_PATH.search(v) for _, v in parse_qsl(parts.query))


def _anchor_title(a) -> str:
    text = clean(a.text_content())
    title = clean(a.get("title") or "")
    if title and (not text or _ELLIPSIS.search(text) or len(title) > len(text)):
        return title
    return text


def _anchors(root, base: str) -> list[Link]:
    out = []
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        out.append(Link(urljoin(base, href), _anchor_title(a)))
    return out


def _root(html: str):
    try:
        return lxml.html.fromstring(html or "<html/>")
    except (lxml.etree.ParserError, ValueError):
        return lxml.html.fromstring("<html/>")


def _datastore_links(root, base: str) -> list[Link]:
    """Records a Hanweb page embeds in ``<script type="text/xml">`` as CDATA fragments."""
    out = []
    for script in root.iter("script"):
        text = script.text or ""
        if "<record" not in text and "<nextgroup" not in text:
            continue
        for fragment in _CDATA.findall(text):
            if fragment.strip():
                out += _anchors(lxml.html.fragment_fromstring(fragment, create_parent="div"), base)
    return out


def script_links(root, base: str) -> list[Link]:
    """Document links written only inside scripts (``var file_appendix = '<a href=…>'``)."""
    out = []
    for script in root.iter("script"):
        text = script.text or ""
        seen = set()
        for href, label in _SCRIPT_ANCHOR.findall(text):
            url = urljoin(base, href)
            if is_document_url(url):
                seen.add(url)
                out.append(Link(url, clean(label)))
        for href in _SCRIPT_URL.findall(text):
            url = urljoin(base, href)
            if url not in seen and not url.endswith(".js"):
                seen.add(url)
                out.append(Link(url, ""))
    return out


def _hanweb(root, html: str, base: str) -> HanwebProxy | None:
    match = _PROXY.search(html)
    if match is None:
        return None
    params: dict[str, str] = {}
    embedded = 0
    for script in root.iter("script"):
        text = script.text or ""
        if "<nextgroup" in text:
            for fragment in _CDATA.findall(text):
                href = re.search(r"href=[\"']([^\"']+)", fragment)
                if href and "dataproxy.jsp" in href.group(1):
                    params.update(parse_qsl(urlsplit(href.group(1)).query))
            embedded += len(_RECORD.findall(text))
        for block in _JS_PARAM.findall(text):
            params.update((k, v.strip()) for k, v in _JS_PAIR.findall(block))
    params.pop("page", None)
    if "columnid" not in params:
        return None
    per_page = _PER_PAGE.search(html)
    return HanwebProxy(urljoin(base, match.group(0)), params, int(per_page.group(1)) if per_page else 15,
                       embedded + 1)


def read_hanweb_records(xml: str, base: str) -> tuple[int, list[Link]]:
    """A ``dataproxy.jsp`` answer: the column's total record count and this group's links."""
    total = _TOTAL.search(xml)
    links = []
    for fragment in _CDATA.findall(xml):
        if fragment.strip():
            links += _anchors(lxml.html.fragment_fromstring(fragment, create_parent="div"), base)
    return (int(total.group(1)) if total else len(links)), links


def _trs_next(html: str, url: str) -> list[str]:
    match = _CREATE_PAGE.search(html)
    if not match:
        return []
    total, current, prefix, ext = int(match.group(1)), int(match.group(2)), match.group(3), match.group(4)
    if current + 1 >= total:
        return []
    return [urljoin(url, f"{prefix}_{current + 1}.{ext}")]


def read_list(html: str, url: str) -> ListPage:
    """Entries (every link with its best title), the next list page, sub-columns and a Hanweb proxy."""
    root = _root(html)
    base = url
    for b in root.iter("base"):
        base = urljoin(url, b.get("href") or "")
        break
    page = ListPage()
    anchors = _anchors(root, base) + _datastore_links(root, base)
    page.next_pages = _trs_next(html, url)
    host = urlsplit(url).hostname
    for link in anchors:
        if _NEXT.match(link.text):
            if urlsplit(link.url).hostname == host:
                page.next_pages.append(link.url)
            continue
        page.entries.append(link)
        if not is_document_url(link.url) and (column_year(link.text) or looks_like_organ(link.text)):
            page.subcolumns.append(link)
    page.entries += script_links(root, base)
    page.hanweb = _hanweb(root, html, base)
    return page


def read_attachments(html: str, url: str) -> list[Link]:
    """An article's attachment links: anchors to documents or download servlets, and those in scripts."""
    root = _root(html)
    links = [link for link in _anchors(root, url) if is_document_url(link.url)]
    known = {link.url for link in links}
    return links + [link for link in script_links(root, url) if link.url not in known]


def page_text(html: str) -> str:
    root = _root(html)
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    return root.text_content()
