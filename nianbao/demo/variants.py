"""Random portal variants: the same column drawn as differently as real county portals draw it.

``Variant(seed, prefix)`` is one county's annual-report column under ``prefix``,
its markup drawn at random from what portals do: how the list pages (script
pagers in their spellings, 下一页 / numbered / 尾页 links, ``index_N`` or query
pages, page-count variables), a Hanweb column (records embedded, the rest by
POST, configured under any key with any quoting), a column of year
sub-columns, a column of Guangdong's 政府信息公开目录 platform (gkmlpt: a
script application listing by JSON API, its articles drawn from embedded
records), a JPaaS column (units declared in ``unitbuild.js`` script tags,
drawn by GET as JSON-wrapped HTML), a Hanweb-style pager naming another CMS's
endpoint answered as JSONP, an Epoint WebBuilder column listing by a POST of
JSON, a TRS column whose first page is static and whose further pages come
from one of TRS's search services ("动静结合", IGS, WAS5 or IRS), a column of
Hanweb's disclosure module (a list POSTed for from ``search.jsp``, its
parameters spelled in a loader call, the column URL or a form), or a shell
page with its list in a frame;
page sizes, announced counts (共N条), encodings, titles cut short,
chrome (menus to other columns, breadcrumbs, friendly links to other
governments) and look-alikes in the list. It knows what a crawl must find
(``report_paths``) and must not fetch (``chrome_paths``). :class:`Variants`
serves many at once through :class:`~nianbao.demo.server.DemoServer`.
"""

from __future__ import annotations

import html
import json
import random
from urllib.parse import parse_qs, urlsplit

from nianbao.demo import render, synth
from nianbao.demo.portal import GBK_HTML, HTML, Resource

KINDS = ("script", "variables", "links", "hanweb", "years", "gkmlpt", "jpaas", "frame", "jsonp", "epoint", "search",
         "module")
LOOKALIKES = ("{county}{year}年政府工作报告", "{county}人民政府信息公开指南", "{county}{year}年度部门预决算公开",
              "{county}{year}年政务公开工作要点")


class Variant:
    def __init__(self, seed: int, prefix: str):
        self.rng = rng = random.Random(seed)
        self.seed, self.prefix = seed, prefix.rstrip("/")
        self.kind = rng.choice(KINDS)
        self.county = f"第{seed}县"
        self.encoding = rng.choice(("utf-8", "utf-8", "gbk"))
        self.resources: dict[str, Resource] = {}
        self.report_paths: set[str] = set()
        self.chrome_paths: set[str] = set()
        self._records: list[str] = []
        self._specs: dict[str, render.ReportSpec] = {}
        self._gkmlpt_lists: dict[int, list[tuple[str, str, str]]] = {}
        entries = self._reports(rng.randint(3, 24)) + self._lookalikes()
        entries.sort(key=lambda e: e[2], reverse=True)
        self.start = f"{self.prefix}/ndbg/index.html"
        getattr(self, f"_{self.kind}")(entries)

    def registry_entry(self, base: str) -> dict:
        return {"id": f"v{self.seed}", "name": f"{self.county}人民政府", "start_urls": [base.rstrip("/") + self.start]}

    def respond(self, method: str, target: str, body: bytes) -> Resource | None:
        path = urlsplit(target).path
        if path.endswith("dataproxy.jsp"):
            return self._proxy(target, body)
        if "/gkmlpt/api/all/" in path:
            return self._gkmlpt_api(target)
        if path.endswith("/front/page/build/unit"):
            return self._unit(target)
        if path.endswith("/getMessage.do"):
            return self._jsonp_answer(target)
        if path.endswith("/rest/lightfrontaction/getgovinfolist"):
            return self._epoint_answer(method, body)
        if path.endswith(("/igs/front/search/list.html", "/was5/web/search", "/irs/front/list", "/irs/front/search")):
            return self._search_answer(target, body)
        if path.endswith("/module/xxgk/search.jsp"):
            return self._module_answer(method, target, body)
        return self.resources.get(target) or self.resources.get(path)

    # ---- content ------------------------------------------------------------------------------

    def _reports(self, n: int) -> list[tuple[str, str, str]]:
        out = []
        organs = [f"{self.county}人民政府"] + [f"{self.county}{d}" for d in ("教育局", "财政局", "城关镇", "民政局", "东街街道")]
        for i in range(n):
            organ, year = organs[i % len(organs)], 2019 + (i // len(organs)) % 6
            layouts = synth.layouts_for(year)
            spec = render.ReportSpec(organ, year, synth.random_figures(self.rng, *layouts), *layouts)
            path = f"{self.prefix}/art/{year + 1}/t{year + 1}01{10 + i % 18}_{self.seed}{i:03d}.html"
            self.resources[path] = Resource(render.render_html(spec, self.rng.choice(render.HTML_STYLES)))
            self.report_paths.add(path)
            self._specs[path] = spec
            out.append((spec.title, path, f"{year + 1}-01-{10 + i % 18}"))
        return out

    def _lookalikes(self) -> list[tuple[str, str, str]]:
        out = []
        for i, pattern in enumerate(self.rng.sample(LOOKALIKES, 2)):
            title = pattern.format(county=self.county, year=2023)
            path = f"{self.prefix}/art/other/{i}.html"
            self.resources[path] = self._page(title, f"<p>{html.escape(title)}。本文不是年度报告。</p>")
            out.append((title, path, f"2024-0{3 + i}-01"))
        return out

    def _page(self, title: str, body: str) -> Resource:
        declared = {"utf-8": "utf-8", "gbk": self.rng.choice(("gbk", "gb2312", "GB2312"))}[self.encoding]
        meta = self.rng.choice((f'<meta charset="{declared}">',
                                f'<meta http-equiv="Content-Type" content="text/html; charset={declared}">'))
        doc = (f"<!DOCTYPE html><html><head>{meta}<title>{html.escape(title)}</title></head><body>"
               f"{self._chrome()}<div class=\"{self.rng.choice(('main', 'content', 'container', 'wrap'))}\">{body}</div>"
               f"{self._footer()}</body></html>")
        return Resource(doc.encode(self.encoding, "xmlcharrefreplace"), GBK_HTML if self.encoding == "gbk" else HTML)

    def _chrome(self) -> str:
        """A header menu to other columns of the same portal (whose pages list reports of other governments)."""
        items = []
        for i, name in enumerate(self.rng.sample(["新闻发布会", "政策文件", "政务动态", "领导信息", "互动交流", "机构职能"], 3)):
            path = f"{self.prefix}/chrome/{i}/index.html"
            other = f"{self.prefix}/chrome/{i}/t1.html"
            title = f"某某市{2020 + i}年政府信息公开工作年度报告"
            self.resources[path] = Resource(
                f'<html><body><ul><li><a href="t1.html">{title}</a></li></ul></body></html>'.encode())
            self.resources[other] = Resource(render.portal_page(
                render.ReportSpec("某某市人民政府", 2020 + i, {}, *synth.layouts_for(2020 + i)), "").encode())
            self.chrome_paths |= {path, other}
            items.append(f'<li><a href="{path}">{name}</a></li>')
        tag, attr = self.rng.choice((("div", 'class="header"'), ("div", 'id="nav"'), ("nav", ""), ("div", 'class="top-menu"'),
                                     ("ul", 'class="menu"')))
        crumbs = f'<div class="{self.rng.choice(("position", "location", "breadcrumb"))}">当前位置：<a href="{self.prefix}/">首页</a></div>'
        return f"<{tag} {attr}><ul>{''.join(items)}</ul></{tag}>{crumbs}"

    def _footer(self) -> str:
        tag, attr = self.rng.choice((("div", 'class="footer"'), ("footer", ""), ("div", 'id="foot"'), ("div", 'class="yqlj"')))
        return (f'<{tag} {attr}>友情链接：<a href="http://www.gov.cn/">中国政府网</a>'
                f'<a href="http://other-county.gov.cn/xxgk/ndbg/">邻县政府信息公开年报</a></{tag}>')

    def _items(self, entries) -> str:
        def anchor(title: str, path: str) -> str:
            shown = title if len(title) <= 18 or self.rng.random() < 0.5 else title[:16] + "..."
            return f'<a href="{path}" title="{html.escape(title)}" target="_blank">{html.escape(shown)}</a>'
        if self.rng.random() < 0.5:
            return "<ul>" + "".join(f"<li>{anchor(t, p)}<span>{d}</span></li>" for t, p, d in entries) + "</ul>"
        return "<table>" + "".join(f"<tr><td>{anchor(t, p)}</td><td>{d}</td></tr>" for t, p, d in entries) + "</table>"

    def _chunks(self, entries) -> list:
        size = self.rng.randint(3, 10)
        return [entries[i:i + size] for i in range(0, len(entries), size)]

    # ---- list styles --------------------------------------------------------------------------

    def _script(self, entries) -> None:
        """TRS: ``createPageHTML`` in one of its spellings, total and current sometimes in variables."""
        chunks = self._chunks(entries)
        total = len(chunks)
        quote = self.rng.choice(("'", '"'))
        space = self.rng.choice(("", " "))
        by_variable = self.rng.random() < 0.5
        name = self.rng.choice(("createPageHTML", "createPageHTML", "createPage"))
        for n, chunk in enumerate(chunks):
            head = f"var countPage = {total};//共多少页\nvar currentPage = {n};\n" if by_variable else ""
            count, current = ("countPage", "currentPage") if by_variable else (str(total), str(n))
            call = f"{name}({count},{space}{current},{space}{quote}index{quote},{space}{quote}html{quote});"
            self._list(f"{self.prefix}/ndbg/index{'' if n == 0 else f'_{n}'}.html", chunk,
                       f'<div class="page"><script>{head}{call}</script></div>')

    def _variables(self, entries) -> None:
        """A script pager given only page-count variables, pages numbered from 0 or from 1."""
        chunks = self._chunks(entries)
        total, first = len(chunks), self.rng.choice((0, 1))
        for n, chunk in enumerate(chunks):
            number = n + first
            name = "index.html" if n == 0 else f"index_{number}.html"
            key = self.rng.choice(("pageCount", "totalPage", "countPage"))
            self._list(f"{self.prefix}/ndbg/{name}", chunk,
                       f"<script>var {key} = {total}; var currentPage = {number}; showPager();</script>")

    def _links(self, entries) -> None:
        """Pager links: 下一页 / numbered / 尾页, over ``index_N`` or ``?page=N`` pages, with 共N条 sometimes."""
        chunks = self._chunks(entries)
        total = len(chunks)
        style = self.rng.choice(("index", "query", "list"))
        pager = self.rng.choice(("next", "numbers", "both"))

        def url(n: int) -> str:
            if style == "index":
                return f"{self.prefix}/ndbg/index{'' if n == 0 else f'_{n}'}.html"
            if style == "list":
                return f"{self.prefix}/ndbg/list-{n + 1}.html"
            return f"{self.prefix}/ndbg/index.html" + ("" if n == 0 else f"?page={n + 1}")

        if style == "list":
            self.start = url(0)
        for n, chunk in enumerate(chunks):
            links = []
            if pager in ("numbers", "both"):
                links += [f'<a href="{url(k)}">{k + 1}</a>' if k != n else f"<span>{k + 1}</span>" for k in range(total)]
            if pager in ("next", "both") and n + 1 < total:
                links.append(f'<a href="{url(n + 1)}">{self.rng.choice(("下一页", "下页", "&gt;", "下一页&gt;"))}</a>')
            if pager == "both" and n + 1 < total:
                links.append(f'<a href="{url(total - 1)}">{self.rng.choice(("尾页", "末页"))}</a>')
            count = f"<span>共{len(entries)}条</span>" if self.rng.random() < 0.5 else ""
            self._list(url(n), chunk, f'<div class="pagination">{count}{"".join(links)}</div>')

    def _hanweb(self, entries) -> None:
        """Hanweb: some records embedded, the rest by POST from dataproxy.jsp, configured under any key."""
        column = 5000 + self.seed
        self._records = [f"<li>{self._items([e])}</li>" for e in entries]
        embedded = self.rng.choice((0, min(len(entries), self.rng.randint(1, 8))))
        per_page = self.rng.choice((5, 10, 15))
        key = self.rng.choice(("param", "ajaxParam", "dataParams", "params", "data"))
        q = self.rng.choice(("'", '"'))
        quoted_keys = self.rng.random() < 0.5
        pairs = {"col": "1", "appid": "1", "webid": "2", "path": "/", "columnid": str(column), "unitid": str(column + 7),
                 "webname": f"{self.county}人民政府", "permissiontype": "0"}
        literal = ",".join((f"{q}{k}{q}" if quoted_keys else k) + f":{q}{v}{q}" for k, v in pairs.items())
        store = ""
        if embedded:
            records = "".join(f"<record><![CDATA[{r}]]></record>" for r in self._records[:embedded])
            store = (f'<script type="text/xml"><datastore><recordset>{records}</recordset></datastore></script>')
        self._embedded = embedded
        self._per_page = per_page
        script = (f"<script>$({q}#{column}{q}).jpage({{proxyUrl:{q}{self.prefix}/module/web/jpage/dataproxy.jsp{q},"
                  f"perPage:{per_page},{key}:{{{literal}}}}});</script>")
        self.resources[self.start] = self._page("政府信息公开年报", f'<div id="{column}">{store}</div>{script}')

    def _proxy(self, target: str, body: bytes) -> Resource:
        query = {k: v[0] for k, v in parse_qs(urlsplit(target).query).items()}
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        if form.get("columnid") != str(5000 + self.seed):
            return Resource(b"<datastore><totalrecord>0</totalrecord></datastore>", "text/xml; charset=utf-8")
        start = max(1, int(query.get("startrecord", 1)))
        end = min(len(self._records), int(query.get("endrecord", start + 44)))
        chunk = "".join(f"<record><![CDATA[{r}]]></record>" for r in self._records[start - 1:end])
        xml = (f'<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>{len(self._records)}</totalrecord>'
               f"<recordset>{chunk}</recordset></datastore>")
        return Resource(xml.encode(), "text/xml; charset=utf-8")

    def _years(self, entries) -> None:
        """A column of year sub-columns (``2023年度`` …), each a plain list with 下一页 links."""
        by_year: dict[str, list] = {}
        for entry in entries:
            by_year.setdefault(entry[2][:4], []).append(entry)
        links = []
        for year, items in sorted(by_year.items(), reverse=True):
            label = self.rng.choice((f"{int(year) - 1}年度", f"{int(year) - 1}年", f"{int(year) - 1}"))
            chunks = self._chunks(items)
            for n, chunk in enumerate(chunks):
                more = f'<a href="index_{n + 1}.html">下一页</a>' if n + 1 < len(chunks) else ""
                self._list(f"{self.prefix}/ndbg/{year}/index{'' if n == 0 else f'_{n}'}.html", chunk,
                           f'<div class="page">{more}</div>')
            links.append(f'<li><a href="{year}/index.html">{label}</a></li>')
        self.resources[self.start] = self._page("政府信息公开年报", f'<div class="tabs"><ul>{"".join(links)}</ul></div>')

    def _gkmlpt(self, entries) -> None:
        """Guangdong's gkmlpt: ``window._CONFIG`` with the site id and the column tree, lists as JSON from
        ``/gkmlpt/api/all/{column}``, articles at ``/gkmlpt/content/…/post_N.html`` drawing their text from
        an embedded record (escaped as real pages escape it). The start URL names the column by its fragment,
        or is the platform's index, where the annual-report column is found by name in the tree. Another
        column lists another government's report: never to be listed."""
        rng = self.rng
        column, sid = 2000 + self.seed, str(750000 + self.seed)
        self._sid = sid
        moved = []
        for i, (title, path, date) in enumerate(entries):
            spec = self._specs.get(path)
            if spec is None:
                moved.append((title, path, date))
                continue
            article = f"{self.prefix}/gkmlpt/content/{i % 3}/{self.seed}{i:02d}/post_{self.seed}{i:03d}.html"
            detail = {"id": int(f"{self.seed}{i:03d}"), "title": title, "created_at": f"{date} 09:30:00",
                      "content": render.render_html(spec, rng.choice(render.HTML_STYLES)).decode()}
            self.resources[article] = self._application(sid, detail)
            del self.resources[path]
            self.report_paths.discard(path)
            self.report_paths.add(article)
            moved.append((title, article, date))
        child = rng.random() < 0.5
        split = rng.randint(1, len(moved) - 1) if child and len(moved) > 1 else len(moved)
        self._gkmlpt_lists = {column: moved[:split], column + 1: moved[split:], 90: []}
        other = f"{self.prefix}/gkmlpt/content/9/9/post_9.html"
        self.resources[other] = Resource(render.portal_page(
            render.ReportSpec("某某市人民政府", 2022, {}, *synth.layouts_for(2022)), "").encode())
        self.chrome_paths.add(other)
        self._gkmlpt_lists[90] = [("某某市2022年政府信息公开工作年度报告", other, "2023-01-20")]
        self._gkmlpt_per_page = rng.choice((5, 10, 20))
        self._gkmlpt_total_key = rng.choice(("total", "classify"))
        tree = [{"id": 80, "name": "政府信息公开指南", "children": []},
                {"id": column, "name": rng.choice(("政府信息公开年报", "政府信息公开年度报告", "年度报告")),
                 "children": [{"id": column + 1, "name": "部门和镇（街道）年报", "children": []}] if child else []},
                {"id": 90, "name": "政策文件", "children": []},
                {"id": 91, "name": "新闻发布会", "jump_url": "http://www.gd.gov.cn/", "children": []}]
        self.resources[f"{self.prefix}/gkmlpt/index"] = self._application(sid, None, tree)
        self.start = f"{self.prefix}/gkmlpt/index" + (f"#{column}" if rng.random() < 0.5 else "")

    def _application(self, sid: str, detail: dict | None, tree: list | None = None) -> Resource:
        """A gkmlpt page: an empty mount point and the configuration its script draws the page from."""
        ascii_only, escape = self.rng.random() < 0.5, self.rng.random() < 0.5
        config = {"DETAIL": detail, "TREE": tree or []}
        parts = [f"SID: '{sid}'"] + [f"{k}: " + json.dumps(v, ensure_ascii=ascii_only) for k, v in config.items()]
        script = "window._CONFIG = {" + ", ".join(parts) + ", SERVICE_AREA_ID: 0};"
        script = script.replace("<", "\\u003C") if escape else script.replace("</", "<\\/")
        title = detail["title"] if detail else "政府信息公开目录"
        return self._page(title, f'<div id="app"></div><script>{script}</script>')

    def _gkmlpt_api(self, target: str) -> Resource | None:
        query = {k: v[0] for k, v in parse_qs(urlsplit(target).query).items()}
        column = urlsplit(target).path.rsplit("/", 1)[-1]
        if query.get("sid") != self._sid or not column.isdigit() or int(column) not in self._gkmlpt_lists:
            return None
        items = self._gkmlpt_lists[int(column)]
        page = max(1, int(query.get("page", "1") or 1))
        size = self._gkmlpt_per_page
        articles = [{"id": n, "title": t, "url": p, "created_at": f"{d} 09:30:00"}
                    for n, (t, p, d) in enumerate(items[(page - 1) * size:page * size])]
        data = {"articles": articles, **({"total": len(items)} if self._gkmlpt_total_key == "total"
                                         else {"classify": {"post_count": len(items)}})}
        return Resource(json.dumps(data, ensure_ascii=False).encode(), "application/json; charset=utf-8")

    def _jpaas(self, entries) -> None:
        """Hanweb's JPaaS: the column page declares its units in ``unitbuild.js`` script tags (``url`` and
        ``queryData``: JSON in single or double quotes, keys in any order, attributes in any order), a
        navigation unit before the list unit. A unit answers GETs of the build endpoint with
        ``{"data":{"html":…}}``, paged only through ``paramJson``, with its own page size or the one asked,
        a page past the end empty, the navigation the same whatever the page."""
        rng = self.rng
        self._unit_ids = {"webId": str(3000 + self.seed), "pageId": str(1229000000 + self.seed)}
        self._unit_entries = entries
        self._unit_size = rng.choice((None, 4, 10))
        self._unit_count = rng.random() < 0.5
        self._unit_empty = rng.choice(("", "<ul></ul>", '<div class="page"></div>'))
        self._unit_nav = self._chrome()
        endpoint = f"{self.prefix}/api-gateway/jpaas-publish-server/front/page/build/unit"

        def tag(tag_id: str) -> str:
            params = {**self._unit_ids, "tplSetId": f"tpl{self.seed}", "pageType": "column", "tagId": tag_id,
                      "editType": "null", "parseType": "bulidstatic"}
            items = list(params.items())
            rng.shuffle(items)
            if rng.random() < 0.5:
                query = "{" + ",".join(f"'{k}':'{v}'" for k, v in items) + "}"
                data = f'queryData="{query}"'
            else:
                data = f"queryData='{json.dumps(dict(items), ensure_ascii=False)}'"
            attributes = [f'src="{self.prefix}/module/jpaas/AuthorizedRead/unitbuild.js"', f'url="{endpoint}"', data]
            rng.shuffle(attributes)
            return f"<script {' '.join(attributes)}></script>"

        column = self._unit_ids["pageId"]
        self.start = f"{self.prefix}/col/col{column}/index.html"
        list_tag = rng.choice(("信息列表", "分页列表", "当前栏目list"))
        self.resources[self.start] = self._page("政府信息公开年报", f'<div class="nav">{tag("导航")}</div>'
                                                               f'<div class="list">{tag(list_tag)}</div>')
        self._unit_tags = {"导航", list_tag}

    def _unit(self, target: str) -> Resource:
        query = {k: v[0] for k, v in parse_qs(urlsplit(target).query).items()}
        if any(query.get(k) != v for k, v in self._unit_ids.items()) or query.get("tagId") not in self._unit_tags:
            return Resource(json.dumps({"success": False, "code": "404"}).encode(), "application/json")
        if query["tagId"] == "导航":
            markup = self._unit_nav
        else:
            paging = json.loads(query.get("paramJson") or "{}")
            size = self._unit_size or int(paging.get("pageSize") or 15)
            page = int(paging.get("pageNo") or 1)
            chunk = self._unit_entries[(page - 1) * size:page * size]
            count = f"<span>共{len(self._unit_entries)}条</span>" if self._unit_count else ""
            markup = (self._items(chunk) + f'<div class="page">{count}<a href="javascript:;">下一页</a></div>'
                      if chunk else self._unit_empty)
        body = {"success": True, "code": "200", "data": {"html": markup}}
        return Resource(json.dumps(body, ensure_ascii=False).encode(), "application/json; charset=utf-8")

    def _frame(self, entries) -> None:
        """A column page that is a shell: the list is a same-host ``<iframe>`` (a pager of 下一页 links), beside
        frames of a visit counter and of another site."""
        chunks = self._chunks(entries)
        for n, chunk in enumerate(chunks):
            more = f'<a href="list_{n + 1}.html">下一页</a>' if n + 1 < len(chunks) else ""
            self._list(f"{self.prefix}/ndbg/frame/list{'' if n == 0 else f'_{n}'}.html", chunk,
                       f'<div class="page">{more}</div>')
        counter = f"{self.prefix}/visitcount/count.jsp"
        self.resources[counter] = Resource(b"<html><body>0</body></html>")
        self.chrome_paths.add(counter)
        frames = [f'<iframe src="{self.rng.choice(("frame/list.html", self.prefix + "/ndbg/frame/list.html"))}" '
                  f'width="100%" height="800" frameborder="0" scrolling="no"></iframe>',
                  f'<iframe src="{counter}" style="display:none"></iframe>',
                  '<iframe src="http://other-county.gov.cn/share.html"></iframe>']
        self.rng.shuffle(frames)
        self.resources[self.start] = self._page("政府信息公开年报", "".join(frames))

    def _jsonp(self, entries) -> None:
        """A pager copied from Hanweb's whose ``proxyUrl`` names the CMS's own endpoint (TrueCMS's
        ``messageController/getMessage.do``): one flat configuration with the column id as the page
        spells it, records asked for by GET in a window of ``startrecord``/``endrecord``, answered as
        JSONP whose ``result`` holds them (as XML records or as list markup), with or without a total."""
        rng = self.rng
        self._records = [f"<li>{self._items([e])}</li>" for e in entries]
        self._jsonp_column = str(7000 + self.seed)
        self._jsonp_key = rng.choice(("columnId", "columnid"))
        self._jsonp_xml, self._jsonp_total = rng.random() < 0.5, rng.random() < 0.5
        q = rng.choice(("'", '"'))
        per_page = rng.choice((5, 10, 15, 20))
        pairs = [f"{self._jsonp_key}:{q}{self._jsonp_column}{q}", f"proxyUrl:{q}{self.prefix}/front/messageController/getMessage.do{q}",
                 f"perPage:{per_page}", f"webid:{q}1{q}"]
        rng.shuffle(pairs)
        script = f"<script>$({q}#list{q}).jpage({{{','.join(pairs)}}});</script>"
        self.resources[self.start] = self._page("政府信息公开年报", f'<div id="list"></div>{script}')

    def _jsonp_answer(self, target: str) -> Resource:
        query = {k: v[0] for k, v in parse_qs(urlsplit(target).query).items()}
        callback = query.get("callback", "callback")
        if query.get(self._jsonp_key) != self._jsonp_column:
            return Resource(f"{callback}({{\"result\":\"\"}})".encode(), "application/javascript")
        start = max(1, int(query.get("startrecord", 1)))
        end = min(len(self._records), int(query.get("endrecord", start + 14)))
        chunk = self._records[start - 1:end]
        result = ("<datastore>" + (f"<totalrecord>{len(self._records)}</totalrecord>" if self._jsonp_total else "")
                  + "<recordset>" + "".join(f"<record><![CDATA[{r}]]></record>" for r in chunk) + "</recordset></datastore>"
                  if self._jsonp_xml else "<ul>" + "".join(chunk) + "</ul>")
        body = {"result": result, **({"totalRecord": len(self._records)} if self._jsonp_total and not self._jsonp_xml else {})}
        return Resource(f"{callback}({json.dumps(body, ensure_ascii=False)});".encode(), "application/javascript; charset=utf-8")

    def _epoint(self, entries) -> None:
        """Epoint WebBuilder: a column page ``/dynamic/zwgk/govInfoPub.html?categorynum=…`` that draws its
        list by POSTing JSON to ``{projectName}/rest/lightfrontaction/getgovinfolist``, pages counted from 0,
        its ``siteInfo`` in the page or in the script it loads, keys quoted or not; items titled in
        ``title`` or ``realtitle``, linked by ``infourl`` or ``visiturl``."""
        rng = self.rng
        self._epoint_ids = (f"7eb5f7f1-9041-43ad-8e13-{self.seed:012d}", f"003001{self.seed:03d}")
        self._epoint_entries = entries
        self._epoint_size = rng.choice((None, 6))
        q = rng.choice(("'", '"'))
        key = (lambda k: f"{q}{k}{q}") if rng.random() < 0.5 else (lambda k: k)
        site_info = (f"var siteInfo = {{{key('siteGuid')}: {q}{self._epoint_ids[0]}{q}, "
                     f"{key('projectName')}: {q}{self.prefix}/EWB-FRONT{q}, {key('siteName')}: {q}{self.county}{q}}};")
        script = f"{self.prefix}/js/webBuilderCommon.js"
        self.resources[script] = Resource(site_info.encode(), "application/javascript")
        inline = rng.random() < 0.5
        body = ('<div class="ewb-list" id="infolist"></div>'
                + (f"<script>{site_info}</script>" if inline else "")
                + f'<script src="{script}"></script><script src="{self.prefix}/js/govInfoPub.js"></script>')
        self.start = f"{self.prefix}/dynamic/zwgk/govInfoPub.html?categorynum={self._epoint_ids[1]}"
        self.resources[self.start] = self._page("政府信息公开年报", body)

    def _epoint_answer(self, method: str, body: bytes) -> Resource:
        asked = json.loads(body or b"{}") if method == "POST" else {}
        if (asked.get("siteGuid"), asked.get("categorynum")) != self._epoint_ids:
            return Resource(json.dumps({"custom": {"total": 0, "data": []}}).encode(), "application/json")
        size = self._epoint_size or int(asked.get("pageSize") or 20)
        index = int(asked.get("pageIndex") or 0)
        chunk = self._epoint_entries[index * size:(index + 1) * size]
        title, link = self.rng.choice((("title", "infourl"), ("realtitle", "visiturl")))
        data = [{title: t, link: p, "infodate": d} for t, p, d in chunk]
        answer = {"status": {"code": 200}, "custom": {"total": len(self._epoint_entries), "data": data}}
        return Resource(json.dumps(answer, ensure_ascii=False).encode(), "application/json; charset=utf-8")

    def _search(self, entries) -> None:
        """TRS "动静结合": the column's first page static, announcing the whole count; its script asks one of
        TRS's search services for every page — IGS (parameters in the endpoint's query or in an object, keys
        quoted or not, beside an ajax call's own options; answers with or without ``totalPages``), WAS5
        (the query spelled whole; almost-JSON answers, with or without ``count``) or IRS (a JSON body POSTed;
        answers with or without their totals)."""
        rng = self.rng
        self._search_channel, self._search_entries = str(8000 + self.seed), entries
        self._search_size, self._search_total = rng.choice((4, 8, 10)), rng.random() < 0.5
        q = rng.choice(("'", '"'))
        service = rng.choice(("was5", "igs", "irs"))
        if service == "irs":
            call = self._irs(q)
        elif service == "was5":
            endpoint = f"{self.prefix}/was5/web/search"
            query = (f"channelid=2{self.seed:05d}&templet=docs.jsp&sortfield=-docorderpri%2C-docreltime"
                     f"&classsql=chnlid%3D{self._search_channel}&prepage={self._search_size}&page=")
            call = f"$.get({q}{endpoint}?{query}{q} + n, draw);"
        else:
            endpoint = f"{self.prefix}/igs/front/search/list.html"
            fixed = {"index": "gkml-index", "type": "gkml", "filter[CHANNELID]": self._search_channel,
                     "filter[AVAILABLE]": "true", "orderProperty": "PUBDATE", "orderDirection": "desc"}
            if rng.random() < 0.5:
                query = "&".join(f"{k}={v}" for k, v in fixed.items())
                call = (f"$.ajax({{url: {q}{endpoint}?{query}&pageSize={self._search_size}&pageNumber={q} + n, "
                        f"type: {q}GET{q}, dataType: {q}json{q}, success: draw}});")
            else:
                pairs = [f"{q}{k}{q}: {q}{v}{q}" if "[" in k or rng.random() < 0.5 else f"{k}: {q}{v}{q}"
                         for k, v in fixed.items()] + [f"pageSize: {self._search_size}"]
                call = (f"var params = {{{', '.join(pairs)}}};\nparams.pageNumber = n;\n"
                        f"$.ajax({{url: {q}{endpoint}{q}, data: params, type: {q}GET{q}, success: draw}});")
        first = entries[:self._search_size]
        pager = f'<div class="page">共{len(entries)}条 <a href="javascript:load(2)">下一页</a></div>'
        script = f"<script>function load(n) {{ {call} }}</script>"
        self.resources[self.start] = self._page("政府信息公开年报", self._items(first) + pager + script)

    def _irs(self, q: str) -> str:
        """TRS IRS: the body an object literal in the script, keys quoted or not, the channel filter among
        the custom filter's properties or nested in its filters; ``/irs/front/list`` or ``/irs/front/search``."""
        rng = self.rng
        self._irs_search = rng.random() < 0.5
        self._irs_title = rng.choice(("DOCTITLE", "f_2023419305471"))

        def key(name: str) -> str:
            return f"{q}{name}{q}" if rng.random() < 0.5 else name
        channel = (f"{{{key('property')}: {q}channel_id{q}, {key('operator')}: {q}eq{q}, "
                   f"{key('value')}: {q}{self._search_channel}{q}}}")
        properties = (f"{key('properties')}: [{channel}]" if rng.random() < 0.5 else
                      f"{key('properties')}: [], {key('filters')}: [{{{key('operator')}: {q}or{q}, "
                      f"{key('properties')}: [{channel}]}}]")
        fields = ([f"{key('dataTypeId')}: {q}{self.seed}{q}", f"{key('searchWord')}: {q}{q}",
                   f"{key('orderBy')}: {q}time{q}"] if self._irs_search else
                  [f"{key('tableName')}: {q}t_{self.seed:011x}{q}", f"{key('searchFields')}: []",
                   f"{key('sorts')}: [{{{key('sortField')}: {q}save_time{q}, {key('sortOrder')}: {q}DESC{q}}}]"])
        body = ", ".join([f"{key('code')}: {q}{self.seed:011x}{q}", *fields, f"{key('pageNo')}: n",
                          f"{key('pageSize')}: {self._search_size}",
                          f"{key('customFilter')}: {{{key('operator')}: {q}and{q}, {properties}}}"])
        endpoint = f"{self.prefix}/irs/front/{'search' if self._irs_search else 'list'}"
        return (f"var body = {{{body}}};\n$.ajax({{url: {q}{endpoint}{q}, type: {q}POST{q}, "
                f"contentType: {q}application/json{q}, data: JSON.stringify(body), success: draw}});")

    def _irs_answer(self, body: bytes) -> Resource:
        asked = json.loads(body or b"{}")
        column = f'"value": "{self._search_channel}"' in json.dumps(asked.get("customFilter"))
        entries = self._search_entries if column else []
        size, number = int(asked.get("pageSize") or 10), int(asked.get("pageNo") or 1)
        chunk = entries[(number - 1) * size:number * size]
        if self._irs_search:
            found = {"middle": {"listAndBox": [{"type": "doc", "data": {"title": f"<em>{t}</em>", "url": p, "time": d}}
                                               for t, p, d in chunk]}}
            if self._search_total:
                found["pager"] = {"pageNo": number, "pageSize": size, "pageCount": -(-len(entries) // size),
                                  "total": len(entries)}
        else:
            found = {"list": [{self._irs_title: t, "doc_pub_url": p, "save_time": f"{d} 09:00:00"} for t, p, d in chunk]}
            if self._search_total:
                found["total"] = len(entries)
        return Resource(json.dumps({"code": 200, "data": found}, ensure_ascii=False).encode(),
                        "application/json; charset=utf-8")

    def _search_answer(self, target: str, body: bytes) -> Resource:
        if "/irs/" in target:
            return self._irs_answer(body)
        asked = {k: v[0] for k, v in parse_qs(urlsplit(target).query).items()}
        was5 = "/was5/" in target
        column = asked.get("classsql") == f"chnlid={self._search_channel}" if was5 else (
            asked.get("filter[CHANNELID]") == self._search_channel)
        entries = self._search_entries if column else []
        size = int(asked.get("prepage" if was5 else "pageSize") or 10)
        number = int(asked.get("page" if was5 else "pageNumber") or 1)
        chunk = entries[(number - 1) * size:number * size]
        if was5:
            docs = ",\n".join(f'{{\n"title":"{t}",\n"url":"{p}",\n"chnldocurl":"{p}",\n"time":"{d}"\n}}'
                               for t, p, d in chunk)
            count = f'"count":"{len(entries)}",' if self._search_total else ""
            text = f"{{{count}\"pagenum\":\"{number}\",\n\"py\":'###pypy###',\n\"docs\":[\n{docs}\n]}}"
            return Resource(text.encode(), "text/html; charset=utf-8")
        found = {"content": [{"DOCTITLE": t, "DOCPUBURL": p, "PUBDATE": f"{d} 09:00:00"} for t, p, d in chunk],
                 "total": len(entries), "number": number}
        if self._search_total:
            found["totalPages"] = -(-len(entries) // size)
        return Resource(json.dumps({"page": found}, ensure_ascii=False).encode(), "application/json; charset=utf-8")

    def _module(self, entries) -> None:
        """Hanweb's disclosure module: the column page a shell whose script loads its list by POST from
        ``/module/xxgk/search.jsp`` — the information type in the column URL's ``number`` (Jilin's portals)
        or in the loader's URL (Zhejiang's), the block and site in the loader's arguments; or a form of
        hidden inputs; or only the organ in the column URL, the type to be found in the category tree
        shown in a frame (its nodes ``funclick('…')`` with labels, written as markup or from a script
        string), whose other nodes are other categories. Answers are rows or items, announcing 共N页, 共N条
        or nothing (a page past the last then comes back as the last, or empty)."""
        rng = self.rng
        self._module_ids = (f"A{self.seed:03d}C001", f"11{self.seed:04d}00MB15075{rng.randint(10, 99)}C")
        self._module_entries, self._module_size = entries, rng.choice((5, 10, 15))
        self._module_announce = rng.choice(("pages", "records", None))
        self._module_rows, self._module_past_last = rng.random() < 0.5, rng.random() < 0.5
        self._module_form, (info, area) = rng.randrange(4), self._module_ids
        self._module_tree = self._module_form == 3 or rng.random() < 0.5
        divid, site, q = f"div{9000 + self.seed}", str(rng.randint(1, 3500)), rng.choice(("'", '"'))
        endpoint = f"{self.prefix}/module/xxgk/search.jsp"
        column = f"{self.prefix}/col/col{9000 + self.seed}/index.html"
        tree = f"{self.prefix}/module/xxgk/tree.jsp"
        nodes = [(f"A{self.seed:03d}B00{n}", name) for n, name in enumerate(("机构职能", "人事任免", "规划计划"))]
        nodes.insert(rng.randrange(4), (info, "政府信息公开年报"))
        if rng.random() < 0.5:
            tree_page = "".join(f'<li><a href="javascript:funclick({q}{i}{q},{q}{divid}{q})">{name}</a></li>'
                                for i, name in nodes)
        else:
            tree_page = "<script>" + "".join(
                f'document.write("<li><a href=\\"javascript:void(0)\\" onclick=\\"funclick(\\\'{i}\\\','
                f'\\\'{divid}\\\')\\">{name}</a></li>");' for i, name in nodes) + "</script>"
        self.resources[tree] = Resource(f"<html><body><ul>{tree_page}</ul></body></html>".encode())
        frame = (f'<iframe src="{tree}?standardXxgk=1&amp;area={area}&amp;divid={divid}" width="240" height="600">'
                 f"</iframe>" if self._module_tree else "")
        rest = (f"{q}+a+{q}&vc_title={q}+encodeURI(b)+{q}&vc_number={q}+encodeURI(c)+{q}&area={area}{q}, "
                f"{q}{divid}{q}, {q}0{q},{q}0{q},{q}950{q},{q}{site}{q},{q}{q},{q}{q}")
        loader = (f"var a = getQueryString({q}number{q}), b = {q}{q}, c = {q}{q};\n"
                  f"loadDynamic({q}{endpoint}?standardXxgk=1&infotypeId={rest});")
        self.start = column
        if self._module_form in (0, 3):
            self.start = f"{column}?vc_xxgkarea={area}&number={info if self._module_form == 0 else ''}"
            script = loader
        elif self._module_form == 1:
            script = f"var a = {q}{q}, b = {q}{q}, c = {q}{q};\nloadDynamic({q}{endpoint}?infotypeId={info}{rest});"
        else:
            inputs = {"infotypeId": info, "jdid": site, "area": area, "divid": divid, "currpage": "1"}
            frame += (f'<form id="xxgkform" action="{endpoint}" method="post">' + "".join(
                f'<input type="hidden" name="{k}" value="{v}">' for k, v in inputs.items()) + "</form>")
            script = f"$({q}#xxgkform{q}).ajaxSubmit({{target: {q}#{divid}{q}}});"
        self.resources[self.start.split("?")[0]] = self._page(
            "政府信息公开年报", f'{frame}<div id="{divid}"></div><script>{script}</script>')

    def _module_answer(self, method: str, target: str, body: bytes) -> Resource:
        asked = {k: v[0] for k, v in parse_qs(urlsplit(target).query).items()}
        if method == "POST":
            asked.update({k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()})
        if (asked.get("infotypeId"), asked.get("area", self._module_ids[1])) != self._module_ids:
            # Without the column's type the module lists the whole catalogue: here, other columns' pages.
            entries = [(f"某某市{2020 + i}年政府信息公开工作年度报告", p, "2021-01-01")
                       for i, p in enumerate(sorted(self.chrome_paths)) if p.endswith("/t1.html")]
        else:
            entries = self._module_entries
        size, pages = self._module_size, max(1, -(-len(entries) // self._module_size))
        number = int(asked.get("currpage") or 1)
        if number > pages:
            number = pages if self._module_past_last else 0
        chunk = entries[(number - 1) * size:number * size] if number else []

        def anchor(title: str, path: str) -> str:
            return f'<a href="{path}" title="{html.escape(title)}" target="_blank">{html.escape(title[:20])}</a>'
        if self._module_rows:
            rows = "".join(f'<tr class="tr_main_value_{("odd", "even")[i % 2]}"><td>{i + 1}</td><td>{anchor(t, p)}</td>'
                           f"<td>{d}</td></tr>" for i, (t, p, d) in enumerate(chunk))
            listing = f'<table width="100%">{rows}</table>'
        else:
            listing = ('<div class="zfxxgk_item"><ul>' + "".join(f"<li>{anchor(t, p)}<b>{d}</b></li>" for t, p, d in chunk)
                       + "</ul></div>")
        said = {"pages": f"共{pages}页", "records": f"共{len(entries)}条", None: ""}[self._module_announce]
        pager = (f'<table><tr><td class="tb_title">{said} 第{number}页 <a href="javascript:void(0)" '
                 f'onclick="gopage({number + 1})">下一页</a></td></tr></table>')
        return Resource((listing + pager).encode(), HTML)

    def _list(self, path: str, chunk, pager: str) -> None:
        self.resources[path] = self._page("政府信息公开年报", self._items(chunk) + pager)


class Variants:
    """Many variants behind one server: ``/v{seed}/…`` each."""

    def __init__(self, seeds):
        self.variants = {f"/v{seed}": Variant(seed, f"/v{seed}") for seed in seeds}

    def respond(self, method: str, target: str, body: bytes) -> Resource | None:
        variant = self.variants.get("/" + urlsplit(target).path.split("/")[1])
        return None if variant is None else variant.respond(method, target, body)

    def registry_toml(self, base: str) -> str:
        lines = []
        for variant in self.variants.values():
            lines += ["[[site]]"] + [f"{k} = {json.dumps(v, ensure_ascii=False)}"
                                     for k, v in variant.registry_entry(base).items()] + [""]
        return "\n".join(lines)
