"""Name keys: spellings of one name match; "Chinese X" is the UN lists' "China X"."""

from directory.names import name_key


def test_a_leading_chinese_is_folded_to_china():
    assert name_key("Chinese Young Volunteers Association") == name_key(
        "China Young Volunteers Association"
    )
    assert name_key("The Chinese  Young Volunteers Association.") == name_key(
        "China Young Volunteers Association"
    )
    # Only as the name's first word: a Chinese word elsewhere stays.
    assert name_key("Friends of Chinese Culture") != name_key("Friends of China Culture")
