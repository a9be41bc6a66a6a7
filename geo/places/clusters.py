"""Abbreviation clusters: runs of one-character abbreviations (麒沾马, 川滇黔, 宁镇扬, 长株潭) read as their members.

A run is a candidate only in settings that make it a grouping of places (quoted, before a grouping word such as
一体化 / 地区 / 高铁, opening a chain of places, listed in a definition, three or more provinces, a known
cluster); each character is then read as a unit (`CHAR_ABBREVIATIONS`, a prefecture by its first or second
character, a county near the plan) and the readings are chosen together (`_resolve_cluster`).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

from geo.places.gazetteer import Gazetteer, Unit
from geo.places.nearness import (
    component_count,
    descendants,
    directly_governed,
    is_near,
    km,
    province_near,
    provinces_touch,
    provincial_capitals,
    tier,
    units_touch,
)
from geo.places.trunk_lines import trunk_line_ends

# One-character abbreviations of provinces and cities, for clusters such as 川滇黔, 宁镇扬, 毕水兴.
# Each maps to adcodes in order of preference; context decides between them.
CHAR_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "京": ("110000",), "津": ("120000",), "冀": ("130000",), "晋": ("140000",), "蒙": ("150000",),
    "辽": ("210000",), "吉": ("220000",), "黑": ("230000",), "沪": ("310000",), "苏": ("320000",),
    "浙": ("330000",), "皖": ("340000",), "闽": ("350000",), "赣": ("360000",), "鲁": ("370000",),
    "豫": ("410000",), "鄂": ("420000", "150600"), "湘": ("430000",), "粤": ("440000",), "桂": ("450000",),
    "琼": ("460000",), "渝": ("500000",), "川": ("510000",), "蜀": ("510000",), "黔": ("520000",),
    "滇": ("530000",), "云": ("530000",), "贵": ("520000",), "藏": ("540000",), "陕": ("610000",),
    "秦": ("610000",), "甘": ("620000",), "陇": ("620000",), "青": ("630000",), "宁": ("320100", "330200", "640000"),
    "新": ("650000",), "港": ("810000",), "澳": ("820000",), "穗": ("440100",), "榕": ("350100",),
    "筑": ("520100",), "蓉": ("510100",), "甬": ("330200",), "邕": ("450100",), "汉": ("420100",),
    "水": ("520200",), "锡": ("320200",), "莞": ("441900",), "深": ("440300",), "汴": ("410200",),
}
# A cluster of one-character abbreviations is a place only in these settings: quoted, or followed by
# a word that names a grouping of places (毕水兴煤层气, 成渝地区, 川滇黔十四市).
# (A quoted run is a candidate as a whole, never a part of it: “引通济安” is not 济南 + 安庆.)
_CLUSTER_AFTER = re.compile(
    r"^(?:一体化|地区|经济|城市|都市|双城|合作|协同|同城|高速|铁路|城际|客专|高铁|环线|通道|两省|三省|四省|"
    r"两市|三市|四市|十四市|[两三四]地|世界级|高质量发展|煤层气|结合|毗邻|交界|边界|片区|走廊|廊道|大通道|物流|"
    r"创新|科创|生态|绿色|产业|旅游|文化|发展带|发展轴|组团|城镇|组群|核心区|"
    r"国家(?:级)?[\u4e00-\u9fff]{0,6}?(?:示范区|试验区|新区)|"  # 合芜蚌国家自主创新示范区, 郑洛新国家自主创新示范区
    r"[二三四五六七八九十两][个大](?=[\u4e00-\u9fff]{0,4}?(?:城镇|组群|组团|城市|都市|板块|片区|经济|走廊|廊道|通道)))"
    # 忻定原、介孝汾、离柳中方、阳盂平四个城镇组群; 甬台温、杭金衢、金丽温四大城市连绵带  # 沪宁合创新带, 宁杭生态经济带, 宁淮宣发展带
)


class Cluster(NamedTuple):
    """An abbreviation cluster found in a text: its span, as written, its members in order, and why."""

    start: int
    end: int
    written: str
    members: tuple[Unit, ...]
    reason: str


_CLUSTER = re.compile(r"[\u4e00-\u9fff]{2,4}")


def find_clusters(text: str, gazetteer: Gazetteer, jurisdiction: str | None, context: list[str],
                   covered: list[tuple[int, int]], everyday: Callable[[str], bool] | None = None,
                   cut: Callable[[int, int], bool] | None = None) -> list[Cluster]:
    """Runs of one-character abbreviations (麒沾马, 昆曲, 川滇黔, 宁镇扬) resolved to their members.

    ``everyday`` tells an everyday word (the matcher's segmenter): unquoted, such a run is that word, not a
    cluster, even before a grouping word (新建铁路 is a railway to be built, not 新北区 + 建邺区). ``cut`` tells a run
    that a word of the text crosses (共建|杭绍甬: 建 ends 共建; 郑汴新|能源: 新 begins 新能源): unquoted, that run is no
    cluster, and a shorter one inside it may be (杭绍甬, 郑汴).
    """
    out: list[Cluster] = []
    # Candidate clusters: quoted runs, and runs right before a grouping word.
    candidates: list[tuple[int, int, bool]] = []
    for m in re.finditer(r"“([\u4e00-\u9fff]{2,4})”", text):
        candidates.append((m.start(1), m.end(1), True))
    word_at: dict[tuple[int, int], int] = {}  # where the grouping word after a run (or its list) begins
    for start, end, word in _iter_cluster_heads(text):
        candidates.append((start, end, False))
        word_at.setdefault((start, end), word)
    # A run that opens a chain of places (厦漳-龙岩-赣州发展轴: 厦漳 is 厦门 and 漳州); one joined to another run
    # (贵昆—杭瑞廊道) names two lines, not places.
    place_starts = {s for s, _ in covered}
    for m in re.finditer(r"[—–－\-~～]+", text):
        if m.end() not in place_starts:
            continue
        for size in (4, 3, 2):
            if m.start() >= size and all("\u4e00" <= ch <= "\u9fff" for ch in text[m.start() - size : m.start()]):
                candidates.append((m.start() - size, m.start(), False))
    # A run that a definition lists on its own (核心区囊括厦漳泉。): the units it abbreviates, if they fit.
    for m in re.finditer(r"(?:包括|囊括|涵盖)([\u4e00-\u9fff]{2,4})(?=[，,。；;\n]|$)", text):
        candidates.append((m.start(1), m.end(1), False))
    # Three or more provinces by their abbreviations (沪苏浙, 川陕甘渝) need no grouping word: such a run is no word.
    for m in _PROVINCE_RUN.finditer(text):
        candidates.append((m.start(), m.end(), False))
    for known in KNOWN_CLUSTERS:
        candidates += [(m.start(), m.end(), False) for m in re.finditer(_KNOWN_PATTERNS.get(known, known), text)]
    # One-character abbreviations listed with 、 (支持合、淮、六联合打造: 合肥, 淮南, 六安): a run of three or more,
    # each item one character, read as one cluster (every item must resolve, as for a run written together).
    for m in _CHAR_LIST.finditer(text):
        candidates.append((m.start(), m.end(), False))
    seen: set[tuple[int, int]] = set()
    rejected: set[tuple[int, int]] = set()
    ambiguous: list[tuple[int, int]] = []
    # Covered spans never overlap one another: kept sorted, one bisection tells whether a candidate overlaps.
    spans = sorted(set(covered))
    starts, ends = [s for s, _ in spans], [e for _, e in spans]
    for start, end, quoted in sorted(candidates, key=lambda c: (c[0], -(c[1] - c[0]))):
        k = bisect.bisect_left(starts, end) - 1
        if (start, end) in seen or (k >= 0 and ends[k] > start):
            continue
        seen.add((start, end))
        if not quoted and everyday is not None and everyday(text[start:end]):
            rejected.add((start, end))
            continue
        if not quoted and cut is not None and cut(start, end):
            continue
        word = word_at.get((start, end), end)
        route = bool(_ROUTE_AFTER.match(text, word))
        # 组团 groups counties: a cluster before it may abbreviate counties near the plan (丰樟高组团).
        counties = bool(_COUNTY_GROUPING.match(text, word))
        if not quoted and (start - 1, end) in rejected and text[start - 1] in CHAR_ABBREVIATIONS:
            continue  # 深南中城际 is no cluster: nor is its tail 南中 (南昌 + 中山)
        if any(a <= start and end <= b for a, b in ambiguous):
            continue  # a piece of a run read two ways (鄂乌 of an unsure run) is as unsure
        members = _resolve_cluster(text[start:end].replace("、", ""), gazetteer, jurisdiction, context, quoted,
                                   route=route, nearby=counties)
        if not members:
            rejected.add((start, end))
            if members == []:
                ambiguous.append((start, end))
            continue
        home = gazetteer.unit(jurisdiction).province if jurisdiction else ""
        if route and home and not quoted and len(members) >= 2 and all(u.province != home for u in members) \
                and not all(province_near(gazetteer, u.adcode, jurisdiction) for u in members) \
                and not all(u.adcode in context for u in members):
            rejected.add((start, end))  # (nor is its tail a cluster: 京港澳高速 names no 港澳)
            # 沿沪昆高铁 in 江西's plan, 陇海铁路 in 陕西's, 京昆 in 四川's: a trunk line named by two far ends is
            # a name, not places; a line from the plan's own province (贵广高铁 in 贵州's) or named by its stops
            # (深南昆高速铁路 in 曲靖's plan), or whose ends the text names (包茂高速（包头至茂名）), keeps them
            continue
        written = text[start:end]
        letters = written.replace("、", "")
        pairs = zip(letters, members) if len(members) == len(letters) else \
            zip(dict.fromkeys(letters), members)  # 宁扬宁马: 宁→南京, 扬→扬州, 马→马鞍山
        reason = f"“{written}”是简称组合：" + "、".join(f"{ch}→{u.name}" for ch, u in pairs)
        out.append(Cluster(start, end, written, tuple(members), reason))
        k = bisect.bisect_left(starts, start)
        starts.insert(k, start)
        ends.insert(k, end)
    return out


def cluster_reading(written: str, gazetteer: Gazetteer, jurisdiction: str | None = None) -> list[Unit] | None:
    """The members a run of one-character abbreviations reads as, unquoted and with no grouping word's help
    (昆玉 = 昆明, 玉溪), or None."""
    return _resolve_cluster(written, gazetteer, jurisdiction, ()) or None


def _iter_cluster_heads(text: str) -> Iterable[tuple[int, int, int]]:
    """Spans of 2-4 characters directly before a grouping word (成渝地区, 毕水兴煤层气, 川滇黔物流), or in a
    list of such runs before it, each with the position of the grouping word."""
    # Every place a grouping word starts, then the 2-4 Chinese characters right before it (a run of
    # characters is not cut into pieces first: 福建省推进厦漳泉同城化 holds 厦漳泉).
    for m in _CLUSTER_WORD_AT.finditer(text):
        pos = m.start()
        for size in (4, 3, 2):
            if pos >= size and all("\u4e00" <= ch <= "\u9fff" for ch in text[pos - size : pos]):
                yield (pos - size, pos, pos)
        # A list of runs sharing the grouping word (丰樟高、奉靖、鄱余万都组团): the runs before each 、 too;
        # the first run of the list may follow a verb (培育丰樟高), so its last 2-4 characters are candidates.
        end = pos - len(re.search(r"[\u4e00-\u9fff]*$", text[max(0, pos - 4) : pos]).group(0))
        while end > 0 and text[end - 1] in " 、":
            end -= 1
            if text[end] == " ":
                continue
            run = re.search(r"[\u4e00-\u9fff]*$", text[max(0, end - 8) : end]).group(0)
            if len(run) < 2:
                break
            for size in (4, 3, 2):
                if len(run) >= size:
                    yield (end - size, end, pos)
            if len(run) > 4:
                break
            end -= len(run)


# Grouping words of counties: a cluster before them may abbreviate counties near the plan.
_COUNTY_GROUPING = re.compile(r"组团|组群|城镇|同城|[二三四五六七八九十两]个(?:城镇)?(?:组群|组团|圈|群)")
# (库尉轮、焉耆盆地、且若三个城镇圈: 库尔勒、尉犁、轮台 and 且末、若羌; 凯麻同城化: 凯里 and its neighbour 麻江)

_CLUSTER_WORD_AT = re.compile("(?=" + _CLUSTER_AFTER.pattern.removeprefix("^") + ")")

# A cluster right before one of these names a road or railway by its ends (三大高速 = 三台—大英).
_ROUTE_AFTER = re.compile(r"(?:高速|铁路|高铁|城际|客专|公路|快速|轨道|动车|廊道)")

# Two-character runs that look like abbreviation clusters but are words (长江 is a river, not 长沙+江门).
CLUSTER_LOOKALIKES: frozenset[str] = frozenset(
    ["长江", "黄河", "珠江", "海西", "重大", "东北", "西北", "华北", "西南", "华南", "华东", "华中", "中原", "江南", "江北", "南北", "东西", "东南", "大湾", "西部", "东部", "中部", "北部", "南部", "全国", "中国", "国际", "实施", "长期", "重点", "大力", "广大", "沿海", "沿边", "内陆", "城乡", "山区", "平原", "丘陵", "全省", "全市", "各市", "两市", "六市",
     # corridors and international pairs written like clusters (西部陆海新通道, 中巴经济走廊), counted words
     "陆海", "海新", "中巴", "中欧", "中俄", "中蒙", "中亚", "中东", "中非", "中日", "中韩", "中老", "中缅", "中越",
     "中泰", "中新", "中印", "东盟",
     # mountain ranges written like clusters: 秦巴山区 is 秦岭 and 大巴山, not 陕西 and 巴中
     "秦巴", "乌蒙", "武陵", "大别", "罗霄", "六盘"]
)
def _is_province_abbreviation(ch: str) -> bool:
    """黔, 川, 滇 …: a character whose first reading is a province (or a municipality)."""
    codes = CHAR_ABBREVIATIONS.get(ch, ())
    return bool(codes) and codes[0].endswith("0000")


# Clusters whose reading is settled by usage rather than by their characters (兴 could be 兴仁 or 兴义).
_PROVINCE_RUN = re.compile("[" + "".join(ch for ch, codes in CHAR_ABBREVIATIONS.items() if codes[0].endswith("0000")
                                          and ch not in "云贵新青宁甘秦港澳") + "]{3,6}")
KNOWN_CLUSTERS: dict[str, tuple[str, ...]] = {"毕水兴": ("520500", "520200", "522301"),
                                              "港澳": ("810000", "820000"),  # 香港 and 澳门
                                              "京津冀": ("110000", "120000", "130000"),
                                              # 乌 is 乌兰察布 here (乌海 touches the others as well)
                                              "呼包鄂乌": ("150100", "150200", "150600", "150900")}


# Where a known cluster is no cluster of its own: 港澳 inside 粤港澳 (the bay area's name) or 京港澳 (a road's).
_KNOWN_PATTERNS: dict[str, str] = {"港澳": "(?<![粤京])港澳"}
# A list of one-character items (合、淮、六): three to six items, none of them longer than one character.
_CHAR_LIST = re.compile(r"(?<!、)[\u4e00-\u9fff](?:、[\u4e00-\u9fff]){2,5}(?!、)")


def _resolve_cluster(written: str, gazetteer: Gazetteer, jurisdiction: str | None,
                     context: Sequence[str], quoted: bool = False, *, route: bool = False,
                     nearby: bool = False) -> list[Unit] | None:
    """Members of an abbreviation cluster, each character resolved, None if any does not resolve, and an empty
    list if two readings are equally good.

    A character stands for a unit in CHAR_ABBREVIATIONS (黔 = 贵州, 渝 = 重庆), or a prefecture whose name
    starts with it (昆 = 昆明), or, in a quoted cluster, a county of the jurisdiction (麒沾马 = 麒麟, 沾益,
    马龙); in a cluster of three or more characters also a prefecture whose two-character name ends with it
    (长株潭 = 长沙, 株洲, 湘潭); in the name of a road or railway (三大高速, 茂盐高速, 广平高速) also a county in or
    next to the jurisdiction, all members then lying near it. The readings are chosen together (`_cluster_score`): members are peers
    (no province beside its own city: 苏锡常 = 苏州, 无锡, 常州), they lie together (宁镇扬 = 南京, 镇江,
    扬州, not 宁夏), explicit abbreviations and units inside the jurisdiction win, then capitals (西成 =
    西安, 成都). Members in provinces that do not touch make no cluster; nor do second-character readings
    that do not touch each other.
    """
    if written in KNOWN_CLUSTERS:
        return [gazetteer.unit(a) for a in KNOWN_CLUSTERS[written]]
    if route and jurisdiction and (ends := trunk_line_ends(written, gazetteer)):
        return ends  # 兰海高速 = 兰州—海口, 京广铁路 = 北京—广州: a national line's name is evidence of its far ends
    if len(written) == 4 and written[0] == written[2]:
        # 宁扬宁马铁路: two lines from one city (宁扬 and 宁马), not one run of four abbreviations (宁国 + …)
        halves = [_resolve_cluster(half, gazetteer, jurisdiction, context, quoted, route=route, nearby=nearby)
                  for half in (written[:2], written[2:])]
        if halves[0] is None or halves[1] is None:
            return None
        if not halves[0] or not halves[1]:
            return []  # one line read two ways: not sure
        return list({u.adcode: u for u in (*halves[0], *halves[1])}.values())
    if any(written[i : i + 2] in CLUSTER_LOOKALIKES for i in range(len(written) - 1)):
        return None  # 川东北 is northeast Sichuan, 实施长江 a verb and a river
    if not quoted and written[0] in "和与及或并同":
        return None  # 城镇带和陇海铁路: a conjunction, not 和田
    if not route and written[0] in "一二三四五六七八九十两双":
        return None  # 服务“三南”(西南中南华南), 两广: a count of regions, not abbreviations
    if route and written[-1] in "新老":
        return None  # 渝贵新高铁: the last character belongs to the road's own name
    if not route and any(_is_province_abbreviation(a) and b in "东西南北中" for a, b in itertools.pairwise(written)):
        return None  # 黔北川南, 滇中, 苏北: parts of provinces (a road keeps its ends: 贵南高铁 = 贵阳—南宁)
    counties_allowed = quoted  # unquoted runs (实施长江 …) are too often words: prefectures and provinces only
    per_char: list[list[tuple[bool, bool, Unit]]] = []  # (explicit, second-character reading, unit)
    for ch in written:
        cands = [(True, False, gazetteer.unit(a)) for a in CHAR_ABBREVIATIONS.get(ch, ()) if a in gazetteer.units]
        if jurisdiction and counties_allowed:
            cands += [(False, False, u) for u in descendants(gazetteer, jurisdiction) if u.name.startswith(ch)]
        cands += [(False, False, u) for u in _prefectures_starting_with(gazetteer, ch)]
        if jurisdiction and (route or nearby) and not quoted:
            cands += [(False, False, u) for u in _near_counties(gazetteer, jurisdiction).get(ch, ())]
        if len(written) >= 3:
            cands += [(False, True, u) for u in _prefecture_second_chars(gazetteer).get(ch, ())]
        if jurisdiction and not quoted:
            # a county-level city beside the prefecture holding it (金义 = 金华, 义乌): checked below
            cands += [(False, False, u) for u in _home_county_cities(gazetteer, jurisdiction).get(ch, ())]
        unique: dict[str, tuple[bool, bool, Unit]] = {}
        for cand in cands:
            unique.setdefault(cand[2].adcode, cand)
        if not unique:
            return None
        per_char.append(list(unique.values()))
    # once per cluster, not per reading: the county-level cities a reading may pair with their prefecture
    home_cities = {c.adcode for cs in _home_county_cities(gazetteer, jurisdiction).values() for c in cs} \
        if jurisdiction and not quoted and not (route or nearby) else set()
    home_province = gazetteer.unit(jurisdiction).province if jurisdiction else ""
    said = set(context)
    best: tuple[tuple, list[Unit]] | None = None
    tied = False

    def consider(score: tuple, units: list[Unit]) -> None:
        """Keep the better reading; note a rival as good but for the adcodes' order, with other members (宁广:
        广德 or 广陵); the same members in another order (宜荆荆恩: 荆州, 荆门 either way) are no rival."""
        nonlocal best, tied
        rival = best is not None and best[0][:-1] == score[:-1] and \
            {u.adcode for u in best[1]} != {u.adcode for u in units}
        if best is None or score < best[0]:
            best, tied = (score, units), rival
        elif rival:
            tied = True

    for combo in itertools.islice(itertools.product(*per_char), _MAX_CLUSTER_READINGS):
        units = [c[2] for c in combo]
        capitals = all(u.adcode in provincial_capitals(gazetteer) or u.level == "province" for u in units)
        if len({u.adcode for u in units}) < len(units):
            continue
        # A road whose ends the text names (宁洛高速（南京—洛阳）): those ends, whatever lies between them.
        stated = route and not quoted and all(u.adcode in said for u in units)
        if stated:
            consider((False, False, False, False, *_cluster_score(gazetteer, combo, 1, jurisdiction, route)), units)
            continue
        if route and not quoted and not jurisdiction:
            continue  # with no plan's area known, a road's initials are its name (宁广高速: 宁国—广德, not 南京—广州)
        # A road between capitals may cross provinces (贵广高铁 = 贵阳—广州); other clusters stay in touch.
        if not provinces_touch(gazetteer, units) and not (route and capitals):
            continue
        if route and not quoted and any(u.level == "county" for u in units) and any(
                km(a.seat, b.seat) > _LOCAL_ROAD_KM for a, b in itertools.combinations(units, 2)):
            continue  # a road named by a county's initial is a local road: 宁洛 is no 宁陵—洛阳
        if route and len(units) >= 3 and not _stops_in_line(units):
            continue  # 深南中城际: a middle stop lies between its ends (深圳—南昌—中山 is no line)
        parts = component_count(gazetteer, units)
        explicit = any(e for e, _, _ in combo)
        # The plan's own unit and one peer of its province, of its level and close by (深中 in 深圳's plan: 深圳 and
        # 中山, across the estuary; 凯都 in 凯里's: 凯里 and 都匀): a pairing the plan makes with a neighbour city,
        # whether or not their borders touch.
        paired = bool(jurisdiction) and not route and len(units) == 2 and any(u.adcode == jurisdiction for u in units) \
            and all(u.province == home_province and u.level == gazetteer.unit(jurisdiction).level for u in units) \
            and km(units[0].seat, units[1].seat) <= _PAIR_KM
        # Readings by first or second character alone must lie together, or be capitals (西成 = 西安, 成都):
        # 三大 is not 三门峡 + 大同.
        cities_of = [u for u in units if u.level == "county" and u.adcode in home_cities]
        if cities_of and not paired and not all(any(v is not u and v.level == "prefecture" and gazetteer.contains(v.adcode, u.adcode)
                                     for v in units) for u in cities_of):
            continue  # a county-level city only beside its own prefecture
        near = bool((route or nearby) and jurisdiction) and all(is_near(gazetteer, u.adcode, jurisdiction) for u in units)
        near = near or bool(cities_of) or paired
        # Three or more prefectures of the plan's own province by their first characters need not touch
        # (合芜蚌 = 合肥, 芜湖, 蚌埠): a run that long of one province's initials is no accident.
        home = bool(jurisdiction) and len(units) >= 3 and not any(second for _, second, _ in combo) and all(
            u.level == "prefecture" and u.province == home_province for u in units)
        near = near or home
        # A road or railway named by its end cities, one of them a capital or the plan's own city, may join
        # cities that do not touch: 宝成铁路 = 宝鸡—成都, 阜盘铁路 in 盘锦's plan = 阜新—盘锦.
        # Such a reading ranks below every reading of nearby places or capitals (曲泸 = 曲靖—泸西, not 泸州).
        anchored = (route and not near and not capitals and all(u.level != "county" for u in units)
                    and provinces_touch(gazetteer, units)
                    and any(u.adcode in provincial_capitals(gazetteer) or u.adcode == jurisdiction for u in units))
        # Three or more cities whose capitals may stand apart, the others each touching one of them (郑洛西 = 郑州,
        # 洛阳, 西安: an axis of two capitals and the city beside one): no accident either.
        spread = len(units) >= 3 and all(u.level != "county" for u in units) and any(
            u.adcode in provincial_capitals(gazetteer) for u in units) and all(
            u.adcode in provincial_capitals(gazetteer)
            or any(units_touch(gazetteer, u.adcode, v.adcode) for v in units if v is not u) for u in units)
        if parts > 1 and (any(second for _, second, _ in combo)
                          or not (explicit or capitals or near or anchored or spread)):
            continue
        # An explicit abbreviation does not vouch for the others: each member must touch another one, be a
        # capital or an explicit abbreviation itself (秦巴山片区 is no 陕西 + 巴中 + 山南).
        if parts > 1 and not (near or anchored) and any(
                not e and u.adcode not in provincial_capitals(gazetteer)
                and not any(units_touch(gazetteer, u.adcode, v.adcode) for v in units if v is not u)
                for e, _, u in combo):
            continue
        if (route or nearby) and not quoted and any(u.level == "county" for u in units) and not near:
            continue
        if any(second for _, second, _ in combo) and len({tier(u) for u in units}) > 1:
            continue
        # a road whose ends both lie inside a city's area is its own road (宁广高速 in 宣城's plan = 宁国—广德; a
        # province's trunk lines are named by cities: 贵南高铁 in 贵州's plan = 贵阳—南宁)
        own_road = route and bool(jurisdiction) and not jurisdiction.endswith("0000") and all(u.adcode != jurisdiction and gazetteer.contains(jurisdiction, u.adcode)
                                                       for u in units)
        # A city's or county's own road may end near it or far away (宁广高速 in 南京's plan: 南京—广德, 130 km,
        # or 南京—广州, 1,100 km): a far end needs the text's word (the `stated` readings above), the near wins.
        # A province's trunk lines are named by far ends (京广 in 北京's plan), so this holds below provinces only.
        far = route and not quoted and bool(jurisdiction) and gazetteer.unit(jurisdiction).level != "province" \
            and any(not is_near(gazetteer, u.adcode, jurisdiction) for u in units)
        consider((True, not own_road, far, anchored, *_cluster_score(gazetteer, combo, parts, jurisdiction, route)),
                 units)
    # Two readings that only the adcodes' order tells apart (宁广 in 南京's plan: 广德 or 广陵, both near): not sure,
    # said by an empty reading (no part of the run is read either).
    return None if best is None else [] if tied else best[1]


_MAX_CLUSTER_READINGS = 4096  # four characters with eight readings each
_PAIR_KM = 150  # the plan's own unit and the peer it pairs with lie this close (深圳—江门 100 km, 凯里—都匀 80 km)
_LOCAL_ROAD_KM = 200  # the ends of a road named by a county's initial lie this close (三大 = 三台—大英, 宁广 = 宁国—广德)


def _stops_in_line(units: Sequence[Unit]) -> bool:
    """Does each middle stop of a route lie roughly between its neighbours (the detour at most half again and
    150 km)?"""
    for a, m, b in zip(units, units[1:], units[2:]):
        if km(a.seat, m.seat) + km(m.seat, b.seat) > 1.5 * km(a.seat, b.seat) + 150:
            return False
    return True


def _cluster_score(gazetteer: Gazetteer, combo: Sequence[tuple[bool, bool, Unit]], parts: int,
                   jurisdiction: str | None, route: bool = False) -> tuple:
    """Lower is better: peers of one tier, in the home province, together, explicit, inside, first characters,
    capitals."""
    units = [u for _, _, u in combo]
    nested = any(a.adcode != b.adcode and gazetteer.contains(a.adcode, b.adcode) for a in units for b in units)
    juris = gazetteer.unit(jurisdiction) if jurisdiction else None
    inside = sum(1 for u in units if juris and u.adcode != juris.adcode and gazetteer.contains(juris.adcode, u.adcode))
    provinces = [u.province for u in units]
    home = juris.province if juris else max(set(provinces), key=provinces.count)
    capitals = provincial_capitals(gazetteer)
    return (
        nested,
        sum(1 for u in units if u.level == "county") if route else 0,  # 广平高速 = 广元—平武, not 广汉—平武
        len({tier(u) for u in units}) > 1,  # 贵广 = 贵阳 + 广州 (two cities), not 贵州 + 广元
        sum(1 for p in provinces if p != home),  # 贵南高铁 in 贵州's plan = 贵阳—南宁, not 贵港—南宁
        route and not all(u.adcode in capitals or u.level == "province" for u in units),  # 兰海 = 兰州—海口, not 海东
        not provinces_touch(gazetteer, units),  # … and not 贵阳—南京
        parts,
        sum(1 for explicit, _, _ in combo if not explicit),
        len(units) - inside,
        sum(1 for _, second, _ in combo if second),
        sum(1 for u in units if u.level == "prefecture" and u.adcode not in capitals),
        # members that lie closer together (汕潮揭 = 汕头, 潮州, 揭阳: 汕头 touches both, 汕尾 one)
        -sum(1 for a, b in itertools.combinations(units, 2) if units_touch(gazetteer, a.adcode, b.adcode)),
        tuple(u.adcode for u in units),
    )



@functools.cache
def _prefecture_index(gazetteer: Gazetteer) -> dict[str, tuple[Unit, ...]]:
    """First character -> prefecture-level units (and municipalities) whose name starts with it.

    Counties a province governs directly (神农架林区, 仙桃市, 济源市) rank as prefectures: 襄十随神 = 襄阳, 十堰,
    随州, 神农架.
    """
    index: dict[str, list[Unit]] = {}
    for u in gazetteer.units.values():
        if u.level == "prefecture" or (u.level == "province" and u.name.endswith("市")) or directly_governed(u):
            index.setdefault(u.name[0], []).append(u)
    return {k: tuple(v) for k, v in index.items()}


@functools.cache
def _prefecture_second_chars(gazetteer: Gazetteer) -> dict[str, tuple[Unit, ...]]:
    """Second character -> prefectures with a two-character short name ending in it (潭 -> 湘潭, 昌 -> 南昌)."""
    index: dict[str, list[Unit]] = {}
    for u in gazetteer.units.values():
        if u.level == "prefecture":
            for form in u.short_names:
                if len(form) == 2:
                    index.setdefault(form[1], []).append(u)
                    break
    return {k: tuple(v) for k, v in index.items()}


@functools.cache
def _near_counties(gazetteer: Gazetteer, jurisdiction: str) -> dict[str, tuple[Unit, ...]]:
    """First character -> counties in the jurisdiction or in the units next to it (roads name their ends).

    Beyond the jurisdiction a road's end is a city or a county, never a city's district: 宁广 in 南京's plan may
    be 南京—广德 (a county of 宣城), not 南京—广陵 (扬州's district, which 扬 would name)."""
    areas = [jurisdiction, *gazetteer.neighbours(jurisdiction)]
    index: dict[str, list[Unit]] = {}
    for area in areas:
        units = [gazetteer.unit(area)] if gazetteer.unit(area).level == "county" else descendants(gazetteer, area)
        for u in units:
            if u.level == "county" and (area == jurisdiction or not u.name.endswith("区")):
                index.setdefault(u.name[0], []).append(u)
    return {k: tuple(v) for k, v in index.items()}


@functools.cache
def _home_county_cities(gazetteer: Gazetteer, jurisdiction: str) -> dict[str, tuple[Unit, ...]]:
    """County-level cities (义乌市, 昆山市) of the jurisdiction's province, by their first character."""
    province = gazetteer.unit(jurisdiction).province
    out: dict[str, list[Unit]] = {}
    for u in gazetteer.units.values():
        if u.level == "county" and u.province == province and u.name.endswith("市"):
            out.setdefault(u.name[0], []).append(u)
    return {ch: tuple(us) for ch, us in out.items()}


def is_abbreviation(ch: str, gazetteer: Gazetteer) -> bool:
    """Can a character abbreviate a place (黔, 宁, or the first character of a prefecture: 南 of 南宁)?"""
    return ch in CHAR_ABBREVIATIONS or bool(_prefectures_starting_with(gazetteer, ch))


def _prefectures_starting_with(gazetteer: Gazetteer, ch: str) -> tuple[Unit, ...]:
    """Prefecture-level units whose name starts with a character."""
    return _prefecture_index(gazetteer).get(ch, ())
