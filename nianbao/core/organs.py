"""Which organ a printed name means: names normalised and resolved within one region.

A report prints its organ's name as the organ wrote it that year: 白沙镇, 岚溪县白沙镇,
岚溪县白沙镇人民政府. Within a site's region the name is reduced to a *key*:

1. full-width forms folded (NFKC), spaces dropped, a trailing bracketed note dropped
   (``教育局（语委办）``), the remaining bracket characters dropped;
2. the region's own divisions stripped from the front (``某某省``, ``某某市``, ``岚溪县``),
   then the region's level word (``县`` in a county, ``市`` in a city, ``区`` in a district)
   where a name is written as ``县教育局``;
3. ``人民政府`` read as ``政府``, and the suffixes 政府 / 办事处 / 管委会 / 管理委员会
   dropped from the end (``街道办`` read as ``街道``);
4. the registry's ``aliases`` of the site applied: a name (as a key) that means another.

An empty key is the region's own government. A site without a region is a region
of its own (``site:ID``). Names with one key are one organ of
that region; the same key in two regions is two organs, never merged. A key with no
town or street word (``白沙``) joins the one organ of the region whose key is it plus
镇, 乡, 街道 or 苏木; where several such organs exist (``白沙镇`` and ``白沙街道``) the
name gets an organ of its own and an ``organ.ambiguous`` finding names the others.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from nianbao.core import divisions
from nianbao.core.deadlines import CITY, COUNTY, OTHER, PROVINCE, kind_of
from nianbao.core.divisions import Region

_NOTE = re.compile(r"[(\[【〔][^()\[\]【】〔〕]*[)\]】〕]$")
_BRACKETS = re.compile(r"[()\[\]【】〔〕《》<>\"'“”‘’]")
_SPACE = re.compile(r"[\s\u200b\u3000]+")
_SUFFIX = re.compile(r"(?:政府|办事处|管委会|管理委员会)$")
_LEVEL_WORD = {divisions.PROVINCE: "省", divisions.CITY: "市"}
_PLACE_WORDS = ("镇", "乡", "街道", "苏木")
_GOVERNMENT_KIND = {divisions.PROVINCE: PROVINCE, divisions.CITY: CITY, divisions.COUNTY: COUNTY}


def clean(name: str) -> str:
    """A printed name as compared: full-width folded, spaces and a trailing bracketed note dropped."""
    text = _SPACE.sub("", unicodedata.normalize("NFKC", name or ""))
    while True:
        stripped = _NOTE.sub("", text)
        if stripped == text or not stripped:
            break
        text = stripped
    return _BRACKETS.sub("", text)


_SITE_SCOPE = "site:"


def region_of(text: str | None, site_id: str | None = None) -> Region:
    """A site's region (or an organ's stored one); a site without one is a region of its own
    (``site:ID``), so that its organs are never merged with another site's."""
    if text and text.startswith(_SITE_SCOPE):
        return Region(text, (), None)
    region = divisions.region(text)
    if region.text or not site_id:
        return region
    return Region(_SITE_SCOPE + site_id, (), None)


def _level_word(region: Region) -> str | None:
    if region.level == divisions.COUNTY and region.parts:
        last = region.parts[-1]
        return next((w for w in ("自治县", "自治旗", "县", "区", "旗", "市") if last.endswith(w)), None)
    return _LEVEL_WORD.get(region.level or "")


def _without_suffixes(text: str) -> str:
    """人民政府 read as 政府, 街道办 as 街道, and 政府 / 办事处 / 管委会 / 管理委员会 dropped from the end."""
    text = re.sub(r"街道办$", "街道", text.replace("人民政府", "政府"))
    while (stripped := _SUFFIX.sub("", text)) != text:
        text = stripped
    return text


def key_of(name: str, region: Region, aliases: dict[str, str] | None = None) -> str:
    """The key ``name`` has in ``region``, after the site's ``aliases`` (keys to keys)."""
    text = clean(name)
    changed = True
    while changed:
        changed = False
        for part in region.parts:
            if text.startswith(part):
                text = text[len(part):]
                changed = True
    word = _level_word(region)
    if word and text.startswith(word) and len(text) > len(word):
        text = text[len(word):]
    text = _without_suffixes(text)
    seen = {text}
    while aliases and text in aliases:
        text = aliases[text]
        if text in seen:
            break
        seen.add(text)
    return text


def alias_rules(aliases: dict[str, str] | None, region: Region) -> dict[str, str]:
    """The registry's ``aliases`` (printed name → the name it means) as keys to keys."""
    rules = {}
    for name, means in (aliases or {}).items():
        source, target = key_of(name, region), key_of(means, region)
        if source != target:
            rules[source] = target
    return rules


def kind(key: str, name: str, region: Region) -> str:
    """The organ's kind: the region's government for the empty key, else from its name."""
    if key == "":
        return _GOVERNMENT_KIND.get(region.level or "", OTHER)
    return kind_of(name)


def code_of(key: str, region: Region) -> str | None:
    """The division code of an organ that is a government at county level or above, where the list has it."""
    if key == "":
        return region.division.code if region.division else None
    division = divisions.locate(region.parts + (key,))
    return division.code if division is not None else None


@dataclass(frozen=True)
class Resolution:
    key: str
    # Other organs' keys the name could equally mean, when it is ambiguous.
    candidates: tuple[str, ...] = ()


def resolve(name: str, region: Region, known: set[str], aliases: dict[str, str] | None = None) -> Resolution:
    """The key of the organ ``name`` means among the region's ``known`` keys (a new one when none)."""
    key = key_of(name, region, aliases)
    if key == "" or key.endswith(_PLACE_WORDS):
        return Resolution(key)
    stems = tuple(sorted(k for k in known if any(k == key + word for word in _PLACE_WORDS)))
    if key not in known and len(stems) == 1:
        return Resolution(stems[0])
    # A stem that already is an organ stays one: its reports are not moved by an organ that came later.
    return Resolution(key, stems if len(stems) > 1 else ())


def precedence(name: str) -> int:
    """Names carrying a town or street word resolve before bare stems, so a stem meets the organs it may mean."""
    return 0 if _without_suffixes(clean(name)).endswith(_PLACE_WORDS) else 1


def canonical(aliases: list[tuple[str, int, int]]) -> str:
    """An organ's name: its latest printed one, the longest where a year printed several.

    ``aliases`` are (name, first year, last year)."""
    return max(aliases, key=lambda a: (a[2], len(a[0]), a[0]))[0]


def describe(key: str, name: str, region: Region) -> dict[str, str | None]:
    """An organ's row: its region, key, name, kind, the divisions it belongs to and their codes."""
    organ_kind = kind(key, name, region)
    county = region.named(divisions.COUNTY)
    if organ_kind == COUNTY and key:
        county = key
    return {"region": region.text, "key": key, "name": name, "kind": organ_kind,
            "province": region.named(divisions.PROVINCE), "city": region.named(divisions.CITY), "county": county,
            "code": code_of(key, region) if organ_kind in (PROVINCE, CITY, COUNTY) else None,
            "region_code": region.division.code if region.division else None}
