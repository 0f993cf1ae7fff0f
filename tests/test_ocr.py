"""Scanned PDFs: rendered reports rasterised to images only, read back by OCR.

Needs the ``ocr`` extra; without it these tests skip, unless ``NIANBAO_REQUIRE_OCR``
is set (``.ci/run`` sets it; the README's test command installs the extra).
"""

import os
import random
import sys

import pytest

from nianbao.core.extract import INFERRED, OCR
from nianbao.core.parse import parse_bytes
from nianbao.core.readers import ocr
from nianbao.demo import render, synth

pytestmark = pytest.mark.slow


@pytest.fixture
def engine():
    if not ocr.available():
        if os.environ.get("NIANBAO_REQUIRE_OCR"):
            pytest.fail(f"the ocr extra is required here: {ocr.INSTALL_HINT}")
        pytest.skip("the ocr extra is not installed")


# The recogniser finds no box at all for a printed dash: those cells are simply missing.
@pytest.mark.parametrize(("seed", "zero", "share"), [(1, "0", 0.8), (2, "0", 0.8), (3, "—", 0)])
def test_a_scanned_report_is_read_by_ocr_and_no_figure_is_wrong(engine, seed, zero, share):
    rng = random.Random(seed)
    t2, t3 = rng.choice(["2019", "2021"]), rng.choice(["2019", "2021"])
    spec = render.ReportSpec("岚溪县白沙镇人民政府", 2022, synth.random_figures(rng, t2, t3), t2, t3, zero=zero)
    report = parse_bytes(render.rasterize(render.render_pdf(spec)), "scan.pdf")
    assert "document.ocr" in {f.rule for f in report.findings}
    assert {k: v for k, v in report.values().items() if spec.figures[k] != v} == {}
    assert {f.method for f in report.figures.values()} <= {OCR, INFERRED}
    assert len(report.figures) >= share * len(spec.figures)
    assert (report.organ, report.year) == (spec.organ, spec.year)


def test_without_the_extra_a_scan_is_a_finding_that_says_how_to_get_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)
    spec = render.ReportSpec("某镇", 2022, synth.random_figures(random.Random(0), "2021", "2021"))
    report = parse_bytes(render.rasterize(render.render_pdf(spec), dpi=50), "scan.pdf")
    assert report.figures == {}
    assert [f.rule for f in report.findings] == ["document.no_text_layer"]
    assert "[ocr]" in report.findings[0].message
