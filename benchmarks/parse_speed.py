"""Parser speed per format, against the bare libraries underneath.

For each format: documents per second and milliseconds per document for
``nianbao.core.parse.parse_bytes``; for HTML the ratio to ``lxml.html.fromstring`` of
the same bytes, for PDF the ratio to PyMuPDF's text extraction of the same pages.
Targets: HTML and PDF at most 3x. ``conv`` is text damaged as conversions from PDF damage it
(labels apart from values, cells run together, rows broken by page numbers): the cost of
reading tables again by row order under their identities.

    python benchmarks/parse_speed.py [--documents N] [--rounds R]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path

import lxml.html
import pymupdf

from nianbao.core.parse import parse_bytes
from nianbao.demo import render, synth

SAMPLES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "samples"


def corpus(n: int) -> dict[str, list[bytes]]:
    rng = random.Random(2024)
    docs: dict[str, list[bytes]] = {"html": [], "text": [], "docx": [], "pdf": [], "conv": []}
    damage = render.Damage(detach=0.5, run_together=0.3, split=0.3)
    for i in range(n):
        t2, t3 = rng.choice(["2019", "2021"]), rng.choice(["2019", "2021"])
        spec = render.ReportSpec(f"第{i}镇人民政府", 2023, synth.random_figures(rng, t2, t3), t2, t3,
                                 zero=rng.choice(["0", "—"]))
        docs["html"].append(render.render_html(spec, rng.choice(render.HTML_STYLES), seed=i, page=True))
        docs["text"].append(render.render_text(spec).encode())
        docs["docx"].append(render.render_docx(spec))
        docs["pdf"].append(render.render_pdf(spec))
        docs["conv"].append(render.render_converted(spec, damage, seed=i).encode())
    for path in SAMPLES.iterdir():
        kind = {".html": "html", ".txt": "text", ".pdf": "pdf"}.get(path.suffix)
        if kind:
            docs[kind].append(path.read_bytes())
    return docs


def once(fn, docs: list[bytes]) -> float:
    start = time.perf_counter()
    for doc in docs:
        fn(doc)
    return time.perf_counter() - start


def pymupdf_text(data: bytes) -> None:
    with pymupdf.open(stream=data, filetype="pdf") as pdf:
        for page in pdf:
            page.get_text()


BASELINES = {"html": ("lxml.html.fromstring", lxml.html.fromstring), "pdf": ("PyMuPDF get_text", pymupdf_text)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=60, help="generated documents per format")
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    docs = corpus(args.documents)
    print(f"{'format':<6} {'docs':>5} {'KB/doc':>7} {'docs/s':>8} {'ms/doc':>7}  baseline")
    for fmt, items in docs.items():
        parse_bytes(items[0])
        baseline = BASELINES.get(fmt)
        # Rounds alternate parser and baseline so both see the same machine load;
        # the ratio is the median of the per-round ratios.
        ours, theirs = [], []
        for _ in range(args.rounds):
            ours.append(once(parse_bytes, items))
            if baseline:
                theirs.append(once(baseline[1], items))
        seconds = min(ours)
        kb = statistics.mean(len(d) for d in items) / 1024
        line = f"{fmt:<6} {len(items):>5} {kb:>7.1f} {len(items) / seconds:>8.1f} {1000 * seconds / len(items):>7.2f}"
        if baseline:
            ratio = statistics.median(a / b for a, b in zip(ours, theirs))
            line += f"  {baseline[0]} {1000 * min(theirs) / len(items):.2f} ms/doc, ratio {ratio:.2f}x"
        print(line)


if __name__ == "__main__":
    main()
