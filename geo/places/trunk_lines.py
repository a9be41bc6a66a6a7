"""National trunk lines named by their ends: the names a planner knows without the text saying where they run.

A road or railway named by two initials (兰海高速, 京广铁路) may read as near or far places: 兰海 in 兰州's plan is
兰州—海口 (G75), not 兰州—海东; 宁广 in 南京's plan is 南京—广德, not 南京—广州. A far end needs evidence: the
text naming it, or the name being one of these national lines. The list holds the national expressways of the
国家公路网规划 (2022—2035年) radial, north–south and east–west routes, and the trunk railways and high-speed
corridors that planners name by their ends (京广, 京九, 陇海, 宝成 …). Ends are written as full unit names and
resolved against the gazetteer (`trunk_line_ends`); a test checks that every one resolves to exactly one unit.
"""

from __future__ import annotations

import functools

from geo.places.gazetteer import Gazetteer, Unit

TRUNK_LINES: dict[str, tuple[str, ...]] = {
    # national expressways radiating from 北京 (G1–G7)
    "京哈": ("北京市", "哈尔滨市"), "京沪": ("北京市", "上海市"), "京台": ("北京市", "台湾省"),
    "京港澳": ("北京市", "香港特别行政区", "澳门特别行政区"), "京昆": ("北京市", "昆明市"),
    "京藏": ("北京市", "拉萨市"), "京新": ("北京市", "乌鲁木齐市"),
    # north–south national expressways
    "鹤大": ("鹤岗市", "大连市"), "沈海": ("沈阳市", "海口市"), "长深": ("长春市", "深圳市"),
    "济广": ("济南市", "广州市"), "大广": ("大庆市", "广州市"), "二广": ("二连浩特市", "广州市"),
    "呼北": ("呼和浩特市", "北海市"), "包茂": ("包头市", "茂名市"), "银百": ("银川市", "百色市"),
    "兰海": ("兰州市", "海口市"), "银昆": ("银川市", "昆明市"),
    # east–west national expressways
    "绥满": ("绥芬河市", "满洲里市"), "珲乌": ("珲春市", "乌兰浩特市"), "丹锡": ("丹东市", "锡林浩特市"),
    "荣乌": ("荣成市", "乌海市"), "青银": ("青岛市", "银川市"), "青兰": ("青岛市", "兰州市"),
    "连霍": ("连云港市", "霍尔果斯市"), "宁洛": ("南京市", "洛阳市"), "沪陕": ("上海市", "西安市"),
    "沪蓉": ("上海市", "成都市"), "沪渝": ("上海市", "重庆市"), "杭瑞": ("杭州市", "瑞丽市"),
    "沪昆": ("上海市", "昆明市"), "福银": ("福州市", "银川市"), "泉南": ("泉州市", "南宁市"),
    "厦蓉": ("厦门市", "成都市"), "汕昆": ("汕头市", "昆明市"), "广昆": ("广州市", "昆明市"),
    # trunk railways and high-speed corridors named by their ends
    "京广": ("北京市", "广州市"), "京九": ("北京市", "香港特别行政区"), "京包": ("北京市", "包头市"),
    "包兰": ("包头市", "兰州市"), "兰新": ("兰州市", "乌鲁木齐市"), "陇海": ("兰州市", "连云港市"),
    "宝成": ("宝鸡市", "成都市"), "成昆": ("成都市", "昆明市"), "焦柳": ("焦作市", "柳州市"),
    "武广": ("武汉市", "广州市"), "贵广": ("贵阳市", "广州市"), "南广": ("南宁市", "广州市"),
    "沪汉蓉": ("上海市", "武汉市", "成都市"), "石太": ("石家庄市", "太原市"), "西成": ("西安市", "成都市"),
    "渝昆": ("重庆市", "昆明市"), "合福": ("合肥市", "福州市"), "杭深": ("杭州市", "深圳市"),
    "沪宁": ("上海市", "南京市"), "宁杭": ("南京市", "杭州市"),
    "沪杭": ("上海市", "杭州市"), "京津": ("北京市", "天津市"), "京张": ("北京市", "张家口市"),
    "津秦": ("天津市", "秦皇岛市"), "沈大": ("沈阳市", "大连市"), "哈大": ("哈尔滨市", "大连市"),
    "大秦": ("大同市", "秦皇岛市"), "胶济": ("青岛市", "济南市"), "济青": ("济南市", "青岛市"),
    "石济": ("石家庄市", "济南市"), "郑西": ("郑州市", "西安市"), "徐兰": ("徐州市", "兰州市"),
    "成渝": ("成都市", "重庆市"), "兰渝": ("兰州市", "重庆市"), "广深": ("广州市", "深圳市"),
    "南昆": ("南宁市", "昆明市"), "昌赣": ("南昌市", "赣州市"), "杭黄": ("杭州市", "黄山市"),
    "太焦": ("太原市", "焦作市"), "宝兰": ("宝鸡市", "兰州市"),
    # lines into Tibet, named by the two provinces they join (川藏铁路 = 成都—拉萨, not the province of 四川)
    "川藏": ("成都市", "拉萨市"), "青藏": ("西宁市", "拉萨市"), "滇藏": ("昆明市", "拉萨市"),
    "新藏": ("叶城县", "拉萨市"),
}


def trunk_line_ends(written: str, gazetteer: Gazetteer) -> list[Unit] | None:
    """The ends of a national trunk line written by its initials (兰海 -> 兰州, 海口), or None if it is none."""
    ends = _resolved(gazetteer).get(written)
    return list(ends) if ends else None  # a copy: the resolved table is cached


@functools.cache
def _resolved(gazetteer: Gazetteer) -> dict[str, list[Unit]]:
    out: dict[str, list[Unit]] = {}
    for written, names in TRUNK_LINES.items():
        units = [_unique(gazetteer, name) for name in names]
        if all(units):
            out[written] = units
    return out


def _unique(gazetteer: Gazetteer, name: str) -> Unit | None:
    """The one unit of a full name (北京市 the municipality, not a county of the same name), or None."""
    found = [u for u in gazetteer.candidates(name) if u.name == name]
    if len(found) > 1:
        found = [u for u in found if u.level != "county"] or found
    return found[0] if len(found) == 1 else None
