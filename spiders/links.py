"""What a page links to: anchors with their best titles, attachments, documents.

Plain functions over a page's text and URL, shared by every CMS family
(:mod:`nianbao.spiders.families`) and the spider, tested on saved pages without
Scrapy. Everywhere portals cut titles short with ``...`` (the full one in
``title``), write attachment links only inside script strings, and serve
downloads through ``downfile.jsp``-style servlets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit

import lxml.etree
import lxml.html

from nianbao.core.text import clean

DOCUMENT_EXTENSIONS = ("pdf", "doc", "docx", "wps", "xls", "xlsx", "et", "rtf", "ofd", "txt")
_DOC_PATH = re.compile(r"\.(?:" + "|".join(DOCUMENT_EXTENSIONS) + r")$", re.IGNORECASE)
_SERVLET = re.compile(r"(?:downfile|download|filedown|attachment)[^/]*\.(?:jsp|do|aspx?|php)$|/download(?:/|$)", re.IGNORECASE)
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.DOTALL)
_NEXTGROUP = re.compile(r"<nextgroup>.*?</nextgroup>", re.DOTALL | re.IGNORECASE)
# Comments and element ids are never read here: not keeping them makes every page cheaper to parse.
_PARSER = lxml.html.HTMLParser(remove_comments=True, collect_ids=False)
_SCRIPT_ANCHOR = re.compile(r"""href\s*=\s*\\?["']([^"'\\]+)\\?["'][^>]*>([^<]*)<""", re.IGNORECASE)
_SCRIPT_URL = re.compile(r"""["']([^"'\s<>]+\.(?:""" + "|".join(DOCUMENT_EXTENSIONS) + r"""))["']""", re.IGNORECASE)
_ELLIPSIS = re.compile(r"(?:\.{2,}|…+)$")
_ONCLICK_URL = re.compile(r"""["']((?:https?://[^"'\s]+?|[\w./%-]*)\.(?:s?html?|jsp|aspx?|php|do)(?:\?[^"'\s]*)?)["']""",
                          re.IGNORECASE)


@dataclass(frozen=True)
class Link:
    url: str
    text: str


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


def anchors(root, base: str) -> list[Link]:
    """A page's links; an anchor whose ``href`` is a script or a fragment is taken to the page its
    ``onclick`` names (``queryArticleByCondition(this,'list-2.shtml')``, ``window.open('…')``)."""
    out = []
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:")):
            target = _ONCLICK_URL.search(a.get("onclick") or "")
            if target is None:
                continue
            href = target.group(1)
        elif href.startswith(("mailto:", "tel:")):
            continue
        out.append(Link(urljoin(base, href), _anchor_title(a)))
    return out


def parse_html(html: str):
    try:
        return lxml.html.fromstring(html or "<html/>", parser=_PARSER)
    except (lxml.etree.ParserError, ValueError):
        return lxml.html.fromstring("<html/>")


def cdata_links(text: str, base: str) -> list[Link]:
    """The links of the HTML fragments a text carries as CDATA (list records in XML); a ``<nextgroup>``
    is the request for the next records, no record."""
    out = []
    for fragment in _CDATA.findall(_NEXTGROUP.sub("", text)):
        if fragment.strip():
            out += anchors(lxml.html.fragment_fromstring(fragment, create_parent="div"), base)
    return out


def datastore_links(root, base: str) -> list[Link]:
    """Records a page embeds in ``<script type="text/xml">`` as CDATA fragments (Hanweb's datastore)."""
    out = []
    for script in root.iter("script"):
        text = script.text or ""
        if "<record" in text:
            out += cdata_links(text, base)
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


def read_attachments(html: str, url: str) -> list[Link]:
    """An article's attachment links: anchors to documents or download servlets, and those in scripts."""
    return _attachments(parse_html(html), url)


def read_page(html: str, url: str) -> tuple[str, list[Link]]:
    """A page's text (scripts and styles left out) and its attachment links, from one parse."""
    root = parse_html(html)
    attached = _attachments(root, url)
    lxml.etree.strip_elements(root, "script", "style", with_tail=False)
    return root.text_content(), attached


def _attachments(root, url: str) -> list[Link]:
    links = [link for link in anchors(root, url) if is_document_url(link.url)]
    known = {link.url for link in links}
    return links + [link for link in script_links(root, url) if link.url not in known]
