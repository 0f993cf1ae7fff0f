"""Deadlines of the disclosure regulation (条例 第四十九、五十条) against publication dates."""

import pytest

from nianbao.core import deadlines as D


@pytest.mark.parametrize(("name", "kind"), [
    ("岚溪县人民政府", D.COUNTY), ("淮安市洪泽区人民政府", D.COUNTY), ("淮安市人民政府", D.CITY),
    ("江苏省人民政府", D.PROVINCE), ("上海市人民政府", D.PROVINCE), ("洪泽区交通运输局", D.DEPARTMENT),
    ("某县发展和改革局", D.DEPARTMENT), ("某县卫生健康委员会", D.DEPARTMENT), ("岚溪县白沙镇人民政府", D.TOWN),
    ("耿镇镇", D.TOWN), ("汤阴县城关镇政府", D.TOWN), ("某某乡人民政府", D.TOWN), ("东城街道办事处", D.STREET),
    ("平潭综合实验区管委会", D.OTHER), ("平潭综合实验区", D.OTHER),
])
def test_kind_from_the_name(name, kind):
    assert D.kind_of(name) == kind


def test_a_department_is_due_by_31_january_and_a_county_government_by_31_march():
    assert D.timeliness(D.kind_of("某县发展和改革局"), 2023, "2024-01-31") is None
    late = D.timeliness(D.kind_of("某县发展和改革局"), 2023, "2024-02-10")
    assert late.rule == "timeliness.late" and late.evidence["days_late"] == 10
    assert "第五十条" in late.evidence["rule"] and late.expected == "2024-01-31"
    assert D.timeliness(D.kind_of("岚溪县人民政府"), 2023, "2024-03-31") is None
    assert D.timeliness(D.kind_of("岚溪县人民政府"), 2024, "2025-04-02").evidence["days_late"] == 2


def test_a_town_follows_its_county_and_the_finding_says_so():
    late = D.timeliness(D.kind_of("岚溪县白沙镇人民政府"), 2022, "2023-04-10")
    assert late.evidence["days_late"] == 10 and "towns and streets follow their county" in late.evidence["rule"]


@pytest.mark.parametrize("published", [None, "", "2024-13-45"])
def test_no_readable_date_is_unknown(published):
    assert D.timeliness(D.kind_of("岚溪县人民政府"), 2023, published).rule == "timeliness.unknown"
