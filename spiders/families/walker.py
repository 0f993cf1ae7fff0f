"""The generic column walker: where any list page leads, whatever CMS drew it.

Every family falls back on it, and alone it finds reports on a CMS it does not
know. It reads a list page for:

- **entries**: the links of the page's content, its chrome (header, navigation,
  footer, friendly links, breadcrumbs) left out;
- **sub-columns**: links named as report columns (年报, 年度报告, ``YYYY年度``,
  部门, 乡镇, 街道, organ names) in the content, or named as report columns
  anywhere on the same host;
- **pagination**, in the forms portals write it: 下一页 / 尾页 / numbered page links;
  script pagers (``createPageHTML`` and its variants, whatever the argument order,
  quotes and spacing, totals held in variables); page-count variables with
  ``index_N`` pages or a page-number query parameter;
- **what the list announces**: 共N条 / 共N页, ``totalRecord``, ``recordCount``,
  ``pageCount`` and the like, so the crawl can say when it found fewer;
- **frames**: a column page that is only a shell shows its list in a same-host
  ``<iframe>``, which is read as a page of the same column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from nianbao.spiders.links import Link, anchors, datastore_links, is_document_url, parse_html, script_links

from nianbao.core.metadata import classify_title, column_year, looks_like_organ
from nianbao.core.text import fold, squash

_CHROME_TAGS = frozenset({"header", "nav", "footer", "aside"})
_CHROME_NAME = re.compile(
    r"(?:^|[\s_-])(?:nav|navs|navbar|menu|menus|mainnav|subnav|header|head|top|topbar|footer|foot|bottom|copyright"
    r"|yqlj|friend|friendlink|links|link|crumb|crumbs|breadcrumb|location|position|dh|sitemap)(?:$|[\s_-])",
    re.IGNORECASE)
_CHROME_HEADING = re.compile(r"友情链接|相关链接|网站地图|联系我们|版权所有|网站标识码|政府网站|设为首页|加入收藏")
_BLOCKS = frozenset({"div", "ul", "ol", "dl", "table", "section", "td", "p", "span"})
_NEXT = re.compile(r"^[\s\[【(（]*(?:(?:下一?页|后一?页|下页|next\s*page|next)[\s>›»\]】)）]*|[>›»]{1,2})$", re.IGNORECASE)
# Links back to earlier pages: neither entries nor pages ahead.
_BACK = re.compile(r"^[\s\[【(（]*(?:首页|第一页|上一?页|前一?页|上页|prev(?:ious)?(?:\s*page)?|first|[<‹«]{1,2})"
                   r"[\s<‹«\]】)）]*$", re.IGNORECASE)
_LAST = re.compile(r"^[\s\[【(（]*(?:尾页|末页|最后一?页|last)[\s>»|\]】)）]*$", re.IGNORECASE)
_PLATFORM = re.compile(r"信息公开|政务公开|主动公开|公开目录")
_NOT_PLATFORM = re.compile(r"指南|制度|申请|规定|条例|意见|办法|通知|年报|年度报告|\d")
_COLUMN_WORDS = re.compile(r"年报|年度报告|信息公开工作|部门|乡镇|镇（街道）|镇\(街道\)|街道|镇街")
_STRONG_COLUMN = re.compile(r"年报|年度报告")
_PAGE_PARAM = re.compile(r"^(?:page|pageno|pageindex|pagenum|currentpage|curpage|cpage|pn|p|page_no|pageNo)$",
                         re.IGNORECASE)
_INDEX_N = re.compile(r"^(?P<stem>.*?/(?:index|list|default|column-index|list-\d+))(?:[_-](?P<n>\d+))?"
                      r"\.(?P<ext>s?html?|jsp|aspx?|php)$", re.IGNORECASE)
_CALL = re.compile(r"\bcreatePage\w*\s*\(([^()]*)\)", re.IGNORECASE)
_ASSIGN = re.compile(r"""(?:var|let|const)?\s*([A-Za-z_$][\w$]*)\s*[=:]\s*["']?(\d+)["']?\s*[;,}\n]""")
_PAGES_VAR = re.compile(r"""\b(?:countPage|pageCount|totalPages?|pagecount|page_count|pageTotal|totalpage|pages?Num)"""
                        r"""\s*[=:]\s*["']?(\d+)""", re.IGNORECASE)
_CURRENT_VAR = re.compile(r"""\b(?:currentPage|curPage|pageIndex|page_now|nowPage|currPage)\s*[=:]\s*["']?(\d+)""",
                          re.IGNORECASE)
_RECORDS_VAR = re.compile(r"""\b(?:totalRecords?|recordCount|totalCount|total_count|totalrecord|recordTotal|totalNum)"""
                          r"""["']?\s*[=:>]\s*["']?(\d+)""", re.IGNORECASE)
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_RECORDS_TEXT = re.compile(r"共\s*(?:有\s*)?(\d+)\s*(?:条|篇|项)")
# 共11页, or the current page of all: 第2/11页, 2/11页.
_PAGES_TEXT = re.compile(r"共\s*(\d+)\s*页|(?<![\d/])\d+\s*/\s*(\d+)\s*页")
# At most this many pages are taken from a pager's announced total at once: the rest come page by page.
_EXPAND = 500


@dataclass(frozen=True)
class Announced:
    """What a list says it holds: records and/or pages, and where it said so."""

    records: int | None = None
    pages: int | None = None
    source: str = ""


@dataclass
class ListPage:
    entries: list[Link] = field(default_factory=list)
    # The page after this one where the page says which it is, then every other page it names.
    next_pages: list[str] = field(default_factory=list)
    more_pages: list[str] = field(default_factory=list)
    subcolumns: list[Link] = field(default_factory=list)
    requests: list = field(default_factory=list)
    announced: Announced | None = None
    # Pagination the page shows and the walker could not turn into requests (a script pager without its URLs).
    unfollowed: list[str] = field(default_factory=list)
    # Links to a disclosure platform (政府信息公开, 政务公开 …), chrome included: the way from a home page.
    platforms: list[Link] = field(default_factory=list)
    # Same-host frames the page shows: a column page that is a shell draws its list in one.
    frames: list[str] = field(default_factory=list)
    family: str = "generic"

    def titled(self) -> int:
        """How many entries are titled as a report, or as what may be one."""
        return sum(classify_title(e.text) is not None for e in self.entries)


def _is_chrome(element) -> bool:
    if element.tag in _CHROME_TAGS:
        return True
    names = f"{element.get('class') or ''} {element.get('id') or ''}"
    if _CHROME_NAME.search(names):
        return True
    return element.tag in _BLOCKS and bool(_CHROME_HEADING.match(_lead(element)))


def _lead(element, size: int = 12) -> str:
    """The first characters of an element's text, without walking all of it."""
    out = ""
    for text in element.itertext():
        out += squash(text)
        if len(out) >= size:
            break
    return out[:size]


def content(root):
    """The page without its chrome. An element that holds a report's title, or nearly all the page's links
    (a wrapper named ``main-head``), is never chrome."""
    total = sum(1 for _ in root.iter("a"))
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or element.tag in ("html", "body") or not _is_chrome(element):
            continue
        links = list(element.iter("a"))
        if any(classify_title(a.get("title") or a.text_content()) == "report" for a in links):
            continue
        if len(links) >= 10 and len(links) * 5 > total * 4:
            continue
        element.drop_tree()
    return root


def _same_host(url: str, base: str) -> bool:
    return urlsplit(url).hostname == urlsplit(base).hostname


def _ancestor(link: str, url: str) -> bool:
    """The link is this page or a column above it (breadcrumbs, "back to the column")."""
    path = urlsplit(link).path
    directory = path if path.endswith("/") else path.rsplit("/", 1)[0] + "/"
    if _INDEX_N.match(path) or path.endswith("/"):
        return urlsplit(url).path.startswith(directory)
    return link == url


def _number_in(url: str, n: int) -> bool:
    return re.search(rf"(?<!\d){n}(?!\d)", url) is not None


def read(html: str, url: str) -> ListPage:
    root = parse_html(html)
    base = url
    for b in root.iter("base"):
        base = urljoin(url, b.get("href") or "")
        break
    page = ListPage()
    everywhere = anchors(root, base)
    following, others = pager_links(everywhere, url)
    scripted, unfollowed, script_total = script_pager(html, url)
    page.next_pages = following or scripted[:1]
    page.more_pages = [u for u in dict.fromkeys(others + scripted) if u not in page.next_pages]
    page.unfollowed = [] if page.next_pages or page.more_pages else unfollowed
    page.announced = announced(html, fold(root.text_content()), script_total)
    page.frames = frames(root, base, url)
    extra = datastore_links(root, base) + script_links(root, base)
    # Everything else read, the tree loses its chrome in place: one parse per page.
    body = anchors(content(root), base) + extra
    pager_urls = set(page.next_pages) | set(page.more_pages)
    page.entries = [link for link in body if not (link.url in pager_urls or _NEXT.match(link.text)
                                                  or _LAST.match(link.text) or _BACK.match(link.text)
                                                  or link.text.isdigit())]
    seen: set[str] = set()
    in_content = {link.url for link in body}
    for link in everywhere:
        if link.url in seen or is_document_url(link.url) or not _same_host(link.url, url) or _ancestor(link.url, url):
            continue
        if is_subcolumn(link.text, link.url in in_content):
            seen.add(link.url)
            page.subcolumns.append(link)
        elif is_platform(link.text):
            seen.add(link.url)
            page.platforms.append(link)
    # A sub-column is walked as a list of its own, not counted as an entry; one titled like a report
    # stays an entry too, to be judged by its content.
    columns = {link.url for link in page.subcolumns if classify_title(link.text) is None}
    page.entries = [link for link in page.entries if link.url not in columns]
    return page


def frames(root, base: str, url: str) -> list[str]:
    """The same-host pages a page shows in frames, hidden ones (visit counters, keep-alives) left out."""
    out: list[str] = []
    for frame in root.iter("iframe", "frame"):
        src = (frame.get("src") or "").strip()
        if not src or src.startswith(("javascript:", "about:", "data:")) or _HIDDEN.search(frame.get("style") or ""):
            continue
        if any((frame.get(side) or "").strip() in ("0", "1", "0px", "1px") for side in ("width", "height")):
            continue
        target = urljoin(base, src)
        if _same_host(target, url) and not is_document_url(target) and target != url and target not in out:
            out.append(target)
    return out


def is_platform(text: str) -> bool:
    """A link named as a disclosure platform or its statutory section, not as one of its documents."""
    s = squash(text)
    return len(s) <= 12 and bool(_PLATFORM.search(s)) and not _NOT_PLATFORM.search(s)


def is_subcolumn(text: str, in_content: bool) -> bool:
    """A link named as a report column, not as a report: in the content any column name, in chrome only
    a year or a report-column name (年报, 年度报告), never a menu entry such as 新闻发布会."""
    s = squash(text)
    if not s or len(s) > 30:
        return False
    if column_year(s) is not None:
        return True
    if re.search(r"\d{4}", s) or classify_title(s) == "report":
        # A year names a document (某局2023年度报告), not a column.
        return False
    if _STRONG_COLUMN.search(s):
        return True
    return in_content and (looks_like_organ(s) or bool(_COLUMN_WORDS.search(s)))


def pager_links(links: list[Link], url: str) -> tuple[list[str], list[str]]:
    """The pager's links on the same host: (next-page links, then last-page and numbered ones in page order)."""
    following: list[str] = []
    numbered: dict[int, str] = {}
    last: list[str] = []
    for link in links:
        if not _same_host(link.url, url) or link.url == url:
            continue
        text = squash(link.text)
        if _NEXT.match(text):
            following.append(link.url)
        elif _LAST.match(text):
            last.append(link.url)
        elif text.isdigit() and 1 <= int(text) <= 10_000 and (_number_in(link.url, int(text) - 1)
                                                             or _number_in(link.url, int(text))):
            numbered[int(text)] = link.url
    others = [u for _, u in sorted(numbered.items())] + last
    return list(dict.fromkeys(following)), [u for u in dict.fromkeys(others) if u not in following]


def _resolve(token: str, variables: dict[str, int]) -> int | str | None:
    token = token.strip()
    if re.fullmatch(r"\d+", token):
        return int(token)
    quoted = re.fullmatch(r"""["']([^"']*)["']""", token)
    if quoted:
        return quoted.group(1)
    return variables.get(token)


def script_pager(html: str, url: str) -> tuple[list[str], list[str], int | None]:
    """Pages a script pager names, pagers seen whose URLs could not be worked out, and the page total the
    first pager call announces."""
    variables = {name: int(value) for name, value in _ASSIGN.findall(html)}
    out: list[str] = []
    unfollowed: list[str] = []
    total = None
    calls = list(_CALL.finditer(html))
    for call in calls:
        args = [_resolve(a, variables) for a in call.group(1).split(",")]
        numbers = [a for a in args if isinstance(a, int)]
        if numbers and total is None:
            total = numbers[0]
        words = [a for a in args if isinstance(a, str) and re.fullmatch(r"[\w-]+", a)]
        ext = next((w for w in words if w.lower() in ("html", "shtml", "htm", "jsp", "asp", "aspx", "php")), None)
        prefix = next((w for w in words if w != ext and not w.lower().startswith(("page", "div"))), None)
        if len(numbers) < 2 or not ext or not prefix:
            unfollowed.append(call.group(0)[:120])
            continue
        count, current = numbers[0], numbers[1]
        # The names are plain words: every page sits in the folder the first one resolves to.
        first = urljoin(url, f"{prefix}.{ext}")
        folder = first[:first.rindex("/") + 1]
        out += [folder + (f"{prefix}_{n}.{ext}" if n else f"{prefix}.{ext}")
                for n in range(current + 1, min(count, current + 1 + _EXPAND))]
    if not calls:
        pages = _PAGES_VAR.search(html)
        if pages:
            current = _CURRENT_VAR.search(html)
            found = by_number(url, int(pages.group(1)), int(current.group(1)) if current else None)
            if found:
                out += found
            elif int(pages.group(1)) > 1:
                unfollowed.append(pages.group(0))
    return out, unfollowed, total


def by_number(url: str, total: int, current: int | None) -> list[str]:
    """The pages after this one where the URL itself carries the page number (``index_N``, ``?page=N``).

    Numbering starts at 0 (TRS: ``index.html``, ``index_1.html``…) unless the page's current-page variable
    says it is one ahead of the number in the URL (``index.html`` as page 1, then ``index_2.html``)."""
    parts = urlsplit(url)
    match = _INDEX_N.match(parts.path)
    query = parse_qsl(parts.query, keep_blank_values=True)
    slot = next((i for i, (name, value) in enumerate(query) if _PAGE_PARAM.match(name) and value.isdigit()), None)
    if match:
        n = int(match.group("n") or 0)
    elif slot is not None:
        n = int(query[slot][1])
    else:
        return []
    one_based = (current is not None and current == n + 1) or (match is None and n >= 1 and current in (None, n))
    logical = current if one_based and current is not None else n
    last = total if one_based else total - 1
    numbers = range(logical + 1, min(last, logical + _EXPAND) + 1)
    if match:
        stem, ext = match.group("stem"), match.group("ext")
        sep = "-" if stem.endswith("column-index") else "_"
        return [urlunsplit(parts._replace(path=f"{stem}{sep}{k}.{ext}")) for k in numbers]
    out = []
    for k in numbers:
        q = list(query)
        q[slot] = (q[slot][0], str(k))
        out.append(urlunsplit(parts._replace(query=urlencode(q))))
    return out


def announced(html: str, text: str, script_total: int | None) -> Announced | None:
    """What the list says it holds: in its text (共N条, 共N页), its script variables, or its pager call."""
    records = _RECORDS_TEXT.search(text) or _RECORDS_VAR.search(html)
    pages = _PAGES_TEXT.search(text) or _PAGES_VAR.search(html)
    page_count = int(next(g for g in pages.groups() if g)) if pages else script_total
    if records is None and page_count is None:
        return None
    source = (records or pages).group(0) if records or pages else "a createPageHTML pager"
    return Announced(int(records.group(1)) if records else None, page_count, source)
