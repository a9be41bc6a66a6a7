"""Places and slogans in clause text: short names, ambiguity, clusters, words that are not places."""

import pytest

from geo.places.gazetteer import load_gazetteer
from geo.places.mentions import find_places, find_slogans

GAZ = load_gazetteer()


def names(text, jurisdiction=None):
    return [p.name for p in find_places(text, GAZ, jurisdiction=jurisdiction)]


@pytest.mark.parametrize(
    "text, jurisdiction, expected",
    [
        ("支持三台打造南向东出的战略支点", "510700", ["三台县"]),
        ("北川要打造民族生态强县", "510700", ["北川羌族自治县"]),
        ("推动黔西南州、黔西南分中心建设", "520000", ["黔西南布依族苗族自治州", "黔西南布依族苗族自治州"]),
        ("南川—道真输气管道", "520000", ["南川区", "道真仡佬族苗族自治县"]),
        ("向东以宣威市、富源县为前沿", "530300", ["宣威市", "富源县"]),
        # listed among prefectures, 文山 is the prefecture 文山州, not its seat 文山市
        ("曲靖、昭通、文山、红河产业协同", "530300", ["曲靖市", "昭通市", "文山壮族苗族自治州", "红河哈尼族彝族自治州"]),
        ("文山至师宗普速铁路", "530300", ["文山市", "师宗县"]),  # a route's stop: 至 joins two places
        # a province written before its own unit is written too: both are places (the province marked a qualifier)
        ("常态化落实与新疆和布克赛尔县的援受双方", "211100", ["新疆维吾尔自治区", "和布克赛尔蒙古自治县"]),
        ("借鉴陕西省安康市飞地模式", "510700", ["陕西省", "安康市"]),
        ("扎实推进与上海市宝山区对口合作", "530300", ["上海市", "宝山区"]),
        ("主动对接新疆建设发展", "211100", ["新疆维吾尔自治区"]),
        # a short name inside a longer proper name is no place
        ("王朗、雪宝顶、小河沟、小寨子沟、千佛山、片口等国家、省自然保护区", "510700", []),
        ("与中山大学合作", "440100", []),
        ("积极对接佛山产业", "440100", ["佛山市"]),
        # roads and railways named by their ends
        ("向北依托既有宝成铁路", "510700", ["宝鸡市", "成都市"]),
        ("协力推动阜盘铁路和阜盘客专", "211100", ["阜新市", "盘锦市", "阜新市", "盘锦市"]),
        ("银昆—曲泸廊道", "530300", ["曲靖市", "泸西县"]),
        ("共同开发贵广高铁", "520000", ["贵阳市", "广州市"]),
        ("推进XX经金堂至XX城际二线铁路", "510700", ["金堂县"]),
        # 秦巴 is the Qinling and Daba mountains
        ("秦巴片区全面小康先行区", "510821", []),
        # a province abbreviation with a direction is a part of the province (黔北 = northern Guizhou) ...
        ("黔北川南绿色煤化工生产产业链", "520000", []),
        # ... but a road keeps its ends
        ("贵南高铁", "520000", ["贵阳市", "南宁市"]),
        # clusters before the words corridors and zones are named with
        ("打造沪宁合创新带、宁杭生态经济带", "320100", ["上海市", "南京市", "合肥市", "南京市", "杭州市"]),
        ("“两翼”指襄十随神城市群", "420000", ["襄阳市", "十堰市", "随州市", "神农架林区"]),
    ],
)
def test_short_and_full_names(text, jurisdiction, expected):
    assert names(text, jurisdiction) == expected


@pytest.mark.parametrize(
    "name, jurisdiction, adcode",
    [
        ("东乡", "361000", "361003"),  # 抚州's 东乡区, not 甘肃's 东乡族自治县
        ("朝阳", "211100", "211300"),  # in 盘锦's plan: 辽宁's 朝阳市, not 北京's 朝阳区
        ("朝阳", "110000", "110105"),
    ],
)
def test_ambiguous_names_follow_the_jurisdiction_and_say_why(name, jurisdiction, adcode):
    places = find_places(f"加强与{name}的合作", GAZ, jurisdiction=jurisdiction)
    assert [p.adcode for p in places] == [adcode]
    assert "候选" in places[0].reason or "唯一" in places[0].reason


@pytest.mark.parametrize(
    "text, jurisdiction, expected",
    [
        ("做强“麒沾马”中心城市", "530300", ["麒麟区", "沾益区", "马龙区"]),
        ("推进毕水兴煤层气产业化基地建设", "520000", ["毕节市", "六盘水市", "兴义市"]),
        ("支撑滇中城市群、昆曲双城协同发展", "530300", ["昆明市", "曲靖市"]),
        ("打造川滇黔物流大通道", "520000", ["四川省", "云南省", "贵州省"]),
        ("推动宁镇扬一体化", "320000", ["南京市", "镇江市", "扬州市"]),
        ("厦漳泉同城化", "350000", ["厦门市", "漳州市", "泉州市"]),
        ("呼包鄂协同发展", "150000", ["呼和浩特市", "包头市", "鄂尔多斯市"]),
    ],
)
def test_abbreviation_clusters(text, jurisdiction, expected):
    places = find_places(text, GAZ, jurisdiction=jurisdiction)
    assert [p.name for p in places if p.via == "cluster"] == expected


@pytest.mark.parametrize(
    "text, jurisdiction",
    [
        ("深入实施乡村振兴战略", "211100"),
        ("加强区域合作，扩大对外开放", "510821"),
        ("坚持区域和政策协同", "510821"),
        ("推进南亚东南亚地区合作", "530300"),
        ("实施长江经济带“三水共治”", "520000"),
        ("加快南盘江中心城区段环境整治", "530300"),
        ("习近平总书记重要讲话精神", "520000"),
        ("建设资源型城市和创新平台", "520000"),
        ("实施黔北川南煤化工", "520000"),
    ],
)
def test_words_and_people_are_not_places(text, jurisdiction):
    assert names(text, jurisdiction) == []


@pytest.mark.parametrize(
    "text, slogan, parts",
    [
        ("做优“一核”,壮大“两翼”,统筹“三区”,全面激发", "一核两翼三区", [(1, "核"), (2, "翼"), (3, "区")]),
        ("一核两翼三区的空间格局", "一核两翼三区", [(1, "核"), (2, "翼"), (3, "区")]),
        ("“一主一副、多点支撑”的城镇化格局", "一主一副、多点支撑", [(1, "主"), (1, "副"), (None, "点")]),
        ("“一核引领、两环支撑”的产业空间布局", "一核引领、两环支撑", [(1, "核"), (2, "环")]),
        ("“一环五射”快速路网", "一环五射", [(1, "环"), (5, "射")]),
        ("构建“1环3纵5横7联”高速公路网", "1环3纵5横7联", [(1, "环"), (3, "纵"), (5, "横"), (7, "联")]),
        ("“两环十射四联”高速公路网", "两环十射四联", [(2, "环"), (10, "射"), (4, "联")]),
        ("“一纵一横两联”铁路网", "一纵一横两联", [(1, "纵"), (1, "横"), (2, "联")]),
        ("“1+5+N”民用机场布局", "1+5+N", [(1, ""), (5, ""), (None, "")]),
        ("打造“2枢纽3园区6中心”", "2枢纽3园区6中心", [(2, "枢纽"), (3, "园区"), (6, "中心")]),
        ("民航“一枢纽十六支”", "一枢纽十六支", [(1, "枢纽"), (16, "支")]),
        ("加快建设“一极两地四区”", "一极两地四区", [(1, "极"), (2, "地"), (4, "区")]),
    ],
)
def test_structure_slogans(text, slogan, parts):
    found = find_slogans(text)
    assert [s.text for s in found] == [slogan]
    assert [(p.count, p.term) for p in found[0].parts] == parts


@pytest.mark.parametrize("text", ["“一带一路”建设", "世界一流“三张牌”", "“两新一重”", "“十四五”规划", "下好“全市一盘棋”",
                                  "绘制“全域一张图”", "统一市场", "第一区"])
def test_non_spatial_counted_words_are_not_slogans(text):
    assert find_slogans(text) == []
