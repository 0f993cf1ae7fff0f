"""One decoding for the spider and the readers: right whatever the page declares."""

from hypothesis import given
from hypothesis import strategies as st

from nianbao.core.encoding import decode
from nianbao.core.readers import read_document

# Common and rarer CJK characters (the rarer ones are outside GB2312, as in real GBK pages), digits, punctuation.
CHINESE = st.text(st.sampled_from("政府信息公开工作年度报告镇街道县区局委员会办事处申请数量件予以公开部分不予堃喆昇旻珺"
                                  "0123456789，。、（）：；"), min_size=8, max_size=200)
CHARSETS = st.sampled_from(["utf-8", "gbk", "gb18030"])
DECLARED = st.sampled_from([None, "utf-8", "gb2312", "gbk", "gb18030", "bogus-charset"])


def _page(text: str, declared: str | None) -> str:
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={declared}">' if declared else ""
    return f"<html><head>{meta}<title>t</title></head><body><p>{text}</p></body></html>"


@given(CHINESE, CHARSETS, DECLARED, DECLARED)
def test_a_page_decodes_to_its_text_whatever_it_declares(text, charset, in_page, in_header):
    data = _page(text, in_page).encode(charset)
    header = f"text/html; charset={in_header}" if in_header else None
    assert text in decode(data, header)


@given(CHINESE, CHARSETS, DECLARED)
def test_the_reader_sees_the_text_the_spider_sees(text, charset, declared):
    data = _page(text, declared).encode(charset)
    assert text in decode(data)
    doc = read_document(data)
    assert text.replace(" ", "") in "".join(t.text for t in doc.tokens).replace(" ", "")


def test_byte_order_marks_decide():
    assert decode("\ufeff年报".encode()) == "年报"
    assert decode("年报".encode("utf-16")) == "年报"


@given(CHINESE, CHINESE)
def test_a_stray_byte_costs_only_itself(before, after):
    data = _page(before, "gbk").encode("gbk") + b"\xff" + after.encode("gbk")
    text = decode(data)
    assert before in text and after in text
