import pytest
from hypothesis import given
from hypothesis import strategies as st

from nianbao.core.metadata import (
    find_published,
    find_title,
    is_annual_report_text,
    is_annual_report_title,
    read_title,
)
from nianbao.core.text import fold, squash


@pytest.mark.parametrize(
    ("title", "organ", "year"),
    [
        ("汤阴县城关镇政府2023年政府信息公开工作年度报告", "汤阴县城关镇政府", 2023),
        ("2019年上海市人民政府办公厅政府信息公开工作年度报告", "上海市人民政府办公厅", 2019),
        ("平潭综合实验区2024年度政府信息公开工作年度报告", "平潭综合实验区", 2024),
        ("耿镇镇2023年度政府信息公开工作年度报告", "耿镇镇", 2023),
        ("洪泽区交通运输局关于2022年政府信息公开工作年度报告", "洪泽区交通运输局", 2022),
        ("《城关镇2021年政府信息公开年报》", "城关镇", 2021),
    ],
)
def test_read_title(title, organ, year):
    info = read_title(title)
    assert info is not None
    assert (info.organ, info.year) == (organ, year)


def test_organ_on_the_line_above():
    info = find_title(["- 1 -", "淮安市人民政府", "2024 年政府信息公开工作年度报告"])
    assert (info.organ, info.year) == ("淮安市人民政府", 2024)


@pytest.mark.parametrize(
    "title",
    [
        "2024年政府工作报告",
        "汤阴县2023年法治政府建设年度报告",
        "城关镇2024年部门预决算公开",
        "汤阴县人民政府政府信息公开指南",
        "2024年政务公开工作要点",
        "一图读懂汤阴县2023年政府信息公开工作年度报告",
        "关于2023年政府信息公开工作年度报告的解读",
    ],
)
def test_lookalikes_are_not_reports(title):
    assert not is_annual_report_title(title)
    assert read_title(title) is None


def test_report_titles():
    assert is_annual_report_title("汤阴县城关镇政府2023年政府信息公开工作年度报告")
    assert is_annual_report_title("城关镇2021年政务公开年报")


def test_published():
    assert find_published(["索引号：123", "发布日期：2024年1月5日"]) == "2024-01-05"
    assert find_published(["发布时间: 2021-01-20"]) == "2021-01-20"
    assert find_published(["无日期"]) is None


@given(st.lists(st.sampled_from(["主动公开政府信息情况", "收到和处理政府信息公开申请情况", "⾏政诉讼情况", "存在的主要问题及改进情况",
                                 "本机关", "\u3000", " \n", "（一）", "⼯作"]), max_size=12))
def test_report_text_is_judged_as_its_folded_form_is(parts):
    text = "".join(parts)
    folded = fold(text)
    expected = sum(m in folded for m in ("主动公开政府信息情况", "收到和处理政府信息公开申请情况", "政府信息公开行政复议",
                                         "行政诉讼情况", "存在的主要问题及改进情况")) >= 2
    assert is_annual_report_text(text) is expected


def test_whole_pages_are_not_kept_in_the_label_cache():
    before = squash.cache_info().currsize
    for i in range(50):
        is_annual_report_text(f"第{i}页" + "本机关认真贯彻落实条例。" * 500)
    assert squash.cache_info().currsize == before
