"""Hypothesis strategies: random figure sets and the documents rendered from them."""

from hypothesis import strategies as st

from nianbao.core import keys as K
from nianbao.demo import render, synth

LAYOUTS = st.sampled_from([K.LAYOUT_2019, K.LAYOUT_2021])
# Formats where an empty cell still shows as a cell; elsewhere a 0 must be printed.
STRUCTURED = ("html-grid", "html-flat", "html-split", "text", "docx", "xlsx")
UNSTRUCTURED = ("plain", "pdf")
FORMATS = STRUCTURED + UNSTRUCTURED


def _value(key: str):
    if K.is_decimal_key(key):
        return st.integers(0, 10**9).map(lambda cents: cents / 100)
    if key.endswith(".change"):
        return st.integers(-500, 500)
    return st.one_of(st.just(0), st.integers(0, 60), st.integers(0, 10**6))


@st.composite
def figure_sets(draw):
    t2 = draw(LAYOUTS)
    t3 = draw(LAYOUTS)
    procurement = t2 == K.LAYOUT_2019 and draw(st.booleans())
    free = {key: draw(_value(key)) for key in synth.free_keys(t2, t3, procurement)}
    return t2, t3, synth.derive(free, t3)


@st.composite
def specs(draw, fmt: str):
    t2, t3, figures = draw(figure_sets())
    zeros = render.ZERO_STYLES if fmt in STRUCTURED else tuple(z for z in render.ZERO_STYLES if z)
    return render.ReportSpec(
        organ=draw(st.sampled_from(["汤阴县城关镇人民政府", "洪泽区交通运输局", "耿镇镇", "平潭综合实验区"])),
        year=draw(st.integers(2019, 2025)),
        figures=figures,
        table2_layout=t2,
        table3_layout=t3,
        published_at=draw(st.sampled_from([None, "2024-01-20"])),
        zero=draw(st.sampled_from(zeros)),
        heading_style=draw(st.sampled_from(render.HEADING_STYLES)),
    )


def render_as(spec: render.ReportSpec, fmt: str, seed: int = 0) -> bytes:
    if fmt == "html-grid":
        return render.render_html(spec, "grid", seed=seed)
    if fmt == "html-flat":
        return render.render_html(spec, "flat", encoding="gbk", declare="gb2312", seed=seed)
    if fmt == "html-split":
        # GBK bytes under a page that claims UTF-8, inside portal chrome.
        return render.render_html(spec, "split", encoding="gbk", declare="utf-8", seed=seed, page=True)
    if fmt == "text":
        return render.render_text(spec).encode("utf-8")
    if fmt == "plain":
        return render.render_text(spec, tabs=False).encode("gb18030")
    if fmt == "docx":
        return render.render_docx(spec)
    if fmt == "xlsx":
        return render.render_xlsx(spec)
    if fmt == "pdf":
        return render.render_pdf(spec)
    raise ValueError(fmt)
