"""The demo portal: three county sites in the styles of the common CMS families.

Every report is rendered from known figures (``Portal.reports``), so a crawl and
an ingest of the portal can be checked figure by figure. The sites carry what
real portals do: TRS list pages paginated by a ``createPageHTML`` script call,
a Hanweb column loaded by POST from ``dataproxy.jsp`` as XML, a disclosure
platform with year and department sub-columns, titles cut short with ``...``,
organs whose printed names change over the years (a town that adds its county
and then 人民政府; a district government that once printed a development zone's
name, which the registry's ``aliases`` map), a department with a year missing,
attachment links written only inside scripts, downloads through a redirecting
servlet, GBK pages declared as gb2312, look-alikes, a report published as a
page and as a PDF, a correction (更正), a dead link, a slow page, a page that
fails twice before it serves, a robots.txt exclusion and a link off the portal.
"""

from __future__ import annotations

import html
import json
import random
from dataclasses import dataclass, field
from urllib.parse import parse_qs, quote, urlsplit

from nianbao.core.rules import Rule
from nianbao.demo import render, synth
from nianbao.demo.render import ReportSpec
from nianbao.demo.synth import Figures

HTML = "text/html; charset=utf-8"
GBK_HTML = "text/html; charset=gb2312"
ROBOTS = "User-agent: *\nDisallow: /trs/private/\n"
PER_PAGE_TRS = 10
PER_PAGE_HANWEB = 15
PER_PAGE_XXGK = 3


@dataclass
class Resource:
    body: bytes
    content_type: str = HTML
    headers: dict[str, str] = field(default_factory=dict)
    redirect: str | None = None
    delay: float = 0.0
    fail_first: int = 0


@dataclass
class DemoReport:
    """One organ's report for one year, as the portal publishes it."""

    site: str
    organ: str
    year: int
    figures: Figures
    table2_layout: str
    table3_layout: str
    published_at: str
    urls: list[str] = field(default_factory=list)
    superseded_urls: list[str] = field(default_factory=list)
    breaks: tuple[Rule, ...] = ()
    # The organ whatever name it printed this year: one entity per organ of the portal.
    entity: str = ""


@dataclass
class Entry:
    title: str
    href: str
    date: str


@dataclass
class SiteInfo:
    id: str
    name: str
    region: str
    cms: str
    start_paths: list[str]
    aliases: dict[str, str] = field(default_factory=dict)


class Portal:
    def __init__(self, offsite: str = "http://www.example.gov.cn", seed: int = 2025):
        self.offsite = offsite.rstrip("/")
        self.rng = random.Random(seed)
        self.resources: dict[str, Resource] = {}
        self.reports: list[DemoReport] = []
        self.lookalikes: list[str] = []
        self.never: list[str] = []
        self.sites: list[SiteInfo] = []
        self._hanweb: dict[int, list[str]] = {}
        self._serial = 1_000_000
        self.resources["/robots.txt"] = Resource(ROBOTS.encode(), "text/plain")
        self._trs()
        self._hanweb_site()
        self._xxgk()

    def registry(self, base: str) -> list[dict]:
        """Registry entries for the portal served at ``base``."""
        base = base.rstrip("/")
        return [{"id": s.id, "name": s.name, "region": s.region, "cms": s.cms,
                 "start_urls": [base + p for p in s.start_paths], "aliases": s.aliases} for s in self.sites]

    def registry_toml(self, base: str) -> str:
        """The same entries as a registry file (``NIANBAO_REGISTRY``)."""
        lines = []
        for site in self.registry(base):
            aliases = site.pop("aliases", {})
            lines += ["[[site]]"] + [f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in site.items()]
            if aliases:
                lines += ["[site.aliases]"] + [f"{json.dumps(k, ensure_ascii=False)} = {json.dumps(v, ensure_ascii=False)}"
                                               for k, v in aliases.items()]
            lines.append("")
        return "\n".join(lines)

    def respond(self, method: str, target: str, body: bytes) -> Resource | None:
        path = urlsplit(target).path
        if path.endswith("/module/web/jpage/dataproxy.jsp") and method == "POST":
            return self._dataproxy(target, body)
        return self.resources.get(target) or self.resources.get(path)

    # ---- shared ---------------------------------------------------------------------------------

    def _id(self) -> int:
        self._serial += self.rng.randrange(1, 5000)
        return self._serial

    def _chain(self, site: str, organ: str, years: range | list[int], region: str,
               names: dict[int, str] | None = None) -> dict[int, DemoReport]:
        """One organ's reports over ``years``, printed as ``organ`` or, in the years it names, as ``names``."""
        figures = synth.series(self.rng, years)
        out = {}
        for year, figs in figures.items():
            t2, t3 = synth.layouts_for(year)
            day = self.rng.randrange(10, 28)
            out[year] = DemoReport(site, (names or {}).get(year, organ), year, figs, t2, t3, f"{year + 1}-01-{day:02d}",
                                   entity=organ)
            self.reports.append(out[year])
        return out

    @staticmethod
    def _spec(report: DemoReport, figures: Figures | None = None) -> ReportSpec:
        return ReportSpec(report.organ, report.year, figures or report.figures, report.table2_layout,
                          report.table3_layout, published_at=report.published_at)

    def _attachment_page(self, title: str, published: str, links: str, encoding: str = "utf-8") -> bytes:
        declare = "gb2312" if encoding == "gbk" else encoding
        doc = (f'<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset={declare}">'
               f"<title>{html.escape(title)}</title></head><body><div class=\"nav\"><a href=\"/\">首页</a></div>"
               f'<div class="article"><h1>{html.escape(title)}</h1><p>发布日期：{published}</p>'
               f'<div id="zoom"><p>{html.escape(title)}全文详见附件。</p>{links}</div></div></body></html>')
        return doc.encode(encoding)

    def _other_page(self, title: str, text: str, encoding: str = "utf-8") -> bytes:
        declare = "gb2312" if encoding == "gbk" else encoding
        return (f'<html><head><meta charset="{declare}"><title>{html.escape(title)}</title></head><body>'
                f'<div class="TRS_Editor"><h1>{html.escape(title)}</h1><p>{html.escape(text)}</p></div>'
                "</body></html>").encode(encoding)

    def _publish(self, report: DemoReport, kind: str, page_path: str, attach_dir: str, encoding: str = "utf-8",
                 figures: Figures | None = None, servlet: bool = False, title: str | None = None) -> None:
        """The report at ``page_path`` as ``kind``: html, pdf, both, docx, script (a DOCX linked only from
        a script) or doc (a DOCX served under a .doc name)."""
        spec = self._spec(report, figures)
        title = title or spec.title
        urls = [page_path] if kind in ("html", "both") else []
        links = ""
        if kind != "html":
            ext = {"pdf": "pdf", "both": "pdf", "docx": "docx", "script": "docx", "doc": "doc"}[kind]
            data = render.render_pdf(spec) if ext == "pdf" else render.render_docx(spec)
            ctype = {"pdf": "application/pdf", "docx": "application/vnd.openxmlformats-officedocument."
                     "wordprocessingml.document", "doc": "application/msword"}[ext]
            name = f"P0{report.year + 1}{self._id()}.{ext}"
            file_path = f"{attach_dir}{name}"
            if servlet:
                prefix = page_path.split("/art/")[0]
                file_id = self._id()
                href = f"{prefix}/module/download/downfile.jsp?classid=0&filename={name}"
                target = f"{prefix}/module/download/file/{file_id}"
                self.resources[href] = Resource(b"", redirect=target)
                self.resources[target] = Resource(data, "application/octet-stream", {
                    "Content-Disposition": f"attachment; filename*=UTF-8''{quote(title + '.' + ext)}"})
            else:
                href = file_path
                self.resources[file_path] = Resource(data, ctype)
            urls.append(href)
            anchor = f"附件：{html.escape(title)}.{ext}"
            if kind == "script":
                links = ("<script>var file_appendix = '<a href=\"" + href + "\">" + anchor + "</a>';"
                         "document.write(file_appendix);</script>")
            else:
                links = f'<p><a href="{href}">{anchor}</a></p>'
        if kind in ("html", "both"):
            body = render.render_html(spec, style=self.rng.choice(render.HTML_STYLES), encoding=encoding,
                                      declare="gb2312" if encoding == "gbk" else "same", seed=self.rng.randrange(99),
                                      page=True, after=links)
        else:
            body = self._attachment_page(title, report.published_at, links, encoding)
        self.resources[page_path] = Resource(body, GBK_HTML if encoding == "gbk" else HTML)
        if figures is not None:
            report.superseded_urls += urls
        else:
            report.urls += urls

    # ---- TRS WCM ----------------------------------------------------------------------------

    def _trs(self) -> None:
        region = "某某省某某市某某县"
        self.sites.append(SiteInfo("demo-trs", "某某县人民政府", region, "trs", ["/trs/zwgk/ndbg/index.html"]))
        organs = ["某某县人民政府", "某某县发展和改革局", "某某县教育局", "某某县城关镇人民政府"]
        # As real towns do: the bare name, then the county added, then 人民政府.
        names = {"某某县城关镇人民政府": {2019: "城关镇", 2020: "城关镇", 2021: "某某县城关镇", 2022: "某某县城关镇"}}
        kinds = ["html", "pdf", "both", "script", "docx", "html"]
        entries: list[Entry] = []
        base = "/trs/zwgk/ndbg/"
        for o, organ in enumerate(organs):
            chain = self._chain("demo-trs", organ, range(2019, 2025), region, names.get(organ))
            for year, report in chain.items():
                kind = kinds[(o + year) % len(kinds)]
                folder = f"{year + 1}01"
                page = f"{base}{folder}/t{report.published_at.replace('-', '')}_{self._id()}.html"
                encoding = "gbk" if (o + year) % 4 == 0 else "utf-8"
                title = None
                if (organ, year) == ("某某县教育局", 2021):
                    title = f"{organ}{year}年度报告"
                if (organ, year) in (("某某县发展和改革局", 2023), ("某某县城关镇人民政府", 2021)):
                    # The town's break falls where its printed name changed: found only across the names.
                    self._break_carry_over(report, chain[year - 1])
                if (organ, year) == ("某某县教育局", 2022):
                    broken, _ = synth.break_identity(report.figures, Rule.IDENTITY_2, 3)
                    first = f"{base}{folder}/t{year + 1}0105_{self._id()}.html"
                    self._publish(report, "html", first, f"{base}{folder}/", figures=broken)
                    entries.append(Entry(self._spec(report).title, "./" + first.removeprefix(base), f"{year + 1}-01-05"))
                    title = f"{self._spec(report).title}（更正）"
                self._publish(report, kind, page, f"{base}{folder}/", encoding, title=title)
                entries.append(Entry(title or self._spec(report).title, "./" + page.removeprefix(base),
                                     report.published_at))
        entries += self._trs_oddities(base)
        entries.sort(key=lambda e: e.date, reverse=True)
        pages = -(-len(entries) // PER_PAGE_TRS)
        for n in range(pages):
            chunk = entries[n * PER_PAGE_TRS:(n + 1) * PER_PAGE_TRS]
            items = "".join(
                f'<li><a href="{e.href}" title="{html.escape(e.title)}" target="_blank">'
                f"{html.escape(e.title if len(e.title) <= 20 else e.title[:18] + '...')}</a><span>{e.date}</span></li>"
                for e in chunk)
            nav = "".join(f'<a href="/trs/col/col{100 + i}/index.html">{m}</a>'
                          for i, m in enumerate(("首页", "政务公开", "政策文件", "政府信息公开指南", "互动交流")))
            doc = (f"<html><head><meta charset=\"utf-8\"><title>政府信息公开年报</title></head><body>"
                   f'<div class="nav">{nav}</div><div class="list"><ul>{items}</ul></div>'
                   f'<div class="page"><script>createPageHTML({pages}, {n}, "index", "html");</script></div>'
                   "</body></html>")
            self.resources[f"{base}index{'' if n == 0 else f'_{n}'}.html"] = Resource(doc.encode())

    def _trs_oddities(self, base: str) -> list[Entry]:
        """Look-alikes, a look-alike only the content tells, a dead link, a slow page, a flaky page,
        a page robots.txt excludes and a link off the portal."""
        entries = []
        for title, date in (("某某县2023年政府工作报告", "2024-01-30"),
                            ("某某县人民政府2023年法治政府建设年度报告", "2024-01-29"),
                            ("某某县2024年政务公开工作要点", "2024-03-01"),
                            ("某某县人民政府信息公开指南", "2023-06-01"),
                            ("某某县2022年度部门预决算公开", "2023-02-01"),
                            ("关于印发某某县2022年政府信息公开工作年度报告编制要求的通知", "2022-12-01")):
            path = f"{base}{date[:4]}{date[5:7]}/t{date.replace('-', '')}_{self._id()}.html"
            self.resources[path] = Resource(self._other_page(title, "本文不是政府信息公开工作年度报告。"))
            self.lookalikes.append(path)
            entries.append(Entry(title, "./" + path.removeprefix(base), date))
        path = f"{base}202402/t20240205_{self._id()}.html"
        self.resources[path] = Resource(self._other_page(
            "某某县统计局2023年度报告", "2023年某某县国民经济和社会发展统计公报：全县地区生产总值增长5.2%。"))
        self.lookalikes.append(path)
        entries.append(Entry("某某县统计局2023年度报告", "./" + path.removeprefix(base), "2024-02-05"))
        dead = f"{base}201901/t20190120_{self._id()}.html"
        self.never.append(dead)
        entries.append(Entry("某某县城关镇2018年政府信息公开工作年度报告", "./" + dead.removeprefix(base), "2019-01-20"))
        disallowed = f"/trs/private/t20240101_{self._id()}.html"
        self.never.append(disallowed)
        self.resources[disallowed] = Resource(self._other_page("内部", "robots.txt 排除的页面"))
        entries.append(Entry("某某县内部2023年政府信息公开工作年度报告", disallowed, "2024-01-02"))
        entries.append(Entry("某某市2023年政府信息公开工作年度报告", f"{self.offsite}/ndbg/t20240101_1.html",
                             "2024-01-03"))
        by_path = {r: p for p in self.reports for r in p.urls}
        pages = [u for u in by_path if u.startswith(base) and u.endswith(".html")]
        self.resources[pages[1]].delay = 1.5
        self.resources[pages[2]].fail_first = 2
        return entries

    def _break_carry_over(self, report: DemoReport, previous: DemoReport) -> None:
        """Carried-over applications that differ from last year's carried-forward ones (identity 5)."""
        figures = dict(report.figures)
        figures["t3.carried_over.natural_person"] = previous.figures["t3.carried_forward.natural_person"] + 2
        report.figures = synth.derive(figures, report.table3_layout)
        report.breaks = (Rule.IDENTITY_5,)

    # ---- Hanweb JCMS ------------------------------------------------------------------------

    def _hanweb_site(self) -> None:
        region = "某某省某某市某某区"
        name = "某某市某某区人民政府"
        zone = "某某高新技术产业开发区管理委员会"
        self.sites.append(SiteInfo("demo-hanweb", name, region, "hanweb",
                                   ["/hanweb/col/col4412/index.html", "/hanweb/col/col4413/index.html"],
                                   aliases={zone: "某某区人民政府"}))
        columns = {4412: (["某某区人民政府", "某某区财政局", "某某区卫生健康委员会"], range(2019, 2025)),
                   4413: (["某某区东城街道", "某某区西河镇"], range(2021, 2025))}
        # The district government printed the zone's name for 2019 (one organ only by the registry's rule);
        # the health commission published nothing for 2022 (a missing year between published ones).
        names = {"某某区人民政府": {2019: zone}}
        skipped = {"某某区卫生健康委员会": 2022}
        kinds = ["html", "pdf", "both", "docx", "doc"]
        for column, (organs, years) in columns.items():
            entries: list[Entry] = []
            for o, organ in enumerate(organs):
                chain_years = [y for y in years if y != skipped.get(organ)]
                for year, report in self._chain("demo-hanweb", organ, chain_years, region, names.get(organ)).items():
                    y1 = year + 1
                    page = f"/hanweb/art/{y1}/1/{report.published_at[-2:].lstrip('0')}/art_{column}_{self._id()}.html"
                    self._publish(report, kinds[(o + year) % len(kinds)], page, "/hanweb/", "gbk", servlet=True)
                    entries.append(Entry(self._spec(report).title, page, report.published_at))
            for title, date in ((f"{organs[0]}2023年政府工作报告", "2024-02-02"),
                                (f"{organs[0]}2024年部门预算公开", "2024-02-20"),
                                (f"{organs[0]}政府信息公开指南（2023年版）", "2023-05-01")):
                path = f"/hanweb/art/{date[:4]}/2/1/art_{column}_{self._id()}.html"
                self.resources[path] = Resource(self._other_page(title, "look-alike", "gbk"), GBK_HTML)
                self.lookalikes.append(path)
                entries.append(Entry(title, path, date))
            entries.sort(key=lambda e: e.date, reverse=True)
            self._hanweb[column] = [
                f'<li><a href="{e.href}" title="{html.escape(e.title)}" target="_blank">'
                f"{html.escape(e.title[:16] + '...' if len(e.title) > 18 else e.title)}</a>"
                f"<span>{e.date}</span></li>" for e in entries]
            params = (f"col=1&appid=1&webid=2&path=/&columnid={column}&sourceContentType=1&unitid={column + 1000}"
                      f"&webname=某某区人民政府&permissiontype=0")
            if column == 4412:
                records = "".join(f"<record><![CDATA[{r}]]></record>" for r in self._hanweb[column][:PER_PAGE_HANWEB])
                listing = (f'<div id="{column + 1000}"><script type="text/xml"><datastore>'
                           f'<nextgroup><![CDATA[<a href="/hanweb/module/web/jpage/dataproxy.jsp?page=1&{params}">'
                           f"</a>]]></nextgroup><recordset>{records}</recordset></datastore></script></div>"
                           f'<script>var totalRecord = {len(entries)};</script>')
            else:
                js_params = ",".join(f"{k}:'{v}'" for k, v in (p.split("=") for p in params.split("&")))
                listing = (f'<div id="{column + 1000}"></div><script type="text/javascript">'
                           f"$('#{column + 1000}').jpage({{proxyUrl:'/hanweb/module/web/jpage/dataproxy.jsp',"
                           f"perPage:{PER_PAGE_HANWEB},param:{{{js_params}}}}});</script>")
            doc = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
                   f"<title>政府信息公开年报</title></head><body>{listing}</body></html>")
            self.resources[f"/hanweb/col/col{column}/index.html"] = Resource(doc.encode("gbk"), GBK_HTML)

    def _dataproxy(self, target: str, body: bytes) -> Resource:
        query = {k: v[0] for k, v in parse_qs(urlsplit(target).query).items()}
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        column = int(form.get("columnid") or query.get("columnid") or 0)
        records = self._hanweb.get(column)
        if records is None:
            return Resource(b"<datastore><totalrecord>0</totalrecord></datastore>", "text/xml; charset=utf-8")
        start = max(1, int(query.get("startrecord", 1)))
        end = min(len(records), int(query.get("endrecord", start + 44)))
        chunk = "".join(f"<record><![CDATA[{r}]]></record>" for r in records[start - 1:end])
        xml = (f'<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>{len(records)}</totalrecord>'
               f"<totalpage>{-(-len(records) // PER_PAGE_HANWEB)}</totalpage><recordset>{chunk}</recordset>"
               "</datastore>")
        return Resource(xml.encode(), "text/xml; charset=utf-8")

    # ---- disclosure platform (xxgk) ---------------------------------------------------------

    def _xxgk(self) -> None:
        region = "某某省某某市某某新县"
        self.sites.append(SiteInfo("demo-xxgk", "某某新县政府信息公开平台", region, "xxgk", ["/xxgk/ndbg/index.html"]))
        county = self._chain("demo-xxgk", "某某新县人民政府", range(2021, 2025), region)
        year_links = []
        for year, report in county.items():
            column = f"/xxgk/ndbg/{year}/"
            pdf = f"{column}P0{year + 1}{self._id()}.pdf"
            self.resources[pdf] = Resource(render.render_pdf(self._spec(report)), "application/pdf")
            report.urls.append(pdf)
            guide = f"{column}{self._id()}.html"
            self.resources[guide] = Resource(self._other_page(f"某某新县{year + 1}年政务公开工作要点", "要点"))
            self.lookalikes.append(guide)
            self._xxgk_list(column, [Entry(self._spec(report).title, pdf, report.published_at),
                                     Entry(f"某某新县{year + 1}年政务公开工作要点", guide, report.published_at)])
            year_links.append(f'<li><a href="{year}/index.html">{year}年度</a></li>')
        dept_links = []
        for code, organ in (("scjg", "某某新县市场监督管理局"), ("zrzy", "某某新县自然资源局"), ("xcjd", "某某新县新城街道")):
            column = f"/xxgk/bmxxgk/{code}/ndbg/"
            entries = []
            for year, report in self._chain("demo-xxgk", organ, range(2021, 2025), region).items():
                if (organ, year) == ("某某新县自然资源局", 2023):
                    # A department's report due by 31 January, published in March.
                    report.published_at = f"{year + 1}-03-08"
                    report.breaks += (Rule.TIMELINESS_LATE,)
                page = f"{column}{self._id()}.html"
                self._publish(report, "html" if year % 2 else "both", page, column)
                entries.append(Entry(self._spec(report).title, page, report.published_at))
            entries.sort(key=lambda e: e.date, reverse=True)
            self._xxgk_list(column, entries)
            dept_links.append(f'<li><a href="{column}index.html">{organ.removeprefix("某某新县")}</a></li>')
        nav = ('<a href="/xxgk/zn/index.html">政府信息公开指南</a><a href="/xxgk/zd/index.html">政府信息公开制度</a>'
               '<a href="/xxgk/fdzdgknr/index.html">法定主动公开内容</a>')
        doc = (f'<html><head><meta charset="utf-8"><title>政府信息公开年报</title></head><body><div class="nav">{nav}</div>'
               f'<div class="tabs"><ul>{"".join(year_links)}</ul></div>'
               f'<div class="side"><h3>部门和乡镇（街道）</h3><ul>{"".join(dept_links)}</ul></div></body></html>')
        self.resources["/xxgk/ndbg/index.html"] = Resource(doc.encode())

    def _xxgk_list(self, column: str, entries: list[Entry]) -> None:
        pages = -(-len(entries) // PER_PAGE_XXGK)
        for n in range(pages):
            rows = "".join(f'<tr><td><a href="{e.href}" title="{html.escape(e.title)}">{html.escape(e.title)}</a></td>'
                           f"<td>{e.date}</td></tr>" for e in entries[n * PER_PAGE_XXGK:(n + 1) * PER_PAGE_XXGK])
            more = f'<a href="index_{n + 1}.html">下一页</a>' if n + 1 < pages else ""
            doc = (f'<html><head><meta charset="utf-8"><title>年报</title></head><body><table class="list">{rows}</table>'
                   f'<div class="pages">{more}</div></body></html>')
            self.resources[f"{column}index{'' if n == 0 else f'_{n}'}.html"] = Resource(doc.encode())

