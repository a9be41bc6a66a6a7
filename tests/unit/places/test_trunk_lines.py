"""The national trunk lines a road's initials may name (geo.places.trunk_lines)."""

from geo.places.gazetteer import load_gazetteer
from geo.places.trunk_lines import TRUNK_LINES, trunk_line_ends

GAZ = load_gazetteer()


def test_every_end_of_every_line_resolves_to_one_unit():
    for written, names in TRUNK_LINES.items():
        ends = trunk_line_ends(written, GAZ)
        assert ends is not None, written
        assert [u.name for u in ends] == list(names), written


def test_each_initial_is_its_ends_own():
    """京广 = 北京, 广州: each character of the name is the abbreviation or the first character of an end (a
    typo in the table would read a line wrong)."""
    from geo.places.clusters import CHAR_ABBREVIATIONS

    old_names = {("京九", "九"): "九龙, in 香港", ("陇海", "海"): "海州, 连云港's old name"}
    for written in TRUNK_LINES:
        ends = trunk_line_ends(written, GAZ)
        for ch, unit in zip(written, ends, strict=False):
            abbreviates = {unit.adcode, unit.province} & set(CHAR_ABBREVIATIONS.get(ch, ()))
            assert ch in unit.name or abbreviates or (written, ch) in old_names, (written, ch)


def test_a_word_that_is_no_line_has_no_ends():
    assert trunk_line_ends("宁广", GAZ) is None
    assert trunk_line_ends("发展", GAZ) is None
