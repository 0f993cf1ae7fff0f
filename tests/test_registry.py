import pytest
from nianbao.spiders import registry

from nianbao.demo.portal import Portal


def test_bundled_registry_is_the_demo_portal():
    sites = [s.to_dict() for s in registry.load(registry.DEFAULT_REGISTRY)]
    expected = [{**s, "domains": []} for s in Portal().registry("http://127.0.0.1:8765")]
    assert sites == expected


@pytest.mark.parametrize("text, message", [
    ('[[site]]\nid = "Bad Id"\nstart_urls = ["http://a.gov.cn/"]', "id must be"),
    ('[[site]]\nid = "a"\nstart_urls = []', "start_urls"),
    ('[[site]]\nid = "a"\nstart_urls = ["ftp://a.gov.cn/"]', "not an http"),
    ('[[site]]\nid = "a"\nstart_urls = ["http://a/"]\nurl = "x"', "unknown field"),
    ('[[site]]\nid = "a"\nstart_urls = ["http://a/"]\n[[site]]\nid = "a"\nstart_urls = ["http://b/"]', "twice"),
    ("[[site]\n", "sites.toml"),
    ('[[site]]\nid = "a"\nstart_urls = ["http://a/"]\ncms = "ucap"', "none of the known families"),
    ('[[site]]\nid = "a"\nhome = "gopher://a/"', "not an http"),
    ('[[site]]\nid = "a"\nstart_urls = ["http://a/"]\naliases = ["x"]', "aliases must be"),
    ('[[site]]\nid = "a"\nstart_urls = ["http://a/"]\n[site.aliases]\n"白沙" = ""', "aliases must be"),
])
def test_bad_registry_entries(tmp_path, text, message):
    path = tmp_path / "sites.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(registry.RegistryError, match=message):
        registry.load(path)


def test_site_for_url():
    site = registry.for_url("http://www.x.gov.cn/col/col1/index.html", "某县")
    assert site.id.startswith("www.x.gov.cn-") and site.name == "某县"
    # The disclosure platform often sits on another host of the portal's domain (xxgk.x.gov.cn) …
    assert site.allowed_domains == ["www.x.gov.cn", "x.gov.cn"]
    # … but a bare suffix never opens every government's site.
    assert registry.for_url("http://www.gov.cn/zhengce/").allowed_domains == ["www.gov.cn"]
    with pytest.raises(registry.RegistryError):
        registry.for_url("not a url")
