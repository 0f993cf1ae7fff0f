"""Real published reports, every hand-checked figure compared."""

import json

import pytest

from nianbao.core.parse import parse_file
from tests.conftest import SAMPLES

DOCUMENTS = sorted(p for p in SAMPLES.iterdir() if not p.name.endswith(".json") and p.suffix != ".md")


def expected(path):
    return json.loads((path.parent / f"{path.stem}.expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_every_figure_matches(path):
    want = expected(path)
    report = parse_file(path)
    assert report.values() == want["figures"]


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_metadata_and_layouts(path):
    want = expected(path)
    report = parse_file(path)
    assert (report.organ, report.year) == (want["organ"], want["year"])
    assert (report.table2_layout, report.table3_layout) == (want["table2_layout"], want["table3_layout"])


@pytest.mark.parametrize("path", [p for p in DOCUMENTS if p.stem != "sh2019"], ids=lambda p: p.name)
def test_consistent_reports_have_no_findings(path):
    assert parse_file(path).findings == []


def test_source_that_breaks_identities_keeps_its_numbers():
    report = parse_file(SAMPLES / "sh2019.html")
    rules = {f.rule for f in report.findings}
    assert rules == {"identity.2", "identity.3"}
    granted = next(f for f in report.findings if f.rule == "identity.3" and "t3.granted.total" in f.keys)
    # The 总计 cell of 予以公开 is printed blank: 0 by rule, raw text kept, the sum differs.
    assert report.figures["t3.granted.total"].value == 0
    assert report.figures["t3.granted.total"].raw == ""
    assert (granted.expected, granted.actual) == (0, 258 + 12 + 1 + 1)


def test_provenance_points_at_the_printed_cell():
    pdf = parse_file(SAMPLES / "ha2024.pdf")
    fig = pdf.figures["t3.unavailable.needs_creation.total"]
    # The row starts on page 5 after its group label was cut by the page break.
    assert (fig.value, fig.raw, fig.location["page"]) == (11, "11", 5)
    html = parse_file(SAMPLES / "sh2019.html")
    fig = html.figures["t2.central_procurement.amount"]
    assert (fig.value, fig.raw) == (251000, "251000元")
    assert fig.location["table"] == 0
    text = parse_file(SAMPLES / "000_860e34187827010f.txt")
    assert text.figures["t4.review.upheld"].location["line"] > 300


def test_published_date_and_narrative_sections():
    report = parse_file(SAMPLES / "002_5e00b241830afff7.txt")
    assert report.published_at == "2021-01-20"
    assert report.sections["one"].startswith("2020年")
    assert "改进" in report.sections["five"]
    assert report.sections["six"].startswith("2020年,在政府办")
    page = parse_file(SAMPLES / "pt2024.html")
    # The portal's footer is page chrome, not part of section six.
    assert page.sections["six"] == "2024年，无收取信息处理费情况。"
