"""Structure slogans of the shapes county and city plans write (issue #19, classes 7 and 11), and counted phrases
that are no structure. Sentences of several regions; none is a text of the development corpus."""

from __future__ import annotations

import pytest

from geo.places.mentions import find_slogans


@pytest.mark.parametrize(
    "sentence, slogan, parts",
    [
        # phrases of a count, a term and a verb joined by 、 (a county plan's 格局)
        ("着力构建“一核引领、两翼齐飞、三带联动”的县域发展格局。", "一核引领、两翼齐飞、三带联动", ["一核", "两翼", "三带"]),
        # clauses joined by one-character verbs: 领, 串
        ("形成“一城领两翼、双轴串四心”的城市空间结构。", "一城领两翼、双轴串四心", ["一城", "两翼", "双轴", "四心"]),
        ("规划形成“一城带两区、一轴连三片”的空间布局。", "一城带两区、一轴连三片", ["一城", "两区", "一轴", "三片"]),
        # 城 as a part: 一城两翼, and the colon-defined list of a city's action plan
        ("构建“一城两翼”的县城发展格局。", "一城两翼", ["一城", "两翼"]),
        ("形成“一城、两轴、三区、多点”的城乡空间发展结构。", "一城、两轴、三区、多点", ["一城", "两轴", "三区", "多点"]),
        # landform slogans, quoted or named a 格局
        ("县域呈“两山夹一川”的地理格局。", "两山夹一川", ["两山", "一川"]),
        ("打造“一江两岸”滨江城市格局。", "一江两岸", ["一江", "两岸"]),
        ("构建“一主两副”城镇格局。", "一主两副", ["一主", "两副"]),
        ("形成“一体两翼”产业布局。", "一体两翼", ["一体", "两翼"]),
        # rivers counting the corridors: the part is the corridor word (两江走廊), not a landform
        ("构建“一核两极、两江走廊、全域和美”空间发展体系。", "一核两极、两江走廊、全域和美", ["一核", "两极", "两江走廊", "全域和美"]),
        # each part's items in a parenthesis right after it: one slogan, the counts inside the parentheses no parts
        (("构建一轴(沿江发展主轴)、两极(大理-隆阳增长极、临翔-思茅-景洪增长极)、三屏(滇西北“三江并流”生态屏障、"
         "哀牢山—无量山生态屏障、南部边境生态屏障)的空间格局。"), "一轴两极三屏", ["一轴", "两极", "三屏"]),
        ("形成一心(主城区)、两翼(东部新区、西部新区)、三带(沿江、沿路、沿山产业带)的格局。", "一心两翼三带",
         ["一心", "两翼", "三带"]),
        # a phrase slogan whose spatial cue is its counted landforms (issue #18: whole plans)
        ("沿江布局城镇组团，形成“一江两岸、联动发展”的格局。", "一江两岸、联动发展", ["一江", "两岸", "联动发展"]),
        ("构建“两山一川、绿色崛起”的生态格局。", "两山一川、绿色崛起", ["两山", "一川", "绿色崛起"]),
        # a list closed by 等 and a number in digits
        ("规划建设嘉定、青浦、松江、奉贤、南汇等5个新城。", "5个新城", ["5个新城"]),
        # water a slogan counts: a river (河, 溪, a rare river word 瀫), a lake; parks counted beside a zone (园)
        ("推进“一溪两岸”城市客厅建设。", "一溪两岸", ["一溪", "两岸"]),
        ("统筹“一湖两岸”保护与开发。", "一湖两岸", ["一湖", "两岸"]),
        ("依托兰江，构建“一瀫两城”发展格局。", "一瀫两城", ["一瀫", "两城"]),
        ("做强“一区三园”产业平台。", "一区三园", ["一区", "三园"]),
        # a network counted by its directions
        ("构建县域“八向放射”公路骨架。", "八向放射", ["八向放射"]),
        # pairs of phrases joined by commas, the quote opened (and left open by the text) or closed
        ("“一心两翼、组团发展,三带串联、生态优先,这16个字概括了规划的要点。", "一心两翼、组团发展,三带串联、生态优先",
         ["一心", "两翼", "组团发展", "三带", "生态优先"]),
        ("确立“一城两区、产城融合，两轴联动、绿色发展”的县域空间战略。", "一城两区、产城融合，两轴联动、绿色发展",
         ["一城", "两区", "产城融合", "两轴", "绿色发展"]),
        # phrases naming the plan's own directions (东西…, 中部…) are spatial
        ("形成“东西林海、中部城区、沿河发展、产城融合”的县域格局。", "东西林海、中部城区、沿河发展、产城融合",
         ["东西林海", "中部城区", "沿河发展", "产城融合"]),
        # a N个 list renamed by a N大 phrase in the same sentence is one structure, named by the N大 phrase
        ("张湾、李营、王集等三个片区各具特色，形成以商贸、物流、制造为主的三大产业片区。", "三大产业片区", ["三大产业片区"]),
    ],
)
def test_slogans_of_county_and_city_plans_are_read(sentence, slogan, parts):
    found = {s.text: [p.written for p in s.parts] for s in find_slogans(sentence)}
    assert found.get(slogan) == parts, found


@pytest.mark.parametrize(
    "sentence",
    [
        "奋力实现“两个率先”目标。",  # counted aims, no spatial term
        "人均收入达到全国平均水平，确保两个水平同步提升。",
        "促进两岸三地交流合作。",  # landform terms in passing
        "保护三江并流世界自然遗产。",
        "推动三城区的两个县协同发展。",  # counts of units joined by a particle
        "经济带范围为7个州市34个县市区。",  # counts of units
        "争创全国文明城市，打造一城一策试点。",
        "推进区域一体化发展，坚持三位一体、两翼协同。",  # 一体 of 一体化 / 三位一体 is no part
        "推动城乡一体、产城一体发展。",  # integrated, no part 一体 (issue #18)
        "推进“一园一策”精准服务，实施“一村一品”工程。",  # one policy per park, one product per village
        "坚持“创新驱动、开放合作，绿色发展、共享共建”的理念。",  # pairs of phrases, none spatial
        "推进四向拓展，促进多向开放。",  # directions of growth, no network
        "保护五湖四海的生态。",  # water terms in passing
        "沿折多河两岸布局城市功能。",  # 多 of a river's own name (折多河) is no count of rivers (“一城多河” is)
    ],
)
def test_counted_phrases_that_are_no_structure_are_no_slogan(sentence):
    assert [s.text for s in find_slogans(sentence)] == []


def test_many_rivers_after_a_part_is_a_part_but_not_inside_a_rivers_name():
    assert [s.text for s in find_slogans("构建“一城多河”格局")] == ["一城多河"]
    assert [s.text for s in find_slogans("沿折多河两岸布局城市功能")] == []


def test_a_phrase_ending_in_yiti_is_integrated_not_a_part():
    # 高快一体 (expressways and highways integrated) in a road network's slogan: no core 一体 (issue #18, 南京's plan)
    found = find_slogans("构建“高快一体、井字三环、轴向放射、组团快联”的骨干路网。")
    assert not [p for s in found for p in s.parts if p.term == "体"], found
    assert [p.written for s in find_slogans("构建“一体两翼”发展格局。") for p in s.parts] == ["一体", "两翼"]


def test_a_counted_list_renamed_by_its_n_da_phrase_is_one_slogan():
    # 三个片区 and 三大产业片区 of one sentence are one structure (issue #19): read once, by the N大 phrase
    found = find_slogans("张湾、李营、王集等三个片区各具特色，形成以商贸、物流、制造为主的三大产业片区。")
    assert [s.text for s in found] == ["三大产业片区"]
    # in sentences of their own each counted phrase stays (四个周边组团 is no N大 phrase's)
    found = find_slogans("做强张湾、李营等两个片区。形成以商贸、制造为主的两大产业片区。")
    assert [s.text for s in found] == ["两个片区", "两大产业片区"]
