"""Layout hazards of real reports, written out by hand."""

import random
import re

from nianbao.core.parse import parse_bytes
from nianbao.demo import render, synth


def _spec(t2="2021", t3="2021", seed=3, **kw):
    figures = synth.random_figures(random.Random(seed), t2, t3, zero_share=0.3)
    return render.ReportSpec("测试镇人民政府", 2023, figures, t2, t3, **kw)


def _table3_text(text: str) -> tuple[int, int]:
    start = text.index("三、收到和处理政府信息公开申请情况")
    end = text.index("四、政府信息公开行政复议、行政诉讼情况")
    return start, end


def test_table_printed_twice_is_one_table():
    spec = _spec()
    text = render.render_text(spec)
    start, end = _table3_text(text)
    doubled = text[:end] + text[start:end] + text[end:]
    report = parse_bytes(doubled.encode(), "twice.txt")
    assert report.values() == spec.figures
    assert report.findings == []


def test_table_printed_twice_with_different_values_is_a_finding():
    spec = _spec()
    other = _spec(seed=4)
    text = render.render_text(spec)
    start, end = _table3_text(text)
    second = render.render_text(other)
    s2, e2 = _table3_text(second)
    report = parse_bytes((text[:end] + second[s2:e2] + text[end:]).encode(), "twice.txt")
    assert report.values() == spec.figures
    assert "table.duplicate_mismatch" in {f.rule for f in report.findings}


def test_word_artifacts_and_stray_page_number():
    spec = _spec()
    text = "[bookmark: _GoBack]" + render.render_text(spec) + "\n12\n"
    assert parse_bytes(text.encode(), "x.txt").values() == spec.figures


def test_incomplete_row_is_left_out_with_evidence():
    spec = _spec(zero="0")
    text = render.render_text(spec, tabs=False)
    label = "2.重复申请"
    head, tail = text.split(label, 1)
    values = tail.split("\n\n")
    # Drop the row's last value.
    cut = head + label + "\n\n".join(values[:7]) + "\n\n" + "\n\n".join(values[8:])
    report = parse_bytes(cut.encode(), "x.txt")
    finding = next(f for f in report.findings if f.rule == "table.row_incomplete")
    assert "t3.not_processed.duplicate.total" in finding.keys
    assert "t3.not_processed.duplicate.total" not in report.values()


def test_markdown_pipe_table():
    lines = ["淮安市人民政府2024年政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况",
             "| 申请人情况 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |",
             "|---|---|---|---|---|---|---|---|",
             "| 一、本年新收政府信息公开申请数量 | 3 | 1 | 0 | 0 | 0 | 0 | 4 |",
             "| 二、上年结转政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |"]
    report = parse_bytes("\n".join(lines).encode(), "md")
    assert report.values()["t3.new_received.total"] == 4
    assert report.values()["t3.carried_over.natural_person"] == 1


def test_narrative_disagreeing_with_table_three():
    spec = _spec(narrative={"one": "2023年，本镇共受理政府信息公开申请999件。"})
    report = parse_bytes(render.render_html(spec), "x.html")
    finding = next(f for f in report.findings if f.rule == "narrative.applications")
    assert (finding.expected, finding.actual) == (999, spec.figures["t3.new_received.total"])
    assert finding.severity == "warning"


def test_narrative_saying_no_applications():
    spec = _spec(narrative={"one": "2023年度本镇没有收到政府信息依申请公开事项。"})
    report = parse_bytes(render.render_html(spec), "x.html")
    stated_zero = spec.figures["t3.new_received.total"] == 0
    assert ("narrative.applications" in {f.rule for f in report.findings}) is not stated_zero


def test_no_break_and_ideographic_spaces_in_cells_read_as_spaces():
    spec = _spec()
    rng = random.Random(7)
    pads = ["&nbsp;", "&#12288;", " &nbsp; ", "\u3000\u3000", ""]

    def pad(m: re.Match) -> str:
        return f"<p>{rng.choice(pads)}{m.group(1)}{rng.choice(pads)}</p>"

    page = render.render_html(spec, "grid", seed=3, page=True).decode()
    padded = re.sub(r"<p>([^<]*)</p>", pad, page)
    assert padded != page
    report = parse_bytes(padded.encode(), "padded.html")
    assert report.values() == spec.figures
    assert all(f.raw == " ".join(f.raw.split()) for f in report.figures.values())
    assert report.organ == "测试镇人民政府"
