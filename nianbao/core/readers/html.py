"""HTML pages and fragments to tokens.

Tables become cell tokens row by row (cells as printed, spans not expanded);
everything else becomes one text token per block-level line.  Page chrome is cut
away: only the tokens of the smallest container holding the report's first and
last section headings are kept.

Some platforms draw the article in the browser from a record embedded in the
page's script (Guangdong's 政府信息公开目录 pages: ``window._CONFIG = {DETAIL:
{"content": "<p>…", …}}``): a page whose own markup holds no table is read from
the longest embedded JSON ``content`` string that is markup, when there is one.
"""

from __future__ import annotations

import json
import re

from lxml import etree

from nianbao.core import sections
from nianbao.core.document import Document, Token
from nianbao.core.encoding import decode, encoding_of
from nianbao.core.metadata import find_published

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
# A JSON string under the key "content" (quoted or not, as script object literals write keys).
_EMBEDDED = re.compile(r"""["']?\bcontent["']?\s*:\s*(?=")""")
_EMBEDDED_BYTES = re.compile(rb"""["']?\bcontent["']?\s*:\s*\"""")
_EMBEDDED_DATE = re.compile(r"""["']?\b(?:created_at|publish_time|publishDate|pubDate|display_publish_time)["']?\s*:\s*"""
                            r"""["']?(\d{4}-\d{1,2}-\d{1,2})""")
_JSON = json.JSONDecoder()
_PREAMBLE_ENTRIES = 200
_PARSERS = {
    enc: etree.HTMLParser(encoding=enc, remove_comments=True, remove_pis=True, collect_ids=False, no_network=True)
    for enc in ("utf-8", "gb18030")
}
_STR_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False, no_network=True)

_CELL = "\ue000"
_TABLE = "\ue001"
_OPEN = "\ue002"
_CLOSE = "\ue003"
_TITLE = "\ue004"
# The page as lines, serialised inside libxslt: a table announces itself with a
# _TABLE line, each cell is one _CELL line, an empty line ends a table row; block
# elements put their text on lines of their own; containers (and cells that hold
# a table, which are page layout) are bracketed by _OPEN and _CLOSE lines; only
# tables holding tables pay for looking into every cell.  XPath's normalize-space
# knows only ASCII spaces: cells are normalised again in Python, where no-break and
# ideographic spaces are spaces too, which costs less than translating every cell.
# Lists made only of links are menus and related-article lists: never a report (one
# predicate, not two: libxslt counts positions among the nodes a first predicate keeps).
_TO_LINES = etree.XSLT(etree.XML(f"""\
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="utf-8"/>
<xsl:template match="script|style|noscript|select|template|object|iframe|svg"/>
<xsl:template match="ul[count(li) &gt; 5 and not(li[not(.//a)])]|ol[count(li) &gt; 5 and not(li[not(.//a)])]"/>
<xsl:template match="head">
  <xsl:for-each select="title"><xsl:text>&#10;{_TITLE}</xsl:text><xsl:value-of select="normalize-space(.)"/></xsl:for-each>
  <xsl:for-each select="meta[@name='PubDate' or @name='pubdate' or @name='publishdate' or @name='firstpublishedtime']">
    <xsl:text>&#10;发布日期：</xsl:text><xsl:value-of select="@content"/>
  </xsl:for-each>
  <xsl:text>&#10;</xsl:text>
</xsl:template>
<xsl:template match="table">
  <xsl:text>&#10;{_TABLE}&#10;</xsl:text>
  <xsl:choose>
    <xsl:when test=".//table">
      <xsl:for-each select="tr|*/tr">
        <xsl:for-each select="td|th">
          <xsl:choose>
            <xsl:when test=".//table">
              <xsl:text>&#10;{_OPEN}&#10;</xsl:text><xsl:apply-templates/><xsl:text>&#10;{_CLOSE}&#10;</xsl:text>
            </xsl:when>
            <xsl:otherwise>
              <xsl:text>{_CELL}</xsl:text><xsl:value-of select="normalize-space(.)"/><xsl:text>&#10;</xsl:text>
            </xsl:otherwise>
          </xsl:choose>
        </xsl:for-each>
        <xsl:text>&#10;</xsl:text>
      </xsl:for-each>
    </xsl:when>
    <xsl:otherwise>
      <xsl:for-each select="tr|*/tr">
        <xsl:for-each select="td|th">
          <xsl:text>{_CELL}</xsl:text><xsl:value-of select="normalize-space(.)"/><xsl:text>&#10;</xsl:text>
        </xsl:for-each>
        <xsl:text>&#10;</xsl:text>
      </xsl:for-each>
    </xsl:otherwise>
  </xsl:choose>
</xsl:template>
<xsl:template match="div|section|article|main|form|center|header|footer|nav|aside|ul|ol|dl|figure|blockquote">
  <xsl:text>&#10;{_OPEN}&#10;</xsl:text><xsl:apply-templates/><xsl:text>&#10;{_CLOSE}&#10;</xsl:text>
</xsl:template>
<xsl:template match="p|br|h1|h2|h3|h4|h5|h6|li|dt|dd|pre|hr|caption|address">
  <xsl:text>&#10;</xsl:text><xsl:apply-templates/><xsl:text>&#10;</xsl:text>
</xsl:template>
</xsl:stylesheet>"""))


def _document(lines: str) -> Document:
    """The serialised page as a document, narrowed to the container that holds the report.

    Every line becomes a token; a container's tokens are the run appended between
    its opening and closing lines, so the narrowing keeps the run of the innermost
    container around the report's first and last heading.  The page title and the
    lines above the report (where portals print 发布日期) are kept as hints.
    """
    title = None
    tokens: list[Token] = []
    headings: list[tuple[int, tuple[int, ...]]] = []
    spans: list[list[int]] = []
    stack: list[int] = []
    row = col = 0
    table = -1
    heading_of = sections.heading_of
    for line in lines.split("\n"):
        if not line:
            row += 1
            col = 0
        elif line[0] == _CELL:
            text = line[1:]
            tokens.append(Token(text if text.isascii() else " ".join(text.split()), row, True, table, col))
            col += 1
        elif line == _TABLE:
            table += 1
            row += 1
        elif line == _OPEN:
            stack.append(len(spans))
            spans.append([len(tokens), -1])
        elif line == _CLOSE:
            if stack:
                spans[stack.pop()][1] = len(tokens)
        elif line[0] == _TITLE:
            title = title or line[1:]
        elif not line.isspace():
            if len(line) < 100 and heading_of(line) is not None:
                headings.append((len(tokens), tuple(stack)))
            tokens.append(Token(" ".join(line.split()), row))
            row += 1
    above = tokens[:headings[0][0]] if headings else tokens[:_PREAMBLE_ENTRIES]
    container = _container(headings)
    if container is not None:
        start, end = spans[container]
        tokens = tokens[start:end if end >= 0 else len(tokens)]
    doc = Document("html", tokens)
    if title:
        doc.title_hints.append(title)
    doc.published_at = find_published(_rows(above[-_PREAMBLE_ENTRIES:]))
    return doc


def _rows(tokens: list[Token]) -> list[str]:
    """Tokens joined row by row, so a 生成日期 cell and its date cell read as one line."""
    rows: dict[int, list[str]] = {}
    for tok in tokens:
        rows.setdefault(tok.row, []).append(tok.text)
    return ["".join(parts) for parts in rows.values()]


def _container(headings: list[tuple[int, tuple[int, ...]]]) -> int | None:
    """The innermost container around the first and last heading, if any."""
    if len(headings) < 2:
        return None
    first, last = headings[0][1], headings[-1][1]
    depth = 0
    while depth < min(len(first), len(last)) and first[depth] == last[depth]:
        depth += 1
    return first[depth - 1] if depth else None


def embedded_markup(text: str) -> str | None:
    """The longest JSON ``content`` string in a page's scripts that is markup: the article a script draws."""
    best = None
    for m in _EMBEDDED.finditer(text):
        try:
            value, _ = _JSON.raw_decode(text, m.end())
        except ValueError:
            continue
        if isinstance(value, str) and "<" in value and (best is None or len(value) > len(best)):
            best = value
    return best


def read_html(data: bytes) -> Document:
    doc = _read(data)
    if any(t.cell for t in doc.tokens) or _EMBEDDED_BYTES.search(data) is None:
        return doc
    text = decode(data)
    markup = embedded_markup(text)
    if markup is None:
        return doc
    inner = _read(markup.encode("utf-8"))
    inner.title_hints += doc.title_hints
    date = _EMBEDDED_DATE.search(text)
    inner.published_at = inner.published_at or doc.published_at or (
        find_published([f"发布日期：{date.group(1)}"]) if date else None)
    return inner


def _read(data: bytes) -> Document:
    encoding = encoding_of(data)
    parser = _PARSERS.get(encoding)
    try:
        if parser is None or _XML_DECL.match(data[:256].decode("ascii", "ignore")):
            text = _XML_DECL.sub("", decode(data), count=1)
            root = etree.fromstring(text, _STR_PARSER)
        else:
            # libxml2 decodes the bytes itself, faster than parsing a str.
            root = etree.fromstring(data, parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise ValueError(f"not parseable as HTML: {exc}") from exc
    if root is None:
        raise ValueError("not parseable as HTML: no elements")
    return _document(str(_TO_LINES(root)))
