"""Documents damaged the way conversions to text damage them: no figure read may be wrong.

Labels come apart from their values, blank cells vanish, separators between
cells are lost, rows break across pages. A figure may go missing; one that is
emitted must equal the figure the document was made from.
"""

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nianbao.core import keys as K
from nianbao.core.extract import INFERRED, LABEL, METHODS, ORDER
from nianbao.core.guided import agreed, readings
from nianbao.core.parse import parse_bytes
from nianbao.core.readers.text import read_text
from nianbao.core.values import parse_value
from nianbao.demo import render, synth
from tests.strategies import specs

DAMAGES = st.builds(render.Damage, detach=st.sampled_from([0, 0.3, 1]), run_together=st.sampled_from([0, 0.3, 1]),
                    split=st.sampled_from([0, 0.3]))


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=specs("text"), damage=DAMAGES, seed=st.integers(0, 999))
def test_a_damaged_document_never_yields_a_wrong_figure(spec, damage, seed):
    report = parse_bytes(render.render_converted(spec, damage, seed).encode(), "damaged.txt")
    wrong = {k: (f.value, spec.figures.get(k)) for k, f in report.figures.items() if spec.figures.get(k) != f.value}
    assert wrong == {}
    assert {f.method for f in report.figures.values()} <= set(METHODS)
    if any(f.method != LABEL for f in report.figures.values()):
        assert "table.read_by_order" in {f.rule for f in report.findings}


def _spec(t2=K.LAYOUT_2021, t3=K.LAYOUT_2021, seed=5, zero="0"):
    figures = synth.random_figures(random.Random(seed), t2, t3, zero_share=0.4)
    return render.ReportSpec("测试镇人民政府", 2023, figures, t2, t3, zero=zero)


def test_labels_printed_apart_are_read_by_row_order_where_the_identities_allow():
    for seed in range(6):
        spec = _spec(seed=seed, t3=(K.LAYOUT_2019, K.LAYOUT_2021)[seed % 2])
        report = parse_bytes(render.render_converted(spec, render.Damage(detach=1), seed).encode(), "x.txt")
        t3 = {k: v for k, v in spec.figures.items() if k.startswith("t3.")}
        assert {k: v for k, v in report.values().items() if k.startswith("t3.")} == t3
        assert any(report.figures[k].method == ORDER for k in t3)
        # Undamaged, the same figures are read beside their labels.
        clean = parse_bytes(render.render_converted(spec, render.Damage(), seed).encode(), "x.txt")
        assert clean.values() == spec.figures
        assert {f.method for f in clean.figures.values()} == {LABEL}
        assert clean.findings == []


def test_values_printed_before_their_label_are_never_given_to_a_neighbour():
    """Some rows print their values on the line before their label; the source also breaks
    identity 1, so no reading by row order holds and only the labels can say anything."""
    spec = _spec(zero="0")
    spec.figures["t3.granted.natural_person"] += 1
    spec.figures["t3.granted.total"] += 1
    moved = ("国家秘密", "不掌握", "其他处理")
    lines = []
    for line in render.render_converted(spec, render.Damage(), 1).splitlines():
        words = line.split(" ")
        values = [w for w in words if parse_value(w) is not None]
        if values and any(m in line for m in moved):
            lines += [" ".join(values), " ".join(w for w in words if parse_value(w) is None)]
        else:
            lines.append(line)
    report = parse_bytes("\n".join(lines).encode(), "x.txt")
    assert {k: v for k, v in report.values().items() if spec.figures[k] != v} == {}
    for row in ("denied.state_secret", "unavailable.not_held", "other.no_correction"):
        assert f"t3.{row}.total" not in report.values()
    assert report.values()["t3.granted.total"] == spec.figures["t3.granted.total"]


def test_cells_run_together_are_split_only_where_one_split_holds():
    cells = [tok for tok in read_text("三、\n123000015\n").tokens if parse_value(tok.text) is not None]
    values = [(tok, parse_value(tok.text)) for tok in cells]

    def row_total(_, row):
        return sum(c.value for c in row[:-1]) == row[-1].value

    found = readings(values, [7], row_total)
    assert [[c.value for c in row] for row in found[0]] == [[12, 3, 0, 0, 0, 0, 15]] and len(found) == 1
    assert all(c.inferred for c in found[0][0])
    # "11011" is 1 + 10 = 11 and 11 + 0 = 11: both readings are returned, and what they
    # disagree on is not a figure.
    tokens = [(tok, parse_value(tok.text)) for tok in read_text("11011\n").tokens]
    found = readings(tokens, [3], row_total)
    assert sorted([c.value for c in r[0]] for r in found) == [[1, 10, 11], [11, 0, 11]]
    rows, differ = agreed(found)
    assert [c.value if c else None for c in rows[0]] == [None, None, 11] and differ == 2


def test_a_dropped_blank_in_table_four_is_restored_only_where_identity_4_fixes_it():
    spec = _spec(zero="0")
    figures = spec.figures
    for key in K.T4_KEYS:
        figures[key] = 0
    figures["t4.review.corrected"], figures["t4.review.total"] = 2, 2
    text = render.render_converted(spec, render.Damage(), 0)
    line = next(ln for ln in text.splitlines() if ln.startswith("0 2 0 0 2"))
    # The blank dropped from the last group (all zeros) can only be restored as that group's 0.
    report = parse_bytes(text.replace(line, line[:-2]).encode(), "x.txt")
    assert {k: v for k, v in report.values().items() if k.startswith("t4.")} == {k: figures[k] for k in K.T4_KEYS}
    assert report.figures["t4.litigation_after_review.total"].method == INFERRED
    # Dropped from the first group, the 2 could be "corrected" or "other": those two are left out,
    # the columns every reading agrees on are kept.
    report = parse_bytes(text.replace(line, "0 2 0 2" + line[9:]).encode(), "x.txt")
    t4 = {k: v for k, v in report.values().items() if k.startswith("t4.")}
    assert t4 == {k: figures[k] for k in K.T4_KEYS if k not in ("t4.review.corrected", "t4.review.other")}
    assert "table.ambiguous" in {f.rule for f in report.findings}


def test_how_each_figure_was_read_travels_with_it():
    spec = _spec(seed=2, t3=K.LAYOUT_2021)
    report = parse_bytes(render.render_converted(spec, render.Damage(detach=1), 2).encode(), "x.txt")
    again = type(report).from_record(report.to_record())
    assert {k: f.method for k, f in again.figures.items()} == {k: f.method for k, f in report.figures.items()}
    out = report.to_json(provenance=True)
    assert ORDER in out["methods"].values()
    assert all(out["provenance"][k]["method"] == m for k, m in out["methods"].items())
