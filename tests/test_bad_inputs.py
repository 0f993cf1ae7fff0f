"""Bad input: each a clear error or finding, in bounded time and memory."""

import io
import os
import random
import resource
import subprocess
import sys
import time
import zipfile

import pymupdf
import pytest

from nianbao.core.errors import UnreadableDocument
from nianbao.core.parse import MAX_DOCUMENT_BYTES, parse_bytes, parse_file
from nianbao.demo import render, synth


def _spec() -> render.ReportSpec:
    return render.ReportSpec("测试镇人民政府", 2023, synth.random_figures(random.Random(7), "2021", "2021"))


def _unreadable(data: bytes) -> str:
    with pytest.raises(UnreadableDocument) as err:
        parse_bytes(data, "bad")
    return str(err.value)


def test_empty_file():
    assert "empty" in _unreadable(b"")
    assert "empty" in _unreadable(b"  \n\t ")


def test_binary_garbage():
    garbage = random.Random(1).randbytes(100_000)
    assert "no supported format" in _unreadable(garbage)


def test_truncated_docx():
    data = render.render_docx(_spec())
    assert "DOCX" in _unreadable(data[: len(data) // 2])


@pytest.mark.slow
def test_truncated_pdf_is_an_error_or_partial_read():
    data = render.render_pdf(_spec())
    try:
        report = parse_bytes(data[: len(data) // 3], "cut.pdf")
    except UnreadableDocument as exc:
        assert "PDF" in str(exc)
    else:
        # What survives is read; whatever is lost is named by findings, never guessed.
        assert report.findings
        assert set(report.values()) <= set(_spec().figures)


def test_pdf_header_only():
    assert "PDF" in _unreadable(b"%PDF-1.7\n%%EOF\n")


def test_docx_zip_bomb_is_refused_without_expanding():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"<" + b"a" * (1 << 20)
            for _ in range(300):
                member.write(chunk)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.monotonic()
    message = _unreadable(buf.getvalue())
    assert "ZIP bomb" in message
    assert time.monotonic() - start < 2
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100 * 1024  # KiB


def test_huge_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.pdf"
    with open(path, "wb") as fh:
        fh.truncate(200 * 1024 * 1024)
    assert os.path.getsize(path) > MAX_DOCUMENT_BYTES
    start = time.monotonic()
    with pytest.raises(UnreadableDocument, match="limit"):
        parse_file(path)
    assert time.monotonic() - start < 1


def test_html_without_tables_says_which_tables_are_missing():
    report = parse_bytes("<html><body><p>2023年某某镇政府信息公开工作年度报告</p><p>无内容</p></body></html>".encode(), "x")
    assert report.values() == {}
    assert sorted(f.evidence["table"] for f in report.findings if f.rule == "table.missing") == [2, 3, 4]
    assert (report.organ, report.year) == ("某某镇", 2023)


def test_pdf_without_text_layer_is_marked_not_guessed():
    pdf = pymupdf.open()
    page = pdf.new_page()
    page.draw_rect(pymupdf.Rect(50, 50, 500, 700), color=(0, 0, 0), fill=(0.9, 0.9, 0.9))
    report = parse_bytes(pdf.tobytes(), "scan.pdf")
    assert report.values() == {}
    assert [f.rule for f in report.findings] == ["document.no_text_layer"]


def test_doc_without_libreoffice_is_a_finding(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048
    report = parse_bytes(ole, "report.doc")
    assert report.format == "ole"
    assert [f.rule for f in report.findings] == ["document.needs_libreoffice"]
    assert "LibreOffice" in report.findings[0].message


def test_a_damaged_spreadsheet_is_named():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    assert "damaged XLSX" in _unreadable(buf.getvalue())


def test_xlsx_zip_bomb_is_refused_without_expanding():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (300 * 1024 * 1024 // 4))
    assert "ZIP bomb" in _unreadable(buf.getvalue())


@pytest.mark.parametrize("declared", ["gb2312", "utf-8", None])
def test_gbk_page_under_any_declaration(declared):
    spec = _spec()
    data = render.render_html(spec, encoding="gbk", declare=declared)
    report = parse_bytes(data, "gbk.html")
    assert report.values() == spec.figures
    assert report.organ == spec.organ


def _lying_docx(path, inflated: int, declared: int = 1000) -> None:
    """A DOCX whose ZIP headers say word/document.xml is ``declared`` bytes while it inflates to ``inflated``."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=False) as member:
            block = b"\0" * (1 << 24)
            for _ in range(inflated >> 24):
                member.write(block)
    data = bytearray(path.read_bytes())
    info = zipfile.ZipFile(path).getinfo("word/document.xml")
    # The sizes in the local header (offset 22) and in the central directory entry (offset 24).
    data[info.header_offset + 22:info.header_offset + 26] = declared.to_bytes(4, "little")
    central = data.rindex(b"PK\x01\x02")
    data[central + 24:central + 28] = declared.to_bytes(4, "little")
    path.write_bytes(bytes(data))


def test_a_zip_lying_about_its_size_is_refused_in_bounded_memory(tmp_path):
    path = tmp_path / "lying.docx"
    _lying_docx(path, inflated=1 << 30)
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec from the forked test process.
    script = ("import re, sys\n"
              "from nianbao.core.parse import parse_file\n"
              "from nianbao.core.errors import UnreadableDocument\n"
              "try:\n    parse_file(sys.argv[1])\nexcept UnreadableDocument as exc:\n    print(exc)\n"
              "print(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read())[1])\n")
    done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    message, peak_kib = done.stdout.strip().splitlines()
    assert "DOCX" in message
    assert int(peak_kib) < 400 * 1024


def test_a_zip_with_a_corrupted_version_field_is_unreadable_not_a_crash():
    data = bytearray(render.render_docx(_spec()))
    central = data.index(b"PK\x01\x02")
    # "version needed to extract" far beyond what zipfile supports: it raises NotImplementedError.
    for offset in range(len(data)):
        if data[offset:offset + 4] == b"PK\x03\x04":
            data[offset + 4:offset + 6] = (999).to_bytes(2, "little")
    data[central + 6:central + 8] = (999).to_bytes(2, "little")
    assert "DOCX" in _unreadable(bytes(data))
