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

    old_names = {("京九", "九"): "九龙, in 香港", ("陇海", "海"): "海州, 连云港's old name",
                 ("胶济", "胶"): "胶州, a city of 青岛 (the line's old end)"}
    for written in TRUNK_LINES:
        ends = trunk_line_ends(written, GAZ)
        for ch, unit in zip(written, ends, strict=False):
            abbreviates = {unit.adcode, unit.province} & set(CHAR_ABBREVIATIONS.get(ch, ()))
            assert ch in unit.name or abbreviates or (written, ch) in old_names, (written, ch)


def test_a_line_into_tibet_runs_between_cities_not_provinces():
    """川藏铁路 joins 成都 and 拉萨: read as the two provinces, a plan's corridor along it was drawn as a dot at
    四川's seat (the province of 西藏 holding a 林芝 plan's area was dropped as no end)."""
    from geo.places.matcher import find_places

    found = find_places("两廊：沿川藏铁路和G318国道的交通走廊", GAZ, jurisdiction="540402")
    assert [p.name for p in found] == ["成都市", "拉萨市"]
    assert [u.name for u in trunk_line_ends("青藏", GAZ)] == ["西宁市", "拉萨市"]


def test_a_word_that_is_no_line_has_no_ends():
    assert trunk_line_ends("宁广", GAZ) is None
    assert trunk_line_ends("发展", GAZ) is None
