"""The site registry: one entry per portal, as data.

A TOML file of ``[[site]]`` tables (``spiders/sites.toml`` unless
``NIANBAO_REGISTRY`` names another)::

    [[site]]
    id = "demo-trs"                      # stable, used in the database and on the command line
    name = "某某县人民政府"
    region = "某某省某某市某某县"
    start_urls = ["http://127.0.0.1:8765/trs/zwgk/ndbg/index.html"]
    cms = "trs"                          # optional: trs, hanweb, jpaas, epoint, xxgk, gkmlpt or generic (else detected)
    domains = ["files.example.gov.cn"]   # optional: other hosts the portal serves files from
    proxy = "http://proxy.example:3128"  # optional: this portal through a proxy (else http(s)_proxy)
    home = "https://www.example.gov.cn/" # optional: find the columns from the home page (start_urls then optional)

    [site.aliases]                       # optional: printed names that mean another organ of the region
    "平潭综合实验区管委会" = "平潭县人民政府"
"""

from __future__ import annotations

import hashlib
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from nianbao.spiders.families import FAMILIES

DEFAULT_REGISTRY = Path(__file__).with_name("sites.toml")
_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,99}$")


class RegistryError(ValueError):
    pass


@dataclass(frozen=True)
class SiteEntry:
    id: str
    name: str
    start_urls: tuple[str, ...]
    region: str | None = None
    cms: str | None = None
    domains: tuple[str, ...] = field(default=())
    # An HTTP(S) proxy for this portal only; otherwise the usual http_proxy / https_proxy environment.
    proxy: str | None = None
    # The portal's home page, when the crawl finds the annual-report columns itself.
    home: str | None = None
    # Printed organ names that mean another organ of the region (nianbao.core.organs).
    aliases: tuple[tuple[str, str], ...] = field(default=())

    @property
    def allowed_domains(self) -> list[str]:
        """The hosts of the start URLs and ``domains``; for a ``www.`` host its whole domain, where the
        disclosure platform often lives (``xxgk.example.gov.cn``), unless that is a bare suffix."""
        hosts = {urlsplit(u).hostname for u in (*self.start_urls, self.home or "")} - {None, ""}
        hosts |= {h[4:] for h in hosts if h.startswith("www.") and h.count(".") >= 3}
        return sorted(hosts | set(self.domains))

    def to_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "region": self.region, "cms": self.cms,
                "start_urls": list(self.start_urls), "domains": list(self.domains),
                "aliases": dict(self.aliases),
                **({"proxy": self.proxy} if self.proxy else {}), **({"home": self.home} if self.home else {})}

    @classmethod
    def from_dict(cls, data: dict) -> SiteEntry:
        where = f"site {data.get('id')!r}"
        site_id = data.get("id")
        if not isinstance(site_id, str) or not _ID.match(site_id):
            raise RegistryError(f"{where}: id must be lowercase letters, digits, '-', '_' or '.'")
        home = data.get("home")
        if home is not None:
            check_url(home, f"{where}: home")
        urls = data.get("start_urls") or ([home] if home else None)
        if not urls or not isinstance(urls, list) or not all(isinstance(u, str) for u in urls):
            raise RegistryError(f"{where}: start_urls must be a non-empty list of URLs (or give home)")
        for url in urls:
            check_url(url, where)
        unknown = set(data) - {"id", "name", "region", "cms", "start_urls", "domains", "proxy", "home", "aliases"}
        if unknown:
            raise RegistryError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
        cms = data.get("cms")
        if cms is not None and str(cms).lower() not in FAMILIES:
            raise RegistryError(f"{where}: cms {cms!r} is none of the known families ({', '.join(FAMILIES)}); "
                                "leave it out and the family is detected from the pages")
        if data.get("proxy") is not None:
            check_url(data["proxy"], f"{where}: proxy")
        aliases = data.get("aliases") or {}
        if not isinstance(aliases, dict) or not all(isinstance(k, str) and isinstance(v, str) and k.strip()
                                                    and v.strip() for k, v in aliases.items()):
            raise RegistryError(f"{where}: aliases must be a table of printed name = the name it means")
        return cls(site_id, str(data.get("name") or site_id), tuple(urls), data.get("region"), cms,
                   tuple(data.get("domains") or ()), data.get("proxy"), home, tuple(sorted(aliases.items())))


def check_url(url: str, where: str = "URL") -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RegistryError(f"{where}: {url!r} is not an http(s) URL")


def registry_path() -> Path:
    return Path(os.environ.get("NIANBAO_REGISTRY") or DEFAULT_REGISTRY)


def load(path: Path | None = None) -> list[SiteEntry]:
    path = path or registry_path()
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise RegistryError(f"no registry at {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{path}: {exc}") from exc
    sites = [SiteEntry.from_dict(entry) for entry in data.get("site", [])]
    seen: set[str] = set()
    for site in sites:
        if site.id in seen:
            raise RegistryError(f"{path}: site id {site.id!r} appears twice")
        seen.add(site.id)
    return sites


def find(site_id: str, path: Path | None = None) -> SiteEntry:
    sites = load(path)
    for site in sites:
        if site.id == site_id:
            return site
    raise RegistryError(f"no site {site_id!r} in the registry (known: {', '.join(s.id for s in sites) or 'none'})")


def for_url(url: str, name: str | None = None) -> SiteEntry:
    """An entry for a portal given only a URL: its annual-report column, or its home page, from which the
    crawl finds the columns (and later crawls start from those)."""
    check_url(url)
    host = urlsplit(url).hostname or "site"
    digest = hashlib.sha1(url.encode()).hexdigest()[:8]
    return SiteEntry(f"{re.sub(r'[^a-z0-9.-]', '-', host.lower())}-{digest}", name or host, (url,), home=url)
