"""The written forms the importer reads: word tables and patterns of Chinese plan prose, and small text helpers.

Nothing here is tuned to a bundled plan: every table is general knowledge (`REGION_ANCHORS`, `TERM_KINDS`) and
every pattern a way plans write (“一核”包括A、B; 打造A、B、C三个新增长极; A—B—C高铁). The rules that use them are
in `geo.importer.rules`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from geo.importer.concepts import DraftClause
from geo.places.mentions import PlaceMention, segment_words
from geo.text.clauses import SENTENCE_OPENERS

# Slogan term -> kind. Terms not here (纵, 横, 联, 射, 环 of a road network) are route networks.
TERM_KINDS: Mapping[str, str] = {
    "核": "core", "主": "core", "极": "core", "心": "core", "中心": "node", "城市": "core",
    "翼": "wing",
    "区": "zone", "片区": "zone", "板块": "zone", "片": "zone", "组团": "zone", "团": "zone", "群": "zone",
    "圈": "zone",
    "副": "node", "点": "node", "节点": "node", "支": "node", "地": "node", "枢纽": "node", "园区": "node",
    "带": "corridor", "轴": "corridor", "轴带": "corridor", "廊": "corridor", "廊道": "corridor",
    "通道": "corridor",
    "环": "route", "射": "route", "纵": "route", "横": "route", "联": "route",
    "屏": "eco", "城": "core", "体": "core",
    "支点": "node", "支撑": "node", "湾区": "zone", "半岛": "zone", "走廊": "corridor", "区块": "zone",
    "草原": "eco", "流域": "eco", "县": "zone", "市": "zone", "州": "zone", "湾": "zone", "网": "route",
    "园": "node",
    # a river or lake a slogan counts (一江两岸, 一瀫四城): the water its text names (长江), never a unit
    "江": "eco", "河": "eco", "湖": "eco", "溪": "eco", "瀫": "eco", "川": "eco",
}
# A phrase part named by directions of the plan's own area (南北田园, 中部都市): the direction and what follows it.
DIRECTION_PART = re.compile(r"^(?P<dirs>南北|东西|[东西南北中]部)(?P<head>[\u4e00-\u9fff]{2,4})$")
# Role words that follow the places a part consists of: 做强“麒沾马”中心城市 (主), 宣威副中心 (副).
ROLE_WORDS: Mapping[str, tuple[str, ...]] = {
    "主": ("主中心", "中心城市", "中心城区", "主城区", "主城", "中心"),
    "核": ("核心区", "核心城市", "核心"),
    "心": ("中心城市", "中心"),
    "副": ("副中心城市", "副中心"),
    "极": ("增长极",),
    "点": ("支点", "节点城市", "节点"),
    "翼": ("翼",),
    "群": ("城市群",),
    "圈": ("都市圈", "经济圈"),
}
# The words that say where a plan's one core is (核心区, 核心位置, 中心城市), by the slogan term they belong to.
CORE_WORDS: Mapping[str, str] = {"核": "核心", "心": "中心城市|中心", "中心": "中心城市|中心"}
# A clause that opens with one of these has the places of the clause before it as its subject.
CORE_VERB = re.compile(r"\s*(?:着力|加快|全力|努力)?(?:打造|建设|建成|成为|培育|形成|构建|发展为|发展成为)")
# X为支撑 / X为纽带: 为 before these gives the part a role, it does not define it (以两大城市圈为支撑，辐射带动A).
ROLE_AFTER_WEI = r"(?:主体|重点|核心|中心|支撑|引领|龙头|骨干|依托|纽带|轴线|辐射|载体|抓手|支点|动力|带动|引擎)"
DEFINE = r"(?:主要)?(?:包括|包含|涵盖|覆盖|分别为|分别是|分别指|即|是指|指|为|由|是)"
LEAD = r"(?:以|由)"
LEAD_END = r"为(?:主体|重点|核心|中心|支撑|引领|龙头|骨干|依托)"
CLAUSE_END = "。；;\n"
NEXT_PART = re.compile(r"[，,；;]\s*[“\"][^”\"]{1,8}[”\"]")
# One named area of a definition listing several: a run of names closed by a group word.
GROUP_ITEM = re.compile(r"[^、，,和及与“”\"]{2,20}?(?:城市群|都市圈|经济圈|城市圈|经济区|经济带|城市带|发展带|片区|板块|组团|示范区)")
MAX_SENTENCE = 300
QUOTES = "“”\"'‘’ \t\u3000"
# A place followed by one of these within a segment is a part of that unit, not all of it.
PARTIAL = re.compile(r"平坝|山区|坝区|丘区|部分|区域|北部|南部|东部|西部|中部|沿[江河湖海线]|除.{0,12}以外|除.{0,12}外")
WHOLE = re.compile(r"全域|全境|全部|整体")

CHAIN_SEP = re.compile(r"^[\u4e00-\u9fff]{0,3}(?:—|–|－|-|~|～|至|到)$")
PAREN = re.compile(r"[（(][^（）()]{0,10}[)）]")
ROUTE_WORDS = ("高速铁路", "高速公路", "高铁", "铁路", "城际", "客专", "高速", "公路", "快速路", "国道", "省道",
                "管道", "航道", "航线", "轨道", "班列", "动车", "运河")
CORRIDOR_WORDS = ("经济走廊", "走廊", "廊道", "通道", "经济带", "发展带", "产业带", "旅游带", "发展轴", "经济轴",
                   "轴线", "轴带", "轴", "带")
# Where the words after a chain stop naming it: a verb or a project word (陆良机场至曲靖纳入国家铁路规划).
TAIL_STOP = re.compile(r"[。；;，,、）)]|纳入|列入|建设|延伸|开工|争取|推进|加快|工程|前期|规划|项目")
LINK_WORDS = ("合作", "产业园", "园区", "协作", "对口", "结对", "友好", "共建", "飞地", "示范区", "合作区")
# (开放 before 高地 is a noun: 广东开放高地, 内陆开放高地 name a place's role, no act of cooperation)
COOPERATION = re.compile(
    r"合作|对接|融入|协作|对口|帮扶|共建|联动|承接|协同|交流|友好|援|连接|衔接|开放(?!新?高地)|联系|接轨|辐射|互联|一体化|同城|"
    r"结对|招商|转移|飞地|共享|互通|往来|经贸|出海|出境|通道|班列"
)
FRONT = re.compile(r"以(?P<places>[^。；;，,为]{2,40})为(?:前沿|门户|支点|桥头堡|窗口|节点|枢纽|先导|排头兵)")
SITE_WORDS = ("经济技术开发区", "经济开发区", "高新技术产业开发区", "高新区", "经开区", "开发区", "综合保税区",
               "保税区", "工业园区", "产业园区", "产业园", "工业园", "物流园区", "物流园", "物流枢纽", "民用机场",
               "通用机场", "国际机场", "机场", "港区", "港口", "火车站", "高铁站", "综合客运站", "客运站", "口岸",
               "新区", "试验区", "产业基地", "示范基地")
SITE = re.compile(r"[\u4e00-\u9fff]{0,6}?(?:" + "|".join(SITE_WORDS) + ")")

# Named regions that are no admin unit, and the unit a link to them is drawn to (a schematic anchor: the
# region's lead city or seat). General knowledge, not any one plan: the note of every such link names both.
REGION_ANCHORS: Mapping[str, str] = {
    "长江三角洲": "310000", "长三角": "310000", "粤港澳大湾区": "440100", "珠江三角洲": "440100",
    "珠三角": "440100", "京津冀": "110000", "环渤海": "120000", "成渝地区双城经济圈": "510100",
    "成渝双城经济圈": "510100", "成渝经济圈": "510100", "成渝城市群": "510100", "成渝经济区": "510100",
    "关中平原城市群": "610100", "关中—天水": "610100", "关中": "610100", "中原经济区": "410100",
    "中原城市群": "410100", "长江中游城市群": "420100", "北部湾": "450100", "海峡西岸": "350100",
    "呼包鄂榆": "150100", "滇中城市群": "530100", "黔中城市群": "520100", "雄安新区": "130629",
    "两江新区": "500112", "中关村": "110108", "西部陆海新通道": "450700", "中国—中南半岛经济走廊": "451481",
    "中蒙俄经济走廊": "150781", "中巴经济走廊": "653101", "丝绸之路经济带": "650100", "东北地区": "210100",
    "环北部湾": "450100", "大湾区": "440100", "海南自由贸易港": "460000", "海南自贸港": "460000",
}
#: Named regions with no lead city: 东北地区 is three provinces, 环渤海 five, 丝绸之路经济带 a belt across many
#: countries. A link to one is kept for the planner to check but not drawn: its anchor would be a guess (a 深圳 plan's
#: 东北地区对口合作 is with 哈尔滨, not with the first anchor one would think of).
REGIONS_WITHOUT_LEAD = frozenset({"东北地区", "环渤海", "丝绸之路经济带"})
#: The units a named region holds (provinces, or prefectures where it takes only some of a province): a plan whose
#: area lies in the region is one of its members, so a sentence naming the region (作为长三角区域中心城市; 融入长三角)
#: draws no link from the plan to the region's anchor. General knowledge of the regions' official extents.
_PRD = ("440100", "440300", "440400", "440600", "441900", "442000", "440700", "441300", "441200")
_CHENGYU = ("500000", "510100", "510300", "510500", "510600", "510700", "510900", "511000", "511100", "511300",
            "511400", "511500", "511600", "511700", "511800", "512000")
_BEIBU = ("450100", "450500", "450600", "450700", "450900", "451400", "440800", "440900", "441700", "460100",
          "460200")
REGION_HOLDS: Mapping[str, tuple[str, ...]] = {
    "长江三角洲": ("310000", "320000", "330000", "340000"), "长三角": ("310000", "320000", "330000", "340000"),
    "粤港澳大湾区": (*_PRD, "810000", "820000"), "大湾区": (*_PRD, "810000", "820000"),
    "珠江三角洲": _PRD, "珠三角": _PRD,
    "京津冀": ("110000", "120000", "130000"), "环渤海": ("110000", "120000", "130000", "210000", "370000"),
    "成渝地区双城经济圈": _CHENGYU, "成渝双城经济圈": _CHENGYU, "成渝经济圈": _CHENGYU, "成渝城市群": _CHENGYU,
    "成渝经济区": _CHENGYU,
    "关中平原城市群": ("610100", "610200", "610300", "610400", "610500", "611000", "140800", "141000", "620500",
                 "620800", "621000"),
    "中原经济区": ("410000",), "中原城市群": ("410000",),
    "长江中游城市群": ("420000", "430000", "360000"),
    "北部湾": _BEIBU, "环北部湾": _BEIBU,
    "海峡西岸": ("350000",),
    "呼包鄂榆": ("150100", "150200", "150600", "610800"),
    "滇中城市群": ("530100", "530300", "530400", "532300", "532500"),
    "黔中城市群": ("520100", "520300", "520400", "520500", "522600", "522700"),
    "东北地区": ("210000", "220000", "230000"),
    "海南自由贸易港": ("460000",), "海南自贸港": ("460000",),
}
QUOTE = "“”\"'‘’「」"
# A region's name may carry quotes inside it (“粤港澳”大湾区, “长三角”地区): they may stand between any characters.
REGION_RE = re.compile("|".join(
    f"[{QUOTE}]?".join(map(re.escape, name)) for name in sorted(REGION_ANCHORS, key=len, reverse=True)))
# A metropolitan area counted as its lead city and N others: “1+4”(郑州+开封、新乡、焦作、许昌).
ONE_PLUS = re.compile(r"[“\"‘']1\+\d{1,2}[”\"’'][（(](?P<lead>[\u4e00-\u9fff]{2,4})[+＋]")
AREA_DEFINITION = re.compile(
    r"(?P<name>[\u4e00-\u9fff]{2,16}?(?:都市圈|城市群|经济圈|城市圈|经济区|经济带|一体化示范区|同城化地区))"
    r"(?:规划)?(?:范围)?(?:主要)?(?:包括|包含|涵盖|覆盖|范围为|由)(?P<body>[^。；;]{4,400})")
# An area named, then the places that together form it (石家庄都市圈以石家庄市为中心，与联系紧密的衡水市、邢台市…共同组成).
FORMED_AREA = re.compile(r"(?P<name>[\u4e00-\u9fff]{2,16}?(?:都市圈|城市群|经济圈|城市圈|经济区))[^。；;]{0,80}?"
                         r"共同(?:组成|构成|组建)")
# What follows a slogan and lists its items: a parenthesis, or 包括 / 即 / 分别为 ….
AFTER_SLOGAN = re.compile(r"[”\"’']?\s*(?:[（(](?P<paren>[^（）()]{2,200}[)）])|(?:[\u4e00-\u9fff]{0,4}?(?:格局|布局|体系|框架|战略))?"
                           r"[，,]?\s*(?:主要)?(?:包括|包含|即|分别为|分别是|指)[：:]?"
                           r"(?P<words>[^。；;（）()]{2,300}))")
# Head words of a part that need no count before them (the items give it).
COMPOUND_HEADS = ("城镇发展轴", "发展轴", "经济轴", "经济带", "发展带", "城镇带", "城市带", "产业带", "经济圈", "都市圈",
                   "城市圈", "城市群", "增长极", "副中心")
ITEM_SEP = re.compile(r"以及|、|和|及|与|，|,|\+|＋|(?<=[”\"’'])\s*(?=[“\"‘'])")  # “赣州”“吉安”: quoted names side by side
LIST_SEP = re.compile(r"、|，|,")  # when 和 / 与 stand inside the items' names (蓝色海洋保护与开发带)
# What makes an item without a place a named area or belt of its own (京广高铁经济带, 环洞庭湖经济带).
AREA_WORD = re.compile(r"(?:城市群|都市圈|都市区|经济圈|城市圈|经济区|经济带|城市带|发展带|产业带|旅游带|生态带|"
                        r"走廊|廊道|通道|发展轴|经济轴|片区|板块|组团|新区|示范区|湾区|半岛|城区|集聚区|老区|试验区|实验区|先行区|功能区|"
                        r"合作区|保护区|屏障|旅游区|生态区|工业区|农业区|产业区|园区)$")
# Words after a unit that make it a part of it (A、B两市中心城区): the members stay approximate.
PART_OF_UNIT = ("中心城区", "主城区", "主城", "城区", "平坝区域", "沿江区域")
NUMERALS = {1: "一", 2: "二两双", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九", 10: "十"}
# Verbs and adverbs a list is led by (打造A、B、C三个新增长极): not part of the first item.
ITEM_OPENERS = re.compile(
    r"^(?:(?:加快|推动|推进|支持|鼓励|强化|构建|打造|培育|形成|建设|建成|发展|提升|做强|做优|做大|壮大|依托|促进|"
    r"增强|发挥|加强|着力|重点|大力|积极|全力|优化|完善|引导|围绕|统筹|突出|以|把|将|由|使|在|对|和|与|及|"
    r"聚焦|坚持|实施|高水平|高质量|高标准|全面|进一步|更好|深入|其中|包括|主要有)+)"
)


def count_anchors(text: str, term: str, count: int) -> Iterable[re.Match]:
    """Where a count of ``count`` and the part's head word follow a list: 三个新增长极, 两大发展轴, “双点支撑”, 组团."""
    nums = NUMERALS.get(count, "") + (str(count) if count < 100 else "")
    heads = "|".join(dict.fromkeys(map(re.escape, (term, term[-1]))))
    if nums:
        # the words between the count and the head word are a modifier, never a clause (…为中心带动)
        yield from re.finditer(rf"[“\"]?(?P<num>[{nums}])(?:个|大|条|座|处|市|县|区|地|片)?"
                               rf"(?P<mod>[^\s、，,。；;：:“”\"（）()为以和与的及]{{0,8}}?)(?:{heads})", text)
    if len(term) >= 2:  # 丰樟高、奉靖、鄱余万都组团: the head word alone, the count from the items
        yield from re.finditer(rf"(?P<mod>)(?<=[\u4e00-\u9fff]){re.escape(term)}", text)
    compounds = [w for w in COMPOUND_HEADS if w.endswith(term) and w != term]
    if compounds:  # 南北钦防、湛茂阳城镇发展轴 (双轴): a compound head word alone
        yield from re.finditer(rf"(?P<mod>)(?<=[\u4e00-\u9fff、])(?:{'|'.join(compounds)})", text)


def clause_start(text: str, pos: int) -> int:
    """Where the clause holding ``pos`` begins: after the last comma, stop, colon or line end before it."""
    return max(text.rfind(ch, 0, pos) for ch in "，,。；;：:\n") + 1


def list_start(text: str, pos: int) -> int:
    """Where the list before ``pos`` begins: after the last stop, colon or comma-led clause."""
    lo = max(0, pos - 80)
    return max([text.rfind(ch, lo, pos) for ch in "。；;：:，,\n"] + [lo - 1]) + 1


def list_end(text: str, start: int, pos: int) -> int:
    """The end of the list before a count: a role clause (作为…的, 成为…) and 的 / 等 are not items."""
    segment = text[start:pos]
    for word in ("作为", "成为", "打造成", "建设成"):
        k = segment.find(word)
        if k > 0:
            segment = segment[:k]
    segment = re.sub(r"(?:等|的|共同|[“”\"])+$", "", segment)
    return start + len(segment)


def named_area_word(name: str) -> bool:
    """Does an item end with the word of a named area or belt (京广高铁经济带)?"""
    return bool(AREA_WORD.search(name.strip(QUOTES)))


def trim_item(name: str) -> str:
    """An item without the verbs that lead the list (打造岳阳 -> 岳阳)."""
    name = name.strip(QUOTES)
    m = ITEM_OPENERS.match(name)
    return name[m.end() :].strip(QUOTES) if m and m.end() < len(name) else name  # 打造“A发展轴” -> A发展轴


def last_word(phrase: str) -> str:
    """The last word of a phrase by jieba's segmentation (依序形成了呼伦贝尔 -> 呼伦贝尔)."""
    words = segment_words(phrase)
    return words[-1] if words and len(words[-1]) >= 2 else phrase


def residue(name: str, places: Sequence[PlaceMention], start: int) -> int:
    """How many characters other than the places' own (and chain dashes, 市/县 suffixes) stand in the item?"""
    covered = set()
    for p in places:
        covered |= set(range(p.start - start, p.end - start))
    rest = "".join(ch for i, ch in enumerate(name) if i not in covered)
    return len(re.sub(r"[—–\-－~～至到市县区州省两三四五沿]|通道|沿线|地区", "", rest))


def first_word(text: str, words: Sequence[str], *, at_start: bool = False) -> tuple[int, str] | None:
    """The earliest of ``words`` in ``text`` (the longest where several start together), as (position, word).

    ``at_start``: only a word that opens the text counts.
    """
    hits = [(text.find(w), w) for w in words if w in text]
    if at_start:
        hits = [h for h in hits if h[0] == 0]
    return min(hits, key=lambda h: (h[0], -len(h[1]))) if hits else None


def part_kind(term: str) -> str | None:
    """The kind a slogan term names (None for a term of no spatial kind)."""
    if term in TERM_KINDS:
        return TERM_KINDS[term]
    for key in sorted(TERM_KINDS, key=len, reverse=True):
        if key in term and len(key) > 1:
            return TERM_KINDS[key]
    return None


def trim_opener(name: str) -> str:
    """Drop the verbs a sentence opens with from a name caught with them (推动东部片区 -> 东部片区)."""
    changed = True
    while changed:
        changed = False
        for w in sorted(SENTENCE_OPENERS, key=len, reverse=True):
            if name.startswith(w) and len(name) - len(w) >= 3:
                name, changed = name[len(w) :], True
    return name


def sentence_of(text: str, m: re.Match) -> str:
    """The verbatim sentence holding a match, at most 120 characters."""
    sentence, _ = sentence_at(text, m.start(), m.end())
    return sentence if len(sentence) <= 120 else text[m.start() : min(m.end(), m.start() + 120)]


def sentence_at(text: str, start: int, end: int) -> tuple[str, int]:
    """The sentence around [start, end) and where it starts (split at 。；; and line ends; at most
    `MAX_SENTENCE` characters each side, so that a text without full stops stays linear)."""
    lo, hi = max(0, start - MAX_SENTENCE), min(len(text), end + MAX_SENTENCE)
    left = max(max(text.rfind(ch, lo, start) for ch in CLAUSE_END) + 1, lo)
    rights = [i for i in (text.find(ch, end, hi) for ch in CLAUSE_END) if i >= 0]
    right = min(rights) if rights else hi
    raw = text[left:right]
    stripped = raw.strip()
    return stripped, left + (len(raw) - len(raw.lstrip()))


def cue(sentence: str) -> str:
    """The plan's own words for a link: the cooperation verb of its sentence."""
    m = COOPERATION.search(sentence)
    return m.group(0) if m else "联系"


# An item of a list that names a strategy, not a partner: it ends in a strategy word (雄安新区建设, 成渝地区双城经济圈
# 发展, 东北全面振兴), or in one followed by what the list is (…高质量发展等区域重大战略协作).
_STRATEGY_ITEM = re.compile(r"(?:建设|发展|战略|振兴|崛起|开发|现代化)(?:等[^、]*)?$")
_CLAUSE_BREAK = re.compile(r"[，,：:。；;\n]")


def in_strategy_list(text: str, start: int, end: int) -> bool:
    """Is text[start:end] (a region's name) one item of a list of strategies in its clause (积极对接雄安新区建设、
    成渝地区双城经济圈发展: two items, split at 、, each ending in a strategy word)? Such a list names national
    strategies as context; the regions in it are not the partners a 与…合作 names."""
    left = clause_start(text, start)
    nxt = _CLAUSE_BREAK.search(text, end)
    items = text[left : nxt.start() if nxt else len(text)].split("、")
    if len(items) < 2:
        return False
    strategic = [bool(_STRATEGY_ITEM.search(item)) for item in items]
    pos, mine = left, 0
    for i, item in enumerate(items):
        if pos <= start < pos + len(item):
            mine = i
        pos += len(item) + 1
    return strategic[mine] and sum(strategic) >= 2


def place_lists(clause: DraftClause) -> list[list[PlaceMention]]:
    """Runs of places written as a list (A、B、C)."""
    runs: list[list[PlaceMention]] = []
    for p in sorted(clause.places, key=lambda p: p.start):
        if runs and re.fullmatch(r"[、和及与]", clause.text[runs[-1][-1].end : p.start]):
            runs[-1].append(p)
        else:
            runs.append([p])
    return [r for r in runs if len(r) >= 2]

