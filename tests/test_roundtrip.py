"""Documents rendered from known figures, parsed back and compared exactly."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nianbao.core.parse import parse_bytes
from nianbao.demo import synth
from tests.strategies import FORMATS, render_as, specs

# 25 examples in the whole suite; fewer in the fast lane, whose profile draws fewer.
SETTINGS = settings(max_examples=min(25, settings().max_examples), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("fmt", FORMATS)
@SETTINGS
@given(data=st.data())
def test_consistent_report_round_trips(fmt, data):
    spec = data.draw(specs(fmt))
    report = parse_bytes(render_as(spec, fmt, seed=data.draw(st.integers(0, 99))), fmt)
    assert report.values() == spec.figures
    assert (report.table2_layout, report.table3_layout) == (spec.table2_layout, spec.table3_layout)
    assert report.table_format == "2019+"
    assert (report.organ, report.year) == (spec.organ, spec.year)
    assert report.published_at == spec.published_at
    assert report.findings == []


@pytest.mark.parametrize("fmt", FORMATS)
@SETTINGS
@given(data=st.data())
def test_broken_identity_is_found_and_figures_kept_as_printed(fmt, data):
    spec = data.draw(specs(fmt))
    rule = data.draw(st.sampled_from(synth.BREAKABLE_RULES))
    spec.figures, touched = synth.break_identity(spec.figures, rule, data.draw(st.integers(1, 50)))
    report = parse_bytes(render_as(spec, fmt), fmt)
    assert report.values() == spec.figures
    assert {f.rule for f in report.findings} == {rule}
    assert all(set(f.keys) & set(touched) for f in report.findings)
    for finding in report.findings:
        assert finding.expected != finding.actual


@pytest.mark.parametrize("fmt", ["html-grid", "text", "docx", "pdf"])
@pytest.mark.parametrize("missing", [2, 3, 4])
@settings(max_examples=5, deadline=None)
@given(data=st.data())
def test_missing_table_leaves_its_keys_absent_with_a_finding(fmt, missing, data):
    spec = data.draw(specs(fmt))
    spec.missing_tables = (missing,)
    report = parse_bytes(render_as(spec, fmt), fmt)
    prefix = f"t{missing}."
    assert not any(k.startswith(prefix) for k in report.values())
    assert {k: v for k, v in spec.figures.items() if not k.startswith(prefix)} == report.values()
    assert [f.evidence for f in report.findings if f.rule == "table.missing"] == [{"table": missing}]
