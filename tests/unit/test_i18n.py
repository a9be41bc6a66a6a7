"""geo.i18n: what the layer builder writes, as an English page shows it."""


def test_data_text_translates_what_the_builder_writes_and_marks_plan_text():
    from geo import layers
    from geo.i18n import DATA_TEXT, data_text

    assert layers.ADMIN_NOTE in DATA_TEXT
    for value in ("辖区单元", "相邻单元", layers.ADMIN_NOTE):
        assert data_text(value, "zh") == value
        assert not any("\u3400" <= ch <= "\u9fff" for ch in data_text(value, "en"))
    assert data_text("中共曲靖市委", "en") == "中共曲靖市委 (in the original)"
    assert data_text("", "en") == ""
