"""DOC, RTF and XLS for real: documents rendered from known figures, converted with LibreOffice, parsed back.

Without LibreOffice these tests skip, unless ``NIANBAO_REQUIRE_OFFICE`` is set (CI
installs LibreOffice and sets it), where they fail.
"""

import os
import random
from concurrent.futures import ThreadPoolExecutor

import pytest

from nianbao.core.errors import UnreadableDocument
from nianbao.core.parse import parse_bytes
from nianbao.core.readers.office import convert, office_binary
from nianbao.demo import render, synth

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def libreoffice():
    if office_binary() is None:
        if os.environ.get("NIANBAO_REQUIRE_OFFICE"):
            pytest.fail("LibreOffice (soffice) is required here and not installed")
        pytest.skip("LibreOffice (soffice) is not installed")


def _spec(seed: int) -> render.ReportSpec:
    rng = random.Random(seed)
    t2, t3 = rng.choice(["2019", "2021"]), rng.choice(["2019", "2021"])
    return render.ReportSpec("岚溪县白沙镇人民政府", 2021 + seed % 3, synth.random_figures(rng, t2, t3), t2, t3,
                             zero=rng.choice(["0", "", "—"]))


CASES = [("docx", "doc", "ole", render.render_docx), ("docx", "rtf", "rtf", render.render_docx),
         ("xlsx", "xls", "xls", render.render_xlsx)]


@pytest.mark.parametrize(("source", "target", "fmt", "make"), CASES, ids=[c[1] for c in CASES])
def test_converted_documents_read_exactly(source, target, fmt, make):
    spec = _spec(len(target))
    report = parse_bytes(convert(make(spec), source, target), f"report.{target}")
    assert report.format == fmt
    assert report.values() == spec.figures
    assert (report.organ, report.year) == (spec.organ, spec.year)
    assert report.findings == []


def test_conversions_side_by_side_each_in_a_profile_of_its_own():
    specs = [_spec(seed) for seed in range(4)]
    with ThreadPoolExecutor(4) as pool:
        docs = list(pool.map(lambda s: convert(render.render_docx(s), "docx", "doc"), specs))
    assert [parse_bytes(d).values() for d in docs] == [s.figures for s in specs]


def test_a_conversion_that_outlasts_its_timeout_is_one_unreadable_document():
    with pytest.raises(UnreadableDocument, match="could not convert"):
        convert(render.render_docx(_spec(0)), "docx", "doc", timeout=0.01)
