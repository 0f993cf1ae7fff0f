"""``nianbao parse`` as a user runs it."""

import json
import subprocess
import sys

from tests.conftest import SAMPLES

SAMPLE_FILES = sorted(str(p) for p in SAMPLES.iterdir() if not p.name.endswith(".json"))


def nianbao(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nianbao", *args], capture_output=True, text=True, timeout=120)


def test_json_lines_one_per_document():
    result = nianbao("parse", "--json", *SAMPLE_FILES)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["source"] for r in rows] == SAMPLE_FILES
    for row in rows:
        assert {"source", "organ", "year", "table2_layout", "table3_layout", "figures", "findings"} <= row.keys()
        want = json.loads((SAMPLES / (row["source"].rsplit("/", 1)[1].rsplit(".", 1)[0] + ".expected.json"))
                          .read_text(encoding="utf-8"))
        assert row["figures"] == want["figures"]
    sh = next(r for r in rows if r["source"].endswith("sh2019.html"))
    assert {f["rule"] for f in sh["findings"]} == {"identity.2", "identity.3"}
    assert all({"rule", "severity", "keys", "expected", "actual"} <= f.keys() for f in sh["findings"])


def test_provenance_option():
    result = nianbao("parse", "--json", "--provenance", str(SAMPLES / "sh2019.html"))
    row = json.loads(result.stdout)
    assert row["provenance"]["t2.central_procurement.amount"]["raw"] == "251000元"
    assert row["sections"]["six"] == "无。"


def test_readable_summary():
    result = nianbao("parse", str(SAMPLES / "ha2024.pdf"))
    assert result.returncode == 0
    assert "淮安市人民政府" in result.stdout and "2024" in result.stdout
    assert "new applications 3119" in result.stdout


def test_bad_files_do_not_stop_the_others(tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    garbage = tmp_path / "garbage.bin"
    garbage.write_bytes(bytes(range(256)) * 100)
    good = str(SAMPLES / "sh2019.html")
    result = nianbao("parse", "--json", str(empty), good, str(garbage), str(tmp_path / "missing.html"))
    assert result.returncode == 1
    assert [json.loads(line)["source"] for line in result.stdout.splitlines()] == [good]
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 3
    assert errors[0] == f"error: {empty}: the file is empty"
    assert "no supported format" in errors[1]
    assert "No such file" in errors[2]
