"""``PARSER_VERSION`` changes whenever parsing does: stored parses of an older version are parsed again, and a
parser fix that kept the version would leave every stored parse stale.

The digest of what the parser makes of a fixed corpus (the real samples, and reports rendered in every format
from fixed figures) is recorded here per version. When this test fails, parsing changed: raise
``PARSER_RELEASE`` in ``nianbao/core/parse.py`` and record the digest the failure prints. (``PARSER_VERSION``
is the release plus ``+ocr`` where the ocr extra is installed; the corpus holds no scans.)
"""

import hashlib
import json
import random
from pathlib import Path

from strategies import FORMATS, render_as

from nianbao.core.parse import PARSER_RELEASE, parse_bytes
from nianbao.demo import render, synth

SAMPLES = Path(__file__).parent / "fixtures" / "samples"
RECORDED = {"2026.12.7": "4436fd961c37158ef48220d85b01b5157920c3165055feddfa41f9e5e21838e8"}


def _corpus() -> list[tuple[str, bytes]]:
    docs = [(p.name, p.read_bytes()) for p in sorted(SAMPLES.iterdir()) if not p.name.endswith(".json")]
    rng = random.Random(2026)
    for year in (2020, 2023):
        layouts = synth.layouts_for(year)
        spec = render.ReportSpec("某某县某某镇人民政府", year, synth.random_figures(rng, *layouts), *layouts)
        docs += [(f"{year}.{fmt}", render_as(spec, fmt, seed=year)) for fmt in FORMATS]
        damage = render.Damage(detach=0.5, run_together=0.3, split=0.3)
        docs.append((f"{year}.converted", render.render_converted(spec, damage, seed=year).encode()))
    docs.append(("2017.legacy", render.render_legacy("某某县人民政府", 2017, synth.legacy_figures(rng)).encode()))
    layouts = synth.layouts_for(2024)
    spec = render.ReportSpec("某某县某某局", 2024, synth.random_figures(rng, *layouts), *layouts)
    detail = json.dumps({"title": spec.title, "content": render.render_html(spec).decode()})
    docs.append(("2024.embedded", f"<html><body><script>window._CONFIG = {{DETAIL: {detail}}};</script></body></html>"
                 .encode()))
    return docs


def digest() -> str:
    h = hashlib.sha256()
    for name, data in _corpus():
        record = parse_bytes(data, name).to_record()
        # The version itself carries "+ocr" where the extra is installed; the output is what counts.
        del record["parser_version"]
        h.update(json.dumps(record, ensure_ascii=False, sort_keys=True, default=str).encode())
    return h.hexdigest()


def test_parser_output_changes_only_with_the_parser_version():
    got = digest()
    assert RECORDED.get(PARSER_RELEASE) == got, (
        f"the parser's output on the corpus is {got}; recorded for {PARSER_RELEASE}: {RECORDED.get(PARSER_RELEASE)}. "
        f"If parsing changed on purpose, raise PARSER_RELEASE and record {{'<new version>': '{got}'}} here.")
