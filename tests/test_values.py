import pytest

from nianbao.core.values import parse_value


@pytest.mark.parametrize(
    ("raw", "value", "blank"),
    [
        ("0", 0, False),
        ("", 0, True),
        ("\xa0", 0, True),
        ("—", 0, False),
        ("-", 0, False),
        ("/", 0, False),
        ("无", 0, False),
        ("251000元", 251000, False),
        ("1,234", 1234, False),
        ("０", 0, False),
        ("１２", 12, False),
        ("3件", 3, False),
        ("-3", -3, False),
        ("+2", 2, False),
        ("减少3", -3, False),
        ("增加2", 2, False),
        ("4166.241619", 4166.241619, False),
        ("75394432.52元", 75394432.52, False),
        ("22（其中修订16件）", 22, False),
        ("22(其中修订16件)", 22, False),
    ],
)
def test_values(raw, value, blank):
    parsed = parse_value(raw)
    assert parsed is not None
    assert (parsed.value, parsed.blank) == (value, blank)
    assert type(parsed.value) is type(value)


@pytest.mark.parametrize("raw", ["1.属于国家秘密", "规章", "2023年", "- 5 -", "1.", "3、其他", "第二十条第（一）项"])
def test_labels_are_not_values(raw):
    assert parse_value(raw) is None
