"""Pre-2019 reports: one statistics table, recognised and read into ``legacy.*`` keys only."""

import random
from pathlib import Path

import pytest

from nianbao.core import legacy
from nianbao.core.keys import PRE2019
from nianbao.core.parse import parse_bytes
from nianbao.demo import render, synth

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("html_table", [True, False])
def test_a_pre2019_report_is_read_into_legacy_keys_only(seed, html_table):
    figures = synth.legacy_figures(random.Random(seed), zero_share=0.2 * (seed % 3))
    report = parse_bytes(render.render_legacy("岚溪县人民政府", 2016 + seed % 3, figures, html_table).encode(), "x")
    assert report.table_format == PRE2019
    assert report.values() == figures
    assert (report.table2_layout, report.table3_layout) == (None, None)
    assert [f.rule for f in report.findings] == ["report.pre2019"]
    assert (report.organ, report.year) == ("岚溪县人民政府", 2016 + seed % 3)


def test_a_broken_sum_is_a_finding_and_the_figures_stay_as_printed():
    figures = synth.legacy_figures(random.Random(7), zero_share=0)
    figures["legacy.replies.denied.privacy"] += 3
    report = parse_bytes(render.render_legacy("岚溪县白沙镇人民政府", 2018, figures).encode(), "x")
    assert report.values() == figures
    sums = [f for f in report.findings if f.rule == "legacy.sum"]
    assert [f.keys[0] for f in sums] == ["legacy.replies.denied"]
    assert sums[0].actual - sums[0].expected == 3


def test_current_reports_are_not_taken_for_pre2019_ones():
    figures = synth.random_figures(random.Random(1), "2019", "2019")
    report = parse_bytes(render.render_html(render.ReportSpec("某镇", 2019, figures, "2019", "2019")), "x")
    assert report.table_format == "2019+" and report.values() == figures


def test_every_legacy_key_is_documented():
    assert [k for k in legacy.KEYS if f"`{k}`" not in README] == []
