"""Any plan text -> draft map layers: clauses, jurisdiction, places, structure, features tied to clauses.

A planner pastes or uploads a plan; `draft_plan` turns it into the same GeoJSON features the curated layers
have (``geo/feature.schema.json``), each with the clause ids and verbatim excerpts that state it and an
honest precision. The draft is a starting point the planner fixes (`rename`, `rekind`, `delete`, `merge`,
`add_member`), saves (`geo.store`) and shares. Nothing here is tuned to a bundled plan: every rule below is a
pattern of Chinese plan prose or a table of general knowledge (`REGION_ANCHORS`).

Pipeline
--------
1. `geo.text.clauses.parse_outline` cleans the text and parses its clause tree; `geo.importer.outline.detect_jurisdiction`
   guesses the unit the plan governs (title, issuer, signature, else the unit holding most places named);
   the planner may correct it (`jurisdiction_candidates`, `search_units`).
2. `geo.places.mentions.find_places` finds places in every clause (abbreviation clusters 厦漳泉 / 呼包鄂 / 宁镇扬,
   former names 襄樊 → 襄阳市) and `geo.places.mentions.find_slogans` the structure slogans (一核两翼三区,
   一群两心三圈, 中心引领、协同支撑 …).
3. Features, by rule:

   - **structure** (``_structure``): each counted part of a slogan (一核, 两翼, 三区, 多点 …) becomes a feature
     of the kind its term names (`TERM_KINDS`). Its members are the places the text gives it: a definition
     (“一核”包括A、B; “两翼”以A、B为主体; 一核即A), a role word after places (A中心城市 for 主, A副中心 for 副,
     A增长极 for 极 …), named sub-parts (北翼以A为重点; 东部片区包括A、B全域及C平坝区域, where a place
     followed by 平坝区域 / 山区 / 除…以外 is a part of a unit: precision ``approximate``), or for 多点 the other
     places listed beside the main and sub centres. A part the text names but does not define is kept as
     ``named_only`` (listed, not drawn: nothing is invented).
   - **chains** (``_chains``): places written A—B—C (or A至B至C) followed by a route word (铁路, 高速 …) are a
     ``route``, by a corridor word (廊道, 走廊, 轴, 带 …) a ``corridor``; a pair across the jurisdiction's
     border followed by 合作 / 园区 is a ``link``. Drawn through the seats in the order written (schematic).
   - **links** (``_links``): a place outside the jurisdiction in a sentence about cooperation (合作, 对接,
     融入, 对口 …) is a ``link`` arc from the jurisdiction (or from the places the sentence makes the front:
     以A为前沿) to it; a named region that is no admin unit (长三角, 粤港澳大湾区 …) goes to its anchor in
     `REGION_ANCHORS`, and the note says so.
   - **nodes** (``_nodes``): a place followed by a site word (经济开发区, 机场, 物流园 …) is a ``node`` point at
     its seat.
   - **admin**: the jurisdiction's county-level units (with every clause naming each) and its neighbours, as in
     the curated layers.

Geometry comes from `geo.layers.plan_shapes` in its quick mode (the gazetteer's coverage, GEOS coverage
simplification), so a province-wide draft takes about a second and a city one a few tenths.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from geo.i18n import kind_label
from geo.importer.outline import JurisdictionGuess, detect_jurisdiction
from geo.layers import (
    ADMIN_NOTE,
    KINDS,
    arc,
    dumps,
    feature_properties,
    make_feature,
    plan_shapes,
    sentence_around,
    spread,
)
from geo.places.gazetteer import Gazetteer, Unit, load_gazetteer
from geo.places.mentions import PlaceMention, Slogan, find_places, find_slogans, segment_words
from geo.text.clauses import SENTENCE_OPENERS, Outline, headline, parse_outline

__all__ = [
    "AREA_KINDS",
    "CLAUSE_COLUMNS",
    "DRAFT_PLAN",
    "EDIT_KINDS",
    "REGION_ANCHORS",
    "TERM_KINDS",
    "Draft",
    "DraftClause",
    "add_member",
    "apply_rows",
    "delete",
    "draft_clauses_csv",
    "draft_geojson",
    "draft_gpkg",
    "draft_plan",
    "feature_rows",
    "jurisdiction_candidates",
    "layers_by_kind",
    "merge",
    "redraw",
    "rekind",
    "rename",
    "search_units",
    "text_digest",
]

DRAFT_PLAN = "draft"
"""The ``plan`` property of features not yet saved (a saved plan gets its store id)."""

AREA_KINDS = ("core", "wing", "zone", "eco", "context")
LINE_KINDS = ("corridor", "route")
EDIT_KINDS: tuple[str, ...] = tuple(k for k in KINDS if k != "admin")
"""Kinds a planner may give a feature (the admin base is not edited)."""

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
    "屏": "eco",
    "支点": "node", "支撑": "node", "湾区": "zone", "半岛": "zone", "走廊": "corridor", "区块": "zone",
    "草原": "eco", "流域": "eco", "县": "zone", "市": "zone", "州": "zone", "湾": "zone", "网": "route",
}
# Role words that follow the places a part consists of: 做强“麒沾马”中心城市 (主), 宣威副中心 (副).
_ROLE_WORDS: Mapping[str, tuple[str, ...]] = {
    "主": ("主中心", "中心城市", "中心城区", "主城区", "主城"),
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
_CORE_WORDS: Mapping[str, str] = {"核": "核心", "心": "中心城市|中心", "中心": "中心城市|中心"}
# A clause that opens with one of these has the places of the clause before it as its subject.
_CORE_VERB = re.compile(r"\s*(?:着力|加快|全力|努力)?(?:打造|建设|建成|成为|培育|形成|构建|发展为|发展成为)")
# X为支撑 / X为纽带: 为 before these gives the part a role, it does not define it (以两大城市圈为支撑，辐射带动A).
_ROLE_AFTER_WEI = r"(?:主体|重点|核心|中心|支撑|引领|龙头|骨干|依托|纽带|轴线|辐射|载体|抓手|支点|动力|带动|引擎)"
_DEFINE = r"(?:主要)?(?:包括|包含|涵盖|覆盖|分别为|分别是|分别指|即|是指|指|为|由|是)"
_LEAD = r"(?:以|由)"
_LEAD_END = r"为(?:主体|重点|核心|中心|支撑|引领|龙头|骨干|依托)"
_CLAUSE_END = "。；;\n"
_NEXT_PART = re.compile(r"[，,；;]\s*[“\"][^”\"]{1,8}[”\"]")
# One named area of a definition listing several: a run of names closed by a group word.
_GROUP_ITEM = re.compile(r"[^、，,和及与“”\"]{2,20}?(?:城市群|都市圈|经济圈|城市圈|经济区|经济带|城市带|发展带|片区|板块|组团|示范区)")
_MAX_SENTENCE = 300
_QUOTES = "“”\"'‘’ \t\u3000"
# A place followed by one of these within a segment is a part of that unit, not all of it.
_PARTIAL = re.compile(r"平坝|山区|坝区|丘区|部分|区域|北部|南部|东部|西部|中部|沿[江河湖海线]|除.{0,12}以外|除.{0,12}外")
_WHOLE = re.compile(r"全域|全境|全部|整体")

_CHAIN_SEP = re.compile(r"^[\u4e00-\u9fff]{0,3}(?:—|–|－|-|~|～|至|到)$")
_PAREN = re.compile(r"[（(][^（）()]{0,10}[)）]")
_ROUTE_WORDS = ("高速铁路", "高速公路", "高铁", "铁路", "城际", "客专", "高速", "公路", "快速路", "国道", "省道",
                "管道", "航道", "航线", "轨道", "班列", "动车", "运河")
_CORRIDOR_WORDS = ("经济走廊", "走廊", "廊道", "通道", "经济带", "发展带", "产业带", "旅游带", "发展轴", "经济轴",
                   "轴线", "轴带", "轴", "带")
# Where the words after a chain stop naming it: a verb or a project word (陆良机场至曲靖纳入国家铁路规划).
_TAIL_STOP = re.compile(r"[。；;，,、）)]|纳入|列入|建设|延伸|开工|争取|推进|加快|工程|前期|规划|项目")
_LINK_WORDS = ("合作", "产业园", "园区", "协作", "对口", "结对", "友好", "共建", "飞地", "示范区", "合作区")
_COOPERATION = re.compile(
    r"合作|对接|融入|协作|对口|帮扶|共建|联动|承接|协同|交流|友好|援|连接|衔接|开放|联系|接轨|辐射|互联|一体化|"
    r"结对|招商|转移|飞地|共享|互通|往来|经贸|出海|出境|通道|班列"
)
_FRONT = re.compile(r"以(?P<places>[^。；;，,为]{2,40})为(?:前沿|门户|支点|桥头堡|窗口|节点|枢纽|先导|排头兵)")
_SITE_WORDS = ("经济技术开发区", "经济开发区", "高新技术产业开发区", "高新区", "经开区", "开发区", "综合保税区",
               "保税区", "工业园区", "产业园区", "产业园", "工业园", "物流园区", "物流园", "物流枢纽", "民用机场",
               "通用机场", "国际机场", "机场", "港区", "港口", "火车站", "高铁站", "综合客运站", "客运站", "口岸",
               "新区", "试验区", "产业基地", "示范基地")
_SITE = re.compile(r"[\u4e00-\u9fff]{0,6}?(?:" + "|".join(_SITE_WORDS) + ")")

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
    "环北部湾": "450100", "大湾区": "440100",
}
_QUOTE = "“”\"'‘’「」"
# A region's name may carry quotes inside it (“粤港澳”大湾区, “长三角”地区): they may stand between any characters.
_REGION_RE = re.compile("|".join(
    f"[{_QUOTE}]?".join(map(re.escape, name)) for name in sorted(REGION_ANCHORS, key=len, reverse=True)))

_NOTES = {
    "exact": "整县（区、市）合并：草图，成员取自条文所列地名",
    "approximate": "部分单元按整个单元绘制：条文只写了其中一部分（{parts}），实际范围更小",
    "line": "示意线：按文中顺序连接各地驻地（{path}）",
    "arc": "联系弧线：由{a}指向{b}（示意，不代表线路走向）",
    "anchor": "“{region}”不是行政区，以{anchor}代表（示意）",
    "point": "点位近似：置于{place}驻地附近（文本未给出确切位置）",
    "points": "点位近似：各成员驻地（{places}）",
    "named_only": "文本仅提及名称，没有可绘制的空间信息（未编造几何）",
    "named_undefined": "文本提及此结构，但未写明其范围（未编造几何）",
}


# --------------------------------------------------------------------------- the draft


@dataclass(frozen=True)
class DraftClause:
    """One clause with the places and slogans found in it (offsets are into ``text``)."""

    id: str
    heading: str
    text: str  # the clause as the reader sees it: number, heading and own text
    places: tuple[PlaceMention, ...]
    slogans: tuple[Slogan, ...]

    @functools.cached_property
    def _starts(self) -> list[int]:
        return [p.start for p in self.places]  # find_places returns them sorted by start

    @functools.cached_property
    def _by_end(self) -> dict[int, list[PlaceMention]]:
        out: dict[int, list[PlaceMention]] = {}
        for p in self.places:
            out.setdefault(p.end, []).append(p)
        return out

    def places_within(self, start: int, end: int) -> list[PlaceMention]:
        """Places lying inside text[start:end] (a bisection: texts with thousands of places stay fast)."""
        i = bisect.bisect_left(self._starts, start)
        out = []
        while i < len(self.places) and self.places[i].start < end:
            if self.places[i].end <= end:
                out.append(self.places[i])
            i += 1
        return out

    def places_ending_at(self, pos: int) -> list[PlaceMention]:
        """Places whose written form ends at ``pos`` (the members of a cluster share one span)."""
        return self._by_end.get(pos, [])


@dataclass(frozen=True)
class Draft:
    """A plan text turned into draft layers; see the module docstring.

    Attributes
    ----------
    text : str
        The text as given (decoded).
    outline : geo.text.clauses.Outline
        Its clause tree.
    jurisdiction : geo.importer.outline.JurisdictionGuess
        The unit the draft is drawn for (``adcode`` None: nothing to go on; no base layer, no links).
    clauses : tuple of DraftClause
    collection : dict
        One GeoJSON FeatureCollection: admin base, then the concepts.
    plan : str
        The ``plan`` property of the features.
    """

    text: str
    outline: Outline
    jurisdiction: JurisdictionGuess
    clauses: tuple[DraftClause, ...]
    collection: dict
    plan: str = DRAFT_PLAN
    timings: Mapping[str, float] = field(default_factory=dict)

    @property
    def layers(self) -> dict[str, dict]:
        """Layer name (= kind) -> FeatureCollection, in `geo.layers.KINDS` order."""
        return layers_by_kind(self.collection)

    @property
    def title(self) -> str:
        """The title the text gives itself, else its first line holding Chinese, markup removed ("" when none).

        Only a name for the draft (the Import page, My drafts, a published plan): the jurisdiction is read from
        `Outline.title` alone.
        """
        return self.outline.title or headline(self.outline.text)


def draft_plan(text: str, gazetteer: Gazetteer | None = None, *, jurisdiction: str | None = None,
               plan: str = DRAFT_PLAN, progress: Callable[[str], None] | None = None) -> Draft:
    """Turn a plan text into draft layers.

    Parameters
    ----------
    text : str
        The decoded plan text (see `geo.text.decode`).
    gazetteer : Gazetteer, optional
        Defaults to the shared one.
    jurisdiction : str, optional
        Adcode of the unit the plan governs, as the planner corrected it; None detects it.
    plan : str
        The ``plan`` property of every feature (lowercase letters).
    progress : callable, optional
        Called with ``"clauses"``, ``"places"``, then ``"structure"`` as each stage starts (a long plan takes
        seconds: the Import page says where it is).

    Returns
    -------
    Draft

    Examples
    --------
    >>> d = draft_plan("关于推进长株潭一体化的意见\\n一、总体布局\\n构建“一核两翼”格局。“一核”包括长沙市岳麓区、"
    ...                "天心区。推进长株潭城市群建设。")
    >>> d.jurisdiction.name
    '长沙市'
    >>> [(f["properties"]["kind"], f["properties"]["name"]) for f in d.collection["features"]
    ...  if f["properties"]["kind"] == "core"]
    [('core', '一核')]
    """
    import time

    gaz = gazetteer or load_gazetteer()
    report = progress or (lambda stage: None)
    started = time.perf_counter()
    report("clauses")
    outline = parse_outline(text)
    if jurisdiction:
        unit = gaz.unit(jurisdiction)
        guess = JurisdictionGuess(unit.adcode, unit.name, unit.level, True, "由规划人员指定")
    else:
        guess = (_title_jurisdiction(outline, gaz) or _area_lead(outline, gaz) or _headline_area(outline, gaz)
                 or _headline_jurisdiction(outline, gaz) or detect_jurisdiction(outline, gaz))
    parsed = time.perf_counter()
    report("places")
    clauses = _find(outline, gaz, guess.adcode)
    found = time.perf_counter()
    report("structure")
    builder = _Builder(gaz, guess.adcode, plan, clauses, outline.title or "")
    features = builder.build()
    built = time.perf_counter()
    return Draft(text, outline, guess, clauses, {"type": "FeatureCollection", "features": features}, plan,
                 {"parse": parsed - started, "find": found - parsed, "features": built - found})


def _title_jurisdiction(outline: Outline, gaz: Gazetteer) -> JurisdictionGuess | None:
    """The unit a title or issuer names as such (福建省推进厦漳泉同城化方案: 福建省, not a city of the cluster).

    `geo.importer.outline.detect_jurisdiction` takes the most specific place of the title; a cluster's members are
    the plan's subject, not its issuer, so where the title also names a unit in full, that one governs.
    """
    for source, label in ((outline.title, "标题"), (outline.issuer, "发文机关")):
        places = [p for p in find_places(source, gaz) if p.via != "cluster"] if source else []
        if places and len(places) < len(find_places(source, gaz)):
            best = max(places, key=lambda p: ({"county": 3, "prefecture": 2, "province": 1}[p.level], -p.start))
            return JurisdictionGuess(best.adcode, best.name, best.level, True, f"{label}写明“{best.mention}”")
    return None


_LEVEL_RANK = {"county": 3, "prefecture": 2, "province": 1}
_AREA_TITLE = re.compile(r"([\u4e00-\u9fff]{2,10}?)(?:大?都市圈|都市区|城市群|经济圈|城市圈)")
_LEAD_CITY = re.compile(r"(?:被?定位为|作为|为|是)(?:[\u4e00-\u9fff]{0,4}的)?(?:核心城市|中心城市|龙头城市)")


def _area_lead(outline: Outline, gaz: Gazetteer) -> JurisdictionGuess | None:
    """The lead unit of a metropolitan area or city cluster plan (《北部湾城市群发展规划》: 南宁市).

    The title names the area: a unit in its name leads it (郑州都市圈: 郑州市); else the unit the text makes its
    core city (南宁市被定位为核心城市).
    """
    m = _AREA_TITLE.search(outline.title or "")
    if not m:
        return None
    named = [p for p in find_places(m.group(1), gaz) if p.via != "cluster"]
    if named:
        best = max(named, key=lambda p: (_LEVEL_RANK[p.level], -p.start))
        return JurisdictionGuess(best.adcode, best.name, best.level, True, f"标题中的“{m.group(0)}”以{best.name}为名")
    for c in outline.clauses:
        body = outline.text[c.span[0] : c.span[1]]
        for lead in _LEAD_CITY.finditer(body):
            before = [p for p in find_places(body[max(0, lead.start() - 12) : lead.start()], gaz) if p.via != "cluster"]
            if before and before[-1].level != "province":
                p = before[-1]
                return JurisdictionGuess(p.adcode, p.name, p.level, True,
                                         f"“{m.group(0)}”的{lead.group(0)[-4:]}是{p.name}（正文写明）")
    return None


# A metropolitan area counted as its lead city and N others: “1+4”(郑州+开封、新乡、焦作、许昌).
_ONE_PLUS = re.compile(r"[“\"‘']1\+\d{1,2}[”\"’'][（(](?P<lead>[\u4e00-\u9fff]{2,4})[+＋]")


def _headline_area(outline: Outline, gaz: Gazetteer) -> JurisdictionGuess | None:
    """A report headlined with a city's metropolitan area that the text counts as 1+N led by that city.

    河南对全省城镇发展空间格局进行了重塑性调整，特别是郑州都市圈由原来的“1+4”拓展为“1+8”, the text then
    giving “1+4”(郑州+开封…): the plan is 郑州都市圈's, led by 郑州市 (not the province the headline names in
    passing). A headline naming a metropolitan area the text does not count so (台州舟山划入宁波都市区, a report on
    the province's four) is no such plan.
    """
    if outline.title:
        return None
    first = outline.text.strip().split("\n", 1)[0].strip()
    if not first or len(first) > 60 or re.search(r"[。；;]", first):
        return None
    leads = {m.group("lead") for m in _ONE_PLUS.finditer(outline.text)}
    for area in re.finditer(r"大?都市圈|都市区", first):
        for p in find_places(first[: area.start()], gaz):
            if p.via != "cluster" and p.end == area.start() and p.level == "prefecture" and p.mention in leads:
                return JurisdictionGuess(p.adcode, p.name, p.level, True,
                                         f"首行的“{p.mention}{area.group(0)}”，正文以“1+N”({p.mention}+…)计其范围")
    return None


def _headline_jurisdiction(outline: Outline, gaz: Gazetteer) -> JurisdictionGuess | None:
    """A text without a formal title (a news report) whose short first line names a unit (安徽省优化升级…)."""
    if outline.title:
        return None
    first = outline.text.strip().split("\n", 1)[0].strip()
    if not first or len(first) > 40 or re.search(r"[。；;]", first):
        return None
    # only a unit written in full (安徽省, not 台州 of 台州舟山划入宁波都市区): a headline names its subject so
    places = [p for p in find_places(first, gaz) if p.via != "cluster" and p.mention == p.name]
    if not places:
        return None
    best = max(places, key=lambda p: (_LEVEL_RANK[p.level], -p.start))
    return JurisdictionGuess(best.adcode, best.name, best.level, True, f"首行写明“{best.mention}”")


def _find(outline: Outline, gaz: Gazetteer, juris: str | None) -> tuple[DraftClause, ...]:
    """Places and slogans of every clause."""
    out = []
    for c in outline.clauses:
        body = outline.text[c.span[0] : c.span[1]]
        out.append(DraftClause(c.id, c.heading, body, tuple(find_places(body, gaz, jurisdiction=juris)),
                               tuple(find_slogans(body))))
    return tuple(out)


# --------------------------------------------------------------------------- building features


@dataclass
class _Concept:
    """A feature under construction."""

    kind: str
    name: str
    role: str
    cites: list[tuple[str, str]]  # (clause id, verbatim excerpt)
    members: list[str] = field(default_factory=list)
    partial: list[str] = field(default_factory=list)  # members only part of which is meant
    partial_words: list[str] = field(default_factory=list)
    group: str = ""
    anchor: str = ""  # a named region drawn at an anchor unit
    origin: str = ""  # links: where the arc starts
    named_undefined: bool = False
    rule: str = ""  # which rule resolved the members, said in the feature's note

    def key(self) -> tuple:
        """Equal concepts merge: links by their ends (无锡 and 无锡市 are one tie), others also by name."""
        if self.kind == "link":
            return (self.kind, tuple(self.members), self.anchor)
        return (self.kind, self.name, tuple(self.members), self.origin)


class _Builder:
    """Collects concepts from the clauses, then draws them (one pass per rule family)."""

    def __init__(self, gaz: Gazetteer, juris: str | None, plan: str, clauses: Sequence[DraftClause],
                 title: str = "") -> None:
        self.gaz, self.juris, self.plan, self.clauses, self.title = gaz, juris, plan, clauses, title
        self.concepts: list[_Concept] = []
        self._index: dict[tuple, _Concept] = {}
        self._taken: set[tuple[str, int, int]] = set()  # (clause, start, end) of mentions already used
        self._defined_names: set[str] = set()  # named areas drawn as a slogan's items (not again on their own)
        self.area, self.area_cite = self._plan_area()

    # ---- helpers
    def inside(self, adcode: str) -> bool:
        """Is a unit inside the plan's area: the jurisdiction, or the units a metropolitan area plan lists?"""
        if not self.juris:
            return False
        return self.gaz.contains(self.juris, adcode) or any(self.gaz.contains(a, adcode) for a in self.area)

    def near(self, adcode: str) -> bool:
        """Is a unit in the jurisdiction's province or one bordering it (沪昆's 上海 is not near 南昌)?"""
        if not self.juris:
            return True
        home, there = self.gaz.unit(self.juris).province, self.gaz.unit(adcode).province
        return home == there or there in self.gaz.neighbours(home)

    def overlaps_area(self, adcode: str) -> bool:
        """Does a unit hold part of a multi-unit plan's area (抚州市 of 大南昌都市圈, which lists 抚州's 临川区)?"""
        return self.gaz.unit(adcode).level != "province" and any(self.gaz.contains(adcode, a) for a in self.area)

    def outside(self, adcode: str) -> bool:
        """Outside the plan's area and not one of the units holding it (云南省 in 曲靖's plan is home)."""
        if not self.juris:
            return False
        return not self.inside(adcode) and not self.gaz.contains(adcode, self.juris)

    def _plan_area(self) -> tuple[tuple[str, ...], tuple[str, str] | None]:
        """The units of a plan whose area spans several (大南昌都市圈包括南昌市、九江市和抚州市临川区…).

        A metropolitan area, city cluster or economic belt plan governs no one unit: the text says which units
        it covers, and those are inside the plan (their places are members, never cooperation links). Only
        an area the plan is about counts: its name stands in the title or is the first such definition.
        """
        if not self.juris or not self.clauses:
            return (), None
        title = self.clauses[0].text[:120]
        # An area counted as its lead city and N others (“1+4”(郑州+开封、新乡…)新增加了洛阳…): the units of that
        # sentence in the lead city's province, before any other definition (it is the plan's own area)
        for clause in self.clauses:
            for m in _ONE_PLUS.finditer(clause.text):
                sentence, at = _sentence_at(clause.text, m.start(), m.end())
                units = [p.adcode for p in clause.places_within(at, at + len(sentence)) if p.level != "province"
                         and self.gaz.unit(p.adcode).province == self.gaz.unit(self.juris).province]
                if self.juris in units and len(set(units)) >= 2:
                    return tuple(dict.fromkeys(units)), (clause.id, sentence[:120])
        for clause in self.clauses:
            for m in _AREA_DEFINITION.finditer(clause.text):
                name = _trim_opener(m.group("name"))
                if name[-3:] not in title and name not in title:
                    continue
                places = clause.places_within(m.start("body"), m.end("body"))
                units = [p.adcode for p in places if p.level != "province"]
                if len(set(units)) >= 2:
                    return tuple(dict.fromkeys(units)), (clause.id, _sentence_of(clause.text, m))
        # A title naming its area by a cluster (厦漳泉同城化总体规划): the cluster's units, the jurisdiction one of them
        clustered = [p for p in find_places(self.title, self.gaz) if p.via == "cluster"] if self.title else []
        if len({p.adcode for p in clustered}) >= 2 and self.juris in {p.adcode for p in clustered}:
            return tuple(dict.fromkeys(p.adcode for p in clustered)), None
        return (), None

    def add(self, concept: _Concept) -> None:
        """Add a concept, merging it with an equal one (`_Concept.key`)."""
        c = self._index.get(concept.key())
        if c is None:
            self._index[concept.key()] = concept
            self.concepts.append(concept)
            return
        for cite in concept.cites:
            if cite not in c.cites:
                c.cites.append(cite)

    # ---- the rules
    def build(self) -> list[dict]:
        """All features: admin base first, then concepts in the order the rules found them."""
        self._structure()
        self._chains()
        self._nodes()
        self._links()
        features = self._admin()
        seat_use: dict = {}
        counters: dict[str, int] = {}
        for concept in self.concepts:
            counters[concept.kind] = counters.get(concept.kind, 0) + 1
            fid = f"{concept.kind}-{counters[concept.kind]}"
            features.append(self._feature(fid, concept, seat_use))
        return features

    def _structure(self) -> None:
        """Slogan parts -> cores, wings, zones, nodes … with the members the text gives them."""
        seen: set[str] = set()
        drawn: set[tuple[str, ...]] = set()  # members of the parts drawn so far
        # A slogan of several parts first: a part quoted alone elsewhere (“两极跃升”) joins its group.
        ordered = sorted(((c, s) for c in self.clauses for s in c.slogans), key=lambda cs: len(cs[1].parts) == 1)
        occurrences: dict[str, list[tuple[DraftClause, Slogan]]] = {}
        for clause, slogan in ordered:
            occurrences.setdefault(slogan.text, []).append((clause, slogan))
        for clause, slogan in ordered:
            if slogan.text in seen:
                continue
            excerpt = clause.text[slogan.start : slogan.end]
            # the items may follow any mention of the slogan (提出“一圈五区”… ；“一圈五区”新格局包括A、B…)
            distributed = next((d for c2, s2 in occurrences[slogan.text]
                                if (d := self._distributed(c2, s2, c2.text[s2.start : s2.end]))), [])
            if distributed:
                seen.add(slogan.text)
                for c in distributed:
                    drawn.add(tuple(c.members))
                    self.add(c)
                continue
            if not any(p.term for p in slogan.parts):
                continue
            seen.add(slogan.text)
            kinds = [_part_kind(p.term) for p in slogan.parts]
            if all(k == "route" for k in kinds) and not (
                    len(slogan.parts) == 1 and self._count_aligned(slogan.parts[0].written, slogan.parts[0].term,
                                                                   slogan.parts[0].count, "route", slogan.text,
                                                                   (clause.id, excerpt))):
                # A road network (1环3纵5横7联, 两环十射四联): named, never located by the text.
                self.add(_Concept("route", slogan.text, slogan.text, [(clause.id, excerpt)],
                                  named_undefined=True))
                continue
            defined: dict[int, list[_Concept]] = {}
            for i, part in enumerate(slogan.parts):
                kind = _part_kind(part.term)
                if kind is None:
                    continue
                defined[i] = self._part_concepts(part.written, part.term, part.count, kind, slogan.text,
                                                 clause, excerpt)
            self._many_points(slogan, defined, clause)
            found = [c for concepts in defined.values() for c in concepts]
            if len(slogan.parts) == 1 and found and all(c.members and tuple(c.members) in drawn for c in found):
                continue  # 两个省域副中心城市 restates the part 两副 of the slogan: drawn once
            for c in found:
                drawn.add(tuple(c.members))
                self.add(c)
        self._named_parts()

    def _part_concepts(self, written: str, term: str, count: int | None, kind: str, slogan: str,
                       clause: DraftClause, excerpt: str) -> list[_Concept]:
        """The features one slogan part stands for: defined members, role words, or named sub-parts."""
        cite = (clause.id, excerpt)
        ref = re.escape(written)
        definition: tuple[str, str] | None = None  # the first definition, kept as evidence if it names no unit
        for other in self.clauses:
            # “一核”包括A、B / 一核即A / “两翼”以A、B为主体
            for pattern in (rf"[“\"]?{ref}[”\"]?(?:区域|地区|范围)?(?:[，,]?\s*{_DEFINE}|[”\"]?\s*[：:]\s*(?:{_DEFINE})?)"
                            rf"(?!{_ROLE_AFTER_WEI})(?P<body>[^{_CLAUSE_END}]{{1,150}})",
                            rf"[“\"]?{ref}[”\"]?{_LEAD}(?P<body>[^{_CLAUSE_END}为]{{1,80}}){_LEAD_END}"):
                for m in re.finditer(pattern, other.text):
                    # The definition ends where the next quoted part is defined: “一核”指A，“一带”为B.
                    nxt = _NEXT_PART.search(other.text, m.start("body"), m.end("body"))
                    body_end = nxt.start() if nxt else m.end("body")
                    sentence = _sentence_of(other.text, m)
                    definition = definition or (other.id, other.text[m.start() : body_end].strip(_QUOTES + "，,"))
                    groups = self._named_groups(other, m.start("body"), body_end, count)
                    if groups:  # “两翼”指A城市群和B城市群: one feature each
                        return [_Concept(kind, name, slogan, [cite, (other.id, sentence)], members, group=written)
                                for name, members in groups]
                    # One item per counted part (三极: A、B、C); a part of one takes every place of its definition.
                    items = self._counted_items(other, m.start("body"), body_end, count, term) if count and count > 1 else []
                    comma = re.search(r"[，,]", other.text[m.start("body") : body_end])
                    if not items and comma and count and count > 1:  # “两极”，即A、B，发挥…: the list ends at the comma
                        items = self._counted_items(other, m.start("body"), m.start("body") + comma.start(), count, term)
                    for anchor in ([] if items or not count or count < 2 else _count_anchors(other.text, term, count)):
                        if m.start("body") < anchor.start() <= body_end:  # “三极”：打造A、B、C三个新增长极
                            items = self._counted_items(
                                other, m.start("body"), _list_end(other.text, m.start("body"), anchor.start()), count,
                                term)
                            break
                    if not items and count and count > 1:  # “两圈”,即构建…的通勤圈和…的协作圈
                        items = self._head_phrases(other, m.start("body"), body_end, count, term)
                    if items:  # “三极”：打造A、B、C三个新增长极 / “四带”：打造A经济带、B经济带…
                        return self._item_concepts(items, kind, written, slogan, cite, other,
                                                   "定义：条文写明“" + written + "”的各项")
                    members, partial, words = self._members_in(other, m.start("body"), body_end)
                    if not members:  # “两极”，即邢台市、衡水市: the text defines the part, wherever they lie
                        members, partial, words = self._members_in(other, m.start("body"), body_end, anywhere=True)
                    if members:
                        return [_Concept(kind, written, slogan, [cite, (other.id, sentence)], members, partial, words)]
        aligned = self._count_aligned(written, term, count, kind, slogan, cite) or \
            self._referred_back(written, term, count, kind, slogan, cite)
        if aligned:
            return aligned
        roles = _ROLE_WORDS.get(term, ())
        if roles:
            found = self._role_members(roles, term)
            if found:
                if term == "翼" or (count is not None and count > 1 and len(found) == count):
                    return [_Concept(kind, name, slogan, [cite, c2], members, group=written)
                            for name, members, c2 in found]
                if count is None or len(found) == count:
                    members = list(dict.fromkeys(a for _, ms, _ in found for a in ms))
                    return [_Concept(kind, written, slogan, [cite] + [c2 for _, _, c2 in found], members)]
        core_word = _CORE_WORDS.get(term)
        if core_word and (count or 1) == 1:
            found_core = self._core_members(core_word, clause, slogan)
            if found_core:
                members, partial, words, cites = found_core
                return [_Concept(kind, written, slogan, [cite, *cites], members, partial, words,
                                 rule="核心：条文写明“" + core_word.split("|")[0] + "”的所在")]
        # “一群”即打造具有全球影响力的山东半岛城市群: defined in words, no unit to draw; the definition is cited
        return [_Concept(kind, written, slogan, [cite] + ([definition] if definition else []), named_undefined=True)]

    def _core_members(self, core_word: str, clause: DraftClause, slogan: str
                      ) -> tuple[list[str], list[str], list[str], list[tuple[str, str]]] | None:
        """The one core of a slogan where no count or list gives it: the places the text calls the core.

        Looked for in the slogan's own sentence first, then in the text in order, at each core word:
        the core's area defined (都市圈核心区主要包括A、B; 核心区囊括厦漳泉, with 核心区西部包括C … added), or
        places written before the word in its clause (南宁居于核心位置; 广州和佛山两市作为核心区; 南昌市中心城区和
        赣江新区核心主导地位); a clause that opens with a verb (打造中部地区崛起核心增长极) speaks of the
        places of the clause before it (大力推进长株潭一体化，).
        """
        where = next((i for i, c in enumerate(self.clauses) if c.id == clause.id), 0)
        home = clause.text.find(slogan)
        sentence, left = _sentence_at(clause.text, max(home, 0), max(home, 0) + len(slogan))
        order = [(clause, left, left + len(sentence))] + [(c, 0, len(c.text)) for c in self.clauses[where:]] \
            + [(c, 0, len(c.text)) for c in self.clauses[:where]]
        defined = re.compile(rf"(?:{core_word})区(?:[东西南北中]部)?(?:范围)?(?:主要)?(?:包括|囊括|涵盖|即|为|是)"
                             rf"(?P<body>[^{_CLAUSE_END}]{{1,150}})")
        for c, lo, hi in order:
            for m in re.finditer(core_word, c.text[lo:hi]):
                at = lo + m.start()
                if defined.match(c.text, at):
                    # every definition of the core's area and its parts, wherever the text gives them
                    found = [(c2, d) for c2 in self.clauses for d in defined.finditer(c2.text)]
                    members, partial, words, cites = [], [], [], []
                    for c2, d in found:
                        ms, ps, ws = self._members_in(c2, d.start("body"), d.end("body"))
                        if ms:
                            members += ms
                            partial += ps
                            words += ws
                            cites.append((c2.id, _sentence_of(c2.text, d)))
                    if members:
                        return list(dict.fromkeys(members)), list(dict.fromkeys(partial)), \
                            list(dict.fromkeys(words)), cites
                    continue
                start = _clause_start(c.text, at)
                members, partial, words = self._members_in(c, start, at)
                if not members and _CORE_VERB.match(c.text, start) and start > 1:
                    before = _clause_start(c.text, start - 1)
                    members, partial, words = self._members_in(c, before, start - 1)
                    start = before
                if members:
                    return members, partial, words, [(c.id, c.text[start : at + len(m.group())])]
        return None

    def _distributed(self, clause: DraftClause, slogan: Slogan, excerpt: str) -> list[_Concept]:
        """A slogan followed by its items, as many as its counts add up to, shared out in order.

        “两州两市”(甘南藏族自治州、临夏回族自治州、定西市、陇南市): 两州 = the first two, 两市 = the next two;
        “1+4”(郑州+开封、新乡、焦作、许昌); 三县(市)七区,包括榆树市、农安县、德惠市、朝阳区….
        """
        counts = [p.count for p in slogan.parts]
        if len(counts) < 2 or any(c is None or c < 1 for c in counts) or sum(counts) > 30:
            return []
        text = clause.text
        m = _AFTER_SLOGAN.match(text, slogan.end)
        if not m:
            return []
        group = "paren" if m.group("paren") else "words"
        start, end = m.start(group), m.end(group) - (1 if group == "paren" else 0)
        items = self._counted_items(clause, start, end, sum(counts), strong=True)
        tail = max(text.rfind("以及", start, end), text.rfind("，以及", start, end))
        if not items and tail > start:  # …九台区,以及长春新区: what 以及 adds is beyond the counted items
            while tail > start and text[tail - 1] in "，,、 ":
                tail -= 1
            items = self._counted_items(clause, start, tail, sum(counts), strong=True)
        if not items:
            return []
        how = f"计数对齐：{slogan.text}之后列出{sum(counts)}项，按序分配"
        cite = (clause.id, excerpt)
        out, k = [], 0
        for part, n in zip(slogan.parts, counts):
            share = items[k : k + n]
            k += n
            kind = _part_kind(part.term) or ("core" if n == 1 else "zone")
            out += self._item_concepts(share, kind, part.written, slogan.text, cite, clause, how,
                                       excerpt=text[slogan.start : end], group_single=not part.term)
        return out

    def _head_phrases(self, clause: DraftClause, start: int, end: int, count: int, term: str) -> list[_Item]:
        """The phrases of a definition that end with the part's head word, if there are ``count`` of them.

        “两圈”,即构建功能完善、高效协作的通勤圈和联系紧密、优势互补的协作圈: 通勤圈, 协作圈 (what stands before 的
        describes them).
        """
        items = []
        for m in re.finditer(r"[^、，,和及与；;。]+", clause.text[start:end]):
            a, phrase = start + m.start(), m.group(0)
            if "的" in phrase:
                cut = phrase.rindex("的") + 1
                a, phrase = a + cut, phrase[cut:]
            phrase = phrase.strip(_QUOTES)
            if 2 <= len(phrase) <= 12 and phrase.endswith((term, term[-1])) and len(phrase) > len(term):
                b = a + len(phrase)
                inner = clause.places_within(a, b)
                members = [p.adcode for p in inner if not self.juris or self.inside(p.adcode)]
                items.append(_Item(phrase, a, b, list(dict.fromkeys(members))))
        return items if len(items) == count else []

    def _count_aligned(self, written: str, term: str, count: int | None, kind: str, slogan: str,
                       cite: tuple[str, str]) -> list[_Concept]:
        """A counted part resolved by a list of exactly that many items before its head word.

        A slogan states counts, and the text nearly always enumerates that many items with the part's head
        word right after them: 打造A、B、C三个新增长极 (三极), 构建A和B两大发展轴 (两轴), 强化A、B两市中心城区
        战略增长极功能 (两极), 培育A、B、C组团 (三组团), A和B“两极跃升” (两极), A和B作为…的“双点支撑”
        (双支点). Where the count and the head word agree, the items are the part's members.
        """
        if not count:
            return []
        heads = "|".join(dict.fromkeys(map(re.escape, (term, term[-1]))))
        for clause in self.clauses:
            # 以A、B中心城区为发展极 (两极): the list between 以 and 为, the head word after 为
            for m in re.finditer(rf"以(?P<body>[^，,。；;以为]{{2,40}})为[“\"‘']?(?P<mod>[\u4e00-\u9fff]{{0,4}}?)(?:{heads})",
                                 clause.text):
                body_end = m.end("body")
                words = re.search(rf"(?:{'|'.join(_PART_OF_UNIT)})$", m.group("body"))
                items = self._counted_items(clause, m.start("body"), body_end - (len(words.group(0)) if words else 0),
                                            count, term)
                if items:
                    how = f"计数对齐：以{count}项为“{m.group(0)[m.end('body') - m.start() + 1:]}”"
                    return self._item_concepts(items, kind, written, slogan, cite, clause, how,
                                               words.group(0) if words else "", excerpt=m.group(0))
        for clause in self.clauses:
            # the slogan itself is no list of items (a one-part phrase such as 两个省域副中心城市 is an anchor)
            spans = [(s.start, s.end) for s in clause.slogans if len(s.parts) > 1]
            for anchor in _count_anchors(clause.text, term, count):
                if any(a <= anchor.start() < b for a, b in spans):
                    continue  # the slogan itself
                start = _list_start(clause.text, anchor.start())
                end = _list_end(clause.text, start, anchor.start())
                quoted = anchor.group(0).startswith(("“", '"')) and clause.text.startswith(written, anchor.start() + 1)
                items = self._counted_items(clause, start, end, count, term, strong=bool(anchor.groupdict().get("num")),
                                            quoted=quoted)
                if not items:
                    continue
                tail = clause.text[anchor.start() : anchor.end()]
                head = re.sub(r"^[“\"]?[一二两三四五六七八九十\d]+[个大]?", "", tail)
                if anchor.groupdict().get("num") and _AREA_WORD.fullmatch(head) and not any(
                        _AREA_WORD.search(i.name) for i in items):
                    # 省会、胶东、鲁南三大经济圈: each item is named with the head word (省会经济圈)
                    items = [_Item(i.name + head, i.start, i.end, i.members, True) for i in items]
                partial_word = next((w for w in _PART_OF_UNIT if w in anchor.group("mod") or w in tail[-6:]), "")
                how = f"计数对齐：{count}项后接“{tail.strip(_QUOTES)}”"
                return self._item_concepts(items, kind, written, slogan, cite, clause, how, partial_word,
                                           excerpt=clause.text[start : anchor.end()].strip(_QUOTES))
        return []

    def _referred_back(self, written: str, term: str, count: int | None, kind: str, slogan: str,
                       cite: tuple[str, str]) -> list[_Concept]:
        """A count that sums up the areas just named: 打造…东环城市圈，建设…西环城市圈。以两大城市圈为支撑.

        The last ``count`` different names ending in the head word, in the anchor's sentence and the one before
        it, are the items; each takes the places written in its own clause (“哈牡鸡七双佳”东环城市圈).
        """
        if not count or count < 2:
            return []
        for clause in self.clauses:
            text = clause.text
            for anchor in _count_anchors(text, term, count):
                if not anchor.groupdict().get("num"):
                    continue
                _, here = _sentence_at(text, anchor.start(), anchor.end())
                _, before = _sentence_at(text, max(here - 1, 0), max(here - 1, 0)) if here > 0 else ("", here)
                names: dict[str, tuple[int, int]] = {}
                for m in re.finditer(rf"[\u4e00-\u9fff]{{1,8}}?{re.escape(term)}", text[before : anchor.start()]):
                    end = before + m.end()
                    run = re.search(r"[\u4e00-\u9fff]+$", text[max(before, end - 12) : end]).group(0)
                    name = _trim_item(run.split("的")[-1])
                    if re.match(r"[一二两三四五六七八九十\d]+[个大]?", name) or len(name) <= len(term):
                        continue  # another count (两大城市圈), or the bare head word
                    lo = max(text.rfind(ch, before, end - len(name)) for ch in "，,。；;、") + 1
                    names.pop(name, None)
                    names[name] = (max(lo, before), end)
                if len(names) < count:
                    continue
                items = [_Item(name, a, b, self._members_in(clause, a, b)[0], True)
                         for name, (a, b) in list(names.items())[-count:]]
                how = f"计数对齐：“{anchor.group(0).strip(_QUOTES)}”总括前文所列{count}项"
                return self._item_concepts(items, kind, written, slogan, cite, clause, how,
                                           excerpt=text[items[0].start : anchor.end()][:120])
        return []

    def _counted_items(self, clause: DraftClause, start: int, end: int, count: int | None, term: str = "", *,
                       strong: bool = False, quoted: bool = False) -> list[_Item]:
        """The items listed in text[start:end] (A、B和C), if there are exactly ``count`` of them.

        An item is a place, an abbreviation cluster (丰樟高), a chain (九江—南昌—抚州) or a named area or belt
        (京广高铁经济带, 汕潮揭城市群). Separators inside a place's name (和平县) do not split.
        """
        if not count or count < 1 or end <= start:
            return []
        longest = 8 if quoted else 4  # 干线铁路、城际铁路、市域(郊)铁路、城市轨道交通“四网”
        items = self._split_items(clause, start, end, count, term, _ITEM_SEP, strong, longest)
        if not items:
            items = self._split_items(clause, start, end, count, term, _LIST_SEP, strong, longest)
        return items

    def _split_items(self, clause: DraftClause, start: int, end: int, count: int, term: str, separators: re.Pattern,
                     strong: bool, longest: int = 4) -> list[_Item]:
        """`_counted_items` with one set of separators."""
        text = clause.text
        places = clause.places_within(start, end)
        cuts = [start]
        for m in separators.finditer(text, start, end):
            if any(p.start < m.end() and m.start() < p.end for p in places):
                continue
            cuts += [m.start(), m.end()]
        cuts.append(end)
        items = []
        for k, (a, b) in enumerate(zip(cuts[::2], cuts[1::2])):
            raw = text[a:b]
            lead = len(raw) - len(raw.lstrip(_QUOTES))
            a, b = a + lead, a + len(raw.rstrip(_QUOTES))
            name = _trim_item(text[a:b])
            a = b - len(name)
            if not name:
                return []
            if k == 0 and len(name) > longest and not _AREA_WORD.search(name) \
                    and not clause.places_within(a, b):
                # the list's first item follows words of the sentence (依序形成了呼伦贝尔): its last word
                name = _last_word(name)
                a = b - len(name)
            inner = [p for p in clause.places_within(a, b)]
            if k == 0 and inner and not _AREA_WORD.search(name) and min(p.start for p in inner) > a:
                # the list's first item begins at its first place (全省将形成以杭州、宁波…: 杭州)
                a = min(p.start for p in inner)
                name = text[a:b]
            members = list(dict.fromkeys(p.adcode for p in inner if not self.juris or self.inside(p.adcode)
                                         or self.overlaps_area(p.adcode)))
            if members and name.endswith(_CORRIDOR_WORDS):
                # an axis or belt named by its places runs through all of them, out of the area too
                # (厦漳-龙岩-赣州发展轴: 厦门, 漳州 and on to 龙岩, 赣州)
                members = list(dict.fromkeys(p.adcode for p in inner if p.adcode in members or (
                    not self.gaz.contains(p.adcode, self.juris) and self.near(p.adcode))))
            if not members:
                # a counted item that is a place (邢台、衡水两极) or names them (厦漳-龙岩-赣州发展轴) is the
                # plan's own, wherever it lies
                members = list(dict.fromkeys(p.adcode for p in inner if not self.gaz.contains(p.adcode, self.juris)
                                             and self.near(p.adcode)))
            named_area = bool(_AREA_WORD.search(name)) or bool(term and name.endswith((term, term[-1])) and len(name) > 2)
            if inner and not named_area and _residue(name, inner, a) and len(_PAREN.sub("", name)) > 4 \
                    and (len(name) > 6 or _residue(name, inner, a) > 2):  # (儋(州)洋(浦) is a short name)
                return []  # words around the places (加快A发展): a phrase, not an item (环杭州湾 is a name)
            if len(name) > 15:
                return []
            items.append(_Item(name, a, b, members, bool(inner) or named_area))
        # A head word shared by the list (沿京广、沪昆、渝长厦通道): the items are 京广通道, 沪昆通道, 渝长厦通道.
        shared = _AREA_WORD.search(items[-1].name) if items else None
        if shared and len(items) > 1 and not any(_AREA_WORD.search(i.name) or len(i.name.lstrip("沿")) > 3
                                                  for i in items[:-1]):
            items = [_Item(re.sub(r"^沿(?!海|江|边|线)", "", i.name) + (shared.group(0) if k < len(items) - 1 else ""),
                           i.start, i.end, i.members, True) for k, i in enumerate(items)]
            items[-1] = _Item(re.sub(r"^沿(?!海|江|边|线)", "", items[-1].name), items[-1].start, items[-1].end,
                              items[-1].members, True)
        # Each item is a place or a named area, or the list holds one and its other items are short names
        # (长株潭、洞庭湖、湘南、湘西四大区域板块): the count and the head word vouch for the rest.
        if len(items) != count:
            return []
        if not any(i.spatial for i in items) and not (strong and count >= 2
                                                       and all(len(_PAREN.sub("", i.name)) <= longest for i in items)):
            return []  # 合心、兰家、英俊、西新等四个周边组团: short names the count vouches for
        if not all(i.spatial for i in items) and (count < 2 or any(len(_PAREN.sub("", i.name)) > max(6, longest)
                                                                   for i in items if not i.spatial)):
            return []
        return items

    def _item_concepts(self, items: Sequence[_Item], kind: str, written: str, slogan: str, cite: tuple[str, str],
                       clause: DraftClause, how: str, partial_word: str = "", excerpt: str = "",
                       group_single: bool = False) -> list[_Concept]:
        """One feature per item when the part counts several (三极: 岳阳, 郴州, 怀化), one with them all for one.

        An item the text defines elsewhere (省会经济圈包括济南、淄博…七市) takes the members given there too,
        and cites that definition.
        """
        evidence = (clause.id, excerpt or _sentence_at(clause.text, items[0].start, items[-1].end)[0][:120])

        def concept(item: _Item, name: str, group: str) -> _Concept:
            members, cites = list(item.members), [cite, evidence]
            found = self._named_definition(item.name)
            if found:
                members = list(dict.fromkeys([*members, *found[0]]))
                cites.append(found[1])
                self._defined_names.add(item.name)
            partial = list(members) if partial_word else []
            return _Concept(kind, name, slogan, cites, members, partial, [partial_word] if partial_word else [],
                            group=group, named_undefined=not members,
                            rule=how + ("；各项的范围见其定义" if found else ""))

        for item in items:  # a chain inside an item (九江—南昌—抚州) is this part, not a route of its own
            self._taken.update((clause.id, p.start, p.end) for p in clause.places_within(item.start, item.end))
        if len(items) == 1 and not group_single:  # (a part of a 1+4 slogan is named by its item: 郑州)
            return [concept(items[0], written, "")]
        return [concept(item, item.name, written) for item in items]

    def _named_definition(self, name: str) -> tuple[list[str], tuple[str, str]] | None:
        """Members the text gives a named area where it defines it: “NAME包括A、B…” or a heading 【NAME】…包括A、B."""
        if len(name) < 3 or not _AREA_WORD.search(name):
            return None
        ref = re.escape(name)
        for clause in self.clauses:
            for pattern in (rf"{ref}[”\"]?(?:主要)?(?:包括|包含|涵盖|由)(?P<body>[^{_CLAUSE_END}]{{1,300}})",
                            rf"【{ref}】[^{_CLAUSE_END}]{{0,100}}?包括(?P<body>[^{_CLAUSE_END}]{{1,300}})"):
                m = re.search(pattern, clause.text)
                if m:
                    members, _, _ = self._members_in(clause, m.start("body"), m.end("body"))
                    if members:
                        return members, (clause.id, _sentence_of(clause.text, m))
        return None

    def _named_groups(self, clause: DraftClause, start: int, end: int, count: int | None
                      ) -> list[tuple[str, list[str]]]:
        """A definition naming ``count`` areas, each a group word with its places: 襄十随神城市群和宜荆荆恩城市群."""
        if not count or count < 2:
            return []
        groups = []
        for m in _GROUP_ITEM.finditer(clause.text, start, end):
            members, _, _ = self._members_in(clause, m.start(), m.end())
            if members:
                groups.append((m.group(0).strip(_QUOTES), members))
        return groups if len(groups) == count else []

    def _role_members(self, roles: Sequence[str], term: str) -> list[tuple[str, list[str], tuple[str, str]]]:
        """Places written right before a role word (宣威副中心; “麒沾马”中心城市; 北翼以A为重点)."""
        out = []
        for clause in self.clauses:
            if term == "翼":
                for m in re.finditer(r"(?P<name>[东西南北左右][部]?翼)(?:以|为|包括|即)(?P<body>[^。；;，,]{1,40})",
                                     clause.text):
                    members, _, _ = self._members_in(clause, m.start("body"), m.end("body"))
                    out.append((m.group("name"), members, (clause.id, m.group(0))))
                continue
            for role in roles:
                for m in re.finditer(re.escape(role), clause.text):
                    if role == "中心" and clause.text.startswith(("中心城市", "中心城区"), m.start()):
                        continue
                    chosen = self._places_before(clause, m.start())
                    members = list(dict.fromkeys(p.adcode for p in chosen if self.inside(p.adcode)
                                                 and p.adcode != self.juris))
                    if members:
                        name = clause.text[chosen[0].start : m.end()]
                        out.append((name, members, (clause.id, name)))
        # A named wing without a place (北翼以XX为重点) stays: it is still a wing the text names. The same
        # places named again (宣威副中心城市, 宣威副中心) are one part.
        seen, unique = set(), []
        for name, members, cite in out:
            key = name if term == "翼" else tuple(members)
            if key not in seen and (members or term == "翼"):
                seen.add(key)
                unique.append((name, members, cite))
        return unique

    def _places_before(self, clause: DraftClause, pos: int) -> list[PlaceMention]:
        """The places written right before ``pos`` (quotes allowed), with the list they close (A、B和C)."""
        text, chosen, end, first = clause.text, [], pos, True
        while True:
            k = end
            while k > 0 and text[k - 1] in _QUOTES:
                k -= 1
            if not first:
                if k == 0 or text[k - 1] not in "、和及与":
                    break
                k -= 1
                while k > 0 and text[k - 1] in _QUOTES:
                    k -= 1
            group = clause.places_ending_at(k)
            if not group:
                break
            chosen = list(group) + chosen
            end, first = min(p.start for p in group), False
        return chosen

    def _many_points(self, slogan: Slogan, defined: dict[int, list[_Concept]], clause: DraftClause) -> None:
        """多点 (uncounted points) = the other places listed beside the defined centres, where the text lists them."""
        for i, part in enumerate(slogan.parts):
            if part.count is not None or part.term not in ("点", "极", "节点") or i not in defined:
                continue
            if not defined[i] or not defined[i][0].named_undefined:
                continue
            used = {a for j, cs in defined.items() if j != i for c in cs for a in c.members}
            if not used:
                continue
            for other in self.clauses:
                lists = _place_lists(other)
                for run in lists:
                    members = [p.adcode for p in run if self.inside(p.adcode) and p.adcode not in used]
                    if len(members) >= 2 and any(c.cites[-1][0] == other.id for j, cs in defined.items() for c in cs):
                        start, end = run[0].start, run[-1].end
                        defined[i] = [_Concept(defined[i][0].kind, part.written, slogan.text,
                                               [defined[i][0].cites[0], (other.id, other.text[start:end])],
                                               list(dict.fromkeys(members)))]
                        break
                else:
                    continue
                break

    def _named_parts(self) -> None:
        """Named zones defined by their members: 东南丘陵片区包括A、B全域，以及C除北部三镇以外区域."""
        suffix = r"(?:片区|板块|功能区|经济区|生态区|发展区|示范区|城市群|都市圈|经济圈|组团)"
        for clause in self.clauses:
            for m in re.finditer(rf"(?P<name>[\u4e00-\u9fff“”]{{2,14}}?{suffix})(?:主要)?(?:包括|包含|涵盖|覆盖|范围为|由)"
                                 rf"(?P<body>[^{_CLAUSE_END}]{{1,150}})", clause.text):
                name = m.group("name").strip("“”")
                suffix_found = re.search(rf"{suffix}$", name).group(0)
                # Only the last name before 包括 (三大片区错位发展…东部片区包括: 东部片区), without openers.
                name = _trim_opener(re.split(suffix, name[: -len(suffix_found)])[-1] + suffix_found)
                if len(name) < 3 or re.search(r"[一二三四五六七八九十两多]大", name) or name in self._defined_names:
                    continue  # 三大片区 refers to the slogan's parts, it names none of them; 省会经济圈 is one
                members, partial, words = self._members_in(clause, m.start("body"), m.end("body"))
                kind = "zone"
                cite = (clause.id, _sentence_of(clause.text, m))
                self.add(_Concept(kind, name, name, [cite], members, partial, words,
                                  named_undefined=not members))

    def _members_in(self, clause: DraftClause, start: int, end: int, *, anywhere: bool = False
                    ) -> tuple[list[str], list[str], list[str]]:
        """Inside places in text[start:end]; those qualified as a part (平坝区域, 除…以外) listed separately.

        ``anywhere``: places outside the jurisdiction too (not the provinces holding it), for a definition that
        names them as a part of the plan's own structure.
        """
        text = clause.text
        members: list[str] = []
        partial: list[str] = []
        words: list[str] = []
        places = [p for p in clause.places_within(start, end) if not self.juris or self.inside(p.adcode)
                  or (anywhere and not self.gaz.contains(p.adcode, self.juris))]
        for p in places:
            if p.adcode == self.juris and not self.area and (len(places) > 1
                                                            or self.gaz.unit(p.adcode).level == "province"):
                # A province's plan names itself in passing (陇海铁路陕西段): no part is the whole of it. In a
                # plan spanning several units the lead unit is one of them (广州和佛山两市作为核心区).
                continue
            seg_end = end
            for sep in "、，,；;":
                k = text.find(sep, p.end, end)
                if k >= 0:
                    seg_end = min(seg_end, k)
            k = text.find("以及", p.end, end)
            if k >= 0:
                seg_end = min(seg_end, k)
            tail = text[p.end : seg_end]
            # "A和B平坝区域": the qualifier after the last of names joined by 和 applies to them all.
            q = _PARTIAL.search(tail)
            if q and not _WHOLE.search(tail[: q.start()]):
                partial.append(p.adcode)
                words.append(q.group(0))
            members.append(p.adcode)
        return list(dict.fromkeys(members)), list(dict.fromkeys(partial)), list(dict.fromkeys(words))

    def _chains(self) -> None:
        """A—B—C followed by a route or corridor word; a cross-border pair followed by 合作 / 园区: a link."""
        for clause in self.clauses:
            places = sorted(clause.places, key=lambda p: p.start)
            clusters: dict[int, list[PlaceMention]] = {}
            for p in places:
                if p.via == "cluster":
                    clusters.setdefault(p.start, []).append(p)
            i = 0
            while i < len(places):
                run = [places[i]]
                j = i + 1
                while j < len(places):
                    gap = _PAREN.sub("", clause.text[run[-1].end : places[j].start])
                    if places[j].start == run[-1].start:  # members of one cluster
                        j += 1
                        continue
                    if not _CHAIN_SEP.match(gap):
                        break
                    run.append(places[j])
                    j += 1
                cluster_run = clusters.get(places[i].start, [])
                if all((clause.id, p.start, p.end) in self._taken for p in run + cluster_run):
                    pass  # already an item of a counted part
                elif len(run) >= 2 or (len(cluster_run) >= 2 and len(run) == 1):
                    self._chain(clause, run if len(run) >= 2 else cluster_run)
                i = max(i + 1, j)

    def _chain(self, clause: DraftClause, run: list[PlaceMention]) -> None:
        """One chain: what follows it decides its kind."""
        members = list(dict.fromkeys(p.adcode for p in run))
        if len(members) < 2:
            return
        end = max(p.end for p in run)
        lone_cluster = run[0].start == run[-1].start
        # The thing a chain names follows it closely (高铁, 等7条铁路, 段改扩容工程); a lone cluster's directly.
        tail = _TAIL_STOP.split(clause.text[end : end + 10])[0]
        kind, word_end = None, 0
        for words, k in ((_ROUTE_WORDS, "route"), (_CORRIDOR_WORDS, "corridor"), (_LINK_WORDS, "link")):
            hit = _first_word(tail, words, at_start=lone_cluster)
            if hit:
                pos, word = hit
                if kind is None or pos < word_end:
                    kind, word_end = k, pos + len(word)
                    while more := next((w for w in words if tail.startswith(w, word_end)), None):
                        word_end += len(more)  # 城际 + 铁路
        crossing = any(self.outside(a) for a in members) and any(self.inside(a) for a in members)
        shared = ""
        if kind is None and not lone_cluster and clause.text.startswith("、", end):
            # 武汉至宜昌、武汉至十堰高铁: chains listed before one route word all share it.
            listed = re.split(r"[。；;，,]", clause.text[end : end + 60])[0]
            for words, k in ((_ROUTE_WORDS, "route"), (_CORRIDOR_WORDS, "corridor")):
                hit = _first_word(listed, words)
                if hit:
                    pos, shared = hit
                    kind, word_end = k, pos + len(shared)  # the excerpt runs to the shared word: verbatim
                    break
        if kind is None:
            if lone_cluster:
                return  # a lone cluster (成渝) is a place, not a chain
            kind = "link" if crossing and len(members) == 2 else "corridor"
        if kind == "link" and not crossing:
            kind = "node" if all(self.inside(a) for a in members) else "link"
        if kind == "node":
            return  # 市内两地的合作园区: left to the site rule
        start = min(p.start for p in run)
        excerpt = clause.text[start : end + word_end]
        name = clause.text[start:end] + f"（{shared}）" if shared else excerpt
        for p in run:
            self._taken.add((clause.id, p.start, p.end))
        origin = ""
        if kind == "link":
            inner = [a for a in members if self.inside(a)]
            origin = inner[0] if inner else (self.juris or "")
            members = [origin] + [a for a in members if self.outside(a)] if origin else members
        self.add(_Concept(kind, name, excerpt, [(clause.id, excerpt)], members, origin=origin))

    def _nodes(self) -> None:
        """A place inside the jurisdiction followed by a site word: a node at its seat."""
        for clause in self.clauses:
            for p in clause.places:
                if not self.inside(p.adcode) or p.via == "cluster":
                    continue
                m = _SITE.match(clause.text, p.end)
                if not m or re.search(r"[，,。；;、]", m.group(0)):
                    continue
                name = clause.text[p.start : m.end()]
                self._taken.add((clause.id, p.start, p.end))
                self.add(_Concept("node", name, m.group(0).lstrip("“”"), [(clause.id, name)], [p.adcode]))

    def _links(self) -> None:
        """Places outside the jurisdiction in sentences about cooperation; named regions at their anchors."""
        if not self.juris:
            return
        for clause in self.clauses:
            text = clause.text
            region_spans: list[tuple[int, int]] = []
            for m in _REGION_RE.finditer(text):
                region_spans.append((m.start(), m.end()))
                region = m.group(0).translate({ord(q): None for q in _QUOTE})
                anchor = REGION_ANCHORS[region]
                if anchor not in self.gaz.units or not self.outside(anchor):
                    continue
                sentence = _sentence_at(text, m.start(), m.end())
                if not _COOPERATION.search(sentence[0]) and "融入" not in sentence[0]:
                    continue
                # The places the region's name writes (京津冀: 北京, 天津, 河北) are members too, so that a click
                # on 天津 finds the link; the arc still ends at the anchor, which comes last.
                written = [p.adcode for p in clause.places_within(m.start(), m.end())
                           if self.outside(p.adcode) and p.adcode != anchor]
                for origin in self._origins(text, m.start(), clause):
                    self.add(_Concept("link", region, _cue(sentence[0]), [(clause.id, sentence[0])],
                                      list(dict.fromkeys([origin, *written, anchor])), anchor=region,
                                      origin=origin))
            for p in clause.places:
                if not self.outside(p.adcode) or (clause.id, p.start, p.end) in self._taken:
                    continue
                if any(s <= p.start and p.end <= e for s, e in region_spans):
                    continue
                sentence, _ = _sentence_at(text, p.start, p.end)
                if not _COOPERATION.search(sentence):
                    continue
                for origin in self._origins(text, p.start, clause):
                    self.add(_Concept("link", p.mention if p.via != "cluster" else p.name, _cue(sentence),
                                      [(clause.id, sentence)], [origin, p.adcode], origin=origin))

    def _origins(self, text: str, pos: int, clause: DraftClause) -> list[str]:
        """Where a link starts: the places the sentence makes the front (以A、B为前沿), else the jurisdiction."""
        sentence, start = _sentence_at(text, pos, pos)
        best: list[str] = []
        for m in _FRONT.finditer(sentence):
            a, b = start + m.start("places"), start + m.end("places")
            if b <= pos:
                best = [p.adcode for p in clause.places_within(a, b) if self.inside(p.adcode)]
        return list(dict.fromkeys(best)) or [self.juris]

    # ---- drawing
    def _admin(self) -> list[dict]:
        """The base layer: own counties with the clauses naming each, neighbours as context outlines."""
        if not self.juris:
            return []
        shapes = plan_shapes(self.gaz, self.juris, True)
        own = set(shapes.own)
        naming: dict[str, list[tuple[str, str]]] = {a: [] for a in shapes.own}
        for clause in self.clauses:
            for p in clause.places:
                hits = [p.adcode] if p.adcode in own else [a for a in shapes.own if self.gaz.contains(p.adcode, a)
                                                          and p.adcode != self.juris and len(shapes.own) > 1]
                for a in hits:
                    if all(c != clause.id for c, _ in naming[a]):
                        # sentence_around keeps at most 40 characters each side: a window keeps it linear.
                        w = max(0, p.start - 41)
                        naming[a].append((clause.id, sentence_around(clause.text[w : p.end + 41], p.start - w,
                                                                      p.end - w)))
        out = []
        for a in shapes.own:
            u = self.gaz.unit(a)
            props = feature_properties(
                self.plan, name=u.name, name_en=u.name_en, kind="admin", role="辖区单元",
                clauses=[c for c, _ in naming[a]], excerpts=[{"clause": c, "text": t} for c, t in naming[a] if len(t) >= 2],
                precision="exact", precision_note=ADMIN_NOTE, members=[a], group="own")
            out.append(make_feature(f"a-{a}", shapes.area(a), props))
        for a in sorted(self.gaz.neighbours(self.juris)):
            u = self.gaz.unit(a)
            props = feature_properties(
                self.plan, name=u.name, name_en=u.name_en, kind="admin", role="相邻单元", clauses=[], excerpts=[],
                precision="exact", precision_note="相邻单元（背景）：只画辖区外的边界", members=[a], group="neighbour")
            out.append(make_feature(f"nb-{a}", shapes.outline_outside(a), props))
        return out

    def _feature(self, fid: str, c: _Concept, seat_use: dict) -> dict:
        """A concept -> a schema feature (geometry by `redraw`)."""
        cites = list(dict.fromkeys(c.cites))
        props = feature_properties(
            self.plan, name=c.name, name_en=_name_en(self.gaz, c.kind, c.members), kind=c.kind, role=c.role,
            clauses=list(dict.fromkeys(cid for cid, _ in cites)),
            excerpts=[{"clause": cid, "text": t} for cid, t in cites if len(t) >= 2],
            precision="exact", precision_note="", members=list(c.members), named_only=False, group=c.group,
            direction="forward" if c.kind == "link" else None,
        )
        if c.partial:
            props["partial"] = list(c.partial)
            props["partial_words"] = list(c.partial_words)
        if c.anchor:
            props["anchor"] = c.anchor
        if c.rule:
            props["rule"] = c.rule
        feat = {"type": "Feature", "id": fid, "geometry": None, "properties": {"id": fid, **props}}
        return redraw(feat, self.gaz, self.juris, seat_use=seat_use, undefined=c.named_undefined)


# --------------------------------------------------------------------------- drawing and editing


def redraw(feature: Mapping[str, Any], gazetteer: Gazetteer | None = None, jurisdiction: str | None = None, *,
           seat_use: dict | None = None, undefined: bool = False) -> dict:
    """Draw a feature from its kind and members (after an edit, or when first built).

    Areas (core, wing, zone, eco, context) are the union of their members' areas (``approximate`` when some
    member is meant only in part: ``properties.partial``); corridors and routes a line through the members'
    seats in order; links arcs from the first member to each other one (or from the jurisdiction when there
    is one member); nodes the seat of their member (several members: each seat). A feature without members
    is ``named_only`` (geometry null).

    Parameters
    ----------
    feature : dict
        A GeoJSON feature following the schema.
    gazetteer : Gazetteer, optional
    jurisdiction : str, optional
        Adcode the draft is drawn for (shapes follow its base layer).
    seat_use : dict, optional
        Shared by the points of one map, so that points at one seat are spread on a ring.
    undefined : bool
        The text names the feature as a structure part but does not say where it is (the note says so).

    Returns
    -------
    dict
        A new feature; the input is not changed.
    """
    from shapely.geometry import LineString, MultiLineString, MultiPoint, Point
    from shapely.ops import unary_union

    gaz = gazetteer or load_gazetteer()
    props = dict(feature["properties"])
    kind = props["kind"]
    members = [a for a in props.get("members") or [] if a in gaz.units]
    units = [gaz.unit(a) for a in members]
    seat_use = {} if seat_use is None else seat_use
    geom, precision, note, named_only = None, "schematic", "", False
    if kind == "link" and len(members) == 1 and jurisdiction and members[0] != jurisdiction:
        members = [jurisdiction, members[0]]
        units = [gaz.unit(a) for a in members]
    if not units:
        named_only = True
        note = _NOTES["named_undefined" if undefined else "named_only"]
    elif kind in AREA_KINDS:
        shapes = plan_shapes(gaz, jurisdiction, True) if jurisdiction else None
        pieces = [shapes.area(a, derived=True) if shapes else gaz.geometry(a) for a in members]
        geom = unary_union(pieces)
        partial = [a for a in props.get("partial") or [] if a in members]
        if partial:
            precision = "approximate"
            words = "、".join(props.get("partial_words") or []) or "部分区域"
            note = _NOTES["approximate"].format(parts="、".join(gaz.unit(a).name for a in partial) + "：" + words)
        else:
            precision, note = "exact", _NOTES["exact"]
    elif kind in LINE_KINDS and len(units) >= 2:
        geom = LineString([u.seat for u in units])
        note = _NOTES["line"].format(path="—".join(u.name for u in units))
    elif kind == "link" and len(units) >= 2:
        # One arc per place: none to a unit holding another target (粤港澳 → 广东省 and 广州市: the arc to 广州
        # points into 广东 already), none to the origin's own seat.
        targets = [u for u in units[1:] if not any(v is not u and gaz.contains(u.adcode, v.adcode) for v in units[1:])]
        ends = list(dict.fromkeys(u.seat for u in targets if u.seat != units[0].seat))
        arcs = [arc(units[0].seat, end) for end in ends]
        geom = arcs[0] if len(arcs) == 1 else (MultiLineString(arcs) if arcs else None)
        note = _NOTES["arc"].format(a=units[0].name, b="、".join(u.name for u in units[1:]))
        if props.get("anchor"):
            note += "；" + _NOTES["anchor"].format(region=props["anchor"], anchor=units[-1].name)
        if geom is None:
            named_only, note = True, _NOTES["named_only"]
    else:  # nodes, and lines or links with a single member: points at the seats
        points = [spread(u.seat, seat_use) for u in units]
        geom = Point(points[0]) if len(points) == 1 else MultiPoint(points)
        precision = "point"
        note = (_NOTES["point"].format(place=units[0].name) if len(units) == 1
                else _NOTES["points"].format(places="、".join(u.name for u in units)))
    if props.get("rule"):
        note += f"（{props['rule']}）"  # which rule of the text found the members
    props.update(members=members, precision=precision, precision_note=note, named_only=named_only)
    if kind == "link":
        props["direction"] = "forward"
    else:
        props.pop("direction", None)
    return make_feature(str(feature.get("id") or props.get("id")), geom, {k: v for k, v in props.items() if k != "id"})


def _edited(collection: Mapping[str, Any], features: list[dict]) -> dict:
    """A new collection with the same foreign members and these features."""
    return {**{k: v for k, v in collection.items() if k != "features"}, "features": features}


def _find_feature(collection: Mapping[str, Any], fid: str) -> dict:
    for f in collection["features"]:
        if f["id"] == fid:
            return f
    raise KeyError(f"no feature {fid!r}")


def rename(collection: Mapping[str, Any], fid: str, name: str) -> dict:
    """Rename a feature (clauses and excerpts are kept: the link to the text stays verbatim).

    Raises
    ------
    KeyError
        No such feature. ValueError for an empty name.
    """
    name = str(name).strip()
    if not name:
        raise ValueError("名称不能为空 / a feature needs a name")
    _find_feature(collection, fid)
    return _edited(collection, [
        {**f, "properties": {**f["properties"], "name": name[:200]}} if f["id"] == fid else f
        for f in collection["features"]])


def rekind(collection: Mapping[str, Any], fid: str, kind: str, gazetteer: Gazetteer | None = None,
           jurisdiction: str | None = None) -> dict:
    """Give a feature another kind; its geometry is redrawn for that kind (a core's members as a corridor …)."""
    if kind not in EDIT_KINDS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {EDIT_KINDS}")
    old = _find_feature(collection, fid)
    if old["properties"]["kind"] == kind:
        return dict(collection)
    new = {**old, "properties": {**old["properties"], "kind": kind}}
    drawn = redraw(new, gazetteer, jurisdiction)
    return _edited(collection, [drawn if f["id"] == fid else f for f in collection["features"]])


def delete(collection: Mapping[str, Any], fids: Iterable[str]) -> dict:
    """Remove features (admin units are the base map and stay)."""
    drop = set(fids)
    return _edited(collection, [f for f in collection["features"]
                                if f["id"] not in drop or f["properties"].get("kind") == "admin"])


def merge(collection: Mapping[str, Any], fids: Sequence[str], gazetteer: Gazetteer | None = None,
          jurisdiction: str | None = None, *, name: str | None = None) -> dict:
    """Merge features into the first one: members, clauses and excerpts united, geometry redrawn.

    Raises
    ------
    ValueError
        Fewer than two non-admin features to merge.
    """
    chosen = [_find_feature(collection, fid) for fid in dict.fromkeys(fids)]
    chosen = [f for f in chosen if f["properties"].get("kind") != "admin"]
    if len(chosen) < 2:
        raise ValueError("至少选择两个要素才能合并 / select at least two features to merge")
    first = chosen[0]
    props = dict(first["properties"])
    props["name"] = (name or "、".join(dict.fromkeys(f["properties"]["name"] for f in chosen)))[:200]
    for key in ("members", "clauses", "partial", "partial_words"):
        props[key] = list(dict.fromkeys(x for f in chosen for x in f["properties"].get(key) or []))
    excerpts, seen = [], set()
    for f in chosen:
        for ex in f["properties"].get("excerpts") or []:
            k = (ex["clause"], ex["text"])
            if k not in seen:
                seen.add(k)
                excerpts.append(ex)
    props["excerpts"] = excerpts
    drawn = redraw({**first, "properties": props}, gazetteer, jurisdiction)
    gone = {f["id"] for f in chosen[1:]}
    return _edited(collection, [drawn if f["id"] == first["id"] else f for f in collection["features"]
                                if f["id"] not in gone])


def add_member(collection: Mapping[str, Any], fid: str, adcode: str, gazetteer: Gazetteer | None = None,
               jurisdiction: str | None = None) -> dict:
    """Add a place to a feature (a county clicked on the map, or picked from a list) and redraw it."""
    gaz = gazetteer or load_gazetteer()
    gaz.unit(adcode)
    old = _find_feature(collection, fid)
    if old["properties"].get("kind") == "admin":
        raise ValueError("行政区底图不能编辑 / the admin base cannot be edited")
    members = list(dict.fromkeys([*old["properties"].get("members", []), adcode]))
    drawn = redraw({**old, "properties": {**old["properties"], "members": members}}, gaz, jurisdiction)
    return _edited(collection, [drawn if f["id"] == fid else f for f in collection["features"]])


def feature_rows(collection: Mapping[str, Any], gazetteer: Gazetteer | None = None) -> list[dict]:
    """One row per concept feature for an editable table: id, name, kind, precision, members, clauses.

    Every value is plain text (a table shows it as text: plan text is never markup).
    """
    gaz = gazetteer or load_gazetteer()
    rows = []
    for f in collection["features"]:
        p = f["properties"]
        if p.get("kind") == "admin":
            continue
        rows.append({
            "id": f["id"], "name": p["name"], "kind": p["kind"], "precision": p["precision"],
            "members": "、".join(gaz.unit(a).name for a in p.get("members") or [] if a in gaz.units),
            "clauses": "、".join(p.get("clauses") or []), "named_only": bool(p.get("named_only")),
        })
    return rows


def apply_rows(collection: Mapping[str, Any], rows: Iterable[Mapping[str, Any]], gazetteer: Gazetteer | None = None,
               jurisdiction: str | None = None) -> dict:
    """Apply an edited table (`feature_rows` plus an optional ``delete`` flag): renames, new kinds, deletions."""
    out = dict(collection)
    doomed = []
    known = {f["id"]: f["properties"] for f in collection["features"]}
    for row in rows:
        fid = str(row.get("id"))
        if fid not in known:
            continue
        if row.get("delete"):
            doomed.append(fid)
            continue
        name = str(row.get("name") or "").strip()
        if name and name != known[fid]["name"]:
            out = rename(out, fid, name)
        kind = str(row.get("kind") or "")
        if kind and kind != known[fid]["kind"] and kind in EDIT_KINDS:
            out = rekind(out, fid, kind, gazetteer, jurisdiction)
    return delete(out, doomed) if doomed else out


def layers_by_kind(collection: Mapping[str, Any]) -> dict[str, dict]:
    """Split one FeatureCollection into layers (kind -> FeatureCollection) in `geo.layers.KINDS` order."""
    out: dict[str, dict] = {}
    for kind in KINDS:
        feats = [f for f in collection.get("features") or [] if (f.get("properties") or {}).get("kind") == kind]
        if feats:
            out[kind] = {"type": "FeatureCollection", "features": feats}
    return out


# --------------------------------------------------------------------------- jurisdiction choice


def jurisdiction_candidates(draft: Draft, gazetteer: Gazetteer | None = None, limit: int = 12) -> list[Unit]:
    """Units a planner may mean as the jurisdiction: the guess, then units holding many of the places named."""
    gaz = gazetteer or load_gazetteer()
    counts: dict[str, int] = {}
    for clause in draft.clauses:
        for p in clause.places:
            for u in [gaz.unit(p.adcode), *gaz.ancestors(p.adcode)]:
                counts[u.adcode] = counts.get(u.adcode, 0) + 1
    ranked = sorted(counts, key=lambda a: (-counts[a], {"county": 0, "prefecture": 1, "province": 2}[gaz.unit(a).level], a))
    out = [draft.jurisdiction.adcode] if draft.jurisdiction.adcode else []
    out += [a for a in ranked if a not in out]
    return [gaz.unit(a) for a in out[:limit]]


def search_units(query: str, gazetteer: Gazetteer | None = None, limit: int = 20) -> list[Unit]:
    """Units whose name or short name contains ``query`` (exact names first, then prefixes, then the rest)."""
    gaz = gazetteer or load_gazetteer()
    q = str(query).strip()
    if not q:
        return []
    hits = []
    for u in gaz.units.values():
        names = (u.name, *u.short_names)
        if any(q in n for n in names):
            rank = 0 if q in names else 1 if any(n.startswith(q) for n in names) else 2
            hits.append((rank, {"province": 0, "prefecture": 1, "county": 2}[u.level], u.adcode, u))
    return [h[-1] for h in sorted(hits)[:limit]]


# --------------------------------------------------------------------------- exports of any collection


def draft_geojson(collection: Mapping[str, Any]) -> bytes:
    """The layers as one GeoJSON FeatureCollection (one feature per line, as in ``layers/``)."""
    return dumps({"type": "FeatureCollection", "features": list(collection.get("features") or [])}).encode("utf-8")


def draft_gpkg(collection: Mapping[str, Any], name: str = "plan") -> bytes:
    """The layers as a GeoPackage, one table per kind, columns as `geo.export.layers_gpkg` writes them.

    Raises
    ------
    ValueError
        A collection without features (a GeoPackage needs a table).
    """
    from geo.export import gpkg_bytes

    layers = layers_by_kind(collection)
    if not layers:
        raise ValueError("没有可导出的要素 / no feature to export")
    return gpkg_bytes(layers, name)


#: Columns of `draft_clauses_csv`: key, Chinese header, English header.
CLAUSE_COLUMNS = (
    ("clause_id", "条文编号", "clause id"), ("heading", "条文标题", "heading"),
    ("places", "条文中的地名", "places named"), ("features", "引用此条的要素", "features citing it"),
    ("text", "条文全文", "clause text"),
)


def draft_clauses_csv(draft: Draft, collection: Mapping[str, Any] | None = None, *, lang: str = "zh") -> bytes:
    """Every clause with the places it names and the features citing it, as CSV for Excel (UTF-8 with BOM).

    One row per clause in document order; places as ``name(adcode)`` and features as ``id name``, each list
    joined by ``、``. A cell starting like a formula (``= + - @``) gets a leading ``'`` (as `geo.export`
    does), so that Excel shows plan text instead of evaluating it.

    Parameters
    ----------
    draft : Draft
        The draft (its clauses and the places found in them).
    collection : dict, optional
        The layers as edited (default: the draft's own).
    lang : {"zh", "en"}
        Language of the headers.
    """
    import csv

    from geo.export import csv_cell

    collection = draft.collection if collection is None else collection
    citing: dict[str, list[str]] = {}
    for f in collection.get("features") or []:
        p = f.get("properties") or {}
        if p.get("kind") != "admin":
            for cid in dict.fromkeys(p.get("clauses") or ()):
                citing.setdefault(cid, []).append(f"{f['id']} {p.get('name', '')}")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c[2] if lang == "en" else c[1] for c in CLAUSE_COLUMNS])
    for clause in draft.clauses:
        places = dict.fromkeys(f"{p.name}({p.adcode})" for p in clause.places)
        row = {"clause_id": clause.id, "heading": clause.heading, "places": "、".join(places),
               "features": "、".join(citing.get(clause.id, ())), "text": clause.text}
        writer.writerow([csv_cell(row[c[0]]) for c in CLAUSE_COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# --------------------------------------------------------------------------- small helpers


@dataclass(frozen=True)
class _Item:
    """One item of a counted list: as written (verbs trimmed), its span, and its members inside the plan."""

    name: str
    start: int
    end: int
    members: list[str]
    spatial: bool = True  # a place or a named area (else a name the count vouches for: 洞庭湖, 湘南)


_AREA_DEFINITION = re.compile(
    r"(?P<name>[\u4e00-\u9fff]{2,16}?(?:都市圈|城市群|经济圈|城市圈|经济区|经济带|一体化示范区|同城化地区))"
    r"(?:规划)?(?:范围)?(?:主要)?(?:包括|包含|涵盖|覆盖|范围为|由)(?P<body>[^。；;]{4,400})")
# What follows a slogan and lists its items: a parenthesis, or 包括 / 即 / 分别为 ….
_AFTER_SLOGAN = re.compile(r"[”\"’']?\s*(?:[（(](?P<paren>[^（）()]{2,200}[)）])|(?:[\u4e00-\u9fff]{0,4}?(?:格局|布局|体系|框架|战略))?"
                           r"[，,]?\s*(?:主要)?(?:包括|包含|即|分别为|分别是|指)[：:]?"
                           r"(?P<words>[^。；;（）()]{2,300}))")
# Head words of a part that need no count before them (the items give it).
_COMPOUND_HEADS = ("城镇发展轴", "发展轴", "经济轴", "经济带", "发展带", "城镇带", "城市带", "产业带", "经济圈", "都市圈",
                   "城市圈", "城市群", "增长极", "副中心")
_ITEM_SEP = re.compile(r"以及|、|和|及|与|，|,|\+|＋")
_LIST_SEP = re.compile(r"、|，|,")  # when 和 / 与 stand inside the items' names (蓝色海洋保护与开发带)
# What makes an item without a place a named area or belt of its own (京广高铁经济带, 环洞庭湖经济带).
_AREA_WORD = re.compile(r"(?:城市群|都市圈|都市区|经济圈|城市圈|经济区|经济带|城市带|发展带|产业带|旅游带|生态带|"
                        r"走廊|廊道|通道|发展轴|经济轴|片区|板块|组团|新区|示范区|湾区|半岛|城区|集聚区|老区|试验区|实验区|先行区|功能区|"
                        r"合作区|保护区)$")
# Words after a unit that make it a part of it (A、B两市中心城区): the members stay approximate.
_PART_OF_UNIT = ("中心城区", "主城区", "主城", "城区", "平坝区域", "沿江区域")
_NUMERALS = {1: "一", 2: "二两双", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九", 10: "十"}
# Verbs and adverbs a list is led by (打造A、B、C三个新增长极): not part of the first item.
_ITEM_OPENERS = re.compile(
    r"^(?:(?:加快|推动|推进|支持|鼓励|强化|构建|打造|培育|形成|建设|建成|发展|提升|做强|做优|做大|壮大|依托|促进|"
    r"增强|发挥|加强|着力|重点|大力|积极|全力|优化|完善|引导|围绕|统筹|突出|以|把|将|由|使|在|对|和|与|及|"
    r"聚焦|坚持|实施|高水平|高质量|高标准|全面|进一步|更好|深入|其中|包括|主要有)+)"
)


def _count_anchors(text: str, term: str, count: int) -> Iterable[re.Match]:
    """Where a count of ``count`` and the part's head word follow a list: 三个新增长极, 两大发展轴, “双点支撑”, 组团."""
    nums = _NUMERALS.get(count, "") + (str(count) if count < 100 else "")
    heads = "|".join(dict.fromkeys(map(re.escape, (term, term[-1]))))
    if nums:
        # the words between the count and the head word are a modifier, never a clause (…为中心带动)
        yield from re.finditer(rf"[“\"]?(?P<num>[{nums}])(?:个|大|条|座|处|市|县|区|地|片)?"
                               rf"(?P<mod>[^\s、，,。；;：:“”\"（）()为以和与的及]{{0,8}}?)(?:{heads})", text)
    if len(term) >= 2:  # 丰樟高、奉靖、鄱余万都组团: the head word alone, the count from the items
        yield from re.finditer(rf"(?P<mod>)(?<=[\u4e00-\u9fff]){re.escape(term)}", text)
    compounds = [w for w in _COMPOUND_HEADS if w.endswith(term) and w != term]
    if compounds:  # 南北钦防、湛茂阳城镇发展轴 (双轴): a compound head word alone
        yield from re.finditer(rf"(?P<mod>)(?<=[\u4e00-\u9fff、])(?:{'|'.join(compounds)})", text)


def _clause_start(text: str, pos: int) -> int:
    """Where the clause holding ``pos`` begins: after the last comma, stop, colon or line end before it."""
    return max(text.rfind(ch, 0, pos) for ch in "，,。；;：:\n") + 1


def _list_start(text: str, pos: int) -> int:
    """Where the list before ``pos`` begins: after the last stop, colon or comma-led clause."""
    lo = max(0, pos - 80)
    return max([text.rfind(ch, lo, pos) for ch in "。；;：:，,\n"] + [lo - 1]) + 1


def _list_end(text: str, start: int, pos: int) -> int:
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
    return bool(_AREA_WORD.search(name.strip(_QUOTES)))


def _trim_item(name: str) -> str:
    """An item without the verbs that lead the list (打造岳阳 -> 岳阳)."""
    name = name.strip(_QUOTES)
    m = _ITEM_OPENERS.match(name)
    return name[m.end() :] if m and m.end() < len(name) else name


def _last_word(phrase: str) -> str:
    """The last word of a phrase by jieba's segmentation (依序形成了呼伦贝尔 -> 呼伦贝尔)."""
    words = segment_words(phrase)
    return words[-1] if words and len(words[-1]) >= 2 else phrase


def _residue(name: str, places: Sequence[PlaceMention], start: int) -> int:
    """How many characters other than the places' own (and chain dashes, 市/县 suffixes) stand in the item?"""
    covered = set()
    for p in places:
        covered |= set(range(p.start - start, p.end - start))
    rest = "".join(ch for i, ch in enumerate(name) if i not in covered)
    return len(re.sub(r"[—–\-－~～至到市县区州省两三四五沿]|通道|沿线|地区", "", rest))


def _first_word(text: str, words: Sequence[str], *, at_start: bool = False) -> tuple[int, str] | None:
    """The earliest of ``words`` in ``text`` (the longest where several start together), as (position, word).

    ``at_start``: only a word that opens the text counts.
    """
    hits = [(text.find(w), w) for w in words if w in text]
    if at_start:
        hits = [h for h in hits if h[0] == 0]
    return min(hits, key=lambda h: (h[0], -len(h[1]))) if hits else None


def _part_kind(term: str) -> str | None:
    """The kind a slogan term names (None for a term of no spatial kind)."""
    if term in TERM_KINDS:
        return TERM_KINDS[term]
    for key in sorted(TERM_KINDS, key=len, reverse=True):
        if key in term and len(key) > 1:
            return TERM_KINDS[key]
    return None


def _trim_opener(name: str) -> str:
    """Drop the verbs a sentence opens with from a name caught with them (推动东部片区 -> 东部片区)."""
    changed = True
    while changed:
        changed = False
        for w in sorted(SENTENCE_OPENERS, key=len, reverse=True):
            if name.startswith(w) and len(name) - len(w) >= 3:
                name, changed = name[len(w) :], True
    return name


def _sentence_of(text: str, m: re.Match) -> str:
    """The verbatim sentence holding a match, at most 120 characters."""
    sentence, _ = _sentence_at(text, m.start(), m.end())
    return sentence if len(sentence) <= 120 else text[m.start() : min(m.end(), m.start() + 120)]


def _sentence_at(text: str, start: int, end: int) -> tuple[str, int]:
    """The sentence around [start, end) and where it starts (split at 。；; and line ends; at most
    `_MAX_SENTENCE` characters each side, so that a text without full stops stays linear)."""
    lo, hi = max(0, start - _MAX_SENTENCE), min(len(text), end + _MAX_SENTENCE)
    left = max(max(text.rfind(ch, lo, start) for ch in _CLAUSE_END) + 1, lo)
    rights = [i for i in (text.find(ch, end, hi) for ch in _CLAUSE_END) if i >= 0]
    right = min(rights) if rights else hi
    raw = text[left:right]
    stripped = raw.strip()
    return stripped, left + (len(raw) - len(raw.lstrip()))


def _cue(sentence: str) -> str:
    """The plan's own words for a link: the cooperation verb of its sentence."""
    m = _COOPERATION.search(sentence)
    return m.group(0) if m else "联系"


def _place_lists(clause: DraftClause) -> list[list[PlaceMention]]:
    """Runs of places written as a list (A、B、C)."""
    runs: list[list[PlaceMention]] = []
    for p in sorted(clause.places, key=lambda p: p.start):
        if runs and re.fullmatch(r"[、和及与]", clause.text[runs[-1][-1].end : p.start]):
            runs[-1].append(p)
        else:
            runs.append([p])
    return [r for r in runs if len(r) >= 2]


def _name_en(gaz: Gazetteer, kind: str, members: Sequence[str]) -> str:
    """An English name: the kind and up to three members."""
    names = [gaz.unit(a).name_en for a in members[:3] if a in gaz.units]
    label = "Draft " + kind_label(kind, "en").lower()
    return f"{label}: {', '.join(names)}{' …' if len(members) > 3 else ''}" if names else label


@functools.lru_cache(maxsize=32)
def text_digest(text: str) -> str:
    """SHA-256 of a text, hex (cached: a page asks again on every rerun)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
