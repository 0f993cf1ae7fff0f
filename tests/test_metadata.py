import pytest

from nianbao.core.metadata import find_published, find_title, is_annual_report_title, read_title


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
